"""Coordination fixtures: the report's recommendations loaded, one account per role (editors of Oaxaca and
Jalisco) with e-mail addresses, their API tokens and signed-in clients, and a session built by code."""

from __future__ import annotations

import pytest

from tests.accounts import PASSWORD, accounts_create, bearer, clients_for, tokens_for

__all__ = ["PASSWORD", "bearer"]

from tests.browser import conftest as browser_conftest

# The real-browser fixture of tests/browser (Debian's chromium through Playwright), for test_browser.py.
browser = browser_conftest.browser

ROLES = ("visitor", "editor", "other_editor", "evaluator", "coordinator")


@pytest.fixture
def recommendations(report):
    """The bundled report with its recommendations loaded (what the report loader will do)."""
    from buenaspracticas.coordination.services import recommendations_load

    recommendations_load(path=report)
    return report


@pytest.fixture
def people(recommendations):
    """Users by name: editor (MX-OAX), other_editor (MX-JAL), evaluator, coordinator, visitor (no role)."""
    users = accounts_create()
    for user in users.values():
        user.email = f"{user.username}@ejemplo.mx"
        user.save(update_fields=["email"])
    return users


@pytest.fixture
def tokens(people):
    return tokens_for(people)


@pytest.fixture
def clients(people):
    return clients_for(people)


SESSION = {
    "title": "Sesión ordinaria de OFAM: región sur-sureste",
    "starts_at": "2031-03-10T10:00",
    "ends_at": "2031-03-10T13:00",
    "timezone": "America/Mexico_City",
    "place": "Oaxaca de Juárez, Instituto Oaxaqueño de Atención al Migrante",
    "video_url": "https://reunion.ejemplo.mx/ofam-sur",
    "agenda": "1. Registro de personas en retorno.\n2. Calendario común.",
    "states": ["MX-OAX", "MX-JAL"],
}


@pytest.fixture
def session(people):
    """A session of Oaxaca and Jalisco with one agreement owned by Oaxaca, created by the system operator."""
    from buenaspracticas.coordination import services

    s = services.session_create(user=None, data=SESSION)
    agreement = services.agreement_create(
        user=None,
        session_id=s.pk,
        data={
            "text": "Compartir el padrón de albergues con los demás estados.",
            "owner_state": "MX-OAX",
            "due": "2031-04-30",
        },
    )
    return {"session": s, "agreement": agreement}
