"""The reference pages agree with the chapters: glossary, notation, bibliography, landing page.

These tests read the sources (book/*.md, the chapters' markdown cells,
book/references.bib); none builds the book. The build (-W -n) separately
fails on a link whose target does not exist; these tests check that each
link goes to the *right* place and that the pages say what the chapters say.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHAPTERS = ROOT / "chapters"
CHAPTER_FILES = sorted(CHAPTERS.glob("0[1-8]_*.ipynb"))

# a link to a chapter in the glossary: {prf:ref}`text <label>`, {ref}`text <label>` or {eq}`label`
LINK = re.compile(r"\{(prf:ref|ref|eq)\}`(?:[^`<]*<)?([\w-]+)>?`")
FIRST_DEFINED = re.compile(r"First defined in chapter (\d):\s*(?:equation\s*)?(\{[^}]+\}`[^`]+`)")


@functools.cache
def _markdown_cells(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


def _labels_in(source: str) -> set[str]:
    return (
        set(re.findall(r"\$\$\s*\((eq-[\w-]+)\)", source))
        | set(re.findall(r"^:label:\s*(\S+)", source, re.M))
        | set(re.findall(r"^\(([\w-]+)\)=\s*$", source, re.M))
    )


def _label_cells() -> dict[str, tuple[int, str]]:
    """Every label of chapters 1-8 -> (chapter number, markdown of the cell defining it)."""
    found: dict[str, tuple[int, str]] = {}
    for path in CHAPTER_FILES:
        number = int(path.name[:2])
        for source in _markdown_cells(path):
            for label in _labels_in(source):
                found[label] = (number, source)
    return found


def _glossary_entries() -> list[tuple[list[str], str]]:
    """(terms, definition) for each entry of the {glossary} directive of book/glossary.md."""
    text = (BOOK / "glossary.md").read_text()
    body = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.S)
    assert body, "book/glossary.md has no ```{glossary} directive"
    entries: list[tuple[list[str], str]] = []
    terms: list[str] = []
    definition: list[str] = []
    for line in body.group(1).splitlines():
        if line.startswith(":") or not line.strip():
            continue
        if line.startswith(" "):
            definition.append(line.strip())
        else:
            if definition:
                entries.append((terms, " ".join(definition)))
                terms, definition = [], []
            terms.append(line.strip())
    if definition:
        entries.append((terms, " ".join(definition)))
    return entries


GLOSSARY = _glossary_entries()
LABELS = _label_cells()


def _words(text: str) -> list[str]:
    text = text.lower().replace("–", " ").replace("-", " ").replace("'s", "")
    return re.findall(r"[a-z0-9]+", text)


def _stem(word: str) -> str:
    """Crude singular form, so that "saddles" and "saddle" match."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


# --- glossary ----------------------------------------------------------------


def test_the_glossary_is_a_reference_page_of_the_book():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    reference = next(part for part in toc["parts"] if part["caption"] == "Reference")
    assert {"file": "book/glossary"} in reference["chapters"]


def test_the_glossary_parser_finds_every_entry():
    # guards the parser: every term line of the page is a term of some entry
    text = (BOOK / "glossary.md").read_text()
    term_lines = re.findall(r"^([A-Za-z][^\n]*)\n(?=(?:[A-Za-z][^\n]*\n)*  \S)", text, re.M)
    parsed = [term for terms, _ in GLOSSARY for term in terms]
    assert len(GLOSSARY) >= 40
    assert set(term_lines) <= set(parsed)


def test_every_glossary_term_is_defined_once():
    terms = [term.lower() for entry_terms, _ in GLOSSARY for term in entry_terms]
    assert len(terms) == len(set(terms)), sorted(t for t in terms if terms.count(t) > 1)


@pytest.mark.parametrize("terms, definition", GLOSSARY, ids=[t[0] for t, _ in GLOSSARY])
def test_glossary_entry_links_to_a_label_of_the_chapter_it_names(terms, definition):
    match = FIRST_DEFINED.search(definition)
    assert match, f"{terms[0]}: no 'First defined in chapter N: <link>'"
    chapter, link = int(match.group(1)), match.group(2)
    role = LINK.fullmatch(link)
    assert role, f"{terms[0]}: {link} is not a prf:ref, ref or eq link"
    label = role.group(2)
    assert label in LABELS, f"{terms[0]}: label {label} is not defined in chapters 1-8"
    assert LABELS[label][0] == chapter, (
        f"{terms[0]}: {label} is in chapter {LABELS[label][0]}, the entry says {chapter}"
    )


