"""API operations of the coordination space, on their own Router (mounted by buenaspracticas.api.app).

Writes need `Authorization: Bearer <token>`, checked before anything else (`auth=bearer`: 401 without it,
403 with a bad one). The body is read as plain JSON and handed to the service, which checks the caller's
role and state (403) before it validates the body (422); a body that is not JSON is reported after the
permission check too. Reads are public; a token lets accounts with a role see sessions' video links."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router
from ninja.responses import Status

from buenaspracticas.api.http import OPTIONAL_TOKEN, bearer, json_body, json_body_doc, reader
from buenaspracticas.api.schemas import READ_ERRORS, TOKEN_ERRORS, WRITE_ERRORS, error_docs, errors
from buenaspracticas.coordination import selectors, services
from buenaspracticas.coordination.schemas import (
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    RecommendationListOut,
    SessionIn,
    SessionListOut,
    SessionOut,
    SessionPatch,
    StateProgressIn,
    StateProgressWriteOut,
)
from buenaspracticas.errors import AppError, ValidationError

router = Router(tags=["coordination"])

RecordId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _body(request: HttpRequest) -> Any:
    """Return the JSON body or the error reading it (the service raises that after checking permission)."""
    try:
        return json_body(request)
    except AppError as exc:
        return exc


@router.get(
    "/recommendations",
    response={200: RecommendationListOut, **errors(500)},
    openapi_extra=error_docs(500),
)
def list_recommendations(request: HttpRequest):
    """The reports' recommendations, each with its text, source lines and every followed state's `status`
    (`not_started`, `in_progress`, `done`), `note`, `evidence` and `updated_at`, keyed by state code."""
    return selectors.recommendation_list()


@router.put(
    "/recommendations/{number}/states/{code}",
    response={200: StateProgressWriteOut, **errors(*WRITE_ERRORS)},
    auth=bearer,
    openapi_extra={**json_body_doc(StateProgressIn), **error_docs(*WRITE_ERRORS)},
)
def put_recommendation_state(request: HttpRequest, number: str, code: str):
    """Set a state's `status`, `note` and `evidence` (text, or {"text", "documents", "practices"}) on a
    recommendation: that state's editor or the coordination."""
    row = services.recommendation_state_update(
        user=request.auth, number=number, state_code=code, data=_body(request)
    )
    rec = selectors.recommendation_get(number=row.recommendation.number)
    return {
        "number": rec["number"],
        "state": selectors.state_json(row.state),
        **rec["states"][row.state.code],
    }


@router.get(
    "/sessions",
    response={200: SessionListOut, **errors(*TOKEN_ERRORS, *READ_ERRORS)},
    openapi_extra={**OPTIONAL_TOKEN, **error_docs(*TOKEN_ERRORS, *READ_ERRORS)},
)
def list_sessions(request: HttpRequest, state: str | None = None, when: str | None = None):
    """Coordination sessions with their agreements: upcoming first (by date), then past ones (latest first);
    `state` (code or slug) keeps the sessions it takes part in, `when` is `upcoming` or `past`."""
    if when not in (None, "", "upcoming", "past"):
        raise ValidationError("«when» debe ser upcoming o past.", field="when")
    return selectors.session_list(user=reader(request), state=state or None, when=when or None)


@router.post(
    "/sessions",
    response={201: SessionOut, **errors(*WRITE_ERRORS)},
    auth=bearer,
    openapi_extra={**json_body_doc(SessionIn), **error_docs(*WRITE_ERRORS)},
)
def create_session(request: HttpRequest):
    """Create a session (the coordination only); the participating states' editors are told by e-mail."""
    session = services.session_create(user=request.auth, data=_body(request))
    return Status(201, selectors.session_get(session_id=session.pk, user=request.auth))


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, **errors(*TOKEN_ERRORS, *READ_ERRORS)},
    openapi_extra={**OPTIONAL_TOKEN, **error_docs(*TOKEN_ERRORS, *READ_ERRORS)},
)
def get_session(request: HttpRequest, session_id: RecordId):
    """One session with its agreements and their follow-up notes."""
    return selectors.session_get(session_id=session_id, user=reader(request))


@router.patch(
    "/sessions/{session_id}",
    response={200: SessionOut, **errors(*WRITE_ERRORS)},
    auth=bearer,
    openapi_extra={**json_body_doc(SessionPatch), **error_docs(*WRITE_ERRORS)},
)
def edit_session(request: HttpRequest, session_id: RecordId):
    """Edit a session (the coordination only); each change raises its calendar SEQUENCE."""
    services.session_update(user=request.auth, session_id=session_id, data=_body(request))
    return selectors.session_get(session_id=session_id, user=request.auth)


@router.post(
    "/sessions/{session_id}/agreements",
    response={201: AgreementOut, **errors(*WRITE_ERRORS)},
    auth=bearer,
    openapi_extra={**json_body_doc(AgreementIn), **error_docs(*WRITE_ERRORS)},
)
def create_agreement(request: HttpRequest, session_id: RecordId):
    """Add an agreement to a session: `text`, `owner_state`, `due` (the coordination only)."""
    agreement = services.agreement_create(user=request.auth, session_id=session_id, data=_body(request))
    return Status(201, selectors.agreement_get(agreement_id=agreement.pk))


@router.patch(
    "/agreements/{agreement_id}",
    response={200: AgreementOut, **errors(*WRITE_ERRORS)},
    auth=bearer,
    openapi_extra={**json_body_doc(AgreementPatch), **error_docs(*WRITE_ERRORS)},
)
def edit_agreement(request: HttpRequest, agreement_id: RecordId):
    """Follow up an agreement: its owner state's editor sets `status` and adds a `note`; the coordination may
    also change `text`, `owner_state` and `due`."""
    services.agreement_update(user=request.auth, agreement_id=agreement_id, data=_body(request))
    return selectors.agreement_get(agreement_id=agreement_id)
