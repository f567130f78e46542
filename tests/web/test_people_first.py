"""What a person reads on the pages: units in their language, titles in sentence case with the printed form
kept, practices numbered once, the filters in force shown and removable, no downloads of nothing."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_english_state_page_shows_units_in_english(report, client):
    html = client.get("/en/estados/oaxaca/").content.decode()
    units = re.findall(
        r'<tr data-key="[^"]+"><th scope="row">.*?</th><td class="num">.*?</td><td>(.*?)</td>', html
    )
    assert units and "people" in units
    assert not {"personas", "porcentaje", "entradas", "tarjetas"} & set(units)


def test_state_page_numbers_each_practice_once(report, client):
    html = client.get("/estados/oaxaca/").content.decode()
    section = html[html.index('id="prac-title"') :]
    items = re.findall(r'<li value="(\d+)"><h3><a [^>]+>(.*?)</a>', section)
    assert [n for n, _ in items] == ["1", "2", "3", "4", "5"]
    assert not any(re.match(r"\d+\.", title) for _, title in items)


def test_ficha_shows_the_title_in_sentence_case_and_keeps_the_printed_one(report, client):
    html = client.get("/practicas/oaxaca-2/").content.decode()
    h1 = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert h1 == (
        "Coordinación interinstitucional para la obtención de documentos de identidad y prestación de "
        "servicios de manera gratuita"
    )
    assert "COORDINACIÓN INTERINSTITUCIONAL PARA LA OBTENCIÓN" in _text(html)  # as the report prints it


def test_filters_in_force_are_listed_with_a_way_to_clear_them(report, client):
    html = client.get("/practicas/?region=norte&dimension=retorno").content.decode()
    block = html[html.index('class="active-filters"') :]
    chips = re.findall(r'<a class="chip" href="([^"]+)">', block)
    assert len(chips) == 2
    assert "Quitar todos los filtros" in block
    # Each chip's link removes its own filter and keeps the other.
    assert {c.replace("&amp;", "&") for c in chips} == {"?dimension=retorno", "?region=norte"}


def test_no_downloads_are_offered_for_an_empty_result(report, client):
    html = client.get("/practicas/?q=zzzxqqy").content.decode()
    assert "Ninguna práctica coincide" in html
    assert "/exportar/practicas.csv" not in html


def test_a_facet_with_a_single_value_is_not_offered(report, client):
    # Every practice of the report qualifies, so "¿Buena práctica?" would have one value that filters nothing.
    html = client.get("/practicas/").content.decode()
    assert 'data-facet="qualifies"' not in html
    assert 'data-facet="region"' in html


def test_region_sums_say_which_states_they_add_up(report, client):
    html = client.get("/regiones/").content.decode()
    # The report covers Baja California, Chihuahua and Durango in the north (read from its panoramas).
    assert "suma de Baja California, Chihuahua, Durango" in _text(html)


def test_english_ficha_says_its_content_is_in_spanish(report, client):
    html = client.get("/en/practicas/oaxaca-2/").content.decode()
    assert "shown in Spanish, the language of the report" in html
    assert '<p lang="es">' in html
    assert "shown in Spanish" not in client.get("/practicas/oaxaca-2/").content.decode()


def test_english_state_chart_names_the_census_categories_in_english(report, client):
    # Baja California's causes of migration, report lines 473–478: "Reunirse con la familia, 36.4%",
    # "Buscar Trabajo, 35.8%" (the census's categories, whatever their capitals in the report).
    english = _text(client.get("/en/estados/baja-california/").content.decode())
    assert "Joining family" in english and "Looking for work" in english
    spanish = _text(client.get("/estados/baja-california/").content.decode())
    assert "Reunirse con la familia" in spanish and "Buscar trabajo" in spanish
