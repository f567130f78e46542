"""Replication advice for one state: other states' qualifying practices that fill its gaps, ranked and
explained in a sentence built from the data. Pure functions over dicts; no queries here."""

from __future__ import annotations

import math
import re
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.recommend.profiles import closest_figure, group_label, profile_similarity
from buenaspracticas.recommend.vocabulary import GROUPS_BY_CODE
from buenaspracticas.reference import DIMENSION_LABELS, QUALIFYING_MINIMUM
from buenaspracticas.web.presenters import format_number

REPLICABILITY_FACTOR = {"met": 1.0, "unknown": 0.6}  # not_met never advised
SUSPENDED_FACTOR = 0.85
DIVERSITY_FACTOR = 0.75
RESULT_CHARS = 170
_GENERIC_RESULT = re.compile(
    r"^(cumple con los objetivos|no se identifica|sin cifras|tiene (personas )?beneficiari)", re.I
)


def eligible(practice: dict, *, state_code: str, replicated_by_state: set[str]) -> bool:
    """Return whether a practice may be advised to a state: another state's, qualifying, replicable or
    unknown, and not already replicated there."""
    return (
        practice["state"]["code"] != state_code
        and practice["criteria_met"] >= QUALIFYING_MINIMUM
        and practice["criteria"]["replicabilidad"]["verdict"] in REPLICABILITY_FACTOR
        and practice["id"] not in replicated_by_state
    )


def _fills(practice: dict, gaps: list[dict], groups: list[dict]) -> list[tuple[dict, float, str]]:
    """Return (gap, strength, how) for each gap the practice fills; a practice that names the group counts
    more than one that lists the dimension among many."""
    strength_by_group = {
        g["group"]: (1.0 if g["status"] == "confirmed" else min(0.9, g["score"])) for g in groups
    }
    out = []
    for gap in gaps:
        if "group" in gap:
            if gap["group"] in strength_by_group:
                out.append((gap, strength_by_group[gap["group"]], "group"))
            continue
        dim = gap["dimension"]
        by_group = max(
            (
                s
                for code, s in strength_by_group.items()
                if code in GROUPS_BY_CODE and GROUPS_BY_CODE[code].dimension == dim
            ),
            default=0.0,
        )
        by_dimension = 1 / math.sqrt(len(practice["dimensions"])) if dim in practice["dimensions"] else 0.0
        strength = max(by_group, by_dimension)
        if strength:
            out.append((gap, strength, "group" if by_group >= by_dimension else "dimension"))
    return out


def _result(practice: dict) -> str:
    """Return the origin's results as the report states them: the first eficacia sentence with a figure."""
    text = practice["criteria"]["eficacia"]["evidence"] or ""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s.strip()]
    useful = [s for s in sentences if not _GENERIC_RESULT.match(s)]
    chosen = next((s for s in useful if re.search(r"\d", s)), useful[0] if useful else "")
    if len(chosen) > RESULT_CHARS:
        chosen = chosen[:RESULT_CHARS].rsplit(" ", 1)[0] + "…"
    return chosen


def lower_first(text: str) -> str:
    """Return a label to use mid-sentence: first letter lower-cased, proper names kept."""
    return text[:1].lower() + text[1:]


def _gap_name(gap: dict) -> str:
    if "group" in gap:
        return lower_first(group_label(gap["group"]))
    return _("la dimensión de %(dim)s") % {"dim": lower_first(_(DIMENSION_LABELS[gap["dimension"]]))}


