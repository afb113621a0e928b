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

from .book_page import page_report  # noqa: F401 - the one definition of this session fixture

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

#: Files in the order their tests are handed out: the longest tests first, so that
#: the two workers finish together (one JupyterLab notebook takes several times
#: as long as one page of the book).
FILE_ORDER = [
    "test_jupyterlab.py",
    "test_book_widgets.py",
    "test_book_quizzes.py",
    "test_book_readability.py",
    "test_book_pages.py",
    "test_launch_links.py",
]

#: A test parametrized by a page of the built book: ``...::test_x[chapters/01_x.html-390px]``.
PAGE_TEST = re.compile(r"::\w+\[(?P<page>[\w./-]+?\.html)(?:-[^\]]*)?\]$")


def pytest_xdist_make_scheduler(config, log):
    """With ``--dist loadscope``: every test is its own unit of work, except that
    the tests of one page of the book go to one worker (a session cache, such as
    ``page_report``, then loads the page once for all of them).

    (pytest-xdist 3.8's ``--dist loadgroup`` does not group with pytest 9.2: it
    renames ``item._nodeid``, which pytest no longer reads.)
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PageScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            found = PAGE_TEST.search(nodeid)
            return f"page {found['page']}" if found else nodeid

    return PageScheduling(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Hand out the browser tests one by one, longest first.

    The tests of one file (all the JupyterLab notebooks, say) are spread over
    both workers (see pytest_xdist_make_scheduler); each worker starts what its
    tests need (session fixtures: HTTP server, Chromium, JupyterLab).
    """
    browser = [i for i in items if Path(i.path).parent == Path(__file__).parent]
    if not browser:
        return
    rank = {name: k for k, name in enumerate(FILE_ORDER)}
    position = {id(item): k for k, item in enumerate(items)}
    first = min(position[id(i)] for i in browser)

    def page(item) -> str:
        found = PAGE_TEST.search(item.nodeid)
        return found["page"] if found else ""

    # Within a file, the tests of one page follow each other, in the file's order:
    # a test that leaves its page as it found it hands it to the next (see
    # book_page.KeptPages), also without pytest-xdist.
    ordered = sorted(
        browser,
        key=lambda i: (rank.get(Path(i.path).name, len(rank)), page(i), position[id(i)]),
    )
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

#: page -> the _static/ files it loaded (filled by test_book_widgets.py).
STATIC_LOADS: dict[str, set[str]] = {}


def pytest_sessionfinish(session):
    """On a pytest-xdist worker: hand the pages' static loads to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["static_loads"] = {k: sorted(v) for k, v in STATIC_LOADS.items()}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """On the pytest-xdist controller: gather what each worker measured."""
    for page, loaded in getattr(node, "workeroutput", {}).get("static_loads", {}).items():
        STATIC_LOADS.setdefault(page, set()).update(loaded)


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def pytest_terminal_summary(terminalreporter):
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
