"""Writes of curation. Every front door (pages, API, admin, CLI) calls these, and each checks the
caller's permission on the object first, so the rules are the same everywhere.

Practices and their workflow live here; accounts, tokens and calls in curation.accounts; history and
panorama figures in curation.history (re-exported here, so callers import one module)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import permissions, selectors
from buenaspracticas.curation.accounts import (  # noqa: F401 - re-exported
    TOKEN_PREFIX,
    account_create,
    account_password_set,
    call_create,
    token_authenticate,
    token_create,
    token_revoke,
    token_revoke_all,
)
from buenaspracticas.curation.ficha_data import check_version, clean_data
from buenaspracticas.curation.history import (  # noqa: F401 - re-exported
    history_record,
    history_restore,
    indicator_update,
    indicator_values,
    panorama_history_after_write,
    practice_history_after_write,
    practice_snapshot_before_write,
)
from buenaspracticas.curation.models import (
    Call,
    HistoryEntry,
    Message,
    Revision,
    Submission,
    Transition,
)
from buenaspracticas.errors import Conflict, NotFound, PermissionDenied, ValidationError
from buenaspracticas.evidence import citations as evidence_citations
from buenaspracticas.reference import CRITERIA, QUALIFYING_MINIMUM

# ---------------------------------------------------------------- practices


def _lock(public_id: str) -> Practice:
    practice = (
        Practice.objects.select_for_update().select_related("state").filter(public_id=public_id).first()
    )
    if practice is None:
        raise NotFound(f"No existe la práctica «{public_id}».")
    return practice


@transaction.atomic
def practice_draft_create(
    *, user, state_code: str | None, data: dict, call_id: int | None = None
) -> Practice:
    """Create a draft practice in the caller's state (an editor's own; others must name it); return it.
    The caller's role is checked before anything in `data` is, and the state before the other fields."""
    permissions.check_can_create(user)
    if state_code is None:
        state_code = permissions.state_code_of(user)
        if state_code is None:
            raise ValidationError("Indique el estado de la práctica.", field="state")
    state = catalog_services.state_resolve(
        key=catalog_services.check_text(state_code, field="state", max_length=40)
    )
    permissions.check_can_edit_state(user, state.code)
    values = clean_data(data, partial=False)
    call = None
    if call_id is not None:
        catalog_services.check_count(call_id, field="call")
    if call_id:
        call = Call.objects.filter(pk=call_id).first()
        if call is None:
            raise ValidationError(f"No existe la convocatoria {call_id}.", field="call")
        if call.deadline < timezone.localdate():
            raise ValidationError(
                f"La convocatoria «{call.title}» cerró el {call.deadline:%d/%m/%Y}.", field="call"
            )
    practice = catalog_services.practice_create(state=state, data=values)
    Submission.objects.create(
        practice=practice, call=call, created_by=user if getattr(user, "pk", None) else None
    )
    history_record(
        kind=HistoryEntry.Kind.PRACTICE,
        practice=practice,
        actor=user,
        reason="Borrador creado",
        before=None,
        after=selectors.practice_snapshot(pk=practice.pk),
        version=practice.version,
    )
    return practice


