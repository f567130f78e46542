"""Pages: the coverage view, the state page's section "Prácticas para replicar", the classification page,
in Spanish and in English."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_coverage_page_shows_status_in_words_inside_scrolling_containers(suggested, client):
    response = client.get("/cobertura/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<div class="table-scroll">') == 3
    assert "Brecha" in html and "sugerida" in html
    assert 'data-state="MX-OAX"' in html
    data = client.get("/cobertura/?format=json").json()
    assert len(data["states"]) == 12 and len(data["objectives"]) == 23


def test_state_page_has_the_advice_section_with_gaps_in_words(suggested, client):
    html = client.get("/estados/oaxaca/").content.decode()
    assert "Prácticas para replicar" in html
    assert (
        "Ninguna práctica de Oaxaca atiende la dimensión de tránsito, y 3 486 personas fueron presentadas "
        "ante la autoridad migratoria en ene–jun 2021."
    ) in html
    assert 'data-practice="' in html


def test_english_pages_translate_the_section(suggested, client):
    html = client.get("/en/estados/oaxaca/").content.decode()
    assert "Practices to replicate" in html
    assert "No practice of Oaxaca serves the transit dimension, and 3 486 people were presented" in html
    assert "Coverage" in client.get("/en/cobertura/").content.decode()


def test_classification_page_offers_buttons_only_to_curators(suggested, client, accounts):
    html = client.get("/cobertura/practicas/chihuahua-7/").content.decode()
    assert "Niñas, niños y adolescentes no acompañados" in html and "Confirmar" not in html
    client.force_login(accounts["editor_chh"])
    assert "Confirmar" in client.get("/cobertura/practicas/chihuahua-7/").content.decode()
    response = client.post(
        "/cobertura/practicas/chihuahua-7/grupos/", {"group": "unaccompanied_children", "status": "confirmed"}
    )
    assert response.status_code == 302
    client.force_login(accounts["editor_oax"])
    refused = client.post(
        "/cobertura/practicas/chihuahua-7/objetivos/", {"number": "7", "status": "confirmed"}
    )
    assert refused.status_code == 403


def test_openapi_documents_the_advice_routes_and_the_ficha_renders_after_writes(suggested, client, accounts):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/states/{code}/advice",
        "/api/v1/gcm-objectives",
        "/api/v1/replications",
        "/api/v1/practices/{practice_id}/population-groups/{group}",
    } <= set(paths)
    body = paths["/api/v1/practices/{practice_id}/gcm-objectives/{number}"]["put"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["required"] == ["status"]
    from buenaspracticas.recommend import services

    services.population_group_set(
        user=accounts["coordinator"], practice_id="oaxaca-5", group="older_adults", status="confirmed"
    )
    services.gcm_set(user=accounts["coordinator"], practice_id="oaxaca-5", number=14, status="confirmed")
    response = client.get("/practicas/oaxaca-5/")
    assert response.status_code == 200
    assert "Dónde se ha replicado" in response.content.decode()
