"""API operations of curation. They register on the router of the practice reads (api.routes), so one
path carries its GET and its POST/PATCH; buenaspracticas.api.app mounts that router.

Every write needs `Authorization: Bearer <token>`, checked before anything else (`auth=bearer`): 401
without it, 403 with a wrong one. The body is then read as plain JSON and handed to the service, which
checks the caller's permission on the practice (403) before it validates the body (422; 400 for a body
that is not JSON), so nobody learns anything about a record from a validation error (DESIGN.md §4). The
schemas below document the bodies (with the same bounds the services enforce); the exception handlers of
api.app map the errors."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Schema
from ninja.responses import Status
from pydantic import ConfigDict
from pydantic import Field as PydanticField

from buenaspracticas.api.http import (
    OPTIONAL_TOKEN,
    PracticeId,
    bearer,
    json_body_doc,
    read_body,
    reader,
    unreadable_after_permission,
)
from buenaspracticas.api.routes import router
from buenaspracticas.api.schemas import (
    CRITERION_DOC,
    READ_ERRORS,
    TOKEN_ERRORS,
    WRITE_ERRORS,
    Beneficiaries,
    Comment,
    Description,
    DimensionCode,
    Evidence,
    InstitutionName,
    PracticeStatus,
    Reason,
    RecordId,
    StateKey,
    TargetPopulation,
    Title,
    Verdict,
    Version,
    WorkflowState,
    WorkflowTarget,
    error_docs,
    errors,
    optional,
)
from buenaspracticas.curation import page_data, selectors, services


class Input(Schema):
    """A request body: fields it does not list are refused."""

    model_config = ConfigDict(extra="forbid")


class CriterionIn(Input):
    verdict: Verdict = "unknown"
    evidence: Evidence = ""


class CriteriaIn(Input):
    """Any of the five criteria; those left out keep their verdict and evidence."""

    sostenibilidad: CriterionIn | None = None
    asociacion: CriterionIn | None = None
    innovacion: CriterionIn | None = None
    replicabilidad: CriterionIn | None = None
    eficacia: CriterionIn | None = None


class PracticeIn(Input):
    """A new draft practice."""

    state: StateKey = optional(description="ISO code or slug; an editor's own state when left out")
    call: RecordId | None = Field(None, description="id of the call (convocatoria) this answers")
    title: Title
    institution: InstitutionName = ""
    dimensions: list[DimensionCode] = Field([], max_length=6)
    target_population: TargetPopulation = ""
    description: Description = ""
    status: PracticeStatus = "active"
    beneficiaries: Beneficiaries | None = Field(None, description="people reached; null when unknown")
    criteria: CriteriaIn = optional()


class PracticePatch(Input):
    """An edit of a ficha: the `version` you edited and the fields that change (those left out do not)."""

    version: Version = Field(..., description="the version you edited (from GET /practices/{id} or a write)")
    reason: Reason = ""
    title: Title = optional()
    institution: InstitutionName = optional()
    dimensions: list[DimensionCode] = optional(max_length=6)
    target_population: TargetPopulation = optional()
    description: Description = optional()
    status: PracticeStatus = optional()
    beneficiaries: Beneficiaries | None = optional(description="people reached; null when unknown")
    criteria: CriteriaIn = optional()


class TransitionIn(Input):
    """A move along the review workflow (asking for clarification, and answering it, need a comment)."""

    to: WorkflowTarget
    comment: Comment = ""


class ExcerptCitationIn(Input):
    excerpt: RecordId = Field(..., description="id of an interview excerpt you may read")


class DocumentCitationIn(Input):
    document: RecordId = Field(..., description="id of a document (GET /documents)")
    locator: str = Field("", max_length=200, description="page, line or article, e.g. «art. 12»")


class FindingCitationIn(Input):
    finding: RecordId = Field(..., description="id of a row of a state's findings matrix")


# What a verdict rests on: exactly one of an excerpt, a document (with a locator) or a finding.
CitationIn = ExcerptCitationIn | DocumentCitationIn | FindingCitationIn


class AssessmentIn(Input):
    """One criterion's verdict and evidence, and (optionally) the citations it rests on; `citations` replaces
    the criterion's citations, and leaving it out keeps them."""

    verdict: Verdict
    evidence: Evidence = ""
    citations: list[CitationIn] = optional(max_length=50)
    version: Version | None = Field(None, description="the version you assessed (409 if it changed)")
    reason: Reason = ""


class WriteOut(Schema):
    id: str
    version: int
    workflow_state: WorkflowState
    revision: bool = False
    criteria_met: int | None = None


