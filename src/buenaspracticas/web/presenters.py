"""Shapes selector output for templates (labels, links); no queries here."""

from __future__ import annotations

import re
from dataclasses import fields as dataclass_fields
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.catalog.filters import FACET_ATTRIBUTES, PracticeFilters
from buenaspracticas.evidence.citations import citations_view
from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, DIMENSION_LABELS, REGIONS
from buenaspracticas.text_case import display_title

VERDICT_LABELS = {"met": "✔", "not_met": "✘", "unknown": "—"}

from django.utils.translation import gettext_noop  # noqa: E402

FACET_TITLES = {
    "state": gettext_noop("Estado"),
    "region": gettext_noop("Región"),
    "dimension": gettext_noop("Dimensión de la población"),
    "criterion": gettext_noop("Criterio cumplido"),
    "qualifies": gettext_noop("¿Buena práctica?"),
    "status": gettext_noop("Estatus"),
    "institution": gettext_noop("Institución"),
    "gcm": gettext_noop("Objetivo del Pacto Mundial (GCM)"),
}
FACET_PARAM = {
    "state": "estado",
    "region": "region",
    "dimension": "dimension",
    "criterion": "criterio",
    "qualifies": "califica",
    "status": "estatus",
    "institution": "institucion",
    "gcm": "gcm",
}


def verdict_text(verdict: str) -> str:
    return {"met": _("Cumple"), "not_met": _("No cumple"), "unknown": _("Sin dato en el informe")}[verdict]


def practice_view(p: dict[str, Any], *, match: dict | None = None) -> dict[str, Any]:
    """Return a practice dict with display labels added for templates."""
    return {
        **p,
        "region_name": _(REGIONS.get(p["state"]["region"], p["state"]["region"])),
        "dimension_labels": [_(DIMENSION_LABELS.get(d, d)) for d in p["dimensions"]],
        "criteria_rows": [
            {
                "code": c,
                "label": _(CRITERIA_LABELS[c]),
                "verdict": p["criteria"][c]["verdict"],
                "mark": VERDICT_LABELS[p["criteria"][c]["verdict"]],
                "verdict_text": verdict_text(p["criteria"][c]["verdict"]),
                "evidence": p["criteria"][c]["evidence"],
                "citations": citations_view(p["criteria"][c].get("citations", [])),
            }
            for c in CRITERIA
        ],
        "status_text": _("Vigente") if p["status"] == "active" else _("Suspendida"),
        "description_paragraphs": [x for x in p["description"].split("\n\n") if x.strip()],
        "summary": summary(p["description"]),
        "title_marked": marked_title(display_title(p), (match or {}).get("highlights", {}).get("title", ""))
        if match
        else "",
        "match": match,
    }


def marked_title(display: str, snippet: str) -> str:
    """Return a display title as safe HTML with the words that a title snippet marks (<mark>) marked too."""
    import html

    from django.utils.safestring import mark_safe

    words = {html.unescape(w).lower() for w in re.findall(r"<mark>(.*?)</mark>", snippet or "")}
    parts = re.split(r"(\w+)", display)
    return mark_safe(
        "".join(f"<mark>{html.escape(p)}</mark>" if p.lower() in words else html.escape(p) for p in parts)
    )


def facet_links(filters: PracticeFilters, facets: dict[str, list[dict]]) -> list[dict[str, Any]]:
    """Return each facet with, per value, the URL that toggles it (other filters kept)."""
    out = []
    for facet, values in facets.items():
        attribute = FACET_ATTRIBUTES[facet]
        links = []
        for v in values:
            label = v["label"] if facet in ("state", "institution", "gcm") else _(v["label"])
            links.append(
                {
                    **v,
                    "label": label,
                    "url": "?" + _toggle(filters, attribute, facet, v["value"]).query_string(),
                }
            )
        chosen = any(v["selected"] for v in links)
        out.append(
            {
                "name": facet,
                "title": _(FACET_TITLES[facet]),
                "param": FACET_PARAM[facet],
                "values": links,
                # A facet with one value filters nothing, unless it is the filter in force (to remove it).
                "useful": len(links) > 1 or chosen,
            }
        )
    return out


