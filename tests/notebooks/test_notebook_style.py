"""House style of the notebooks in chapters/, checked on their sources.

- Code lines are at most 79 characters (a URL, which cannot be broken, may
  overrun: the line is measured without it).
- The Colab set-up cell is build-only: it carries the ``remove-cell`` tag, so
  the HTML book does not open with it (it stays in the notebook a reader runs).
- Every chapter (``chapters/0*.ipynb``) opens with its prerequisites, time to
  read and what the reader will build, and has learning objectives, a
  summary, exercises and further reading. A part counts if a markdown cell has
  a heading of that name (``## Summary``), a bold run-in heading
  (``**Prerequisites.**``) or an admonition of that title.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from .conftest import CHAPTER_NOTEBOOKS, NOTEBOOKS, load_script

MAX_CODE_LINE = 79
URL = re.compile(r"\S*https?://\S*")
SETUP_MARKER = load_script("set_repository").SETUP_MARKER


#: part of a chapter -> the names it may go by (case-insensitive)
REQUIRED_PARTS = {
    "prerequisites": ["prerequisites", "before you start"],
    "time to read": ["time to read", "reading time"],
    "what you will build": ["what you will build", "what you'll build"],
    "learning objectives": ["learning objectives"],
    "summary": ["summary"],
    "exercises": ["exercises"],
    "further reading": ["further reading"],
}


def over_long_lines(source: str) -> list[tuple[int, int]]:
    """(line number, length) of each code line over the limit, URLs excused."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        if len(line) > MAX_CODE_LINE and len(URL.sub("", line)) > MAX_CODE_LINE:
            found.append((number, len(line)))
    return found


def part_titles(nb) -> list[str]:
    """Headings, bold run-in headings and admonition titles of the markdown."""
    titles = []
    patterns = [
        re.compile(r"^#{1,6}\s+(.+?)\s*$"),
        re.compile(r"^\*\*([^*]+?)[.:]?\*\*"),
        re.compile(r"^(?:```|:::)\{admonition\}\s+(.+?)\s*$"),
    ]
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            for pattern in patterns:
                match = pattern.match(line.strip())
                if match:
                    titles.append(match.group(1).strip().lower())
    return titles


def setup_cell(nb):
    return next(
        (c for c in nb.cells if c.cell_type == "code" and c.source.startswith(SETUP_MARKER)),
        None,
    )


# --- the checks themselves -------------------------------------------------


def test_over_long_lines_finds_a_long_code_line():
    assert over_long_lines("x = 1\n" + "y = " + "1 + " * 30 + "1\n") == [(2, 125)]


def test_over_long_lines_excuses_only_the_url():
    url = "https://example.org/" + "a" * 80
    assert over_long_lines(f'URL = "{url}"') == []
    assert over_long_lines(f'x = "{url}"  # ' + "words " * 15) != []


def test_part_titles_reads_headings_run_in_headings_and_admonitions():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Summary\n\n**Time to read.** An hour."),
        nbformat.v4.new_markdown_cell("```{admonition} Further reading\ntext\n```"),
    ]
    assert part_titles(nb) == ["summary", "time to read", "further reading"]


# --- every notebook ----------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_code_lines_are_at_most_79_characters(path):
    nb = nbformat.read(path, as_version=4)
    offenders = [
        f"{path.name}, cell {index} (id {cell.get('id')}), line {number}: {length} characters"
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for number, length in over_long_lines(cell.source)
    ]
    assert offenders == [], "code lines over 79 characters:\n" + "\n".join(offenders)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_setup_cell_is_removed_from_the_html(path):
    nb = nbformat.read(path, as_version=4)
    cell = setup_cell(nb)
    assert cell is not None, f"{path.name}: no set-up cell"
    assert "remove-cell" in cell.metadata.get("tags", []), (
        f"{path.name}: the set-up cell lacks the `remove-cell` tag"
    )


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=[p.name for p in CHAPTER_NOTEBOOKS])
def test_chapter_has_every_required_part(path):
    titles = part_titles(nbformat.read(path, as_version=4))
    missing = [
        part
        for part, names in REQUIRED_PARTS.items()
        if not any(title.startswith(name) for title in titles for name in names)
    ]
    assert missing == [], f"{path.name}: no heading or block for {missing}"


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=[p.name for p in CHAPTER_NOTEBOOKS])
def test_chapter_opens_with_prerequisites_time_and_what_you_will_build(path):
    nb = nbformat.read(path, as_version=4)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    opening = nbformat.v4.new_notebook()
    opening.cells = nb.cells[:first_code]
    titles = part_titles(opening)
    for part in ["prerequisites", "time to read", "what you will build"]:
        names = REQUIRED_PARTS[part]
        assert any(t.startswith(n) for t in titles for n in names), (
            f"{path.name}: `{part}` is not in the opening, before the first code cell"
        )
