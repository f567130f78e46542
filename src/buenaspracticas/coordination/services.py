"""Writes of the coordination space. Every front door (pages, API, CLI, the report loader) calls these; each
checks the caller's permission first, then validates, writes, records the change in the history and
schedules the e-mail notifications for after the transaction commits."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice, SourceDocument, State
from buenaspracticas.coordination import notifications, permissions, snapshots
from buenaspracticas.coordination import validation as v
from buenaspracticas.coordination.models import (
    DEFAULT_TIMEZONE,
    HISTORY_AGREEMENT,
    HISTORY_RECOMMENDATION,
    HISTORY_RECOMMENDATION_TEXT,
    HISTORY_SESSION,
    Agreement,
    AgreementNote,
    NotificationPreference,
    Progress,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
    Session,
)
from buenaspracticas.coordination.report_recommendations import recommendations_from_file
from buenaspracticas.curation.permissions import check_is_coordinator
from buenaspracticas.curation.services import history_record
from buenaspracticas.errors import NotFound, PermissionDenied, ValidationError

REMINDER_DAYS = 7


def _actor(user):
    return user if getattr(user, "pk", None) else None


# ---------------------------------------------------------------- recommendations


@transaction.atomic
def recommendations_load(*, path: str | Path, user=None) -> dict[str, Any]:
    """Read the recommendations of the report at `path` and create or update them in place (idempotent);
    return {"document", "created", "updated", "unchanged"} with the site-wide numbers of each."""
    check_is_coordinator(user, "cargar las recomendaciones de un informe")
    slug, records = recommendations_from_file(path)
    document = SourceDocument.objects.filter(slug=slug).first()
    if document is None:
        document, _ = catalog_services.document_upsert(slug=slug, title=slug)
    summary: dict[str, Any] = {"document": slug, "created": [], "updated": [], "unchanged": []}
    origin = f"Informe: {document.title}"
    for record in records:
        rec = (
            Recommendation.objects.select_for_update()
            .filter(document=document, number_in_source=record.number)
            .first()
        )
        values = {"text": record.text, "first_line": record.first_line, "last_line": record.last_line}
        if rec is None:
            taken = Recommendation.objects.filter(number=record.number).exists()
            number = (
                (Recommendation.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
                if taken
                else record.number
            )
            rec = Recommendation.objects.create(
                number=number, document=document, number_in_source=record.number, **values
            )
            before, outcome = None, "created"
        elif catalog_services.set_fields(rec, dict(values)):
            before = _recommendation_snapshot(Recommendation.objects.get(pk=rec.pk))
            rec.save()
            outcome = "updated"
        else:
            summary["unchanged"].append(rec.number)
            continue
        summary[outcome].append(rec.number)
        history_record(
            kind=HISTORY_RECOMMENDATION_TEXT,
            actor=user,
            actor_label=origin,
            reason=f"Cargada del informe {slug}" if before is None else f"Actualizada por el informe {slug}",
            before=before,
            after=_recommendation_snapshot(rec),
        )
    return summary


def _recommendation_snapshot(rec: Recommendation) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "number": rec.number,
        "text": rec.text,
        "source": {
            "document": rec.document.slug if rec.document_id else None,
            "number": rec.number_in_source,
            "first_line": rec.first_line,
            "last_line": rec.last_line,
        },
    }


def _evidence(value: Any, state: State) -> tuple[str, list[dict], list[Practice]]:
    if value is None or isinstance(value, str):
        return v.text({"evidence": value}, "evidence"), [], []
    if not isinstance(value, dict):
        raise ValidationError(
            '«evidence» debe ser texto o un objeto {"text", "documents", "practices"}.', field="evidence"
        )
    v.reject_unknown(value, ("text", "documents", "practices"))
    text = v.text(value, "text")
    documents = v.links(value.get("documents"), "evidence.documents")
    ids = v.string_list(value.get("practices"), "evidence.practices")
    practices = list(Practice.objects.filter(public_id__in=ids, state=state))
    missing = sorted(set(ids) - {p.public_id for p in practices})
    if missing:
        raise ValidationError(
            f"Prácticas desconocidas o de otro estado: {', '.join(missing)} (cite prácticas de {state.name}, "
            f"p. ej. {state.slug}-1).",
            field="evidence.practices",
        )
    return text, documents, practices


@transaction.atomic
def recommendation_state_update(
    *, user, number: int | str, state_code: str, data: Any
) -> RecommendationStatus:
    """Set a state's status, note and evidence on a recommendation (that state's editor or the coordination);
    each call is a dated update in the cell's thread and a history entry. Return the status row."""
    state = catalog_services.state_resolve(key=state_code)
    permissions.check_can_track_recommendations(user, state.code)
    known = str(number).isdigit() and int(number) <= 32767  # a SmallInteger on every database
    rec = Recommendation.objects.filter(number=int(number)).first() if known else None
    if rec is None:
        raise NotFound(f"No existe la recomendación {number}.")
    data = v.require_object(data)
    v.reject_unknown(data, ("status", "note", "evidence"))
    status = v.choice(data, "status", Progress.values)
    note = v.text(data, "note")
    evidence_text, documents, practices = _evidence(data.get("evidence"), state)

    row, created = RecommendationStatus.objects.select_for_update().get_or_create(
        recommendation=rec, state=state
    )
    before = None if created else snapshots.status_snapshot(row)
    row.status, row.note = status, note
    row.evidence_text, row.evidence_documents = evidence_text, documents
    row.version += 1
    row.updated_at, row.updated_by = timezone.now(), _actor(user)
    row.save()
    row.practices.set(practices)
    after = snapshots.status_snapshot(row)
    RecommendationUpdate.objects.create(
        status_row=row, status=status, note=note, evidence=after["evidence"], actor=_actor(user)
    )
    history_record(
        kind=HISTORY_RECOMMENDATION,
        state=state,
        actor=user,
        reason=note,
        before=before,
        after=after,
        version=row.version,
    )
    return row


