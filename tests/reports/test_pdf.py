"""PDFs: text extracted with poppler's pdftotext holds every practice title and the panorama figures."""

from __future__ import annotations

import re
import subprocess

import pytest

from buenaspracticas.catalog.selectors import practice_get, state_get
from buenaspracticas.panorama.charts import state_charts
from buenaspracticas.reports import pdf


def _text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _has_title(title: str, text: str) -> bool:
    """Titles printed in capitals are shown in sentence case: the words must be there, in any case."""
    return _norm(title).lower() in text.lower()


def test_state_pdf_has_every_title_panorama_figures_charts_and_page_numbers(report, tmp_path):
    stats: dict = {}
    text = _text(pdf.state_pdf(key="MX-OAX", stats=stats), tmp_path)
    state = state_get(key="MX-OAX")
    for pid in state["practices"]:
        assert _has_title(practice_get(practice_id=pid)["title"], text)
    for figure in ("4 132 148", "19 584", "35 936", "21 424", "20 374", "1 432", "43.1 %"):
        assert figure in text
    assert "Entradas de personas extranjeras por vía" in text  # the SVG chart's text
    assert "Alertas de calidad de los datos" in text
    assert f"Página 1 de {stats['pages']}" in text
    assert "versión" in text and "Datos al" in text


def test_practice_pdf_shows_the_ficha_with_its_verdicts(report, tmp_path):
    p = practice_get(practice_id="baja-california-2")
    text = _text(pdf.practice_pdf(practice_id="baja-california-2"), tmp_path)
    assert _has_title(p["title"], text)
    assert "Sostenibilidad" in text and "Cumple" in text
    assert p["institution"] in text


def test_compendium_has_cover_contents_every_state_and_recommendations(report, tmp_path):
    stats: dict = {}
    text = _text(pdf.compendium_pdf(stats=stats), tmp_path)
    assert stats["pages"] > 50
    assert "Índice" in text and "Método y criterios" in text and "Recomendaciones" in text
    for code in ("MX-BCN", "MX-OAX", "MX-YUC"):
        state = state_get(key=code)
        assert state["name"] in text
        for pid in state["practices"]:
            assert _has_title(practice_get(practice_id=pid)["title"], text)


def test_state_charts_are_svg_with_a_text_alternative_and_skip_missing_data(report):
    charts = state_charts(state_get(key="MX-OAX"))
    assert set(charts) == {"entries_by_mode", "causes"}  # Oaxaca gives no foreign-born breakdown
    assert charts["causes"].startswith("<svg") and "<title>" in charts["causes"]
    assert "Reunirse con la familia: 43.1 %" in charts["causes"]
    assert "foreign_born_by_country" in state_charts(state_get(key="MX-BCN"))
    assert state_charts({"name": "X", "panorama": None}) == {}


def test_unknown_state_pdf_is_not_found(report):
    from buenaspracticas.errors import NotFound

    with pytest.raises(NotFound):
        pdf.state_pdf(key="MX-XXX")
