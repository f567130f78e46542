"""The curation pages in a real browser: axe-core finds no serious or critical violation, and a stale
save shows both versions."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "una-clave-larga-7391"


@pytest.fixture
def signed_in(page, report):
    from buenaspracticas.curation import services

    services.account_create(username="coord", role="coordinator", password=PASSWORD)
    page.goto("/cuenta/entrar/")
    page.get_by_label("Usuario").fill("coord")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(re.compile(r"/cuenta/practicas/$"))
    return page


@pytest.mark.parametrize(
    "path",
    [
        "/cuenta/practicas/",
        "/cuenta/practicas/nueva/",
        "/cuenta/practicas/oaxaca-1/",
        "/cuenta/practicas/oaxaca-1/editar/",
        "/convocatorias/",
        "/convocatorias/nueva/",
        "/practicas/oaxaca-1/historial/",
        "/cuenta/estados/MX-OAX/cifras/",
    ],
)
def test_curation_pages_have_no_serious_accessibility_violations(signed_in, path):
    signed_in.goto(path)
    assert serious_accessibility_violations(signed_in) == []


def test_stale_save_in_the_browser_shows_both_versions(signed_in):
    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.curation import services

    page = signed_in
    page.goto("/cuenta/practicas/oaxaca-1/editar/")
    page.get_by_label("Población objetivo").fill("Población de la oficina")
    services.practice_edit(
        user=None,
        practice_id="oaxaca-1",
        data={"target_population": "Población ajena"},
        expected_version=Practice.objects.get(public_id="oaxaca-1").version,
    )
    page.get_by_role("button", name="Guardar").click()
    assert page.locator("#conflict").is_visible()
    text = page.locator("#conflict").inner_text()
    assert "Población ajena" in text and "Población de la oficina" in text
    page.get_by_role("button", name="Guardar").click()  # the merged form now carries the current version
    page.wait_for_url(re.compile(r"/cuenta/practicas/oaxaca-1/$"))
