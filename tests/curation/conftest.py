"""Curation fixtures: one account per role (editors of Oaxaca and Jalisco), their API tokens and clients."""

from __future__ import annotations

import pytest
from django.test import Client

from buenaspracticas.curation import services

PASSWORD = "una-clave-larga-7391"


@pytest.fixture
def accounts(report):
    """Users by name: editor (MX-OAX), other_editor (MX-JAL), evaluator, coordinator, visitor (no role)."""
    from django.contrib.auth import get_user_model

    users = {
        "editor": services.account_create(
            username="oax", role="editor", state_code="MX-OAX", password=PASSWORD
        ),
        "other_editor": services.account_create(
            username="jal", role="editor", state_code="MX-JAL", password=PASSWORD
        ),
        "evaluator": services.account_create(username="eva", role="evaluator", password=PASSWORD),
        "coordinator": services.account_create(username="coord", role="coordinator", password=PASSWORD),
    }
    users["visitor"] = get_user_model().objects.create_user("visita", password=PASSWORD)
    return users


@pytest.fixture
def tokens(accounts):
    return {name: services.token_create(username=u.username) for name, u in accounts.items()}


@pytest.fixture
def clients(accounts):
    out = {"anonymous": Client()}
    for name, user in accounts.items():
        c = Client()
        c.force_login(user)
        out[name] = c
    return out


def auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


FICHA = {
    "title": "RED ESTATAL DE ALBERGUES COMUNITARIOS",
    "institution": "Instituto Oaxaqueño de Atención al Migrante",
    "dimensions": ["transito", "retorno"],
    "target_population": "Personas migrantes en tránsito",
    "description": "Coordina albergues comunitarios con la sociedad civil.",
    "criteria": {"sostenibilidad": {"verdict": "met", "evidence": "Ley estatal de 2019."}},
}
