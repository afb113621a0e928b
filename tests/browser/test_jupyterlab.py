"""Every notebook with an explorer, run in a real JupyterLab 4 with a real kernel.

A session-wide JupyterLab (see ``jupyterlab.py``) serves a temporary *copy*
of ``chapters/``, so running the notebooks never modifies the committed files
(and nothing is saved: autosave is off). The notebooks are discovered by
scanning their JSON for explorer classes or widget outputs; nothing is
hard-coded. For each notebook, in headless Chromium:

1. open it in the session's JupyterLab page (loaded once, in a fresh workspace;
   the previous notebook closed and its kernel shut down), wait for an idle
   kernel, run the cells that make its widgets (``cells_to_run``: the set-up
   cell, every cell whose saved output is a widget, and the cells defining the
   names they read; nbval runs every cell), wait until each has run;
2. as many ``.explorer`` elements as the saved widget state has explorers;
3. for every explorer: select its "Live" tab, wait for the live image to load,
   then move every live control (sliders: one ArrowRight on the focused
   ``.noUi-handle``, ArrowLeft near the top of the range, then one step back;
   Dropdown: every other option, then back). After each move, wait (in the
   page, no polling from Python) until the kernel has handled every widget
   message the move sent: JupyterLab has received and applied the kernel's
   "idle" status for each and every widget change made in answer (a control
   disabled, a note). The move redrew the image if one of those answers
   carried an image and the image's ``src`` then changed and the new image
   loaded; if none carried an image, the image must be the old one (a picture
   identical to the last one is not sent: e.g. the 2-D condition number while
   the 1-D view is shown). Anything else within ``MOVE_TIMEOUT`` fails. Every
   control must redraw the image at least once; a slider that does not in the
   dropdowns' current setting is retried in each other setting; a disabled
   slider must have a note saying why;
4. no error anywhere: no stderr or traceback output in the notebook, nothing
   in JupyterLab's log console (where exceptions raised by widget callbacks
   go), no traceback in the server's log, no page error or console error.

Only the first notebook with an explorer (:data:`FULL_EXPLORERS`) builds its
explorers' precomputed tab as a reader's kernel does; in the others the test
first runs :data:`NO_PRECOMPUTED_TAB` in the kernel (outside any cell), which
leaves that tab with a note instead of its frames: building every frame was
most of the kernel's work in this test, which is about the live tab. The
frames are checked by nbval (every cell run, outputs compared) and by the HTML
tests (the precomputed controls moved).

The quizzes' notebook (:data:`QUIZ_NOTEBOOK`, widgets but no explorer) is run
whole by ``test_quiz_page_answers_in_jupyterlab``, which makes checks 2 and 4
on it as well as answering a question.
"""

from __future__ import annotations

import ast
import contextlib
import json
import re

import pytest

from .conftest import ROOT
from .jupyterlab import (
    ERROR_OUTPUTS,
    MESSAGES_SENT,
    JupyterLab,
    close_notebooks,
    copy_notebooks,
    execute_silently,
    load_lab,
    open_in_lab,
    run_all,
    run_cells,
    watch_kernel,
)

CHAPTERS = ROOT / "chapters"
MOVE_TIMEOUT = 15_000  # ms for one move to be handled (the kernel answers in well under a second)


def _explorer_count(nb: dict) -> int:
    state = (
        nb.get("metadata", {})
        .get("widgets", {})
        .get("application/vnd.jupyter.widget-state+json", {})
    )
    models = state.get("state", {}) if isinstance(state, dict) else {}
    return sum(
        "explorer" in (m.get("state", {}).get("_dom_classes") or []) for m in models.values()
    )


def _has_widget_output(nb: dict) -> bool:
    return any(
        "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code"
        for out in cell.get("outputs", [])
    )


#: The quizzes' notebook: ``test_quiz_page_answers_in_jupyterlab`` runs all of it
#: (its widget cells included) and makes the checks below on it, so the
#: explorer test does not open it a second time.
QUIZ_NOTEBOOK = "98_quizzes.ipynb"


def _notebooks() -> list[tuple[str, int]]:
    """(name, number of explorers in the saved widget state) of every notebook with widgets,
    but the quizzes' notebook (:data:`QUIZ_NOTEBOOK`)."""
    found = []
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        if path.name == QUIZ_NOTEBOOK:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        count = _explorer_count(nb)
        if count or _has_widget_output(nb):
            found.append((path.name, count))
    return found


