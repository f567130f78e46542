"""Writes a benchmark's figures to benchmarks/results/<name>.json with the machine and date."""

from __future__ import annotations

import json
import os
import platform
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
