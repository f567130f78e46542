"""Provenance as people cite it: the document by its title, publisher and year, then the table (cuadro) and
the practice, state panorama or recommendation, then the lines — «Informe "Buenas prácticas…" (OIM / CONOFAM,
2021), cuadro 2, práctica 2 · líneas 641–787». One presenter for the pages, the offline package and the
PDFs (rendered by the partial web/_provenance.html); a record's `source` dict (document slug, first_line,
last_line, table) and the source documents (one query, then cached) are its inputs; never a file slug."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from buenaspracticas.catalog.models import SourceDocument
from buenaspracticas.data_version import current as data_version

PRACTICE = "practice"
PANORAMA = "panorama"
RECOMMENDATION = "recommendation"


def documents_by_slug(slugs: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Return {slug: {slug, title, publisher, year}} of the source documents (those named, or all): one
    query."""
    docs = SourceDocument.objects.all()
    if slugs is not None:
        docs = docs.filter(slug__in=list(slugs))
    return {d["slug"]: d for d in docs.values("slug", "title", "publisher", "year")}


# The pages cite from a copy of the (few) source documents, so a page reads no more than it did. When the
# response cache knows the request's data version (buenaspracticas.data_version), the copy is this process's
# own, kept under that version: a page the response cache keeps is never built from an older copy. Otherwise
# (signed-in readers, a write in the last second) the copy sits in Django's cache for a minute; saving or
# deleting a document drops it (in every process sharing the cache; with the default per-process cache, the
# others see the change within the minute, and the response cache keeps none of those pages).
_KEY = "catalog.provenance.documents"
_KEEP_SECONDS = 60
_by_version: dict[tuple, dict[str, dict[str, Any]]] = {}


def documents_cached(slugs: Iterable[str] = ()) -> dict[str, dict[str, Any]]:
    """Return documents_by_slug() from the cached copy, read again when it is missing or lacks one of
    `slugs`."""
    version = data_version.get()
    if version is not None:
        documents = _by_version.get(version)
        if documents is None or any(s not in documents for s in slugs):
            documents = documents_by_slug()
            _by_version.clear()  # only the current version is worth keeping
            _by_version[version] = documents
        return documents
    documents = cache.get(_KEY)
    if documents is None or any(s not in documents for s in slugs):
        documents = documents_by_slug()
        cache.set(_KEY, documents, _KEEP_SECONDS)
    return documents


def documents_forget(**_kwargs) -> None:
    """Drop the cached copy of the source documents (a document was saved or deleted)."""
    cache.delete(_KEY)


post_save.connect(documents_forget, sender=SourceDocument, dispatch_uid="provenance-documents-saved")
post_delete.connect(documents_forget, sender=SourceDocument, dispatch_uid="provenance-documents-deleted")


def document_named(document: SourceDocument) -> str:
    """Return how history lines name a source document: its title in quotes, its slug only when untitled."""
    return f"«{document.title}»" if document.title else document.slug


def _plain_title(title: str, publisher: str) -> str:
    """Return the title without a trailing "(OIM/CONOFAM)" that repeats the publisher cited after it."""
    if publisher and title.endswith(")") and "(" in title:
        inside = title[title.rfind("(") + 1 : -1]
        if inside.replace(" ", "").lower() == publisher.replace(" ", "").lower():
            return title[: title.rfind("(")].rstrip()
    return title


def citation(
    source: dict[str, Any] | None,
    *,
    documents: dict[str, dict[str, Any]],
    kind: str = "",
    number: int | None = None,
    place: str = "",
) -> dict[str, Any] | None:
    """Return how to cite a record: its `source` with the document's title, publisher and year, the
    record's `kind` (practice | panorama | recommendation | "" for a passage), `number` and `place` (the
    state's name) and `text`, the citation in the active language; None without a source."""
    if not source or not source.get("document"):
        return None
    doc = documents.get(source["document"]) or {}
    publisher = doc.get("publisher") or ""
    cited = {
        **source,
        "title": _plain_title(doc.get("title") or source["document"], publisher),
        "publisher": publisher,
        "year": doc.get("year"),
        "table": source.get("table"),
        "kind": kind,
        "number": number,
        "place": place,
    }
    cited["text"] = citation_text(cited)
    return cited


def citation_text(c: dict[str, Any]) -> str:
    """Return the citation of `c` (a dict from `citation`) as one translated string."""
    details = ", ".join(str(x) for x in (c.get("publisher"), c.get("year")) if x)
    if details:
        parts = [_('Informe "%(title)s" (%(details)s)') % {"title": c["title"], "details": details}]
    else:
        parts = [_('Informe "%(title)s"') % {"title": c["title"]}]
    table, number, place = c.get("table"), c.get("number"), c.get("place")
    if table:
        parts.append(_("cuadro %(n)s") % {"n": table})
    kind = c.get("kind")
    if kind == PRACTICE and number:
        if table or not place:
            parts.append(_("práctica %(n)s") % {"n": number})
        else:  # without the table, the state tells which practice numbered n
            parts.append(_("práctica %(n)s de %(state)s") % {"n": number, "state": place})
    elif kind == PANORAMA and place:
        parts.append(_("panorama migratorio de %(state)s") % {"state": place})
    elif kind == RECOMMENDATION and number:
        parts.append(_("recomendación %(n)s") % {"n": number})
    text = ", ".join(parts)
    first, last = c.get("first_line"), c.get("last_line")
    if first and last and last != first:
        text += " · " + _("líneas %(a)s–%(b)s") % {"a": first, "b": last}
    elif first:
        text += " · " + _("línea %(a)s") % {"a": first}
    return text
