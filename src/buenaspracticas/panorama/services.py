"""Writes to state panoramas: figures updated in place, figures no longer given marked superseded."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from buenaspracticas.catalog.models import SourceDocument, State
from buenaspracticas.catalog.services import set_fields
from buenaspracticas.panorama.models import Indicator, Panorama, QualityFlag


@transaction.atomic
def panorama_upsert(
    *,
    state: State,
    document: SourceDocument,
    first_line: int | None,
    last_line: int | None,
    indicators: list[dict],
    quality_flags: list[dict],
    table: int | None | object = ...,
) -> tuple[Panorama, str]:
    """Write a state's panorama from one document; return it and 'created' | 'updated' | 'unchanged'.

    `indicators` are dicts with key, label, value, unit, period, source, note, line; `quality_flags` dicts
    with kind, indicators, message, first_line, last_line; `table` (the document's table number, None for
    none) is kept as stored when not given.
    """
    place = {"first_line": first_line, "last_line": last_line}
    if table is not ...:
        place["table"] = table
    panorama, created = Panorama.objects.get_or_create(state=state, document=document, defaults=place)
    changed = set_fields(panorama, place)
    if changed:
        panorama.save()
    now = timezone.now()
    existing = {(i.key, i.label): i for i in panorama.indicators.all()}
    seen = set()
    for order, item in enumerate(indicators):
        ident = (item["key"], item.get("label", ""))
        if ident in seen:
            continue
        seen.add(ident)
        values = {
            "value": float(item["value"]),
            "unit": item["unit"],
            "period": item.get("period", ""),
            "source": item.get("source", ""),
            "note": item.get("note", ""),
            "line": item.get("line"),
            "order": order,
            "superseded_at": None,
        }
        ind = existing.get(ident)
        if ind is None:
            Indicator.objects.create(panorama=panorama, key=ident[0], label=ident[1], **values)
            changed = True
        elif set_fields(ind, values):
            ind.save()
            changed = True
    for ident, ind in existing.items():
        if ident not in seen and ind.superseded_at is None:
            ind.superseded_at = now
            ind.save(update_fields=["superseded_at"])
            changed = True
    current = {(f.kind, f.message): f for f in panorama.quality_flags.filter(superseded_at__isnull=True)}
    wanted = {(f["kind"], f["message"]): f for f in quality_flags}
    for ident, flag in wanted.items():
        if ident not in current:
            QualityFlag.objects.create(
                panorama=panorama,
                kind=flag["kind"],
                indicators=list(flag["indicators"]),
                message=flag["message"],
                first_line=flag.get("first_line"),
                last_line=flag.get("last_line"),
            )
            changed = True
        elif set_fields(
            current[ident],
            {
                "indicators": list(flag["indicators"]),
                "first_line": flag.get("first_line"),
                "last_line": flag.get("last_line"),
            },
        ):
            current[ident].save()
            changed = True
    for ident, flag in current.items():
        if ident not in wanted:
            flag.superseded_at = now
            flag.save(update_fields=["superseded_at"])
            changed = True
    return panorama, "created" if created else ("updated" if changed else "unchanged")
