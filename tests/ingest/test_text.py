"""Reading a report's text: decoding errors, normalisation, state sections under other extractors' layouts."""

from __future__ import annotations

import re

import pytest

from buenaspracticas.errors import IngestError
from buenaspracticas.ingest.text import decode_report, is_furniture, report_from_text, state_sections

EXPECTED = ["MX-BCN", "MX-CHH", "MX-DUR", "MX-JAL", "MX-MIC", "MX-SLP", "MX-CMX", "MX-MEX", "MX-PUE", "MX-OAX",
            "MX-VER", "MX-YUC"]


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
    data = "línea uno\nlínea dos\n".encode("utf-8") + "migración\n".encode("latin-1")
    with pytest.raises(IngestError) as info:
        decode_report(data, file="viejo.txt")
    assert info.value.line == 3
    assert "viejo.txt, línea 3" in info.value.message and "UTF-8" in info.value.message


def test_running_heads_and_page_numbers_are_furniture():
    assert is_furniture("BUENAS PRÁCTICAS EN POLÍTICA MIGRATORIA DESDE EL ÁMBITO LOCAL 18REGIÓN NORTE")
    assert is_furniture("  27 ")
    assert is_furniture("http://www.inegi.org.mx/programas/ccpv/2020/default.html")
    assert not is_furniture("Población total 3 769 020")
