"""The notebooks in chapters/ are committed as the book's source: executed, clean, complete.

nbval (run by the same ``pytest`` command over chapters/) re-executes each
notebook and compares every output with the committed one; these tests check
what nbval cannot: that there *are* outputs to compare, that they come from one
fresh top-to-bottom run, and that the HTML will not show blank widgets.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from .conftest import CHAPTERS, NOT_CHAPTERS, NOTEBOOKS, load_script

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def test_every_notebook_is_in_the_table_of_contents():
    listed = {f for f in load_script("make_formula_index").toc_files() if f.startswith("chapters/")}
    on_disk = {f"chapters/{p.stem}" for p in NOTEBOOKS}
    assert on_disk, "no notebooks in chapters/"
    assert on_disk == listed


def test_notebook_is_executed_top_to_bottom_in_one_fresh_run(notebook):
    path, nb = notebook
    counts = [c.execution_count for c in code_cells(nb)]
    assert None not in counts, f"{path.name}: unexecuted code cells"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: execution counts {counts}"


def test_notebook_has_no_error_output(notebook):
    path, nb = notebook
    errors = [
        (i, out.get("ename"))
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for out in c.outputs
        if out.output_type == "error"
    ]
    assert errors == [], f"{path.name}: error outputs in cells {errors}"


def test_notebook_prints_nothing_to_stderr(notebook):
    path, nb = notebook
    stderr = [
        (i, "".join(out.text)[:100])
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for out in c.outputs
        if out.output_type == "stream" and out.name == "stderr"
    ]
    assert stderr == [], f"{path.name}: stderr output (warnings reach the reader): {stderr}"


def test_notebook_with_widgets_has_saved_widget_state(notebook):
    path, nb = notebook
    shown = {
        out["data"][WIDGET_VIEW]["model_id"]
        for c in code_cells(nb)
        for out in c.outputs
        if WIDGET_VIEW in out.get("data", {})
    }
    if not shown:
        pytest.skip(f"{path.name} displays no widget")
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    assert state, (
        f"{path.name}: widget outputs but no saved widget state (blank widgets in the HTML)"
    )
    assert shown <= set(state), f"{path.name}: displayed widgets missing from the saved state"


def test_nbval_ignore_output_is_used_only_with_a_reason(notebook):
    path, nb = notebook
    for i, cell in enumerate(code_cells(nb)):
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            first = cell.source.splitlines()[0]
            assert re.match(r"#\s*nbval-ignore-output:\s*\S", first), (
                f"{path.name} cell {i}: tagged nbval-ignore-output without a first-line "
                "comment `# nbval-ignore-output: <why>`"
            )


def test_every_glued_name_used_in_the_prose_is_glued_in_the_code(notebook):
    path, nb = notebook
    used = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for match in re.finditer(r"\{glue(?::\w+)?\}`([^`]+)`", cell.source):
                used.add(match.group(1).split(":")[0].strip())
            for match in re.finditer(r"```\{glue(?::\w+)?\}\s+(\S+)", cell.source):
                used.add(match.group(1))
    glued = set()
    for cell in code_cells(nb):
        glued.update(re.findall(r"""glue\(\s*["']([^"']+)["']""", cell.source))
    assert used <= glued, (
        f"{path.name}: glue names used in the prose but never glued: {sorted(used - glued)}"
    )


# The notebooks that are not chapters (conftest.NOT_CHAPTERS), and what checks
# them instead. Every other notebook in chapters/ is checked as a chapter.
PLAYGROUND = "99_explorations"  # every widget in one place: test_playground_shows_every_explorer
QUIZZES = "98_quizzes"  # every chapter's quiz in one place: test_quiz_page_shows_every_quiz
assert {PLAYGROUND, QUIZZES} == NOT_CHAPTERS


def sections(nb) -> list[str]:
    """The notebook's ``##`` headings (its sections), lower case, in order."""
    return [
        line[3:].strip().lower()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]


# What may follow a chapter's Summary, in this order: the exercises first.
CLOSING_SECTIONS = {"exercises", "check your understanding", "further reading"}


def test_every_chapter_opens_with_objectives_and_ends_with_a_summary_then_exercises(notebook):
    path, nb = notebook
    if path.stem in NOT_CHAPTERS:
        pytest.skip(f"{path.stem} is not a chapter (see NOT_CHAPTERS)")
    found = sections(nb)
    assert found, f"{path.name}: no ## sections"
    assert found[0] == "learning objectives", (
        f"{path.name}: first section is {found[0]!r}, not 'Learning objectives'"
    )
    assert "summary" in found, f"{path.name}: no 'Summary' section"
    after = found[found.index("summary") + 1 :]
    assert after[:1] == ["exercises"] and set(after) <= CLOSING_SECTIONS, (
        f"{path.name}: after the Summary come {after}; expected 'Exercises' first, "
        f"then only {sorted(CLOSING_SECTIONS - {'exercises'})}"
    )


def test_playground_is_a_notebook_in_the_book():
    assert (CHAPTERS / f"{PLAYGROUND}.ipynb").exists(), f"no notebook {PLAYGROUND}.ipynb"


def test_playground_shows_every_explorer():
    from utils.explorations import ALL_EXPLORERS

    nb = nbformat.read(CHAPTERS / f"{PLAYGROUND}.ipynb", as_version=4)
    calls = (re.match(r"(\w+)\(\)", c.source.strip()) for c in code_cells(nb))
    displayed = {m.group(1) for m in calls if m}
    assert {e.__name__ for e in ALL_EXPLORERS} <= displayed, sorted(displayed)


def test_quiz_page_shows_every_quiz():
    from utils.quiz import quiz_names

    nb = nbformat.read(CHAPTERS / f"{QUIZZES}.ipynb", as_version=4)
    calls = (
        re.fullmatch(r"""show_quiz\(["'](\w+)["']\)""", c.source.strip()) for c in code_cells(nb)
    )
    shown = [m.group(1) for m in calls if m]
    assert shown == quiz_names(), shown


def test_notebooks_do_not_use_relative_data_paths():
    # Colab runs a notebook without the repository around it (jupyter-book #1427):
    # everything a notebook needs comes from `utils` or is made in code.
    pattern = re.compile(r"""(open|read_csv|loadtxt|load|imread)\(\s*["'](\.\./|\./|data/)""")
    offenders = [
        p.name
        for p in NOTEBOOKS
        for c in code_cells(nbformat.read(p, 4))
        if pattern.search(c.source)
    ]
    assert offenders == []


def test_chapters_folder_holds_only_notebooks():
    stray = [
        p.name for p in CHAPTERS.iterdir() if p.suffix != ".ipynb" and not p.name.startswith(".")
    ]
    assert stray == []


def _labels(nb) -> list[str]:
    """Every cross-reference target a notebook defines: equations, directives, figures."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found += re.findall(r"\$\$\s*\((eq-[\w-]+)\)", cell.source)
            found += re.findall(r"^:label:\s*(\S+)", cell.source, re.M)
            found += re.findall(r"^\((\S+)\)=\s*$", cell.source, re.M)
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        if "name" in figure:
            found.append(figure["name"])
    return found


def test_every_label_is_defined_once_in_the_whole_book():
    owners: dict[str, list[str]] = {}
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        for label in _labels(nbformat.read(path, as_version=4)):
            owners.setdefault(label, []).append(path.name)
    assert owners, "no labels found: the label patterns no longer match the notebooks"
    twice = {label: where for label, where in owners.items() if len(where) > 1}
    assert not twice, f"labels defined more than once (Sphinx warns, the build fails): {twice}"
