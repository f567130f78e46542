"""Reading and validating an import file: the homologated template (XLSX or CSV) or the JSON export.

Everything is checked before anything is written, and every problem is reported at once with its sheet,
row, column and what was expected. Writing is in reports/import_write.py.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.errors import ValidationError
from buenaspracticas.reference import DIMENSIONS, STATES_BY_CODE, STATES_BY_SLUG
from buenaspracticas.reports.exports import csv_text_unescape
from buenaspracticas.reports.tables import TABLES, practice_row

MAX_IMPORT_BYTES = 10 * 1024 * 1024
IGNORED_SHEETS = {"instrucciones", "instructions", "dictionary", "diccionario"}
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


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


def _problem(
    problems: list[Problem], sheet: str, row: int | None, column: str | None, message: str, expected: str = ""
) -> None:
    problems.append(Problem(sheet, row, column, message, expected))


def _read_xlsx(data: bytes, name: str, problems: list[Problem]) -> dict[str, list[Row]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        _problem(
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
                _problem(
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
        _problem(
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
            _problem(
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
            _problem(problems, sheet, 1, c.name, _("falta una columna obligatoria"), c.name)
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
        _problem(
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


def _read_csv(data: bytes, name: str, problems: list[Problem]) -> dict[str, list[Row]]:
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
        _problem(problems, name, 1, None, _("el archivo está vacío"), _("una fila de encabezado"))
        return {}
    header = [h.strip() for h in reader[0]]
    table = _csv_table(header)
    if table is None:
        _problem(
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
            _problem(
                problems,
                table,
                n,
                None,
                _("la fila tiene %(a)s celdas y el encabezado %(b)s") % {"a": len(r), "b": len(header)},
                _("una celda por columna"),
            )
    return {table: _rows_from_grid(table, header, rows, problems)}


def _read_json(data: bytes, name: str, problems: list[Problem]) -> dict[str, list[Row]]:
    text = _decode(data, name, problems)
    if text is None:
        return {}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        _problem(
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
        _problem(
            problems,
            name,
            None,
            None,
            _("estructura JSON no reconocida"),
            _('un objeto {"practices": [...], "states": [...], "documents": [...]}'),
        )
        return {}
    tables: dict[str, list[Row]] = {
        t: [] for t in ("documents", "practices", "states", "indicators", "quality_flags")
    }
    for i, d in enumerate(doc.get("documents") or [], start=1):
        tables["documents"].append(Row("documents", i, dict(d) if isinstance(d, dict) else {}))
    for i, p in enumerate(doc.get("practices") or [], start=1):
        try:
            values = practice_row(p)
        except (KeyError, TypeError, AttributeError) as exc:
            _problem(
                problems,
                "practices",
                i,
                str(exc).strip("'"),
                _("falta un campo o tiene otro tipo"),
                _("la forma Practice JSON de DESIGN.md"),
            )
            continue
        tables["practices"].append(Row("practices", i, values))
    for i, s in enumerate(doc.get("states") or [], start=1):
        if not isinstance(s, dict) or "code" not in s:
            _problem(problems, "states", i, "code", _("falta el código del estado"), "MX-OAX")
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
    return tables


# ---------------------------------------------------------------- validation ----------------------


def _coerce(value: Any, col, where: Row, problems: list[Problem]) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        if col.required and not col.derived:
            _problem(
                problems,
                where.sheet,
                where.row,
                col.name,
                _("celda vacía en una columna obligatoria"),
                str(col.description),
            )
        return None
    if col.type == "string":
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if col.enum and text not in col.enum:
            _problem(
                problems,
                where.sheet,
                where.row,
                col.name,
                _("valor «%(v)s» no permitido") % {"v": text},
                ", ".join(col.enum),
            )
            return None
        return text
    if col.type == "integer":
        if isinstance(value, bool):
            value = None
        elif isinstance(value, int):
            return value
        elif isinstance(value, float) and value.is_integer():
            return int(value)
        elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
            return int(value)
        _problem(
            problems,
            where.sheet,
            where.row,
            col.name,
            _("«%(v)s» no es un número entero") % {"v": value},
            _("un entero sin separadores, p. ej. 1432"),
        )
        return None
    if col.type == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
            number = float(value)
            return int(number) if number.is_integer() else number
        _problem(
            problems,
            where.sheet,
            where.row,
            col.name,
            _("«%(v)s» no es un número") % {"v": value},
            _("un número con punto decimal y sin separadores de miles, p. ej. 52.2"),
        )
        return None
    return value  # boolean columns are derived


def _state_code(value: str | None) -> str | None:
    if not value:
        return None
    upper = value.upper()
    if upper in STATES_BY_CODE:
        return upper
    ref = STATES_BY_SLUG.get(value.lower())
    return ref.code if ref else None


def validate(
    tables: dict[str, list[Row]], *, file: str, kind: str, user=None, known_documents: set[str] = frozenset()
) -> ImportPlan:
    """Return the typed, checked plan; raise ImportFileError listing every problem."""
    from buenaspracticas.curation.permissions import check_can_edit_state
    from buenaspracticas.errors import PermissionDenied

    problems: list[Problem] = []
    plan = ImportPlan(file=file, kind=kind)
    for table, rows in tables.items():
        columns = {c.name: c for c in TABLES[table]}
        typed = []
        for r in rows:
            for name in r.values:
                if name not in columns:
                    _problem(problems, r.sheet, r.row, name, _("campo desconocido"), ", ".join(columns))
            values = {name: _coerce(r.values.get(name), col, r, problems) for name, col in columns.items()}
            typed.append(Row(r.sheet, r.row, values))
        plan.tables[table] = typed
    documents = set(known_documents)
    seen_docs: dict[str, Row] = {}
    for r in plan.rows("documents"):
        slug = r.values["slug"]
        if slug and not _SLUG.match(slug):
            _problem(
                problems,
                r.sheet,
                r.row,
                "slug",
                _("«%(v)s» no es un slug") % {"v": slug},
                _("minúsculas, cifras y guiones, p. ej. informe-oaxaca-2024"),
            )
        elif slug in seen_docs:
            _problem(
                problems,
                r.sheet,
                r.row,
                "slug",
                _("documento repetido (ya en la fila %(n)s)") % {"n": seen_docs[slug].row},
                _("un slug distinto por fila"),
            )
        elif slug:
            seen_docs[slug] = r
            documents.add(slug)
    edited_states: dict[str, Row] = {}

    def state_of(r: Row, column: str) -> str | None:
        raw = r.values.get(column)
        code = _state_code(raw)
        if raw and code is None:
            _problem(
                problems,
                r.sheet,
                r.row,
                column,
                _("estado desconocido «%(v)s»") % {"v": raw},
                _("un código ISO 3166-2 de los 32 estados (MX-OAX) o su slug (oaxaca)"),
            )
        return code

    def document_of(r: Row, column: str) -> None:
        slug = r.values.get(column)
        if slug and slug not in documents:
            _problem(
                problems,
                r.sheet,
                r.row,
                column,
                _("documento desconocido «%(v)s»") % {"v": slug},
                _("un slug de la hoja documents o un documento ya cargado"),
            )

    seen_practices: dict[tuple[str, int], Row] = {}
    for r in plan.rows("practices"):
        v = r.values
        code = state_of(r, "state_code")
        v["state_code"] = code
        number = v["number"]
        if number is not None and number < 1:
            _problem(problems, r.sheet, r.row, "number", _("el número debe ser positivo"), _("un entero ≥ 1"))
        if code and number:
            expected_id = f"{STATES_BY_CODE[code].slug}-{number}"
            if v["id"] and v["id"] != expected_id:
                _problem(
                    problems,
                    r.sheet,
                    r.row,
                    "id",
                    _("el id «%(v)s» no corresponde al estado y número") % {"v": v["id"]},
                    expected_id,
                )
            if (code, number) in seen_practices:
                _problem(
                    problems,
                    r.sheet,
                    r.row,
                    "number",
                    _("práctica repetida %(id)s (ya en la fila %(n)s)")
                    % {"id": expected_id, "n": seen_practices[(code, number)].row},
                    _("un id distinto por fila"),
                )
            else:
                seen_practices[(code, number)] = r
            edited_states.setdefault(code, r)
        dims = [d.strip() for d in re.split(r"[;,]", v["dimensions"] or "") if d.strip()]
        bad = [d for d in dims if d not in DIMENSIONS]
        if bad:
            _problem(
                problems,
                r.sheet,
                r.row,
                "dimensions",
                _("dimensión desconocida: %(v)s") % {"v": ", ".join(bad)},
                ", ".join(DIMENSIONS),
            )
        v["dimensions"] = dims
        document_of(r, "source_document")
    seen_figures: dict[tuple, Row] = {}
    for r in plan.rows("indicators"):
        code = state_of(r, "state_code")
        r.values["state_code"] = code
        document_of(r, "document")
        key = r.values["key"]
        if key and not _KEY.match(key):
            _problem(
                problems,
                r.sheet,
                r.row,
                "key",
                _("clave «%(v)s» no válida") % {"v": key},
                _("minúsculas, cifras y guion bajo, p. ej. entries_air"),
            )
        ident = (code, r.values["document"], key, r.values["label"] or "")
        if code and key and ident in seen_figures:
            _problem(
                problems,
                r.sheet,
                r.row,
                "key",
                _("cifra repetida (misma clave y etiqueta ya en la fila %(n)s)")
                % {"n": seen_figures[ident].row},
                _("una fila por clave y etiqueta"),
            )
        seen_figures.setdefault(ident, r)
        if code:
            edited_states.setdefault(code, r)
    for r in plan.rows("quality_flags"):
        r.values["state_code"] = state_of(r, "state_code")
        document_of(r, "document")
    for r in plan.rows("states"):
        r.values["code"] = state_of(r, "code")
        document_of(r, "panorama_document")
    for code, r in edited_states.items():
        try:
            check_can_edit_state(user, code)
        except PermissionDenied as exc:
            _problem(
                problems, r.sheet, r.row, "state_code", exc.message, _("un estado que usted puede editar")
            )
    if not plan.rows("practices") and not plan.rows("indicators") and not problems:
        _problem(
            problems,
            file,
            None,
            None,
            _("el archivo no trae prácticas ni cifras"),
            _("al menos una fila en practices o indicators"),
        )
    if problems:
        raise ImportFileError(problems, file=file)
    return plan


def read_import(data: bytes, *, name: str, user=None, known_documents: set[str] = frozenset()) -> ImportPlan:
    """Read and validate an import file's bytes (XLSX, CSV or JSON, told by name and content); return the plan
    or raise ImportFileError listing every problem."""
    problems: list[Problem] = []
    suffix = Path(name).suffix.lower()
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError([Problem(name, None, None, too_large_message(len(data)))], file=name)
    if suffix == ".xlsx" or (suffix not in (".csv", ".json") and data[:2] == b"PK"):
        kind, tables = "xlsx", _read_xlsx(data, name, problems)
    elif suffix == ".json" or (suffix != ".csv" and data.lstrip()[:1] in (b"{", b"[")):
        kind, tables = "json", _read_json(data, name, problems)
    else:
        kind, tables = "csv", _read_csv(data, name, problems)
    if problems:
        raise ImportFileError(problems, file=name)
    return validate(tables, file=name, kind=kind, user=user, known_documents=known_documents)


def too_large_message(size: int) -> str:
    """Return the message for a file over the import limit."""
    return _("el archivo pesa %(s).1f MB y el límite es %(m)s MB; divídalo por estado") % {
        "s": size / 1024 / 1024,
        "m": MAX_IMPORT_BYTES // 1024 // 1024,
    }


def read_import_path(path: str | Path, *, user=None, known_documents: set[str] = frozenset()) -> ImportPlan:
    """Read and validate the import file at `path`, refusing an oversized file before reading it."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError([Problem(str(path), None, None, _("no existe el archivo"))], file=str(path))
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise ImportFileError([Problem(path.name, None, None, too_large_message(size))], file=path.name)
    return read_import(path.read_bytes(), name=path.name, user=user, known_documents=known_documents)
