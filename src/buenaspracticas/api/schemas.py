"""API schemas (OpenAPI 3.1 through django-ninja), matching DESIGN.md §4."""

from __future__ import annotations

from typing import Literal

from ninja import Schema


class StateRef(Schema):
    code: str
    slug: str
    name: str
    region: str


class AssessmentOut(Schema):
    verdict: Literal["met", "not_met", "unknown"]
    evidence: str


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


class PracticeOut(Schema):
    id: str
    state: StateRef
    number: int
    title: str
    institution: str
    dimensions: list[str]
    target_population: str
    description: str
    criteria: Criteria
    criteria_met: int
    qualifies: bool
    beneficiaries: int | None
    status: Literal["active", "suspended"]
    source: SourceOut | None


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
    code: str
    slug: str
    name: str
    region: str
    practices: list[str]
    panorama: dict | None
    indicators: list[IndicatorOut]
    quality_flags: list[QualityFlagOut]
    source: SourceOut | None


class ErrorOut(Schema):
    error: str
    message: str
    field: str | None = None
    details: dict | None = None
