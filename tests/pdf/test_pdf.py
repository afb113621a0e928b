"""The PDF of the book (``./dev pdf``): built, complete, numbered as the HTML is.

The session fixture builds ``_build/latex/book.pdf`` from the committed
notebooks with ``./dev pdf`` (Jupyter Book's pdflatex builder, warnings as
errors; a failed build is a test error) and reads its text page by page with
poppler's ``pdftotext``. Expected values come from the sources: the table of
contents, the notebooks' headings, labels and outputs. Needs TeX Live and
poppler-utils (``.ci/run`` installs them). Run: ``./dev test pdf``.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "_build" / "latex" / "book.pdf"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: a labelled display equation in a notebook's markdown: $$ ... $$ (label)
_EQUATION_LABEL = re.compile(r"\$\$\s*\(([\w-]+)\)")
_MATH_LABEL = re.compile(r"```\{math\}\s*\n:label:\s*([\w-]+)")
_ANY_LABEL = re.compile(r"\(([a-z]+-[\w-]+)\)=|:label:\s*([\w-]+)|\$\$\s*\(([\w-]+)\)")


# --- the sources ------------------------------------------------------------


def toc_parts() -> list[dict]:
    return yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]


def source_path(entry: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (ROOT / (entry + suffix)).exists():
            return ROOT / (entry + suffix)
    raise FileNotFoundError(entry)


def markdown_of(path: Path) -> str:
    if path.suffix == ".md":
        return path.read_text()
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def title_of(path: Path) -> str:
    return re.search(r"^# (.+)$", markdown_of(path), re.MULTILINE).group(1).strip()


def numbered_chapters() -> list[Path]:
    return [source_path(c["file"]) for p in toc_parts() if p.get("numbered") for c in p["chapters"]]


def all_pages() -> list[Path]:
    return [source_path(c["file"]) for p in toc_parts() for c in p["chapters"]]


def displayed_equation_labels(path: Path) -> list[str]:
    text = markdown_of(path)
    found = [(m.start(), m.group(1)) for m in _EQUATION_LABEL.finditer(text)]
    found += [(m.start(), m.group(1)) for m in _MATH_LABEL.finditer(text)]
    return [label for _, label in sorted(found)]


def code_of_notebooks() -> str:
    """The notebooks' code and the text it printed (an exercise checker prints its label)."""
    cells = [
        cell
        for path in sorted((ROOT / "chapters").glob("*.ipynb"))
        for cell in json.loads(path.read_text())["cells"]
        if cell["cell_type"] == "code"
    ]
    printed = [
        "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
        for c in cells
        for out in c.get("outputs", [])
    ]
    return "\n".join(["".join(c["source"]) for c in cells] + printed)


def widget_frames_in_outputs() -> int:
    """Outputs that are widgets with a default frame (image/png) in the committed notebooks."""
    count = 0
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if WIDGET_VIEW in data and "image/png" in data:
                    assert base64.b64decode(data["image/png"])[:4] == b"\x89PNG"
                    count += 1
    return count


