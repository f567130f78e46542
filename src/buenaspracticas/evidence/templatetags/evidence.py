"""Template tags of the evidence app: a state's evidence section (public interviews, link to its findings
matrix) for the state page, whose view belongs to the web app."""

from __future__ import annotations

from django import template

from buenaspracticas.evidence import selectors

register = template.Library()


@register.inclusion_tag("evidence/_state_evidence.html")
def state_evidence(state_code: str, state_slug: str) -> dict:
    """Render the state's public interviews (public excerpts only) and links to its evidence pages."""
    return {"interviews": selectors.interviews_public(state_code=state_code), "slug": state_slug}
