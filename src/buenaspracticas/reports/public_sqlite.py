"""The public SQLite database of the open data: a new file written from the export tables of the published
records, never a copy of the live database (which holds accounts, sessions, tokens, drafts, revisions and
review threads), with readable views for outside tools such as Datasette or a spreadsheet."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, VERDICTS
from buenaspracticas.reports.tables import TABLES

VIEWS = ("practicas", "valoraciones", "indicadores")
_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "string": "TEXT"}
_PRIMARY_KEYS = {"practices": "id", "states": "code", "documents": "slug"}

_PRACTICAS = """
CREATE VIEW practicas AS
SELECT p.id AS id, p.state_code AS codigo_estado, s.name AS estado, s.region AS region,
       p.number AS numero, p.title AS titulo, p.institution AS institucion, p.dimensions AS dimensiones,
       p.target_population AS poblacion_objetivo, p.description AS descripcion,
       p.criteria_met AS criterios_cumplidos, p.qualifies AS buena_practica, p.status AS estatus,
       p.beneficiaries AS personas_beneficiarias, p.source_document AS documento_fuente,
       p.source_first_line AS primera_linea, p.source_last_line AS ultima_linea
FROM practices AS p LEFT JOIN states AS s ON s.code = p.state_code
ORDER BY p.state_code, p.number
"""

_INDICADORES = """
CREATE VIEW indicadores AS
SELECT i.state_code AS codigo_estado, s.name AS estado, i.key AS clave, i.label AS etiqueta,
       i.value AS valor, i.unit AS unidad, i.period AS periodo, i.source AS fuente, i.note AS nota,
       i.document AS documento_fuente, i.line AS linea
FROM indicators AS i LEFT JOIN states AS s ON s.code = i.state_code
ORDER BY i.state_code, i.rowid
"""


def _valoraciones() -> str:
    # One SELECT per criterion column of the wide practices table; the names come from reference.CRITERIA.
    per_criterion = " UNION ALL ".join(
        f"SELECT id, '{code}' AS criterion, {code} AS verdict, {code}_evidence AS evidence FROM practices"
        for code in CRITERIA
    )
    return f"""
CREATE VIEW valoraciones AS
SELECT p.id AS practica, p.title AS titulo, p.state_code AS codigo_estado, s.name AS estado,
       a.criterion AS criterio, c.label AS criterio_nombre, a.verdict AS valoracion,
       v.label AS valoracion_texto, a.evidence AS evidencia
FROM ({per_criterion}) AS a
JOIN practices AS p ON p.id = a.id
LEFT JOIN states AS s ON s.code = p.state_code
LEFT JOIN criteria AS c ON c.code = a.criterion
LEFT JOIN verdicts AS v ON v.code = a.verdict
ORDER BY p.state_code, p.number, c.position
"""


def _reference_tables() -> dict[str, tuple[str, list[tuple[Any, ...]]]]:
    verdict_labels = {"met": _("Cumple"), "not_met": _("No cumple"), "unknown": _("Sin dato en el informe")}
    return {
        "criteria": (
            "code TEXT PRIMARY KEY, label TEXT, position INTEGER",
            [(code, CRITERIA_LABELS[code], n) for n, code in enumerate(CRITERIA, start=1)],
        ),
        "verdicts": (
            "code TEXT PRIMARY KEY, label TEXT",
            [(code, verdict_labels[code]) for code in VERDICTS],
        ),
    }


def _create_table(db: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    cols = TABLES[table]
    key = _PRIMARY_KEYS.get(table)
    defs = ", ".join(
        f'"{c.name}" {_SQL_TYPES[c.type]}{" PRIMARY KEY" if c.name == key else ""}' for c in cols
    )
    db.execute(f'CREATE TABLE "{table}" ({defs})')
    db.executemany(
        f'INSERT INTO "{table}" VALUES ({", ".join("?" for _ in cols)})',
        [[row.get(c.name) for c in cols] for row in rows],
    )


def public_sqlite_write(*, path: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """Write a new SQLite file at `path` (replacing any file there) holding only `tables` (from
    reports.tables.bundle_tables), the criteria and verdict labels and the views practicas, valoraciones
    and indicadores; return `path`."""
    path = Path(path)
    path.unlink(missing_ok=True)
    with closing(sqlite3.connect(path)) as db:
        for table in TABLES:
            _create_table(db, table, tables.get(table, []))
        for table, (defs, rows) in _reference_tables().items():
            db.execute(f'CREATE TABLE "{table}" ({defs})')
            db.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" for _ in rows[0])})', rows)
        db.execute('CREATE INDEX "indicators_state" ON "indicators" ("state_code", "key")')
        for sql in (_PRACTICAS, _valoraciones(), _INDICADORES):
            db.execute(sql)
        db.commit()
    return path
