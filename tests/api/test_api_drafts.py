"""GET /api/v1/practices/{id} gives the `version` that PATCH asks for, and with a Bearer token the working
copy its curators edit (a draft, or a published practice's pending revision); visitors see only what is
published."""

from __future__ import annotations

import json

import pytest

from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import services
from tests.api.conftest import FICHA, bearer

pytestmark = pytest.mark.django_db


def _draft(accounts) -> str:
    return services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA).public_id


def _patch(client, practice_id: str, body: dict, token: str):
    return client.patch(
        f"/api/v1/practices/{practice_id}", json.dumps(body), content_type="application/json", **bearer(token)
    )


def test_get_returns_the_version_to_edit_with(client, report):
    body = client.get("/api/v1/practices/oaxaca-1").json()
    assert body["version"] == Practice.objects.get(public_id="oaxaca-1").version


def test_editor_reads_their_own_draft_with_a_token_and_a_visitor_gets_404(client, accounts, tokens):
    pid = _draft(accounts)
    mine = client.get(f"/api/v1/practices/{pid}", **bearer(tokens["editor"]))
    assert mine.status_code == 200
    body = mine.json()
    assert body["id"] == pid and body["title"] == FICHA["title"]
    assert body["criteria"]["sostenibilidad"] == {
        "verdict": "met",
        "evidence": "Ley estatal de 2019.",
        "citations": [],
    }
    assert body["version"] == Practice.objects.get(public_id=pid).version
    for who in ("evaluator", "coordinator"):
        assert client.get(f"/api/v1/practices/{pid}", **bearer(tokens[who])).status_code == 200
    visitor = client.get(f"/api/v1/practices/{pid}")
    assert visitor.status_code == 404 and visitor.json()["error"] == "NotFound"
    # Another state's editor learns no more than a visitor.
    other = client.get(f"/api/v1/practices/{pid}", **bearer(tokens["other_editor"]))
    assert other.status_code == 404 and other.json() == visitor.json()


def test_version_read_by_get_is_accepted_by_patch(client, accounts, tokens):
    pid = _draft(accounts)
    version = client.get(f"/api/v1/practices/{pid}", **bearer(tokens["editor"])).json()["version"]
    r = _patch(client, pid, {"version": version, "description": "Con la sociedad civil."}, tokens["editor"])
    assert r.status_code == 200 and r.json()["version"] == version + 1
    again = client.get(f"/api/v1/practices/{pid}", **bearer(tokens["editor"])).json()
    assert again["version"] == version + 1 and again["description"] == "Con la sociedad civil."
    stale = _patch(client, pid, {"version": version, "description": "Otra."}, tokens["editor"])
    assert stale.status_code == 409 and stale.json()["field"] == "version"


def test_editor_sees_the_pending_revision_while_visitors_see_the_published_text(client, tokens):
    published = client.get("/api/v1/practices/oaxaca-1").json()
    r = _patch(
        client, "oaxaca-1", {"version": published["version"], "title": "TÍTULO REVISADO"}, tokens["editor"]
    )
    assert r.status_code == 200 and r.json()["revision"] is True
    mine = client.get("/api/v1/practices/oaxaca-1", **bearer(tokens["editor"])).json()
    assert mine["title"] == "TÍTULO REVISADO" and mine["version"] == r.json()["version"]
    public = client.get("/api/v1/practices/oaxaca-1").json()
    assert public["title"] == published["title"] and public["version"] == mine["version"]


def test_a_bad_token_on_a_read_is_refused_not_ignored(client, report):
    r = client.get("/api/v1/practices/oaxaca-1", HTTP_AUTHORIZATION="Bearer bp_inventado")
    assert r.status_code == 403 and r.json()["error"] == "PermissionDenied"
