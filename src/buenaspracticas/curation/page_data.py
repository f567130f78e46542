"""Reads of the curation pages (and the history route of the API) that depend on who asks. Each checks the
reader first, as the services do: NotAuthenticated (401), PermissionDenied (403), or NotFound (404) for a
practice the reader may not see; then returns what the page shows, with the flags its template needs
(what this person may do). Pages and routes call these instead of checking roles themselves."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.catalog.models import State
from buenaspracticas.curation import permissions, selectors


def capabilities(user) -> dict[str, Any]:
    """Return what `user` may do, as the templates need it: the role, whether it may create practices (a
    state's office or the coordination) and whether it is the coordination (opens calls, restores
    history)."""
    role = permissions.role_of(user)
    return {
        "role": role,
        "can_create_practice": role in (permissions.EDITOR, permissions.COORDINATOR),
        "is_coordinator": role == permissions.COORDINATOR,
    }


def state_choices(user) -> list[tuple[str, str]] | None:
    """Return the states (code, name) a new practice may be filed under when the user chooses it: all 32
    for the coordination; None for everyone else (an editor files under its own state)."""
    if not capabilities(user)["is_coordinator"]:
        return None
    return list(State.objects.order_by("name").values_list("code", "name"))


def my_practices_page(*, user) -> dict[str, Any]:
    """Return the "my practices" page: the practices this user works on, its role and state, and whether
    it may create practices."""
    caps = capabilities(user)
    return {
        "items": selectors.my_practices(user=user),
        "role": caps["role"],
        "state_code": permissions.state_code_of(user),
        "can_create": caps["can_create_practice"],
    }


def practice_form_new(*, user) -> dict[str, Any]:
    """Return what the new-practice form offers: the open calls and, for the coordination, the states.
    Raise PermissionDenied unless the user may create practices."""
    permissions.check_can_create(user)
    return {
        "calls": [c for c in selectors.call_list() if c["open"]],
        "states": state_choices(user),
    }


def practice_for_editing(*, user, practice_id: str) -> dict[str, Any]:
    """Return the workspace of a practice for its edit form (selectors.practice_workspace). Raise NotFound
    when the user may not read it, PermissionDenied when it may read but not edit its state's data."""
    ws = selectors.practice_workspace(user=user, practice_id=practice_id)
    permissions.check_can_edit_state(user, ws["practice"]["state"]["code"])
    return ws


def practice_history(*, user, practice_id: str) -> list[dict[str, Any]]:
    """Return a practice's history as `user` may read it (selectors.practice_history); raise NotFound for an
    unknown practice and for one the user may not read (the same answer)."""
    practice = selectors.practice_by_id(practice_id=practice_id)
    permissions.check_can_view(user, practice.state.code, practice.workflow_state)
    return selectors.practice_history(practice_id=practice_id, user=user)


def history_page(*, user, practice_id: str) -> dict[str, Any]:
    """Return the history page of a practice: its entries and whether the user may restore them."""
    return {
        "practice_id": practice_id,
        "entries": practice_history(user=user, practice_id=practice_id),
        "can_restore": capabilities(user)["is_coordinator"],
    }


def call_list_page(*, user) -> dict[str, Any]:
    """Return the calls page: every call, and whether the user may open one (the coordination)."""
    return {"calls": selectors.call_list(), "can_create": capabilities(user)["is_coordinator"]}


def call_form(*, user) -> dict[str, Any]:
    """Return what the form opening a call shows beyond its fields (nothing more today); raise
    NotAuthenticated or PermissionDenied unless the user is the coordination."""
    permissions.check_is_coordinator(user, _("abrir convocatorias"))
    return {}


def state_figures_page(*, user, state_code: str) -> dict[str, Any]:
    """Return a state's panorama figures page (selectors.state_figures: its office or the coordination,
    else PermissionDenied) and whether the user may restore their history."""
    return {
        "state": selectors.state_figures(user=user, state_code=state_code),
        "can_restore": capabilities(user)["is_coordinator"],
    }
