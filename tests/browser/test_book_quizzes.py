"""The quizzes work in the built HTML with no kernel: every answer, right and
wrong, shows its feedback.

Every built page whose widget state holds a quiz (``utils.quiz``: a box with the
class ``quiz-<chapter>``) is opened in headless Chromium with no network. For
every question, each choice is clicked in turn, and the feedback shown under the
question must be that choice's: its letter, "Right" exactly for the right
answer, and the words of its explanation from the quiz file; the answer
buttons are a labelled group in which the clicked button alone says it is
pressed (``aria-pressed``), checked on every click. Before any click no
feedback shows. The math of prompts, choices and feedback is typeset by
MathJax (no raw ``\\(`` left). (How the answer buttons read before any click:
test_book_readability.py, on the page as loaded.)
"""

from __future__ import annotations

import contextlib
import re

import pytest

from utils.quiz import load_quiz

from .test_book_readability import PAGES, _models, _require


def _quiz_pages() -> list[str]:
    found = [
        p
        for p in PAGES
        if any("quiz" in (m["state"].get("_dom_classes") or []) for m in _models(p).values())
    ]
    return found or ["<no page with a quiz>"]


QUIZ_PAGES = _quiz_pages()

QUIZ_NAMES = """
() => [...document.querySelectorAll('.quiz')].map(q =>
  [...q.classList].find(c => c.startsWith('quiz-') && /^quiz-\\d/.test(c)).slice(5))
"""


QUIZ_MATH = """() => {
  const quizzes = [...document.querySelectorAll('.quiz')];
  const text = quizzes.map(q => q.innerText).join('\\n');
  const questions = [...document.querySelectorAll('.quiz-question')];
  return {math: quizzes.reduce((n, q) => n + q.querySelectorAll('mjx-container').length, 0),
          raw: ['\\\\(', '\\\\)', '$'].filter(t => text.includes(t)),
          shown: questions.every(q => [...q.querySelectorAll('.quiz-feedback')]
                                        .some(e => e.offsetParent !== null))};
}"""


@pytest.fixture
def open_page(open_book_page):
    """``open_page(path, as_loaded=...)``: the page at 1280 px, math and widgets rendered.

    Every test clicks answers. With ``as_loaded=True`` the test gets the page
    with no answer chosen; otherwise the page as the previous test of this page
    left it, for a test written to start from any choice of answers. The page
    is handed from test to test (``book_page.PagePool``): it is loaded about
    once per page.
    """

    def _open(path: str, *, as_loaded: bool):
        pristine = {"quizzes"} if as_loaded else set()
        return open_book_page(path, pristine=pristine, changes={"quizzes"}).page

    return _open


def words(text: str) -> list[str]:
    """The runs of plain text of a feedback, without its math and markup, as the page shows them."""
    plain = re.sub(r"\$[^$]+\$", "\0", text).replace("`", "").replace("**", "").replace("*", "")
    return [" ".join(part.split()) for part in plain.split("\0") if len(part.strip()) >= 4]


def shown_feedback(question) -> list[str]:
    return question.locator(".quiz-feedback-stack .quiz-feedback").evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.className + '|' + e.innerText)"
    )


#: After a click on answer ``i`` of a question: wait (up to 2 s) until its button is
#: active and says it is pressed, then what the question shows. One round trip.
AFTER_CLICK = """async ([box, i]) => {
  const buttons = () => [...box.querySelectorAll('.widget-toggle-button')];
  const done = () => { const b = buttons()[i];
    return b && b.classList.contains('mod-active') && b.getAttribute('aria-pressed') === 'true'; };
  for (let t = 0; t < 100 && !done(); t++) await new Promise(r => setTimeout(r, 20));
  const row = buttons()[0].parentElement;
  const label = document.getElementById(row.getAttribute('aria-labelledby') || '');
  return {
    shown: [...box.querySelectorAll('.quiz-feedback-stack .quiz-feedback')]
      .filter(e => e.offsetParent !== null).map(e => e.className + '|' + e.innerText),
    pressed: buttons().map(b => b.getAttribute('aria-pressed')),
    active: buttons().map(b => b.classList.contains('mod-active')),
    role: row.getAttribute('role'), label: label ? label.innerText.trim() : '',
  };
}"""


