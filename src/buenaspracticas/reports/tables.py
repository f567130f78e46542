"""The flat tables of the open data (CSV, XLSX sheets, data package resources) and of the homologated
import template: one declaration of every column with its type, Spanish title and meaning, so exports,
the data dictionary, the Frictionless schemas and the import validator never drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, DIMENSIONS, VERDICTS


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # frictionless type: string, integer, number, boolean
    title: Any
    description: Any
    required: bool = False
    enum: tuple[str, ...] | None = None
    derived: bool = False  # computed on export; ignored (or checked) on import


def _criteria_columns() -> list[Column]:
    cols = []
    for code in CRITERIA:
        cols.append(
            Column(
                code,
                "string",
                CRITERIA_LABELS[code],
                _("Valoración del criterio: met (cumple), not_met (no cumple) o unknown (sin dato)."),
                required=True,
                enum=VERDICTS,
            )
        )
        cols.append(
            Column(
                f"{code}_evidence",
                "string",
                _("Evidencia: %(c)s") % {"c": CRITERIA_LABELS[code]},
                _("Texto que sustenta la valoración."),
            )
        )
    return cols


PRACTICE_COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "string",
        _("Identificador"),
        _(
            "<slug del estado>-<número>, p. ej. oaxaca-2. Se calcula; si "
            "se da, debe coincidir con estado y número."
        ),
        derived=True,
    ),
    Column(
        "state_code",
        "string",
        _("Estado"),
        _("Código ISO 3166-2 del estado (MX-OAX) o su slug (oaxaca)."),
        required=True,
    ),
    Column(
        "number",
        "integer",
        _("Número"),
        _("Número de la práctica dentro de su estado (entero positivo)."),
        required=True,
    ),
    Column(
        "title",
        "string",
        _("Título"),
        _("Nombre de la práctica, con las palabras del documento."),
        required=True,
    ),
    Column("institution", "string", _("Institución que coordina"), _("Nombre completo de la institución.")),
    Column(
        "dimensions",
        "string",
        _("Dimensiones de la población"),
        _("Separadas por punto y coma: %(d)s.") % {"d": ", ".join(DIMENSIONS)},
    ),
    Column("target_population", "string", _("Población objetivo"), _("Texto libre tal como se redactó.")),
    Column("description", "string", _("Características de la práctica"), _("Descripción de la práctica.")),
    Column(
        "status",
        "string",
        _("Estatus"),
        _("active (vigente) o suspended (suspendida)."),
        required=True,
        enum=("active", "suspended"),
    ),
    Column("beneficiaries", "integer", _("Personas beneficiarias"), _("Entero o vacío si no se conoce.")),
    *_criteria_columns(),
    Column(
        "criteria_met",
        "integer",
        _("Criterios cumplidos"),
        _("Cuántos criterios valen met (se calcula)."),
        derived=True,
    ),
    Column(
        "qualifies",
        "boolean",
        _("Buena práctica"),
        _("true cuando cumple al menos 3 de 5 (se calcula)."),
        derived=True,
    ),
    Column("source_document", "string", _("Documento fuente"), _("Slug del documento (hoja documents).")),
    Column(
        "source_first_line", "integer", _("Primera línea"), _("Línea del documento donde empieza la ficha.")
    ),
    Column(
        "source_last_line", "integer", _("Última línea"), _("Línea del documento donde termina la ficha.")
    ),
    Column(
        "source_table",
        "integer",
        _("Cuadro"),
        _("Número del cuadro del documento donde está la ficha (vacío si no lo imprime)."),
    ),
)

INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column(
        "state_code",
        "string",
        _("Estado"),
        _("Código ISO 3166-2 del estado (MX-OAX) o su slug."),
        required=True,
    ),
    Column(
        "document",
        "string",
        _("Documento fuente"),
        _("Slug del documento que da la cifra (hoja documents)."),
        required=True,
    ),
    Column(
        "key",
        "string",
        _("Clave del indicador"),
        _("Clave en minúsculas, p. ej. total_population, entries_air, causes_pct."),
        required=True,
    ),
    Column(
        "label", "string", _("Etiqueta"), _("Distingue cifras de la misma clave (país, causa, municipio).")
    ),
    Column(
        "value", "number", _("Valor"), _("Número, sin separadores de miles (punto decimal)."), required=True
    ),
    Column("unit", "string", _("Unidad"), _("personas, porcentaje, entradas, tarjetas…"), required=True),
    Column("period", "string", _("Periodo"), _("Año o periodo de la cifra, p. ej. 2020 o 2015-2020.")),
    Column("source", "string", _("Fuente"), _("Fuente estadística (Censo 2020, Boletín 2021…).")),
    Column("note", "string", _("Nota"), _("Aclaraciones.")),
    Column("line", "integer", _("Línea"), _("Línea del documento donde aparece la cifra.")),
)

QUALITY_FLAG_COLUMNS: tuple[Column, ...] = (
    Column("state_code", "string", _("Estado"), _("Código ISO 3166-2 del estado."), required=True),
    Column("document", "string", _("Documento fuente"), _("Slug del documento."), required=True),
    Column(
        "kind",
        "string",
        _("Tipo"),
        _("parts_do_not_add_up, share_contradicts_counts, period_differs…"),
        required=True,
    ),
    Column(
        "indicators",
        "string",
        _("Indicadores"),
        _("Claves de las cifras implicadas, separadas por punto y coma."),
    ),
    Column("message", "string", _("Mensaje"), _("Qué no cuadra."), required=True),
    Column("first_line", "integer", _("Primera línea"), _("Línea donde empieza el pasaje.")),
    Column("last_line", "integer", _("Última línea"), _("Línea donde termina el pasaje.")),
)

STATE_COLUMNS: tuple[Column, ...] = (
    Column("code", "string", _("Código"), _("ISO 3166-2."), required=True),
    Column("slug", "string", _("Slug"), _("Nombre en la URL."), derived=True),
    Column("name", "string", _("Nombre"), _("Nombre del estado."), derived=True),
    Column("region", "string", _("Región"), _("norte, occidente, centro o sur-sureste."), derived=True),
    Column(
        "practices",
        "integer",
        _("Prácticas"),
        _("Prácticas publicadas del estado en esta vista."),
        derived=True,
    ),
    Column("panorama_document", "string", _("Documento del panorama"), _("Slug del documento del panorama.")),
    Column("panorama_first_line", "integer", _("Primera línea del panorama"), _("Línea donde empieza.")),
    Column("panorama_last_line", "integer", _("Última línea del panorama"), _("Línea donde termina.")),
    Column(
        "panorama_table",
        "integer",
        _("Cuadro del panorama"),
        _("Número del cuadro del documento con el panorama (vacío si no lo imprime)."),
    ),
)

DOCUMENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "slug", "string", _("Slug"), _("Identificador del documento, p. ej. informe-2021."), required=True
    ),
    Column("title", "string", _("Título"), _("Título completo."), required=True),
    Column("publisher", "string", _("Editor"), _("Quién lo publica.")),
    Column("year", "integer", _("Año"), _("Año de publicación.")),
    Column("sha256", "string", _("SHA-256"), _("Huella del archivo fuente, si se conoce.")),
    Column("line_count", "integer", _("Líneas"), _("Líneas del texto fuente.")),
)

# The findings matrix (evidence app). Only public interview excerpts reach it
# (evidence.selectors.findings_public); an import writes the row's own fields back (its excerpts and
# documents are links curated in the product, so they are exported only).
FINDING_COLUMNS: tuple[Column, ...] = (
    Column("id", "integer", _("Id"), _("Número de la fila en la matriz."), derived=True),
    Column("state_code", "string", _("Estado"), _("Código ISO 3166-2 del estado.")),
    Column("programme", "string", _("Programa o acción"), _("Programa o acción del estado.")),
    Column("practice_id", "string", _("Práctica"), _("Id de la práctica a la que dio lugar.")),
    Column("impacts", "string", _("Impactos"), _("Impactos observados.")),
    Column("results", "string", _("Resultados"), _("Resultados.")),
    Column("validity", "string", _("Vigencia"), _("Vigencia del programa.")),
    Column("continuity", "string", _("Continuidad"), _("Continuidad del programa.")),
    Column("suspended", "boolean", _("Suspendido"), _("Si se suspendió o pausó.")),
    Column(
        "suspended_reason",
        "string",
        _("Motivo de la suspensión"),
        _("Con las palabras de la fuente."),
    ),
    Column(
        "excerpts",
        "string",
        _("Extractos públicos"),
        _("Extractos de entrevista de consentimiento público que la sustentan (módulo: texto)."),
        derived=True,
    ),
    Column(
        "documents",
        "string",
        _("Documentos"),
        _("Ids de los documentos, separados por punto y coma."),
        derived=True,
    ),
    Column("source_document", "string", _("Documento fuente"), _("Slug del documento.")),
    Column("source_first_line", "integer", _("Primera línea"), _("Línea donde empieza la cita.")),
    Column("source_last_line", "integer", _("Última línea"), _("Línea donde termina la cita.")),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "practices": PRACTICE_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "quality_flags": QUALITY_FLAG_COLUMNS,
    "states": STATE_COLUMNS,
    "documents": DOCUMENT_COLUMNS,
    "findings": FINDING_COLUMNS,
}
TABLE_TITLES = {
    "practices": _("Buenas prácticas (una fila por ficha, con sus cinco valoraciones)"),
    "indicators": _("Cifras del panorama migratorio estatal (una fila por cifra)"),
    "quality_flags": _("Alertas de calidad: cifras que se contradicen en la fuente"),
    "states": _("Estados incluidos"),
    "documents": _("Documentos fuente"),
    "findings": _("Matriz de hallazgos (una fila por programa o acción)"),
}


def practice_row(p: dict) -> dict[str, Any]:
    """Return one Practice JSON as a flat practices-table row."""
    row = {
        "id": p["id"],
        "state_code": p["state"]["code"],
        "number": p["number"],
        "title": p["title"],
        "institution": p["institution"],
        "dimensions": ";".join(p["dimensions"]),
        "target_population": p["target_population"],
        "description": p["description"],
        "status": p["status"],
        "beneficiaries": p["beneficiaries"],
    }
    for code in CRITERIA:
        row[code] = p["criteria"][code]["verdict"]
        row[f"{code}_evidence"] = p["criteria"][code]["evidence"]
    src = p.get("source") or {}
    row.update(
        {
            "criteria_met": p["criteria_met"],
            "qualifies": p["qualifies"],
            "source_document": src.get("document"),
            "source_first_line": src.get("first_line"),
            "source_last_line": src.get("last_line"),
            "source_table": src.get("table"),
        }
    )
    return row


def bundle_tables(bundle: dict) -> dict[str, list[dict[str, Any]]]:
    """Return the export bundle (reports.selectors.export_bundle) as table name → rows."""
    indicators, flags, states = [], [], []
    counts: dict[str, int] = {}
    for p in bundle["practices"]:
        counts[p["state"]["code"]] = counts.get(p["state"]["code"], 0) + 1
    for s in bundle["states"]:
        doc = (s.get("source") or {}).get("document")
        states.append(
            {
                "code": s["code"],
                "slug": s["slug"],
                "name": s["name"],
                "region": s["region"],
                "practices": counts.get(s["code"], 0),
                "panorama_document": doc,
                "panorama_first_line": (s.get("source") or {}).get("first_line"),
                "panorama_last_line": (s.get("source") or {}).get("last_line"),
                "panorama_table": (s.get("source") or {}).get("table"),
            }
        )
        for i in s.get("indicators") or []:
            indicators.append(
                {
                    "state_code": s["code"],
                    "document": doc,
                    **{
                        k: i.get(k)
                        for k in ("key", "label", "value", "unit", "period", "source", "note", "line")
                    },
                }
            )
        for f in s.get("quality_flags") or []:
            flags.append(
                {
                    "state_code": s["code"],
                    "document": doc,
                    "kind": f["kind"],
                    "indicators": ";".join(f["indicators"]),
                    "message": f["message"],
                    "first_line": f["first_line"],
                    "last_line": f["last_line"],
                }
            )
    return {
        "practices": [practice_row(p) for p in bundle["practices"]],
        "indicators": indicators,
        "quality_flags": flags,
        "states": states,
        "documents": list(bundle["documents"]),
        "findings": [finding_row(f) for f in bundle.get("findings", [])],
    }


def finding_row(f: dict) -> dict[str, Any]:
    """Return one findings row (evidence.selectors.findings_public) as a flat findings-table row."""
    src = f.get("source") or {}
    return {
        "id": f["number"],
        "state_code": f["state_code"],
        "programme": f["programme"],
        "practice_id": (f.get("practice") or {}).get("id"),
        **{
            k: f[k] for k in ("impacts", "results", "validity", "continuity", "suspended", "suspended_reason")
        },
        "excerpts": "\n\n".join(
            f"{e['module']}: {e['text']}" for e in f["excerpts"] if e["consent"] == "public"
        ),
        "documents": ";".join(str(d["id"]) for d in f["documents"]),
        "source_document": src.get("document"),
        "source_first_line": src.get("first_line"),
        "source_last_line": src.get("last_line"),
    }


def dictionary_rows() -> list[dict[str, str]]:
    """Return the data dictionary: one row per column of every table (table, column, type, required, title,
    description, allowed values)."""
    rows = []
    for table, columns in TABLES.items():
        for c in columns:
            rows.append(
                {
                    "table": table,
                    "column": c.name,
                    "type": c.type,
                    "required": str(_("sí") if c.required else (_("calculada") if c.derived else _("no"))),
                    "title": str(c.title),
                    "description": str(c.description),
                    "allowed": ", ".join(c.enum) if c.enum else "",
                }
            )
    return rows
