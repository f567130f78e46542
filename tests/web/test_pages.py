"""The Spanish pages over the loaded report (server-rendered HTML; the browser tests drive them too)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_home_shows_what_the_catalogue_holds(report):
    text = _text(Client().get("/"))
    assert "44 prácticas de 12 estados" in text


def test_practice_list_shows_every_practice_and_the_facets(report):
    response = Client().get("/practicas/?pagina=1")
    text = _text(response)
    assert "44 prácticas" in text
    assert "Estado" in text and "Criterio cumplido" in text


def test_ficha_shows_all_fields_verdicts_evidence_and_provenance(report):
    response = Client().get("/practicas/baja-california-2/")
    assert response.status_code == 200
    text = _text(response)
    assert "REGISTRO ESTATAL DE PERSONAS MIGRANTES Y PROGRAMA DE CREDENCIALIZACIÓN" in text
    assert "Subsecretaría de Asuntos Migratorios del Estado de Baja California" in text
    assert "Retorno, Tránsito, Destino" in text
    assert "cumple 5 de 5" in text
    assert text.count("Cumple") >= 5
    assert re.search(
        r"Fuente: Informe (?:\"|&quot;)Buenas prácticas.*?(?:\"|&quot;) \(OIM / CONOFAM, 2021\), "
        r"cuadro 2, práctica 2 · líneas \d+–\d+",
        text,
    )


def test_ficha_with_missing_mark_says_no_data_not_not_met(report):
    client = Client()
    items = client.get("/api/v1/practices?limit=500").json()["items"]
    unknown = next(p for p in items if any(c["verdict"] == "unknown" for c in p["criteria"].values()))
    text = _text(client.get(f"/practicas/{unknown['id']}/"))
    assert "Sin dato en el informe" in text


def test_state_page_shows_panorama_with_units_sources_and_practices(report):
    text = _text(Client().get("/estados/baja-california/"))
    assert "Panorama migratorio estatal" in text
    assert "3 769 020" in text
    assert "INEGI" in text
    assert "programa de credencialización" in text  # titles printed in capitals shown in sentence case


def test_english_interface_lives_under_en(report):
    response = Client().get("/en/practicas/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_unknown_practice_is_a_404_page_in_spanish(report):
    response = Client().get("/practicas/no-existe-1/")
    assert response.status_code == 404
    assert "No existe la práctica" in _text(response)


def test_state_page_shows_periods_as_people_read_them(report):
    text = _text(Client().get("/estados/baja-california/"))
    assert "mar 2015 – mar 2020" in text
    assert "ene–jun 2021" in text


def test_english_state_page_titles_its_charts_in_english(report):
    text = Client().get("/en/estados/baja-california/").content.decode()
    assert "Entries of foreign nationals by mode — Baja California" in text
    assert "Entradas de personas extranjeras por vía" not in text


def test_ficha_history_names_the_report_by_its_title_not_its_file(report):
    html = Client().get("/practicas/oaxaca-2/").content.decode()
    history = html[html.index('id="historial"') :] if 'id="historial"' in html else html
    # The bundled report's title, as its metadata (data/*.meta.json) gives it.
    assert "Cargado del informe «Buenas prácticas en política migratoria desde el ámbito local" in history
    assert "informe-buenas-practicas-oim-conofam" not in history
