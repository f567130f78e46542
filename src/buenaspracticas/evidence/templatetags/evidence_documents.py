"""Template tag of the source documents: a state's documents for the state page, whose view belongs to the
web app (the page includes evidence/_documents.html, which reads them through this tag)."""

from __future__ import annotations

from django import template

from buenaspracticas.evidence.documents import state_documents as _state_documents

register = template.Library()


@register.simple_tag
def state_documents(state_code: str) -> list[dict]:
    """Return the documents the state's panorama, chapter and published practices cite."""
    return _state_documents(key=state_code)
