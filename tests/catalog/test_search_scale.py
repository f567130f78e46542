"""Search, counts and facets computed by the database over the whole match set: exact against counts taken
independently with the ORM, on a catalogue built by code over all 32 states; bounded queries per page."""

from __future__ import annotations

import pytest
from django.test import Client

from buenaspracticas.catalog import selectors, services
from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.catalog.models import Assessment, Practice, PracticeDimension
from buenaspracticas.catalog.synth import synth_build, synth_clear
from buenaspracticas.reference import CRITERIA, DIMENSIONS, STATES

pytestmark = pytest.mark.django_db
WORD = "xilofonista"


@pytest.fixture
def catalogue(report, monkeypatch):
    """The report plus 400 synthetic practices; every seventh carries WORD in its description (raw UPDATE,
    so only the database's triggers tell the index)."""
    monkeypatch.setattr("buenaspracticas.search.vectors.similarities", lambda *a, **k: [])
    synth_build(practices=400, seed=11, batch=150)
    ids = list(
        Practice.objects.filter(source_document__slug="synthetic-11")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    marked = ids[::7]
    for pk in marked:
        Practice.objects.filter(pk=pk).update(description=f"Un programa con {WORD} itinerante.")
    return {"marked": set(marked)}


def _published():
    return Practice.objects.filter(workflow_state=Practice.Workflow.PUBLISHED)


def _orm_facets(qs) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {f: {} for f in ("state", "region", "status", "dimension", "criterion")}
    for p in qs.select_related("state__region"):
        out["state"][p.state.code] = out["state"].get(p.state.code, 0) + 1
        out["region"][p.state.region.slug] = out["region"].get(p.state.region.slug, 0) + 1
        out["status"][p.status] = out["status"].get(p.status, 0) + 1
    for code in DIMENSIONS:
        n = qs.filter(practicedimension__dimension__code=code).distinct().count()
        if n:
            out["dimension"][code] = n
    for code in CRITERIA:
        n = qs.filter(assessments__criterion__code=code, assessments__verdict="met").distinct().count()
        if n:
            out["criterion"][code] = n
    return out


def _facets(result) -> dict[str, dict[str, int]]:
    return {
        f: {v["value"]: v["count"] for v in values if v["count"]} for f, values in result["facets"].items()
    }


def test_catalogue_covers_all_32_states(catalogue):
    assert _published().values("state").distinct().count() == len(STATES) == 32


def test_counts_and_facets_without_query_match_the_orm(catalogue):
    result = selectors.practice_search(filters=PracticeFilters(), limit=5)
    assert result["count"] == _published().count()
    got = _facets(result)
    for facet, counts in _orm_facets(_published()).items():
        assert got[facet] == counts, facet


def test_each_facet_is_counted_under_the_other_filters(catalogue):
    filters = PracticeFilters(regions=("norte",), criteria=("eficacia",))
    result = selectors.practice_search(filters=filters, limit=5)
    base = _published().filter(assessments__criterion__code="eficacia", assessments__verdict="met").distinct()
    in_region = base.filter(state__region__slug="norte")
    assert result["count"] == in_region.count()
    got = _facets(result)
    assert got["region"] == _orm_facets(base)["region"]  # its own filter left out
    assert got["state"] == _orm_facets(in_region)["state"]
    region_only = _published().filter(state__region__slug="norte")
    assert got["criterion"] == _orm_facets(region_only)["criterion"]


def test_query_count_is_every_practice_with_the_word(catalogue):
    result = selectors.practice_search(filters=PracticeFilters(q=WORD), limit=10)
    assert result["count"] == len(catalogue["marked"]) > 50  # the whole match set, not a top-k
    assert len(result["items"]) == 10
    ids = set(Practice.objects.filter(pk__in=catalogue["marked"]).values_list("public_id", flat=True))
    assert {p["id"] for p in result["items"]} <= ids
    assert sum(f["count"] for f in result["facets"]["region"]) == result["count"]


def test_query_with_filter_counts_and_pages_exactly(catalogue):
    marked = Practice.objects.filter(pk__in=catalogue["marked"])
    expected = marked.filter(state__region__slug="sur-sureste").count()
    result = selectors.practice_search(filters=PracticeFilters(q=WORD, regions=("sur-sureste",)), limit=None)
    assert result["count"] == len(result["items"]) == expected
    page2 = selectors.practice_search(filters=PracticeFilters(q=WORD), limit=5, offset=5)
    everything = selectors.practice_search(filters=PracticeFilters(q=WORD), limit=None)
    assert [p["id"] for p in page2["items"]] == [p["id"] for p in everything["items"]][5:10]


def test_search_page_and_api_take_a_bounded_number_of_queries(catalogue, django_assert_max_num_queries):
    client = Client()
    selectors.practice_search(filters=PracticeFilters(), limit=1)  # the raw UPDATEs' one-off catch-up
    with django_assert_max_num_queries(20):
        selectors.practice_search(
            filters=PracticeFilters(q="migrantes retorno", regions=("centro",)), limit=20
        )
    with django_assert_max_num_queries(20):
        assert client.get(f"/api/v1/practices?q={WORD}&region=norte&limit=20").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/practicas/?q=albergue&estado=oaxaca").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/practicas/").status_code == 200


def test_an_edit_through_the_service_is_found_by_the_next_search(catalogue):
    practice = _published().exclude(pk__in=catalogue["marked"]).first()
    services.practice_update(
        practice_id=practice.pk, data={"title": "PROGRAMA DE MARIMBA COMUNITARIA"}, expected_version=None
    )
    result = selectors.practice_search(filters=PracticeFilters(q="marimba"), limit=5)
    assert [p["id"] for p in result["items"]] == [practice.public_id]


def test_a_draft_never_appears(catalogue):
    practice = Practice.objects.filter(pk__in=catalogue["marked"]).first()
    services.practice_set_workflow(practice_id=practice.pk, workflow_state=Practice.Workflow.DRAFT)
    result = selectors.practice_search(filters=PracticeFilters(q=WORD), limit=None)
    assert practice.public_id not in {p["id"] for p in result["items"]}
    assert result["count"] == len(catalogue["marked"]) - 1
    assert selectors.practice_search(filters=PracticeFilters(), limit=5)["count"] == _published().count()


def test_synthetic_practices_are_removed_by_clear(catalogue):
    assert synth_clear() == 400
    assert not Practice.objects.filter(source_document__slug__startswith="synthetic-").exists()
    assert not Assessment.objects.filter(practice__source_document__slug__startswith="synthetic-").exists()
    assert PracticeDimension.objects.count() > 0  # the report's remain
    assert selectors.practice_search(filters=PracticeFilters(), limit=1)["count"] == _published().count()


@pytest.mark.parametrize(
    "path",
    ["/", "/regiones/", "/regiones/norte/", "/estados/", "/estados/oaxaca/", "/api/v1/states",
     "/api/v1/states/MX-OAX", "/practicas/oaxaca-2/"],
)  # fmt: skip
def test_pages_read_in_a_bounded_number_of_queries_whatever_the_catalogue(
    catalogue, path, django_assert_max_num_queries
):
    # 32 states with panoramas and ~450 practices: the count must not grow with either.
    client = Client()
    assert client.get(path).status_code == 200  # warm the per-process caches (charts, reference data)
    with django_assert_max_num_queries(40 if path.startswith("/estados/") else 20):
        assert client.get(path).status_code == 200
