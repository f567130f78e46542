"""What people see on a phone (390 px) and a laptop (1280 px): no page scrolls sideways, the header stays on
one line on a laptop, and chart text is legible (never under 11 px once the chart is scaled to fit)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = (
    "/",
    "/practicas/",
    "/practicas/?q=repatriados&region=norte",
    "/practicas/oaxaca-2/",
    "/practicas/baja-california-2/historial/",
    "/estados/",
    "/estados/baja-california/",
    "/estados/puebla/",
    "/estados/oaxaca/hallazgos/",
    "/estados/baja-california/entrevistas/",
    "/practicas/?q=repatracion",
    "/regiones/",
    "/regiones/norte/",
    "/metodo/",
    "/convocatorias/",
    "/cuenta/entrar/",
    "/en/",
    "/en/estados/oaxaca/",
)

# Elements wider than the viewport that are not inside something that scrolls on its own.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let p = el.parentElement, scrolls = false;
    for (; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll') { scrolls = true; break; }
    }
    if (!scrolls) out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)} px)`);
  }
  return out.slice(0, 5);
}"""

# The smallest text in the charts, in CSS pixels as drawn (font size × the SVG's scale on screen).
_SMALLEST_CHART_TEXT = """() => {
  let smallest = null;
  for (const t of document.querySelectorAll('figure.chart svg text')) {
    if (!t.getBoundingClientRect().height) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    if (smallest === null || px < smallest.px) smallest = {px, text: t.textContent};
  }
  return smallest;
}"""


@pytest.fixture(params=[390, 1280], ids=["phone", "laptop"])
def sized_page(request, browser, live_server, report):
    context = browser.new_context(
        locale="es-MX", base_url=live_server.url, viewport={"width": request.param, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page, request.param
    context.close()


def test_no_public_page_scrolls_sideways(sized_page):
    page, width = sized_page
    problems = {}
    for path in PUBLIC_PAGES:
        page.goto(path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems[path] = (scroll_width, page.evaluate(_OVERFLOW))
    assert not problems, problems


def test_header_is_one_line_on_a_laptop(sized_page):
    page, width = sized_page
    if width < 1280:
        pytest.skip("on a phone the header wraps by design")
    for path in ("/", "/practicas/oaxaca-2/", "/en/"):
        page.goto(path)
        links = page.locator("header.site-header a, header.site-header button, nav.account-nav a")
        boxes = [links.nth(i).bounding_box() for i in range(links.count())]
        middles = [b["y"] + b["height"] / 2 for b in boxes]
        assert max(middles) - min(middles) < 8, f"{path}: header items on more than one line {middles}"


def test_chart_text_is_never_under_11_px(sized_page):
    page, _ = sized_page
    for path in ("/estados/baja-california/", "/estados/oaxaca/", "/estados/puebla/"):
        page.goto(path)
        smallest = page.evaluate(_SMALLEST_CHART_TEXT)
        assert smallest is not None, f"{path}: no chart drawn"
        assert smallest["px"] >= 11, f"{path}: «{smallest['text']}» at {smallest['px']:.1f} px"


def test_favicon_and_description_are_served(sized_page):
    page, _ = sized_page
    page.goto("/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).status == 200
    assert len(page.locator("meta[name=description]").get_attribute("content")) > 50


def test_the_verdicts_evidence_reads_at_full_width_and_is_never_cut(sized_page):
    page, width = sized_page
    page.goto("/practicas/oaxaca-2/")
    main = page.locator("main").bounding_box()
    cells = page.locator("table.criteria td.evidence")
    assert cells.count() == 5
    for i in range(5):
        box = cells.nth(i).bounding_box()
        # Inside the page, and on a phone as wide as the text column (not a few words wide beside the labels).
        assert box["x"] >= main["x"] - 1 and box["x"] + box["width"] <= main["x"] + main["width"] + 1, box
        if width < 1280:
            assert box["width"] >= 0.9 * main["width"], (box, main)
        scroll, client = cells.nth(i).evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert scroll <= client + 1, f"evidence {i + 1} is cut: {scroll} > {client}"


def test_search_results_come_before_the_filters_on_a_phone_and_beside_them_on_a_laptop(sized_page):
    page, width = sized_page
    page.goto("/practicas/?q=albergues")
    first = page.locator("ol.practice-list li h2 a").first.bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    jump = page.get_by_role("link", name="Filtrar resultados")
    if width < 1280:
        # The first result is on the first screen, the filters below the results, one tap away.
        assert first["y"] + first["height"] <= 900, first
        assert facets["y"] > first["y"], (facets, first)
        assert jump.is_visible()
        jump.click()
        assert page.evaluate("location.hash") == "#filtros"
    else:
        # The filters take the left column beside the results.
        assert facets["x"] + facets["width"] <= first["x"], (facets, first)
        assert abs(facets["y"] - page.locator("section.results").bounding_box()["y"]) < 2
        assert not jump.is_visible()
