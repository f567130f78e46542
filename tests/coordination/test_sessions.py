"""Coordination sessions and their agreements through the API and the pages: times kept in their time
zone, upcoming and past, agreements followed up by their owner state, every change in the history."""

from __future__ import annotations

import json
import re

import pytest

from buenaspracticas.coordination.models import Agreement, AgreementNote, Session
from buenaspracticas.curation.models import HistoryEntry
from tests.coordination.conftest import SESSION, bearer

pytestmark = pytest.mark.django_db


def _json(client, method, path, body, token):
    return getattr(client, method)(
        path, data=json.dumps(body), content_type="application/json", **bearer(token)
    )


def test_the_coordination_creates_a_session_and_gets_it_back(client, tokens):
    response = _json(
        client,
        "post",
        "/api/v1/sessions",
        {
            **SESSION,
            "timezone": "America/Tijuana",
            "starts_at": "2031-05-02T09:30",
            "ends_at": "2031-05-02T11:00",
            "attachments": [{"title": "Orden del día", "url": "https://ofam.ejemplo.mx/orden.pdf"}],
        },
        tokens["coordinator"],
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["starts_at"] == "2031-05-02T09:30:00-07:00"  # Tijuana keeps daylight time in May
    assert body["timezone"] == "America/Tijuana"
    assert [s["code"] for s in body["states"]] == ["MX-JAL", "MX-OAX"]
    assert body["attachments"] == [{"title": "Orden del día", "url": "https://ofam.ejemplo.mx/orden.pdf"}]
    assert body["agreements"] == [] and body["upcoming"] is True and body["sequence"] == 0
    assert body["video_url"] == SESSION["video_url"]  # the coordination sees the link
    entry = HistoryEntry.objects.get(kind="session")
    assert entry.after["id"] == body["id"] and entry.before is None


def test_visitors_do_not_see_the_video_link(client, tokens, session):
    path = f"/api/v1/sessions/{session['session'].pk}"
    assert client.get(path).json()["video_url"] is None
    assert client.get(path, **bearer(tokens["visitor"])).json()["video_url"] is None
    assert client.get(path, **bearer(tokens["other_editor"])).json()["video_url"] == SESSION["video_url"]
    assert SESSION["video_url"] not in client.get(f"/sesiones/{session['session'].pk}/").content.decode()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": "  "}, "title"),
        ({"ends_at": "2031-03-10T09:00"}, "ends_at"),
        ({"starts_at": "el martes"}, "starts_at"),
        ({"timezone": "America/Atlantida"}, "timezone"),
        ({"states": ["MX-OAX", "MX-ZZZ"]}, "states"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"lugar": "Oaxaca"}, "lugar"),
    ],
)
def test_an_invalid_session_is_refused_with_the_field_named(client, tokens, change, field):
    response = _json(client, "post", "/api/v1/sessions", {**SESSION, **change}, tokens["coordinator"])
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Session.objects.exists()


def test_sessions_are_listed_upcoming_first_then_past_latest_first(client, tokens, session):
    for title, start in (
        ("Pasada antigua", "2021-02-01T10:00"),
        ("Pasada reciente", "2024-06-01T10:00"),
        ("Próxima lejana", "2032-01-10T10:00"),
    ):
        _json(
            client,
            "post",
            "/api/v1/sessions",
            {
                **SESSION,
                "title": title,
                "starts_at": start,
                "ends_at": start.replace("T10", "T12"),
                "states": ["MX-JAL"],
            },
            tokens["coordinator"],
        )
    titles = [s["title"] for s in client.get("/api/v1/sessions").json()["items"]]
    assert titles == [SESSION["title"], "Próxima lejana", "Pasada reciente", "Pasada antigua"]
    assert [s["title"] for s in client.get("/api/v1/sessions?when=past").json()["items"]] == [
        "Pasada reciente",
        "Pasada antigua",
    ]
    assert client.get("/api/v1/sessions?state=oaxaca").json()["count"] == 1
    assert client.get("/api/v1/sessions?when=manana").status_code == 422
    page = client.get("/sesiones/").content.decode()
    upcoming, past = page.split('id="upcoming-title"')[1].split('id="past-title"')
    assert "Próxima lejana" in upcoming and "Pasada reciente" in past


def test_editing_a_session_raises_its_sequence_and_records_before_and_after(client, tokens, session):
    pk = session["session"].pk
    response = _json(client, "patch", f"/api/v1/sessions/{pk}", {"place": "En línea"}, tokens["coordinator"])
    assert response.status_code == 200 and response.json()["sequence"] == 1
    same = _json(client, "patch", f"/api/v1/sessions/{pk}", {"place": "En línea"}, tokens["coordinator"])
    assert same.json()["sequence"] == 1  # nothing changed, nothing recorded
    entries = HistoryEntry.objects.filter(kind="session").order_by("pk")
    assert entries.count() == 2
    assert (entries[1].before["place"], entries[1].after["place"]) == (SESSION["place"], "En línea")


def test_changing_only_the_time_zone_keeps_the_wall_clock_time(client, tokens, session):
    pk = session["session"].pk
    body = _json(
        client, "patch", f"/api/v1/sessions/{pk}", {"timezone": "America/Cancun"}, tokens["coordinator"]
    ).json()
    assert body["starts_at"] == "2031-03-10T10:00:00-05:00"


def test_minutes_written_for_the_first_time_are_dated(client, tokens, session):
    pk = session["session"].pk
    body = _json(
        client,
        "patch",
        f"/api/v1/sessions/{pk}",
        {"minutes": "Se aprobó el calendario."},
        tokens["coordinator"],
    ).json()
    assert body["minutes_published_at"] is not None
    assert HistoryEntry.objects.filter(kind="session").latest("pk").reason == "Minuta publicada"


