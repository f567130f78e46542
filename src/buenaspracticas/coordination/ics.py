"""The iCalendar (RFC 5545) feeds, built with the `icalendar` package: one event per session (in its own
time zone, VTIMEZONE included) and one all-day event per agreement due date. UIDs never change for a
record, and every edit raises its SEQUENCE, so subscribed calendars update the event instead of adding
another."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//OIM CONOFAM//buenaspracticas//ES"
UID_DOMAIN = "buenaspracticas"


def session_uid(session_id: int) -> str:
    """Return the stable UID of a session's event."""
    return f"sesion-{session_id}@{UID_DOMAIN}"


def agreement_uid(agreement_id: int) -> str:
    """Return the stable UID of an agreement's due-date event."""
    return f"acuerdo-{agreement_id}@{UID_DOMAIN}"


def calendar_ics(items: dict, *, base_url: str) -> bytes:
    """Return the calendar of `items` (selectors.calendar_items) as iCalendar bytes; links use `base_url`."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = _("Coordinación de las OFAM")
    if items["state"]:
        name = f"{name} · {items['state']['name']}"
    cal.add("x-wr-calname", name)
    for s in items["sessions"]:
        event = Event()
        event.add("uid", session_uid(s["id"]))
        event.add("dtstamp", s["updated_at"])
        event.add("created", s["created_at"])
        event.add("last-modified", s["updated_at"])
        event.add("sequence", s["sequence"])
        event.add("summary", s["title"])
        event.add("dtstart", s["starts_at"])
        event.add("dtend", s["ends_at"])
        if s["place"]:
            event.add("location", s["place"])
        url = f"{base_url}/sesiones/{s['id']}/"
        lines = [s["agenda"]] if s["agenda"] else []
        if s["states"]:
            lines.append(_("Estados participantes: %(s)s") % {"s": ", ".join(s["states"])})
        lines.append(url)
        event.add("description", "\n\n".join(lines))
        event.add("url", url)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    for a in items["agreements"]:
        event = Event()
        event.add("uid", agreement_uid(a["id"]))
        event.add("dtstamp", a["updated_at"])
        event.add("created", a["created_at"])
        event.add("last-modified", a["updated_at"])
        event.add("sequence", a["sequence"])
        event.add(
            "summary",
            _("Vence acuerdo (%(state)s, %(status)s): %(text)s")
            % {"state": a["owner_state"], "status": a["status_label"], "text": a["text"][:80]},
        )
        event.add("dtstart", a["due"])
        event.add("dtend", a["due"] + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        url = f"{base_url}/sesiones/{a['session']['id']}/#acuerdo-{a['id']}"
        event.add("description", f"{a['text']}\n\n{_('Sesión')}: {a['session']['title']}\n{url}")
        event.add("url", url)
        event.add("status", "CANCELLED" if a["status"] == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
