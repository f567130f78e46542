"""The shared half of the database backends: which practices the index holds and at which version, keeping
it fresh at query time, the semantic passages, rank fusion and highlights. Subclasses store and query the
lexical index in their engine's own way."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Max

from buenaspracticas.catalog.models import Practice
from buenaspracticas.search import semantic
from buenaspracticas.search.backends import SearchHit
from buenaspracticas.search.models import IndexedPractice, PassageVector, PracticePassage
from buenaspracticas.search.text import highlight
from buenaspracticas.search.synonyms import all_stems, query_groups
from buenaspracticas.search.text import stems

RRF_K = 60
SEMANTIC_CANDIDATES = 10  # semantic-only matches considered per query
RELATED = 0.75  # weight of a family member's match against the word typed
NO_LEXICAL_MARGIN = 0.04  # extra similarity a semantic-only match needs when nothing matched lexically
_VECTORS: dict[str, np.ndarray] = {}  # vector key → vector; keys are content hashes, so never stale


@dataclass
class Document:
    public_id: str
    title: str
    institution: str
    population: str
    description: str
    evidence: str

    def passages(self) -> list[str]:
        """Return the texts embedded for this practice: its headline, then its description in chunks."""
        head = f"{self.title}. {self.population}. {self.institution}"
        chunks, current = [], ""
        for paragraph in self.description.split("\n"):
            if len(current) + len(paragraph) > 900 and current:
                chunks.append(current)
                current = ""
            current = f"{current}\n{paragraph}".strip()
        if current:
            chunks.append(current)
        return [head, *[f"{self.title}. {c}" for c in chunks[:4]]]


def _published():
    return Practice.objects.filter(workflow_state=Practice.Workflow.PUBLISHED)


def _signatures() -> dict[str, str]:
    rows = (
        _published()
        .annotate(evidence_at=Max("assessments__updated_at"))
        .values_list("public_id", "version", "updated_at", "evidence_at", "institution_id")
    )
    return {
        pid: f"{v}|{u.isoformat() if u else ''}|{e.isoformat() if e else ''}|{i}" for pid, v, u, e, i in rows
    }


def documents(public_ids: Iterable[str] | None = None) -> list[Document]:
    """Return the searchable text of published practices (all, or the ids given)."""
    qs = _published().select_related("institution", "state").prefetch_related("assessments")
    if public_ids is not None:
        qs = qs.filter(public_id__in=list(public_ids))
    return [
        Document(
            p.public_id,
            p.title,
            p.institution.name if p.institution else "",
            p.target_population,
            f"{p.state.name}. {p.description}",
            "\n".join(a.evidence for a in p.assessments.all()),
        )
        for p in qs
    ]


class IndexedBackend:
    """Lexical index in the database (subclass), semantic vectors cached by text hash, fused by RRF."""

    def __init__(self, embedder: semantic.Embedder | None | bool = True) -> None:
        self.embedder = semantic.get_embedder() if embedder is True else (embedder or None)

    # -- the engine-specific part --------------------------------------------------------------------
    def _write(self, docs: list[Document]) -> None:
        raise NotImplementedError

    def _delete(self, public_ids: list[str] | None) -> None:
        """Remove these ids from the lexical index (None: everything)."""
        raise NotImplementedError

    def _match(self, group: list[tuple[str, ...]]) -> dict[str, float]:
        """Return id → positive relevance of the practices matching any alternative of one query group."""
        raise NotImplementedError

    # -- freshness -----------------------------------------------------------------------------------
    def refresh(self) -> int:
        """Bring the index up to date with the published practices; return how many were (re)indexed."""
        # The embedder is part of the signature: vectors from another model are not comparable.
        model = self.embedder.name if self.embedder else "none"
        current = {pid: f"{sig}|{model}" for pid, sig in _signatures().items()}
        indexed = dict(IndexedPractice.objects.values_list("public_id", "signature"))
        if not indexed:
            self._delete(None)  # rows a flushed database left behind in an unmanaged table
        stale = [pid for pid, sig in current.items() if indexed.get(pid) != sig]
        gone = [pid for pid in indexed if pid not in current]
        if not stale and not gone:
            return 0
        try:
            with transaction.atomic():
                if gone:
                    self._delete(gone)
                    IndexedPractice.objects.filter(public_id__in=gone).delete()
                if stale:
                    docs = documents(stale)
                    self._delete([d.public_id for d in docs])
                    self._write(docs)
                    self._store_passages(docs, current)
        except IntegrityError:  # another request refreshed the same rows first
            return 0
        return len(stale)

    def reindex(self) -> int:
        """Rebuild the whole index from the database; return the number of practices indexed."""
        with transaction.atomic():
            self._delete(None)
            IndexedPractice.objects.all().delete()
        return self.refresh()

    def _store_passages(self, docs: list[Document], signatures: dict[str, str]) -> None:
        pending: dict[str, str] = {}
        rows: list[tuple[str, list[str]]] = []
        for doc in docs:
            keys = []
            if self.embedder is not None:
                for text in doc.passages():
                    key = semantic.text_hash(self.embedder, text)
                    keys.append(key)
                    pending[key] = text
            rows.append((doc.public_id, keys))
        if pending:
            known = set(PassageVector.objects.filter(key__in=list(pending)).values_list("key", flat=True))
            missing = [k for k in pending if k not in known]
            found = {k: v for k in missing if (v := semantic.disk_get(k)) is not None}
            to_embed = [k for k in missing if k not in found]
            for start in range(0, len(to_embed), 32):
                batch = to_embed[start : start + 32]
                for k, v in zip(batch, self.embedder.passages([pending[k] for k in batch]), strict=True):
                    found[k] = v
                    semantic.disk_put(k, v)
            PassageVector.objects.bulk_create(
                [PassageVector(key=k, vector=semantic.to_bytes(v)) for k, v in found.items()],
                ignore_conflicts=True,
            )
        for public_id, keys in rows:
            entry, _ = IndexedPractice.objects.update_or_create(
                public_id=public_id, defaults={"signature": signatures[public_id]}
            )
            entry.passages.all().delete()
            PracticePassage.objects.bulk_create(
                [PracticePassage(practice=entry, vector_key=k, order=n) for n, k in enumerate(keys)]
            )

    # -- search --------------------------------------------------------------------------------------
    def search(self, query: str, *, limit: int = 200) -> list[SearchHit]:
        """Return matching published practices, best first: lexical and semantic ranks fused."""
        self.refresh()
        groups = query_groups(query)
        lexical = self._lexical(groups)
        semantic_ranked = self._semantic(query, has_lexical=bool(lexical))
        fused: dict[str, float] = {}
        for ranking in (lexical, semantic_ranked):
            for rank, public_id in enumerate(ranking, start=1):
                fused[public_id] = fused.get(public_id, 0.0) + 1.0 / (RRF_K + rank)
        order = sorted(fused, key=lambda pid: (-fused[pid], pid))[:limit]
        lexical_set, semantic_set = set(lexical), set(semantic_ranked)
        hits = []
        for pid in order:
            how = (
                "both"
                if pid in lexical_set and pid in semantic_set
                else ("lexical" if pid in lexical_set else "semantic")
            )
            hits.append(SearchHit(pid, round(fused[pid] * 1000, 3), {}, how))
        return hits

    def highlights(self, practice: dict, query: str) -> dict[str, str]:
        """Return field → HTML snippet with the query's words (and their family members) in <mark>."""
        return practice_highlights(practice, query)

    def _lexical(self, groups: list[list[tuple[str, ...]]]) -> list[str]:
        if not groups:
            return []
        total = max(1, IndexedPractice.objects.count())
        scores: dict[str, float] = {}
        for group in groups:
            # The words as typed count fully; their family members (synonyms, translations) a little less.
            exact = self._match(group[:1])
            related = self._match(group[1:]) if len(group) > 1 else {}
            matched = set(exact) | set(related)
            if not matched:
                continue
            weight = math.log(1 + total / len(matched))
            best_exact = max(exact.values(), default=0.0) or 1.0
            best_related = max(related.values(), default=0.0) or 1.0
            for pid in matched:
                value = 0.0
                if pid in exact:
                    value = 0.6 + 0.4 * exact[pid] / best_exact
                if pid in related:
                    value = max(value, RELATED * (0.6 + 0.4 * related[pid] / best_related))
                scores[pid] = scores.get(pid, 0.0) + weight * value
        return sorted(scores, key=lambda pid: (-scores[pid], pid))

    def _semantic(self, query: str, *, has_lexical: bool) -> list[str]:
        if self.embedder is None or not stems(query):
            return []
        rows = list(PracticePassage.objects.values_list("practice__public_id", "vector_key"))
        if not rows:
            return []
        missing = {k for _, k in rows if k not in _VECTORS}
        if missing:
            for key, data in PassageVector.objects.filter(key__in=list(missing)).values_list("key", "vector"):
                _VECTORS[key] = semantic.from_bytes(data)
        rows = [(pid, k) for pid, k in rows if k in _VECTORS]
        if not rows:
            return []
        matrix = np.stack([_VECTORS[k] for _, k in rows])
        similarity = matrix @ self.embedder.queries([query])[0]
        best: dict[str, float] = {}
        for (pid, _), value in zip(rows, similarity, strict=True):
            best[pid] = max(best.get(pid, -1.0), float(value))
        ranked = sorted(best, key=lambda pid: (-best[pid], pid))
        # Without a single lexical match the query is likely noise, and e5 scores noise high: ask for more.
        floor = self.embedder.min_similarity + (0.0 if has_lexical else NO_LEXICAL_MARGIN)
        return [pid for pid in ranked[:SEMANTIC_CANDIDATES] if best[pid] >= floor]


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