def explain(
    *,
    practice: dict,
    target: dict,
    fills: list[tuple[dict, float, str]],
    origin_figures: dict,
    target_figures: dict,
    replications: list[dict],
) -> str:
    """Return the sentences that explain one advice item: the gap it fills and why it matters here, the
    origin's verdicts and results, the ledger, and what makes the two states alike."""
    main = fills[0][0]
    others = [_gap_name(g) for g, _s, _h in fills[1:3]]
    parts = [_("Cubre %(gap)s: %(why)s.") % {"gap": _gap_name(main), "why": main["why"]}]
    if others:
        parts.append(_("También atiende %(others)s.") % {"others": _(" y ").join(others)})
    origin = practice["state"]["name"]
    verdict = practice["criteria"]["replicabilidad"]["verdict"]
    quality = _("En %(origin)s cumple %(m)s de 5 criterios") % {
        "origin": origin,
        "m": practice["criteria_met"],
    }
    quality += (
        _(", replicabilidad incluida")
        if verdict == "met"
        else _("; el informe no da dato sobre su replicabilidad")
    )
    if practice["status"] == "suspended":
        quality += _("; está suspendida")
    parts.append(quality + ".")
    result = _result(practice)
    if result:
        parts.append(_("Resultados según el informe: «%(result)s»") % {"result": result.rstrip(".")} + ".")
    elif practice.get("beneficiaries"):
        parts.append(
            _("Personas beneficiarias según el informe: %(n)s.")
            % {"n": format_number(practice["beneficiaries"])}
        )
    if replications:
        states = sorted({r["state"]["name"] for r in replications})
        parts.append(_("Ya se replicó en %(states)s.") % {"states": ", ".join(states)})
    key = closest_figure(origin_figures, target_figures)
    if key:
        from buenaspracticas.web.presenters import INDICATOR_LABELS

        parts.append(
            _("Perfil parecido en %(label)s: %(a)s en %(origin)s y %(b)s en %(target)s.")
            % {
                "label": lower_first(_(INDICATOR_LABELS.get(key, key))),
                "a": format_number(origin_figures[key]["value"]),
                "origin": origin,
                "b": format_number(target_figures[key]["value"]),
                "target": target["name"],
            }
        )
    return " ".join(parts)


def rank(
    *,
    target: dict,
    gaps: list[dict],
    practices: list[dict],
    groups: dict[str, list[dict]],
    figures: dict[str, dict[str, dict]],
    replications: list[dict],
    limit: int = 10,
) -> list[dict[str, Any]]:
    """Return the advice items for a state, best first: `{"practice", "score", "fills", "explanation"}`."""
    code = target["code"]
    replicated_here = {r["origin"] for r in replications if r["state"]["code"] == code}
    ledger: dict[str, list[dict]] = {}
    for r in replications:
        ledger.setdefault(r["origin"], []).append(r)
    own = figures.get(code, {})
    items = []
    for p in practices:
        if not eligible(p, state_code=code, replicated_by_state=replicated_here):
            continue
        fills = sorted(_fills(p, gaps, groups.get(p["id"], [])), key=lambda f: -f[0]["weight"] * f[1])
        if not fills:
            continue
        # A dimension gap and a group gap resting on the same figure are one need, counted once.
        distinct, seen = [], set()
        for f in fills:
            evidence = f[0]["figure"] or f[0].get("group") or f[0].get("dimension")
            if evidence not in seen:
                seen.add(evidence)
                distinct.append(f)
        fill = sum(g["weight"] * s * 0.5**n for n, (g, s, _h) in enumerate(distinct))
        origin = p["state"]["code"]
        similarity = profile_similarity(
            figures.get(origin, {}), own, same_region=p["state"]["region"] == target["region"]
        )
        score = (
            fill
            * (0.5 + 0.25 * (p["criteria_met"] - QUALIFYING_MINIMUM))
            * REPLICABILITY_FACTOR[p["criteria"]["replicabilidad"]["verdict"]]
            * (SUSPENDED_FACTOR if p["status"] == "suspended" else 1.0)
            * (0.7 + 0.3 * similarity)
            * (1 + 0.1 * min(3, len(ledger.get(p["id"], []))))
        )
        items.append(
            {
                "practice": p,
                "score": round(score, 4),
                "fills": [
                    {"dimension": g["dimension"]} if "dimension" in g else {"group": g["group"]}
                    for g, _s, _h in fills
                ],
                "similarity": similarity,
                "explanation": explain(
                    practice=p,
                    target=target,
                    fills=distinct,
                    origin_figures=figures.get(origin, {}),
                    target_figures=own,
                    replications=ledger.get(p["id"], []),
                ),
            }
        )
    items.sort(key=lambda i: (-i["score"], i["practice"]["id"]))
    return _diversify(items)[:limit]


def _diversify(items: list[dict]) -> list[dict]:
    """Return the items re-ranked so the top of the list covers different gaps: each item already chosen
    for the same main gap lowers an item's score by a quarter."""
    chosen: list[dict] = []
    pool = list(items)
    while pool:

        def adjusted(item: dict) -> float:
            same = sum(1 for c in chosen if c["fills"][0] == item["fills"][0])
            return item["score"] * DIVERSITY_FACTOR**same

        best = max(pool, key=lambda i: (adjusted(i), -pool.index(i)))
        pool.remove(best)
        chosen.append({**best, "score": round(adjusted(best), 4)})
    return chosen
