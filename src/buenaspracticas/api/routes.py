"""Reads of practices and states (/api/v1/practices, /api/v1/states), thin over the selectors, on the
router the curation writes share (api.app mounts it)."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import WithJsonSchema

from buenaspracticas.api.http import OPTIONAL_TOKEN, PracticeId, StateKeyPath, reader
from buenaspracticas.api.schemas import (
    READ_ERRORS,
    TOKEN_ERRORS,
    CriterionCode,
    DimensionCode,
    InstitutionName,
    PracticeDetailOut,
    PracticeListOut,
    PracticeStatus,
    RegionSlug,
    SearchText,
    StateKey,
    StateOut,
    error_docs,
    errors,
)
from buenaspracticas.catalog import selectors
from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.curation import selectors as curation_selectors

router = Router()


class PracticeQuery(Schema):
    q: SearchText = Field("", description="words to search for (ranked)")
    state: list[StateKey] = Field([], max_length=32, description="ISO code or slug")
    region: list[RegionSlug] = Field([], max_length=4)
    dimension: list[DimensionCode] = Field([], max_length=6)
    criterion: list[CriterionCode] = Field([], max_length=5, description="criteria that must all be met")
    qualifies: Annotated[bool | None, WithJsonSchema({"type": "boolean"})] = None
    status: list[PracticeStatus] = Field([], max_length=2)
    institution: list[InstitutionName] = Field([], max_length=5)
    gcm: list[Annotated[int, Field(ge=1, le=23)]] = Field(
        [], max_length=23, description="GCM objective numbers (suggested or confirmed): any of them"
    )
    limit: int = Field(20, ge=0, le=500)
    offset: int = Field(0, ge=0, le=100_000)


@router.get(
    "/practices",
    response={200: PracticeListOut, **errors(*READ_ERRORS)},
    tags=["practices"],
    openapi_extra=error_docs(*READ_ERRORS),
)
def list_practices(request: HttpRequest, params: Query[PracticeQuery]):
    """Published practices matching the filters, with facet counts (each facet counted under the others)."""
    filters = PracticeFilters.from_query(request.GET)
    result = selectors.practice_search(filters=filters, limit=params.limit, offset=params.offset)
    return {**result, "limit": params.limit, "offset": params.offset}


@router.get(
    "/practices/{practice_id}",
    response={200: PracticeDetailOut, **errors(*TOKEN_ERRORS, *READ_ERRORS)},
    tags=["practices"],
    openapi_extra={**OPTIONAL_TOKEN, **error_docs(*TOKEN_ERRORS, *READ_ERRORS)},
)
def get_practice(request: HttpRequest, practice_id: PracticeId):
    """One practice (ficha) by its id, e.g. baja-california-2, with the `version` to send when editing it.
    With a Bearer token of an account that may read the state's unpublished practices (its editor,
    evaluators, the coordination): drafts too, and a published practice's pending revision when it has
    one. Without one, only published practices (others are 404)."""
    return curation_selectors.practice_for_reader(user=reader(request), practice_id=practice_id)


@router.get(
    "/states",
    response={200: list[StateOut], **errors(414, 500)},
    tags=["states"],
    openapi_extra=error_docs(414, 500),
)
def list_states(request: HttpRequest):
    """The 32 states with their practices and panorama (null where no report covers the state)."""
    return selectors.state_list()


@router.get(
    "/states/{code}",
    response={200: StateOut, **errors(*READ_ERRORS)},
    tags=["states"],
    openapi_extra=error_docs(*READ_ERRORS),
)
def get_state(request: HttpRequest, code: StateKeyPath):
    """One state by ISO 3166-2 code (MX-OAX) or slug (oaxaca), in any case; 404 for another value."""
    return selectors.state_get(key=code)