NOTEBOOKS = _notebooks() or [("<no notebook with an explorer>", 0)]

#: The notebook whose widget cells build their explorers exactly as a reader's
#: do, precomputed tab included: the first one with an explorer. In the others
#: the precomputed tab is left empty (see :data:`NO_PRECOMPUTED_TAB`).
FULL_EXPLORERS = next((name for name, count in NOTEBOOKS if count), None)

#: Run in the kernel before the widget cells of every notebook but
#: :data:`FULL_EXPLORERS`: the precomputed tab of each explorer holds a note
#: instead of its frames. Building every frame of every explorer (``static()``)
#: is most of the kernel's work here, and this test is about the live tab; the
#: frames are nbval's (it runs every cell) and the HTML tests' (they move the
#: precomputed controls), and one notebook keeps them here.
NO_PRECOMPUTED_TAB = """
import ipywidgets
from utils.widgets import Explorer
Explorer.static = lambda self: ipywidgets.HTML("(precomputed tab not built by this test)")
"""


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell's code defines, names it reads), IPython magics and shell lines left out."""
    code = "\n".join(
        line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
    )
    defined, read = set(), set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            defined.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, ast.Store) else read).add(node.id)
    return defined, read


def cells_to_run(nb: dict) -> list[int]:
    """The cells (indices among all cells) that make the notebook's widgets, in order.

    The set-up cell (the first code cell), every cell whose saved output is a
    widget, and, before them, the cells that define the names those cells read
    (the last definition before each use, followed back to the set-up cell).
    The rest of the notebook (its text, figures and checks) is nbval's: it runs
    every cell and compares the outputs with the saved ones.
    """
    code = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    names = {i: _names("".join(nb["cells"][i]["source"])) for i in code}
    wanted = {code[0]} | {
        i
        for i in code
        if any(
            "application/vnd.jupyter.widget-view+json" in out.get("data", {})
            for out in nb["cells"][i].get("outputs", [])
        )
    }
    todo = sorted(wanted)
    while todo:
        cell = todo.pop()
        for name in names[cell][1] - names[cell][0]:
            source = next((i for i in reversed(code) if i < cell and name in names[i][0]), None)
            if source is not None and source not in wanted:
                wanted.add(source)
                todo.append(source)
    return sorted(wanted)


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab serving a temporary copy of chapters/, stopped at the end of the session."""
    root = copy_notebooks(CHAPTERS, tmp_path_factory.mktemp("lab") / "chapters")
    server = JupyterLab(root)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab_app(browser, lab):
    """One loaded JupyterLab per session (per worker): each test opens its notebook in it.

    (``./dev`` runs all these tests on one worker: see conftest.py.)

    Yields a holder, ``{"page", "problems", "load"}``: ``lab_page`` calls
    ``load()`` for a new page after a test that failed.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    holder = {}

    def load() -> None:
        page = context.new_page()
        page.set_default_timeout(30_000)
        problems = {"pageerror": [], "console": []}
        page.on("pageerror", lambda e: problems["pageerror"].append(str(e)))
        page.on("console", lambda m: m.type == "error" and problems["console"].append(m.text))
        load_lab(page, lab)
        holder.update(page=page, problems=problems, load=load)

    load()
    yield holder
    context.close()


@pytest.fixture
def lab_page(lab_app, lab, request):
    """(page, problems): the loaded JupyterLab, with no notebook open and no problem yet.

    Afterwards its notebooks are closed and their kernels shut down; after a test
    that failed, JupyterLab is loaded again (nothing a failure left behind, a
    dialog or a panel, carries over to the next test).
    """
    page, problems = lab_app["page"], lab_app["problems"]
    for found in problems.values():
        found.clear()
    yield page, problems
    try:
        close_notebooks(page)
        closed = True
    except Exception:  # noqa: BLE001 - JupyterLab is loaded again below
        closed = False
    for kernel in lab.api("GET", "/api/kernels") or []:
        # Best effort: the server shuts the rest down at the end.
        with contextlib.suppress(Exception):
            lab.api("DELETE", f"/api/kernels/{kernel['id']}")
    if not (closed and getattr(request.node, "passed", False)):
        page.close()
        lab_app["load"]()


# The live image of an explorer: src, loaded or not.
LIVE_IMAGE = """
(explorer) => {
  const img = explorer.querySelector('img.explorer-live-image, .explorer-live-image img');
  return img ? {src: img.src, complete: img.complete, naturalWidth: img.naturalWidth} : null;
}
"""

