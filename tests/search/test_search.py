"""Search that understands Spanish, on whichever database the suite runs (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import pytest
from django.test import Client

from buenaspracticas.catalog.models import Practice
from buenaspracticas.search.backends import get_backend
from buenaspracticas.search.semantic import get_embedder
from buenaspracticas.search.synonyms import query_groups

pytestmark = pytest.mark.django_db


def _ids(query: str) -> list[str]:
    return [h.practice_id for h in get_backend().search(query)]


def test_search_ignores_accents(report):
    assert _ids("regularizacion migratoria")[0] == "veracruz-1"
    assert _ids("REGULARIZACIÓN")[0] == "veracruz-1"


def test_search_finds_inflected_forms(report):
    assert "baja-california-4" in _ids("repatriado")[:3]  # the title says REPATRIADAS
    assert "baja-california-3" in _ids("albergue")[:3]  # the title says ALBERGUES


def test_domain_synonyms_reach_the_practice(report):
    assert "san-luis-potosi-2" in _ids("tercera edad")[:3]
    assert "san-luis-potosi-2" in _ids("adultos mayores")[:3]
    assert "chihuahua-7" in _ids("NNA")[:3]
    assert set(_ids("cadaveres")[:3]) & {"puebla-2", "estado-de-mexico-2"}


def test_multiword_family_members_are_one_concept():
    groups = query_groups("casa del migrante")
    assert len(groups) == 1
    assert ("alberg",) in groups[0]


def test_matches_show_highlighted_terms_and_why(report):
    body = Client().get("/api/v1/practices?q=albergues&limit=5").json()
    first = body["matches"][body["items"][0]["id"]]
    assert "<mark>ALBERGUES</mark>" in first["highlights"]["title"]
    assert first["how"] in ("lexical", "both")
    # "shelters", no word of the report, is searched through its equivalents: they are highlighted.
    shelters = Client().get("/api/v1/practices?q=shelters&limit=50").json()
    assert any(
        "<mark>albergues</mark>" in "".join(m["highlights"].values()).lower()
        for m in shelters["matches"].values()
    )  # a family member is highlighted too


def test_empty_and_absurd_queries_return_nothing_without_error(report):
    assert get_backend().search("") == []
    assert get_backend().search("xqzv wplk") == []
    assert get_backend(embedder=get_embedder("ensemble")).search("lorem ipsum dolor") == []
    assert get_backend().search("¿¿!! --") == []


def test_edited_practice_is_found_by_its_new_words_at_once(report):
    get_backend().search("albergue")  # the index is built
    practice = Practice.objects.get(public_id="yucatan-5")
    Practice.objects.filter(pk=practice.pk).update(
        title="TRADUCCIÓN DE DOCUMENTOS Y PAPIROFLEXIA", version=practice.version + 1
    )
    assert _ids("papiroflexia") == ["yucatan-5"]


def test_unpublished_practice_leaves_the_results(report):
    assert "oaxaca-1" in _ids("guelaguetza")
    Practice.objects.filter(public_id="oaxaca-1").update(workflow_state=Practice.Workflow.ARCHIVED)
    assert "oaxaca-1" not in _ids("guelaguetza")


def test_reindex_counts_the_published_practices(report):
    assert get_backend().reindex() == Practice.objects.filter(workflow_state="published").count()


def test_page_and_json_twin_return_the_same_items_and_facets(report):
    client = Client()
    api = client.get("/api/v1/practices?q=reunificacion+familiar&region=sur-sureste&limit=500").json()
    page = client.get("/practicas/?q=reunificacion+familiar&region=sur-sureste")
    ids = [p["id"] for p in api["items"]]
    assert ids, "the query finds practices in the south-south-east"
    html = page.content.decode()
    positions = [html.index(f'/practicas/{pid}/"') for pid in ids]
    assert positions == sorted(positions)
    assert all(p["state"]["region"] == "sur-sureste" for p in api["items"])
    assert sum(f["count"] for f in api["facets"]["region"] if f["value"] == "sur-sureste") == api["count"]


def test_absurd_query_page_is_helpful(report):
    response = Client().get("/practicas/?q=zzzzqqqq")
    assert response.status_code == 200
    assert "Ninguna práctica coincide" in response.content.decode()


def test_page_and_api_show_an_edit_at_once(report):
    client = Client()
    assert client.get("/api/v1/practices?q=papiroflexia").json()["count"] == 0
    practice = Practice.objects.get(public_id="yucatan-5")
    Practice.objects.filter(pk=practice.pk).update(
        title="PAPIROFLEXIA MIGRANTE", version=practice.version + 1
    )
    body = client.get("/api/v1/practices?q=papiroflexia").json()
    assert [p["title"] for p in body["items"]] == ["PAPIROFLEXIA MIGRANTE"]
    # The page shows titles printed in capitals in sentence case.
    assert "Papiroflexia migrante" in client.get("/practicas/?estado=yucatan").content.decode()
