"""The coordinator's overview: agreements overdue, states that have not updated a recommendation in six
months, practices waiting for review and for how long."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from buenaspracticas.coordination import selectors, services
from buenaspracticas.coordination.models import RecommendationStatus
from buenaspracticas.curation import services as curation_services
from buenaspracticas.curation.models import Transition

pytestmark = pytest.mark.django_db


def test_overdue_agreements_stale_states_and_waiting_practices(people, session, clients):
    coordinator, editor = people["coordinator"], people["editor"]
    services.agreement_update(
        user=coordinator, agreement_id=session["agreement"].pk, data={"due": "2020-03-01"}
    )
    for n in range(1, 7):
        services.recommendation_state_update(
            user=editor, number=n, state_code="MX-OAX", data={"status": "in_progress"}
        )
    # Recommendation 6 of Oaxaca was last touched seven months ago.
    RecommendationStatus.objects.filter(recommendation__number=6, state__code="MX-OAX").update(
        updated_at=timezone.now() - timedelta(days=213)
    )
    practice = curation_services.practice_draft_create(
        user=editor, state_code=None, data={"title": "FICHA EN ESPERA"}
    )
    curation_services.practice_transition(user=editor, practice_id=practice.public_id, to="submitted")
    Transition.objects.filter(practice=practice).update(at=timezone.now() - timedelta(days=9))

    data = selectors.coordinator_overview(user=coordinator)
    assert [(a["id"], a["owner_state"]["code"]) for a in data["overdue"]] == [
        (session["agreement"].pk, "MX-OAX")
    ]
    assert data["overdue"][0]["days_overdue"] > 365
    stale = {s["state"]["code"]: s for s in data["stale"]}
    assert stale["MX-OAX"]["recommendations"] == [6]
    assert stale["MX-JAL"]["recommendations"] == [1, 2, 3, 4, 5, 6] and stale["MX-JAL"]["last_update"] is None
    assert len(stale) == 12  # the report's twelve states: only Oaxaca has updated anything
    waiting = [w for w in data["waiting"] if w["id"] == practice.public_id]
    assert waiting and waiting[0]["days"] == 9 and waiting[0]["workflow_state"] == "submitted"

    page = clients["coordinator"].get("/coordinacion/").content.decode()
    assert "Compartir el padrón de albergues" in page and "FICHA EN ESPERA" in page
    assert 'href="/recomendaciones/6/oaxaca/"' in page and "nunca" in page
