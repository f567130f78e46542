"""Subcommands of this feature for the `buenaspracticas` command: report, export, import, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _filters(args: argparse.Namespace):
    from django.http import QueryDict

    from buenaspracticas.catalog.filters import PracticeFilters

    query = QueryDict(mutable=True)
    for name in ("state", "region", "dimension", "criterion", "status", "institution"):
        for value in getattr(args, name) or []:
            query.appendlist(name, value)
    if args.q:
        query["q"] = args.q
    if args.qualifies is not None:
        query["qualifies"] = args.qualifies
    return PracticeFilters.from_query(query)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    for name in ("state", "region", "dimension", "criterion", "status", "institution"):
        parser.add_argument(
            f"--{name}",
            action="append",
            metavar=name.upper(),
            help="filtro (repetible, o valores separados por comas)",
        )
    parser.add_argument("--q", help="búsqueda de texto")
    parser.add_argument("--qualifies", choices=["true", "false"])


def cmd_report(args: argparse.Namespace) -> int:
    """Write a PDF: one practice, one state, or the compendium of all states."""
    from buenaspracticas.cli import setup_django

    setup_django()
    from buenaspracticas.reports import pdf

    stats: dict = {}
    if args.practice:
        content = pdf.practice_pdf(practice_id=args.practice, stats=stats)
    elif args.state:
        content = pdf.state_pdf(key=args.state, stats=stats)
    else:
        content = pdf.compendium_pdf(stats=stats)
    Path(args.out).write_bytes(content)
    print(f"PDF escrito en {args.out} ({len(content) // 1024} KB, {stats.get('pages')} páginas)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a filtered view as CSV, XLSX, JSON, a data package (zip) or the XLSX for people."""
    from buenaspracticas.cli import setup_django

    setup_django()
    from buenaspracticas.reports.exports import export_bytes

    content, _ = export_bytes(fmt=args.format, filters=_filters(args), table=args.table)
    Path(args.out).write_bytes(content)
    print(f"{args.format} escrito en {args.out} ({len(content)} bytes)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Validate the whole file, then write it in one transaction (or only report with --dry-run)."""
    from buenaspracticas.cli import _migrate, setup_django

    setup_django()
    _migrate()
    from buenaspracticas.reports.import_write import import_file

    result = import_file(args.path, user=None, dry_run=args.dry_run)
    print(f"{args.path} ({result.kind})")
    print("\n".join(result.summary_lines()))
    return 0


def cmd_offline(args: argparse.Namespace) -> int:
    """Write the offline package (SQLite, CSV/JSON, data package, static HTML fichas) as one zip."""
    from buenaspracticas.cli import setup_django

    setup_django()
    from buenaspracticas.reports.offline import offline_zip

    path = offline_zip(out=Path(args.out))
    print(f"Paquete sin conexión escrito en {path} ({path.stat().st_size // 1024} KB)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add this feature's subcommands to the CLI."""
    report = sub.add_parser("report", help="generar un PDF: una ficha, un estado o el compendio")
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--practice", metavar="ID", help="id de la práctica, p. ej. oaxaca-2")
    which.add_argument("--state", metavar="ESTADO", help="código ISO (MX-OAX) o slug (oaxaca)")
    which.add_argument("--all", action="store_true", help="compendio de todos los estados")
    report.add_argument("--out", required=True, help="archivo PDF de salida")
    report.set_defaults(func=cmd_report)

    export = sub.add_parser(
        "export", help="exportar una vista filtrada (csv, xlsx, json, datapackage, xlsx-personas)"
    )
    export.add_argument(
        "--format",
        required=True,
        choices=["csv", "xlsx", "json", "datapackage", "xlsx-personas"],
        help="xlsx-personas: hoja de cálculo para leer (títulos en español, nombres, filtros)",
    )
    export.add_argument("--out", required=True)
    export.add_argument(
        "--table",
        default="practices",
        help="tabla del CSV: practices, indicators, quality_flags, states o documents",
    )
    _add_filters(export)
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="importar la plantilla homologada (XLSX/CSV) o el JSON exportado")
    imp.add_argument("path")
    imp.add_argument("--dry-run", action="store_true", help="validar y mostrar qué cambiaría, sin escribir")
    imp.set_defaults(func=cmd_import)

    offline = sub.add_parser("offline", help="paquete sin conexión (zip con SQLite, CSV/JSON y fichas HTML)")
    offline.add_argument("--out", required=True)
    offline.set_defaults(func=cmd_offline)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