def active_filters(facets: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Return the filters in force (facet title, value label, URL that removes it), from `facet_links`."""
    return [
        {"facet": f["title"], "label": v["label"], "url": v["url"]}
        for f in facets
        for v in f["values"]
        if v["selected"]
    ]


def summary(text: str, *, limit: int = 220) -> str:
    """Return the first sentences of a text, cut at a word and marked with … when longer than `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("; "))
    if end > limit // 2:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…"


def _toggle(filters: PracticeFilters, attribute: str, facet: str, value: str) -> PracticeFilters:
    data = {f.name: getattr(filters, f.name) for f in dataclass_fields(filters)}
    if facet == "qualifies":
        wanted = value == "true"
        data["qualifies"] = None if filters.qualifies == wanted else wanted
    else:
        current = list(data[attribute])
        data[attribute] = tuple(x for x in current if x != value) if value in current else (*current, value)
    return PracticeFilters(**data)


INDICATOR_LABELS = {
    "total_population": gettext_noop("Población total"),
    "pct_women": gettext_noop("Mujeres"),
    "pct_men": gettext_noop("Hombres"),
    "emigrants_2015_2020": gettext_noop("Personas que emigraron a otro país"),
    "emigrants_men": gettext_noop("Emigrantes hombres"),
    "emigrants_women": gettext_noop("Emigrantes mujeres"),
    "foreign_born": gettext_noop("Personas nacidas en otro país"),
    "foreign_born_top": gettext_noop("Nacidas en"),
    "top_municipality": gettext_noop("Municipio con más población nacida en otro país"),
    "entries_total": gettext_noop("Entradas registradas"),
    "entries_air": gettext_noop("Entradas aéreas"),
    "entries_sea": gettext_noop("Entradas marítimas"),
    "entries_land": gettext_noop("Entradas terrestres"),
    "entries_pct_national": gettext_noop("Porcentaje del total nacional de entradas"),
    "temporary_resident_cards": gettext_noop("Tarjetas de residente temporal emitidas"),
    "permanent_resident_cards": gettext_noop("Tarjetas de residente permanente emitidas"),
    "permanent_renewed": gettext_noop("Tarjetas de residente permanente renovadas"),
    "presented_to_authority": gettext_noop("Presentadas ante la autoridad migratoria"),
    "deported": gettext_noop("Devueltas por deportación"),
    "assisted_return": gettext_noop("Devueltas por retorno asistido"),
    "causes": gettext_noop("Causa de la migración"),
    "assisted_return_minors": gettext_noop("Menores devueltos por retorno asistido"),
    "cause_top_municipality": gettext_noop("Municipio con mayor porcentaje para la causa"),
    "deported_and_assisted_return": gettext_noop("Devueltas por deportación o retorno asistido"),
    "emigrants_pct_men": gettext_noop("Emigrantes hombres (porcentaje)"),
    "emigrants_pct_women": gettext_noop("Emigrantes mujeres (porcentaje)"),
    "entries_national_total": gettext_noop("Entradas registradas en todo el país"),
    "entry_point": gettext_noop("Entradas por punto de internación"),
    "foreign_born_municipality": gettext_noop("Municipio con población nacida en otro país"),
    "foreign_born_top_pct": gettext_noop("Nacidas en (porcentaje)"),
    "immigrants_by_country": gettext_noop("Inmigrantes por país de origen"),
    "immigrants_by_country_cause": gettext_noop("Causa de inmigración por país"),
    "international_immigrants": gettext_noop("Inmigrantes internacionales"),
    "international_immigrants_pct": gettext_noop("Inmigrantes internacionales (porcentaje)"),
    "municipality_pct": gettext_noop("Municipio con más población nacida en otro país (porcentaje)"),
    "presented_to_authority_alt": gettext_noop(
        "Presentadas ante la autoridad migratoria (otra cifra del informe)"
    ),
    "protection_orientations": gettext_noop("Orientaciones de protección"),
    "protection_rescues": gettext_noop("Rescates"),
    "protection_social_assistance": gettext_noop("Asistencia social"),
    "remittances_usd": gettext_noop("Remesas (dólares)"),
    "repatriated": gettext_noop("Personas mexicanas repatriadas"),
    "repatriated_men": gettext_noop("Repatriados hombres"),
    "repatriated_minors": gettext_noop("Menores repatriados"),
    "repatriated_women": gettext_noop("Repatriadas mujeres"),
    "residence_total": gettext_noop("Personas extranjeras que obtuvieron un tipo de residencia"),
}


def format_number(value: float | int | None) -> str:
    """Return a figure with thin-space thousands (3 769 020) or a dash when missing."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.1f}".replace(",", " ")


def region_table(region: dict[str, Any]) -> dict[str, Any]:
    """Return a region's figures as a table: one row per figure, one column per covered state, and a total."""
    covered = [s for s in region["states"] if s["code"] in region["covered"]]
    rows = [
        {
            "label": _(INDICATOR_LABELS.get(f["key"], f["key"])),
            "key": f["key"],
            "cells": [format_number(f["values"].get(s["code"])) for s in covered],
            "total": format_number(f["total"]),
        }
        for f in region["figures"]
    ]
    return {"states": covered, "rows": rows}


def regions_side_by_side(regions: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the four regions' summed figures as one table (rows: figures; columns: regions)."""
    keys = []
    for r in regions:
        for f in r["figures"]:
            if f["key"] not in keys:
                keys.append(f["key"])
    rows = []
    for key in keys:
        cells = []
        for r in regions:
            figure = next((f for f in r["figures"] if f["key"] == key), None)
            names = {s["code"]: s["name"] for s in r["states"]}
            added = (
                [names.get(c, c) for c, v in figure["values"].items() if isinstance(v, int | float)]
                if figure
                else []
            )
            # Which states a sum adds up: the report does not give every figure for every state.
            cells.append(
                {"value": format_number(figure["total"]) if figure else "—", "states": sorted(added)}
            )
        rows.append({"key": key, "label": _(INDICATOR_LABELS.get(key, key)), "cells": cells})
    return {
        "regions": [
            {
                "slug": r["slug"],
                "name": r["name"],
                "covered": len(r["covered"]),
                "practices": len(r["practices"]),
            }
            for r in regions
        ],
        "rows": rows,
    }


# Units as the parser reads them from the report (Spanish words), shown in the reader's language.
UNIT_LABELS = {
    "personas": gettext_noop("personas"),
    "porcentaje": gettext_noop("porcentaje"),
    "entradas": gettext_noop("entradas"),
    "tarjetas": gettext_noop("tarjetas"),
    "dólares": gettext_noop("dólares"),
}


def unit_label(unit: str) -> str:
    """Return a figure's unit in the active language (units the catalogue does not know, as written)."""
    return _(UNIT_LABELS[unit]) if unit in UNIT_LABELS else unit


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
        rows.append(
            {
                **ind,
                "display_label": label,
                "display_value": shown,
                "display_period": period_label(ind["period"]),
                "display_unit": unit_label(ind["unit"]),
            }
        )
    return rows


def period_label(period: str) -> str:
    """Return a period code as people read it: '2015-03/2020-03' → 'mar 2015 – mar 2020',
    '2021-01/2021-06' → 'ene–jun 2021' (month names in the active language); other text unchanged."""
    from django.utils.dates import MONTHS_3

    from buenaspracticas.ingest.periods import period_words

    return period_words(period, [str(MONTHS_3[n]) for n in range(1, 13)])
