"""A real installation for the serving and fault tests: its own database (an SQLite file, or on PostgreSQL a
database created for it), a synthetic catalogue written by `buenaspracticas synth`, a coordination account
with an API token, and `buenaspracticas serve` (gunicorn, as in production) started on a free port.

The migrated SQLite catalogue is built once per set of migrations and copied for each site, so the tests
that need a fresh database do not each pay for `migrate` and `synth`."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests import pg_scratch

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "buenaspracticas"
PASSWORD = "una-clave-bastante-larga"
BASE_PRACTICES = 200  # synthetic practices every site starts with (seed 1)
PG_URL = pg_scratch.PG_URL


@dataclass
class Site:
    data_dir: Path
    engine: str  # "sqlite" or "postgresql"
    database_url: str
    token: str = ""
    servers: list[subprocess.Popen] = field(default_factory=list)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "buenaspracticas.sqlite3"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        env.update(
            BUENASPRACTICAS_DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url,
            DJANGO_SETTINGS_MODULE="buenaspracticas.settings",
            BUENASPRACTICAS_EMBEDDER="fake",
            PYTHONUNBUFFERED="1",
            **extra,
        )
        return env

    def cli(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "buenaspracticas.cli", *args],
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=timeout,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def popen(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "buenaspracticas.cli", *args], env=self.env(), **kwargs
        )

    def sql(self, query: str) -> list[tuple]:
        """Run one read query on the site's database directly (no Django)."""
        if self.engine == "sqlite":
            with closing(sqlite3.connect(self.sqlite_path, timeout=30)) as conn:
                return conn.execute(query).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query).fetchall()

    @contextmanager
    def serving(self, workers: int = 2):
        """Run `buenaspracticas serve` on a free port until the block ends; yield its base URL."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        log = open(self.data_dir / f"serve-{port}.log", "w")  # noqa: SIM115
        proc = self.popen(
            "serve", "--port", str(port), "--workers", str(workers), stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                assert proc.poll() is None, (self.data_dir / f"serve-{port}.log").read_text()
                try:
                    with urllib.request.urlopen(f"{base}/api/v1/practices?limit=1", timeout=30) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "serve did not answer in 180 s"
                time.sleep(0.3)
            yield base
        finally:
            proc.send_signal(signal.SIGTERM)  # gunicorn's graceful stop (serve exec'd into it)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            log.close()


def _template_key() -> str:
    digest = hashlib.sha256()
    for path in sorted(SRC.glob("*/migrations/*.py")) + [SRC / "catalog" / "synth.py"]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _populate(site: Site) -> None:
    site.cli("migrate")
    site.cli("synth", "--practices", str(BASE_PRACTICES), "--seed", "1")
    password_file = site.data_dir / "password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    account = ["--username", "coord", "--role", "coordinator", "--password-file", str(password_file)]
    site.cli("user", "create", *account)
    site.token = site.cli("token", "create", "--username", "coord").stdout.strip().splitlines()[0]


def _sqlite_template() -> tuple[Path, str]:
    """Return the migrated synthetic SQLite database for the current migrations, and its API token."""
    folder = Path(tempfile.gettempdir()) / f"buenaspracticas-served-{_template_key()}"
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / "token.json"
        if not done.exists():
            build = Site(folder / "build", "sqlite", "")
            shutil.rmtree(build.data_dir, ignore_errors=True)
            build.data_dir.mkdir()
            build.database_url = f"sqlite:///{build.sqlite_path}"
            _populate(build)
            with closing(sqlite3.connect(build.sqlite_path)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy(build.sqlite_path, folder / "template.sqlite3")
            shutil.copy(build.data_dir / "secret_key", folder / "secret_key")
            done.write_text(json.dumps({"token": build.token}))
        return folder / "template.sqlite3", json.loads(done.read_text())["token"]


@contextmanager
def new_site(engine: str, data_dir: Path):
    """Yield a site with the synthetic catalogue and a coordination token (PostgreSQL: dropped after)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        template, token = _sqlite_template()
        site = Site(data_dir, "sqlite", "", token=token)
        site.database_url = f"sqlite:///{site.sqlite_path}"
        shutil.copy(template, site.sqlite_path)
        shutil.copy(template.with_name("secret_key"), data_dir / "secret_key")  # tokens may be keyed by it
        yield site
        return
    name, url = pg_scratch.create_database("bp_served")
    try:
        site = Site(data_dir, "postgresql", url)
        _populate(site)
        yield site
    finally:
        pg_scratch.drop_database(name)
