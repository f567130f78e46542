"""Serving through `buenaspracticas serve` (gunicorn with buenaspracticas/gunicorn_conf.py) on a real
database: every worker warms up before it takes traffic; a repeated read answers 304 with no body, by ETag
and by Last-Modified; a change of the data changes both validators; an anonymous read is answered again from
memory until the next committed write, and nothing someone's own ever is; text answers are gzipped when the
client accepts it. SQLite always; PostgreSQL too when DATABASE_URL points to one."""

from __future__ import annotations

import gzip
import json
import re
import time
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime as _parsed

import pytest

from tests.served_site import PG_URL, new_site

API_LIST = "/api/v1/practices?limit=5"
PAGES = ("/practicas/", "/estados/")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("DATABASE_URL does not point to PostgreSQL")
    with new_site(request.param, tmp_path_factory.mktemp(f"serving-{request.param}")) as site:
        with site.serving(workers=2) as base:
            time.sleep(1.1)  # HTTP dates are whole seconds: Last-Modified is only sent a second after a write
            yield site, base


def fetch(base: str, path: str, method: str = "GET", body: dict | None = None, **headers: str):
    """Return (status, headers, raw body) of one request, without following redirects or decompressing."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_every_worker_warms_up_before_taking_traffic(served):
    site, _ = served
    log = "\n".join(p.read_text() for p in site.data_dir.glob("serve-*.log"))
    booted = set(re.findall(r"Booting worker with pid: (\d+)", log))
    warm = set(re.findall(r"worker (\d+) warm in [\d.]+ s\n", log))
    assert len(booted) == 2 and warm == booted, log
    assert "Using worker: sync" in log


@pytest.mark.parametrize("path", [API_LIST, *PAGES])
def test_a_repeated_read_with_its_etag_answers_304_with_no_body(served, path):
    _, base = served
    status, headers, body = fetch(base, path)
    assert status == 200 and body and headers["ETag"]
    status, again, body = fetch(base, path, **{"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]


def parse_http_date(value: str) -> float:
    return _parsed(value).timestamp()


def fetch_dated(base: str, path: str, **headers: str):
    """Fetch until the answer carries Last-Modified. A date is only sent a whole second after the last
    write, and on PostgreSQL the data version follows the cluster's WAL, which the other test workers'
    databases move all the time: a quiet second comes, it may take a few tries."""
    for _attempt in range(60):
        answer = fetch(base, path, **headers)
        if answer[0] != 200 or "Last-Modified" in answer[1]:
            return answer
        time.sleep(0.25)
    return answer


@pytest.mark.parametrize("path", [API_LIST, *PAGES])
def test_a_repeated_read_with_its_date_answers_304_with_no_body(served, path):
    _, base = served
    # Another write between the two requests (on PostgreSQL, another test database's) rightly gives a
    # later date, or none yet, and a 200 (never a wrong 304), so the pair is tried again; with no write in
    # between the answer must be a bodiless 304.
    for _attempt in range(10):
        status, headers, body = fetch_dated(base, path)
        assert status == 200 and body and headers["Last-Modified"]
        assert "no-cache" in headers["Cache-Control"]  # revalidated every time, never guessed fresh
        status, again, body = fetch(base, path, **{"If-Modified-Since": headers["Last-Modified"]})
        if status == 304:
            break
        later = "Last-Modified" not in again or (
            parse_http_date(again["Last-Modified"]) > parse_http_date(headers["Last-Modified"])
        )
        assert status == 200 and later, (status, headers["Last-Modified"], again.get("Last-Modified"))
    assert (status, body) == (304, b"")


def test_a_signed_in_reader_gets_no_last_modified(served):
    site, base = served
    status, headers, _ = fetch(base, API_LIST, Authorization=f"Bearer {site.token}")
    assert status == 200 and headers["ETag"] and "Last-Modified" not in headers


def test_a_change_of_the_data_changes_the_etag_and_the_date(served):
    site, base = served
    _, before, body = fetch_dated(base, API_LIST)
    count = json.loads(body)["count"]
    site.cli("synth", "--practices", "3", "--seed", "5")  # three more published practices, while serving
    time.sleep(1.1)  # a whole second after the write, so its date can be told from the one before
    status, after, body = fetch_dated(
        base,
        API_LIST,
        **{"If-None-Match": before["ETag"], "If-Modified-Since": before["Last-Modified"]},
    )
    assert status == 200
    assert json.loads(body)["count"] == count + 3
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]
    status, _, _ = fetch(base, API_LIST, **{"If-Modified-Since": before["Last-Modified"]})
    assert status == 200  # the old date alone no longer matches either


def _twice(base: str, path: str, **headers: str):
    """Fetch a path twice. Nothing is kept within a second of a write on SQLite (file times are coarse), a
    read may drain the search index's queue (a write), and on PostgreSQL another test database's write moves
    the cluster's WAL: each rightly makes the second a miss, so the pair is tried again a moment later."""
    for _attempt in range(20):
        first = fetch(base, path, **headers)
        second = fetch(base, path, **headers)
        if second[1].get("X-Cache") == "hit":
            break
        time.sleep(0.2)
    return first, second


