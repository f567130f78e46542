"""Writes to the catalogue. Every front door (loader, API, pages, CLI) changes practices through here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from buenaspracticas.catalog.institutions import institution_key, preferred_name, same_institution
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


def document_upsert(
    *,
    slug: str,
    title: str,
    publisher: str = "",
    year: int | None = None,
    sha256: str = "",
    line_count: int = 0,
) -> tuple[SourceDocument, str]:
    """Create or update a source document; return it and 'created' | 'updated' | 'unchanged'."""
    doc, created = SourceDocument.objects.get_or_create(slug=slug, defaults={"title": title})
    changed = set_fields(
        doc,
        {"title": title, "publisher": publisher, "year": year, "sha256": sha256, "line_count": line_count},
    )
    if changed or created:
        doc.save()
    return doc, "created" if created else ("updated" if changed else "unchanged")


def institution_get_or_create(*, state: State, name: str) -> Institution | None:
    """Return the state's institution a printed name designates (the same acronym, or the same words without
    one: catalog.institutions), creating it when new; the printing joins its aliases and the name shown is
    the complete form. None for an empty name."""
    name = " ".join(name.split())
    if not name:
        return None
    key = institution_key(name)
    for inst in Institution.objects.filter(state=state):
        printed = [inst.name, *inst.aliases]
        if name in printed or any(same_institution(key, institution_key(n)) for n in printed):
            if name not in printed:
                printed.append(name)
                best = preferred_name(printed)
                taken = Institution.objects.filter(state=state, name=best).exclude(pk=inst.pk).exists()
                inst.name = inst.name if taken else best
                inst.aliases = [n for n in printed if n != inst.name]
                inst.acronym = inst.acronym or key.acronym
                inst.save(update_fields=["name", "aliases", "acronym"])
            return inst
    return Institution.objects.create(state=state, name=name, acronym=key.acronym)


# The bounds of what a practice holds, checked here for every front door (pages, API, imports, CLI) and
# published in the API's schema: the model's column widths, sane sizes for the free texts, and a count of
# people that fits any database's integer column.
TEXT_MAX_LENGTH = {
    "title": Practice._meta.get_field("title").max_length,
    "institution": Institution._meta.get_field("name").max_length,
    "target_population": 2_000,
    "description": 20_000,
    "evidence": 10_000,
    "reason": 500,
    "comment": 5_000,
}
MAX_BENEFICIARIES = 10**9
MAX_NUMBER = 2**31 - 1  # ids, versions and practice numbers: PositiveIntegerField on every database


def text_problem(value: str) -> str | None:
    """Return why a text cannot be stored (a NUL character or a lone UTF-16 surrogate), or None if it can."""
    if "\x00" in value:
        return "contiene el carácter nulo (U+0000), que no se puede guardar"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"contiene un sustituto UTF-16 suelto (U+{ord(value[exc.start]):04X}, posición {exc.start}): "
            "envíe texto Unicode bien formado"
        )
    return None


def check_text(value, *, field: str, max_length: int | None = None) -> str:
    """Return `value` if it is storable text within TEXT_MAX_LENGTH; else raise ValidationError."""
    if not isinstance(value, str):
        raise ValidationError(f"«{field}» debe ser texto.", field=field)
    limit = max_length if max_length is not None else TEXT_MAX_LENGTH.get(field.rsplit(".", 1)[-1])
    if limit is not None and len(value) > limit:
        raise ValidationError(f"«{field}» admite hasta {limit} caracteres (tiene {len(value)}).", field=field)
    problem = text_problem(value)
    if problem:
        raise ValidationError(f"«{field}» {problem}.", field=field)
    return value


def check_count(value, *, field: str, maximum: int = MAX_NUMBER, minimum: int = 0) -> int:
    """Return `value` if it is a whole number from `minimum` to `maximum`; raise ValidationError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ValidationError(f"«{field}» debe ser un número entero de {minimum} a {maximum}.", field=field)
    return value


