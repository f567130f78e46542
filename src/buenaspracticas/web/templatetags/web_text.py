"""Text shown to people: a practice's title in sentence case (the printed form stays in the data)."""

from __future__ import annotations

from django import template

from buenaspracticas.text_case import display_title
from buenaspracticas.web.presenters import active_filters as _active_filters

register = template.Library()


@register.filter
def shown_title(practice) -> str:
    """Return a practice's title as shown (its presenter's `display_title`, else computed from its text)."""
    if not isinstance(practice, dict):
        return str(practice or "")
    return practice.get("display_title") or display_title(practice)


@register.filter
def active_filters(facets) -> list[dict]:
    """Return the filters in force in a list of facets (each with the URL that removes it)."""
    return _active_filters(facets or [])
