"""Every API error has one JSON shape ({"error", "message", "field"?, "details"?}), never a 500 for bad input
and never HTML; credentials and permission are checked before the body is validated (DESIGN.md §4)."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from buenaspracticas.catalog.models import Practice
from tests.api.conftest import FICHA, bearer

pytestmark = pytest.mark.django_db
ERROR_KEYS = {"error", "message", "field", "details"}


def _error(response, status: int) -> dict:
    """Assert `response` is a JSON error of `status` in the API's shape; return its body."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"error", "message"} <= set(body) <= ERROR_KEYS
    assert body["error"] and body["message"]
    return body


def _post(client, path: str, body, token: str | None = None, method: str = "post"):
    data = body if isinstance(body, str) else json.dumps(body)
    extra = bearer(token) if token else {}
    return getattr(client, method)(path, data, content_type="application/json", **extra)


# ---------------------------------------------------------------- bounds, validated before the database


def test_beneficiaries_beyond_the_database_integer_is_422_not_500(client, tokens):
    r = _post(client, "/api/v1/practices", {**FICHA, "beneficiaries": 2**63}, tokens["editor"])
    body = _error(r, 422)
    assert body["field"] == "beneficiaries" and "1000000000" in body["message"]
    version = Practice.objects.get(public_id="oaxaca-1").version
    r = _post(
        client,
        "/api/v1/practices/oaxaca-1",
        {"version": version, "beneficiaries": 2**63},
        tokens["editor"],
        method="patch",
    )
    assert _error(r, 422)["field"] == "beneficiaries"
    assert Practice.objects.get(public_id="oaxaca-1").version == version


def test_beneficiaries_up_to_the_documented_maximum_are_kept(client, tokens):
    r = _post(client, "/api/v1/practices", {**FICHA, "beneficiaries": 10**9}, tokens["editor"])
    assert r.status_code == 201
    assert Practice.objects.get(public_id=r.json()["id"]).beneficiaries == 10**9


@pytest.mark.parametrize(
    "body,field",
    [
        ('{"title": "ALBERGUE \\ud800"}', "title"),
        (
            '{"title": "ALBERGUE", "criteria": {"eficacia": {"verdict": "met", "evidence": "\\udfff"}}}',
            "criteria.eficacia.evidence",
        ),
        ('{"title": "ALBERGUE", "description": "nulo \\u0000"}', "description"),
    ],
)
def test_lone_surrogate_or_nul_in_a_json_string_is_422_with_a_clear_message(client, tokens, body, field):
    r = _post(client, "/api/v1/practices", body, tokens["editor"])
    error = _error(r, 422)
    assert error["field"] == field
    assert "sustituto UTF-16" in error["message"] or "U+0000" in error["message"]


def test_text_longer_than_its_column_is_422(client, tokens):
    r = _post(client, "/api/v1/practices", {**FICHA, "title": "X" * 501}, tokens["editor"])
    assert _error(r, 422)["field"] == "title"


@pytest.mark.parametrize(
    "query,field",
    [
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
        ("limit=99999999999999999999", "limit"),
        ("q=" + "a" * 201, "q"),
    ],
)
def test_list_parameters_are_bounded(client, report, query, field):
    assert _error(client.get(f"/api/v1/practices?{query}"), 422)["field"] == field


@pytest.mark.parametrize(
    "url,field",
    [
        ("/api/v1/practices/oaxaca%00-1", "path"),
        ("/api/v1/practices?q=a%00b", "q"),
        ("/api/v1/states/MX%00", "path"),
    ],
)
def test_a_nul_character_in_the_url_is_422_not_a_database_error(client, report, url, field):
    """PostgreSQL refuses NUL in any text, so a URL carrying one is answered before it reaches a query."""
    assert _error(client.get(url), 422)["field"] == field


# ---------------------------------------------------------------- malformed bodies


@pytest.mark.parametrize("raw", ['{"title": ', "no es json", "[" * 100_000, b"\xff\xfe\x00"])
def test_malformed_json_body_is_400_in_the_error_shape(client, tokens, raw):
    r = client.post("/api/v1/practices", raw, content_type="application/json", **bearer(tokens["editor"]))
    body = _error(r, 400)
    assert body["error"] == "BadRequest" and body["field"] == "body"
    assert "JSON" in body["message"]


@pytest.mark.parametrize("raw", ["[1, 2]", '"texto"', "null", "42"])
def test_a_json_body_that_is_not_an_object_is_422(client, tokens, raw):
    r = client.post("/api/v1/practices", raw, content_type="application/json", **bearer(tokens["editor"]))
    _error(r, 422)


# ---------------------------------------------------------------- credentials and permission first


@pytest.mark.parametrize(
    "method,path",
    [
        ("post", "/api/v1/practices"),
        ("patch", "/api/v1/practices/oaxaca-1"),
        ("post", "/api/v1/practices/oaxaca-1/transitions"),
        ("put", "/api/v1/practices/oaxaca-1/criteria/eficacia"),
    ],
)
@pytest.mark.parametrize("raw", ['{"title": ', '{"version": "uno", "verdict": 5, "to": []}'])
def test_no_token_and_a_bad_body_is_401_not_a_validation_error(client, report, method, path, raw):
    body = _error(_post(client, path, raw, method=method), 401)
    assert body["error"] == "NotAuthenticated" and "token" in body["message"].lower()


