"""The explorers of the built HTML book, driven in headless Chromium with no kernel.

Every page whose embedded widget state holds an explorer (a VBox with the class
``explorer``, see :mod:`utils.widgets`) is found from ``_build/html``; nothing is
hard-coded. For each explorer:

* **state** (no browser): every combination of the static controls' grid has
  exactly one precomputed frame, whose Image carries the class
  ``frame-<i0>-<i1>-...`` (identical frames share one Image, which then carries
  the classes of all the grid points it serves), every Stack of level
  ``L`` has one child per option of control ``L`` and is ``jslink``-ed to that
  control's ``index``;
* **controls**: each static control is moved through *all* its values with the
  keyboard (SelectionSlider: Home, ArrowRight..., End, ArrowLeft... on its
  ``.noUi-handle``) or by clicking (ToggleButtons); after every move exactly one
  ``.explorer-frame`` image is visible in the explorer, it has the class of the
  expected grid indices (the other controls' indices unchanged), and it has
  loaded (``naturalWidth > 0``); no page error is raised meanwhile;
* **live tab**: in the HTML it shows the placeholder that says it needs a
  running kernel.

Plus a page-weight check on every page (HTML file under 1.5 MB). The size of
the shared static assets is *measured, not tested*: it is printed in the
terminal summary (see ``pytest_terminal_summary`` in conftest.py).

The pages are those the read-only checks loaded (``book_page.PagePool``): each
page is loaded about once for all the browser tests of the book.
"""

from __future__ import annotations

import html as html_lib
import itertools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import HTML

MAX_PAGE_BYTES = 1_500_000  # 1.5 MB (decimal megabytes, the stricter reading)
STATE_RE = re.compile(
    r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', re.S
)
VIEW_RE = re.compile(
    r'<script type="application/vnd.jupyter.widget-view\+json">(.*?)</script>', re.S
)
CONTROL_MODELS = {"SelectionSliderModel": "slider", "ToggleButtonsModel": "toggle"}


# ---------------------------------------------------------------------------
# what the embedded widget state says
# ---------------------------------------------------------------------------


def _ref(value: str) -> str:
    return value.removeprefix("IPY_MODEL_")


@dataclass
class StaticControl:
    model_id: str
    kind: str  # "slider" | "toggle"
    labels: list[str]
    index: int


@dataclass
class ExplorerState:
    """One explorer as the embedded widget state describes it."""

    model_id: str
    classes: list[str]
    controls: list[StaticControl] = field(default_factory=list)
    frames: list[tuple[int, ...]] = field(
        default_factory=list
    )  # the grid point of every Image leaf
    stacks_by_level: list[list[dict]] = field(default_factory=list)
    links: set[tuple[str, str]] = field(
        default_factory=set
    )  # (control id, stack id), index -> selected_index
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        slug = next((c for c in self.classes if c.startswith("explorer-")), "explorer")
        return slug.removeprefix("explorer-")


def _page_state(path: Path) -> tuple[dict, list[str]]:
    """(models by id, the model ids of the page's widget views in document order)."""
    text = path.read_text(encoding="utf-8")
    models: dict = {}
    for block in STATE_RE.findall(text):
        models.update(json.loads(html_lib.unescape(block)).get("state", {}))
    views = [json.loads(html_lib.unescape(v))["model_id"] for v in VIEW_RE.findall(text)]
    return models, views


def _children(model: dict) -> list[str]:
    kids = model.get("state", {}).get("children") or []
    return [_ref(k) for k in kids if isinstance(k, str)]


def _classes(model: dict) -> list[str]:
    return list(model.get("state", {}).get("_dom_classes") or [])


