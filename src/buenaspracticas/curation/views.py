"""Pages of curation: thin over the services and selectors; errors become form messages or error pages."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buenaspracticas.curation import accounts, page_data, selectors, services
from buenaspracticas.curation.forms import AssessmentForm, CallForm, PracticeForm, TokenForm
from buenaspracticas.errors import AppError, Conflict, NotFound, ValidationError
from buenaspracticas.evidence.citations import practice_citation_refs
from buenaspracticas.reference import CRITERIA


def _form_error(form, exc: AppError) -> None:
    field = (exc.field or "").replace("criteria.", "evidence_").split(".")[0]
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def my_practices(request: HttpRequest) -> HttpResponse:
    return render(request, "curation/my_practices.html", page_data.my_practices_page(user=request.user))


@login_required
def practice_new(request: HttpRequest) -> HttpResponse:
    page = page_data.practice_form_new(user=request.user)
    form = PracticeForm(
        request.POST or None,
        calls=page["calls"],
        initial={"call": request.GET.get("convocatoria")} if request.method == "GET" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.practice_draft_create(
                user=request.user,
                state_code=request.POST.get("state") or None,
                data=form.data_for_service(),
                call_id=form.cleaned_data.get("call"),
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Borrador guardado."))
            return redirect("curation:workspace", practice_id=practice.public_id)
    return render(
        request,
        "curation/practice_form.html",
        {"form": form, "new": True, "states": page["states"]},
    )


@login_required
def workspace(request: HttpRequest, practice_id: str) -> HttpResponse:
    ws = selectors.practice_workspace(user=request.user, practice_id=practice_id)
    assess = None
    if ws["can_assess"]:
        initial = {"version": ws["version"]}
        cited = practice_citation_refs(practice_pk=ws["pk"])
        for code, a in ws["editable_data"]["criteria"].items():
            initial[f"verdict_{code}"], initial[f"evidence_{code}"] = a["verdict"], a["evidence"]
            refs = a["citations"] if "citations" in a else cited.get(code, [])  # a pending revision's first
            initial[f"citations_{code}"] = AssessmentForm.citations_initial(refs)
        assess = AssessmentForm(initial=initial)
    return render(
        request,
        "curation/workspace.html",
        {"ws": ws, "p": ws["practice"], "assess_form": assess, "practice_id": practice_id},
    )


@login_required
def practice_edit(request: HttpRequest, practice_id: str) -> HttpResponse:
    ws = page_data.practice_for_editing(user=request.user, practice_id=practice_id)
    conflict = None
    if request.method == "POST":
        form = PracticeForm(request.POST)
        if form.is_valid():
            try:
                services.practice_edit(
                    user=request.user,
                    practice_id=practice_id,
                    data=form.data_for_service(),
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data.get("reason") or "",
                )
            except Conflict as exc:
                form.add_error(None, exc.message)
                if exc.field == "version":
                    # Show theirs beside ours; the next save is based on the current version (a merge).
                    conflict = {
                        "current": ws["editable_data"],
                        "version": ws["version"],
                        "changes": selectors.diff(ws["editable_data"], form.data_for_service()),
                    }
                    data = request.POST.copy()
                    data["version"] = ws["version"]
                    form = PracticeForm(data)
                    form.is_valid()
                    form.add_error(None, exc.message)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Cambios guardados."))
                return redirect("curation:workspace", practice_id=practice_id)
    else:
        form = PracticeForm(initial=PracticeForm.initial_from(ws["editable_data"], ws["version"]))
    return render(
        request,
        "curation/practice_form.html",
        {"form": form, "new": False, "ws": ws, "conflict": conflict, "practice_id": practice_id},
    )


@login_required
@require_POST
def transition(request: HttpRequest, practice_id: str) -> HttpResponse:
    try:
        services.practice_transition(
            user=request.user,
            practice_id=practice_id,
            to=request.POST.get("to", ""),
            comment=request.POST.get("comment", ""),
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Estado actualizado."))
    return redirect("curation:workspace", practice_id=practice_id)


@login_required
@require_POST
def message_post(request: HttpRequest, practice_id: str) -> HttpResponse:
    try:
        services.message_post(user=request.user, practice_id=practice_id, body=request.POST.get("body", ""))
    except ValidationError as exc:
        messages.error(request, exc.message)
    return redirect("curation:workspace", practice_id=practice_id)


@login_required
@require_POST
def assess(request: HttpRequest, practice_id: str) -> HttpResponse:
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        cited = [e for c in CRITERIA for e in form.errors.get(f"citations_{c}", [])]
        messages.error(
            request,
            cited[0]
            if cited
            else _("Revise la valoración: cada criterio necesita cumple, no cumple o sin dato."),
        )
        return redirect("curation:workspace", practice_id=practice_id)
    d = form.cleaned_data
    try:
        services.criteria_assess(
            user=request.user,
            practice_id=practice_id,
            expected_version=d["version"],
            criteria={
                c: {
                    "verdict": d[f"verdict_{c}"],
                    "evidence": d[f"evidence_{c}"],
                    "citations": d[f"citations_{c}"],
                }
                for c in CRITERIA
            },
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Valoración guardada."))
    return redirect("curation:workspace", practice_id=practice_id)


def history(request: HttpRequest, practice_id: str) -> HttpResponse:
    return render(
        request, "curation/history.html", page_data.history_page(user=request.user, practice_id=practice_id)
    )


@login_required
@require_POST
def restore(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = services.history_restore(
        user=request.user, entry_id=entry_id, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("Versión restaurada."))
    if entry.practice_id:
        return redirect("curation:history", practice_id=entry.practice.public_id)
    return redirect("curation:my_practices")


def call_list(request: HttpRequest) -> HttpResponse:
    return render(request, "curation/call_list.html", page_data.call_list_page(user=request.user))


def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    return render(
        request, "curation/call_detail.html", {"call": selectors.call_get(call_id=call_id, user=request.user)}
    )


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    page = page_data.call_form(user=request.user)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            return redirect("curation:call_detail", call_id=call.pk)
    return render(request, "curation/call_form.html", {"form": form, **page})


@login_required
def state_figures(request: HttpRequest, code: str) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            value = float(request.POST.get("value", "").replace(",", ""))
        except ValueError:
            error = _("Escriba la cifra como número (por ejemplo 4132148 o 12.5).")
        else:
            try:
                services.indicator_update(
                    user=request.user,
                    indicator_id=int(request.POST.get("indicator", 0)),
                    value=value,
                    reason=request.POST.get("reason", ""),
                )
            except ValidationError as exc:
                error = exc.message
            else:
                messages.success(request, _("Cifra actualizada."))
                return redirect("curation:state_figures", code=code)
    page = page_data.state_figures_page(user=request.user, state_code=code)
    return render(request, "curation/state_figures.html", {**page, "error": error})


# ---------------------------------------------------------------- the account: home, tokens, password


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """The account page: role and state, and links to practices, tokens, password and sign-out."""
    return render(request, "curation/account.html", {"account": selectors.account_home(user=request.user)})


def _token_form(data=None) -> TokenForm:
    return TokenForm(data, max_days=settings.API_TOKEN_MAX_DAYS, default_days=settings.API_TOKEN_DAYS)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the signed-in person's API tokens and create one (shown once, in this answer only)."""
    username = request.user.get_username()
    form = _token_form(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token = services.token_create(
                username=username,
                actor=request.user,
                days=form.cleaned_data["days"],
                label=form.cleaned_data.get("label") or "",
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            form = _token_form()
    response = render(
        request,
        "curation/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.token_list(user=request.user, username=username),
        },
    )
    add_never_cache_headers(response)  # the new token must not stay in any cache
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke one of the signed-in person's tokens by its prefix, then show the list again."""
    try:
        row = services.token_revoke(
            actor=request.user, key=request.POST.get("prefix", ""), username=request.user.get_username()
        )
    except (ValidationError, NotFound, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token %(prefix)s… revocado: ya no da acceso.") % {"prefix": row.prefix})
    return redirect("curation:tokens")


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change form (current password, new one twice); the change itself goes through
    the service, which also revokes the person's API tokens."""

    template_name = "curation/password_change.html"
    success_url = reverse_lazy("curation:account")

    def form_valid(self, form):
        try:
            user = services.account_password_set(
                actor=self.request.user,
                username=self.request.user.get_username(),
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            form.add_error("new_password2", exc.message)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)  # this session stays signed in; others end
        messages.success(
            self.request,
            _("Contraseña cambiada. Sus tokens de la API quedaron revocados: cree otros si los necesita."),
        )
        return HttpResponseRedirect(self.get_success_url())


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Answer a client that django-axes locked out (settings.AXES_LOCKOUT_CALLABLE): 429 saying when it may
    try again; under /api/ the JSON error of the API (the throttled token's own answer)."""
    minutes = accounts.throttle_minutes()
    if request.path.startswith("/api/"):
        if getattr(original_response, "status_code", None) == 429:
            return original_response
        response = JsonResponse(accounts.throttled_error().as_dict(), status=429)
    else:
        since = getattr(request, "axes_attempt_time", None) or timezone.now()
        response = render(
            request,
            "curation/lockout.html",
            {"minutes": minutes, "until": timezone.localtime(since) + timedelta(minutes=minutes)},
            status=429,
        )
    response["Retry-After"] = str(minutes * 60)
    return response