# ---------------------------------------------------------------- sessions

SESSION_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "timezone",
    "place",
    "video_url",
    "agenda",
    "minutes",
    "states",
    "attachments",
)


def _states(codes: list[str], field: str) -> list[State]:
    found = {s.code: s for s in State.objects.filter(code__in=[c.upper() for c in codes])}
    by_slug = {s.slug: s for s in State.objects.filter(slug__in=[c.lower() for c in codes])}
    out, unknown = [], []
    for code in codes:
        state = found.get(code.upper()) or by_slug.get(code.lower())
        if state is None:
            unknown.append(code)
        else:
            out.append(state)
    if unknown:
        raise ValidationError(
            f"Estados desconocidos: {', '.join(unknown)} (use códigos ISO como MX-OAX o slugs como oaxaca).",
            field=field,
        )
    return list(dict.fromkeys(out))


def _session_values(data: dict, *, current: Session | None) -> dict[str, Any]:
    """Return the validated session fields present in `data` (all of them when creating)."""
    creating = current is None
    out: dict[str, Any] = {}
    if creating or "title" in data:
        out["title"] = v.text(data, "title", required=True, max_length=300)
    tz = v.timezone_name(data.get("timezone") or (current.timezone if current else DEFAULT_TIMEZONE))
    if creating or "timezone" in data:
        out["timezone"] = tz
    for field in ("starts_at", "ends_at"):
        if creating or field in data:
            out[field] = v.moment(data.get(field), field, tz)
        elif tz != current.timezone:
            # A corrected zone keeps the meeting's wall-clock time (10:00 stays 10:00 in the new zone).
            wall = getattr(current, field).astimezone(ZoneInfo(current.timezone)).replace(tzinfo=None)
            out[field] = wall.replace(tzinfo=ZoneInfo(tz))
    start = out.get("starts_at", current.starts_at if current else None)
    end = out.get("ends_at", current.ends_at if current else None)
    v.local_range(start, end)
    for field, limit in (("place", 300), ("agenda", v.LONG_TEXT), ("minutes", v.LONG_TEXT)):
        if creating or field in data:
            out[field] = v.text(data, field, max_length=limit)
    if creating or "video_url" in data:
        out["video_url"] = v.url(data.get("video_url"), "video_url")
    if creating or "attachments" in data:
        out["attachments"] = v.links(data.get("attachments"), "attachments")
    if creating or "states" in data:
        out["states"] = _states(v.string_list(data.get("states"), "states"), "states")
    return out


