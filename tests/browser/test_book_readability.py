"""Readable everywhere: every page of the built book, in headless Chromium with no network.

The pages are those found in ``_build/html`` (a new chapter is covered as soon
as it is built). For each page:

* **nothing clipped** (at 1280 px and at 390 px): no display equation
  (``mjx-container[display]``), table, widget (``.jupyter-widgets``, widget
  outputs) or image sticks out of the article column or is cut by an ancestor
  with ``overflow: hidden``. At 1280 px nothing even needs a sideways scroll; at
  390 px what is wider than the column sits in a scroll container
  (``overflow-x: auto``/``scroll``) that shows the scroll cue of
  ``book/assets/css/readability.css`` (a gradient shadow at the edge with more
  content). The measurement is ``layout_report.js``;
* **alt text**: every image has an ``alt`` that says something (not empty, not
  its file name): figures (MyST-NB ``mystnb.image.alt``) and every widget frame
  (the description :mod:`utils.widgets` gives it, made ``alt`` by
  ``book/assets/js/readability.js``);
* **controls read their values**: every ``role=slider`` has an accessible name
  and an ``aria-valuetext`` equal to the readout shown next to it, before and
  after it moves; every row of toggle buttons is a labelled group whose buttons
  say whether they are pressed (``aria-pressed``), before and after each is
  clicked (a quiz's answer buttons: in test_book_quizzes.py, which clicks each);
* **a control that does not apply says so**: where an explorer declares
  ``applies_when``, its note is shown exactly for the views the control does not
  apply to;
* **dark mode**: widget labels, readouts and tab titles keep a readable
  contrast (WCAG AA, 4.5:1) with what is behind them, and figures sit on a light
  card. Screenshots of every page at both widths, light and dark, are saved
  under ``_build/screenshots/readability/`` for a person to look at.

The read-only checks (1, 2 and 5, and 3 on the page as loaded) assert on
``page_report`` (tests/browser/book_page.py): each page is loaded once, and its
four views (two widths, light and dark) are measured from that one load.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .book_page import CONTROLS, WIDTHS
from .conftest import HTML

STATE_RE = re.compile(
    r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', re.S
)


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


def _models(path: str) -> dict:
    if path.startswith("<"):
        return {}
    models: dict = {}
    for block in STATE_RE.findall((HTML / path).read_text(encoding="utf-8")):
        models.update(json.loads(html_lib.unescape(block)).get("state", {}))
    return models


def _pages_with(model_names: set[str]) -> list[str]:
    found = [p for p in PAGES if any(m["model_name"] in model_names for m in _models(p).values())]
    return found or ["<no page with such widgets>"]


SLIDER_PAGES = _pages_with(
    {
        "SelectionSliderModel",
        "FloatSliderModel",
        "IntSliderModel",
        "FloatLogSliderModel",
        "ToggleButtonsModel",
    }
)
NOTE_PAGES = [
    p
    for p in PAGES
    if any("control-note" in (m["state"].get("_dom_classes") or []) for m in _models(p).values())
] or ["<no page with a control note>"]

#: Display equations known to be too wide at 1280 px: (page, width) -> (the start of the equation's
#: text as MathJax renders it, why). Strict: once the equation fits, the test fails until the entry
#: is removed. Empty: every display equation fits.
KNOWN_TOO_WIDE: dict[tuple[str, str], tuple[str, str]] = {}

#: Pages whose figures are known to lack alt text: page -> why. Strict, as above. Empty.
KNOWN_MISSING_ALT: dict[str, str] = {}


def _require(path: str) -> None:
    if path == "<book not built>":
        pytest.fail(
            "the book is not built: run `./dev book` (or `jupyter-book build . --all -W`) first"
        )
    if path.startswith("<"):
        pytest.fail(
            f"{path}: the built book has no page to run this check on (widget state not saved?)"
        )


@pytest.fixture
def open_page(open_book_page):
    """``open_page(path, changes=...)``: the page at 1280 px in light mode, from any state
    of its controls (``book_page.PagePool``); ``changes``: the aspects the test
    leaves changed ("explorers", "quizzes")."""

    def _open(path: str, *, changes=frozenset()):
        return open_book_page(path, changes=changes).page

    return _open


def _describe(item: dict) -> str:
    return f"{item['kind']} {item['what']} ({item['width']} px in a {item['column']} px column)"


# ---------------------------------------------------------------------------
# 1. nothing clipped, nothing wider than its column
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("width", list(WIDTHS), ids=[f"{w}px" for w in WIDTHS.values()])
@pytest.mark.parametrize("path", PAGES)
def test_equations_tables_widgets_and_images_fit_their_column(path, width, page_report):
    _require(path)
    px = WIDTHS[width]
    report = page_report(path, px)["layout"]
    problems = []
    for item in report["items"]:
        if item["clippedBy"]:
            problems.append(f"{_describe(item)} is clipped by {item['clippedBy']}")
        if item["beyondColumn"]:
            problems.append(
                f"{_describe(item)} sticks out of the column by {item['beyondColumn']} px"
            )
        for s in item["scrolls"]:
            if width == "desktop":
                problems.append(
                    f"{_describe(item)} needs a sideways scroll of {s['overflow']} px in "
                    f"{s['container']} at {px} px"
                )
            elif not s["gradient"]:
                problems.append(
                    f"{_describe(item)} scrolls in {s['container']} with no visible scroll cue"
                )
    assert report["pageScrollWidth"] <= px, (
        f"the page itself scrolls sideways ({report['pageScrollWidth']} px)"
    )
    known = KNOWN_TOO_WIDE.get((path, width))
    if known:
        text, reason = known
        mine = [p for p in problems if text in p]
        others = [p for p in problems if text not in p]
        assert others == [], f"{path} at {px} px:\n" + "\n".join(others[:20])
        assert mine, (
            f"{text}... now fits at {px} px: remove its entry from KNOWN_TOO_WIDE ({reason})"
        )
        pytest.xfail(reason)
    assert problems == [], f"{path} at {px} px:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("path", PAGES)
def test_a_long_equation_scrolls_inside_the_column_on_a_phone(path, page_report):
    """Every display equation wider than a phone's column is reachable.

    Its scroll range covers it.
    """
    _require(path)
    unreachable = page_report(path, WIDTHS["phone"])["unreachable"]
    assert unreachable == [], (
        f"equations whose end cannot be scrolled to (or reached by keyboard): {unreachable}"
    )


# ---------------------------------------------------------------------------
# 2. alt text on every image
# ---------------------------------------------------------------------------


def _bad_alt(image: dict) -> str | None:
    alt = (image["alt"] or "").strip()
    if not alt:
        return "no alt text"
    name = Path(urlparse(image["src"]).path).name
    if (name and name in alt) or re.fullmatch(r"[\w./-]*[0-9a-f]{16,}[\w./-]*", alt):
        return f"alt text is the file name ({alt[:60]!r})"
    if len(alt) < 10:
        return f"alt text too short to describe anything ({alt!r})"
    return None


@pytest.mark.parametrize("path", PAGES)
def test_every_image_has_alt_text(path, page_report):
    _require(path)
    images = page_report(path, WIDTHS["desktop"])["images"]
    frames = [
        f"widget frame {im['frame'] or im['src']}: {why}"
        for im in images
        if im["widget"] and (why := _bad_alt(im))
    ]
    figures = [f"{im['src']}: {why}" for im in images if not im["widget"] and (why := _bad_alt(im))]
    assert frames == [], f"{len(frames)} of {len(images)} images:\n" + "\n".join(frames[:15])
    if path in KNOWN_MISSING_ALT:  # strict: fails once the figures have their alt text
        assert figures, (
            f"{path}'s figures now have alt text: remove its entry from KNOWN_MISSING_ALT"
        )
        pytest.xfail(KNOWN_MISSING_ALT[path] + f" ({len(figures)} figures)")
    assert figures == [], f"{len(figures)} of {len(images)} images:\n" + "\n".join(figures[:15])


# ---------------------------------------------------------------------------
# 3. sliders and toggle buttons: names, values, pressed states
# ---------------------------------------------------------------------------


def _control_problems(state: dict, when: str) -> list[str]:
    problems = []
    for k, s in enumerate(state["sliders"]):
        if not s["name"]:
            problems.append(f"{when}: slider {k} has no accessible name")
        if s["readout"] is not None and s["valuetext"] != s["readout"]:
            problems.append(
                f"{when}: slider {k} ({s['name']!r}) reads {s['valuetext']!r}, "
                f"shows {s['readout']!r}"
            )
    for k, t in enumerate(state["toggles"]):
        if not t["name"]:
            problems.append(f"{when}: toggle group {k} has no label")
        for b in t["buttons"]:
            if b["pressed"] != ("true" if b["active"] else "false"):
                problems.append(
                    f"{when}: toggle {b['text']!r} of {t['name']!r} "
                    f"says aria-pressed={b['pressed']}, "
                    f"is {'pressed' if b['active'] else 'not pressed'}"
                )
    return problems


@pytest.mark.parametrize("path", SLIDER_PAGES)
def test_sliders_and_toggles_have_names_and_read_their_values(path, open_page, page_report):
    _require(path)
    # As loaded: read on page_report's load, before any test moved a control or
    # answered a quiz (the page handed on below has been through those tests).
    # Asked for before open_page: a page_report load is then handed on to it.
    state = page_report(path, "load")["controls"]
    assert state["sliders"] or state["toggles"], (
        "the widget state has controls, the page shows none"
    )
    problems = _control_problems(state, "on load")
    page = open_page(path, changes={"explorers", "quizzes"})
    problems += _control_problems(page.evaluate(CONTROLS), "after the page's earlier tests")

    handles = page.locator('[role="slider"]:visible')
    for k in range(handles.count()):
        handle = handles.nth(k)
        for key in ("End", "Home"):
            handle.press(key)
            # The value text follows the readout (readability.js reacts to the
            # move); a timeout is reported below with what the page shows.
            with contextlib.suppress(Exception):
                page.wait_for_function(
                    """(h) => { const box = h.closest('.widget-slider, .widget-hslider');
                               const r = box.querySelector('.widget-readout');
                               return !r ||
                                   h.getAttribute('aria-valuetext') === r.textContent.trim(); }""",
                    arg=handle.element_handle(),
                    timeout=2_000,
                    polling=50,
                )
            problems += _control_problems(page.evaluate(CONTROLS), f"after {key} on slider {k}")
    # The quizzes' answer buttons are clicked, and checked after every click, by
    # test_book_quizzes.py::test_every_answer_right_and_wrong_shows_its_own_feedback.
    groups = page.locator(".widget-toggle-buttons:visible:not(.quiz .widget-toggle-buttons)")
    for k in range(groups.count()):
        buttons = groups.nth(k).locator(".widget-toggle-button")
        for b in range(buttons.count()):
            buttons.nth(b).click()
            # readability.js updates aria-pressed when the class changes; a timeout
            # is reported below with what the page shows
            with contextlib.suppress(Exception):
                page.wait_for_function(
                    """(b) => b.classList.contains('mod-active')
                             && b.getAttribute('aria-pressed') === 'true'""",
                    arg=buttons.nth(b).element_handle(),
                    timeout=2_000,
                    polling=20,
                )
            problems += _control_problems(
                page.evaluate(CONTROLS), f"after clicking toggle {b} of group {k}"
            )
    assert sorted(set(problems)) == [], "\n".join(sorted(set(problems))[:20])


STEP_PAGES = [
    p
    for p in PAGES
    if any(
        m["model_name"] == "SelectionSliderModel" and m["state"].get("description") == "step h"
        for m in _models(p).values()
    )
]


@pytest.mark.parametrize("path", STEP_PAGES[:1] or ["<no page with a 'step h' slider>"])
def test_the_finite_difference_step_reads_as_a_power_of_ten(path, open_page, page_report):
    """The step slider shows (and reads) 10⁻⁵, not the exponent -5 or an index:
    as the page loads (``page_report``), and on the page handed on, after the
    page's earlier tests moved the slider through its values and back."""
    assert not path.startswith("<"), "no built page has the finite-difference 'step h' slider"
    on_load = [
        s
        for s in page_report(path, "load")["controls"]["sliders"]
        if "step h" in (s["label"] or "")
    ]
    assert on_load, "no 'step h' slider shown as the page loads"
    readout = on_load[0]["readout"] or ""
    assert re.fullmatch(r"10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|1", readout), f"on load the readout says {readout!r}"
    assert on_load[0]["valuetext"] == readout, f"on load it reads {on_load[0]['valuetext']!r}"
    page = open_page(path)
    slider = page.locator(
        ".widget-slider", has=page.locator(".widget-label", has_text="step h")
    ).first
    readout = slider.locator(".widget-readout").inner_text().strip()
    assert re.fullmatch(r"10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|1", readout), f"the readout says {readout!r}"
    assert slider.locator('[role="slider"]').get_attribute("aria-valuetext") == readout


