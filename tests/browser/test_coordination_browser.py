"""In a real browser: the coordination creates a session with an agreement, Oaxaca's editor marks the
agreement done and updates recommendation 4, and the recommendations table, the Atom feed and the calendar
show it. The pages work without scripts, do not scroll sideways on a phone, keep the header on one line on
a laptop and have no serious accessibility problems."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "una-clave-larga-7391"
ATOM = "{http://www.w3.org/2005/Atom}"
AGREEMENT = "Compartir el padrón estatal de albergues con los estados de la región."


@pytest.fixture
def people(report):
    from buenaspracticas.coordination.services import recommendations_load
    from buenaspracticas.curation import services

    recommendations_load(path=report)
    services.account_create(username="conofam", role="coordinator", password=PASSWORD)
    services.account_create(username="ofam-oax", role="editor", state_code="MX-OAX", password=PASSWORD)


@pytest.fixture
def contexts():
    """Browser contexts a test opens, closed at its end (before the live server's database is flushed)."""
    opened: list = []
    yield opened
    for context in opened:
        context.close()


def _sign_in(browser, live_server, contexts, username: str, *, width: int = 1280, javascript: bool = True):
    context = browser.new_context(
        locale="es-MX",
        base_url=live_server.url,
        java_script_enabled=javascript,
        viewport={"width": width, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/cuenta/entrar/")
    page.get_by_label("Usuario", exact=True).fill(username)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(re.compile(r"/cuenta/"))
    return page, errors


def test_a_session_agreement_done_by_its_state_shows_in_the_table_and_the_feeds(
    browser, live_server, people, contexts
):
    coordinator, console = _sign_in(browser, live_server, contexts, "conofam")
    coordinator.goto("/")
    coordinator.get_by_role("link", name="Coordinación", exact=True).click()
    coordinator.get_by_role("link", name="Sesiones", exact=True).click()
    coordinator.get_by_role("link", name="Nueva sesión").click()
    coordinator.get_by_label("Título", exact=True).fill("Sesión ordinaria de OFAM del sur-sureste")
    coordinator.get_by_label("Inicio", exact=True).fill("2031-03-10T10:00")
    coordinator.get_by_label("Fin", exact=True).fill("2031-03-10T13:00")
    coordinator.get_by_label("Zona horaria", exact=True).select_option("America/Mexico_City")
    coordinator.get_by_label("Lugar", exact=True).fill("Oaxaca de Juárez")
    coordinator.get_by_label("Oaxaca", exact=True).check()
    coordinator.get_by_label("Yucatán", exact=True).check()
    coordinator.get_by_role("button", name="Crear la sesión").click()
    coordinator.wait_for_url(re.compile(r"/sesiones/\d+/$"))
    session_id = int(re.search(r"/sesiones/(\d+)/$", coordinator.url).group(1))
    assert "Sesión creada." in coordinator.locator(".messages").inner_text()

    form = coordinator.locator("#agreement-form")
    form.get_by_label("Acuerdo", exact=True).fill(AGREEMENT)
    form.get_by_label("Estado responsable", exact=True).select_option("MX-OAX")
    form.get_by_label("Fecha límite", exact=True).fill("2031-04-30")
    form.get_by_role("button", name="Registrar acuerdo").click()
    coordinator.wait_for_url(re.compile(r"#acuerdo-\d+$"))
    agreement = coordinator.locator("li.agreement").first
    assert AGREEMENT in agreement.inner_text() and "pendiente" in agreement.inner_text()

    # The state's editor works on a phone with scripts turned off: every form works without them.
    editor, _ = _sign_in(browser, live_server, contexts, "ofam-oax", width=390, javascript=False)
    editor.goto(f"/sesiones/{session_id}/")
    item = editor.locator("li.agreement").first
    item.get_by_label("Estatus", exact=True).select_option("done")
    item.get_by_label("Nota de seguimiento", exact=True).fill("Padrón enviado a Yucatán y Chiapas.")
    item.get_by_role("button", name="Guardar seguimiento").click()
    editor.wait_for_url(re.compile(r"#acuerdo-\d+$"))
    item = editor.locator("li.agreement").first
    assert item.get_attribute("data-status") == "done"
    assert "cumplido" in item.inner_text() and "Padrón enviado a Yucatán" in item.inner_text()
    assert editor.evaluate("document.documentElement.scrollWidth") <= 390

    editor.goto("/recomendaciones/")
    cell = editor.locator('tr[data-state="MX-OAX"] td[data-recommendation="4"]')
    cell.get_by_role("link").click()
    editor.get_by_label("cumplida", exact=True).check()
    editor.get_by_label("Nota", exact=True).fill("Calendario común acordado en la sesión ordinaria.")
    editor.get_by_role("button", name="Guardar avance").click()
    editor.wait_for_url(re.compile(r"/recomendaciones/4/oaxaca/$"))
    assert "cumplida" in editor.locator("#current-status").inner_text()

    editor.goto("/recomendaciones/")
    cell = editor.locator('tr[data-state="MX-OAX"] td[data-recommendation="4"]')
    assert cell.get_attribute("data-status") == "done" and "cumplida" in cell.inner_text()
    assert editor.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls inside its box

    feed = ET.fromstring(editor.request.get("/novedades.atom?estado=oaxaca").body())
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "Recomendación 4 en Oaxaca: cumplida"
    assert titles[1].startswith("Acuerdo cumplido (Oaxaca): Compartir el padrón estatal")
    events = {
        str(e["UID"]): e
        for e in Calendar.from_ical(editor.request.get("/calendario/oaxaca.ics").body()).walk("VEVENT")
    }
    due = next(e for uid, e in events.items() if uid.startswith("acuerdo-"))
    assert "cumplido" in str(due["SUMMARY"]) and int(due["SEQUENCE"]) == 1
    assert f"sesion-{session_id}@buenaspracticas" in events

    coordinator.goto(f"/sesiones/{session_id}/")
    assert "cumplido" in coordinator.locator("li.agreement").first.inner_text()
    assert serious_accessibility_violations(coordinator) == []
    coordinator.goto("/recomendaciones/")
    assert 'data-status="done"' in coordinator.locator('tr[data-state="MX-OAX"]').inner_html()
    assert serious_accessibility_violations(coordinator) == []
    assert console == []  # no Content-Security-Policy violation, no script error


def test_the_coordination_pages_keep_the_header_on_one_line_on_a_laptop(browser, live_server, people):
    context = browser.new_context(
        locale="es-MX", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    for path in ("/recomendaciones/", "/sesiones/", "/en/recomendaciones/"):
        page.goto(path)
        links = page.locator("header.site-header a, header.site-header button")
        middles = [
            b["y"] + b["height"] / 2 for b in (links.nth(i).bounding_box() for i in range(links.count()))
        ]
        assert max(middles) - min(middles) < 8, f"{path}: the header wraps at 1280 px"
    context.close()
