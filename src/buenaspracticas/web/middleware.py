"""Maps errors to responses in one place: application errors raised under a page to an error page with the
right status; anything that goes wrong under /api/ to JSON in the API's error shape, never HTML."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from buenaspracticas.errors import AppError

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
_NAMES = {
    400: "BadRequest",
    401: "NotAuthenticated",
    403: "PermissionDenied",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    429: "Throttled",
}
_MESSAGES = {
    404: "No existe ese recurso de la API: vea /api/v1/docs o /api/v1/openapi.json.",
    405: "Método no admitido en esta ruta de la API.",
    500: "Error inesperado del servidor; quedó registrado. Inténtelo más tarde.",
}


def api_error(
    status: int, message: str | None = None, *, error: str | None = None, field: str | None = None
) -> JsonResponse:
    """Return a JSON error response in the API's shape ({"error", "message", "field"?}) for an HTTP status."""
    name = error or _NAMES.get(status, "ServerError" if status >= 500 else "HttpError")
    body = {"error": name, "message": message or _MESSAGES.get(status) or f"Error HTTP {status}."}
    if field:
        body["field"] = field
    return JsonResponse(body, status=status)


def _nul_in_url(request: HttpRequest) -> str | None:
    """Return where the URL carries a NUL character (which no database text column can hold), or None."""
    if "\x00" in request.path:
        return "path"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "")
    return None


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().endswith("json")


class AppErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            where = _nul_in_url(request)
            if where is not None:
                return api_error(
                    422,
                    f"«{where}» contiene el carácter nulo (U+0000), que no es un valor válido.",
                    error="ValidationError",
                    field=where,
                )
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and response.status_code >= 400 and not _is_json(response):
            # Django's own error pages (unknown URL, method not allowed, CSRF…) become JSON under /api/.
            json_response = api_error(response.status_code)
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Return the response to a view's exception: JSON under /api/ (a logged 500 if unexpected)."""
        # Elsewhere an application error gets its error page; None lets Django handle the rest.
        if request.path.startswith(API_PREFIX):
            if isinstance(exception, AppError):
                return JsonResponse(exception.as_dict(), status=exception.status_code)
            if _django_handles(exception):
                return None  # Django answers 400/403/404, which __call__ turns into JSON
            logger.error(
                "Internal Server Error: %s", request.path, exc_info=exception, extra={"status_code": 500}
            )
            return api_error(500)
        if isinstance(exception, AppError):
            return render(request, "web/error.html", {"error": exception}, status=exception.status_code)
        return None


def _django_handles(exception: Exception) -> bool:
    from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
    from django.http import Http404

    return isinstance(exception, Http404 | PermissionDenied | SuspiciousOperation | BadRequest)
