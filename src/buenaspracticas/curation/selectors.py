"""Reads of curation, as plain dicts: practices as their editors and evaluators see them (any workflow
state), the review thread, calls, and the history with readable diffs."""

from __future__ import annotations

import difflib
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buenaspracticas.catalog.models import Assessment, Practice, PracticeDimension
from buenaspracticas.catalog.selectors import practice_to_json
from buenaspracticas.catalog.services import EDITABLE_FIELDS
from buenaspracticas.curation import permissions
from buenaspracticas.curation.models import ApiToken, Call, HistoryEntry, Message, Revision, Transition
from buenaspracticas.errors import NotFound
from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, QUALIFYING_MINIMUM

SNAPSHOT_FIELDS = EDITABLE_FIELDS  # a snapshot holds what a ficha's editor can change
FIELD_LABELS = {
    "title": gettext_lazy("Título"),
    "institution": gettext_lazy("Institución que coordina"),
    "dimensions": gettext_lazy("Dimensiones"),
    "target_population": gettext_lazy("Población objetivo"),
    "description": gettext_lazy("Descripción"),
    "status": gettext_lazy("Estatus"),
    "beneficiaries": gettext_lazy("Personas beneficiarias"),
    "workflow_state": gettext_lazy("Estado del flujo"),
}


def practice_queryset():
    """Return practices in any workflow state, prefetched for practice_to_json."""
    return Practice.objects.select_related(
        "state__region", "institution", "source_document"
    ).prefetch_related(
        Prefetch("practicedimension_set", queryset=PracticeDimension.objects.select_related("dimension")),
        Prefetch("assessments", queryset=Assessment.objects.select_related("criterion")),
    )


def practice_by_id(*, practice_id: str) -> Practice:
    """Return the Practice with that public id (any workflow state); raise NotFound."""
    practice = practice_queryset().filter(public_id=practice_id).first()
    if practice is None:
        raise NotFound(permissions.PRACTICE_NOT_FOUND)
    return practice


def snapshot(data: dict) -> dict[str, Any]:
    """Return the editable part of a Practice JSON (what history and revisions keep)."""
    return {k: data[k] for k in SNAPSHOT_FIELDS}


def practice_snapshot(*, pk: int) -> dict[str, Any]:
    """Return the editable data of the practice with database key `pk`."""
    return snapshot(practice_to_json(practice_queryset().get(pk=pk)))


def criteria_met(data: dict) -> int:
    """Return how many criteria are met in ficha data."""
    return sum(1 for c in data.get("criteria", {}).values() if c.get("verdict") == "met")


def open_revision(practice: Practice) -> Revision | None:
    """Return the open revision of a practice, if any."""
    return Revision.objects.filter(practice=practice, outcome=Revision.Outcome.OPEN).first()


def effective_state(practice: Practice, revision: Revision | None = None) -> str:
    """Return the workflow state edits and transitions act on: the open revision's, else the practice's."""
    revision = revision if revision is not None else open_revision(practice)
    return revision.workflow_state if revision is not None else practice.workflow_state


def _user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _role_label(user) -> str:
    """Who did it, as the public may know it: the office, evaluation or coordination, never a name."""
    if user is None:
        return ""
    account = getattr(user, "account", None)
    if user.is_superuser or account is not None and account.role == permissions.COORDINATOR:
        return _("coordinación")
    if account is not None and account.role == permissions.EVALUATOR:
        return _("evaluación")
    if account is not None and account.state_id:
        return _("oficina estatal de %(state)s") % {"state": account.state.name}
    return _("equipo del catálogo")


