"""Every notebook starts with the Colab set-up cell, pointing at the repository of _config.yml."""

from __future__ import annotations

import re

from .conftest import load_script

set_repository = load_script("set_repository")


def test_first_code_cell_is_the_setup_cell(notebook):
    path, nb = notebook
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source.startswith(set_repository.SETUP_MARKER), (
        f"{path.name}: first code cell is not the set-up cell"
    )


def test_setup_cell_installs_from_the_repository_and_branch_of_config(notebook):
    path, nb = notebook
    url, branch = set_repository.read_config()
    first = next(c for c in nb.cells if c.cell_type == "code")
    found = re.search(r"git\+(\S+?)@([\w./-]+)\"", first.source)
    assert found, f"{path.name}: no git+URL@branch in the set-up cell"
    assert (found.group(1), found.group(2)) == (url, branch)


def test_setup_cell_is_exactly_the_canonical_one(notebook):
    path, nb = notebook
    url, branch = set_repository.read_config()
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source == set_repository.setup_cell_source(url, branch)


def test_setup_cell_does_nothing_outside_colab(notebook):
    path, nb = notebook
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.outputs == [], f"{path.name}: the set-up cell produced output outside Colab"


def test_setup_cell_never_upgrades_packages_colab_ships():
    # Installing ipywidgets 8 over Colab's own breaks its widgets (colabtools #3020):
    # the install must not use --upgrade, and utils must declare lower bounds only.
    source = set_repository.setup_cell_source("https://example.org/r", "main")
    assert "--upgrade" not in source and "-U" not in source.split()
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())[
        "project"
    ]
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    assert all("==" not in r and "<" not in r for r in requirements), requirements
