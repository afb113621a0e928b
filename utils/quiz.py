"""Check-your-understanding quizzes that work with a kernel and without one (layer 3: ipywidgets).

Each chapter ends with a short multiple-choice quiz. Its content is data, one
YAML file per chapter in ``utils/quizzes/`` (shipped with the package, so Colab
finds it too), validated when it is loaded: :func:`load_quiz` refuses a file
whose question has no prompt, fewer than two choices, not exactly one right
choice, or a choice without feedback, and names the file and the question.

:func:`show_quiz` renders a quiz two ways, as :mod:`utils.widgets` renders an
explorer:

**Precomputed widgets**, where ipywidgets has ``Stack`` and ``jslink`` (the
published HTML, JupyterLab, Binder): per question, a row of toggle buttons
(A, B, C, ...) whose ``index`` is linked *in the browser* (``jslink``) to the
``selected_index`` of a ``Stack`` of feedback panels, one per choice. Nothing
is chosen at first, so no feedback shows; choosing shows why that choice is
right or wrong, with no kernel.

**Markdown**, elsewhere (Colab's ipywidgets 7 has no ``Stack``): the questions
and choices as text, and the answer with every choice's feedback folded in a
``<details>`` block the reader opens after answering.

Prompts, choices and feedback may hold inline LaTeX (``$...$``), code in
backticks, ``**bold**`` and ``*italic*``; both renderings typeset them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from .widgets import supports_precomputed

__all__ = ["Question", "Quiz", "QuizDataError", "load_quiz", "quiz_names", "show_quiz", "QUIZ_DIR"]

#: Where the quiz files live: ``utils/quizzes/<chapter>.yml``.
QUIZ_DIR = Path(__file__).resolve().parent / "quizzes"

MIN_QUESTIONS, MAX_QUESTIONS = 3, 6
MIN_CHOICES, MAX_CHOICES = 2, 6
LETTERS = "ABCDEF"


class QuizDataError(ValueError):
    """A quiz file or question that breaks the rules; the message names the file and question."""


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{what} must not be empty")
    bad = [ch for ch in value if (ord(ch) < 32 and ch != "\n") or ch in "\x85\u2028\u2029"]
    if bad:  # "\frac" in a double-quoted YAML string is a form feed and "rac"
        raise ValueError(
            f"{what} holds the control character {bad[0]!r} (a backslash escape of a "
            f"double-quoted YAML string? double the backslash): {value!r}"
        )
    return value.strip()


@dataclass(frozen=True)
class Question:
    """One multiple-choice question.

    Parameters
    ----------
    prompt : str
        The question (inline LaTeX ``$...$``, code in backticks and ``**bold**`` allowed).
    choices : sequence of str
        Two to six possible answers, all different.
    answer : int
        Index (from 0) of the right choice in ``choices``.
    feedback : sequence of str
        One explanation per choice, in the same order: why the right one is
        right, and why each wrong one is wrong.

    Examples
    --------
    >>> q = Question("What is $2 + 2$?", ["3", "4"], 1, ["One short.", "Yes."])
    >>> q.letter
    'B'
    """

    prompt: str
    choices: tuple[str, ...]
    answer: int
    feedback: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "prompt", _text(self.prompt, "prompt"))
        for name in ("choices", "feedback"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise TypeError(f"{name} must be a list of strings, got {type(value).__name__}")
            object.__setattr__(
                self, name, tuple(_text(v, f"{name}[{i}]") for i, v in enumerate(value))
            )
        if not MIN_CHOICES <= len(self.choices) <= MAX_CHOICES:
            raise ValueError(
                f"choices must hold {MIN_CHOICES} to {MAX_CHOICES} answers, got {len(self.choices)}"
            )
        if len(set(self.choices)) != len(self.choices):
            raise ValueError("choices must all differ")
        if len(self.feedback) != len(self.choices):
            raise ValueError(
                f"feedback must hold one explanation per choice ({len(self.choices)}), "
                f"got {len(self.feedback)}"
            )
        if isinstance(self.answer, bool) or not isinstance(self.answer, int):
            raise TypeError(
                "answer must be an int (the index of the right choice), "
                f"got {type(self.answer).__name__}"
            )
        if not 0 <= self.answer < len(self.choices):
            raise ValueError(
                f"answer must be between 0 and {len(self.choices) - 1}, got {self.answer}"
            )

    @property
    def letter(self) -> str:
        """The letter of the right choice (A, B, ...)."""
        return LETTERS[self.answer]


@dataclass(frozen=True)
class Quiz:
    """A chapter's quiz: a title and three to six questions.

    Parameters
    ----------
    name : str
        The chapter's notebook name, e.g. ``"01_derivatives"``.
    title : str
        The chapter's title, e.g. ``"Derivatives"``.
    questions : sequence of Question

    Examples
    --------
    >>> qs = [Question(f"Is {k} even?", ["yes", "no"], k % 2, ["Even.", "Odd."]) for k in range(3)]
    >>> quiz = Quiz("00_demo", "Demo", qs)
    >>> len(quiz.widget().children) - 1    # a heading line, then one box per question
    3
    >>> "<details>" in quiz.markdown()
    True
    """

    name: str
    title: str
    questions: tuple[Question, ...]

    def __post_init__(self):
        object.__setattr__(self, "name", _text(self.name, "name"))
        object.__setattr__(self, "title", _text(self.title, "title"))
        if isinstance(self.questions, str) or not isinstance(self.questions, (list, tuple)):
            raise TypeError(
                f"questions must be a list of Question, got {type(self.questions).__name__}"
            )
        if not all(isinstance(q, Question) for q in self.questions):
            raise TypeError("questions must be a list of Question")
        object.__setattr__(self, "questions", tuple(self.questions))
        if not MIN_QUESTIONS <= len(self.questions) <= MAX_QUESTIONS:
            raise ValueError(
                f"a quiz holds {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, "
                f"got {len(self.questions)}"
            )

    # -- the precomputed widget -------------------------------------------
    def widget(self) -> widgets.Widget:
        """Every question with its buttons and its linked Stack of feedback, in one VBox."""
        intro = widgets.HTML(
            f"<p class='quiz-intro' style='{_PARAGRAPH}'>Choose an answer to each question: "
            "the explanation appears below it. "
            f"{len(self.questions)} questions, no kernel needed.</p>"
        )
        # (ipywidgets 8 only, like the Stack: imported here, not at the top)
        from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
        from ipywidgets.widgets.widget_string import HTMLMathStyle

        # One Layout and one style per kind of widget, shared: the page stores
        # each model once instead of once per widget (a third of the size).
        shared = {
            "box": widgets.Layout(),
            "text": dict(layout=widgets.Layout(), style=HTMLMathStyle()),
            "buttons": dict(
                layout=widgets.Layout(),
                style=ToggleButtonsStyle(description_width="initial", button_width="3em"),
            ),
        }
        root = widgets.VBox(
            [
                intro,
                *(self._question_widget(k, q, shared) for k, q in enumerate(self.questions, 1)),
            ],
            layout=shared["box"],
        )
        root.add_class("quiz")
        root.add_class(f"quiz-{self.name}")
        return root

    @staticmethod
    def _question_widget(k: int, q: Question, shared: dict) -> widgets.Widget:
        items = "".join(
            f"<li><b>{LETTERS[i]}.</b> {_html(c)}</li>" for i, c in enumerate(q.choices)
        )
        prompt = widgets.HTMLMath(
            f"<p class='quiz-prompt' style='margin-top:1em;{_PARAGRAPH}'>"
            f"<b>Question {k}.</b> {_html(q.prompt)}</p>"
            f"<ul class='quiz-choices' style='{_PARAGRAPH}'>{items}</ul>",
            **shared["text"],
        )
        buttons = widgets.ToggleButtons(
            options=list(LETTERS[: len(q.choices)]),
            index=None,
            description=f"Your answer to question {k}:",
            tooltips=[_plain(c) for c in q.choices],
            **shared["buttons"],
        )
        buttons.add_class("quiz-answer")
        panels = []
        for i, text in enumerate(q.feedback):
            right = i == q.answer
            verdict = "&#10003; Right." if right else "&#10007; Not quite."
            panel = widgets.HTMLMath(
                f"<div class='quiz-feedback quiz-{'right' if right else 'wrong'}' role='status' "
                f"style='{_FEEDBACK}'>"
                f"<b>{LETTERS[i]}: {verdict}</b> {_html(text)}</div>",
                **shared["text"],
            )
            panels.append(panel)
        stack = widgets.Stack(panels, selected_index=None, layout=shared["box"])
        widgets.jslink((buttons, "index"), (stack, "selected_index"))
        stack.add_class("quiz-feedback-stack")
        box = widgets.VBox([prompt, buttons, stack], layout=shared["box"])
        box.add_class("quiz-question")
        return box

    # -- the Markdown fallback --------------------------------------------
    def markdown(self) -> str:
        """The quiz as Markdown: questions, choices, folded answers with every choice's feedback."""
        parts = [
            f"*Check your understanding: {self.title}. Answer each question, then open its "
            f"answer to see why each choice is right or wrong.*"
        ]
        for k, q in enumerate(self.questions, 1):
            choices = "\n".join(f"- **{LETTERS[i]}.** {c}" for i, c in enumerate(q.choices))
            why = "\n".join(
                f"- **{LETTERS[i]}** ({'right' if i == q.answer else 'wrong'}): {f}"
                for i, f in enumerate(q.feedback)
            )
            parts.append(
                f"**Question {k}.** {q.prompt}\n\n{choices}\n\n"
                f"<details>\n<summary>Answer to question {k}</summary>\n\n"
                f"**The answer is {q.letter}.**\n\n{why}\n\n</details>"
            )
        return "\n\n".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None):
        summary = f"Quiz: {self.title} ({len(self.questions)} questions)"
        if not supports_precomputed():
            return {"text/markdown": self.markdown(), "text/plain": summary}
        if not hasattr(self, "_widget"):
            object.__setattr__(self, "_widget", self.widget())
        bundle = self._widget._repr_mimebundle_()
        bundle["text/plain"] = summary
        return bundle


