"""No lost updates: two people editing one ficha from the same version cannot overwrite each other."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections

from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import services
from buenaspracticas.errors import Conflict
from tests.curation.conftest import FICHA, auth


@pytest.mark.django_db
def test_second_save_from_a_stale_version_is_refused_with_both_versions(accounts):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    v = Practice.objects.get(pk=p.pk).version
    services.practice_edit(
        user=accounts["editor"], practice_id=p.public_id, data={"description": "Primera."}, expected_version=v
    )
    with pytest.raises(Conflict) as exc:
        services.practice_edit(
            user=accounts["coordinator"],
            practice_id=p.public_id,
            data={"description": "Segunda."},
            expected_version=v,
        )
    assert exc.value.status_code == 409 and exc.value.details["current_version"] == v + 1
    assert "combine" in exc.value.message
    assert Practice.objects.get(pk=p.pk).description == "Primera."


@pytest.mark.django_db
def test_stale_patch_on_a_published_revision_is_409(client, tokens):
    v = Practice.objects.get(public_id="oaxaca-1").version
    first = client.patch(
        "/api/v1/practices/oaxaca-1",
        json.dumps({"title": "UNO", "version": v}),
        content_type="application/json",
        **auth(tokens["editor"]),
    )
    second = client.patch(
        "/api/v1/practices/oaxaca-1",
        json.dumps({"title": "DOS", "version": v}),
        content_type="application/json",
        **auth(tokens["coordinator"]),
    )
    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["details"]["current_version"] == v + 1
    from buenaspracticas.curation.models import Revision

    assert Revision.objects.get(practice__public_id="oaxaca-1", outcome="open").data["title"] == "UNO"


@pytest.mark.django_db
def test_page_conflict_shows_both_versions_and_lets_the_editor_merge(accounts, clients):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    v = Practice.objects.get(pk=p.pk).version
    services.practice_edit(
        user=accounts["coordinator"],
        practice_id=p.public_id,
        data={"description": "Texto de la coordinación."},
        expected_version=v,
    )
    form = {
        "title": FICHA["title"],
        "status": "active",
        "version": v,
        "description": "Texto de la oficina.",
        **{
            f"verdict_{c}": "unknown"
            for c in ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia")
        },
    }
    r = clients["editor"].post(f"/cuenta/practicas/{p.public_id}/editar/", form)
    html = r.content.decode()
    assert r.status_code == 200 and 'id="conflict"' in html
    assert "Texto de la coordinación." in html and "Texto de la oficina." in html
    assert Practice.objects.get(pk=p.pk).description == "Texto de la coordinación."
    # The re-rendered form now carries the current version: saving again is a deliberate merge.
    merged = {**form, "version": v + 1, "description": "Texto de la coordinación. Texto de la oficina."}
    r = clients["editor"].post(f"/cuenta/practicas/{p.public_id}/editar/", merged)
    assert r.status_code == 302
    assert Practice.objects.get(pk=p.pk).description == "Texto de la coordinación. Texto de la oficina."


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="threads need a shared server database")
def test_two_threads_saving_the_same_version_one_wins_one_gets_conflict(accounts):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    v = Practice.objects.get(pk=p.pk).version
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def save(name: str, user) -> None:
        try:
            barrier.wait()
            services.practice_edit(
                user=user, practice_id=p.public_id, data={"description": name}, expected_version=v
            )
            results[name] = "saved"
        except Conflict:
            results[name] = "conflict"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(n, accounts[r]))
        for n, r in (("editor", "editor"), ("coordinator", "coordinator"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["conflict", "saved"]
    winner = next(n for n, r in results.items() if r == "saved")
    practice = Practice.objects.get(pk=p.pk)
    assert practice.description == winner and practice.version == v + 1
