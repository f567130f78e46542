"""Exports of any filtered view: CSV (UTF-8 with BOM), XLSX (one sheet per table plus the data dictionary)
and JSON (DESIGN.md shapes). Pure functions of the export bundle; the caller chooses where bytes go."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.errors import ValidationError
from buenaspracticas.reports.selectors import export_bundle
from buenaspracticas.reports.tables import TABLE_TITLES, TABLES, bundle_tables, dictionary_rows

FORMATS = ("csv", "xlsx", "json", "datapackage", "xlsx-personas")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx-personas": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "datapackage": "application/zip",
    "zip": "application/zip",
}
JSON_FORMAT = "buenaspracticas-export"
JSON_FORMAT_VERSION = 1


# Leading characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """Return True for a text cell that a spreadsheet would run as a formula."""
    return isinstance(value, str) and value[:1] in FORMULA_PREFIXES


def csv_text_escape(value: Any) -> Any:
    """Return a text cell with a leading ' when a spreadsheet would read it as a formula (a text that already
    starts with ' before such a character gets one more, so csv_text_unescape gives it back); other values,
    numbers included, unchanged."""
    if isinstance(value, str) and formula_like(value.lstrip("'")):
        return "'" + value
    return value


def csv_text_unescape(value: Any) -> Any:
    """Return an imported text cell without the ' that csv_text_escape put before a formula character."""
    if isinstance(value, str) and value[:1] == "'" and formula_like(value.lstrip("'")):
        return value[1:]
    return value


def formula_guard_note() -> str:
    """Return the sentence that tells CSV readers about the apostrophe before formula-like text."""
    return _(
        "En los CSV, el texto que empieza por =, +, -, @, tabulador o retorno de carro lleva delante un "
        "apóstrofo (') para que una hoja de cálculo no lo ejecute como fórmula; la importación lo quita."
    )


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else csv_text_escape(value)


def table_csv(rows: list[dict], table: str, *, bom: bool = True) -> bytes:
    """Return one table as CSV bytes (UTF-8, with a BOM unless bom=False; header = column names)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    names = [c.name for c in TABLES[table]]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(n)) for n in names])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def dictionary_csv() -> bytes:
    """Return the data dictionary as CSV bytes (UTF-8 with BOM)."""
    rows = dictionary_rows()
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def workbook_bytes(tables: dict[str, list[dict]], *, instructions: list[str] | None = None) -> bytes:
    """Return an XLSX with one sheet per table (header row = column names) and a `dictionary` sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    if instructions:
        ws = wb.create_sheet("instrucciones")
        for line in instructions:
            _xlsx_append(ws, [line])
        ws.column_dimensions["A"].width = 120
    for table, rows in tables.items():
        ws = wb.create_sheet(table)
        names = [c.name for c in TABLES[table]]
        ws.append(names)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            _xlsx_append(ws, [row.get(n) for n in names])
        ws.freeze_panes = "A2"
    ws = wb.create_sheet("dictionary")
    dict_rows = dictionary_rows()
    ws.append(list(dict_rows[0]))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in dict_rows:
        _xlsx_append(ws, list(r.values()))
    for col, width in zip("ABCDEFG", (14, 24, 10, 10, 34, 80, 30), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] == "'":
        return csv_text_escape(value)  # the importer drops one ' before a formula character, as in CSV
    return value


def _xlsx_append(ws, values: list[Any]) -> None:
    ws.append([_xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if formula_like(cell.value):
            # A typed text cell is never run as a formula; the quote prefix keeps it text when edited.
            cell.data_type = "s"
            cell.quotePrefix = True


def bundle_json(bundle: dict) -> bytes:
    """Return the bundle as the JSON export: {"format", "format_version", "version", "filters", "documents",
    "practices", "states", "findings"}; deterministic for the same data."""
    data = {
        "format": JSON_FORMAT,
        "format_version": JSON_FORMAT_VERSION,
        "version": bundle["version"],
        "filters": bundle["filters"],
        "documents": bundle["documents"],
        "practices": bundle["practices"],
        "states": bundle["states"],
        "findings": bundle.get("findings", []),
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_bytes(*, fmt: str, filters: PracticeFilters, table: str = "practices") -> tuple[bytes, str]:
    """Return (content, file name) of a filtered view in `fmt` (csv, xlsx, json, datapackage or
    xlsx-personas, the spreadsheet for people of reports.people_xlsx)."""
    if fmt not in FORMATS:
        raise ValidationError(
            _("Formato desconocido «%(f)s» (válidos: %(v)s).") % {"f": fmt, "v": ", ".join(FORMATS)},
            field="format",
        )
    if table not in TABLES:
        raise ValidationError(
            _("Tabla desconocida «%(t)s» (válidas: %(v)s).") % {"t": table, "v": ", ".join(TABLES)},
            field="table",
        )
    bundle = export_bundle(filters=filters)
    if fmt == "json":
        return bundle_json(bundle), "buenaspracticas.json"
    if fmt == "datapackage":
        from buenaspracticas.reports.datapackage import datapackage_zip

        return datapackage_zip(bundle), "buenaspracticas-datapackage.zip"
    if fmt == "xlsx-personas":
        from buenaspracticas.reports.people_xlsx import people_workbook

        return people_workbook(bundle), "buenaspracticas-personas.xlsx"
    tables = bundle_tables(bundle)
    if fmt == "csv":
        return table_csv(tables[table], table), f"buenaspracticas-{table}.csv"
    return workbook_bytes(tables), "buenaspracticas.xlsx"


def table_titles() -> dict[str, str]:
    """Return table name → its Spanish (or current language) title."""
    return {k: str(v) for k, v in TABLE_TITLES.items()}


def template_instructions() -> list[str]:
    """Return the instructions sheet of the homologated import template."""
    return [
        _("Plantilla homologada de buenaspracticas: prácticas y cifras del panorama migratorio estatal."),
        _("1. Llene una fila por práctica en la hoja practices y una fila por cifra en la hoja indicators."),
        _(
            "2. No cambie los nombres de las hojas ni de las columnas; la hoja "
            "dictionary explica cada columna."
        ),
        _("3. Registre en documents el documento del que salen los datos (slug, título, editor, año)."),
        _("4. Valoraciones de los criterios: met (cumple), not_met (no cumple) o unknown (sin dato)."),
        _("5. Números sin separadores de miles y con punto decimal. Dimensiones separadas por punto y coma."),
        _("6. Valide antes de importar: «buenaspracticas import ARCHIVO --dry-run» o la página Importar."),
        _(
            "Nada se escribe si el archivo tiene algún problema; se informan todos "
            "a la vez (hoja, fila, columna)."
        ),
    ]


def template_workbook() -> bytes:
    """Return the empty homologated import template (XLSX) with instructions and the data dictionary."""
    return workbook_bytes(
        {"practices": [], "indicators": [], "quality_flags": [], "documents": []},
        instructions=template_instructions(),
    )


def template_csv(table: str) -> bytes:
    """Return the empty CSV template of one table (header row only, UTF-8 with BOM)."""
    return table_csv([], table)
