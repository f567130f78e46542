"""What changed, for the public Atom feed: read from the history (curation.HistoryEntry), so every writer
that records its changes appears here. Only what a visitor may read is listed: entries of published
practices (never pending revisions), panorama figures, recommendations, sessions and agreements."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice
from buenaspracticas.coordination.models import (
    HISTORY_AGREEMENT,
    HISTORY_RECOMMENDATION,
    HISTORY_RECOMMENDATION_TEXT,
    HISTORY_SESSION,
    Agreement,
    Progress,
    Session,
)
from buenaspracticas.curation.models import HistoryEntry
from buenaspracticas.reference import CRITERIA_LABELS

PRACTICE_KINDS = ("practice", "assessment", "workflow")
OTHER_KINDS = (
    "panorama",
    HISTORY_RECOMMENDATION,
    HISTORY_RECOMMENDATION_TEXT,
    HISTORY_SESSION,
    HISTORY_AGREEMENT,
)


def _verdicts_changed(before: dict | None, after: dict | None) -> list[str]:
    old = (before or {}).get("criteria") or {}
    new = (after or {}).get("criteria") or {}
    return [
        str(CRITERIA_LABELS.get(c, c))
        for c in new
        if (old.get(c) or {}).get("verdict") != (new.get(c) or {}).get("verdict") and old
    ]


def _practice_entry(e: HistoryEntry) -> tuple[str, str]:
    title = e.practice.title
    if e.kind == "workflow":
        to = (e.after or {}).get("workflow_state")
        return (
            _("Publicada: %(t)s") % {"t": title}
            if to == "published"
            else _("Archivada: %(t)s") % {"t": title},
            e.reason,
        )
    changed = _verdicts_changed(e.before, e.after)
    if e.before is None:
        return _("Ficha nueva: %(t)s") % {"t": title}, e.reason
    if changed:
        return _("Valoración cambiada: %(t)s") % {"t": title}, ", ".join(changed) + (
            f" · {e.reason}" if e.reason else ""
        )
    return _("Ficha revisada: %(t)s") % {"t": title}, e.reason


def _local(value: str | None) -> str:
    # "2031-03-10T10:00:00-06:00" → "2031-03-10 10:00": the wall-clock time in the session's own zone.
    return (value or "")[:16].replace("T", " ")


def _entry(e: HistoryEntry, sessions: dict[int, str]) -> dict[str, Any] | None:
    after, before = e.after or {}, e.before or {}
    state = e.state.name if e.state_id else ""
    if e.kind in PRACTICE_KINDS:
        title, summary = _practice_entry(e)
        link = f"/practicas/{e.practice.public_id}/"
    elif e.kind == "panorama":
        title, summary, link = (
            _("Cifras corregidas: %(s)s") % {"s": state},
            e.reason,
            f"/estados/{e.state.slug}/",
        )
    elif e.kind == HISTORY_RECOMMENDATION:
        label = str(Progress(after.get("status", "not_started")).label)
        title = _("Recomendación %(n)s en %(s)s: %(l)s") % {
            "n": after.get("recommendation"),
            "s": state,
            "l": label,
        }
        summary, link = (
            after.get("note") or "",
            f"/recomendaciones/{after.get('recommendation')}/{e.state.slug}/",
        )
    elif e.kind == HISTORY_RECOMMENDATION_TEXT:
        title = _("Recomendación %(n)s del informe") % {"n": after.get("number")}
        summary, link = after.get("text", ""), f"/recomendaciones/{after.get('number')}/"
    elif e.kind == HISTORY_SESSION:
        verb = (
            _("Sesión de coordinación nueva")
            if not before
            else (_("Minuta publicada") if e.reason == "Minuta publicada" else _("Sesión actualizada"))
        )
        title = f"{verb}: {after.get('title', '')}"
        summary = _("%(start)s–%(end)s (%(tz)s)") % {
            "start": _local(after.get("starts_at")),
            "end": _local(after.get("ends_at")),
            "tz": after.get("timezone", ""),
        }
        link = f"/sesiones/{after.get('id')}/"
    elif e.kind == HISTORY_AGREEMENT:
        label = str(Agreement.Status(after.get("status", "pending")).label)
        title = _("Acuerdo %(l)s (%(s)s): %(t)s") % {"l": label, "s": state, "t": after.get("text", "")[:80]}
        session = sessions.get(after.get("session"), "")
        summary = _("Vence el %(d)s · sesión «%(x)s»") % {"d": after.get("due"), "x": session}
        if e.reason and e.reason != "Acuerdo actualizado":
            summary += f" · {e.reason}"
        link = f"/sesiones/{after.get('session')}/#acuerdo-{after.get('id')}"
    else:
        return None
    return {
        "id": e.pk,
        "title": title,
        "summary": summary or title,
        "link": link,
        "updated": e.at,
        "state": state,
    }


def feed_entries(*, state_key: str | None = None, limit: int = 50) -> dict[str, Any]:
    """Return {"state", "items"}: the latest public changes (optionally of one state: its practices, figures,
    recommendation statuses, agreements and the sessions it takes part in), newest first."""
    public = (
        Q(kind__in=OTHER_KINDS)
        | Q(kind__in=("practice", "assessment"), practice__workflow_state=Practice.Workflow.PUBLISHED)
        | Q(
            kind="workflow",
            practice__workflow_state__in=(Practice.Workflow.PUBLISHED, Practice.Workflow.ARCHIVED),
            after__workflow_state__in=("published", "archived"),
        )
    )
    qs = HistoryEntry.objects.filter(public)
    state = None
    if state_key:
        state = catalog_services.state_resolve(key=state_key)
        own_sessions = list(Session.objects.filter(states=state).values_list("pk", flat=True))
        qs = qs.filter(Q(state=state) | Q(kind=HISTORY_SESSION, after__id__in=own_sessions or [0]))
    entries = list(qs.select_related("practice", "state").order_by("-at", "-pk")[:limit])
    ids = {(e.after or {}).get("session") for e in entries if e.kind == HISTORY_AGREEMENT}
    sessions = dict(Session.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "title"))
    items = [item for item in (_entry(e, sessions) for e in entries) if item is not None]
    return {
        "state": {"code": state.code, "slug": state.slug, "name": state.name} if state else None,
        "items": items,
    }
