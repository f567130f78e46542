"""Reads of the coordination pages that depend on who asks: the flags their templates need (what this person
may do) and the session forms, which check the reader first as the services do (NotAuthenticated 401,
PermissionDenied 403). Pages call these instead of checking roles themselves."""

from __future__ import annotations

from typing import Any

from buenaspracticas.coordination import permissions, selectors


def nav(user) -> dict[str, bool]:
    """Return the navigation flags of every coordination page: signed in, and the coordination (which
    creates and edits sessions and agreements)."""
    return {
        "is_coordinator": permissions.can_manage_sessions(user),
        "signed_in": user.is_authenticated,
    }


def session_for_form(*, user, session_id: int | None = None) -> dict[str, Any] | None:
    """Return the session to edit (None for a new one) for the coordination; raise NotAuthenticated or
    PermissionDenied for anyone else (before reading the session), NotFound for an unknown one."""
    if session_id is None:
        permissions.check_can_manage_sessions(user, "crear sesiones de coordinación")
        return None
    permissions.check_can_manage_sessions(user, "editar sesiones de coordinación")
    return selectors.session_get(session_id=session_id, user=user)


def session_page(*, session_id: int, user) -> dict[str, Any]:
    """Return a session (selectors.session_get; NotFound) whose agreements each say whether the user may
    follow it up (`can_follow`: the owner state's office or the coordination, signed in)."""
    session = selectors.session_get(session_id=session_id, user=user)
    for a in session["agreements"]:
        a["can_follow"] = user.is_authenticated and permissions.can_follow_agreement(
            user, a["owner_state"]["code"]
        )
    return session