@pytest.mark.parametrize("path", [API_LIST, *PAGES])
def test_an_anonymous_read_is_answered_again_from_memory_with_the_same_body(served, path):
    _, base = served
    (status, _, body), (again, headers, body_again) = _twice(base, path)
    assert status == again == 200
    assert headers["X-Cache"] == "hit"
    assert body_again == body
    assert headers["ETag"]  # validators still come with it (Last-Modified once its second has passed)


def test_a_write_is_seen_by_the_very_next_anonymous_read(served):
    site, base = served
    _, (_, headers, body) = _twice(base, API_LIST)
    assert headers["X-Cache"] == "hit"
    count = json.loads(body)["count"]
    site.cli("synth", "--practices", "2", "--seed", "7")  # committed by another process, no pause after it
    status, headers, body = fetch(base, API_LIST)
    assert status == 200 and headers.get("X-Cache") != "hit"
    assert json.loads(body)["count"] == count + 2


def test_what_is_someone_s_own_is_never_kept_nor_served_from_memory(served):
    site, base = served
    fetch(base, API_LIST)
    # A token reader, a reader with a session cookie, and a page that sets a cookie (the sign-in form's
    # CSRF token) are computed every time.
    for headers in ({"Authorization": f"Bearer {site.token}"}, {"Cookie": "sessionid=whatever"}):
        for _ in range(2):
            status, answer, _ = fetch(base, API_LIST, **headers)
            assert status == 200 and "X-Cache" not in answer
    for _ in range(2):
        status, answer, body = fetch(base, "/cuenta/entrar/")
        assert status == 200 and answer.get("X-Cache") != "hit" and b"csrfmiddlewaretoken" in body


def test_text_is_gzipped_when_the_client_accepts_it(served):
    _, base = served
    status, plain_headers, plain = fetch(base, API_LIST)
    assert status == 200 and "Content-Encoding" not in plain_headers
    status, headers, packed = fetch(base, API_LIST, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert len(packed) < len(plain)
    assert json.loads(gzip.decompress(packed)) == json.loads(plain)
    status, headers, packed = fetch(base, "/practicas/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/html")
    assert gzip.decompress(packed).lstrip().lower().startswith(b"<!doctype html")


def test_answers_that_are_not_text_are_sent_as_they_are():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from buenaspracticas.web.http_cache import TextGZipMiddleware

    pdf = b"%PDF-1.7\n" + b"0123456789" * 500
    middleware = TextGZipMiddleware(lambda request: HttpResponse(pdf, content_type="application/pdf"))
    response = middleware(RequestFactory().get("/informe.pdf", HTTP_ACCEPT_ENCODING="gzip"))
    assert not response.has_header("Content-Encoding") and response.content == pdf
    csv = TextGZipMiddleware(lambda request: HttpResponse(pdf, content_type="text/csv; charset=utf-8"))
    assert csv(RequestFactory().get("/a.csv", HTTP_ACCEPT_ENCODING="gzip"))["Content-Encoding"] == "gzip"
