"""PostgreSQL engine: a weighted tsvector per practice under the es_unaccent configuration (unaccent, then
Spanish Snowball), a GIN index, and ts_rank. Queries carry the same Snowball stems as the SQLite engine,
given to the 'simple' configuration so they reach the index unchanged."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

_VECTOR = (
    "setweight(to_tsvector('es_unaccent', %s), 'A') || setweight(to_tsvector('es_unaccent', %s), 'B') || "
    "setweight(to_tsvector('es_unaccent', %s), 'C') || setweight(to_tsvector('es_unaccent', %s), 'D')"
)


class PostgresEngine:
    OR = " | "
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

    @contextmanager
    def search_cursor(self):
        """A cursor for the search statements, planned to match documents through the GIN index. The
        planner does not count the detoasting of each tsvector that @@ tests, so it reads every practice's
        document for a word more than a few percent of a large catalogue holds. At 100,000 synthetic
        practices (scale.py), ranking the 6,800 holding "mujer" took 730 ms by a sequential scan and 135 ms
        through the index, the 17,800 holding "documentos de identidad" 1,070 and 725 ms, and counting the
        22,000 holding one word group of a query 830 and 80 ms. Sequential scans are turned off for these
        statements only (SET LOCAL in a transaction or savepoint of their own, the previous value put back
        after them); the join to the narrow rows is by primary key either way."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
            )
            previous = cursor.fetchone()[0]
            yield cursor
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])

    def hits_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting (id, positive score) of the practices matching an expression."""
        return (
            "SELECT practice_id AS id, "
            "ts_rank('{0.1, 0.3, 0.5, 1.0}', document, to_tsquery('simple', %s), 1) "
            "AS s FROM search_pgdoc WHERE document @@ to_tsquery('simple', %s)",
            [expression, expression],
        )

    def ranked_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting (id, s) of every match, s the field-weighted ts_rank_cd (title A, institution
        and population B, description C, evidence D): the one match a search request evaluates."""
        return (
            "SELECT practice_id AS id, ts_rank_cd('{0.1, 0.3, 0.5, 1.0}', document, q, 1) AS s "
            "FROM search_pgdoc, to_tsquery('simple', %s) q WHERE document @@ q",
            [expression],
        )

    def typed_sql(
        self, top: str, typed: list[str], covered: list[tuple[str, float]] = ()
    ) -> tuple[str, list]:
        """Return SQL selecting (id, c, t, s) for the practices of the subquery top (id, s): c adds the weight
        of each (expression, weight) of covered the practice matches; t ranks the stems typed alone (not their
        glossary family) with the same field weights."""
        params: list = []
        cover = []
        for expression, weight in covered:
            matched = "d.document @@ to_tsquery('simple', %s)"
            cover.append(f"(CASE WHEN {matched} THEN {float(weight)} ELSE 0 END)")
            params.append(expression)
        c = " + ".join(cover) or "0.0"
        if typed:
            t = "ts_rank_cd('{0.1, 0.3, 0.5, 1.0}', d.document, to_tsquery('simple', %s), 0)"
            params.append(" | ".join(_alternative((stem,), prefix=True) for stem in typed))
        else:
            t = "0.0"
        return (
            f"SELECT k.id, {c} AS c, {t} AS t, k.s "
            f"FROM ({top}) k JOIN search_pgdoc d ON d.practice_id = k.id",
            params,
        )

    def all_of(self, groups: list[list[tuple[str, ...]]], *, any_group: bool = False) -> str:
        """Return a tsquery requiring every group (any one of its alternatives), or any group."""
        parts = ["(" + " | ".join(_alternative(a, prefix=True) for a in group) + ")" for group in groups]
        return (" | " if any_group else " & ").join(parts)

    def vocabulary(self) -> list[tuple[str, int]]:
        """Return every indexed stem with the number of practices holding it: only practices the index lists
        (a document left behind by a truncation of the catalogue's tables, which search_pgdoc is not one of,
        would count a word twice and keep the thesaurus from widening it)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat('SELECT d.document FROM search_pgdoc d "
                "JOIN search_searchrow r ON r.practice_id = d.practice_id')"
            )
            return cursor.fetchall()

    def has(self, stem: str) -> bool:
        """Whether any indexed practice holds this stem (live: a word written a second ago counts)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM search_pgdoc WHERE document @@ to_tsquery('simple', %s) LIMIT 1", [stem]
            )
            return cursor.fetchone() is not None

    def match_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting the ids of the practices matching an expression."""
        return "SELECT practice_id FROM search_pgdoc WHERE document @@ to_tsquery('simple', %s)", [expression]

    def expression(self, alternatives: list[tuple[str, ...]]) -> str:
        """Return alternatives (words or phrases as stems) OR-ed in tsquery syntax."""
        return " | ".join(_alternative(a) for a in alternatives)


PREFIX_FROM = 5  # a query stem this long also matches longer stems it begins


def _alternative(stems: tuple[str, ...], *, prefix: bool = False) -> str:
    """Return one alternative as tsquery syntax: a word (a prefix too, when asked and the stem has five
    letters or more), a two-word phrase with up to two stopwords between ("casa del migrante"), or longer
    phrases as all their words."""
    if len(stems) == 1:
        return stems[0] + (":*" if prefix and len(stems[0]) >= PREFIX_FROM else "")
    if len(stems) == 2:
        a, b = stems
        return "(" + " | ".join(f"{a} <{n}> {b}" for n in (1, 2, 3)) + ")"
    return "(" + " & ".join(stems) + ")"
