"""Opening a page of the built book, and what its read-only checks measure on it.

``page_report`` (a session fixture, made available to every browser test by
conftest.py) loads each page once and measures there what test_book_pages.py
and the read-only checks of test_book_readability.py assert on, then hands the
page on (``PagePool``, ``open_book_page``) to the tests that move its controls
and answer its quizzes: every page is loaded about once per session, not once
per check, width, colour mode or test file (a page load costs Chromium about
5 CPU-seconds: the 2-core suite is CPU-bound).
"""

from __future__ import annotations

import os
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

#: The sliders and rows of toggle buttons shown, with their names and what they
#: read (asserted on by test_book_readability.py).
CONTROLS = """() => {
  const name = el => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const byId = ids.map(i => document.getElementById(i)).filter(Boolean)
      .map(e => e.textContent.trim()).join(' ');
    return (byId || el.getAttribute('aria-label') || '').trim();
  };
  const sliders = [...document.querySelectorAll('[role="slider"]')]
    .filter(h => h.getBoundingClientRect().width > 0)
    .map(h => { const box = h.closest('.widget-slider, .widget-hslider');
                const readout = box && box.querySelector('.widget-readout');
                const label = box && box.querySelector('.widget-label');
                return {name: name(h), valuetext: h.getAttribute('aria-valuetext'),
                        label: label ? label.textContent.trim() : null,
                        readout: readout ? readout.textContent.trim() : null,
                        index: h.getAttribute('aria-valuenow')}; });
  const toggles = [...document.querySelectorAll('.widget-toggle-buttons')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => { const group = t.querySelector('[role="group"]');
                return {name: group ? name(group) : '',
                        buttons: [...t.querySelectorAll('.widget-toggle-button')].map(b => ({
                          text: b.textContent.trim(), pressed: b.getAttribute('aria-pressed'),
                          active: b.classList.contains('mod-active')}))}; });
  return {sliders, toggles};
}"""


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


#: page -> the _static/ files it loaded: informational, printed in the terminal
#: summary (see ``pytest_terminal_summary`` in conftest.py).
STATIC_LOADS: dict[str, set[str]] = {}

#: page -> how many times the session loaded it (page_report and PagePool):
#: informational, printed in the terminal summary.
PAGE_LOADS: dict[str, int] = {}


def _note_static_load(path: str, response) -> None:
    p = urlparse(response.url).path
    if p.startswith("/_static/") and response.status < 400:
        STATIC_LOADS.setdefault(path, set()).add(p.removeprefix("/"))


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
            page.on("response", lambda r: _note_static_load(path, r))
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
#: In an order that changes one thing at a time (each change of width lays out
#: the whole page again, each change of mode restyles it).
VIEWS = [(1280, "light"), (1280, "dark"), (390, "dark"), (390, "light")]
assert sorted(VIEWS) == sorted((px, m) for m in ("light", "dark") for px in WIDTHS.values())


#: Full-page screenshots (several seconds of CPU per long page) only when asked for:
#: ``BOOK_FULL_SCREENSHOTS=1 ./dev test browser``. The screenshots of each view
#: (one 900 px high screen at each width and colour mode, scrolled to the page's
#: first explorer, display equation or output image) are always saved.
FULL_SCREENSHOTS = os.environ.get("BOOK_FULL_SCREENSHOTS", "") not in ("", "0")