@pytest.mark.parametrize("terms, definition", GLOSSARY, ids=[t[0] for t, _ in GLOSSARY])
def test_glossary_term_appears_where_its_link_points(terms, definition):
    label = LINK.fullmatch(FIRST_DEFINED.search(definition).group(2)).group(2)
    cell_words = {_stem(w) for w in _words(LABELS[label][1])}
    found = [term for term in terms if {_stem(w) for w in _words(term)} <= cell_words]
    assert found, f"none of {terms} is in the cell that defines {label}"


# terms an earlier chapter emphasises, and why the glossary still links to a later one
EMPHASISED_EARLIER = {
    "tangent": "chapter 1's tangent is the tangent line, another meaning",
    "complex-step derivative": "chapter 1 meets it in an exercise; the entry says so",
}


@pytest.mark.parametrize("terms, definition", GLOSSARY, ids=[t[0] for t, _ in GLOSSARY])
def test_no_earlier_chapter_emphasises_a_glossary_term_as_if_defining_it(terms, definition):
    # the chapters set a term in bold or italics where they define it
    label = LINK.fullmatch(FIRST_DEFINED.search(definition).group(2)).group(2)
    chapter = LABELS[label][0]
    earlier = [
        (term, path.name)
        for term in terms
        if term not in EMPHASISED_EARLIER
        for path in CHAPTER_FILES
        if int(path.name[:2]) < chapter
        for source in _markdown_cells(path)
        for bold, italic in re.findall(r"\*\*([^*]+)\*\*|(?<![*\w])\*([^*\n]+)\*(?!\*)", source)
        if (bold or italic).lower().strip(" .") in (term.lower(), term.lower() + "s")
    ]
    assert earlier == []


def test_a_glossary_link_to_a_missing_label_is_caught():
    definition = "A thing. First defined in chapter 1: {prf:ref}`thing <def-no-such-thing>`."
    label = LINK.fullmatch(FIRST_DEFINED.search(definition).group(2)).group(2)
    assert label == "def-no-such-thing" and label not in LABELS


# --- bibliography --------------------------------------------------------------


def _bib_keys() -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", (BOOK / "references.bib").read_text(), re.M)


def _cited_keys() -> dict[str, set[str]]:
    """Key -> the pages (chapters, book pages) that cite it."""
    cited: dict[str, set[str]] = {}
    sources = [(p.name, "\n".join(_markdown_cells(p))) for p in sorted(CHAPTERS.glob("*.ipynb"))]
    sources += [(p.name, p.read_text()) for p in sorted(BOOK.glob("*.md"))]
    for name, text in sources:
        for keys in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            for key in keys.split(","):
                cited.setdefault(key.strip(), set()).add(name)
    return cited


def test_every_bibliography_entry_is_cited_in_the_book():
    cited = _cited_keys()
    assert cited, "no {cite} role found: the pattern no longer matches the chapters"
    # the {bibliography} directive lists cited works only: an uncited entry is dead weight
    assert [key for key in _bib_keys() if key not in cited] == []


def test_every_cited_key_is_in_the_bibliography():
    keys = set(_bib_keys())
    assert sorted(key for key in _cited_keys() if key not in keys) == []


# --- landing page ----------------------------------------------------------------


def _time_to_read(path: Path) -> str:
    first = _markdown_cells(path)[0]
    match = re.search(r"\*\*Time to read\.\*\* (.+?\.)\s*\n\n", first + "\n\n", re.S)
    assert match, f"{path.name}: no '**Time to read.**' run-in in its first cell"
    return " ".join(match.group(1).split())


def _landing_items() -> dict[str, str]:
    """Chapter file stem -> the text of its item in the landing page's chapter list."""
    intro = (BOOK / "intro.md").read_text()
    section = intro.split("\n## Chapters: time and what you will be able to do\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    items = re.split(r"\n(?=\d\. )", section)
    found = {}
    for item in items:
        link = re.search(r"\{doc\}`[^<`]*</chapters/(\w+)>`", item)
        if link:
            found[link.group(1)] = " ".join(item.split())
    return found


def test_landing_page_lists_every_chapter_in_order():
    assert list(_landing_items()) == [p.stem for p in CHAPTER_FILES]


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=[p.stem for p in CHAPTER_FILES])
def test_landing_page_time_is_the_chapters_own(path):
    assert f"*{_time_to_read(path)}*" in _landing_items()[path.stem]


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=[p.stem for p in CHAPTER_FILES])
def test_landing_page_title_of_each_chapter_is_its_heading(path):
    title = re.match(r"# (.+)", _markdown_cells(path)[0]).group(1).strip()
    assert f"{{doc}}`{title} </chapters/{path.stem}>`" in _landing_items()[path.stem]


# --- notation ----------------------------------------------------------------------


@functools.cache
def _chapter_text() -> str:
    return "\n".join(source for path in CHAPTER_FILES for source in _markdown_cells(path))


