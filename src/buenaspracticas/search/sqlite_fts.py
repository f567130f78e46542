"""SQLite engine: an FTS5 table (rowid = the practice's id) holding a Snowball-stemmed copy of each practice's
text (FTS5 folds accents but does not stem), ranked by bm25 with per-field weights."""

from __future__ import annotations

from django.db import connection

from buenaspracticas.search.text import stems

# bm25 weights: title, institution, population, description, evidence
_BM25 = "bm25(search_fts, 12.0, 2.0, 2.0, 1.0, 0.4)"


def _stemmed(text: str) -> str:
    return " ".join(stems(text))


class SqliteEngine:
    vendor = "sqlite"

    def write(self, docs) -> None:
        """Insert the lexical entries of these documents (their old entries already deleted)."""
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, institution, population, description, evidence) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.practice_id,
                        _stemmed(d.title),
                        _stemmed(d.institution),
                        _stemmed(d.population),
                        _stemmed(d.description),
                        _stemmed(d.evidence),
                    )
                    for d in docs
                ],
            )

    def delete(self, practice_ids: list[int] | None) -> None:
        """Remove these practices' lexical entries (None: all of them)."""
        with connection.cursor() as cursor:
            if practice_ids is None:
                cursor.execute("DELETE FROM search_fts")
            elif practice_ids:
                marks = ", ".join(["%s"] * len(practice_ids))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", practice_ids)

    def hits_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting (id, positive score) of the practices matching an expression."""
        return (
            f"SELECT rowid AS id, MAX(-{_BM25}, 0.0) AS s FROM search_fts WHERE search_fts MATCH %s",
            [expression],
        )

    def match_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting the ids of the practices matching an expression."""
        return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression]

    def expression(self, alternatives: list[tuple[str, ...]]) -> str:
        """Return alternatives (words or phrases as stems) OR-ed in FTS5 syntax."""
        return " OR ".join(_alternative(a) for a in alternatives)


def _alternative(stems_: tuple[str, ...]) -> str:
    """Return one alternative as FTS5 syntax: a word, or a phrase whose words stand within two of each other
    (the stemmed copy has no stopwords, so "casa del migrante" is "cas migrant")."""
    if len(stems_) == 1:
        return f'"{stems_[0]}"'
    return "NEAR(" + " ".join(f'"{stem}"' for stem in stems_) + f", {len(stems_)})"
