"""`buenaspracticas backup` / `restore`: a backup restored into an empty database brings back every export and
everything private (accounts and their passwords, tokens, history, drafts, revisions, messages, sessions); a
restore refuses a non-empty database unless forced and a file that is not a backup for the configured engine.

Everything runs through the CLI in subprocesses, each side with its own data folder (and on PostgreSQL its
own database, created by the test), so the pytest database is never touched. SQLite always; PostgreSQL too
when DATABASE_URL points to one (`make test-postgres`)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import pg_scratch

PASSWORD = "una-clave-bastante-larga"
CSV_TABLES = ("practices", "indicators", "quality_flags", "states", "documents")
_PG_URL = pg_scratch.PG_URL

# Writes through the services what the CLI has no command for: a draft edited twice, a pending revision of a
# published practice, a review message and a session.
_WRITE_PRIVATE_CONTENT = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import services

user = get_user_model().objects.get(username="oax")
draft = services.practice_draft_create(
    user=user, state_code=None, data={"title": "Ventanilla única para personas retornadas"})
services.practice_edit(user=user, practice_id=draft.public_id, data={"description": "Atención integral."},
                       expected_version=draft.version, reason="Descripción añadida")
published = Practice.objects.filter(state__code="MX-OAX", workflow_state="published").order_by("number")[0]
services.practice_edit(user=user, practice_id=published.public_id, data={"title": published.title + " (r)"},
                       expected_version=published.version, reason="Título corregido")
services.message_post(user=user, practice_id=draft.public_id, body="¿Falta algo para enviarla?")
session = SessionStore()
session["visto"] = True
session.create()
"""

_COUNTS = """
import django
django.setup()
from django.contrib.auth import get_user_model
from buenaspracticas.catalog.models import Practice
print(Practice.objects.count(), get_user_model().objects.count())
"""

# Prints what a restore must bring back: every model's row count, and the private records themselves.
_READ_PRIVATE_CONTENT = """
import json, os
import django
django.setup()
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import services
from buenaspracticas.curation.models import HistoryEntry, Message, Revision

user = get_user_model().objects.get(username="oax")
tables = set(connection.introspection.table_names())
print(json.dumps({
    "rows": {m._meta.label: m._default_manager.count() for m in apps.get_models()
             if m._meta.db_table in tables},
    "accounts": sorted((u.username, u.account.role, u.account.state.code if u.account.state else None)
                       for u in get_user_model().objects.select_related("account__state")),
    "password_ok": user.check_password(os.environ["BP_PASSWORD"]),
    "token_user": services.token_authenticate(header="Bearer " + os.environ["BP_TOKEN"]).username,
    "drafts": sorted((p.public_id, p.title, p.description, p.version)
                     for p in Practice.objects.filter(workflow_state="draft")),
    "history": [[h.kind, h.practice.public_id if h.practice else None, h.actor.username if h.actor else None,
                 h.reason, h.version, h.at.isoformat(), h.before, h.after]
                for h in HistoryEntry.objects.select_related("practice", "actor").order_by("pk")],
    "revisions": [[r.practice.public_id, r.workflow_state] for r in Revision.objects.order_by("pk")],
    "messages": [[m.practice.public_id, m.body] for m in Message.objects.order_by("pk")],
}, sort_keys=True, default=str))
"""


@dataclass
class Site:
    """One installation: its data folder and, on PostgreSQL, its own database."""

    data_dir: Path
    database_url: str | None

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            BUENASPRACTICAS_DATA_DIR=str(self.data_dir),
            DJANGO_SETTINGS_MODULE="buenaspracticas.settings",
            BUENASPRACTICAS_EMBEDDER="none",
            **extra,
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "buenaspracticas.cli", *args],
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=600,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def python(self, code: str, **extra: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=self.env(**extra), timeout=600
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def exports(self, out: Path) -> dict[str, bytes]:
        """Run `buenaspracticas export` for the JSON and every CSV table (one process, one CLI call each)."""
        out.mkdir(parents=True, exist_ok=True)
        files = {"practices.json": ["--format", "json"]}
        files.update({f"{t}.csv": ["--format", "csv", "--table", t] for t in CSV_TABLES})
        calls = [["export", *args, "--out", str(out / name)] for name, args in files.items()]
        self.python(f"from buenaspracticas.cli import main\nfor a in {calls!r}:\n    assert main(a) == 0")
        return {name: (out / name).read_bytes() for name in files}

    def private_content(self, token: str) -> dict:
        return json.loads(self.python(_READ_PRIVATE_CONTENT, BP_TOKEN=token, BP_PASSWORD=PASSWORD))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def new_site(request, tmp_path_factory):
    """A factory of empty installations on the parametrised engine; their databases are dropped afterwards."""
    if request.param == "postgresql" and not _PG_URL:
        pytest.skip("DATABASE_URL does not point to PostgreSQL")
    created: list[str] = []

    def make() -> Site:
        data_dir = tmp_path_factory.mktemp(f"site-{request.param}")
        if request.param == "sqlite":
            return Site(data_dir, None)
        name, url = pg_scratch.create_database("bp_backup")
        created.append(name)
        return Site(data_dir, url)

    make.engine = request.param
    yield make
    for name in created:
        pg_scratch.drop_database(name)


@pytest.fixture(scope="module")
def source(new_site, tmp_path_factory, report_path):
    """An installation with the report, an editor account, its token, a draft, a revision, a message and
    history; backed up once. Returns (site, backup file, token, exports, private content)."""
    site = new_site()
    site.cli("ingest", str(report_path))
    password_file = site.data_dir / "password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    site.cli(
        "user",
        "create",
        "--username",
        "oax",
        "--role",
        "editor",
        "--state",
        "MX-OAX",
        "--password-file",
        str(password_file),
    )
    token = site.cli("token", "create", "--username", "oax").stdout.strip().splitlines()[0]
    site.python(_WRITE_PRIVATE_CONTENT)
    exports = site.exports(tmp_path_factory.mktemp("exports-source"))
    content = site.private_content(token)
    backup = tmp_path_factory.mktemp("backups") / f"copia-{new_site.engine}.bak"
    site.cli("backup", "--out", str(backup))
    return site, backup, token, exports, content