def _click_problems(state: dict, i: int, feedback: str, right: bool, where: str) -> list[str]:
    """What is wrong with a question after a click on its answer ``i``."""
    choice = f"{where}, choice {'ABCDEF'[i]}"
    problems = []
    # the answer buttons: a labelled group whose clicked button alone says it is pressed
    if state["role"] != "group" or not state["label"]:
        problems.append(f"{choice}: the answers are not a labelled group: {state['role']!r}")
    want = ["true" if j == i else "false" for j in range(len(state["pressed"]))]
    if state["pressed"] != want or state["active"] != [j == i for j in range(len(want))]:
        problems.append(
            f"{choice}: aria-pressed {state['pressed']}, active {state['active']}, expected {want}"
        )
    # the feedback: this choice's own, right exactly for the right answer
    if len(state["shown"]) != 1:
        return [*problems, f"{choice}: {len(state['shown'])} feedback panels shown"]
    classes, text = state["shown"][0].split("|", 1)
    text = " ".join(text.split())
    if ("quiz-right" in classes) != right or ("Right." in text) != right:
        problems.append(f"{choice}: says {text[:40]!r}, right={right}")
    if not text.startswith(f"{'ABCDEF'[i]}:"):
        problems.append(f"{choice}: feedback of another choice: {text[:40]!r}")
    missing = [w for w in words(feedback) if w not in text]
    if missing:
        problems.append(f"{choice}: feedback lacks {missing[:2]}")
    return problems


@pytest.mark.parametrize("path", QUIZ_PAGES)
def test_every_answer_right_and_wrong_shows_its_own_feedback(path, open_page):
    """Every choice of every question clicked: its own feedback shows, and only its
    button says it is pressed (the toggle check of test_book_readability.py, made
    here for the answer buttons, on every click)."""
    _require(path)
    page = open_page(path, as_loaded=True)  # no feedback shown before the first click
    names = page.evaluate(QUIZ_NAMES)
    assert names, f"{path}: the widget state has a quiz, the page shows none"
    problems = []
    for q_index, name in enumerate(names):
        quiz = load_quiz(name)
        questions = page.locator(".quiz").nth(q_index).locator(".quiz-question")
        assert questions.count() == len(quiz.questions), (
            f"{path}: {name} shows {questions.count()} questions"
        )
        for k, q in enumerate(quiz.questions):
            box = questions.nth(k)
            handle = box.element_handle()
            where = f"{path}: {name} question {k + 1}"
            if shown_feedback(box):
                problems.append(f"{where}: feedback shown before any answer")
            buttons = box.locator(".widget-toggle-button")
            assert buttons.count() == len(q.choices), where
            for i, feedback in enumerate(q.feedback):
                # a real click at the button's centre; force: without waiting for the
                # button to be stable over two frames (the state read next says
                # whether this button, and only it, took the click)
                buttons.nth(i).click(force=True)
                state = page.evaluate(AFTER_CLICK, [handle, i])
                problems += _click_problems(state, i, feedback, i == q.answer, where)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", QUIZ_PAGES)
def test_quiz_math_is_typeset(path, open_page):
    _require(path)
    page = open_page(path, as_loaded=False)
    # the feedback panels are typeset when shown: show one per question
    for box in page.locator(".quiz-question").all():
        box.locator(".widget-toggle-button").first.click()
    page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    # MathJax typesets each panel as it is shown: wait until every question shows
    # one and no raw TeX is left (a timeout is reported below with what is shown)
    with contextlib.suppress(Exception):
        page.wait_for_function(
            f"() => {{ const s = ({QUIZ_MATH})(); return s.shown && s.raw.length === 0; }}",
            timeout=5_000,
            polling=50,
        )
    state = page.evaluate(QUIZ_MATH)
    assert state["math"] > 0, f"{path}: no typeset math in the quizzes"
    assert state["raw"] == [], f"{path}: raw TeX delimiters left in the quizzes: {state['raw']}"


@pytest.mark.parametrize("path", QUIZ_PAGES)
def test_answer_buttons_are_a_labelled_group_that_says_which_is_pressed(path, open_page):
    _require(path)
    page = open_page(path, as_loaded=False)
    box = page.locator(".quiz-question").first
    # from whatever answer the test before chose (test_quiz_math_is_typeset: the first)
    clicked = box.locator(".widget-toggle-button").nth(1)
    clicked.click()
    # readability.js updates aria-pressed after a mutation (a timeout is reported below)
    with contextlib.suppress(Exception):
        page.wait_for_function(
            "(b) => b.getAttribute('aria-pressed') === 'true'",
            arg=clicked.element_handle(),
            timeout=2_000,
            polling=20,
        )
    state = box.evaluate("""el => {
      const row = el.querySelector('.widget-toggle-button').parentElement;
      const label = document.getElementById(row.getAttribute('aria-labelledby') || '');
      return {role: row.getAttribute('role'), label: label ? label.innerText : null,
              pressed: [...row.querySelectorAll('.widget-toggle-button')]
                .map(b => b.getAttribute('aria-pressed'))};
    }""")
    assert state["role"] == "group"
    assert state["label"] == "Your answer to question 1:"
    assert state["pressed"][:3] == ["false", "true", "false"]
