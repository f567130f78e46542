"""Search at scale, in process, this revision against another query by query: the database's own speed for
a search (page, exact count and every facet, as the API asks for it) on the synthetic catalogues of
benchmarks/scale.py, with no HTTP and no response cache in the way.

    python benchmarks/search_scale.py [--sizes 10000,100000] [--engines sqlite,postgresql] [--rounds 3]
                                      [--against REV]

Each revision runs in a worker process of its own (`--against`: a git worktree first on the path, with this
environment's packages) on the same database; every query goes to both workers in turn, alternating which
goes first, so a machine's drift between minutes falls on both. The workers also report each answer's
count and first page, and the figures say whether the two revisions returned the same results. Queries:
scale.py's ten (one in three with a region filter) and fallback_cost.py's four (no practice holds all their
words). Lexical and facets only (BUENASPRACTICAS_EMBEDDER=none), as scale.py serves. Writes
benchmarks/results/search_scale.json."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import timing_summary, write_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def worker() -> None:
    """Answer one JSON request per line of stdin ({"q", "regions"}) with {"ms", "count", "ids"}."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buenaspracticas.settings")
    import django

    django.setup()
    from buenaspracticas.catalog import selectors
    from buenaspracticas.catalog.filters import PracticeFilters

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        filters = PracticeFilters(q=ask["q"], regions=tuple(ask["regions"]))
        started = time.perf_counter()
        result = selectors.practice_search(filters=filters, limit=20)
        ms = (time.perf_counter() - started) * 1000
        ids = [item["id"] for item in result["items"]]
        print(json.dumps({"ms": ms, "count": result["count"], "ids": ids}), flush=True)


class Worker:
    def __init__(self, env: dict) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self.proc.stdout.readline())["ready"]

    def ask(self, query: str, regions: list[str]) -> dict:
        self.proc.stdin.write(json.dumps({"q": query, "regions": regions}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def _requests() -> list[tuple[str, list[str]]]:
    import fallback_cost
    import scale

    out = []
    for n, query in enumerate(scale.QUERIES):
        out.append((query, [scale.REGIONS[n % len(scale.REGIONS)]] if n % 3 == 2 else []))
    return out + [(query, []) for query in fallback_cost.QUERIES]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="also measure this git revision, query by query")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    import scale
    from search_latency import _worktree

    tree = _worktree(args.against) if args.against else None
    requests = _requests()
    figures: dict = {"command": "python benchmarks/search_scale.py " + " ".join(sys.argv[1:])}
    if args.against:
        figures["against"] = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", args.against], capture_output=True, text=True
        ).stdout.strip()
    try:
        for engine in args.engines.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                work = Path(tempfile.mkdtemp(prefix="bp-search-scale-"))
                env = scale.searcher_env(engine, size, work)
                workers = {"this": Worker(env)}
                if tree is not None:
                    workers["against"] = Worker({**env, "PYTHONPATH": str(tree / "src")})
                times: dict[str, list[float]] = {label: [] for label in workers}
                same = True
                try:
                    for query, regions in requests:  # warm-up: vocabularies, caches, the index catch-up
                        for w in workers.values():
                            w.ask(query, regions)
                    for r in range(args.rounds):
                        for n, (query, regions) in enumerate(requests):
                            order = list(workers) if (r + n) % 2 == 0 else list(reversed(workers))
                            answers = {label: workers[label].ask(query, regions) for label in order}
                            for label, answer in answers.items():
                                times[label].append(answer["ms"])
                            first = next(iter(answers.values()))
                            same &= all(
                                (a["count"], a["ids"]) == (first["count"], first["ids"])
                                for a in answers.values()
                            )
                finally:
                    for w in workers.values():
                        w.close()
                    shutil.rmtree(work, ignore_errors=True)
                for label, values in times.items():
                    for key, value in timing_summary(values).items():
                        figures[f"{engine}_{size}_{label}_{key}"] = value
                if tree is not None:
                    figures[f"{engine}_{size}_same_results"] = same
                print(
                    f"{engine} {size}: "
                    + json.dumps(
                        {k: v for k, v in figures.items() if f"_{size}_" in k and k.startswith(engine)}
                    ),
                    flush=True,
                )
    finally:
        if tree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    write_results("search_scale", figures)


if __name__ == "__main__":
    main()
