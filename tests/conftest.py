"""Shared fixtures: the bundled report loaded once per test database, reloaded when a test flushed it."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from buenaspracticas.ingest.loader import load_file

    with django_db_blocker.unblock():
        load_file(settings.BUNDLED_REPORT)


@pytest.fixture
def report(db):
    """The bundled report, loaded (again, inside this test's transaction, if an earlier test flushed it)."""
    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.ingest.loader import load_file

    if not Practice.objects.exists():
        load_file(settings.BUNDLED_REPORT)
    return settings.BUNDLED_REPORT


@pytest.fixture(scope="session")
def report_path():
    return settings.BUNDLED_REPORT


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in getattr(
        item, "fixturenames", ()
    )


def _uses_the_database(item) -> bool:
    """Whether a test reaches the configured database: through pytest-django (its mark or db fixtures) or,
    for the served-site tests, through a PostgreSQL parameter of their own."""
    names = set(getattr(item, "fixturenames", ()))
    callspec = getattr(item, "callspec", None)
    on_postgres_param = callspec is not None and "postgresql" in callspec.id
    return (
        bool(item.get_closest_marker("django_db"))
        or bool(names & {"db", "transactional_db"})
        or (on_postgres_param)
    )


def pytest_collection_modifyitems(config, items):
    """Run the tests that flush their database (live server, transactional) after all the others, so the
    report loaded once per worker is not reloaded test after test. On PostgreSQL (the second pass of `make
    test`) run only the tests that reach the database: the others ran, unchanged, on the SQLite pass."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        kept = [item for item in items if _uses_the_database(item)]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if item not in kept])
            items[:] = kept
    items.sort(key=_flushes_database)


@pytest.fixture(autouse=True)
def _fresh_search_vocabulary():
    """Each test reads the catalogue's word counts afresh: a process keeps them for minutes
    (search/spelling.py), so counts read inside an earlier test's rolled-back transaction would otherwise
    decide this test's widening and corrections."""
    from buenaspracticas.search import spelling

    spelling.forget()
    yield


@pytest.fixture(autouse=True)
def _spanish_by_default():
    """Each test starts in the site's default language: a request to /en/ in an earlier test leaves its
    thread in English (Django's LocaleMiddleware activates per request and never resets)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