def _describe(models: dict, root_id: str) -> ExplorerState:
    ex = ExplorerState(root_id, _classes(models[root_id]))
    static_id = None
    stack = [root_id]
    while stack and static_id is None:  # the explorer-static box, wherever the Tab puts it
        mid = stack.pop(0)
        if "explorer-static" in _classes(models.get(mid, {})):
            static_id = mid
        stack.extend(_children(models.get(mid, {})))
    if static_id is None:
        ex.problems.append("no child with the class explorer-static")
        return ex
    body = None
    for kid in _children(models[static_id]):
        name = models[kid]["model_name"]
        if "control-note" in _classes(
            models[kid]
        ):  # says when a control does not apply to the view
            continue
        if name == "StackModel" or "explorer-frame" in _classes(models[kid]):
            body = kid
            break
        if name in CONTROL_MODELS:
            s = models[kid]["state"]
            ex.controls.append(
                StaticControl(
                    kid, CONTROL_MODELS[name], list(s["_options_labels"]), int(s["index"])
                )
            )
        else:
            ex.problems.append(f"unexpected {name} among the static controls")
    if body is None:
        ex.problems.append("no Stack of frames after the static controls")
        return ex

    def walk(mid: str, prefix: tuple[int, ...]) -> None:
        model = models[mid]
        level = len(prefix)
        if model["model_name"] == "StackModel":
            while len(ex.stacks_by_level) <= level:
                ex.stacks_by_level.append([])
            ex.stacks_by_level[level].append({"id": mid, **model["state"]})
            for i, kid in enumerate(_children(model)):
                walk(kid, prefix + (i,))
        elif "explorer-frame" in _classes(model):
            # Identical frames may share one Image (one class frame-... per grid point it serves).
            ex.frames.append(prefix)
            if "frame-" + "-".join(map(str, prefix)) not in _classes(model):
                ex.problems.append(
                    f"the image at grid point {prefix} has the classes {_classes(model)}"
                )
        else:
            ex.problems.append(f"unexpected {model['model_name']} in the Stacks of frames")

    walk(body, ())
    for model in models.values():
        if model["model_name"] in ("LinkModel", "DirectionalLinkModel"):
            s = model["state"]
            (src, src_attr), (dst, dst_attr) = s["source"], s["target"]
            if (src_attr, dst_attr) == ("index", "selected_index"):
                ex.links.add((_ref(src), _ref(dst)))
    return ex


def explorers_of(path: Path) -> list[ExplorerState]:
    """The explorers of a built page, in document order (the order of their views' trees)."""
    models, views = _page_state(path)
    found: list[ExplorerState] = []
    seen: set[str] = set()

    def visit(mid: str) -> None:
        if mid in seen or mid not in models:
            return
        seen.add(mid)
        if "explorer" in _classes(models[mid]):
            found.append(_describe(models, mid))
            return
        for kid in _children(models[mid]):
            visit(kid)

    for view in views:
        visit(view)
    return found


def _all_pages() -> list[str]:
    if not HTML.exists():
        return []
    return sorted(
        p.relative_to(HTML).as_posix()
        for p in HTML.rglob("*.html")
        # not _static/ etc., nor the JupyterLite site (lite/: an app, tested by tests/lite)
        if not p.relative_to(HTML).parts[0].startswith("_")
        and p.relative_to(HTML).parts[0] != "lite"
    )


ALL_PAGES = _all_pages() or ["<book not built>"]
EXPLORER_PAGES = [p for p in ALL_PAGES if p != "<book not built>" and explorers_of(HTML / p)] or [
    "<no page with an explorer>"
]


def _require(path: str) -> Path:
    if path == "<book not built>":
        pytest.fail(
            "the book is not built: run `./dev book` (or `jupyter-book build . --all -W`) first"
        )
    if path == "<no page with an explorer>":
        pytest.fail(
            "no page of _build/html embeds an explorer's widget state: the notebooks were "
            "saved without widget state, or the book was built without executing them"
        )
    return HTML / path


# ---------------------------------------------------------------------------
# 1. the state: every frame exists and every Stack is linked (no browser)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_explorer_state_has_every_frame_and_link(path):
    problems = []
    for k, ex in enumerate(explorers_of(_require(path))):
        where = f"explorer {k} ({ex.name})"
        problems += [f"{where}: {p}" for p in ex.problems]
        if ex.problems:
            continue
        sizes = [len(c.labels) for c in ex.controls]
        expected = set(itertools.product(*map(range, sizes)))
        if len(ex.frames) != math.prod(sizes) or set(ex.frames) != expected:
            missing = sorted(expected - set(ex.frames))[:5]
            extra = sorted(set(ex.frames) - expected)[:5]
            problems.append(
                f"{where}: {len(ex.frames)} frames for a grid of {sizes} "
                f"(missing {missing}, unexpected {extra})"
            )
        if len(ex.stacks_by_level) != len(ex.controls):
            problems.append(
                f"{where}: {len(ex.stacks_by_level)} levels of Stacks "
                f"for {len(ex.controls)} controls"
            )
            continue
        for level, (control, stacks) in enumerate(
            zip(ex.controls, ex.stacks_by_level, strict=True)
        ):
            for st in stacks:
                if len(st["children"]) != len(control.labels):
                    problems.append(
                        f"{where}: a level-{level} Stack has {len(st['children'])} children, "
                        f"its control {len(control.labels)} options"
                    )
                if (control.model_id, st["id"]) not in ex.links:
                    problems.append(
                        f"{where}: a level-{level} Stack is not jslink-ed to its control's index"
                    )
                if st.get("selected_index") != control.index:
                    problems.append(
                        f"{where}: a level-{level} Stack shows {st.get('selected_index')}, "
                        f"its control is at {control.index}"
                    )
    assert problems == [], "\n".join(problems[:20])