def test_restore_into_an_empty_database_brings_back_every_export_account_and_history(
    source, new_site, tmp_path
):
    _, backup, token, exports, content = source
    # The setup really wrote what the backup must carry, so the comparison below means something.
    assert content["password_ok"] and content["token_user"] == "oax"
    assert content["accounts"] == [["oax", "editor", "MX-OAX"]]
    assert len(content["drafts"]) == 1 and content["drafts"][0][2] == "Atención integral."
    assert {"Descripción añadida", "Título corregido"} <= {h[3] for h in content["history"]}
    assert content["revisions"] and content["messages"]
    assert content["rows"]["sessions.Session"] == 1

    target = new_site()
    restored = target.cli("restore", str(backup))
    assert "prácticas 45 (borradores 1), cuentas 1" in restored.stdout

    assert target.exports(tmp_path / "exports") == exports
    assert target.private_content(token) == content


def test_backup_is_readable_by_its_owner_only(source):
    _, backup, *_ = source
    assert backup.stat().st_mode & 0o077 == 0


def test_restore_refuses_a_non_empty_database_unless_forced(source, new_site, report_path):
    _, backup, token, _, content = source
    target = new_site()
    target.cli("ingest", str(report_path))
    before = target.python(_COUNTS)

    refused = target.cli("restore", str(backup), check=False)
    assert refused.returncode == 2
    assert str(backup) in refused.stderr
    assert "no está vacía (44 prácticas" in refused.stderr and "--force" in refused.stderr
    assert target.python(_COUNTS) == before  # untouched: no account came in

    target.cli("restore", str(backup), "--force")
    assert target.private_content(token) == content


def test_restore_refuses_a_file_that_is_not_a_backup_for_this_engine(new_site, tmp_path, report_path):
    some_sqlite = tmp_path / "otra-base.sqlite3"
    with closing(sqlite3.connect(some_sqlite)) as db:
        db.execute("CREATE TABLE cosas (x)")
    pg_signature = tmp_path / "volcado.bak"
    pg_signature.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))  # a pg_dump archive's signature, nothing more
    if new_site.engine == "sqlite":
        engine = "SQLite"
        cases = [
            (report_path, "no es una copia de seguridad de buenaspracticas"),
            (pg_signature, "es un volcado de PostgreSQL"),
            (some_sqlite, "es un archivo SQLite, pero no una copia de seguridad de buenaspracticas"),
        ]
    else:
        engine = "PostgreSQL"
        cases = [
            (report_path, "no es una copia de seguridad de buenaspracticas"),
            (some_sqlite, "es un archivo SQLite"),
            (pg_signature, "pg_restore falló"),
        ]
    target = new_site()
    for path, reason in cases:
        result = target.cli("restore", str(path), check=False)
        assert result.returncode == 2, result.stderr
        assert str(path) in result.stderr and reason in result.stderr, result.stderr
        if reason != "pg_restore falló":
            assert engine in result.stderr


def test_restore_brings_an_older_backup_up_to_the_current_schema(new_site, tmp_path):
    old = new_site()
    # A database left at the first migration of the catalog, as an installation of an older version would be.
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "catalog", "0001", "--verbosity", "0"],
        env=old.env(),
        check=True,
        timeout=600,
    )
    backup = tmp_path / "antigua.bak"
    old.cli("backup", "--out", str(backup))

    target = new_site()
    target.cli("restore", str(backup))
    plan = subprocess.run(
        [sys.executable, "-m", "django", "showmigrations", "--plan"],
        env=target.env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    assert "[ ]" not in plan and "[X]" in plan
