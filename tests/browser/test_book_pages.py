"""Every page of the built HTML book, opened in headless Chromium with no network.

For each page: all math is rendered by the vendored MathJax (no raw TeX left),
every widget cell is rendered by the vendored ipywidgets HTML manager, the
console shows no error, no request leaves 127.0.0.1, and no request fails or
returns an HTTP error, neither while the page loads nor while it is then
resized to a phone's width and switched to dark mode (the views of
``page_report``). With ``BOOK_FULL_SCREENSHOTS=1`` a full-page screenshot is
saved under _build/screenshots/.
"""

from __future__ import annotations

import re

import pytest

from .conftest import HTML


def _pages() -> list[str]:
    if not HTML.exists():
        return ["<book not built>"]
    return sorted(
        p.relative_to(HTML).as_posix()
        for p in HTML.rglob("*.html")
        # not _static/ etc., nor the JupyterLite site (lite/: an app, tested by tests/lite)
        if not p.relative_to(HTML).parts[0].startswith("_")
        and p.relative_to(HTML).parts[0] != "lite"
    )


PAGES = _pages()


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_offline_without_errors(path, page_report):
    assert path != "<book not built>", "the book is not built: run `./dev book` first"
    # The page's one load, shared with the readability checks (page_report in
    # book_page.py): opened at 1280 px with every request outside 127.0.0.1
    # aborted, rendered (a full-page screenshot saved with BOOK_FULL_SCREENSHOTS=1).
    report = page_report(path, "load")
    math, widgets, problems = report["math"], report["widgets"], report["problems"]

    # the reports see the page's math and widgets (an empty selection would pass the checks below)
    source = (HTML / path).read_text(encoding="utf-8")
    in_source = len(re.findall(r'class="math[ "]', source))
    assert math["count"] >= in_source, (
        f"the math report found {math['count']} of {in_source} math elements"
    )
    views = source.count('<script type="application/vnd.jupyter.widget-view+json">')
    assert widgets["views"] >= views, (
        f"the widget report found {widgets['views']} of {views} widget views"
    )
    assert math["raw"] == [], f"math left unrendered: {math['raw'][:5]}"
    assert math["leftovers"] == [], f"raw TeX delimiters in the text: {math['leftovers']}"
    assert math["undefinedMacros"] == [], (
        f"math with a macro MathJax does not know (drawn in red): {math['undefinedMacros'][:5]}"
    )
    assert widgets["blank"] == 0, f"{widgets['blank']} of {widgets['views']} widget cells are blank"
    assert problems["external"] == [], f"requests leaving 127.0.0.1: {problems['external'][:5]}"
    assert problems["http"] == [], f"HTTP errors: {problems['http'][:5]}"
    assert problems["failed"] == [], f"failed requests: {problems['failed'][:5]}"
    assert problems["pageerror"] == [], f"uncaught page errors: {problems['pageerror'][:5]}"
    assert problems["console"] == [], f"console errors: {problems['console'][:5]}"
    # then at 1280 and 390 px, light and dark (the views of the readability checks)
    viewing = {kind: found[:5] for kind, found in report["viewing"].items() if found}
    assert viewing == {}, f"after the load, while resized or switched to dark mode: {viewing}"
