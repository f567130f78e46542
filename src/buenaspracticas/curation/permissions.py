"""Who may do what. Every front door calls these checks (through the services), so pages, API, admin,
CLI and imports enforce the same rules.

Contract used by other features: `check_can_edit_state(user, state_code)` raises PermissionDenied unless
the user may create or edit practices and panorama figures of that state; `user=None` is the system
operator (CLI run on the server), who may do anything."""

from __future__ import annotations

from buenaspracticas.errors import PermissionDenied


def check_can_edit_state(user, state_code: str) -> None:
    """Raise PermissionDenied unless `user` may edit the practices and figures of `state_code`."""
    if user is None or getattr(user, "is_superuser", False):
        return
    raise PermissionDenied(f"No tiene permiso para editar los datos de {state_code}.")
