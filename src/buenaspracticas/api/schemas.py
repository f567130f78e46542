"""API schemas (OpenAPI 3.1 through django-ninja), matching DESIGN.md §4.

Every value a client sends is bounded here (enums from buenaspracticas.reference, text lengths and counts
from catalog.services, the same bounds the services enforce for every front door), so the OpenAPI tells a
client, or a fuzzer, exactly what is accepted; every error has one shape, ErrorOut."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from buenaspracticas.catalog.services import MAX_BENEFICIARIES, MAX_NUMBER, TEXT_MAX_LENGTH, text_problem
from buenaspracticas.curation.permissions import TRANSITIONS
from buenaspracticas.reference import CRITERIA, DIMENSIONS, REGIONS, STATES, VERDICTS

# ---------------------------------------------------------------- enums (built from the reference lists)

StateCode = Literal[tuple(s.code for s in STATES)]
StateSlug = Literal[tuple(s.slug for s in STATES)]
StateKey = Literal[tuple([s.code for s in STATES] + [s.slug for s in STATES])]
RegionSlug = Literal[tuple(REGIONS)]
DimensionCode = Literal[tuple(DIMENSIONS)]
CriterionCode = Literal[tuple(CRITERIA)]
Verdict = Literal[tuple(VERDICTS)]
PracticeStatus = Literal["active", "suspended"]
WorkflowState = Literal[
    "draft", "submitted", "in_review", "clarification_requested", "published", "not_qualified", "archived"
]
WorkflowTarget = Literal[tuple(dict.fromkeys(to for _, to in TRANSITIONS))]

STATE_KEY_DOC = {"enum": [s.code for s in STATES] + [s.slug for s in STATES]}
CRITERION_DOC = {"enum": list(CRITERIA)}


# ---------------------------------------------------------------- bounded inputs


def _storable(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(f"el texto {problem}")
    return value


def bounded_text(max_length: int, **constraints) -> type[str]:
    """Return a str type of at most `max_length` characters that refuses NUL and lone surrogates."""
    return Annotated[str, Field(max_length=max_length, **constraints), AfterValidator(_storable)]


Title = bounded_text(TEXT_MAX_LENGTH["title"], min_length=1, pattern=r"\S")
InstitutionName = bounded_text(TEXT_MAX_LENGTH["institution"])
TargetPopulation = bounded_text(TEXT_MAX_LENGTH["target_population"])
Description = bounded_text(TEXT_MAX_LENGTH["description"])
Evidence = bounded_text(TEXT_MAX_LENGTH["evidence"])
Reason = bounded_text(TEXT_MAX_LENGTH["reason"])
Comment = bounded_text(TEXT_MAX_LENGTH["comment"])
SearchText = bounded_text(200)
Beneficiaries = Annotated[int, Field(ge=0, le=MAX_BENEFICIARIES)]
Version = Annotated[int, Field(ge=1, le=MAX_NUMBER)]
RecordId = Annotated[int, Field(ge=1, le=MAX_NUMBER)]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def optional(**constraints) -> Any:
    """Return the Field of a body member that may be left out but, when sent, may not be null."""
    return Field(None, json_schema_extra=_no_default, **constraints)


# ---------------------------------------------------------------- errors


class ErrorOut(Schema):
    """Every error of the API, whatever its status: 400 (a body that is not JSON), 401, 403, 404, 409, 422,
    429 and 500."""

    error: str = Field(
        ...,
        description="error type: ValidationError, NotAuthenticated, PermissionDenied, NotFound, Conflict, "
        "Throttled, BadRequest, ServerError…",
    )
    message: str = Field(..., description="what went wrong and what to do, for a person")
    field: str | None = Field(None, description="the parameter or body field at fault, when there is one")
    details: dict | None = Field(None, description="machine-readable context (validation errors, versions…)")


ERROR_DESCRIPTIONS = {
    400: "The body is not JSON (or too large).",
    401: "No credentials: send `Authorization: Bearer <token>`.",
    403: "The token is not valid, or its account may not do this to this record.",
    404: "No such record (or not one you may read).",
    409: "The record changed since the version you sent, or its workflow state does not allow this.",
    414: "URI too long: the web server refuses a request line over 4094 bytes before the application "
    "answers (its body is HTML, not JSON).",
    422: "A parameter or a field of the body is invalid; `field` names it.",
    429: "Too many failed tokens from this client; wait `details.retry_after` seconds.",
    500: "Unexpected server error (logged); the body still has this shape.",
}


def errors(*codes: int) -> dict:
    """Return the `response=` entries of these error statuses (ErrorOut; 414 has no JSON body)."""
    return {code: (None if code == 414 else ErrorOut) for code in codes}


def error_docs(*codes: int) -> dict:
    """Return `openapi_extra` describing these error statuses."""
    return {"responses": {code: {"description": ERROR_DESCRIPTIONS[code]} for code in codes}}


READ_ERRORS = (404, 414, 422, 500)
TOKEN_ERRORS = (401, 403, 429)
WRITE_ERRORS = (400, *TOKEN_ERRORS, 404, 409, 414, 422, 500)


# ---------------------------------------------------------------- outputs


class StateRef(Schema):
    code: StateCode
    slug: StateSlug
    name: str
    region: RegionSlug


class AssessmentOut(Schema):
    verdict: Verdict
    evidence: str
    citations: list[dict[str, Any]] = Field(
        default_factory=list,
        description='what the verdict rests on: {"excerpt", "text", "module"} | {"document", "locator", '
        '"text", "url"} | {"finding", "programme"}; {"reserved": true} for an excerpt above the '
        "reader's consent level",
    )


class Criteria(Schema):
    sostenibilidad: AssessmentOut
    asociacion: AssessmentOut
    innovacion: AssessmentOut
    replicabilidad: AssessmentOut
    eficacia: AssessmentOut


class SourceOut(Schema):
    document: str
    first_line: int | None
    last_line: int | None
    table: int | None = Field(None, description="the number of the document's table (cuadro), if printed")


class GcmObjectiveRef(Schema):
    number: int = Field(..., ge=1, le=23)
    title: str
    status: Literal["suggested", "confirmed"]
    score: float
    because: str


class PracticeOut(Schema):
    id: str
    state: StateRef
    number: int
    title: str
    institution: str
    dimensions: list[DimensionCode]
    target_population: str
    description: str
    criteria: Criteria
    criteria_met: int
    qualifies: bool
    beneficiaries: int | None
    status: PracticeStatus
    source: SourceOut | None
    gcm_objectives: list[GcmObjectiveRef] = Field(
        default_factory=list, description="Global Compact objectives, suggested or confirmed, by score"
    )


class PracticeDetailOut(PracticeOut):
    version: int = Field(
        ..., description="the version to send back with PATCH /practices/{id} or PUT …/criteria/{criterion}"
    )


class FacetValue(Schema):
    value: str
    label: str
    count: int
    selected: bool


class Facets(Schema):
    state: list[FacetValue]
    region: list[FacetValue]
    dimension: list[FacetValue]
    criterion: list[FacetValue]
    qualifies: list[FacetValue]
    status: list[FacetValue]
    institution: list[FacetValue]
    gcm: list[FacetValue]


class MatchOut(Schema):
    score: float
    highlights: dict[str, str]
    how: Literal["lexical", "semantic", "both"] = "lexical"


class PracticeListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PracticeOut]
    facets: Facets
    matches: dict[str, MatchOut]
    suggestion: str = Field(
        "", description="the corrected query («¿Quiso decir …?») when a word was corrected"
    )
    nearest: list[PracticeOut] = Field(
        [],
        description="when the query matches nothing (count 0): the practices closest to it by meaning, "
        "under the same filters, best first; they are not matches and are not counted",
    )


class IndicatorOut(Schema):
    key: str
    label: str
    value: float | int
    unit: str
    period: str
    source: str
    note: str
    line: int | None


class QualityFlagOut(Schema):
    kind: str
    indicators: list[str]
    message: str
    first_line: int | None
    last_line: int | None


class StateOut(Schema):
    code: StateCode
    slug: StateSlug
    name: str
    region: RegionSlug
    practices: list[str]
    panorama: dict | None
    indicators: list[IndicatorOut]
    quality_flags: list[QualityFlagOut]
    source: SourceOut | None