@transaction.atomic
def practice_edit(
    *,
    user,
    practice_id: str,
    data: dict,
    expected_version: int | None,
    reason: str = "",
    require_version: bool = False,
) -> dict:
    """Save an edit of a ficha. A draft (or one sent back for clarification) changes in place; a published
    one gets a pending revision while the published version stays visible. The caller's permission is
    checked before the data (and, with `require_version`, before the version is asked for). Raise Conflict
    when `expected_version` is stale; return {"version", "revision"}."""
    practice = _lock(practice_id)
    permissions.check_can_edit_state(user, practice.state.code)
    expected_version = check_version(expected_version, required=require_version)
    reason = catalog_services.check_text(reason or "", field="reason")
    values = clean_data(data, partial=True)
    revision = selectors.open_revision(practice)
    state = selectors.effective_state(practice, revision)
    if state not in (*permissions.EDITABLE_STATES, "published"):
        raise Conflict(
            f"La ficha está «{Practice.Workflow(state).label}»: no se edita mientras se evalúa. "
            "Espere a que la evaluación pida aclaraciones o termine.",
            field="workflow_state",
        )
    if practice.workflow_state == Practice.Workflow.ARCHIVED:
        raise Conflict("La ficha está archivada; la coordinación puede volver a publicarla.")
    if practice.workflow_state == Practice.Workflow.PUBLISHED:
        return _revision_edit(
            user=user,
            practice=practice,
            revision=revision,
            values=values,
            expected_version=expected_version,
            reason=reason,
            kind=HistoryEntry.Kind.REVISION,
        )
    before = selectors.practice_snapshot(pk=practice.pk)
    practice, changed = catalog_services.practice_update(
        practice_id=practice.pk, data=values, expected_version=expected_version
    )
    if changed:
        history_record(
            kind=HistoryEntry.Kind.PRACTICE,
            practice=practice,
            actor=user,
            reason=reason,
            before=before,
            after=selectors.practice_snapshot(pk=practice.pk),
            version=practice.version,
        )
    return {"version": practice.version, "revision": False, "changed": changed}


def _merge(base: dict, values: dict) -> dict:
    merged = {**base, **{k: v for k, v in values.items() if k != "criteria"}}
    criteria = dict(base.get("criteria", {}))
    for code, entry in values.get("criteria", {}).items():
        # An edit of a verdict or its evidence keeps the citations it does not mention.
        kept = criteria.get(code, {}).get("citations")
        criteria[code] = {**entry, "citations": kept} if kept and "citations" not in entry else entry
    merged["criteria"] = criteria
    return merged


def _revision_edit(
    *,
    user,
    practice: Practice,
    revision: Revision | None,
    values: dict,
    expected_version,
    reason: str,
    kind: str,
) -> dict:
    published = selectors.practice_snapshot(pk=practice.pk)
    base = revision.data if revision is not None else published
    merged = _merge(base, values)
    if "institution" in merged:
        merged["institution"] = " ".join(merged["institution"].split())
    if merged == base and revision is not None:
        return {"version": practice.version, "revision": True, "changed": False}
    version = catalog_services.practice_bump_version(
        practice_id=practice.pk, expected_version=expected_version
    )
    if revision is None:
        revision = Revision.objects.create(
            practice=practice, data=merged, created_by=user if getattr(user, "pk", None) else None
        )
    else:
        revision.data = merged
        revision.save(update_fields=["data"])
    history_record(
        kind=kind,
        practice=practice,
        actor=user,
        version=version,
        reason=reason or "Cambio propuesto a la ficha publicada (pendiente de revisión)",
        before=base,
        after=merged,
    )
    return {"version": version, "revision": True, "changed": True}