def _validate_practice_values(
    *,
    number: int,
    title: str,
    dimensions: list[str],
    status: str,
    criteria: dict[str, dict],
    texts: dict | None = None,
    beneficiaries: int | None = None,
) -> None:
    check_count(number, field="number", minimum=1)
    check_text(title, field="title")
    if not title.strip():
        raise ValidationError("La práctica necesita un título.", field="title")
    for name, value in (texts or {}).items():
        check_text(value, field=name)
    if beneficiaries is not None:
        check_count(beneficiaries, field="beneficiaries", maximum=MAX_BENEFICIARIES)
    if not isinstance(dimensions, list | tuple):
        raise ValidationError("«dimensions» debe ser una lista de códigos.", field="dimensions")
    unknown = [str(d) for d in dimensions if not isinstance(d, str) or d not in DIMENSIONS]
    if unknown:
        raise ValidationError(
            f"Dimensión desconocida: {', '.join(unknown)} (válidas: {', '.join(DIMENSIONS)}).",
            field="dimensions",
        )
    if not isinstance(status, str) or status not in Practice.Status.values:
        raise ValidationError(f"Estatus desconocido «{status}» (válidos: active, suspended).", field="status")
    for code, assessment in criteria.items():
        if code not in CRITERIA:
            raise ValidationError(f"Criterio desconocido «{code}».", field=f"criteria.{code}")
        if not isinstance(assessment, dict):
            raise ValidationError(
                f"«criteria.{code}» debe ser un objeto con verdict y evidence.", field=f"criteria.{code}"
            )
        verdict = assessment.get("verdict", "unknown")
        if not isinstance(verdict, str) or verdict not in VERDICTS:
            raise ValidationError(
                f"Valoración desconocida «{assessment.get('verdict')}» (válidas: met, not_met, unknown).",
                field=f"criteria.{code}.verdict",
            )
        check_text(assessment.get("evidence", ""), field=f"criteria.{code}.evidence")


def document_mark_loaded(*, document: SourceDocument) -> None:
    """Record that a document's records were (re)loaded now."""
    document.loaded_at = timezone.now()
    document.save(update_fields=["loaded_at"])


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
    source_table: int | None | object = ...,
) -> tuple[Practice, str]:
    """Create or update the practice numbered `number` in `state` with its five assessments, in place (its
    id and database key are kept); return it and 'created' | 'updated' | 'unchanged'. `source_table` (the
    document's table number, None for none) is kept as stored when not given."""
    _validate_practice_values(
        number=number,
        title=title,
        dimensions=dimensions,
        status=status,
        criteria=criteria,
        texts={
            "institution": institution,
            "target_population": target_population,
            "description": description,
        },
        beneficiaries=beneficiaries,
    )
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
    # Learning the table (cuadro) a practice is printed in is no edit of its ficha: no version, no history.
    table_learnt = source_table is not ... and set_fields(practice, {"source_table": source_table})
    if changed and not created:
        practice.version += 1
    if changed or created:
        practice.save()
    elif table_learnt:
        practice.save(update_fields=["source_table"])
    changed |= _dimensions_set(practice=practice, codes=dimensions)
    for code in CRITERIA:
        a = criteria.get(code, {})
        changed |= assessment_set(
            practice=practice,
            criterion=code,
            verdict=a.get("verdict", "unknown"),
            evidence=a.get("evidence", ""),
            **({"split_confidence": a["split_confidence"]} if "split_confidence" in a else {}),
        )
    if changed or created:
        from buenaspracticas.search.indexer import search_index_update  # the index moves with the write

        search_index_update([practice.pk])
    return practice, "created" if created else ("updated" if changed else "unchanged")


def _dimensions_set(*, practice: Practice, codes: list[str]) -> bool:
    current = list(
        PracticeDimension.objects.filter(practice=practice)
        .order_by("order")
        .values_list("dimension__code", flat=True)
    )
    wanted = list(dict.fromkeys(codes))
    if current == wanted:
        return False
    # A link table, not a record: rebuilt in order.
    PracticeDimension.objects.filter(practice=practice).delete()
    dims = {d.code: d for d in Dimension.objects.filter(code__in=wanted)}
    PracticeDimension.objects.bulk_create(
        PracticeDimension(practice=practice, dimension=dims[c], order=i) for i, c in enumerate(wanted)
    )
    return True


