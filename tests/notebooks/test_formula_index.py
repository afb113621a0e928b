"""book/formulas.md is generated from the chapters' labelled equations and must be current."""

from __future__ import annotations

import re

from .conftest import ROOT, load_script

formula_index = load_script("make_formula_index")


def test_formula_reference_is_up_to_date():
    assert (ROOT / "book" / "formulas.md").read_text() == formula_index.render(), (
        "book/formulas.md is out of date: run python scripts/make_formula_index.py"
    )


def test_formula_reference_lists_every_labelled_equation():
    text = formula_index.render()
    labels = {
        (path.name, label)
        for path in formula_index.chapters_in_toc()
        for label in re.findall(r"\$\$ \((eq-[\w-]+)\)", path.read_text())
    }
    assert labels, "no labelled equation ($$ ... $$ (eq-name)) found in the chapters"
    missing = sorted(
        f"{label} from {name}" for name, label in labels if f"{{eq}}`{label}`" not in text
    )
    assert missing == []
