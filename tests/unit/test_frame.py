"""The frame around the chapters: licences, citation, version, error reports, publishing, formulas.

These tests read the repository's files and call the functions of the book's
Sphinx extension (book/_ext/book_frame.py) and scripts directly; none builds
the book.
"""

from __future__ import annotations

import datetime
import importlib.util
import re
import shutil
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = "https://github.com/EXAMPLE-ORG/calculus-optimization-ml"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


frame = _load("book_frame", ROOT / "book" / "_ext" / "book_frame.py")
set_repository = _load("set_repository", ROOT / "scripts" / "set_repository.py")
formula_index = _load("make_formula_index", ROOT / "scripts" / "make_formula_index.py")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text())


def _fake_config(url: str = PLACEHOLDER) -> SimpleNamespace:
    return SimpleNamespace(
        version="",
        release="",
        myst_substitutions={},
        html_theme_options={"repository_url": url, "extra_footer": "Footer."},
        bibtex_default_style="authoryear",
    )


# --- licences --------------------------------------------------------------


def test_code_licence_is_the_mit_licence_that_pyproject_declares():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    assert _pyproject()["license"] == "MIT"


def test_text_licence_is_cc_by_4_0_with_a_link_to_the_legal_code():
    text = (ROOT / "LICENSE-text.md").read_text()
    assert "Creative Commons Attribution 4.0 International" in text
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text


# --- CITATION.cff (Citation File Format 1.2.0) -------------------------------


def test_citation_file_has_every_key_cff_1_2_0_requires():
    citation = _citation()
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert isinstance(citation.get(key), (str, list)) and citation[key], key
    for author in citation["authors"]:
        assert "name" in author or "family-names" in author, author


def test_citation_file_fields_have_the_types_cff_1_2_0_expects():
    citation = _citation()
    assert citation["type"] in ("software", "dataset")
    datetime.date.fromisoformat(str(citation["date-released"]))
    licences = (
        citation["license"] if isinstance(citation["license"], list) else [citation["license"]]
    )
    assert set(licences) <= {"MIT", "CC-BY-4.0"}, licences  # SPDX identifiers
    for key in ("url", "repository-code"):
        assert citation[key].startswith("https://"), key
    assert isinstance(citation["version"], str)


def test_citation_version_is_the_version_in_pyproject():
    assert _citation()["version"] == _pyproject()["version"] == frame.project_version()


def test_citation_urls_are_the_repository_of_config():
    url, _ = set_repository.read_config()
    citation = _citation()
    assert citation["url"] == citation["repository-code"] == url


def test_bibtex_entry_carries_title_version_and_url_of_the_citation_file():
    citation = _citation()
    bibtex = frame.citation_bibtex(citation)
    assert bibtex.startswith("@book{") and bibtex.rstrip().endswith("}")
    assert bibtex.count("{") == bibtex.count("}")
    assert f"version = {{{citation['version']}}}" in bibtex
    assert f"url     = {{{citation['url']}}}" in bibtex
    assert r"Calculus \& Optimization for Machine Learning" in bibtex  # & escaped for BibTeX
    assert f"year    = {{{str(citation['date-released'])[:4]}}}" in bibtex


# --- version on the landing page and in the footer --------------------------


def test_extension_sets_sphinx_version_substitution_and_footer_from_pyproject():
    config = _fake_config()
    frame._configure(None, config)
    version = _pyproject()["version"]
    assert config.version == config.release == version
    assert config.myst_substitutions["version"] == version
    assert f"Version {version}." in config.html_theme_options["extra_footer"]
    assert config.html_theme_options["extra_footer"].startswith("Footer.")


def test_landing_page_uses_the_substitutions_the_extension_defines():
    intro = (ROOT / "book" / "intro.md").read_text()
    config = _fake_config()
    frame._configure(None, config)
    for name in ("version", "authors", "cite_text", "cite_bibtex"):
        assert f"{{{{ {name} }}}}" in intro, name
    used = set(__import__("re").findall(r"\{\{ (\w+) \}\}", intro))
    assert used <= set(config.myst_substitutions), used - set(config.myst_substitutions)


@pytest.mark.parametrize(
    "heading",
    [
        "## Reading order",
        "## Prerequisites",
        "## How to run it",
        "## Report an error",
        "## How to cite",
        "## Licence, version and authors",
    ],
)
def test_landing_page_has_the_section(heading):
    assert f"\n{heading}\n" in (ROOT / "book" / "intro.md").read_text()


# --- report an error from every page -----------------------------------------


def test_issue_url_names_the_page_and_version_in_a_new_github_issue():
    url = frame.issue_url("https://github.com/octo/book/", "chapters/01_derivatives.ipynb", "1.2.3")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "github.com",
        "/octo/book/issues/new",
    )
    query = parse_qs(parts.query)
    assert query["title"] == ["Error on page chapters/01_derivatives.ipynb"]
    assert "chapters/01_derivatives.ipynb" in query["body"][0]
    assert "1.2.3" in query["body"][0]


