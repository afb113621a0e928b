"""Name the mistake behind a wrong answer: a private helper of the exercise checkers.

Used by the checkers of Chapter 2 (Chain rule and computational graphs),
Chapter 3 (Gradients and Jacobians) and Chapter 4 (Gradient descent). A
checker lists the plausible mistakes of an exercise, each as a function that
computes the wrong answer the mistake gives from a case's arguments; when
the reader's result for a failing case equals one of them, the hint says
which mistake it is, before the case's own hint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .feedback import Case, Feedback, compare, is_unanswered, run_cases

__all__ = ["Mistake", "run_cases_naming_mistakes"]


@dataclass(frozen=True)
class Mistake:
    """A plausible mistake and the answer it gives.

    Attributes
    ----------
    what : str
        The mistake in words, to follow "your result is what you get with".
    answer : callable
        Computes the mistaken result from a case's arguments.

    See Also
    --------
    run_cases_naming_mistakes : uses it.

    Examples
    --------
    >>> Mistake("a forward difference", lambda f, x, h: 0.0).what
    'a forward difference'
    """

    what: str
    answer: Callable[..., Any]


def _gives(mistake: Mistake, case: Case, got: Any) -> bool:
    """Whether ``mistake`` gives ``got`` on ``case`` (False where it does not apply)."""
    try:
        wrong = mistake.answer(*case.args)
    except Exception:  # e.g. a transposed product of a non-square matrix: not this mistake
        return False
    return compare(wrong, got, rtol=case.rtol, atol=case.atol) is None


class _Recording:
    """Calls the reader's function, keeping each result (one slot per call).

    It carries the function's ``__code__``, so that the feedback's "in the
    line: ..." names the reader's line that raised, not this wrapper's.
    """

    def __init__(self, candidate: Callable, quiet_overflow: bool) -> None:
        self.candidate = candidate
        self.quiet_overflow = quiet_overflow
        self.results: list[Any] = []
        code = getattr(candidate, "__code__", None)
        if code is not None:
            self.__code__ = code

    def __call__(self, *args: Any) -> Any:
        self.results.append(None)  # the slot of this call, in the order of the cases
        if self.quiet_overflow:
            with np.errstate(over="ignore", invalid="ignore"):
                self.results[-1] = self.candidate(*args)
        else:
            self.results[-1] = self.candidate(*args)
        return self.results[-1]


def run_cases_naming_mistakes(
    exercise: str,
    candidate: Any,
    cases: Sequence[Case],
    mistakes: Sequence[Mistake],
    *,
    quiet_overflow: bool = False,
) -> Feedback:
    """Run the cases like :func:`~utils.exercises.feedback.run_cases`, naming recognised mistakes.

    Parameters
    ----------
    exercise : str
        The exercise's label.
    candidate : callable
        The reader's function.
    cases : sequence of Case
        What to try, in order.
    mistakes : sequence of Mistake
        The mistakes to recognise in a failing case's result (every
        matching one is named).
    quiet_overflow : bool, optional
        Silence NumPy's overflow and invalid-value warnings while the
        reader's function runs (for exercises where an overflow is an
        expected outcome, e.g. a diverging run).

    Returns
    -------
    Feedback
        As from ``run_cases``; a failing case whose result matches
        mistakes has them named at the start of its hint.

    See Also
    --------
    utils.exercises.feedback.run_cases : the same without the diagnosis.

    Examples
    --------
    >>> cases = [Case("double 3", (3.0,), 6.0, hint="multiply by two")]
    >>> square = Mistake("x * x instead of 2 * x", lambda x: x * x)
    >>> fb = run_cases_naming_mistakes("ex-demo", lambda x: x**2, cases, [square])
    >>> fb.cases[0].hint
    'your result is what you get with x * x instead of 2 * x; multiply by two'
    """
    if is_unanswered(candidate) or not callable(candidate):
        return run_cases(exercise, candidate, cases)
    recording = _Recording(candidate, quiet_overflow)
    results = recording.results
    feedback = run_cases(exercise, recording, cases)
    if not feedback.attempted:
        return feedback
    named = []
    for case, outcome, got in zip(cases, feedback.cases, results, strict=True):
        if not outcome.passed and got is not None:
            matching = [m.what for m in mistakes if _gives(m, case, got)]
            if matching:
                hint = "your result is what you get with " + ", or with ".join(matching)
                outcome = replace(outcome, hint=f"{hint}; {case.hint}" if case.hint else hint)
        named.append(outcome)
    return replace(feedback, cases=tuple(named))
