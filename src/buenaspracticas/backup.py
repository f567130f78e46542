"""Backup and restore of the whole database: accounts, password and token hashes, sessions, history, drafts,
revisions and review messages included, which is what makes a backup private (the offline package carries
only the published records).

SQLite is copied with its online backup API, so the copy is consistent while the site serves; PostgreSQL with
`pg_dump --format=custom` and restored with `pg_restore --clean --if-exists --no-owner`, the password passed
through PGPASSWORD, never on the command line."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections

from buenaspracticas.errors import ValidationError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
_ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}
_ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# libpq connection keywords that may come through DATABASES["default"]["OPTIONS"].
_LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
    "passfile",
    "service",
)


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in _ENGINES:
        raise ValidationError(
            f"No se sabe respaldar una base de datos «{engine}» (solo SQLite y PostgreSQL)."
        )
    return _ENGINES[engine]


def _content_counts() -> dict[str, int]:
    """Return, per kind of content a restore would overwrite, how many rows the current database holds."""
    from django.contrib.auth import get_user_model

    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.curation.models import HistoryEntry
    from buenaspracticas.panorama.models import Panorama

    # Reference data (states, criteria, regions) is seeded by the migrations, so it does not count.
    kinds = {
        "prácticas": Practice,
        "cuentas": get_user_model(),
        "cambios en el historial": HistoryEntry,
        "panoramas": Panorama,
    }
    try:
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
    except DatabaseError as exc:
        raise ValidationError(f"No se puede abrir la base de datos de DATABASE_URL: {exc}") from exc
    with connection.cursor() as cursor:
        counts = {}
        for label, model in kinds.items():
            table = model._meta.db_table
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[label] = cursor.fetchone()[0]
    return counts


def database_summary() -> dict[str, int]:
    """Return counts of the database's content: practices, accounts, history entries and drafts."""
    from django.contrib.auth import get_user_model

    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.curation.models import HistoryEntry

    return {
        "practices": Practice.objects.count(),
        "accounts": get_user_model().objects.count(),
        "history": HistoryEntry.objects.count(),
        "drafts": Practice.objects.filter(workflow_state=Practice.Workflow.DRAFT).count(),
    }


# ---------------------------------------------------------------- backup


