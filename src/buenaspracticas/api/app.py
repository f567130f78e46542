"""The JSON API (/api/v1): builds the NinjaAPI, maps every error to HTTP in one place (each in the ErrorOut
shape of api.schemas), and mounts each feature's router explicitly."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import BadRequest as DjangoBadRequest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema

from buenaspracticas import __version__
from buenaspracticas.api.http import BODY_SCHEMAS
from buenaspracticas.api.schemas import ERROR_DESCRIPTIONS, TOKEN_ERRORS, ErrorOut
from buenaspracticas.errors import AppError

logger = logging.getLogger("django.request")


class Api(NinjaAPI):
    """NinjaAPI that also publishes the schemas of the request bodies its write operations read themselves
    (after checking the caller's permission, see `json_body`), and documents on every operation the errors
    that can happen to any of them, so each feature's router declares only its own."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        """Return the OpenAPI document, with request-body schemas and the common error responses."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema["components"]["schemas"]
        for name, model in BODY_SCHEMAS.items():
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


# ---------------------------------------------------------------- the features' routers
# Practices and states: the reads (api.routes) and the curation writes (curation.api) share one router,
# so a path carries its GET and its POST/PATCH; each other feature has its own.
from buenaspracticas.api import routes  # noqa: E402
from buenaspracticas.coordination.api import router as coordination_router  # noqa: E402
from buenaspracticas.curation import api as curation_api  # noqa: E402
from buenaspracticas.evidence.api import router as evidence_router  # noqa: E402
from buenaspracticas.evidence.api_documents import router as documents_router  # noqa: E402
from buenaspracticas.recommend.api import router as recommend_router  # noqa: E402

assert curation_api.router is routes.router
for _router in (routes.router, coordination_router, recommend_router, evidence_router, documents_router):
    api.add_router("", _router)
