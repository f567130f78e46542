"""History: every change kept (who, when, what, why), readable diffs, restore by the coordination, and
the report's records starting their history as published, attributed to the report."""

from __future__ import annotations

import pytest

from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import selectors, services
from buenaspracticas.curation.models import HistoryEntry
from buenaspracticas.errors import PermissionDenied, ValidationError
from buenaspracticas.panorama.models import Indicator
from tests.curation.conftest import FICHA

pytestmark = pytest.mark.django_db


def test_report_records_start_their_history_published_and_attributed_to_the_report(report):
    entries = selectors.practice_history(practice_id="baja-california-2")
    assert entries[0]["created"] is True
    assert entries[0]["who"].startswith("Informe:")
    assert "publicada" in entries[0]["reason"]
    assert HistoryEntry.objects.filter(kind="panorama", state__code="MX-BCN").exists()


def test_edit_is_kept_with_who_why_and_a_readable_diff(accounts):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    services.practice_edit(
        user=accounts["editor"],
        practice_id=p.public_id,
        data={
            "title": "RED DE ALBERGUES",
            "criteria": {"eficacia": {"verdict": "met", "evidence": "Informe"}},
        },
        expected_version=Practice.objects.get(pk=p.pk).version,
        reason="Corrige el título",
    )
    last = selectors.practice_history(practice_id=p.public_id, user=accounts["editor"])[-1]
    assert last["who"] == "oax" and last["reason"] == "Corrige el título"
    changes = {c["label"]: (c["old"], c["new"]) for c in last["changes"]}
    assert changes["Título"] == (FICHA["title"], "RED DE ALBERGUES")
    assert changes["Eficacia: valoración"] == ("unknown", "met")


def test_long_text_diff_marks_inserted_and_deleted_words():
    rows = selectors.diff(
        {"description": "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece"},
        {"description": "uno dos tres cuatro cinco SEIS siete ocho nueve diez once doce trece"},
    )
    ops = [(s["op"], s["text"]) for s in rows[0]["segments"]]
    assert ("del", "seis") in ops and ("ins", "SEIS") in ops


def test_coordinator_restores_an_earlier_version_as_a_new_change(accounts):
    pid = "oaxaca-1"
    original = selectors.practice_snapshot(pk=Practice.objects.get(public_id=pid).pk)
    first = HistoryEntry.objects.filter(practice__public_id=pid).first()
    services.practice_transition(user=accounts["coordinator"], practice_id=pid, to="archived", comment="Fin")
    services.practice_transition(
        user=accounts["coordinator"], practice_id=pid, to="published", comment="Vuelve"
    )
    # a direct coordinator correction, then restore the report's version
    services.criterion_assess(
        user=accounts["evaluator"], practice_id=pid, criterion="eficacia", verdict="not_met", evidence="X"
    )
    services.practice_transition(user=accounts["editor"], practice_id=pid, to="submitted")
    services.practice_transition(user=accounts["evaluator"], practice_id=pid, to="in_review")
    services.practice_transition(user=accounts["evaluator"], practice_id=pid, to="published", comment="ok")
    assert selectors.practice_snapshot(pk=first.practice_id)["criteria"]["eficacia"]["verdict"] == "not_met"
    count = HistoryEntry.objects.count()
    services.history_restore(user=accounts["coordinator"], entry_id=first.pk, reason="Error de valoración")
    assert selectors.practice_snapshot(pk=first.practice_id) == original
    assert HistoryEntry.objects.count() == count + 1
    assert "Restaurado" in HistoryEntry.objects.last().reason


@pytest.mark.parametrize("role", ["editor", "evaluator", "visitor"])
def test_only_the_coordination_restores(accounts, role):
    entry = HistoryEntry.objects.filter(practice__public_id="oaxaca-1").first()
    with pytest.raises(PermissionDenied):
        services.history_restore(user=accounts[role], entry_id=entry.pk)


def test_panorama_figure_change_is_kept_and_restorable(accounts):
    ind = Indicator.objects.filter(panorama__state__code="MX-OAX", key="total_population").first()
    old = ind.value
    services.indicator_update(
        user=accounts["editor"], indicator_id=ind.pk, value=old + 1, reason="INEGI 2025"
    )
    with pytest.raises(PermissionDenied):
        services.indicator_update(user=accounts["other_editor"], indicator_id=ind.pk, value=1, reason="x")
    with pytest.raises(ValidationError, match="por qué"):
        services.indicator_update(user=accounts["editor"], indicator_id=ind.pk, value=1, reason="")
    entries = selectors.state_history(state_code="MX-OAX")
    assert entries[-1]["reason"] == "INEGI 2025" and entries[-1]["who"] == "oax"
    report_entry = HistoryEntry.objects.filter(kind="panorama", state__code="MX-OAX").first()
    services.history_restore(user=accounts["coordinator"], entry_id=report_entry.pk)
    ind.refresh_from_db()
    assert ind.value == old


def test_public_history_hides_pending_revisions(accounts, client):
    services.practice_edit(
        user=accounts["editor"],
        practice_id="oaxaca-1",
        data={"title": "BORRADOR INTERNO"},
        expected_version=Practice.objects.get(public_id="oaxaca-1").version,
    )
    public = client.get("/practicas/oaxaca-1/historial/").content.decode()
    assert "Informe:" in public and "BORRADOR INTERNO" not in public
    staff = selectors.practice_history(practice_id="oaxaca-1", user=accounts["evaluator"])
    assert any(e["kind"] == "revision" for e in staff)


def test_history_include_renders_for_the_ficha(report, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines

    request = rf.get("/practicas/oaxaca-1/")
    request.user = AnonymousUser()
    html = (
        engines["django"]
        .from_string('{% include "curation/_history.html" %}')
        .render({"practice_id": "oaxaca-1"}, request)
    )
    assert 'id="historial"' in html and "Informe:" in html


def test_draft_history_is_not_shown_to_the_public(accounts, client):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    assert client.get(f"/practicas/{p.public_id}/historial/").status_code == 404
    from django.contrib.auth.models import AnonymousUser

    assert selectors.practice_history(practice_id=p.public_id, user=AnonymousUser()) == []
