"""Scale benchmark: the product against Datasette 0.65 on the same synthetic practices. For each size it
builds (and caches under var/bench/) a synthetic SQLite database with `buenaspracticas synth`, exports the
same rows to a plain table with FTS5 for Datasette (installed into its own venv), serves both, and drives
each with `wrk -t2 -c8 -d30s --timeout 2s` over the same 10 text queries, a region filter on one request in
three. The product runs as served (its response cache on), with the response cache off (every request
searches: the database's own speed), and on PostgreSQL (a database `bench_<size>_<seed>` built the same
way in the local cluster) when `--engines` names it. Prints and writes req/s, p50/p95, timeouts, server
RSS and the ratios to benchmarks/results/scale.json.

    python benchmarks/scale.py [--sizes 1000,10000,100000] [--duration 30] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
VENV_BIN = Path(sys.executable).parent
QUERIES = [
    "migrantes",
    "retorno",
    "albergue",
    "salud",
    "empleo",
    "documentos de identidad",
    "niñas niños adolescentes",
    "repatriados",
    "asesoría jurídica",
    "reunificación familiar",
]
REGIONS = ["norte", "occidente", "centro", "sur-sureste"]
LUA = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT {\\"requests\\": %%d, \\"seconds\\": %%f, "
    .. "\\"p50_ms\\": %%f, \\"p95_ms\\": %%f, "
    .. "\\"timeouts\\": %%d, \\"non2xx\\": %%d, \\"connect_errors\\": %%d}\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.timeout, summary.errors.status, summary.errors.connect))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "BUENASPRACTICAS_DATA_DIR": str(BENCH / "data"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    }


def searcher_env(engine: str, size: int, work: Path, seed: int = 1) -> dict:
    """Return the environment of a process that searches the cached synthetic catalogue of this size on this
    engine, lexical only (as the servers here run): on SQLite a copy under work (the cached database stays
    as built), on PostgreSQL the `bench_<size>_<seed>` database itself."""
    if engine == "postgresql":
        url = _postgres_url(size, seed)
    else:
        db, _ = build_product_db(size, seed)
        shutil.copy(db, work / db.name)
        url = f"sqlite:///{work / db.name}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "BUENASPRACTICAS_EMBEDDER": "none",
        "BUENASPRACTICAS_DATA_DIR": str(work / "data"),
        "DEBUG": "0",
    }


def build_product_db(size: int, seed: int) -> tuple[Path, float | None]:
    """Return the cached synthetic database for a size (built now if missing) and its build seconds."""
    db = BENCH / f"scale-{size}-{seed}.sqlite3"
    if db.exists():
        return db, None
    partial = db.with_suffix(".partial")
    for leftover in BENCH.glob(partial.name + "*"):
        leftover.unlink()
    env = {**_env(partial), "BUENASPRACTICAS_EMBEDDER": "none"}
    started = time.monotonic()
    subprocess.run(
        [str(VENV_BIN / "buenaspracticas"), "migrate"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [
            str(VENV_BIN / "buenaspracticas"),
            "synth",
            "--practices",
            str(size),
            "--seed",
            str(seed),
            "--batch",
            "2000",
        ],
        env=env,
        check=True,
    )
    seconds = time.monotonic() - started
    with sqlite3.connect(partial) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(db)
    for leftover in BENCH.glob(partial.name + "-*"):  # the emptied -wal and -shm of the partial file
        leftover.unlink()
    return db, seconds


def _postgres_url(size: int, seed: int) -> str:
    """Return the URL of the cached PostgreSQL database for a size, built now (migrate + synth) if missing
    or left partial by an interrupted build."""
    base = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()
    name = f"bench_{size}_{seed}"
    url = base.rsplit("/", 1)[0] + "/" + name

    def psql(sql: str) -> str:
        return subprocess.run(
            ["su", "postgres", "-c", f'psql -qAt -d {name} -c "{sql}"'], capture_output=True, text=True
        ).stdout.strip()

    if psql("SELECT count(*) FROM catalog_practice") == str(size):
        return url
    owner = base.split("://", 1)[1].split(":", 1)[0]
    subprocess.run(["su", "postgres", "-c", f"dropdb --if-exists {name}"], check=True)
    subprocess.run(["su", "postgres", "-c", f"createdb -O {owner} {name}"], check=True)
    env = {**_env(Path("unused")), "DATABASE_URL": url, "BUENASPRACTICAS_EMBEDDER": "none"}
    binary = str(VENV_BIN / "buenaspracticas")
    subprocess.run([binary, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [binary, "synth", "--practices", str(size), "--seed", str(seed), "--batch", "2000"],
        env=env,
        check=True,
    )
    return url


def build_datasette_db(product_db: Path, datasette_bin: Path) -> Path:
    """Export the published practices to a plain table with FTS5 (sqlite-utils), cached beside it."""
    out = product_db.with_name(product_db.stem + "-datasette.db")
    if out.exists():
        return out
    partial = out.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(product_db)
    rows = src.execute(
        "SELECT p.public_id, p.title, s.code, s.name, r.slug, p.status, COALESCE(i.name, ''),"
        " p.target_population, p.description FROM catalog_practice p"
        " JOIN catalog_state s ON s.id = p.state_id"
        " JOIN catalog_region r ON r.id = s.region_id"
        " LEFT JOIN catalog_institution i ON i.id = p.institution_id"
        " WHERE p.workflow_state = 'published'"
    ).fetchall()
    dst = sqlite3.connect(partial)
    dst.execute(
        "CREATE TABLE practices (id TEXT PRIMARY KEY, title TEXT, state_code TEXT, state TEXT, region TEXT,"
        " status TEXT, institution TEXT, target_population TEXT, description TEXT)"
    )
    dst.executemany("INSERT INTO practices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    for column in ("region", "state", "status"):
        dst.execute(f"CREATE INDEX practices_{column} ON practices ({column})")
    dst.commit()
    dst.close()
    subprocess.run(
        [
            str(datasette_bin.with_name("sqlite-utils")),
            "enable-fts",
            str(partial),
            "practices",
            "title",
            "institution",
            "target_population",
            "description",
            "--fts5",
        ],
        check=True,
    )
    partial.rename(out)
    return out


def datasette_venv() -> Path:
    """Return the datasette executable of the benchmark's own venv (created with pip when missing)."""
    venv = BENCH / "datasette-venv"
    binary = venv / "bin" / "datasette"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "datasette==0.65.*", "sqlite-utils"], check=True
        )
    return binary


