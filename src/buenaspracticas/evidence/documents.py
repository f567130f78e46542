"""Source documents: the report's footnotes loaded as Documents and linked to where their markers stand
(a practice's lines, a state's panorama lines, or a chapter), and the reads that list them.

The load is idempotent (loading the same report twice changes nothing) and runs in one transaction."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice, SourceDocument, State
from buenaspracticas.errors import NotFound, ValidationError
from buenaspracticas.evidence.models import Citation, Document, DocumentLink

# A chapter heading of the report: a line that starts with one space and an upper-case word
# (" CONSIDERACIONES METODOLÓGICAS", " BAJA CALIFORNIA"); tables ("CUADRO 2 …") are not chapters.
_HEADING = re.compile(r"^ (?!CUADRO\b)([A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ ,.]{2,})\s*$")

MAX_LIMIT = 500


def _chapters(lines: Sequence[str]) -> list[tuple[int, str]]:
    """Return (line number, heading) of the report's chapter headings, in order."""
    out = []
    for number, line in enumerate(lines, start=1):
        m = _HEADING.match(line)
        if m:
            out.append((number, " ".join(m.group(1).split())))
    return out


def _chapter_at(chapters: list[tuple[int, str]], line: int) -> str:
    title = ""
    for number, heading in chapters:
        if number > line:
            break
        title = heading
    return title


def _target(line: int, *, practices, panoramas, chapters, states) -> dict[str, Any]:
    """Return where a marker at `line` stands: the narrowest practice, else a panorama's state, else the
    chapter (with its state when the chapter is a state's)."""
    holding = [p for p in practices if p[1] <= line <= p[2]]
    if holding:
        return {"practice_id": min(holding, key=lambda p: p[2] - p[1])[0], "state_id": None, "chapter": ""}
    for state_id, first, last in panoramas:
        if first <= line <= last:
            return {"practice_id": None, "state_id": state_id, "chapter": ""}
    chapter = _chapter_at(chapters, line)
    return {"practice_id": None, "state_id": states.get(chapter), "chapter": chapter}


def _clip(value: str, n: int) -> str:
    return (value or "")[:n]


@transaction.atomic
def documents_load(*, source: SourceDocument, lines: Sequence[str]) -> dict[str, int]:
    """Read the report's footnotes and make each a Document of `source`, linked to the practices,
    panoramas or chapters whose text carries its marker; return counts (read, created, updated, links,
    unlinked). Loading the same report twice changes nothing."""
    from buenaspracticas.ingest.footnotes import read_footnotes

    footnotes, markers = read_footnotes(list(lines))
    counts = {"read": 0, "created": 0, "updated": 0, "links": 0, "unlinked": 0}
    existing = {d.footnote: d for d in Document.objects.filter(source=source, footnote__isnull=False)}
    by_number: dict[int, Document] = {}
    for fn in sorted(footnotes, key=lambda f: (f.number, f.first_line)):
        if fn.number in by_number:
            continue  # a number read twice keeps its first note
        counts["read"] += 1
        values = {
            "kind": fn.kind if fn.kind in Document.Kind.values else Document.Kind.NOTE,
            "text": fn.text,
            "title": _clip(fn.title, 500),
            "issuer": _clip(fn.issuer, 300),
            "year": fn.year if fn.year and 0 < fn.year < 32768 else None,
            "url": _clip(fn.url, 1000),
            "first_line": fn.first_line,
            "last_line": fn.last_line,
        }
        doc = existing.get(fn.number)
        if doc is None:
            doc = Document.objects.create(source=source, footnote=fn.number, **values)
            counts["created"] += 1
        elif catalog_services.set_fields(doc, values):
            doc.save()
            counts["updated"] += 1
        by_number[fn.number] = doc
    for fn in footnotes:
        doc = by_number.get(fn.number)
        if doc is None or doc.first_line != fn.first_line:
            continue
        target = by_number.get(fn.refers_to) if fn.refers_to else None
        refers_to_id = target.pk if target is not None and target.pk != doc.pk else None
        if doc.refers_to_id != refers_to_id:
            doc.refers_to_id = refers_to_id
            doc.save(update_fields=["refers_to"])
            counts["updated"] += 1
    counts["links"], counts["unlinked"] = _links_sync(
        source=source, markers=markers, lines=lines, by_number=by_number
    )
    return counts


def _links_sync(*, source, markers, lines, by_number) -> tuple[int, int]:
    from buenaspracticas.panorama.models import Panorama

    practices = list(
        Practice.objects.filter(source_document=source, source_first_line__isnull=False).values_list(
            "pk", "source_first_line", "source_last_line"
        )
    )
    panoramas = list(
        Panorama.objects.filter(document=source, first_line__isnull=False).values_list(
            "state_id", "first_line", "last_line"
        )
    )
    chapters = _chapters(lines)
    states = {" ".join(s.name.upper().split()): s.pk for s in State.objects.all()}
    wanted: set[tuple] = set()
    for m in markers:
        doc = by_number.get(m.number)
        if doc is None:
            continue
        t = _target(m.line, practices=practices, panoramas=panoramas, chapters=chapters, states=states)
        wanted.add((doc.pk, t["practice_id"], t["state_id"], t["chapter"], m.line))
    have = {
        (link.document_id, link.practice_id, link.state_id, link.chapter, link.line): link.pk
        for link in DocumentLink.objects.filter(document__source=source)
    }
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        DocumentLink.objects.filter(pk__in=stale).delete()
    DocumentLink.objects.bulk_create(
        DocumentLink(document_id=d, practice_id=p, state_id=s, chapter=c, line=n)
        for (d, p, s, c, n) in sorted(wanted - set(have), key=lambda k: (k[4], k[0]))
    )
    linked = {key[0] for key in wanted}
    return len(wanted), sum(1 for d in by_number.values() if d.pk not in linked)