@transaction.atomic
def session_create(*, user, data: Any) -> Session:
    """Create a coordination session (the coordination only); tell the participating states' editors."""
    permissions.check_can_manage_sessions(user, "crear sesiones de coordinación")
    data = v.require_object(data)
    v.reject_unknown(data, SESSION_FIELDS)
    values = _session_values(data, current=None)
    states = values.pop("states")
    session = Session.objects.create(created_by=_actor(user), **values)
    if session.minutes:
        session.minutes_published_at = timezone.now()
        session.save(update_fields=["minutes_published_at"])
    session.states.set(states)
    history_record(
        kind=HISTORY_SESSION,
        actor=user,
        reason="Sesión creada",
        before=None,
        after=snapshots.session_snapshot(session),
        version=session.sequence,
    )
    notifications.session_created(session_id=session.pk, actor_id=getattr(_actor(user), "pk", None))
    return session


def _lock_session(session_id: int) -> Session:
    session = Session.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        raise NotFound(f"No existe la sesión {session_id}.")
    return session


@transaction.atomic
def session_update(*, user, session_id: int, data: Any) -> Session:
    """Edit a session (the coordination only): each change raises its calendar SEQUENCE and enters the
    history; minutes written for the first time are announced to the participating states."""
    permissions.check_can_manage_sessions(user, "editar sesiones de coordinación")
    session = _lock_session(session_id)
    data = v.require_object(data)
    v.reject_unknown(data, SESSION_FIELDS)
    values = _session_values(data, current=session)
    before = snapshots.session_snapshot(session)
    states = values.pop("states", None)
    catalog_services.set_fields(session, values)
    if states is not None:
        session.states.set(states)
    first_minutes = bool(session.minutes) and session.minutes_published_at is None
    if first_minutes:
        session.minutes_published_at = timezone.now()
    after = snapshots.session_snapshot(session)
    if {**after, "sequence": 0} == {**before, "sequence": 0}:
        return session
    session.sequence += 1
    session.save()
    after["sequence"] = session.sequence
    history_record(
        kind=HISTORY_SESSION,
        actor=user,
        before=before,
        after=after,
        version=session.sequence,
        reason="Minuta publicada" if first_minutes else "Sesión actualizada",
    )
    if first_minutes:
        notifications.minutes_published(session_id=session.pk, actor_id=getattr(_actor(user), "pk", None))
    return session


# ---------------------------------------------------------------- agreements

AGREEMENT_FIELDS = ("text", "owner_state", "due", "status", "note")
COORDINATION_ONLY = ("text", "owner_state", "due")


def _owner(value: Any) -> State:
    codes = v.string_list([value] if isinstance(value, str) else value, "owner_state")
    if len(codes) != 1:
        raise ValidationError(
            "Indique un estado responsable («owner_state»), p. ej. MX-OAX.", field="owner_state"
        )
    return _states(codes, "owner_state")[0]


@transaction.atomic
def agreement_create(*, user, session_id: int, data: Any) -> Agreement:
    """Add an agreement to a session (the coordination only): text, owner state, due date; return it."""
    permissions.check_can_manage_sessions(user, "registrar acuerdos")
    session = _lock_session(session_id)
    data = v.require_object(data)
    v.reject_unknown(data, ("text", "owner_state", "due", "status"))
    agreement = Agreement.objects.create(
        session=session,
        text=v.text(data, "text", required=True),
        owner_state=_owner(data.get("owner_state")),
        due=v.day(data.get("due"), "due"),
        status=v.choice(data, "status", Agreement.Status.values, required=False) or Agreement.Status.PENDING,
    )
    history_record(
        kind=HISTORY_AGREEMENT,
        state=agreement.owner_state,
        actor=user,
        reason="Acuerdo registrado",
        before=None,
        after=snapshots.agreement_snapshot(agreement),
        version=agreement.sequence,
    )
    return agreement


