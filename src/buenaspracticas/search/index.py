"""Search in the database: lexical ranks computed by SQL over the whole match set (per query-word group, with
the glossary's family members a little below the word typed), a bounded semantic retriever, both fused by
reciprocal rank; the count and facets come from SQL over the same match set, so they are exact."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from buenaspracticas.search import semantic, vectors
from buenaspracticas.search.backends import SearchHit
from buenaspracticas.search.facets import count_and_facets, where
from buenaspracticas.search.indexer import Document, documents, get_engine, index_fresh, index_rebuild
from buenaspracticas.search.synonyms import all_stems, query_groups
from buenaspracticas.search.text import highlight, stems

__all__ = ["Document", "IndexedBackend", "documents", "practice_highlights"]

RRF_K = 60
SEMANTIC_CANDIDATES = 10  # semantic-only matches considered per query
RELATED = 0.75  # weight of a family member's match against the word typed
NO_LEXICAL_MARGIN = 0.04  # extra similarity a semantic-only match needs when nothing matched lexically


@dataclass
class ParsedQuery:
    """A query parsed once: its word groups, the engine expressions, and the semantic candidates."""

    text: str
    groups: list[list[tuple[str, ...]]]
    any_expression: str = ""
    semantic: list[tuple[int, float]] = field(default_factory=list)


@dataclass
class Page:
    count: int
    hits: list[tuple[int, SearchHit]]  # (practice id, hit), in page order
    facets: dict[str, dict[str, int]]


class IndexedBackend:
    """Lexical index in the database, a cached vector matrix, fused by RRF; counts and facets in SQL."""

    def __init__(self, embedder: semantic.Embedder | None | bool = True) -> None:
        self.embedder = semantic.get_embedder() if embedder is True else (embedder or None)
        self.engine = get_engine()

    # -- maintenance ---------------------------------------------------------------------------------
    def refresh(self) -> int:
        """Index the practices marked stale by the database's triggers; return how many."""
        return index_fresh()

    def reindex(self, *, vectors: bool = True, progress=None) -> int:
        """Rebuild the index from the database (and embed queued passages unless vectors=False); return the
        number of practices indexed."""
        from buenaspracticas.search.indexer import vectors_drain

        count = index_rebuild(embedder=self.embedder if self.embedder else None, progress=progress)
        if vectors and self.embedder is not None:
            vectors_drain(embedder=self.embedder, progress=progress)
        return count

    # -- search --------------------------------------------------------------------------------------
    def parse(self, query: str) -> ParsedQuery:
        """Return the query parsed once: groups, the match-any expression and the semantic candidates."""
        groups = query_groups(query)
        alternatives = [a for g in groups for a in g]
        parsed = ParsedQuery(query, groups, self.engine.expression(alternatives) if alternatives else "")
        if self.embedder is not None and stems(query):
            parsed.semantic = vectors.nearest(self.embedder, query, k=SEMANTIC_CANDIDATES)
        return parsed

    def search(self, query: str, *, limit: int = 200) -> list[SearchHit]:
        """Return matching published practices, best first: lexical and semantic ranks fused."""
        from buenaspracticas.catalog.filters import PracticeFilters

        page = self.page(PracticeFilters(q=query), limit=limit, offset=0, facets=False)
        return [hit for _, hit in page.hits]

    def page(self, filters, *, limit: int | None, offset: int = 0, facets: bool = True) -> Page:
        """Return one page of ranked hits for filters with a query, the exact count and facet counts."""
        self.refresh()
        parsed = self.parse(filters.q)
        if not parsed.any_expression and not parsed.semantic:
            return Page(0, [], count_and_facets(filters, match=("1 = 0", []))[1] if facets else {})
        lexical_ids = parsed.any_expression != ""
        # Whether anything matched lexically matters only to the semantic floor: asked only when needed.
        has_lexical = bool(parsed.semantic) and lexical_ids and self._any_match(parsed)
        semantic_ids = self._semantic_ids(parsed, has_lexical=has_lexical)
        hits = self._fused(parsed, filters, semantic_ids, limit=limit, offset=offset)
        count, facet_counts = (0, {})
        if facets:
            count, facet_counts = count_and_facets(filters, match=self._match_set(parsed, semantic_ids))
        return Page(count, hits, facet_counts)

    def highlights(self, practice: dict, query: str) -> dict[str, str]:
        """Return field → HTML snippet with the query's words (and their family members) in <mark>."""
        return practice_highlights(practice, query)

    # -- the SQL -------------------------------------------------------------------------------------
    def _any_match(self, parsed: ParsedQuery) -> bool:
        sql, params = self.engine.match_sql(parsed.any_expression)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM search_searchrow WHERE practice_id IN ({sql}) LIMIT 1", params)
            return cursor.fetchone() is not None

    def _semantic_ids(self, parsed: ParsedQuery, *, has_lexical: bool) -> list[int]:
        if not parsed.semantic:
            return []
        # Without a single lexical match the query is likely noise, and e5 scores noise high: ask for more.
        floor = self.embedder.min_similarity + (0.0 if has_lexical else NO_LEXICAL_MARGIN)
        return [pid for pid, value in parsed.semantic if value >= floor]

    def _match_set(self, parsed: ParsedQuery, semantic_ids: list[int]) -> tuple[str, list]:
        parts, params = [], []
        if parsed.any_expression:
            sql, values = self.engine.match_sql(parsed.any_expression)
            parts.append(f"practice_id IN ({sql})")
            params += values
        if semantic_ids:
            parts.append(f"practice_id IN ({', '.join(str(int(i)) for i in semantic_ids)})")
        return " OR ".join(parts) or "1 = 0", params

    def _lexical_cte(self, parsed: ParsedQuery) -> tuple[str, list]:
        selects, params = [], []
        for number, group in enumerate(parsed.groups):
            for exact, alternatives in ((1, group[:1]), (0, group[1:])):
                if alternatives:
                    sql, values = self.engine.hits_sql(self.engine.expression(alternatives))
                    selects.append(f"SELECT h.id, {number} AS grp, {exact} AS exact, h.s FROM ({sql}) h")
                    params += values
        cte = f"""
            hits AS ({" UNION ALL ".join(selects)}),
            best AS (SELECT grp, exact, MAX(s) AS top FROM hits GROUP BY grp, exact),
            per AS (SELECT h.id, h.grp, MAX((CASE WHEN h.exact = 1 THEN 1.0 ELSE {RELATED} END)
                        * (0.6 + 0.4 * h.s / (CASE WHEN b.top > 0 THEN b.top ELSE 1.0 END))) AS v
                    FROM hits h JOIN best b ON b.grp = h.grp AND b.exact = h.exact
                    JOIN search_searchrow r ON r.practice_id = h.id GROUP BY h.id, h.grp),
            sizes AS (SELECT grp, COUNT(*) AS n FROM per GROUP BY grp),
            total AS (SELECT CASE WHEN COUNT(*) > 0 THEN COUNT(*) ELSE 1 END AS n FROM search_searchrow),
            scored AS (SELECT p.id, SUM(p.v * LN(1.0 + 1.0 * t.n / z.n)) AS score
                       FROM per p JOIN sizes z ON z.grp = p.grp CROSS JOIN total t GROUP BY p.id),
            ranked AS (SELECT sc.id, ROW_NUMBER() OVER (ORDER BY sc.score DESC, r.public_id) AS rank
                       FROM scored sc JOIN search_searchrow r ON r.practice_id = sc.id)"""
        return cte, params

    def _fused(
        self, parsed: ParsedQuery, filters, semantic_ids: list[int], *, limit: int | None, offset: int
    ) -> list[tuple[int, SearchHit]]:
        condition, filter_params = where(filters, alias="r")
        needed = None if limit is None else offset + limit
        rows: dict[int, tuple[str, int | None]] = {}
        with connection.cursor() as cursor:
            if parsed.any_expression:
                cte, params = self._lexical_cte(parsed)
                bound = "" if needed is None else f" WHERE frank <= {int(needed)}"
                sql = (
                    f"WITH {cte}, page AS (SELECT r.practice_id, r.public_id, rk.rank, "
                    f"ROW_NUMBER() OVER (ORDER BY rk.rank) AS frank FROM ranked rk "
                    f"JOIN search_searchrow r ON r.practice_id = rk.id WHERE {condition}) "
                    f"SELECT practice_id, public_id, rank FROM page{bound}"
                )
                params = params + filter_params
                if semantic_ids:
                    ids = ", ".join(str(int(i)) for i in semantic_ids)
                    sql += (
                        f" UNION ALL SELECT r.practice_id, r.public_id, rk.rank FROM search_searchrow r "
                        f"LEFT JOIN ranked rk ON rk.id = r.practice_id WHERE r.practice_id IN ({ids}) "
                        f"AND {condition}"
                    )
                    params += filter_params
                cursor.execute(sql, params)
            elif semantic_ids:
                ids = ", ".join(str(int(i)) for i in semantic_ids)
                cursor.execute(
                    f"SELECT r.practice_id, r.public_id, NULL FROM search_searchrow r "
                    f"WHERE r.practice_id IN ({ids}) AND {condition}",
                    filter_params,
                )
            for practice_id, public_id, rank in cursor.fetchall():
                rows[practice_id] = (public_id, rank)
        semantic_rank = {pid: n for n, pid in enumerate(semantic_ids, start=1)}
        fused: dict[int, float] = {}
        for pid, (_, rank) in rows.items():
            value = 1.0 / (RRF_K + rank) if rank is not None else 0.0
            if pid in semantic_rank:
                value += 1.0 / (RRF_K + semantic_rank[pid])
            fused[pid] = value
        order = sorted(fused, key=lambda pid: (-fused[pid], rows[pid][0]))
        order = order[offset:] if needed is None else order[offset:needed]
        hits = []
        for pid in order:
            public_id, rank = rows[pid]
            lexical, by_meaning = rank is not None, pid in semantic_rank
            how = "both" if lexical and by_meaning else ("lexical" if lexical else "semantic")
            hits.append((pid, SearchHit(public_id, round(fused[pid] * 1000, 3), {}, how)))
        return hits


def practice_highlights(practice: dict, query: str) -> dict[str, str]:
    """Return field → HTML snippet of a Practice JSON where the query's words or family members appear."""
    wanted = all_stems(query_groups(query))
    if not wanted:
        return {}
    evidence = "\n".join(c["evidence"] for c in practice["criteria"].values())
    out = {}
    for name, text in (
        ("title", practice["title"]),
        ("description", practice["description"]),
        ("evidence", evidence),
    ):
        snippet = highlight(text, wanted)
        if snippet:
            out[name] = snippet
    return out
