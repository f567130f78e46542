"""API operations of this feature. They register on the shared `api` object (same router as the read
routes, so one path can carry GET and PATCH); buenaspracticas.api.routes imports this module last.

Every write needs `Authorization: Bearer <token>`: 401 without it, 403 with a wrong one or without the
role; the services check the rules, the exception handler of api.routes maps the errors."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.responses import Status

from buenaspracticas.api.routes import api
from buenaspracticas.curation import selectors, services
from buenaspracticas.errors import ValidationError


class CriterionIn(Schema):
    verdict: str = "unknown"
    evidence: str = ""


class PracticeIn(Schema):
    state: str | None = Field(None, description="ISO code; an editor's own state when omitted")
    call: int | None = Field(None, description="id of the call (convocatoria) this answers")
    title: str
    institution: str = ""
    dimensions: list[str] = []
    target_population: str = ""
    description: str = ""
    status: str = "active"
    beneficiaries: int | None = None
    criteria: dict[str, CriterionIn] = {}


class PracticePatch(Schema):
    version: int | None = Field(None, description="the version you edited (from GET or a previous write)")
    reason: str = ""
    title: str | None = None
    institution: str | None = None
    dimensions: list[str] | None = None
    target_population: str | None = None
    description: str | None = None
    status: str | None = None
    beneficiaries: int | None = None
    criteria: dict[str, CriterionIn] | None = None


class TransitionIn(Schema):
    to: str
    comment: str = ""


class AssessmentIn(Schema):
    verdict: str
    evidence: str = ""
    version: int | None = None
    reason: str = ""


class WriteOut(Schema):
    id: str
    version: int
    workflow_state: str
    revision: bool = False
    criteria_met: int | None = None


class MessageOut(Schema):
    error: str
    message: str
    field: str | None = None
    details: dict | None = None


ERRORS = {401: MessageOut, 403: MessageOut, 404: MessageOut, 409: MessageOut, 422: MessageOut}


def _user(request: HttpRequest):
    return services.token_authenticate(header=request.headers.get("Authorization"))


def _out(practice_id: str, **extra) -> dict:
    ws = selectors.practice_workspace(user=None, practice_id=practice_id)
    return {
        "id": practice_id,
        "version": ws["version"],
        "workflow_state": ws["effective_state"],
        "revision": ws["pending"] is not None,
        "criteria_met": (ws["pending"] or ws["practice"])["criteria_met"],
        **extra,
    }


@api.post("/practices", response={201: WriteOut, **ERRORS}, tags=["curation"])
def create_practice(request: HttpRequest, payload: PracticeIn):
    """Create a draft practice in the caller's state (Bearer token of an editor or the coordination)."""
    user = _user(request)
    data = payload.dict(exclude={"state", "call"})
    data["criteria"] = {k: dict(v) for k, v in (payload.criteria or {}).items()}
    practice = services.practice_draft_create(
        user=user, state_code=payload.state, data=data, call_id=payload.call
    )
    return Status(201, _out(practice.public_id))


@api.patch("/practices/{practice_id}", response={200: WriteOut, **ERRORS}, tags=["curation"])
def edit_practice(request: HttpRequest, practice_id: str, payload: PracticePatch):
    """Edit a ficha; carry the `version` you edited (409 when someone saved in between). On a published
    practice the edit opens a pending revision for review; the published version stays visible."""
    user = _user(request)
    data = payload.dict(exclude_unset=True)
    if "version" not in data or data["version"] is None:
        raise ValidationError(
            "Envíe «version»: la versión de la ficha que editó (evita pisar cambios ajenos).", field="version"
        )
    version, reason = data.pop("version"), data.pop("reason", "")
    if "criteria" in data:
        data["criteria"] = {k: dict(v) for k, v in (payload.criteria or {}).items()}
    services.practice_edit(
        user=user, practice_id=practice_id, data=data, expected_version=version, reason=reason
    )
    return _out(practice_id)


@api.post("/practices/{practice_id}/transitions", response={200: WriteOut, **ERRORS}, tags=["curation"])
def transition_practice(request: HttpRequest, practice_id: str, payload: TransitionIn):
    """Move a practice along its workflow: `{"to": "submitted", "comment": "…"}`."""
    user = _user(request)
    services.practice_transition(user=user, practice_id=practice_id, to=payload.to, comment=payload.comment)
    return _out(practice_id)


@api.put(
    "/practices/{practice_id}/criteria/{criterion}", response={200: WriteOut, **ERRORS}, tags=["curation"]
)
def assess_criterion(request: HttpRequest, practice_id: str, criterion: str, payload: AssessmentIn):
    """Set one criterion's verdict (met, not_met, unknown) and evidence (evaluators only)."""
    user = _user(request)
    services.criterion_assess(
        user=user,
        practice_id=practice_id,
        criterion=criterion,
        verdict=payload.verdict,
        evidence=payload.evidence,
        expected_version=payload.version,
        reason=payload.reason,
    )
    return _out(practice_id)


@api.get("/practices/{practice_id}/history", response={200: list[dict], **ERRORS}, tags=["curation"])
def practice_history(request: HttpRequest, practice_id: str):
    """The history of a practice with readable diffs (the JSON twin of its history page): published
    practices for everyone; with a Bearer token, everything that account may read."""
    from django.contrib.auth.models import AnonymousUser

    from buenaspracticas.curation import permissions

    user = _user(request) if request.headers.get("Authorization") else AnonymousUser()
    practice = selectors.practice_by_id(practice_id=practice_id)
    permissions.check_can_view(user, practice.state.code, practice.workflow_state)
    return selectors.practice_history(practice_id=practice_id, user=user)
