"""Every role × action × own-state/other-state, through the pages and through the API: each allowed
action succeeds and changes the data; each forbidden one is refused (401/403, or 404 for a page reading a
draft its reader may not see) and changes nothing."""

from __future__ import annotations

import json

import pytest

from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import services
from buenaspracticas.curation.models import Call, HistoryEntry, Message, Revision, Transition
from buenaspracticas.reference import CRITERIA
from tests.curation.conftest import FICHA, auth

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "editor", "evaluator", "coordinator")
# The editor account belongs to MX-OAX: "own" targets Oaxaca, "other" targets Jalisco.
STATE = {"own": "MX-OAX", "other": "MX-JAL"}
ALL_MET = {c: {"verdict": "met", "evidence": "Probado."} for c in CRITERIA}

# action → (workflow stage of the target practice, roles allowed; "editor" only on its own state)
ACTIONS = {
    "create": (None, {"editor", "coordinator"}),
    "edit_draft": ("draft", {"editor", "coordinator"}),
    "edit_published": ("published", {"editor", "coordinator"}),
    "submit": ("draft", {"editor", "coordinator"}),
    "assess": ("in_review", {"evaluator", "coordinator"}),
    "ask_clarification": ("in_review", {"evaluator", "coordinator"}),
    "publish": ("in_review", {"evaluator", "coordinator"}),
    "archive": ("published", {"coordinator"}),
    "view_draft": ("draft", {"editor", "evaluator", "coordinator"}),
    "restore": ("draft", {"coordinator"}),
    "open_call": (None, {"coordinator"}),
    "edit_figure": (None, {"editor", "coordinator"}),
}
API_ACTIONS = (
    "create",
    "edit_draft",
    "edit_published",
    "submit",
    "assess",
    "ask_clarification",
    "publish",
    "archive",
)


def _target(stage: str | None, state_code: str) -> str | None:
    if stage is None:
        return None
    if stage == "published":
        return (
            Practice.objects.filter(state__code=state_code, workflow_state="published")
            .order_by("number")
            .first()
            .public_id
        )
    p = services.practice_draft_create(user=None, state_code=state_code, data={**FICHA, "criteria": ALL_MET})
    if stage == "in_review":
        services.practice_transition(user=None, practice_id=p.public_id, to="submitted")
        services.practice_transition(user=None, practice_id=p.public_id, to="in_review")
    return p.public_id


def _fingerprint() -> tuple:
    return (
        sorted(Practice.objects.values_list("public_id", "version", "workflow_state", "title")),
        Revision.objects.count(),
        HistoryEntry.objects.count(),
        Transition.objects.count(),
        Message.objects.count(),
        Call.objects.count(),
    )


def _allowed(action: str, role: str, where: str) -> bool:
    roles = ACTIONS[action][1]
    if role == "editor":
        return "editor" in roles and where == "own"
    return role in roles


def _version(pid: str) -> int:
    return Practice.objects.get(public_id=pid).version


def _page_request(client, action: str, pid: str | None, state_code: str):
    if action == "create":
        return client.post(
            "/cuenta/practicas/nueva/",
            {
                "title": "FICHA NUEVA",
                "status": "active",
                "state": state_code,
                **{f"verdict_{c}": "unknown" for c in CRITERIA},
            },
        )
    if action in ("edit_draft", "edit_published"):
        return client.post(
            f"/cuenta/practicas/{pid}/editar/",
            {
                "title": "TÍTULO EDITADO",
                "status": "active",
                "version": _version(pid),
                **{f"verdict_{c}": "met" for c in CRITERIA},
            },
        )
    if action in ("submit", "publish", "archive", "ask_clarification"):
        to = {
            "submit": "submitted",
            "publish": "published",
            "archive": "archived",
            "ask_clarification": "clarification_requested",
        }[action]
        return client.post(f"/cuenta/practicas/{pid}/transicion/", {"to": to, "comment": "¿Dato?"})
    if action == "assess":
        return client.post(
            f"/cuenta/practicas/{pid}/valoracion/",
            {"version": _version(pid), **{f"verdict_{c}": "not_met" for c in CRITERIA}},
        )
    if action == "view_draft":
        return client.get(f"/cuenta/practicas/{pid}/")
    if action == "restore":
        entry = HistoryEntry.objects.filter(practice__public_id=pid).first()
        return client.post(f"/cuenta/historial/{entry.pk}/restaurar/")
    if action == "open_call":
        return client.post(
            "/convocatorias/nueva/",
            {"title": "Convocatoria 2027", "theme": "Retorno", "deadline": "2099-12-31"},
        )
    if action == "edit_figure":
        from buenaspracticas.panorama.models import Indicator

        ind = Indicator.objects.filter(panorama__state__code=state_code).order_by("pk").first()
        return client.post(
            f"/cuenta/estados/{state_code}/cifras/",
            {"indicator": ind.pk, "value": ind.value + 1, "reason": "Censo corregido"},
        )
    raise AssertionError(action)


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_pages(action, role, where, clients):
    pid = _target(ACTIONS[action][0], STATE[where])
    before = _fingerprint()
    response = _page_request(clients[role], action, pid, STATE[where])
    if _allowed(action, role, where):
        assert response.status_code in (200, 302), response.content[:500]
        if action == "view_draft":
            assert response.status_code == 200 and b"RED ESTATAL" in response.content
        else:
            assert response.status_code == 302
            assert _fingerprint() != before, f"{role} {action} {where} should have changed the data"
    else:
        # A draft does not exist for whoever may not read it (404, as for an unknown id), so the pages
        # that read it first never reveal it with a 403.
        hidden = ACTIONS[action][0] == "draft" and not _allowed("view_draft", role, where)
        expected = 404 if hidden and action in ("view_draft", "edit_draft") else 403
        assert response.status_code == expected, (response.status_code, response.content[:300])
        assert _fingerprint() == before


def _api_request(client, action: str, pid: str | None, state_code: str, token: str):
    h = auth(token)
    if action == "create":
        return client.post(
            "/api/v1/practices",
            json.dumps({"state": state_code, "title": "FICHA API"}),
            content_type="application/json",
            **h,
        )
    if action in ("edit_draft", "edit_published"):
        return client.patch(
            f"/api/v1/practices/{pid}",
            json.dumps({"title": "EDITADO", "version": _version(pid)}),
            content_type="application/json",
            **h,
        )
    if action in ("submit", "publish", "archive", "ask_clarification"):
        to = {
            "submit": "submitted",
            "publish": "published",
            "archive": "archived",
            "ask_clarification": "clarification_requested",
        }[action]
        return client.post(
            f"/api/v1/practices/{pid}/transitions",
            json.dumps({"to": to, "comment": "¿Dato?"}),
            content_type="application/json",
            **h,
        )
    if action == "assess":
        return client.put(
            f"/api/v1/practices/{pid}/criteria/eficacia",
            json.dumps({"verdict": "not_met", "evidence": "Sin resultados."}),
            content_type="application/json",
            **h,
        )
    raise AssertionError(action)


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", API_ACTIONS)
def test_api(action, role, where, client, tokens):
    pid = _target(ACTIONS[action][0], STATE[where])
    before = _fingerprint()
    response = _api_request(client, action, pid, STATE[where], tokens[role])
    if _allowed(action, role, where):
        assert response.status_code in (200, 201), response.json()
        assert _fingerprint() != before
    else:
        assert response.status_code == 403, response.content
        assert response.json()["message"]
        assert _fingerprint() == before