NEW_IMAGE_LOADED = """
([explorer, old]) => {
  const img = explorer.querySelector('img.explorer-live-image, .explorer-live-image img');
  return !!img && img.src !== old && img.complete && img.naturalWidth > 0;
}
"""

LOG_CONSOLE_COUNT = """
() => {
  const item = document.querySelector('.jp-LogConsoleStatusItem');
  if (!item || item.classList.contains('lm-mod-hidden')) return 0;
  const n = parseInt(item.textContent.trim(), 10);
  return Number.isNaN(n) ? 0 : n;
}
"""


def _log_console_messages(page) -> list[str]:
    """Open the log console (a click on its status item) and return its messages."""
    page.click(".jp-LogConsoleStatusItem")
    page.wait_for_selector(".jp-LogConsolePanel", timeout=10_000)
    texts = page.eval_on_selector_all(
        ".jp-LogConsolePanel .jp-OutputArea-output", "els => els.map(e => e.innerText)"
    )
    return [
        " | ".join(t.strip().splitlines()[-3:]) for t in texts
    ]  # the end of a traceback says what failed


def _assert_no_error_anywhere(page, problems, lab: JupyterLab, log_start: int, name: str):
    """No stderr or traceback output in the notebook, nothing in JupyterLab's log
    console, no traceback in the server's log since ``log_start``, no page or
    console error."""
    errors = page.evaluate(ERROR_OUTPUTS)
    assert errors == [], f"error or stderr output in {name}: {errors[:5]}"
    if page.evaluate(LOG_CONSOLE_COUNT):
        pytest.fail(
            f"messages in JupyterLab's log console (e.g. exceptions in widget callbacks): "
            f"{_log_console_messages(page)[:5]}"
        )
    server_log = lab.log_text()[log_start:]
    assert "Traceback" not in server_log, f"traceback in the server's log:\n{server_log[-3000:]}"
    assert problems["pageerror"] == [], f"page errors: {problems['pageerror'][:5]}"
    assert problems["console"] == [], f"console errors: {problems['console'][:5]}"


# After a move: wait, in the page, until the kernel has handled every widget
# message the move sent (so that all it changed in answer, a control disabled
# or a note, is on the page), and then until the explorer's live image is a new,
# loaded one (redrawn) or, if none of the answers carried an image, that it is
# the old one (no redraw: a picture identical to the last one is not sent); or
# until the time is up.
MOVE_RESULT = """
([explorer, old, mark, timeout]) => new Promise((resolve) => {
  const start = performance.now();
  const check = () => {
    const img = explorer.querySelector('img.explorer-live-image, .explorer-live-image img');
    const now = img ? {src: img.src, complete: img.complete, naturalWidth: img.naturalWidth}
                    : null;
    const kernel = window.labKernelWatch.answered(mark);
    if (kernel.handled && now && now.src !== old && now.complete && now.naturalWidth > 0) {
      resolve({redrawn: true, now, kernel});
    } else if (kernel.handled && !kernel.image && !!now && now.src === old) {
      resolve({redrawn: false, now, kernel});
    } else if (performance.now() - start > timeout) {
      resolve({timeout: true, now, kernel});
    } else {
      setTimeout(check, 10);
    }
  };
  check();
})
"""


class LiveImage:
    """One explorer's live image, and what the kernel does when a control moves."""

    def __init__(self, page, explorer, where: str):
        self.page, self.explorer, self.where = page, explorer, where
        self.handle = explorer.element_handle()
        self.src = explorer.evaluate(LIVE_IMAGE)["src"]

    def move(self, action, what: str) -> bool:
        """Do ``action`` (one move of one control); return whether the image was redrawn.

        A redraw is a new ``src`` whose image has loaded. A move whose picture is
        identical to the last one (a control that does not matter in the current
        view) sends no new image: the kernel has handled every widget message
        the move sent (its "idle" status for each, seen in the page) and none of
        its answers carried an image. Anything else within MOVE_TIMEOUT (no
        message sent, no answer, an image sent that never shows or never loads)
        is a failure.
        """
        mark = self.page.evaluate(MESSAGES_SENT)
        action()
        result = self.page.evaluate(MOVE_RESULT, [self.handle, self.src, mark, MOVE_TIMEOUT])
        if result.get("redrawn"):
            self.src = result["now"]["src"]
            return True
        if result.get("redrawn") is False:
            return False
        kernel, now = result["kernel"], result["now"]
        status = self.explorer.locator(".explorer-live .widget-html-content").all_inner_texts()
        if kernel["image"]:
            problem = "the kernel sent a new image that never showed or never loaded"
        elif kernel["sent"] == 0:
            problem = "the move sent no message to the kernel"
        else:
            problem = "the kernel did not finish handling the move"
        pytest.fail(
            f"{self.where}, {what}: {problem} within {MOVE_TIMEOUT / 1000:.0f} s "
            f"(messages {kernel}; image {now}; status text {status})"
        )


