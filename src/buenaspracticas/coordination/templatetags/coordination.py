"""Template tags of the coordination space: ISO dates from the selectors' dicts, and a state's row of the
recommendations table for the state page."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from buenaspracticas.coordination import selectors

register = template.Library()


@register.filter
def iso(value: str | None):
    """Parse an ISO 8601 date or datetime string (as the selectors return them) for the date filter."""
    if not value:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.inclusion_tag("coordination/_state_recommendations.html")
def state_recommendations(state_code: str, state_slug: str) -> dict:
    """Render a state's status on each recommendation, each linking to its update thread."""
    return {"items": selectors.state_recommendations(state_code=state_code), "slug": state_slug}