def _wait(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def _wait_or_stop(proc: subprocess.Popen, url: str) -> None:
    """Wait for a server to answer; stop it (and fail) if it never does, so no server is left behind."""
    try:
        _wait(url)
    except RuntimeError:
        proc.terminate()
        proc.wait(timeout=30)
        raise


def _rss_mb(pid: int) -> float:
    """Return the summed RSS of a process and its children, in MB."""
    total, pids = 0, [pid]
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    pids += [int(c) for c in children]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def _paths(kind: str) -> list[str]:
    out = []
    for n, query in enumerate(QUERIES * 3):
        region = REGIONS[n % len(REGIONS)] if n % 3 == 2 else None
        q = urllib.parse.quote(query)
        if kind == "product":
            out.append(f"/api/v1/practices?q={q}&limit=20" + (f"&region={region}" if region else ""))
        else:
            out.append(
                f"/bench/practices.json?_search={q}&_facet=region&_facet=state&_facet=status&_size=20"
                + (f"&region={region}" if region else "")
            )
    return out


def drive(port: int, kind: str, duration: int, pid: int, workers: int) -> dict:
    """Warm the server up on every URL, run wrk, return its figures and the server's RSS. Each URL is asked
    by 2 × workers clients at once, so every worker process has answered it (its own caches, as after a
    while in service) before the measured run; both servers get the same warm-up."""
    paths = _paths(kind)

    def fetch(path: str) -> None:
        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120).read()

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        for path in dict.fromkeys(paths):
            list(pool.map(fetch, [path] * (2 * workers)))
    script = BENCH / f"mix-{kind}.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
    command = [
        "wrk",
        "-t2",
        "-c8",
        f"-d{duration}s",
        "--timeout",
        "2s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    figures = json.loads(line[len("RESULT ") :])
    figures["req_per_s"] = round(figures["requests"] / figures["seconds"], 2)
    figures["rss_mb"] = _rss_mb(pid)
    figures["command"] = " ".join(command)
    return figures


def serve_product(db: Path | str, workers: int, cache_mb: str | None = None) -> tuple[subprocess.Popen, int]:
    """Serve a synthetic database (an SQLite path or a PostgreSQL URL) as `serve` does; `cache_mb="0"`
    turns the response cache off."""
    env = _env(db) if isinstance(db, Path) else {**_env(Path("unused")), "DATABASE_URL": db}
    if cache_mb is not None:
        env["BUENASPRACTICAS_RESPONSE_CACHE_MB"] = cache_mb
    # A cached database may predate a migration: bring it up to date (as `serve` does) before serving.
    subprocess.run(
        [str(VENV_BIN / "buenaspracticas"), "migrate"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--config",  # as `serve` runs it: warm-up, request timeout, preload
            "python:buenaspracticas.gunicorn_conf",
            "buenaspracticas.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "1",
            "--timeout",
            "30",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_or_stop(proc, f"http://127.0.0.1:{port}/api/v1/practices?limit=1")
    return proc, port


def serve_datasette(db: Path, binary: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    link = db.with_name("bench.db")
    link.unlink(missing_ok=True)
    link.symlink_to(db.name)
    proc = subprocess.Popen(
        [
            str(binary),
            "serve",
            str(link),
            "--port",
            str(port),
            "--setting",
            "sql_time_limit_ms",
            "20000",
            "--setting",
            "facet_time_limit_ms",
            "20000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_or_stop(proc, f"http://127.0.0.1:{port}/bench/practices.json?_size=1")
    return proc, port


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--engines", default="sqlite", help="sqlite and/or postgresql, comma-separated")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    BENCH.mkdir(parents=True, exist_ok=True)
    binary = datasette_venv()
    results = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "engines": args.engines.split(","),
        "sizes": {},
    }
    for size in [int(s) for s in args.sizes.split(",")]:
        db, build_seconds = build_product_db(size, args.seed)
        ds_db = build_datasette_db(db, binary)
        entry = {"synth_seconds": round(build_seconds, 1) if build_seconds else "cached"}
        runs = {
            "product": partial(serve_product, db, args.workers),
            "product_uncached": partial(serve_product, db, args.workers, cache_mb="0"),
            "datasette": partial(serve_datasette, ds_db, binary),
        }
        if "postgresql" in args.engines:
            url = _postgres_url(size, args.seed)
            runs["product_postgresql"] = partial(serve_product, url, args.workers)
            runs["product_postgresql_uncached"] = partial(serve_product, url, args.workers, cache_mb="0")
        for kind, start in runs.items():
            proc, port = start()
            try:
                entry[kind] = drive(
                    port,
                    "datasette" if kind == "datasette" else "product",
                    args.duration,
                    proc.pid,
                    args.workers,
                )
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        datasette = max(entry["datasette"]["req_per_s"], 1e-9)
        entry["ratio_req_per_s"] = {
            kind: round(entry[kind]["req_per_s"] / datasette, 2) for kind in runs if kind != "datasette"
        }
        results["sizes"][str(size)] = entry
        print(json.dumps({size: entry}, indent=1), flush=True)
    write_results("scale", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
