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
from django.utils.translation import gettext_noop

_COLOR = "#0b5cad"
_FONT = "DejaVu Sans"


def _fmt(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ")
    return f"{int(value):,}".replace(",", " ")


# Sizes in SVG units. The SVG is drawn about as wide as a phone's column (≈ 380 units) so that, scaled to
# fit a 340 px phone column or a third of a laptop page, no text falls under 11 px.
_WIDTH = 170
_LABEL_CHARS = 18  # category labels wrap onto lines of about this many characters, never truncated
_FONT_SIZE = 14
_TITLE_CHARS = 42


def _bar_svg(rows: list[dict[str, Any]], *, label: str, value: str, title: str, unit: str) -> str:
    import textwrap

    import altair as alt

    data = [
        {
            "label": "\n".join(textwrap.wrap(str(r[label]), _LABEL_CHARS)) or str(r[label]),
            "value": r[value],
            "text": _fmt(r[value]) + (" %" if unit == "%" else ""),
        }
        for r in rows
    ]
    lines = max(d["label"].count("\n") + 1 for d in data)
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y(
            "label:N",
            sort=None,
            title=None,
            axis=alt.Axis(
                labelExpr="split(datum.label, '\\n')", labelFontSize=_FONT_SIZE, labelLimit=0, labelPadding=6
            ),
            scale=alt.Scale(paddingInner=0.35),
        ),
        # Every bar carries its value, so no value axis: its tick labels collided ("700k800k").
        x=alt.X("value:Q", title=None, axis=None, scale=alt.Scale(nice=True)),
    )
    bars = base.mark_bar(color=_COLOR)
    text = base.mark_text(align="left", dx=3, fontSize=_FONT_SIZE, color="#1b1f24").encode(text="text:N")
    chart = (
        (bars + text)
        .properties(
            width=_WIDTH,
            height=max(60, (12 + 17 * lines) * len(data)),
            title=alt.TitleParams(
                textwrap.wrap(title, _TITLE_CHARS), fontSize=_FONT_SIZE + 1, anchor="start"
            ),
        )
        .configure(font=_FONT)
        .configure_axis(domain=False, ticks=False)
        .configure_view(stroke=None)
    )
    svg = _render_svg(json.dumps(chart.to_dict(), sort_keys=True))
    desc = "; ".join(f"{r[label]}: {d['text']}" for r, d in zip(rows, data, strict=True))
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


# The census's closed vocabularies that panorama charts show as categories (INEGI's causes of migration,
# countries of birth): declared here so the translation catalogue keeps them; the data keeps the
# report's words.
CENSUS_CATEGORIES = (
    gettext_noop("Buscar trabajo"),
    gettext_noop("Cambio u oferta de trabajo"),
    gettext_noop("Deportación (regresaron)"),
    gettext_noop("Desastres naturales"),
    gettext_noop("Estudios"),
    gettext_noop("Inseguridad delictiva o violencia"),
    gettext_noop("Matrimonio o unión"),
    gettext_noop("Reunificación familiar"),
    gettext_noop("Reunirse con la familia"),
    gettext_noop("Otra causa"),
    gettext_noop("Canadá"),
    gettext_noop("Estados Unidos de América"),
    gettext_noop("Haití"),
    gettext_noop("Otros países"),
)
_CATEGORY_KEYS = {c.casefold(): c for c in CENSUS_CATEGORIES}


def category_label(text: str) -> str:
    """Return a chart category in the reader's language: a census category however the report capitalises
    it ("Buscar Trabajo"), else the report's words as printed."""
    known = _CATEGORY_KEYS.get(" ".join(text.split()).casefold())
    return _(known) if known else text


def state_charts(state: dict) -> dict[str, str]:
    """Return chart name → inline SVG for a State JSON (catalog.selectors.state_get); charts whose data the
    panorama lacks, or where it gives one bar only (nothing to compare: the table shows it), are left out.
    Names: foreign_born_by_country, entries_by_mode, causes."""
    pano = state.get("panorama") or {}
    name = state.get("name", "")
    charts: dict[str, str] = {}
    top = [
        {**r, "country": category_label(r.get("country") or "")}
        for r in (pano.get("foreign_born_top") or [])
        if r.get("count") is not None
    ]
    if len(top) >= 2:
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
    if len(modes) >= 2:
        charts["entries_by_mode"] = _bar_svg(
            modes,
            label="mode",
            value="count",
            unit=_("entradas"),
            title=_("Entradas de personas extranjeras por vía — %(state)s") % {"state": name},
        )
    causes = [
        {**r, "cause": category_label(r.get("cause") or "")}
        for r in (pano.get("causes") or [])
        if r.get("pct") is not None
    ]
    if len(causes) >= 2:
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
