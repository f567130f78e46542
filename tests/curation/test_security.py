"""Security of accounts (issue 14): sign-ins and API tokens are throttled and logged; tokens expire, are
revoked from the CLI and the tokens page, and die with a password change; drafts stay unseen (404, never
403) to whoever may not read them; public history names roles, not people."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from buenaspracticas.cli import main
from buenaspracticas.curation import services
from buenaspracticas.curation.models import ApiToken
from buenaspracticas.errors import PermissionDenied
from tests.curation.conftest import FICHA, PASSWORD, auth

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "otra-clave-muy-larga-5820"


def _sign_in(client: Client, password: str, username: str = "oax", path: str = "/cuenta/entrar/"):
    return client.post(path, {"username": username, "password": password})


def _create_practice(token: str, client: Client | None = None, **extra):
    return (client or Client()).post(
        "/api/v1/practices",
        json.dumps({"title": "FICHA API"}),
        content_type="application/json",
        **auth(token),
        **extra,
    )


# ---------------------------------------------------------------- sign-in throttling (item 2)


def test_sixth_wrong_password_locks_the_sign_in_even_for_the_right_one(accounts, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(6):
            _sign_in(client, "contraseña-equivocada")
        r = _sign_in(client, PASSWORD)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    html = r.content.decode()
    assert "Demasiados intentos fallidos" in html and "Vuelva a intentarlo dentro de 15 minutos" in html
    assert r["Retry-After"] == "900"
    from axes.models import AccessAttempt, AccessFailureLog

    assert AccessAttempt.objects.filter(username="oax", ip_address="127.0.0.1").exists()
    assert AccessFailureLog.objects.filter(username="oax").count() >= 6
    assert any("AXES" in rec.getMessage() and "login failure" in rec.getMessage() for rec in caplog.records)


def test_admin_sign_in_is_locked_the_same_way(accounts):
    get_user_model().objects.create_superuser("raiz", password=PASSWORD)
    client = Client()
    for _ in range(6):
        _sign_in(client, "mala-mala-mala", username="raiz", path="/admin/login/")
    r = _sign_in(client, PASSWORD, username="raiz", path="/admin/login/")
    assert r.status_code == 429 and "_auth_user_id" not in client.session
    from axes.models import AccessFailureLog

    assert AccessFailureLog.objects.filter(username="raiz", path_info="/admin/login/").exists()


def test_a_lock_on_one_address_does_not_lock_the_person_out_elsewhere(accounts):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        _sign_in(attacker, "adivinanza-1234")
    assert _sign_in(attacker, PASSWORD).status_code == 429
    owner = Client(REMOTE_ADDR="198.51.100.7")
    r = _sign_in(owner, PASSWORD)
    assert r.status_code == 302 and "_auth_user_id" in owner.session


def test_one_address_failing_with_many_usernames_is_locked(accounts):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(20):
        _sign_in(client, "clave-cualquiera", username=f"persona{i}")
    assert _sign_in(client, PASSWORD).status_code == 429


def test_a_successful_sign_in_resets_the_count(accounts):
    client = Client()
    for _ in range(4):
        _sign_in(client, "casi-pero-no")
    assert _sign_in(client, PASSWORD).status_code == 302
    client = Client()
    for _ in range(4):
        _sign_in(client, "casi-pero-no")
    assert _sign_in(client, PASSWORD).status_code == 302


# ---------------------------------------------------------------- API token throttling (item 2)


def test_repeated_bad_tokens_from_one_address_are_throttled_and_logged(tokens):
    client = Client(REMOTE_ADDR="203.0.113.20")
    statuses = [_create_practice("bp_inventado" + str(i), client).status_code for i in range(6)]
    assert statuses[:4] == [403] * 4 and statuses[-1] == 429
    r = _create_practice(tokens["editor"], client)  # even a good token, while the address is locked
    assert r.status_code == 429
    body = r.json()
    assert body["error"] == "Throttled" and "minutos" in body["message"]
    from axes.models import AccessFailureLog

    assert AccessFailureLog.objects.filter(username="api:token", ip_address="203.0.113.20").exists()
    assert _create_practice(tokens["editor"], Client(REMOTE_ADDR="198.51.100.8")).status_code == 201


def test_token_failures_are_throttled_by_the_service_itself(tokens, rf):
    from buenaspracticas.errors import Throttled

    def attempt(header):
        request = rf.post("/api/v1/practices", REMOTE_ADDR="203.0.113.21")
        return services.token_authenticate(header=header, request=request)

    for _ in range(4):
        with pytest.raises(PermissionDenied):
            attempt("Bearer bp_nope")
    with pytest.raises(Throttled):
        attempt("Bearer bp_nope")
    with pytest.raises(Throttled):
        attempt(f"Bearer {tokens['editor']}")


# ---------------------------------------------------------------- token expiry and revocation (item 4)


def test_expired_and_revoked_tokens_get_403_saying_why(accounts):
    expired = services.token_create(username="oax", days=1)
    ApiToken.objects.filter(prefix=expired[:10]).update(expires_at=timezone.now() - timedelta(minutes=1))
    r = _create_practice(expired)
    assert r.status_code == 403 and "venció" in r.json()["message"]
    revoked = services.token_create(username="oax")
    services.token_revoke(actor=accounts["editor"], key=revoked[:10])
    r = _create_practice(revoked)
    assert r.status_code == 403 and "revocado" in r.json()["message"]


def test_tokens_expire_after_the_default_days_or_those_asked_for(accounts):
    services.token_create(username="oax")
    services.token_create(username="oax", days=7)
    tokens = ApiToken.objects.all()
    lifetimes = sorted(round((t.expires_at - t.created_at) / timedelta(days=1)) for t in tokens)
    assert lifetimes == [7, 90]


def test_token_revoke_on_the_cli_makes_it_unusable(accounts, capsys):
    assert main(["token", "create", "--username", "oax", "--days", "30", "--label", "importador"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[0]
    assert services.token_authenticate(header=f"Bearer {token}") == accounts["editor"]
    assert main(["token", "list", "--username", "oax"]) == 0
    assert f"{token[:10]}…\tactive" in capsys.readouterr().out
    assert main(["token", "revoke", token[:10], "--username", "oax"]) == 0
    assert "revocado" in capsys.readouterr().out
    with pytest.raises(PermissionDenied, match="revocado"):
        services.token_authenticate(header=f"Bearer {token}")
    assert _create_practice(token).status_code == 403
    assert main(["token", "list", "--username", "oax"]) == 0
    assert f"{token[:10]}…\trevoked" in capsys.readouterr().out
    assert main(["token", "revoke", "bp_noexiste"]) == 2


def test_only_the_owner_or_the_coordination_revoke_a_token(accounts):
    token = services.token_create(username="oax")
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=accounts["other_editor"], key=token[:10], username="oax")
    services.token_revoke(actor=accounts["coordinator"], key=token)
    assert ApiToken.objects.get(prefix=token[:10]).revoked_at is not None


def test_tokens_page_lists_creates_once_and_revokes(accounts, clients):
    old = services.token_create(username="oax", label="script estatal")
    page = clients["editor"].get("/cuenta/tokens/")
    html = page.content.decode()
    assert page.status_code == 200 and old[:10] in html and "script estatal" in html and old not in html
    r = clients["editor"].post("/cuenta/tokens/", {"label": "nuevo", "days": 30})
    new = re.search(r'<code id="new-token">(bp_[^<]+)</code>', r.content.decode()).group(1)
    assert "no-store" in r["Cache-Control"]
    assert services.token_authenticate(header=f"Bearer {new}") == accounts["editor"]
    assert new not in clients["editor"].get("/cuenta/tokens/").content.decode()  # shown once
    r = clients["editor"].post("/cuenta/tokens/revocar/", {"prefix": old[:10]}, follow=True)
    assert "revocado" in r.content.decode()
    assert f'data-token="{old[:10]}" data-status="revoked"' in r.content.decode()
    with pytest.raises(PermissionDenied):
        services.token_authenticate(header=f"Bearer {old}")
    # another account's token cannot be revoked from this page
    theirs = services.token_create(username="jal")
    clients["editor"].post("/cuenta/tokens/revocar/", {"prefix": theirs[:10]})
    assert services.token_authenticate(header=f"Bearer {theirs}") == accounts["other_editor"]


def test_password_change_on_the_page_revokes_the_tokens_and_keeps_this_session(accounts, clients):
    token = services.token_create(username="oax")
    r = clients["editor"].post(
        "/cuenta/contrasena/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302 and r.url == "/cuenta/"
    with pytest.raises(PermissionDenied, match="revocado"):
        services.token_authenticate(header=f"Bearer {token}")
    accounts["editor"].refresh_from_db()
    assert accounts["editor"].check_password(NEW_PASSWORD)
    assert clients["editor"].get("/cuenta/").status_code == 200


def test_wrong_current_password_changes_nothing(accounts, clients):
    token = services.token_create(username="oax")
    r = clients["editor"].post(
        "/cuenta/contrasena/",
        {"old_password": "no-es-esta", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 200
    assert services.token_authenticate(header=f"Bearer {token}") == accounts["editor"]


def test_password_set_by_the_service_or_the_admin_revokes_the_tokens(accounts):
    token = services.token_create(username="oax")
    services.account_password_set(actor=accounts["coordinator"], username="oax", password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.token_authenticate(header=f"Bearer {token}")
    with pytest.raises(PermissionDenied):
        services.account_password_set(actor=accounts["other_editor"], username="oax", password=NEW_PASSWORD)

    token = services.token_create(username="oax")
    admin = get_user_model().objects.create_superuser("raiz", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    r = client.post(
        f"/admin/auth/user/{accounts['editor'].pk}/password/",
        {"password1": PASSWORD + "x", "password2": PASSWORD + "x"},
    )
    assert r.status_code == 302
    with pytest.raises(PermissionDenied):
        services.token_authenticate(header=f"Bearer {token}")


# ---------------------------------------------------------------- the account page


def test_account_page_links_the_account_tools(clients):
    r = clients["editor"].get("/cuenta/")
    html = r.content.decode()
    assert r.status_code == 200 and "oax" in html and "Oaxaca" in html
    for href in ("/cuenta/practicas/", "/cuenta/tokens/", "/cuenta/contrasena/", "/cuenta/salir/"):
        assert f'"{href}"' in html
    roleless = clients["visitor"].get("/cuenta/").content.decode()
    assert "coordinación" in roleless


def test_account_page_sends_a_visitor_to_sign_in_where_getting_an_account_is_explained(client):
    r = client.get("/cuenta/")
    assert r.status_code == 302 and r.url.startswith("/cuenta/entrar/")
    assert "las crea la coordinación" in client.get(r.url).content.decode()


# ---------------------------------------------------------------- drafts stay unseen (item 7)


def _error_message(response) -> str:
    return re.search(r'<p class="error-message">(.*?)</p>', response.content.decode(), re.S).group(1)


@pytest.mark.parametrize(
    "path", ["/practicas/{id}/historial/", "/cuenta/practicas/{id}/", "/cuenta/practicas/{id}/editar/"]
)
def test_a_draft_is_404_not_403_to_whoever_may_not_read_it(accounts, clients, path):
    draft = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    missing = clients["other_editor"].get(path.format(id="oaxaca-999"))
    assert missing.status_code == 404
    for reader in ("other_editor", "visitor"):
        r = clients[reader].get(path.format(id=draft.public_id))
        assert r.status_code == 404, (reader, r.status_code)
        assert _error_message(r) == _error_message(missing)
    if path.startswith("/practicas/"):
        r = clients["anonymous"].get(path.format(id=draft.public_id))
        assert r.status_code == 404 and _error_message(r) == _error_message(missing)
    assert clients["editor"].get(path.format(id=draft.public_id)).status_code == 200


def test_a_draft_history_on_the_api_is_404_alike_for_a_visitor_and_another_state(accounts, tokens, client):
    draft = services.practice_draft_create(user=accounts["editor"], state_code=None, data=FICHA)
    url = f"/api/v1/practices/{draft.public_id}/history"
    visitor = client.get(url)
    other = client.get(url, **auth(tokens["other_editor"]))
    missing = client.get("/api/v1/practices/oaxaca-999/history", **auth(tokens["other_editor"]))
    assert visitor.status_code == other.status_code == missing.status_code == 404
    assert visitor.json() == other.json() == missing.json()
    assert client.get(url, **auth(tokens["editor"])).status_code == 200


def test_public_history_names_roles_not_people(accounts, clients):
    named = services.account_create(username="maria.lopez", role="coordinator", password=PASSWORD)
    named.first_name, named.last_name = "María", "López"
    named.save()
    services.practice_transition(user=named, practice_id="oaxaca-1", to="archived", comment="Pausa")
    services.practice_transition(user=named, practice_id="oaxaca-1", to="published", comment="Vuelve")
    for reader in ("anonymous", "other_editor", "visitor"):
        html = clients[reader].get("/practicas/oaxaca-1/historial/").content.decode()
        assert "maria.lopez" not in html and "María López" not in html, reader
        assert "coordinación" in html and "Informe:" in html
    api = Client().get("/api/v1/practices/oaxaca-1/history").content.decode()
    assert "maria.lopez" not in api and "López" not in json.loads(api).__repr__()
    for staff in ("evaluator", "editor", "coordinator"):
        assert "María López" in clients[staff].get("/practicas/oaxaca-1/historial/").content.decode()


def test_history_of_an_editors_published_change_says_which_state_office(accounts):
    from django.contrib.auth.models import AnonymousUser

    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.curation import selectors

    services.practice_edit(
        user=accounts["editor"],
        practice_id="oaxaca-1",
        data={"title": "TÍTULO CORREGIDO"},
        expected_version=Practice.objects.get(public_id="oaxaca-1").version,
    )
    services.practice_transition(user=accounts["editor"], practice_id="oaxaca-1", to="submitted")
    services.practice_transition(user=accounts["evaluator"], practice_id="oaxaca-1", to="in_review")
    services.practice_transition(user=accounts["evaluator"], practice_id="oaxaca-1", to="published")
    public = selectors.practice_history(practice_id="oaxaca-1", user=AnonymousUser())
    who = {e["who"] for e in public}
    assert "evaluación" in who and not who & {"oax", "eva"}
    staff = selectors.practice_history(practice_id="oaxaca-1", user=accounts["editor"])
    assert "oax" in {e["who"] for e in staff}


def test_account_pages_and_the_lockout_speak_english_at_en(accounts, clients):
    html = clients["editor"].get("/en/cuenta/tokens/").content.decode()
    assert "API tokens" in html and "Create a token" in html
    assert "My account" in clients["editor"].get("/en/cuenta/").content.decode()
    client = Client()
    for _ in range(5):
        r = _sign_in(client, "wrong-password-1", path="/en/cuenta/entrar/")
    assert r.status_code == 429 and "Too many failed attempts" in r.content.decode()
