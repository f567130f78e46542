"""The home page's map of Mexico as inline SVG, built on the server from the committed INEGI boundaries
(data/mexico-states.geojson): each state a link, coloured by its number of practices, with a text title."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buenaspracticas.reference import STATES, StateRef

WIDTH = 640
# Sequential blues, light to dark; text stays dark on the light end and white on the dark end.
PALETTE = ("#eef2f7", "#c6dbef", "#7fb0d8", "#3a7dbf", "#0b4f92")


@lru_cache(maxsize=1)
def _shapes() -> tuple[tuple[str, str], ...] | None:
    path = settings.PROJECT_DIR / "data" / "mexico-states.geojson"
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return None
    features = collection["features"]
    points = [pt for f in features for pt in _points(f["geometry"])]
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = WIDTH / ((lon1 - lon0) * kx)

    def xy(pt):
        return f"{(pt[0] - lon0) * kx * scale:.1f},{(lat1 - pt[1]) * scale:.1f}"

    out = []
    for f in features:
        geometry = f["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        d = " ".join("M" + " L".join(xy(pt) for pt in ring) + "Z" for polygon in polygons for ring in polygon)
        out.append((f["properties"]["inegi"], d))
    global HEIGHT
    HEIGHT = round((lat1 - lat0) * scale)
    return tuple(out)


HEIGHT = 420


def _points(geometry):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def _colour(count: int, top: int) -> str:
    if count <= 0:
        return PALETTE[0]
    step = 1 + min(len(PALETTE) - 2, int((count - 1) * (len(PALETTE) - 1) / max(top, 1)))
    return PALETTE[step]


def map_svg(per_state: dict[str, int], *, href: Callable[[StateRef], str | None] | None = None) -> str | None:
    """Return the map as an SVG string (practices per state as colour, each state a link), or None when the
    boundaries file is missing. `href` gives a state's link (None: not a link); by default its web page."""
    shapes = _shapes()
    if shapes is None:
        return None
    by_inegi = {s.inegi: s for s in STATES}
    top = max(per_state.values(), default=0)
    title = html.escape(_("Mapa de México: prácticas por estado"))
    desc = html.escape(
        _(
            "Cada estado es un enlace a su página; el color indica cuántas prácticas tiene el "
            "catálogo. La tabla de cobertura da las mismas cifras."
        )
    )
    parts = [
        f'<svg class="mx-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        f'aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="map-title">{title}</title>',
        f'<desc id="map-desc">{desc}</desc>',
    ]
    for inegi, d in shapes:
        state = by_inegi[inegi]
        count = per_state.get(state.code, 0)
        label = ngettext("%(state)s: %(n)d práctica", "%(state)s: %(n)d prácticas", count) % {
            "state": state.name,
            "n": count,
        }
        link = href(state) if href else f"/{_prefix()}estados/{state.slug}/"
        path = (
            f'<path d="{d}" fill="{_colour(count, top)}" data-state="{state.code}" data-count="{count}">'
            f"<title>{html.escape(label)}</title></path>"
        )
        parts.append(
            f'<a href="{html.escape(link)}" aria-label="{html.escape(label)}">{path}</a>' if link else path
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(per_state: dict[str, int]) -> list[dict[str, str]]:
    """Return the map legend's swatches with the counts each colour stands for."""
    top = max(per_state.values(), default=0)
    items = [{"colour": PALETTE[0], "label": _("sin prácticas")}]
    seen = {}
    for n in range(1, top + 1):
        seen.setdefault(_colour(n, top), []).append(n)
    for colour, counts in seen.items():
        label = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
        items.append({"colour": colour, "label": label})
    return items


def _prefix() -> str:
    from django.utils.translation import get_language

    return "en/" if (get_language() or "es").startswith("en") else ""