# A slider's state: disabled or not, its position and range, and its readout.
SLIDER_STATE = """
(slider) => {
  const knob = slider.querySelector('.noUi-handle');
  const readout = slider.querySelector('.widget-readout');
  const number = (name) => parseFloat(knob.getAttribute(name));
  return {
    disabled: slider.classList.contains('mod-disabled') || !!slider.querySelector('[disabled]'),
    value: number('aria-valuenow'), low: number('aria-valuemin'), high: number('aria-valuemax'),
    readout: readout ? readout.innerText : '',
  };
}
"""

# The labels of the live controls (sliders, then dropdowns) of an explorer's live box.
CONTROL_LABELS = """
(live) => {
  const label = (w) => {
    const l = w.querySelector('.widget-label');
    return l ? l.innerText.trim() : '';
  };
  return {
    sliders: [...live.querySelectorAll('.widget-slider')].map((w, i) => label(w) || `slider ${i}`),
    dropdowns: [...live.querySelectorAll('.widget-dropdown select')]
      .map((s, i) => label(s.parentElement) || `dropdown ${i}`),
  };
}
"""


def _slider_keys(state: dict) -> tuple[str, str]:
    """One step away from the nearer end of the range, then one step back."""
    near_top = state["value"] >= state["high"] - (state["high"] - state["low"]) * 0.05
    return ("ArrowLeft", "ArrowRight") if near_top else ("ArrowRight", "ArrowLeft")


