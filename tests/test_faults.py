"""The site never blocks and never half-writes, on a real database served by `buenaspracticas serve`:

- While a bulk import (`buenaspracticas synth`, batches of 100 in their own transactions) writes, and right
  after it, several clients search the API and the pages and save (assessments of published practices;
  new drafts once the import is done) at once: every answer is a success, every draft is in the database.
- A SIGKILL in the middle of an import leaves a consistent database (SQLite's integrity check passes; only
  whole batches are there, each practice with its five criteria, dimensions and search entry) and the same
  import then runs to completion.

The five criteria are the report's (informe, lines 82-83: "sostenibilidad, asociación, innovación,
replicabilidad y eficacia"). SQLite always; PostgreSQL too when DATABASE_URL points to one."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.served_site import BASE_PRACTICES, PG_URL, new_site

CRITERIA_PER_PRACTICE = 5  # informe, lines 82-83
QUERIES = ["migrantes", "retorno", "salud", "albergue", "documentos de identidad", "empleo"]
STATES = ["MX-OAX", "MX-JAL", "MX-CHP", "MX-MIC", "MX-ZAC", "MX-GRO"]
CLIENTS = 6


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("DATABASE_URL does not point to PostgreSQL")
    with new_site(request.param, tmp_path_factory.mktemp(f"faults-{request.param}")) as site:
        yield site


def call(base: str, path: str, *, method: str = "GET", body: dict | None = None, token: str = ""):
    """Return the status of one request (0 when the connection failed or timed out) and its JSON or None."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            kind = response.headers.get("Content-Type", "")
            return response.status, json.loads(raw) if kind.startswith("application/json") else None
    except urllib.error.HTTPError as error:
        return error.code, error.read()[:300]
    except OSError as error:
        return 0, repr(error)


def _synthetic(site, seed: int) -> str:
    return f"""(SELECT id FROM catalog_sourcedocument WHERE slug = 'synthetic-{seed}')"""


def consistency(site, seed: int) -> dict:
    """Count what an interrupted import could leave half-written, for the practices of one synthetic seed."""
    doc = _synthetic(site, seed)
    mine = f"SELECT id FROM catalog_practice WHERE source_document_id = {doc}"
    (practices,) = site.sql(f"SELECT COUNT(*) FROM catalog_practice WHERE source_document_id = {doc}")[0]
    wrong_criteria = site.sql(
        f"SELECT COUNT(*) FROM ({mine}) p WHERE (SELECT COUNT(*) FROM catalog_assessment a "
        f"WHERE a.practice_id = p.id) <> {CRITERIA_PER_PRACTICE}"
    )[0][0]
    no_dimension = site.sql(
        f"SELECT COUNT(*) FROM ({mine}) p WHERE NOT EXISTS "
        "(SELECT 1 FROM catalog_practicedimension d WHERE d.practice_id = p.id)"
    )[0][0]
    not_indexed = site.sql(
        f"SELECT COUNT(*) FROM ({mine}) p WHERE NOT EXISTS "
        "(SELECT 1 FROM search_searchrow r WHERE r.practice_id = p.id)"
    )[0][0]
    return {
        "practices": practices,
        "wrong_criteria": wrong_criteria,
        "no_dimension": no_dimension,
        "not_indexed": not_indexed,
    }


def integrity(site) -> str:
    if site.engine == "sqlite":
        return site.sql("PRAGMA integrity_check")[0][0]
    return "ok"  # PostgreSQL's own WAL recovery; the consistency counts above are the check there