# ---------------------------------------------------------------------------
# 2. and 3. the page in Chromium
# ---------------------------------------------------------------------------

FRAME_STATE = """
(explorer) => {
  const imgs = [...explorer.querySelectorAll('img.explorer-frame')];
  const shown = imgs.filter(i => i.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
                                 && i.getBoundingClientRect().width > 0);
  const readouts = [...explorer.querySelectorAll('.explorer-static .widget-readout')]
    .map(r => r.textContent);
  const active = [...explorer.querySelectorAll('.explorer-static .widget-toggle-buttons')]
    .map(t => [...t.querySelectorAll('button')].findIndex(b => b.classList.contains('mod-active')));
  return {
    inDom: imgs.length,
    visible: shown.map(i => ({frame: [...i.classList].filter(c => c.startsWith('frame-')).join(' '),
                              complete: i.complete, naturalWidth: i.naturalWidth})),
    readouts, active,
  };
}
"""

SHOWS_FRAME = """
([explorer, expected]) => {
  const shown = [...explorer.querySelectorAll('img.explorer-frame')]
    .filter(i => i.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
                 && i.getBoundingClientRect().width > 0);
  return shown.length === 1 && shown[0].classList.contains(expected)
         && shown[0].complete && shown[0].naturalWidth > 0;
}
"""

ALL_EXPLORERS_RENDERED = """
(count) => {
  const explorers = [...document.querySelectorAll('.explorer')];
  return explorers.length >= count && explorers.every(e => {
    const f = e.querySelector('img.explorer-frame');
    return f && f.complete && f.naturalWidth > 0;
  });
}
"""


def _wait_for_frame(page, root, expected: str, context: str) -> None:
    """Wait until ``expected`` is the one visible, loaded frame of the explorer ``root``
    (an element handle), checked at every animation frame. Fail otherwise.
    """
    try:
        page.wait_for_function(SHOWS_FRAME, arg=[root, expected], timeout=5_000, polling="raf")
        return
    except Exception:  # noqa: BLE001 - reported below, with what the page shows instead
        seen = root.evaluate(FRAME_STATE)
    pytest.fail(
        f"{context}: expected exactly one visible, loaded {expected}; "
        f"the page shows {seen['visible']} "
        f"({seen['inDom']} frame images in the DOM; slider readouts {seen['readouts']}, "
        f"active toggle buttons {seen['active']})"
    )


@pytest.fixture
def open_page(open_book_page):
    """``open_page(path, explorer_count)``: (page, problems), the page with its
    explorers' controls as loaded, offline, its explorers rendered; ``problems``
    holds what went wrong while it loaded and during this test (page errors,
    console errors, requests leaving 127.0.0.1).

    The page is the one the page's earlier tests used (``book_page.PagePool``)
    as long as they put back every control they moved; a test that does not
    says so (``changes_it=True``), and runs after them (``TEST_ORDER`` in
    conftest.py).
    """

    def _open(path: str, explorer_count: int, *, changes_it: bool = False):
        kept = open_book_page(
            path, pristine={"explorers"}, changes={"explorers"} if changes_it else set()
        )
        kept.page.wait_for_function(
            ALL_EXPLORERS_RENDERED, arg=explorer_count, timeout=30_000, polling=100
        )
        return kept.page, kept.problems

    return _open


