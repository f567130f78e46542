"""HTML pages: thin over the selectors, rendering the same dicts the API returns."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from buenaspracticas.catalog import selectors
from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, DIMENSION_LABELS, QUALIFYING_MINIMUM, REGIONS
from buenaspracticas.web.presenters import facet_links, panorama_rows, practice_view

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    overview = selectors.catalog_overview()
    states = selectors.state_list()
    coverage_rows = [
        {"state": s, "count": overview["per_state"].get(s["code"], 0),
         "dimensions": [overview["coverage"].get(s["code"], {}).get(d, 0) for d in DIMENSION_LABELS]}
        for s in states if s["practices"]
    ]
    return render(request, "web/home.html", {
        "overview": overview, "coverage_rows": coverage_rows, "dimension_labels": list(DIMENSION_LABELS.values()),
        "regions": selectors.region_list(),
    })


def practice_list(request: HttpRequest) -> HttpResponse:
    filters = PracticeFilters.from_query(request.GET)
    try:
        page = max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        page = 1
    result = selectors.practice_search(filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    items = [practice_view(p, match=result["matches"].get(p["id"])) for p in result["items"]]
    return render(request, "web/practice_list.html", {
        "filters": filters, "result": result, "items": items, "page": page,
        "has_next": page * PAGE_SIZE < result["count"], "has_prev": page > 1,
        "facets": facet_links(filters, result["facets"]),
        "api_url": "/api/v1/practices?" + filters.query_string(page=False),
        "query_string": filters.query_string(),
    })


def practice_detail(request: HttpRequest, practice_id: str) -> HttpResponse:
    practice = selectors.practice_get(practice_id=practice_id)
    return render(request, "web/practice_detail.html", {
        "p": practice_view(practice), "api_url": f"/api/v1/practices/{practice_id}",
    })


def state_list(request: HttpRequest) -> HttpResponse:
    states = selectors.state_list()
    return render(request, "web/state_list.html", {"states": states, "regions": REGIONS})


def state_detail(request: HttpRequest, slug: str) -> HttpResponse:
    state = selectors.state_get(key=slug)
    practices = [practice_view(selectors.practice_get(practice_id=pid)) for pid in state["practices"]]
    return render(request, "web/state_detail.html", {
        "state": state, "region_name": REGIONS[state["region"]], "practices": practices,
        "rows": panorama_rows(state["indicators"]), "api_url": f"/api/v1/states/{state['code']}",
    })


def method(request: HttpRequest) -> HttpResponse:
    criteria = [{"code": c, "label": CRITERIA_LABELS[c]} for c in CRITERIA]
    return render(request, "web/method.html", {"criteria": criteria, "minimum": QUALIFYING_MINIMUM})
