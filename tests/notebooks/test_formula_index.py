"""book/formulas.md is generated from the chapters' labelled equations and must be current."""

from __future__ import annotations

from .conftest import ROOT, load_script

formula_index = load_script("make_formula_index")


def test_formula_reference_is_up_to_date():
    assert (ROOT / "book" / "formulas.md").read_text() == formula_index.render(), (
        "book/formulas.md is out of date: run python scripts/make_formula_index.py"
    )


def test_formula_reference_lists_every_labelled_equation():
    text = formula_index.render()
    for path in formula_index.chapters_in_toc():
        source = path.read_text()
        for label in set(__import__("re").findall(r"\$\$ \((eq-[\w-]+)\)", source)):
            assert f"{{eq}}`{label}`" in text, f"{label} from {path.name} is missing"
