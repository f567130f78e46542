"""PostgreSQL engine: a weighted tsvector per practice under the es_unaccent configuration (unaccent, then
Spanish Snowball), a GIN index, and ts_rank. Queries carry the same Snowball stems as the SQLite engine,
given to the 'simple' configuration so they reach the index unchanged."""

from __future__ import annotations

from django.db import connection

_VECTOR = (
    "setweight(to_tsvector('es_unaccent', %s), 'A') || setweight(to_tsvector('es_unaccent', %s), 'B') || "
    "setweight(to_tsvector('es_unaccent', %s), 'C') || setweight(to_tsvector('es_unaccent', %s), 'D')"
)


class PostgresEngine:
    vendor = "postgresql"

    def write(self, docs) -> None:
        """Insert or replace the lexical entries of these documents."""
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_pgdoc (practice_id, document) VALUES (%s, {_VECTOR}) "
                "ON CONFLICT (practice_id) DO UPDATE SET document = EXCLUDED.document",
                [
                    (d.practice_id, d.title, f"{d.institution} {d.population}", d.description, d.evidence)
                    for d in docs
                ],
            )

    def delete(self, practice_ids: list[int] | None) -> None:
        """Remove these practices' lexical entries (None: all of them)."""
        with connection.cursor() as cursor:
            if practice_ids is None:
                cursor.execute("DELETE FROM search_pgdoc")
            elif practice_ids:
                cursor.execute("DELETE FROM search_pgdoc WHERE practice_id = ANY(%s)", [practice_ids])

    def hits_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting (id, positive score) of the practices matching an expression."""
        return (
            "SELECT practice_id AS id, "
            "ts_rank('{0.1, 0.3, 0.5, 1.0}', document, to_tsquery('simple', %s), 1) "
            "AS s FROM search_pgdoc WHERE document @@ to_tsquery('simple', %s)",
            [expression, expression],
        )

    def match_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting the ids of the practices matching an expression."""
        return "SELECT practice_id FROM search_pgdoc WHERE document @@ to_tsquery('simple', %s)", [expression]

    def expression(self, alternatives: list[tuple[str, ...]]) -> str:
        """Return alternatives (words or phrases as stems) OR-ed in tsquery syntax."""
        return " | ".join(_alternative(a) for a in alternatives)


def _alternative(stems: tuple[str, ...]) -> str:
    """Return one alternative as tsquery syntax: a word, a two-word phrase with up to two stopwords between
    ("casa del migrante"), or longer phrases as all their words."""
    if len(stems) == 1:
        return stems[0]
    if len(stems) == 2:
        a, b = stems
        return "(" + " | ".join(f"{a} <{n}> {b}" for n in (1, 2, 3)) + ")"
    return "(" + " & ".join(stems) + ")"
