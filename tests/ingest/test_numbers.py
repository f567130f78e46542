"""Reading figures as PDF extractors write them (ingest/numbers.py)."""

from __future__ import annotations

import pytest

from buenaspracticas.ingest.numbers import find_numbers, parse_number


def figures(text: str, footnotes=()) -> list:
    return [(t.value, t.percent, t.marker) for t in find_numbers(text, footnotes) if not t.is_marker]


@pytest.mark.parametrize(
    "text, value",
    [
        ("3 769 020 personas", 3769020),
        ("3  769  020 personas", 3769020),  # doubled spaces
        ("4\n614 personas", 4614),  # a figure wrapped across lines
        ("152,377 personas", 152377),
        ("1,190,514 registros", 1190514),
        ("1, 212, 252", 1212252),
        ("Estados Unidos de América: 30, 788", 30788),
        ("12 mil 197", 12197),
        ("129 mil 231 personas", 129231),
        ("158 mil 095 internaciones", 158095),
        ("26 mil personas", 26000),
        ("1.2 millones", 1_200_000),
        ("3,499.1 millones de dólares", 3_499_100_000),
        ("Otros países: 1009 personas", 1009),
        ("Chichén Itzá:1125", 1125),
    ],
)
def test_counts_in_every_written_form(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, value",
    [
        ("49.6%", 49.6),
        ("49,6 %", 49.6),
        ("17. 2 %", 17.2),
        ("36. 57%", 36.57),
        ("13.  81%", 13.81),
        ("9,8%", 9.8),
        ("(.17% del total", 0.17),
        ("El .25% del total", 0.25),
        ("58 %", 58),
        ("23.2\n%", 23.2),
        ("estudiar14.4%", 14.4),
        ("30 por ciento", 30),
    ],
)
def test_percentages_with_broken_decimals_and_odd_spacing(text, value):
    [token] = [t for t in find_numbers(text) if not t.is_marker]
    assert token.percent
    assert token.value == pytest.approx(value)


def test_glued_footnote_marker_is_dropped():
    # A superscript the extractor read as 'l'.
    assert figures("Tarjetas de residente temporal emitidas: 848l18", {18}) == [(848, False, 18)]


def test_grouping_in_threes_leaves_the_glued_footnote_over():
    assert figures("permanente emitidas: 3 31019 ", {19}) == [(3310, False, 19)]
    assert figures("temporal emitidas: 5 34958 ", {58}) == [(5349, False, 58)]


def test_glued_footnote_is_split_only_when_that_footnote_exists():
    assert figures("permanente emitidas: 51530 ", {29, 30}) == [(515, False, 30)]
    assert figures("permanente emitidas: 7248 ", {48}) == [(72, False, 48)]
    assert figures("permanente emitidas: 51530 ", {12}) == [(51530, False, None)]


def test_footnote_marker_glued_to_a_year_heading():
    assert figures("de enero a junio 202127", {27}) == [(2021, False, 27)]


def test_a_year_is_never_split_into_a_footnote():
    assert figures("entre marzo de 2015 y marzo de 2020", {15, 20}) == [
        (2015, False, None),
        (2020, False, None),
    ]


def test_footnote_after_a_decimal_point_is_a_marker_not_decimals():
    assert figures("Tarjetas de residencia temporal emitidas 525.71 ", {71}) == [(525, False, 71)]
    assert figures("remesas con 525.71 millones", {3}) == [(525_710_000, False, None)]


def test_footnote_set_apart_by_spaces():
    assert figures("Permanente emitidas: 1441  72 \n", {72}) == [(1441, False, 72)]
    assert figures("permanentes: 4 591 59 \n", {59}) == [(4591, False, 59)]


def test_marker_glued_to_a_word_is_not_a_figure():
    tokens = find_numbers("el 50.4% son hombres13. Inmigración15", {13, 15})
    assert [(t.value, t.is_marker) for t in tokens] == [(50.4, False), (13, True), (15, True)]


def test_bare_footnote_after_a_word_is_a_marker_but_a_figure_followed_by_words_is_not():
    tokens = find_numbers("59.1% hombres 26 \n", {26})
    assert [(t.value, t.is_marker) for t in tokens] == [(59.1, False), (26, True)]
    tokens = find_numbers("Residente Permanente renovadas 74 en la entidad.73", {73, 74})
    assert [(t.value, t.is_marker) for t in tokens] == [(74, False), (73, True)]


def test_a_footnote_already_cited_is_not_cited_again_inside_a_figure():
    # "128" is not 1 + footnote 28 when footnote 28 was cited before (footnotes run in reading order).
    text = "del país).28 \n• Menores de 18 años devueltos por retorno asistido: 128 personas"
    assert [t.value for t in find_numbers(text, {28}) if not t.is_marker] == [18, 128]


def test_separate_numbers_are_not_merged():
    assert figures("marzo de 2020, 26 600 personas") == [(2020, False, None), (26600, False, None)]
    assert figures("se registraron 2 ciudades, a través de 3 puntos") == [(2, False, None), (3, False, None)]
    assert figures("COVID-19 y 2015-2020") == [(2015, False, None)]


def test_no_figure_gives_none():
    assert parse_number("sin cifras") is None
