"""Reads of state panoramas as JSON-ready dicts."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from buenaspracticas.catalog.models import State
from buenaspracticas.ingest.panorama_keys import panorama_dict
from buenaspracticas.panorama.models import Panorama


def panorama_for_state(*, state: State) -> dict[str, Any]:
    """Return the state's latest panorama: the DESIGN.md dict, the full indicator list, quality flags and
    source; every value None/empty when no document covers the state."""
    panorama = (Panorama.objects.filter(state=state).select_related("document").order_by("-document__year", "-id")
                .first())
    if panorama is None:
        return {"panorama": None, "indicators": [], "quality_flags": [], "source": None}
    indicators = list(panorama.indicators.filter(superseded_at__isnull=True).order_by("order"))
    values = [SimpleNamespace(key=i.key, label=i.label, value=_number(i.value)) for i in indicators]
    return {
        "panorama": panorama_dict(values),
        "indicators": [
            {"key": i.key, "label": i.label, "value": _number(i.value), "unit": i.unit, "period": i.period,
             "source": i.source, "note": i.note, "line": i.line}
            for i in indicators
        ],
        "quality_flags": [
            {"kind": f.kind, "indicators": f.indicators, "message": f.message, "first_line": f.first_line,
             "last_line": f.last_line}
            for f in panorama.quality_flags.filter(superseded_at__isnull=True)
        ],
        "source": {"document": panorama.document.slug, "first_line": panorama.first_line,
                   "last_line": panorama.last_line},
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
