"""Screenshots to look at: the home page, a state page and a ficha at 390 px and 1280 px wide (full page),
and the first pages of the state PDF as images, from a fresh site with the bundled report.

    .venv/bin/python scripts/screenshots.py [--out var/screenshots] [--state jalisco]

It serves the site with `buenaspracticas serve` on a free port and its own data folder, drives Debian's
chromium with Playwright and renders PDF pages with poppler's pdftoppm."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=10).read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    parser.add_argument("--state", default="jalisco")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "BUENASPRACTICAS_DATA_DIR": data,
            "BUENASPRACTICAS_EMBEDDER": "none",
        }
        server = subprocess.Popen(
            [str(BIN / "buenaspracticas"), "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base + "/")
            shots(base, args.state, out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    for path in sorted(out.iterdir()):
        print(path)
    return 0


def shots(base: str, state: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"], headless=True)
        page = browser.new_page(locale="es-MX")
        page.goto(f"{base}/estados/{state}/")
        hrefs = page.eval_on_selector_all(
            "a[href^='/practicas/']", "links => links.map(a => a.getAttribute('href'))"
        )
        ficha = next(h for h in hrefs if re.fullmatch(r"/practicas/[a-z-]+-\d+/", h))
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in (("home", "/"), ("estado", f"/estados/{state}/"), ("ficha", ficha)):
                page.goto(base + path)
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
        browser.close()
    for name, path in (("estado", f"/informes/estados/{state}.pdf"), ("ficha", f"/informes{ficha[:-1]}.pdf")):
        pdf = out / f"{name}.pdf"
        with urllib.request.urlopen(base + path, timeout=300) as answer:
            pdf.write_bytes(answer.read())
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(out / f"{name}-pdf")],
            check=True,
        )


if __name__ == "__main__":
    sys.exit(main())