@pytest.mark.parametrize("name,saved_explorers", NOTEBOOKS, ids=[n for n, _ in NOTEBOOKS])
def test_live_explorers_redraw_in_jupyterlab(name, saved_explorers, lab, lab_page):
    assert not name.startswith("<"), (
        "no notebook in chapters/ contains an explorer or a widget output"
    )
    page, problems = lab_page
    log_start = len(lab.log_text())

    open_in_lab(page, name)
    if name != FULL_EXPLORERS:
        execute_silently(page, NO_PRECOMPUTED_TAB)
    run_cells(page, cells_to_run(json.loads((CHAPTERS / name).read_text(encoding="utf-8"))))
    watch_kernel(page)

    explorers = page.locator(".jp-Notebook .explorer")
    count = explorers.count()
    never_redrawn = []
    assert count == saved_explorers, (
        f"{count} explorers in the running notebook, {saved_explorers} in its saved widget state"
    )

    for k in range(count):
        explorer = explorers.nth(k)
        explorer.scroll_into_view_if_needed()
        title = explorer.locator(".widget-html-content").first.inner_text().strip()
        where = f"explorer {k} ({title!r})"
        tabs = explorer.locator(".lm-TabBar-tab")
        labels = [t.strip() for t in tabs.all_inner_texts()]
        live_tabs = [i for i, t in enumerate(labels) if t.lower().startswith("live")]
        if live_tabs:  # otherwise the explorer is the live version alone (no Stack/jslink)
            tabs.nth(live_tabs[0]).click()
        live = explorer.locator(".explorer-live")
        live.wait_for(state="visible", timeout=30_000)
        page.wait_for_function(
            "(e) => { const i = e.querySelector("
            "'img.explorer-live-image, .explorer-live-image img');"
            " return !!i && i.complete && i.naturalWidth > 0; }",
            arg=explorer.element_handle(),
            timeout=30_000,
        )
        image = LiveImage(page, explorer, where)

        sliders = live.locator(".widget-slider")
        dropdowns = live.locator(".widget-dropdown select")
        control_labels = live.evaluate(CONTROL_LABELS)
        slider_labels, dropdown_labels = control_labels["sliders"], control_labels["dropdowns"]
        assert slider_labels or dropdown_labels, f"{where}: no live control"
        redraws: dict[str, int] = {}

        # The helpers below bind this notebook's loop variables as defaults.
        def cycle_dropdown(
            d: int, label: str, *, dropdowns=dropdowns, redraws=redraws, image=image
        ) -> None:
            select = dropdowns.nth(d)
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.selectedIndex")
            for i in [*(i for i in range(len(options)) if i != current), current]:
                redraws[label] += image.move(
                    lambda i=i: select.select_option(index=i),
                    f"dropdown {label!r} set to {options[i]!r}",
                )

        def press_slider(
            s: int,
            label: str,
            *,
            sliders=sliders,
            live=live,
            where=where,
            redraws=redraws,
            image=image,
        ) -> None:
            slider = sliders.nth(s)
            state = slider.evaluate(SLIDER_STATE)
            if state["disabled"]:
                # a control that does not apply to the current view is disabled, and says why
                note = live.get_by_text(re.compile(re.escape(label) + ": not used in this")).count()
                assert note, f"{where}: {label!r} is disabled but no note says why"
                return
            knob = slider.locator(".noUi-handle")
            there, back = _slider_keys(state)
            redraws[label] += image.move(
                lambda: knob.press(there),
                f"slider {label!r}, {there} (from readout {state['readout']!r})",
            )
            redraws[label] += image.move(
                lambda: knob.press(back), f"slider {label!r}, {back} (back to {state['readout']!r})"
            )

        for d, label in enumerate(dropdown_labels):
            redraws[label] = 0
            cycle_dropdown(d, label)
        for s, label in enumerate(slider_labels):
            redraws[label] = 0
            press_slider(s, label)
        # A slider that changed nothing may matter only in another setting of the
        # dropdowns (e.g. a 2-D parameter while the 1-D view is shown): try each.
        for s, label in enumerate(slider_labels):
            for d in range(len(dropdown_labels)):
                select = dropdowns.nth(d)
                start = select.evaluate("s => s.selectedIndex")
                for i in range(select.locator("option").count()):
                    if redraws[label] or i == start:
                        continue
                    image.move(
                        lambda i=i, select=select: select.select_option(index=i),
                        f"dropdown {dropdown_labels[d]!r}",
                    )
                    press_slider(s, label)
                if select.evaluate("s => s.selectedIndex") != start:
                    image.move(
                        lambda select=select, start=start: select.select_option(index=start),
                        f"dropdown {dropdown_labels[d]!r}",
                    )
        idle = [label for label, n in redraws.items() if n == 0]
        if idle:
            never_redrawn.append(
                f"{where}: moving {idle} never redrew the live image "
                f"(redraws per control: {redraws})"
            )

    # Errors first: an exception in a callback explains a missing redraw.
    _assert_no_error_anywhere(page, problems, lab, log_start, name)
    assert never_redrawn == [], "\n".join(never_redrawn)


def test_quiz_page_answers_in_jupyterlab(lab, lab_page):
    """The quizzes run in JupyterLab: after Run All, choosing an answer shows its feedback.

    And, as for the notebooks of the explorer test: no explorer in the page
    where the saved widget state has none, and no error anywhere.
    """
    from utils.quiz import load_quiz, quiz_names

    page, problems = lab_page
    log_start = len(lab.log_text())
    open_in_lab(page, QUIZ_NOTEBOOK)
    run_all(page, timeout=90_000)
    saved = _explorer_count(json.loads((CHAPTERS / QUIZ_NOTEBOOK).read_text(encoding="utf-8")))
    assert page.locator(".jp-Notebook .explorer").count() == saved
    quizzes = page.locator(".jp-Notebook .quiz")
    assert quizzes.count() == len(quiz_names())
    question = quizzes.first.locator(".quiz-question").first
    question.scroll_into_view_if_needed()
    first = load_quiz(quiz_names()[0]).questions[0]
    for i in (first.answer, (first.answer + 1) % len(first.choices)):
        question.locator(".widget-toggle-button").nth(i).click()
        shown = question.locator(".quiz-feedback:visible")
        shown.first.wait_for(state="visible", timeout=10_000)
        assert shown.count() == 1
        text = " ".join(shown.first.inner_text().split())
        assert text.startswith(f"{'ABCDEF'[i]}:")
        assert ("Right." in text) == (i == first.answer), text
    _assert_no_error_anywhere(page, problems, lab, log_start, QUIZ_NOTEBOOK)
