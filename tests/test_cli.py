"""The buenaspracticas command: ingest summary, --json output, --dry-run, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _run(*args: str, env_dir) -> subprocess.CompletedProcess:
    import os

    env = {
        **os.environ,
        "BUENASPRACTICAS_DATA_DIR": str(env_dir),
        "DJANGO_SETTINGS_MODULE": "buenaspracticas.settings",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "buenaspracticas.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_ingest_dry_run_writes_the_design_json_and_touches_no_database(tmp_path, report_path):
    out = tmp_path / "informe.json"
    result = _run("ingest", str(report_path), "--json", str(out), "--dry-run", env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "prácticas: 44 (220 valoraciones)" in result.stdout
    assert "estados: 12 (12 panoramas)" in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["practices"]) == 44 and len(data["states"]) == 12
    assert {"id", "state", "number", "title", "criteria", "criteria_met", "qualifies", "source"} <= set(
        data["practices"][0]
    )
    assert not (tmp_path / "buenaspracticas.sqlite3").exists()


def test_ingest_loads_then_reloading_changes_nothing(tmp_path, report_path):
    first = _run("ingest", str(report_path), env_dir=tmp_path)
    second = _run("ingest", str(report_path), env_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "44 creadas" in first.stdout
    assert "0 creadas, 0 actualizadas, 44 sin cambios" in second.stdout


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binario"])
def test_ingest_of_unreadable_file_exits_2_with_file_and_line(tmp_path, content):
    bad = tmp_path / "malo.txt"
    bad.write_bytes(content)
    result = _run("ingest", str(bad), "--dry-run", env_dir=tmp_path)
    assert result.returncode == 2
    assert "malo.txt, línea 1" in result.stderr