CriterionPath = Annotated[
    Annotated[str, PydanticField(json_schema_extra=CRITERION_DOC)],
    Path(max_length=40, description="one of the five criteria"),
]


def _fields(body) -> dict:
    return body if isinstance(body, dict) else {}


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


def _write(model: type[Schema], example: dict, ok: int = 200) -> dict:
    return {
        "response": {ok: WriteOut, **errors(*WRITE_ERRORS)},
        "auth": bearer,
        "tags": ["curation"],
        "openapi_extra": {**json_body_doc(model, example=example), **error_docs(*WRITE_ERRORS)},
    }


NEW_PRACTICE = {
    "state": "MX-OAX",
    "title": "RED ESTATAL DE ALBERGUES COMUNITARIOS",
    "institution": "Instituto Oaxaqueño de Atención al Migrante",
    "dimensions": ["transito", "retorno"],
    "target_population": "Personas migrantes en tránsito",
    "description": "Coordina albergues comunitarios con la sociedad civil.",
    "beneficiaries": 1200,
    "criteria": {"sostenibilidad": {"verdict": "met", "evidence": "Ley estatal de 2019."}},
}


@router.post("/practices", **_write(PracticeIn, NEW_PRACTICE, ok=201))
def create_practice(request: HttpRequest):
    """Create a draft practice in the caller's state (Bearer token of an editor or the coordination, who
    names the `state`)."""
    body, problem = read_body(request)
    fields = _fields(body)
    with unreadable_after_permission(problem):
        practice = services.practice_draft_create(
            user=request.auth, state_code=fields.get("state"), data=body, call_id=fields.get("call")
        )
    return Status(201, _out(practice.public_id))


@router.patch(
    "/practices/{practice_id}",
    **_write(
        PracticePatch, {"version": 1, "description": "Amplía la red a 12 municipios.", "reason": "Datos 2022"}
    ),
)
def edit_practice(request: HttpRequest, practice_id: PracticeId):
    """Edit a ficha; carry the `version` you edited (409 when someone saved in between). On a published
    practice the edit opens a pending revision for review; the published version stays visible."""
    body, problem = read_body(request)
    fields = _fields(body)
    with unreadable_after_permission(problem):
        services.practice_edit(
            user=request.auth,
            practice_id=practice_id,
            data=body,
            expected_version=fields.get("version"),
            reason=fields.get("reason", ""),
            require_version=True,
        )
    return _out(practice_id)


@router.post(
    "/practices/{practice_id}/transitions", **_write(TransitionIn, {"to": "submitted", "comment": ""})
)
def transition_practice(request: HttpRequest, practice_id: PracticeId):
    """Move a practice along its workflow: `{"to": "submitted", "comment": "…"}`."""
    body, problem = read_body(request)
    fields = _fields(body)
    with unreadable_after_permission(problem):
        services.practice_transition(
            user=request.auth, practice_id=practice_id, to=fields.get("to"), comment=fields.get("comment", "")
        )
    return _out(practice_id)


@router.put(
    "/practices/{practice_id}/criteria/{criterion}",
    **_write(
        AssessmentIn,
        {
            "verdict": "met",
            "evidence": "Informe anual 2021: metas cumplidas.",
            "citations": [{"document": 1, "locator": "art. 12"}],
        },
    ),
)
def assess_criterion(request: HttpRequest, practice_id: PracticeId, criterion: CriterionPath):
    """Set one criterion's verdict (met, not_met, unknown) and evidence (evaluators and the coordination)."""
    body, problem = read_body(request)
    fields = _fields(body)
    with unreadable_after_permission(problem):
        services.criterion_assess(
            user=request.auth,
            practice_id=practice_id,
            criterion=criterion,
            verdict=fields.get("verdict"),
            evidence=fields.get("evidence", ""),
            expected_version=fields.get("version"),
            reason=fields.get("reason", ""),
            citations=fields.get("citations"),
        )
    return _out(practice_id)


@router.get(
    "/practices/{practice_id}/history",
    response={200: list[dict], **errors(*TOKEN_ERRORS, *READ_ERRORS)},
    tags=["curation"],
    openapi_extra={**OPTIONAL_TOKEN, **error_docs(*TOKEN_ERRORS, *READ_ERRORS)},
)
def practice_history(request: HttpRequest, practice_id: PracticeId):
    """The history of a practice with readable diffs (the JSON twin of its history page): published
    practices for everyone; with a Bearer token, everything that account may read."""
    return page_data.practice_history(user=reader(request), practice_id=practice_id)
