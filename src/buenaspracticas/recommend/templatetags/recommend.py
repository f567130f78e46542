"""Template tags of this feature: the ledger block of a ficha (origin practice: where it was replicated)."""

from __future__ import annotations

from django import template

from buenaspracticas.recommend import selectors

register = template.Library()


@register.inclusion_tag("recommend/_replications_body.html")
def practice_replications(practice_id: str) -> dict:
    """Return the context of the ficha's "Dónde se ha replicado" block."""
    return {"practice_id": practice_id, "replications": selectors.replications_of(practice_id=practice_id)}
