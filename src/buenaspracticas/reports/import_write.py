"""Writing a validated import through the catalogue and panorama services, in one transaction; a dry run
does the same writes and rolls them back, so it reports exactly what would change."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.services import ChangeCount
from buenaspracticas.curation import bulk, history
from buenaspracticas.errors import AppError
from buenaspracticas.panorama import services as panorama_services
from buenaspracticas.reference import CRITERIA
from buenaspracticas.reports import selectors
from buenaspracticas.reports.importer import (
    ImportFileError,
    ImportPlan,
    Problem,
    read_import,
    read_import_path,
)


@dataclass
class ImportResult:
    file: str
    kind: str
    dry_run: bool
    documents: ChangeCount = field(default_factory=ChangeCount)
    practices: ChangeCount = field(default_factory=ChangeCount)
    panoramas: ChangeCount = field(default_factory=ChangeCount)
    findings: ChangeCount = field(default_factory=ChangeCount)

    def summary_lines(self) -> list[str]:
        """Return the human summary (Spanish through gettext) of what changed or would change."""
        from django.utils.translation import gettext as _

        lines = []
        for label, count in (
            (_("documentos"), self.documents),
            (_("prácticas"), self.practices),
            (_("panoramas"), self.panoramas),
            (_("hallazgos"), self.findings),
        ):
            lines.append(
                _("  %(label)s: %(c)s creados, %(u)s actualizados, %(n)s sin cambios")
                % {"label": label, "c": count.created, "u": count.updated, "n": count.unchanged}
            )
            if count.changed_ids:
                lines.append("    " + ", ".join(count.changed_ids))
        if self.dry_run:
            lines.append(_("  (simulación: la base de datos no se modificó)"))
        return lines


class _Rollback(Exception):
    pass


def _text(value) -> str:
    return "" if value is None else str(value)


def import_apply(plan: ImportPlan, *, user=None, dry_run: bool = False) -> ImportResult:
    """Write a validated plan (documents, practices, panoramas); all or nothing. A dry run rolls back."""
    result = ImportResult(file=plan.file, kind=plan.kind, dry_run=dry_run)
    current = None
    try:
        with transaction.atomic():
            catalog_services.reference_sync()
            docs = {}
            for r in plan.rows("documents"):
                current = r
                v = r.values
                doc, outcome = catalog_services.document_upsert(
                    slug=v["slug"],
                    title=v["title"],
                    publisher=_text(v["publisher"]),
                    year=v["year"],
                    sha256=_text(v["sha256"]),
                    line_count=v["line_count"] or 0,
                )
                docs[doc.slug] = doc
                result.documents.add(outcome, doc.slug)

            def document(slug):
                if not slug:
                    return None
                if slug not in docs:
                    docs[slug] = selectors.document_get(slug=slug)
                return docs[slug]

            for r in plan.rows("practices"):
                current = r
                v = r.values
                state = catalog_services.state_resolve(key=v["state_code"])
                outcome, public_id = bulk.practice_write(
                    user=user,
                    state=state,
                    number=v["number"],
                    values=_practice_values(v),
                    reason=_reason(plan),
                    document=document(v["source_document"]),
                    first_line=v["source_first_line"],
                    last_line=v["source_last_line"],
                )
                result.practices.add(outcome, public_id)
            _write_panoramas(plan, result, document, user=user)
            for r in plan.rows("findings"):
                current = r
                _write_finding(r.values, result, document, user=user)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except AppError as exc:
        where = current
        problem = Problem(
            where.sheet if where else plan.file, where.row if where else None, exc.field, exc.message
        )
        raise ImportFileError([problem], file=plan.file) from exc
    if not dry_run and result.practices.changed_ids:
        # As after a report's load: suggestions for the new or changed practices, outside the import's
        # transaction (curators' decisions are kept).
        from buenaspracticas.recommend.services import suggestions_refresh

        suggestions_refresh(practice_ids=result.practices.changed_ids)
    return result


def _practice_values(v: dict) -> dict:
    """Return an import row as the ficha fields the catalogue and curation services take."""
    return {
        "title": _text(v["title"]),
        "institution": _text(v["institution"]),
        "dimensions": v["dimensions"],
        "target_population": _text(v["target_population"]),
        "description": _text(v["description"]),
        "criteria": {
            c: {"verdict": v[c] or "unknown", "evidence": _text(v[f"{c}_evidence"])} for c in CRITERIA
        },
        "status": v["status"] or "active",
        "beneficiaries": v["beneficiaries"],
        # The document's table number, when the file carries the column (kept as stored otherwise).
        **({"source_table": v["source_table"]} if "source_table" in v else {}),
    }


def _reason(plan: ImportPlan) -> str:
    return f"Importado de {Path(plan.file).name}"


def _write_finding(v: dict, result: ImportResult, document, *, user=None) -> None:
    """Write one findings row through the evidence service (its excerpts and documents stay as curated)."""
    from buenaspracticas.evidence.bulk import finding_import

    data = {
        k: _text(v[k])
        for k in ("programme", "impacts", "results", "validity", "continuity", "suspended_reason")
    }
    data.update(practice=v["practice_id"] or None, suspended=bool(v["suspended"]))
    outcome = finding_import(
        user=user,
        state_key=v["state_code"],
        data=data,
        document=document(v["source_document"]),
        first_line=v["source_first_line"],
        last_line=v["source_last_line"],
    )
    result.findings.add(outcome, f"{v['state_code']}:{v['practice_id'] or v['programme']}")


def _write_panoramas(plan: ImportPlan, result: ImportResult, document, *, user=None) -> None:
    figures: dict[tuple[str, str], list[dict]] = {}
    for r in plan.rows("indicators"):
        v = r.values
        figures.setdefault((v["state_code"], v["document"]), []).append(
            {
                "key": v["key"],
                "label": _text(v["label"]),
                "value": v["value"],
                "unit": v["unit"],
                "period": _text(v["period"]),
                "source": _text(v["source"]),
                "note": _text(v["note"]),
                "line": v["line"],
            }
        )
    has_flags = "quality_flags" in plan.tables
    flags: dict[tuple[str, str], list[dict]] = {}
    for r in plan.rows("quality_flags"):
        v = r.values
        flags.setdefault((v["state_code"], v["document"]), []).append(
            {
                "kind": v["kind"],
                "indicators": [i for i in _text(v["indicators"]).split(";") if i],
                "message": v["message"],
                "first_line": v["first_line"],
                "last_line": v["last_line"],
            }
        )
    lines = {(r.values["code"], r.values["panorama_document"]): r.values for r in plan.rows("states")}
    for (code, slug), items in figures.items():
        state = catalog_services.state_resolve(key=code)
        existing = selectors.panorama_meta(state_code=code, document=slug) or {}
        span = lines.get((code, slug))
        first = span["panorama_first_line"] if span else existing.get("first_line")
        last = span["panorama_last_line"] if span else existing.get("last_line")
        wanted_flags = flags.get((code, slug), []) if has_flags else existing.get("quality_flags", [])
        before = history.indicator_values(state=state)
        _, outcome = panorama_services.panorama_upsert(
            state=state,
            document=document(slug),
            first_line=first,
            last_line=last,
            indicators=items,
            quality_flags=wanted_flags,
            **({"table": span["panorama_table"]} if span and "panorama_table" in span else {}),
        )
        history.panorama_history_after_write(state=state, before=before, actor=user, reason=_reason(plan))
        result.panoramas.add(outcome, code)


def import_file(path: str | Path, *, user=None, dry_run: bool = False) -> ImportResult:
    """Validate the import file at `path` entirely, then write it (or simulate with dry_run)."""
    known = {d["slug"] for d in selectors.document_list()}
    plan = read_import_path(path, user=user, known_documents=known)
    return import_apply(plan, user=user, dry_run=dry_run)


def import_bytes(data: bytes, *, name: str, user=None, dry_run: bool = False) -> ImportResult:
    """Validate an uploaded file's bytes entirely, then write it (or simulate with dry_run)."""
    known = {d["slug"] for d in selectors.document_list()}
    plan = read_import(data, name=name, user=user, known_documents=known)
    return import_apply(plan, user=user, dry_run=dry_run)
