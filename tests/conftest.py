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
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items):
    """Run the tests that flush their database (live server, transactional) after all the others, so the
    report loaded once per worker is not reloaded test after test."""
    items.sort(key=_flushes_database)


@pytest.fixture(autouse=True)
def _spanish_by_default():
    """Each test starts in the site's default language: a request to /en/ in an earlier test leaves its
    thread in English (Django's LocaleMiddleware activates per request and never resets)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
