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
