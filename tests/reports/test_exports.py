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
    assert wb.sheetnames == ["practices", "indicators", "quality_flags", "states", "documents", "dictionary"]
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
