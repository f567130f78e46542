"""SQLite engine: an FTS5 table (rowid = the practice's id) holding a Snowball-stemmed copy of each practice's
text (FTS5 folds accents but does not stem), ranked by bm25 with per-field weights."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from buenaspracticas.search.text import stems

# bm25 weights: title, institution, population, description, evidence
_WEIGHTS = (
    ("title", 12.0),
    ("institution", 2.0),
    ("population", 2.0),
    ("description", 1.0),
    ("evidence", 0.4),
)
_BM25 = "bm25(search_fts, " + ", ".join(str(w) for _, w in _WEIGHTS) + ")"


PREFIX_FROM = 5  # a query stem this long also matches longer stems it begins


def _stemmed(text: str) -> str:
    return " ".join(stems(text))


class SqliteEngine:
    OR = " OR "
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

    @contextmanager
    def search_cursor(self):
        """A cursor for the search statements (FTS5 plans its MATCH by itself)."""
        with connection.cursor() as cursor:
            yield cursor

    def hits_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting (id, positive score) of the practices matching an expression."""
        return (
            f"SELECT rowid AS id, MAX(-{_BM25}, 0.0) AS s FROM search_fts WHERE search_fts MATCH %s",
            [expression],
        )

    def ranked_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting (id, s) of every match, s the field-weighted bm25 (higher is better): the one
        MATCH a search request evaluates."""
        return f"SELECT rowid AS id, -{_BM25} AS s FROM search_fts WHERE search_fts MATCH %s", [expression]

    def typed_sql(
        self, top: str, typed: list[str], covered: list[tuple[str, float]] = ()
    ) -> tuple[str, list]:
        """Return SQL selecting (id, c, t, s) for the practices of the subquery top (id, s): c adds the weight
        of each (expression, weight) of covered the practice matches; t adds the weights of the fields holding
        each stem typed (not its glossary family) as a word or a word's beginning."""
        cover, params = [], []
        for expression, weight in covered:
            cover.append(
                f"(CASE WHEN k.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s) "
                f"THEN {float(weight)} ELSE 0 END)"
            )
            params.append(expression)
        terms = []
        for stem in typed:
            for column, weight in _WEIGHTS:
                terms.append(f"(CASE WHEN instr(' ' || {column}, %s) > 0 THEN {weight} ELSE 0 END)")
                params.append(" " + stem)
        c = " + ".join(cover) or "0.0"
        t = " + ".join(terms) or "0"
        return (
            f"SELECT k.id, {c} AS c, {t} AS t, k.s FROM ({top}) k JOIN search_fts ON search_fts.rowid = k.id",
            params,
        )

    def all_of(self, groups: list[list[tuple[str, ...]]], *, any_group: bool = False) -> str:
        """Return an FTS5 expression requiring every group (any one of its alternatives), or any group."""
        parts = ["(" + " OR ".join(_alternative(a, prefix=True) for a in group) + ")" for group in groups]
        return (" OR " if any_group else " AND ").join(parts)

    def vocabulary(self) -> list[tuple[str, int]]:
        """Return every indexed stem with the number of practices holding it."""
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_vocab "
                "USING fts5vocab(main, search_fts, row)"
            )
            cursor.execute("SELECT term, doc FROM temp.search_fts_vocab")
            return cursor.fetchall()

    def has(self, stem: str) -> bool:
        """Whether any indexed practice holds this stem (live: a word written a second ago counts)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT 1", [f'"{stem}"'])
            return cursor.fetchone() is not None

    def match_sql(self, expression: str) -> tuple[str, list]:
        """Return SQL selecting the ids of the practices matching an expression."""
        return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression]

    def expression(self, alternatives: list[tuple[str, ...]]) -> str:
        """Return alternatives (words or phrases as stems) OR-ed in FTS5 syntax."""
        return " OR ".join(_alternative(a) for a in alternatives)


def _alternative(stems_: tuple[str, ...], *, prefix: bool = False) -> str:
    """Return one alternative as FTS5 syntax: a word (a prefix of longer indexed stems too, when asked and the
    stem has five letters or more), or a phrase whose words stand within two of each other (the stemmed copy
    has no stopwords, so "casa del migrante" is "cas migrant")."""
    if len(stems_) == 1:
        return f'"{stems_[0]}"' + ("*" if prefix and len(stems_[0]) >= PREFIX_FROM else "")
    return "NEAR(" + " ".join(f'"{stem}"' for stem in stems_) + f", {len(stems_)})"
