"""Writes a benchmark's figures to benchmarks/results/<name>.json with the machine and date."""

from __future__ import annotations

import json
import os
import platform
import statistics
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write_results(name: str, figures: dict) -> Path:
    """Print the figures and write them with their context; return the file written."""
    RESULTS.mkdir(exist_ok=True)
    record = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "figures": figures,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for key, value in figures.items():
        # Nested figures (a relevance run's misses, say) stay in the file: a held-out query set's misses are
        # not to be read by whoever is tuning the search.
        shown = value if not isinstance(value, dict | list) or len(str(value)) <= 300 else "(in the file)"
        print(f"{key}: {shown}")
    print(f"written to {path.relative_to(RESULTS.parent.parent)}")
    return path


def percentile(values: list[float], pct: float) -> float:
    """Return the nearest-rank percentile of values (pct in 0–100): the same cut in every benchmark."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timing_summary(values_ms: list[float]) -> dict:
    """Return the median, p95 and maximum of timings in milliseconds, rounded to 0.1 ms."""
    return {
        "median_ms": round(statistics.median(values_ms), 1),
        "p95_ms": round(percentile(values_ms, 95), 1),
        "max_ms": round(max(values_ms), 1),
    }
