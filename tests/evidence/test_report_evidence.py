"""The report's own statements become records: "Elaboración propia … complementada a través de entrevistas
con el personal de …" (9 in the report) becomes an interview of that state and institution with its lines,
and each practice a findings row, suspended with the report's own sentence where it says so. Expected values
were read in the report's text (line numbers of informe-buenas-practicas-oim-conofam.txt)."""

from __future__ import annotations

import pytest

from buenaspracticas.evidence.models import Finding, Interview

pytestmark = pytest.mark.django_db

DOC = "informe-buenas-practicas-oim-conofam"

# (state, institution as printed after "el personal de", line) — lines 1045 … 6130 of the report.
STATEMENTS = {
    ("MX-BCN", 1045, "OFAM"),
    ("MX-CHH", 2127, "OFAM"),
    ("MX-DUR", 2902, "OFAM"),
    ("MX-JAL", 3048, "OFAM"),
    ("MX-CMX", 3829, "SIBISO"),
    ("MX-MEX", 4077, "Coordinación de Asuntos Internacionales"),
    ("MX-PUE", 4383, "IPAM"),
    ("MX-OAX", 5080, "IOAM"),
    ("MX-YUC", 6130, "INDEMAYA"),
}

# Practice → (first line, last line, words of the report's sentence) for each one it says paused/suspended.
SUSPENDED = {
    "durango-3": (
        2483,
        2483,
        "Actualmente el programa se encuentra en pausa debido al contexto ocasionado por COVID-19.",
    ),
    "durango-4": (
        2582,
        2582,
        "Actualmente el programa se encuentra en pausa debido al contexto ocasionado por COVID-19.",
    ),
    "durango-5": (2679, 2697, "este programa estuvo suspendido dado a la contingencia actual"),
    "ciudad-de-mexico-1": (
        3573,
        3574,
        "se suspendieron las actividades establecidas dentro de este programa",
    ),
    "oaxaca-1": (
        4495,
        4497,
        "se encuentra en pausa debido a la emergencia sanitaria por COVID-19 y el cierre del consulado",
    ),
    "veracruz-2": (
        5397,
        5398,
        "Actualmente el Programa se encuentra en pausa debido a la suspensión de actividades",
    ),
    "yucatan-4": (5975, 5977, "el programa de Cabecitas Blancas se encuentra en pausa desde el 2020"),
}


def test_each_statement_of_interviews_is_an_interview_of_its_state_with_its_line(report):
    rows = Interview.objects.filter(source__slug=DOC).select_related("state", "institution")
    found = {(i.state.code, i.source_first_line) for i in rows}
    assert found == {(code, line) for code, line, _ in STATEMENTS}
    for code, _line, words in STATEMENTS:
        interview = rows.get(state__code=code)
        assert interview.notes.startswith("Elaboración propia con base en información pública disponible")
        assert words in interview.notes
        if words == "OFAM":
            # "la Oficina de Atención a Migrantes (OFAM) del estado" names the state's office, not one of the
            # institutions the report prints with its practices: no institution is made up for it.
            assert interview.institution is None, code
            continue
        printed = [interview.institution.name, interview.institution.acronym, *interview.institution.aliases]
        assert any(words.casefold() in name.casefold() for name in printed), (code, printed)
        assert interview.excerpts.count() == 0  # the report quotes no interview: nothing is invented


def test_every_practice_of_the_report_has_a_findings_row_linked_to_it(report):
    from buenaspracticas.catalog.models import Practice

    loaded = Practice.objects.filter(source_document__slug=DOC)
    rows = Finding.objects.filter(source__slug=DOC)
    assert rows.count() == loaded.count() == 44
    assert set(rows.values_list("practice__public_id", flat=True)) == set(
        loaded.values_list("public_id", flat=True)
    )
    assert (
        rows.get(practice__public_id="oaxaca-2").programme == Practice.objects.get(public_id="oaxaca-2").title
    )


def test_suspended_rows_quote_the_reports_sentence_with_its_lines(report):
    rows = {
        f.practice.public_id: f for f in Finding.objects.filter(source__slug=DOC).select_related("practice")
    }
    assert {pid for pid, f in rows.items() if f.suspended} == set(SUSPENDED)
    for pid, (first, last, words) in SUSPENDED.items():
        f = rows[pid]
        assert words in f.suspended_reason, pid
        assert (f.source_first_line, f.source_last_line) == (first, last), pid
    assert rows["oaxaca-2"].suspended is False and rows["oaxaca-2"].suspended_reason == ""


def test_loading_again_changes_nothing_and_keeps_what_curators_added(report, people):
    from buenaspracticas.curation.models import HistoryEntry
    from buenaspracticas.evidence import bulk, services

    finding = Finding.objects.get(practice__public_id="oaxaca-1")
    services.finding_update(
        user=people["editor"], finding_id=finding.pk, data={"results": "648 en lista de espera"}
    )
    history = HistoryEntry.objects.count()
    summary = bulk.report_evidence_load(path=report)
    assert summary == {
        "interviews": {"created": 0, "updated": 0, "unchanged": 9},
        "findings": {"created": 0, "updated": 0, "unchanged": 44},
    }
    assert HistoryEntry.objects.count() == history
    assert Interview.objects.count() == 9 and Finding.objects.count() == 44
    assert Finding.objects.get(pk=finding.pk).results == "648 en lista de espera"


def test_statement_found_by_its_wording_not_its_line(tmp_path, db):
    from buenaspracticas.evidence.report_evidence import interview_statements
    from buenaspracticas.ingest.text import report_from_text

    text = (
        "OAXACA\n\nNombre del estado: Oaxaca\n\nUn párrafo.\n\n"
        "Elaboración propia con base en información pública y complementada con entrevistas "
        "con el personal del\n"
        "Instituto Oaxaqueño de Atención al Migrante.\n"
    )
    found = interview_statements(report_from_text(text))
    assert [(s.state_code, s.institution, s.first_line, s.last_line) for s in found] == [
        ("MX-OAX", "Instituto Oaxaqueño de Atención al Migrante", 7, 8)
    ]
