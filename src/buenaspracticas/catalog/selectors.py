"""Reads of the catalogue, returned as plain JSON-ready dicts (DESIGN.md §4) so pages and the API share
them and templates never receive ORM objects."""

from __future__ import annotations

import copy
import threading
from collections import Counter, OrderedDict, defaultdict
from typing import Any

from django.db.models import Prefetch

from buenaspracticas.catalog.filters import FACET_ATTRIBUTES, FACETS, PracticeFilters
from buenaspracticas.catalog.models import Assessment, Practice, PracticeDimension, Region, State
from buenaspracticas.data_version import current as data_version
from buenaspracticas.errors import NotFound
from buenaspracticas.reference import (
    CRITERIA,
    CRITERIA_LABELS,
    DIMENSION_LABELS,
    QUALIFYING_MINIMUM,
    REGIONS,
    STATES_BY_CODE,
)

PUBLIC_STATES = (Practice.Workflow.PUBLISHED,)


def _practice_queryset():
    return (
        Practice.objects.filter(workflow_state__in=PUBLIC_STATES)
        .select_related("state__region", "institution", "source_document")
        .prefetch_related(
            Prefetch("practicedimension_set", queryset=PracticeDimension.objects.select_related("dimension")),
            Prefetch("assessments", queryset=Assessment.objects.select_related("criterion")),
        )
    )


def state_json_ref(state: State) -> dict[str, str]:
    """Return the short state reference embedded in a practice."""
    return {"code": state.code, "slug": state.slug, "name": state.name, "region": state.region.slug}


def practice_to_json(practice: Practice) -> dict[str, Any]:
    """Return one practice in DESIGN.md's Practice JSON shape (from a prefetched practice)."""
    assessments = {a.criterion.code: a for a in practice.assessments.all()}
    criteria = {
        code: {
            "verdict": assessments[code].verdict if code in assessments else "unknown",
            "evidence": assessments[code].evidence if code in assessments else "",
        }
        for code in CRITERIA
    }
    met = sum(1 for c in criteria.values() if c["verdict"] == "met")
    doc = practice.source_document
    return {
        "id": practice.public_id,
        "state": state_json_ref(practice.state),
        "number": practice.number,
        "title": practice.title,
        "institution": practice.institution.name if practice.institution else "",
        "dimensions": [pd.dimension.code for pd in practice.practicedimension_set.all()],
        "target_population": practice.target_population,
        "description": practice.description,
        "criteria": criteria,
        "criteria_met": met,
        "qualifies": met >= QUALIFYING_MINIMUM,
        "beneficiaries": practice.beneficiaries,
        "status": practice.status,
        "source": {
            "document": doc.slug,
            "first_line": practice.source_first_line,
            "last_line": practice.source_last_line,
            "table": practice.source_table,
        }
        if doc
        else None,
    }


