"""The state-panorama parser on small excerpts: golden excerpts of the report (expected JSON checked against
the text by hand) and the rules, each on a short made-up panorama."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from django.conf import settings

from buenaspracticas.ingest.metadata import read_sidecar
from buenaspracticas.ingest.panorama import parse_panorama
from buenaspracticas.ingest.panorama_keys import PANORAMA_KEYS
from buenaspracticas.ingest.text import report_from_text, state_sections

GOLDEN = Path(__file__).parent / "golden" / "panorama"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


def parse(text: str):
    report = report_from_text(text, document="prueba")
    [section] = state_sections(report)
    return parse_panorama(report, section)


def by_key(record, key):
    return [i for i in record.indicators if i.key == key]


def one(record, key):
    [indicator] = by_key(record, key)
    return indicator


@pytest.mark.parametrize("name", CASES)
def test_golden_excerpt(name):
    """Excerpts of the report (the panorama as it stands in the file); the context of a lone excerpt is the
    excerpt itself, so checks against the rest of the report do not apply here."""
    text = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    # The excerpt keeps one running head; the document's title (from the bundled report's metadata sidecar)
    # is what tells it apart when it cannot be seen repeating.
    report = report_from_text(text, document=name, title=read_sidecar(settings.BUNDLED_REPORT).title)
    [section] = state_sections(report)
    record, problems = parse_panorama(report, section)
    assert record.state_code == expected["state"]
    assert asdict(record.source) == expected["source"]
    assert record.panorama() == expected["panorama"]
    assert [{k: v for k, v in asdict(i).items() if k != "note"} for i in record.indicators] == expected[
        "indicators"
    ]
    assert [
        {"kind": f.kind, "indicators": f.indicators, "first_line": f.first_line, "last_line": f.last_line}
        for f in record.quality_flags
    ] == expected["quality_flags"]
    assert [{"line": p.line, "field": p.field} for p in problems] == expected["problems"]


def test_golden_excerpts_cover_every_design_key():
    seen = set()
    for name in CASES:
        expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
        seen |= {k for k, v in expected["panorama"].items() if v is not None}
    assert seen == set(PANORAMA_KEYS)


# A made-up panorama in the report's layout (long lines, as extracted), for the rules below.
PANORAMA = (GOLDEN / "sample-rules.panorama").read_text(encoding="utf-8")


def test_every_figure_has_its_key_unit_period_source_and_line():
    record, problems = parse(PANORAMA)
    assert problems == []
    population = one(record, "total_population")
    assert (population.value, population.unit, population.period) == (3769020, "personas", "2020")
    assert population.source == "INEGI, Censo de Población y Vivienda 2020"
    assert population.line == 13
    assert (one(record, "pct_women").value, one(record, "pct_women").unit) == (49.6, "porcentaje")
    emigrants = one(record, "emigrants_2015_2020")
    assert (emigrants.value, emigrants.period) == (26600, "2015-03/2020-03")
    assert (one(record, "emigrants_men").value, one(record, "emigrants_women").value) == (14481, 12119)
    entries = one(record, "entries_total")
    assert (entries.value, entries.unit, entries.period) == (736154, "entradas", "2021-01/2021-06")
    assert entries.source.startswith(
        "Unidad de Política Migratoria, Registro e Identidad de Personas, Boletín"
    )
    cards = one(record, "temporary_resident_cards")
    assert (cards.value, cards.unit) == (848, "tarjetas")
    assert "18 144 fueron expedidas en el país" in cards.note
    assert one(record, "permanent_resident_cards").value == 3310
    assert [(i.label, i.value) for i in by_key(record, "foreign_born_top")] == [
        ("Estados Unidos de América", 132673),
        ("Otros países", 19704),
    ]
    assert record.panorama()["top_municipality"] == {"name": "Tijuana", "count": 91983}


def test_idem_source_resolves_to_previous_footnote():
    record, _ = parse(PANORAMA)
    # Footnote 14 ("Ídem.") and 15 ("Ídem. Estos datos…") both cite footnote 13's census.
    assert one(record, "emigrants_men").source == "INEGI, Censo de Población y Vivienda 2020"
    assert one(record, "foreign_born").source == "INEGI, Censo de Población y Vivienda 2020"


def test_parts_not_adding_up_are_flagged():
    record, _ = parse(PANORAMA)
    [flag] = [f for f in record.quality_flags if f.kind == "parts_do_not_add_up"]
    assert flag.indicators == ["entries_air", "entries_land", "entries_sea", "entries_total"]
    assert flag.message == "Aéreas + marítimas + terrestres = 756 840, pero el total declarado es 736 154."


def test_parts_that_add_up_raise_no_flag():
    record, _ = parse(PANORAMA)
    flagged = {k for f in record.quality_flags for k in f.indicators}
    assert not flagged & {"emigrants_men", "foreign_born_top", "temporary_resident_cards", "pct_women"}


def test_stated_share_contradicted_by_the_counts_is_flagged():
    text = PANORAMA.replace("Esto es el 7.62%", "Esto es el 17%")
    record, _ = parse(text)
    [flag] = [f for f in record.quality_flags if f.kind == "share_contradicts_counts"]
    assert "17 %" in flag.message and "9 654 941" in flag.message and "7.62 %" in flag.message


def test_share_truncated_instead_of_rounded_is_accepted():
    text = (
        PANORAMA.replace("736 154", "17 100")
        .replace("7.62%", ".17%")
        .replace("24,369", "17 100")
        .replace("• Marítimas: 6,057", "")
        .replace("• Terrestres: 726,414", "")
    )
    record, _ = parse(text)  # 17 100 / 9 654 941 = 0.177 %
    assert not [f for f in record.quality_flags if f.kind == "share_contradicts_counts"]


def test_period_differing_from_the_rest_is_flagged():
    text = PANORAMA.replace(
        "• Tarjetas de residente permanente renovadas: 85",
        "• Tarjetas de residente permanente renovadas entre enero y mayo: 85",
    )
    record, _ = parse(text)
    assert one(record, "permanent_renewed").period == "2021-01/2021-05"
    [flag] = [f for f in record.quality_flags if f.kind == "period_differs"]
    assert flag.indicators == ["permanent_renewed"]
    # Periods in the message read as people read them (the text says "entre enero y mayo").
    assert "ene–may 2021" in flag.message and "ene–jun 2021" in flag.message


def test_heading_contradicting_its_figures_is_flagged_and_figures_keep_their_meaning():
    text = (GOLDEN / "sample-headings.panorama").read_text(encoding="utf-8")
    record, problems = parse(text)
    assert problems == []
    assert one(record, "foreign_born").value == 91987
    assert [(i.label, i.value) for i in by_key(record, "foreign_born_top_pct")] == [
        ("Estados Unidos de América", 72)
    ]
    assert one(record, "emigrants_2015_2020").value == 60587
    assert (one(record, "emigrants_men").value, one(record, "emigrants_women").value) == (38133, 22454)
    flags = [f for f in record.quality_flags if f.kind == "label_contradicts_value"]
    assert [f.indicators for f in flags] == [
        ["foreign_born", "foreign_born_top_pct"],
        ["emigrants_2015_2020", "emigrants_men", "emigrants_women"],
    ]
    assert "«Emigración»" in flags[0].message and "«Inmigración»" in flags[1].message


def test_same_sex_label_twice_goes_to_the_other_sex_by_order():
    text = PANORAMA.replace("el 50.4% son hombres13", "el 50.4% son mujeres13")
    record, _ = parse(text)
    assert (one(record, "pct_women").value, one(record, "pct_men").value) == (49.6, 50.4)
    assert any(
        f.kind == "label_contradicts_value" and "pct_men" in f.indicators for f in record.quality_flags
    )


def test_another_states_name_in_a_figures_sentence_is_flagged():
    text = PANORAMA.replace(" BAJA CALIFORNIA", " DURANGO").replace(
        "Nombre del estado Baja California", "Nombre del estado Durango"
    )
    text = text.replace("En Baja California se registraron", "En Durango se registraron")
    text = text.replace("emigraron de Baja California", "emigraron de Durango")
    record, _ = parse(text)
    [flag] = [f for f in record.quality_flags if f.kind == "label_contradicts_value"]
    assert flag.indicators == ["residence_total"] and "Baja California" in flag.message


def test_unreadable_figure_is_reported_not_dropped():
    text = PANORAMA.replace("• Terrestres: 726,414", "• Encuentros con la Patrulla Fronteriza: 155 mil 882")
    record, problems = parse(text)
    assert any("155 mil 882" in p.message and p.line == 36 for p in problems)
    assert all(i.value != 155882 for i in record.indicators)


def test_section_without_panorama_returns_none_and_a_problem():
    record, problems = parse(" BAJA CALIFORNIA\n\nTexto sin cuadro de panorama.\n")
    assert record is None
    assert problems and problems[0].field == "panorama"


def test_reading_does_not_depend_on_line_breaks_bullets_or_spacing():
    base, _ = parse(PANORAMA)
    variant = (
        PANORAMA.replace("• ", "•\n")
        .replace("\n", "\r\n")
        .replace(" de 2021, un total de ", " de 2021, un total\r\nde ")
    )
    variant = variant.replace(
        "Tarjetas de residente temporal emitidas: 848l18",
        "Tarjetas de residente temporal emitidas:\r\n848l18",
    )
    other, _ = parse(variant)
    assert other.panorama() == base.panorama()
    assert [f.message for f in other.quality_flags] == [f.message for f in base.quality_flags]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2021-01/2021-06", "ene–jun 2021"),
        ("2015-03/2020-03", "mar 2015 – mar 2020"),
        ("2015/2020", "2015–2020"),
        ("2020", "2020"),
        ("2021-13/2021-14", "2021-13–2021-14"),  # not months: left as written, only the slash read
    ],
)
def test_period_codes_read_in_words(code, words):
    from buenaspracticas.ingest.periods import period_words

    assert period_words(code) == words
