"""A report's evidence split automatically into the five columns with low confidence is flagged for those
who assess it ("división automática: revisar"), never for the public, and stops being flagged once a person
rewrites that evidence."""

from __future__ import annotations

import pytest

from tests.accounts import accounts_create, clients_for

pytestmark = pytest.mark.django_db

FLAG = "división automática: revisar"


def _flag_count(client, practice_id: str) -> int:
    return client.get(f"/practicas/{practice_id}/").content.decode().count(FLAG)


def test_low_confidence_splits_are_flagged_for_evaluators_only_and_cleared_by_an_edit(report):
    from buenaspracticas.catalog.models import Assessment

    users = accounts_create()
    clients = clients_for(users)
    pid = "oaxaca-2"
    Assessment.objects.filter(practice__public_id=pid).update(split_confidence=1.0)
    Assessment.objects.filter(practice__public_id=pid, criterion__code="innovacion").update(
        split_confidence=0.2
    )

    assert _flag_count(clients["evaluator"], pid) == 1
    assert _flag_count(clients["coordinator"], pid) == 1
    for reader in ("anonymous", "visitor", "editor"):
        assert _flag_count(clients[reader], pid) == 0, reader

    # A person rewrites that evidence (any writer goes through the catalogue's assessment service).
    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.catalog.services import assessment_set

    before = Assessment.objects.get(practice__public_id=pid, criterion__code="innovacion")
    assessment_set(
        practice=Practice.objects.get(public_id=pid),
        criterion="innovacion",
        verdict=before.verdict,
        evidence="Revisado por la evaluación: " + before.evidence,
    )
    assert Assessment.objects.get(pk=before.pk).split_confidence is None
    assert _flag_count(clients["evaluator"], pid) == 0