def test_every_page_gets_a_report_link_naming_its_source_file():
    app = SimpleNamespace(
        config=SimpleNamespace(
            html_theme_options={"repository_url": "https://github.com/octo/book"}, release="9.9"
        ),
        env=SimpleNamespace(doc2path=lambda name, base: f"{name}.ipynb"),
    )
    context = {"body": "<p>text</p>"}
    frame._report_link(app, "chapters/02_chain_rule", "page.html", context, doctree=object())
    assert context["body"].startswith("<p>text</p>")
    assert "Report an error on this page" in context["body"]
    assert (
        "https://github.com/octo/book/issues/new?title=Error%20on%20page%20chapters%2F02_chain_rule.ipynb"
        in (context["body"])
    )


def test_the_theme_issues_button_is_on():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["html"]["use_issues_button"] is True


# --- publishing refuses the placeholder repository ----------------------------


def test_a_build_for_publishing_refuses_the_placeholder_repository():
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match="placeholder"):
        frame.check_publishable(PLACEHOLDER, environ={"BOOK_PUBLISH": "1"})


def test_a_build_for_publishing_refuses_an_empty_repository_url():
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError):
        frame.check_publishable("", environ={"BOOK_PUBLISH": "1"})


def test_a_build_for_publishing_accepts_a_real_repository():
    frame.check_publishable("https://github.com/octo/book", environ={"BOOK_PUBLISH": "1"})


def test_a_local_build_accepts_the_placeholder_repository():
    frame.check_publishable(PLACEHOLDER, environ={})
    frame.check_publishable(PLACEHOLDER, environ={"BOOK_PUBLISH": "0"})


def test_the_extension_applies_the_publishing_check_when_the_book_is_configured(monkeypatch):
    from sphinx.errors import ConfigError

    monkeypatch.setenv("BOOK_PUBLISH", "1")
    with pytest.raises(ConfigError, match="set_repository.py"):
        frame._configure(None, _fake_config(PLACEHOLDER))
    frame._configure(None, _fake_config("https://github.com/octo/book"))


def test_the_workflow_sets_the_repository_it_runs_in_and_publishes_with_the_check():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    setting = next(i for i, run in enumerate(runs) if "scripts/set_repository.py" in run)
    testing = next(i for i, run in enumerate(runs) if ".ci/run" in run)
    assert setting < testing
    assert "${{ github.repository }}" in runs[setting]
    assert "BOOK_PUBLISH" in steps[testing]["env"]


def _copy_of_the_repository(tmp_path: Path, monkeypatch) -> Path:
    for name in ("_config.yml", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "chapters").mkdir()
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        shutil.copy(notebook, tmp_path / "chapters" / notebook.name)
    monkeypatch.setattr(set_repository, "CONFIG", tmp_path / "_config.yml")
    monkeypatch.setattr(set_repository, "CITATION", tmp_path / "CITATION.cff")
    monkeypatch.setattr(set_repository, "CHAPTERS", tmp_path / "chapters")
    return tmp_path


def test_set_repository_points_config_citation_and_notebooks_at_a_fork(
    tmp_path, monkeypatch, capsys
):
    copy = _copy_of_the_repository(tmp_path, monkeypatch)
    assert set_repository.main(["https://github.com/someone/fork.git", "--branch", "trunk"]) == 0
    assert set_repository.read_config() == ("https://github.com/someone/fork", "trunk")
    citation = yaml.safe_load((copy / "CITATION.cff").read_text())
    assert citation["url"] == citation["repository-code"] == "https://github.com/someone/fork"
    for notebook in sorted((copy / "chapters").glob("*.ipynb")):
        first = next(c for c in nbformat.read(notebook, 4).cells if c.cell_type == "code")
        assert "git+https://github.com/someone/fork@trunk" in first.source
    assert set_repository.main(["--check"]) == 0


def test_set_repository_check_reports_a_citation_that_disagrees(tmp_path, monkeypatch, capsys):
    copy = _copy_of_the_repository(tmp_path, monkeypatch)
    path = copy / "CITATION.cff"
    path.write_text(
        path.read_text().replace("url: https://github.com/", "url: https://github.com/x")
    )
    assert set_repository.main(["--check"]) == 1
    assert "CITATION.cff: url" in capsys.readouterr().out


def test_set_repository_refuses_a_url_that_is_not_a_github_repository(tmp_path, monkeypatch):
    _copy_of_the_repository(tmp_path, monkeypatch)
    before = set_repository.read_config()
    with pytest.raises(SystemExit):
        set_repository.main(["https://example.org/not-github"])
    assert set_repository.read_config() == before


