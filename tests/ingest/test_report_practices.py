"""Whole-report tests of the practice parser: counts, ids, sampled fields checked against the text, and
the same results for the report as other PDF extractors give it (reflowed lines, CRLF, spacing, glyphs)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from buenaspracticas.errors import IngestError
from buenaspracticas.ingest.practices import parse_practices
from buenaspracticas.ingest.text import report_from_text, state_sections

REPORT = Path("/work/shared/sources/informe-buenas-practicas-oim-conofam.txt")
if not REPORT.exists():  # the bundled copy, when the shared folder is not mounted
    REPORT = Path(__file__).resolve().parents[2] / "data" / "informe-buenas-practicas-oim-conofam.txt"
pytestmark = pytest.mark.skipif(not REPORT.exists(), reason="report text not available")

EXPECTED_COUNTS = {
    "baja-california": 5,
    "chihuahua": 8,
    "durango": 6,
    "jalisco": 1,
    "michoacan": 1,
    "san-luis-potosi": 2,
    "ciudad-de-mexico": 3,
    "estado-de-mexico": 2,
    "puebla": 3,
    "oaxaca": 5,
    "veracruz": 3,
    "yucatan": 5,
}


def _text() -> str:
    return REPORT.read_text(encoding="utf-8")


def parse_text(text: str):
    report = report_from_text(text, file="informe.txt", document="informe-buenas-practicas-oim-conofam")
    practices, problems = [], []
    for section in state_sections(report):
        p, q = parse_practices(report, section)
        practices += p
        problems += q
    return practices, problems


@lru_cache(maxsize=1)
def parsed():
    return parse_text(_text())


def by_id():
    return {p.id: p for p in parsed()[0]}


# --- variants of the text as other extractors give it ----------------------------------------------

_KEEP = re.compile(
    r"^\s*(\d{1,3}\s*$|CUADRO|CRITERIOS|INSTITUCI|DIMENSI|POBLACI|DESCRIPCI|CARACTER|Sostenibilidad)"
)


def reflow_paragraphs(text: str) -> str:
    """Join the lines of each paragraph into one line; headings in capitals stay on their own lines."""
    out: list[str] = []
    run: list[str] = []
    for line in text.split("\n"):
        if not line.strip() or _KEEP.match(line) or line.strip().isupper() or line.startswith("Elaboración"):
            if run:
                out.append(" ".join(x.strip() for x in run))
                run = []
            out.append(line)
        else:
            run.append(line)
    if run:
        out.append(" ".join(x.strip() for x in run))
    return "\n".join(out)


def one_line_titles(text: str) -> str:
    """Put each practice header's number and title on one line, as some extractors do."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = re.match(r"^\s*(\d{1,2})\s*$", lines[i])
        if m and i + 1 < len(lines) and lines[i + 1].strip().isupper():
            title = []
            j = i + 1
            while j < len(lines) and (
                not lines[j].strip()
                or (
                    lines[j].strip().isupper()
                    and not lines[j].lstrip().startswith(("INSTITUCI", "CRITERIOS"))
                )
            ):
                if lines[j].strip():
                    title.append(lines[j].strip())
                j += 1
            out.append(f"{m.group(1)} {' '.join(title)}")
            out.append("")
            i = j
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def other_glyphs(text: str) -> str:
    return text.replace("✔", "✓").replace("✘", "✗")


def marks_one_per_line(text: str) -> str:
    def split(m: re.Match[str]) -> str:
        return re.sub(r"\s+(?=Asociaci|Innovaci|Replicab|Eficacia)", "\n", m.group(0))

    return re.sub(r"^Sostenibilidad.*$", split, text, flags=re.M)


def no_accents_in_marks(text: str) -> str:
    return re.sub(r"^Sostenibilidad.*$", lambda m: m.group(0).replace("ó", "o"), text, flags=re.M)


def double_spaces_crlf(text: str) -> str:
    return text.replace(" ", "  ").replace("\n", "\r\n")


def cr_only(text: str) -> str:
    return text.replace("\n", "\r")


def signature(practices):
    return [(p.id, p.title, tuple(p.criteria[c].verdict for c in p.criteria)) for p in practices]


@pytest.mark.parametrize(
    "variant",
    [
        reflow_paragraphs,
        one_line_titles,
        other_glyphs,
        marks_one_per_line,
        no_accents_in_marks,
        double_spaces_crlf,
        cr_only,
    ],
)
def test_variants_give_the_same_practices(variant):
    practices, _ = parse_text(variant(_text()))
    assert signature(practices) == signature(parsed()[0])


def test_variant_keeps_institutions_and_dimensions():
    practices, _ = parse_text(reflow_paragraphs(double_spaces_crlf(_text())))
    base = parsed()[0]
    assert [(p.institution, p.dimensions, p.status) for p in practices] == [
        (p.institution, p.dimensions, p.status) for p in base
    ]


