"""SQLite backend: an FTS5 table holding a Snowball-stemmed copy of each practice's text (FTS5 folds accents
but does not stem), ranked by bm25 with per-field weights."""

from __future__ import annotations

from django.db import connection

from buenaspracticas.search.index import Document, IndexedBackend
from buenaspracticas.search.text import stems

# bm25 weights: public_id (unindexed), title, institution, population, description, evidence
_BM25 = "bm25(search_fts, 0.0, 12.0, 2.0, 2.0, 1.0, 0.4)"


def _stemmed(text: str) -> str:
    return " ".join(stems(text))


class SqliteBackend(IndexedBackend):
    def _write(self, docs: list[Document]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (public_id, title, institution, population, description, evidence) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.public_id,
                        _stemmed(d.title),
                        _stemmed(d.institution),
                        _stemmed(d.population),
                        _stemmed(d.description),
                        _stemmed(d.evidence),
                    )
                    for d in docs
                ],
            )

    def _delete(self, public_ids: list[str] | None) -> None:
        with connection.cursor() as cursor:
            if public_ids is None:
                cursor.execute("DELETE FROM search_fts")
            elif public_ids:
                marks = ", ".join(["%s"] * len(public_ids))
                cursor.execute(f"DELETE FROM search_fts WHERE public_id IN ({marks})", public_ids)

    def _match(self, group: list[tuple[str, ...]]) -> dict[str, float]:
        expression = " OR ".join(_alternative(alternative) for alternative in group)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT public_id, -{_BM25} FROM search_fts WHERE search_fts MATCH %s", [expression]
            )
            return {pid: max(0.0, float(score)) for pid, score in cursor.fetchall()}


def _alternative(stems_: tuple[str, ...]) -> str:
    """Return one alternative as FTS5 syntax: a word, or a phrase whose words stand within two of each other
    (the stemmed copy has no stopwords, so "casa del migrante" is "cas migrant")."""
    if len(stems_) == 1:
        return f'"{stems_[0]}"'
    return "NEAR(" + " ".join(f'"{stem}"' for stem in stems_) + f", {len(stems_)})"
