"""Homologated import: a malformed corpus built here, each file refused with a precise error and the
database unchanged; valid files written through the services; dry runs; permissions."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from openpyxl import Workbook

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.reports.exports import export_bytes, table_csv, template_workbook
from buenaspracticas.reports.import_write import import_file
from buenaspracticas.reports.importer import ImportFileError
from buenaspracticas.reports.tables import PRACTICE_COLUMNS


def _snapshot() -> bytes:
    return export_bytes(fmt="json", filters=PracticeFilters())[0]


def _practice(**overrides) -> dict:
    row = {
        "state_code": "MX-OAX",
        "number": 99,
        "title": "Práctica nueva de prueba",
        "institution": "Instituto",
        "dimensions": "origen;retorno",
        "status": "active",
        "sostenibilidad": "met",
        "asociacion": "met",
        "innovacion": "not_met",
        "replicabilidad": "unknown",
        "eficacia": "met",
    }
    return {**row, **overrides}


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _practices_xlsx(rows: list[dict]) -> bytes:
    names = [c.name for c in PRACTICE_COLUMNS]
    return _xlsx({"practices": [names, *[[r.get(n) for n in names] for r in rows]]})


def _refused(path, *expected: str):
    before = _snapshot()
    with pytest.raises(ImportFileError) as err:
        import_file(path)
    assert _snapshot() == before
    text = str(err.value)
    for piece in expected:
        assert piece in text, text
    return err.value


def test_wrong_columns_name_the_sheet_row_and_column(report, tmp_path):
    path = tmp_path / "columnas.xlsx"
    path.write_bytes(
        _xlsx({"practices": [["estado", "number", "title", "status"], ["MX-OAX", 9, "T", "active"]]})
    )
    err = _refused(
        path,
        "practices, fila 1, columna «estado»: columna desconocida",
        "columna «state_code»: falta una columna obligatoria",
    )
    assert {p.column for p in err.problems} >= {"estado", "state_code", "sostenibilidad"}


def test_wrong_types_unknown_state_and_duplicates_are_all_reported_at_once(report, tmp_path):
    path = tmp_path / "varios.xlsx"
    path.write_bytes(
        _practices_xlsx(
            [
                _practice(number="doce"),
                _practice(state_code="MX-ATL", number=5),
                _practice(number=99),
                _practice(number=99),
                _practice(number=98, sostenibilidad="quizas", dimensions="origen;marte"),
            ]
        )
    )
    err = _refused(
        path,
        "fila 2, columna «number»: «doce» no es un número entero",
        "fila 3, columna «state_code»: estado desconocido «MX-ATL»",
        "fila 5, columna «number»: práctica repetida oaxaca-99 (ya en la fila 4)",
        "fila 6, columna «sostenibilidad»: valor «quizas» no permitido",
        "dimensión desconocida: marte",
    )
    assert len(err.problems) == 5


def test_truncated_xlsx_is_refused(report, tmp_path):
    path = tmp_path / "truncado.xlsx"
    path.write_bytes(template_workbook()[:3000])
    _refused(path, "truncado.xlsx", "truncado o dañado")


def test_wrong_encoding_names_the_line(report, tmp_path):
    path = tmp_path / "latin1.csv"
    text = table_csv([_practice(), _practice(number=98, title="Atención a niñas")], "practices").decode(
        "utf-8-sig"
    )
    path.write_bytes(text.encode("latin-1"))
    _refused(path, "latin1.csv, fila 2", "no está en UTF-8", "CSV UTF-8")


def test_a_50_mb_file_is_refused_before_reading(report, tmp_path):
    path = tmp_path / "enorme.csv"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    _refused(path, "enorme.csv", "pesa 50.0 MB y el límite es 10 MB")


def test_wrong_type_in_indicators_and_unknown_document(report, tmp_path):
    path = tmp_path / "cifras.csv"
    path.write_text(
        "state_code,document,key,value,unit\nMX-OAX,informe-x,total_population,cuatro,personas\n",
        encoding="utf-8",
    )
    _refused(
        path,
        "indicators, fila 2, columna «value»: «cuatro» no es un número",
        "columna «document»: documento desconocido «informe-x»",
    )


def test_valid_csv_template_creates_a_practice_and_dry_run_writes_nothing(report, tmp_path):
    path = tmp_path / "nueva.csv"
    path.write_bytes(table_csv([_practice()], "practices"))
    before = _snapshot()
    dry = import_file(path, dry_run=True)
    assert dry.practices.created == 1 and dry.practices.changed_ids == ["oaxaca-99"]
    assert _snapshot() == before
    result = import_file(path)
    assert result.practices.created == 1
    data = json.loads(_snapshot())
    new = next(p for p in data["practices"] if p["id"] == "oaxaca-99")
    assert new["criteria_met"] == 3 and new["dimensions"] == ["origen", "retorno"]
    assert import_file(path).practices.unchanged == 1  # idempotent


def test_exported_xlsx_imports_back_without_changes(report, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(export_bytes(fmt="xlsx", filters=PracticeFilters())[0])
    result = import_file(path, dry_run=True)
    assert result.practices.created == result.practices.updated == 0
    assert result.practices.unchanged == 44 and result.panoramas.updated == 0


def test_an_editor_cannot_import_for_a_state_it_does_not_edit(report, tmp_path, django_user_model):
    user = django_user_model.objects.create_user("editora", password="x" * 12)
    path = tmp_path / "otra.csv"
    path.write_bytes(table_csv([_practice()], "practices"))
    with pytest.raises(ImportFileError) as err:
        import_file(path, user=user)
    assert "MX-OAX" in str(err.value) and err.value.problems[0].column == "state_code"


def test_round_trip_export_import_into_an_empty_database_export_again_is_identical(report, tmp_path):
    first = _snapshot()
    path = tmp_path / "todo.json"
    path.write_bytes(first)
    env = {
        **os.environ,
        "BUENASPRACTICAS_DATA_DIR": str(tmp_path / "vacia"),
        "DJANGO_SETTINGS_MODULE": "buenaspracticas.settings",
    }
    env.pop("DATABASE_URL", None)

    def run(*args):
        result = subprocess.run(
            [sys.executable, "-m", "buenaspracticas.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "prácticas: 44 creados" in run("import", str(path))
    run("export", "--format", "json", "--out", str(tmp_path / "otra.json"))
    assert (tmp_path / "otra.json").read_bytes() == first


def test_imported_changes_enter_the_practice_history_with_the_file_as_reason(report, tmp_path):
    from buenaspracticas.curation.models import HistoryEntry

    path = tmp_path / "nueva-oaxaca.csv"
    path.write_bytes(table_csv([_practice()], "practices"))
    import_file(path)
    entries = HistoryEntry.objects.filter(practice__public_id="oaxaca-99")
    assert [e.reason for e in entries] == ["Importado de nueva-oaxaca.csv"]
    import_file(path)  # unchanged: no new entry
    assert HistoryEntry.objects.filter(practice__public_id="oaxaca-99").count() == 1


def _editor(django_user_model, state_code: str):
    from buenaspracticas.curation.accounts import account_create

    return account_create(
        username="editora-oax", password="clave-segura-2026", role="editor", state_code=state_code
    )


def test_an_editor_importing_a_published_ficha_opens_a_revision_and_the_public_version_stays(
    report, tmp_path, django_user_model
):
    from django.test import Client

    user = _editor(django_user_model, "MX-OAX")
    public = Client().get("/api/v1/practices/oaxaca-1").json()
    row = _practice(number=1, title="TÍTULO PROPUESTO POR LA OFICINA")
    path = tmp_path / "oaxaca-1.csv"
    path.write_bytes(table_csv([row], "practices"))
    result = import_file(path, user=user)
    assert result.practices.changed_ids == ["oaxaca-1"]
    assert Client().get("/api/v1/practices/oaxaca-1").json()["title"] == public["title"]
    from buenaspracticas.curation.models import Revision

    assert (
        Revision.objects.get(practice__public_id="oaxaca-1").data["title"]
        == "TÍTULO PROPUESTO POR LA OFICINA"
    )


def test_an_operator_import_of_a_practice_meeting_fewer_than_3_criteria_is_not_published(report, tmp_path):
    from django.test import Client

    row = _practice(number=98)
    for c in ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia"):
        row[c] = "not_met"
    path = tmp_path / "debil.csv"
    path.write_bytes(table_csv([row], "practices"))
    import_file(path)
    assert Client().get("/api/v1/practices/oaxaca-98").status_code == 404
