"""Sphinx extension: the frame around the chapters (version, citation, errors, bibliography).

- **Version.** The book's version is ``project.version`` in ``pyproject.toml``
  (the one source of truth; ``CITATION.cff`` repeats it and a test checks they
  agree). It becomes Sphinx's ``version``/``release``, the MyST substitution
  ``{{ version }}`` and a line of the footer.
- **How to cite.** ``CITATION.cff`` is turned into the substitutions
  ``{{ cite_text }}`` and ``{{ cite_bibtex }}`` used by the landing page.
- **Report an error.** Every HTML page ends with a link that opens a new GitHub
  issue whose title and body name the page's source file.
- **Run in the browser.** Every chapter page starts with a link that opens its
  notebook in the book's JupyterLite site (``_build/html/lite``, built by
  ``scripts/build_lite.py``), saying what it needs.
- **Publishing.** With ``BOOK_PUBLISH=1`` in the environment (set by the
  publishing workflow), the build refuses the placeholder repository URL, so a
  published copy never carries launch links to a repository that does not exist.
- **Bibliography.** The pybtex style ``authoryear`` lists references as
  "Author, A. and Other, B. (Year). Title. ..." in author-year order, matching
  the author-year citations in the text.
"""

from __future__ import annotations

import html
import os
import tomllib
from pathlib import Path
from urllib.parse import quote, urlencode

import pybtex.plugin
import yaml
from docutils import nodes
from pybtex.style import FormattedEntry
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import date as unsrt_date
from pybtex.style.template import field, first_of, join, names, optional, sentence
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_OWNER = "EXAMPLE-ORG"
PUBLISH_VARIABLE = "BOOK_PUBLISH"


# --- version and citation -------------------------------------------------


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The book's version: ``project.version`` of ``pyproject.toml``."""
    return tomllib.loads(pyproject.read_text())["project"]["version"]


def read_citation(path: Path = ROOT / "CITATION.cff") -> dict:
    return yaml.safe_load(path.read_text())


def _author_names(citation: dict) -> list[str]:
    result = []
    for author in citation["authors"]:
        if "name" in author:
            result.append(author["name"])
        else:
            result.append(f"{author['family-names']}, {author['given-names']}")
    return result


def citation_bibtex(citation: dict) -> str:
    """A BibTeX entry for the book, from the contents of ``CITATION.cff``."""

    def protect(text: str) -> str:
        return text.replace("&", r"\&")

    authors = " and ".join(
        "{" + protect(n) + "}" if "," not in n else protect(n) for n in _author_names(citation)
    )
    year = str(citation.get("date-released", "")).split("-")[0]
    fields = [
        ("author", authors),
        ("title", "{" + protect(citation["title"]) + "}"),
        ("year", year),
        ("version", citation["version"]),
        ("url", citation["url"]),
        ("note", "Interactive textbook, licensed CC BY 4.0 (text) and MIT (code)"),
    ]
    body = ",\n".join(f"  {key:<7} = {{{value}}}" for key, value in fields if value)
    return f"@book{{calcml{year},\n{body}\n}}"


def citation_text(citation: dict) -> str:
    """The citation as a sentence (Markdown)."""
    year = str(citation.get("date-released", "")).split("-")[0]
    who = "; ".join(_author_names(citation))
    return (
        f"{who} ({year}). *{citation['title']}*, version {citation['version']}. <{citation['url']}>"
    )


# --- publishing -----------------------------------------------------------


def check_publishable(repository_url: str, environ=os.environ) -> None:
    """Refuse the placeholder repository URL in a build for publishing.

    Raises
    ------
    ConfigError
        If ``BOOK_PUBLISH=1`` and ``repository_url`` is empty or the
        ``EXAMPLE-ORG`` placeholder.

    Examples
    --------
    >>> check_publishable("https://github.com/EXAMPLE-ORG/x", environ={})
    >>> check_publishable("https://github.com/octo/x", environ={"BOOK_PUBLISH": "1"})
    >>> check_publishable("https://github.com/EXAMPLE-ORG/x", environ={"BOOK_PUBLISH": "1"})
    Traceback (most recent call last):
    ...
    sphinx.errors.ConfigError: ...placeholder...
    """
    if environ.get(PUBLISH_VARIABLE, "") not in ("1", "true", "yes"):
        return
    if not repository_url or f"/{PLACEHOLDER_OWNER}/" in repository_url + "/":
        raise ConfigError(
            f"{PUBLISH_VARIABLE}=1 but the repository URL is the placeholder "
            f"{repository_url!r}: run python scripts/set_repository.py "
            "https://github.com/OWNER/REPO (the publishing workflow does this with "
            "the repository it runs in)"
        )


# --- report an error ------------------------------------------------------


def issue_url(repository_url: str, source: str, version: str) -> str:
    """A new-issue URL on GitHub whose title and body name the page's source file.

    Examples
    --------
    >>> issue_url("https://github.com/o/r", "chapters/01_derivatives.ipynb", "0.1.0")[:60]
    'https://github.com/o/r/issues/new?title=Error%20on%20page%20'
    """
    query = urlencode(
        {
            "title": f"Error on page {source}",
            "body": f"Page: `{source}` (book version {version})\n\nWhat is wrong, and where:\n\n",
        },
        quote_via=quote,
    )
    return f"{repository_url.rstrip('/')}/issues/new?{query}"


