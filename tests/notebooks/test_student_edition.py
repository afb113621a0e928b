"""The student edition (scripts/make_student_edition.py).

Every solution is removed, every exercise kept, and the result runs.
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import CHAPTERS, NOTEBOOKS, ROOT, load_script

student = load_script("make_student_edition")

SOLUTION = re.compile(r"^(`{3,}|:{3,})\{solution(-start|-end)?\}", re.M)
EXERCISE_LABEL = re.compile(r"^(?:`{3,}|:{3,})\{exercise\}[^\n]*\n:label:\s*(\S+)", re.M)
#: the chapter the test executes: among the fastest to run (6 and 7 s in two book builds on
#: the shared 2-core machine; 02_chain_rule took 6 and 14 s, the others 7 to 32 s)
FASTEST = "08_gradient_checking"


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    reports = student.make_student_edition(out)
    return out, reports


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_edition_holds_every_notebook_and_the_book_sources(edition):
    out, _ = edition
    assert sorted(p.name for p in (out / "chapters").glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    for name in (
        "_config.yml",
        "_toc.yml",
        "book/intro.md",
        "book/references.bib",
        "book/_ext/book_frame.py",
        "pyproject.toml",
        "CITATION.cff",
    ):
        assert (out / name).is_file(), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_student_notebook_has_no_solution_left(edition, path):
    out, _ = edition
    text = markdown(nbformat.read(out / "chapters" / path.name, as_version=4))
    assert not SOLUTION.search(text), SOLUTION.search(text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_student_notebook_keeps_every_exercise(edition, path):
    out, _ = edition
    original = EXERCISE_LABEL.findall(markdown(nbformat.read(path, as_version=4)))
    kept = EXERCISE_LABEL.findall(
        markdown(nbformat.read(out / "chapters" / path.name, as_version=4))
    )
    assert kept == original


def test_chapters_had_solutions_to_remove(edition):
    _, reports = edition
    with_solutions = {name for name, r in reports.items() if r.solutions}
    assert with_solutions == {p.stem for p in CHAPTERS.glob("0*.ipynb")}
    assert all(r.solutions == r.exercises for name, r in reports.items() if name in with_solutions)


def test_no_kept_prose_uses_a_glue_name_defined_only_in_a_removed_solution(edition):
    _, reports = edition
    assert {name: r.orphan_glue for name, r in reports.items() if r.orphan_glue} == {}


def test_fastest_student_notebook_runs_top_to_bottom_without_errors(edition, monkeypatch):
    out, _ = edition
    path = out / "chapters" / f"{FASTEST}.ipynb"
    nb = nbformat.read(path, as_version=4)
    # the kernel imports this checkout's utils, as the book build does
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []


# -- strip_solutions on small notebooks -----------------------------------------


def notebook(*cells):
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(c[5:])
            if c.startswith("CODE:")
            else nbformat.v4.new_markdown_cell(c)
            for c in cells
        ]
    )


def test_solution_block_is_removed_and_the_text_around_it_kept():
    nb, report = student.strip_solutions(
        notebook(
            "Before.\n\n```{exercise}\n:label: ex-a\n\nDo it.\n```\n\n"
            "````{solution} ex-a\n:class: dropdown\n\n"
            "```python\nx = 1\n```\n\nDone.\n````\n\nAfter."
        )
    )
    assert nb.cells[0].source == "Before.\n\n```{exercise}\n:label: ex-a\n\nDo it.\n```\n\nAfter."
    assert (report.solutions, report.exercises) == (1, 1)


def test_solution_start_to_end_is_removed_with_its_code_cells():
    nb, report = student.strip_solutions(
        notebook(
            "```{exercise}\n:label: ex-b\n\nCode it.\n```\n\n"
            "```{solution-start} ex-b\n:class: dropdown\n```\n\nHint.",
            "CODE:glue('inside', 1)",
            "Explained.\n\n```{solution-end}\n```\n\n## Further reading",
            "CODE:print('kept')",
        )
    )
    assert [c.source for c in nb.cells] == [
        "```{exercise}\n:label: ex-b\n\nCode it.\n```",
        "## Further reading",
        "print('kept')",
    ]
    assert (report.solutions, report.code_cells) == (1, 1)


def test_glue_name_defined_only_in_a_removed_solution_is_reported():
    _, report = student.strip_solutions(
        notebook(
            "```{solution-start} ex-c\n```",
            "CODE:glue('secret', 2)",
            "```{solution-end}\n```",
            "The value is {glue:text}`secret:.1f`.",
        )
    )
    assert report.orphan_glue == ["secret"]


def test_unclosed_solution_span_is_refused():
    with pytest.raises(ValueError, match="no {solution-end}"):
        student.strip_solutions(notebook("```{solution-start} ex-d\n```", "CODE:x = 1"))


def test_edition_is_never_written_over_the_repository():
    with pytest.raises(ValueError, match="must not be the repository"):
        student.make_student_edition(ROOT)
