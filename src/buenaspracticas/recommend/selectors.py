"""Reads of this feature as plain dicts: population groups and GCM objectives of practices, the replication
ledger, state profiles, gaps, advice and the coverage matrices. Each read is a fixed number of queries
(all states' figures in one), never one query per state or practice."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from buenaspracticas.catalog.models import Practice, State
from buenaspracticas.errors import NotAuthenticated, NotFound, PermissionDenied
from buenaspracticas.recommend import advice as advice_rules
from buenaspracticas.recommend import profiles as profile_rules
from buenaspracticas.recommend.models import PracticeGcm, PracticeGroup, Replication, Status
from buenaspracticas.recommend.vocabulary import GROUPS, gcm_objectives, gcm_reference
from buenaspracticas.reference import DIMENSION_LABELS, REGIONS

LIVE = (Status.SUGGESTED, Status.CONFIRMED)
STATUS_WORDS = {"suggested": "sugerido", "confirmed": "confirmado", "rejected": "rechazado"}


def _title(objective) -> str:
    return objective.title_en if (get_language() or "es").startswith("en") else objective.title_es


def gcm_titles() -> dict[int, str]:
    """Return objective number → "N. title" in the active language (the search facet's labels)."""
    return {o.number: f"{o.number}. {_title(o)}" for o in gcm_objectives()}


def gcm_objective_list() -> dict[str, Any]:
    """Return `{"count", "items", "provenance"}`: the 23 GCM objectives with both titles."""
    items = [
        {
            "number": o.number,
            "title": _title(o),
            "title_es": o.title_es,
            "title_en": o.title_en,
            "summary_es": o.summary_es,
        }
        for o in gcm_objectives()
    ]
    return {"count": len(items), "items": items, "provenance": gcm_reference()["provenance"]}


def gcm_objectives_for(*, practice_ids: list[str]) -> dict[str, list[dict]]:
    """Return, per practice id, its suggested and confirmed GCM objectives ordered by score (one query)."""
    titles = {o.number: _title(o) for o in gcm_objectives()}
    out: dict[str, list[dict]] = {pid: [] for pid in practice_ids}
    rows = (
        PracticeGcm.objects.filter(practice__public_id__in=list(practice_ids), status__in=LIVE)
        .values("practice__public_id", "number", "status", "score", "because")
        .order_by("practice__public_id", "-score", "number")
    )
    for r in rows:
        out[r["practice__public_id"]].append(
            {
                "number": r["number"],
                "title": titles[r["number"]],
                "status": r["status"],
                "score": r["score"],
                "because": r["because"],
            }
        )
    return out


def population_groups_for(
    *, practice_ids: list[str] | None = None, include_rejected: bool = False
) -> dict[str, list[dict]]:
    """Return, per practice id, its population groups (suggested and confirmed; rejected on request)."""
    rows = PracticeGroup.objects.all() if include_rejected else PracticeGroup.objects.filter(status__in=LIVE)
    if practice_ids is not None:
        rows = rows.filter(practice__public_id__in=list(practice_ids))
    out: dict[str, list[dict]] = {pid: [] for pid in practice_ids or []}
    for r in rows.values("practice__public_id", "group", "status", "score", "because", "source").order_by(
        "practice__public_id", "-score", "group"
    ):
        out.setdefault(r["practice__public_id"], []).append(
            {
                "group": r["group"],
                "label": profile_rules.group_label(r["group"]),
                "status": r["status"],
                "score": r["score"],
                "because": r["because"],
                "source": r["source"],
            }
        )
    return out


def _replication_rows(**filters) -> list[dict]:
    rows = (
        Replication.objects.filter(withdrawn_at__isnull=True, **filters)
        .select_related("origin__state", "state")
        .order_by("-started", "-pk")
    )
    return [
        {
            "id": r.pk,
            "origin": r.origin.public_id,
            "origin_title": r.origin.title,
            "origin_state": {"code": r.origin.state.code, "name": r.origin.state.name},
            "state": {"code": r.state.code, "slug": r.state.slug, "name": r.state.name},
            "kind": r.kind,
            "started": r.started.isoformat(),
            "changes": r.changes,
            "results": r.results,
        }
        for r in rows
    ]


def replications_of(*, practice_id: str) -> list[dict]:
    """Return where a practice was replicated (adopting state, when, what changed, results), newest first."""
    return _replication_rows(origin__public_id=practice_id)


def replications_by(*, state_code: str) -> list[dict]:
    """Return the practices a state recorded it adopted or adapted, newest first."""
    return _replication_rows(state__code=state_code)


def _figures_by_state() -> dict[str, dict[str, dict]]:
    """Return every state's latest-panorama figures `{code: {key: {"value", "period"}}}` in one query."""
    from buenaspracticas.panorama.models import Indicator

    rows = (
        Indicator.objects.filter(superseded_at__isnull=True)
        .values(
            "panorama__state__code",
            "panorama_id",
            "panorama__document__year",
            "key",
            "label",
            "value",
            "period",
        )
        .order_by("panorama__state__code", "order")
    )
    latest: dict[str, tuple] = {}
    for r in rows:
        rank = (r["panorama__document__year"] or 0, r["panorama_id"])
        latest[r["panorama__state__code"]] = max(latest.get(r["panorama__state__code"], rank), rank)
    out: dict[str, dict[str, dict]] = {}
    for r in rows:
        code = r["panorama__state__code"]
        if (r["panorama__document__year"] or 0, r["panorama_id"]) != latest[code]:
            continue
        figs = out.setdefault(code, {})
        if r["key"] == "causes":
            figs.setdefault("_causes", []).append({"cause": r["label"], "pct": r["value"]})
        elif not r["label"] and r["key"] not in figs:
            figs[r["key"]] = {"value": r["value"], "period": r["period"]}
    return out


def _state_refs() -> dict[str, dict]:
    return {
        s.code: {"code": s.code, "slug": s.slug, "name": s.name, "region": s.region.slug}
        for s in State.objects.select_related("region")
    }


def _context() -> dict[str, Any]:
    from buenaspracticas.catalog.selectors import practice_list_all

    practices = practice_list_all()
    figures = _figures_by_state()
    return {
        "states": _state_refs(),
        "practices": practices,
        "figures": figures,
        "pressure": profile_rules.pressures(figures),
        "groups": population_groups_for(),
        "replications": _replication_rows(),
    }


def _state_from(ctx: dict, key: str) -> dict:
    for ref in ctx["states"].values():
        if key.lower() in (ref["code"].lower(), ref["slug"]):
            return ref
    raise NotFound(f"No existe el estado «{key}».")


def _profile_and_gaps(ctx: dict, state: dict) -> tuple[dict, list[dict]]:
    code = state["code"]
    own = [p for p in ctx["practices"] if p["state"]["code"] == code]
    figures, pressure = ctx["figures"].get(code, {}), ctx["pressure"].get(code, {})
    profile = profile_rules.state_profile(
        state=state, figures=figures, pressure=pressure, practices=own, groups=ctx["groups"]
    )
    profile["replicated"] = [r["origin"] for r in ctx["replications"] if r["state"]["code"] == code]
    return profile, profile_rules.state_gaps(profile=profile, figures=figures, pressure=pressure)


def state_advice(*, key: str, limit: int = 10) -> dict[str, Any]:
    """Return `{"state", "profile", "gaps", "items"}`: what the state should adopt next and why."""
    ctx = _context()
    state = _state_from(ctx, key)
    profile, gaps = _profile_and_gaps(ctx, state)
    items = advice_rules.rank(
        target=state,
        gaps=gaps,
        practices=ctx["practices"],
        groups=ctx["groups"],
        figures=ctx["figures"],
        replications=ctx["replications"],
        limit=limit,
    )
    from buenaspracticas.catalog.selectors import with_citations, with_gcm_objectives

    # Each item carries the whole Practice JSON, its GCM objectives and the public citations of its
    # verdicts included (one query each for the list).
    items = [{**i, "practice": dict(i["practice"])} for i in items]
    with_citations(with_gcm_objectives([i["practice"] for i in items]))
    return {
        "state": state,
        "profile": profile,
        "gaps": [{k: v for k, v in g.items() if k in ("dimension", "group", "why", "weight")} for g in gaps],
        "items": [{k: v for k, v in i.items() if k != "similarity"} for i in items],
    }


def state_advice_section(*, key: str, limit: int = 5) -> dict[str, Any]:
    """Return the state page's "Prácticas para replicar" data: advice plus labels for the template."""
    data = state_advice(key=key, limit=limit)
    for gap in data["gaps"]:
        gap["label"] = (
            profile_rules.group_label(gap["group"])
            if "group" in gap
            else _(DIMENSION_LABELS[gap["dimension"]])
        )
    served = data["profile"]["groups"]
    data["served_groups"] = [
        {"label": profile_rules.group_label(c), **v}
        for c, v in served.items()
        if v["confirmed"] or v["suggested"]
    ]
    data["served_dimensions"] = [
        {"label": _(DIMENSION_LABELS[d]), "count": n} for d, n in data["profile"]["dimensions"].items() if n
    ]
    return data


def coverage_matrix() -> dict[str, Any]:
    """Return the coverage page's data: states × GCM objectives, × population groups and × dimensions,
    each cell counted by status, for the states with published practices."""
    ctx = _context()
    by_state: dict[str, list[dict]] = {}
    for p in ctx["practices"]:
        by_state.setdefault(p["state"]["code"], []).append(p)
    gcm = gcm_objectives_for(practice_ids=[p["id"] for p in ctx["practices"]])
    rows = []
    for code in sorted(by_state, key=lambda c: ctx["states"][c]["name"]):
        practices = by_state[code]
        profile, gaps = _profile_and_gaps(ctx, ctx["states"][code])
        objectives = {}
        for o in gcm_objectives():
            statuses = [x["status"] for p in practices for x in gcm[p["id"]] if x["number"] == o.number]
            objectives[o.number] = {
                "confirmed": statuses.count("confirmed"),
                "suggested": statuses.count("suggested"),
            }
        gap_keys = {g.get("dimension") or g.get("group") for g in gaps}
        groups = {g.code: {**profile["groups"][g.code], "gap": g.code in gap_keys} for g in GROUPS}
        dimensions = {d: {"count": n, "gap": d in gap_keys} for d, n in profile["dimensions"].items()}
        rows.append(
            {
                "state": ctx["states"][code],
                "practices": len(practices),
                "objectives": objectives,
                "groups": groups,
                "dimensions": dimensions,
                # the same cells as lists, in the column order of the tables
                "objective_cells": [{"number": n, **c} for n, c in objectives.items()],
                "group_cells": [{"code": c, **v} for c, v in groups.items()],
                "dimension_cells": [{"code": d, **v} for d, v in dimensions.items()],
            }
        )
    return {
        "states": rows,
        "objectives": [{"number": o.number, "title": _title(o)} for o in gcm_objectives()],
        "groups": [{"code": g.code, "label": _(g.label)} for g in GROUPS],
        "dimensions": [{"code": d, "label": _(label)} for d, label in DIMENSION_LABELS.items()],
        "regions": REGIONS,
    }


def practice_classification(*, practice_id: str) -> dict[str, Any]:
    """Return a practice's population groups and GCM objectives with every status, for curators."""
    practice = Practice.objects.select_related("state").filter(public_id=practice_id).first()
    if practice is None:
        raise NotFound(f"No existe la práctica «{practice_id}».")
    titles = {o.number: _title(o) for o in gcm_objectives()}
    gcm = [
        {
            "number": r["number"],
            "title": titles[r["number"]],
            "status": r["status"],
            "score": r["score"],
            "because": r["because"],
        }
        for r in PracticeGcm.objects.filter(practice=practice)
        .values("number", "status", "score", "because")
        .order_by("-score", "number")
    ]
    return {
        "id": practice.public_id,
        "title": practice.title,
        "state": {"code": practice.state.code, "name": practice.state.name, "slug": practice.state.slug},
        "groups": population_groups_for(practice_ids=[practice_id], include_rejected=True)[practice_id],
        "gcm_objectives": gcm,
        "vocabulary": [{"code": g.code, "label": _(g.label)} for g in GROUPS],
        "objectives": [{"number": n, "title": t} for n, t in titles.items()],
    }


def may_classify(user, state_code: str) -> bool:
    """Return whether the user may confirm or reject the groups and objectives of a practice of the state
    (services.check_can_classify passes): the page shows its confirm/reject controls only then."""
    from buenaspracticas.recommend.services import check_can_classify

    try:
        check_can_classify(user, state_code)
    except (NotAuthenticated, PermissionDenied):
        return False
    return True
