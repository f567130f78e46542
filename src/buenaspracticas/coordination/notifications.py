"""E-mail to the people concerned, through Django's e-mail machinery (EMAIL_* settings from the environment).

Nothing is sent from inside a transaction: each event registers a callback that runs after the commit (a
rolled-back change tells nobody), reads who should hear of it, renders one message per person and hands
them to a background sender, so a slow mail server never holds a request. People who turned
notifications off (NotificationPreference), accounts without an address and the person who made the
change are left out.

- practice submitted → evaluators; clarification requested, published, not qualified → the state's editors
  (and whoever created the ficha);
- session created, minutes published → editors of the participating states;
- an agreement due within a week → editors of its owner state (services.agreement_reminders_send)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_outbox: queue.Queue[list[EmailMessage]] = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _send_loop() -> None:
    while True:
        batch = _outbox.get()
        try:
            get_connection(fail_silently=False).send_messages(batch)
        except Exception:  # noqa: BLE001 - a mail server problem is logged, never raised into a request
            logger.exception("No se pudieron enviar %d avisos por correo", len(batch))
        finally:
            _outbox.task_done()


def _enqueue(messages: list[EmailMessage]) -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_send_loop, name="coordination-mail", daemon=True)
            _worker.start()
    _outbox.put(messages)


def wait_until_sent() -> None:
    """Block until every message handed to the background sender has been sent (tests, CLI commands)."""
    _outbox.join()


def site_url(path: str) -> str:
    """Return an absolute address on this site for a path (links in messages)."""
    return settings.SITE_URL.rstrip("/") + path


def _schedule(build: Callable[[], list[EmailMessage]]) -> None:
    def run() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            messages = build()
        if messages:
            _enqueue(messages)

    transaction.on_commit(run, robust=True)


def _people(users, *, exclude_id: int | None = None) -> list:
    """Return the users to write to: active, with an address, notifications on, not the actor."""
    qs = users.filter(is_active=True).exclude(email="").exclude(notification_preference__email_enabled=False)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.distinct().order_by("pk"))


def editors_of(state_ids: Iterable[int]):
    """Return the users who are editors of those states (a queryset)."""
    return get_user_model().objects.filter(account__role="editor", account__state_id__in=list(state_ids))


def _messages(people: list, subject: str, template: str, context: dict) -> list[EmailMessage]:
    body = render_to_string(template, {**context, "prefs_url": site_url("/coordinacion/avisos/")})
    return [
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[p.email])
        for p in people
    ]


# ---------------------------------------------------------------- sessions and agreements


def _session_context(session) -> dict:
    from buenaspracticas.coordination.selectors import session_get

    data = session_get(session_id=session.pk, user=None)
    return {
        "session": data,
        "url": site_url(f"/sesiones/{session.pk}/"),
        "calendar_url": site_url("/calendario.ics"),
    }


def session_created(*, session_id: int, actor_id: int | None) -> None:
    """Tell the participating states' editors about a new session (after commit)."""

    def build() -> list[EmailMessage]:
        from buenaspracticas.coordination.models import Session

        session = Session.objects.get(pk=session_id)
        people = _people(editors_of(session.states.values_list("pk", flat=True)), exclude_id=actor_id)
        subject = _("Nueva sesión de coordinación: %(title)s") % {"title": session.title}
        return _messages(people, subject, "coordination/email/session_created.txt", _session_context(session))

    _schedule(build)


def minutes_published(*, session_id: int, actor_id: int | None) -> None:
    """Tell the participating states' editors that a session's minutes are published (after commit)."""

    def build() -> list[EmailMessage]:
        from buenaspracticas.coordination.models import Session

        session = Session.objects.get(pk=session_id)
        people = _people(editors_of(session.states.values_list("pk", flat=True)), exclude_id=actor_id)
        subject = _("Minuta publicada: %(title)s") % {"title": session.title}
        return _messages(
            people, subject, "coordination/email/minutes_published.txt", _session_context(session)
        )

    _schedule(build)


def agreement_due(*, agreement_id: int) -> None:
    """Remind the owner state's editors that an agreement is due within a week (after commit)."""

    def build() -> list[EmailMessage]:
        from buenaspracticas.coordination.models import Agreement

        agreement = Agreement.objects.select_related("owner_state", "session").get(pk=agreement_id)
        people = _people(editors_of([agreement.owner_state_id]))
        subject = _("Acuerdo por vencer el %(due)s: %(text)s") % {
            "due": agreement.due.isoformat(),
            "text": agreement.text[:60],
        }
        context = {
            "agreement": agreement,
            "url": site_url(f"/sesiones/{agreement.session_id}/#acuerdo-{agreement.pk}"),
        }
        return _messages(people, subject, "coordination/email/agreement_due.txt", context)

    _schedule(build)


# ---------------------------------------------------------------- practices (curation's workflow)

_PRACTICE_EVENTS = {
    "submitted": ("evaluators", "coordination/email/practice_submitted.txt"),
    "clarification_requested": ("editors", "coordination/email/practice_clarification.txt"),
    "published": ("editors", "coordination/email/practice_published.txt"),
    "not_qualified": ("editors", "coordination/email/practice_not_qualified.txt"),
}


def practice_transition(*, transition_id: int) -> None:
    """Tell the people concerned about a practice's workflow step (after commit), if it is one they follow."""

    def build() -> list[EmailMessage]:
        from buenaspracticas.curation.models import Submission, Transition

        t = Transition.objects.select_related("practice__state").get(pk=transition_id)
        audience, template = _PRACTICE_EVENTS[t.to_state]
        User = get_user_model()
        if audience == "evaluators":
            users = User.objects.filter(account__role="evaluator")
        else:
            creator = Submission.objects.filter(practice_id=t.practice_id).values_list(
                "created_by", flat=True
            )
            users = editors_of([t.practice.state_id]) | User.objects.filter(pk__in=creator)
        people = _people(users, exclude_id=t.actor_id)
        labels = {
            "submitted": _("Ficha enviada para evaluación"),
            "clarification_requested": _("Se pide una aclaración sobre su ficha"),
            "published": _("Ficha publicada"),
            "not_qualified": _("Ficha no calificada"),
        }
        subject = f"{labels[t.to_state]}: {t.practice.title}"
        context = {
            "practice": t.practice,
            "comment": t.comment,
            "url": site_url(f"/cuenta/practicas/{t.practice.public_id}/"),
            "public_url": site_url(f"/practicas/{t.practice.public_id}/"),
        }
        return _messages(people, subject, template, context)

    _schedule(build)


def on_transition_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver of curation.Transition: notify the step when it is one people follow."""
    if created and not raw and instance.to_state in _PRACTICE_EVENTS:
        practice_transition(transition_id=instance.pk)
