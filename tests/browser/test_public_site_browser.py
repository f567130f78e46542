"""The public site in a real browser: search, facets, ficha, state charts, language switch, keyboard use,
and axe-core finding no serious or critical violation."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/practicas/?q=albergues",
    "/practicas/baja-california-3/",
    "/estados/baja-california/",
    "/regiones/norte/",
    "/regiones/",
    "/metodo/",
]


def test_search_then_facet_then_ficha(page):
    page.goto("/")
    page.get_by_label("Buscar prácticas").fill("albergues")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url(re.compile(r"/practicas/\?q=albergues"))
    first = page.locator("ol.practice-list > li").first
    assert "albergues" in first.locator("h2").inner_text()  # shown in sentence case
    assert first.locator("mark").count() >= 1
    page.locator("[data-facet=state] a", has_text="Baja California").first.click()
    page.wait_for_url(re.compile(r"estado=baja-california"))
    titles = page.locator("ol.practice-list > li h2").all_inner_texts()
    assert titles and all(t for t in titles)
    assert "Baja California" in page.locator("ol.practice-list > li .meta").first.inner_text()
    page.locator("ol.practice-list > li h2 a").first.click()
    page.wait_for_url(re.compile(r"/practicas/baja-california-\d+/$"))
    assert page.locator("table.criteria tbody tr").count() == 5


def test_search_by_keyboard_alone(page):
    page.goto("/practicas/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.locator("#q").focus()
    page.keyboard.type("tercera edad")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=tercera"))
    link = page.locator("ol.practice-list > li h2 a").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/practicas/[a-z-]+-\d+/$"))
    assert page.locator("h1").inner_text()


def test_state_page_draws_its_charts(page):
    page.goto("/estados/baja-california/")
    charts = page.locator("figure.chart")
    assert charts.count() >= 1
    svg = charts.first.locator("svg")
    assert svg.count() == 1
    box = svg.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 30
    assert svg.locator("title").count() >= 1


def test_language_switch_to_english_and_back(page):
    page.goto("/practicas/baja-california-2/")
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/practicas/baja-california-2/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Assessment criteria" in page.locator("main").inner_text()
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    page.wait_for_url(lambda url: "/en/" not in url and url.endswith("/practicas/baja-california-2/"))
    assert page.locator("html").get_attribute("lang") == "es"


def test_map_states_are_links_to_their_pages(page):
    page.goto("/")
    page.locator('svg.mx-map a[href="/estados/oaxaca/"]').click()
    page.wait_for_url(re.compile(r"/estados/oaxaca/$"))
    assert page.locator("h1").inner_text() == "Oaxaca"


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(page, path):
    page.goto(path)
    assert serious_accessibility_violations(page) == []
