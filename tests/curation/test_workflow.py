"""The workflow: draft → submitted → in review ⇄ clarification → published / not qualified; published →
archived; edits of a published ficha wait in a revision while the published one stays visible."""

from __future__ import annotations

import pytest

from buenaspracticas.catalog import selectors as catalog_selectors
from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import services
from buenaspracticas.curation.models import HistoryEntry, Message, Transition
from buenaspracticas.errors import Conflict, NotFound, ValidationError
from buenaspracticas.reference import CRITERIA
from tests.curation.conftest import FICHA

pytestmark = pytest.mark.django_db


def _to_review(accounts) -> Practice:
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    services.practice_transition(
        user=accounts["editor"], practice_id=p.public_id, to="submitted", comment="Lista"
    )
    services.practice_transition(user=accounts["evaluator"], practice_id=p.public_id, to="in_review")
    return p


def _assess(user, pid, verdicts):
    for code, v in zip(CRITERIA, verdicts, strict=True):
        services.criterion_assess(
            user=user, practice_id=pid, criterion=code, verdict=v, evidence=f"Evidencia {code}"
        )


def test_draft_is_created_in_the_editors_state_with_the_next_number(accounts):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    last = Practice.objects.filter(state__code="MX-OAX").exclude(pk=p.pk).order_by("-number").first()
    assert p.state.code == "MX-OAX" and p.number == last.number + 1
    assert p.workflow_state == "draft"
    assert p.public_id not in [x["id"] for x in catalog_selectors.practice_list_all()]


def test_full_review_publishes_and_the_public_sees_it(accounts):
    p = _to_review(accounts)
    services.practice_transition(
        user=accounts["evaluator"],
        practice_id=p.public_id,
        to="clarification_requested",
        comment="¿Cuántos albergues hay?",
    )
    services.practice_edit(
        user=accounts["editor"],
        practice_id=p.public_id,
        data={"description": "Doce albergues."},
        expected_version=Practice.objects.get(pk=p.pk).version,
    )
    services.practice_transition(
        user=accounts["editor"], practice_id=p.public_id, to="in_review", comment="Son doce albergues."
    )
    _assess(accounts["evaluator"], p.public_id, ["met", "met", "met", "not_met", "unknown"])
    services.practice_transition(
        user=accounts["evaluator"], practice_id=p.public_id, to="published", comment="Ok"
    )
    public = catalog_selectors.practice_get(practice_id=p.public_id)
    assert public["criteria_met"] == 3 and public["qualifies"] is True
    assert public["description"] == "Doce albergues."
    thread = list(Message.objects.filter(practice=p).values_list("kind", "body"))
    assert ("question", "¿Cuántos albergues hay?") in thread and ("answer", "Son doce albergues.") in thread
    steps = list(Transition.objects.filter(practice=p).values_list("to_state", flat=True))
    assert steps == ["submitted", "in_review", "clarification_requested", "in_review", "published"]


def test_fewer_than_three_met_cannot_be_published_but_can_be_not_qualified(accounts):
    p = _to_review(accounts)
    _assess(accounts["evaluator"], p.public_id, ["met", "met", "not_met", "not_met", "unknown"])
    with pytest.raises(ValidationError, match="2 de 5"):
        services.practice_transition(user=accounts["evaluator"], practice_id=p.public_id, to="published")
    assert Practice.objects.get(pk=p.pk).workflow_state == "in_review"
    services.practice_transition(
        user=accounts["evaluator"], practice_id=p.public_id, to="not_qualified", comment="Solo 2 de 5"
    )
    assert Practice.objects.get(pk=p.pk).workflow_state == "not_qualified"


