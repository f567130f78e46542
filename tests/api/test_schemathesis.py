"""schemathesis against the API's own OpenAPI, in-process through the WSGI application, with data that fits
the schema (positive) and data that does not (negative), anonymously and with a coordinator's Bearer
token. Every answer must be a documented status with its documented media type and schema, never a 5xx;
with the token, writes must succeed (the schema's enums and examples let the fuzzer build valid bodies).

Bounded and derandomized: a fixed number of examples per operation, mode and caller, the same every run.
Anonymously every operation is fuzzed (writes briefly: they must answer 401 whatever the body); with the
token, the operations that take one."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from buenaspracticas.curation import accounts as account_services
from buenaspracticas.curation import services
from tests.api.conftest import FICHA, PASSWORD

pytestmark = pytest.mark.django_db

POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
EXAMPLES = {POSITIVE: 15, NEGATIVE: 10}  # per operation and caller
ANONYMOUS_WRITE_EXAMPLES = 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CREATE = "POST /api/v1/practices"
ASSESS = "PUT /api/v1/practices/{practice_id}/criteria/{criterion}"


@pytest.fixture
def wsgi_app(report):
    """The project's WSGI application, answering inside the test's transaction: like Django's test client,
    requests must not close the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_token(report):
    account_services.account_create(username="fuzz", role="coordinator", password=PASSWORD)
    return account_services.token_create(username="fuzz")


class Fuzzer:
    """Runs schemathesis over the operations of one schema as one caller; keeps responses and failures."""

    def __init__(self, schema, *, headers: dict, known_ids: list[str]) -> None:
        self.schema, self.headers, self.known_ids = schema, headers, known_ids
        self.responses: Counter = Counter()  # (operation, status) → count
        self.failures: list[str] = []

    def run(self, *, only_with_token: bool) -> None:
        """Fuzz every operation (or only those that take a token) in both generation modes."""
        for result in self.schema.get_all_operations():
            operation = result.ok()
            security = operation.definition.raw.get("security") or []
            takes_token = any(security)
            if only_with_token and not takes_token:
                continue
            requires_token = takes_token and {} not in security
            for mode in (POSITIVE, NEGATIVE):
                if requires_token and not self.headers:
                    if mode == POSITIVE:  # credentials come first: the body does not matter
                        self._exercise(operation, mode, ANONYMOUS_WRITE_EXAMPLES)
                    continue
                self._exercise(operation, mode, EXAMPLES[mode])

    def _strategy(self, operation, mode):
        strategies = [operation.as_strategy(generation_mode=mode, headers=self.headers)]
        if "{practice_id}" in operation.path:  # real records too, not only made-up ids
            strategies += [
                operation.as_strategy(
                    generation_mode=mode, headers=self.headers, path_parameters={"practice_id": p}
                )
                for p in self.known_ids
            ]
        if mode == POSITIVE:  # the documented examples of bodies that succeed
            strategies += operation.get_strategies_from_examples(headers=self.headers)
        return st.one_of(strategies)

    def _exercise(self, operation, mode, examples: int) -> None:
        label = f"{operation.method.upper()} {operation.path}"

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],  # failures are collected below, not shrunk
            suppress_health_check=list(HealthCheck),
        )
        @given(case=self._strategy(operation, mode))
        def call(case):
            # Schemathesis's WSGI transport does not undo Content-Encoding: ask for the plain body (the
            # served site's gzip is checked in tests/test_serving.py).
            response = case.call(headers={"Accept-Encoding": "identity", **self.headers})
            self.responses[(label, response.status_code)] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=self.headers)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported all together
                self.failures.append(f"{label} [{mode.value}] → {response.status_code}: {exc}"[:2000])

        try:
            call()
        except Unsatisfiable:  # an operation without inputs has nothing to break
            assert mode == NEGATIVE, label

    def statuses(self, label: str) -> set[int]:
        """Return the statuses an operation answered."""
        return {status for (lbl, status) in self.responses if lbl == label}

    def summary(self) -> str:
        """Return the figures: operations, responses, responses by status overall and per operation."""
        by_status: Counter = Counter()
        for (_, status), n in self.responses.items():
            by_status[status] += n
        labels = sorted({label for label, _ in self.responses})
        lines = [
            f"{len(labels)} operations, {sum(self.responses.values())} responses; "
            f"by status: {dict(sorted(by_status.items()))}"
        ]
        for label in labels:
            codes = {s: n for (lbl, s), n in sorted(self.responses.items()) if lbl == label}
            lines.append(f"  {label}: {codes}")
        return "\n".join(lines)


def test_fuzzing_anonymously_finds_no_server_error_and_no_undocumented_answer(wsgi_app):
    fuzzer = Fuzzer(
        schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app), headers={}, known_ids=["oaxaca-1"]
    )
    fuzzer.run(only_with_token=False)
    print("\nanonymous:", fuzzer.summary())
    assert not fuzzer.failures, "\n\n".join(fuzzer.failures[:20])
    assert not any(status >= 500 for _, status in fuzzer.responses)
    # Credentials first, whatever the body: no token 401 (a made-up one 403, too many of those 429).
    for write in (CREATE, ASSESS):
        assert 401 in fuzzer.statuses(write) and fuzzer.statuses(write) <= {401, 403, 429}
    assert 200 in fuzzer.statuses("GET /api/v1/practices")


def test_fuzzing_with_a_coordinator_token_reaches_successful_writes(wsgi_app, coordinator_token):
    draft = services.practice_draft_create(user=None, state_code="MX-OAX", data=FICHA).public_id
    fuzzer = Fuzzer(
        schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app),
        headers={"Authorization": f"Bearer {coordinator_token}"},
        known_ids=["oaxaca-1", draft],
    )
    fuzzer.run(only_with_token=True)
    print("\ncoordinator:", fuzzer.summary())
    assert not fuzzer.failures, "\n\n".join(fuzzer.failures[:20])
    assert not any(status >= 500 for _, status in fuzzer.responses)
    assert fuzzer.responses[(CREATE, 201)] > 0
    assert fuzzer.responses[(ASSESS, 200)] > 0
