"""Pages of the evidence app: a state's interviews and its findings matrix, and the forms to record them.
Thin over the selectors (which filter excerpts by the reader's consent level) and the services (which
check permission before validating); a refused write becomes an error page through the site middleware."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from buenaspracticas.catalog import selectors as catalog_selectors
from buenaspracticas.errors import NotFound, ValidationError
from buenaspracticas.evidence import forms, selectors, services
from buenaspracticas.evidence.models import Consent, Module


def _state(slug: str) -> dict:
    state = catalog_selectors.state_get(key=slug)
    return {
        "code": state["code"],
        "slug": state["slug"],
        "name": state["name"],
        "practices": state["practices"],
    }


def _choices() -> dict:
    return {
        "modules": [{"value": m.value, "label": m.label} for m in Module],
        "consents": [{"value": c.value, "label": c.label} for c in Consent],
    }


def interview_list(request: HttpRequest, slug: str) -> HttpResponse:
    state = _state(slug)
    data = selectors.interview_list(user=request.user, state=state["code"])
    return render(
        request,
        "evidence/interview_list.html",
        {
            "state": state,
            **data,
            "may_record": selectors.may_record_evidence(request.user, state["code"]),
            "api_url": f"/api/v1/interviews?state={state['code']}",
        },
    )


def interview_new(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    state = selectors.state_for_recording(user=request.user, key=slug)
    error, values = None, None
    if request.method == "POST":
        values = forms.interview_data(request.POST, state_code=state["code"])
        try:
            services.interview_create(user=request.user, data=values)
        except ValidationError as exc:
            error = exc
        else:
            messages.success(request, _("Entrevista registrada."))
            return redirect("evidence:interview_list", slug=state["slug"])
    rows = {
        "interviewees": [
            {"i": i, **(values["interviewees"][i] if values and i < len(values["interviewees"]) else {})}
            for i in range(forms.INTERVIEWEE_ROWS)
        ],
        "excerpts": [
            {"i": i, **(values["excerpts"][i] if values and i < len(values["excerpts"]) else {})}
            for i in range(forms.EXCERPT_ROWS)
        ],
    }
    return render(
        request,
        "evidence/interview_form.html",
        {"state": state, "form": values or {}, "rows": rows, "error": error, **_choices()},
        status=422 if error else 200,
    )


def finding_list(request: HttpRequest, slug: str) -> HttpResponse:
    data = selectors.state_findings(user=request.user, key=slug)
    return render(
        request,
        "evidence/finding_list.html",
        {
            **data,
            "may_record": selectors.may_record_evidence(request.user, data["state"]["code"]),
            "api_url": f"/api/v1/states/{data['state']['code']}/findings",
        },
    )


def _finding_form(request: HttpRequest, slug: str, finding_id: int | None) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    state = selectors.state_for_recording(user=request.user, key=slug)
    current = None
    if finding_id is not None:
        current = selectors.finding_for_edit(user=request.user, finding_id=finding_id)
        if current["state_code"] != state["code"]:
            raise NotFound(f"No existe el hallazgo {finding_id} en {state['name']}.")
    error, values = None, None
    if request.method == "POST":
        values = forms.finding_data(request.POST)
        try:
            if current is None:
                services.finding_create(user=request.user, state_key=state["code"], data=values)
            else:
                services.finding_update(user=request.user, finding_id=finding_id, data=values)
        except ValidationError as exc:
            error = exc
        else:
            messages.success(request, _("Hallazgo guardado."))
            return redirect("evidence:finding_list", slug=state["slug"])
    if values is not None:
        form = {**values, "documents_text": request.POST.get("documents", "")}
    elif current is not None:
        form = {
            **current,
            "practice": (current["practice"] or {}).get("id", ""),
            "excerpts": [e["id"] for e in current["excerpts"]],
            "documents_text": " ".join(str(d["id"]) for d in current["documents"]),
        }
    else:
        form = {"excerpts": []}
    return render(
        request,
        "evidence/finding_form.html",
        {
            "state": state,
            "finding_id": finding_id,
            "form": form,
            "error": error,
            "practices": catalog_selectors.practices_by_ids(practice_ids=state["practices"]),
            "excerpt_choices": selectors.state_excerpt_choices(user=request.user, state_code=state["code"]),
        },
        status=422 if error else 200,
    )


def finding_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _finding_form(request, slug, None)


def finding_edit(request: HttpRequest, slug: str, finding_id: int) -> HttpResponse:
    return _finding_form(request, slug, finding_id)
