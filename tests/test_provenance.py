"""Provenance as people cite it (issue 13): the report by its title, publisher and year, the table (cuadro)
and the practice, panorama or recommendation, then the lines; and footnote markers kept out of the texts.

The table numbers, practice numbers and lines below were read by hand in the report
(/work/shared/sources/informe-buenas-practicas-oim-conofam.txt, the same file as data/…); the title,
publisher and year are those of the report's metadata sidecar (data/informe-….meta.json)."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from buenaspracticas.catalog.provenance import citation
from buenaspracticas.ingest.panorama import parse_panorama
from buenaspracticas.ingest.parser import parse_file
from buenaspracticas.ingest.practices import parse_practices
from buenaspracticas.ingest.text import StateSection, report_from_text, state_sections
from buenaspracticas.reference import STATES_BY_CODE

CITED = 'Informe "Buenas prácticas en política migratoria desde el ámbito local" (OIM / CONOFAM, 2021)'
CITED_EN = 'Report "Buenas prácticas en política migratoria desde el ámbito local" (OIM / CONOFAM, 2021)'

# (practice, table, the report line of the nearest "CUADRO n" heading at or before the practice's start)
PRACTICE_TABLES = [
    ("baja-california-2", 2, 641),  # " CUADRO 2 BUENAS PRÁCTICAS … EN BAJA CALIFORNIA", then "2 REGISTRO …"
    ("chihuahua-3", 4, 1390),  # " CUADRO 4 BUENAS PRÁCTICAS … EN EL ESTADO DE CHIHUAHUA", then "3"
    ("durango-4", 6, 2563),  # " CUADRO 6 … EN DURANGO", then "4 PROGRAMA"
    ("ciudad-de-mexico-4", 14, 3728),  # " CUADRO 14 … EN CIUDAD DE MÉXICO", then "4 VENTANILLA"
    ("puebla-2", 17, 4207),  # " CUADRO 17 … EN PUEBLA", then "2 PROGRAMA"
    ("oaxaca-2", 19, 4584),  # " CUADRO 19 … EN OAXACA", then "2 COORDINACIÓN"
    ("yucatan-5", 23, 5934),  # "5 TRADUCCIÓN" at 6061 has no heading on its page: the table of 5934 goes on
]
# (state, table, the line of its "CUADRO n PANORAMA MIGRATORIO ESTATAL")
PANORAMA_TABLES = [
    ("MX-BCN", 1, 408),
    ("MX-MEX", 14, 3844),  # printed "CUADRO 14" again (Ciudad de México's practices are also 14): as printed
    ("MX-OAX", 18, 4388),
    ("MX-YUC", 22, 5575),
]


@pytest.fixture(scope="module")
def parsed():
    return parse_file(settings.BUNDLED_REPORT)


def test_the_parser_reads_the_table_of_each_practice_and_panorama(parsed):
    practices = {p.id: p for p in parsed.practices}
    for practice_id, table, _line in PRACTICE_TABLES:
        assert practices[practice_id].source.table == table, practice_id
    assert len({practice_id.rsplit("-", 1)[0] for practice_id, *_ in PRACTICE_TABLES}) >= 4
    panoramas = {p.state_code: p for p in parsed.panoramas}
    for code, table, _line in PANORAMA_TABLES:
        assert panoramas[code].source.table == table, code
    # The JSON shape carries it as an additive key of `source`.
    assert practices["oaxaca-2"].as_json()["source"]["table"] == 19


SYNTHETIC = """\
{heading}
4
APOYO A
PERSONAS EN
TRÁNSITO

INSTITUCIÓN QUE COORDINA: Instituto Estatal de Atención a Migrantes

DIMENSIÓN DE LA POBLACIÓN QUE ATIENDE: Tránsito.

POBLACIÓN OBJETIVO: Personas en tránsito.

DESCRIPCIÓN DE LA PRÁCTICA:

El instituto entrega agua y orientación en las estaciones.

CRITERIOS DE EVALUACIÓN

Sostenibilidad ✓ Asociación ✓ Innovación ✗ Replicabilidad ✓ Eficacia ✓

Tiene presupuesto propio.

Trabaja con albergues.

