"""What every API operation shares: the Bearer token, the reader of a request, JSON bodies read after the
permission check, and the path parameters used by several features. Feature routers import from here; the
NinjaAPI that mounts them is built in api.app."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Path, Schema
from ninja.openapi.schema import REF_TEMPLATE
from ninja.security import HttpBearer
from pydantic import Field as PydanticField

from buenaspracticas.api.schemas import STATE_KEY_DOC
from buenaspracticas.curation import services
from buenaspracticas.errors import AppError, ValidationError

# Request bodies the write operations read themselves (after the permission check): published in the
# OpenAPI by api.app.Api.
BODY_SCHEMAS: dict[str, type[Schema]] = {}

PracticeId = Annotated[
    str, Path(max_length=120, examples=["baja-california-2"], description="`<state-slug>-<number>`")
]
StateKeyPath = Annotated[
    Annotated[str, PydanticField(json_schema_extra=STATE_KEY_DOC)],
    Path(max_length=40, description="ISO code or slug"),
]


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`, checked before the request's parameters and body: 401 without it,
    403 with an unknown, revoked or expired token, 429 after too many bad ones."""

    def __call__(self, request: HttpRequest) -> Any:
        return services.token_authenticate(header=request.headers.get(self.header), request=request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Return the account of a Bearer token (services.token_authenticate raises for a bad one)."""
        return services.token_authenticate(header=f"Bearer {token}", request=request)


bearer = BearerToken()
OPTIONAL_TOKEN = {"security": [{}, {"BearerToken": []}]}


def reader(request: HttpRequest) -> Any:
    """Return the account of the request's Bearer token, or an anonymous visitor without Authorization."""
    if "Authorization" not in request.headers:
        return AnonymousUser()
    return bearer(request)


class BadRequest(AppError):
    """A request body that is not JSON."""

    status_code = 400


def json_body(request: HttpRequest) -> Any:
    """Return the request's JSON body ({} when empty); raise BadRequest (400) when it is not JSON."""
    # Write operations call this after authentication and hand the value, unvalidated, to services that
    # check permission before they validate it (DESIGN.md §4: 401/403 come before any validation error).
    raw = request.body
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"El cuerpo no es JSON válido: {exc.msg} (línea {exc.lineno}, columna {exc.colno}).", field="body"
        ) from exc
    except (ValueError, RecursionError) as exc:  # not UTF-8, or nested too deep
        raise BadRequest("El cuerpo no es JSON válido en UTF-8.", field="body") from exc


def read_body(request: HttpRequest) -> tuple[Any, BadRequest | None]:
    """Return the JSON body, or {} and why it could not be read (reported only after the permission check,
    see `unreadable_after_permission`)."""
    try:
        return json_body(request), None
    except BadRequest as exc:
        return {}, exc


@contextmanager
def unreadable_after_permission(problem: BadRequest | None):
    """Report a body that is not JSON (400) where the service reports its first validation error, that is
    once it has checked the caller's permission (a refused caller gets 403 whatever the body)."""
    try:
        yield
    except ValidationError:
        if problem is not None:
            raise problem from None
        raise


def json_body_doc(model: type[Schema], description: str = "", example: dict | None = None) -> dict:
    """Return `openapi_extra` documenting a JSON body of `model` (read with `json_body`) and an example."""
    BODY_SCHEMAS[model.__name__] = model
    content: dict = {"schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}}
    if example is not None:
        content["example"] = example
    return {
        "requestBody": {
            "required": True,
            "description": description or model.__doc__ or "",
            "content": {"application/json": content},
        }
    }