# Inline styles (not the book's CSS), so that JupyterLab shows the quiz the same way:
# lines spaced for reading (the widgets' default line height is one control
# row), and the feedback set off by a rule in the text colour (dark mode too).
_PARAGRAPH = "line-height:1.5;margin-bottom:0.25em"
_FEEDBACK = (
    "border-left:3px solid currentColor;padding:0.25em 0.75em;margin:0.25em 0 0.5em;line-height:1.5"
)

_MATH = re.compile(r"\$([^$]+)\$")
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])")


def _html(text: str) -> str:
    """Markdown-lite to HTML: escapes, ``$x$`` -> ``\\(x\\)`` (MathJax's inline form), markup.

    >>> _html("If $h < 1$, `f(x)` is **fine**")
    'If \\\\(h &lt; 1\\\\), <code>f(x)</code> is <b>fine</b>'
    """
    out, last = [], 0
    for m in _MATH.finditer(text):
        out.append(_inline(text[last : m.start()]))
        out.append(r"\(" + html.escape(m.group(1), quote=False) + r"\)")
        last = m.end()
    out.append(_inline(text[last:]))
    return "".join(out).replace("\n", " ")


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = _CODE.sub(r"<code>\1</code>", text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    return _ITALIC.sub(r"<i>\1</i>", text)


def _plain(text: str) -> str:
    """A choice as a tooltip: no markup, the TeX left as written (``$`` removed).

    >>> _plain("`x` is $\\\\alpha$")
    'x is \\\\alpha'
    """
    return " ".join(text.replace("$", "").replace("`", "").replace("**", "").split())


# ---------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------


def quiz_names(folder: Path | str = QUIZ_DIR) -> list[str]:
    """The chapters that have a quiz file in ``folder``, sorted.

    >>> quiz_names()[0]
    '01_derivatives'
    """
    return sorted(p.stem for p in Path(folder).glob("*.yml"))


def load_quiz(name: str, folder: Path | str = QUIZ_DIR) -> Quiz:
    """Read and validate ``folder/<name>.yml``.

    The file holds ``title`` and ``questions``; each question a ``prompt`` and
    ``choices``, each choice a ``text``, a ``feedback`` and, for exactly one
    of them, ``correct: true``.

    Raises
    ------
    FileNotFoundError
        No such quiz file (the message lists the quizzes there are).
    QuizDataError
        The file breaks a rule; the message names the file and the question.

    Examples
    --------
    >>> quiz = load_quiz("01_derivatives")
    >>> quiz.title
    'Derivatives'
    """
    import yaml  # PyYAML: installed with Jupyter Book, and in Colab

    if not isinstance(name, str):
        raise TypeError(
            f"name must be a string such as '01_derivatives', got {type(name).__name__}"
        )
    path = Path(folder) / f"{name}.yml"
    if not path.is_file():
        raise FileNotFoundError(
            f"no quiz file {path}; quizzes: {', '.join(quiz_names(folder)) or 'none'}"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise QuizDataError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or set(data) - {"title", "questions"}:
        raise QuizDataError(f"{path.name}: must be a mapping with the keys 'title' and 'questions'")
    raw = data.get("questions")
    if not isinstance(raw, list):
        raise QuizDataError(f"{path.name}: 'questions' must be a list")
    questions = []
    for k, item in enumerate(raw, 1):
        try:
            questions.append(_question(item))
        except (TypeError, ValueError) as exc:
            raise QuizDataError(f"{path.name}, question {k}: {exc}") from None
    try:
        return Quiz(name, data.get("title"), questions)
    except (TypeError, ValueError) as exc:
        raise QuizDataError(f"{path.name}: {exc}") from None


def _question(item: Any) -> Question:
    if not isinstance(item, dict) or set(item) - {"prompt", "choices"}:
        raise ValueError("must be a mapping with the keys 'prompt' and 'choices'")
    choices = item.get("choices")
    if not isinstance(choices, list):
        raise ValueError("'choices' must be a list")
    for i, c in enumerate(choices):
        if not isinstance(c, dict) or set(c) - {"text", "feedback", "correct"}:
            raise ValueError(
                f"choice {LETTERS[i] if i < len(LETTERS) else i}: must be a mapping with "
                f"'text', 'feedback' and optionally 'correct: true'"
            )
        if "feedback" not in c:
            raise ValueError(f"choice {LETTERS[i] if i < len(LETTERS) else i}: no feedback")
    right = [i for i, c in enumerate(choices) if c.get("correct") is True]
    if len(right) != 1:
        raise ValueError(f"exactly one choice must be marked 'correct: true', found {len(right)}")
    return Question(
        item.get("prompt"),
        [c.get("text") for c in choices],
        right[0],
        [c.get("feedback") for c in choices],
    )


def show_quiz(name: str, folder: Path | str = QUIZ_DIR) -> Quiz:
    """The quiz of chapter ``name``, ready to display as a notebook cell's value.

    Where ipywidgets has ``Stack`` and ``jslink`` it shows as widgets that
    work in the HTML book with no kernel; elsewhere (Colab) as Markdown with
    folded answers. Its plain-text form is one line.

    Examples
    --------
    >>> show_quiz("01_derivatives")._repr_mimebundle_()["text/plain"]
    'Quiz: Derivatives (5 questions)'
    """
    return load_quiz(name, folder)