def _slider_moves(n: int, start: int) -> list[tuple[str, int]]:
    """Keys that take a SelectionSlider of n options through all of them and back to ``start``."""
    moves = [("Home", 0)]
    moves += [("ArrowRight", i) for i in range(1, n)]
    moves += [("ArrowRight", n - 1)]  # at the end: stays there
    moves += [("Home", 0), ("End", n - 1)]
    moves += [("ArrowLeft", i) for i in range(n - 2, start - 1, -1)]
    return moves


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_static_controls_show_the_matching_frame(path, open_page):
    explorers = explorers_of(_require(path))
    page, problems = open_page(path, len(explorers))
    dom = page.locator(".explorer")
    assert dom.count() == len(explorers), (
        f"{dom.count()} .explorer elements on the page, "
        f"{len(explorers)} explorers in its widget state"
    )

    checked = 0
    for k, ex in enumerate(explorers):
        assert ex.problems == [], f"explorer {k} ({ex.name}): {ex.problems}"
        root = dom.nth(k)
        handle = root.element_handle()  # one lookup per explorer, not per move
        root.scroll_into_view_if_needed()
        controls = root.locator(".explorer-static").first.locator(
            ":scope > .widget-toggle-buttons, :scope > .widget-slider"
        )
        assert controls.count() == len(ex.controls), (
            f"explorer {k} ({ex.name}): {controls.count()} static controls on the page, "
            f"{len(ex.controls)} in the widget state"
        )
        indices = [c.index for c in ex.controls]

        # The helpers below bind this explorer's loop variables as defaults.
        def expect(
            move: str, c: int, value: int, *, indices=indices, handle=handle, k=k, ex=ex
        ) -> None:
            indices[c] = value
            _wait_for_frame(
                page,
                handle,
                "frame-" + "-".join(map(str, indices)),
                f"explorer {k} ({ex.name}), control {c} ({ex.controls[c].kind}), after {move}",
            )

        if ex.controls:
            expect("loading the page", 0, indices[0])  # the initial frame
        for c, control in enumerate(ex.controls):
            widget = controls.nth(c)
            n = len(control.labels)
            if control.kind == "slider":
                knob = widget.locator(".noUi-handle")
                assert knob.get_attribute("aria-valuemax") is not None
                dom_n = (
                    round(
                        float(knob.get_attribute("aria-valuemax"))
                        - float(knob.get_attribute("aria-valuemin"))
                    )
                    + 1
                )
                assert dom_n == n, (
                    f"explorer {k}, control {c}: the slider has {dom_n} positions, "
                    f"the state {n} options"
                )
                for key, value in _slider_moves(n, control.index):
                    knob.press(key)
                    expect(
                        f"pressing {key} (to option {value}, {control.labels[value]!r})", c, value
                    )
                    checked += 1
                    readout = widget.locator(".widget-readout").inner_text().strip()
                    assert readout == control.labels[value], (
                        f"explorer {k}, control {c}: after {key} the readout says {readout!r}, "
                        f"expected {control.labels[value]!r}"
                    )
            else:
                buttons = widget.locator("button")
                assert buttons.count() == n, (
                    f"explorer {k}, control {c}: {buttons.count()} buttons, {n} options"
                )
                for value in [*range(n), control.index]:
                    buttons.nth(value).click()
                    expect(f"clicking {control.labels[value]!r}", c, value)
                    checked += 1
    assert checked > 0, "no static control was exercised"
    assert problems["pageerror"] == [], (
        f"page errors while moving the controls: {problems['pageerror'][:5]}"
    )
    assert problems["console"] == [], (
        f"console errors while moving the controls: {problems['console'][:5]}"
    )
    assert problems["external"] == [], f"requests leaving 127.0.0.1: {problems['external'][:5]}"


PLACEHOLDER = re.compile(r"needs a running kernel", re.I)


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_live_tab_says_it_needs_a_kernel(path, open_page):
    explorers = explorers_of(_require(path))
    page, problems = open_page(path, len(explorers))
    dom = page.locator(".explorer")
    for k, ex in enumerate(explorers):
        root = dom.nth(k)
        handle = root.element_handle()  # one lookup per explorer, not per move
        tabs = root.locator(".lm-TabBar-tab")
        labels = [t.strip() for t in tabs.all_inner_texts()]
        live = [i for i, t in enumerate(labels) if t.lower().startswith("live")]
        assert live, f"explorer {k} ({ex.name}): no 'Live' tab among {labels}"
        tabs.nth(live[0]).click()
        panel = root.locator(".widget-tab-contents > .widget-box:not(.lm-mod-hidden)")
        try:
            panel.get_by_text(PLACEHOLDER).first.wait_for(state="visible", timeout=5_000)
            shown = None
        except Exception:  # noqa: BLE001 - reported below
            shown = panel.first.inner_text()[:300] if panel.count() else "nothing"
        assert shown is None, (
            f"explorer {k} ({ex.name}): the {labels[live[0]]!r} tab shows {shown!r}, "
            "not the placeholder saying it needs a running kernel"
        )
        assert root.locator(".explorer-live").count() == 0, (
            "a live box in the HTML, where no kernel runs"
        )
        tabs.nth(0).click()  # and back: the precomputed frame is shown again
        _wait_for_frame(
            page,
            handle,
            "frame-" + "-".join(str(c.index) for c in ex.controls),
            f"explorer {k} ({ex.name}), back on the first tab",
        )
    assert problems["pageerror"] == [], f"page errors: {problems['pageerror'][:5]}"


