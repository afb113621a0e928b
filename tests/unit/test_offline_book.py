"""book/_ext/offline_book.py keeps sphinx-thebe's scripts and per-page config out of the HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

EXT = Path(__file__).resolve().parents[2] / "book" / "_ext"

THEBE_MARKERS = ("sphinx-thebe.js", "THEBE_JS_URL", "text/x-thebe-config", "kernelName")


@pytest.fixture(autouse=True)
def extension_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(EXT))
    yield
    sys.modules.pop("offline_book", None)


def build(tmp_path: Path, extensions: list[str]) -> str:
    """Build a one-page book with ``extensions``; return the page's HTML."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"extensions = {extensions!r}\n"
        "thebe_config = {'repository_url': 'https://github.com/org/repo'}\n"
    )
    (src / "index.rst").write_text("A page\n======\n\nSome text.\n")
    app = Sphinx(
        str(src),
        str(src),
        str(tmp_path / "out"),
        str(tmp_path / "doctrees"),
        "html",
        status=None,
        warning=None,
        freshenv=True,
    )
    app.build()
    return (tmp_path / "out" / "index.html").read_text()


def test_without_the_extension_the_page_carries_thebe(tmp_path):
    # the control: what offline_book removes is really there to begin with
    html = build(tmp_path, ["sphinx_thebe"])
    assert [marker for marker in THEBE_MARKERS if marker not in html] == []


def test_the_extension_removes_thebes_scripts_and_page_config(tmp_path):
    html = build(tmp_path, ["sphinx_thebe", "offline_book"])
    assert [marker for marker in THEBE_MARKERS if marker in html] == []
    assert "Some text." in html


def test_the_extension_stops_the_build_if_thebes_hooks_are_not_found(tmp_path):
    with pytest.raises(ExtensionError, match="sphinx-thebe's listeners"):
        build(tmp_path, ["offline_book"])