def test_clarification_needs_a_question_and_the_answer_a_comment(accounts):
    p = _to_review(accounts)
    with pytest.raises(ValidationError, match="pregunta"):
        services.practice_transition(
            user=accounts["evaluator"], practice_id=p.public_id, to="clarification_requested"
        )
    services.practice_transition(
        user=accounts["evaluator"],
        practice_id=p.public_id,
        to="clarification_requested",
        comment="¿Presupuesto?",
    )
    with pytest.raises(ValidationError, match="respuesta"):
        services.practice_transition(user=accounts["editor"], practice_id=p.public_id, to="in_review")


def test_impossible_transition_names_the_allowed_ones(accounts):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    with pytest.raises(ValidationError, match="submitted"):
        services.practice_transition(user=accounts["coordinator"], practice_id=p.public_id, to="published")


def test_editing_a_published_practice_opens_a_revision_and_keeps_the_published_one(accounts):
    pid = "oaxaca-1"
    published = catalog_selectors.practice_get(practice_id=pid)
    version = Practice.objects.get(public_id=pid).version
    out = services.practice_edit(
        user=accounts["editor"], practice_id=pid, data={"title": "TÍTULO NUEVO"}, expected_version=version
    )
    assert out["revision"] is True
    assert catalog_selectors.practice_get(practice_id=pid)["title"] == published["title"]
    for step, who in (("submitted", "editor"), ("in_review", "evaluator")):
        services.practice_transition(user=accounts[who], practice_id=pid, to=step, comment="")
    with pytest.raises(Conflict):  # under review: the office waits
        services.practice_edit(
            user=accounts["editor"],
            practice_id=pid,
            data={"title": "OTRO"},
            expected_version=Practice.objects.get(public_id=pid).version,
        )
    services.practice_transition(
        user=accounts["evaluator"], practice_id=pid, to="published", comment="Aprobado"
    )
    after = catalog_selectors.practice_get(practice_id=pid)
    assert after["title"] == "TÍTULO NUEVO"
    assert after["criteria"] == published["criteria"]
    assert Practice.objects.get(public_id=pid).workflow_state == "published"


def test_rejected_revision_leaves_the_published_practice_as_it_was(accounts):
    pid = "oaxaca-1"
    published = catalog_selectors.practice_get(practice_id=pid)
    services.practice_edit(
        user=accounts["editor"],
        practice_id=pid,
        data={"title": "CAMBIO"},
        expected_version=Practice.objects.get(public_id=pid).version,
    )
    services.practice_transition(user=accounts["editor"], practice_id=pid, to="submitted")
    services.practice_transition(user=accounts["evaluator"], practice_id=pid, to="in_review")
    services.practice_transition(
        user=accounts["evaluator"], practice_id=pid, to="not_qualified", comment="No"
    )
    assert catalog_selectors.practice_get(practice_id=pid)["title"] == published["title"]
    assert Practice.objects.get(public_id=pid).workflow_state == "published"


def test_archived_practice_leaves_the_public_catalogue_but_stays_readable_to_staff(accounts):
    from buenaspracticas.curation import selectors

    services.practice_transition(
        user=accounts["coordinator"], practice_id="oaxaca-1", to="archived", comment="Programa concluido"
    )
    assert "oaxaca-1" not in [x["id"] for x in catalog_selectors.practice_list_all()]
    assert (
        selectors.practice_workspace(user=accounts["evaluator"], practice_id="oaxaca-1")["workflow_state"]
        == "archived"
    )
    with pytest.raises(NotFound):
        selectors.practice_workspace(user=accounts["other_editor"], practice_id="oaxaca-1")
    assert Practice.objects.filter(public_id="oaxaca-1").exists()


def test_every_step_is_in_the_history(accounts):
    p = _to_review(accounts)
    _assess(accounts["evaluator"], p.public_id, ["met", "met", "met", "met", "met"])
    services.practice_transition(user=accounts["evaluator"], practice_id=p.public_id, to="published")
    kinds = list(HistoryEntry.objects.filter(practice=p).values_list("kind", flat=True))
    assert kinds[0] == "practice" and kinds.count("workflow") == 3 and kinds.count("assessment") == 5
