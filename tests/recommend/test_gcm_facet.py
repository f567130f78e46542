"""The `gcm` search filter and facet: a practice is found under the objectives suggested or confirmed for it,
counted by the database over every match; a curator's rejection takes it out at once."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _live(number: int) -> set[str]:
    from buenaspracticas.recommend.models import PracticeGcm

    rows = PracticeGcm.objects.filter(number=number, practice__workflow_state="published")
    return set(rows.exclude(status="rejected").values_list("practice__public_id", flat=True))


def test_gcm_filter_and_facet_count_what_is_suggested_or_confirmed(suggested, client):
    body = client.get("/api/v1/practices?limit=0").json()
    facet = {int(v["value"]): v["count"] for v in body["facets"]["gcm"]}
    assert facet, "every practice of the report has suggested objectives"
    for number, count in facet.items():
        assert count == len(_live(number)), number
    busiest = max(facet, key=facet.get)
    found = client.get(f"/api/v1/practices?gcm={busiest}&limit=100").json()
    assert {p["id"] for p in found["items"]} == _live(busiest)
    assert all(busiest in [g["number"] for g in p["gcm_objectives"]] for p in found["items"])


def test_a_rejected_objective_leaves_the_facet_at_once(suggested, tokens, client):
    before = client.get("/api/v1/practices?limit=0").json()["facets"]["gcm"]
    number = int(before[0]["value"])
    practice_id = sorted(_live(number))[0]
    response = client.put(
        f"/api/v1/practices/{practice_id}/gcm-objectives/{number}",
        data={"status": "rejected"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {tokens['coordinator']}"},
    )
    assert response.status_code == 200, response.content
    found = client.get(f"/api/v1/practices?gcm={number}&limit=100").json()
    assert practice_id not in {p["id"] for p in found["items"]}
    assert found["count"] == before[0]["count"] - 1


def test_unknown_objective_is_a_clear_error(client, report):
    response = client.get("/api/v1/practices?gcm=24")
    assert response.status_code == 422
