"""Writes to the catalogue. Every front door (loader, API, pages, CLI) changes practices through here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import F, Max

from buenaspracticas.catalog.models import (
    Assessment,
    Criterion,
    Dimension,
    Institution,
    Practice,
    PracticeDimension,
    SourceDocument,
    State,
)
from buenaspracticas.catalog.seed import sync_reference
from buenaspracticas.errors import Conflict, NotFound, ValidationError
from buenaspracticas.reference import CRITERIA, DIMENSIONS, VERDICTS


@dataclass
class ChangeCount:
    """What a write did, for summaries: created, updated and unchanged records."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_ids: list[str] = field(default_factory=list)

    def add(self, outcome: str, ident: str = "") -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome != "unchanged" and ident:
            self.changed_ids.append(ident)


def reference_sync() -> None:
    """Create or update regions, the 32 states, the five criteria and the dimensions."""
    sync_reference(django_apps)


def state_resolve(*, key: str) -> State:
    """Return the state with ISO code or slug `key` (case-insensitive); raise NotFound."""
    state = State.objects.filter(code__iexact=key).first() or State.objects.filter(slug__iexact=key).first()
    if state is None:
        raise NotFound(f"No existe el estado «{key}» (use un código ISO como MX-OAX o un slug como oaxaca).")
    return state


def set_fields(obj, values: dict) -> bool:
    """Set the attributes that differ on obj; return True when any did (the caller saves)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def document_upsert(*, slug: str, title: str, publisher: str = "", year: int | None = None, sha256: str = "",
                    line_count: int = 0) -> tuple[SourceDocument, str]:
    """Create or update a source document; return it and 'created' | 'updated' | 'unchanged'."""
    doc, created = SourceDocument.objects.get_or_create(slug=slug, defaults={"title": title})
    changed = set_fields(doc, {"title": title, "publisher": publisher, "year": year, "sha256": sha256,
                                "line_count": line_count})
    if changed or created:
        doc.save()
    return doc, "created" if created else ("updated" if changed else "unchanged")


def institution_get_or_create(*, state: State, name: str) -> Institution | None:
    """Return the institution of that name in the state, creating it when new; None for an empty name."""
    name = " ".join(name.split())
    if not name:
        return None
    inst = Institution.objects.filter(state=state, name__iexact=name).first()
    return inst or Institution.objects.create(state=state, name=name)


def _validate_practice_values(*, number: int, title: str, dimensions: list[str], status: str,
                              criteria: dict[str, dict]) -> None:
    if number < 1:
        raise ValidationError("El número de la práctica debe ser un entero positivo.", field="number")
    if not title.strip():
        raise ValidationError("La práctica necesita un título.", field="title")
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        raise ValidationError(f"Dimensión desconocida: {', '.join(unknown)} (válidas: {', '.join(DIMENSIONS)}).",
                              field="dimensions")
    if status not in Practice.Status.values:
        raise ValidationError(f"Estatus desconocido «{status}» (válidos: active, suspended).", field="status")
    for code, assessment in criteria.items():
        if code not in CRITERIA:
            raise ValidationError(f"Criterio desconocido «{code}».", field=f"criteria.{code}")
        if assessment.get("verdict", "unknown") not in VERDICTS:
            raise ValidationError(f"Valoración desconocida «{assessment.get('verdict')}» (válidas: met, not_met, "
                                  "unknown).", field=f"criteria.{code}.verdict")


@transaction.atomic
def practice_upsert(
    *,
    state: State,
    number: int,
    title: str,
    institution: str,
    dimensions: list[str],
    target_population: str,
    description: str,
    criteria: dict[str, dict],
    status: str = "active",
    beneficiaries: int | None = None,
    workflow_state: str | None = None,
    document: SourceDocument | None = None,
    first_line: int | None = None,
    last_line: int | None = None,
) -> tuple[Practice, str]:
    """Create or update the practice numbered `number` in `state` with its five assessments, in place (its
    id and database key are kept); return it and 'created' | 'updated' | 'unchanged'."""
    _validate_practice_values(number=number, title=title, dimensions=dimensions, status=status, criteria=criteria)
    practice = Practice.objects.select_for_update().filter(state=state, number=number).first()
    created = practice is None
    if created:
        practice = Practice(state=state, number=number, public_id=f"{state.slug}-{number}")
    values = {
        "title": title.strip(),
        "institution": institution_get_or_create(state=state, name=institution),
        "target_population": target_population.strip(),
        "description": description.strip(),
        "status": status,
        "beneficiaries": beneficiaries,
        "source_document": document,
        "source_first_line": first_line,
        "source_last_line": last_line,
    }
    if workflow_state is not None:
        values["workflow_state"] = workflow_state
    changed = set_fields(practice, values)
    if changed and not created:
        practice.version += 1
    if changed or created:
        practice.save()
    changed |= _dimensions_set(practice=practice, codes=dimensions)
    for code in CRITERIA:
        a = criteria.get(code, {})
        changed |= assessment_set(practice=practice, criterion=code, verdict=a.get("verdict", "unknown"),
                                  evidence=a.get("evidence", ""))
    return practice, "created" if created else ("updated" if changed else "unchanged")


def _dimensions_set(*, practice: Practice, codes: list[str]) -> bool:
    current = list(PracticeDimension.objects.filter(practice=practice).order_by("order")
                   .values_list("dimension__code", flat=True))
    wanted = list(dict.fromkeys(codes))
    if current == wanted:
        return False
    PracticeDimension.objects.filter(practice=practice).delete()  # a link table, not a record: rebuilt in order
    dims = {d.code: d for d in Dimension.objects.filter(code__in=wanted)}
    PracticeDimension.objects.bulk_create(
        PracticeDimension(practice=practice, dimension=dims[c], order=i) for i, c in enumerate(wanted)
    )
    return True


def assessment_set(*, practice: Practice, criterion: str, verdict: str, evidence: str) -> bool:
    """Set one criterion's verdict and evidence for a practice; return True if anything changed."""
    if verdict not in VERDICTS:
        raise ValidationError(f"Valoración desconocida «{verdict}» (válidas: met, not_met, unknown).",
                              field="verdict")
    try:
        crit = Criterion.objects.get(code=criterion)
    except Criterion.DoesNotExist as exc:
        raise NotFound(f"Criterio desconocido «{criterion}» (válidos: {', '.join(CRITERIA)}).") from exc
    assessment, created = Assessment.objects.get_or_create(
        practice=practice, criterion=crit, defaults={"verdict": verdict, "evidence": evidence.strip()}
    )
    if created:
        return True
    if set_fields(assessment, {"verdict": verdict, "evidence": evidence.strip()}):
        assessment.save()
        return True
    return False