# ---------------------------------------------------------------- reads


def _published_practice_ids(doc_ids: list[int]) -> dict[int, list[str]]:
    """Return {document pk: public ids of the published practices citing it (marker or verdict)}."""
    out: dict[int, list[str]] = defaultdict(list)
    published = Practice.Workflow.PUBLISHED
    rows = list(
        DocumentLink.objects.filter(
            document_id__in=doc_ids, practice__isnull=False, practice__workflow_state=published
        ).values_list("document_id", "practice__public_id", "practice__state__name", "practice__number")
    ) + list(
        Citation.objects.filter(
            document_id__in=doc_ids, assessment__practice__workflow_state=published
        ).values_list(
            "document_id",
            "assessment__practice__public_id",
            "assessment__practice__state__name",
            "assessment__practice__number",
        )
    )
    for doc_id, public_id, _state, _number in sorted(rows, key=lambda r: (r[0], r[2], r[3])):
        if public_id not in out[doc_id]:
            out[doc_id].append(public_id)
    return out


def document_to_json(doc: Document, *, cited_by: list[str]) -> dict[str, Any]:
    """Return one document in the API's shape."""
    return {
        "id": doc.pk,
        "kind": doc.kind,
        "footnote": doc.footnote,
        "text": doc.text,
        "title": doc.title,
        "url": doc.url,
        "issuer": doc.issuer,
        "year": doc.year,
        "first_line": doc.first_line,
        "last_line": doc.last_line,
        "refers_to": doc.refers_to_id,
        "cited_by": cited_by,
    }


def document_list(
    *,
    practice: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """Return {"count", "items"}: the documents cited by a published practice (`practice`, its public id),
    by a state's panorama, chapter or practices (`state`, code or slug), of a kind, or whose text, title
    or issuer contains `q`; in the report's order."""
    docs = Document.objects.all()
    if practice:
        docs = docs.filter(
            Q(
                links__practice__public_id=practice,
                links__practice__workflow_state=Practice.Workflow.PUBLISHED,
            )
            | Q(
                citations__assessment__practice__public_id=practice,
                citations__assessment__practice__workflow_state=Practice.Workflow.PUBLISHED,
            )
        )
    if state:
        try:
            found = catalog_services.state_resolve(key=state)
        except NotFound as exc:
            raise ValidationError(exc.message, field="state") from None
        docs = docs.filter(
            Q(links__state=found)
            | Q(links__practice__state=found, links__practice__workflow_state=Practice.Workflow.PUBLISHED)
        )
    if kind:
        if kind not in Document.Kind.values:
            raise ValidationError(
                f"Tipo de documento desconocido «{kind}» (válidos: {', '.join(Document.Kind.values)}).",
                field="kind",
            )
        docs = docs.filter(kind=kind)
    if q and q.strip():
        for word in q.split():
            docs = docs.filter(Q(text__icontains=word) | Q(title__icontains=word) | Q(issuer__icontains=word))
    ids = docs.values("pk").distinct()
    page_qs = Document.objects.filter(pk__in=ids).order_by("source_id", "footnote", "pk")
    page = list(page_qs[offset : offset + min(max(limit, 0), MAX_LIMIT)])
    # The count of a first page that holds everything is its length (the pages list all of a practice's).
    count = len(page) if offset == 0 and len(page) < min(max(limit, 0), MAX_LIMIT) else page_qs.count()
    cited = _published_practice_ids([d.pk for d in page])
    return {"count": count, "items": [document_to_json(d, cited_by=cited.get(d.pk, [])) for d in page]}


def _for_page(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return document items with what a page shows besides: the kind's label, a safe link and, for
    «Ídem» / «Op. cit.», the number of the note referred to."""
    from buenaspracticas.evidence.citations import safe_href

    referred = dict(
        Document.objects.filter(pk__in=[d["refers_to"] for d in items if d["refers_to"]]).values_list(
            "pk", "footnote"
        )
    )
    return [
        {
            **d,
            "kind_label": Document.Kind(d["kind"]).label,
            "href": safe_href(d["url"]),
            "refers_to_footnote": referred.get(d["refers_to"]),
        }
        for d in items
    ]


def practice_documents(*, practice_id: str) -> list[dict[str, Any]]:
    """Return, for the ficha, the documents a published practice cites (its footnotes and its verdicts')."""
    return _for_page(document_list(practice=practice_id, limit=MAX_LIMIT)["items"])


def state_documents(*, key: str) -> list[dict[str, Any]]:
    """Return, for the state page, the documents its panorama, chapter and published practices cite."""
    return _for_page(document_list(state=key, limit=MAX_LIMIT)["items"])


def documents_load_file(*, path, document: str) -> dict[str, int]:
    """Load the footnotes of the report at `path` (already loaded as SourceDocument `document`) as
    documents; return the counts of documents_load."""
    from buenaspracticas.ingest.text import load_report

    source = SourceDocument.objects.get(slug=document)
    return documents_load(source=source, lines=load_report(path, document=document).lines)