def assessment_set(
    *,
    practice: Practice,
    criterion: str,
    verdict: str,
    evidence: str,
    split_confidence: float | None | type(...) = ...,
) -> bool:
    """Set one criterion's verdict and evidence for a practice (and, when given, the confidence of the
    parser's split of its evidence); return True if anything changed. Evidence rewritten by a person
    (no confidence given) is no longer an automatic split: its confidence is cleared."""
    if verdict not in VERDICTS:
        raise ValidationError(
            f"Valoración desconocida «{verdict}» (válidas: met, not_met, unknown).", field="verdict"
        )
    try:
        crit = Criterion.objects.get(code=criterion)
    except Criterion.DoesNotExist as exc:
        raise NotFound(f"Criterio desconocido «{criterion}» (válidos: {', '.join(CRITERIA)}).") from exc
    values = {"verdict": verdict, "evidence": evidence.strip()}
    if split_confidence is not ...:
        values["split_confidence"] = split_confidence
    assessment, created = Assessment.objects.get_or_create(practice=practice, criterion=crit, defaults=values)
    if created:
        return True
    if split_confidence is ... and assessment.evidence != values["evidence"]:
        values["split_confidence"] = None
    if set_fields(assessment, values):
        assessment.save()
        return True
    return False


EDITABLE_FIELDS = (
    "title",
    "institution",
    "dimensions",
    "target_population",
    "description",
    "status",
    "beneficiaries",
    "criteria",
)


@transaction.atomic
def practice_create(*, state: State, data: dict, workflow_state: str = Practice.Workflow.DRAFT) -> Practice:
    """Create a practice in `state` with the next free number from ficha data (EDITABLE_FIELDS); return it."""
    State.objects.select_for_update().filter(pk=state.pk).first()  # serialises numbering per state
    number = (Practice.objects.filter(state=state).aggregate(n=Max("number"))["n"] or 0) + 1
    practice, _ = practice_upsert(
        state=state,
        number=number,
        title=data.get("title", ""),
        institution=data.get("institution", ""),
        dimensions=list(data.get("dimensions", [])),
        target_population=data.get("target_population", ""),
        description=data.get("description", ""),
        criteria=data.get("criteria", {}),
        status=data.get("status", "active"),
        beneficiaries=data.get("beneficiaries"),
        workflow_state=workflow_state,
    )
    return practice


def _stale(practice: Practice, expected_version: int) -> Conflict:
    return Conflict(
        f"La ficha «{practice.public_id}» cambió mientras usted la editaba (usted partió de la versión "
        f"{expected_version}; la actual es la {practice.version}). Revise la versión actual, combine sus "
        "cambios y guarde de nuevo.",
        field="version",
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
    current_dims = list(
        practice.practicedimension_set.order_by("order").values_list("dimension__code", flat=True)
    )
    criteria = {
        **{
            a.criterion.code: {"verdict": a.verdict, "evidence": a.evidence}
            for a in practice.assessments.select_related("criterion")
        },
        **data.get("criteria", {}),
    }
    dimensions = list(data.get("dimensions", current_dims))
    _validate_practice_values(
        number=practice.number,
        title=data.get("title", practice.title),
        dimensions=dimensions,
        status=data.get("status", practice.status),
        criteria=criteria,
        texts={k: data[k] or "" for k in ("institution", "target_population", "description") if k in data},
        beneficiaries=data.get("beneficiaries"),
    )
    values = {
        k: (v.strip() if isinstance(v, str) else v)
        for k, v in data.items()
        if k in ("title", "target_population", "description", "status", "beneficiaries")
    }
    if "institution" in data:
        values["institution"] = institution_get_or_create(
            state=practice.state, name=data["institution"] or ""
        )
    changed = set_fields(practice, values)
    changed |= _dimensions_set(practice=practice, codes=dimensions)
    for code, a in data.get("criteria", {}).items():
        changed |= assessment_set(
            practice=practice,
            criterion=code,
            verdict=a.get("verdict", "unknown"),
            evidence=a.get("evidence", ""),
        )
    if changed:
        practice.version += 1
        practice.save()
        from buenaspracticas.search.indexer import search_index_update  # the index moves with the write

        search_index_update([practice.pk])
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
        from buenaspracticas.search.indexer import search_index_update  # the index moves with the write

        search_index_update([practice.pk])
    return practice
