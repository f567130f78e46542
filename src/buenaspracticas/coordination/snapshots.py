"""The JSON shape of each coordination record, written once: the API and pages read it through the
selectors, and the services keep it as the before/after of every history entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from buenaspracticas.coordination.models import Agreement, RecommendationStatus, Session


def iso(value) -> str | None:
    """Return a date or datetime as ISO 8601, a moment in the site's time zone (None stays None)."""
    if value is None:
        return None
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


def evidence_json(row: RecommendationStatus | None, practice_ids: list[str] | None = None) -> dict[str, Any]:
    """Return a status row's evidence: {"text", "documents": [{"title", "url"}], "practices": [ids]}."""
    if row is None:
        return {"text": "", "documents": [], "practices": []}
    if practice_ids is None:
        practice_ids = sorted(p.public_id for p in row.practices.all())
    return {"text": row.evidence_text, "documents": list(row.evidence_documents), "practices": practice_ids}


def status_snapshot(row: RecommendationStatus) -> dict[str, Any]:
    """Return one state's status on one recommendation (the history keeps it)."""
    return {
        "recommendation": row.recommendation.number,
        "state": row.state.code,
        "status": row.status,
        "note": row.note,
        "evidence": evidence_json(row),
        "version": row.version,
    }


def session_snapshot(session: Session) -> dict[str, Any]:
    """Return a session's own fields, datetimes in its time zone (agreements are separate records)."""
    tz = ZoneInfo(session.timezone)
    return {
        "id": session.pk,
        "title": session.title,
        "starts_at": session.starts_at.astimezone(tz).isoformat(),
        "ends_at": session.ends_at.astimezone(tz).isoformat(),
        "timezone": session.timezone,
        "place": session.place,
        "video_url": session.video_url,
        "agenda": session.agenda,
        "minutes": session.minutes,
        "minutes_published_at": iso(session.minutes_published_at),
        "states": sorted(s.code for s in session.states.all()),
        "attachments": list(session.attachments),
        "sequence": session.sequence,
    }


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    """Return an agreement's own fields (its follow-up notes are separate records)."""
    return {
        "id": agreement.pk,
        "session": agreement.session_id,
        "text": agreement.text,
        "owner_state": agreement.owner_state.code,
        "due": iso(agreement.due),
        "status": agreement.status,
        "sequence": agreement.sequence,
    }
