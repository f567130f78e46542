"""Who may read which evidence. Consent is filtered here, once: every page, API route, export, PDF,
search result and package reads excerpts through these functions, never through Excerpt.objects."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q

from buenaspracticas.curation import permissions
from buenaspracticas.errors import NotFound
from buenaspracticas.evidence.models import Consent, Excerpt, Finding, Interview, Module

_LEVELS = {
    permissions.VISITOR: (Consent.PUBLIC,),
    permissions.EDITOR: (Consent.PUBLIC,),
    permissions.EVALUATOR: (Consent.PUBLIC, Consent.EVALUATORS),
    permissions.COORDINATOR: (Consent.PUBLIC, Consent.EVALUATORS, Consent.COORDINATORS),
    permissions.SYSTEM: (Consent.PUBLIC, Consent.EVALUATORS, Consent.COORDINATORS),
}


def consent_levels(user) -> tuple[str, ...]:
    """Return the consent levels `user` may read (a visitor and an editor: public only)."""
    return tuple(str(level) for level in _LEVELS[permissions.role_of(user)])


def public_levels() -> tuple[str, ...]:
    """The levels anything published to everyone (exports, packages, feeds, search) may carry."""
    return (str(Consent.PUBLIC),)


def excerpts_visible(user):
    """Return the excerpts `user` may read."""
    return Excerpt.objects.filter(consent__in=consent_levels(user))


def may_read_excerpt(user, excerpt: Excerpt) -> bool:
    """Return whether `user` may read `excerpt`."""
    return excerpt.consent in consent_levels(user)


# ---------------------------------------------------------------- interviews


def _excerpt_json(e: Excerpt) -> dict[str, Any]:
    return {
        "id": e.pk,
        "module": e.module,
        "module_label": str(Module(e.module).label),
        "text": e.text,
        "consent": e.consent,
        "consent_label": str(Consent(e.consent).label),
    }


def source_json(record) -> dict[str, Any] | None:
    """Return a record's source (document slug and lines) as the JSON carries it, or None."""
    if not record.source_id:
        return None
    return {
        "document": record.source.slug,
        "first_line": record.source_first_line,
        "last_line": record.source_last_line,
    }


def interview_json(interview: Interview) -> dict[str, Any]:
    """Return an interview fetched by `_interviews` (its excerpts already filtered by the reader's level)."""
    state = interview.state
    return {
        "id": interview.pk,
        "state": {"code": state.code, "slug": state.slug, "name": state.name},
        "institution": interview.institution.name if interview.institution_id else "",
        "held_on": interview.held_on.isoformat() if interview.held_on else None,
        "notes": interview.notes,
        "source": source_json(interview),
        "interviewees": [
            {"role": p.role, "name": p.name if p.name_consented else ""} for p in interview.interviewees.all()
        ],
        "excerpts": [_excerpt_json(e) for e in interview.visible_excerpts],
    }


def _interviews(levels: tuple[str, ...]):
    return Interview.objects.select_related("state", "institution", "source").prefetch_related(
        "interviewees",
        Prefetch("excerpts", queryset=Excerpt.objects.filter(consent__in=levels), to_attr="visible_excerpts"),
    )


def interview_list(*, user, state: str | None = None) -> dict[str, Any]:
    """Return {"count", "items"}: interviews (of one state, by code or slug), each with the excerpts the
    reader's consent level allows."""
    qs = _interviews(consent_levels(user))
    if state:
        qs = qs.filter(Q(state__code__iexact=state) | Q(state__slug__iexact=state))
    items = [interview_json(i) for i in qs.order_by("state__code", "held_on", "pk")]
    return {"count": len(items), "items": items}


def interview_get(*, user, interview_id: int) -> dict[str, Any]:
    """Return one interview with the excerpts the reader may read; raise NotFound."""
    interview = _interviews(consent_levels(user)).filter(pk=interview_id).first()
    if interview is None:
        raise NotFound(f"No existe la entrevista {interview_id}.")
    return interview_json(interview)


def interviews_public(*, state_code: str, limit: int = 5) -> dict[str, Any]:
    """Return {"count", "items"}: a state's interviews as everyone may read them (public excerpts only)."""
    qs = _interviews(public_levels()).filter(state__code=state_code).order_by("-held_on", "pk")
    return {"count": qs.count(), "items": [interview_json(i) for i in qs[:limit]]}


