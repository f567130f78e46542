"""In a real browser: a coordinator confirms a suggested GCM objective and a population group of a practice,
and the coverage view changes; the coverage tables never push a 390 px phone sideways."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "una-clave-larga-7391"
PRACTICE, STATE, GROUP = "chihuahua-7", "MX-CHH", "unaccompanied_children"


@pytest.fixture
def coordinator_page(browser, live_server, report):
    from buenaspracticas.curation import services
    from buenaspracticas.recommend.services import suggestions_refresh

    suggestions_refresh()
    services.account_create(username="coordinacion", role="coordinator", password=PASSWORD)
    context = browser.new_context(locale="es-MX", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto("/cuenta/entrar/")
    page.get_by_label("Usuario").fill("coordinacion")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(re.compile(r"/cuenta/practicas/$"))
    yield page
    context.close()


def _cell(page, table: str, attribute: str, value) -> tuple[int, str]:
    page.goto("/cobertura/")
    cell = page.locator(f"#{table} tr[data-state='{STATE}'] td[{attribute}='{value}']")
    return int(cell.get_attribute("data-confirmed")), cell.inner_text()


def test_coordinator_confirms_an_objective_and_a_group_and_coverage_changes(coordinator_page):
    from buenaspracticas.recommend.selectors import gcm_objectives_for

    page = coordinator_page
    number = gcm_objectives_for(practice_ids=[PRACTICE])[PRACTICE][0]["number"]
    gcm_before, _ = _cell(page, "coverage-gcm", "data-gcm", number)
    group_before, group_text = _cell(page, "coverage-groups", "data-group", GROUP)
    assert "sugerida" in group_text

    page.goto(f"/cobertura/practicas/{PRACTICE}/")
    page.get_by_role("button", name=f"Confirmar objetivo {number}").click()
    page.wait_for_load_state()
    assert page.locator(f"#gcm li[data-gcm='{number}']").get_attribute("data-status") == "confirmed"
    page.get_by_role("button", name="Confirmar «Niñas, niños y adolescentes no acompañados»").click()
    page.wait_for_load_state()
    assert page.locator(f"#groups li[data-group='{GROUP}'] .status").inner_text() == "confirmado"

    gcm_after, gcm_text = _cell(page, "coverage-gcm", "data-gcm", number)
    group_after, group_text = _cell(page, "coverage-groups", "data-group", GROUP)
    assert (gcm_after, group_after) == (gcm_before + 1, group_before + 1)
    assert "1 confirmada" in gcm_text and "1 confirmada" in group_text

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/cobertura/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