@pytest.fixture(scope="session")
def page_report(browser, book_url, screenshot_dir, book_pages):
    """What the read-only checks need from a page at a width and colour mode.

    ``page_report(path, "load")`` is what test_book_pages.py needs from the same
    load: math and widget reports, the controls' names and values (``CONTROLS``),
    what went wrong while loading (``problems``) and then while the views below
    were taken (``viewing``), and (with
    ``BOOK_FULL_SCREENSHOTS=1``) a full-page screenshot under ``_build/screenshots/``.

    Each page is loaded once per session, the first time a test asks for it, and
    every view (both widths, light and dark) is taken from that one load: the
    viewport is resized and the colour mode switched as the theme's switch does,
    then the page is measured again once it has settled. Then the page is put
    back at 1280 px in light mode and handed to the page's next tests
    (``PagePool``). Per view: the layout
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
        """What test_book_pages.py checks (and the controls as they read before
        any test moves them): the page as loaded at 1280 px, light."""
        page.wait_for_load_state("networkidle")
        report = {
            "math": page.evaluate(MATH_REPORT),
            "widgets": page.evaluate(WIDGET_REPORT),
            "controls": page.evaluate(CONTROLS),
            "problems": {k: list(v) for k, v in problems.items()},
        }
        if FULL_SCREENSHOTS:
            shot = screenshot_dir / (path.replace("/", "__").removesuffix(".html") + ".png")
            page.screenshot(path=str(shot), full_page=True)
        return report

    def _collect(path: str) -> dict:
        first_px, first_mode = VIEWS[0]
        problems = new_problems()
        page, context = _open_page(browser, book_url, path, first_px, first_mode, problems)
        PAGE_LOADS[path] = PAGE_LOADS.get(path, 0) + 1
        try:
            found = {"load": _load(page, path, problems)}
            found.update({(px, mode): _view(page, path, px, mode) for px, mode in VIEWS})
            # back to the first view, then on to the page's next tests (see PagePool)
            page.set_viewport_size({"width": first_px, "height": 900})
            page.evaluate(SET_MODE, first_mode)
            page.evaluate(SETTLED)
        except BaseException:
            context.close()
            raise
        # What went wrong while the views were taken (resized, switched to dark
        # mode): test_book_pages.py asserts on it. The page's next tests start
        # from what went wrong while it loaded, not from this.
        at_load = found["load"]["problems"]
        found["load"]["viewing"] = {k: v[len(at_load[k]) :] for k, v in problems.items()}
        kept = KeptPage(page, context, problems)
        kept.loading = {k: list(v) for k, v in at_load.items()}
        book_pages.give_back(path, kept, passed=True)
        return found

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
# One page load shared by every test of a page
# ---------------------------------------------------------------------------

#: What a test can leave changed on a page: the explorers' controls and tabs, and
#: the quizzes' chosen answers. (Viewport and colour mode are put back by
#: ``page_report`` before it hands its page on.)
ASPECTS = frozenset({"explorers", "quizzes"})


def _check_aspects(name: str, aspects) -> None:
    unknown = set(aspects) - ASPECTS
    if unknown:
        raise ValueError(f"{name}: unknown aspects {sorted(unknown)}; known: {sorted(ASPECTS)}")


class KeptPage:
    """An open page of the book, and what went wrong on it (``problems``: a dict of lists).

    ``changed``: the aspects (see ``ASPECTS``) that a test has changed since the
    page loaded; a test that moved controls and put them back did not change
    them. ``loading``: what went wrong while it loaded; every test that uses the
    page starts with those in ``problems``, then adds its own.
    """

    def __init__(self, page, context, problems: dict[str, list] | None = None):
        self.page, self.context = page, context
        self.problems = problems if problems is not None else {}
        self.loading = {kind: list(found) for kind, found in self.problems.items()}
        self.changed: set[str] = set()

    def start_test(self) -> None:
        for kind, found in self.problems.items():
            found[:] = self.loading[kind]  # in place: the page's listeners append to these lists


class PagePool:
    """At most one open page of the book, handed from one test of that page to the next.

    Every browser test of a page asks for it through this pool (the session
    fixture ``book_pages``): ``page_report`` loads the page first, measures it
    and hands it on; each later test of the page states which aspects it needs
    *as loaded* (``pristine``) and which it leaves changed (``changes``). A page
    is loaded again only when a test needs an aspect that an earlier test
    changed, or after a test that failed. The tests of one page run one after
    the other, in the order of ``TEST_ORDER`` in conftest.py (tests that need
    the page as loaded before those that change it), so a page is loaded about
    once per session instead of once per test file.
    """

    def __init__(self):
        self._key = None
        self._kept: KeptPage | None = None

    def take(self, key, *, pristine=frozenset()) -> KeptPage | None:
        """The page kept under ``key`` if none of ``pristine`` has changed, else None."""
        _check_aspects("pristine", pristine)
        kept, self._kept = self._kept, None
        if kept is not None and (self._key != key or kept.changed & set(pristine)):
            kept.context.close()
            kept = None
        if kept is not None:
            kept.start_test()
        return kept

    def give_back(self, key, kept: KeptPage, *, passed: bool, changes=frozenset()) -> None:
        """After a test: keep its page for the next one if the test passed, else close it."""
        _check_aspects("changes", changes)
        self.close()
        if passed:
            kept.changed |= set(changes)
            self._key, self._kept = key, kept
        else:
            kept.context.close()

    def close(self) -> None:
        if self._kept is not None:
            self._kept.context.close()
        self._key, self._kept = None, None


@pytest.fixture(scope="session")
def book_pages(browser):
    """The session's ``PagePool`` (closed before the browser it holds a page of)."""
    pool = PagePool()
    yield pool
    pool.close()


def new_problems() -> dict[str, list]:
    """What a page load records: console and page errors, requests that left 127.0.0.1 or failed."""
    return {"console": [], "pageerror": [], "external": [], "http": [], "failed": []}


@pytest.fixture
def open_book_page(browser, book_url, book_pages, request):
    """``open_book_page(path, pristine=..., changes=...)``: a ``KeptPage`` at 1280 px, light.

    The page kept by the pool if the aspects in ``pristine`` are as loaded,
    else a new load (math and widgets rendered, offline). After the test the
    page goes back to the pool with ``changes`` marked, if the test passed.
    """
    used = []

    def _open(path: str, *, pristine=frozenset(), changes=frozenset()) -> KeptPage:
        _check_aspects("changes", changes)  # here, not after the test with its page taken
        kept = book_pages.take(path, pristine=pristine)
        if kept is None:
            problems = new_problems()
            kept = KeptPage(*_open_page(browser, book_url, path, 1280, "light", problems), problems)
            PAGE_LOADS[path] = PAGE_LOADS.get(path, 0) + 1
        used.append((path, kept, changes))
        return kept

    yield _open
    for path, kept, changes in used:
        book_pages.give_back(
            path, kept, passed=getattr(request.node, "passed", False), changes=changes
        )
