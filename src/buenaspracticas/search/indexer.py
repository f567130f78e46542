"""Keeping the search index in step with the catalogue: the write paths call `search_index_update` in their
own transaction (triggers also mark any changed practice as dirty, so a write that bypasses the services is
indexed by the next search); passages are only queued for embedding, and `vectors_drain` embeds them in
batches outside any request."""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import Prefetch

from buenaspracticas.catalog.models import Assessment, Practice, PracticeDimension
from buenaspracticas.reference import CRITERIA, DIMENSIONS, QUALIFYING_MINIMUM
from buenaspracticas.search import semantic, vectors
from buenaspracticas.search.models import (
    PassageVector,
    PendingPassage,
    SearchDirty,
    SearchMeta,
    SearchPassage,
    SearchRow,
)

BATCH = 500
TOUCH_EVERY = 600.0  # seconds between new vector-set versions during a long drain (each process reloads)
DIRTY_PER_REQUEST = 2000  # a search indexes at most this many stale practices; `reindex` does the rest


@dataclass
class Document:
    practice_id: int
    public_id: str
    title: str
    institution: str
    population: str
    description: str
    evidence: str

    def passages(self) -> list[str]:
        """Return the texts embedded for this practice: its headline, then its description and its evidence
        (the five criteria's texts, where the report tells what was done and for whom) in chunks."""
        head = f"{self.title}. {self.population}. {self.institution}"
        description = [f"{self.title}. {c}" for c in _chunks(self.description)[:DESCRIPTION_CHUNKS]]
        evidence = [f"{self.title}. {c}" for c in _chunks(self.evidence)[:EVIDENCE_CHUNKS]]
        return [head, *description, *evidence]


CHUNK_SIZE = 900  # characters of a dense passage (cut at paragraph ends)
DESCRIPTION_CHUNKS = 4
EVIDENCE_CHUNKS = 3


def _chunks(text: str, size: int | None = None) -> list[str]:
    """Return a text cut at paragraph ends into chunks of about size characters (CHUNK_SIZE)."""
    size = size or CHUNK_SIZE
    chunks, current = [], ""
    for paragraph in text.split("\n"):
        if len(current) + len(paragraph) > size and current:
            chunks.append(current)
            current = ""
        current = f"{current}\n{paragraph}".strip()
    if current:
        chunks.append(current)
    return chunks


def get_engine():
    """Return the lexical engine of the configured database (FTS5 on SQLite, tsvector on PostgreSQL)."""
    if connection.vendor == "postgresql":
        from buenaspracticas.search.postgres_fts import PostgresEngine

        return PostgresEngine()
    from buenaspracticas.search.sqlite_fts import SqliteEngine

    return SqliteEngine()


def _published(ids: list[int] | None = None):
    qs = (
        Practice.objects.filter(workflow_state=Practice.Workflow.PUBLISHED)
        .select_related("state__region", "institution")
        .prefetch_related(
            Prefetch("assessments", queryset=Assessment.objects.select_related("criterion")),
            Prefetch("practicedimension_set", queryset=PracticeDimension.objects.select_related("dimension")),
            "gcm_objectives",
        )
    )
    return qs if ids is None else qs.filter(pk__in=ids)


def _document(p: Practice) -> Document:
    return Document(
        p.pk,
        p.public_id,
        p.title,
        p.institution.name if p.institution else "",
        p.target_population,
        f"{p.state.name}. {p.description}",
        "\n".join(a.evidence for a in p.assessments.all()),
    )


def _row(p: Practice) -> SearchRow:
    met = [a.criterion.code for a in p.assessments.all() if a.verdict == Assessment.Verdict.MET]
    criteria_mask = sum(1 << CRITERIA.index(c) for c in met if c in CRITERIA)
    dims = [pd.dimension.code for pd in p.practicedimension_set.all()]
    return SearchRow(
        practice_id=p.pk,
        public_id=p.public_id,
        state_code=p.state.code,
        state_name=p.state.name,
        number=p.number,
        region=p.state.region.slug,
        status=p.status,
        institution=p.institution.name if p.institution else "",
        criteria_mask=criteria_mask,
        criteria_met=len(met),
        qualifies=len(met) >= QUALIFYING_MINIMUM,
        dimension_mask=sum(1 << DIMENSIONS.index(d) for d in dims if d in DIMENSIONS),
        # The objectives a reader finds the practice under: suggested or confirmed, never rejected.
        gcm_mask=sum(
            1 << (g.number - 1)
            for g in p.gcm_objectives.all()
            if g.status != "rejected" and 1 <= g.number <= 23
        ),
    )


