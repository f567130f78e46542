"""E-mail notifications checked in Django's test mailbox: who receives what, nothing before the transaction
commits nor when it rolls back, nobody who turned them off, and never the person who made the change."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from buenaspracticas.coordination import notifications, services
from buenaspracticas.curation import services as curation_services
from tests.coordination.conftest import SESSION, bearer

pytestmark = pytest.mark.django_db
ALL_MET = {
    c: {"verdict": "met", "evidence": "Probado."}
    for c in ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia")
}


def _sent() -> dict[str, list[str]]:
    """Return {address: [subjects]} of what was sent."""
    notifications.wait_until_sent()
    out: dict[str, list[str]] = {}
    for message in mail.outbox:
        for address in message.to:
            out.setdefault(address, []).append(message.subject)
    return out


def test_a_new_session_tells_the_editors_of_the_participating_states(
    client, tokens, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/api/v1/sessions",
            data=json.dumps(SESSION),
            content_type="application/json",
            **bearer(tokens["coordinator"]),
        )
    assert response.status_code == 201 and len(callbacks) == 1
    sent = _sent()
    assert set(sent) == {"oax@ejemplo.mx", "jal@ejemplo.mx"}
    assert sent["oax@ejemplo.mx"] == [f"Nueva sesión de coordinación: {SESSION['title']}"]
    body = mail.outbox[0].body
    assert "2031-03-10 10:00–13:00 (America/Mexico_City)" in body
    assert f"/sesiones/{response.json()['id']}/" in body and "/coordinacion/avisos/" in body


def test_published_minutes_are_announced_once(client, tokens, session, django_capture_on_commit_callbacks):
    path = f"/api/v1/sessions/{session['session'].pk}"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(
            path,
            data=json.dumps({"minutes": "Acuerdos 1 y 2 aprobados."}),
            content_type="application/json",
            **bearer(tokens["coordinator"]),
        )
    sent = _sent()
    assert set(sent) == {"oax@ejemplo.mx", "jal@ejemplo.mx"}
    assert sent["jal@ejemplo.mx"] == [f"Minuta publicada: {SESSION['title']}"]
    assert "Acuerdos 1 y 2 aprobados." in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(
            path,
            data=json.dumps({"minutes": "Acuerdos 1 y 2 aprobados; corrección."}),
            content_type="application/json",
            **bearer(tokens["coordinator"]),
        )
    assert _sent() == {}


def test_nothing_is_sent_when_the_transaction_rolls_back(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.session_create(user=people["coordinator"], data=SESSION)
                raise RuntimeError("algo falló después")
    assert callbacks == []
    assert _sent() == {}


def test_nothing_is_sent_before_the_commit(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.session_create(user=people["coordinator"], data=SESSION)
    assert len(callbacks) == 1 and _sent() == {}


def test_a_person_who_turned_notifications_off_receives_nothing(
    clients, people, django_capture_on_commit_callbacks
):
    response = clients["editor"].post("/coordinacion/avisos/", {})  # the box unticked
    assert response.status_code == 302
    assert 'name="email">' in clients["editor"].get("/coordinacion/avisos/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_create(user=people["coordinator"], data=SESSION)
    assert set(_sent()) == {"jal@ejemplo.mx"}
    clients["editor"].post("/coordinacion/avisos/", {"email": "on"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_create(user=people["coordinator"], data=SESSION)
    assert set(_sent()) == {"jal@ejemplo.mx", "oax@ejemplo.mx"}


def test_the_practice_workflow_tells_evaluators_and_then_the_states_editor(
    people, django_capture_on_commit_callbacks
):
    editor, evaluator = people["editor"], people["evaluator"]
    with django_capture_on_commit_callbacks(execute=True):
        practice = curation_services.practice_draft_create(
            user=editor, state_code=None, data={"title": "RED DE ALBERGUES", "criteria": ALL_MET}
        )
        curation_services.practice_transition(user=editor, practice_id=practice.public_id, to="submitted")
    assert _sent() == {"eva@ejemplo.mx": ["Ficha enviada para evaluación: RED DE ALBERGUES"]}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        curation_services.practice_transition(user=evaluator, practice_id=practice.public_id, to="in_review")
        curation_services.practice_transition(
            user=evaluator,
            practice_id=practice.public_id,
            to="clarification_requested",
            comment="¿Cuántos albergues?",
        )
    sent = _sent()
    assert sent == {"oax@ejemplo.mx": ["Se pide una aclaración sobre su ficha: RED DE ALBERGUES"]}
    assert "¿Cuántos albergues?" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        curation_services.practice_transition(
            user=editor, practice_id=practice.public_id, to="in_review", comment="Doce."
        )
        curation_services.practice_transition(user=evaluator, practice_id=practice.public_id, to="published")
    assert _sent() == {"oax@ejemplo.mx": ["Ficha publicada: RED DE ALBERGUES"]}


def test_a_practice_not_qualified_tells_its_editor(people, django_capture_on_commit_callbacks):
    practice = curation_services.practice_draft_create(
        user=people["editor"], state_code=None, data={"title": "FERIA DE SERVICIOS"}
    )
    curation_services.practice_transition(
        user=people["editor"], practice_id=practice.public_id, to="submitted"
    )
    curation_services.practice_transition(
        user=people["evaluator"], practice_id=practice.public_id, to="in_review"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        curation_services.practice_transition(
            user=people["evaluator"],
            practice_id=practice.public_id,
            to="not_qualified",
            comment="Cumple 1 de 5.",
        )
    assert _sent() == {"oax@ejemplo.mx": ["Ficha no calificada: FERIA DE SERVICIOS"]}


def test_a_week_before_an_agreement_is_due_its_owner_state_is_reminded_once(
    session, django_capture_on_commit_callbacks
):
    agreement = session["agreement"]  # due 2031-04-30, owned by Oaxaca
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.agreement_reminders_send(today=date(2031, 4, 20)) == []  # ten days ahead: not yet
        assert services.agreement_reminders_send(today=date(2031, 4, 23)) == [agreement.pk]
        assert services.agreement_reminders_send(today=date(2031, 4, 24)) == []  # already reminded
    sent = _sent()
    assert sent == {
        "oax@ejemplo.mx": [
            "Acuerdo por vencer el 2031-04-30: Compartir el padrón de albergues con los demás estados."
        ]
    }
    assert f"#acuerdo-{agreement.pk}" in mail.outbox[0].body


def test_reminders_skip_agreements_already_done_and_need_the_coordination(people, session):
    from buenaspracticas.errors import PermissionDenied

    services.agreement_update(
        user=people["editor"], agreement_id=session["agreement"].pk, data={"status": "done"}
    )
    assert services.agreement_reminders_send(today=date(2031, 4, 25)) == []
    with pytest.raises(PermissionDenied):
        services.agreement_reminders_send(user=people["editor"], today=date(2031, 4, 25))


def test_the_daily_reminder_command_sends_and_reports(session, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("coordination_reminders", "--today", "2031-04-25", stdout=out)
    assert "Recordatorios enviados: 1" in out.getvalue()
    assert set(_sent()) == {"oax@ejemplo.mx"}
