"""Search latency over HTTP (p50/p95): the relevance set's queries against the search page and its JSON twin,
each query's first request (computed) apart from its repeats (answered from the response cache). `python
benchmarks/search_latency.py [--url http://127.0.0.1:8000] [--rounds 5]`; without --url it starts
`buenaspracticas serve` on a free port with a throw-away data folder (report loaded, real embedder). Writes
benchmarks/results/search_latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "search" / "relevance.json").read_text(encoding="utf-8"))["cases"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return time.perf_counter() - start


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _serve() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "BUENASPRACTICAS_DATA_DIR": tempfile.mkdtemp(prefix="bp-bench-"), "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    cli = Path(sys.executable).with_name("buenaspracticas")
    proc = subprocess.Popen(
        [str(cli), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            _get(base + "/api/v1/states/MX-OAX")
            return proc, base
        except Exception:  # still migrating / loading
            if proc.poll() is not None:
                raise RuntimeError("buenaspracticas serve exited early") from None
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("the server did not answer in 300 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="base URL of a running server (default: start one)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    proc = None
    base = args.url.rstrip("/") if args.url else None
    if base is None:
        proc, base = _serve()
    try:
        queries = [c["query"] for c in CASES]
        targets = {
            "page": lambda q: f"{base}/practicas/?q={urllib.parse.quote_plus(q)}",
            "api": lambda q: f"{base}/api/v1/practices?q={urllib.parse.quote_plus(q)}&limit=20",
        }
        for make in targets.values():  # warm: index built, embedder loaded, templates compiled
            for q in queries[:3]:
                _get(make(q))
        figures: dict = {
            "queries": len(queries),
            "rounds": args.rounds,
            "server": "given" if args.url else "buenaspracticas serve (SQLite)",
        }
        for name, make in targets.items():
            # Each query's first request is computed (the response cache has not seen it); the later rounds
            # are what a repeated query costs while the data is unchanged (served from memory).
            first = [_get(make(q)) for q in queries]
            again = [_get(make(q)) for _ in range(args.rounds - 1) for q in queries]
            for label, times in (("first", first), ("repeated", again)):
                if not times:
                    continue
                figures[f"{name}_{label}_p50_ms"] = round(statistics.median(times) * 1000, 1)
                figures[f"{name}_{label}_p95_ms"] = round(_percentile(times, 95) * 1000, 1)
                figures[f"{name}_{label}_max_ms"] = round(max(times) * 1000, 1)
                figures[f"{name}_{label}_requests"] = len(times)
        write_results("search_latency", figures)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