# ---------------------------------------------------------------------------
# 4. a control that does not apply to the view says so
# ---------------------------------------------------------------------------


def _note_children(models: dict) -> list[list[str]]:
    """For each control note, the text it shows per option of its chooser.

    The notes come in document order of the state.
    """
    out = []
    for m in models.values():
        if "control-note" in (m["state"].get("_dom_classes") or []):
            texts = []
            for ref in m["state"]["children"]:
                child = models[ref.removeprefix("IPY_MODEL_")]["state"]
                texts.append(re.sub(r"<[^>]+>", "", child.get("value", "")).strip())
            out.append(texts)
    return out


@pytest.mark.parametrize("path", NOTE_PAGES)
def test_a_control_that_does_not_apply_to_the_view_says_so(path, open_page):
    _require(path)
    page = open_page(path, changes={"explorers"})
    notes = page.locator(".explorer-static > .control-note")
    expected = _note_children(_models(path))
    assert notes.count() == len(expected) > 0
    unmatched = list(expected)
    checked = 0
    for k in range(notes.count()):
        note = notes.nth(k)
        static = note.locator("xpath=ancestor::*[contains(@class,'explorer-static')][1]")
        # The note follows the view control of its own explorer: the toggle group
        # with one button per note text. (The saved state lists the notes in
        # another order than the page shows them, so each is matched by its group.)
        groups = static.locator(".widget-toggle-buttons")
        pairs = [
            (g.locator(".widget-toggle-button"), texts)
            for g in (groups.nth(i) for i in range(groups.count()))
            for texts in unmatched
            if g.locator(".widget-toggle-button").count() == len(texts)
        ]
        assert pairs, f"note {k}: no toggle group of its explorer matches a saved note"
        buttons, texts = pairs[0]
        unmatched.remove(texts)
        for b in range(buttons.count()):
            buttons.nth(b).click()
            want = texts[b]
            page.wait_for_function(
                "([n, w]) => n.innerText.trim() === w",
                arg=[note.element_handle(), want],
                timeout=3_000,
                polling=50,
            )
            checked += bool(want)
        assert any(texts) and not all(texts), "a note should show for some views only"
    assert checked > 0


# ---------------------------------------------------------------------------
# 5. dark mode
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_dark_mode_keeps_widget_text_readable_and_figures_on_a_light_card(path, page_report):
    """Screenshots of the page at both widths, light and dark, are saved as it loads."""
    _require(path)
    low, dark_cards = [], []
    for mode in ("light", "dark"):
        for px in WIDTHS.values():
            report = page_report(path, px, mode)["contrast"]
            if mode == "dark":
                low += [
                    f"{px} px: {t['text']!r} {t['ratio']:.1f}:1"
                    for t in report["texts"]
                    if t["ratio"] < 4.5
                ]
                dark_cards += [
                    f"{px} px: {c['src']}"
                    for c in report["cards"]
                    if sum(map(float, re.findall(r"[\d.]+", c["bg"])[:3])) < 600
                ]
    assert low == [], f"widget text below 4.5:1 contrast in dark mode: {sorted(set(low))[:10]}"
    assert dark_cards == [], f"images without a light card in dark mode: {dark_cards[:5]}"
