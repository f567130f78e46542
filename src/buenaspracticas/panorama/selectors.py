"""Reads of state panoramas as JSON-ready dicts."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from buenaspracticas.catalog.models import State
from buenaspracticas.ingest.panorama_keys import panorama_dict
from buenaspracticas.panorama.models import Panorama

_EMPTY = {"panorama": None, "indicators": [], "quality_flags": [], "source": None}


def panorama_for_state(*, state: State) -> dict[str, Any]:
    """Return the state's latest panorama: the DESIGN.md dict, the full indicator list, quality flags and
    source; every value None/empty when no document covers the state."""
    return panoramas_for_states(states=[state])[state.pk]


def panoramas_for_states(*, states: list[State]) -> dict[int, dict[str, Any]]:
    """Return state pk → its latest panorama (as `panorama_for_state`), for many states in three queries."""
    from django.db.models import Prefetch

    from buenaspracticas.panorama.models import Indicator, QualityFlag

    latest: dict[int, Panorama] = {}
    rows = (
        Panorama.objects.filter(state__in=[s.pk for s in states])
        .select_related("document")
        .order_by("state_id", "-document__year", "-id")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.filter(superseded_at__isnull=True).order_by("order"),
                to_attr="current_indicators",
            ),
            Prefetch(
                "quality_flags",
                queryset=QualityFlag.objects.filter(superseded_at__isnull=True),
                to_attr="current_flags",
            ),
        )
    )
    for panorama in rows:
        latest.setdefault(panorama.state_id, panorama)
    return {s.pk: _panorama_json(latest[s.pk]) if s.pk in latest else dict(_EMPTY) for s in states}


def _panorama_json(panorama: Panorama) -> dict[str, Any]:
    indicators = panorama.current_indicators
    values = [SimpleNamespace(key=i.key, label=i.label, value=_number(i.value)) for i in indicators]
    return {
        "panorama": panorama_dict(values),
        "indicators": [
            {
                "key": i.key,
                "label": i.label,
                "value": _number(i.value),
                "unit": i.unit,
                "period": i.period,
                "source": i.source,
                "note": i.note,
                "line": i.line,
            }
            for i in indicators
        ],
        "quality_flags": [
            {
                "kind": f.kind,
                "indicators": f.indicators,
                "message": f.message,
                "first_line": f.first_line,
                "last_line": f.last_line,
            }
            for f in panorama.current_flags
        ],
        "source": {
            "document": panorama.document.slug,
            "first_line": panorama.first_line,
            "last_line": panorama.last_line,
            "table": panorama.table,
        },
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
