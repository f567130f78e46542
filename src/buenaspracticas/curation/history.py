"""Writes of history: every change kept (who, when, what, why), bulk writers' changes recorded, panorama
figures corrected, and earlier versions restored by the coordination. Nothing is deleted."""

from __future__ import annotations

from django.db import transaction

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import permissions, selectors
from buenaspracticas.curation.models import HistoryEntry
from buenaspracticas.errors import NotFound, ValidationError

# ---------------------------------------------------------------- history


def history_record(
    *,
    kind: str,
    practice: Practice | None = None,
    state=None,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    before: dict | None,
    after: dict | None,
    version: int | None = None,
) -> HistoryEntry:
    """Keep one change (who, when, what, why); history entries are never edited or deleted."""
    return HistoryEntry.objects.create(
        kind=kind,
        practice=practice,
        state=state or (practice.state if practice else None),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label,
        reason=reason,
        before=before,
        after=after,
        version=version,
    )


def practice_snapshot_before_write(*, state, number: int) -> dict | None:
    """Return the data of the practice numbered `number` in `state` before a bulk write (None if new)."""
    pk = Practice.objects.filter(state=state, number=number).values_list("pk", flat=True).first()
    return selectors.practice_snapshot(pk=pk) if pk else None


def practice_history_after_write(
    *, practice: Practice, before: dict | None, reason: str, actor=None, actor_label: str = ""
) -> HistoryEntry | None:
    """Record what a bulk writer (report loader, spreadsheet import) changed in a practice, comparing
    `before` (from practice_snapshot_before_write) with its data now; record nothing when equal."""
    after = selectors.practice_snapshot(pk=practice.pk)
    if after == before:
        return None
    return history_record(
        kind=HistoryEntry.Kind.PRACTICE,
        practice=practice,
        actor=actor,
        actor_label=actor_label,
        reason=reason,
        before=before,
        after=after,
        version=practice.version,
    )


@transaction.atomic
def history_restore(*, user, entry_id: int, reason: str = "") -> HistoryEntry:
    """Restore the data as it was right after a history entry (the coordination only), as a new change;
    return the new entry. Nothing is deleted: the restore is itself in the history."""
    permissions.check_is_coordinator(user, "restaurar versiones anteriores")
    entry = HistoryEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(f"No existe el cambio {entry_id} en el historial.")
    why = f"Restaurado al estado del cambio #{entry.pk}" + (f": {reason}" if reason else "")
    if entry.kind == HistoryEntry.Kind.PANORAMA and entry.after is not None:
        from buenaspracticas.panorama.models import Indicator

        before = _indicator_values(entry.state)
        for key, value in entry.after.items():
            doc, k, label = key.split("|", 2)
            Indicator.objects.filter(
                panorama__state=entry.state, panorama__document__slug=doc, key=k, label=label
            ).update(value=value)
        return history_record(
            kind=HistoryEntry.Kind.PANORAMA,
            state=entry.state,
            actor=user,
            reason=why,
            before=before,
            after=_indicator_values(entry.state),
        )
    if entry.kind not in (HistoryEntry.Kind.PRACTICE, HistoryEntry.Kind.ASSESSMENT) or entry.after is None:
        raise ValidationError(
            "Este cambio no guarda datos de la ficha que puedan restaurarse.", field="entry"
        )
    practice = Practice.objects.select_for_update().get(pk=entry.practice_id)
    before = selectors.practice_snapshot(pk=practice.pk)
    practice, _ = catalog_services.practice_update(
        practice_id=practice.pk, data=entry.after, expected_version=None
    )
    return history_record(
        kind=HistoryEntry.Kind.PRACTICE,
        practice=practice,
        actor=user,
        reason=why,
        before=before,
        after=selectors.practice_snapshot(pk=practice.pk),
        version=practice.version,
    )


# ---------------------------------------------------------------- panorama figures


def _indicator_values(state) -> dict:
    from buenaspracticas.panorama.models import Indicator

    # Keyed by document too: two reports may give the same figure for a state.
    rows = Indicator.objects.filter(panorama__state=state, superseded_at__isnull=True).select_related(
        "panorama__document"
    )
    return {f"{i.panorama.document.slug}|{i.key}|{i.label}": i.value for i in rows.order_by("pk")}


@transaction.atomic
def indicator_update(*, user, indicator_id: int, value: float, reason: str) -> HistoryEntry:
    """Correct one panorama figure of a state (its office or the coordination), keeping the old value in
    the history; a reason is required. Return the history entry."""
    from buenaspracticas.panorama.models import Indicator

    ind = (
        Indicator.objects.select_for_update()
        .select_related("panorama__state", "panorama__document")
        .filter(pk=indicator_id)
        .first()
    )
    if ind is None:
        raise NotFound(f"No existe la cifra {indicator_id}.")
    state = ind.panorama.state
    permissions.check_can_edit_state(user, state.code)
    if not (reason or "").strip():
        raise ValidationError("Explique por qué cambia la cifra (fuente o corrección).", field="reason")
    key = f"{ind.panorama.document.slug}|{ind.key}|{ind.label}"
    before = {key: ind.value}
    ind.value = float(value)
    ind.save(update_fields=["value"])
    return history_record(
        kind=HistoryEntry.Kind.PANORAMA,
        state=state,
        actor=user,
        reason=reason.strip(),
        before=before,
        after={key: ind.value},
    )


def panorama_history_after_write(
    *, state, before: dict, reason: str, actor=None, actor_label: str = ""
) -> HistoryEntry | None:
    """Record what a bulk writer (report loader, spreadsheet import) changed in a state's figures,
    comparing `before` (from indicator_values) with the figures now; record nothing when equal."""
    after = _indicator_values(state)
    if after == before:
        return None
    return history_record(
        kind=HistoryEntry.Kind.PANORAMA,
        state=state,
        actor=actor,
        actor_label=actor_label,
        reason=reason,
        before=before or None,
        after=after,
    )


def indicator_values(*, state) -> dict:
    """Return a state's current figures as {"document|key|label": value} (for history snapshots)."""
    return _indicator_values(state)
