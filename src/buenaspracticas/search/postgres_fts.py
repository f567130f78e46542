"""PostgreSQL backend: a weighted tsvector per practice under the es_unaccent configuration (unaccent, then
Spanish Snowball), a GIN index, and ts_rank. Queries carry the same Snowball stems as the SQLite backend,
given to the 'simple' configuration so they reach the index unchanged."""

from __future__ import annotations

from django.db import connection

from buenaspracticas.search.index import Document, IndexedBackend

_VECTOR = (
    "setweight(to_tsvector('es_unaccent', %s), 'A') || setweight(to_tsvector('es_unaccent', %s), 'B') || "
    "setweight(to_tsvector('es_unaccent', %s), 'C') || setweight(to_tsvector('es_unaccent', %s), 'D')"
)


class PostgresBackend(IndexedBackend):
    def _write(self, docs: list[Document]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_pgdoc (public_id, title, document) VALUES (%s, %s, {_VECTOR}) "
                "ON CONFLICT (public_id) DO UPDATE SET title = EXCLUDED.title, document = EXCLUDED.document",
                [
                    (
                        d.public_id,
                        d.title,
                        d.title,
                        f"{d.institution} {d.population}",
                        d.description,
                        d.evidence,
                    )
                    for d in docs
                ],
            )

    def _delete(self, public_ids: list[str] | None) -> None:
        with connection.cursor() as cursor:
            if public_ids is None:
                cursor.execute("DELETE FROM search_pgdoc")
            elif public_ids:
                cursor.execute("DELETE FROM search_pgdoc WHERE public_id = ANY(%s)", [public_ids])

    def _match(self, group: list[tuple[str, ...]]) -> dict[str, float]:
        expression = " | ".join(_alternative(alternative) for alternative in group)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT public_id, ts_rank('{0.1, 0.3, 0.5, 1.0}', document, q, 1) "
                "FROM search_pgdoc, to_tsquery('simple', %s) AS q WHERE document @@ q",
                [expression],
            )
            return {pid: float(score) for pid, score in cursor.fetchall()}


def _alternative(stems: tuple[str, ...]) -> str:
    """Return one alternative as tsquery syntax: a word, a two-word phrase with up to two stopwords between
    ("casa del migrante"), or longer phrases as all their words."""
    if len(stems) == 1:
        return stems[0]
    if len(stems) == 2:
        a, b = stems
        return "(" + " | ".join(f"{a} <{n}> {b}" for n in (1, 2, 3)) + ")"
    return "(" + " & ".join(stems) + ")"