def documents(public_ids: Iterable[str] | None = None) -> list[Document]:
    """Return the searchable text of published practices (all, or the ids given)."""
    qs = _published()
    if public_ids is not None:
        qs = qs.filter(public_id__in=list(public_ids))
    return [_document(p) for p in qs]


def search_index_update_public(public_ids: Iterable[str], *, embedder=True) -> int:
    """search_index_update for practices given by their public ids."""
    pks = Practice.objects.filter(public_id__in=list(public_ids)).values_list("pk", flat=True)
    return search_index_update(pks, embedder=embedder)


def search_index_update(practice_ids: Iterable[int], *, embedder=True) -> int:
    """Re-index these practices (published ones written, others removed) in the caller's transaction, queue
    their new passages for embedding; return how many are now indexed."""
    ids = sorted({int(i) for i in practice_ids})
    embedder = semantic.get_embedder() if embedder is True else (embedder or None)
    engine = get_engine()
    indexed = 0
    vectors_changed = False
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            practices = list(_published(chunk))
            before = set(SearchRow.objects.filter(pk__in=chunk).values_list("pk", flat=True))
            engine.delete(chunk)
            SearchRow.objects.filter(pk__in=chunk).delete()
            SearchRow.objects.bulk_create([_row(p) for p in practices])
            docs = [_document(p) for p in practices]
            engine.write(docs)
            vectors_changed |= before != {p.pk for p in practices}
            if embedder is not None:
                vectors_changed |= _queue_passages(chunk, docs, embedder)
            SearchDirty.objects.filter(pk__in=chunk).delete()
            indexed += len(practices)
        if vectors_changed:
            vectors_touch()
    return indexed


def search_index_remove(practice_ids: Iterable[int]) -> None:
    """Remove these practices from the index (in the caller's transaction)."""
    ids = sorted({int(i) for i in practice_ids})
    with transaction.atomic():
        get_engine().delete(ids)
        SearchRow.objects.filter(pk__in=ids).delete()
        SearchPassage.objects.filter(practice_id__in=ids).delete()
        SearchDirty.objects.filter(pk__in=ids).delete()
        vectors_touch()


