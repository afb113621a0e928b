"""The quizzes work in the built HTML with no kernel: every answer, right and
wrong, shows its feedback.

Every built page whose widget state holds a quiz (``utils.quiz``: a box with the
class ``quiz-<chapter>``) is opened in headless Chromium with no network. For
every question, each choice is clicked in turn, and the feedback shown under the
question must be that choice's: its letter, "Right" exactly for the right
answer, and the words of its explanation from the quiz file. Before any click
no feedback shows. The math of prompts, choices and feedback is typeset by
MathJax (no raw ``\\(`` left), and the answer buttons form a labelled group whose
clicked button says it is pressed.
"""

from __future__ import annotations

import contextlib
import re

import pytest

from utils.quiz import load_quiz

from .book_page import KeptPage, KeptPages, _open_page
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


@pytest.fixture(scope="session")
def kept_pages():
    """The page the last test of this file left, for the next test of the same page."""
    kept = KeptPages()
    yield kept
    kept.close()


@pytest.fixture
def open_page(browser, book_url, kept_pages, request):
    """``open_page(path, as_loaded=...)``: the page at 1280 px, math and widgets rendered.

    Every test clicks answers. With ``as_loaded=True`` the test gets the page as
    loaded (no answer chosen); otherwise the page as the previous test of this
    page left it, for a test written to start from any choice of answers. The
    tests run in this file's order: so the page is loaded once per page.
    """
    used = []

    def _open(path: str, *, as_loaded: bool):
        kept = kept_pages.take(path, as_loaded=as_loaded)
        if kept is None:
            kept = KeptPage(*_open_page(browser, book_url, path, 1280))
        used.append((path, kept))
        return kept.page

    yield _open
    for path, kept in used:
        kept_pages.give_back(
            path, kept, passed=getattr(request.node, "passed", False), changed=True
        )


def words(text: str) -> list[str]:
    """The runs of plain text of a feedback, without its math and markup, as the page shows them."""
    plain = re.sub(r"\$[^$]+\$", "\0", text).replace("`", "").replace("**", "").replace("*", "")
    return [" ".join(part.split()) for part in plain.split("\0") if len(part.strip()) >= 4]


def shown_feedback(question) -> list[str]:
    return question.locator(".quiz-feedback-stack .quiz-feedback").evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.className + '|' + e.innerText)"
    )


@pytest.mark.parametrize("path", QUIZ_PAGES)
def test_every_answer_right_and_wrong_shows_its_own_feedback(path, open_page):
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
            where = f"{path}: {name} question {k + 1}"
            if shown_feedback(box):
                problems.append(f"{where}: feedback shown before any answer")
            buttons = box.locator(".widget-toggle-button")
            assert buttons.count() == len(q.choices), where
            for i, feedback in enumerate(q.feedback):
                buttons.nth(i).click()
                page.wait_for_function(
                    "([el, i]) => el.querySelectorAll('.widget-toggle-button')[i]"
                    ".classList.contains('mod-active')",
                    arg=[box.element_handle(), i],
                )
                shown = shown_feedback(box)
                if len(shown) != 1:
                    problems.append(
                        f"{where}, choice {'ABCDEF'[i]}: {len(shown)} feedback panels shown"
                    )
                    continue
                classes, text = shown[0].split("|", 1)
                text = " ".join(text.split())
                right = i == q.answer
                if ("quiz-right" in classes) != right or ("Right." in text) != right:
                    problems.append(
                        f"{where}, choice {'ABCDEF'[i]}: says {text[:40]!r}, right={right}"
                    )
                if not text.startswith(f"{'ABCDEF'[i]}:"):
                    problems.append(
                        f"{where}, choice {'ABCDEF'[i]}: feedback of another choice: {text[:40]!r}"
                    )
                missing = [w for w in words(feedback) if w not in text]
                if missing:
                    problems.append(f"{where}, choice {'ABCDEF'[i]}: feedback lacks {missing[:2]}")
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
