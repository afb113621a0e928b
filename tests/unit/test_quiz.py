"""utils.quiz: quizzes as linked widgets (no kernel needed) or as Markdown, from validated data."""

from __future__ import annotations

import math
import sys
import types
from pathlib import Path
from unittest import mock

import ipywidgets as widgets
import nbformat
import pytest
from ipywidgets.widgets.widget import _instances
from ipywidgets.widgets.widget_link import Link

from utils.quiz import QUIZ_DIR, Question, Quiz, QuizDataError, load_quiz, quiz_names, show_quiz

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / "chapters"


def make_quiz(n: int = 3) -> Quiz:
    questions = [
        Question(
            f"Prompt {k} with $x_{k}$?",
            [f"choice {k}a", f"choice {k}b", f"choice {k}c"],
            k % 3,
            [f"why {k}a", f"why {k}b", f"why {k}c"],
        )
        for k in range(n)
    ]
    return Quiz("00_demo", "Demo", questions)


def links_between(source, target) -> list:
    return [
        w
        for w in _instances.values()
        if isinstance(w, Link)
        and w.source == (source, "index")
        and w.target == (target, "selected_index")
    ]


# -- the widget ---------------------------------------------------------------


def test_widget_has_one_box_per_question_after_the_intro():
    quiz = make_quiz(4)
    boxes = quiz.widget().children[1:]
    assert len(boxes) == 4
    assert all("quiz-question" in b._dom_classes for b in boxes)


def test_each_question_has_one_feedback_stack_jslinked_to_its_buttons():
    quiz = make_quiz(3)
    for box, q in zip(quiz.widget().children[1:], quiz.questions, strict=True):
        prompt, buttons, stack = box.children
        assert isinstance(buttons, widgets.ToggleButtons) and isinstance(stack, widgets.Stack)
        assert list(buttons.options) == ["A", "B", "C"]
        assert len(stack.children) == len(q.choices)
        assert len(links_between(buttons, stack)) == 1


def test_nothing_is_chosen_and_no_feedback_shows_at_first():
    box = make_quiz().widget().children[1]
    _, buttons, stack = box.children
    assert buttons.index is None and stack.selected_index is None


def test_feedback_panel_k_explains_choice_k_and_only_the_answer_says_right():
    quiz = make_quiz()
    for box, q in zip(quiz.widget().children[1:], quiz.questions, strict=True):
        panels = box.children[2].children
        for i, panel in enumerate(panels):
            assert q.feedback[i] in panel.value
            assert ("quiz-right" in panel.value) == (i == q.answer)
            assert ("quiz-wrong" in panel.value) == (i != q.answer)


def test_prompt_and_choices_are_typeset_math_in_the_widget():
    box = make_quiz().widget().children[1]
    prompt = box.children[0]
    assert isinstance(prompt, widgets.HTMLMath)
    assert r"\(x_0\)" in prompt.value and "$" not in prompt.value
    assert all(f"choice 0{c}" in prompt.value for c in "abc")


def test_answer_buttons_are_named_for_their_question():
    boxes = make_quiz().widget().children[1:]
    assert [b.children[1].description for b in boxes] == [
        f"Your answer to question {k}:" for k in (1, 2, 3)
    ]


def test_html_escapes_text_but_keeps_math_delimited_for_mathjax():
    q = Question("Is $a < b$ when <b> is `x & y`?", ["yes", "no"], 0, ["Yes.", "No."])
    html = Quiz("00_demo", "Demo", [q, q, q]).widget().children[1].children[0].value
    assert r"\(a &lt; b\)" in html
    assert "when &lt;b&gt; is <code>x &amp; y</code>" in html


# -- the Markdown fallback ----------------------------------------------------


def test_markdown_contains_every_prompt_choice_and_feedback():
    quiz = make_quiz(4)
    md = quiz.markdown()
    for q in quiz.questions:
        assert q.prompt in md
        for text in (*q.choices, *q.feedback):
            assert text in md


def test_markdown_folds_one_answer_per_question_and_names_the_right_letter():
    quiz = make_quiz(3)
    md = quiz.markdown()
    assert md.count("<details>") == md.count("</details>") == 3
    for q in quiz.questions:
        assert f"**The answer is {q.letter}.**" in md


def test_display_is_the_widget_where_precomputed_widgets_work():
    bundle = make_quiz()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "Quiz: Demo (3 questions)"


