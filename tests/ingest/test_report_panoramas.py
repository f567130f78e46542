"""Whole-report tests of the panorama parser: the 12 panoramas, every DESIGN.md key of seven states checked
against values read by hand in the text, every quality flag the report's figures call for, and the same
values for the report as other PDF extractors lay it out (re-wrapped, CRLF, doubled spaces, bullets lost
or on their own lines, figures under their labels)."""

from __future__ import annotations

import re
import textwrap
from functools import cache
from pathlib import Path

import pytest

from buenaspracticas.ingest.panorama import parse_panorama
from buenaspracticas.ingest.panorama_keys import PANORAMA_KEYS
from buenaspracticas.ingest.text import report_from_text, state_sections

REPORT = Path("/work/shared/sources/informe-buenas-practicas-oim-conofam.txt")
if not REPORT.exists():  # the bundled copy, when the shared folder is not mounted
    REPORT = Path(__file__).resolve().parents[2] / "data" / "informe-buenas-practicas-oim-conofam.txt"
pytestmark = pytest.mark.skipif(not REPORT.exists(), reason="report text not available")

STATES = [
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
EUA = "Estados Unidos de América"
CAUSES8 = [
    "Reunirse con la familia",
    "Buscar Trabajo",
    "Matrimonio o unión",
    "Cambio u oferta de trabajo",
    "Estudios",
    "Inseguridad delictiva o violencia",
    "Deportación (regresaron)",
    "Desastres naturales",
]


def _causes(names, pcts):
    return [{"cause": c, "pct": p} for c, p in zip(names, pcts, strict=True)]


def _top(*pairs):
    return [{"country": c, "count": n} for c, n in pairs]


# Every DESIGN.md key, read by hand from the report's text (None where the panorama does not give it).
EXPECTED = {
    "MX-BCN": dict(
        total_population=3769020,
        pct_women=49.6,
        pct_men=50.4,
        emigrants_2015_2020=26600,
        emigrants_men=14481,
        emigrants_women=12119,
        foreign_born=152377,
        foreign_born_top=_top((EUA, 132673), ("Honduras", 3016), ("Haití", 2540), ("Otros países", 14148)),
        top_municipality={"name": "Tijuana", "count": 91983},
        entries_total=736154,
        entries_air=24369,
        entries_sea=6057,
        entries_land=726414,
        entries_pct_national=7.62,
        temporary_resident_cards=848,
        permanent_resident_cards=3310,
        permanent_renewed=85,
        presented_to_authority=1904,
        deported=147,
        assisted_return=99,
        causes=_causes(CAUSES8, [36.4, 35.8, 3.8, 8.0, 4.6, 3.1, 1.8, 0.1]),
    ),
    "MX-CHH": dict(
        total_population=3741869,
        pct_women=49.6,
        pct_men=50.4,
        emigrants_2015_2020=30905,
        emigrants_men=None,
        emigrants_women=None,
        foreign_born=101229,
        foreign_born_top=_top((EUA, 93373), ("Cuba", 1598), ("Canadá", 996), ("Otros países", 5262)),
        top_municipality={"name": "Juárez", "count": 67544},
        entries_total=172662,
        entries_air=24369,
        entries_sea=None,
        entries_land=148293,
        entries_pct_national=17,
        temporary_resident_cards=460,
        permanent_resident_cards=515,
        permanent_renewed=27,
        presented_to_authority=3597,
        deported=5,
        assisted_return=976,
        causes=_causes(["Reunificación familiar"], [36.6]),
    ),
    "MX-DUR": dict(
        total_population=1832650,
        pct_women=50.6,
        pct_men=49.4,
        emigrants_2015_2020=14503,
        emigrants_men=None,
        emigrants_women=None,
        foreign_born=15335,
        foreign_born_top=_top((EUA, 13654), ("Canadá", 542), ("Honduras", 129), ("Otros países", 1009)),
        top_municipality={"name": "Durango", "count": 5830},
        entries_total=17100,
        entries_air=17100,
        entries_sea=None,
        entries_land=None,
        entries_pct_national=0.17,
        temporary_resident_cards=147,
        permanent_resident_cards=72,
        permanent_renewed=1,
        presented_to_authority=459,
        deported=None,
        assisted_return=272,
        causes=_causes(
            ["Reunirse con la familia", "Buscar trabajo"] + CAUSES8[2:],
            [45.2, 11.5, 8.9, 12.9, 6.8, 3.1, 1.6, 0.1],
        ),
    ),
    "MX-CMX": dict(
        total_population=None,
        pct_women=None,
        pct_men=None,
        emigrants_2015_2020=43329,
        emigrants_men=None,
        emigrants_women=None,
        foreign_born=104629,
        foreign_born_top=_top(
            (EUA, 18813), ("Venezuela", 14912), ("Colombia", 10723), ("Otros países", 60181)
        ),
        top_municipality={"name": "Miguel Hidalgo", "count": 23627},
        entries_total=1937598,
        entries_air=1937598,
        entries_sea=None,
        entries_land=None,
        entries_pct_national=9.8,
        temporary_resident_cards=5349,
        permanent_resident_cards=4591,
        permanent_renewed=172,
        presented_to_authority=891,
        deported=232,
        assisted_return=3385,
        causes=_causes(["Reunificación familiar"], [23.2]),
    ),
    "MX-MEX": dict(
        total_population=None,
        pct_women=None,
        pct_men=None,
        emigrants_2015_2020=43459,
        emigrants_men=None,
        emigrants_women=None,
        foreign_born=62817,
        foreign_born_top=_top((EUA, 30788), ("Venezuela", 5236), ("Colombia", 4919), ("Otros países", 21874)),
        top_municipality={"name": "Huixquilucan", "count": 6553},
        entries_total=19001,
        entries_air=19001,
        entries_sea=None,
        entries_land=None,
        entries_pct_national=0.25,
        temporary_resident_cards=525,
        permanent_resident_cards=1441,
        permanent_renewed=74,
        presented_to_authority=386,
        deported=None,
        assisted_return=None,
        causes=_causes(["Reunificación familiar"], [36.8]),
    ),
    "MX-OAX": dict(
        total_population=4132148,
        pct_women=52.2,
        pct_men=47.8,
        emigrants_2015_2020=35936,
        emigrants_men=26920,
        emigrants_women=9016,
        foreign_born=19584,
        foreign_born_top=None,
        top_municipality=None,
        entries_total=21424,
        entries_air=20374,
        entries_sea=1050,
        entries_land=None,
        entries_pct_national=None,
        temporary_resident_cards=430,
        permanent_resident_cards=295,
        permanent_renewed=None,
        presented_to_authority=3486,
        deported=15,
        assisted_return=1432,
        causes=_causes(CAUSES8, [43.1, 10.9, 10.6, 10.2, 8.2, 2.8, 0.6, 0.3]),
    ),
    "MX-YUC": dict(
        total_population=2320898,
        pct_women=50.9,
        pct_men=49.1,
        emigrants_2015_2020=7228,
        emigrants_men=3625,
        emigrants_women=3603,
        foreign_born=15405,
        foreign_born_top=None,
        top_municipality=None,
        entries_total=37073,
        entries_air=34529,
        entries_sea=2544,
        entries_land=None,
        entries_pct_national=None,
        temporary_resident_cards=1127,
        permanent_resident_cards=817,
        permanent_renewed=None,
        presented_to_authority=171,
        deported=19,
        assisted_return=63,
        causes=_causes(CAUSES8, [34.0, 10.9, 8, 12.9, 9.9, 12.9, 0.4, 0.1]),
    ),
}

# Every flag the report's figures call for: (kind, indicators) per state.
EXPECTED_FLAGS = {
    "MX-BCN": {("parts_do_not_add_up", ("entries_air", "entries_land", "entries_sea", "entries_total"))},
    "MX-CHH": {
        ("share_contradicts_counts", ("entries_national_total", "entries_pct_national", "entries_total"))
    },
    "MX-DUR": {
        ("parts_do_not_add_up", ("foreign_born", "foreign_born_top")),
        ("label_contradicts_value", ("residence_total",)),
    },
    "MX-JAL": {
        (
            "label_contradicts_value",
            ("foreign_born", "foreign_born_top_pct", "international_immigrants", "municipality_pct"),
        ),
        ("label_contradicts_value", ("emigrants_2015_2020", "emigrants_men", "emigrants_women")),
    },
    "MX-MIC": {
        ("label_contradicts_value", ("foreign_born", "foreign_born_top_pct", "municipality_pct")),
        ("label_contradicts_value", ("emigrants_2015_2020", "emigrants_men", "emigrants_women")),
    },
    "MX-SLP": {
        ("label_contradicts_value", ("foreign_born", "foreign_born_top_pct", "municipality_pct")),
        ("label_contradicts_value", ("emigrants_2015_2020", "emigrants_men", "emigrants_women")),
    },
    "MX-CMX": {
        ("share_contradicts_counts", ("entries_national_total", "entries_pct_national", "entries_total"))
    },
    "MX-MEX": {
        ("share_contradicts_counts", ("entries_pct_national", "entries_total")),
        ("label_contradicts_value", ("presented_to_authority",)),
        ("period_differs", ("assisted_return_minors",)),
        (
            "period_differs",
            (
                "cause_top_municipality",
                "causes",
                "foreign_born",
                "foreign_born_municipality",
                "foreign_born_top",
                "immigrants_by_country",
                "immigrants_by_country_cause",
                "top_municipality",
            ),
        ),
    },
    "MX-PUE": {
        (
            "period_differs",
            (
                "assisted_return_minors",
                "deported_and_assisted_return",
                "entries_air",
                "entries_total",
                "permanent_renewed",
                "permanent_resident_cards",
                "presented_to_authority",
                "temporary_resident_cards",
            ),
        ),
        ("parts_do_not_add_up", ("foreign_born", "foreign_born_top")),
        (
            "period_differs",
            (
                "cause_top_municipality",
                "causes",
                "foreign_born",
                "foreign_born_municipality",
                "foreign_born_top",
                "immigrants_by_country",
                "immigrants_by_country_cause",
                "top_municipality",
            ),
        ),
    },
    "MX-OAX": {("parts_do_not_add_up", ("foreign_born_top_pct",))},
    "MX-VER": set(),
    "MX-YUC": set(),
}


# -- other extractors' layouts -----------------------------------------------------------------------------
def _paragraphs(text: str) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in re.split(r"\r\n|\r|\n", text):
        if line.strip():
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def _groups(lines: list[str]) -> list[list[str]]:
    """A paragraph split around its headings (short lines in capitals), which stay on their own lines."""
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip().isupper() and len(line.strip()) < 40:
            groups.extend([[line], []])
        else:
            groups[-1].append(line)
    return [g for g in groups if g]


def reflow(
    text: str,
    *,
    width: int | None = None,
    join: bool = True,
    double_spaces: bool = False,
    crlf: bool = False,
    drop_bullets: bool = False,
    bullets_alone: bool = False,
    numbers_below_labels: bool = False,
) -> str:
    """Return the report re-laid as another extractor might: paragraph lines joined (and re-wrapped at
    `width`), bullets dropped or alone on their lines, figures moved under their "Label:", spaces doubled,
    CRLF line endings. Headings (short lines in capitals) keep their own lines."""
    out: list[str] = []
    for para in _paragraphs(text):
        lines = [line.replace("• ", "").replace("•", "") for line in para] if drop_bullets else para
        if join and len(lines) > 1:
            wrapped = []
            for group in _groups(lines):
                if len(group) == 1 and group[0].strip().isupper():
                    wrapped.extend(group)
                    continue
                joined = " ".join(line.strip() for line in group)
                wrapped.extend(
                    textwrap.wrap(joined, width, break_long_words=False, break_on_hyphens=False)
                    if width
                    else [joined]
                )
            lines = wrapped
        if bullets_alone:
            lines = [part for line in lines for part in re.split(r"(•)", line) if part.strip()]
        if numbers_below_labels:
            lines = [part for line in lines for part in re.sub(r":\s*(?=\d)", ":\n", line).split("\n")]
        if double_spaces:
            lines = [line.replace(" ", "  ") for line in lines]
        out.extend(lines + [""])
    return ("\r\n" if crlf else "\n").join(out)


LAYOUTS = {
    "paragraphs_joined": dict(),
    "rewrapped_60": dict(width=60),
    "rewrapped_140": dict(width=140),
    "crlf_doubled_spaces": dict(double_spaces=True, crlf=True),
    "rewrapped_80_doubled_spaces": dict(width=80, double_spaces=True),
    "bullets_missing": dict(drop_bullets=True),
    "bullets_on_own_lines": dict(bullets_alone=True, join=False),
    "figures_under_labels_crlf": dict(numbers_below_labels=True, bullets_alone=True, join=False, crlf=True),
}


@cache
def parsed(layout: str | None = None) -> dict:
    text = REPORT.read_text(encoding="utf-8")
    if layout:
        text = reflow(text, **LAYOUTS[layout])
    report = report_from_text(text, file=str(REPORT), document="informe-buenas-practicas-oim-conofam")
    out = {}
    for section in state_sections(report):
        out[section.state.code] = (*parse_panorama(report, section), report)
    return out


def test_twelve_panoramas_in_report_order():
    result = parsed()
    assert [code for code, (record, _, _) in result.items() if record is not None] == STATES


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_design_key_matches_the_text(code):
    record, _, _ = parsed()[code]
    panorama = record.panorama()
    assert set(panorama) == set(PANORAMA_KEYS)
    for key in PANORAMA_KEYS:
        assert panorama[key] == EXPECTED[code][key], key


@pytest.mark.parametrize("code", STATES)
def test_every_quality_flag_the_figures_call_for(code):
    record, _, _ = parsed()[code]
    assert {(f.kind, tuple(f.indicators)) for f in record.quality_flags} == EXPECTED_FLAGS[code]
    for flag in record.quality_flags:
        assert (
            flag.message
            and record.source.first_line <= flag.first_line <= flag.last_line <= record.source.last_line
        )


def test_flag_messages_state_the_numbers():
    messages = {code: [f.message for f in parsed()[code][0].quality_flags] for code in STATES}
    assert (
        "Aéreas + marítimas + terrestres = 756 840, pero el total declarado es 736 154." in messages["MX-BCN"]
    )
    assert any("17 %" in m and "1.79 %" in m for m in messages["MX-CHH"])
    assert any("9.8 %" in m and "20.07 %" in m for m in messages["MX-CMX"])
    assert any("= 15 334" in m and "15 335" in m for m in messages["MX-DUR"])
    assert any("= 29 819" in m and "30 819" in m for m in messages["MX-PUE"])
    assert any("114.76 %" in m for m in messages["MX-OAX"])
    assert any("386" in m and "754" in m for m in messages["MX-MEX"])
    assert any("Baja California" in m for m in messages["MX-DUR"])
    assert any("ene–may 2021" in m and "ene–jun 2021" in m for m in messages["MX-PUE"])


def test_periods_are_read_from_the_text():
    result = parsed()
    periods = {code: {i.key: i.period for i in result[code][0].indicators} for code in STATES}
    assert periods["MX-BCN"]["total_population"] == "2020"
    assert periods["MX-BCN"]["emigrants_2015_2020"] == "2015-03/2020-03"
    assert periods["MX-BCN"]["entries_total"] == "2021-01/2021-06"
    assert periods["MX-MEX"]["emigrants_2015_2020"] == "2015/2020"  # "Entre 2015 y 2020"
    assert periods["MX-MEX"]["assisted_return_minors"] == "2021-01/2021-05"  # "entre enero y mayo"
    assert periods["MX-PUE"]["entries_total"] == "2021-01/2021-05"
    assert periods["MX-MEX"]["foreign_born"] == "2021"  # its source cites "Censo de Población, 2021"
    assert periods["MX-VER"]["entries_total"] == "2021-01/2021-06"  # "(enero a junio de 2021)"


def test_sources_come_from_the_cited_footnotes():
    result = parsed()
    sources = {code: {i.key: i.source for i in result[code][0].indicators} for code in STATES}
    census = "INEGI, Censo de Población y Vivienda 2020"
    bulletin = (
        "Unidad de Política Migratoria, Registro e Identidad de Personas, Boletín Mensual de Estadísticas "
        "Migratoria, México, 2021"
    )
    assert sources["MX-BCN"]["foreign_born"] == census  # footnote 15, "Ídem." of 14, "Ídem." of 13
    assert sources["MX-BCN"]["temporary_resident_cards"] == bulletin  # footnote 16 on the table heading
    assert sources["MX-BCN"]["causes"] == "INEGI, Censo de Población 2020"
    assert sources["MX-CHH"]["emigrants_2015_2020"] == census  # "…hombres 26"
    assert sources["MX-DUR"]["entries_total"] == bulletin and sources["MX-DUR"]["causes"].startswith("INEGI")
    assert sources["MX-CMX"]["emigrants_2015_2020"] == "CONAPO, Anuario de Migración y Remesas, 2021"
    assert sources["MX-PUE"]["emigrants_2015_2020"] == "CONAPO, Anuario de Migración y Remesas, 2021"
    assert sources["MX-MEX"]["foreign_born"] == "INEGI, Censo de Población, 2021"  # the "Fuente:" line
    assert sources["MX-VER"]["entries_total"] == "UPMRIP"  # "Datos de la UPMRIP"


def test_figure_lines_point_at_the_figure():
    for code in STATES:
        record, _, report = parsed()[code]
        for indicator in record.indicators:
            line = report.line(indicator.line)
            digits = re.sub(r"\D", "", line)
            first = re.sub(r"\D", "", f"{indicator.value}".split(".")[0])[:2]
            assert first in digits or indicator.key in ("entries_air", "entries_sea", "entries_land"), (
                code,
                indicator,
            )


def test_unreadable_figures_are_reported():
    problems = {code: parsed()[code][1] for code in STATES}
    assert len([p for p in problems["MX-CHH"] if "Patrulla" in p.message or "encuentros" in p.message]) >= 3
    assert any("Alemania" in p.message for p in problems["MX-PUE"])
    assert any("San Miguel Ixitlán" in p.message for p in problems["MX-PUE"])


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_values_do_not_depend_on_the_extractors_layout(layout):
    base, other = parsed(), parsed(layout)
    for code in STATES:
        assert other[code][0] is not None, code
        assert other[code][0].panorama() == base[code][0].panorama(), code
        assert {(f.kind, tuple(f.indicators)) for f in other[code][0].quality_flags} == {
            (f.kind, tuple(f.indicators)) for f in base[code][0].quality_flags
        }, code
