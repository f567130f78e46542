"""What the coverage ranking of fallback matches costs (search/index.py, IndexedBackend._coverage): one count
per word group of a query no practice holds whole, and one membership test per group in the ranking
statement. Times such queries in process, lexical only, on the synthetic catalogues of benchmarks/scale.py
(built and cached under var/bench/, or as a `bench_<size>_1` database on the local PostgreSQL cluster, if
missing), with the coverage and with it switched off, alternating.

    python benchmarks/fallback_cost.py [--sizes 10000,100000] [--engines sqlite,postgresql] [--rounds 5]

Writes benchmarks/results/fallback_cost.json."""

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

QUERIES = [
    "capital semilla para abrir un changarro al volver del norte",
    "taller de costura para mujeres deportadas que quieren emprender",
    "documentos de identidad para repatriados en la frontera con salud y empleo",
    "albergue para niñas y niños migrantes con asesoría jurídica y guelaguetza",
]


def child(rounds: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buenaspracticas.settings")
    import django

    django.setup()
    from buenaspracticas.catalog.filters import PracticeFilters
    from buenaspracticas.search.backends import get_backend
    from buenaspracticas.search.index import IndexedBackend

    backend = get_backend(embedder=False)
    with_coverage = IndexedBackend._coverage
    times: dict[str, list[float]] = {"coverage": [], "off": []}
    for query in QUERIES:  # warm the caches
        backend.page(PracticeFilters(q=query), limit=20, offset=0, facets=True)
    for _ in range(rounds):
        for query in QUERIES:
            for label in ("coverage", "off"):
                IndexedBackend._coverage = with_coverage if label == "coverage" else (lambda self, g: [])
                started = time.perf_counter()
                backend.page(PracticeFilters(q=query), limit=20, offset=0, facets=True)
                times[label].append((time.perf_counter() - started) * 1000)
    IndexedBackend._coverage = with_coverage

    return {label: timing_summary(values) for label, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--engines", default="sqlite", help="sqlite and/or postgresql, comma-separated")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    import scale

    figures = {}
    for engine in args.engines.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            work = Path(tempfile.mkdtemp(prefix="bp-fallback-"))
            env = scale.searcher_env(engine, size, work)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(args.rounds)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            for label, values in result.items():
                for key, value in values.items():
                    figures[f"{engine}_{size}_{label}_{key}"] = value
            shutil.rmtree(work, ignore_errors=True)
    write_results("fallback_cost", figures)


if __name__ == "__main__":
    main()
