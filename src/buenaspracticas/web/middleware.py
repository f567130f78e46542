"""Maps application errors raised under a page to an error page with the right status, in one place."""

from __future__ import annotations

from django.shortcuts import render

from buenaspracticas.errors import AppError


class AppErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AppError) and not request.path.startswith("/api/"):
            return render(request, "web/error.html", {"error": exception}, status=exception.status_code)
        return None
