"""The `buenaspracticas` command: a thin shell over the services and selectors."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from buenaspracticas.errors import AppError


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buenaspracticas.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def cmd_serve(args: argparse.Namespace) -> int:
    """Migrate, load the bundled report when the database is empty, then serve with gunicorn."""
    _setup_django()
    from django.conf import settings

    from buenaspracticas.catalog.selectors import catalog_is_empty
    from buenaspracticas.ingest.loader import load_file

    _migrate()
    if catalog_is_empty():
        parsed, summary = load_file(settings.BUNDLED_REPORT)
        print(f"Informe cargado: {len(parsed.practices)} prácticas, {len(parsed.panoramas)} panoramas.")
    _search_ready()
    from django.db import connections

    connections.close_all()
    bind = f"{args.host}:{args.port}"
    print(f"Sirviendo en http://{bind}/", flush=True)
    # Workers, request timeout, warm-up and the rest: buenaspracticas/gunicorn_conf.py; flags override it.
    argv = ["gunicorn", "--config", "python:buenaspracticas.gunicorn_conf", "--bind", bind]
    overrides = (("--workers", args.workers), ("--threads", args.threads), ("--timeout", args.timeout))
    for flag, value in overrides:
        if value is not None:
            argv += [flag, str(value)]
    argv.append("buenaspracticas.wsgi:application")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(str(gunicorn), argv)
    return 0  # not reached


# Passages embedded before serving: the bundled report's (a few hundred) take seconds; a larger backlog is
# embedded by a background worker while the site serves with lexical search.
EMBED_BEFORE_SERVING = 500


def _end_with_parent() -> None:
    """In a child before it runs: ask Linux to send it SIGTERM when its parent ends (elsewhere, nothing)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _search_ready() -> None:
    """Bring the lexical index up to date; embed a small backlog now, hand a large one to a background
    `buenaspracticas embed` so serving starts at once."""
    from buenaspracticas.search import semantic
    from buenaspracticas.search.backends import get_backend
    from buenaspracticas.search.indexer import vectors_drain, vectors_pending

    print(
        f"Índice de búsqueda al día ({get_backend(embedder=False).refresh()} prácticas reindexadas).",
        flush=True,
    )
    embedder = semantic.get_embedder()
    pending = vectors_pending(embedder) if embedder is not None else 0
    if not pending:
        return
    if pending <= EMBED_BEFORE_SERVING:
        vectors_drain(embedder=embedder)
        print(f"Búsqueda semántica lista ({pending} pasajes).", flush=True)
        return
    import subprocess

    # It dies with the server: serve becomes gunicorn's master (execv), whose end signals it (Linux).
    command = [sys.executable, "-m", "buenaspracticas.cli", "embed"]
    subprocess.Popen(command, preexec_fn=_end_with_parent)  # noqa: S603
    print(f"Calculando {pending} vectores en segundo plano; mientras, la búsqueda es léxica.", flush=True)


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate(verbosity=1)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Parse a report, print a summary, optionally write the JSON and load it into the database."""
    from buenaspracticas.ingest.metadata import document_meta
    from buenaspracticas.ingest.parser import parse_file, report_json

    meta = document_meta(args.path, title=args.title, publisher=args.publisher, year=args.year)
    if args.dry_run:
        parsed = parse_file(args.path, meta=meta)
        summary = None
    else:
        _setup_django()
        _migrate()
        from buenaspracticas.ingest.loader import load_file

        parsed, summary = load_file(args.path, meta=meta)
    if args.json:
        Path(args.json).write_text(
            json.dumps(report_json(parsed), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    verdicts = sum(len(p.criteria) for p in parsed.practices)
    flags = sum(len(p.quality_flags) for p in parsed.panoramas)
    states = {p.state_code for p in parsed.practices} | {p.state_code for p in parsed.panoramas}
    print(f"{args.path}")
    print(f"  prácticas: {len(parsed.practices)} ({verdicts} valoraciones)")
    print(f"  estados: {len(states)} ({len(parsed.panoramas)} panoramas)")
    print(f"  alertas de calidad: {flags}")
    print(f"  problemas: {len(parsed.problems)}")
    for problem in parsed.problems:
        print(f"    línea {problem.line} [{problem.field}]: {problem.message}")
    if summary is not None:
        p = summary.practices
        print(f"  base de datos: {p.created} creadas, {p.updated} actualizadas, {p.unchanged} sin cambios")
    else:
        print("  (simulación: la base de datos no se modificó)")
    if args.json:
        print(f"  JSON escrito en {args.json}")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the search index, then embed the queued passages with a progress bar and an ETA."""
    _setup_django()
    from buenaspracticas.search.backends import get_backend
    from buenaspracticas.search.indexer import print_progress

    count = get_backend().reindex(progress=print_progress)
    print(f"\nÍndice reconstruido: {count} prácticas.")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    """Send the week-before-due reminders of coordination agreements (run once a day, e.g. from cron)."""
    _setup_django()
    from django.core.management import call_command

    call_command("coordination_reminders")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a backup of the whole database (accounts, history and drafts included)."""
    _setup_django()
    from buenaspracticas.backup import database_backup

    path = database_backup(out=Path(args.out))
    print(f"Copia de seguridad escrita en {path} ({path.stat().st_size // 1024} KB).")
    print(
        "Contiene cuentas, hashes de contraseñas y tokens, sesiones y borradores: guárdela en privado.",
        file=sys.stderr,
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup into the configured database, then migrate it up to date."""
    _setup_django()
    from buenaspracticas.backup import database_restore

    summary = database_restore(path=Path(args.path), force=args.force)
    print(
        f"Copia restaurada desde {args.path}: prácticas {summary['practices']} (borradores "
        f"{summary['drafts']}), cuentas {summary['accounts']}, cambios en el historial {summary['history']}."
    )
    return 0


