"""Unit and golden tests of the practice parser (excerpts of the report in golden/practices/, each with a
sidecar .json naming its source lines and the expected records)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from buenaspracticas.errors import IngestError
from buenaspracticas.ingest.practices import parse_practices
from buenaspracticas.ingest.practices_evidence import assign
from buenaspracticas.ingest.practices_text import join_hyphens, strip_footnote_refs
from buenaspracticas.ingest.text import StateSection, report_from_text
from buenaspracticas.reference import CRITERIA, STATES_BY_CODE

GOLDEN = Path(__file__).parent / "golden" / "practices"
CASES = sorted(p.stem for p in GOLDEN.glob("*.json"))


def parse(text: str, code: str = "MX-DUR"):
    report = report_from_text(text, file="excerpt.txt", document="excerpt")
    return parse_practices(report, StateSection(STATES_BY_CODE[code], 1, len(report.lines)))


@pytest.mark.parametrize("case", CASES)
def test_golden(case):
    meta = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    practices, problems = parse((GOLDEN / f"{case}.txt").read_text(encoding="utf-8"), meta["state"])
    got = [p.as_json() for p in practices]
    want = meta["practices"]
    assert [g["id"] for g in got] == [w["id"] for w in want]
    for g, w in zip(got, want, strict=True):
        for key in w:
            if key == "criteria":
                for c in CRITERIA:
                    assert g["criteria"][c]["verdict"] == w["criteria"][c]["verdict"], (w["id"], c)
                    assert g["criteria"][c]["evidence"] == w["criteria"][c]["evidence"], (w["id"], c)
            else:
                assert g[key] == w[key], (w["id"], key)
    assert [{"line": x.line, "field": x.field} for x in problems] == meta["problems"]


def test_golden_excerpts_have_provenance():
    for case in CASES:
        meta = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
        assert meta["source"]["document"] == "informe-buenas-practicas-oim-conofam"
        assert meta["source"]["first_line"] < meta["source"]["last_line"]


FICHA = """\
CUADRO 6 BUENAS PRÁCTICAS ORIENTADAS A LA ATENCIÓN DE PERSONAS MIGRANTES EN DURANGO

3
PROGRAMA DE
JORNADAS DE SERVI-
CIOS

INSTITUCIÓN QUE COORDINA: Instituto de Atención al Migrante

DIMENSIÓN DE LA POBLACIÓN QUE ATIENDE: Retorno, tránsito y destino.

POBLACIÓN OBJETIVO: Personas en contexto de movilidad.

DESCRIPCIÓN DE LA PRÁCTICA:

El programa agrupa servicios12 en un mismo
espacio.

Actualmente el programa se encuentra en pausa.

12 Algunos municipios visitados.
http://www.example.org/x.pdf

CRITERIOS DE EVALUACIÓN

{marks}

Es sostenible.

Se vincula con
municipios.

Concentra servicios.

Proporciona elementos
de referencia.

