"""Offline package: one zip with the SQLite database, CSV/JSON, the data package and static HTML fichas."""

from __future__ import annotations

import sqlite3
import zipfile

from buenaspracticas.reports.offline import offline_zip


def test_offline_zip_holds_database_data_package_and_fichas_that_open_without_a_server(report, tmp_path):
    path = offline_zip(out=tmp_path / "offline.zip")
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "x")
    assert {
        "buenaspracticas.sqlite3",
        "buenaspracticas.json",
        "csv/practices.csv",
        "datapackage/datapackage.json",
        "html/index.html",
        "html/oaxaca-2.html",
        "html/oaxaca.html",
    } <= names
    index = (tmp_path / "x" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="oaxaca-2.html"' in index and "http://" not in index and "/static/" not in index
    with sqlite3.connect(tmp_path / "x" / "buenaspracticas.sqlite3") as db:
        tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    assert tables


def test_import_page_requires_sign_in_and_lists_every_problem(report, client, django_user_model):
    assert client.get("/importar/").status_code == 302
    admin = django_user_model.objects.create_superuser("jefa", "j@example.org", "x" * 12)
    client.force_login(admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from buenaspracticas.reports.exports import table_csv

    row = {
        "state_code": "MX-ATL",
        "number": "uno",
        "title": "T",
        "status": "active",
        "sostenibilidad": "met",
        "asociacion": "met",
        "innovacion": "met",
        "replicabilidad": "met",
        "eficacia": "met",
    }
    bad = SimpleUploadedFile("malo.csv", table_csv([row], "practices"))
    response = client.post("/importar/", {"archivo": bad, "simular": "1"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "estado desconocido «MX-ATL»" in text and "«uno» no es un número entero" in text