def test_display_is_markdown_in_colab():
    with mock.patch.dict(sys.modules, {"google.colab": types.ModuleType("google.colab")}):
        bundle = make_quiz()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle
    assert "<details>" in bundle["text/markdown"]


# -- bad data refused ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(prompt=""), ValueError, "prompt must not be empty"),
        (dict(choices=["only one"], feedback=["f"]), ValueError, "choices must hold 2 to 6"),
        (dict(choices=["a", "a"]), ValueError, "choices must all differ"),
        (dict(feedback=["f"]), ValueError, "one explanation per choice"),
        (dict(answer=2), ValueError, "answer must be between 0 and 1"),
        (dict(answer="0"), TypeError, "answer must be an int"),
        (dict(choices="ab"), TypeError, "choices must be a list"),
        (dict(feedback=["f", 3]), TypeError, r"feedback\[1\] must be a string"),
    ],
)
def test_bad_question_is_refused_with_the_argument_named(kwargs, error, message):
    args = dict(prompt="P?", choices=["a", "b"], answer=0, feedback=["f", "g"]) | kwargs
    with pytest.raises(error, match=message):
        Question(**args)


@pytest.mark.parametrize("n", [2, 7])
def test_quiz_with_too_few_or_too_many_questions_is_refused(n):
    q = Question("P?", ["a", "b"], 0, ["f", "g"])
    with pytest.raises(ValueError, match="3 to 6 questions"):
        Quiz("00_demo", "Demo", [q] * n)


GOOD_QUESTION = """
  - prompt: "P?"
    choices:
      - {text: a, feedback: fa, correct: true}
      - {text: b, feedback: fb}
"""


def write_quiz(tmp_path, text: str) -> Path:
    (tmp_path / "00_demo.yml").write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("bad_question", "message"),
    [
        (
            '  - prompt: "P?"\n    choices:\n'
            "      - {text: a, feedback: fa}\n      - {text: b, feedback: fb}\n",
            "exactly one choice must be marked 'correct: true', found 0",
        ),
        (
            '  - prompt: "P?"\n    choices:\n      - {text: a, feedback: fa, correct: true}\n'
            "      - {text: b, feedback: fb, correct: true}\n",
            "found 2",
        ),
        (
            '  - prompt: "P?"\n    choices:\n'
            "      - {text: a, feedback: fa, correct: true}\n      - {text: b}\n",
            "choice B: no feedback",
        ),
        (
            '  - prompt: "P?"\n    choices:\n      - {text: a, feedback: fa, correct: true}\n'
            "      - {text: b, feedback: fb, colour: red}\n",
            "choice B: must be a mapping",
        ),
        (
            "  - choices:\n      - {text: a, feedback: fa, correct: true}\n"
            "      - {text: b, feedback: fb}\n",
            "prompt must be a string",
        ),
    ],
)
def test_bad_quiz_file_is_refused_naming_the_file_and_the_question(tmp_path, bad_question, message):
    folder = write_quiz(tmp_path, "title: Demo\nquestions:\n" + GOOD_QUESTION * 2 + bad_question)
    with pytest.raises(QuizDataError, match=rf"00_demo\.yml, question 3: .*{message}"):
        load_quiz("00_demo", folder)


def test_single_backslash_escape_in_a_double_quoted_string_is_refused(tmp_path):
    question = '  - prompt: "Is $\\frac{1}{2} = \\varepsilon$?"\n' + GOOD_QUESTION.split("\n", 2)[2]
    folder = write_quiz(tmp_path, "title: Demo\nquestions:\n" + question + GOOD_QUESTION * 2)
    with pytest.raises(
        QuizDataError, match=r"question 1: prompt holds the control character '\\x0c'"
    ):
        load_quiz("00_demo", folder)


def test_quiz_file_with_too_few_questions_is_refused_naming_the_file(tmp_path):
    folder = write_quiz(tmp_path, "title: Demo\nquestions:\n" + GOOD_QUESTION * 2)
    with pytest.raises(QuizDataError, match=r"00_demo\.yml: a quiz holds 3 to 6 questions, got 2"):
        load_quiz("00_demo", folder)


