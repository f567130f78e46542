"""The JSON API (/api/v1): thin over the selectors and services; errors mapped to HTTP in one place, every
one of them in the ErrorOut shape (api.schemas)."""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest as DjangoBadRequest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import HttpBearer
from pydantic import Field as PydanticField
from pydantic import WithJsonSchema

from buenaspracticas import __version__
from buenaspracticas.api.schemas import (
    ERROR_DESCRIPTIONS,
    READ_ERRORS,
    STATE_KEY_DOC,
    TOKEN_ERRORS,
    CriterionCode,
    DimensionCode,
    ErrorOut,
    InstitutionName,
    PracticeDetailOut,
    PracticeListOut,
    PracticeStatus,
    RegionSlug,
    SearchText,
    StateKey,
    StateOut,
    error_docs,
    errors,
)
from buenaspracticas.catalog import selectors
from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.curation import permissions, services
from buenaspracticas.curation import selectors as curation_selectors
from buenaspracticas.errors import AppError, NotFound, ValidationError

logger = logging.getLogger("django.request")


class Api(NinjaAPI):
    """NinjaAPI that also publishes the schemas of the request bodies its write operations read themselves
    (after checking the caller's permission, see `json_body`), and documents on every operation the errors
    that can happen to any of them, so each feature's router declares only its own."""

    body_schemas: dict[str, type[Schema]]

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        """Return the OpenAPI document, with request-body schemas and the common error responses."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema["components"]["schemas"]
        for name, model in self.body_schemas.items():
            body = model.model_json_schema(
                ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
            )
            components.update(body.pop("$defs", {}))
            components[name] = body
        components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template=REF_TEMPLATE))
        for operations in schema["paths"].values():
            for operation in operations.values():
                _document_common_errors(operation)
        return schema


def _document_common_errors(operation: dict) -> None:
    """Add the error responses any operation of this shape can give: 500 and 414 always; 422 with
    parameters or a body; 400 with a body; 404 with a path parameter; 401, 403 and 429 with a token."""
    parameters = operation.get("parameters") or []
    codes = {500, 414}
    if parameters or "requestBody" in operation:
        codes.add(422)
    if "requestBody" in operation:
        codes.add(400)
    if any(p.get("in") == "path" for p in parameters):
        codes.add(404)
    if any(requirement for requirement in operation.get("security") or []):
        codes.update(TOKEN_ERRORS)
    responses = operation.setdefault("responses", {})
    documented = {str(code) for code in responses}
    for code in sorted(codes):
        if str(code) in documented:
            continue
        responses[code] = {"description": ERROR_DESCRIPTIONS[code]}
        if code != 414:
            responses[code]["content"] = {
                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
            }


api = Api(
    title="buenaspracticas API",
    version=__version__,
    description="Catálogo de buenas prácticas en política migratoria local (OIM/CONOFAM): prácticas con sus "
    "cinco criterios y la evidencia de cada valoración, y los panoramas migratorios estatales. Todo error "
    "responde con `{error, message, field?, details?}` (ErrorOut).",
    urls_namespace="api",
)
api.body_schemas = {}


# ---------------------------------------------------------------- authentication and request bodies


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
    api.body_schemas[model.__name__] = model
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


# ---------------------------------------------------------------- errors, in one shape


def _error(request: HttpRequest, status: int, error: str, message: str, **extra: Any):
    body = {"error": error, "message": message, **{k: v for k, v in extra.items() if v}}
    return api.create_response(request, body, status=status)


@api.exception_handler(AppError)
def app_error(request: HttpRequest, exc: AppError):
    """Map an application error to its status, in the ErrorOut shape."""
    response = api.create_response(request, exc.as_dict(), status=exc.status_code)
    if exc.status_code == 429 and exc.details.get("retry_after"):
        response["Retry-After"] = str(exc.details["retry_after"])
    return response


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError):
    """Map an invalid parameter to 422, naming the first one at fault."""
    first = exc.errors[0] if exc.errors else {}
    where = [str(part) for part in first.get("loc", ())[1:]]
    field = ".".join(where) or None
    message = f"Parámetro inválido «{field}»: {first.get('msg', '')}." if field else "Parámetros inválidos."
    return _error(request, 422, "ValidationError", message, field=field, details={"errors": exc.errors})


_HTTP_ERRORS = {
    400: "BadRequest",
    401: "NotAuthenticated",
    403: "PermissionDenied",
    404: "NotFound",
    405: "MethodNotAllowed",
    429: "Throttled",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    """Map django-ninja's own HTTP errors (authentication, throttling, unreadable bodies) to ErrorOut."""
    name = _HTTP_ERRORS.get(exc.status_code, "HttpError")
    message = {401: "Falta el token: envíe «Authorization: Bearer <token>»."}.get(exc.status_code, str(exc))
    return _error(request, exc.status_code, name, message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    """Map Django's Http404 to 404."""
    return _error(request, 404, "NotFound", "No existe ese recurso.")


@api.exception_handler(DjangoPermissionDenied)
def permission_denied(request: HttpRequest, exc: DjangoPermissionDenied):
    """Map Django's PermissionDenied to 403."""
    return _error(request, 403, "PermissionDenied", str(exc) or "No tiene permiso para esto.")


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation):
    """Map a request Django refuses (too large a body, a bad header) to 400."""
    message = (
        "El cuerpo de la petición es demasiado grande."
        if isinstance(exc, RequestDataTooBig)
        else "Petición rechazada por el servidor."
    )
    return _error(request, 400, "BadRequest", message)


