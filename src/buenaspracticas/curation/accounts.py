"""Writes of accounts, passwords, API tokens and calls for practices; each checks the caller's permission
first. Also the throttling of sign-ins and API tokens that django-axes runs with (settings.AXES_*)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.curation import permissions
from buenaspracticas.curation.models import (
    Account,
    ApiToken,
    Call,
    Role,
)
from buenaspracticas.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    Throttled,
    ValidationError,
)

TOKEN_PREFIX = "bp_"
# Bad Bearer tokens are counted by django-axes under this name, which no account can have (Django's
# usernames take no colon), so they throttle the client's IP without touching any person's sign-in.
TOKEN_THROTTLE_USERNAME = "api:token"


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


def _user_by_name(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"No existe la cuenta «{username}».")
    return user


def token_create(*, username: str, actor=None, days: int | None = None, label: str = "") -> str:
    """Create an API token for a user, valid for `days` (settings.API_TOKEN_DAYS by default), and return it
    (shown once; only its hash is stored). One may create one's own; the coordination, anyone's."""
    permissions.check_own_or_coordinator(actor, username, "crear tokens para otras cuentas")
    user = _user_by_name(username)
    days = settings.API_TOKEN_DAYS if days is None else days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            f"La vigencia del token va de 1 a {settings.API_TOKEN_MAX_DAYS} días (se pidió «{days}»).",
            field="days",
        )
    label = (label or "").strip()
    if len(label) > 100:
        raise ValidationError("La descripción del token admite hasta 100 caracteres.", field="label")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=_hash(token),
        prefix=token[:10],
        label=label,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token


@transaction.atomic
def token_revoke(*, actor, key: str, username: str | None = None) -> ApiToken:
    """Revoke the token given whole or by its prefix (`bp_` and 7 more characters), optionally among one
    account's tokens, and return it; revoking a revoked token changes nothing. Its owner or the
    coordination may; raise NotFound, or Conflict when a prefix matches tokens of several accounts."""
    if permissions.role_of(actor) not in (permissions.SYSTEM, permissions.COORDINATOR):
        permissions.check_own_or_coordinator(
            actor, username or actor.get_username(), "revocar tokens de otras cuentas"
        )
        username = actor.get_username()
    key = (key or "").strip()
    if len(key) < 10 or not key.startswith(TOKEN_PREFIX):
        raise ValidationError(
            "Indique el token completo o su prefijo (los 10 primeros caracteres, p. ej. «bp_a1B2c3d»).",
            field="key",
        )
    rows = ApiToken.objects.select_related("user").select_for_update()
    rows = rows.filter(key_hash=_hash(key)) if len(key) > 12 else rows.filter(prefix=key[:10])
    if username:
        rows = rows.filter(user__username=username)
    matches = list(rows)
    if not matches:
        whose = f" de la cuenta «{username}»" if username else ""
        raise NotFound(f"No hay ningún token{whose} que empiece por «{key[:10]}».")
    if len(matches) > 1:
        raise Conflict(
            f"Varios tokens empiezan por «{key[:10]}»: indique la cuenta (--username) o el token completo.",
            field="key",
        )
    row = matches[0]
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


def token_revoke_all(*, actor, username: str) -> int:
    """Revoke every live token of an account (its owner, the coordination or the system); return how many."""
    permissions.check_own_or_coordinator(actor, username, "revocar tokens de otras cuentas")
    user = _user_by_name(username)
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def account_password_set(*, actor, username: str, password: str) -> object:
    """Set an account's password (its owner, the coordination or the system) and revoke all its API tokens,
    so a token taken with the old password stops working; return the user."""
    permissions.check_own_or_coordinator(actor, username, "cambiar la contraseña de otras cuentas")
    user = _user_by_name(username)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    token_revoke_all(actor=None, username=username)
    return user


# ---------------------------------------------------------------- throttling (django-axes)


def client_ip_address(request: HttpRequest) -> str | None:
    """Return the client's IP for throttling: REMOTE_ADDR, or behind the TLS proxy the last X-Forwarded-For
    address (the one that proxy appended; earlier ones are whatever the client sent)."""
    if settings.THROTTLE_CLIENT_IP_FROM_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list:
    """Return what axes counts failures by: the (username, IP) pair, or the IP alone once that IP has
    failed settings.LOGIN_IP_FAILURE_LIMIT times within the cool-off, whatever the usernames."""
    pair: list = [["username", "ip_address"]]
    ip = getattr(request_or_attempt, "axes_ip_address", None)
    at = getattr(request_or_attempt, "axes_attempt_time", None)
    if ip is None or at is None:
        return pair
    failures = AccessAttempt.objects.filter(
        ip_address=ip, attempt_time__gte=at - get_cool_off(request_or_attempt)
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return ["ip_address"] if (failures or 0) >= settings.LOGIN_IP_FAILURE_LIMIT else pair


def throttle_minutes() -> int:
    """Return the cool-off of a locked client, in whole minutes."""
    cool_off = get_cool_off()
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0


def throttled_error() -> Throttled:
    """Return the error a throttled client gets (429), saying how long to wait."""
    minutes = throttle_minutes()
    return Throttled(
        f"Demasiados intentos fallidos desde su dirección: espere {minutes} minutos antes de volver a "
        "intentarlo.",
        details={"retry_after": minutes * 60},
    )


def token_authenticate(*, header: str | None, request: HttpRequest | None = None) -> object:
    """Return the user of an `Authorization: Bearer <token>` header; raise NotAuthenticated without one,
    PermissionDenied for an unknown, revoked or expired token or an inactive account, and Throttled when
    `request`'s client has sent too many bad tokens (each one is recorded and logged by django-axes)."""
    if not header or not header.strip():
        raise NotAuthenticated(
            "Falta el token: envíe «Authorization: Bearer <token>» (créelo en /cuenta/tokens/ o con "
            "`buenaspracticas token create --username U`)."
        )
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Cabecera Authorization inválida: use «Bearer <token>».")
    throttle = request is not None and settings.AXES_ENABLED
    credentials = get_credentials(TOKEN_THROTTLE_USERNAME)
    if throttle and not AxesProxyHandler.is_allowed(request, credentials):
        raise throttled_error()
    row = ApiToken.objects.select_related("user").filter(key_hash=_hash(token.strip())).first()
    now = timezone.now()
    problem = None
    if row is None:
        problem = "Token no válido: revise que lo copió completo, o cree otro en /cuenta/tokens/."
    elif row.revoked_at is not None:
        problem = (
            f"El token {row.prefix}… fue revocado el {timezone.localtime(row.revoked_at):%Y-%m-%d %H:%M}; "
            "cree otro en /cuenta/tokens/."
        )
    elif row.expires_at <= now:
        problem = (
            f"El token {row.prefix}… venció el {timezone.localtime(row.expires_at):%Y-%m-%d %H:%M}; "
            "cree otro en /cuenta/tokens/."
        )
    if problem is not None:
        if throttle:
            AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                raise throttled_error()
        raise PermissionDenied(problem)
    if not row.user.is_active:
        raise PermissionDenied("La cuenta de este token está desactivada.")
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
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
