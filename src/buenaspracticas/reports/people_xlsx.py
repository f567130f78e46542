"""The XLSX "for people": the practices and figures of a filtered view with Spanish (or current language)
headers, names instead of codes, verdicts in words, filters, widths and a frozen header, plus a first sheet
that says what the file holds and where it comes from. The machine exports (exports.py) stay as they are;
this one is for reading, not for importing back.

Each sheet's columns are declared once, as (header, getter, width), in PRACTICE_COLUMNS and
INDICATOR_COLUMNS."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, DIMENSION_LABELS, REGIONS, STATES_BY_CODE
from buenaspracticas.reports.exports import formula_like
from buenaspracticas.text_case import display_title
from buenaspracticas.web.presenters import FACET_TITLES, panorama_rows


@dataclass(frozen=True)
class PeopleColumn:
    header: Any  # lazy translation, rendered when the workbook is written
    getter: Callable[[dict], Any]
    width: float


def _verdict_words(verdict: str) -> str:
    return {"met": _("Cumple"), "not_met": _("No cumple")}.get(verdict) or _("Sin dato")


def _region_name(code: str) -> str:
    return _(REGIONS.get(code, code))


def _dimension_names(codes: list[str]) -> str:
    return ", ".join(_(DIMENSION_LABELS.get(d, d)) for d in codes)


def _source_text(p: dict) -> str:
    src = p.get("source") or {}
    if not src:
        return ""
    title = p.get("_document_title") or src.get("document") or ""
    lines = {"a": src.get("first_line"), "b": src.get("last_line")}
    return _("%(doc)s, líneas %(a)s–%(b)s") % {"doc": title, **lines}


def _criterion_column(code: str) -> PeopleColumn:
    return PeopleColumn(
        gettext_lazy(CRITERIA_LABELS[code]), lambda p: _verdict_words(p["criteria"][code]["verdict"]), 15
    )


PRACTICE_COLUMNS: tuple[PeopleColumn, ...] = (
    PeopleColumn(gettext_lazy("Estado"), lambda p: p["state"]["name"], 20),
    PeopleColumn(gettext_lazy("Región"), lambda p: _region_name(p["state"]["region"]), 14),
    PeopleColumn(gettext_lazy("Número"), lambda p: p["number"], 9),
    PeopleColumn(gettext_lazy("Título"), display_title, 50),
    PeopleColumn(gettext_lazy("Institución"), lambda p: p["institution"] or "", 40),
    PeopleColumn(gettext_lazy("Dimensiones"), lambda p: _dimension_names(p["dimensions"]), 24),
    PeopleColumn(gettext_lazy("Población objetivo"), lambda p: p["target_population"] or "", 40),
    PeopleColumn(gettext_lazy("Criterios cumplidos"), lambda p: p["criteria_met"], 12),
    PeopleColumn(gettext_lazy("¿Buena práctica?"), lambda p: _("Sí") if p["qualifies"] else _("No"), 12),
    PeopleColumn(
        gettext_lazy("Estatus"), lambda p: _("Vigente") if p["status"] == "active" else _("Suspendida"), 12
    ),
    *(_criterion_column(code) for code in CRITERIA),
    PeopleColumn(gettext_lazy("Personas beneficiarias"), lambda p: p["beneficiaries"], 14),
    PeopleColumn(gettext_lazy("Descripción"), lambda p: p["description"] or "", 80),
    PeopleColumn(gettext_lazy("Fuente"), _source_text, 40),
)

INDICATOR_COLUMNS: tuple[PeopleColumn, ...] = (
    PeopleColumn(gettext_lazy("Estado"), lambda r: r["state_name"], 20),
    PeopleColumn(gettext_lazy("Región"), lambda r: _region_name(r["state_region"]), 14),
    PeopleColumn(gettext_lazy("Indicador"), lambda r: r["display_label"], 50),
    PeopleColumn(gettext_lazy("Valor"), lambda r: r["value"], 14),
    PeopleColumn(gettext_lazy("Unidad"), lambda r: r["display_unit"], 14),
    PeopleColumn(gettext_lazy("Periodo"), lambda r: r["display_period"], 20),
    PeopleColumn(gettext_lazy("Fuente"), lambda r: r.get("source") or "", 30),
    PeopleColumn(gettext_lazy("Nota"), lambda r: r.get("note") or "", 40),
)


def _indicator_rows(bundle: dict) -> list[dict]:
    rows = []
    for s in sorted(bundle["states"], key=lambda s: s["name"]):
        for r in panorama_rows(s.get("indicators") or []):
            rows.append({**r, "state_name": s["name"], "state_region": s["region"]})
    return rows


def _filter_value(name: str, value: str) -> str:
    """Return a filter's value as people name it (Oaxaca, not MX-OAX; Sí, not true)."""
    if name == "state" and value in STATES_BY_CODE:
        return STATES_BY_CODE[value].name
    words = {
        "region": REGIONS,
        "criterion": CRITERIA_LABELS,
        "dimension": DIMENSION_LABELS,
        "qualifies": {"true": _("Sí"), "false": _("No")},
        "status": {"active": _("Vigente"), "suspended": _("Suspendida")},
    }.get(name, {})
    return _(words[value]) if value in words else value


