"""The Frictionless data package of a filtered view: datapackage.json (table schemas, licence, sources)
beside one CSV per table, zipped."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from buenaspracticas.reports.exports import dictionary_csv, formula_guard_note, table_csv
from buenaspracticas.reports.tables import TABLE_TITLES, TABLES, bundle_tables

LICENSE = {
    "name": "other-at",
    "title": "Atribución obligatoria: contenido del informe © OIM / CONOFAM; cifras de INEGI y UPMRIP",
    "path": "https://opendefinition.org/licenses/other-at/",
}
_KEYS = {"practices": ["id"], "states": ["code"], "documents": ["slug"]}


def _schema(table: str) -> dict[str, Any]:
    fields = []
    for c in TABLES[table]:
        field: dict[str, Any] = {
            "name": c.name,
            "type": c.type,
            "title": str(c.title),
            "description": str(c.description),
        }
        constraints: dict[str, Any] = {}
        if c.required:
            constraints["required"] = True
        if c.enum:
            constraints["enum"] = list(c.enum)
        if constraints:
            field["constraints"] = constraints
        if c.type == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table in _KEYS:
        schema["primaryKey"] = _KEYS[table]
    return schema


def descriptor(bundle: dict) -> dict[str, Any]:
    """Return the datapackage.json descriptor for an export bundle."""
    sources = [
        {
            "title": d["title"],
            "path": f"#documents/{d['slug']}",
            "description": f"{d['publisher']} {d['year'] or ''}".strip(),
        }
        for d in bundle["documents"]
    ]
    sources += [
        {"title": "INEGI, Censo de Población y Vivienda 2020", "path": "https://www.inegi.org.mx/"},
        {
            "title": "UPMRIP, Boletín Mensual de Estadísticas Migratorias 2021",
            "path": "http://www.politicamigratoria.gob.mx/",
        },
    ]
    return {
        "name": "buenaspracticas",
        "title": _("Buenas prácticas en política migratoria local: base común"),
        "description": _(
            "Prácticas de gobierno local en materia migratoria valoradas con cinco criterios, "
            "y el panorama migratorio de cada estado, con la fuente y las líneas de cada dato."
        )
        + " "
        + formula_guard_note(),
        "version": bundle["version"],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [LICENSE],
        "sources": sources,
        "keywords": ["migración", "México", "buenas prácticas", "OIM", "CONOFAM"],
        "resources": [
            {
                "name": table.replace("_", "-"),
                "path": f"data/{table}.csv",
                "profile": "tabular-data-resource",
                "title": str(TABLE_TITLES[table]),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(table),
            }
            for table in TABLES
        ],
    }


def datapackage_files(bundle: dict) -> dict[str, bytes]:
    """Return path → bytes of the package: datapackage.json, data/<table>.csv and data/dictionary.csv."""
    tables = bundle_tables(bundle)
    files = {f"data/{t}.csv": table_csv(rows, t, bom=False) for t, rows in tables.items()}
    files["data/dictionary.csv"] = dictionary_csv()
    files["datapackage.json"] = (json.dumps(descriptor(bundle), ensure_ascii=False, indent=2) + "\n").encode()
    return files


def datapackage_zip(bundle: dict) -> bytes:
    """Return the data package as a zip (datapackage.json at its root)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, content in datapackage_files(bundle).items():
            zf.writestr(path, content)
    return out.getvalue()
