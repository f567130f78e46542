"""How long parsing the bundled report takes (pure parser, no database): `python benchmarks/ingest_speed.py`."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_results  # noqa: E402

from buenaspracticas.ingest.parser import parse_file  # noqa: E402

REPORT = Path(__file__).resolve().parents[1] / "data" / "informe-buenas-practicas-oim-conofam.txt"


def main(runs: int = 30) -> None:
    parse_file(REPORT)  # warm imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parsed = parse_file(REPORT)
        times.append(time.perf_counter() - start)
    times.sort()
    write_results("ingest_speed", {
        "runs": runs,
        "practices": len(parsed.practices),
        "panoramas": len(parsed.panoramas),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[int(0.95 * (runs - 1))] * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
    })


if __name__ == "__main__":
    main()
