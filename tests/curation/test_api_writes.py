"""API writes: Bearer tokens (only hashes stored), 401 without credentials, 403 with wrong ones, JSON
messages; the read routes stay public-only."""

from __future__ import annotations

import json

import pytest

from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation.models import ApiToken
from tests.curation.conftest import FICHA, auth

pytestmark = pytest.mark.django_db
BODY = json.dumps({"title": "FICHA"})


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("post", "/api/v1/practices", BODY),
        ("patch", "/api/v1/practices/oaxaca-1", json.dumps({"title": "X", "version": 1})),
        ("post", "/api/v1/practices/oaxaca-1/transitions", json.dumps({"to": "archived"})),
        ("put", "/api/v1/practices/oaxaca-1/criteria/eficacia", json.dumps({"verdict": "met"})),
    ],
)
def test_writes_without_a_valid_token_are_refused_and_change_nothing(client, accounts, method, path, body):
    before = list(Practice.objects.values_list("public_id", "version", "workflow_state", "title"))
    send = getattr(client, method)
    none = send(path, body, content_type="application/json")
    assert none.status_code == 401 and "token" in none.json()["message"].lower()
    wrong = send(path, body, content_type="application/json", **auth("bp_inventado"))
    assert wrong.status_code == 403 and wrong.json()["error"] == "PermissionDenied"
    basic = send(path, body, content_type="application/json", HTTP_AUTHORIZATION="Basic b2F4OnB3")
    assert basic.status_code == 401
    assert list(Practice.objects.values_list("public_id", "version", "workflow_state", "title")) == before


def test_session_cookie_is_not_enough_for_api_writes(clients):
    r = clients["coordinator"].post("/api/v1/practices", BODY, content_type="application/json")
    assert r.status_code == 401


def test_only_the_token_hash_is_stored(tokens):
    token = tokens["editor"]
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.filter(prefix=token[:10]).count() == 1


def test_revoked_token_is_refused(client, tokens):
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    r = client.post("/api/v1/practices", BODY, content_type="application/json", **auth(tokens["editor"]))
    assert r.status_code == 403 and "revocado" in r.json()["message"]


def test_draft_created_by_api_is_not_public_until_published(client, tokens):
    r = client.post(
        "/api/v1/practices", json.dumps(FICHA), content_type="application/json", **auth(tokens["editor"])
    )
    assert r.status_code == 201
    body = r.json()
    assert body["workflow_state"] == "draft" and body["id"].startswith("oaxaca-")
    assert client.get(f"/api/v1/practices/{body['id']}").status_code == 404
    listed = client.get("/api/v1/practices", {"state": "MX-OAX", "limit": 500}).json()
    assert body["id"] not in [p["id"] for p in listed["items"]]


def test_patch_needs_the_version_it_edited(client, tokens):
    r = client.patch(
        "/api/v1/practices/oaxaca-1",
        json.dumps({"title": "X"}),
        content_type="application/json",
        **auth(tokens["editor"]),
    )
    assert r.status_code == 422 and r.json()["field"] == "version"


def test_validation_messages_say_what_to_fix(client, tokens):
    r = client.post(
        "/api/v1/practices",
        json.dumps({**FICHA, "dimensions": ["marte"]}),
        content_type="application/json",
        **auth(tokens["editor"]),
    )
    assert r.status_code == 422 and "marte" in r.json()["message"]
    r = client.put(
        "/api/v1/practices/oaxaca-1/criteria/eficacia",
        json.dumps({"verdict": "quizá"}),
        content_type="application/json",
        **auth(tokens["evaluator"]),
    )
    assert r.status_code == 422 and "met, not_met, unknown" in r.json()["message"]


def test_patch_of_published_practice_keeps_the_public_version(client, tokens):
    before = client.get("/api/v1/practices/oaxaca-1").json()
    version = Practice.objects.get(public_id="oaxaca-1").version
    r = client.patch(
        "/api/v1/practices/oaxaca-1",
        json.dumps({"title": "NUEVO", "version": version}),
        content_type="application/json",
        **auth(tokens["editor"]),
    )
    assert r.status_code == 200 and r.json()["revision"] is True and r.json()["version"] == version + 1
    after = client.get("/api/v1/practices/oaxaca-1").json()
    # The published content is unchanged; only the edit `version` moved on (the revision is based on it).
    assert {**after, "version": None} == {**before, "version": None}


def test_openapi_lists_the_write_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "patch"} <= set(paths["/api/v1/practices/{practice_id}"])
    assert "post" in paths["/api/v1/practices"] and "get" in paths["/api/v1/practices"]
    assert "put" in paths["/api/v1/practices/{practice_id}/criteria/{criterion}"]


def test_history_json_twin_is_public_for_published_and_scoped_for_drafts(client, accounts, tokens):
    from buenaspracticas.curation import services

    entries = client.get("/api/v1/practices/oaxaca-1/history").json()
    assert entries[0]["who"].startswith("Informe:") and entries[0]["created"] is True
    draft = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    assert client.get(f"/api/v1/practices/{draft.public_id}/history").status_code == 404
    assert (  # another state's office learns nothing more than a visitor: the draft does not exist
        client.get(f"/api/v1/practices/{draft.public_id}/history", **auth(tokens["other_editor"])).status_code
        == 404
    )
    mine = client.get(f"/api/v1/practices/{draft.public_id}/history", **auth(tokens["editor"]))
    assert mine.status_code == 200 and mine.json()[0]["reason"] == "Borrador creado"
