"""The offline package's search, as a person uses it: html/index.html opened from disk, no server."""

from __future__ import annotations

import zipfile

from buenaspracticas.reports.offline import offline_zip


def test_offline_search_finds_practices_from_a_file_url(browser, report, tmp_path):
    path = offline_zip(out=tmp_path / "offline.zip")
    with zipfile.ZipFile(path) as zf:
        zf.extractall(tmp_path / "x")
    context = browser.new_context(locale="es-MX")
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((tmp_path / "x" / "html" / "index.html").as_uri())
        page.get_by_label("Buscar prácticas").fill("albergues")
        results = page.locator("#resultados li")
        results.first.wait_for()
        assert results.count() >= 1
        assert "práctica" in page.locator("#buscar-resumen").inner_text()
        first = results.first.locator("a")
        href = first.get_attribute("href")
        first.click()
        page.wait_for_url(f"**/{href}")
        assert page.locator("h1").inner_text()
        page.go_back()
        page.get_by_label("Buscar prácticas").fill("zzzz nada parecido")
        assert page.locator("#resultados li").count() == 0
        assert [u for u in requests if not u.startswith("file://")] == []
    finally:
        context.close()
