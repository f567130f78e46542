"""Writes a parsed report into the database through the services, in one transaction, idempotently:
loading the same report twice changes nothing; a corrected report updates records in place."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.provenance import document_named
from buenaspracticas.catalog.services import ChangeCount
from buenaspracticas.curation import bulk
from buenaspracticas.curation import services as curation_services
from buenaspracticas.ingest.metadata import DocumentMeta
from buenaspracticas.ingest.parser import parse_file
from buenaspracticas.ingest.records import ParsedReport
from buenaspracticas.panorama import services as panorama_services


@dataclass
class LoadSummary:
    document: str
    practices: ChangeCount = field(default_factory=ChangeCount)
    panoramas: ChangeCount = field(default_factory=ChangeCount)
    verdicts: int = 0
    quality_flags: int = 0
    problems: list = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the summary as JSON-ready data."""
        return asdict(self)


def load_parsed(parsed: ParsedReport, *, sha256: str = "") -> LoadSummary:
    """Write every practice and panorama of a parsed report; return what changed. All or nothing."""
    summary = LoadSummary(document=parsed.document, problems=[asdict(p) for p in parsed.problems])
    with transaction.atomic():
        catalog_services.reference_sync()
        document, _ = catalog_services.document_upsert(
            slug=parsed.document,
            title=parsed.title,
            publisher=parsed.publisher,
            year=parsed.year,
            sha256=sha256,
            line_count=parsed.line_count,
        )
        origin = f"Informe: {document.title}"
        for record in parsed.practices:
            state = catalog_services.state_resolve(key=record.state_code)
            # The report is the first author of its records: their history starts here, as published.
            outcome, _ = bulk.practice_write(
                user=None,
                state=state,
                number=record.number,
                values={
                    "title": record.title,
                    "institution": record.institution,
                    "dimensions": record.dimensions,
                    "target_population": record.target_population,
                    "description": record.description,
                    "criteria": {
                        c: {
                            "verdict": a.verdict,
                            "evidence": a.evidence,
                            "split_confidence": a.split_confidence,
                        }
                        for c, a in record.criteria.items()
                    },
                    "status": record.status,
                    "beneficiaries": record.beneficiaries,
                    "source_table": record.source.table,
                },
                document=document,
                first_line=record.source.first_line,
                last_line=record.source.last_line,
                actor_label=origin,
                publish_new=True,
                reason_created=f"Cargado del informe {document_named(document)} (publicada)",
                reason=f"Actualizado por el informe corregido {document_named(document)}",
            )
            summary.practices.add(outcome, record.id)
            summary.verdicts += len(record.criteria)
        for pano in parsed.panoramas:
            state = catalog_services.state_resolve(key=pano.state_code)
            figures_before = curation_services.indicator_values(state=state)
            _, outcome = panorama_services.panorama_upsert(
                state=state,
                document=document,
                first_line=pano.source.first_line,
                last_line=pano.source.last_line,
                table=pano.source.table,
                indicators=[asdict(i) for i in pano.indicators],
                quality_flags=[asdict(f) for f in pano.quality_flags],
            )
            summary.panoramas.add(outcome, state.code)
            if outcome != "unchanged":
                curation_services.panorama_history_after_write(
                    state=state, before=figures_before, actor_label=origin, reason="Cargado del informe"
                )
            summary.quality_flags += len(pano.quality_flags)
        if summary.practices.changed_ids:
            from buenaspracticas.search.indexer import search_index_update_public

            search_index_update_public(summary.practices.changed_ids)
        if summary.practices.changed_ids or summary.panoramas.changed_ids:
            catalog_services.document_mark_loaded(document=document)
    if summary.practices.changed_ids:
        # Suggestions (population groups, GCM objectives) need the embedder: computed after the load has
        # committed, each written in a short transaction of its own; curators' decisions are kept.
        from buenaspracticas.recommend.services import suggestions_refresh

        suggestions_refresh(practice_ids=summary.practices.changed_ids)
    return summary


def load_file(
    path: str | Path, *, dry_run: bool = False, meta: DocumentMeta | None = None
) -> tuple[ParsedReport, LoadSummary | None]:
    """Parse the report at `path` (its metadata: `meta`, else the sidecar next to it) and, unless dry_run,
    load it; return the parse and the load summary."""
    parsed = parse_file(path, meta=meta)
    if dry_run:
        return parsed, None
    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    summary = load_parsed(parsed, sha256=sha)
    # The report's footnotes, as documents linked to the practices, panoramas and chapters citing them.
    from buenaspracticas.evidence.documents import documents_load_file

    documents_load_file(path=path, document=parsed.document)
    # The report's recommendations, tracked per state by the coordination space (idempotent).
    from buenaspracticas.coordination.services import recommendations_load

    recommendations_load(path=path)
    # The interviews the report says its tables rest on, and a findings row per practice (idempotent).
    from buenaspracticas.evidence.bulk import report_evidence_load

    report_evidence_load(path=path, parsed=parsed)
    return parsed, summary
