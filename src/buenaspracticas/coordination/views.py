"""Pages of the coordination space: thin over the selectors and services. A refused write raises an
AppError that the site's middleware turns into an error page; a form's mistakes are shown beside it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buenaspracticas.coordination import page_data, selectors, services
from buenaspracticas.coordination.validation import parse_links_text
from buenaspracticas.errors import ValidationError


def _nav(request: HttpRequest) -> dict:
    return page_data.nav(request.user)


# ---------------------------------------------------------------- recommendations


def recommendation_table(request: HttpRequest) -> HttpResponse:
    data = selectors.recommendation_table()
    return render(request, "coordination/recommendation_table.html", {**data, **_nav(request)})


def recommendation_detail(request: HttpRequest, number: int) -> HttpResponse:
    rec = selectors.recommendation_get(number=number)
    states = selectors.tracked_states()
    rows = [{"state": s, **rec["states"][s["code"]]} for s in states]
    return render(
        request, "coordination/recommendation_detail.html", {"rec": rec, "rows": rows, **_nav(request)}
    )


def recommendation_thread(request: HttpRequest, number: int, state: str) -> HttpResponse:
    error, values = None, None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        values = {
            "status": request.POST.get("status", ""),
            "note": request.POST.get("note", ""),
            "evidence": {
                "text": request.POST.get("evidence_text", ""),
                "documents": parse_links_text(request.POST.get("evidence_documents", "")),
                "practices": request.POST.getlist("evidence_practices"),
            },
        }
        try:
            services.recommendation_state_update(
                user=request.user, number=number, state_code=state, data=values
            )
        except ValidationError as exc:
            error = exc
        else:
            messages.success(request, _("Avance guardado."))
            return redirect("coordination:recommendation_thread", number=number, state=state)
    thread = selectors.recommendation_thread(number=number, state_key=state, user=request.user)
    form = values or {**thread["current"]}
    if values:
        form["documents_text"] = request.POST.get("evidence_documents", "")
    else:
        form["documents_text"] = "\n".join(
            f"{d['title']} | {d['url']}" if d["url"] else d["title"]
            for d in thread["current"]["evidence"]["documents"]
        )
    status = 422 if error else 200
    return render(
        request,
        "coordination/recommendation_thread.html",
        {"t": thread, "form": form, "error": error, **_nav(request)},
        status=status,
    )


# ---------------------------------------------------------------- sessions


def session_list(request: HttpRequest) -> HttpResponse:
    data = selectors.session_list(user=request.user)
    upcoming = [s for s in data["items"] if s["upcoming"]]
    past = [s for s in data["items"] if not s["upcoming"]]
    return render(
        request, "coordination/session_list.html", {"upcoming": upcoming, "past": past, **_nav(request)}
    )


def _session_data(post) -> dict:
    return {
        "title": post.get("title", ""),
        "starts_at": post.get("starts_at", ""),
        "ends_at": post.get("ends_at", ""),
        "timezone": post.get("timezone", ""),
        "place": post.get("place", ""),
        "video_url": post.get("video_url", ""),
        "agenda": post.get("agenda", ""),
        "minutes": post.get("minutes", ""),
        "states": post.getlist("states"),
        "attachments": parse_links_text(post.get("attachments", "")),
    }


def _session_form(request, *, session: dict | None, values: dict | None, error) -> HttpResponse:
    initial = values
    if initial is None and session is not None:
        initial = {
            **session,
            "starts_at": session["starts_at"][:16],
            "ends_at": session["ends_at"][:16],
            "states": [s["code"] for s in session["states"]],
        }
    initial = initial or {"timezone": "America/Mexico_City", "states": []}
    attachments = (
        request.POST.get("attachments")
        if values is not None
        else "\n".join(
            f"{a['title']} | {a['url']}" if a["url"] else a["title"]
            for a in (session or {}).get("attachments", [])
        )
    )
    return render(
        request,
        "coordination/session_form.html",
        {
            "session": session,
            "form": initial,
            "attachments_text": attachments or "",
            "error": error,
            "choices": selectors.session_form_choices(),
            **_nav(request),
        },
        status=422 if error else 200,
    )


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    page_data.session_for_form(user=request.user)
    if request.method == "POST":
        data = _session_data(request.POST)
        try:
            session = services.session_create(user=request.user, data=data)
        except ValidationError as exc:
            return _session_form(request, session=None, values=data, error=exc)
        messages.success(request, _("Sesión creada."))
        return redirect("coordination:session_detail", session_id=session.pk)
    return _session_form(request, session=None, values=None, error=None)


@login_required
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = page_data.session_for_form(user=request.user, session_id=session_id)
    if request.method == "POST":
        data = _session_data(request.POST)
        try:
            services.session_update(user=request.user, session_id=session_id, data=data)
        except ValidationError as exc:
            return _session_form(request, session=session, values=data, error=exc)
        messages.success(request, _("Sesión guardada."))
        return redirect("coordination:session_detail", session_id=session_id)
    return _session_form(request, session=session, values=None, error=None)


def session_detail(
    request: HttpRequest,
    session_id: int,
    *,
    error=None,
    agreement_form=None,
    error_agreement: int | None = None,
    status: int = 200,
) -> HttpResponse:
    session = page_data.session_page(session_id=session_id, user=request.user)
    return render(
        request,
        "coordination/session_detail.html",
        {
            "s": session,
            "choices": selectors.session_form_choices(),
            "error": error,
            "error_agreement": error_agreement,
            "agreement_form": agreement_form or {},
            **_nav(request),
        },
        status=status,
    )


@login_required
@require_POST
def agreement_new(request: HttpRequest, session_id: int) -> HttpResponse:
    data = {k: request.POST.get(k, "") for k in ("text", "owner_state", "due")}
    try:
        agreement = services.agreement_create(user=request.user, session_id=session_id, data=data)
    except ValidationError as exc:
        return session_detail(request, session_id, error=exc, agreement_form=data, status=422)
    messages.success(request, _("Acuerdo registrado."))
    return redirect(reverse("coordination:session_detail", args=[session_id]) + f"#acuerdo-{agreement.pk}")


@login_required
@require_POST
def agreement_update(request: HttpRequest, agreement_id: int) -> HttpResponse:
    data = {"status": request.POST.get("status", ""), "note": request.POST.get("note", "")}
    if page_data.nav(request.user)["is_coordinator"] and request.POST.get("due"):
        data["due"] = request.POST["due"]
    agreement = selectors.agreement_get(agreement_id=agreement_id)
    try:
        services.agreement_update(user=request.user, agreement_id=agreement_id, data=data)
    except ValidationError as exc:
        return session_detail(
            request, agreement["session"], error=exc, error_agreement=agreement_id, status=422
        )
    messages.success(request, _("Seguimiento guardado."))
    return redirect(
        reverse("coordination:session_detail", args=[agreement["session"]]) + f"#acuerdo-{agreement_id}"
    )


# ---------------------------------------------------------------- the coordination's own pages


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    data = selectors.coordinator_overview(user=request.user)
    return render(request, "coordination/overview.html", {"o": data, **_nav(request)})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notification_preference_set(
            user=request.user, email_enabled=request.POST.get("email") == "on"
        )
        messages.success(request, _("Preferencia guardada."))
        return redirect("coordination:preferences")
    pref = selectors.notification_preference(user=request.user)
    return render(request, "coordination/preferences.html", {"pref": pref, **_nav(request)})
