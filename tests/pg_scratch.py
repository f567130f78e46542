"""Scratch PostgreSQL databases for tests that run the product in subprocesses, each against its own database.

Created and dropped through the test role's connection (``DATABASE_URL``). The role is not a superuser, so
``DROP DATABASE … WITH (FORCE)`` cannot terminate an autovacuum worker that happens to be busy in the
scratch database (PostgreSQL refuses with "must be a member of the role whose process is being terminated").
A plain ``DROP DATABASE`` signals such a worker itself and waits for it, so that is the fallback; both are
retried for a few seconds before the error is raised."""

from __future__ import annotations

import os
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

_DATABASE_URL = os.environ.get("DATABASE_URL", "")
PG_URL = _DATABASE_URL if _DATABASE_URL.startswith("postgres") else ""


def admin(sql: str) -> None:
    """Runs one statement outside a transaction (CREATE / DROP DATABASE need that)."""
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


def create_database(prefix: str) -> tuple[str, str]:
    """A new empty database; returns (name, URL of it for the same role and server)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(urlsplit(PG_URL)._replace(path=f"/{name}"))


def drop_database(name: str, *, attempts: int = 20, pause: float = 0.5) -> None:
    """Drops ``name`` even while a leftover client or an autovacuum worker is connected to it."""
    import psycopg

    for attempt in range(attempts):
        try:
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            # An autovacuum worker (a process of no role) is in the database: a plain DROP waits it out.
            try:
                admin(f'DROP DATABASE IF EXISTS "{name}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt == attempts - 1:
                    raise
        time.sleep(pause)