def _report_link(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or "body" not in context:
        return
    url = app.config.html_theme_options.get("repository_url", "")
    if not url:
        return
    source = app.env.doc2path(pagename, base=False)
    source = Path(source).as_posix()
    link = issue_url(url, source, app.config.release)
    context["body"] += (
        '\n<p class="report-error">'
        f'<a href="{html.escape(link)}" rel="noopener">Report an error on this page</a>'
        " (opens a new issue on GitHub that names this page)</p>\n"
    )


# --- run in the browser (JupyterLite) ------------------------------------

#: where scripts/build_lite.py writes the JupyterLite site, inside the HTML output
LITE_DIR = "lite"


def lite_url(pagename: str) -> str | None:
    """The relative URL that opens a chapter's notebook in the book's JupyterLite site.

    Only pages built from ``chapters/*.ipynb`` have one.

    Examples
    --------
    >>> lite_url("chapters/01_derivatives")
    '../lite/notebooks/index.html?path=01_derivatives.ipynb'
    >>> lite_url("book/intro") is None
    True
    """
    folder, _, name = pagename.rpartition("/")
    if folder != "chapters" or not (ROOT / "chapters" / f"{name}.ipynb").exists():
        return None
    up = "../" * pagename.count("/")
    return f"{up}{LITE_DIR}/notebooks/index.html?path={quote(name)}.ipynb"


def _lite_link(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or "body" not in context:
        return
    link = lite_url(pagename)
    if link is None:
        return
    # a numbered chapter, or a page of the Playground (quizzes, explorations)
    kind = "chapter" if app.env.toc_secnumbers.get(pagename) else "page"
    context["body"] = (
        '<p class="run-in-browser">'
        f'<a href="{html.escape(link)}">Run this {kind} in your browser</a>: '
        "edit and run its code in a notebook, nothing to install (JupyterLite; the first "
        "visit needs an internet connection to download NumPy and Matplotlib).</p>\n"
        + context["body"]
    )


# --- configuration --------------------------------------------------------


def _configure(app: Sphinx, config) -> None:
    version = project_version()
    config.version = config.release = version
    check_publishable(config.html_theme_options.get("repository_url", ""))
    citation = read_citation()
    substitutions = dict(config.myst_substitutions or {})
    substitutions.update(
        version=version,
        cite_text=citation_text(citation),
        cite_bibtex="```bibtex\n" + citation_bibtex(citation) + "\n```",
        authors="; ".join(_author_names(citation)),
        repository_link=f"[the repository]({citation['repository-code']})",
    )
    config.myst_substitutions = substitutions
    options = dict(config.html_theme_options)
    footer = options.get("extra_footer", "")
    options["extra_footer"] = (
        f"{footer} <br>Version {html.escape(version)}. Text and figures: "
        '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>; '
        "code: MIT licence."
    ).strip()
    config.html_theme_options = options


# --- author-year bibliography ----------------------------------------------


def _without(node, unwanted):
    """A copy of a pybtex template with every occurrence of ``unwanted`` removed."""
    if not hasattr(node, "children"):
        return node
    copy = node._clone()
    copy.children = [_without(child, unwanted) for child in node.children if child is not unwanted]
    return copy


class AuthorYearStyle(UnsrtStyle):
    """pybtex style "Last, F. and Other, G. (Year). Title. Venue.", by author, year, title."""

    default_sorting_style = "author_year_title"
    default_name_style = "lastfirst"

    def __init__(self, *args, abbreviate_names=True, **kwargs):
        super().__init__(*args, abbreviate_names=abbreviate_names, **kwargs)

    def format_entry(self, label, entry, bib_data=None):
        if entry.type in ("manual", "proceedings") or not (
            entry.persons.get("author") or entry.persons.get("editor")
        ):
            return super().format_entry(label, entry, bib_data=bib_data)
        template = getattr(self, f"get_{entry.type}_template")(entry)
        who = first_of[
            optional[names("author", sep=", ", sep2=" and ", last_sep=", and ")],
            optional[
                join(sep=" ")[names("editor", sep=", ", sep2=" and ", last_sep=", and "), "(ed.)"]
            ],
        ]
        lead = sentence(add_period=True)[join(sep=" ")[who, join["(", field("year"), ")"]]]
        rest = _without(template, unsrt_date).children[1:]
        formatted = toplevel[lead, *rest].format_data(
            {"entry": entry, "style": self, "bib_data": bib_data}
        )
        return FormattedEntry(entry.key, formatted, label)


pybtex.plugin.register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)


def _drop_citation_labels(app: Sphinx, doctree, docname: str) -> None:
    """Remove the "[1]" label of each bibliography entry: the entry starts with author and year.

    The in-text citations are author-year ("Higham (2002)") and link to the
    entry itself, so a numeric label would be a third, unexplained key.
    """
    if app.config.bibtex_default_style != "authoryear":
        return
    for citation in doctree.findall(nodes.citation):
        for label in [child for child in citation.children if isinstance(child, nodes.label)]:
            citation.remove(label)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _configure, priority=950)
    app.connect("html-page-context", _report_link)
    app.connect("html-page-context", _lite_link)
    app.connect("doctree-resolved", _drop_citation_labels)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
