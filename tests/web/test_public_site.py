"""The public site's pages beyond the basics: map, regions, method, charts, similar practices, English."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_home_map_links_every_state_and_colours_those_with_practices(report):
    html = Client().get("/").content.decode()
    assert html.count('<path d="M') == 32
    assert 'data-state="MX-BCN" data-count="5"' in html
    assert "/estados/oaxaca/" in html
    assert "INEGI" in html  # the boundaries' attribution


def test_home_in_english_links_to_english_pages(report):
    html = Client().get("/en/").content.decode()
    assert "/en/estados/oaxaca/" in html
    assert "Good practices in local migration policy" in html
    assert "Map of Mexico: practices by state" in html


def test_state_page_draws_its_charts_with_a_table_of_the_same_data(report):
    html = Client().get("/estados/baja-california/").content.decode()
    assert 'data-chart="foreign_born_by_country"' in html
    assert "<svg" in html
    assert "Ver los datos en una tabla" in html
    assert "reports" in html or "informes" in html  # download buttons are included


def test_region_page_sets_its_states_side_by_side_with_totals(report):
    client = Client()
    response = client.get("/regiones/norte/")
    assert response.status_code == 200
    text = _text(response)
    assert "Baja California" in text and "Chihuahua" in text and "Durango" in text
    assert "Total" in text
    body = client.get("/api/v1/states/MX-BCN").json()
    assert f"{body['panorama']['total_population']:,}".replace(",", " ") in text


def test_regions_compare_the_four(report):
    text = _text(Client().get("/regiones/"))
    for name in ("Norte", "Occidente", "Centro", "Sur-Sureste"):
        assert name in text


def test_unknown_region_is_a_404(report):
    assert Client().get("/regiones/atlantida/").status_code == 404


def test_method_page_explains_the_five_criteria_and_the_rule(report):
    text = _text(Client().get("/metodo/"))
    for name in ("Sostenibilidad", "Asociación", "Innovación", "Replicabilidad", "Eficacia"):
        assert name in text
    assert "al menos 3 de los 5" in text


def test_ficha_lists_similar_practices_from_other_states(report):
    html = Client().get("/practicas/puebla-2/").content.decode()
    section = html[html.index('id="similar-title"') :]
    assert "/practicas/estado-de-mexico-2/" in section
    assert "/practicas/puebla-1/" not in section


def test_search_results_say_why_they_matched(report):
    html = Client().get("/practicas/?q=albergues").content.decode()
    assert "<mark>" in html


def test_every_page_has_an_english_twin(report):
    client = Client()
    for path in (
        "/",
        "/practicas/",
        "/practicas/baja-california-2/",
        "/estados/oaxaca/",
        "/regiones/norte/",
        "/regiones/",
        "/metodo/",
        "/estados/",
    ):
        response = client.get("/en" + path)
        assert response.status_code == 200, path
        assert '<html lang="en">' in response.content.decode()
    text = _text(client.get("/en/practicas/baja-california-2/"))
    assert "Assessment criteria" in text and "Met" in text