No es nueva.

Puede hacerse en otras estaciones.

Atendió a 300 personas.
"""


def _parse_synthetic(heading: str):
    report = report_from_text(SYNTHETIC.format(heading=heading), document="sintetico")
    practices, _problems = parse_practices(
        report, StateSection(STATES_BY_CODE["MX-SON"], 1, len(report.lines))
    )
    return practices


def test_without_a_cuadro_heading_no_table_is_cited():
    [with_heading] = _parse_synthetic(
        "CUADRO 7 BUENAS PRÁCTICAS ORIENTADAS A LA ATENCIÓN DE PERSONAS MIGRANTES"
    )
    assert with_heading.source.table == 7
    [practice] = _parse_synthetic("")
    assert practice.number == 4 and practice.source.table is None
    documents = {"sintetico": {"title": "Informe de prueba", "publisher": "Estado", "year": 2024}}
    c = citation(practice.as_json()["source"], documents=documents, kind="practice", number=4, place="Sonora")
    assert c["table"] is None
    assert "cuadro" not in c["text"]
    assert c["text"].startswith('Informe "Informe de prueba" (Estado, 2024), práctica 4 de Sonora · líneas ')


def test_a_panorama_without_a_cuadro_heading_has_no_table():
    golden = Path(__file__).parent / "ingest" / "golden" / "panorama" / "jalisco.txt"
    text = golden.read_text(encoding="utf-8")
    assert "CUADRO 7 PANORAMA MIGRATORIO ESTATAL" in text
    report = report_from_text(text.replace("CUADRO 7 PANORAMA", "PANORAMA"), document="jalisco")
    [section] = state_sections(report)
    record, _problems = parse_panorama(report, section)
    assert record.source.table is None


# ---------------------------------------------------------------- what people see


def _text(response_or_html) -> str:
    raw = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def _provenance(response) -> list[str]:
    """Return the text of the page's provenance paragraphs."""
    return [_text(p) for p in re.findall(r'<p class="provenance">(.*?)</p>', response.content.decode(), re.S)]


def test_the_ficha_cites_the_report_table_and_practice(report):
    text = _text(Client().get("/practicas/oaxaca-2/"))
    assert f"Fuente: {CITED}, cuadro 19, práctica 2 · líneas 4584–4742" in text
    [cited] = _provenance(Client().get("/practicas/oaxaca-2/"))
    assert "informe-buenas-practicas-oim-conofam" not in cited and "informe informe" not in cited
    english = _text(Client().get("/en/practicas/oaxaca-2/"))
    assert f"Source: {CITED_EN}, table 19, practice 2 · lines 4584–4742" in english


def test_a_practice_continued_from_an_earlier_page_cites_its_table(report):
    text = _text(Client().get("/practicas/yucatan-5/"))
    assert re.search(re.escape(f"{CITED}, cuadro 23, práctica 5 · líneas 6061–") + r"\d+", text)


def test_the_state_page_cites_the_panorama_table(report):
    text = _text(Client().get("/estados/oaxaca/"))
    assert re.search(
        re.escape(f"Fuente: {CITED}, cuadro 18, panorama migratorio de Oaxaca · líneas 4388–") + r"\d+", text
    )
    text = _text(Client().get("/estados/estado-de-mexico/"))
    assert f"{CITED}, cuadro 14, panorama migratorio de Estado de México · líneas" in text


def test_the_recommendation_page_cites_the_recommendation(report):
    response = Client().get("/recomendaciones/1/")
    assert response.status_code == 200
    # "1. Es necesario ampliar el espectro…" runs from line 6147 to "…de las personas migrantes." at 6157.
    assert f"Fuente: {CITED}, recomendación 1 · líneas 6147–6157" in _text(response)


def test_the_offline_package_cites_as_the_pages_do(report, tmp_path):
    from buenaspracticas.reports.offline import offline_zip

    with zipfile.ZipFile(offline_zip(out=tmp_path / "offline.zip")) as zf:
        ficha = _text(zf.read("html/oaxaca-2.html").decode("utf-8"))
        state = _text(zf.read("html/oaxaca.html").decode("utf-8"))
    assert f"Fuente: {CITED}, cuadro 19, práctica 2 · líneas 4584–4742" in ficha
    assert f"Fuente: {CITED}, cuadro 18, panorama migratorio de Oaxaca · líneas 4388–" in state
    assert "informe-buenas-practicas-oim-conofam" not in ficha.split("Fuente:")[1]


