"""The panorama keys of DESIGN.md §4 and how a list of indicators folds into the panorama dict."""

from __future__ import annotations

from typing import Any

SCALAR_KEYS: tuple[str, ...] = (
    "total_population",
    "pct_women",
    "pct_men",
    "emigrants_2015_2020",
    "emigrants_men",
    "emigrants_women",
    "foreign_born",
    "entries_total",
    "entries_air",
    "entries_sea",
    "entries_land",
    "entries_pct_national",
    "temporary_resident_cards",
    "permanent_resident_cards",
    "permanent_renewed",
    "presented_to_authority",
    "deported",
    "assisted_return",
)
LIST_KEYS: tuple[str, ...] = ("foreign_born_top", "top_municipality", "causes")
PANORAMA_KEYS: tuple[str, ...] = (
    *SCALAR_KEYS[:7],
    "foreign_born_top",
    "top_municipality",
    *SCALAR_KEYS[7:],
    "causes",
)


def panorama_dict(indicators: list) -> dict[str, Any]:
    """Return {key: value} for every DESIGN.md panorama key, None where no indicator gives it.

    `indicators` are objects with key, value and label: `foreign_born_top` items become
    {"country", "count"}, `top_municipality` {"name", "count"}, `causes` {"cause", "pct"}.
    """
    out: dict[str, Any] = {k: None for k in PANORAMA_KEYS}
    for ind in indicators:
        if ind.key == "foreign_born_top":
            out["foreign_born_top"] = (out["foreign_born_top"] or []) + [
                {"country": ind.label, "count": ind.value}
            ]
        elif ind.key == "causes":
            out["causes"] = (out["causes"] or []) + [{"cause": ind.label, "pct": ind.value}]
        elif ind.key == "top_municipality":
            out["top_municipality"] = {"name": ind.label, "count": ind.value}
        elif ind.key in out:
            out[ind.key] = ind.value
    return out
