"""The curation pages: sign in (CSRF on), my practices, the ficha form and its messages, the workspace,
calls for practices, and English."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import services
from buenaspracticas.curation.models import Call
from buenaspracticas.reference import CRITERIA
from tests.curation.conftest import FICHA, PASSWORD

pytestmark = pytest.mark.django_db
EMPTY_CRITERIA = {f"verdict_{c}": "unknown" for c in CRITERIA}


def test_sign_in_enforces_csrf_and_redirects_to_my_practices(accounts):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/cuenta/entrar/", {"username": "oax", "password": PASSWORD}).status_code == 403
    page = strict.get("/cuenta/entrar/")
    token = page.cookies["csrftoken"].value
    r = strict.post(
        "/cuenta/entrar/", {"username": "oax", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert r.status_code == 302 and r.url == "/cuenta/practicas/"
    assert "Mis prácticas" in strict.get("/cuenta/practicas/").content.decode()


def test_wrong_password_is_refused(accounts):
    r = Client().post("/cuenta/entrar/", {"username": "oax", "password": "mala"})
    assert r.status_code == 200 and "_auth_user_id" not in Client().session


def test_pages_need_a_session(client):
    r = client.get("/cuenta/practicas/")
    assert r.status_code == 302 and r.url.startswith("/cuenta/entrar/")


def test_form_messages_say_what_to_fix(clients):
    r = clients["editor"].post(
        "/cuenta/practicas/nueva/",
        {"title": "", "status": "active", "beneficiaries": "1,200", **EMPTY_CRITERIA},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "Escriba el título de la práctica" in html
    assert "Escriba un número entero" in html


def test_editor_saves_a_draft_with_only_a_title_and_edits_it(clients):
    r = clients["editor"].post(
        "/cuenta/practicas/nueva/", {"title": "ALBERGUE", "status": "active", **EMPTY_CRITERIA}
    )
    assert r.status_code == 302
    practice = Practice.objects.get(title="ALBERGUE")
    assert practice.workflow_state == "draft" and practice.state.code == "MX-OAX"
    page = clients["editor"].get(f"/cuenta/practicas/{practice.public_id}/editar/").content.decode()
    assert 'name="version"' in page and "Sostenibilidad" in page
    ws = clients["editor"].get(f"/cuenta/practicas/{practice.public_id}/").content.decode()
    assert 'data-to="submitted"' in ws and "Historial de cambios" in ws


def test_thread_question_and_answer_on_the_workspace(accounts, clients):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    services.practice_transition(user=accounts["editor"], practice_id=p.public_id, to="submitted")
    services.practice_transition(user=accounts["evaluator"], practice_id=p.public_id, to="in_review")
    clients["evaluator"].post(
        f"/cuenta/practicas/{p.public_id}/transicion/",
        {"to": "clarification_requested", "comment": "¿Qué presupuesto tiene?"},
    )
    clients["editor"].post(
        f"/cuenta/practicas/{p.public_id}/transicion/",
        {"to": "in_review", "comment": "Dos millones anuales."},
    )
    html = clients["evaluator"].get(f"/cuenta/practicas/{p.public_id}/").content.decode()
    assert "¿Qué presupuesto tiene?" in html and "Dos millones anuales." in html
    assert Practice.objects.get(pk=p.pk).workflow_state == "in_review"


def test_publishing_below_three_criteria_shows_why(accounts, clients):
    p = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    services.practice_transition(user=None, practice_id=p.public_id, to="submitted")
    services.practice_transition(user=None, practice_id=p.public_id, to="in_review")
    r = clients["evaluator"].post(
        f"/cuenta/practicas/{p.public_id}/transicion/", {"to": "published"}, follow=True
    )
    assert "1 de 5" in r.content.decode() and "no calificada" in r.content.decode()
    assert Practice.objects.get(pk=p.pk).workflow_state == "in_review"


def test_calls_list_detail_and_a_submission_answering_one(accounts, clients):
    r = clients["coordinator"].post(
        "/convocatorias/nueva/",
        {"title": "Convocatoria 2027", "theme": "Inclusión laboral", "deadline": "2099-06-30"},
    )
    call = Call.objects.get(title="Convocatoria 2027")
    assert r.status_code == 302
    clients["editor"].post(
        "/cuenta/practicas/nueva/",
        {"title": "BOLSA DE TRABAJO", "status": "active", "call": call.pk, **EMPTY_CRITERIA},
    )
    listing = Client().get("/convocatorias/").content.decode()
    assert "Convocatoria 2027" in listing and "1 ficha" in listing
    assert "BOLSA DE TRABAJO" in clients["evaluator"].get(f"/convocatorias/{call.pk}/").content.decode()
    assert "BOLSA DE TRABAJO" not in Client().get(f"/convocatorias/{call.pk}/").content.decode()  # a draft


def test_closed_call_refuses_submissions(accounts):
    call = Call.objects.create(title="Vieja", theme="x", deadline=datetime.date(2020, 1, 1))
    from buenaspracticas.errors import ValidationError

    with pytest.raises(ValidationError, match="cerró"):
        services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA, call_id=call.pk)


def test_call_deadline_must_not_be_past(clients):
    r = clients["coordinator"].post(
        "/convocatorias/nueva/", {"title": "T", "theme": "x", "deadline": "2001-01-01"}
    )
    assert r.status_code == 200 and "fecha límite" in r.content.decode()


def test_pages_in_english(clients):
    html = clients["editor"].get("/en/cuenta/practicas/").content.decode()
    assert "My practices" in html
    assert "Sign in" in Client().get("/en/cuenta/entrar/").content.decode()
    form = clients["editor"].get("/en/cuenta/practicas/nueva/").content.decode()
    assert "Practice title" in form and "Assessment criteria" in form


def test_account_nav_shows_sign_in_or_my_account(clients):
    assert 'href="/cuenta/entrar/"' in clients["anonymous"].get("/").content.decode()
    home = clients["editor"].get("/").content.decode()
    assert 'href="/cuenta/"' in home and "Mi cuenta" in home
    # The account page leads on to the editor's practices.
    assert 'href="/cuenta/practicas/"' in clients["editor"].get("/cuenta/").content.decode()


def test_state_office_corrects_a_figure_and_sees_it_in_the_history(clients):
    from buenaspracticas.panorama.models import Indicator

    ind = Indicator.objects.filter(panorama__state__code="MX-OAX", key="total_population").first()
    page = clients["editor"].get("/cuenta/estados/MX-OAX/cifras/").content.decode()
    assert "total_population" in page
    r = clients["editor"].post(
        "/cuenta/estados/MX-OAX/cifras/", {"indicator": ind.pk, "value": "12,5x", "reason": "x"}
    )
    assert "Escriba la cifra como número" in r.content.decode()
    r = clients["editor"].post(
        "/cuenta/estados/MX-OAX/cifras/", {"indicator": ind.pk, "value": "4200000", "reason": ""}
    )
    assert "por qué" in r.content.decode()
    r = clients["editor"].post(
        "/cuenta/estados/MX-OAX/cifras/",
        {"indicator": ind.pk, "value": "4200000", "reason": "Censo 2025"},
        follow=True,
    )
    html = r.content.decode()
    assert "Censo 2025" in html and "4200000.0" in html
    ind.refresh_from_db()
    assert ind.value == 4200000


def test_admin_cannot_bypass_the_services(accounts):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    c = Client()
    c.force_login(admin)
    pk = Practice.objects.get(public_id="oaxaca-1").pk
    page = c.get(f"/admin/catalog/practice/{pk}/change/")
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    assert c.post(f"/admin/catalog/practice/{pk}/delete/", {"post": "yes"}).status_code == 403
    assert Practice.objects.filter(pk=pk).exists()
