"""The offline package: one zip with an SQLite database, the CSV/JSON exports, the data package and static
HTML fichas that open in a browser without a server, so the knowledge survives without the site. The HTML
has the map of the home page and the state charts as static SVG and a client-side search (html/buscar.js
over html/indice.js) that works from file://, with no network.

Everything in it is built from the public export of the published records; the live database (accounts,
sessions, tokens, drafts, revisions, review threads) is never copied."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.reference import fold
from buenaspracticas.reports.datapackage import datapackage_files
from buenaspracticas.reports.exports import bundle_json, formula_guard_note, table_csv, workbook_bytes
from buenaspracticas.reports.public_sqlite import public_sqlite_write
from buenaspracticas.reports.selectors import data_date, export_bundle
from buenaspracticas.reports.tables import bundle_tables
from buenaspracticas.text_case import display_title
from buenaspracticas.web.charts import charts_for_state
from buenaspracticas.web.map import legend, map_svg
from buenaspracticas.web.presenters import panorama_rows, practice_view

SEARCH_SCRIPT = Path(__file__).parent / "templates" / "reports" / "offline" / "buscar.js"
INDEX_GLOBAL = "BUENASPRACTICAS_INDICE"


def search_index(practices: list[dict]) -> list[dict[str, str]]:
    """Return the offline search index: one entry per practice (id, title, state, institution, population,
    text), in the order the index page lists them."""
    return [
        {
            "id": p["id"],
            "title": display_title(p),
            "state": p["state"]["name"],
            "institution": p["institution"] or "",
            "population": p["target_population"] or "",
            "text": p["description"] or "",
        }
        for p in practices
    ]


def _index_script(entries: list[dict[str, str]]) -> str:
    # A script that sets a global, not a JSON file: browsers block fetch() of file:// URLs.
    return f"window.{INDEX_GLOBAL} = {json.dumps(entries, ensure_ascii=False)};\n"


def _html_files(bundle: dict) -> dict[str, bytes]:
    practices = [practice_view(p) for p in bundle["practices"]]
    states = []
    for s in sorted(bundle["states"], key=lambda s: fold(s["name"])):
        mine = [p for p in practices if p["state"]["code"] == s["code"]]
        states.append(
            {
                **s,
                "rows": panorama_rows(s.get("indicators") or []),
                "practice_views": mine,
                "charts": [c for c in charts_for_state(s) if c["svg"]],
            }
        )
    listed = [p for s in states for p in s["practice_views"]]
    common = {"data_date": data_date(), "version": bundle["version"]}
    per_state = {s["code"]: len(s["practice_views"]) for s in states}
    pages = {s["code"]: f"{s['slug']}.html" for s in states}
    index = {
        **common,
        "states": states,
        # The home page's map, each state with a page in the package a relative link to it.
        "map_svg": map_svg(per_state, href=lambda state: pages.get(state.code)),
        "legend": legend(per_state),
    }
    files = {"html/index.html": render_to_string("reports/offline/index.html", index)}
    for p in practices:
        files[f"html/{p['id']}.html"] = render_to_string("reports/offline/practice.html", {**common, "p": p})
    for s in states:
        files[f"html/{s['slug']}.html"] = render_to_string("reports/offline/state.html", {**common, "s": s})
    entries = search_index(listed)
    files["html/indice.json"] = json.dumps(entries, ensure_ascii=False, indent=1) + "\n"
    files["html/indice.js"] = _index_script(entries)
    files["html/buscar.js"] = SEARCH_SCRIPT.read_text(encoding="utf-8")
    return {k: v.encode("utf-8") for k, v in files.items()}


def offline_zip(*, out: Path) -> Path:
    """Write the offline package of the whole published catalogue to `out`; return it."""
    bundle = export_bundle(filters=PracticeFilters())
    tables = bundle_tables(bundle)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        db = Path(tmp) / "buenaspracticas.sqlite3"
        public_sqlite_write(path=db, tables=tables)
        zf.write(db, "buenaspracticas.sqlite3")
        zf.writestr("buenaspracticas.json", bundle_json(bundle))
        zf.writestr("buenaspracticas.xlsx", workbook_bytes(tables))
        for table, rows in tables.items():
            zf.writestr(f"csv/{table}.csv", table_csv(rows, table))
        for path, content in datapackage_files(bundle).items():
            zf.writestr(f"datapackage/{path}", content)
        for path, content in _html_files(bundle).items():
            zf.writestr(path, content)
        zf.writestr(
            "LEAME.txt",
            _(
                "Paquete sin conexión de buenaspracticas. Abra html/index.html en un navegador. "
                "buenaspracticas.sqlite3 es la base de datos de lo publicado, con las vistas "
                "practicas, valoraciones e indicadores; csv/ y buenaspracticas.json, los "
                "datos abiertos; datapackage/ el paquete Frictionless (valídelo con «frictionless "
                "validate datapackage/datapackage.json»)."
            )
            + "\n"
            + formula_guard_note()
            + "\n",
        )
    return out
