"""Every page of the built HTML book, opened in headless Chromium with no network.

For each page: all math is rendered by the vendored MathJax (no raw TeX left),
every widget cell is rendered by the vendored ipywidgets HTML manager, the
console shows no error, no request leaves 127.0.0.1, and no request fails or
returns an HTTP error. A full-page screenshot is saved under _build/screenshots/.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from .conftest import HTML


def _pages() -> list[str]:
    if not HTML.exists():
        return ["<book not built>"]
    return sorted(
        p.relative_to(HTML).as_posix()
        for p in HTML.rglob("*.html")
        # not _static/ etc., nor the JupyterLite site (lite/: an app, tested by tests/lite)
        if not p.relative_to(HTML).parts[0].startswith("_")
        and p.relative_to(HTML).parts[0] != "lite"
    )


PAGES = _pages()

WAIT_FOR_RENDERING = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const views = [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')];
  const rendered = () => views.every(s => {
    const host = s.previousElementSibling;
    return host && host.classList.contains('widget-subarea') && host.children.length > 0;
  });
  for (let i = 0; i < 200 && !rendered(); i++) {
    await new Promise(r => setTimeout(r, 50));
  }
  return views.length;
}
"""

MATH_REPORT = """
() => {
  const math = [...document.querySelectorAll('.math')];
  const raw = math.filter(el => !el.querySelector('mjx-container'))
    .map(el => el.textContent.slice(0, 80));
  const text = document.querySelector('main')
    ? document.querySelector('main').innerText
    : document.body.innerText;
  const leftovers = ['\\\\(', '\\\\[', '$$', '\\\\frac', '\\\\begin{']
    .filter(t => text.includes(t));
  return {count: math.length, raw, leftovers};
}
"""

WIDGET_REPORT = """
() => {
  const views = [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')];
  const blank = views.filter(s => {
    const host = s.previousElementSibling;
    return !(host && host.classList.contains('widget-subarea') && host.children.length > 0);
  }).length;
  return {views: views.length, blank};
}
"""


@pytest.fixture
def visit(browser, book_url):
    """Open a page and return what went wrong while loading it."""
    contexts = []

    def _visit(path: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        problems = {"console": [], "pageerror": [], "external": [], "http": [], "failed": []}

        def route(r):
            host = urlparse(r.request.url).hostname
            if (
                r.request.url.startswith("data:")
                or r.request.url.startswith("blob:")
                or host == "127.0.0.1"
            ):
                r.continue_()
            else:
                problems["external"].append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and problems["console"].append(m.text))
        page.on("pageerror", lambda e: problems["pageerror"].append(str(e)))
        page.on(
            "response", lambda r: r.status >= 400 and problems["http"].append(f"{r.status} {r.url}")
        )
        page.on(
            "requestfailed",
            lambda r: (
                urlparse(r.url).hostname == "127.0.0.1"
                and problems["failed"].append(f"{r.failure} {r.url}")
            ),
        )
        # networkidle: index.html redirects to the landing page, and the math and
        # widget scripts fetch their fonts and extensions after "load".
        page.goto(f"{book_url}/{path}", wait_until="networkidle")
        page.evaluate(WAIT_FOR_RENDERING)
        page.wait_for_load_state("networkidle")
        return page, problems

    yield _visit
    for c in contexts:
        c.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_offline_without_errors(path, visit, screenshot_dir):
    assert path != "<book not built>", "the book is not built: run `./dev book` first"
    page, problems = visit(path)
    math = page.evaluate(MATH_REPORT)
    widgets = page.evaluate(WIDGET_REPORT)
    shot = screenshot_dir / (path.replace("/", "__").removesuffix(".html") + ".png")
    page.screenshot(path=str(shot), full_page=True)

    # the reports see the page's math and widgets (an empty selection would pass the checks below)
    source = (HTML / path).read_text(encoding="utf-8")
    in_source = len(re.findall(r'class="math[ "]', source))
    assert math["count"] >= in_source, (
        f"the math report found {math['count']} of {in_source} math elements"
    )
    views = source.count('<script type="application/vnd.jupyter.widget-view+json">')
    assert widgets["views"] >= views, (
        f"the widget report found {widgets['views']} of {views} widget views"
    )
    assert math["raw"] == [], f"math left unrendered: {math['raw'][:5]}"
    assert math["leftovers"] == [], f"raw TeX delimiters in the text: {math['leftovers']}"
    assert widgets["blank"] == 0, f"{widgets['blank']} of {widgets['views']} widget cells are blank"
    assert problems["external"] == [], f"requests leaving 127.0.0.1: {problems['external'][:5]}"
    assert problems["http"] == [], f"HTTP errors: {problems['http'][:5]}"
    assert problems["failed"] == [], f"failed requests: {problems['failed'][:5]}"
    assert problems["pageerror"] == [], f"uncaught page errors: {problems['pageerror'][:5]}"
    assert problems["console"] == [], f"console errors: {problems['console'][:5]}"
