"""Writes a parsed report into the database through the services, in one transaction, idempotently:
loading the same report twice changes nothing; a corrected report updates records in place."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice
from buenaspracticas.catalog.services import ChangeCount
from buenaspracticas.curation import services as curation_services
from buenaspracticas.ingest.parser import REPORT_TITLE, parse_file
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
            slug=parsed.document, title=parsed.title or REPORT_TITLE, publisher="OIM / CONOFAM", year=2021,
            sha256=sha256, line_count=parsed.line_count,
        )
        origin = f"Informe: {document.title}"
        for record in parsed.practices:
            state = catalog_services.state_resolve(key=record.state_code)
            before = curation_services.practice_snapshot_before_write(state=state, number=record.number)
            practice, outcome = catalog_services.practice_upsert(
                state=state, number=record.number, title=record.title, institution=record.institution,
                dimensions=record.dimensions, target_population=record.target_population,
                description=record.description,
                criteria={c: {"verdict": a.verdict, "evidence": a.evidence} for c, a in record.criteria.items()},
                status=record.status, beneficiaries=record.beneficiaries,
                workflow_state=_loaded_workflow_state(state, record.number),
                document=document, first_line=record.source.first_line, last_line=record.source.last_line,
            )
            summary.practices.add(outcome, record.id)
            if outcome != "unchanged":
                # The report is the first author of its records: their history starts here, as published.
                curation_services.practice_history_after_write(
                    practice=practice, before=before, actor_label=origin,
                    reason=(f"Cargado del informe {document.slug} (publicada)" if before is None
                            else f"Actualizado por el informe corregido {document.slug}"))
            summary.verdicts += len(record.criteria)
        for pano in parsed.panoramas:
            state = catalog_services.state_resolve(key=pano.state_code)
            figures_before = curation_services.indicator_values(state=state)
            _, outcome = panorama_services.panorama_upsert(
                state=state, document=document, first_line=pano.source.first_line, last_line=pano.source.last_line,
                indicators=[asdict(i) for i in pano.indicators],
                quality_flags=[asdict(f) for f in pano.quality_flags],
            )
            summary.panoramas.add(outcome, state.code)
            if outcome != "unchanged":
                curation_services.panorama_history_after_write(state=state, before=figures_before,
                                                               actor_label=origin, reason="Cargado del informe")
            summary.quality_flags += len(pano.quality_flags)
        if summary.practices.changed_ids:
            from buenaspracticas.search.indexer import search_index_update

            search_index_update(Practice.objects.filter(
                public_id__in=summary.practices.changed_ids).values_list("pk", flat=True))
        if summary.practices.changed_ids or summary.panoramas.changed_ids:
            document.loaded_at = timezone.now()
            document.save(update_fields=["loaded_at"])
    if summary.practices.changed_ids:
        # Suggestions (population groups, GCM objectives) need the embedder: computed after the load has
        # committed, each written in a short transaction of its own; curators' decisions are kept.
        from buenaspracticas.recommend.services import suggestions_refresh

        suggestions_refresh(practice_ids=summary.practices.changed_ids)
    return summary


def _loaded_workflow_state(state, number: int) -> str | None:
    # Records from the report enter published; a practice already in curation keeps its workflow state.
    exists = Practice.objects.filter(state=state, number=number).exists()
    return None if exists else Practice.Workflow.PUBLISHED


def load_file(path: str | Path, *, dry_run: bool = False) -> tuple[ParsedReport, LoadSummary | None]:
    """Parse the report at `path` and, unless dry_run, load it; return the parse and the load summary."""
    parsed = parse_file(path)
    if dry_run:
        return parsed, None
    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    summary = load_parsed(parsed, sha256=sha)
    # The report's recommendations, tracked per state by the coordination space (idempotent).
    from buenaspracticas.coordination.services import recommendations_load

    recommendations_load(path=path)
    return parsed, summary