# --- counts ----------------------------------------------------------------------------------------


def test_44_practices_220_verdicts():
    practices, _ = parsed()
    assert len(practices) == 44
    assert sum(len(p.criteria) for p in practices) == 220


def test_per_state_counts():
    counts: dict[str, int] = {}
    for p in parsed()[0]:
        slug = p.id.rsplit("-", 1)[0]
        counts[slug] = counts.get(slug, 0) + 1
    assert counts == EXPECTED_COUNTS


def test_ids_unique():
    ids = [p.id for p in parsed()[0]]
    assert len(ids) == len(set(ids))
    assert "ciudad-de-mexico-1" in ids and "ciudad-de-mexico-3" in ids and "ciudad-de-mexico-2" not in ids


def test_whole_report_is_fast():
    import time

    text = _text()
    start = time.perf_counter()
    parse_text(text)
    assert time.perf_counter() - start < 1.0


# --- sampled practices, checked against the text ----------------------------------------------------

SAMPLE = {
    "baja-california-2": dict(
        title="REGISTRO ESTATAL DE PERSONAS MIGRANTES Y PROGRAMA DE CREDENCIALIZACIÓN",
        institution="Subsecretaría de Asuntos Migratorios del Estado de Baja California",
        dimensions=["retorno", "transito", "destino"],
        verdicts="met met met met met",
        status="active",
        lines=(641, 787),
    ),
    "baja-california-5": dict(
        title="APOYO DIRECTO A PERSONAS MIGRANTES DURANTE LA EMERGENCIA SANITARIA POR COVID-19",
        institution="Subsecretaría de Asuntos Migratorios del Estado de Baja California",
        dimensions=["retorno", "transito", "destino"],
        verdicts="not_met met met met met",
        status="active",
        lines=(974, 1043),
    ),
    "chihuahua-5": dict(
        title="CREACIÓN DEL MECANÍSMO DE CONTROL LOCAL COORDINADO (RLC)",
        institution="Consejo Estatal de Población (COESPO)",
        dimensions=["retorno", "transito", "destino", "desplazamiento_interno"],
        verdicts="met met met met met",
        status="active",
        lines=(1601, 1769),
    ),
    "chihuahua-6": dict(
        title="CREACIÓN DE MECANÍSMOS PARA LA ATENCIÓN A PERSONAS MIGRANTES EN EL MARCO DE LA CONTINGENCIA "
        "SANITARIA POR COVID-19",
        institution="Consejo Estatal para la Protección (COESPO)",
        dimensions=["retorno", "transito", "destino", "desplazamiento_interno"],
        verdicts="met met met met met",
        status="active",
        lines=(1770, 1903),
    ),
    "durango-6": dict(
        title="ACCIONES DURANTE LA EMERGENCIA SANITARIA POR COVID 19",
        institution="Secretaría de Protección Civil del Estado de Durango",
        dimensions=["retorno", "transito", "destino"],
        verdicts="met met met unknown met",
        status="active",
        lines=(2775, 2900),
    ),
    "durango-3": dict(
        title="PROGRAMA DE JORNADAS DE SERVICIOS",
        institution=(
            "Instituto de Atención y Protección al Migrante y su Familia del Estado de Durango (IAPMF)"
        ),
        dimensions=["origen", "retorno"],
        verdicts="met met met met met",
        status="suspended",
        lines=(2459, 2562),
    ),
    "ciudad-de-mexico-3": dict(
        title="PROGRAMA DE SEGURO DE DESEMPLEO",
        institution="Secretaría del Trabajo y Fomento al Empleo",
        dimensions=["transito", "retorno", "destino", "refugio"],
        verdicts="met unknown met met unknown",
        status="active",
        lines=(3626, 3727),
    ),
    "estado-de-mexico-2": dict(
        title="TRASLADO DE PERSONAS MIGRANTES FALLECIDAS",
        institution="COORDINACIÓN DE ASUNTOS INTERNACIONALES DEL ESTADO DE MÉXICO",
        dimensions=[],
        verdicts="met met not_met met not_met",
        status="active",
        lines=(4009, 4075),
    ),
    "oaxaca-1": dict(
        title="GUELAGUETZA FAMILIAR E INTERCAMBIO CULTURAL OAXACA-ESTADOS UNIDOS",
        institution="Instituto Oaxaqueño de Atención al Migrante (IOAM)",
        dimensions=["origen", "retorno"],
        verdicts="met met met met met",
        status="suspended",
        lines=(4466, 4583),
    ),
    "veracruz-2": dict(
        title="PROGRAMA DE REUNIFICACIÓN FAMILIA “CON RAÍCES VERACRUZANAS”",
        institution="Dirección General de Atención a Migrantes de Veracruz",
        dimensions=["origen", "retorno"],
        verdicts="met met unknown met met",
        status="suspended",
        lines=(5329, 5462),
    ),
    "puebla-1": dict(
        title="PROGRAMA DE DOCUMENTACIÓN DE MIGRANTES POBLANOS",
        institution="INSTITUTO POBLANO DE ASISTENCIA AL MIGRANTE (IPAM)",
        dimensions=["retorno", "destino"],
        verdicts="met met not_met met met",
        status="active",
        lines=(4149, 4206),
    ),
}