# ---------------------------------------------------------------- findings matrix


def _document_json(d) -> dict[str, Any]:
    return {"id": d.pk, "footnote": d.footnote, "text": d.title or d.text, "url": d.url}


def finding_json(f: Finding) -> dict[str, Any]:
    """Return a findings row fetched by `_findings` (linked excerpts already filtered by consent)."""
    return {
        "id": f.pk,
        "programme": f.programme,
        "practice": (
            {"id": f.practice.public_id, "title": f.practice.title, "status": f.practice.status}
            if f.practice_id
            else None
        ),
        "impacts": f.impacts,
        "results": f.results,
        "validity": f.validity,
        "continuity": f.continuity,
        "suspended": f.suspended,
        "suspended_reason": f.suspended_reason,
        "excerpts": [_excerpt_json(e) for e in f.visible_excerpts],
        "documents": [_document_json(d) for d in f.documents.all()],
        "source": source_json(f),
    }


def _findings(levels: tuple[str, ...]):
    return (
        Finding.objects.select_related("state", "practice", "source")
        .prefetch_related(
            "documents",
            Prefetch(
                "excerpts", queryset=Excerpt.objects.filter(consent__in=levels), to_attr="visible_excerpts"
            ),
        )
        .order_by("state__code", "practice__number", "pk")
    )


def state_findings(*, user, key: str) -> dict[str, Any]:
    """Return {"state", "count", "items"}: a state's findings matrix (by code or slug; NotFound), with the
    linked excerpts the reader's level allows. Rows of practices the reader may not see are left out."""
    from buenaspracticas.catalog.services import state_resolve

    state = state_resolve(key=key)
    qs = _findings(consent_levels(user)).filter(state=state)
    if not permissions.can_view_unpublished(user, state.code):
        qs = qs.filter(Q(practice__isnull=True) | Q(practice__workflow_state="published"))
    items = [finding_json(f) for f in qs]
    return {
        "state": {"code": state.code, "slug": state.slug, "name": state.name},
        "count": len(items),
        "items": items,
    }


def findings_public(*, state_codes: list[str] | None = None) -> list[dict[str, Any]]:
    """Return the findings rows everyone may read (of published practices, with public excerpts only), with
    their state code; for the exports, the packages and the PDF."""
    qs = _findings(public_levels()).filter(Q(practice__isnull=True) | Q(practice__workflow_state="published"))
    if state_codes is not None:
        qs = qs.filter(state__code__in=state_codes)
    return [{"state_code": f.state.code, **finding_json(f)} for f in qs]


def finding_for_edit(*, user, finding_id: int) -> dict[str, Any]:
    """Return a findings row for its edit form (raise NotFound), with the excerpts the user may read."""
    f = _findings(consent_levels(user)).filter(pk=finding_id).first()
    if f is None:
        raise NotFound(f"No existe el hallazgo {finding_id}.")
    return {"state_code": f.state.code, "state_slug": f.state.slug, **finding_json(f)}


def state_excerpt_choices(*, user, state_code: str) -> list[dict[str, Any]]:
    """Return the excerpts of a state's interviews the user may read (to link them to a findings row)."""
    qs = excerpts_visible(user).filter(interview__state__code=state_code).select_related("interview")
    return [{**_excerpt_json(e), "interview": e.interview_id} for e in qs.order_by("interview_id", "pk")]


def may_record_evidence(user, state_code: str) -> bool:
    """Return whether the user may record interviews and findings rows of the state."""
    role = permissions.role_of(user)
    if role in (permissions.SYSTEM, permissions.EVALUATOR, permissions.COORDINATOR):
        return True
    return role == permissions.EDITOR and permissions.state_code_of(user) == state_code


def state_for_recording(*, user, key: str) -> dict[str, Any]:
    """Return the state (code, slug, name and its practices' ids; by code or slug) whose interviews or
    findings the user is about to record. Raise NotFound for an unknown state, then NotAuthenticated or
    PermissionDenied unless the user may record its evidence (services.check_can_record_evidence)."""
    from buenaspracticas.catalog.selectors import state_get
    from buenaspracticas.evidence.services import check_can_record_evidence

    state = state_get(key=key)
    check_can_record_evidence(user, state["code"])
    return {k: state[k] for k in ("code", "slug", "name", "practices")}
