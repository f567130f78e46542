"""Shapes selector output for templates (labels, links); no queries here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, DIMENSION_LABELS, REGIONS

VERDICT_LABELS = {"met": "✔", "not_met": "✘", "unknown": "—"}

FACET_TITLES = {
    "state": "Estado", "region": "Región", "dimension": "Dimensión de la población", "criterion": "Criterio cumplido",
    "qualifies": "¿Buena práctica?", "status": "Estatus", "institution": "Institución",
}
FACET_PARAM = {"state": "estado", "region": "region", "dimension": "dimension", "criterion": "criterio",
               "qualifies": "califica", "status": "estatus", "institution": "institucion"}


def verdict_text(verdict: str) -> str:
    return {"met": _("Cumple"), "not_met": _("No cumple"), "unknown": _("Sin dato en el informe")}[verdict]


def practice_view(p: dict[str, Any], *, match: dict | None = None) -> dict[str, Any]:
    """Return a practice dict with display labels added for templates."""
    return {
        **p,
        "region_name": REGIONS.get(p["state"]["region"], p["state"]["region"]),
        "dimension_labels": [DIMENSION_LABELS.get(d, d) for d in p["dimensions"]],
        "criteria_rows": [
            {"code": c, "label": CRITERIA_LABELS[c], "verdict": p["criteria"][c]["verdict"],
             "mark": VERDICT_LABELS[p["criteria"][c]["verdict"]], "verdict_text": verdict_text(p["criteria"][c]["verdict"]),
             "evidence": p["criteria"][c]["evidence"]}
            for c in CRITERIA
        ],
        "status_text": _("Vigente") if p["status"] == "active" else _("Suspendida"),
        "description_paragraphs": [x for x in p["description"].split("\n\n") if x.strip()],
        "match": match,
    }


def facet_links(filters: PracticeFilters, facets: dict[str, list[dict]]) -> list[dict[str, Any]]:
    """Return each facet with, per value, the URL that toggles it (other filters kept)."""
    out = []
    for facet, values in facets.items():
        attribute = dict(zip(("state", "region", "dimension", "criterion", "qualifies", "status", "institution"),
                             ("states", "regions", "dimensions", "criteria", "qualifies", "statuses",
                              "institutions"), strict=True))[facet]
        links = []
        for v in values:
            links.append({**v, "url": "?" + _toggle(filters, attribute, facet, v["value"]).query_string()})
        out.append({"name": facet, "title": _(FACET_TITLES[facet]), "param": FACET_PARAM[facet], "values": links})
    return out


def _toggle(filters: PracticeFilters, attribute: str, facet: str, value: str) -> PracticeFilters:
    data = {k: getattr(filters, k) for k in ("q", "states", "regions", "dimensions", "criteria", "qualifies",
                                             "statuses", "institutions")}
    if facet == "qualifies":
        wanted = value == "true"
        data["qualifies"] = None if filters.qualifies == wanted else wanted
    else:
        current = list(data[attribute])
        data[attribute] = tuple(x for x in current if x != value) if value in current else (*current, value)
    return PracticeFilters(**data)


INDICATOR_LABELS = {
    "total_population": "Población total", "pct_women": "Mujeres", "pct_men": "Hombres",
    "emigrants_2015_2020": "Personas que emigraron a otro país", "emigrants_men": "Emigrantes hombres",
    "emigrants_women": "Emigrantes mujeres", "foreign_born": "Personas nacidas en otro país",
    "foreign_born_top": "Nacidas en", "top_municipality": "Municipio con más población nacida en otro país",
    "entries_total": "Entradas registradas", "entries_air": "Entradas aéreas", "entries_sea": "Entradas marítimas",
    "entries_land": "Entradas terrestres", "entries_pct_national": "Porcentaje del total nacional de entradas",
    "temporary_resident_cards": "Tarjetas de residente temporal emitidas",
    "permanent_resident_cards": "Tarjetas de residente permanente emitidas",
    "permanent_renewed": "Tarjetas de residente permanente renovadas",
    "presented_to_authority": "Presentadas ante la autoridad migratoria", "deported": "Devueltas por deportación",
    "assisted_return": "Devueltas por retorno asistido", "causes": "Causa de la migración",
}


def panorama_rows(indicators: list[dict]) -> list[dict[str, Any]]:
    """Return the indicator list with readable labels and formatted values."""
    rows = []
    for ind in indicators:
        base = _(INDICATOR_LABELS.get(ind["key"], ind["key"].replace("_", " ")))
        label = f"{base}: {ind['label']}" if ind["label"] else base
        value = ind["value"]
        if ind["unit"] == "porcentaje":
            shown = f"{value:g} %"
        elif isinstance(value, int) or float(value).is_integer():
            shown = f"{int(value):,}".replace(",", " ")
        else:
            shown = f"{value:g}"
        rows.append({**ind, "display_label": label, "display_value": shown})
    return rows
