"""Who may write in the coordination space, built on curation's roles (role_of, state_code_of):

- a state's recommendation status: that state's editor, or the coordination;
- sessions and their agreements (create, edit): the coordination;
- an agreement's follow-up (status, notes): the owner state's editor, or the coordination;
- the coordinator's overview: the coordination.

`user=None` is the system operator (CLI on the server), who may do anything. Anonymous callers get
NotAuthenticated (401), signed-in callers without the right role or state get PermissionDenied (403)."""

from __future__ import annotations

from buenaspracticas.curation.permissions import COORDINATOR, EDITOR, SYSTEM, role_of, state_code_of
from buenaspracticas.errors import NotAuthenticated, PermissionDenied


def require_login(user) -> None:
    """Raise NotAuthenticated for an anonymous caller (the system operator, `None`, passes)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(
            "Inicie sesión (o envíe un token «Authorization: Bearer …») para hacer cambios."
        )


def _own_state_or_coordinator(user, state_code: str) -> bool:
    role = role_of(user)
    return role in (SYSTEM, COORDINATOR) or (role == EDITOR and state_code_of(user) == state_code)


def can_track_recommendations(user, state_code: str) -> bool:
    """Return whether the user may update the state's status on the recommendations."""
    return _own_state_or_coordinator(user, state_code)


def check_can_track_recommendations(user, state_code: str) -> None:
    """Raise unless the user may update `state_code`'s status on the recommendations."""
    require_login(user)
    if can_track_recommendations(user, state_code):
        return
    if role_of(user) == EDITOR:
        raise PermissionDenied(
            f"Su cuenta actualiza solo las recomendaciones de {state_code_of(user)}, no las de {state_code}."
        )
    raise PermissionDenied(
        f"Solo la oficina estatal ({state_code}) o la coordinación actualizan el avance de {state_code}."
    )


def can_manage_sessions(user) -> bool:
    """Return whether the user may create and edit sessions and their agreements."""
    return role_of(user) in (SYSTEM, COORDINATOR)


def check_can_manage_sessions(user, action: str) -> None:
    """Raise unless the user is the coordination (or the system operator)."""
    require_login(user)
    if not can_manage_sessions(user):
        raise PermissionDenied(f"Solo la coordinación puede {action}.")


def can_follow_agreement(user, owner_state_code: str) -> bool:
    """Return whether the user may update an agreement's status and add follow-up notes."""
    return _own_state_or_coordinator(user, owner_state_code)


def check_can_follow_agreement(user, owner_state_code: str) -> None:
    """Raise unless the user may follow up an agreement owned by `owner_state_code`."""
    require_login(user)
    if can_follow_agreement(user, owner_state_code):
        return
    raise PermissionDenied(
        f"Solo la oficina estatal responsable ({owner_state_code}) o la coordinación dan seguimiento a este "
        "acuerdo."
    )


def sees_private_links(user) -> bool:
    """Return whether the user may see sessions' video links (any account with a role)."""
    return role_of(user) != "visitor"
