"""Suggestions from the practices' text: population groups and GCM objectives with the phrase that
suggested them; curators' decisions survive a refresh."""

from __future__ import annotations

import pytest

from buenaspracticas.reference import fold

pytestmark = pytest.mark.django_db


def test_every_practice_gets_objectives_and_phrases_come_from_its_text(suggested):
    from buenaspracticas.catalog.selectors import practice_list_all
    from buenaspracticas.recommend.selectors import gcm_objectives_for, population_groups_for

    practices = {p["id"]: p for p in practice_list_all()}
    gcm = gcm_objectives_for(practice_ids=list(practices))
    groups = population_groups_for(practice_ids=list(practices))
    for pid, p in practices.items():
        assert gcm[pid], pid
        scores = [o["score"] for o in gcm[pid]]
        assert scores == sorted(scores, reverse=True)
        assert set(gcm[pid][0]) == {"number", "title", "status", "score", "because"}
        text = fold(" ".join((p["title"], p["target_population"], " ".join(p["description"].split()))))
        for g in groups[pid]:
            assert fold(g["because"].strip("…")) in text, (pid, g)


def test_groups_are_suggested_from_general_word_families(suggested):
    from buenaspracticas.recommend.selectors import population_groups_for

    groups = {pid: {g["group"] for g in gs} for pid, gs in population_groups_for().items()}
    assert "unaccompanied_children" in groups["chihuahua-7"]
    assert "indigenous_language" in groups["oaxaca-5"]
    assert "returnees" in groups["baja-california-4"]
    assert "foreign_residents" in groups["veracruz-1"]
    assert "older_adults" in groups["san-luis-potosi-2"]
    assert "diaspora_us" in groups["puebla-1"]


def test_curated_decisions_survive_a_refresh_and_rejected_is_omitted(suggested, accounts):
    from buenaspracticas.recommend import services
    from buenaspracticas.recommend.selectors import gcm_objectives_for, population_groups_for

    first = gcm_objectives_for(practice_ids=["puebla-2"])["puebla-2"][0]["number"]
    services.gcm_set(user=accounts["coordinator"], practice_id="puebla-2", number=first, status="rejected")
    services.gcm_set(user=accounts["coordinator"], practice_id="puebla-2", number=14, status="confirmed")
    services.population_group_set(
        user=accounts["coordinator"],
        practice_id="puebla-2",
        group="older_adults",
        status="confirmed",
        because="gastos funerarios de sus padres",
    )
    services.suggestions_refresh(practice_ids=["puebla-2"])
    objectives = gcm_objectives_for(practice_ids=["puebla-2"])["puebla-2"]
    assert first not in [o["number"] for o in objectives]
    assert {"number": 14, "status": "confirmed"}.items() <= next(
        o for o in objectives if o["number"] == 14
    ).items()
    groups = population_groups_for(practice_ids=["puebla-2"])["puebla-2"]
    assert next(g for g in groups if g["group"] == "older_adults")["status"] == "confirmed"


def test_gcm_objectives_reference_has_23_with_both_titles(client):
    data = client.get("/api/v1/gcm-objectives").json()
    assert data["count"] == 23 and [o["number"] for o in data["items"]] == list(range(1, 24))
    assert data["items"][3]["title_es"].startswith("Velar por que todos los migrantes tengan pruebas")
    assert data["items"][3]["title_en"].startswith("Ensure that all migrants have proof of legal identity")
    assert data["provenance"]["symbol"] == "A/RES/73/195"
