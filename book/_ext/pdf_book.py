"""Sphinx extension: the PDF (LaTeX builder) reads as a book, numbered as the HTML is.

Only LaTeX builds are touched (``./dev pdf``: ``jupyter-book build . --builder
pdflatex``); the HTML is built exactly as without this extension.

- **Numbers.** In the HTML only the "Chapters" part of ``_toc.yml`` is
  numbered. LaTeX would number every chapter (Notation would become chapter 1
  and shift every chapter, equation and figure number). Each document's
  chapter is preceded by ``\\setcounter{secnumdepth}{...}``: numbered as usual
  for the documents Sphinx numbers, unnumbered (``-1``: the chapter counter
  does not move) for the others; part headings are unnumbered too.
  ``sphinx-jupyterbook-latex`` raises ``numfig_secnum_depth`` to 2 for books
  with parts (exercises would read "Exercise 1.8.1" where the HTML says
  "Exercise 1.1"); the book's own value is put back for numbering, and raised
  by one only for the LaTeX writer, which needs it to prefix figure and equation
  numbers with the chapter number, as the HTML does ("(4.8)").
- **Front matter.** The landing page's text, which LaTeX prints before the
  first part, gets an unnumbered chapter heading, "About this book".
- **Widgets.** A widget whose output bundle also carries an ``image/png`` (the
  default frame: :meth:`utils.widgets.Explorer._repr_mimebundle_`) is printed as
  that image, with a line under it naming the widget and saying where to use it
  live. (The figure has no caption number: the HTML has no figure there, and the
  numbers of the captioned figures must stay the same as in the HTML.)
- **Solutions.** The worked solutions are moved out of the chapters into a part
  "Solutions" before the reference pages, one unnumbered chapter per chapter.
  (The student edition has none: ``./dev pdf --student``.)
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape

#: LaTeX's ``secnumdepth`` for a numbered document (sphinxmanual's: sections and subsections)
NUMBERED_DEPTH = 2
FRONT_MATTER_TITLE = "About this book"
SOLUTIONS_TITLE = "Solutions"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: the text/plain line of an explorer: "Title (interactive: N precomputed frames, live tab)"
_EXPLORER_TEXT = re.compile(r"^(?P<title>.+?) \(interactive:")
LIVE_NOTE = (
    "shown at its default settings. Move its controls in the online book, "
    "or run this chapter's notebook (JupyterLab, Binder or Colab) for the live version."
)


def _is_latex(app: Sphinx) -> bool:
    return isinstance(app.builder, LaTeXBuilder)


def _raw(tex: str) -> nodes.raw:
    return nodes.raw("", tex + "\n", format="latex")


def _secnumdepth(depth: int) -> nodes.raw:
    return _raw(f"\\setcounter{{secnumdepth}}{{{depth}}}")


# --- configuration ------------------------------------------------------


def _remember_numfig_depth(app: Sphinx, config) -> None:
    app._book_numfig_secnum_depth = config.numfig_secnum_depth


def _restore_numfig_depth(app: Sphinx) -> None:
    # runs after sphinx-jupyterbook-latex's builder-inited handler (priority 500)
    if _is_latex(app):
        app.config.numfig_secnum_depth = app._book_numfig_secnum_depth


def _latex_numfig_depth(app: Sphinx, env) -> None:
    # Sphinx has numbered figures, equations and exercises with the book's depth;
    # the LaTeX writer subtracts one for books with parts before it tells LaTeX to
    # prefix the chapter ("(4.8)"): give it one more.
    if _is_latex(app):
        app.config.numfig_secnum_depth = app._book_numfig_secnum_depth + 1


# --- widgets --------------------------------------------------------------


def widget_caption(text_plain: str) -> str:
    """The line printed under a widget's default frame.

    >>> widget_caption("The learning rate (interactive: 12 precomputed frames, live tab)")[:52]
    'Interactive figure "The learning rate", shown at its'
    """
    match = _EXPLORER_TEXT.match(text_plain.strip())
    name = f'"{match.group("title")}"' if match else ""
    return f"Interactive figure {name}, {LIVE_NOTE}".replace("figure , ", "figure, ")


class PrintWidgetFrames(SphinxPostTransform):
    """A widget bundle with an ``image/png``: the image and a line under it (LaTeX only).

    Runs before myst-nb's ``SelectMimeType`` (priority 4), which would pick the
    image and drop the text that names the widget.
    """

    default_priority = 3
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            by_type = {child["mime_type"]: child for child in bundle.children}
            if WIDGET_VIEW not in by_type or "image/png" not in by_type:
                continue
            images = list(by_type["image/png"].findall(nodes.image))
            if not images:
                continue
            text = by_type["text/plain"].astext() if "text/plain" in by_type else ""
            image = images[0].deepcopy()
            image["width"] = "90%"
            figure = nodes.figure("", image, align="center", classes=["widget-frame"])
            figure += nodes.legend(
                "", nodes.paragraph("", "", nodes.emphasis("", widget_caption(text)))
            )
            bundle.replace_self(figure)


# --- the whole book -------------------------------------------------------


class ArrangeBook(SphinxPostTransform):
    """Numbering, front matter and solutions of the assembled LaTeX document.

    Runs on the one document the LaTeX builder assembles from every page, after
    ``sphinx-jupyterbook-latex`` has made the parts (priority 700).
    """

    default_priority = 750
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        root = self.config.root_doc
        if self.app.project.path2doc(self.document["source"]) != root:
            return
        self._move_solutions()
        env = self.env
        for sof in list(self.document.findall(addnodes.start_of_file)):
            docname = sof.get("docname")
            if sof.get("book_solutions"):
                continue
            if docname in env.all_docs:
                numbered = bool(env.toc_secnumbers.get(docname))
                sof.insert(0, _secnumdepth(NUMBERED_DEPTH if numbered else -1))
            else:  # a part made from a toctree caption (or the solutions part)
                sof.insert(0, _secnumdepth(-2))
        self._front_matter_heading(root)

    def _front_matter_heading(self, root: str) -> None:
        for section in self.document.findall(nodes.section):
            if section.get("docname") == root:
                heading = (
                    f"\\chapter*{{{FRONT_MATTER_TITLE}}}"
                    f"\\addcontentsline{{toc}}{{chapter}}{{{FRONT_MATTER_TITLE}}}"
                    f"\\markboth{{{FRONT_MATTER_TITLE}}}{{{FRONT_MATTER_TITLE}}}"
                )
                index = 1 if section.children and isinstance(section[0], nodes.title) else 0
                section.insert(index, _raw(heading))
                return

    def _move_solutions(self) -> None:
        from sphinx_exercise.nodes import solution_node

        # Walk down from the root: some parent links are stale after the
        # transforms that replace nodes by copying their children.
        found: list[tuple[nodes.Element, nodes.Element, str]] = []

        def walk(node: nodes.Element, docname: str) -> None:
            for child in node.children:
                if isinstance(child, addnodes.start_of_file):
                    walk(child, child.get("docname", docname))
                elif isinstance(child, solution_node):
                    found.append((node, child, docname))
                elif isinstance(child, nodes.Element):
                    walk(child, docname)

        walk(self.document, "")
        by_doc: dict[str, list[nodes.Node]] = {}
        for parent, node, docname in found:
            # keep the label that precedes a solution with it
            index = parent.index(node)
            moved = [node]
            if index > 0 and isinstance(parent[index - 1], nodes.target):
                moved.insert(0, parent[index - 1])
            for item in moved:
                parent.remove(item)
            by_doc.setdefault(docname, []).extend(moved)
        if not by_doc:
            return
        part_section = nodes.section("", nodes.title("", SOLUTIONS_TITLE))
        part_section["docname"] = SOLUTIONS_TITLE
        part_sof = addnodes.start_of_file("", part_section, docname=SOLUTIONS_TITLE)
        chapters = nodes.compound("", classes=["toctree-wrapper"])
        part_section += chapters
        for docname, solutions in by_doc.items():
            title = self.env.titles[docname].astext() if docname in self.env.titles else docname
            numbers = self.env.toc_secnumbers.get(docname, {}).get("")
            if numbers:
                title = f"Chapter {'.'.join(map(str, numbers))}: {title}"
            # A raw heading (a section made here prints an empty title) in a file with
            # the chapter's own docname: the writer resolves local references against it.
            heading = _raw(f"\\chapter{{{texescape.escape(title)}}}")
            sof = addnodes.start_of_file("", _secnumdepth(-1), heading, *solutions, docname=docname)
            sof["book_solutions"] = True
            chapters += sof
        wrapper = nodes.compound("", part_sof, classes=["toctree-wrapper"])
        # before the part that holds the bibliography (the reference pages), else last
        for index, child in enumerate(self.document.children):
            if isinstance(child, nodes.compound) and any(
                s.get("docname") == "book/bibliography"
                for s in child.findall(addnodes.start_of_file)
            ):
                self.document.insert(index, wrapper)
                break
        else:
            self.document += wrapper


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _remember_numfig_depth)
    app.connect("builder-inited", _restore_numfig_depth, priority=900)
    # after env-get-updated, where Sphinx numbers; before the LaTeX writer starts
    app.connect("env-check-consistency", _latex_numfig_depth)
    app.add_post_transform(PrintWidgetFrames)
    app.add_post_transform(ArrangeBook)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