def _client(base: str, token: str, n: int, importing, stop: threading.Event) -> dict:
    """One client: search, browse and save in turn until told to stop (at most 30 rounds). While the import
    runs it saves assessments of published practices; after it, new drafts too (`synth` numbers its practices
    when it starts, so a draft created in the middle could take a number it is about to use)."""
    errors, saves, overlapped, rounds = [], [], 0, 0
    published = None
    while not stop.is_set() and rounds < 30:
        rounds += 1
        query = urllib.parse.quote(QUERIES[(n + rounds) % len(QUERIES)])
        region = "&region=norte" if rounds % 3 == 0 else ""
        for path in (f"/api/v1/practices?q={query}&limit=20{region}", f"/practicas/?q={query}"):
            status, body = call(base, path)
            if status != 200:
                errors.append((path, status, body))
            elif path.startswith("/api/") and published is None and body["items"]:
                published = body["items"][-1]["id"]
        if published:
            during = importing()
            verdict = "met" if rounds % 2 else "not_met"
            status, body = call(
                base,
                f"/api/v1/practices/{published}/criteria/eficacia",
                method="PUT",
                token=token,
                body={"verdict": verdict, "evidence": f"Ronda {rounds}.", "reason": "Prueba de carga"},
            )
            if status == 200:
                overlapped += during
            else:
                errors.append(("PUT criteria", status, body))
        if not importing():
            title = f"Red de atención {n}-{rounds}"
            status, body = call(
                base,
                "/api/v1/practices",
                method="POST",
                token=token,
                body={"state": STATES[n % len(STATES)], "title": title, "description": "Prueba de carga."},
            )
            if status == 201:
                saves.append(title)
            else:
                errors.append(("POST /api/v1/practices", status, body))
    return {"errors": errors, "saves": saves, "overlapped": overlapped}


def test_searches_and_saves_during_and_after_a_bulk_import_never_fail(site):
    log = site.data_dir / "import.log"
    with site.serving(workers=2) as base, open(log, "w") as out:
        importer = site.popen(
            "synth", "--practices", "400", "--seed", "21", "--batch", "100", "--force",
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        stop = threading.Event()
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [
                pool.submit(_client, base, site.token, n, lambda: importer.poll() is None, stop)
                for n in range(CLIENTS)
            ]
            try:
                imported = importer.wait(timeout=300)
                time.sleep(3)  # and some rounds after the import, when its practices are searched for
            finally:
                stop.set()
            results = [f.result(timeout=120) for f in futures]
    assert imported == 0, log.read_text()[-3000:]
    errors = [e for r in results for e in r["errors"]]
    saves = [s for r in results for s in r["saves"]]
    assert errors == []
    assert sum(r["overlapped"] for r in results) > 0  # some saves really ran while the import wrote
    assert len(saves) >= CLIENTS
    stored = site.sql("SELECT title FROM catalog_practice WHERE workflow_state = 'draft'")
    assert sorted(t for (t,) in stored if t.startswith("Red de atención ")) == sorted(saves)
    assert consistency(site, 21) == {
        "practices": 400,
        "wrong_criteria": 0,
        "no_dimension": 0,
        "not_indexed": 0,
    }
    assert integrity(site) == "ok"


def test_a_sigkill_in_the_middle_of_an_import_leaves_a_consistent_database_and_it_runs_again(site):
    args = ("synth", "--practices", "400", "--seed", "31", "--batch", "100", "--force")
    importer = site.popen(*args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    doc = _synthetic(site, 31)
    deadline = time.monotonic() + 240
    while True:  # kill it once at least one batch is committed and before the last one
        done = site.sql(f"SELECT COUNT(*) FROM catalog_practice WHERE source_document_id = {doc}")[0][0]
        if done >= 100 or importer.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=30)
    assert importer.returncode == -signal.SIGKILL, "the import ended before it could be killed"

    assert integrity(site) == "ok"
    after_kill = consistency(site, 31)
    assert after_kill["practices"] % 100 == 0 and 100 <= after_kill["practices"] < 400
    assert after_kill | {"practices": 0} == {
        "practices": 0,
        "wrong_criteria": 0,
        "no_dimension": 0,
        "not_indexed": 0,
    }

    rerun = site.cli(*args)
    assert "400 prácticas sintéticas" in rerun.stdout
    assert integrity(site) == "ok"
    assert consistency(site, 31) == {
        "practices": after_kill["practices"] + 400,
        "wrong_criteria": 0,
        "no_dimension": 0,
        "not_indexed": 0,
    }
    # The practices the site started with are untouched.
    assert consistency(site, 1)["practices"] == BASE_PRACTICES
