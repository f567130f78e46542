"""Bulk writes of evidence: what a loaded report says about its interviews and programmes (the findings
matrix), and findings rows brought back by an import. Same rules and history as the services of one record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice, SourceDocument, State
from buenaspracticas.catalog.provenance import document_named
from buenaspracticas.coordination import validation as v
from buenaspracticas.curation import permissions
from buenaspracticas.curation.history import history_record
from buenaspracticas.curation.models import HistoryEntry
from buenaspracticas.evidence.models import Finding, Interview
from buenaspracticas.evidence.services import (
    FINDING_FIELDS,
    check_can_record_evidence,
    finding_snapshot,
    finding_values,
    institution_for,
    interview_snapshot,
)


@transaction.atomic
def report_evidence_load(*, path: str | Path, parsed=None, user=None) -> dict[str, Any]:
    """Create or update, from the report at `path`, the interviews its tables say they were complemented by
    and one findings row per practice (suspended, with the report's sentence, when it says so); idempotent.
    Return {"interviews": {"created", "updated", "unchanged"}, "findings": {…}}."""
    from buenaspracticas.evidence.report_evidence import interview_statements, suspension_quote
    from buenaspracticas.ingest.parser import parse_report
    from buenaspracticas.ingest.text import load_report

    if user is not None:
        permissions.check_is_coordinator(user, "cargar la evidencia de un informe")
    report = load_report(path)
    parsed = parsed if parsed is not None else parse_report(report)
    document = SourceDocument.objects.filter(slug=report.document).first()
    if document is None:
        document, _ = catalog_services.document_upsert(
            slug=report.document, title=parsed.title or report.document
        )
    origin = f"Informe: {document.title}"
    summary = {k: {"created": 0, "updated": 0, "unchanged": 0} for k in ("interviews", "findings")}
    states = {s.code: s for s in State.objects.all()}
    for st in interview_statements(report):
        state = states[st.state_code]
        # A report's wording of who was interviewed ("la Oficina de Atención a Migrantes (OFAM) del estado")
        # names an institution of the catalogue or none: it never adds one (its words stay in the notes).
        institution = institution_for(state, st.institution, create=False)
        interview = (
            Interview.objects.select_for_update()
            .filter(source=document, state=state, institution=institution)
            .first()
        )
        values = {"notes": st.text, "source_first_line": st.first_line, "source_last_line": st.last_line}
        before = None
        if interview is None:
            interview = Interview.objects.create(
                state=state, institution=institution, source=document, **values
            )
            outcome = "created"
        elif catalog_services.set_fields(interview, values):
            before = interview_snapshot(Interview.objects.get(pk=interview.pk))
            interview.save()
            outcome = "updated"
        else:
            summary["interviews"]["unchanged"] += 1
            continue
        summary["interviews"][outcome] += 1
        history_record(
            kind=HistoryEntry.Kind.INTERVIEW,
            state=state,
            actor=user,
            actor_label=origin,
            reason=f"Cargada del informe {document.slug}",
            before=before,
            after=interview_snapshot(interview),
        )
    for record in parsed.practices:
        practice = Practice.objects.filter(state__code=record.state_code, number=record.number).first()
        if practice is None:
            continue
        quote = suspension_quote(report, record)
        values = {
            "programme": practice.title,
            "suspended": quote is not None,
            "suspended_reason": quote.text if quote else "",
            "source_first_line": quote.first_line if quote else record.source.first_line,
            "source_last_line": quote.last_line if quote else record.source.last_line,
        }
        finding = Finding.objects.select_for_update().filter(source=document, practice=practice).first()
        before = None
        if finding is None:
            finding = Finding.objects.create(
                state=practice.state, practice=practice, source=document, **values
            )
            outcome = "created"
        elif catalog_services.set_fields(finding, values):
            before = finding_snapshot(Finding.objects.get(pk=finding.pk))
            finding.save()
            outcome = "updated"
        else:
            summary["findings"]["unchanged"] += 1
            continue
        summary["findings"][outcome] += 1
        history_record(
            kind=HistoryEntry.Kind.FINDING,
            state=practice.state,
            actor=user,
            actor_label=origin,
            reason=f"Cargado del informe {document_named(document)}",
            before=before,
            after=finding_snapshot(finding),
        )
    return summary


@transaction.atomic
def finding_import(
    *,
    user,
    state_key: str,
    data: dict,
    document=None,
    first_line: int | None = None,
    last_line: int | None = None,
) -> str:
    """Write one findings row from a bulk import (an exported matrix brought back): the row of the same
    practice (or, without one, the same programme) in the state is updated, else one is created; its links
    to excerpts and documents are kept. Return 'created' | 'updated' | 'unchanged'; history as for any
    edit."""
    state = catalog_services.state_resolve(key=state_key)
    check_can_record_evidence(user, state.code)
    data = v.require_object(data)
    v.reject_unknown(data, FINDING_FIELDS)
    values = finding_values({**data, "excerpts": [], "documents": []}, state, user=user, creating=True)
    values.pop("excerpts"), values.pop("documents")
    values.update(source=document, source_first_line=first_line, source_last_line=last_line)
    key = (
        {"practice": values["practice"]}
        if values["practice"]
        else {"practice__isnull": True, "programme": values["programme"]}
    )
    finding = Finding.objects.filter(state=state, **key).order_by("pk").first()
    if finding is None:
        finding = Finding.objects.create(state=state, **values)
        before, outcome = None, "created"
    else:
        before = finding_snapshot(finding)
        for field, value in values.items():
            setattr(finding, field, value)
        finding.save()
        outcome = "unchanged" if finding_snapshot(finding) == before else "updated"
    if outcome != "unchanged":
        history_record(
            kind=HistoryEntry.Kind.FINDING,
            state=state,
            actor=user,
            reason="Hallazgo importado",
            before=before,
            after=finding_snapshot(finding),
        )
    return outcome
