"""Evidence fixtures: one account per role (editors of Oaxaca and Jalisco), their tokens and signed-in
clients, and an Oaxaca interview with one excerpt at each consent level, linked to oaxaca-1's findings row.
Each excerpt carries a word found nowhere else, so a test can tell which ones reached a reader."""

from __future__ import annotations

import pytest

from tests.accounts import accounts_create, clients_for, tokens_for

SECRETS = {
    "public": "Testimonio abierto sobre la colibripalabra del albergue.",
    "evaluators": "Dato reservado a evaluación: la zorzalpalabra del padrón.",
    "coordinators": "Confidencial para coordinación: la quetzalpalabra del presupuesto.",
}
MARKERS = {"public": "colibripalabra", "evaluators": "zorzalpalabra", "coordinators": "quetzalpalabra"}

INTERVIEW = {
    "state": "MX-OAX",
    "institution": "Instituto Oaxaqueño de Atención al Migrante",
    "held_on": "2021-06-15",
    "interviewees": [
        {"role": "Dirección de Atención al Migrante", "name": "María Pérez", "name_consented": True},
        {"role": "Jefatura de Proyectos"},
    ],
    "excerpts": [
        {"module": "acciones", "text": SECRETS["public"], "consent": "public"},
        {"module": "impactos", "text": SECRETS["evaluators"], "consent": "evaluators"},
        {"module": "retos", "text": SECRETS["coordinators"], "consent": "coordinators"},
    ],
}


@pytest.fixture
def people(report):
    """Users by name: editor (MX-OAX), other_editor (MX-JAL), evaluator, coordinator, visitor (no role)."""
    return accounts_create()


@pytest.fixture
def tokens(people):
    return tokens_for(people)


@pytest.fixture
def clients(people):
    return clients_for(people)


@pytest.fixture
def evidence(people):
    """The interview above (recorded by the coordination) and oaxaca-1's findings row citing its excerpts."""
    from buenaspracticas.evidence import services
    from buenaspracticas.evidence.models import Finding

    interview = services.interview_create(user=people["coordinator"], data=INTERVIEW)
    excerpts = {e.consent: e.pk for e in interview.excerpts.all()}
    finding = Finding.objects.get(practice__public_id="oaxaca-1")
    services.finding_update(
        user=people["coordinator"],
        finding_id=finding.pk,
        data={
            "impacts": "Reunificó a familias separadas por la migración.",
            "excerpts": list(excerpts.values()),
        },
    )
    return {"interview": interview.pk, "excerpts": excerpts, "finding": finding.pk}
