"""A person opens the catalogue in a real browser: list, ficha, state page."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_visitor_goes_from_the_list_to_a_ficha_and_reads_its_verdicts(page):
    page.goto("/practicas/?estado=baja-california")
    # Titles printed in capitals are shown in sentence case; names keep the capitals the report gives them.
    shown = "Registro Estatal de personas migrantes y programa de credencialización"
    page.get_by_role("link", name=re.compile(f"^{shown}$")).click()
    page.wait_for_url(re.compile(r"/practicas/baja-california-2/$"))
    table = page.locator("table.criteria")
    assert table.locator("tbody tr").count() == 5
    assert table.locator("tr[data-criterion=sostenibilidad] .verdict").inner_text().strip().endswith("Cumple")
    assert re.search(
        r"Fuente: Informe .*, cuadro \d+, práctica \d+ · líneas \d+–\d+",
        page.locator(".provenance").inner_text(),
    )


def test_state_page_shows_its_panorama_and_practices(page):
    page.goto("/estados/oaxaca/")
    assert page.get_by_role("heading", level=1).inner_text() == "Oaxaca"
    assert page.locator("table.panorama tbody tr").count() > 10
    assert page.locator("section:has(#prac-title) li").count() >= 1