@api.exception_handler(DjangoBadRequest)
def bad_request(request: HttpRequest, exc: DjangoBadRequest):
    """Map Django's BadRequest to 400."""
    return _error(request, 400, "BadRequest", str(exc) or "Petición inválida.")


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception):
    """Log an unexpected exception with its traceback and answer 500 in ErrorOut shape (never HTML)."""
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
    return _error(
        request, 500, "ServerError", "Error inesperado del servidor; quedó registrado. Inténtelo más tarde."
    )


# ---------------------------------------------------------------- reads


class PracticeQuery(Schema):
    q: SearchText = Field("", description="words to search for (ranked)")
    state: list[StateKey] = Field([], max_length=32, description="ISO code or slug")
    region: list[RegionSlug] = Field([], max_length=4)
    dimension: list[DimensionCode] = Field([], max_length=6)
    criterion: list[CriterionCode] = Field([], max_length=5, description="criteria that must all be met")
    qualifies: Annotated[bool | None, WithJsonSchema({"type": "boolean"})] = None
    status: list[PracticeStatus] = Field([], max_length=2)
    institution: list[InstitutionName] = Field([], max_length=5)
    gcm: list[Annotated[int, Field(ge=1, le=23)]] = Field(
        [], max_length=23, description="GCM objective numbers (suggested or confirmed): any of them"
    )
    limit: int = Field(20, ge=0, le=500)
    offset: int = Field(0, ge=0, le=100_000)


PracticeId = Annotated[
    str, Path(max_length=120, examples=["baja-california-2"], description="`<state-slug>-<number>`")
]
StateKeyPath = Annotated[
    Annotated[str, PydanticField(json_schema_extra=STATE_KEY_DOC)],
    Path(max_length=40, description="ISO code or slug"),
]


@api.get(
    "/practices",
    response={200: PracticeListOut, **errors(*READ_ERRORS)},
    tags=["practices"],
    openapi_extra=error_docs(*READ_ERRORS),
)
def list_practices(request: HttpRequest, params: Query[PracticeQuery]):
    """Published practices matching the filters, with facet counts (each facet counted under the others)."""
    filters = PracticeFilters.from_query(request.GET)
    result = selectors.practice_search(filters=filters, limit=params.limit, offset=params.offset)
    return {**result, "limit": params.limit, "offset": params.offset}


def _working_copy(workspace: dict) -> dict:
    """The practice as its curators edit it: the draft, or a published one's pending revision."""
    data, pending = workspace["practice"], workspace["pending"]
    if pending is not None:
        data = {
            **data,
            **{key: pending[key] for key in curation_selectors.SNAPSHOT_FIELDS},
            "criteria_met": pending["criteria_met"],
            "qualifies": pending["qualifies"],
        }
    return {**data, "version": workspace["version"]}


@api.get(
    "/practices/{practice_id}",
    response={200: PracticeDetailOut, **errors(*TOKEN_ERRORS, *READ_ERRORS)},
    tags=["practices"],
    openapi_extra={**OPTIONAL_TOKEN, **error_docs(*TOKEN_ERRORS, *READ_ERRORS)},
)
def get_practice(request: HttpRequest, practice_id: PracticeId):
    """One practice (ficha) by its id, e.g. baja-california-2, with the `version` to send when editing it.
    With a Bearer token of an account that may read the state's unpublished practices (its editor,
    evaluators, the coordination): drafts too, and a published practice's pending revision when it has
    one. Without one, only published practices (others are 404)."""
    user = reader(request)
    practice = curation_selectors.practice_by_id(practice_id=practice_id)
    if permissions.can_view_unpublished(user, practice.state.code):
        return _working_copy(curation_selectors.practice_workspace(user=user, practice_id=practice_id))
    if practice.workflow_state != "published":
        raise NotFound(f"No existe la práctica «{practice_id}».")
    return {**selectors.practice_to_json(practice), "version": practice.version}


@api.get(
    "/states",
    response={200: list[StateOut], **errors(414, 500)},
    tags=["states"],
    openapi_extra=error_docs(414, 500),
)
def list_states(request: HttpRequest):
    """The 32 states with their practices and panorama (null where no report covers the state)."""
    return selectors.state_list()


@api.get(
    "/states/{code}",
    response={200: StateOut, **errors(*READ_ERRORS)},
    tags=["states"],
    openapi_extra=error_docs(*READ_ERRORS),
)
def get_state(request: HttpRequest, code: StateKeyPath):
    """One state by ISO 3166-2 code (MX-OAX) or slug (oaxaca), in any case; 404 for another value."""
    return selectors.state_get(key=code)


# Features register their operations on `api` (imported last, after the read routes exist).
import buenaspracticas.curation.api  # noqa: E402,F401
import buenaspracticas.reports.api  # noqa: E402,F401
from buenaspracticas.coordination.api import router as coordination_router  # noqa: E402

api.add_router("", coordination_router)
from buenaspracticas.recommend.api import router as recommend_router  # noqa: E402

api.add_router("", recommend_router)
