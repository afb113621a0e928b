"""Opening a page of the built book, and what its read-only checks measure on it.

``page_report`` (a session fixture, made available to every browser test by
conftest.py) loads each page once and measures there what test_book_pages.py
and the read-only checks of test_book_readability.py assert on: every page is
loaded once per session, not once per check, width and colour mode.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

LAYOUT_REPORT = (Path(__file__).parent / "layout_report.js").read_text(encoding="utf-8")
WIDTHS = {"desktop": 1280, "phone": 390}

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
  // a macro MathJax does not know is drawn in red (or as an error box), not raised
  const undefinedMacros = [...document.querySelectorAll(
      'mjx-container mjx-mtext, mjx-container mjx-merror')]
    .filter(e => e.tagName === 'MJX-MERROR' || getComputedStyle(e).color === 'rgb(255, 0, 0)')
    .map(e => e.closest('mjx-container').parentElement.textContent.slice(0, 80));
  return {count: math.length, raw, leftovers, undefinedMacros};
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

#: The page has settled after a change of width or mode: two frames painted, and
#: readability.js's layout pass (60 ms after the last change) has marked exactly
#: the sideways scrollers (``data-scrolls``, the same test as readability.js).
SETTLED = """async () => {
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const sel = ['mjx-container[display]', '.pst-scrollable-table-container',
               'div.cell_output .output', '.jp-OutputArea-output.lm-Widget', '.widget-output'];
  const consistent = () => [...document.querySelectorAll(sel.join(','))].every(el =>
    (el.scrollWidth > el.clientWidth + 1) === (el.getAttribute('data-scrolls') === 'true'));
  for (let i = 0; i < 100 && !consistent(); i++) await new Promise(r => setTimeout(r, 20));
  return consistent();
}"""

#: Switch the colour mode as the theme's own switch does (pydata-sphinx-theme).
SET_MODE = """(mode) => {
  document.documentElement.dataset.mode = mode;
  document.documentElement.dataset.theme = mode;
  localStorage.setItem('mode', mode);
  localStorage.setItem('theme', mode);
  window.scrollTo(0, 0);
}"""


def _open_page(browser, book_url, path: str, width: int, mode: str = "light", problems=None):
    """Open a page at a width and colour mode, wait until math and widgets are rendered.

    Returns the page and its browser context (the caller closes the context).
    With ``problems`` (a dict of lists), what goes wrong while loading is recorded
    in it: console errors, page errors, requests leaving 127.0.0.1 (aborted), HTTP
    errors and failed requests.
    """
    context = browser.new_context(viewport={"width": width, "height": 900})
    # the theme reads its mode from localStorage before the first paint
    context.add_init_script(
        f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');"
    )

    def route(r):
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == "127.0.0.1":
            r.continue_()
        else:
            if problems is not None:
                problems["external"].append(url)
            r.abort()

    context.route("**/*", route)
    try:
        page = context.new_page()
        if problems is not None:
            page.on("console", lambda m: m.type == "error" and problems["console"].append(m.text))
            page.on("pageerror", lambda e: problems["pageerror"].append(str(e)))
            page.on(
                "response",
                lambda r: r.status >= 400 and problems["http"].append(f"{r.status} {r.url}"),
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
        # widths depend on the web fonts; readability.js runs its layout pass
        # 60 ms after the last change: wait until it has marked the scrollers
        page.evaluate(SETTLED)
        assert page.evaluate("document.documentElement.dataset.theme") == mode
    except BaseException:
        context.close()
        raise
    return page, context


#: The views a read-only check looks at: every width in light and in dark mode.
VIEWS = [(px, mode) for mode in ("light", "dark") for px in WIDTHS.values()]


@pytest.fixture(scope="session")
def page_report(browser, book_url, screenshot_dir):
    """What the read-only checks need from a page at a width and colour mode.

    ``page_report(path, "load")`` is what test_book_pages.py needs from the same
    load: math and widget reports, what went wrong while loading, and a
    full-page screenshot under ``_build/screenshots/``.

    Each page is loaded once per session, the first time a test asks for it, and
    every view (both widths, light and dark) is taken from that one load: the
    viewport is resized and the colour mode switched as the theme's switch does,
    then the page is measured again once it has settled. Per view: the layout
    report, the phone equations whose end cannot be scrolled to, the images with
    their alt texts, the dark-mode contrasts and light cards, and a screenshot
    under ``_build/screenshots/readability/``. The tests assert on this report;
    a failure to load is raised again in every test that asks for the page.
    """
    shots = screenshot_dir / "readability"
    shots.mkdir(exist_ok=True)
    cache: dict[str, dict | BaseException] = {}

    def _view(page, path: str, width: int, mode: str) -> dict:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(SET_MODE, mode)
        page.evaluate(SETTLED)
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        report = {
            "layout": page.evaluate(LAYOUT_REPORT),
            "unreachable": page.evaluate(UNREACHABLE_EQUATIONS),
            "images": page.evaluate(IMAGES),
            "contrast": page.evaluate(CONTRAST),
        }
        # last: scrolling to something worth looking at moves the page
        first = page.locator(".explorer, div.math, div.cell_output img").first
        if first.count():
            first.scroll_into_view_if_needed()
        stem = path.replace("/", "__").removesuffix(".html")
        page.screenshot(path=str(shots / f"{stem}-{width}-{mode}.png"))
        return report

    def _load(page, path: str, problems: dict) -> dict:
        """What test_book_pages.py checks: the page as loaded at 1280 px, light."""
        page.wait_for_load_state("networkidle")
        report = {
            "math": page.evaluate(MATH_REPORT),
            "widgets": page.evaluate(WIDGET_REPORT),
            "problems": {k: list(v) for k, v in problems.items()},
        }
        shot = screenshot_dir / (path.replace("/", "__").removesuffix(".html") + ".png")
        page.screenshot(path=str(shot), full_page=True)
        return report

    def _collect(path: str) -> dict:
        first_px, first_mode = VIEWS[0]
        problems = {"console": [], "pageerror": [], "external": [], "http": [], "failed": []}
        page, context = _open_page(browser, book_url, path, first_px, first_mode, problems)
        try:
            found = {"load": _load(page, path, problems)}
            found.update({(px, mode): _view(page, path, px, mode) for px, mode in VIEWS})
            return found
        finally:
            context.close()

    def _get(path: str, width: int | str, mode: str = "light") -> dict:
        if path not in cache:
            try:
                cache[path] = _collect(path)
            except Exception as error:  # noqa: BLE001 - raised again below, for every test
                cache[path] = error
        found = cache[path]
        if isinstance(found, BaseException):
            raise found
        return found["load"] if width == "load" else found[(width, mode)]

    return _get


UNREACHABLE_EQUATIONS = """() => [...document.querySelectorAll('article mjx-container[display]')]
      .filter(c => c.scrollWidth > c.clientWidth + 1)
      .map(c => { const before = c.scrollLeft; c.scrollLeft = c.scrollWidth;
                  const math = c.querySelector('mjx-math').getBoundingClientRect();
                  const box = c.getBoundingClientRect();
                  const ok = math.right <= box.right + 1 && c.tabIndex >= 0
                             && /auto|scroll/.test(getComputedStyle(c).overflowX);
                  c.scrollLeft = before;
                  return ok ? null : c.textContent.slice(0, 60); })
      .filter(Boolean)"""


IMAGES = """() => [...document.querySelectorAll('main img, article img')].map(img => ({
  src: (img.getAttribute('src') || '').slice(0, 80), alt: img.getAttribute('alt'),
  widget: img.classList.contains('jupyter-widgets'),
  frame: [...img.classList].filter(c => c.startsWith('frame-')).join(' ')}))"""


CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const selector = '.jupyter-widgets .widget-label, .jupyter-widgets .widget-readout, '
    + '.jupyter-widgets .widget-html-content, .widget-tab .lm-TabBar-tab, .widget-toggle-button';
  for (const el of document.querySelectorAll(selector)) {
    if (!el.textContent.trim() || el.getBoundingClientRect().width === 0) continue;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out.push({text: el.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05)});
  }
  const cards = [...document.querySelectorAll('article img')]
    .filter(i => i.getBoundingClientRect().width > 0)
    .map(i => ({src: (i.getAttribute('src') || '').slice(0, 60),
                bg: getComputedStyle(i).backgroundColor}));
  return {texts: out, cards};
}"""


