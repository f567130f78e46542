"""Validating an import file: the homologated template (XLSX or CSV) or the JSON export, read into rows
by reports/import_read.py. Everything is checked before anything is written, and every problem is reported
at once with its sheet, row, column and what was expected. Writing is in reports/import_write.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.reference import DIMENSIONS, STATES_BY_CODE, STATES_BY_SLUG
from buenaspracticas.reports.import_read import (
    KEY_PATTERN,
    MAX_IMPORT_BYTES,
    SLUG_PATTERN,
    ImportFileError,
    ImportPlan,
    Problem,
    Row,
    add_problem,
    read_csv,
    read_json,
    read_xlsx,
)
from buenaspracticas.reports.tables import TABLES

__all__ = [
    "MAX_IMPORT_BYTES",
    "ImportFileError",
    "ImportPlan",
    "Problem",
    "Row",
    "read_import",
    "read_import_path",
    "too_large_message",
    "validate",
]


# ---------------------------------------------------------------- validation ----------------------


def _coerce(value: Any, col, where: Row, problems: list[Problem]) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        if col.required and not col.derived:
            add_problem(
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
            add_problem(
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
        add_problem(
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
        add_problem(
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
    from buenaspracticas.reports.import_access import refused_states

    problems: list[Problem] = []
    plan = ImportPlan(file=file, kind=kind)
    for table, rows in tables.items():
        columns = {c.name: c for c in TABLES[table]}
        typed = []
        for r in rows:
            for name in r.values:
                if name not in columns:
                    add_problem(problems, r.sheet, r.row, name, _("campo desconocido"), ", ".join(columns))
            values = {name: _coerce(r.values.get(name), col, r, problems) for name, col in columns.items()}
            typed.append(Row(r.sheet, r.row, values))
        plan.tables[table] = typed
    documents = set(known_documents)
    seen_docs: dict[str, Row] = {}
    for r in plan.rows("documents"):
        slug = r.values["slug"]
        if slug and not SLUG_PATTERN.match(slug):
            add_problem(
                problems,
                r.sheet,
                r.row,
                "slug",
                _("«%(v)s» no es un slug") % {"v": slug},
                _("minúsculas, cifras y guiones, p. ej. informe-oaxaca-2024"),
            )
        elif slug in seen_docs:
            add_problem(
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
            add_problem(
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
            add_problem(
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
            add_problem(
                problems, r.sheet, r.row, "number", _("el número debe ser positivo"), _("un entero ≥ 1")
            )
        if code and number:
            expected_id = f"{STATES_BY_CODE[code].slug}-{number}"
            if v["id"] and v["id"] != expected_id:
                add_problem(
                    problems,
                    r.sheet,
                    r.row,
                    "id",
                    _("el id «%(v)s» no corresponde al estado y número") % {"v": v["id"]},
                    expected_id,
                )
            if (code, number) in seen_practices:
                add_problem(
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
            add_problem(
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
        if key and not KEY_PATTERN.match(key):
            add_problem(
                problems,
                r.sheet,
                r.row,
                "key",
                _("clave «%(v)s» no válida") % {"v": key},
                _("minúsculas, cifras y guion bajo, p. ej. entries_air"),
            )
        ident = (code, r.values["document"], key, r.values["label"] or "")
        if code and key and ident in seen_figures:
            add_problem(
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
    problems.extend(refused_states(user, edited_states))
    if not plan.rows("practices") and not plan.rows("indicators") and not problems:
        add_problem(
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
        kind, tables = "xlsx", read_xlsx(data, name, problems)
    elif suffix == ".json" or (suffix != ".csv" and data.lstrip()[:1] in (b"{", b"[")):
        kind, tables = "json", read_json(data, name, problems)
    else:
        kind, tables = "csv", read_csv(data, name, problems)
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
