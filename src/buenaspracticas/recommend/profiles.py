"""State profiles and coverage gaps, computed from plain dicts (panorama figures, practice JSON and their
population groups); no queries here, so hand-built profiles test the rules directly."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.recommend.vocabulary import DIMENSION_FIGURES, GROUPS, GROUPS_BY_CODE
from buenaspracticas.reference import DIMENSION_LABELS
from buenaspracticas.web.presenters import format_number, period_label

PROFILE_FIGURES = (
    "foreign_born",
    "emigrants_2015_2020",
    "entries_total",
    "presented_to_authority",
    "deported",
    "assisted_return",
    "repatriated",
    "repatriated_minors",
)
SIMILARITY_FIGURES = (
    "emigrants_2015_2020",
    "foreign_born",
    "presented_to_authority",
    "assisted_return",
    "entries_total",
)
FIGURELESS_GAP_WEIGHT = 0.2


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def figure_sentence(key: str, figure: dict) -> str:
    """Return a figure as a sentence with Mexican number format and the period in words."""
    n, period = format_number(figure["value"]), period_label(figure.get("period") or "")
    texts = {
        "presented_to_authority": _(
            "%(n)s personas fueron presentadas ante la autoridad migratoria en %(p)s"
        ),
        "foreign_born": _("%(n)s personas nacidas en otro país vivían en el estado en %(p)s"),
        "emigrants_2015_2020": _("%(n)s personas emigraron a otro país en %(p)s"),
        "repatriated": _("%(n)s personas mexicanas fueron repatriadas en %(p)s"),
        "repatriated_minors": _("%(n)s niñas, niños y adolescentes fueron repatriados en %(p)s"),
        "assisted_return": _("%(n)s personas extranjeras fueron devueltas por retorno asistido en %(p)s"),
        "entries_total": _("se registraron %(n)s entradas al país en %(p)s"),
    }
    return texts.get(key, "%(n)s (%(p)s)") % {"n": n, "p": period}


def _served(practices: list[dict], groups: dict[str, list[dict]]) -> tuple[Counter, dict[str, dict]]:
    dimensions: Counter = Counter()
    served: dict[str, dict] = {}
    for p in practices:
        dimensions.update(p["dimensions"])
        for g in groups.get(p["id"], []):
            cell = served.setdefault(g["group"], {"confirmed": 0, "suggested": 0, "practices": []})
            cell[g["status"]] += 1
            cell["practices"].append(p["id"])
    return dimensions, served


def pressures(figures_by_state: dict[str, dict[str, dict]]) -> dict[str, dict[str, float]]:
    """Return, per state and figure key, how much the figure matters (0–1): half its rank among the states
    that report it, half its absolute size on a log scale (100 000 people or more counts fully)."""
    out: dict[str, dict[str, float]] = {code: {} for code in figures_by_state}
    keys = {k for figs in figures_by_state.values() for k in figs if not k.startswith("_")}
    for key in keys:
        values = sorted((figs[key]["value"], code) for code, figs in figures_by_state.items() if key in figs)
        for rank, (value, code) in enumerate(values):
            relative = (rank + 1) / len(values)
            absolute = min(1.0, math.log10(1 + max(0.0, value)) / 5)
            out[code][key] = round(0.5 * relative + 0.5 * absolute, 3)
    return out


def state_profile(
    *,
    state: dict,
    figures: dict[str, dict],
    pressure: dict[str, float],
    practices: list[dict],
    groups: dict[str, list[dict]],
) -> dict[str, Any]:
    """Return a state's profile: its key figures, entry modes, top cause, and what its practices serve."""
    dimensions, served = _served(practices, groups)
    entries = {
        m: figures[f"entries_{m}"]["value"] for m in ("air", "sea", "land") if f"entries_{m}" in figures
    }
    total = sum(entries.values())
    causes = figures.get("_causes") or []
    return {
        "state": state["code"],
        "name": state["name"],
        "region": state["region"],
        "figures": {k: figures[k] for k in PROFILE_FIGURES if k in figures},
        "entry_modes_pct": {m: round(100 * v / total, 1) for m, v in entries.items()} if total else {},
        "top_cause": max(causes, key=lambda c: c["pct"]) if causes else None,
        "practices": len(practices),
        "criteria_met_mean": round(sum(p["criteria_met"] for p in practices) / len(practices), 2)
        if practices
        else None,
        "dimensions": {d: dimensions.get(d, 0) for d in DIMENSION_LABELS},
        "groups": {
            g.code: {
                k: v
                for k, v in served.get(g.code, {"confirmed": 0, "suggested": 0}).items()
                if k != "practices"
            }
            for g in GROUPS
        },
        "pressure": {d: pressure.get(key) for d, key in DIMENSION_FIGURES.items()},
    }


