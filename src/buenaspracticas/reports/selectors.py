"""Reads the reports need beyond the catalogue selectors: source documents, the data's date, and the
bundle of practices and states a filtered view exports. JSON-ready dicts only."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Max

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.catalog.models import Practice, SourceDocument
from buenaspracticas.catalog.selectors import practice_search, state_list
from buenaspracticas.panorama.models import Panorama, QualityFlag


def document_list() -> list[dict[str, Any]]:
    """Return every source document (slug, title, publisher, year, sha256, line_count), by slug."""
    return [
        {
            "slug": d.slug,
            "title": d.title,
            "publisher": d.publisher,
            "year": d.year,
            "sha256": d.sha256,
            "line_count": d.line_count,
        }
        for d in SourceDocument.objects.order_by("slug")
    ]


def data_date() -> str | None:
    """Return the ISO date of the latest change to practices or documents, or None for an empty catalogue."""
    dates = [
        Practice.objects.aggregate(m=Max("updated_at"))["m"],
        SourceDocument.objects.aggregate(m=Max("loaded_at"))["m"],
        Panorama.objects.aggregate(m=Max("updated_at"))["m"],
    ]
    dates = [d for d in dates if d is not None]
    return max(dates).date().isoformat() if dates else None


def panorama_meta(*, state_code: str, document: str) -> dict[str, Any] | None:
    """Return the current line range and quality flags of one state's panorama from one document, or None."""
    pano = Panorama.objects.filter(state__code=state_code, document__slug=document).first()
    if pano is None:
        return None
    flags = QualityFlag.objects.filter(panorama=pano, superseded_at__isnull=True)
    return {
        "first_line": pano.first_line,
        "last_line": pano.last_line,
        "quality_flags": [
            {
                "kind": f.kind,
                "indicators": f.indicators,
                "message": f.message,
                "first_line": f.first_line,
                "last_line": f.last_line,
            }
            for f in flags
        ],
    }


def export_bundle(*, filters: PracticeFilters) -> dict[str, Any]:
    """Return `{"filters", "version", "documents", "practices", "states", "findings"}` for a filtered
    view: the practices the filters select (DESIGN Practice JSON), the states they concern (State JSON) and
    their findings matrix (public excerpts only). `version` is a content hash, so two exports of the same
    data are byte-identical."""
    practices = practice_search(filters=filters, limit=None)["items"]
    if not filters.q:
        practices = sorted(practices, key=lambda p: (p["state"]["code"], p["number"]))
    states_all = state_list()
    if filters.is_empty():
        states = [s for s in states_all if s["panorama"] is not None or s["practices"]]
    elif filters.states or filters.regions:
        states = [
            s
            for s in states_all
            if (not filters.states or s["code"] in filters.states)
            and (not filters.regions or s["region"] in filters.regions)
        ]
    else:
        codes = {p["state"]["code"] for p in practices}
        states = [s for s in states_all if s["code"] in codes]
    states = sorted(states, key=lambda s: s["code"])
    used_docs = {p["source"]["document"] for p in practices if p.get("source")}
    used_docs |= {s["source"]["document"] for s in states if s.get("source")}
    documents = [d for d in document_list() if d["slug"] in used_docs]
    from buenaspracticas.evidence.selectors import findings_public

    # The findings matrix of the states in view, as everyone may read it (public excerpts only).
    # A row is numbered by its place in the matrix, not by the database's key, so an export imported into
    # another database exports the same.
    findings = [
        {"number": n, **{k: v for k, v in f.items() if k != "id"}}
        for n, f in enumerate(findings_public(state_codes=[s["code"] for s in states]), start=1)
    ]
    body = {"documents": documents, "practices": practices, "states": states, "findings": findings}
    version = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    chosen: dict[str, list[str]] = {}
    for name, value in filters.query_items(page=False):
        chosen.setdefault(name, []).append(value)
    return {"filters": chosen, "version": version, **body}


def document_get(*, slug: str) -> SourceDocument | None:
    """Return the source document with that slug (a model instance, for services that link to it), or None."""
    return SourceDocument.objects.filter(slug=slug).first()


def practice_exists(*, state_code: str, number: int) -> bool:
    """Return True when the state already has a practice with that number (any workflow state)."""
    return Practice.objects.filter(state__code=state_code, number=number).exists()
