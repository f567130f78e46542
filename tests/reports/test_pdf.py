"""PDFs: text extracted with poppler's pdftotext holds every practice title and the panorama figures."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.urls import reverse

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


def test_practice_pdf_page_head_shows_the_title_as_the_page_does(report, tmp_path):
    # Jalisco's practice 1 is printed in capitals in the report ("PLATAFORMA DIGITAL DE ATENCIÓN A PERSONAS
    # MIGRANTES", cuadro 8); the ficha shows it in sentence case, and so does every PDF page's head.
    text = _text(pdf.practice_pdf(practice_id="jalisco-1"), tmp_path)
    assert text.count("buenasprácticas · Plataforma digital de atención a personas migrantes") == 2  # 2 pages
    assert "buenasprácticas · PLATAFORMA" not in text


def test_compendium_has_cover_contents_every_state_and_recommendations(report, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    stats: dict = {}
    content = pdf.compendium_pdf(stats=stats)
    text = _text(content, tmp_path)
    assert stats["pages"] > 50 and stats["built"]
    assert "Índice" in text and "Método y criterios" in text and "Recomendaciones" in text
    for code in ("MX-BCN", "MX-OAX", "MX-YUC"):
        state = state_get(key=code)
        assert state["name"] in text
        for pid in state["practices"]:
            assert _has_title(practice_get(practice_id=pid)["title"], text)
    # The second request is served from the stored file: same bytes, nothing rebuilt.
    again: dict = {}
    assert pdf.compendium_pdf(stats=again) == content
    assert again["built"] is False and again["pages"] == stats["pages"]
    assert list((tmp_path / "informes").glob("compendio-es-*.pdf"))


def test_state_pdf_shows_periods_as_the_web_does(report, tmp_path):
    text = _text(pdf.state_pdf(key="MX-OAX"), tmp_path)
    assert "ene–jun 2021" in text and "mar 2015 – mar 2020" in text
    assert "2021-01/2021-06" not in text and "2021-01" not in text


def test_pdfs_cite_the_report_by_title_publisher_and_year(report, tmp_path):
    text = _text(pdf.practice_pdf(practice_id="baja-california-2"), tmp_path)
    assert (
        'Informe "Buenas prácticas en política migratoria desde el ámbito local" (OIM / CONOFAM, 2021), '
        "cuadro 2, práctica 2 · líneas 641–787"
    ) in text
    assert "informe-buenas-practicas-oim-conofam" not in text


def _fake_compendium(path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def test_compendium_download_is_served_at_once_from_the_stored_file(report, client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    stored = pdf._compendium_path(pdf.data_version(), "es")
    _fake_compendium(stored, b"%PDF-1.7 stored")
    response = client.get(reverse("reports:compendium_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 stored"
    assert "compendio-buenas-practicas.pdf" in response["Content-Disposition"]


def test_compendium_download_serves_the_previous_version_while_the_new_one_builds(
    report, client, settings, tmp_path, monkeypatch
):
    settings.DATA_DIR = tmp_path
    started = []
    monkeypatch.setattr(pdf, "_build_in_background", lambda language, version: started.append(version))
    _fake_compendium(pdf._compendium_path("000000000000", "es"), b"%PDF-1.7 previous")
    response = client.get(reverse("reports:compendium_pdf"))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 previous"
    assert started == [pdf.data_version()]


def test_first_compendium_request_gets_a_page_that_reloads_until_it_is_ready(
    report, client, settings, tmp_path, monkeypatch
):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(pdf, "_build_in_background", lambda language, version: None)
    response = client.get(reverse("reports:compendium_pdf"))
    assert response.status_code == 202 and response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Preparando el compendio" in page and 'http-equiv="refresh"' in page


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