@pytest.mark.parametrize("pid", sorted(SAMPLE))
def test_sampled_practice(pid):
    want = SAMPLE[pid]
    p = by_id()[pid]
    assert p.title == want["title"]
    assert p.institution == want["institution"]
    assert p.dimensions == want["dimensions"]
    assert (
        " ".join(
            p.criteria[c].verdict
            for c in ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia")
        )
        == want["verdicts"]
    )
    assert p.status == want["status"]
    assert (p.source.first_line, p.source.last_line) == want["lines"]
    assert p.source.document == "informe-buenas-practicas-oim-conofam"


# --- behaviour ----------------------------------------------------------------------------------------


def test_missing_mark_is_unknown_not_met():
    # "Sostenibilidad ✔ Asociación ✔ Innovación ✔ Replicabilidad Eficacia ✔" (Durango 6)
    p = by_id()["durango-6"]
    assert p.criteria["replicabilidad"].verdict == "unknown"
    assert p.criteria["eficacia"].verdict == "met"
    q = by_id()["ciudad-de-mexico-3"]  # "Asociación Innovación ✔ … Eficacia" with no marks
    assert q.criteria["asociacion"].verdict == "unknown" and q.criteria["innovacion"].verdict == "met"
    assert q.criteria["eficacia"].verdict == "unknown"


def test_repeated_blocks_are_one_practice():
    ids = [p.id for p in parsed()[0] if p.id.startswith("chihuahua")]
    assert ids == [f"chihuahua-{n}" for n in range(1, 9)]
    p = by_id()["chihuahua-6"]  # second criteria block (same marks) adds evidence
    assert "auto sustentabilidad alimentaria" in " ".join(a.evidence for a in p.criteria.values())
    cdmx = by_id()["ciudad-de-mexico-1"]  # criteria blocks numbered 2 that repeat practice 1's title
    assert "Personas migrantes)" in " ".join(a.evidence for a in cdmx.criteria.values())
    assert (cdmx.source.first_line, cdmx.source.last_line) == (3412, 3625)


def test_number_conflicts_are_reported():
    problems = parsed()[1]
    lines = {(x.line, x.field) for x in problems}
    assert (3458, "number") in lines and (1770, "number") in lines and (2044, "number") in lines


def test_title_hyphenation_is_joined():
    assert by_id()["baja-california-2"].title.endswith("CREDENCIALIZACIÓN")
    assert "INTERINSTITUCIONAL" in by_id()["oaxaca-2"].title
    assert "OAXACA-ESTADOS UNIDOS" in by_id()["oaxaca-1"].title


def test_footnote_numbers_dropped_from_titles():
    assert by_id()["puebla-1"].title.endswith("POBLANOS")
    assert by_id()["chihuahua-7"].title.endswith("(CIANNAM)")
    assert by_id()["oaxaca-5"].title.endswith("SAGRADA)")


def test_evidence_keeps_typical_openings():
    for p in parsed()[0]:
        rep = p.criteria["replicabilidad"].evidence
        if "elementos de referencia" in " ".join(a.evidence for a in p.criteria.values()):
            assert "elementos de referencia" in rep, p.id


def test_no_footnotes_or_urls_in_texts():
    for p in parsed()[0]:
        for text in [p.description] + [a.evidence for a in p.criteria.values()]:
            assert "http" not in text and "www." not in text, p.id
            assert "BUENAS PRÁCTICAS EN POLÍTICA MIGRATORIA" not in text, p.id
    assert "Disponible en" not in by_id()["baja-california-1"].description


def test_beneficiaries_only_when_one_headline_count():
    assert by_id()["chihuahua-3"].beneficiaries == 51267
    assert by_id()["durango-1"].beneficiaries is None


# --- truncation -----------------------------------------------------------------------------------------


def test_truncated_report_raises_with_line():
    lines = _text().split("\n")
    cut = "\n".join(lines[:6080])  # ends inside Yucatán 5's description, before its criteria
    with pytest.raises(IngestError) as info:
        parse_text(cut)
    assert info.value.line == 6061
    assert info.value.details["line"] == 6061


def test_truncated_in_marks_line_raises():
    lines = _text().split("\n")
    cut = "\n".join(lines[:2289]) + "\nSostenibilidad ✔ Asociación ✔ Innov"
    with pytest.raises(IngestError) as info:
        parse_text(cut)
    assert info.value.line == 2221  # Durango 1's header