def _flatten(data: dict | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if key == "criteria" and isinstance(value, dict):
            for code in CRITERIA:
                c = value.get(code, {})
                out[f"criteria.{code}.verdict"] = c.get("verdict", "unknown")
                out[f"criteria.{code}.evidence"] = c.get("evidence", "")
                if c.get("citations"):
                    out[f"criteria.{code}.citations"] = _citation_refs_text(c["citations"])
        elif isinstance(value, list):
            out[key] = ", ".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def _citation_refs_text(refs: list[dict]) -> str:
    """Citations as history shows them: what is cited, by id (an excerpt's text never enters history)."""
    words = {"excerpt": _("extracto"), "document": _("documento"), "finding": _("hallazgo")}
    out = []
    for ref in refs:
        kind = next((k for k in words if ref.get(k) is not None), None)
        if kind is None:
            continue
        text = f"{words[kind]} {ref[kind]}"
        out.append(f"{text} ({ref['locator']})" if ref.get("locator") else text)
    return ", ".join(out)


def _label(key: str) -> str:
    if key.startswith("criteria."):
        code, part = key.split(".")[1:]
        what = {"verdict": _("valoración"), "citations": _("citas")}.get(part, _("evidencia"))
        return f"{_(CRITERIA_LABELS.get(code, code))}: {what}"
    return str(FIELD_LABELS.get(key, key))


def _inline(old: str, new: str) -> list[dict[str, str]]:
    a, b = old.split(" "), new.split(" ")
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append({"op": "same", "text": " ".join(a[i1:i2])})
        if op in ("delete", "replace"):
            segments.append({"op": "del", "text": " ".join(a[i1:i2])})
        if op in ("insert", "replace"):
            segments.append({"op": "ins", "text": " ".join(b[j1:j2])})
    return segments


def diff(before: dict | None, after: dict | None) -> list[dict[str, Any]]:
    """Return the fields that differ between two snapshots: label, old, new and an inline word diff."""
    old, new = _flatten(before), _flatten(after)
    rows = []
    for key in list(dict.fromkeys([*old, *new])):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        a_text, b_text = "" if a is None else str(a), "" if b is None else str(b)
        rows.append(
            {
                "field": key,
                "label": _label(key),
                "old": a_text,
                "new": b_text,
                "segments": _inline(a_text, b_text) if len(a_text) > 60 and len(b_text) > 60 else [],
            }
        )
    return rows


def _entry(e: HistoryEntry, *, names: bool = True) -> dict[str, Any]:
    who = _user_label(e.actor) if names else _role_label(e.actor)
    return {
        "id": e.id,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "at": timezone.localtime(e.at),
        "who": who or e.actor_label,
        "reason": e.reason,
        "version": e.version,
        "changes": diff(e.before, e.after),
        "created": e.before is None,
        "restorable": e.kind
        in (HistoryEntry.Kind.PRACTICE, HistoryEntry.Kind.ASSESSMENT, HistoryEntry.Kind.PANORAMA)
        and e.after is not None,
    }


def practice_history(*, practice_id: str, user=None) -> list[dict[str, Any]]:
    """Return a practice's history, oldest first, each entry with its readable diff. Readers who are not
    its staff (visitors, other states' offices) see the history of published practices without pending
    revisions, each change attributed to a role ("oficina estatal de Oaxaca", "evaluación", the report),
    never to a person; staff (evaluation, coordination, the state's office) see everything, with names."""
    practice = Practice.objects.select_related("state").filter(public_id=practice_id).first()
    if practice is None:
        return []
    staff = permissions.can_view_unpublished(user, practice.state.code)
    if not staff and practice.workflow_state != Practice.Workflow.PUBLISHED:
        return []
    entries = HistoryEntry.objects.filter(practice=practice).select_related("actor__account__state")
    if not staff:
        entries = entries.exclude(kind=HistoryEntry.Kind.REVISION)
    return [_entry(e, names=staff) for e in entries]


def state_history(*, state_code: str) -> list[dict[str, Any]]:
    """Return the history of a state's panorama figures, oldest first."""
    entries = HistoryEntry.objects.filter(kind=HistoryEntry.Kind.PANORAMA, state__code=state_code)
    return [_entry(e) for e in entries.select_related("actor")]


SPLIT_REVIEW_BELOW = 0.5  # an automatic split of a report's evidence below this confidence asks for review


def splits_to_review(*, user, practice_id: str) -> frozenset[str]:
    """Return the criteria of a practice whose evidence the parser split from the report's columns with low
    confidence ("división automática: revisar"), for those who assess (evaluators, coordination); else
    none."""
    if permissions.role_of(user) not in (permissions.EVALUATOR, permissions.COORDINATOR):
        return frozenset()
    return frozenset(
        Assessment.objects.filter(
            practice__public_id=practice_id, split_confidence__lt=SPLIT_REVIEW_BELOW
        ).values_list("criterion__code", flat=True)
    )


def working_copy(workspace: dict) -> dict:
    """The practice as its curators edit it: the draft, or a published one's pending revision."""
    data, pending = workspace["practice"], workspace["pending"]
    if pending is not None:
        data = {
            **data,
            **{key: pending[key] for key in SNAPSHOT_FIELDS},
            "criteria_met": pending["criteria_met"],
            "qualifies": pending["qualifies"],
        }
    return {**data, "version": workspace["version"]}


def practice_for_reader(*, user, practice_id: str) -> dict[str, Any]:
    """Return the ficha JSON as `user` may read it, with the `version` to send when editing: the working
    copy (draft or pending revision) for those who may read the state's unpublished practices, else the
    published record (anything unpublished is NotFound, as for a visitor); citations within the reader's
    consent level."""
    from buenaspracticas.catalog.selectors import with_citations

    practice = practice_by_id(practice_id=practice_id)
    if permissions.can_view_unpublished(user, practice.state.code):
        data = working_copy(practice_workspace(user=user, practice_id=practice_id))
    elif practice.workflow_state != "published":
        raise NotFound(f"No existe la práctica «{practice_id}».")
    else:
        data = {**practice_to_json(practice), "version": practice.version}
    return with_citations([data], user=user)[0]


def practice_workspace(*, user, practice_id: str) -> dict[str, Any]:
    """Return what the curation page of a practice shows: current data, pending revision, workflow,
    thread, transitions, history and what this user may do. Raise NotFound when the user may not read it.
    Readers who are not its staff (a published practice) get the published record only: no pending
    revision, review thread or transitions, and a history without names."""
    practice = practice_by_id(practice_id=practice_id)
    code = practice.state.code
    permissions.check_can_view(user, code, practice.workflow_state)
    staff = permissions.can_view_unpublished(user, code)
    data = practice_to_json(practice)
    revision = open_revision(practice) if staff else None
    state = effective_state(practice, revision) if staff else practice.workflow_state
    pending = None
    if revision is not None:
        pending = {
            **revision.data,
            "criteria_met": criteria_met(revision.data),
            "qualifies": criteria_met(revision.data) >= QUALIFYING_MINIMUM,
            "workflow_state": revision.workflow_state,
            "workflow_label": Practice.Workflow(revision.workflow_state).label,
            "changes": diff(snapshot(data), revision.data),
        }
    submission = getattr(practice, "submission", None)
    can_edit = _allowed(permissions.check_can_edit_state, user, code) and (
        state in permissions.EDITABLE_STATES or state == "published"
    )
    return {
        "practice": data,
        "pk": practice.pk,
        "version": practice.version,
        "workflow_state": practice.workflow_state,
        "workflow_label": practice.get_workflow_state_display(),
        "effective_state": state,
        "effective_label": Practice.Workflow(state).label,
        "pending": pending,
        "editable_data": revision.data if revision is not None else snapshot(data),
        "call": {"id": submission.call_id, "title": submission.call.title}
        if submission and submission.call_id
        else None,
        "thread": [
            {
                "kind": m.kind,
                "kind_label": m.get_kind_display(),
                "who": _user_label(m.author),
                "body": m.body,
                "at": timezone.localtime(m.at),
            }
            for m in (Message.objects.filter(practice=practice).select_related("author") if staff else [])
        ],
        "transitions": [
            {
                "from": t.from_state,
                "to": t.to_state,
                "to_label": Practice.Workflow(t.to_state).label,
                "who": _user_label(t.actor),
                "comment": t.comment,
                "at": timezone.localtime(t.at),
                "revision": t.revision_id is not None,
            }
            for t in (Transition.objects.filter(practice=practice).select_related("actor") if staff else [])
        ],
        "allowed_transitions": [
            {"to": t, "label": Practice.Workflow(t).label}
            for t in permissions.allowed_transitions(user, code, state)
        ],
        "can_edit": can_edit,
        "can_assess": _allowed(permissions.check_can_assess, user) and state not in ("archived",),
        "can_comment": _allowed(permissions.check_can_comment, user, code),
        "can_restore": permissions.role_of(user) in (permissions.COORDINATOR, permissions.SYSTEM),
        "history": practice_history(practice_id=practice_id, user=user),
    }


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except Exception:  # noqa: BLE001 - a refusal only hides the control
        return False
    return True


def my_practices(*, user) -> list[dict[str, Any]]:
    """Return the practices this user works on: an editor's state (any workflow state), or for evaluators
    and the coordination every practice not simply published (plus those with an open revision)."""
    role = permissions.role_of(user)
    qs = Practice.objects.select_related("state").order_by("state__name", "number")
    if role == permissions.EDITOR:
        qs = qs.filter(state__code=permissions.state_code_of(user))
    elif role in (permissions.EVALUATOR, permissions.COORDINATOR):
        qs = qs.exclude(workflow_state=Practice.Workflow.PUBLISHED) | qs.filter(revisions__outcome="open")
        qs = qs.distinct()
    else:
        return []
    revisions = {r.practice_id: r for r in Revision.objects.filter(outcome=Revision.Outcome.OPEN)}
    out = []
    for p in qs:
        state = revisions[p.pk].workflow_state if p.pk in revisions else p.workflow_state
        out.append(
            {
                "id": p.public_id,
                "title": p.title,
                "state": p.state.name,
                "workflow_state": state,
                "workflow_label": Practice.Workflow(state).label,
                "revision": p.pk in revisions,
                "updated_at": timezone.localtime(p.updated_at),
            }
        )
    return out


def call_list() -> list[dict[str, Any]]:
    """Return every call, latest deadline first, with whether it is open and how many answered it."""
    today = timezone.localdate()
    return [
        {
            "id": c.id,
            "title": c.title,
            "theme": c.theme,
            "deadline": c.deadline,
            "open": c.deadline >= today,
            "submissions": c.submissions.count(),
        }
        for c in Call.objects.all()
    ]


def call_get(*, call_id: int, user=None) -> dict[str, Any]:
    """Return one call with the practices that answered it (those this user may see); raise NotFound."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        raise NotFound(f"No existe la convocatoria {call_id}.")
    items = []
    for s in call.submissions.select_related("practice__state").order_by("created_at"):
        p = s.practice
        if p.workflow_state == "published" or permissions.can_view_unpublished(user, p.state.code):
            items.append(
                {
                    "id": p.public_id,
                    "title": p.title,
                    "state": p.state.name,
                    "workflow_state": p.workflow_state,
                    "workflow_label": p.get_workflow_state_display(),
                }
            )
    return {
        "id": call.id,
        "title": call.title,
        "theme": call.theme,
        "description": call.description,
        "deadline": call.deadline,
        "open": call.deadline >= timezone.localdate(),
        "practices": items,
    }


def state_figures(*, user, state_code: str) -> dict[str, Any]:
    """Return a state's current panorama figures with their history, for its office or the coordination;
    raise PermissionDenied for anyone else."""
    from buenaspracticas.catalog.models import State
    from buenaspracticas.panorama.models import Indicator

    permissions.check_can_edit_state(user, state_code)
    state = State.objects.filter(code=state_code).first()
    if state is None:
        raise NotFound(f"No existe el estado «{state_code}».")
    rows = (
        Indicator.objects.filter(panorama__state=state, superseded_at__isnull=True)
        .select_related("panorama__document")
        .order_by("panorama__document__slug", "order")
    )
    figures = [
        {
            "id": i.pk,
            "key": i.key,
            "label": i.label,
            "value": i.value,
            "unit": i.unit,
            "period": i.period,
            "source": i.source,
            "document": i.panorama.document.slug,
        }
        for i in rows
    ]
    return {
        "code": state.code,
        "name": state.name,
        "slug": state.slug,
        "figures": figures,
        "history": state_history(state_code=state.code),
    }


def _token_status(t: ApiToken, now) -> tuple[str, str]:
    if t.revoked_at is not None:
        return "revoked", _("revocado")
    if t.expires_at <= now:
        return "expired", _("vencido")
    return "active", _("vigente")


def token_list(*, user, username: str) -> list[dict[str, Any]]:
    """Return an account's API tokens, newest first, each with its prefix, dates and status (active, expired
    or revoked; never the token itself). The account itself or the coordination may read them."""
    permissions.check_own_or_coordinator(user, username, "ver los tokens de otras cuentas")
    now = timezone.now()
    out = []
    for t in ApiToken.objects.filter(user__username=username):
        status, label = _token_status(t, now)
        out.append(
            {
                "prefix": t.prefix,
                "label": t.label,
                "created_at": timezone.localtime(t.created_at),
                "last_used_at": timezone.localtime(t.last_used_at) if t.last_used_at else None,
                "expires_at": timezone.localtime(t.expires_at),
                "revoked_at": timezone.localtime(t.revoked_at) if t.revoked_at else None,
                "status": status,
                "status_label": label,
            }
        )
    return out


def account_home(*, user) -> dict[str, Any]:
    """Return what the account page shows of a signed-in user: name, role, state and live tokens."""
    account = getattr(user, "account", None)
    role = permissions.role_of(user)
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": role,
        "role_label": account.get_role_display() if account is not None else "",
        "state": {"code": account.state.code, "name": account.state.name}
        if account is not None and account.state_id
        else None,
        "active_tokens": ApiToken.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).count(),
        "can_create": role in (permissions.EDITOR, permissions.COORDINATOR),
    }
