"""The playground (chapters/99_explorations.ipynb) sends each explorer's reader to its chapter."""

from __future__ import annotations

import re

import nbformat

from .conftest import CHAPTERS

PLAYGROUND = CHAPTERS / "99_explorations.ipynb"
SECTION = re.compile(r"^## \d+\. ", re.M)
LINKED = re.compile(r"\*\*Explained in\*\* \{doc\}`Chapter (\d+), [^<`]+<(\w+)>`")
COMING = re.compile(r"\*\*Explained in\*\* Chapter (\d+), [^.(]+ \(coming\)")


def _sections() -> list[str]:
    nb = nbformat.read(PLAYGROUND, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown" and SECTION.match(c.source)]


def test_the_playground_has_its_explorer_sections():
    assert len(_sections()) >= 6


def test_every_explorer_names_its_chapter_and_what_you_need_to_know():
    for source in _sections():
        title = source.splitlines()[0]
        assert LINKED.search(source) or COMING.search(source), f"{title}: no 'Explained in' line"
        assert "**You need to know**" in source, f"{title}: no 'You need to know' line"


def test_every_chapter_link_points_at_an_existing_notebook_with_that_number():
    for source in _sections():
        for number, target in LINKED.findall(source):
            assert (CHAPTERS / f"{target}.ipynb").exists(), target
            assert target.startswith(f"{int(number):02d}_"), (number, target)


def test_a_chapter_called_coming_is_not_written_yet():
    # When a chapter arrives, its "(coming)" mention must become a link.
    for source in _sections():
        for number in COMING.findall(source):
            written = sorted(CHAPTERS.glob(f"{int(number):02d}_*.ipynb"))
            assert not written, (
                f"Chapter {number} exists ({written[0].name}): link to it with {{doc}}"
            )
