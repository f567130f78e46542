"""The JSON API over the loaded report, each response validated against the API's own OpenAPI document."""

from __future__ import annotations

import jsonschema
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(report):
    return Client().get("/api/v1/openapi.json").json()


def _validate(openapi: dict, path: str, response) -> dict:
    """Validate a response body against the OpenAPI schema of its path and status."""
    op = openapi["paths"][path]["get"]
    schema = op["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
    wrapped = {**schema, "components": openapi["components"]}
    jsonschema.validate(response.json(), wrapped, cls=jsonschema.Draft202012Validator)
    return response.json()


def test_openapi_lists_every_contract_route(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert {
        "/api/v1/practices",
        "/api/v1/practices/{practice_id}",
        "/api/v1/states",
        "/api/v1/states/{code}",
    } <= set(openapi["paths"])


def test_practice_list_counts_the_whole_report_and_matches_schema(openapi):
    body = _validate(openapi, "/api/v1/practices", Client().get("/api/v1/practices?limit=500"))
    assert body["count"] == 44
    assert len(body["items"]) == 44
    assert sum(len(p["criteria"]) for p in body["items"]) == 220
    assert sum(f["count"] for f in body["facets"]["state"]) == 44


def test_practice_detail_follows_the_design_contract(openapi):
    body = _validate(
        openapi, "/api/v1/practices/{practice_id}", Client().get("/api/v1/practices/baja-california-2")
    )
    assert body["id"] == "baja-california-2"
    assert body["state"] == {
        "code": "MX-BCN",
        "slug": "baja-california",
        "name": "Baja California",
        "region": "norte",
    }
    assert body["number"] == 2
    assert body["title"] == "REGISTRO ESTATAL DE PERSONAS MIGRANTES Y PROGRAMA DE CREDENCIALIZACIÓN"
    assert body["institution"] == "Subsecretaría de Asuntos Migratorios del Estado de Baja California"
    assert body["dimensions"] == ["retorno", "transito", "destino"]
    assert body["criteria_met"] == 5 and body["qualifies"] is True
    assert body["source"]["document"] == "informe-buenas-practicas-oim-conofam"
    assert body["source"]["first_line"] <= 645 and body["source"]["last_line"] >= 770
    assert body["version"] >= 1


# Read by hand from data/informe-buenas-practicas-oim-conofam.txt (the marks under «CRITERIOS DE EVALUACIÓN»:
# ✔ met, ✘ not met, no mark unknown), not from anything the application computes.
REPORT = {
    "baja-california-5": {
        "title": "APOYO DIRECTO A PERSONAS MIGRANTES DURANTE LA EMERGENCIA SANITARIA POR COVID-19",
        "institution": "Subsecretaría de Asuntos Migratorios del Estado de Baja California",
        "verdicts": ["not_met", "met", "met", "met", "met"],  # line 1002: Sostenibilidad ✘
    },
    "estado-de-mexico-2": {
        "title": "TRASLADO DE PERSONAS MIGRANTES FALLECIDAS",
        "institution": "COORDINACIÓN DE ASUNTOS INTERNACIONALES DEL ESTADO DE MÉXICO",
        "verdicts": ["met", "met", "not_met", "met", "not_met"],  # line 4029: Innovación ✘, Eficacia ✘
    },
    "ciudad-de-mexico-3": {
        "title": "PROGRAMA DE SEGURO DE DESEMPLEO",
        "verdicts": ["met", "unknown", "met", "met", "unknown"],  # line 3666: Asociación, Eficacia unmarked
    },
}


@pytest.mark.parametrize("practice_id", sorted(REPORT))
def test_practice_reads_as_the_report_prints_it(report, practice_id):
    expected = REPORT[practice_id]
    body = Client().get(f"/api/v1/practices/{practice_id}").json()
    assert body["title"] == expected["title"]
    if "institution" in expected:
        assert body["institution"] == expected["institution"]
    verdicts = [
        body["criteria"][c]["verdict"]
        for c in ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia")
    ]
    assert verdicts == expected["verdicts"]
    met = expected["verdicts"].count("met")
    assert body["criteria_met"] == met and body["qualifies"] is (met >= 3)


def test_filters_combine_and_facets_count_under_the_other_filters(openapi):
    client = Client()
    everything = client.get("/api/v1/practices?limit=500").json()["items"]
    oaxaca = _validate(openapi, "/api/v1/practices", client.get("/api/v1/practices?state=MX-OAX&limit=500"))
    assert oaxaca["count"] == sum(1 for p in everything if p["state"]["code"] == "MX-OAX") > 0
    assert {p["state"]["code"] for p in oaxaca["items"]} == {"MX-OAX"}
    # The state facet still counts every state (it is not filtered by itself) ...
    state_counts = {f["value"]: f["count"] for f in oaxaca["facets"]["state"]}
    assert sum(state_counts.values()) == 44
    # ... while the other facets count only Oaxaca's practices.
    assert sum(f["count"] for f in oaxaca["facets"]["status"]) == oaxaca["count"]
    not_innovative = client.get("/api/v1/practices?criterion=innovacion&limit=500").json()
    assert not_innovative["count"] == sum(
        1 for p in everything if p["criteria"]["innovacion"]["verdict"] == "met"
    )
    south = client.get("/api/v1/practices?region=sur-sureste&status=active&limit=500").json()
    assert all(p["state"]["region"] == "sur-sureste" and p["status"] == "active" for p in south["items"])


def test_states_list_all_32_with_panoramas_for_the_12_covered(openapi):
    body = Client().get("/api/v1/states").json()
    assert len(body) == 32
    covered = [s for s in body if s["panorama"]]
    assert len(covered) == 12
    assert sum(len(s["practices"]) for s in body) == 44


def test_state_detail_by_code_or_slug(openapi):
    client = Client()
    by_code = _validate(openapi, "/api/v1/states/{code}", client.get("/api/v1/states/MX-BCN"))
    by_slug = client.get("/api/v1/states/baja-california").json()
    assert by_code == by_slug
    assert by_code["panorama"]["total_population"] == 3769020
    assert by_code["practices"][0] == "baja-california-1"
    assert all(i["unit"] and i["period"] for i in by_code["indicators"])


@pytest.mark.parametrize(
    "url,status",
    [
        ("/api/v1/practices/no-existe-99", 404),
        ("/api/v1/states/MX-XXX", 404),
        ("/api/v1/practices?state=atlantida", 422),
        ("/api/v1/practices?qualifies=quizas", 422),
        ("/api/v1/practices?criterion=belleza", 422),
    ],
)
def test_bad_requests_get_a_json_message_saying_why(openapi, url, status):
    response = Client().get(url)
    assert response.status_code == status
    body = response.json()
    assert body["message"] and body["error"]
