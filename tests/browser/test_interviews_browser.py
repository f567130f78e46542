"""In a real browser: Oaxaca's office records an interview with a public excerpt and one reserved to
evaluators; an evaluator reads both on the state's interviews page, a visitor only the public one (on the
interviews page, the state page and the findings matrix). The form works without scripts."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "una-clave-larga-7391"
PUBLIC = "Atendemos a las familias en retorno en la oficina de Oaxaca de Juárez."
RESERVED = "El padrón de retornados de 2021 aún no se comparte con los municipios."


@pytest.fixture
def people(report):
    from buenaspracticas.curation import services

    services.account_create(username="ofam-oax", role="editor", state_code="MX-OAX", password=PASSWORD)
    services.account_create(username="evalua", role="evaluator", password=PASSWORD)


@pytest.fixture
def contexts():
    """Browser contexts a test opens, closed at its end (before the live server's database is flushed)."""
    opened: list = []
    yield opened
    for context in opened:
        context.close()


def _open(browser, live_server, contexts, username: str | None = None, *, javascript: bool = True):
    context = browser.new_context(
        locale="es-MX",
        base_url=live_server.url,
        java_script_enabled=javascript,
        viewport={"width": 1280, "height": 900},
    )
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    if username:
        page.goto("/cuenta/entrar/")
        page.get_by_label("Usuario", exact=True).fill(username)
        page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(re.compile(r"/cuenta/"))
    return page


def test_a_reserved_excerpt_reaches_evaluators_and_never_visitors(browser, live_server, people, contexts):
    editor = _open(browser, live_server, contexts, "ofam-oax", javascript=False)
    editor.goto("/estados/oaxaca/entrevistas/")
    editor.get_by_role("link", name="Registrar una entrevista").click()
    editor.get_by_label("Institución", exact=True).fill("Instituto Oaxaqueño de Atención al Migrante")
    editor.get_by_label("Fecha", exact=True).fill("2021-06-15")
    editor.locator("#id_role_0").fill("Dirección de Atención al Migrante")
    editor.locator("#id_module_0").select_option("acciones")
    editor.locator("#id_consent_0").select_option("public")
    editor.locator("#id_text_0").fill(PUBLIC)
    editor.locator("#id_module_1").select_option("retos")
    editor.locator("#id_consent_1").select_option("evaluators")
    editor.locator("#id_text_1").fill(RESERVED)
    editor.get_by_role("button", name="Guardar la entrevista").click()
    editor.wait_for_url(re.compile(r"/estados/oaxaca/entrevistas/$"))
    assert "Entrevista registrada." in editor.locator(".messages").inner_text()
    # The office wrote it, but its own level is public: the reserved excerpt is not shown back to it.
    assert PUBLIC in editor.content() and RESERVED not in editor.content()

    evaluator = _open(browser, live_server, contexts, "evalua")
    evaluator.goto("/estados/oaxaca/entrevistas/nueva/")
    assert serious_accessibility_violations(evaluator) == []  # axe needs scripts: checked here, not above
    evaluator.goto("/estados/oaxaca/entrevistas/")
    article = evaluator.locator("article.interview", has_text="Dirección de Atención al Migrante")
    assert PUBLIC in article.inner_text() and RESERVED in article.inner_text()
    assert "reservado" in article.locator('[data-consent="evaluators"]').inner_text()

    visitor = _open(browser, live_server, contexts)
    for path in ("/estados/oaxaca/entrevistas/", "/estados/oaxaca/", "/estados/oaxaca/hallazgos/"):
        visitor.goto(path)
        assert RESERVED not in visitor.content(), path
    visitor.goto("/estados/oaxaca/")
    assert PUBLIC in visitor.locator("section.state-evidence").inner_text()
    visitor.get_by_role("link", name="Matriz de hallazgos del estado").click()
    visitor.wait_for_url(re.compile(r"/estados/oaxaca/hallazgos/$"))
    assert "cierre del consulado estadounidense" in visitor.locator("table.findings").inner_text()
    assert serious_accessibility_violations(visitor) == []
