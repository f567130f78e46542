"""API fixtures: accounts of each role (editors of Oaxaca and Jalisco) and their Bearer tokens."""

from __future__ import annotations

import pytest

from buenaspracticas.curation import accounts as account_services

PASSWORD = "una-clave-larga-7391"

FICHA = {
    "title": "RED ESTATAL DE ALBERGUES COMUNITARIOS",
    "institution": "Instituto Oaxaqueño de Atención al Migrante",
    "dimensions": ["transito", "retorno"],
    "target_population": "Personas migrantes en tránsito",
    "description": "Coordina albergues comunitarios con la sociedad civil.",
    "criteria": {"sostenibilidad": {"verdict": "met", "evidence": "Ley estatal de 2019."}},
}


@pytest.fixture
def accounts(report):
    """Users by name: editor (MX-OAX), other_editor (MX-JAL), evaluator, coordinator."""
    return {
        "editor": account_services.account_create(
            username="oax", role="editor", state_code="MX-OAX", password=PASSWORD
        ),
        "other_editor": account_services.account_create(
            username="jal", role="editor", state_code="MX-JAL", password=PASSWORD
        ),
        "evaluator": account_services.account_create(username="eva", role="evaluator", password=PASSWORD),
        "coordinator": account_services.account_create(
            username="coord", role="coordinator", password=PASSWORD
        ),
    }


@pytest.fixture
def tokens(accounts):
    """Bearer tokens by account name."""
    return {name: account_services.token_create(username=u.username) for name, u in accounts.items()}


def bearer(token: str) -> dict:
    """Return the Django test client's keyword for an `Authorization: Bearer` header."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
