"""Reading an import file (the homologated template as XLSX or CSV, or the JSON export) into rows, with
every problem of form (encoding, sheets, headers, JSON shape) collected at once. Validation of the values is
in reports/importer.py; writing in reports/import_write.py."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.errors import ValidationError
from buenaspracticas.reports.exports import csv_text_unescape
from buenaspracticas.reports.tables import TABLES, finding_row, practice_row

MAX_IMPORT_BYTES = 10 * 1024 * 1024
IGNORED_SHEETS = {"instrucciones", "instructions", "dictionary", "diccionario"}
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str
    expected: str = ""

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(_("fila %(n)s") % {"n": self.row})
        if self.column:
            where.append(_("columna «%(c)s»") % {"c": self.column})
        text = f"{', '.join(where)}: {self.message}"
        return text + (f" ({_('se esperaba')}: {self.expected})" if self.expected else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "expected": self.expected,
        }


class ImportFileError(ValidationError):
    """An import file with problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem], *, file: str) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            _("%(file)s: %(n)s problema(s); no se escribió nada.\n%(lines)s")
            % {"file": file, "n": len(problems), "lines": lines},
            details={"file": file, "problems": [p.as_dict() for p in problems]},
        )
        self.problems = problems


@dataclass
class Row:
    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class ImportPlan:
    """A validated import: typed rows per table, ready for import_write.import_apply."""

    file: str
    kind: str  # xlsx | csv | json
    tables: dict[str, list[Row]] = field(default_factory=dict)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])


# ---------------------------------------------------------------- reading -------------------------


def add_problem(
    problems: list[Problem], sheet: str, row: int | None, column: str | None, message: str, expected: str = ""
) -> None:
    problems.append(Problem(sheet, row, column, message, expected))


