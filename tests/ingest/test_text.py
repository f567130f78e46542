"""Reading a report's text: decoding errors, normalisation, state sections under other extractors' layouts."""

from __future__ import annotations

import re

import pytest

from buenaspracticas.errors import IngestError
from buenaspracticas.ingest.text import decode_report, is_furniture, report_from_text, state_sections

EXPECTED = [
    "MX-BCN",
    "MX-CHH",
    "MX-DUR",
    "MX-JAL",
    "MX-MIC",
    "MX-SLP",
    "MX-CMX",
    "MX-MEX",
    "MX-PUE",
    "MX-OAX",
    "MX-VER",
    "MX-YUC",
]


@pytest.fixture(scope="module")
def text(report_path) -> str:
    return report_path.read_text(encoding="utf-8")


def _codes(text: str) -> list[str]:
    return [s.state.code for s in state_sections(report_from_text(text))]


def test_the_report_has_twelve_state_sections_in_order(text):
    sections = state_sections(report_from_text(text))
    assert [s.state.code for s in sections] == EXPECTED
    assert all(a.last_line + 1 == b.first_line for a, b in zip(sections, sections[1:], strict=False))


def test_state_heading_glued_to_the_previous_line_still_starts_a_section(text):
    glued = re.sub(r"\n ?(CHIHUAHUA|DURANGO|YUCATÁN) *\n", r" \1\n", text)
    assert glued != text
    assert _codes(glued) == EXPECTED


def test_state_heading_glued_to_the_next_table_heading_still_starts_a_section(text):
    glued = re.sub(r"\n ?(DURANGO|PUEBLA) *\n+(CUADRO)", r"\n\1 \2", text)
    assert glued != text
    assert _codes(glued) == EXPECTED


def test_sections_are_found_without_headings_from_the_panorama_or_practice_tables(text):
    no_headings = re.sub(r"\n ?(CHIHUAHUA|ESTADO DE MÉXICO) *\n", "\n\n", text)
    assert _codes(no_headings) == EXPECTED


def test_line_endings_and_odd_spaces_do_not_change_line_numbers(text):
    crlf = text.replace("\n", "\r\n").replace(" ", "\u00a0", 50)
    cr = text.replace("\n", "\r")
    base = state_sections(report_from_text(text))
    assert state_sections(report_from_text(crlf)) == base
    assert state_sections(report_from_text(cr)) == base


def test_form_feeds_and_ligatures_are_normalised():
    report = report_from_text("\fCUADRO 1\n\ufb01cha\u00a0uno \n")
    assert report.lines == ("CUADRO 1", "ficha uno")


def test_utf8_bom_and_utf16_are_read():
    assert decode_report("\ufeffhola\n".encode(), file="a.txt") == "hola\n"
    assert decode_report("hola\n".encode("utf-16"), file="a.txt") == "hola\n"


def test_latin1_file_names_the_line_of_the_first_bad_byte():
    data = "línea uno\nlínea dos\n".encode() + "migración\n".encode("latin-1")
    with pytest.raises(IngestError) as info:
        decode_report(data, file="viejo.txt")
    assert info.value.line == 3
    assert "viejo.txt, línea 3" in info.value.message and "UTF-8" in info.value.message


def test_bare_page_numbers_and_url_lines_are_furniture_anywhere():
    assert is_furniture("  27 ")
    assert is_furniture("Página 3 de 40")
    assert is_furniture("http://www.inegi.org.mx/programas/ccpv/2020/default.html")
    assert not is_furniture("Población total 3 769 020")


def _pages(head, pages: int = 4, body: int = 30) -> str:
    out = []
    for page in range(1, pages + 1):
        out += [head(page * 2 + 7), ""]
        out += [f"Párrafo {page}-{k} con texto de la página." for k in range(body)]
        out.append("")
    return "\n".join(out)


@pytest.mark.parametrize(
    "head",
    [
        lambda n: f"ANUARIO DE MOVILIDAD HUMANA DEL SURESTE {n}",
        lambda n: f"{n} INFORME ANUAL · DIRECCIÓN DE ATENCIÓN A MIGRANTES",
        lambda n: f"Prácticas locales de integración — página {n}",
        lambda n: f"REPORTE ESTATAL DE MIGRACIÓN {n}ZONA GOLFO",
    ],
)
def test_running_heads_are_found_by_repeating_with_a_growing_page_number(head):
    report = report_from_text(_pages(head))
    # Lines 1, 34, 67, 100 hold the head (4 pages of 1 + 1 + 30 + 1 lines); each is blank, nothing else is.
    assert sorted(report.furniture) == [1, 34, 67, 100]
    assert all(report.line(n) == "" for n in (1, 34, 67, 100))
    assert report.line(3) == "Párrafo 1-0 con texto de la página."


def test_a_line_repeating_with_figures_that_do_not_grow_like_pages_is_text():
    text = "\n".join(f"Personas atendidas en el municipio {n}\n" + "texto\n" * 20 for n in (40, 12, 33, 7))
    assert report_from_text(text).furniture == frozenset()


def test_a_bare_number_next_to_a_head_is_its_page_number_only_when_it_continues_the_pages():
    lines = []
    for page, practice in ((10, None), (11, "3"), (12, None), (13, None)):
        lines += ["INFORME DE BUENAS PRÁCTICAS MUNICIPALES", str(page)]
        if practice:
            lines += ["", practice, "TÍTULO DE UNA PRÁCTICA"]
        lines += ["Texto."] * 25
    report = report_from_text("\n".join(lines))
    # page 11's head is line 28, its number line 29; the practice number '3' (line 31) stays.
    assert report.line(28) == "" and report.line(29) == ""
    assert report.line(31) == "3"
