"""The search interface every front door uses; one backend per database engine behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class SearchHit:
    practice_id: str
    score: float
    highlights: dict[str, str] = field(default_factory=dict)  # field → HTML-safe snippet with <mark>
    how: str = "lexical"  # lexical, semantic or both: why the practice matched


class SearchBackend(Protocol):
    def search(self, query: str, *, limit: int = 200) -> list[SearchHit]:
        """Return matching published practices, best first."""

    def page(self, filters, *, limit: int | None, offset: int = 0, facets: bool = True):
        """Return one ranked page of the practices the filters (with a query) select, the exact count and
        the facet counts, all computed by the database."""

    def reindex(self) -> int:
        """Rebuild the index from the database; return the number of practices indexed."""


def get_backend(*, embedder=True) -> SearchBackend:
    """Return the search backend for the configured database (FTS5 on SQLite, tsvector on PostgreSQL)."""
    from django.db import connection

    if connection.vendor not in ("postgresql", "sqlite"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"No search backend for the {connection.vendor} database (use SQLite or PostgreSQL)."
        )
    from buenaspracticas.search.index import IndexedBackend

    return IndexedBackend(embedder)