def _normalise(tex: str) -> str:
    tex = re.sub(r"\\[dt]frac", r"\\frac", tex)
    return re.sub(r"\s+", "", tex)


def _declared_symbols() -> list[str]:
    """The symbols in the first column of the notation page's table, one per comma piece."""
    text = (BOOK / "notation.md").read_text()
    symbols = []
    for row in re.findall(r"^\| (.+?) \|", text, re.M):
        if row in ("Symbol", "---"):
            continue
        for chunk in re.findall(r"\$([^$]+)\$", row):
            symbols += [piece.strip() for piece in re.split(r",\s*(?![^{]*\})", chunk)]
    return symbols


def test_the_notation_table_is_read():
    symbols = _declared_symbols()
    assert len(symbols) >= 30 and r"\eta" in symbols and r"\kappa" in symbols


# symbols the notation page writes for a generic letter, and what the chapters write
GENERIC = {
    r"\bar v": r"\\bar[a-zA-Z]",
    r"\dot v": r"\\dot[a-zA-Z]",
    "O(h^p)": r"O\(h\^\d",
    "o(h^p)": r"o\(h\^\d",
}


@pytest.mark.parametrize("symbol", _declared_symbols())
def test_every_symbol_of_the_notation_page_is_used_in_a_chapter(symbol):
    text = _normalise(_chapter_text())
    if symbol in GENERIC:
        assert re.search(GENERIC[symbol], text)
    else:
        assert _normalise(symbol) in text


def test_the_learning_rate_is_always_eta():
    # "learning rate $X$" or "step size $X$": X is eta (with decorations) or a number
    text = _chapter_text()
    symbols = re.findall(r"(?:learning rate|step size)s?\s+\$([^$]+)\$", text)
    assert symbols, "the pattern no longer finds the learning rate in the chapters"
    other = [
        s for s in symbols if not re.match(r"(\\tilde)?\\eta|[\d.]", s.strip()) and "\\eta" not in s
    ]
    assert other == []


# a step in an update rule: "- eta\\, grad", "- \\frac{eta\\, m-hat}...", "- eta\\,(g + ...)"
STEP = re.compile(
    r"-\s*(?:\\frac\{)?((?:\\tilde)?\\?[A-Za-z]+)\\,\s*"
    r"(?:\\nabla|\\mathbf\{[gbv]\}|\\hat\{\\mathbf\{m\}\}|\(\\mathbf\{g\})"
)


def test_every_update_rule_steps_with_eta():
    coefficients = STEP.findall(_chapter_text())
    assert len(coefficients) >= 10, "the pattern no longer finds the update rules"
    assert set(coefficients) <= {"\\eta", "\\tilde\\eta"}, set(coefficients)


def test_an_update_rule_with_another_step_symbol_is_caught():
    rule = r"\boldsymbol{\theta}_t = \boldsymbol{\theta}_{t-1} - \alpha\,\nabla L"
    assert STEP.findall(rule) == ["\\alpha"]


def test_no_chapter_writes_an_optimum_with_a_star_macro():
    # the notation page writes optimal values with ^*; \star would be a second convention
    assert "\\star" not in _chapter_text()


def test_clipping_threshold_is_tau_in_every_chapter():
    thresholds = re.findall(r"\\min(?:\\!)?\\Big\(1,\s*\\frac\{([^}]+)\}\{\\lVert", _chapter_text())
    assert len(thresholds) >= 2, "expected the clipping rule in chapters 6 and 7"
    assert set(thresholds) == {"\\tau"}


def test_the_notation_page_states_the_books_momentum_form():
    # the form of chapter 7's equation (eq-momentum-pytorch), as the notation page writes it
    notation = _normalise((BOOK / "notation.md").read_text())
    assert _normalise(r"\mathbf{b}_t = \beta\,\mathbf{b}_{t-1} + \mathbf{g}_t") in notation
    assert _normalise(r"\mathbf{b}_t &= \beta\,\mathbf{b}_{t-1} + \mathbf{g}_t") in _normalise(
        "\n".join(_markdown_cells(CHAPTERS / "07_optimizers.ipynb"))
    )


# --- key formulas --------------------------------------------------------------------


@pytest.mark.parametrize("path", CHAPTER_FILES, ids=[p.stem for p in CHAPTER_FILES])
def test_the_key_formula_page_has_a_section_for_every_chapter(path):
    title = re.match(r"# (.+)", _markdown_cells(path)[0]).group(1).strip()
    formulas = (BOOK / "formulas.md").read_text()
    section = formulas.split(f"\n## {title}\n", 1)
    assert len(section) == 2, f"no '## {title}' on the key-formulas page"
    assert "{eq}`eq-" in section[1].split("\n## ", 1)[0], f"no formula under '## {title}'"