EDITABLE_FIELDS = ("title", "institution", "dimensions", "target_population", "description", "status",
                   "beneficiaries", "criteria")


@transaction.atomic
def practice_create(*, state: State, data: dict, workflow_state: str = Practice.Workflow.DRAFT) -> Practice:
    """Create a practice in `state` with the next free number from ficha data (EDITABLE_FIELDS); return it."""
    State.objects.select_for_update().filter(pk=state.pk).first()  # serialises numbering per state
    number = (Practice.objects.filter(state=state).aggregate(n=Max("number"))["n"] or 0) + 1
    practice, _ = practice_upsert(
        state=state, number=number, title=data.get("title", ""), institution=data.get("institution", ""),
        dimensions=list(data.get("dimensions", [])), target_population=data.get("target_population", ""),
        description=data.get("description", ""), criteria=data.get("criteria", {}),
        status=data.get("status", "active"), beneficiaries=data.get("beneficiaries"), workflow_state=workflow_state,
    )
    return practice


def _stale(practice: Practice, expected_version: int) -> Conflict:
    return Conflict(
        f"La ficha «{practice.public_id}» cambió mientras usted la editaba (usted partió de la versión "
        f"{expected_version}; la actual es la {practice.version}). Revise la versión actual, combine sus cambios "
        "y guarde de nuevo.", field="version",
        details={"expected_version": expected_version, "current_version": practice.version},
    )


@transaction.atomic
def practice_update(*, practice_id: int, data: dict, expected_version: int | None) -> tuple[Practice, bool]:
    """Apply ficha data (any of EDITABLE_FIELDS) to a practice in place if `expected_version` is still the
    current one (None skips the check); bump its version; return it and whether anything changed.
    Raise Conflict on a stale version, so no update is silently lost."""
    practice = Practice.objects.select_for_update().get(pk=practice_id)
    if expected_version is not None and practice.version != expected_version:
        raise _stale(practice, expected_version)
    current_dims = list(practice.practicedimension_set.order_by("order").values_list("dimension__code", flat=True))
    criteria = {**{a.criterion.code: {"verdict": a.verdict, "evidence": a.evidence}
                   for a in practice.assessments.select_related("criterion")}, **data.get("criteria", {})}
    dimensions = list(data.get("dimensions", current_dims))
    _validate_practice_values(number=practice.number, title=data.get("title", practice.title),
                              dimensions=dimensions, status=data.get("status", practice.status), criteria=criteria)
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()
              if k in ("title", "target_population", "description", "status", "beneficiaries")}
    if "institution" in data:
        values["institution"] = institution_get_or_create(state=practice.state, name=data["institution"] or "")
    changed = set_fields(practice, values)
    changed |= _dimensions_set(practice=practice, codes=dimensions)
    for code, a in data.get("criteria", {}).items():
        changed |= assessment_set(practice=practice, criterion=code, verdict=a.get("verdict", "unknown"),
                                  evidence=a.get("evidence", ""))
    if changed:
        practice.version += 1
        practice.save()
    return practice, changed


@transaction.atomic
def practice_bump_version(*, practice_id: int, expected_version: int | None) -> int:
    """Claim the next version of a practice (compare-and-swap on `version`); return it; raise Conflict if
    `expected_version` is stale. Used when an edit is kept elsewhere (a pending revision)."""
    practice = Practice.objects.select_for_update().get(pk=practice_id)
    if expected_version is not None and practice.version != expected_version:
        raise _stale(practice, expected_version)
    Practice.objects.filter(pk=practice_id).update(version=F("version") + 1)
    return practice.version + 1


def practice_set_workflow(*, practice_id: int, workflow_state: str) -> Practice:
    """Set a practice's workflow state (the rules of who may are in curation.services); return it."""
    if workflow_state not in Practice.Workflow.values:
        raise ValidationError(f"Estado de flujo desconocido «{workflow_state}».", field="workflow_state")
    practice = Practice.objects.get(pk=practice_id)
    if practice.workflow_state != workflow_state:
        practice.workflow_state = workflow_state
        practice.save(update_fields=["workflow_state", "updated_at"])
    return practice