def read_xlsx(data: bytes, name: str, problems: list[Problem]) -> dict[str, list[Row]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        add_problem(
            problems,
            name,
            None,
            None,
            _("el archivo XLSX está truncado o dañado y no se puede abrir (%(e)s)")
            % {"e": type(exc).__name__},
            _("un libro .xlsx completo, guardado con Excel o LibreOffice"),
        )
        return {}
    tables: dict[str, list[Row]] = {}
    try:
        for ws in wb.worksheets:
            sheet = ws.title.strip()
            if sheet.lower() in IGNORED_SHEETS:
                continue
            if sheet not in TABLES:
                add_problem(
                    problems,
                    sheet,
                    None,
                    None,
                    _("hoja desconocida"),
                    ", ".join([*TABLES, "instrucciones", "dictionary"]),
                )
                continue
            it = ws.iter_rows(values_only=True)
            header = next(it, None)
            rows = [(n, r) for n, r in enumerate(it, start=2) if any(v not in (None, "") for v in r)]
            tables[sheet] = _rows_from_grid(sheet, header, rows, problems)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        add_problem(
            problems,
            name,
            None,
            None,
            _("el archivo XLSX está truncado o dañado (%(e)s)") % {"e": type(exc).__name__},
            _("un libro .xlsx completo"),
        )
    finally:
        wb.close()
    return tables


def _rows_from_grid(sheet: str, header, rows, problems: list[Problem]) -> list[Row]:
    columns = TABLES[sheet]
    known = {c.name for c in columns}
    names = [str(h).strip() if h is not None else "" for h in (header or ())]
    ok = True
    for i, h in enumerate(names):
        if h and h not in known:
            add_problem(
                problems,
                sheet,
                1,
                h,
                _("columna desconocida (columna %(n)s del encabezado)") % {"n": i + 1},
                ", ".join(c.name for c in columns),
            )
            ok = False
    for c in columns:
        if c.required and c.name not in names:
            add_problem(problems, sheet, 1, c.name, _("falta una columna obligatoria"), c.name)
            ok = False
    if not ok:
        return []
    out = []
    for number, raw in rows:
        # The CSV export guards formula-like text with a leading ' (kept when Excel re-saves it as XLSX).
        values = {h: csv_text_unescape(raw[i]) if i < len(raw) else None for i, h in enumerate(names) if h}
        out.append(Row(sheet, number, values))
    return out


def _decode(data: bytes, sheet: str, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        add_problem(
            problems,
            sheet,
            line,
            None,
            _("el archivo no está en UTF-8: byte 0x%(b)02x inválido en la posición %(p)s")
            % {"b": data[exc.start], "p": exc.start},
            _("texto UTF-8 (en Excel: Guardar como «CSV UTF-8 (delimitado por comas)»)"),
        )
        return None


def _csv_table(header: list[str]) -> str | None:
    names = set(header)
    if "number" in names or "state_code" in names and "title" in names:
        return "practices"
    if {"key", "value"} <= names:
        return "indicators"
    if {"kind", "message"} <= names:
        return "quality_flags"
    if {"slug", "title"} <= names:
        return "documents"
    return None


def read_csv(data: bytes, name: str, problems: list[Problem]) -> dict[str, list[Row]]:
    import csv

    text = _decode(data, name, problems)
    if text is None:
        return {}
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = list(csv.reader(io.StringIO(text), dialect))
    if not reader or not any(reader[0]):
        add_problem(problems, name, 1, None, _("el archivo está vacío"), _("una fila de encabezado"))
        return {}
    header = [h.strip() for h in reader[0]]
    table = _csv_table(header)
    if table is None:
        add_problem(
            problems,
            name,
            1,
            None,
            _("encabezado no reconocido: %(h)s") % {"h": ", ".join(header)},
            _("las columnas de la plantilla (practices o indicators)"),
        )
        return {}
    rows = [(n, r) for n, r in enumerate(reader[1:], start=2) if any(v.strip() for v in r)]
    for n, r in rows:
        if len(r) > len(header):
            add_problem(
                problems,
                table,
                n,
                None,
                _("la fila tiene %(a)s celdas y el encabezado %(b)s") % {"a": len(r), "b": len(header)},
                _("una celda por columna"),
            )
    return {table: _rows_from_grid(table, header, rows, problems)}


def _flat_rows(doc: dict, key: str, to_row, expected: str, problems: list[Problem]) -> list[Row]:
    """Return the records under `key` of an exported JSON as table rows (`to_row`: the export's own
    flattening), reporting each record that lacks a field or has another type."""
    rows = []
    for i, record in enumerate(doc.get(key) or [], start=1):
        try:
            rows.append(Row(key, i, to_row(record)))
        except (KeyError, TypeError, AttributeError) as exc:
            add_problem(
                problems, key, i, str(exc).strip("'"), _("falta un campo o tiene otro tipo"), expected
            )
    return rows


def read_json(data: bytes, name: str, problems: list[Problem]) -> dict[str, list[Row]]:
    text = _decode(data, name, problems)
    if text is None:
        return {}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        add_problem(
            problems,
            name,
            exc.lineno,
            None,
            _("JSON inválido: %(m)s (columna %(c)s)") % {"m": exc.msg, "c": exc.colno},
            _("el JSON que produce «buenaspracticas export --format json»"),
        )
        return {}
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("practices", []), list)
        or not isinstance(doc.get("states", []), list)
        or not ({"practices", "states"} & set(doc))
    ):
        add_problem(
            problems,
            name,
            None,
            None,
            _("estructura JSON no reconocida"),
            _('un objeto {"practices": [...], "states": [...], "documents": [...]}'),
        )
        return {}
    tables: dict[str, list[Row]] = {
        t: [] for t in ("documents", "practices", "states", "indicators", "quality_flags", "findings")
    }
    for i, d in enumerate(doc.get("documents") or [], start=1):
        tables["documents"].append(Row("documents", i, dict(d) if isinstance(d, dict) else {}))
    tables["practices"] = _flat_rows(
        doc, "practices", practice_row, _("la forma Practice JSON de DESIGN.md"), problems
    )
    for i, s in enumerate(doc.get("states") or [], start=1):
        if not isinstance(s, dict) or "code" not in s:
            add_problem(problems, "states", i, "code", _("falta el código del estado"), "MX-OAX")
            continue
        src = s.get("source") or {}
        doc_slug = src.get("document")
        tables["states"].append(
            Row(
                "states",
                i,
                {
                    "code": s["code"],
                    "panorama_document": doc_slug,
                    "panorama_first_line": src.get("first_line"),
                    "panorama_last_line": src.get("last_line"),
                    "panorama_table": src.get("table"),
                },
            )
        )
        sheet = f"states[{i}]"
        for j, ind in enumerate(s.get("indicators") or [], start=1):
            tables["indicators"].append(
                Row(
                    f"{sheet}.indicators",
                    j,
                    {"state_code": s["code"], "document": doc_slug, **(ind if isinstance(ind, dict) else {})},
                )
            )
        for j, f in enumerate(s.get("quality_flags") or [], start=1):
            f = dict(f) if isinstance(f, dict) else {}
            if isinstance(f.get("indicators"), list):
                f["indicators"] = ";".join(f["indicators"])
            tables["quality_flags"].append(
                Row(f"{sheet}.quality_flags", j, {"state_code": s["code"], "document": doc_slug, **f})
            )
    tables["findings"] = _flat_rows(
        doc,
        "findings",
        finding_row,
        _("una fila de la matriz de hallazgos como la exporta el catálogo"),
        problems,
    )
    return tables
