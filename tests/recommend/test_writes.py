"""Writes: who may confirm, reject or add groups and objectives and record replications; refused requests
answer 401/403 before the body is read and change nothing; every write is in the history."""

from __future__ import annotations

import json

import pytest

from tests.recommend.conftest import auth

pytestmark = pytest.mark.django_db
PRACTICE = "oaxaca-5"  # a practice of Oaxaca


def _counts() -> tuple:
    from buenaspracticas.curation.models import HistoryEntry
    from buenaspracticas.recommend.models import PracticeGcm, PracticeGroup, Replication

    return (
        list(PracticeGroup.objects.values_list("practice_id", "group", "status").order_by("pk")),
        list(PracticeGcm.objects.values_list("practice_id", "number", "status").order_by("pk")),
        Replication.objects.count(),
        HistoryEntry.objects.count(),
    )


def _put(client, url: str, body, token: str | None):
    headers = auth(token) if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.put(url, data=data, content_type="application/json", **headers)


WRITES = [
    ("group", f"/api/v1/practices/{PRACTICE}/population-groups/older_adults", {"status": "confirmed"}),
    ("gcm", f"/api/v1/practices/{PRACTICE}/gcm-objectives/14", {"status": "confirmed"}),
]
# who → expected status for a practice of Oaxaca
CLASSIFY_MATRIX = {
    None: 401,
    "visitor": 403,
    "editor_chh": 403,
    "editor_oax": 200,
    "evaluator": 200,
    "coordinator": 200,
}


@pytest.mark.parametrize(("kind", "url", "body"), WRITES)
@pytest.mark.parametrize(("who", "expected"), list(CLASSIFY_MATRIX.items()))
def test_classification_permission_matrix(suggested, tokens, client, kind, url, body, who, expected):
    before = _counts()
    response = _put(client, url, body, tokens[who] if who else None)
    assert response.status_code == expected, response.content
    if expected != 200:
        assert _counts() == before
    else:
        assert response.json()["status"] == "confirmed"
        assert _counts()[3] == before[3] + 1


@pytest.mark.parametrize(("who", "expected"), [(None, 401), ("visitor", 403), ("editor_chh", 403)])
def test_refusal_comes_before_validation(suggested, tokens, client, who, expected):
    before = _counts()
    token = tokens[who] if who else None
    for url, body in (
        (f"/api/v1/practices/{PRACTICE}/population-groups/no-such-group", {"status": "maybe"}),
        (f"/api/v1/practices/{PRACTICE}/gcm-objectives/99", "not json"),
        ("/api/v1/replications", {"origin": "chihuahua-7", "state": "MX-OAX", "started": "tomorrow"}),
    ):
        if url.endswith("replications"):
            headers = auth(token) if token else {}
            response = client.post(url, data=json.dumps(body), content_type="application/json", **headers)
        else:
            response = _put(client, url, body, token)
        assert response.status_code == expected, (url, response.content)
    assert _counts() == before


def test_invalid_bodies_from_a_curator_are_422_and_change_nothing(suggested, tokens, client):
    before = _counts()
    token = tokens["coordinator"]
    assert (
        _put(
            client,
            f"/api/v1/practices/{PRACTICE}/population-groups/no-such-group",
            {"status": "confirmed"},
            token,
        ).status_code
        == 422
    )
    assert (
        _put(
            client, f"/api/v1/practices/{PRACTICE}/gcm-objectives/24", {"status": "confirmed"}, token
        ).status_code
        == 422
    )
    assert (
        _put(client, f"/api/v1/practices/{PRACTICE}/gcm-objectives/3", {"status": "maybe"}, token).status_code
        == 422
    )
    assert _counts() == before


REPLICATION = {
    "origin": "chihuahua-7",
    "state": "MX-OAX",
    "kind": "adapted",
    "started": "2022-03-01",
    "changes": "Centro de atención en Juchitán, con intérpretes de zapoteco.",
    "results": "120 niñas y niños atendidos en el primer año.",
}
REPLICATION_MATRIX = {
    None: 401,
    "visitor": 403,
    "evaluator": 403,
    "editor_chh": 403,
    "editor_oax": 201,
    "coordinator": 201,
}


@pytest.mark.parametrize(("who", "expected"), list(REPLICATION_MATRIX.items()))
def test_replication_permission_matrix(suggested, tokens, client, who, expected):
    before = _counts()
    headers = auth(tokens[who]) if who else {}
    response = client.post(
        "/api/v1/replications", data=json.dumps(REPLICATION), content_type="application/json", **headers
    )
    assert response.status_code == expected, response.content
    if expected != 201:
        assert _counts() == before
    else:
        assert response.json()["state"] == "MX-OAX"


def test_replication_shows_on_the_origin_ficha_and_counts_in_advice(suggested, tokens, client):
    from buenaspracticas.curation.models import HistoryEntry
    from buenaspracticas.recommend.selectors import replications_of, state_advice

    before = {i["practice"]["id"]: i for i in state_advice(key="MX-VER", limit=50)["items"]}
    assert "chihuahua-7" in before
    response = client.post(
        "/api/v1/replications",
        data=json.dumps(REPLICATION),
        content_type="application/json",
        **auth(tokens["editor_oax"]),
    )
    assert response.status_code == 201
    assert [r["state"]["code"] for r in replications_of(practice_id="chihuahua-7")] == ["MX-OAX"]
    page = client.get("/practicas/chihuahua-7/").content.decode()
    assert "Dónde se ha replicado" in page and "intérpretes de zapoteco" in page
    after = {i["practice"]["id"]: i for i in state_advice(key="MX-VER", limit=50)["items"]}
    assert "Ya se replicó en Oaxaca." in after["chihuahua-7"]["explanation"]
    # Oaxaca adopted it: it is no longer advised to Oaxaca
    assert "chihuahua-7" not in {i["practice"]["id"] for i in state_advice(key="MX-OAX", limit=50)["items"]}
    entry = HistoryEntry.objects.filter(kind="replication").latest("pk")
    assert entry.before is None and entry.after["origin"] == "chihuahua-7"
    withdrawn = client.post(
        f"/api/v1/replications/{response.json()['id']}/withdraw",
        data="{}",
        content_type="application/json",
        **auth(tokens["editor_chh"]),
    )
    assert withdrawn.status_code == 403


def test_own_state_replication_is_refused(suggested, tokens, client):
    body = {**REPLICATION, "origin": "oaxaca-4"}
    response = client.post(
        "/api/v1/replications",
        data=json.dumps(body),
        content_type="application/json",
        **auth(tokens["editor_oax"]),
    )
    assert response.status_code == 422


def test_history_keeps_before_and_after(suggested, accounts):
    from buenaspracticas.curation.models import HistoryEntry
    from buenaspracticas.recommend import services

    services.population_group_set(
        user=accounts["evaluator"],
        practice_id="chihuahua-7",
        group="unaccompanied_children",
        status="rejected",
        reason="prueba",
    )
    entry = HistoryEntry.objects.filter(kind="population_group").latest("pk")
    assert entry.before["status"] == "suggested" and entry.after["status"] == "rejected"
    assert entry.practice.public_id == "chihuahua-7" and entry.reason == "prueba"
    services.gcm_set(user=accounts["coordinator"], practice_id="chihuahua-7", number=13, status="confirmed")
    entry = HistoryEntry.objects.filter(kind="gcm").latest("pk")
    assert entry.after == {**entry.after, "number": 13, "status": "confirmed"}
