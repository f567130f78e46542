"""On PostgreSQL the search statements run with sequential scans off (PostgresEngine.search_cursor: the
planner ignores the cost of detoasting each document); the rest of the request, in the same transaction, is
planned as usual. SQLite has nothing to check."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction

from buenaspracticas.catalog import selectors
from buenaspracticas.catalog.filters import PracticeFilters

pytestmark = pytest.mark.django_db


def _seqscan() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "query",
    [
        "retorno",  # every word found
        "capital semilla para abrir un changarro al volver del norte",  # no practice holds them all: fallback
        "xqzv",  # nothing found
    ],
)
def test_a_search_leaves_the_planner_of_the_request_as_it_was(report, query):
    if connection.vendor != "postgresql":
        pytest.skip("the planner setting is PostgreSQL's")
    with transaction.atomic():  # a request's transaction: what SET LOCAL would outlive
        before = _seqscan()
        selectors.practice_search(filters=PracticeFilters(q=query), limit=5)
        assert _seqscan() == before == "on"


def test_a_failed_search_statement_does_not_leave_sequential_scans_off(report):
    if connection.vendor != "postgresql":
        pytest.skip("the planner setting is PostgreSQL's")
    from buenaspracticas.search.postgres_fts import PostgresEngine

    with transaction.atomic():
        with pytest.raises(DataError), PostgresEngine().search_cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
        assert _seqscan() == "on"
