"""{% provenance %}: a record's citation for the partial web/_provenance.html (see catalog.provenance)."""

from __future__ import annotations

from typing import Any

from django import template

from buenaspracticas.catalog.provenance import citation, documents_cached

register = template.Library()


@register.simple_tag
def provenance(
    source=None, kind: str = "", number=None, place: str = "", given=None
) -> dict[str, Any] | None:
    """Return `given` (a citation the caller built, as the PDFs do) or the citation of `source`, from the
    source documents kept by catalog.provenance (no query on most pages)."""
    if given:
        return given
    if not source or not source.get("document"):
        return None
    documents = documents_cached([source["document"]])
    return citation(source, documents=documents, kind=kind or "", number=number or None, place=place or "")