def test_quiz_file_that_is_not_yaml_is_refused(tmp_path):
    folder = write_quiz(tmp_path, "title: [unclosed\n")
    with pytest.raises(QuizDataError, match=r"00_demo\.yml: not valid YAML"):
        load_quiz("00_demo", folder)


def test_missing_quiz_file_lists_the_quizzes_there_are(tmp_path):
    write_quiz(tmp_path, "title: Demo\nquestions:\n" + GOOD_QUESTION * 3)
    with pytest.raises(FileNotFoundError, match="quizzes: 00_demo"):
        load_quiz("01_nothing", tmp_path)


def test_quiz_name_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match="name must be a string"):
        load_quiz(1)


def test_valid_quiz_file_loads_with_the_marked_answer(tmp_path):
    folder = write_quiz(tmp_path, "title: Demo\nquestions:\n" + GOOD_QUESTION * 3)
    quiz = show_quiz("00_demo", folder)
    assert [q.answer for q in quiz.questions] == [0, 0, 0]
    assert quiz.questions[0].feedback == ("fa", "fb")


# -- the book's quizzes -------------------------------------------------------

CHAPTER_NAMES = sorted(p.stem for p in CHAPTERS.glob("0*.ipynb"))


@pytest.mark.parametrize("name", quiz_names())
def test_every_quiz_file_names_an_existing_chapter_and_has_its_title(name):
    path = CHAPTERS / f"{name}.ipynb"
    assert path.exists(), f"{QUIZ_DIR.name}/{name}.yml: no chapter {path.name}"
    nb = nbformat.read(path, as_version=4)
    h1 = next(
        line[2:].strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("# ")
    )
    assert load_quiz(name).title == h1


@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_every_chapter_has_a_quiz_of_three_to_six_questions(name):
    assert name in quiz_names(), f"chapters/{name}.ipynb has no quiz file utils/quizzes/{name}.yml"
    assert 3 <= len(load_quiz(name).questions) <= 6


def quiz_text(name: str) -> str:
    return " ".join(
        " ".join((q.prompt, *q.choices, *q.feedback)) for q in load_quiz(name).questions
    )


EPS = 2.0**-52  # float64 machine epsilon, from its definition

# Every number a quiz quotes, computed here independently, as the quiz writes it.
QUOTED = [
    ("01_derivatives", f"{EPS:.1e}".replace("e-16", r"\times10^{-16}")),  # 2.2\times10^{-16}
    ("01_derivatives", f"{math.sqrt(EPS):.1e}".replace("e-08", r"\times10^{-8}")),
    ("01_derivatives", f"{EPS ** (1 / 3):.0e}".replace("e-06", r"\times10^{-6}")),
    ("01_derivatives", str(2 * 1000)),
    ("01_derivatives", str(1000 + 1)),
    ("03_gradients_jacobians", f"{math.hypot(2 * 1, 6 * 1):.2f}"),  # |grad| at (1, 1)
    ("03_gradients_jacobians", f"{(2 * 1 + 6 * 1) / math.sqrt(2):.2f}"),  # slope along (1,1)/sqrt2
    ("03_gradients_jacobians", f"{(100 - 1) / (100 + 1):.3f}"),
    ("04_gradient_descent", f"r = 1 - 2.5 = {1 - 0.25 * 10}"),
    ("04_gradient_descent", f"r = 1 - 1.6 = {1 - 0.4 * 4:.1f}"),
    ("05_backprop_engine", f"{2 * (0.9 - 0) * 0.9 * (1 - 0.9):.3f}"),  # squared-error gradient
    ("05_backprop_engine", f"{-math.log(1 - 0.9):.3f}"),  # the BCE loss
    ("06_vanishing_gradients", f"{0.25**20:.1e}".replace("e-13", r"\times10^{-13}")),
    ("06_vanishing_gradients", f"({4 * 0.5:.0f}, {4 * 0.5:.0f}, {4 * 0.5:.0f}, {4 * 0.5:.0f})"),
    ("06_vanishing_gradients", f"({3 / 5}, {4 / 5})"),
    ("08_gradient_checking", f"{(10 - 1) / (10 + 1):.2f}"),
    ("08_gradient_checking", f"{(1e-6 + 1e-5) / (2e-5):.2f}"),  # (x + h) / 2h at the kink
]


@pytest.mark.parametrize(("name", "number"), QUOTED)
def test_quiz_quotes_the_number_computed_here(name, number):
    assert number in quiz_text(name)