Cumple con los
objetivos planteados.
"""


def _marks(line: str):
    practices, problems = parse(FICHA.replace("{marks}", line))
    assert len(practices) == 1
    return {c: a.verdict for c, a in practices[0].criteria.items()}, problems


def test_missing_mark_is_unknown_not_met():
    verdicts, _ = _marks("Sostenibilidad ✔ Asociación ✔ Innovación ✘ Replicabilidad Eficacia ✔")
    assert verdicts == {
        "sostenibilidad": "met",
        "asociacion": "met",
        "innovacion": "not_met",
        "replicabilidad": "unknown",
        "eficacia": "met",
    }


@pytest.mark.parametrize(
    "line",
    [
        "Sostenibilidad ✓ Asociación ✅ Innovación ✗ Replicabilidad ☑ Eficacia",
        "Sostenibilidad ✔ Asociacion ✔ Innovacion ❌ Replicabilidad ✔ Eficacia",
        "Sostenibilidad  ✔\nAsociación ✔\nInnovación ✕\nReplicabilidad ✔\nEficacia",
        "Sostenibilidad\n✔\nAsociación\n✔\nInnovación\n✖\nReplicabilidad\n✔\nEficacia",
    ],
)
def test_other_glyphs_and_broken_marks_lines(line):
    verdicts, problems = _marks(line)
    assert verdicts == {
        "sostenibilidad": "met",
        "asociacion": "met",
        "innovacion": "not_met",
        "replicabilidad": "met",
        "eficacia": "unknown",
    }
    assert not [p for p in problems if p.field == "criteria"]


def test_fields_description_status_and_evidence():
    practices, _ = parse(
        FICHA.replace("{marks}", "Sostenibilidad ✔ Asociación ✔ Innovación ✔ Replicabilidad ✔ Eficacia ✔")
    )
    p = practices[0]
    assert p.id == "durango-3"
    assert p.title == "PROGRAMA DE JORNADAS DE SERVICIOS"
    assert p.dimensions == ["retorno", "transito", "destino"]
    assert p.target_population == "Personas en contexto de movilidad"
    assert (
        p.description == "El programa agrupa servicios en un mismo espacio.\n\n"
        "Actualmente el programa se encuentra en pausa."
    )
    assert p.status == "suspended"
    ev = {c: a.evidence for c, a in p.criteria.items()}
    assert ev == {
        "sostenibilidad": "Es sostenible.",
        "asociacion": "Se vincula con municipios.",
        "innovacion": "Concentra servicios.",
        "replicabilidad": "Proporciona elementos de referencia.",
        "eficacia": "Cumple con los objetivos planteados.",
    }
    assert (p.source.first_line, p.source.last_line) == (1, FICHA.count("\n"))


def test_unreadable_marks_line_is_reported():
    practices, problems = parse(FICHA.replace("{marks}", "Sostenibilidad ✔ Asociación ✔"))
    assert practices and any(x.field == "criteria" for x in problems)
    assert practices[0].criteria["eficacia"].verdict == "unknown"


def test_practice_without_criteria_mid_report_is_a_problem():
    text = FICHA.split("CRITERIOS")[0] + "\nElaboración propia con base en información pública.\n\nFinal.\n"
    practices, problems = parse(text)
    assert any(x.field == "criteria" for x in problems)
    assert all(a.verdict == "unknown" for a in practices[0].criteria.values())


def test_truncated_report_raises_ingest_error():
    text = FICHA.split("CRITERIOS")[0]
    with pytest.raises(IngestError) as info:
        parse(text)
    assert info.value.line == 3
    assert info.value.field == "criteria"


def test_title_hyphenation_is_joined():
    vocab = frozenset({"oaxaca", "estados", "unidos"})
    assert join_hyphens("CREDENCIA- LIZACIÓN", vocab) == "CREDENCIALIZACIÓN"
    assert join_hyphens("INTER- INSTITUCIONAL", vocab) == "INTERINSTITUCIONAL"
    assert join_hyphens("OAXACA- ESTADOS UNIDOS", vocab) == "OAXACA-ESTADOS UNIDOS"


def test_glued_footnote_numbers_dropped():
    assert strip_footnote_refs("MIGRANTES POBLANOS79", set(), title=True) == "MIGRANTES POBLANOS"
    assert strip_footnote_refs("entre otras21.", {21}) == "entre otras."
    assert strip_footnote_refs("enero del 202066", {66}) == "enero del 2020"
    assert strip_footnote_refs("COVID-19", {19}) == "COVID-19"
    assert strip_footnote_refs("a 35 personas", {35}) == "a 35 personas"


def test_evidence_assignment_keeps_every_paragraph_in_order():
    paras = [
        "Es sostenible.",
        "Cuenta con presupuesto.",
        "Se vincula con consulados.",
        "Asimismo, con OSC.",
        "No se identifica elemento innovador.",
        "Proporciona elementos de referencia.",
        "Cumple con los objetivos planteados.",
        "En 2020 atendió a 300 personas.",
    ]
    labels = assign(paras)
    assert labels == [
        "sostenibilidad",
        "sostenibilidad",
        "asociacion",
        "asociacion",
        "innovacion",
        "replicabilidad",
        "eficacia",
        "eficacia",
    ]


def test_title_on_one_line_and_crlf():
    text = FICHA.replace("{marks}", "Sostenibilidad ✔ Asociación ✔ Innovación ✔ Replicabilidad ✔ Eficacia ✔")
    text = text.replace("3\nPROGRAMA DE\nJORNADAS DE SERVI-\nCIOS", "3 PROGRAMA DE JORNADAS DE SERVI- CIOS")
    practices, _ = parse(text.replace("\n", "\r\n"))
    assert practices[0].title == "PROGRAMA DE JORNADAS DE SERVICIOS"


def test_paragraph_cut_by_a_column_or_page_break_is_joined_again():
    from buenaspracticas.ingest.practices_text import merge_broken_paragraphs

    paras = [
        "entre ellas: la Secretaría de Protección Civil y la",
        "Secretaría del Trabajo y Previsión Social.",
        "el personal participó en brigadas para instalar",
        "filtros sanitarios en 18 Municipios.",
        "a) Adaptación de servicios en formato virtual.",
        "Programa de Derechos Humanos y el",
        "-Gobierno de la Ciudad en colaboración con organismos.",
        "Termina con coma,",
        "Otra columna.",
    ]
    assert merge_broken_paragraphs(paras) == [
        "entre ellas: la Secretaría de Protección Civil y la Secretaría del Trabajo y Previsión Social.",
        "el personal participó en brigadas para instalar filtros sanitarios en 18 Municipios.",
        "a) Adaptación de servicios en formato virtual.",
        "Programa de Derechos Humanos y el",
        "-Gobierno de la Ciudad en colaboración con organismos.",
        "Termina con coma,",
        "Otra columna.",
    ]
