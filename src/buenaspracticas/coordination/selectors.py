"""Reads of the coordination space, as plain dicts: the API returns them and the pages render them, so the
two cannot drift. Each selector runs a bounded number of queries whatever the number of states."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice, State
from buenaspracticas.coordination import permissions
from buenaspracticas.coordination.models import (
    Agreement,
    AgreementNote,
    NotificationPreference,
    Progress,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
    Session,
)
from buenaspracticas.coordination.snapshots import evidence_json, iso
from buenaspracticas.curation.permissions import COORDINATOR, EDITOR, EVALUATOR, role_of
from buenaspracticas.errors import NotFound

STALE_AFTER = timedelta(days=182)  # "not updated in six months"
OPEN_AGREEMENT = (Agreement.Status.PENDING, Agreement.Status.IN_PROGRESS)


def state_json(state: State) -> dict[str, str]:
    """Return a state as {"code", "slug", "name"}."""
    return {"code": state.code, "slug": state.slug, "name": state.name}


def author_label(user) -> str:
    """Return who wrote an update, by role and office rather than by person (pages and feeds are public)."""
    from django.utils.translation import gettext as _

    if user is None:
        return _("Sistema")
    role = role_of(user)
    if role == EDITOR and getattr(user, "account", None) and user.account.state_id:
        return _("Oficina estatal de %(state)s") % {"state": user.account.state.name}
    return {COORDINATOR: _("Coordinación (CONOFAM)"), EVALUATOR: _("Evaluación")}.get(role, _("Cuenta"))


# ---------------------------------------------------------------- recommendations


def tracked_states() -> list[dict[str, str]]:
    """Return the states followed on the recommendations: those with published practices, an editor account
    or a recorded status (the report's twelve at first; all 32 as offices join)."""
    states = State.objects.filter(
        Q(practices__workflow_state=Practice.Workflow.PUBLISHED)
        | Q(accounts__role="editor")
        | Q(recommendation_statuses__isnull=False)
    ).distinct()
    return [state_json(s) for s in states.order_by("name")]


def _status_json(row: RecommendationStatus | None) -> dict[str, Any]:
    status = row.status if row else Progress.NOT_STARTED
    return {
        "status": status,
        "status_label": str(Progress(status).label),
        "note": row.note if row else "",
        "evidence": evidence_json(row, sorted(p.public_id for p in row.practices.all()) if row else None),
        "updated_at": iso(row.updated_at) if row else None,
        "version": row.version if row else 0,
    }


def _recommendation_json(rec: Recommendation, rows: dict, states: list[dict]) -> dict[str, Any]:
    return {
        "number": rec.number,
        "text": rec.text,
        "summary": summary(rec.text),
        "source": {
            "document": rec.document.slug if rec.document_id else None,
            "number": rec.number_in_source,
            "first_line": rec.first_line,
            "last_line": rec.last_line,
        },
        "states": {s["code"]: _status_json(rows.get((rec.pk, s["code"]))) for s in states},
    }


def summary(text: str, words: int = 14) -> str:
    """Return the first words of a text, with an ellipsis when cut."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _rows(**filters) -> dict[tuple[int, str], RecommendationStatus]:
    rows = (
        RecommendationStatus.objects.filter(**filters)
        .select_related("state")
        .prefetch_related(Prefetch("practices", queryset=Practice.objects.only("pk", "public_id")))
    )
    return {(r.recommendation_id, r.state.code): r for r in rows}


def recommendation_list(*, states: list[dict] | None = None) -> dict[str, Any]:
    """Return {"count", "items"}: each recommendation with `number`, `text`, `source` and `states` keyed by
    state code (`status`, `note`, `evidence`, `updated_at`) for every followed state."""
    states = tracked_states() if states is None else states
    recs = list(Recommendation.objects.select_related("document"))
    rows = _rows()
    items = [_recommendation_json(r, rows, states) for r in recs]
    return {"count": len(items), "items": items}


def recommendation_table() -> dict[str, Any]:
    """Return the page's table: the recommendations and one row per followed state with its six cells."""
    states = tracked_states()
    data = recommendation_list(states=states)
    rows = [
        {
            "state": s,
            "cells": [{"number": r["number"], **r["states"][s["code"]]} for r in data["items"]],
        }
        for s in states
    ]
    return {**data, "rows": rows, "statuses": [(c.value, str(c.label)) for c in Progress]}


def recommendation_get(*, number: int) -> dict[str, Any]:
    """Return one recommendation in the list's shape; raise NotFound."""
    rec = Recommendation.objects.select_related("document").filter(number=number).first()
    if rec is None:
        raise NotFound(f"No existe la recomendación {number}.")
    return _recommendation_json(rec, _rows(recommendation=rec), tracked_states())


def recommendation_thread(*, number: int, state_key: str, user) -> dict[str, Any]:
    """Return one state's cell on one recommendation: its status, dated updates, whether `user` may update
    it, and the state's practices that can be cited as evidence."""
    state = catalog_services.state_resolve(key=state_key)
    rec = Recommendation.objects.select_related("document").filter(number=number).first()
    if rec is None:
        raise NotFound(f"No existe la recomendación {number}.")
    row = _rows(recommendation=rec, state=state).get((rec.pk, state.code))
    updates = []
    if row is not None:
        qs = RecommendationUpdate.objects.filter(status_row=row).select_related("actor__account__state")
        updates = [
            {
                "at": iso(u.at),
                "status": u.status,
                "status_label": str(Progress(u.status).label),
                "note": u.note,
                "evidence": u.evidence,
                "author": author_label(u.actor),
            }
            for u in qs
        ]
    practices = Practice.objects.filter(state=state, workflow_state=Practice.Workflow.PUBLISHED).order_by(
        "number"
    )
    return {
        "recommendation": {"number": rec.number, "text": rec.text, "summary": summary(rec.text)},
        "state": state_json(state),
        "current": _status_json(row),
        "updates": updates,
        "can_update": permissions.can_track_recommendations(user, state.code)
        and getattr(user, "is_authenticated", False),
        "practices": [{"id": p.public_id, "title": p.title} for p in practices],
        "statuses": [(c.value, str(c.label)) for c in Progress],
    }


def state_recommendations(*, state_code: str) -> list[dict[str, Any]]:
    """Return a state's row: each recommendation with the state's status (for the state page)."""
    rows = {r.recommendation_id: r for r in RecommendationStatus.objects.filter(state__code=state_code)}
    out = []
    for rec in Recommendation.objects.all():
        row = rows.get(rec.pk)
        status = row.status if row else Progress.NOT_STARTED
        out.append(
            {
                "number": rec.number,
                "summary": summary(rec.text),
                "status": status,
                "status_label": str(Progress(status).label),
                "updated_at": iso(row.updated_at) if row else None,
            }
        )
    return out


# ---------------------------------------------------------------- sessions and agreements


def _sessions():
    return Session.objects.prefetch_related(
        Prefetch("states", queryset=State.objects.order_by("name")),
        Prefetch(
            "agreements",
            queryset=Agreement.objects.select_related("owner_state").prefetch_related(
                Prefetch("notes", queryset=AgreementNote.objects.select_related("actor__account__state"))
            ),
        ),
    )


def agreement_json(a: Agreement, today=None) -> dict[str, Any]:
    """Return an agreement with its owner state, status (code and words) and follow-up notes."""
    today = today or timezone.localdate()
    return {
        "id": a.pk,
        "session": a.session_id,
        "text": a.text,
        "owner_state": state_json(a.owner_state),
        "due": iso(a.due),
        "status": a.status,
        "status_label": str(Agreement.Status(a.status).label),
        "overdue": a.status in OPEN_AGREEMENT and a.due < today,
        "sequence": a.sequence,
        "updated_at": iso(a.updated_at),
        "notes": [
            {
                "at": iso(n.at),
                "text": n.text,
                "status": n.status,
                "status_label": str(Agreement.Status(n.status).label),
                "author": author_label(n.actor),
            }
            for n in a.notes.all()
        ],
    }


def session_json(s: Session, *, user) -> dict[str, Any]:
    """Return a session with its states and agreements; the video link only for accounts with a role."""
    tz = ZoneInfo(s.timezone)
    today = timezone.localdate()
    return {
        "id": s.pk,
        "title": s.title,
        "starts_at": s.starts_at.astimezone(tz).isoformat(),
        "ends_at": s.ends_at.astimezone(tz).isoformat(),
        "timezone": s.timezone,
        "place": s.place,
        "video_url": s.video_url if permissions.sees_private_links(user) else None,
        "agenda": s.agenda,
        "minutes": s.minutes,
        "minutes_published_at": iso(s.minutes_published_at),
        "states": [state_json(st) for st in s.states.all()],
        "attachments": list(s.attachments),
        "agreements": [agreement_json(a, today) for a in s.agreements.all()],
        "sequence": s.sequence,
        "upcoming": s.ends_at >= timezone.now(),
        "url": f"/sesiones/{s.pk}/",
        "created_at": iso(s.created_at),
        "updated_at": iso(s.updated_at),
    }


def session_list(*, user, state: str | None = None, when: str | None = None) -> dict[str, Any]:
    """Return {"count", "items"}: sessions (optionally of one state, upcoming or past), upcoming first in
    date order, past ones latest first."""
    qs = _sessions()
    if state:
        qs = qs.filter(states=catalog_services.state_resolve(key=state))
    now = timezone.now()
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at", "pk")) if when != "past" else []
    past = list(qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")) if when != "upcoming" else []
    items = [session_json(s, user=user) for s in upcoming + past]
    return {"count": len(items), "items": items}


def session_get(*, session_id: int, user) -> dict[str, Any]:
    """Return one session with its agreements; raise NotFound."""
    session = _sessions().filter(pk=session_id).first()
    if session is None:
        raise NotFound(f"No existe la sesión {session_id}.")
    return session_json(session, user=user)


def agreement_get(*, agreement_id: int) -> dict[str, Any]:
    """Return one agreement with its notes; raise NotFound."""
    agreement = (
        Agreement.objects.select_related("owner_state")
        .prefetch_related(
            Prefetch("notes", queryset=AgreementNote.objects.select_related("actor__account__state"))
        )
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise NotFound(f"No existe el acuerdo {agreement_id}.")
    return agreement_json(agreement)


def session_form_choices() -> dict[str, Any]:
    """Return the choices a session or agreement form offers: states, time zones, agreement statuses."""
    return {
        "states": [state_json(s) for s in State.objects.order_by("name")],
        "timezones": [
            "America/Mexico_City",
            "America/Monterrey",
            "America/Merida",
            "America/Cancun",
            "America/Chihuahua",
            "America/Ciudad_Juarez",
            "America/Mazatlan",
            "America/Hermosillo",
            "America/Tijuana",
            "America/Matamoros",
            "America/Bahia_Banderas",
            "America/Ojinaga",
        ],
        "agreement_statuses": [(c.value, str(c.label)) for c in Agreement.Status],
    }


# ---------------------------------------------------------------- coordinator's overview


def coordinator_overview(*, user, today=None) -> dict[str, Any]:
    """Return what needs the coordination's attention: overdue agreements, states that have not updated a
    recommendation in six months, and practices waiting for review with how long (the coordination only)."""
    permissions.check_can_manage_sessions(user, "ver el panorama de la coordinación")
    from buenaspracticas.curation.models import Revision, Transition

    today = today or timezone.localdate()
    now = timezone.now()
    overdue = (
        Agreement.objects.filter(status__in=OPEN_AGREEMENT, due__lt=today)
        .select_related("owner_state", "session")
        .order_by("due", "pk")
    )
    recs = list(Recommendation.objects.values_list("pk", "number"))
    last = {
        (r["state__code"], r["recommendation_id"]): r["updated_at"]
        for r in RecommendationStatus.objects.values("state__code", "recommendation_id", "updated_at")
    }
    stale = []
    for s in tracked_states():
        dates = [last.get((s["code"], pk)) for pk, _ in recs]
        behind = [n for (pk, n), d in zip(recs, dates, strict=True) if d is None or now - d > STALE_AFTER]
        if behind:
            latest = max((d for d in dates if d), default=None)
            stale.append({"state": s, "recommendations": behind, "last_update": iso(latest)})
    waiting_states = ("submitted", "in_review")
    practices = (
        Practice.objects.filter(workflow_state__in=waiting_states)
        .select_related("state")
        .annotate(since=Max("transitions__at"))
    )
    revisions = (
        Revision.objects.filter(outcome=Revision.Outcome.OPEN, workflow_state__in=waiting_states)
        .select_related("practice__state")
        .annotate(
            since=Subquery(
                Transition.objects.filter(revision=OuterRef("pk")).order_by("-at").values("at")[:1]
            )
        )
    )
    waiting = [
        _waiting(p, p.workflow_state, p.since or p.updated_at, now, revision=False) for p in practices
    ] + [
        _waiting(r.practice, r.workflow_state, r.since or r.created_at, now, revision=True) for r in revisions
    ]
    waiting.sort(key=lambda w: w["since"])
    return {
        "overdue": [
            {
                **agreement_json_lite(a),
                "days_overdue": (today - a.due).days,
                "session": {"id": a.session_id, "title": a.session.title},
            }
            for a in overdue
        ],
        "stale": stale,
        "waiting": waiting,
        "today": iso(today),
    }


def agreement_json_lite(a: Agreement) -> dict[str, Any]:
    """Return an agreement without its notes (lists and the overview)."""
    return {
        "id": a.pk,
        "text": a.text,
        "owner_state": state_json(a.owner_state),
        "due": iso(a.due),
        "status": a.status,
        "status_label": str(Agreement.Status(a.status).label),
    }


def _waiting(practice: Practice, state: str, since, now, *, revision: bool) -> dict[str, Any]:
    return {
        "id": practice.public_id,
        "title": practice.title,
        "state": state_json(practice.state),
        "workflow_state": state,
        "workflow_label": str(Practice.Workflow(state).label),
        "revision": revision,
        "since": iso(since),
        "days": (now - since).days,
    }


def notification_preference(*, user) -> dict[str, Any]:
    """Return the signed-in person's notification choice and the address messages go to."""
    pref = NotificationPreference.objects.filter(user=user).first()
    return {"email_enabled": pref.email_enabled if pref else True, "email": getattr(user, "email", "")}


# ---------------------------------------------------------------- calendar

CALENDAR_PAST = timedelta(days=365)


def calendar_items(*, state_key: str | None = None) -> dict[str, Any]:
    """Return the calendar's sessions and agreement due dates (of the last year onwards; of one state when
    `state_key` is given: the sessions it takes part in and the agreements it owns), values unformatted."""
    state = catalog_services.state_resolve(key=state_key) if state_key else None
    sessions = Session.objects.filter(ends_at__gte=timezone.now() - CALENDAR_PAST).prefetch_related(
        Prefetch("states", queryset=State.objects.order_by("name"))
    )
    agreements = Agreement.objects.filter(due__gte=timezone.localdate() - CALENDAR_PAST).select_related(
        "owner_state", "session"
    )
    if state is not None:
        sessions = sessions.filter(states=state)
        agreements = agreements.filter(owner_state=state)
    return {
        "state": state_json(state) if state else None,
        "sessions": [
            {
                "id": s.pk,
                "title": s.title,
                "starts_at": s.starts_at.astimezone(ZoneInfo(s.timezone)),
                "ends_at": s.ends_at.astimezone(ZoneInfo(s.timezone)),
                "place": s.place,
                "agenda": s.agenda,
                "states": [st.name for st in s.states.all()],
                "sequence": s.sequence,
                "created_at": s.created_at,
                "updated_at": s.updated_at,
            }
            for s in sessions.order_by("starts_at", "pk")
        ],
        "agreements": [
            {
                "id": a.pk,
                "text": a.text,
                "owner_state": a.owner_state.name,
                "due": a.due,
                "status": a.status,
                "status_label": str(Agreement.Status(a.status).label),
                "session": {"id": a.session_id, "title": a.session.title},
                "sequence": a.sequence,
                "created_at": a.created_at,
                "updated_at": a.updated_at,
            }
            for a in agreements.order_by("due", "pk")
        ],
    }
