"""The PDF extension's pieces that need no LaTeX (book/_ext/pdf_book.py).

The PDF itself is built and checked by tests/pdf (``./dev test pdf``).
"""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


pdf_book = _load("pdf_book", ROOT / "book" / "_ext" / "pdf_book.py")


def test_the_examples_in_the_extension_docstrings_hold():
    result = doctest.testmod(pdf_book)
    assert result.attempted >= 1 and result.failed == 0


def test_widget_caption_names_the_widget_and_where_to_use_it_live():
    caption = pdf_book.widget_caption("Depth (interactive: 4 precomputed frames, live tab)")
    assert caption.startswith('Interactive figure "Depth", shown at its default settings.')
    assert "online book" in caption and "notebook" in caption


def test_widget_caption_without_a_title_still_reads():
    assert pdf_book.widget_caption("VBox(children=...)").startswith(
        "Interactive figure, shown at its default settings."
    )


def test_the_latex_title_escapes_the_ampersand_of_the_html_title():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    latex_title = config["latex"]["latex_documents"]["title"]
    assert latex_title == config["title"].replace("&", r"\&")


def test_the_latex_files_the_config_names_exist():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    files = config["sphinx"]["config"]["latex_additional_files"]
    assert files and all((ROOT / f).is_file() for f in files)


def test_the_landing_page_links_to_where_the_workflow_publishes_the_pdf():
    import posixpath
    import re

    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    published = re.search(r"cp _build/latex/book\.pdf _build/html/(\S+)", workflow).group(1)
    link = re.search(r'<a href="([^"]+\.pdf)"', (ROOT / "book" / "intro.md").read_text()).group(1)
    # the landing page is built as book/intro.html
    assert posixpath.normpath(posixpath.join("book", link)) == published
