"""Recording interviews: who may (editors of their own state; evaluators and the coordination of any), 401
and 403 before any validation, names only with consent, and the API's shapes."""

from __future__ import annotations

import json

import pytest

from tests.accounts import bearer
from tests.evidence.conftest import INTERVIEW, SECRETS

pytestmark = pytest.mark.django_db

URL = "/api/v1/interviews"


def _post(client, token: str | None, body) -> object:
    extra = bearer(token) if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **extra)


def test_editor_records_an_interview_of_their_state_and_gets_its_excerpts_ids(client, tokens):
    response = _post(client, tokens["editor"], INTERVIEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"]["code"] == "MX-OAX"
    assert body["held_on"] == "2021-06-15"
    assert body["interviewees"] == [
        {"role": "Dirección de Atención al Migrante", "name": "María Pérez"},
        {"role": "Jefatura de Proyectos", "name": ""},
    ]
    # The editor reads public excerpts only: the reserved ones were stored, but are not sent back to them.
    assert [(e["module"], e["text"]) for e in body["excerpts"]] == [("acciones", SECRETS["public"])]
    assert all(isinstance(e["id"], int) for e in body["excerpts"])
    detail = client.get(f"{URL}/{body['id']}", **bearer(tokens["coordinator"])).json()
    assert [e["consent"] for e in detail["excerpts"]] == ["public", "evaluators", "coordinators"]


@pytest.mark.parametrize("who", ["evaluator", "coordinator"])
def test_evaluators_and_the_coordination_record_interviews_of_any_state(client, tokens, who):
    response = _post(client, tokens[who], {**INTERVIEW, "state": "jalisco"})
    assert response.status_code == 201
    assert response.json()["state"]["code"] == "MX-JAL"


@pytest.mark.parametrize(
    "who, body, status",
    [
        (None, INTERVIEW, 401),
        (None, "no es json", 401),
        ("visitor", {"state": 7}, 403),
        ("other_editor", INTERVIEW, 403),
        ("other_editor", {**INTERVIEW, "excerpts": [{"module": "nada"}]}, 403),
        ("editor", {**INTERVIEW, "excerpts": [{"module": "nada", "text": "x", "consent": "public"}]}, 422),
    ],
)
def test_refusals_come_before_validation(client, tokens, who, body, status):
    response = _post(client, tokens[who] if who else None, body)
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    "change, field",
    [
        ({"interviewees": [{"role": "Dirección", "name": "Juan López"}]}, "interviewees.0.name"),
        ({"excerpts": [{"module": "acciones", "text": "x", "consent": "todos"}]}, "excerpts.0.consent"),
        ({"excerpts": [{"module": "acciones", "text": "  ", "consent": "public"}]}, "excerpts.0.text"),
        ({"state": "Atlántida"}, "state"),
        ({"held_on": "15/06/2021"}, "held_on"),
        ({"institution": ""}, "institution"),
    ],
)
def test_invalid_bodies_name_the_field(client, tokens, change, field):
    response = _post(client, tokens["coordinator"], {**INTERVIEW, **change})
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_list_filters_by_state_code_or_slug(client, evidence):
    everyone = client.get(URL).json()
    oaxaca = client.get(URL, {"state": "oaxaca"}).json()
    assert oaxaca["count"] == len(oaxaca["items"]) == 2  # the report's IOAM statement and the one recorded
    assert {i["state"]["code"] for i in oaxaca["items"]} == {"MX-OAX"}
    assert everyone["count"] == 10
    from_report = next(i for i in oaxaca["items"] if i["source"])
    assert from_report["source"] == {
        "document": "informe-buenas-practicas-oim-conofam",
        "first_line": 5080,
        "last_line": 5080,
    }


def test_unknown_interview_is_404(client):
    assert client.get(f"{URL}/999999").status_code == 404


def test_history_keeps_the_interview_without_reserved_texts(people, evidence):
    from buenaspracticas.curation.models import HistoryEntry

    entry = HistoryEntry.objects.filter(kind="interview", after__id=evidence["interview"]).get()
    stored = json.dumps([entry.before, entry.after], ensure_ascii=False)
    assert SECRETS["public"] in stored
    assert SECRETS["evaluators"] not in stored and SECRETS["coordinators"] not in stored
    assert entry.actor == people["coordinator"]


def test_form_page_records_an_interview(clients):
    page = clients["editor"].get("/estados/oaxaca/entrevistas/nueva/")
    assert page.status_code == 200
    response = clients["editor"].post(
        "/estados/oaxaca/entrevistas/nueva/",
        {
            "institution": "IOAM",
            "held_on": "2021-07-01",
            "role_0": "Enlace estatal",
            "module_0": "capacidades",
            "consent_0": "public",
            "text_0": "Contamos con tres personas para todo el estado.",
        },
    )
    assert response.status_code == 302
    listing = clients["anonymous"].get("/estados/oaxaca/entrevistas/").content.decode()
    assert "Contamos con tres personas para todo el estado." in listing
    assert "Enlace estatal" in listing


def test_form_page_shows_the_field_at_fault_and_refuses_other_states(clients):
    response = clients["editor"].post(
        "/estados/oaxaca/entrevistas/nueva/",
        {
            "institution": "IOAM",
            "role_0": "Dirección",
            "name_0": "Juan López",
            "text_0": "x",
            "module_0": "acciones",
            "consent_0": "public",
        },
    )
    assert response.status_code == 422
    assert "interviewees.0.name" in response.content.decode()
    assert clients["editor"].get("/estados/jalisco/entrevistas/nueva/").status_code == 403
    assert clients["anonymous"].get("/estados/oaxaca/entrevistas/nueva/").status_code == 302
