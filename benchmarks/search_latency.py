"""Search latency over HTTP (p50/p95): the relevance set's queries against the search page and its JSON twin,
each query's first request (computed) apart from its repeats (answered from the response cache). `python
benchmarks/search_latency.py [--url http://127.0.0.1:8000] [--rounds 5] [--against REV]`; without --url it
starts `buenaspracticas serve` on a free port with a throw-away data folder (report loaded, real embedder).
Writes benchmarks/results/search_latency.json.

`--against REV` also serves the code of another revision (a git worktree run with this environment's
packages) and sends every request to both servers in turn, alternating which goes first: a shared machine's
speed drifts by a factor of two between hours, so a figure recorded earlier is no baseline, while two servers
measured request by request are. The other revision's figures are written under `against_*`.
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
from _results import percentile, write_results  # noqa: E402

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


def _serve(source: Path | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "BUENASPRACTICAS_DATA_DIR": tempfile.mkdtemp(prefix="bp-bench-"), "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    if source is not None:  # another revision's code first on the path, this environment's packages
        env["PYTHONPATH"] = str(source / "src")
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


Times = dict[str, list[float]]


def _figures(figures: dict, prefix: str, first: Times, again: Times) -> None:
    for name in first:
        for label, times in (("first", first[name]), ("repeated", again[name])):
            if not times:
                continue
            figures[f"{prefix}{name}_{label}_p50_ms"] = round(statistics.median(times) * 1000, 1)
            figures[f"{prefix}{name}_{label}_p95_ms"] = round(percentile(times, 95) * 1000, 1)
            figures[f"{prefix}{name}_{label}_max_ms"] = round(max(times) * 1000, 1)
            figures[f"{prefix}{name}_{label}_requests"] = len(times)


def _worktree(rev: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bp-bench-rev-")) / "src-tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev], check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="base URL of a running server (default: start one)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", metavar="REV", help="also measure this git revision, request by request")
    args = parser.parse_args()
    procs: list[subprocess.Popen] = []
    tree = None
    bases = []
    try:
        if args.url:
            bases.append(args.url.rstrip("/"))
        else:
            proc, base = _serve()
            procs.append(proc)
            bases.append(base)
        if args.against:
            tree = _worktree(args.against)
            proc, base = _serve(tree)
            procs.append(proc)
            bases.append(base)
        queries = [c["query"] for c in CASES]
        targets = {
            "page": lambda base, q: f"{base}/practicas/?q={urllib.parse.quote_plus(q)}",
            "api": lambda base, q: f"{base}/api/v1/practices?q={urllib.parse.quote_plus(q)}&limit=20",
        }
        for make in targets.values():  # warm: index built, embedder loaded, templates compiled
            for base in bases:
                for q in queries[:3]:
                    _get(make(base, q))
        figures: dict = {
            "queries": len(queries),
            "rounds": args.rounds,
            "server": "given" if args.url else "buenaspracticas serve (SQLite)",
        }
        if args.against:
            figures["against"] = subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", args.against], capture_output=True, text=True
            ).stdout.strip()
        # Each query's first request is computed (the response cache has not seen it); the later rounds are
        # what a repeated query costs while the data is unchanged (served from memory, by the worker that
        # kept it; another worker computes it once more).
        first: list[Times] = [{name: [] for name in targets} for _ in bases]
        again: list[Times] = [{name: [] for name in targets} for _ in bases]
        for name, make in targets.items():
            for round_no in range(args.rounds):
                for n, q in enumerate(queries):
                    order = list(range(len(bases)))
                    if (n + round_no) % 2:
                        order.reverse()
                    for i in order:
                        (first if round_no == 0 else again)[i][name].append(_get(make(bases[i], q)))
        _figures(figures, "", first[0], again[0])
        if args.against:
            _figures(figures, "against_", first[1], again[1])
        write_results("search_latency", figures)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)
        if tree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


if __name__ == "__main__":
    main()