def test_an_agreement_is_added_and_followed_up_by_its_owner_state(client, tokens, session):
    pk = session["session"].pk
    created = _json(
        client,
        "post",
        f"/api/v1/sessions/{pk}/agreements",
        {
            "text": "Homologar el registro de personas en retorno.",
            "owner_state": "jalisco",
            "due": "2031-05-15",
        },
        tokens["coordinator"],
    )
    assert created.status_code == 201
    agreement = created.json()
    assert agreement["owner_state"]["code"] == "MX-JAL" and agreement["status"] == "pending"

    followed = _json(
        client,
        "patch",
        f"/api/v1/agreements/{agreement['id']}",
        {"status": "in_progress", "note": "Borrador del formato listo."},
        tokens["other_editor"],
    )
    assert followed.status_code == 200
    body = followed.json()
    assert body["status"] == "in_progress" and body["sequence"] == 1
    assert body["notes"][0]["text"] == "Borrador del formato listo."
    assert body["notes"][0]["author"] == "Oficina estatal de Jalisco"

    refused = _json(
        client,
        "patch",
        f"/api/v1/agreements/{agreement['id']}",
        {"due": "2032-01-01"},
        tokens["other_editor"],
    )
    assert refused.status_code == 403
    entry = HistoryEntry.objects.filter(kind="agreement", state__code="MX-JAL").latest("pk")
    assert entry.before["status"] == "pending" and entry.after["status"] == "in_progress"
    assert entry.after["id"] == agreement["id"]


def test_a_note_without_a_change_is_kept_and_nothing_at_all_is_refused(client, tokens, session):
    pk = session["agreement"].pk
    response = _json(
        client, "patch", f"/api/v1/agreements/{pk}", {"note": "Avance del 50 %."}, tokens["editor"]
    )
    assert response.status_code == 200 and response.json()["sequence"] == 0
    assert AgreementNote.objects.get().text == "Avance del 50 %."
    assert _json(client, "patch", f"/api/v1/agreements/{pk}", {}, tokens["editor"]).status_code == 422


def test_unknown_sessions_and_agreements_are_404(client, tokens):
    assert client.get("/api/v1/sessions/999").status_code == 404
    assert (
        _json(
            client, "patch", "/api/v1/agreements/999", {"status": "done"}, tokens["coordinator"]
        ).status_code
        == 404
    )
    assert (
        _json(client, "post", "/api/v1/sessions/999/agreements", {}, tokens["coordinator"]).status_code == 404
    )


def test_the_coordination_runs_a_session_through_the_pages_without_javascript(clients, people):
    c = clients["coordinator"]
    response = c.post(
        "/sesiones/nueva/",
        {
            "title": "Sesión extraordinaria",
            "starts_at": "2031-07-01T16:00",
            "ends_at": "2031-07-01T18:00",
            "timezone": "America/Mexico_City",
            "place": "",
            "video_url": "",
            "agenda": "Calendario 2031.",
            "states": ["MX-OAX", "MX-YUC"],
            "minutes": "",
            "attachments": "Convocatoria | https://ofam.ejemplo.mx/c.pdf",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Sesión extraordinaria")
    assert re.search(rf"/sesiones/{session.pk}/$", response["Location"])
    assert session.attachments == [{"title": "Convocatoria", "url": "https://ofam.ejemplo.mx/c.pdf"}]

    response = c.post(
        f"/sesiones/{session.pk}/acuerdos/",
        {"text": "Enviar el padrón.", "owner_state": "MX-YUC", "due": "2031-07-20"},
    )
    agreement = Agreement.objects.get(session=session)
    assert response["Location"].endswith(f"/sesiones/{session.pk}/#acuerdo-{agreement.pk}")

    bad = c.post(
        f"/sesiones/{session.pk}/acuerdos/", {"text": "Sin fecha", "owner_state": "MX-YUC", "due": ""}
    )
    assert bad.status_code == 422 and "Sin fecha" in bad.content.decode()

    edit = c.get(f"/sesiones/{session.pk}/editar/").content.decode()
    assert 'value="2031-07-01T16:00"' in edit and 'value="MX-YUC" checked' in edit

    page = c.get(f"/sesiones/{session.pk}/").content.decode()
    assert "Enviar el padrón." in page and "Yucatán" in page and "pendiente" in page


def test_an_overdue_agreement_says_so_in_words(client, tokens, session):
    _json(
        client,
        "patch",
        f"/api/v1/agreements/{session['agreement'].pk}",
        {"due": "2020-01-31"},
        tokens["coordinator"],
    )
    page = client.get(f"/sesiones/{session['session'].pk}/").content.decode()
    assert "status-overdue" in page and "vencido" in page
    assert client.get(f"/api/v1/sessions/{session['session'].pk}").json()["agreements"][0]["overdue"] is True


def test_the_openapi_document_describes_the_coordination_operations(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, methods in {
        "/api/v1/recommendations": {"get"},
        "/api/v1/recommendations/{number}/states/{code}": {"put"},
        "/api/v1/sessions": {"get", "post"},
        "/api/v1/sessions/{session_id}": {"get", "patch"},
        "/api/v1/sessions/{session_id}/agreements": {"post"},
        "/api/v1/agreements/{agreement_id}": {"patch"},
    }.items():
        assert methods <= set(spec["paths"][path]), path
    put = spec["paths"]["/api/v1/recommendations/{number}/states/{code}"]["put"]
    assert {"401", "403", "422"} <= set(put["responses"])
    body = put["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert spec["components"]["schemas"][body]["properties"]["status"]["enum"] == [
        "not_started",
        "in_progress",
        "done",
    ]
