"""Accounts, tokens and signed-in clients for tests, built through the product's own services (shared by the
curation, API, coordination and advice tests)."""

from __future__ import annotations

PASSWORD = "una-clave-larga-7391"

# A ficha as a state office would send it.
FICHA = {
    "title": "RED ESTATAL DE ALBERGUES COMUNITARIOS",
    "institution": "Instituto Oaxaqueño de Atención al Migrante",
    "dimensions": ["transito", "retorno"],
    "target_population": "Personas migrantes en tránsito",
    "description": "Coordina albergues comunitarios con la sociedad civil.",
    "criteria": {"sostenibilidad": {"verdict": "met", "evidence": "Ley estatal de 2019."}},
}

# Oaxaca's office, Jalisco's office, an evaluator and the coordination.
EDITORS = {"editor": ("oax", "MX-OAX"), "other_editor": ("jal", "MX-JAL")}


def accounts_create(editors: dict[str, tuple[str, str]] = EDITORS, *, visitor: bool = True) -> dict:
    """Return users by name: the editors given (name → (username, state)), "evaluator", "coordinator" and,
    unless visitor=False, "visitor" (an account without a role)."""
    from django.contrib.auth import get_user_model

    from buenaspracticas.curation import services

    users = {
        name: services.account_create(username=username, role="editor", state_code=state, password=PASSWORD)
        for name, (username, state) in editors.items()
    }
    users["evaluator"] = services.account_create(username="eva", role="evaluator", password=PASSWORD)
    users["coordinator"] = services.account_create(username="coord", role="coordinator", password=PASSWORD)
    if visitor:
        users["visitor"] = get_user_model().objects.create_user("visita", password=PASSWORD)
    return users


def tokens_for(users: dict) -> dict[str, str]:
    """Return a fresh Bearer token per user name."""
    from buenaspracticas.curation import services

    return {name: services.token_create(username=u.username) for name, u in users.items()}


def clients_for(users: dict) -> dict:
    """Return a signed-in test client per user name, plus "anonymous"."""
    from django.test import Client

    out = {"anonymous": Client()}
    for name, user in users.items():
        out[name] = Client()
        out[name].force_login(user)
    return out


def bearer(token: str) -> dict:
    """Return the Django test client's keyword for an `Authorization: Bearer` header."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
