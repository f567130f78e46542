"""API operations of the evidence app on their own Router (mounted by buenaspracticas.api.app): interviews
and the findings matrix. Writes need a Bearer token (401 without it); the service checks the caller's role
and state (403) before it validates the body (422). Reads take an optional token: each reader gets only
the excerpts their consent level allows (evidence.selectors)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from buenaspracticas.api.http import OPTIONAL_TOKEN, StateKeyPath, bearer, json_body, json_body_doc, reader
from buenaspracticas.api.schemas import READ_ERRORS, TOKEN_ERRORS, WRITE_ERRORS, error_docs, errors
from buenaspracticas.errors import AppError
from buenaspracticas.evidence import selectors, services

router = Router(tags=["evidence"])

RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class IntervieweeIn(Schema):
    role: str = Field(..., description="cargo de la persona entrevistada")
    name: str = Field("", description="su nombre, solo con su consentimiento (name_consented: true)")
    name_consented: bool = False


class ExcerptIn(Schema):
    module: str = Field(..., description="acciones | impactos | capacidades | retos")
    text: str
    consent: str = Field(..., description="public | evaluators | coordinators")


class InterviewIn(Schema):
    """An interview: state (code or slug), institution, date, interviewees by role, excerpts."""

    state: str
    institution: str
    held_on: str | None = Field(None, description="AAAA-MM-DD")
    notes: str = ""
    interviewees: list[IntervieweeIn] = []
    excerpts: list[ExcerptIn] = []


class FindingIn(Schema):
    """A findings row; PATCH sends only the fields to change."""

    programme: str = ""
    practice: str | None = Field(None, description="id de la práctica, p. ej. oaxaca-1")
    impacts: str = ""
    results: str = ""
    validity: str = ""
    continuity: str = ""
    suspended: bool = False
    suspended_reason: str = ""
    excerpts: list[int] = []
    documents: list[int] = []


class StateRef(Schema):
    code: str
    slug: str
    name: str


class SourceOut(Schema):
    document: str
    first_line: int | None
    last_line: int | None


class ExcerptOut(Schema):
    id: int
    module: str
    module_label: str
    text: str
    consent: str
    consent_label: str


class IntervieweeOut(Schema):
    role: str
    name: str


class InterviewOut(Schema):
    id: int
    state: StateRef
    institution: str
    held_on: str | None
    notes: str
    source: SourceOut | None
    interviewees: list[IntervieweeOut]
    excerpts: list[ExcerptOut]


class InterviewListOut(Schema):
    count: int
    items: list[InterviewOut]


class PracticeRef(Schema):
    id: str
    title: str
    status: str


class DocumentRef(Schema):
    id: int
    footnote: int | None
    text: str
    url: str


class FindingOut(Schema):
    id: int
    programme: str
    practice: PracticeRef | None
    impacts: str
    results: str
    validity: str
    continuity: str
    suspended: bool
    suspended_reason: str
    excerpts: list[ExcerptOut]
    documents: list[DocumentRef]
    source: SourceOut | None


class FindingListOut(Schema):
    state: StateRef
    count: int
    items: list[FindingOut]


def _body(request: HttpRequest) -> Any:
    """Return the JSON body or the error reading it (the service raises that after checking permission)."""
    try:
        return json_body(request)
    except AppError as exc:
        return exc


@router.post(
    "/interviews",
    response={201: InterviewOut, **errors(*WRITE_ERRORS)},
    auth=bearer,
    openapi_extra={**json_body_doc(InterviewIn), **error_docs(*WRITE_ERRORS)},
)
def create_interview(request: HttpRequest):
    """Record an interview (the state's editor, evaluators, the coordination); 201 with the interview and its
    excerpts' ids."""
    interview = services.interview_create(user=request.auth, data=_body(request))
    return Status(201, selectors.interview_get(user=request.auth, interview_id=interview.pk))


@router.get(
    "/interviews",
    response={200: InterviewListOut, **errors(*TOKEN_ERRORS, *READ_ERRORS)},
    openapi_extra={**OPTIONAL_TOKEN, **error_docs(*TOKEN_ERRORS, *READ_ERRORS)},
)
def list_interviews(
    request: HttpRequest,
    state: Annotated[str | None, Query(max_length=40, description="ISO code or slug")] = None,
):
    """Interviews (of one state: code or slug), each with the excerpts the reader's level allows: public
    ones to everyone, `evaluators` ones to evaluators and the coordination, `coordinators` ones to it."""
    return selectors.interview_list(user=reader(request), state=state or None)


@router.get(
    "/interviews/{interview_id}",
    response={200: InterviewOut, **errors(*TOKEN_ERRORS, *READ_ERRORS)},
    openapi_extra={**OPTIONAL_TOKEN, **error_docs(*TOKEN_ERRORS, *READ_ERRORS)},
)
def get_interview(request: HttpRequest, interview_id: RecordId):
    """One interview with the excerpts the reader may read."""
    return selectors.interview_get(user=reader(request), interview_id=interview_id)


@router.get(
    "/states/{code}/findings",
    response={200: FindingListOut, **errors(*TOKEN_ERRORS, *READ_ERRORS)},
    openapi_extra={**OPTIONAL_TOKEN, **error_docs(*TOKEN_ERRORS, *READ_ERRORS)},
)
def list_findings(request: HttpRequest, code: StateKeyPath):
    """A state's findings matrix: one row per programme or action, with impacts, results, validity,
    continuity, whether (and why, in the report's words) it was suspended, and its linked evidence."""
    return selectors.state_findings(user=reader(request), key=code)


@router.post(
    "/states/{code}/findings",
    response={201: FindingOut, **errors(*WRITE_ERRORS)},
    auth=bearer,
    openapi_extra={**json_body_doc(FindingIn), **error_docs(*WRITE_ERRORS)},
)
def create_finding(request: HttpRequest, code: StateKeyPath):
    """Add a findings row (the state's editor, evaluators, the coordination)."""
    finding = services.finding_create(user=request.auth, state_key=code, data=_body(request))
    return Status(201, _finding_out(request.auth, finding.pk))


@router.patch(
    "/findings/{finding_id}",
    response={200: FindingOut, **errors(*WRITE_ERRORS)},
    auth=bearer,
    openapi_extra={**json_body_doc(FindingIn), **error_docs(*WRITE_ERRORS)},
)
def edit_finding(request: HttpRequest, finding_id: RecordId):
    """Edit a findings row: the fields sent change, each edit kept in the history."""
    services.finding_update(user=request.auth, finding_id=finding_id, data=_body(request))
    return _finding_out(request.auth, finding_id)


def _finding_out(user, finding_id: int) -> dict:
    data = selectors.finding_for_edit(user=user, finding_id=finding_id)
    return {k: v for k, v in data.items() if k not in ("state_code", "state_slug")}
