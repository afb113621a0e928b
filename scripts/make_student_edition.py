#!/usr/bin/env python3
"""Make the student edition of the book: every worked solution removed.

The book's notebooks are the instructor edition. Solutions are marked with
sphinx-exercise's directives in markdown cells:

* a ``{solution}`` block (```` ```{solution} label ```` ... ```` ``` ````), removed whole;
* a ``{solution-start}`` block, then anything (prose, code cells), then a
  ``{solution-end}`` block: everything from the start directive to the end
  directive is removed, code cells included, and the text around them in the
  same markdown cells is kept.

Exercises (``{exercise}``) stay, and so do the quizzes (their feedback is for
self-study). A markdown cell left empty is dropped. The edition is a copy of
the book's sources, ready to build: ``chapters/*.ipynb`` stripped, and
``_config.yml``, ``_toc.yml``, ``book/``, ``pyproject.toml`` and
``CITATION.cff`` copied as they are (the notebooks import ``utils`` from this
checkout: put it on ``PYTHONPATH``, as ``./dev student`` does).

Usage::

    python scripts/make_student_edition.py                 # into _build/student
    python scripts/make_student_edition.py --out DIR
    jupyter-book build _build/student --all                # its HTML, in _build/student/_build/html

The stripped notebooks keep their stored outputs (the outputs of removed cells
go with them). It reports, per notebook, the solutions removed, and any glue
name that the kept prose uses but only a removed cell defined (that prose would
show an empty value in the student edition).
"""

import argparse
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "_build" / "student"
#: the book's sources a build needs besides the notebooks (book_frame reads the version
#: from pyproject.toml and how to cite from CITATION.cff)
COPIED = ["_config.yml", "_toc.yml", "book", "pyproject.toml", "CITATION.cff"]

_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}")
_GLUE_USE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)")
_GLUE_DEF = re.compile(r"""glue\(\s*["']([^"']+)["']""")


@dataclass
class Report:
    """What :func:`strip_solutions` removed from one notebook."""

    solutions: int = 0  # {solution} blocks and {solution-start}...{solution-end} spans
    code_cells: int = 0  # code cells removed (inside a start/end span)
    exercises: int = 0  # {exercise} blocks kept
    orphan_glue: list[str] = field(default_factory=list)


def _skip_block(lines: list[str], i: int, fence: str) -> int:
    """Index of the line after the directive block that opens at ``lines[i]`` with ``fence``."""
    char, n = fence[0], len(fence)
    for j in range(i + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= n:
            return j + 1
    raise ValueError(f"unclosed {{{_FENCE.match(lines[i]).group('name')}}} block: {lines[i]!r}")


def strip_solutions(nb) -> tuple[object, Report]:
    """The notebook with every solution removed, and a report of what was removed."""
    report = Report()
    kept = []
    inside = False  # between {solution-start} and {solution-end}, across cells
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            if inside:
                report.code_cells += 1
            else:
                kept.append(cell)
            continue
        lines = cell.source.splitlines()
        out: list[str] = []
        i = 0
        while i < len(lines):
            m = _FENCE.match(lines[i])
            name = m.group("name") if m else None
            if inside:
                if name == "solution-end":
                    inside = False
                    i = _skip_block(lines, i, m.group("fence"))
                else:
                    i += 1
                continue
            if name == "solution":
                report.solutions += 1
                i = _skip_block(lines, i, m.group("fence"))
            elif name == "solution-start":
                report.solutions += 1
                inside = True
                i = _skip_block(lines, i, m.group("fence"))
            elif name == "solution-end":
                raise ValueError(f"{{solution-end}} without a {{solution-start}}: {lines[i]!r}")
            else:
                report.exercises += name == "exercise"
                out.append(lines[i])
                i += 1
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
        if text:
            cell.source = text
            kept.append(cell)
    if inside:
        raise ValueError("a {solution-start} block has no {solution-end}")
    kept_ids = {id(c) for c in kept}
    removed_defs = {
        n
        for c in nb.cells
        if c.cell_type == "code" and id(c) not in kept_ids
        for n in _GLUE_DEF.findall(c.source)
    }
    kept_defs = {n for c in kept if c.cell_type == "code" for n in _GLUE_DEF.findall(c.source)}
    used = {
        n.strip() for c in kept if c.cell_type == "markdown" for n in _GLUE_USE.findall(c.source)
    }
    report.orphan_glue = sorted((used & removed_defs) - kept_defs)
    nb.cells = kept
    return nb, report


def make_student_edition(
    out: Path = DEFAULT_OUT, notebooks: list[Path] | None = None
) -> dict[str, Report]:
    """Write the student edition into ``out``; return the report of each notebook."""
    out = Path(out)
    if out.resolve() == ROOT.resolve():
        raise ValueError("out must not be the repository itself")
    (out / "chapters").mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src, dst = ROOT / name, out / name
        if src.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(
                src, dst, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
            )
        else:
            shutil.copy2(src, dst)
    for stale in (out / "chapters").glob("*.ipynb"):
        stale.unlink()
    reports = {}
    for path in notebooks or sorted((ROOT / "chapters").glob("*.ipynb")):
        nb, report = strip_solutions(nbformat.read(path, as_version=4))
        nbformat.write(nb, out / "chapters" / path.name)
        reports[path.stem] = report
    return reports


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="where to write it (default: _build/student)"
    )
    args = parser.parse_args(argv)
    reports = make_student_edition(args.out)
    orphans = False
    for name, r in reports.items():
        line = (
            f"{name}: {r.solutions} solutions removed ({r.code_cells} code cells), "
            f"{r.exercises} exercises kept"
        )
        if r.orphan_glue:
            orphans = True
            line += (
                "; WARNING: kept prose uses glue names defined only in removed cells: "
                f"{r.orphan_glue}"
            )
        print(line)
    print(f"student edition written to {args.out}")
    return 1 if orphans else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
