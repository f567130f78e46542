"""Offline package: one zip with the SQLite database, CSV/JSON, the data package and static HTML fichas."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest

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
    assert 'href="oaxaca-2.html"' in index and "/static/" not in index
    assert not re.search(r'(?:href|src)="(?:https?:)?//', index)  # nothing from the network
    with sqlite3.connect(tmp_path / "x" / "buenaspracticas.sqlite3") as db:
        tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    assert tables


def _offline_members(tmp_path) -> dict[str, bytes]:
    path = offline_zip(out=tmp_path / "offline.zip")
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_offline_index_searches_every_practice_from_bundled_scripts(report, tmp_path):
    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.text_case import display_title

    members = _offline_members(tmp_path)
    assert {"html/buscar.js", "html/indice.js"} <= set(members)
    script = members["html/indice.js"].decode("utf-8")
    prefix = "window.BUENASPRACTICAS_INDICE = "
    assert script.startswith(prefix)
    entries = json.loads(script[len(prefix) :].strip().rstrip(";"))
    assert len(entries) == 44 == Practice.objects.count()
    assert json.loads(members["html/indice.json"]) == entries
    assert {"id", "title", "state", "institution", "population", "text"} <= set(entries[0])
    oaxaca2 = next(e for e in entries if e["id"] == "oaxaca-2")
    practice = Practice.objects.get(public_id="oaxaca-2")
    assert oaxaca2["title"] == display_title({"title": practice.title}) and oaxaca2["state"] == "Oaxaca"
    assert "http" not in members["html/buscar.js"].decode("utf-8")

    index = members["html/index.html"].decode("utf-8")
    assert '<script src="indice.js"></script>' in index and '<script src="buscar.js"></script>' in index
    assert re.search(r'<label for="q">[^<]+</label>\s*<input type="search" id="q"', index)


def test_offline_states_are_sorted_by_name_with_charts_and_unbroken_figures(report, tmp_path):
    from buenaspracticas.reference import fold

    members = _offline_members(tmp_path)
    index = members["html/index.html"].decode("utf-8")
    names = re.findall(r'<h3><a href="[a-z-]+\.html">([^<]+)</a></h3>', index)
    assert len(names) >= 10 and names == sorted(names, key=fold)
    assert names.index("Baja California") < names.index("Oaxaca") < names.index("Yucatán")
    state = members["html/oaxaca.html"].decode("utf-8")
    assert "<svg" in state
    assert "white-space: nowrap" in state and '<td class="num">' in state
    assert re.search(r'<td class="nowrap">[^<]*\d{4}[^<]*</td>', state)


def test_offline_index_has_the_map_with_relative_links_to_the_states_it_holds(report, tmp_path):
    index = _offline_members(tmp_path)["html/index.html"].decode("utf-8")
    svg = re.search(r'<svg class="mx-map".*?</svg>', index, re.S).group(0)
    assert len(re.findall(r"<path ", svg)) == 32  # every state drawn
    # Oaxaca holds five practices in the report (cuadro 19, numbered 1 to 5 at lines 4468-4952): a link to
    # its page in the package, labelled with its count.
    assert re.search(
        r'<a href="oaxaca\.html" aria-label="Oaxaca: 5 prácticas"><path [^>]*data-state="MX-OAX"', svg
    )
    # Sonora is only named in passing (line 270): drawn, with no practice and no link to a missing page.
    sonora = re.search(r'(<a [^>]*>)?<path [^>]*data-state="MX-SON"[^>]*>', svg)
    assert sonora.group(1) is None and 'data-count="0"' in sonora.group(0)
    assert 'href="/' not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


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


# Values read by hand from the report text (data/informe-buenas-practicas-oim-conofam.txt), line numbers
# 1-based: the fichas of Baja California (CUADRO 2) and Estado de México (CUADRO 15), and Baja California's
# panorama (CUADRO 1).
_REPORT_FACTS = {
    412: "Población total Cuenta con un total de 3 769 020 personas habitantes",
    655: "INSTITUCIÓN QUE COORDINA: Subsecretaría de Asuntos Migratorios del Estado de Baja California",
    1002: "Sostenibilidad ✘ Asociación ✔ Innovación ✔ Replicabilidad ✔ Eficacia ✔",
    4029: "Sostenibilidad ✔ Asociación ✔ Innovación ✘ Replicabilidad ✔ Eficacia ✘",
}
_FORBIDDEN_PREFIXES = ("auth_", "django_", "curation_", "axes_")
_DRAFT_TITLE = "BORRADOR CONFIDENCIAL DE PRUEBA 7731"
_REVISION_TEXT = "Texto de revisión pendiente que nadie debe ver 5519."
_MESSAGE_BODY = "Mensaje interno de la evaluación que no se publica 2287."


def _private_activity(django_user_model) -> dict[str, str]:
    """Create, besides the loaded report, everything that must stay out of a published package; return the
    secrets to look for."""
    from django.test import Client

    from buenaspracticas.catalog.models import Practice
    from buenaspracticas.curation import services
    from buenaspracticas.curation.models import ApiToken

    editor = services.account_create(
        username="oax-offline", role="editor", state_code="MX-OAX", password="una-clave-larga-7391"
    )
    client = Client()
    client.force_login(editor)
    session_key = client.cookies["sessionid"].value
    token = services.token_create(username=editor.username)
    token_hash = ApiToken.objects.get(user=editor).key_hash
    services.practice_draft_create(user=editor, state_code=None, data={"title": _DRAFT_TITLE})
    services.practice_edit(
        user=editor,
        practice_id="oaxaca-1",
        data={"description": _REVISION_TEXT},
        expected_version=Practice.objects.get(public_id="oaxaca-1").version,
    )
    services.message_post(user=editor, practice_id="oaxaca-1", body=_MESSAGE_BODY)
    password_hash = django_user_model.objects.get(pk=editor.pk).password
    secrets = {
        "session key": session_key,
        "token": token,
        "token hash": token_hash,
        "password hash": password_hash,
        "draft title": _DRAFT_TITLE,
        "revision text": _REVISION_TEXT,
        "message body": _MESSAGE_BODY,
    }
    assert all(secrets.values())
    return secrets


@pytest.mark.django_db(transaction=True)  # outside a transaction, as `buenaspracticas offline` runs
def test_offline_database_holds_only_published_records_with_readable_views(
    report, django_user_model, tmp_path
):
    lines = Path(report).read_text(encoding="utf-8").splitlines()
    for number, text in _REPORT_FACTS.items():
        assert lines[number - 1].startswith(text), number
    published_fichas = sum(1 for line in lines if line.startswith("INSTITUCIÓN QUE COORDINA"))
    secrets = _private_activity(django_user_model)

    path = offline_zip(out=tmp_path / "offline.zip")
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    for name, content in members.items():
        for what, secret in secrets.items():
            assert secret.encode() not in content, f"{what} in {name}"
    db_file = tmp_path / "buenaspracticas.sqlite3"
    db_file.write_bytes(members["buenaspracticas.sqlite3"])
    db = sqlite3.connect(db_file)
    try:
        objects = dict(db.execute("select name, type from sqlite_master where type in ('table', 'view')"))
        leaked = [n for n in objects if n.lower().startswith(_FORBIDDEN_PREFIXES)]
        assert not leaked
        for name in objects:
            for row in db.execute(f'select * from "{name}"'):
                for value in row:
                    if isinstance(value, str | bytes):
                        text = value if isinstance(value, str) else value.decode("utf-8", "replace")
                        for what, secret in secrets.items():
                            assert secret not in text, f"{what} in {name}"
        assert {objects.get(v) for v in ("practicas", "valoraciones", "indicadores")} == {"view"}

        db.row_factory = sqlite3.Row
        assert db.execute("select count(*) from practicas").fetchone()[0] == published_fichas == 44
        bc2 = db.execute("select * from practicas where id = 'baja-california-2'").fetchone()
        assert bc2["codigo_estado"] == "MX-BCN" and bc2["estado"] == "Baja California"
        assert bc2["region"] == "norte" and bc2["numero"] == 2
        assert bc2["titulo"] == "REGISTRO ESTATAL DE PERSONAS MIGRANTES Y PROGRAMA DE CREDENCIALIZACIÓN"
        assert bc2["institucion"] == "Subsecretaría de Asuntos Migratorios del Estado de Baja California"
        assert bc2["criterios_cumplidos"] == 5 and bc2["buena_practica"] == 1
        assert bc2["documento_fuente"] == "informe-buenas-practicas-oim-conofam"
        assert bc2["primera_linea"] <= 655 <= bc2["ultima_linea"]

        def verdicts(practice_id: str) -> dict[str, str]:
            rows = db.execute(
                "select criterio, valoracion, estado, titulo from valoraciones where practica = ?",
                [practice_id],
            ).fetchall()
            return {r["criterio"]: r["valoracion"] for r in rows}

        assert verdicts("baja-california-5") == {
            "sostenibilidad": "not_met",
            "asociacion": "met",
            "innovacion": "met",
            "replicabilidad": "met",
            "eficacia": "met",
        }
        mex2 = verdicts("estado-de-mexico-2")
        assert mex2["innovacion"] == mex2["eficacia"] == "not_met" and mex2["sostenibilidad"] == "met"
        row = db.execute(
            "select estado, titulo, criterio_nombre, valoracion_texto from valoraciones"
            " where practica = 'baja-california-5' and criterio = 'sostenibilidad'"
        ).fetchone()
        assert row["estado"] == "Baja California" and row["titulo"].startswith("APOYO DIRECTO A PERSONAS")
        assert row["criterio_nombre"] == "Sostenibilidad" and row["valoracion_texto"] == "No cumple"
        assert db.execute("select count(*) from valoraciones").fetchone()[0] == 5 * published_fichas

        population = db.execute(
            "select * from indicadores where codigo_estado = 'MX-BCN' and clave = 'total_population'"
        ).fetchone()
        assert population["estado"] == "Baja California" and population["valor"] == 3_769_020
        assert population["linea"] == 412 and population["unidad"] == "personas"
        assert population["periodo"] and population["fuente"]
        states = {r[0] for r in db.execute("select distinct estado from indicadores")}
        assert {"Baja California", "Oaxaca", "Yucatán"} <= states
    finally:
        db.close()
