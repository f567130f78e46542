"""Writes of this feature, one service per write: permission first (401/403 before any validation), then
validation, the write and its history entry (curation.models.HistoryEntry, before/after snapshots)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from buenaspracticas.catalog.models import Practice, State
from buenaspracticas.curation import permissions
from buenaspracticas.curation.history import history_record
from buenaspracticas.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from buenaspracticas.recommend import suggest
from buenaspracticas.recommend.models import PracticeGcm, PracticeGroup, Replication, Status
from buenaspracticas.recommend.vocabulary import GROUPS_BY_CODE
from buenaspracticas.search.indexer import search_index_update

KIND_GROUP, KIND_GCM, KIND_REPLICATION = "population_group", "gcm", "replication"
CURATOR_STATUSES = (Status.CONFIRMED, Status.REJECTED)


def _require_login(user) -> None:
    if user is not None and not getattr(user, "is_authenticated", False):
        raise NotAuthenticated("Inicie sesión (o envíe «Authorization: Bearer …») para clasificar prácticas.")


def _practice(practice_id: str) -> Practice:
    practice = Practice.objects.select_related("state").filter(public_id=practice_id).first()
    if practice is None:
        raise NotFound(f"No existe la práctica «{practice_id}».")
    return practice


def check_can_classify(user, state_code: str) -> None:
    """Raise unless the user may confirm or reject a practice's groups and objectives: evaluators, the
    coordination, or the editor of the practice's state."""
    _require_login(user)
    role = permissions.role_of(user)
    if role in (permissions.SYSTEM, permissions.EVALUATOR, permissions.COORDINATOR):
        return
    if role == permissions.EDITOR and permissions.state_code_of(user) == state_code:
        return
    raise PermissionDenied(
        f"Solo quienes evalúan, la coordinación o la oficina de {state_code} pueden clasificar esta ficha; "
        f"su rol es «{role}»."
    )


def _status(value) -> str:
    if value not in CURATOR_STATUSES:
        raise ValidationError(f"Estado «{value}» no válido: use «confirmed» o «rejected».", field="status")
    return value


def _group_snapshot(row: PracticeGroup | None) -> dict | None:
    return (
        None
        if row is None
        else {
            "group": row.group,
            "status": row.status,
            "score": row.score,
            "because": row.because,
            "source": row.source,
        }
    )


@transaction.atomic
def population_group_set(
    *, user, practice_id: str, group: str, status: str, because: str = "", reason: str = ""
) -> dict:
    """Confirm, reject or add a population group of a practice; return the group's new data."""
    _require_login(user)
    practice = _practice(practice_id)
    check_can_classify(user, practice.state.code)
    if group not in GROUPS_BY_CODE:
        raise ValidationError(
            f"Grupo «{group}» desconocido (válidos: {', '.join(GROUPS_BY_CODE)}).", field="group"
        )
    status = _status(status)
    row = PracticeGroup.objects.select_for_update().filter(practice=practice, group=group).first()
    before = _group_snapshot(row)
    if row is None:
        row = PracticeGroup(
            practice=practice, group=group, source="curator", score=1.0, because=because.strip()
        )
    elif because.strip():
        row.because = because.strip()
    row.status, row.updated_by = status, user if getattr(user, "pk", None) else None
    row.save()
    after = _group_snapshot(row)
    history_record(
        kind=KIND_GROUP,
        practice=practice,
        actor=user,
        reason=reason,
        before=before,
        after=after,
        version=practice.version,
    )
    return after


def _gcm_snapshot(row: PracticeGcm | None) -> dict | None:
    return (
        None
        if row is None
        else {"number": row.number, "status": row.status, "score": row.score, "because": row.because}
    )


@transaction.atomic
def gcm_set(*, user, practice_id: str, number, status: str, reason: str = "") -> dict:
    """Confirm or reject (or add, confirmed) a GCM objective of a practice; return its new data."""
    _require_login(user)
    practice = _practice(practice_id)
    check_can_classify(user, practice.state.code)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 23:
        raise ValidationError("El objetivo del Pacto Mundial es un número del 1 al 23.", field="number")
    status = _status(status)
    row = PracticeGcm.objects.select_for_update().filter(practice=practice, number=number).first()
    before = _gcm_snapshot(row)
    if row is None:
        row = PracticeGcm(practice=practice, number=number, score=1.0)
    row.status, row.updated_by = status, user if getattr(user, "pk", None) else None
    row.save()
    search_index_update([practice.pk])  # the `gcm` facet counts what is suggested or confirmed
    after = _gcm_snapshot(row)
    history_record(
        kind=KIND_GCM,
        practice=practice,
        actor=user,
        reason=reason,
        before=before,
        after=after,
        version=practice.version,
    )
    return after


def _replication_snapshot(row: Replication | None) -> dict | None:
    if row is None:
        return None
    return {
        "id": row.pk,
        "origin": row.origin.public_id,
        "state": row.state.code,
        "kind": row.kind,
        "started": row.started.isoformat(),
        "changes": row.changes,
        "results": row.results,
        "withdrawn": row.withdrawn_at is not None,
    }


