"""PDFs rendered with WeasyPrint from templates in the pages' visual language: one ficha, one state
(panorama with SVG charts, quality flags, its fichas) and the compendium of every state."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.catalog.selectors import (
    practice_get,
    practice_search,
    region_list,
    state_get,
    state_list,
)
from buenaspracticas.panorama.charts import region_chart, state_charts
from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, QUALIFYING_MINIMUM, REGIONS
from buenaspracticas.reports.selectors import data_date, document_list, export_bundle
from buenaspracticas.web.presenters import panorama_rows, practice_view


def criteria_texts() -> list[dict[str, str]]:
    """Return the five criteria with their short definition (DESIGN.md §2)."""
    texts = {
        "sostenibilidad": _(
            "Institucionalizada, con capacidad, presupuesto o base legal que perduran más allá de "
            "una administración."
        ),
        "asociacion": _(
            "Construida con socios: otros órdenes de gobierno, sociedad civil, organismos "
            "internacionales o sector privado."
        ),
        "innovacion": _("Una forma nueva de resolver el problema en su contexto."),
        "replicabilidad": _("Puede servir de modelo en otros lugares."),
        "eficacia": _("Cumple sus metas y muestra resultados."),
    }
    return [{"code": c, "label": CRITERIA_LABELS[c], "text": texts[c]} for c in CRITERIA]


def recommendations() -> list[str]:
    """Return the report's six recommendations, summarised."""
    return [
        _(
            "Ampliar las poblaciones que atienden los programas, hoy centrados en "
            "la diáspora en Estados Unidos, "
            "para garantizar derechos y servicios a todas las personas migrantes, "
            "incluidas las extracontinentales "
            "y centroamericanas."
        ),
        _(
            "Profundizar la coordinación intergubernamental y con agencias internacionales, sociedad civil y "
            "empresas, para ampliar la eficacia de las prácticas y diseñar acciones integrales."
        ),
        _(
            "Construir de forma coordinada mecanismos de atención en alianza que "
            "diversifiquen los servicios, "
            "con énfasis en escolarización y derecho a la identidad."
        ),
        _(
            "Formalizar una agenda común entre los estados con directrices homologadas de recolección y "
            "circulación de información, sesiones periódicas y una base de datos "
            "común para decidir con datos."
        ),
        _(
            "Desarrollar capacidades municipales, a través de las redes "
            "existentes, para sostener los programas "
            "estatales y canalizar a la población migrante."
        ),
        _(
            "Formalizar la recopilación, sistematización y documentación de la "
            "información según las reglas de "
            "transparencia, con criterios homologados que permitan replicar las mejores prácticas."
        ),
    ]


def _state_view(state: dict, practices: list[dict]) -> dict[str, Any]:
    return {
        **state,
        "region_name": REGIONS.get(state["region"], state["region"]),
        "rows": panorama_rows(state.get("indicators") or []),
        "charts": state_charts(state) if state.get("panorama") else {},
        "practice_views": [practice_view(p) for p in practices],
    }


def _context(title: str) -> dict[str, Any]:
    bundle_version = export_bundle(filters=PracticeFilters())["version"]
    return {
        "doc_title": title,
        "data_date": data_date(),
        "version": bundle_version,
        "generated": timezone.localdate().isoformat(),
        "minimum": QUALIFYING_MINIMUM,
    }


def render_pdf(template: str, context: dict[str, Any], *, stats: dict | None = None) -> bytes:
    """Render a template to PDF bytes with WeasyPrint (no external resources); page count
    goes in `stats`."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=None).render()
    if stats is not None:
        stats["pages"] = len(document.pages)
    return document.write_pdf()


def practice_pdf(*, practice_id: str, stats: dict | None = None) -> bytes:
    """Return the PDF of one practice's ficha; raise NotFound."""
    p = practice_view(practice_get(practice_id=practice_id))
    return render_pdf("reports/pdf/practice.html", {**_context(p["title"]), "practice": p}, stats=stats)


def state_pdf(*, key: str, stats: dict | None = None) -> bytes:
    """Return the PDF of one state: panorama with charts, quality flags, then its fichas; raise NotFound."""
    state = state_get(key=key)
    practices = practice_search(filters=PracticeFilters(states=(state["code"],)), limit=None)["items"]
    practices.sort(key=lambda p: p["number"])
    view = _state_view(state, practices)
    return render_pdf("reports/pdf/state.html", {**_context(state["name"]), "state": view}, stats=stats)


def compendium_pdf(*, stats: dict | None = None) -> bytes:
    """Return the compendium: cover, contents, method and criteria, regions, every state with data,
    recommendations and sources."""
    practices = practice_search(filters=PracticeFilters(), limit=None)["items"]
    by_state: dict[str, list[dict]] = {}
    for p in practices:
        by_state.setdefault(p["state"]["code"], []).append(p)
    states = [s for s in state_list() if s["panorama"] is not None or s["code"] in by_state]
    views = [_state_view(s, sorted(by_state.get(s["code"], []), key=lambda p: p["number"])) for s in states]
    by_code = {v["code"]: v for v in views}
    regions = []
    for r in region_list():
        members = [by_code[c] for c in r["states"] if c in by_code]
        chart = (
            region_chart(
                members,
                key="foreign_born",
                title=_("Población nacida en otro país — región %(r)s") % {"r": r["name"]},
            )
            if members
            else None
        )
        regions.append({**r, "states": members, "chart": chart})
    context = {
        **_context(_("Compendio de buenas prácticas")),
        "states": views,
        "regions": regions,
        "criteria": criteria_texts(),
        "recommendations": recommendations(),
        "documents": document_list(),
        "practice_count": len(practices),
        "state_count": len(views),
    }
    return render_pdf("reports/pdf/compendium.html", context, stats=stats)
