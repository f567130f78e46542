"""Citations on criterion verdicts: what a verdict rests on (an interview excerpt, a document with a locator,
or a row of the findings matrix).

Writes: `citations_clean` checks a request's citations for the caller and `citations_replace` stores them;
both are called by curation.services.criterion_assess, which checks the caller's role first and records the
history. Reads: `with_citations` adds `criteria[c].citations` to Practice JSON for one reader; an excerpt
above the reader's consent level comes out as {"reserved": true}, here and only here."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from buenaspracticas.catalog.models import Assessment
from buenaspracticas.errors import ValidationError
from buenaspracticas.evidence.models import Citation, Document, Excerpt, Finding
from buenaspracticas.evidence.selectors import consent_levels, excerpts_visible, public_levels

KINDS = ("excerpt", "document", "finding")
MAX_CITATIONS = 50
LOCATOR_MAX_LENGTH = 200


def _ident(value, *, field: str) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"«{field}» debe ser el número (id) de lo que se cita.", field=field)
    return value


def citations_clean(*, user, citations, kept: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Return `citations` checked for `user` as a list of refs ({"excerpt": id} | {"document": id,
    "locator": str} | {"finding": id}), duplicates dropped; raise ValidationError naming the field. An
    excerpt the caller may not read is refused as if it did not exist, unless the verdict already cites it
    (`kept`): an evaluator re-saving a verdict keeps the coordination's reserved citations."""
    if not isinstance(citations, list):
        raise ValidationError(
            '«citations» debe ser una lista de citas: {"excerpt": id}, {"document": id, "locator": '
            '"art. 12"} o {"finding": id}.',
            field="citations",
        )
    if len(citations) > MAX_CITATIONS:
        raise ValidationError(f"Una valoración cita como máximo {MAX_CITATIONS} fuentes.", field="citations")
    refs: list[dict[str, Any]] = []
    for i, c in enumerate(citations):
        field = f"citations[{i}]"
        if not isinstance(c, dict):
            raise ValidationError(
                f"«{field}» debe ser un objeto con excerpt, document o finding.", field=field
            )
        named = [k for k in KINDS if k in c]
        unknown = sorted(str(k) for k in c if k not in (*KINDS, "locator"))
        if unknown:
            raise ValidationError(f"Campos desconocidos en «{field}»: {', '.join(unknown)}.", field=field)
        if len(named) != 1:
            raise ValidationError(
                f"«{field}» debe citar exactamente una cosa: excerpt, document o finding.", field=field
            )
        kind = named[0]
        ident = _ident(c[kind], field=f"{field}.{kind}")
        ref: dict[str, Any] = {kind: ident}
        if kind == "document":
            locator = c.get("locator", "")
            if locator is None:
                locator = ""
            if not isinstance(locator, str) or len(locator) > LOCATOR_MAX_LENGTH:
                raise ValidationError(
                    f"«{field}.locator» debe ser un texto breve (página, línea o artículo, hasta "
                    f"{LOCATOR_MAX_LENGTH} caracteres).",
                    field=f"{field}.locator",
                )
            ref["locator"] = " ".join(locator.split())
        elif "locator" in c:
            raise ValidationError(
                f"«{field}.locator» solo acompaña a un documento.", field=f"{field}.locator"
            )
        if ref not in refs:
            refs.append(ref)
    _check_exist(user=user, refs=refs, kept={r["excerpt"] for r in kept or [] if "excerpt" in r})
    return refs


def _check_exist(*, user, refs: list[dict[str, Any]], kept: set[int]) -> None:
    wanted = {k: {r[k] for r in refs if k in r} for k in KINDS}
    readable = excerpts_visible(user).filter(pk__in=wanted["excerpt"] - kept).values_list("pk", flat=True)
    still_there = Excerpt.objects.filter(pk__in=wanted["excerpt"] & kept).values_list("pk", flat=True)
    found = {
        "excerpt": {*readable, *still_there},
        "document": set(Document.objects.filter(pk__in=wanted["document"]).values_list("pk", flat=True)),
        "finding": set(Finding.objects.filter(pk__in=wanted["finding"]).values_list("pk", flat=True)),
    }
    names = {"excerpt": "el extracto de entrevista", "document": "el documento", "finding": "el hallazgo"}
    for i, ref in enumerate(refs):
        kind = next(k for k in KINDS if k in ref)
        if ref[kind] not in found[kind]:
            raise ValidationError(
                f"No existe {names[kind]} {ref[kind]} (o usted no puede consultarlo).",
                field=f"citations[{i}].{kind}",
            )


