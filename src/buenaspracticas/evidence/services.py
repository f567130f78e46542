"""Writes of the evidence app: interviews with their interviewees and excerpts, the findings matrix, and the
records the report states about itself. Each checks the caller's permission first (401 without an account,
403 for the wrong role or state), then validates the body, writes in a transaction and records history.
History snapshots never carry the text of an excerpt that is not public: the history is read by people
whose consent level may not reach it."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.institutions import institution_key, same_institution
from buenaspracticas.catalog.models import Institution, Practice, State
from buenaspracticas.coordination import validation as v
from buenaspracticas.curation import permissions
from buenaspracticas.curation.history import history_record
from buenaspracticas.curation.models import HistoryEntry
from buenaspracticas.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from buenaspracticas.evidence.models import (
    Consent,
    Document,
    Excerpt,
    Finding,
    Interview,
    Interviewee,
    Module,
)
from buenaspracticas.evidence.selectors import source_json

INTERVIEW_FIELDS = ("state", "institution", "held_on", "notes", "interviewees", "excerpts")
INTERVIEWEE_FIELDS = ("role", "name", "name_consented")
EXCERPT_FIELDS = ("module", "text", "consent")
FINDING_FIELDS = (
    "programme",
    "practice",
    "impacts",
    "results",
    "validity",
    "continuity",
    "suspended",
    "suspended_reason",
    "excerpts",
    "documents",
)
MAX_ROWS = 100  # interviewees or excerpts in one interview
EXCERPT_MAX_LENGTH = 20_000


def _actor(user):
    return user if getattr(user, "pk", None) else None


def institution_for(state: State, name: str, *, create: bool = True) -> Institution | None:
    """Return the state's institution a printed name designates (catalog.institutions), creating it when
    new (unless `create` is false: then None). Unlike catalog's institution_get_or_create, a known
    institution is left as it is: how an interview names it ("IOAM", "el personal del IPAM") must not
    rename the institution shown on its practices."""
    name = " ".join(name.split())
    if not name:
        return None
    key = institution_key(name)
    for inst in Institution.objects.filter(state=state).order_by("pk"):
        printed = [inst.name, *inst.aliases]
        if name in printed or any(same_institution(key, institution_key(n)) for n in printed):
            return inst
    return catalog_services.institution_get_or_create(state=state, name=name) if create else None


# ---------------------------------------------------------------- permission


def check_can_record_evidence(user, state_code: str | None) -> None:
    """Raise NotAuthenticated without an account, PermissionDenied unless the user may record evidence of
    `state_code` (its editor, an evaluator, the coordination); with no state yet, any editor passes."""
    role = permissions.role_of(user)
    if role in (permissions.SYSTEM, permissions.EVALUATOR, permissions.COORDINATOR):
        return
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(
            "Inicie sesión (o envíe un token «Authorization: Bearer …») para registrar evidencia."
        )
    if role != permissions.EDITOR:
        raise PermissionDenied(
            "Solo la oficina del estado, quienes evalúan o la coordinación registran entrevistas y hallazgos."
        )
    own = permissions.state_code_of(user)
    if state_code is not None and own != state_code:
        raise PermissionDenied(f"Su cuenta registra evidencia solo de {own}; no de {state_code}.")


def _state_of_body(data: Any) -> str | None:
    """Return the state code the body names, when it names a known one (for the permission check)."""
    key = data.get("state") if isinstance(data, dict) else None
    if not isinstance(key, str) or not key.strip():
        return None
    found = (
        State.objects.filter(code__iexact=key.strip()).first()
        or State.objects.filter(slug__iexact=key.strip()).first()
    )
    # An unknown state is a validation error (422), reported after the role check.
    return found.code if found else None


# ---------------------------------------------------------------- snapshots (for history)


def excerpt_snapshot(excerpt: Excerpt) -> dict[str, Any]:
    """Return an excerpt for history: its text only when public, else a fingerprint of it."""
    public = excerpt.consent == Consent.PUBLIC
    return {
        "id": excerpt.pk,
        "module": excerpt.module,
        "consent": excerpt.consent,
        "text": excerpt.text if public else None,
        "sha256": None if public else hashlib.sha256(excerpt.text.encode()).hexdigest()[:16],
    }


def interview_snapshot(interview: Interview) -> dict[str, Any]:
    """Return an interview as history keeps it (interviewees' names only with consent)."""
    return {
        "id": interview.pk,
        "state": interview.state.code,
        "institution": interview.institution.name if interview.institution_id else "",
        "held_on": interview.held_on.isoformat() if interview.held_on else None,
        "notes": interview.notes,
        "source": source_json(interview),
        "interviewees": [
            {"role": p.role, "name": p.name if p.name_consented else ""} for p in interview.interviewees.all()
        ],
        "excerpts": [excerpt_snapshot(e) for e in interview.excerpts.all()],
    }


def finding_snapshot(finding: Finding) -> dict[str, Any]:
    """Return a findings row as history keeps it (linked excerpts and documents by id only)."""
    return {
        "id": finding.pk,
        "state": finding.state.code,
        "programme": finding.programme,
        "practice": finding.practice.public_id if finding.practice_id else None,
        "impacts": finding.impacts,
        "results": finding.results,
        "validity": finding.validity,
        "continuity": finding.continuity,
        "suspended": finding.suspended,
        "suspended_reason": finding.suspended_reason,
        "excerpts": sorted(finding.excerpts.values_list("pk", flat=True)),
        "documents": sorted(finding.documents.values_list("pk", flat=True)),
        "source": source_json(finding),
    }


# ---------------------------------------------------------------- interviews


def _interviewees(value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise ValidationError(
            f'«interviewees» debe ser una lista (hasta {MAX_ROWS}) de objetos {{"role", "name"?, '
            '"name_consented"?}.',
            field="interviewees",
        )
    out = []
    for i, row in enumerate(value):
        field = f"interviewees.{i}"
        if not isinstance(row, dict):
            raise ValidationError(f'«{field}» debe ser un objeto {{"role", …}}.', field=field)
        v.reject_unknown(row, INTERVIEWEE_FIELDS)
        role = v.text(row, "role", required=True, max_length=300)
        name = v.text(row, "name", max_length=200)
        consented = row.get("name_consented", False)
        if not isinstance(consented, bool):
            raise ValidationError(
                f"«{field}.name_consented» debe ser true o false.", field=f"{field}.name_consented"
            )
        if name and not consented:
            raise ValidationError(
                f"«{field}.name»: el nombre solo se registra con el consentimiento de la persona "
                "(envíe name_consented: true, o registre solo su cargo).",
                field=f"{field}.name",
            )
        out.append({"role": role, "name": name, "name_consented": bool(name) and consented})
    return out


def _excerpts(value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise ValidationError(
            f'«excerpts» debe ser una lista (hasta {MAX_ROWS}) de objetos {{"module", "text", "consent"}}.',
            field="excerpts",
        )
    out = []
    for i, row in enumerate(value):
        field = f"excerpts.{i}"
        if not isinstance(row, dict):
            raise ValidationError(
                f'«{field}» debe ser un objeto {{"module", "text", "consent"}}.', field=field
            )
        v.reject_unknown(row, EXCERPT_FIELDS)
        try:
            module = v.choice(row, "module", Module.values)
            consent = v.choice(row, "consent", Consent.values)
            text = v.text(row, "text", required=True, max_length=EXCERPT_MAX_LENGTH)
        except ValidationError as exc:
            raise ValidationError(exc.message, field=f"{field}.{exc.field}") from None
        out.append({"module": module, "text": text, "consent": consent})
    return out


@transaction.atomic
def interview_create(*, user, data: Any) -> Interview:
    """Record an interview with its interviewees (by role; names only with consent) and excerpts (each under a
    module with a consent level): the state's editor, evaluators or the coordination. Return it."""
    check_can_record_evidence(user, _state_of_body(data))
    data = v.require_object(data)
    v.reject_unknown(data, INTERVIEW_FIELDS)
    key = v.text(data, "state", required=True, max_length=40)
    try:
        state = catalog_services.state_resolve(key=key)
    except NotFound as exc:
        raise ValidationError(exc.message, field="state") from None
    check_can_record_evidence(user, state.code)
    institution_name = v.text(data, "institution", required=True, max_length=400)
    held_on = v.day(data.get("held_on"), "held_on") if data.get("held_on") not in (None, "") else None
    notes = v.text(data, "notes", max_length=v.LONG_TEXT)
    people = _interviewees(data.get("interviewees"))
    excerpts = _excerpts(data.get("excerpts"))
    interview = Interview.objects.create(
        state=state,
        institution=institution_for(state, institution_name),
        held_on=held_on,
        notes=notes,
        created_by=_actor(user),
    )
    Interviewee.objects.bulk_create([Interviewee(interview=interview, **p) for p in people])
    for e in excerpts:  # one by one: ids in the order sent, on every database
        Excerpt.objects.create(interview=interview, **e)
    history_record(
        kind=HistoryEntry.Kind.INTERVIEW,
        state=state,
        actor=user,
        reason="Entrevista registrada",
        before=None,
        after=interview_snapshot(interview),
    )
    return interview


# ---------------------------------------------------------------- findings


def _ids(value: Any, field: str) -> list[int]:
    if value in (None, ""):
        return []
    if (
        not isinstance(value, list)
        or len(value) > MAX_ROWS
        or not all(isinstance(x, int) and not isinstance(x, bool) and 0 < x < 2**31 for x in value)
    ):
        raise ValidationError(f"«{field}» debe ser una lista de identificadores numéricos.", field=field)
    return list(dict.fromkeys(value))


def finding_values(data: dict, state: State, *, user, creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if creating or "programme" in data:
        out["programme"] = v.text(
            data, "programme", required=creating and not data.get("practice"), max_length=500
        )
    for field in ("impacts", "results", "validity", "continuity", "suspended_reason"):
        if creating or field in data:
            out[field] = v.text(data, field, max_length=v.LONG_TEXT)
    if creating or "suspended" in data:
        value = data.get("suspended", False)
        if not isinstance(value, bool):
            raise ValidationError("«suspended» debe ser true o false.", field="suspended")
        out["suspended"] = value
    if creating or "practice" in data:
        pid = data.get("practice")
        if pid in (None, ""):
            out["practice"] = None
        else:
            practice = (
                Practice.objects.filter(public_id=str(pid), state=state).first()
                if isinstance(pid, str)
                else None
            )
            if practice is None:
                raise ValidationError(
                    f"«practice»: no existe la práctica «{pid}» en {state.name} (p. ej. {state.slug}-1).",
                    field="practice",
                )
            out["practice"] = practice
            if not out.get("programme"):
                out["programme"] = practice.title
    if "excerpts" in data or creating:
        ids = _ids(data.get("excerpts"), "excerpts")
        from buenaspracticas.evidence.selectors import excerpts_visible

        # Only excerpts of this state's interviews that the writer may read can be linked.
        found = set(
            excerpts_visible(user).filter(pk__in=ids, interview__state=state).values_list("pk", flat=True)
        )
        missing = [i for i in ids if i not in found]
        if missing:
            raise ValidationError(
                f"«excerpts»: extractos desconocidos o de otro estado: {', '.join(map(str, missing))}.",
                field="excerpts",
            )
        out["excerpts"] = ids
    if "documents" in data or creating:
        ids = _ids(data.get("documents"), "documents")
        found = set(Document.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [i for i in ids if i not in found]
        if missing:
            raise ValidationError(
                f"«documents»: documentos desconocidos: {', '.join(map(str, missing))}.", field="documents"
            )
        out["documents"] = ids
    return out


@transaction.atomic
def finding_create(*, user, state_key: str, data: Any) -> Finding:
    """Add a row to a state's findings matrix (its editor, evaluators, the coordination); return it."""
    state = catalog_services.state_resolve(key=state_key)
    check_can_record_evidence(user, state.code)
    data = v.require_object(data)
    v.reject_unknown(data, FINDING_FIELDS)
    values = finding_values(data, state, user=user, creating=True)
    excerpts, documents = values.pop("excerpts"), values.pop("documents")
    finding = Finding.objects.create(state=state, **values)
    finding.excerpts.set(excerpts)
    finding.documents.set(documents)
    history_record(
        kind=HistoryEntry.Kind.FINDING,
        state=state,
        actor=user,
        reason="Hallazgo añadido",
        before=None,
        after=finding_snapshot(finding),
    )
    return finding


@transaction.atomic
def finding_update(*, user, finding_id: int, data: Any) -> Finding:
    """Edit a findings row (the fields sent); linked excerpts the writer may not read are kept. Return it."""
    finding = Finding.objects.select_for_update().select_related("state").filter(pk=finding_id).first()
    if finding is None:
        raise NotFound(f"No existe el hallazgo {finding_id}.")
    check_can_record_evidence(user, finding.state.code)
    data = v.require_object(data)
    v.reject_unknown(data, FINDING_FIELDS)
    before = finding_snapshot(finding)
    values = finding_values(data, finding.state, user=user, creating=False)
    excerpts, documents = values.pop("excerpts", None), values.pop("documents", None)
    catalog_services.set_fields(finding, values)
    finding.save()
    if excerpts is not None:
        from buenaspracticas.evidence.selectors import consent_levels

        # Links to excerpts above the writer's level stay: they cannot see, hence cannot mean to drop, them.
        hidden = list(finding.excerpts.exclude(consent__in=consent_levels(user)).values_list("pk", flat=True))
        finding.excerpts.set([*excerpts, *hidden])
    if documents is not None:
        finding.documents.set(documents)
    after = finding_snapshot(finding)
    if after != before:
        history_record(
            kind=HistoryEntry.Kind.FINDING,
            state=finding.state,
            actor=user,
            reason="Hallazgo editado",
            before=before,
            after=after,
        )
    return finding


# ---------------------------------------------------------------- the report's own statements
