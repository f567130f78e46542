"""HTML pages: thin over the selectors, rendering the same dicts the API returns."""

from __future__ import annotations

import dataclasses

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from buenaspracticas.catalog import selectors
from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.curation import selectors as curation_selectors
from buenaspracticas.evidence.documents import practice_documents
from buenaspracticas.recommend.selectors import state_advice_section
from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, DIMENSION_LABELS, QUALIFYING_MINIMUM, REGIONS
from buenaspracticas.web.charts import charts_for_state
from buenaspracticas.web.map import legend, map_svg
from buenaspracticas.web.presenters import (
    facet_links,
    panorama_rows,
    practice_view,
    region_table,
    regions_side_by_side,
)

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    overview = selectors.catalog_overview()
    states = selectors.state_list()
    per_state = {s["code"]: len(s["practices"]) for s in states}
    coverage_rows = [
        {
            "state": s,
            "count": per_state[s["code"]],
            "dimensions": [overview["coverage"].get(s["code"], {}).get(d, 0) for d in DIMENSION_LABELS],
        }
        for s in states
        if s["practices"]
    ]
    return render(
        request,
        "web/home.html",
        {
            "overview": overview,
            "coverage_rows": coverage_rows,
            "dimension_labels": [_(label) for label in DIMENSION_LABELS.values()],
            "regions": [{**r, "name": _(r["name"])} for r in selectors.region_list()],
            "map_svg": map_svg(per_state),
            "legend": legend(per_state),
        },
    )


def practice_list(request: HttpRequest) -> HttpResponse:
    filters = PracticeFilters.from_query(request.GET)
    try:
        page = max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        page = 1
    result = selectors.practice_search(filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    items = [practice_view(p, match=result["matches"].get(p["id"])) for p in result["items"]]
    return render(
        request,
        "web/practice_list.html",
        {
            "filters": filters,
            "result": result,
            "items": items,
            "nearest": [practice_view(p) for p in result["nearest"]],
            "page": page,
            "has_next": page * PAGE_SIZE < result["count"],
            "has_prev": page > 1,
            "facets": facet_links(filters, result["facets"]),
            "api_url": "/api/v1/practices?" + filters.query_string(page=False),
            "query_string": filters.query_string(),
            # "¿Quiso decir …?": the same filters with the corrected query.
            "suggestion_url": (
                "?" + dataclasses.replace(filters, q=result["suggestion"]).query_string(page=False)
                if result.get("suggestion")
                else ""
            ),
            "kind": "list",
        },
    )


def practice_detail(request: HttpRequest, practice_id: str) -> HttpResponse:
    practice = selectors.practice_get(practice_id=practice_id, user=request.user)
    similar = [
        practice_view(p)
        for p in selectors.practice_similar(practice_id=practice_id, state_code=practice["state"]["code"])
    ]
    return render(
        request,
        "web/practice_detail.html",
        {
            "p": practice_view(practice),
            "api_url": f"/api/v1/practices/{practice_id}",
            "similar": similar,
            "kind": "practice",
            "practice_id": practice_id,
            "documents": practice_documents(practice_id=practice_id),
            "review_splits": curation_selectors.splits_to_review(user=request.user, practice_id=practice_id),
        },
    )


def state_list(request: HttpRequest) -> HttpResponse:
    states = [{**s, "region_name": _(REGIONS[s["region"]])} for s in selectors.state_list()]
    return render(request, "web/state_list.html", {"states": states})


def state_detail(request: HttpRequest, slug: str) -> HttpResponse:
    state = selectors.state_get(key=slug)
    practices = [practice_view(p) for p in selectors.practices_by_ids(practice_ids=state["practices"])]
    return render(
        request,
        "web/state_detail.html",
        {
            "state": state,
            "region_name": _(REGIONS[state["region"]]),
            "practices": practices,
            "rows": panorama_rows(state["indicators"]),
            "api_url": f"/api/v1/states/{state['code']}",
            "charts": charts_for_state(state),
            "kind": "state",
            "state_slug": state["slug"],
            "advice": state_advice_section(key=state["code"]),
        },
    )


def region_list(request: HttpRequest) -> HttpResponse:
    regions = [{**r, "name": _(r["name"])} for r in selectors.regions_compare()]
    return render(request, "web/region_list.html", {"table": regions_side_by_side(regions)})


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = selectors.region_get(slug=slug)
    region = {**region, "name": _(region["name"])}
    practices = [practice_view(p) for p in selectors.practices_by_ids(practice_ids=region["practices"])]
    others = [{**r, "name": _(r["name"])} for r in selectors.regions_compare()]
    return render(
        request,
        "web/region_detail.html",
        {
            "region": region,
            "table": region_table(region),
            "practices": practices,
            "compare": regions_side_by_side(others),
        },
    )


def method(request: HttpRequest) -> HttpResponse:
    descriptions = {
        "sostenibilidad": _(
            "Institucionalizada, con capacidad, presupuesto o base legal que dura más allá de una "
            "administración."
        ),
        "asociacion": _(
            "Construida con socios: otros órdenes de gobierno, sociedad civil, organismos "
            "internacionales o sector privado."
        ),
        "innovacion": _("Una manera nueva de resolver el problema en su contexto."),
        "replicabilidad": _("Puede servir de modelo en otros lugares."),
        "eficacia": _("Cumple sus objetivos y muestra resultados."),
    }
    criteria = [{"code": c, "label": _(CRITERIA_LABELS[c]), "description": descriptions[c]} for c in CRITERIA]
    return render(request, "web/method.html", {"criteria": criteria, "minimum": QUALIFYING_MINIMUM})
