"""Consent holds on every front door: one table of reader × route. Oaxaca's interview has one excerpt at
each level (public, evaluators, coordinators), each with a word found nowhere else; its findings row cites
all three. A visitor and an editor (of Oaxaca itself) read only the public one by any route; an evaluator
also the evaluators' one, never the coordination's; published artefacts (state page, PDF, exports, data and
offline packages) carry only the public one whoever asks; search and history carry none of them."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest

from tests.accounts import bearer
from tests.evidence.conftest import MARKERS

pytestmark = pytest.mark.django_db

READERS = ("visitor", "editor", "evaluator", "coordinator")
P, E, C = "public", "evaluators", "coordinators"
BY_LEVEL = {"visitor": {P}, "editor": {P}, "evaluator": {P, E}, "coordinator": {P, E, C}}
PUBLIC = {r: {P} for r in READERS}
NOTHING = {r: set() for r in READERS}

# route → reader → the excerpts (by consent level) whose text the reader gets there.
TABLE = {
    "api: interview list": BY_LEVEL,
    "api: interview detail": BY_LEVEL,
    "api: state findings": BY_LEVEL,
    "page: state interviews": BY_LEVEL,
    "page: state findings (hallazgos)": BY_LEVEL,
    "page: new findings row form": {**BY_LEVEL, "visitor": set()},  # a visitor is sent to sign in
    "page: state": PUBLIC,
    "pdf: state": PUBLIC,
    "export: csv findings": PUBLIC,
    "export: xlsx": PUBLIC,
    "export: json": PUBLIC,
    "export: data package": PUBLIC,
    "package: offline": PUBLIC,
    "api: search": NOTHING,
    "page: search": NOTHING,
    "api: practice history": NOTHING,
    "page: practice history": NOTHING,
    "feed: changes": NOTHING,
}


def _unzip(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return b"\n".join(zf.read(name) for name in zf.namelist())


def _pdf_text(content: bytes, tmp_path) -> bytes:
    path = tmp_path / "estado.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout


def _fetch(route: str, reader: str, *, clients, tokens, evidence, tmp_path) -> bytes:
    """Return what `reader` gets from `route` (pages through their signed-in client, API with their token)."""
    client = clients["anonymous" if reader == "visitor" else reader]
    auth = {} if reader == "visitor" else bearer(tokens[reader])
    words = " ".join(MARKERS.values())
    get = {
        "api: interview list": lambda: client.get("/api/v1/interviews", {"state": "MX-OAX"}, **auth),
        "api: interview detail": lambda: client.get(f"/api/v1/interviews/{evidence['interview']}", **auth),
        "api: state findings": lambda: client.get("/api/v1/states/MX-OAX/findings", **auth),
        "page: state interviews": lambda: client.get("/estados/oaxaca/entrevistas/"),
        "page: state findings (hallazgos)": lambda: client.get("/estados/oaxaca/hallazgos/"),
        "page: new findings row form": lambda: client.get("/estados/oaxaca/hallazgos/nuevo/"),
        "page: state": lambda: client.get("/estados/oaxaca/"),
        "pdf: state": lambda: client.get("/informes/estados/oaxaca.pdf"),
        "export: csv findings": lambda: client.get("/exportar/practicas.csv", {"tabla": "findings"}),
        "export: xlsx": lambda: client.get("/exportar/practicas.xlsx"),
        "export: json": lambda: client.get("/exportar/practicas.json"),
        "export: data package": lambda: client.get("/exportar/datapackage.zip"),
        "api: search": lambda: client.get("/api/v1/practices", {"q": "padrón presupuesto albergue"}, **auth),
        "page: search": lambda: client.get("/practicas/", {"q": "padrón presupuesto albergue"}),
        "api: practice history": lambda: client.get("/api/v1/practices/oaxaca-1/history", **auth),
        "page: practice history": lambda: client.get("/practicas/oaxaca-1/historial/"),
        "feed: changes": lambda: client.get("/novedades.atom"),
    }
    if route == "package: offline":
        from buenaspracticas.reports.offline import offline_zip

        return _unzip(offline_zip(out=tmp_path / "offline.zip").read_bytes())
    response = get[route]()
    assert response.status_code in (200, 302), (route, reader, response.status_code)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if route == "pdf: state":
        return _pdf_text(content, tmp_path)
    if route in ("export: xlsx", "export: data package"):
        return _unzip(content)
    assert words not in content.decode("utf-8", "replace") or route.startswith("page: search")
    return content


@pytest.mark.parametrize("route", list(TABLE))
def test_each_reader_gets_only_the_excerpts_their_consent_level_allows(
    route, clients, tokens, evidence, tmp_path
):
    for reader in READERS:
        if route == "package: offline" and reader != "visitor":
            continue  # built by the operator's CLI for everyone: one package, whoever reads it
        content = _fetch(route, reader, clients=clients, tokens=tokens, evidence=evidence, tmp_path=tmp_path)
        seen = {level for level, marker in MARKERS.items() if marker.encode() in content}
        assert seen == TABLE[route][reader], (route, reader)


def test_searching_for_an_excerpts_words_finds_nothing(client, tokens, evidence):
    for marker in MARKERS.values():
        for auth in ({}, bearer(tokens["coordinator"])):
            assert client.get("/api/v1/practices", {"q": marker}, **auth).json()["count"] == 0
