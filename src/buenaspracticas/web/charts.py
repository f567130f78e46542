"""The state page's charts: issue 5's Altair/vl-convert SVGs (panorama.charts.state_charts) with a data
table beside each as its text alternative."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.web.presenters import format_number

log = logging.getLogger(__name__)


def _tables(state: dict) -> dict[str, dict[str, Any]]:
    pano = state.get("panorama") or {}
    tables = {}
    top = [r for r in (pano.get("foreign_born_top") or []) if r.get("count") is not None]
    if top:
        tables["foreign_born_by_country"] = {
            "title": _("Población nacida en otro país, por país de nacimiento"),
            "head": (_("País"), _("Personas")),
            "rows": [(r["country"], format_number(r["count"])) for r in top],
        }
    modes = [
        (_("Aéreas"), pano.get("entries_air")),
        (_("Marítimas"), pano.get("entries_sea")),
        (_("Terrestres"), pano.get("entries_land")),
    ]
    if any(v is not None for _m, v in modes):
        tables["entries_by_mode"] = {
            "title": _("Entradas de personas extranjeras por vía"),
            "head": (_("Vía"), _("Entradas")),
            "rows": [(m, format_number(v)) for m, v in modes if v is not None],
        }
    causes = [r for r in (pano.get("causes") or []) if r.get("pct") is not None]
    if causes:
        tables["causes"] = {
            "title": _("Causas de la migración"),
            "head": (_("Causa"), "%"),
            "rows": [(r["cause"], f"{r['pct']:g} %") for r in causes],
        }
    return tables


def charts_for_state(state: dict) -> list[dict[str, Any]]:
    """Return the state's charts: name, title, inline SVG (may be empty) and the table with the same data."""
    try:
        from buenaspracticas.panorama.charts import state_charts

        svgs = state_charts(state)
    except Exception:  # a chart that cannot be drawn leaves its table, never a broken page
        log.exception("charts for %s", state.get("code"))
        svgs = {}
    return [{"name": name, "svg": svgs.get(name, ""), **table} for name, table in _tables(state).items()]