def assessment_citation_refs(assessment: Assessment | None) -> list[dict[str, Any]]:
    """Return an assessment's citations as refs, in order (the shape citations_clean returns)."""
    if assessment is None:
        return []
    return [_ref(c) for c in assessment.citations.all()]


def _ref(c: Citation) -> dict[str, Any]:
    if c.excerpt_id:
        return {"excerpt": c.excerpt_id}
    if c.document_id:
        return {"document": c.document_id, "locator": c.locator}
    return {"finding": c.finding_id}


def citations_replace(*, assessment: Assessment, refs: list[dict[str, Any]]) -> bool:
    """Make `refs` (already cleaned) the citations of `assessment`; return True if anything changed."""
    if assessment_citation_refs(assessment) == refs:
        return False
    assessment.citations.all().delete()
    Citation.objects.bulk_create(
        Citation(
            assessment=assessment,
            excerpt_id=ref.get("excerpt"),
            document_id=ref.get("document"),
            finding_id=ref.get("finding"),
            locator=ref.get("locator", ""),
            order=i,
        )
        for i, ref in enumerate(refs)
    )
    return True


def practice_citation_refs(*, practice_pk: int) -> dict[str, list[dict[str, Any]]]:
    """Return {criterion code: refs} for the criteria of a practice that cite anything."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in Citation.objects.filter(assessment__practice_id=practice_pk).select_related(
        "assessment__criterion"
    ):
        out[c.assessment.criterion.code].append(_ref(c))
    return dict(out)


def citation_json(c: Citation, *, levels: tuple[str, ...]) -> dict[str, Any]:
    """Return one citation as the reader with consent `levels` may see it."""
    if c.excerpt_id:
        if c.excerpt.consent not in levels:
            return {"reserved": True}
        return {"excerpt": c.excerpt_id, "text": c.excerpt.text, "module": c.excerpt.module}
    if c.document_id:
        return {
            "document": c.document_id,
            "locator": c.locator,
            "text": c.document.text,
            "url": c.document.url,
        }
    return {"finding": c.finding_id, "programme": c.finding.programme}


def citations_for(*, practice_ids: list[str], user=None) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Return {practice id: {criterion: citations as `user` may see them}} (one query; None = a visitor)."""
    # None is the public (exports, packages), never the system: consent_levels(None) would read everything.
    levels = public_levels() if user is None else consent_levels(user)
    out: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        Citation.objects.filter(assessment__practice__public_id__in=list(practice_ids))
        .select_related("assessment__criterion", "assessment__practice", "excerpt", "document", "finding")
        .order_by("assessment_id", "order", "pk")
    )
    for c in rows:
        out[c.assessment.practice.public_id][c.assessment.criterion.code].append(
            citation_json(c, levels=levels)
        )
    return out


def with_citations(items: list[dict[str, Any]], *, user=None) -> list[dict[str, Any]]:
    """Add `criteria[c].citations` to each Practice JSON, filtered for `user`'s consent level (None: a
    visitor, as in exports and packages); return the items."""
    found = citations_for(practice_ids=[p["id"] for p in items], user=user) if items else {}
    for item in items:
        mine = found.get(item["id"], {})
        item["criteria"] = {
            code: {**criterion, "citations": list(mine.get(code, []))}
            for code, criterion in item.get("criteria", {}).items()
        }
    return items


def safe_href(url: str) -> str:
    """Return `url` when it is a web address a page may link to, else ""."""
    return url if (url or "").lower().startswith(("http://", "https://")) else ""


def citations_view(citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return citations JSON with what a page shows besides: the module's label and a safe link."""
    from buenaspracticas.evidence.models import Module

    out = []
    for c in citations:
        extra: dict[str, Any] = {}
        if c.get("module") in Module.values:
            extra["module_label"] = Module(c["module"]).label
        if c.get("url"):
            extra["href"] = safe_href(c["url"])
        out.append({**c, **extra})
    return out