def state_gaps(
    *, profile: dict, figures: dict[str, dict], pressure: dict[str, float]
) -> list[dict[str, Any]]:
    """Return the dimensions and population groups no practice of the state serves, heaviest first, each
    with its weight and the reason in words built from the state's figures."""
    name = profile["name"]
    gaps = []
    for dim, key in DIMENSION_FIGURES.items():
        if profile["dimensions"].get(dim):
            continue
        label = _lower_first(_(DIMENSION_LABELS[dim]))
        why = _("ninguna práctica de %(state)s atiende la dimensión de %(dim)s") % {
            "state": name,
            "dim": label,
        }
        if key in figures:
            why += _(", y %(figure)s") % {"figure": figure_sentence(key, figures[key])}
        gaps.append(
            {
                "dimension": dim,
                "why": why,
                "weight": pressure.get(key, FIGURELESS_GAP_WEIGHT),
                "figure": key if key in figures else None,
            }
        )
    for group in GROUPS:
        cell = profile["groups"][group.code]
        if cell["confirmed"] or cell["suggested"]:
            continue
        label = _lower_first(_(group.label))
        why = _("ninguna práctica de %(state)s atiende a %(group)s") % {"state": name, "group": label}
        key = group.figure if group.figure in figures else DIMENSION_FIGURES.get(group.dimension)
        if key in figures:
            weight = pressure.get(key, 0) * (1.0 if key == group.figure else 0.6)
            why += _(", y %(figure)s") % {"figure": figure_sentence(key, figures[key])}
        else:
            key, weight = None, FIGURELESS_GAP_WEIGHT
            why += _(" (el panorama del informe no da una cifra de este grupo)")
        gaps.append({"group": group.code, "why": why, "weight": round(weight, 3), "figure": key})
    gaps.sort(key=lambda g: -g["weight"])
    return gaps


def profile_similarity(a: dict[str, dict], b: dict[str, dict], *, same_region: bool) -> float:
    """Return how alike two states' migration figures are (0–1): log-scale distance over the figures both
    report, with a small bonus for the same region."""
    shared = [k for k in SIMILARITY_FIGURES if k in a and k in b]
    if not shared:
        base = 0.5
    else:
        gap = sum(abs(math.log10(1 + a[k]["value"]) - math.log10(1 + b[k]["value"])) for k in shared) / len(
            shared
        )
        base = math.exp(-gap)
    return round(0.8 * base + 0.2 * (1.0 if same_region else 0.0), 3)


def closest_figure(a: dict[str, dict], b: dict[str, dict]) -> str | None:
    """Return the similarity figure two states are closest on (for the explanation), or None."""
    shared = [k for k in SIMILARITY_FIGURES if k in a and k in b and a[k]["value"] and b[k]["value"]]
    if not shared:
        return None
    best = min(shared, key=lambda k: abs(math.log10(a[k]["value"]) - math.log10(b[k]["value"])))
    # only a real likeness is worth a sentence: within a factor of two
    return best if abs(math.log10(a[best]["value"]) - math.log10(b[best]["value"])) <= math.log10(2) else None


def group_label(code: str) -> str:
    """Return a population group's label in the active language."""
    return _(GROUPS_BY_CODE[code].label) if code in GROUPS_BY_CODE else code
