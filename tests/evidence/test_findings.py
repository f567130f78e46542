"""The findings matrix: its API and page, and edits by the state's editor, evaluators and the coordination
through the service, each kept in the history; other states' editors and visitors are refused first."""

from __future__ import annotations

import json

import pytest

from tests.accounts import bearer

pytestmark = pytest.mark.django_db


def test_api_gives_the_states_matrix_one_row_per_practice(client, report):
    body = client.get("/api/v1/states/oaxaca/findings").json()
    assert body["state"] == {"code": "MX-OAX", "slug": "oaxaca", "name": "Oaxaca"}
    # Oaxaca has five practices in the report (oaxaca-1 … oaxaca-5).
    assert body["count"] == len(body["items"]) == 5
    first = body["items"][0]
    assert first["practice"]["id"] == "oaxaca-1"
    assert first["suspended"] is True
    assert "se encuentra en pausa debido a la emergencia sanitaria por COVID-19" in first["suspended_reason"]
    assert first["source"] == {
        "document": "informe-buenas-practicas-oim-conofam",
        "first_line": 4495,
        "last_line": 4497,
    }
    assert client.get("/api/v1/states/MX-XXX/findings").status_code == 404


def test_editor_adds_a_row_and_edits_it_with_history(client, tokens, people):
    from buenaspracticas.curation.models import HistoryEntry

    created = client.post(
        "/api/v1/states/MX-OAX/findings",
        data=json.dumps(
            {"programme": "Ferias de documentación", "validity": "Vigente en 2021", "continuity": "Anual"}
        ),
        content_type="application/json",
        **bearer(tokens["editor"]),
    )
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["programme"], row["validity"], row["practice"]) == (
        "Ferias de documentación",
        "Vigente en 2021",
        None,
    )
    edited = client.patch(
        f"/api/v1/findings/{row['id']}",
        data=json.dumps(
            {"suspended": True, "suspended_reason": "Sin presupuesto en 2022", "practice": "oaxaca-3"}
        ),
        content_type="application/json",
        **bearer(tokens["evaluator"]),
    )
    assert edited.status_code == 200
    assert edited.json()["practice"]["id"] == "oaxaca-3" and edited.json()["suspended"] is True
    entries = list(HistoryEntry.objects.filter(kind="finding", after__id=row["id"]).order_by("pk"))
    assert [e.actor for e in entries] == [people["editor"], people["evaluator"]]
    assert entries[1].before["suspended"] is False and entries[1].after["suspended"] is True
    matrix = client.get("/api/v1/states/MX-OAX/findings").json()
    assert matrix["count"] == 6


@pytest.mark.parametrize(
    "who, body, status",
    [
        (None, {"programme": "x"}, 401),
        ("visitor", {"programme": "x"}, 403),
        ("other_editor", {"programme": 5}, 403),
        ("editor", {"programme": "x", "practice": "jalisco-1"}, 422),
        ("editor", {"programme": "x", "excerpts": [999999]}, 422),
    ],
)
def test_writes_refused_before_validation(client, tokens, who, body, status):
    response = client.post(
        "/api/v1/states/MX-OAX/findings",
        data=json.dumps(body),
        content_type="application/json",
        **(bearer(tokens[who]) if who else {}),
    )
    assert response.status_code == status, response.content


def test_an_evaluator_editing_a_row_keeps_links_to_excerpts_they_cannot_read(people, evidence):
    from buenaspracticas.evidence import services
    from buenaspracticas.evidence.models import Finding

    services.finding_update(user=people["evaluator"], finding_id=evidence["finding"], data={"excerpts": []})
    linked = set(Finding.objects.get(pk=evidence["finding"]).excerpts.values_list("consent", flat=True))
    assert linked == {"coordinators"}


def test_page_shows_the_matrix_and_the_state_page_links_to_it(clients, report):
    page = clients["anonymous"].get("/estados/oaxaca/hallazgos/").content.decode()
    assert "Matriz de hallazgos" in page
    assert "GUELAGUETZA FAMILIAR" in page.upper()
    assert "cierre del consulado estadounidense" in page
    assert "Añadir una fila" not in page
    assert "Añadir una fila" in clients["editor"].get("/estados/oaxaca/hallazgos/").content.decode()
    assert "Añadir una fila" not in clients["other_editor"].get("/estados/oaxaca/hallazgos/").content.decode()
    state = clients["anonymous"].get("/estados/oaxaca/").content.decode()
    assert 'href="/estados/oaxaca/hallazgos/"' in state
    assert "Documentos" in state


def test_form_page_adds_a_row(clients, report):
    response = clients["evaluator"].post(
        "/estados/oaxaca/hallazgos/nuevo/",
        {"programme": "Módulo de atención en la central de autobuses", "impacts": "Orientó a 300 personas"},
    )
    assert response.status_code == 302
    assert "Orientó a 300 personas" in clients["anonymous"].get("/estados/oaxaca/hallazgos/").content.decode()
    assert clients["other_editor"].get("/estados/oaxaca/hallazgos/nuevo/").status_code == 403