@transaction.atomic
def agreement_update(*, user, agreement_id: int, data: Any) -> Agreement:
    """Follow up an agreement: its owner state's editor sets the status and adds notes; the coordination may
    also change its text, owner state and due date. Each change raises its calendar SEQUENCE."""
    agreement = (
        Agreement.objects.select_for_update().select_related("owner_state").filter(pk=agreement_id).first()
    )
    if agreement is None:
        raise NotFound(f"No existe el acuerdo {agreement_id}.")
    permissions.check_can_follow_agreement(user, agreement.owner_state.code)
    if isinstance(data, dict) and not permissions.can_manage_sessions(user):
        fields = [f for f in COORDINATION_ONLY if f in data]
        if fields:
            raise PermissionDenied(
                f"Solo la coordinación cambia {', '.join(fields)} de un acuerdo; la oficina estatal "
                "actualiza su estatus y agrega notas de seguimiento."
            )
    data = v.require_object(data)
    v.reject_unknown(data, AGREEMENT_FIELDS)
    values: dict[str, Any] = {}
    if "text" in data:
        values["text"] = v.text(data, "text", required=True)
    if "owner_state" in data:
        values["owner_state"] = _owner(data.get("owner_state"))
    if "due" in data:
        values["due"] = v.day(data.get("due"), "due")
    if "status" in data:
        values["status"] = v.choice(data, "status", Agreement.Status.values)
    note = v.text(data, "note")
    if not values and not note:
        raise ValidationError(
            "Nada que guardar: envíe «status» o una nota de seguimiento («note»).", field="status"
        )
    before = snapshots.agreement_snapshot(agreement)
    changed = catalog_services.set_fields(agreement, values)
    if changed:
        agreement.sequence += 1
        agreement.save()
    if not changed and not note:
        return agreement
    if note or before["status"] != agreement.status:
        AgreementNote.objects.create(
            agreement=agreement, text=note, status=agreement.status, actor=_actor(user)
        )
    history_record(
        kind=HISTORY_AGREEMENT,
        state=agreement.owner_state,
        actor=user,
        reason=note or "Acuerdo actualizado",
        before=before,
        after=snapshots.agreement_snapshot(agreement),
        version=agreement.sequence,
    )
    return agreement


@transaction.atomic
def agreement_reminders_send(*, user=None, today=None) -> list[int]:
    """Remind each open agreement's owner state a week before it is due (once per due date); return the ids.
    Run daily by the server's operator (the coordination may also run it)."""
    check_is_coordinator(user, "enviar recordatorios de acuerdos")
    today = today or timezone.localdate()
    due = (
        Agreement.objects.select_for_update()
        .filter(status__in=(Agreement.Status.PENDING, Agreement.Status.IN_PROGRESS))
        .filter(due__gte=today, due__lte=today + timedelta(days=REMINDER_DAYS))
        .order_by("due", "pk")
    )
    sent = []
    for agreement in due:
        if agreement.reminder_sent_for == agreement.due:
            continue
        agreement.reminder_sent_for = agreement.due
        agreement.save(update_fields=["reminder_sent_for"])
        notifications.agreement_due(agreement_id=agreement.pk)
        sent.append(agreement.pk)
    return sent


# ---------------------------------------------------------------- notifications


@transaction.atomic
def notification_preference_set(*, user, email_enabled: bool) -> NotificationPreference:
    """Turn the signed-in person's e-mail notifications on or off; return the preference."""
    permissions.require_login(user)
    if user is None:
        raise ValidationError("El operador del sistema no recibe avisos.")
    pref, _ = NotificationPreference.objects.get_or_create(user=user)
    pref.email_enabled = bool(email_enabled)
    pref.save()
    return pref