@transaction.atomic
def criterion_assess(
    *,
    user,
    practice_id: str,
    criterion: str,
    verdict: str,
    evidence: str,
    expected_version: int | None = None,
    reason: str = "",
    citations: list | None = None,
) -> dict:
    """Set one criterion's verdict, evidence and (when `citations` is not None) the citations it rests on
    (evaluators and the coordination); on a published practice the change goes to its pending revision.
    Return {"version", "revision", "criteria_met"}."""
    practice = _lock(practice_id)
    permissions.check_can_assess(user)
    if criterion not in CRITERIA:
        raise NotFound(f"Criterio desconocido «{criterion}» (válidos: {', '.join(CRITERIA)}).")
    expected_version = check_version(expected_version, required=False)
    evidence = catalog_services.check_text(evidence or "", field="evidence")
    reason = catalog_services.check_text(reason or "", field="reason")
    if not isinstance(verdict, str) or verdict not in ("met", "not_met", "unknown"):
        raise ValidationError(
            f"Valoración desconocida «{verdict}» (válidas: met, not_met, unknown).", field="verdict"
        )
    # What the verdict cites now: its pending revision's citations (when it has some), else the ficha's.
    revision = selectors.open_revision(practice)
    pending = (revision.data.get("criteria", {}).get(criterion, {}) if revision else {}).get("citations")
    cited = evidence_citations.practice_citation_refs(practice_pk=practice.pk).get(criterion, [])
    if citations is not None:
        citations = evidence_citations.citations_clean(
            user=user, citations=citations, kept=cited + (pending or [])
        )
    if practice.workflow_state == Practice.Workflow.ARCHIVED:
        raise Conflict("La ficha está archivada; no se valora.")
    values = {"criteria": {criterion: {"verdict": verdict, "evidence": evidence or ""}}}
    if practice.workflow_state == Practice.Workflow.PUBLISHED:
        proposed = citations if citations is not None else pending
        if proposed is not None and (pending is not None or proposed != cited):
            # Kept in the revision (a criterion's entry is replaced whole) and applied when it is published.
            values["criteria"][criterion]["citations"] = proposed
        out = _revision_edit(
            user=user,
            practice=practice,
            revision=revision,
            values=values,
            expected_version=expected_version,
            reason=reason or f"Valoración de {criterion}",
            kind=HistoryEntry.Kind.REVISION,
        )
        data = selectors.open_revision(practice).data
        return {**out, "criteria_met": selectors.criteria_met(data)}
    before = _with_citation_refs(selectors.practice_snapshot(pk=practice.pk), practice.pk)
    practice, changed = catalog_services.practice_update(
        practice_id=practice.pk, data=values, expected_version=expected_version
    )
    if citations is not None and evidence_citations.citations_replace(
        assessment=practice.assessments.get(criterion__code=criterion), refs=citations
    ):
        if not changed:
            catalog_services.practice_bump_version(practice_id=practice.pk, expected_version=expected_version)
            practice.refresh_from_db()
        changed = True
    after = _with_citation_refs(selectors.practice_snapshot(pk=practice.pk), practice.pk)
    if changed:
        history_record(
            kind=HistoryEntry.Kind.ASSESSMENT,
            practice=practice,
            actor=user,
            before=before,
            after=after,
            reason=reason or f"Valoración de {criterion}",
            version=practice.version,
        )
    return {
        "version": practice.version,
        "revision": False,
        "changed": changed,
        "criteria_met": selectors.criteria_met(after),
    }


def _with_citation_refs(snapshot: dict, practice_pk: int) -> dict:
    """Return a snapshot with each criterion's citations (refs only, never an excerpt's text) for history."""
    for code, refs in evidence_citations.practice_citation_refs(practice_pk=practice_pk).items():
        snapshot.setdefault("criteria", {}).setdefault(code, {})["citations"] = refs
    return snapshot


