"""How long parsing the bundled report takes (pure parser, no database):
`python benchmarks/ingest_speed.py`."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_results  # noqa: E402

from buenaspracticas.ingest.parser import parse_file  # noqa: E402

REPORT = Path(__file__).resolve().parents[1] / "data" / "informe-buenas-practicas-oim-conofam.txt"


COLD = (
    "import time; from buenaspracticas.ingest.parser import parse_file; t = time.perf_counter(); "
    f"parse_file({str(REPORT)!r}); print(time.perf_counter() - t)"
)


def cold_runs(runs: int) -> list[float]:
    """Time the first parse in fresh processes (no warm caches): what `ingest` pays."""
    return sorted(
        float(subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    )


def main(runs: int = 30) -> None:
    cold = cold_runs(5)
    parse_file(REPORT)  # warm imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parsed = parse_file(REPORT)
        times.append(time.perf_counter() - start)
    times.sort()
    write_results(
        "ingest_speed",
        {
            "runs": runs,
            "practices": len(parsed.practices),
            "panoramas": len(parsed.panoramas),
            "cold_first_parse_median_ms": round(statistics.median(cold) * 1000, 1),
            "cold_first_parse_max_ms": round(cold[-1] * 1000, 1),
            "warm_median_ms": round(statistics.median(times) * 1000, 1),
            "warm_p95_ms": round(times[int(0.95 * (runs - 1))] * 1000, 1),
            "warm_max_ms": round(times[-1] * 1000, 1),
        },
    )


if __name__ == "__main__":
    main()
