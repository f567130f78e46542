"""Writes of accounts, API tokens and calls for practices; each checks the caller's permission first."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.curation import permissions
from buenaspracticas.curation.models import (
    Account,
    ApiToken,
    Call,
    Role,
)
from buenaspracticas.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationError

TOKEN_PREFIX = "bp_"


# ---------------------------------------------------------------- accounts and tokens


@transaction.atomic
def account_create(
    *, username: str, role: str, state_code: str | None = None, password: str, actor=None
) -> object:
    """Create a user with a role (editor needs a state); return the user. Only the coordination may."""
    permissions.check_is_coordinator(actor, "crear cuentas")
    if role not in Role.values:
        raise ValidationError(f"Rol desconocido «{role}» (válidos: {', '.join(Role.values)}).", field="role")
    state = None
    if role == Role.EDITOR:
        if not state_code:
            raise ValidationError("Una cuenta de editor necesita su estado (--state MX-XXX).", field="state")
        state = catalog_services.state_resolve(key=state_code)
    elif state_code:
        raise ValidationError("Solo las cuentas de editor llevan estado.", field="state")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise Conflict(f"Ya existe la cuenta «{username}».", field="username")
    user = User(username=username)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    Account.objects.create(user=user, role=role, state=state)
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, username: str, actor=None) -> str:
    """Create an API token for a user and return it (shown once; only its hash is stored)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"No existe la cuenta «{username}».")
    if actor is not None and actor != user:
        permissions.check_is_coordinator(actor, "crear tokens para otras cuentas")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(token), prefix=token[:10])
    return token


def token_authenticate(*, header: str | None) -> object:
    """Return the user of an `Authorization: Bearer <token>` header; raise NotAuthenticated without one and
    PermissionDenied for an unknown, revoked or inactive one."""
    if not header or not header.strip():
        raise NotAuthenticated(
            "Falta el token: envíe «Authorization: Bearer <token>» (créelo con "
            "`buenaspracticas token create --username U`)."
        )
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Cabecera Authorization inválida: use «Bearer <token>».")
    row = ApiToken.objects.select_related("user").filter(key_hash=_hash(token.strip())).first()
    if row is None or row.revoked_at is not None:
        raise PermissionDenied("Token no válido o revocado.")
    if not row.user.is_active:
        raise PermissionDenied("La cuenta de este token está desactivada.")
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user


# ---------------------------------------------------------------- calls


@transaction.atomic
def call_create(*, user, title: str, theme: str, deadline: date, description: str = "") -> Call:
    """Open a call for practices with a theme and a deadline (the coordination only); return it."""
    permissions.check_is_coordinator(user, "abrir convocatorias")
    if not (title or "").strip():
        raise ValidationError("La convocatoria necesita un título.", field="title")
    if not (theme or "").strip():
        raise ValidationError("La convocatoria necesita un tema.", field="theme")
    if deadline is None or deadline < timezone.localdate():
        raise ValidationError("La fecha límite debe ser hoy o posterior.", field="deadline")
    return Call.objects.create(
        title=title.strip(),
        theme=theme.strip(),
        deadline=deadline,
        description=(description or "").strip(),
        created_by=user if getattr(user, "pk", None) else None,
    )
