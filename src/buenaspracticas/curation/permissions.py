"""Who may do what. Every front door calls these checks (through the services), so pages, API, admin,
CLI and imports enforce the same rules.

Roles: visitor (no account: reads what is published), editor (one state's office: creates and edits that
state's practices and panorama figures), evaluator (assesses criteria, asks for clarification, decides),
coordinator (everything an evaluator does, plus accounts, calls, archiving and restoring history).

Contract used by other features: `check_can_edit_state(user, state_code)` raises PermissionDenied unless
the user may create or edit practices and panorama figures of that state; `user=None` is the system
operator (CLI run on the server), who may do anything."""

from __future__ import annotations

from buenaspracticas.errors import NotAuthenticated, NotFound, PermissionDenied

VISITOR, EDITOR, EVALUATOR, COORDINATOR, SYSTEM = "visitor", "editor", "evaluator", "coordinator", "system"

# (from, to) → roles allowed; "editor" means an editor of the practice's own state.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("draft", "submitted"): frozenset({EDITOR, COORDINATOR}),
    ("submitted", "in_review"): frozenset({EVALUATOR, COORDINATOR}),
    ("in_review", "clarification_requested"): frozenset({EVALUATOR, COORDINATOR}),
    ("clarification_requested", "in_review"): frozenset({EDITOR, EVALUATOR, COORDINATOR}),
    ("in_review", "published"): frozenset({EVALUATOR, COORDINATOR}),
    ("in_review", "not_qualified"): frozenset({EVALUATOR, COORDINATOR}),
    ("not_qualified", "draft"): frozenset({EDITOR, COORDINATOR}),
    ("published", "archived"): frozenset({COORDINATOR}),
    ("archived", "published"): frozenset({COORDINATOR}),
}
EDITABLE_STATES = ("draft", "clarification_requested", "not_qualified")


def role_of(user) -> str:
    """Return the user's role: system (None), coordinator (also superusers), evaluator, editor or visitor."""
    if user is None:
        return SYSTEM
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return VISITOR
    if user.is_superuser:
        return COORDINATOR
    account = getattr(user, "account", None)
    return account.role if account is not None else VISITOR


def state_code_of(user) -> str | None:
    """Return the state code of an editor's account, else None."""
    account = getattr(user, "account", None) if user is not None else None
    return account.state.code if account is not None and account.state_id else None


def _require_login(user) -> None:
    if user is not None and not getattr(user, "is_authenticated", False):
        raise NotAuthenticated(
            "Inicie sesión (o envíe un token «Authorization: Bearer …») para hacer cambios."
        )


def check_can_edit_state(user, state_code: str) -> None:
    """Raise PermissionDenied unless `user` may edit the practices and figures of `state_code`."""
    role = role_of(user)
    if role in (SYSTEM, COORDINATOR):
        return
    if role == EDITOR and state_code_of(user) == state_code:
        return
    if role == EDITOR:
        raise PermissionDenied(
            f"Su cuenta edita solo {state_code_of(user)}; no puede editar los datos de {state_code}."
        )
    raise PermissionDenied(
        f"Solo la oficina estatal ({state_code}) o la coordinación pueden editar los datos "
        f"de {state_code}; su rol es «{role}»."
    )


def edit_refusals(user, state_codes) -> dict[str, str]:
    """Return, for each of `state_codes` the user may not edit, why (check_can_edit_state's message); an
    empty dict when it may edit them all. An import asks this of every state its file edits at once."""
    refusals = {}
    for code in state_codes:
        try:
            check_can_edit_state(user, code)
        except PermissionDenied as exc:
            refusals[code] = exc.message
    return refusals


def can_view_unpublished(user, state_code: str) -> bool:
    """Return whether the user may read the non-published practices of a state."""
    role = role_of(user)
    return role in (SYSTEM, COORDINATOR, EVALUATOR) or (role == EDITOR and state_code_of(user) == state_code)


# Said alike for a practice that does not exist and for one this reader may not see, so that pages and
# API answers never reveal that a draft exists.
PRACTICE_NOT_FOUND = "No existe una ficha publicada con ese identificador."


def check_can_view(user, state_code: str, workflow_state: str) -> None:
    """Raise NotFound unless the user may read a practice in that state and workflow state: to whoever may
    not read an unpublished practice it does not exist (the same 404 as an unknown id, never a 403)."""
    if workflow_state == "published" or can_view_unpublished(user, state_code):
        return
    raise NotFound(PRACTICE_NOT_FOUND)


def check_can_assess(user) -> None:
    """Raise PermissionDenied unless the user may set verdicts and evidence (evaluators, coordination)."""
    _require_login(user)
    if role_of(user) not in (SYSTEM, EVALUATOR, COORDINATOR):
        raise PermissionDenied("Solo quienes evalúan (o la coordinación) pueden valorar los criterios.")


def check_can_transition(user, state_code: str, from_state: str, to_state: str) -> None:
    """Raise PermissionDenied unless the user may move a practice of `state_code` between two states."""
    _require_login(user)
    allowed = TRANSITIONS.get((from_state, to_state))
    if allowed is None:
        from buenaspracticas.errors import ValidationError

        options = ", ".join(t for f, t in TRANSITIONS if f == from_state) or "ninguna"
        raise ValidationError(
            f"No se puede pasar de «{from_state}» a «{to_state}» (desde «{from_state}»: {options}).",
            field="to",
        )
    role = role_of(user)
    if role == SYSTEM or role in allowed and (role != EDITOR or state_code_of(user) == state_code):
        return
    raise PermissionDenied(
        f"Su rol («{role}») no puede pasar una ficha de {state_code} de «{from_state}» a «{to_state}»."
    )


def allowed_transitions(user, state_code: str, from_state: str) -> list[str]:
    """Return the target states this user may move a practice to from `from_state`."""
    out = []
    for f, t in TRANSITIONS:
        if f != from_state:
            continue
        try:
            check_can_transition(user, state_code, f, t)
        except Exception:  # noqa: BLE001 - a refusal just hides the option
            continue
        out.append(t)
    return out


def check_is_coordinator(user, action: str) -> None:
    """Raise PermissionDenied unless the user is the coordination (or the system operator)."""
    _require_login(user)
    if role_of(user) not in (SYSTEM, COORDINATOR):
        raise PermissionDenied(f"Solo la coordinación puede {action}.")


def check_can_comment(user, state_code: str) -> None:
    """Raise PermissionDenied unless the user takes part in the review thread of that state's practice."""
    _require_login(user)
    role = role_of(user)
    if role in (SYSTEM, EVALUATOR, COORDINATOR) or (role == EDITOR and state_code_of(user) == state_code):
        return
    raise PermissionDenied("Solo la oficina del estado y quienes evalúan participan en esta conversación.")


def check_can_create(user) -> None:
    """Raise PermissionDenied unless the user may create practices (a state's editor or the coordination)."""
    role = role_of(user)
    if role in (SYSTEM, COORDINATOR) or role == EDITOR and state_code_of(user):
        return
    raise PermissionDenied("Solo la oficina de un estado (editor) o la coordinación pueden crear fichas.")


def check_own_or_coordinator(user, username: str, action: str) -> None:
    """Raise unless the user is the account `username` itself, the coordination or the system operator."""
    if user is None:
        return
    if getattr(user, "is_authenticated", False) and user.get_username() == username:
        return
    check_is_coordinator(user, action)