def database_backup(*, out: Path) -> Path:
    """Write a consistent copy of the whole database to `out`, readable by its owner only; return it."""
    out = Path(out)
    engine = _engine()
    if engine == "sqlite" and out.resolve() == Path(settings.DATABASES["default"]["NAME"]).resolve():
        raise ValidationError(
            f"{out}: es la base de datos misma; elija otro archivo para la copia.", field="out"
        )
    if not out.parent.is_dir():
        raise ValidationError(f"{out}: la carpeta {out.parent} no existe.", field="out")
    partial = out.with_name(out.name + ".partial")
    # Created private before anything is written into it: the copy holds password hashes and sessions.
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    try:
        if engine == "sqlite":
            _sqlite_backup(Path(settings.DATABASES["default"]["NAME"]), partial)
        else:
            _pg_run(["pg_dump", "--format=custom", "--file", str(partial)], what="pg_dump")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.is_file():
        raise ValidationError(f"{database}: no hay base de datos que respaldar (el archivo no existe).")
    connections.close_all()
    with closing(sqlite3.connect(database, timeout=30)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        # One self-contained file, without the -wal/-shm companions the live database uses.
        copy.execute("PRAGMA journal_mode=DELETE")


# ---------------------------------------------------------------- restore


def backup_engine(*, path: Path) -> str | None:
    """Return which engine wrote the backup at `path` ("sqlite" or "postgresql"), or None when neither."""
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def database_restore(*, path: Path, force: bool = False) -> dict[str, int]:
    """Load a backup into an empty database (any, with `force`), migrate it; return database_summary()."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"{path}: el archivo no existe.", field="path")
    engine = _engine()
    found = backup_engine(path=path)
    if found != engine:
        what = {
            "sqlite": "es un archivo SQLite",
            "postgresql": "es un volcado de PostgreSQL (pg_dump)",
            None: "no es una copia de seguridad de buenaspracticas (ni SQLite ni pg_dump)",
        }[found]
        raise ValidationError(
            f"{path}: {what}; la base de datos configurada (DATABASE_URL) es {_ENGINE_LABELS[engine]} y se "
            f"esperaba una copia hecha con `buenaspracticas backup` sobre {_ENGINE_LABELS[engine]}.",
            field="path",
        )
    if engine == "sqlite":
        _sqlite_check(path)
    else:
        _pg_check(path)
    counts = {label: n for label, n in _content_counts().items() if n}
    if counts and not force:
        held = ", ".join(f"{n} {label}" for label, n in counts.items())
        raise ValidationError(
            f"La base de datos no está vacía ({held}): restaurar {path} la reemplazaría entera. "
            "Respáldela primero (`buenaspracticas backup --out …`) y repita con --force.",
            field="force",
        )
    if engine == "sqlite":
        _sqlite_restore(path, Path(settings.DATABASES["default"]["NAME"]))
    else:
        _pg_restore(path)
    connections.close_all()
    from django.core.management import call_command

    # An older backup comes up to the code's schema.
    call_command("migrate", interactive=False, verbosity=0)
    return database_summary()


def _sqlite_check(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            ok = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"{path}: la copia de SQLite no se puede leer ({exc}).", field="path") from exc
    if not {"django_migrations", "catalog_practice"} <= tables:
        raise ValidationError(
            f"{path}: es un archivo SQLite, pero no una copia de seguridad de buenaspracticas "
            "(le faltan las tablas django_migrations y catalog_practice).",
            field="path",
        )
    if ok != "ok":
        raise ValidationError(f"{path}: la copia de SQLite está dañada ({ok}).", field="path")


def _sqlite_restore(path: Path, database: Path) -> None:
    connections.close_all()
    source_uri = f"{path.resolve().as_uri()}?mode=ro"
    with (
        closing(sqlite3.connect(source_uri, uri=True)) as source,
        closing(sqlite3.connect(database, timeout=30)) as target,
    ):
        # One step (pages=-1): the target changes in a single transaction, all or nothing.
        source.backup(target)


def _pg_check(path: Path) -> None:
    listing = _run(["pg_restore", "--list", str(path)], what="pg_restore", env=os.environ.copy(), path=path)
    if " django_migrations " not in listing:
        raise ValidationError(
            f"{path}: es un volcado de PostgreSQL, pero no una copia de seguridad de buenaspracticas "
            "(no contiene la tabla django_migrations).",
            field="path",
        )


def _pg_restore(path: Path) -> None:
    """Drop the current tables and load the dump in one psql transaction: a failed restore changes nothing."""
    with connection.cursor() as cursor:
        relations = connection.introspection.get_table_list(cursor)
    qn = connection.ops.quote_name
    # Tables the backup lacks (from newer migrations) would otherwise survive and break the migrate after.
    drops = [f"DROP VIEW IF EXISTS {qn(r.name)} CASCADE;" for r in relations if r.type == "v"]
    drops += [f"DROP TABLE IF EXISTS {qn(r.name)} CASCADE;" for r in relations if r.type != "v"]
    connections.close_all()
    _require("pg_restore")
    _require("psql")
    conninfo, env = _conninfo()
    psql = ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1"]
    if drops:
        psql += ["--command", " ".join(drops)]
    psql += ["--file", "-", "--no-password", "--dbname", conninfo]
    # pg_restore writes the SQL script, psql runs it; pg_restore's messages go to a file, so a full stderr
    # pipe can never stall the two.
    with tempfile.TemporaryFile() as errors:
        script = subprocess.Popen(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--file", "-", str(path)],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        loaded = subprocess.run(psql, stdin=script.stdout, capture_output=True, env=env, check=False)
        script.stdout.close()
        script.wait()
        errors.seek(0)
        script_error = errors.read().decode(errors="replace")
    if script.returncode != 0:
        raise ValidationError(f"{path}: pg_restore falló: {_last_lines(script_error, script.returncode)}")
    if loaded.returncode != 0:
        detail = _last_lines(loaded.stderr.decode(errors="replace"), loaded.returncode)
        raise ValidationError(f"{path}: la restauración falló y la base de datos quedó como estaba: {detail}")


# ---------------------------------------------------------------- PostgreSQL client programs


def _conninfo() -> tuple[str, dict[str, str]]:
    """Return a libpq connection string without the password, and the environment that carries it."""
    db = settings.DATABASES["default"]
    values = {
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "user": db.get("USER"),
        "dbname": db.get("NAME"),
    }
    for key in _LIBPQ_OPTIONS:
        if key in (db.get("OPTIONS") or {}):
            values[key] = db["OPTIONS"][key]
    parts = []
    for key, value in values.items():
        if value not in (None, ""):
            escaped = str(value).replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"{key}='{escaped}'")
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return " ".join(parts), env


def _pg_run(argv: list[str], *, what: str) -> str:
    conninfo, env = _conninfo()
    return _run([*argv, "--no-password", "--dbname", conninfo], what=what, env=env)


def _require(program: str) -> None:
    if shutil.which(program) is None:
        raise ValidationError(
            f"No se encontró `{program}`: instale el cliente de PostgreSQL "
            "(apt-get install postgresql-client)."
        )


def _last_lines(stderr: str, returncode: int) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return " ".join(lines[-3:]) or f"estado {returncode}"


def _run(argv: list[str], *, what: str, env: dict[str, str], path: Path | None = None) -> str:
    _require(argv[0])
    result = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        where = f"{path}: " if path else ""
        raise ValidationError(f"{where}{what} falló: {_last_lines(result.stderr, result.returncode)}")
    return result.stdout
