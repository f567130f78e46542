"""HTML pages of this feature: thin over the selectors and services (the API twins return the same dicts)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from buenaspracticas.errors import AppError, NotAuthenticated, PermissionDenied
from buenaspracticas.recommend import selectors, services


def coverage(request: HttpRequest) -> HttpResponse:
    """States × GCM objectives, × population groups and × dimensions; `?format=json` for the data."""
    data = selectors.coverage_matrix()
    if request.GET.get("format") == "json":
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    return render(request, "recommend/coverage.html", {"data": data})


def classify(request: HttpRequest, practice_id: str, error: AppError | None = None) -> HttpResponse:
    """A practice's suggested population groups and GCM objectives, with confirm/reject for curators."""
    data = selectors.practice_classification(practice_id=practice_id)
    return render(
        request,
        "recommend/classify.html",
        {
            "data": data,
            "error": error,
            "can_classify": selectors.may_classify(request.user, data["state"]["code"]),
            "replications": selectors.replications_of(practice_id=practice_id),
        },
        status=error.status_code if error else 200,
    )


@login_required
@require_POST
def classify_group(request: HttpRequest, practice_id: str) -> HttpResponse:
    try:
        services.population_group_set(
            user=request.user,
            practice_id=practice_id,
            group=request.POST.get("group", ""),
            status=request.POST.get("status", ""),
            because=request.POST.get("because", ""),
        )
    except AppError as exc:
        if isinstance(exc, (NotAuthenticated, PermissionDenied)):
            raise
        return classify(request, practice_id, error=exc)
    return redirect("recommend:classify", practice_id=practice_id)


@login_required
@require_POST
def classify_gcm(request: HttpRequest, practice_id: str) -> HttpResponse:
    try:
        services.gcm_set(
            user=request.user,
            practice_id=practice_id,
            number=request.POST.get("number"),
            status=request.POST.get("status", ""),
        )
    except AppError as exc:
        if isinstance(exc, (NotAuthenticated, PermissionDenied)):
            raise
        return classify(request, practice_id, error=exc)
    return redirect("recommend:classify", practice_id=practice_id)


@login_required
@require_POST
def replication_new(request: HttpRequest, practice_id: str) -> HttpResponse:
    fields = ("kind", "started", "changes", "results")
    try:
        services.replication_record(
            user=request.user,
            origin_id=practice_id,
            state_code=request.POST.get("state") or None,
            data={k: request.POST.get(k, "") for k in fields},
        )
    except AppError as exc:
        if isinstance(exc, (NotAuthenticated, PermissionDenied)):
            raise
        return classify(request, practice_id, error=exc)
    return redirect("recommend:classify", practice_id=practice_id)