def test_the_ficha_json_source_carries_the_table(report):
    body = Client().get("/api/v1/practices/puebla-2").json()
    assert body["source"]["table"] == 17
    assert body["source"]["first_line"] == 4207


# ---------------------------------------------------------------- footnote markers out of the texts

# (practice, the text as the report prints it with its marker, as it must read, note, report line)
MARKERS = [
    # 1623: "…ingresar a los EE.UU. –conocido como metering40– " (note 40 at line 1634)
    ("chihuahua-5", "metering40–", "conocido como metering– por un puerto autorizado", 40, 1623),
    # 4169: "…asignados $396,000.00 en el ejercicio fiscal de 2021. 80" (note 80 at line 4200)
    ("puebla-1", "2021. 80", "en el ejercicio fiscal de 2021.", 80, 4169),
    # 4984: "…conocen más de 30 lenguas94 indígenas y sus variantes." (note 94 at line 4997)
    ("oaxaca-5", "lenguas94", "más de 30 lenguas indígenas y sus variantes", 94, 4984),
    # 4976: "sus variantes9192. Debido a este contexto…" (notes 91 and 92 at lines 4988 and 4990)
    ("oaxaca-5", "variantes9192", "lenguas indígenas y sus variantes. Debido a este contexto", 91, 4976),
]


@pytest.mark.parametrize(("practice_id", "printed", "reads", "note", "line"), MARKERS)
def test_footnote_markers_leave_the_description_and_keep_their_link(
    report, practice_id, printed, reads, note, line
):
    from buenaspracticas.evidence.models import DocumentLink

    text = _text(Client().get(f"/practicas/{practice_id}/"))
    assert printed not in text
    assert reads in text
    assert DocumentLink.objects.filter(
        document__footnote=note, practice__public_id=practice_id, line=line
    ).exists()


def test_a_marker_set_apart_leaves_the_evidence_and_keeps_its_link(report):
    from buenaspracticas.evidence.models import DocumentLink

    # 4256–4257: "es posible replicarlo en / otros contextos. 83" (replicabilidad; note 83 at line 4270)
    text = _text(Client().get("/practicas/puebla-2/"))
    assert "replicarlo en otros contextos." in text and "otros contextos. 83" not in text
    assert DocumentLink.objects.filter(
        document__footnote=83, practice__public_id="puebla-2", line=4257
    ).exists()


def test_loading_the_report_again_fills_tables_stored_before_without_a_new_version(report):
    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.ingest.loader import load_file
    from buenaspracticas.panorama.models import Panorama

    # A database loaded before tables were read: no table stored.
    Practice.objects.update(source_table=None)
    Panorama.objects.update(table=None)
    version = Practice.objects.get(public_id="puebla-2").version
    load_file(settings.BUNDLED_REPORT)
    practice = Practice.objects.get(public_id="puebla-2")
    assert (practice.source_table, practice.version) == (17, version)
    assert Panorama.objects.get(state__code="MX-OAX").table == 18
    assert f"{CITED}, cuadro 17, práctica 2 · líneas 4207–" in _text(Client().get("/practicas/puebla-2/"))


def test_a_document_retitled_is_cited_by_its_new_title_at_once(report):
    from buenaspracticas.catalog.models import SourceDocument
    from buenaspracticas.catalog.provenance import documents_forget

    Client().get("/practicas/oaxaca-2/")  # the documents are kept for the next pages
    doc = SourceDocument.objects.get(slug="informe-buenas-practicas-oim-conofam")
    doc.title, doc.year = "Buenas prácticas, segunda edición", 2022
    try:
        doc.save()
        text = _text(Client().get("/practicas/oaxaca-2/"))
    finally:
        documents_forget()  # the test's transaction is rolled back: no signal says so
    assert 'Informe "Buenas prácticas, segunda edición" (OIM / CONOFAM, 2022), cuadro 19, práctica 2' in text