def with_gcm_objectives(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add to each Practice JSON its `gcm_objectives` (suggested and confirmed, by score; one query)."""
    from buenaspracticas.recommend.selectors import gcm_objectives_for

    found = gcm_objectives_for(practice_ids=[p["id"] for p in items]) if items else {}
    for item in items:
        item["gcm_objectives"] = found.get(item["id"], [])
    return items


def with_citations(items: list[dict[str, Any]], *, user=None) -> list[dict[str, Any]]:
    """Add `criteria[c].citations` to each Practice JSON as `user` may read them (None: the public)."""
    from buenaspracticas.evidence.citations import with_citations as add

    return add(items, user=user)


def practice_get(*, practice_id: str, user=None) -> dict[str, Any]:
    """Return a published practice by its public id, its citations as `user` may read them (None: the
    public); raise NotFound."""
    practice = _practice_queryset().filter(public_id=practice_id).first()
    if practice is None:
        raise NotFound(f"No existe la práctica «{practice_id}».")
    return with_citations(with_gcm_objectives([practice_to_json(practice)]), user=user)[0]


def practices_by_ids(*, practice_ids: list[str]) -> list[dict[str, Any]]:
    """Return the published practices with these public ids, in this order, in a bounded set of queries."""
    by_id = {p.public_id: p for p in _practice_queryset().filter(public_id__in=list(practice_ids))}
    return with_citations(
        with_gcm_objectives([practice_to_json(by_id[i]) for i in practice_ids if i in by_id])
    )


def catalog_is_empty() -> bool:
    """Return whether no practice is stored at all, in any workflow state (a new database)."""
    return not Practice.objects.exists()


def practice_list_all() -> list[dict[str, Any]]:
    """Return every published practice, ordered by state and number."""
    return [practice_to_json(p) for p in _practice_queryset().order_by("state__name", "number")]


def _facet_label(facet: str, value: str) -> str:
    if facet == "state":
        return STATES_BY_CODE[value].name if value in STATES_BY_CODE else value
    if facet == "region":
        return REGIONS.get(value, value)
    if facet == "dimension":
        return DIMENSION_LABELS.get(value, value)
    if facet == "criterion":
        return CRITERIA_LABELS.get(value, value)
    if facet == "qualifies":
        return "Buena práctica (≥3 de 5)" if value == "true" else "Menos de 3 criterios"
    if facet == "status":
        return "Vigente" if value == "active" else "Suspendida"
    if facet == "gcm":
        from buenaspracticas.recommend.selectors import gcm_titles

        return gcm_titles().get(int(value), value)
    return value


def _selected(f: PracticeFilters, facet: str) -> set[str]:
    value = getattr(f, FACET_ATTRIBUTES[facet])
    if facet == "qualifies":
        return set() if value is None else {"true" if value else "false"}
    return set(value)


def _facets_json(filters: PracticeFilters, raw: dict[str, dict[str, int]]) -> dict[str, list[dict]]:
    facets: dict[str, list[dict]] = {}
    for facet in FACETS:
        counts = raw.get(facet, {})
        chosen = _selected(filters, facet)
        values = sorted(set(counts) | chosen, key=lambda v: (-counts.get(v, 0), _facet_label(facet, v)))
        if facet in ("criterion", "dimension"):
            order = list(CRITERIA) if facet == "criterion" else list(DIMENSION_LABELS)
            values = sorted(values, key=lambda v: order.index(v) if v in order else 99)
        elif facet == "gcm":
            values = sorted(values, key=int)
        facets[facet] = [
            {"value": v, "label": _facet_label(facet, v), "count": counts.get(v, 0), "selected": v in chosen}
            for v in values
        ]
    return facets


# A page of results is built from a copy of each practice's public JSON kept by this process under the data
# version of the request (buenaspracticas.data_version, known when the response cache computed it): the same
# key the response cache keeps whole pages under, so nothing is older than what that cache may serve. A
# search computed afresh (another query, another worker) then reads no practice rows it already turned into
# JSON (a page of 20 costs about 420 ORM objects otherwise). Without a version (signed-in readers, a write in
# the last second, tests inside transactions) every page reads the database.
_ITEMS: OrderedDict[int, dict[str, Any]] = OrderedDict()
_ITEMS_VERSION: list = [None]
_ITEMS_MAX = 2_000
_ITEMS_LOCK = threading.Lock()


def _items_read(practice_ids: list[int]) -> dict[int, dict[str, Any]]:
    by_pk = {p.pk: p for p in _practice_queryset().filter(pk__in=practice_ids)}
    pks = [pk for pk in practice_ids if pk in by_pk]
    items = with_citations(with_gcm_objectives([practice_to_json(by_pk[pk]) for pk in pks]))
    return dict(zip(pks, items, strict=True))


def _page_items(practice_ids: list[int]) -> list[dict[str, Any]]:
    """Return the public Practice JSON of these practices, in this order (one bounded set of queries for those
    not kept under the request's data version)."""
    version = data_version.get()
    if version is None:
        found = _items_read(practice_ids)
        return [found[pk] for pk in practice_ids if pk in found]
    with _ITEMS_LOCK:
        if _ITEMS_VERSION[0] != version:
            _ITEMS.clear()
            _ITEMS_VERSION[0] = version
        found = {pk: _ITEMS[pk] for pk in practice_ids if pk in _ITEMS}
    missing = [pk for pk in practice_ids if pk not in found]
    if missing:
        read = _items_read(missing)
        found.update(read)
        with _ITEMS_LOCK:
            if _ITEMS_VERSION[0] == version:
                _ITEMS.update(read)
                while len(_ITEMS) > _ITEMS_MAX:
                    _ITEMS.popitem(last=False)
    return [copy.deepcopy(found[pk]) for pk in practice_ids if pk in found]


def practice_search(*, filters: PracticeFilters, limit: int | None = 20, offset: int = 0) -> dict[str, Any]:
    """Return `{"count", "items", "facets", "matches", "suggestion", "nearest"}` for the published practices
    the filters select, ranked by the search backend when there is a query; the database computes the page,
    the exact count and every facet (each under the other filters). `nearest`: when a query matches nothing,
    the practices closest to it by meaning (not matches, not counted)."""
    from buenaspracticas.search.backends import get_backend
    from buenaspracticas.search.facets import count_and_facets, where
    from buenaspracticas.search.models import SearchRow

    backend = get_backend()
    hits: dict[str, dict] = {}
    suggestion = ""  # the corrected query ("¿Quiso decir …?") when a word of the query was corrected
    nearest: list[int] = []  # nothing matched: the closest practices by meaning, apart and uncounted
    if filters.q:
        page = backend.page(filters, limit=limit, offset=offset)
        count, raw, ids = page.count, page.facets, [pk for pk, _ in page.hits]
        suggestion = page.suggestion
        nearest = [pk for pk, _ in page.nearest] if offset == 0 else []
        hits = {h.practice_id: {"score": h.score, "highlights": {}, "how": h.how} for _, h in page.hits}
    else:
        backend.refresh()
        count, raw = count_and_facets(filters, match=None)
        condition, params = where(filters, alias="search_searchrow")
        rows = SearchRow.objects.extra(where=[condition], params=params).order_by("state_name", "number")
        rows = rows[offset : offset + limit] if limit is not None else rows[offset:]
        ids = list(rows.values_list("practice_id", flat=True))
    items = _page_items(ids)
    if filters.q:
        from buenaspracticas.search.index import page_highlights

        # Snippets only for the page shown (highlighting is the costly part), the query parsed once.
        for pid, snippets in page_highlights(items, suggestion or filters.q).items():
            hits[pid]["highlights"] = snippets
    return {
        "count": count,
        "items": items,
        "facets": _facets_json(filters, raw),
        "matches": {p["id"]: hits[p["id"]] for p in items if p["id"] in hits},
        "suggestion": suggestion,
        "nearest": _page_items(nearest) if nearest else [],
    }


def states_json(states: list[State]) -> list[dict[str, Any]]:
    """Return these states in State JSON shape, in their order, with a bounded number of queries (their
    published practices in one, their panoramas in three), whatever their number."""
    from buenaspracticas.panorama.selectors import panoramas_for_states

    practices: dict[int, list[str]] = {s.pk: [] for s in states}
    rows = (
        Practice.objects.filter(state__in=list(practices), workflow_state__in=PUBLIC_STATES)
        .order_by("number")
        .values_list("state_id", "public_id")
    )
    for state_id, public_id in rows:
        practices[state_id].append(public_id)
    panoramas = panoramas_for_states(states=states)
    return [
        {
            "code": s.code,
            "slug": s.slug,
            "name": s.name,
            "region": s.region.slug,
            "practices": practices[s.pk],
            **{k: panoramas[s.pk][k] for k in ("panorama", "indicators", "quality_flags", "source")},
        }
        for s in states
    ]


def state_list() -> list[dict[str, Any]]:
    """Return all 32 states in State JSON shape (panorama None where no report covers the state)."""
    return states_json(list(State.objects.select_related("region").order_by("name")))


def state_get(*, key: str) -> dict[str, Any]:
    """Return one state (ISO code or slug) in State JSON shape with its panorama and practices."""
    state = (
        State.objects.select_related("region").filter(code__iexact=key).first()
        or State.objects.select_related("region").filter(slug__iexact=key).first()
    )
    if state is None:
        raise NotFound(f"No existe el estado «{key}».")
    return states_json([state])[0]


def region_list() -> list[dict[str, Any]]:
    """Return the four regions with their states' codes."""
    out = []
    for region in Region.objects.prefetch_related("states").order_by("order"):
        out.append(
            {
                "slug": region.slug,
                "name": region.name,
                "states": [s.code for s in region.states.all().order_by("name")],
            }
        )
    return out


def catalog_overview() -> dict[str, Any]:
    """Return the headline counts of the catalogue and the states × dimensions coverage (SQL aggregates)."""
    from django.db.models import Count, Q

    from buenaspracticas.reference import DIMENSIONS
    from buenaspracticas.search.backends import get_backend
    from buenaspracticas.search.models import SearchRow

    get_backend(embedder=False).refresh()
    rows = SearchRow.objects.all()
    totals = rows.aggregate(n=Count("pk"), qualifying=Count("pk", filter=Q(qualifies=True)))
    per_state = Counter(dict(rows.values_list("state_code").annotate(n=Count("pk")).order_by()))
    coverage: dict[str, Counter] = defaultdict(Counter)
    grouped = rows.values_list("state_code", "dimension_mask").annotate(n=Count("pk")).order_by()
    for code, mask, n in grouped:  # bounded: 32 states × 64 dimension combinations at most
        for bit, dimension in enumerate(DIMENSIONS):
            if mask & (1 << bit):
                coverage[code][dimension] += n
    states = {
        s.code: state_json_ref(s) for s in State.objects.select_related("region").filter(code__in=per_state)
    }
    return {
        "practices": totals["n"],
        "qualifying": totals["qualifying"],
        "verdicts": totals["n"] * len(CRITERIA),
        "states_with_practices": len(states),
        "per_state": per_state,
        "coverage": {code: dict(counter) for code, counter in coverage.items()},
        "states": states,
        "latest": practice_latest(limit=5),
    }


def practice_latest(*, limit: int = 5) -> list[dict[str, Any]]:
    """Return the most recently changed published practices: id, title, state name and when."""
    rows = (
        Practice.objects.filter(workflow_state__in=PUBLIC_STATES)
        .select_related("state")
        .order_by("-updated_at", "public_id")[:limit]
    )
    return [
        {"id": p.public_id, "title": p.title, "state": p.state.name, "updated_at": p.updated_at} for p in rows
    ]


# Figures the region page sets side by side: summed over the region's states (counts), or shown per state.
REGION_SUMMED = (
    "total_population",
    "emigrants_2015_2020",
    "foreign_born",
    "entries_total",
    "entries_air",
    "entries_sea",
    "entries_land",
    "temporary_resident_cards",
    "permanent_resident_cards",
    "presented_to_authority",
    "deported",
    "assisted_return",
)


def region_get(*, slug: str) -> dict[str, Any]:
    """Return one region: its states (State JSON), per-state figures side by side and their sums, and the
    practices of its states; raise NotFound."""
    region = Region.objects.filter(slug__iexact=slug).first()
    if region is None:
        raise NotFound(f"No existe la región «{slug}».")
    return _region_json(region, states_json(list(region.states.select_related("region").order_by("name"))))


def _region_json(region: Region, states: list[dict[str, Any]]) -> dict[str, Any]:
    covered = [s for s in states if s["panorama"]]
    figures = []
    for key in REGION_SUMMED:
        values = {s["code"]: s["panorama"].get(key) for s in covered}
        known = [v for v in values.values() if isinstance(v, (int, float))]
        if known:
            figures.append(
                {"key": key, "values": values, "total": sum(known), "states_with_value": len(known)}
            )
    return {
        "slug": region.slug,
        "name": region.name,
        "states": states,
        "covered": [s["code"] for s in covered],
        "figures": figures,
        "practices": [pid for s in states for pid in s["practices"]],
    }


def regions_compare() -> list[dict[str, Any]]:
    """Return the four regions with the summed figures of their covered states, side by side."""
    everything = states_json(list(State.objects.select_related("region").order_by("name")))
    return [
        _region_json(r, [s for s in everything if s["region"] == r.slug])
        for r in Region.objects.order_by("order")
    ]


def practice_similar(
    *, practice_id: str, state_code: str | None = None, limit: int = 4
) -> list[dict[str, Any]]:
    """Return published practices of other states most like this one (Practice JSON), most similar first
    (`state_code`: the practice's state, when the caller has it)."""
    from buenaspracticas.search.similar import similar_ids

    if state_code is None:
        state_code = (
            _practice_queryset().filter(public_id=practice_id).values_list("state__code", flat=True).first()
        )
    if state_code is None:
        raise NotFound(f"No existe la práctica «{practice_id}».")
    ids = similar_ids(practice_id, exclude_state=state_code, limit=limit)
    by_id = {p.public_id: p for p in _practice_queryset().filter(public_id__in=ids)}
    return [practice_to_json(by_id[pid]) for pid in ids if pid in by_id]