_BACKUP_HELP = (
    "Copia de seguridad completa de la base de datos: cuentas, hashes de contraseñas y de tokens, sesiones, "
    "historial, borradores, revisiones y mensajes. A diferencia del paquete sin conexión (offline), que solo "
    "lleva lo publicado, una copia es privada: guárdela donde solo la administración pueda leerla. SQLite se "
    "copia con su API de respaldo en línea (coherente aunque el sitio esté sirviendo); PostgreSQL con "
    "pg_dump --format=custom."
)

# Features add their own subcommands (accounts, tokens, import, export, report).
FEATURE_CLIS = (
    "buenaspracticas.curation.cli",
    "buenaspracticas.reports.cli",
    "buenaspracticas.catalog.synth",
    "buenaspracticas.search.cli",
)


def setup_django() -> None:
    """Configure Django for a command that reads or writes the database."""
    _setup_django()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="buenaspracticas",
        description="Base común de buenas prácticas en política migratoria local (OIM/CONOFAM).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrar, cargar el informe incluido si la base está vacía y servir")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=None, help="procesos (por omisión: uno por núcleo más uno)"
    )
    serve.add_argument(
        "--threads", type=int, default=None, help="hilos por proceso (por omisión 1; más de 1 usa gthread)"
    )
    serve.add_argument(
        "--timeout", type=int, default=None, help="segundos máximos por petición (por omisión 30)"
    )
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="aplicar las migraciones").set_defaults(func=cmd_migrate)

    ingest = sub.add_parser("ingest", help="leer un informe y cargarlo (o simular con --dry-run)")
    ingest.add_argument("path")
    ingest.add_argument("--json", metavar="OUT", help="escribir las prácticas y estados en JSON")
    ingest.add_argument("--dry-run", action="store_true", help="no tocar la base de datos")
    ingest.add_argument("--title", help="título del documento (si no, el de PATH.meta.json)")
    ingest.add_argument("--publisher", help="quién lo publica (si no, el de PATH.meta.json)")
    ingest.add_argument("--year", type=int, help="año de publicación (si no, el de PATH.meta.json)")
    ingest.set_defaults(func=cmd_ingest)

    sub.add_parser("reindex", help="reconstruir el índice de búsqueda").set_defaults(func=cmd_reindex)
    sub.add_parser(
        "reminders", help="avisar por correo de los acuerdos que vencen en una semana (una vez al día)"
    ).set_defaults(func=cmd_reminders)

    backup = sub.add_parser(
        "backup",
        help="copia de seguridad completa (con cuentas y borradores: privada)",
        description=_BACKUP_HELP,
    )
    backup.add_argument("--out", required=True, metavar="ARCHIVO", help="archivo de la copia")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="restaurar una copia de seguridad en una base vacía",
        description="Restaura una copia hecha con `buenaspracticas backup` en la base configurada "
        "(DATABASE_URL; mismo motor que la copia) y la migra a la versión actual. Se niega a reemplazar una "
        "base que ya tiene prácticas, cuentas o historial, salvo con --force.",
    )
    restore.add_argument("path", metavar="ARCHIVO", help="copia hecha con `buenaspracticas backup`")
    restore.add_argument(
        "--force", action="store_true", help="reemplazar una base de datos que no está vacía"
    )
    restore.set_defaults(func=cmd_restore)
    for module in FEATURE_CLIS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
