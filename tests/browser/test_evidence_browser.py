"""In a real browser: an evaluator records (through the API) an interview with an excerpt only evaluators
may read, cites it on a verdict through the ficha's evaluation form, publishes the ficha, and reads the
excerpt beside the verdict's evidence; a visitor sees "evidencia reservada" in its place, never its text.
The ficha also lists the report's footnotes it carries (Baja California's practice 1 holds the marker of
footnote 21, line 547 of the report: "Congreso del Estado de Baja California, Ley para la Protección …"),
with links that open."""

from __future__ import annotations

import re

import pytest

from tests.accounts import FICHA, PASSWORD, accounts_create, tokens_for
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESERVED = "El padrón estatal de albergues aún no se comparte con los municipios."


@pytest.fixture
def contexts():
    """Browser contexts a test opens, closed at its end (before the live server's database is flushed)."""
    opened: list = []
    yield opened
    for context in opened:
        context.close()


def _context(browser, live_server, contexts):
    context = browser.new_context(
        locale="es-MX", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _sign_in(browser, live_server, contexts, username: str):
    context, page = _context(browser, live_server, contexts)
    page.goto("/cuenta/entrar/")
    page.get_by_label("Usuario", exact=True).fill(username)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(re.compile(r"/cuenta/"))
    return context, page


@pytest.fixture
def in_review(report):
    """Accounts, their tokens, and a new Oaxaca ficha (3 of 5 criteria met) taken for review."""
    from buenaspracticas.curation import services

    users = accounts_create()
    data = {
        **FICHA,
        "criteria": {
            c: {"verdict": "met", "evidence": "Consta."} for c in ("sostenibilidad", "asociacion", "eficacia")
        },
    }
    practice = services.practice_draft_create(user=users["editor"], state_code="MX-OAX", data=data)
    services.practice_transition(user=users["editor"], practice_id=practice.public_id, to="submitted")
    services.practice_transition(user=users["evaluator"], practice_id=practice.public_id, to="in_review")
    return {"practice": practice.public_id, "tokens": tokens_for(users)}


def test_a_reserved_excerpt_cited_on_a_verdict_reaches_evaluators_only(
    browser, live_server, in_review, contexts
):
    practice_id = in_review["practice"]
    evaluator_context, evaluator = _sign_in(browser, live_server, contexts, "eva")

    recorded = evaluator_context.request.post(
        "/api/v1/interviews",
        headers={"Authorization": f"Bearer {in_review['tokens']['evaluator']}"},
        data={
            "state": "MX-OAX",
            "institution": "Instituto Oaxaqueño de Atención al Migrante",
            "held_on": "2021-06-15",
            "interviewees": [{"role": "Dirección de Atención al Migrante"}],
            "excerpts": [{"module": "capacidades", "text": RESERVED, "consent": "evaluators"}],
        },
    )
    assert recorded.status == 201, recorded.text()
    excerpt_id = next(e["id"] for e in recorded.json()["excerpts"] if e["text"] == RESERVED)

    evaluator.goto(f"/cuenta/practicas/{practice_id}/")
    evaluator.get_by_label("Citas: Sostenibilidad", exact=True).fill(f"extracto {excerpt_id}")
    evaluator.get_by_role("button", name="Guardar valoración").click()
    assert "Valoración guardada." in evaluator.locator(".messages").inner_text()
    assert (
        evaluator.get_by_label("Citas: Sostenibilidad", exact=True).input_value() == f"extracto {excerpt_id}"
    )
    evaluator.locator('button[data-to="published"]').click()
    evaluator.wait_for_load_state()

    evaluator.goto(f"/practicas/{practice_id}/")
    cell = evaluator.locator('tr[data-criterion="sostenibilidad"] td.evidence')
    assert RESERVED in cell.inner_text()
    assert "evidencia reservada" not in cell.inner_text()

    _, visitor = _context(browser, live_server, contexts)
    visitor.goto(f"/practicas/{practice_id}/")
    cell = visitor.locator('tr[data-criterion="sostenibilidad"] td.evidence')
    assert "evidencia reservada" in cell.inner_text()
    assert RESERVED not in visitor.content()
    assert serious_accessibility_violations(visitor) == []


def test_the_ficha_lists_its_footnotes_with_links_that_open(browser, live_server, report, contexts):
    _, visitor = _context(browser, live_server, contexts)
    visitor.goto("/practicas/baja-california-1/")
    documents = visitor.get_by_role("region", name="Documentos citados")
    note = documents.locator('li[data-footnote="21"]')
    assert "Congreso del Estado de Baja California, Ley para la Protección" in note.inner_text()
    link = note.get_by_role("link", name=re.compile("Abrir documento"))
    assert link.get_attribute("href").startswith("http")
    assert "congresobc.gob.mx" in link.get_attribute("href")
    assert link.get_attribute("target") == "_blank"
