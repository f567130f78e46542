"""Security settings: a Content-Security-Policy everywhere, HTTPS hardening behind BUENASPRACTICAS_HTTPS, and
`check --deploy` clean with it on. The HTTPS cases run the real settings in a subprocess, as a deployment
would read them from its environment."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

import pytest

_SECURITY_VARIABLES = (
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "BUENASPRACTICAS_HTTPS",
    "BUENASPRACTICAS_BEHIND_PROXY",
    "BUENASPRACTICAS_HSTS_SECONDS",
    "BUENASPRACTICAS_HSTS_INCLUDE_SUBDOMAINS",
    "BUENASPRACTICAS_HSTS_PRELOAD",
)

# Run in a subprocess with the project's own settings: GET the login page over http and over https, then
# sign in over https, and print what a browser would see.
_REQUESTS = """
import json, sys
import django
django.setup()
from django.test import Client

def seen(response):
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "hsts": response.get("Strict-Transport-Security"),
        "csp": response.get("Content-Security-Policy"),
        "cookies": {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}
                    for name, m in response.cookies.items()},
    }

out = {
    "http": seen(Client().get("/cuenta/entrar/")),
    "forwarded_https": seen(Client().get("/cuenta/entrar/", headers={"X-Forwarded-Proto": "https"})),
}
if "--login" in sys.argv:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user("ana", password="una-clave-bastante-larga")
    client = Client()
    out["https"] = seen(client.get("/cuenta/entrar/", secure=True))
    credentials = {"username": "ana", "password": "una-clave-bastante-larga"}
    out["login"] = seen(client.post("/cuenta/entrar/", credentials, secure=True))
print(json.dumps(out))
"""


def _env(data_dir, **values: str) -> dict[str, str]:
    # A deployment's environment: none of the security variables, nor the browser tests' async switch.
    leave_out = {*_SECURITY_VARIABLES, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in leave_out}
    env.update(
        {
            "BUENASPRACTICAS_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "buenaspracticas.settings",
            "BUENASPRACTICAS_EMBEDDER": "none",
        }
    )
    env.update(values)
    return env


def _requests(data_dir, *args: str, **values: str) -> dict:
    env = _env(data_dir, ALLOWED_HOSTS="testserver", SECRET_KEY=secrets.token_urlsafe(64), **values)
    result = subprocess.run(
        [sys.executable, "-c", _REQUESTS, *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


def test_deploy_check_is_clean_with_https_on(tmp_path):
    env = _env(
        tmp_path,
        DEBUG="0",
        BUENASPRACTICAS_HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert not re.findall(r"security\.W\d+", output), output
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/practicas/?q=albergue",
        "/practicas/baja-california-2/",
        "/estados/baja-california/",
        "/regiones/norte/",
        "/cuenta/entrar/",
    ],
)
def test_page_carries_a_csp_without_inline_script_that_its_markup_obeys(client, report, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    html = response.content.decode()
    # The map (and its legend) and the Vega charts are in the markup checked below.
    assert {"/": 'class="mx-map"', "/estados/baja-california/": 'class="marks"'}.get(path, "") in html
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    # style-src 'self' without 'unsafe-inline': no style attribute or <style> block may be on the page...
    assert "'unsafe-inline'" not in policy["style-src"]
    assert [t for t in tags if re.search(r"\sstyle\s*=", t)] == []
    assert "<style" not in html
    # ...and scripts only as files of the site, never inline code or event handlers.
    assert [t for t in tags if t.startswith("<script") and "src=" not in t] == []
    assert [t for t in tags if re.search(r"\son[a-z]+\s*=", t)] == []


def test_local_defaults_serve_plain_http_without_hsts_or_secure_cookies(client, db):
    response = client.get("/cuenta/entrar/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert "Strict-Transport-Security" not in response
    assert response.cookies["csrftoken"]["secure"] == ""


def test_https_on_redirects_http_sends_hsts_and_secure_cookies(tmp_path):
    seen = _requests(tmp_path, "--login", BUENASPRACTICAS_HTTPS="1")
    assert seen["http"]["status"] == 301
    assert seen["http"]["location"] == "https://testserver/cuenta/entrar/"
    page, login = seen["https"], seen["login"]
    assert page["status"] == 200
    assert page["hsts"] == "max-age=31536000; includeSubDomains"
    assert "upgrade-insecure-requests" in page["csp"]
    assert page["cookies"]["csrftoken"]["secure"]
    assert login["status"] == 302, login
    assert login["cookies"]["sessionid"] == {"secure": True, "httponly": True}
    assert login["cookies"]["csrftoken"]["secure"]


def test_forwarded_proto_is_trusted_only_behind_a_declared_proxy(tmp_path):
    direct = _requests(tmp_path / "direct", BUENASPRACTICAS_HTTPS="1")
    proxied = _requests(tmp_path / "proxied", BUENASPRACTICAS_HTTPS="1", BUENASPRACTICAS_BEHIND_PROXY="1")
    # A client claiming https straight to the app is still redirected...
    assert direct["forwarded_https"]["status"] == 301
    # ...while behind the declared proxy the header says the visitor's connection was https.
    assert proxied["forwarded_https"]["status"] == 200
    assert proxied["forwarded_https"]["hsts"] == "max-age=31536000; includeSubDomains"
    assert proxied["http"]["status"] == 301


def test_hsts_preload_and_max_age_are_settings(tmp_path):
    seen = _requests(
        tmp_path,
        BUENASPRACTICAS_HTTPS="1",
        BUENASPRACTICAS_BEHIND_PROXY="1",
        BUENASPRACTICAS_HSTS_SECONDS="63072000",
        BUENASPRACTICAS_HSTS_PRELOAD="1",
    )
    assert seen["forwarded_https"]["hsts"] == "max-age=63072000; includeSubDomains; preload"
