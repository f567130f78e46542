"""Every write of the coordination space × every role, own state and other state, through the API and the
pages: allowed writes succeed; refused ones answer 401/403 (before any validation of the body) and change
nothing. The target state is Oaxaca: `editor` is its own editor, `other_editor` is Jalisco's."""

from __future__ import annotations

import json

import pytest

from buenaspracticas.coordination.models import (
    Agreement,
    AgreementNote,
    RecommendationStatus,
    RecommendationUpdate,
    Session,
)
from buenaspracticas.curation.models import HistoryEntry
from tests.coordination.conftest import SESSION, bearer

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "visitor", "editor", "other_editor", "evaluator", "coordinator")

# write → (method, path template, valid body, roles allowed)
WRITES = {
    "recommendation_status": (
        "put",
        "/api/v1/recommendations/1/states/MX-OAX",
        {"status": "done", "note": "Listo."},
        {"editor", "coordinator"},
    ),
    "session_create": ("post", "/api/v1/sessions", SESSION, {"coordinator"}),
    "session_edit": (
        "patch",
        "/api/v1/sessions/{session}",
        {"minutes": "Se acordó compartir padrones."},
        {"coordinator"},
    ),
    "agreement_create": (
        "post",
        "/api/v1/sessions/{session}/agreements",
        {"text": "Publicar datos abiertos.", "owner_state": "MX-OAX", "due": "2031-06-01"},
        {"coordinator"},
    ),
    "agreement_follow_up": (
        "patch",
        "/api/v1/agreements/{agreement}",
        {"status": "done", "note": "Hecho."},
        {"editor", "coordinator"},
    ),
    "agreement_reword": (
        "patch",
        "/api/v1/agreements/{agreement}",
        {"text": "Otro texto.", "due": "2031-09-01"},
        {"coordinator"},
    ),
}


def _state_of_the_data() -> dict:
    """Everything a write could change, to compare before and after a refused one."""
    return {
        "statuses": list(RecommendationStatus.objects.values()),
        "updates": RecommendationUpdate.objects.count(),
        "sessions": list(Session.objects.values()),
        "agreements": list(Agreement.objects.values()),
        "notes": AgreementNote.objects.count(),
        "history": HistoryEntry.objects.count(),
    }


def _send(client, method, path, body, token=None, raw=None):
    headers = bearer(token) if token else {}
    data = raw if raw is not None else json.dumps(body)
    return getattr(client, method)(path, data=data, content_type="application/json", **headers)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", WRITES)
def test_api_write_allowed_or_refused_without_a_trace(client, tokens, session, role, write):
    method, template, body, allowed = WRITES[write]
    path = template.format(session=session["session"].pk, agreement=session["agreement"].pk)
    token = tokens.get(role)
    before = _state_of_the_data()
    response = _send(client, method, path, body, token)
    if role in allowed:
        assert response.status_code in (200, 201), response.content
        assert _state_of_the_data() != before
        assert HistoryEntry.objects.count() > before["history"]
    else:
        assert response.status_code == (401 if role == "anonymous" else 403), response.content
        assert response.json()["error"] in ("NotAuthenticated", "PermissionDenied")
        assert _state_of_the_data() == before


@pytest.mark.parametrize("role", [r for r in ROLES if r != "coordinator"])
@pytest.mark.parametrize(
    "write", [w for w in WRITES if w != "agreement_reword"]
)  # same endpoint as follow-up
def test_a_refused_caller_hears_401_or_403_even_for_a_broken_body(client, tokens, session, role, write):
    method, template, _, allowed = WRITES[write]
    if role in allowed:
        return
    path = template.format(session=session["session"].pk, agreement=session["agreement"].pk)
    before = _state_of_the_data()
    for raw in ('{"status": 42, "text": ["x"]', '["no", "es", "objeto"]', '{"desconocido": true}'):
        response = _send(client, method, path, None, tokens.get(role), raw=raw)
        assert response.status_code == (401 if role == "anonymous" else 403), (raw, response.content)
    assert _state_of_the_data() == before


def test_the_allowed_caller_gets_the_validation_error_after_the_permission_check(client, tokens, session):
    response = _send(client, "post", "/api/v1/sessions", None, tokens["coordinator"], raw="{no es json")
    assert response.status_code == 400
    response = _send(
        client, "patch", f"/api/v1/agreements/{session['agreement'].pk}", {"status": "casi"}, tokens["editor"]
    )
    assert response.status_code == 422 and response.json()["field"] == "status"


# ---------------------------------------------------------------- the same rules through the pages

PAGE_WRITES = {
    "recommendation_status": (
        "/recomendaciones/1/oaxaca/",
        {"status": "done", "note": "Listo."},
        {"editor", "coordinator"},
    ),
    "session_create": ("/sesiones/nueva/", {**SESSION, "states": ["MX-OAX"]}, {"coordinator"}),
    "session_edit": (
        "/sesiones/{session}/editar/",
        {**SESSION, "minutes": "Minuta.", "states": ["MX-OAX"]},
        {"coordinator"},
    ),
    "agreement_create": (
        "/sesiones/{session}/acuerdos/",
        {"text": "Publicar datos.", "owner_state": "MX-OAX", "due": "2031-06-01"},
        {"coordinator"},
    ),
    "agreement_follow_up": (
        "/acuerdos/{agreement}/",
        {"status": "done", "note": "Hecho."},
        {"editor", "coordinator"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", PAGE_WRITES)
def test_page_write_allowed_or_refused_without_a_trace(clients, session, role, write):
    template, form, allowed = PAGE_WRITES[write]
    path = template.format(session=session["session"].pk, agreement=session["agreement"].pk)
    before = _state_of_the_data()
    response = clients[role].post(path, form)
    if role in allowed:
        assert response.status_code == 302, response.content.decode()[-2000:]
        assert "/cuenta/entrar/" not in response["Location"]
        assert _state_of_the_data() != before
    else:
        if role == "anonymous":
            assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]
        else:
            assert response.status_code == 403
        assert _state_of_the_data() == before


@pytest.mark.parametrize("role", ROLES)
def test_only_the_coordination_opens_the_overview_and_the_session_form(clients, role):
    for path in ("/coordinacion/", "/sesiones/nueva/"):
        response = clients[role].get(path)
        if role == "coordinator":
            assert response.status_code == 200
        elif role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == 403


def test_forms_are_offered_only_to_who_may_use_them(clients, session):
    path = f"/sesiones/{session['session'].pk}/"
    pages = {role: clients[role].get(path).content.decode() for role in ROLES}
    assert (
        'class="coord-form follow-form"' in pages["editor"] and 'id="agreement-form"' not in pages["editor"]
    )
    assert 'id="agreement-form"' in pages["coordinator"] and "follow-form" in pages["coordinator"]
    for role in ("anonymous", "visitor", "other_editor", "evaluator"):
        assert "follow-form" not in pages[role] and 'id="agreement-form"' not in pages[role]
    thread = {role: clients[role].get("/recomendaciones/1/oaxaca/").content.decode() for role in ROLES}
    assert all('id="progress-form"' in thread[r] for r in ("editor", "coordinator"))
    assert not any(
        'id="progress-form"' in thread[r] for r in ("anonymous", "visitor", "other_editor", "evaluator")
    )