# --- the PDF ------------------------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def pdf_pages() -> list[str]:
    for tool in ("xelatex", "latexmk", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.fail(
                f"{tool} not found: the PDF needs TeX Live and poppler-utils "
                "(see .ci/run for the apt-get line)"
            )
    start = time.monotonic()
    subprocess.run([str(ROOT / "dev"), "pdf"], cwd=ROOT, check=True)
    print(f"PDF built in {time.monotonic() - start:.0f} s")
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))
    text = subprocess.run(
        ["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout
    # pdftotext ends each page with a form feed
    return text.split("\f")[:pages]


@pytest.fixture(scope="session")
def pdf_text(pdf_pages) -> str:
    return "\n".join(pdf_pages)


def test_pdf_has_a_page_count_of_a_book(pdf_pages):
    # at least two pages per source page of the toc, and no runaway (e.g. one cell per page)
    assert 2 * len(all_pages()) <= len(pdf_pages) <= 600
    print(f"{len(pdf_pages)} pages, {PDF.stat().st_size / 1e6:.1f} MB")


def test_every_page_of_the_toc_has_its_title_in_the_pdf(pdf_text):
    text = squash(pdf_text)
    missing = [title_of(p) for p in all_pages() if squash(title_of(p)) not in text]
    assert not missing


def test_chapters_open_with_the_number_the_html_gives_them(pdf_pages):
    # HTML: only the "numbered" part of _toc.yml is numbered, from 1, in order
    for number, path in enumerate(numbered_chapters(), start=1):
        opening = f"Chapter {number} {squash(title_of(path))}"
        assert any(squash(page).startswith(opening) for page in pdf_pages), opening


def test_pages_before_the_chapters_are_not_numbered_chapters(pdf_pages):
    first = squash(title_of(all_pages()[0]))
    openings = [squash(p) for p in pdf_pages if squash(p).startswith(first)]
    assert openings, first
    assert not any(re.match(r"Chapter \d+ " + re.escape(first), squash(p)) for p in pdf_pages)


@pytest.mark.parametrize("index", [0, 3])
def test_equations_carry_their_chapter_and_place_as_in_the_html(pdf_text, index):
    # the HTML numbers the labelled display equations of chapter k as (k.1), (k.2), ...
    path = numbered_chapters()[index]
    count = len(displayed_equation_labels(path))
    assert count > 1
    k = index + 1
    for n in (1, count):
        assert f"({k}.{n})" in pdf_text
    assert f"({k}.{count + 1})" not in pdf_text


def test_no_reference_is_left_unresolved(pdf_text):
    assert "??" not in pdf_text


def test_no_label_is_printed_raw(pdf_text):
    labels = set()
    for path in all_pages():
        for match in _ANY_LABEL.finditer(markdown_of(path)):
            labels.add(next(g for g in match.groups() if g))
    # a label the code itself prints or mentions (as in the HTML) is not a rendering defect,
    # e.g. an exercise checker's feedback, which names its exercise
    labels = {label for label in labels if label not in code_of_notebooks()}
    text = pdf_text.replace("-\n", "-")
    printed = sorted(label for label in labels if re.search(rf"(?<![\w-]){label}(?![\w-])", text))
    assert not printed


def test_references_have_single_brackets(pdf_text):
    assert not re.search(r"\(\(\d+\.\d+\)\)", pdf_text)  # equations: (1.2), not ((1.2))
    assert not re.search(r"\[\[[A-Z][^\]\n]*\d{4}\]\]", pdf_text)  # citations


def test_the_bibliography_is_printed_once(pdf_pages):
    headings = [p for p in pdf_pages if squash(p).startswith("Bibliography")]
    assert len(headings) == 1
    # one list: each entry once (Higham's book is cited in several chapters)
    assert squash("\n".join(pdf_pages)).count("Higham, N. J. (2002)") == 1


def test_widgets_are_printed_as_their_default_frame_with_a_line_on_where_to_use_them(pdf_text):
    lines = squash(pdf_text).count("Interactive figure")
    assert lines == widget_frames_in_outputs()


def test_solutions_follow_the_chapters_in_a_part_of_their_own(pdf_pages):
    first_solution = next(
        i for i, p in enumerate(pdf_pages) if "Solution to Exercise 1.1" in squash(p)
    )
    last_chapter = numbered_chapters()[-1]
    opening = next(
        i
        for i, p in enumerate(pdf_pages)
        if squash(p).startswith(f"Chapter {len(numbered_chapters())} ")
        and squash(title_of(last_chapter)) in p
    )
    assert first_solution > opening
    # one unnumbered chapter of solutions per chapter, named after it
    first = numbered_chapters()[0]
    heading = f"Chapter 1: {squash(title_of(first))}"
    assert any(squash(p).startswith(heading) for p in pdf_pages[opening:]), heading
    assert any(squash(p) == "Solutions" or squash(p).startswith("Solutions ") for p in pdf_pages)