def _gray_walk(sizes: list[int]) -> list[tuple[int, ...]]:
    """Every grid point once, consecutive points differing by one step of one control (a snake)."""
    if not sizes:
        return [()]
    rest = _gray_walk(sizes[1:])
    return [(i, *r) for i in range(sizes[0]) for r in (rest if i % 2 == 0 else rest[::-1])]


MAX_WALK = 400  # frames visited one by one in the browser; the state test covers the rest


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_every_combination_of_the_controls_shows_its_frame(path, open_page):
    """A walk through the whole grid (up to MAX_WALK frames), one step of one control at a time.

    Moving one control with the others at their defaults cannot see a Stack
    that lost its link but happens to show the right index; this walk can.
    """
    explorers = explorers_of(_require(path))
    page, problems = open_page(path, len(explorers), changes_it=True)
    dom = page.locator(".explorer")
    visited = 0
    for k, ex in enumerate(explorers):
        if not ex.controls:
            continue
        root = dom.nth(k)
        handle = root.element_handle()  # one lookup per explorer, not per move
        root.scroll_into_view_if_needed()
        controls = root.locator(".explorer-static").first.locator(
            ":scope > .widget-toggle-buttons, :scope > .widget-slider"
        )
        sizes = [len(c.labels) for c in ex.controls]

        # Binds this explorer's loop variables as defaults.
        def set_control(
            c: int, value: int, key: str | None = None, *, controls=controls, ex=ex
        ) -> str:
            widget = controls.nth(c)
            if ex.controls[c].kind == "toggle":
                widget.locator("button").nth(value).click()
                return f"clicking {ex.controls[c].labels[value]!r}"
            widget.locator(".noUi-handle").press(key or "Home")
            return f"pressing {key or 'Home'}"

        current = [c.index for c in ex.controls]
        walk = _gray_walk(sizes)[:MAX_WALK]
        for c in range(len(sizes)):  # to the start of the walk, all zeros
            if current[c] != 0:
                set_control(c, 0)
                current[c] = 0
        for point in walk:
            moved = [c for c in range(len(sizes)) if point[c] != current[c]]
            how = "the start of the walk"
            for c in moved:
                how = set_control(
                    c, point[c], "ArrowRight" if point[c] > current[c] else "ArrowLeft"
                )
            current = list(point)
            _wait_for_frame(
                page,
                handle,
                "frame-" + "-".join(map(str, point)),
                f"explorer {k} ({ex.name}): at grid point {point}, after {how}",
            )
            visited += 1
    assert visited > 0, "no explorer on the page has a static control: nothing was walked"
    assert problems["pageerror"] == [], f"page errors: {problems['pageerror'][:5]}"


# ---------------------------------------------------------------------------
# 4. page weight
# ---------------------------------------------------------------------------


def _widget_state_bytes(path: Path) -> int:
    return sum(len(b.encode()) for b in STATE_RE.findall(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_html_is_under_1_5_mb(path):
    file = _require(path)
    size = file.stat().st_size
    if size >= MAX_PAGE_BYTES:
        state = _widget_state_bytes(file)
        others = sorted(((HTML / p).stat().st_size, p) for p in ALL_PAGES)[-5:]
        pytest.fail(
            f"{path} is {size / 1e6:.2f} MB ({size:,} bytes), "
            f"over the {MAX_PAGE_BYTES / 1e6:.1f} MB budget; "
            f"its embedded widget state is {state / 1e6:.2f} MB. Largest pages: "
            + ", ".join(f"{p} {s / 1e6:.2f} MB" for s, p in reversed(others))
        )
