"""API of this feature (a django-ninja Router mounted on /api/v1): advice, GCM objectives, coverage,
classification of practices and the replication ledger.

Writes need `Authorization: Bearer <token>`; the body is read only after the token and the role were
checked, so a refused request answers 401/403 whatever it carries and changes nothing."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from buenaspracticas.api.http import bearer, read_body, unreadable_after_permission
from buenaspracticas.api.schemas import WRITE_ERRORS, ErrorOut, error_docs, errors
from buenaspracticas.recommend import selectors, services

router = Router(tags=["advice"])
ERRORS = errors(*WRITE_ERRORS)


def _body(request: HttpRequest) -> tuple[dict, object]:
    """Return the JSON body as a dict and why it could not be read (reported after the permission check)."""
    data, problem = read_body(request)
    return (data if isinstance(data, dict) else {}), problem


def _body_doc(properties: dict, required: list[str]) -> dict:
    schema = {"type": "object", "properties": properties, "required": required}
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        **error_docs(*WRITE_ERRORS),
    }


STATUS_PROP = {"type": "string", "enum": ["confirmed", "rejected"]}


@router.get("/states/{code}/advice", response={200: dict, 404: ErrorOut})
def state_advice(request: HttpRequest, code: str, limit: int = 10):
    """What a state should adopt next and why: its profile, its gaps in words, and other states' qualifying
    practices that fill them, ranked, each with the practice JSON, score, gaps filled and an explanation."""
    return selectors.state_advice(key=code, limit=max(1, min(limit, 50)))


@router.get("/gcm-objectives", response=dict)
def gcm_objectives(request: HttpRequest):
    """The 23 objectives of the Global Compact for Migration (A/RES/73/195), Spanish and English titles."""
    return selectors.gcm_objective_list()


@router.get("/coverage", response=dict)
def coverage(request: HttpRequest):
    """States × GCM objectives, × population groups and × dimensions (the JSON twin of /cobertura/)."""
    return selectors.coverage_matrix()


@router.get("/practices/{practice_id}/classification", response={200: dict, 404: ErrorOut})
def classification(request: HttpRequest, practice_id: str):
    """A practice's population groups and GCM objectives with every status (also rejected)."""
    return selectors.practice_classification(practice_id=practice_id)


@router.put(
    "/practices/{practice_id}/population-groups/{group}",
    response={200: dict, **ERRORS},
    auth=bearer,
    openapi_extra=_body_doc(
        {"status": STATUS_PROP, "because": {"type": "string"}, "reason": {"type": "string"}}, ["status"]
    ),
)
def set_population_group(request: HttpRequest, practice_id: str, group: str):
    """Confirm, reject or add a population group (evaluators, the coordination, the state's editor)."""
    data, problem = _body(request)
    with unreadable_after_permission(problem):
        return services.population_group_set(
            user=request.auth,
            practice_id=practice_id,
            group=group,
            status=data.get("status"),
            because=str(data.get("because") or ""),
            reason=str(data.get("reason") or ""),
        )


@router.put(
    "/practices/{practice_id}/gcm-objectives/{number}",
    response={200: dict, **ERRORS},
    auth=bearer,
    openapi_extra=_body_doc({"status": STATUS_PROP, "reason": {"type": "string"}}, ["status"]),
)
def set_gcm_objective(request: HttpRequest, practice_id: str, number: str):
    """Confirm or reject a suggested GCM objective, or add one (confirmed)."""
    data, problem = _body(request)
    with unreadable_after_permission(problem):
        return services.gcm_set(
            user=request.auth,
            practice_id=practice_id,
            number=number,
            status=data.get("status"),
            reason=str(data.get("reason") or ""),
        )


@router.get("/practices/{practice_id}/replications", response=dict)
def practice_replications(request: HttpRequest, practice_id: str):
    """Where a practice was replicated: adopting state, when, what it changed, results so far."""
    items = selectors.replications_of(practice_id=practice_id)
    return {"count": len(items), "items": items}


@router.post(
    "/replications",
    response={201: dict, **ERRORS},
    auth=bearer,
    openapi_extra=_body_doc(
        {
            "origin": {"type": "string"},
            "state": {"type": "string"},
            "kind": {"type": "string", "enum": ["adopted", "adapted"]},
            "started": {"type": "string", "format": "date"},
            "changes": {"type": "string"},
            "results": {"type": "string"},
        },
        ["origin", "started"],
    ),
)
def record_replication(request: HttpRequest):
    """Record that a state adopted or adapted another state's practice (its editor or the coordination)."""
    data, problem = _body(request)
    with unreadable_after_permission(problem):
        replication = services.replication_record(
            user=request.auth,
            origin_id=str(data.get("origin") or ""),
            state_code=data.get("state"),
            data=data,
        )
    return Status(201, replication)


@router.post(
    "/replications/{replication_id}/withdraw",
    response={200: dict, **ERRORS},
    auth=bearer,
    openapi_extra=error_docs(*WRITE_ERRORS),
)
def withdraw_replication(request: HttpRequest, replication_id: int):
    """Withdraw a replication recorded by mistake; it stays in the history."""
    data, problem = _body(request)
    with unreadable_after_permission(problem):
        return services.replication_withdraw(
            user=request.auth, replication_id=replication_id, reason=str(data.get("reason") or "")
        )
