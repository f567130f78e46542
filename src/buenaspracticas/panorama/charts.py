"""Charts of a state's panorama as inline SVG (Altair → Vega-Lite → vl-convert): no browser,
no JS, no network.

Each SVG carries <title> and <desc> (a text alternative listing every figure), so screen readers and
pdftotext see the numbers the bars show. Pages and PDFs both call these functions.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

_COLOR = "#0b5cad"
_FONT = "DejaVu Sans"


def _fmt(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ")
    return f"{int(value):,}".replace(",", " ")


def _bar_svg(rows: list[dict[str, Any]], *, label: str, value: str, title: str, unit: str) -> str:
    import altair as alt

    data = [
        {"label": r[label], "value": r[value], "text": _fmt(r[value]) + (" %" if unit == "%" else "")}
        for r in rows
    ]
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("value:Q", title=unit, axis=alt.Axis(format="~s" if unit != "%" else "~g")),
    )
    bars = base.mark_bar(color=_COLOR)
    text = base.mark_text(align="left", dx=3, fontSize=10, color="#1b1f24").encode(text="text:N")
    chart = (
        (bars + text)
        .properties(width=300, height=max(40, 22 * len(data)), title=title)
        .configure(font=_FONT)
        .configure_view(stroke=None)
    )
    svg = _render_svg(json.dumps(chart.to_dict(), sort_keys=True))
    desc = "; ".join(f"{d['label']}: {d['text']}" for d in data)
    return _with_text_alternative(svg, title=title, desc=desc)


@lru_cache(maxsize=512)
def _render_svg(spec_json: str) -> str:
    """Return the SVG of a Vega-Lite spec; cached, since a panorama's charts change only with its figures."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(json.loads(spec_json), format_locale="es-MX")


def _with_text_alternative(svg: str, *, title: str, desc: str) -> str:
    """Insert <title>/<desc> and role="img" right after the opening <svg …> tag."""
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg.strip())
    match = re.search(r"<svg\b[^>]*>", svg)
    if match is None:
        return svg
    tag = match.group(0)
    new_tag = tag[:-1] + f' role="img" aria-label="{html.escape(title)}">' if "role=" not in tag else tag
    alt = f"<title>{html.escape(title)}</title><desc>{html.escape(desc)}</desc>"
    return svg[: match.start()] + new_tag + alt + svg[match.end() :]


def state_charts(state: dict) -> dict[str, str]:
    """Return chart name → inline SVG for a State JSON (catalog.selectors.state_get); charts whose data the
    panorama lacks are left out. Names: foreign_born_by_country, entries_by_mode, causes."""
    pano = state.get("panorama") or {}
    name = state.get("name", "")
    charts: dict[str, str] = {}
    top = [r for r in (pano.get("foreign_born_top") or []) if r.get("count") is not None]
    if top:
        charts["foreign_born_by_country"] = _bar_svg(
            top,
            label="country",
            value="count",
            unit=_("personas"),
            title=_("Población nacida en otro país, por país de nacimiento — %(state)s") % {"state": name},
        )
    modes = [
        (_("Aéreas"), pano.get("entries_air")),
        (_("Marítimas"), pano.get("entries_sea")),
        (_("Terrestres"), pano.get("entries_land")),
    ]
    modes = [{"mode": m, "count": v} for m, v in modes if v is not None]
    if modes:
        charts["entries_by_mode"] = _bar_svg(
            modes,
            label="mode",
            value="count",
            unit=_("entradas"),
            title=_("Entradas de personas extranjeras por vía — %(state)s") % {"state": name},
        )
    causes = [r for r in (pano.get("causes") or []) if r.get("pct") is not None]
    if causes:
        charts["causes"] = _bar_svg(
            causes,
            label="cause",
            value="pct",
            unit="%",
            title=_("Causas de la migración (%%) — %(state)s") % {"state": name},
        )
    return charts


def region_chart(states: list[dict], *, key: str = "foreign_born", title: str | None = None) -> str | None:
    """Return an SVG comparing one panorama figure (`key`) across states (State JSON list), or None when no
    state gives it."""
    rows = [{"state": s["name"], "value": (s.get("panorama") or {}).get(key)} for s in states]
    rows = [r for r in rows if isinstance(r["value"], int | float)]
    if not rows:
        return None
    return _bar_svg(rows, label="state", value="value", unit=_("personas"), title=title or key)