@transaction.atomic
def replication_record(*, user, origin_id: str, state_code: str | None, data: dict) -> dict:
    """Record that a state adopted or adapted another state's practice (the adopting state's editor or the
    coordination); `data` holds kind, started (YYYY-MM-DD), changes and results. Return the record."""
    _require_login(user)
    code = state_code or permissions.state_code_of(user) or ""
    permissions.check_can_edit_state(user, code or "?")
    if not code:
        raise ValidationError("Indique el estado que replicó la práctica («state»).", field="state")
    state = State.objects.filter(code=code).first()
    if state is None:
        raise ValidationError(f"Estado «{code}» desconocido: use su clave ISO (MX-OAX).", field="state")
    origin = _practice(origin_id)
    if origin.state_id == state.pk:
        raise ValidationError("Una práctica no se replica en su propio estado.", field="origin")
    kind = data.get("kind") or Replication.Kind.ADAPTED
    if kind not in Replication.Kind.values:
        raise ValidationError(f"Tipo «{kind}» no válido: use «adopted» o «adapted».", field="kind")
    try:
        started = dt.date.fromisoformat(str(data.get("started") or ""))
    except ValueError:
        raise ValidationError("Indique cuándo empezó, con fecha AAAA-MM-DD.", field="started") from None
    if started > timezone.localdate():
        raise ValidationError("La fecha de inicio no puede estar en el futuro.", field="started")
    row = Replication.objects.create(
        origin=origin,
        state=state,
        kind=kind,
        started=started,
        changes=str(data.get("changes") or "").strip(),
        results=str(data.get("results") or "").strip(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    after = _replication_snapshot(row)
    history_record(
        kind=KIND_REPLICATION,
        practice=origin,
        state=state,
        actor=user,
        reason=data.get("reason", ""),
        before=None,
        after=after,
    )
    return after


@transaction.atomic
def replication_withdraw(*, user, replication_id: int, reason: str = "") -> dict:
    """Withdraw a replication recorded by mistake (kept in the history, never deleted); return it."""
    _require_login(user)
    row = (
        Replication.objects.select_for_update()
        .select_related("origin", "state")
        .filter(pk=replication_id)
        .first()
    )
    if row is None:
        raise NotFound(f"No existe la replicación {replication_id}.")
    permissions.check_can_edit_state(user, row.state.code)
    before = _replication_snapshot(row)
    row.withdrawn_at = timezone.now()
    row.save(update_fields=["withdrawn_at", "updated_at"])
    after = _replication_snapshot(row)
    history_record(
        kind=KIND_REPLICATION,
        practice=row.origin,
        state=row.state,
        actor=user,
        reason=reason,
        before=before,
        after=after,
    )
    return after


def suggestions_refresh(*, practice_ids: list[str] | None = None, embedder=None) -> dict[str, int]:
    """Suggest population groups and GCM objectives for the given practices (all when None) from their
    text; curators' decisions (confirmed, rejected) are kept. Return counts of suggestions written."""
    from buenaspracticas.catalog.selectors import practice_to_json
    from buenaspracticas.search.semantic import get_embedder

    embedder = embedder if embedder is not None else get_embedder()
    # The suggester's floors were calibrated on e5's similarities (gcm_tuning.json): an ensemble lends its e5.
    embedder = getattr(embedder, "primary", embedder)
    queryset = Practice.objects.select_related(
        "state__region", "institution", "source_document"
    ).prefetch_related("practicedimension_set__dimension", "assessments__criterion")
    if practice_ids is not None:
        queryset = queryset.filter(public_id__in=list(practice_ids))
    practices = list(queryset)
    groups_new, gcm_new = [], []
    for practice in practices:
        data = practice_to_json(practice)
        for s in suggest.suggest_groups(data, embedder=embedder):
            groups_new.append(
                PracticeGroup(
                    practice=practice, group=s.key, score=s.score, because=s.because, source=s.source
                )
            )
        for s in suggest.suggest_gcm(data, embedder=embedder):
            gcm_new.append(PracticeGcm(practice=practice, number=s.key, score=s.score, because=s.because))
    pks = [p.pk for p in practices]
    with transaction.atomic():
        curated_groups = set(
            PracticeGroup.objects.filter(practice_id__in=pks)
            .exclude(status=Status.SUGGESTED)
            .values_list("practice_id", "group")
        )
        curated_gcm = set(
            PracticeGcm.objects.filter(practice_id__in=pks)
            .exclude(status=Status.SUGGESTED)
            .values_list("practice_id", "number")
        )
        # Machine suggestions are replaced wholesale; curated rows are the record and stay.
        PracticeGroup.objects.filter(practice_id__in=pks, status=Status.SUGGESTED).delete()
        PracticeGcm.objects.filter(practice_id__in=pks, status=Status.SUGGESTED).delete()
        groups_new = [g for g in groups_new if (g.practice_id, g.group) not in curated_groups]
        gcm_new = [g for g in gcm_new if (g.practice_id, g.number) not in curated_gcm]
        PracticeGroup.objects.bulk_create(groups_new)
        PracticeGcm.objects.bulk_create(gcm_new)
        search_index_update(pks, embedder=None)  # the `gcm` facet; the texts did not change
    return {"practices": len(practices), "groups": len(groups_new), "gcm": len(gcm_new)}