def test_a_wrong_token_and_a_bad_body_is_403(client, report):
    body = _error(_post(client, "/api/v1/practices", '{"title": 5}', "bp_inventado"), 403)
    assert body["error"] == "PermissionDenied"


@pytest.mark.parametrize(
    "who,method,path",
    [
        ("other_editor", "patch", "/api/v1/practices/oaxaca-1"),
        ("other_editor", "post", "/api/v1/practices/oaxaca-1/transitions"),
        ("editor", "put", "/api/v1/practices/oaxaca-1/criteria/eficacia"),
    ],
)
def test_a_body_that_is_not_json_is_reported_after_the_permission_check(client, tokens, who, method, path):
    assert (
        _error(_post(client, path, '{"title": ', tokens[who], method=method), 403)["error"]
        == "PermissionDenied"
    )
    allowed = {"other_editor": "editor", "editor": "evaluator"}[who]
    assert _error(_post(client, path, '{"title": ', tokens[allowed], method=method), 400)["field"] == "body"


def test_other_states_editor_gets_403_before_the_missing_version_is_reported(client, tokens):
    r = _post(client, "/api/v1/practices/oaxaca-1", {"title": "X"}, tokens["other_editor"], method="patch")
    assert _error(r, 403)["error"] == "PermissionDenied"
    # The state's own editor is told what is missing.
    r = _post(client, "/api/v1/practices/oaxaca-1", {"title": "X"}, tokens["editor"], method="patch")
    assert _error(r, 422)["field"] == "version"


@pytest.mark.parametrize(
    "who,method,path,body",
    [
        ("other_editor", "patch", "/api/v1/practices/oaxaca-1", {"version": "uno", "beneficiaries": -1}),
        ("other_editor", "post", "/api/v1/practices/oaxaca-1/transitions", {"to": ["published"]}),
        ("editor", "put", "/api/v1/practices/oaxaca-1/criteria/eficacia", {"verdict": "quizá", "version": 0}),
        ("evaluator", "post", "/api/v1/practices", {"state": "MX-OAX", "title": 5}),
        ("other_editor", "post", "/api/v1/practices", {"state": "MX-OAX", "title": 5}),
    ],
)
def test_wrong_role_or_state_is_403_whatever_the_body(client, tokens, who, method, path, body):
    assert _error(_post(client, path, body, tokens[who], method=method), 403)["error"] == "PermissionDenied"


# ---------------------------------------------------------------- never HTML under /api/


def test_unknown_api_url_and_method_answer_json(client, report):
    _error(client.get("/api/v1/no-existe"), 404)
    r = client.delete("/api/v1/practices/oaxaca-1")
    _error(r, 405)
    assert "GET" in r["Allow"]


def test_an_exception_in_an_api_view_is_a_logged_json_500(report, caplog):
    """A genuine failure (the practices table is gone) answers 500 in the error shape, and is logged."""
    table = Practice._meta.db_table
    with (
        connection.cursor() as cursor
    ):  # DDL is transactional on SQLite and PostgreSQL: undone after the test
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{table}_gone"')
    with caplog.at_level(logging.ERROR, logger="django.request"):
        r = Client(raise_request_exception=False).get("/api/v1/practices/oaxaca-1")
    body = _error(r, 500)
    assert body["error"] == "ServerError" and "<html" not in r.content.decode().lower()
    assert any(rec.exc_info and "/api/v1/practices/oaxaca-1" in rec.getMessage() for rec in caplog.records)


def test_api_exception_handler_and_middleware_answer_json_for_an_unexpected_exception(caplog):
    from buenaspracticas.api.app import api
    from buenaspracticas.web.middleware import AppErrorMiddleware

    request = RequestFactory().get("/api/v1/states")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        by_ninja = api.on_exception(request, ZeroDivisionError("boom"))
        by_middleware = AppErrorMiddleware(lambda r: None).process_exception(request, KeyError("boom"))
    for response in (by_ninja, by_middleware):
        assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
        assert json.loads(response.content)["error"] == "ServerError"
    assert [r.exc_info[0] for r in caplog.records] == [ZeroDivisionError, KeyError]
    page = RequestFactory().get("/practicas/")
    assert AppErrorMiddleware(lambda r: None).process_exception(page, KeyError("boom")) is None


# ---------------------------------------------------------------- documented


def test_openapi_documents_every_error_status_with_the_one_error_shape(client, report):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "MessageOut" not in schemas and set(schemas["ErrorOut"]["properties"]) == ERROR_KEYS
    writes = {
        ("post", "/api/v1/practices"),
        ("patch", "/api/v1/practices/{practice_id}"),
        ("post", "/api/v1/practices/{practice_id}/transitions"),
        ("put", "/api/v1/practices/{practice_id}/criteria/{criterion}"),
    }
    for method, path in writes:
        op = spec["paths"][path][method]
        assert op["security"] == [{"BearerToken": []}]
        assert {"400", "401", "403", "404", "409", "414", "422", "429", "500"} <= set(op["responses"])
        assert "$ref" in op["requestBody"]["content"]["application/json"]["schema"]
        for status in ("400", "401", "403", "409", "422", "429", "500"):
            ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut")
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert {"414", "500"} <= set(op["responses"]), (method, path)
