"""Times `buenaspracticas report --all` (the compendium PDF) on a fresh SQLite database with the bundled
report; writes benchmarks/results/compendium_speed.json. Figures are recorded, never asserted."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_results  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "BUENASPRACTICAS_DATA_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "buenaspracticas.settings",
        }
        env.pop("DATABASE_URL", None)
        cli = [sys.executable, "-m", "buenaspracticas.cli"]
        subprocess.run(
            [*cli, "ingest", str(ROOT / "data" / "informe-buenas-practicas-oim-conofam.txt")],
            env=env,
            check=True,
            capture_output=True,
        )
        out = Path(tmp) / "compendio.pdf"
        runs = []
        for _ in range(2):
            start = time.perf_counter()
            done = subprocess.run(
                [*cli, "report", "--all", "--out", str(out)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(round(time.perf_counter() - start, 2))
        pages = int(done.stdout.rsplit("KB, ", 1)[1].split()[0])
        write_results(
            "compendium_speed",
            {
                "seconds_per_run": runs,
                "best_seconds": min(runs),
                "pages": pages,
                "size_kb": out.stat().st_size // 1024,
            },
        )


if __name__ == "__main__":
    main()
