"""The subscribable feeds: the iCalendar feed parsed back with the icalendar package (stable UIDs, time zones,
SEQUENCE raised by edits, one state's feed), and the Atom feed parsed as XML with the elements RFC 4287
requires, filtered by state."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from tests.coordination.conftest import SESSION, bearer

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _events(client, path="/calendario.ics") -> dict[str, object]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _patch(client, path, body, token):
    return client.patch(path, data=json.dumps(body), content_type="application/json", **bearer(token))


def test_the_calendar_holds_each_session_in_its_time_zone_and_each_due_date(client, session):
    events = _events(client)
    s, a = session["session"], session["agreement"]
    event = events[f"sesion-{s.pk}@buenaspracticas"]
    assert str(event["SUMMARY"]) == SESSION["title"]
    assert event["DTSTART"].params["TZID"] == "America/Mexico_City"
    assert event.decoded("DTSTART").strftime("%Y-%m-%d %H:%M") == "2031-03-10 10:00"
    assert event.decoded("DTEND").strftime("%H:%M") == "13:00"
    assert str(event["LOCATION"]) == SESSION["place"]
    due = events[f"acuerdo-{a.pk}@buenaspracticas"]
    assert due.decoded("DTSTART").isoformat() == "2031-04-30"
    assert "Oaxaca" in str(due["SUMMARY"])
    cal = Calendar.from_ical(client.get("/calendario.ics").content)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/Mexico_City"]


def test_uids_are_stable_across_fetches_and_an_edit_raises_the_sequence(client, tokens, session):
    first = _events(client)
    second = _events(client)
    assert first.keys() == second.keys()
    uid = f"sesion-{session['session'].pk}@buenaspracticas"
    assert int(first[uid]["SEQUENCE"]) == 0

    _patch(
        client,
        f"/api/v1/sessions/{session['session'].pk}",
        {"starts_at": "2031-03-10T11:00"},
        tokens["coordinator"],
    )
    _patch(client, f"/api/v1/agreements/{session['agreement'].pk}", {"status": "done"}, tokens["editor"])
    third = _events(client)
    assert third.keys() == first.keys()
    assert int(third[uid]["SEQUENCE"]) == 1
    assert third[uid].decoded("DTSTART").strftime("%H:%M") == "11:00"
    agreement_uid = f"acuerdo-{session['agreement'].pk}@buenaspracticas"
    assert int(third[agreement_uid]["SEQUENCE"]) == 1
    assert "cumplido" in str(third[agreement_uid]["SUMMARY"])


def test_a_states_calendar_holds_only_its_sessions_and_agreements(client, tokens, session):
    other = client.post(
        "/api/v1/sessions",
        data=json.dumps({**SESSION, "title": "Solo Yucatán", "states": ["MX-YUC"]}),
        content_type="application/json",
        **bearer(tokens["coordinator"]),
    ).json()
    client.post(
        f"/api/v1/sessions/{other['id']}/agreements",
        data=json.dumps({"text": "Acuerdo de Yucatán.", "owner_state": "MX-YUC", "due": "2031-08-01"}),
        content_type="application/json",
        **bearer(tokens["coordinator"]),
    )
    oaxaca = _events(client, "/calendario/oaxaca.ics")
    yucatan = _events(client, "/calendario/yucatan.ics")
    assert set(oaxaca) == {
        f"sesion-{session['session'].pk}@buenaspracticas",
        f"acuerdo-{session['agreement'].pk}@buenaspracticas",
    }
    assert f"sesion-{other['id']}@buenaspracticas" in yucatan and len(yucatan) == 2
    assert len(_events(client)) == 4
    assert client.get("/calendario/atlantida.ics").status_code == 404


def _feed(client, query=""):
    response = client.get("/novedades.atom" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def _check_atom(feed) -> list:
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    entries = feed.findall(f"{ATOM}entry")
    has_feed_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert entry.find(f"{ATOM}link") is not None or entry.find(f"{ATOM}content") is not None
        assert has_feed_author or entry.find(f"{ATOM}author") is not None
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids))
    return entries


def test_the_atom_feed_lists_changes_with_the_required_elements(client, tokens, session):
    client.put(
        "/api/v1/recommendations/4/states/MX-OAX",
        data=json.dumps({"status": "in_progress"}),
        content_type="application/json",
        **bearer(tokens["editor"]),
    )
    _patch(
        client,
        f"/api/v1/agreements/{session['agreement'].pk}",
        {"status": "done", "note": "Padrón enviado."},
        tokens["editor"],
    )
    entries = _check_atom(_feed(client))
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0].startswith("Acuerdo cumplido (Oaxaca)")
    assert titles[1] == "Recomendación 4 en Oaxaca: en curso"
    assert any(t.startswith("Sesión de coordinación nueva") for t in titles)
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/sesiones/{session['session'].pk}/#acuerdo-{session['agreement'].pk}")


def test_the_atom_feed_filters_by_state(client, tokens, session):
    client.put(
        "/api/v1/recommendations/1/states/MX-JAL",
        data=json.dumps({"status": "done"}),
        content_type="application/json",
        **bearer(tokens["other_editor"]),
    )
    jalisco = [e.findtext(f"{ATOM}title") for e in _check_atom(_feed(client, "?estado=jalisco"))]
    oaxaca = [e.findtext(f"{ATOM}title") for e in _check_atom(_feed(client, "?estado=MX-OAX"))]
    assert "Recomendación 1 en Jalisco: cumplida" in jalisco
    assert not any("Jalisco" in t for t in oaxaca)
    assert any(t.startswith("Acuerdo pendiente (Oaxaca)") for t in oaxaca)
    assert any(t.startswith("Sesión de coordinación nueva") for t in jalisco)  # Jalisco takes part
    assert _feed(client, "?estado=oaxaca").findtext(f"{ATOM}title").startswith("Novedades de Oaxaca")
    assert client.get("/novedades.atom?estado=atlantida").status_code == 404


def test_drafts_never_reach_the_public_feed(client, tokens, people):
    from buenaspracticas.curation import services

    services.practice_draft_create(
        user=people["editor"], state_code=None, data={"title": "BORRADOR CONFIDENCIAL DE PRUEBA"}
    )
    text = client.get("/novedades.atom").content.decode()
    assert "BORRADOR CONFIDENCIAL" not in text
