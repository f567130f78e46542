"""A page of results is built from practices kept by the process under the request's data version (the key
the response cache keeps whole pages under): within one version a page reads no practice twice, a new
version shows the new data at once, and what one page does to its copy never reaches the next page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from buenaspracticas.catalog import selectors, services
from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.catalog.models import Practice
from buenaspracticas.data_version import current as data_version

OAXACA = PracticeFilters(states=("MX-OAX",))


def _page(version):
    token = data_version.set(version)
    try:
        return selectors.practice_search(filters=OAXACA, limit=50)
    finally:
        data_version.reset(token)


def _titles(page) -> dict[str, str]:
    return {p["id"]: p["title"] for p in page["items"]}


@pytest.fixture
def oaxaca(report):
    selectors._ITEMS.clear()
    practice = Practice.objects.filter(state__code="MX-OAX").order_by("number").first()
    yield practice
    selectors._ITEMS.clear()


def test_a_new_data_version_shows_the_edit_at_once(oaxaca):
    before = _titles(_page(("v1",)))
    assert before[oaxaca.public_id] == oaxaca.title
    services.practice_update(practice_id=oaxaca.pk, data={"title": "Título corregido"}, expected_version=None)
    assert _titles(_page(("v2",)))[oaxaca.public_id] == "Título corregido"
    others = {k: v for k, v in _titles(_page(("v2",))).items() if k != oaxaca.public_id}
    assert others == {k: v for k, v in before.items() if k != oaxaca.public_id}


def test_without_a_data_version_every_page_reads_the_database(oaxaca):
    _page(None)
    services.practice_update(practice_id=oaxaca.pk, data={"title": "Otro título"}, expected_version=None)
    assert _titles(_page(None))[oaxaca.public_id] == "Otro título"


def test_within_one_version_a_page_reads_no_practice_it_already_kept(oaxaca):
    first = _page(("v1",))
    with CaptureQueriesContext(connection) as queries:
        again = _page(("v1",))
    assert again["items"] == first["items"] and len(first["items"]) >= 2
    assert not [q for q in queries.captured_queries if "catalog_assessment" in q["sql"]]


def test_what_a_page_does_to_its_copy_does_not_reach_the_next(oaxaca):
    first = _page(("v1",))
    first["items"][0]["title"] = "cambiado por una vista"
    first["items"][0]["criteria"]["sostenibilidad"]["evidence"] = ""
    again = _page(("v1",))
    assert again["items"][0]["title"] == oaxaca.title
    evidence = again["items"][0]["criteria"]["sostenibilidad"]["evidence"]
    assert evidence != "" or not oaxaca.assessments.exists()