def _queue_passages(chunk: list[int], docs: list[Document], embedder) -> bool:
    """Replace the passages of these practices; queue the texts without a vector; return whether any
    passage changed."""
    wanted: list[SearchPassage] = []
    texts: dict[str, str] = {}
    for doc in docs:
        for order, text in enumerate(doc.passages()):
            key = semantic.text_hash(embedder, text)
            texts[key] = text
            wanted.append(SearchPassage(practice_id=doc.practice_id, order=order, key=key))
    current = set(
        SearchPassage.objects.filter(practice_id__in=chunk).values_list("practice_id", "order", "key")
    )
    if current == {(p.practice_id, p.order, p.key) for p in wanted}:
        return False
    SearchPassage.objects.filter(practice_id__in=chunk).delete()
    SearchPassage.objects.bulk_create(wanted, batch_size=1000)
    known = set(PassageVector.objects.filter(key__in=list(texts)).values_list("key", flat=True))
    PendingPassage.objects.bulk_create(
        [PendingPassage(key=k, model=embedder.name, text=t) for k, t in texts.items() if k not in known],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return True


def index_fresh() -> int:
    """Index the practices the triggers marked dirty (normally none: the services index as they write);
    return how many were handled. A locked database leaves them for the next search."""
    ids = list(SearchDirty.objects.values_list("practice_id", flat=True)[:DIRTY_PER_REQUEST])
    if not ids:
        return 0
    try:
        search_index_update(ids)
    except DatabaseError:  # another writer holds the lock: serve what is indexed, try again next time
        return 0
    return len(ids)


def index_rebuild(*, embedder=True, progress: Callable[[str], None] | None = None) -> int:
    """Rebuild the whole lexical index and narrow rows from the catalogue, in batches; return the count."""
    with transaction.atomic():
        get_engine().delete(None)
        SearchRow.objects.all().delete()
        SearchDirty.objects.all().delete()
    ids = list(
        Practice.objects.filter(workflow_state=Practice.Workflow.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    started = time.monotonic()
    for start in range(0, len(ids), BATCH):
        search_index_update(ids[start : start + BATCH], embedder=embedder)
        if progress:
            progress(_progress_line("prácticas", start + BATCH, len(ids), started))
    known = set(SearchRow.objects.values_list("pk", flat=True))
    stale = SearchPassage.objects.exclude(practice_id__in=known) if len(known) < 50_000 else None
    if stale is not None and stale.exists():
        stale.delete()
        vectors_touch()
    return len(known)


def vectors_touch() -> None:
    """Give the vector set a new version token: every process reloads its matrix on its next query."""
    SearchMeta.objects.update_or_create(name="vectors", defaults={"value": uuid.uuid4().hex})


def _queued(embedder):
    """Return (every queued passage of this embedder, its headlines)."""
    pending = PendingPassage.objects.filter(model=embedder.name)
    return pending, pending.filter(key__in=SearchPassage.objects.filter(order=0).values("key"))


def vectors_pending(embedder) -> int:
    """Return how many passages wait for a vector from this embedder: past vectors.HEADLINES_ONLY_ABOVE
    passages, the headlines only (the others are not embedded at that size, see vectors_drain)."""
    pending, headlines = _queued(embedder)
    return (headlines if vectors.headlines_only() else pending).count()


def vectors_drain(
    *, embedder, batch: int = 64, limit: int | None = None, progress: Callable[[str], None] | None = None
) -> int:
    """Embed queued passages in batches (disk cache first), each batch stored in its own short transaction,
    never holding a lock while the model runs; return how many vectors were stored. Headlines go first:
    every practice is found by meaning after one short pass over the catalogue (0.28 h for 10,000 practices
    here by benchmarks/embed_speed.py, against 4.3 h for every passage), then the description and evidence
    passages, unless the catalogue is past vectors.HEADLINES_ONLY_ABOVE passages, where the retriever reads
    the headlines only:
    the others then stay queued, embedded if the catalogue shrinks back below it."""
    total = vectors_pending(embedder) if limit is None else min(limit, vectors_pending(embedder))
    done, started = 0, time.monotonic()
    touched, in_headlines = started, True
    pending, headlines = _queued(embedder)
    while limit is None or done < limit:
        rows = list(headlines.order_by("key").values_list("key", "text")[:batch])
        if not rows:
            if vectors.headlines_only():  # the retriever reads no other passage at this size: none embedded
                break
            rows = list(pending.order_by("key").values_list("key", "text")[:batch])
            # The serving processes read the vectors stored so far when the headlines are complete and then
            # every TOUCH_EVERY seconds, not only at the end of a drain that may last hours.
            if rows and done and (in_headlines or time.monotonic() - touched >= TOUCH_EVERY):
                vectors_touch()
                touched = time.monotonic()
            in_headlines = False
        if not rows:
            break
        found = {k: v for k, _ in rows if (v := semantic.disk_get(k)) is not None}
        todo = [(k, t) for k, t in rows if k not in found]
        if todo:
            computed = embedder.passages([t for _, t in todo])
            for (k, _), v in zip(todo, computed, strict=True):
                found[k] = v
                semantic.disk_put(k, v)
        with transaction.atomic():
            PassageVector.objects.bulk_create(
                [PassageVector(key=k, vector=semantic.to_bytes(v)) for k, v in found.items()],
                ignore_conflicts=True,
            )
            PendingPassage.objects.filter(key__in=[k for k, _ in rows]).delete()
        done += len(rows)
        if progress:
            progress(_progress_line("pasajes", done, total, started))
    if done:
        vectors_touch()
    return done


def _progress_line(what: str, done: int, total: int, started: float) -> str:
    done = min(done, total)
    elapsed = max(time.monotonic() - started, 1e-6)
    rate = done / elapsed
    eta = (total - done) / rate if rate else 0.0
    width = 30
    filled = int(width * done / total) if total else width
    return (
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {what}, {rate:.1f}/s, "
        f"ETA {int(eta // 60)}m{int(eta % 60):02d}s"
    )


def print_progress(line: str) -> None:
    """Write a progress line in place on stderr."""
    sys.stderr.write(line)
    sys.stderr.flush()