@transaction.atomic
def practice_transition(*, user, practice_id: str, to: str, comment: str = "") -> dict:
    """Move a practice (or its pending revision) to another workflow state, recording who, when and why.
    Publishing needs at least 3 of 5 criteria met; asking for clarification and answering need a comment.
    Return {"workflow_state", "revision"}."""
    practice = _lock(practice_id)
    # Only the state's office and those who evaluate take part in a practice's workflow: checked before
    # the request's `to` and `comment` are read, so nobody else learns anything from a validation error.
    try:
        permissions.check_can_comment(user, practice.state.code)
    except PermissionDenied as exc:
        raise PermissionDenied(
            f"Solo la oficina de {practice.state.code} y quienes evalúan mueven esta ficha por el flujo de "
            "revisión."
        ) from exc
    if not isinstance(to, str) or to not in Practice.Workflow.values:
        raise ValidationError(
            f"Estado de destino desconocido «{to}» (válidos: {', '.join(Practice.Workflow.values)}).",
            field="to",
        )
    comment = catalog_services.check_text(comment or "", field="comment")
    revision = selectors.open_revision(practice)
    current = selectors.effective_state(practice, revision)
    permissions.check_can_transition(user, practice.state.code, current, to)
    comment = (comment or "").strip()
    if to == "clarification_requested" and not comment:
        raise ValidationError(
            "Escriba la pregunta o aclaración que pide a la oficina estatal.", field="comment"
        )
    if current == "clarification_requested" and to == "in_review" and not comment:
        raise ValidationError("Escriba la respuesta a la aclaración solicitada.", field="comment")
    data = revision.data if revision is not None else selectors.practice_snapshot(pk=practice.pk)
    if to == "published":
        met = selectors.criteria_met(data)
        if met < QUALIFYING_MINIMUM:
            raise ValidationError(
                f"La ficha cumple {met} de 5 criterios; una buena práctica necesita al menos "
                f"{QUALIFYING_MINIMUM}. No puede publicarse: márquela como «no calificada» o revise las "
                "valoraciones.",
                field="to",
            )
    actor = user if getattr(user, "pk", None) else None
    Transition.objects.create(
        practice=practice, revision=revision, from_state=current, to_state=to, actor=actor, comment=comment
    )
    if comment:
        kind = (
            Message.Kind.QUESTION
            if to == "clarification_requested"
            else Message.Kind.ANSWER
            if current == "clarification_requested"
            else Message.Kind.NOTE
        )
        Message.objects.create(practice=practice, kind=kind, author=actor, body=comment)
    history_record(
        kind=HistoryEntry.Kind.WORKFLOW,
        practice=practice,
        actor=user,
        reason=comment,
        before={"workflow_state": current},
        after={"workflow_state": to},
        version=practice.version,
    )
    if revision is not None:
        if to == "published":
            before = selectors.practice_snapshot(pk=practice.pk)
            updated, _ = catalog_services.practice_update(
                practice_id=practice.pk, data=revision.data, expected_version=None
            )
            for code, a in revision.data.get("criteria", {}).items():
                if "citations" in a:
                    evidence_citations.citations_replace(
                        assessment=updated.assessments.get(criterion__code=code), refs=a["citations"]
                    )
            history_record(
                kind=HistoryEntry.Kind.PRACTICE,
                practice=practice,
                actor=user,
                before=before,
                after=selectors.practice_snapshot(pk=practice.pk),
                version=updated.version,
                reason=comment or "Revisión publicada",
            )
        revision.workflow_state = to
        if to in ("published", "not_qualified"):
            revision.outcome = Revision.Outcome.APPLIED if to == "published" else Revision.Outcome.REJECTED
            revision.closed_at = timezone.now()
        revision.save()
        return {"workflow_state": to, "revision": revision.outcome == Revision.Outcome.OPEN}
    catalog_services.practice_set_workflow(practice_id=practice.pk, workflow_state=to)
    return {"workflow_state": to, "revision": False}


@transaction.atomic
def message_post(*, user, practice_id: str, body: str) -> Message:
    """Add a message to a practice's review thread (an answer when the office writes); return it."""
    practice = _lock(practice_id)
    permissions.check_can_comment(user, practice.state.code)
    body = (body or "").strip()
    if not body:
        raise ValidationError("El mensaje está vacío.", field="body")
    role = permissions.role_of(user)
    kind = Message.Kind.ANSWER if role == permissions.EDITOR else Message.Kind.NOTE
    return Message.objects.create(
        practice=practice, kind=kind, author=user if getattr(user, "pk", None) else None, body=body
    )


@transaction.atomic
def criteria_assess(
    *, user, practice_id: str, criteria: dict[str, dict], expected_version: int | None, reason: str = ""
) -> dict:
    """Set several criteria at once (the evaluator's form), all or nothing; return the last result."""
    out: dict = {"version": expected_version}
    for code, a in criteria.items():
        out = criterion_assess(
            user=user,
            practice_id=practice_id,
            criterion=code,
            verdict=a["verdict"],
            evidence=a.get("evidence", ""),
            expected_version=out["version"],
            reason=reason,
            citations=a.get("citations"),
        )
    return out
