"""The "Run in the browser" site (JupyterLite, ``_build/html/lite``) in headless Chromium.

Built by ``scripts/build_lite.py`` (``./dev lite``; ``./dev test lite`` builds it,
then runs this file). Every request that leaves 127.0.0.1 is blocked and recorded.

What cannot be tested here: running a chapter. Its cells need NumPy and
Matplotlib compiled for Pyodide, which only Pyodide's CDN publishes (not PyPI,
not npm), so the site's kernel loads them from the CDN as it starts. The tests
check that the site asks for exactly those files on the CDN (the lock file's
URLs and hashes), and they boot the kernel offline with the site's own
configuration minus that preload (the configuration file is rewritten in the
browser's request, not on disk): it starts, runs Python, and installs ``utils``
from the site's wheel without its dependencies.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading
import time
import tomllib
import urllib.parse
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
LITE = HTML / "lite"
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
CDN = "https://cdn.jsdelivr.net/pyodide/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


def _config() -> dict:
    return json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]


def _lock() -> dict:
    return json.loads((LITE / "static" / "pyodide" / "pyodide-lock.json").read_text())["packages"]


@pytest.fixture(scope="module")
def site():
    if not (LITE / "index.html").exists():
        pytest.fail("the JupyterLite site is not built: run `./dev lite` first")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(HTML))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    import shutil

    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: run `sudo apt-get install -y chromium`")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser, site, preload: bool):
    context = browser.new_context()
    outside: list[str] = []
    local: list[str] = []

    def route(r):
        url = r.request.url
        if not url.startswith(site):
            outside.append(url)
            r.abort()
        elif not preload and urllib.parse.urlparse(url).path == "/lite/jupyter-lite.json":
            body = json.loads((LITE / "jupyter-lite.json").read_text())
            settings = body["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
            settings.pop("loadPyodideOptions")
            r.fulfill(status=200, content_type="application/json", body=json.dumps(body))
        else:
            local.append(url)
            r.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.outside, page.local = outside, local
    return context, page


@pytest.fixture
def offline_page(browser, site):
    """A page with no network beyond 127.0.0.1, and the kernel's preload removed."""
    context, page = _page(browser, site, preload=False)
    yield page
    context.close()


@pytest.fixture
def blocked_page(browser, site):
    """A page with no network beyond 127.0.0.1, the site as published."""
    context, page = _page(browser, site, preload=True)
    yield page
    context.close()


def _repl(page, site: str, code: str, timeout_s: float = 240) -> list[str]:
    """Run ``code`` in the site's REPL (a fresh kernel); return the texts of its outputs."""
    start = time.perf_counter()
    page.goto(f"{site}/lite/repl/index.html?kernel=python&code={urllib.parse.quote(code)}")
    page.wait_for_selector(".jp-OutputArea-output", timeout=timeout_s * 1000)
    page.wait_for_timeout(500)
    page.elapsed = time.perf_counter() - start
    return [e.inner_text() for e in page.query_selector_all(".jp-OutputArea-output")]


# --- what the site holds ------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_site_holds_the_chapter_as_committed(notebook):
    served = LITE / "files" / notebook.name
    assert served.read_bytes() == notebook.read_bytes()


def test_site_holds_the_utils_wheel_of_this_version():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    index = json.loads((LITE / "pypi" / "all.json").read_text())
    assert version in index["calcml-utils"]["releases"]
    wheel = LITE / "pypi" / f"calcml_utils-{version}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    sources = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "utils").glob("*.py"))
    assert set(sources) <= set(names)
    assert "utils/quizzes/01_derivatives.yml" in names


def test_kernel_starts_with_utils_and_its_dependencies_loaded():
    settings = _config()["litePluginSettings"][KERNEL_PLUGIN]
    assert settings["loadPyodideOptions"]["packages"] == ["calcml-utils"]
    assert settings["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    lock = _lock()
    assert {"numpy", "matplotlib", "ipywidgets"} <= set(lock["calcml-utils"]["depends"])


def test_files_the_site_serves_match_the_lock_file_hashes():
    folder = LITE / "static" / "pyodide"
    local = {k: v for k, v in _lock().items() if not v["file_name"].startswith("https://")}
    assert {"micropip", "ipython", "ipywidgets", "calcml-utils"} <= set(local)
    for name, entry in local.items():
        digest = hashlib.sha256((folder / entry["file_name"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], name


def test_compiled_packages_come_from_pyodides_cdn_of_the_same_version():
    lock_info = json.loads((LITE / "static" / "pyodide" / "pyodide-lock.json").read_text())
    package = json.loads((LITE / "static" / "pyodide" / "package.json").read_text())
    for name in ("numpy", "matplotlib", "pillow", "pyyaml"):
        url = _lock()[name]["file_name"]
        assert url.startswith(f"{CDN}v{package['version']}/full/"), url
    assert lock_info["info"]["python"].startswith("3.")


# --- in the browser, offline --------------------------------------------------


def test_kernel_boots_offline_and_runs_python(offline_page, site):
    outputs = _repl(offline_page, site, "import sys\nprint(sys.platform, sum(range(10)))")
    assert outputs == ["emscripten 45\n"]
    assert offline_page.outside == []


def test_utils_installs_from_the_bundled_wheel_offline(offline_page, site):
    # by the wheel's URL: by name, micropip would resolve the lock file's dependencies
    # (NumPy, ...) from the CDN even with --no-deps
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    wheel = f"{site}/lite/pypi/calcml_utils-{version}-py3-none-any.whl"
    code = (
        f"%pip install --no-deps {wheel}\n"
        "import importlib.metadata as md\n"
        "d = md.distribution('calcml-utils')\n"
        "print(d.version, sorted(str(f) for f in d.files if f.name == 'numdiff.py'))"
    )
    outputs = _repl(offline_page, site, code)
    assert outputs[-1] == f"{version} ['utils/numdiff.py']\n"
    assert offline_page.outside == []


def test_chapter_opens_in_the_notebook_app_offline(offline_page, site):
    offline_page.goto(f"{site}/lite/notebooks/index.html?path=01_derivatives.ipynb")
    heading = offline_page.wait_for_selector(".jp-Notebook h1", timeout=120_000)
    assert heading.inner_text().strip()
    offline_page.wait_for_selector(".jp-Notebook .jp-OutputArea-output", timeout=60_000)
    assert offline_page.outside == []


def test_kernel_start_fetches_utils_from_the_site_and_only_compiled_packages_from_the_cdn(
    blocked_page, site
):
    # the site as published, the CDN blocked: the start-up preload asks for the utils
    # wheel and ipywidgets from the site and for NumPy and Matplotlib from the CDN
    lock = _lock()
    cdn_files = {lock[n]["file_name"] for n in ("numpy", "matplotlib")}
    blocked_page.goto(f"{site}/lite/repl/index.html?kernel=python")
    deadline = time.perf_counter() + 180
    while time.perf_counter() < deadline and not cdn_files <= set(blocked_page.outside):
        blocked_page.wait_for_timeout(1000)
    assert cdn_files <= set(blocked_page.outside), blocked_page.outside
    assert all(u.startswith(CDN) for u in blocked_page.outside), blocked_page.outside
    served = {urllib.parse.urlparse(u).path.rsplit("/", 1)[-1] for u in blocked_page.local}
    assert lock["calcml-utils"]["file_name"] in served
