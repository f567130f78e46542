"""API reads of source documents (the report's footnotes among them), on their own Router (mounted by
buenaspracticas.api.app). Public: documents carry no consent level."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from buenaspracticas.api.schemas import READ_ERRORS, error_docs, errors
from buenaspracticas.evidence import documents

router = Router(tags=["evidence"])

DocumentKind = Literal["law", "statistics", "government_report", "international", "note"]


class DocumentOut(Schema):
    id: int
    kind: DocumentKind
    footnote: int | None = Field(None, description="the footnote's number in the report, when it is one")
    text: str = Field(..., description="the reference as stated (a footnote's whole text)")
    title: str
    url: str
    issuer: str
    year: int | None
    first_line: int | None = Field(None, description="first line of the footnote in the report")
    last_line: int | None
    refers_to: int | None = Field(None, description="for «Ídem» and «Op. cit.»: id of the earlier document")
    cited_by: list[str] = Field(..., description="ids of the published practices that cite it")


class DocumentListOut(Schema):
    count: int
    items: list[DocumentOut]


class DocumentQuery(Schema):
    practice: str | None = Field(None, max_length=120, description="a practice id, e.g. baja-california-1")
    state: str | None = Field(
        None, max_length=40, description="ISO code or slug: its panorama, chapter, practices"
    )
    kind: DocumentKind | None = None
    q: str | None = Field(None, max_length=200, description="words in the text, title or issuer")
    limit: int = Field(100, ge=1, le=documents.MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get(
    "/documents",
    response={200: DocumentListOut, **errors(*READ_ERRORS)},
    openapi_extra=error_docs(*READ_ERRORS),
)
def list_documents(request: HttpRequest, params: Query[DocumentQuery]):
    """Source documents in the report's order: laws, statistics, government reports, international
    documents and notes, with the practices that cite each (`cited_by`)."""
    return documents.document_list(
        practice=params.practice or None,
        state=params.state or None,
        kind=params.kind or None,
        q=params.q or None,
        limit=params.limit,
        offset=params.offset,
    )
