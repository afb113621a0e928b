"""Every chapter's code exercises: a stub the reader fills in, a checker, a solution that passes.

The convention (CONTRIBUTING.md, "Code exercises"): an ``{exercise}`` block
whose text opens with ``*(Code, LEVEL; section {ref}`label`.)*`` (LEVEL one of
warm-up, core, challenge) is followed by a code cell, the stub, that still
raises ``NotImplementedError`` (or leaves the answer ``...``) and ends with a
call to the exercise's checker from ``utils.exercises``; its committed output
says "<label>: not attempted yet". The exercise's ``{solution-start}`` ...
``{solution-end}`` span holds the reference solution, whose committed output
says "<label>: passed". nbval re-runs every notebook and compares these
outputs, so both paths are proven on every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nbformat
import pytest

from utils.exercises import NOT_ATTEMPTED

from .conftest import CHAPTER_NOTEBOOKS

LEVELS = ("warm-up", "core", "challenge")
_EXERCISE = re.compile(
    r"^```+\{exercise\}[^\n]*\n:label: (?P<label>[\w-]+)\n(?P<body>.*?)^```", re.M | re.S
)
_CODE_MARK = re.compile(
    r"^(?::[\w-]+:[^\n]*\n|\s*\n)*"  # the block's options and blank lines, then
    r"\*\(Code, (?P<level>[\w-]+); section \{ref\}`(?P<ref>[^`]+)`\.\)\*"
)
_SOLUTION_START = re.compile(r"\{solution-start\}\s+(?P<label>[\w-]+)")
_SOLUTION_END = re.compile(r"\{solution-end\}")
_CHECKER_CALL = re.compile(r"^(?:\w+\s*=\s*)?(check_\w+)\(", re.M)


@dataclass
class CodeExercise:
    label: str
    level: str
    section: str
    stub: nbformat.NotebookNode | None = None
    solution_cells: list = field(default_factory=list)


def _text(cell) -> str:
    """Everything a code cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out:
            parts.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts)


def code_exercises(nb) -> list[CodeExercise]:
    """The code exercises of a notebook, each with its stub cell and its solution's code cells."""
    found: dict[str, CodeExercise] = {}
    waiting_for_stub: CodeExercise | None = None
    in_solution: CodeExercise | None = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for m in _EXERCISE.finditer(cell.source):
                mark = _CODE_MARK.match(m["body"])
                waiting_for_stub = None
                if mark:
                    ex = CodeExercise(m["label"], mark["level"], mark["ref"])
                    found[ex.label] = waiting_for_stub = ex
            start = _SOLUTION_START.search(cell.source)
            if start:
                waiting_for_stub = None
                in_solution = found.get(start["label"])
            rest = cell.source[start.end() :] if start else cell.source
            if _SOLUTION_END.search(rest):
                in_solution = None
        elif cell.cell_type == "code":
            if in_solution is not None:
                in_solution.solution_cells.append(cell)
            elif waiting_for_stub is not None:
                waiting_for_stub.stub = cell
                waiting_for_stub = None
    return list(found.values())


EXERCISES = {p: code_exercises(nbformat.read(p, as_version=4)) for p in CHAPTER_NOTEBOOKS}
ALL = [(p, ex) for p, exs in EXERCISES.items() for ex in exs]
IDS = [f"{p.stem}:{ex.label}" for p, ex in ALL]


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=[p.stem for p in CHAPTER_NOTEBOOKS])
def test_chapter_has_at_least_two_code_exercises_of_different_levels(path):
    exercises = EXERCISES[path]
    assert len(exercises) >= 2, f"{path.name}: {len(exercises)} code exercises with a checker"
    assert len({ex.level for ex in exercises}) >= 2, f"{path.name}: all exercises are one level"


def test_book_has_at_least_sixteen_code_exercises():
    assert len(ALL) >= 16


@pytest.mark.parametrize(("path", "ex"), ALL, ids=IDS)
def test_code_exercise_names_its_level_and_section(path, ex):
    assert ex.level in LEVELS, f"{ex.label}: level {ex.level!r} is not one of {LEVELS}"
    assert ex.section, f"{ex.label}: no section reference"


@pytest.mark.parametrize(("path", "ex"), ALL, ids=IDS)
def test_stub_calls_a_checker_from_utils_exercises(path, ex):
    assert ex.stub is not None, f"{ex.label}: no code cell follows the exercise"
    assert _CHECKER_CALL.search(ex.stub.source), f"{ex.label}: the stub calls no check_...()"
    assert "NotImplementedError" in ex.stub.source or "= ..." in ex.stub.source, (
        f"{ex.label}: the stub is not left for the reader (no NotImplementedError, no `= ...`)"
    )


@pytest.mark.parametrize(("path", "ex"), ALL, ids=IDS)
def test_stub_as_committed_says_not_attempted_yet(path, ex):
    assert f"{ex.label}: {NOT_ATTEMPTED}" in _text(ex.stub), _text(ex.stub)


@pytest.mark.parametrize(("path", "ex"), ALL, ids=IDS)
def test_reference_solution_calls_the_same_checker_and_passes(path, ex):
    assert ex.solution_cells, f"{ex.label}: no code in its solution-start ... solution-end span"
    checker = _CHECKER_CALL.search(ex.stub.source)[1]
    assert any(checker in c.source for c in ex.solution_cells), (
        f"{ex.label}: the solution does not call {checker}"
    )
    printed = "".join(_text(c) for c in ex.solution_cells)
    assert f"{ex.label}: passed" in printed, printed


def test_finder_reads_a_stub_and_its_solution():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "```{exercise}\n:label: ex-demo\n\n*(Code, core; section {ref}`sec-demo`.)*"
            " Write f.\n```"
        ),
        nbformat.v4.new_code_cell("def f(x):\n    raise NotImplementedError\n\ncheck_f(f)"),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-demo\n:class: dropdown\n```"),
        nbformat.v4.new_code_cell("def f(x):\n    return x\n\ncheck_f(f)"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("print('after')"),
    ]
    (ex,) = code_exercises(nb)
    assert (ex.label, ex.level, ex.section) == ("ex-demo", "core", "sec-demo")
    assert "raise NotImplementedError" in ex.stub.source
    assert [c.source for c in ex.solution_cells] == ["def f(x):\n    return x\n\ncheck_f(f)"]


def test_finder_ignores_exercises_that_are_not_marked_as_code():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("```{exercise}\n:label: ex-pen\n\nProve it.\n```"),
        nbformat.v4.new_code_cell("x = 1"),
    ]
    assert code_exercises(nb) == []


def test_readme_states_the_number_of_code_exercises():
    readme = (CHAPTER_NOTEBOOKS[0].parents[1] / "README.md").read_text()
    stated = re.search(r"\((\d+) in the book", readme)
    assert stated and int(stated[1]) == len(ALL), "README: the count of code exercises"