def _readme_lines(bundle: dict) -> list[str]:
    lines = [
        _("Buenas prácticas en política migratoria local: hoja de cálculo para personas"),
        "",
        _(
            "Hoja «Prácticas»: una fila por práctica, con su estado, región, institución y la valoración de "
            "cada criterio (Cumple, No cumple o Sin dato). Es buena práctica la que cumple al menos 3 de 5."
        ),
        _("Hoja «Indicadores»: las cifras del panorama migratorio de cada estado, con su unidad y periodo."),
        _("Use los filtros de la fila de títulos para elegir estados, criterios o estatus."),
        "",
        _("Prácticas: %(n)s · Estados: %(s)s · Versión de los datos: %(v)s")
        % {"n": len(bundle["practices"]), "s": len(bundle["states"]), "v": bundle["version"]},
    ]
    if bundle["filters"]:
        chosen = "; ".join(
            f"{_(FACET_TITLES[k]) if k in FACET_TITLES else k}: {', '.join(_filter_value(k, x) for x in v)}"
            for k, v in bundle["filters"].items()
        )
        lines.append(_("Filtros aplicados: %(f)s") % {"f": chosen})
    lines += ["", _("Fuente:")]
    for d in bundle["documents"]:
        who = ", ".join(str(x) for x in (d.get("publisher"), d.get("year")) if x)
        lines.append(f"{d['title']} ({who})" if who else d["title"])
    lines += [
        "",
        _(
            "Para reutilizar o volver a importar los datos, use las exportaciones CSV, JSON o la plantilla "
            "homologada XLSX: tienen los códigos y las columnas que lee la importación."
        ),
    ]
    return lines


def _write_cell(ws, row: int, column: int, value: Any, alignment) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    cell.alignment = alignment
    if formula_like(value):
        # A typed text cell is never run as a formula; the quote prefix keeps it text when edited.
        cell.data_type = "s"
        cell.quotePrefix = True


def _table_sheet(wb, title: str, columns: tuple[PeopleColumn, ...], items: list[dict]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    wrap = Alignment(wrap_text=True, vertical="top")
    for j, col in enumerate(columns, start=1):
        _write_cell(ws, 1, j, str(col.header), wrap)
        ws.cell(row=1, column=j).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(j)].width = col.width
    for i, item in enumerate(items, start=2):
        for j, col in enumerate(columns, start=1):
            _write_cell(ws, i, j, col.getter(item), wrap)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(items) + 1, 2)}"


def people_workbook(bundle: dict) -> bytes:
    """Return the XLSX for people of an export bundle: sheets Léame, Prácticas and Indicadores."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    titles = {d["slug"]: d["title"] for d in bundle["documents"]}
    practices = [
        {**p, "_document_title": titles.get((p.get("source") or {}).get("document"))}
        for p in bundle["practices"]
    ]
    practices.sort(key=lambda p: (p["state"]["name"], p["number"]))
    wb = Workbook()
    readme = wb.active
    readme.title = _("Léame")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, line in enumerate(_readme_lines(bundle), start=1):
        _write_cell(readme, i, 1, line, wrap)
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    _table_sheet(wb, _("Prácticas"), PRACTICE_COLUMNS, practices)
    _table_sheet(wb, _("Indicadores"), INDICATOR_COLUMNS, _indicator_rows(bundle))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