# --- formula headings ----------------------------------------------------------


def test_every_labelled_formula_has_a_heading_written_for_readers():
    headings = formula_index.headings_file()
    for path in formula_index.chapters_in_toc():
        for label, _, written in formula_index.labelled_equations(nbformat.read(path, 4)):
            assert written or label in headings, f"{label} in {path.name} has no heading"


def test_a_heading_written_above_the_equation_wins_over_the_list():
    nb = nbformat.v4.new_notebook()
    nb.cells.append(
        nbformat.v4.new_markdown_cell(
            "Text.\n<!-- formula: Area of a disc -->\n$$\nA = \\pi r^2\n$$ (eq-product-rule)\n"
        )
    )
    assert formula_index.labelled_equations(nb) == [
        ("eq-product-rule", "A = \\pi r^2", "Area of a disc")
    ]


def test_an_unlabelled_display_is_not_swallowed_into_the_next_labelled_one():
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("$$\na = b\n$$\n\nso\n\n$$\nc = d\n$$ (eq-x)\n"))
    assert formula_index.labelled_equations(nb) == [("eq-x", "c = d", None)]


def test_the_formula_page_refuses_a_label_without_a_heading(monkeypatch, tmp_path):
    headings = tmp_path / "formula_headings.yml"
    headings.write_text("eq-unrelated: Something else\n")
    monkeypatch.setattr(formula_index, "HEADINGS", headings)
    with pytest.raises(ValueError, match="no heading for the formulas eq-"):
        formula_index.render()


# --- author-year bibliography ----------------------------------------------------


def _format(bibtex: str) -> list[str]:
    from pybtex.database import parse_string

    data = parse_string(bibtex, "bibtex")
    style = frame.AuthorYearStyle()
    return [entry.text.render_as("text") for entry in style.format_entries(data.entries.values())]


def test_bibliography_entries_start_with_authors_and_year():
    [article, book] = _format(  # sorted: Baydin before Higham
        "@book{b, author={Higham, Nicholas J.}, title={Accuracy}, publisher={SIAM}, year={2002}}"
        "@article{a, author={Baydin, Atilim and Pearlmutter, Barak}, title={Survey},"
        " journal={JMLR}, volume={18}, pages={1--43}, year={2018}}"
    )
    assert article.startswith("Baydin, A. and Pearlmutter, B. (2018). Survey.")
    assert book.startswith("Higham, N. J. (2002). Accuracy.")
    assert "2002" not in book.split("(2002)", 1)[1], "the year is repeated at the end"


def test_bibliography_is_sorted_by_author_then_year():
    entries = _format(
        "@misc{z, author={Zed, A.}, title={T}, year={1990}}"
        "@misc{a2, author={Able, B.}, title={T}, year={2010}}"
        "@misc{a1, author={Able, B.}, title={U}, year={2001}}"
    )
    assert [e[:15] for e in entries] == ["Able, B. (2001)", "Able, B. (2010)", "Zed, A. (1990)."]


def test_every_reference_of_the_book_formats_in_author_year_form():
    text = (ROOT / "book" / "references.bib").read_text()
    for entry in _format(text):
        assert __import__("re").match(r"^[^()]+ \(\d{4}\)\. ", entry), entry


def test_the_book_uses_the_author_year_style_for_text_and_list():
    sphinx = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    assert sphinx["bibtex_reference_style"] == "author_year"
    assert sphinx["bibtex_default_style"] == "authoryear"


def test_bibliography_entries_lose_their_numeric_labels():
    from docutils import nodes

    doctree = nodes.section()
    citation = nodes.citation(
        "", nodes.label("", "1"), nodes.paragraph("", "Higham, N. J. (2002).")
    )
    doctree += citation
    frame._drop_citation_labels(
        SimpleNamespace(config=SimpleNamespace(bibtex_default_style="authoryear")),
        doctree,
        "book/bibliography",
    )
    assert [type(child) for child in citation.children] == [nodes.paragraph]


# --- favicon and index ----------------------------------------------------------


def test_the_book_has_a_favicon_and_no_empty_general_index():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    favicon = ROOT / config["html"]["favicon"]
    assert favicon.exists() and favicon.read_text().lstrip().startswith("<svg")
    assert config["sphinx"]["config"]["html_use_index"] is False


def test_the_examples_in_the_extension_docstrings_hold():
    import doctest

    result = doctest.testmod(frame, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0


def test_the_authors_line_of_the_book_is_the_authors_of_the_citation():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["author"] == "; ".join(frame._author_names(_citation()))


def test_bibliography_file_parses_with_pybtex_and_every_key_is_unique():
    # a merge that drops a closing brace breaks the whole build; catch it here, in seconds
    from pybtex.database import parse_string

    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,]+),", text, re.M)
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert sorted(parse_string(text, "bibtex").entries) == sorted(keys)
