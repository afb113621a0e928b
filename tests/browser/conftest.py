"""Fixtures for the browser tests: a local HTTP server and Debian's Chromium via Playwright.

These tests need the built book (``_build/html``) and a Chromium binary on PATH
(Debian: ``apt-get install chromium``). They never download a browser: Playwright
drives the system Chromium through ``executable_path``. A missing prerequisite is
a test *error* with the command that fixes it, never a skip.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import socket
import threading
from pathlib import Path

import pytest

from .book_page import (  # noqa: F401 - the one definition of these fixtures
    PAGE_LOADS,
    STATIC_LOADS,
    book_pages,
    open_book_page,
    page_report,
)

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


@pytest.fixture(scope="session")
def book_url() -> str:
    """Serve ``_build/html`` on 127.0.0.1 and return its base URL."""
    if not (HTML / "index.html").exists():
        pytest.fail(
            "the book is not built: run `./dev book` (or `jupyter-book build . --all -W`) first"
        )
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Chromium is not installed: run `sudo apt-get install -y chromium` (Debian/Ubuntu)"
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# ---------------------------------------------------------------------------
# Scheduling on pytest-xdist workers (``-n 2 --dist loadscope``, see ./dev)
# ---------------------------------------------------------------------------

#: Tests that are not about one page of the book, in the order they are handed
#: out (the longest first, so that the two workers finish together: the
#: JupyterLab tests take about as long as the pages of the book on one worker).
FILE_ORDER = [
    "test_jupyterlab.py",
    "test_launch_links.py",
]

#: The tests of one page of the book, in the order they run (see book_page.PagePool):
#: first those that read the page as loaded (``page_report``), then those that
#: move controls and put them back, then those that leave answers chosen or
#: controls moved. Tests not listed run last.
TEST_ORDER = [
    "test_equations_tables_widgets_and_images_fit_their_column",
    "test_page_renders_offline_without_errors",
    "test_a_long_equation_scrolls_inside_the_column_on_a_phone",
    "test_every_image_has_alt_text",
    "test_dark_mode_keeps_widget_text_readable_and_figures_on_a_light_card",
    "test_explorer_state_has_every_frame_and_link",
    "test_page_html_is_under_1_5_mb",
    "test_static_controls_show_the_matching_frame",
    "test_live_tab_says_it_needs_a_kernel",
    "test_the_finite_difference_step_reads_as_a_power_of_ten",
    "test_every_answer_right_and_wrong_shows_its_own_feedback",
    "test_quiz_math_is_typeset",
    "test_answer_buttons_are_a_labelled_group_that_says_which_is_pressed",
    "test_every_combination_of_the_controls_shows_its_frame",
    "test_a_control_that_does_not_apply_to_the_view_says_so",
    "test_sliders_and_toggles_have_names_and_read_their_values",
]

#: A test parametrized by a page of the built book: ``...::test_x[chapters/01_x.html-390px]``.
PAGE_TEST = re.compile(r"::\w+\[(?P<page>[\w./-]+?\.html)(?:-[^\]]*)?\]$")


def pytest_xdist_make_scheduler(config, log):
    """With ``--dist loadscope``: every test is its own unit of work, except that
    the tests of one page of the book go to one worker (a session cache, such as
    ``page_report``, then loads the page once for all of them), and so do all the
    JupyterLab tests (one worker starts JupyterLab and loads its page, not both:
    that saved about 17 of 229 CPU-seconds of the browser tests, and the other
    worker takes the pages of the book meanwhile).

    (pytest-xdist 3.8's ``--dist loadgroup`` does not group with pytest 9.2: it
    renames ``item._nodeid``, which pytest no longer reads.)
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PageScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            found = PAGE_TEST.search(nodeid)
            if found:
                return f"page {found['page']}"
            if nodeid.startswith("tests/browser/test_jupyterlab.py::"):
                return "jupyterlab"  # one worker starts JupyterLab, not both
            return nodeid

    return PageScheduling(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Hand out the browser tests longest first, the tests of one page together.

    First the tests that are not about one page (``FILE_ORDER``; the JupyterLab
    ones together, see pytest_xdist_make_scheduler); then the pages of the
    book, the largest HTML file first, each page's tests together in
    ``TEST_ORDER`` (see pytest_xdist_make_scheduler): so each page
    is loaded once and handed from test to test (book_page.PagePool), also
    without pytest-xdist. Each worker starts what its tests need (session
    fixtures: HTTP server, Chromium, JupyterLab).
    """
    browser = [i for i in items if Path(i.path).parent == Path(__file__).parent]
    if not browser:
        return
    files = {name: k for k, name in enumerate(FILE_ORDER)}
    tests = {name: k for k, name in enumerate(TEST_ORDER)}
    position = {id(item): k for k, item in enumerate(items)}
    first = min(position[id(i)] for i in browser)

    def key(item):
        found = PAGE_TEST.search(item.nodeid)
        if not found:
            return (0, files.get(Path(item.path).name, len(files)), "", 0, position[id(item)])
        page = HTML / found["page"]
        size = page.stat().st_size if page.is_file() else 0
        name = item.originalname or item.name
        return (1, -size, found["page"], tests.get(name, len(tests)), position[id(item)])

    ordered = sorted(browser, key=key)
    others = [i for i in items if Path(i.path).parent != Path(__file__).parent]
    items[:] = others[:first] + ordered + others[first:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Note on the test whether its body passed (``item.passed``), for fixtures that
    keep a page for the next test only after a test that passed."""
    report = yield
    if report.when == "call":
        item.passed = report.passed
    return report


# ---------------------------------------------------------------------------
# Informational, not a test: how much the shared static assets weigh
# ---------------------------------------------------------------------------


def pytest_sessionfinish(session):
    """On a pytest-xdist worker: hand the pages' static loads to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["static_loads"] = {k: sorted(v) for k, v in STATIC_LOADS.items()}
        workeroutput["page_loads"] = dict(PAGE_LOADS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """On the pytest-xdist controller: gather what each worker measured."""
    for page, loaded in getattr(node, "workeroutput", {}).get("static_loads", {}).items():
        STATIC_LOADS.setdefault(page, set()).update(loaded)
    for page, n in getattr(node, "workeroutput", {}).get("page_loads", {}).items():
        PAGE_LOADS[page] = PAGE_LOADS.get(page, 0) + n


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def pytest_terminal_summary(terminalreporter):
    if PAGE_LOADS:
        most = max(PAGE_LOADS.values())
        terminalreporter.section("page loads (measured, not tested)")
        terminalreporter.write_line(
            f"{sum(PAGE_LOADS.values())} loads of {len(PAGE_LOADS)} pages of the book; "
            f"at most {most} of one page"
            + (
                ": " + ", ".join(p for p, n in sorted(PAGE_LOADS.items()) if n == most)
                if most > 1
                else ""
            )
        )
    _static_summary(terminalreporter)


def _static_summary(terminalreporter):
    static = HTML / "_static"
    if not static.is_dir():
        return
    by_top: dict[str, int] = {}
    total = files = 0
    for f in static.rglob("*"):
        if f.is_file():
            size = f.stat().st_size
            total += size
            files += 1
            rel = f.relative_to(static).parts
            key = "/".join(rel[:2]) if rel[0] == "vendor" and len(rel) > 2 else rel[0]
            by_top[key] = by_top.get(key, 0) + size
    tr = terminalreporter
    tr.section("shared static assets (measured, not tested)")
    biggest = sorted(by_top.items(), key=lambda kv: -kv[1])[:6]
    tr.write_line(
        f"_build/html/_static: {_mb(total)} on disk in {files} files; largest: "
        + ", ".join(f"{k} {_mb(v)}" for k, v in biggest)
    )
    for page, loaded in sorted(STATIC_LOADS.items()):
        sizes = [
            (static.parent / p).stat().st_size for p in loaded if (static.parent / p).is_file()
        ]
        tr.write_line(
            f"{page} loads {_mb(sum(sizes))} of them ({len(sizes)} files), "
            f"plus its own HTML {_mb((HTML / page).stat().st_size)}"
        )