# ---------------------------------------------------------------------------
# One page load shared by the tests of a page that click or move its controls
# ---------------------------------------------------------------------------


class KeptPage:
    """An open page of the book, and what went wrong on it (``problems``: a dict of lists).

    ``as_loaded``: no test has changed it since it loaded (a test that moved its
    controls put them back). ``loading``: what went wrong while it loaded; every
    test that uses the page starts with those in ``problems``, then adds its own.
    """

    def __init__(self, page, context, problems: dict[str, list] | None = None):
        self.page, self.context = page, context
        self.problems = problems if problems is not None else {}
        self.loading = {kind: list(found) for kind, found in self.problems.items()}
        self.as_loaded = True

    def start_test(self) -> None:
        for kind, found in self.problems.items():
            found[:] = self.loading[kind]  # in place: the page's listeners append to these lists


class KeptPages:
    """At most one open page, kept from one test to the next test of the same page.

    A test asks either for the page *as loaded* (a new load, unless the tests
    before it left the page as they found it) or for the page *as the previous
    test left it* (a test written to start from any state). A page is kept only
    after a test that passed. The tests of one page follow each other (see
    ``pytest_collection_modifyitems`` in conftest.py), so a page is loaded about
    once per file instead of once per test.
    """

    def __init__(self):
        self._key = None
        self._kept: KeptPage | None = None

    def take(self, key, *, as_loaded: bool) -> KeptPage | None:
        """The page kept under ``key`` if it fits ``as_loaded``, else None (and it is closed)."""
        kept, self._kept = self._kept, None
        if kept is not None and (self._key != key or (as_loaded and not kept.as_loaded)):
            kept.context.close()
            kept = None
        if kept is not None:
            kept.start_test()
        return kept

    def give_back(self, key, kept: KeptPage, *, passed: bool, changed: bool) -> None:
        """After a test: keep its page for the next one if the test passed, else close it."""
        self.close()
        if passed:
            kept.as_loaded = kept.as_loaded and not changed
            self._key, self._kept = key, kept
        else:
            kept.context.close()

    def close(self) -> None:
        if self._kept is not None:
            self._kept.context.close()
        self._key, self._kept = None, None
