"""Feedback on the book's code exercises: which case fails, expected against got, a hint.

Every chapter's code exercises end with a call to a checker, e.g.
``check_nesterov_step(nesterov_step)``. A checker runs the reader's function on
a few cases (or inspects the value they computed) and returns a
:class:`Feedback`, whose text says, case by case, what passed, what failed,
what was expected and what came back, with a hint for each failure. A stub
the reader has not filled in (it still raises ``NotImplementedError``, or the
answer is still ``...``) gets "not attempted yet", never a traceback, so a
notebook runs cleanly as it ships. The chapters' checkers live beside this
module, one module per chapter (:mod:`utils.exercises.derivatives` and so on).
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "NOT_ATTEMPTED",
    "CaseResult",
    "Feedback",
    "Case",
    "compare",
    "run_cases",
    "check_value",
    "not_attempted",
    "is_unanswered",
]

#: the status of an exercise whose stub is still as it ships
NOT_ATTEMPTED = "not attempted yet"
_WIDTH = 72  # characters per line of a printed array (the page's code width)


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case of a checker.

    Attributes
    ----------
    name : str
        What the case tries, in a few words ("one step from rest").
    passed : bool
        Whether the reader's answer matched.
    detail : str
        For a failure: expected against got (empty when it passed).
    hint : str
        For a failure: what to look at (empty when it passed).

    See Also
    --------
    Feedback : the outcomes of all the cases of one exercise.

    Examples
    --------
    >>> CaseResult("zero input", passed=False, detail="expected 1.0, got 0.0",
    ...            hint="sigmoid(0) is 1/2, its derivative 1/4").passed
    False
    """

    name: str
    passed: bool
    detail: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Feedback:
    """What a checker says about one exercise: a status and the case-by-case outcomes.

    Printed (it is the value a checker returns, so a notebook shows it), it
    reads as a short report: one line per case, and for each failing case the
    expected and the received value and a hint.

    Attributes
    ----------
    exercise : str
        The exercise's label in the book (e.g. ``"ex-gd-largest-rate"``).
    cases : tuple of CaseResult
        The outcome of each case, in the order they ran (empty when the
        exercise was not attempted).
    attempted : bool
        False while the stub is as it ships.
    note : str
        A line shown under the status (e.g. why no case could run).

    See Also
    --------
    run_cases : builds a Feedback from the reader's function and the cases.

    Examples
    --------
    >>> fb = Feedback("ex-demo", (CaseResult("a", True), CaseResult("b", True)))
    >>> fb.passed, fb.status
    (True, 'passed')
    >>> print(not_attempted("ex-demo"))
    ex-demo: not attempted yet. Fill in the stub above and run the cell again.
    """

    exercise: str
    cases: tuple[CaseResult, ...] = ()
    attempted: bool = True
    note: str = ""

    @property
    def passed(self) -> bool:
        """True when the exercise was attempted and every case passed."""
        return self.attempted and bool(self.cases) and all(c.passed for c in self.cases)

    @property
    def status(self) -> str:
        """``"passed"``, ``"failed"`` or ``"not attempted yet"``."""
        if not self.attempted:
            return NOT_ATTEMPTED
        return "passed" if self.passed else "failed"

    def __str__(self) -> str:
        if not self.attempted:
            return (
                f"{self.exercise}: {NOT_ATTEMPTED}. Fill in the stub above and run the cell again."
            )
        n_ok = sum(c.passed for c in self.cases)
        if self.passed:
            head = f"{self.exercise}: passed, all {len(self.cases)} checks."
        else:
            head = f"{self.exercise}: {n_ok} of {len(self.cases)} checks pass."
        lines = [head] + ([f"  {self.note}"] if self.note else [])
        for case in self.cases:
            mark = "✓" if case.passed else "✗"
            lines.append(f"  {mark} {case.name}")
            if not case.passed:
                lines += [f"      {row}" for row in case.detail.splitlines()]
                if case.hint:
                    lines.append(f"      hint: {case.hint}")
        return "\n".join(lines)

    __repr__ = __str__


@dataclass(frozen=True)
class Case:
    """One case a checker runs: arguments, the expected result, and a hint if it fails.

    Attributes
    ----------
    name : str
        What the case tries, in a few words.
    args : tuple
        Positional arguments for the reader's function (deep-copied before
        each call, so a function that modifies its input cannot spoil the
        next case).
    expected : object
        The right result: a number, an array, a string, or a tuple or list
        of these (compared item by item).
    hint : str
        What to look at when this case fails.
    rtol, atol : float
        Tolerances for numbers and arrays (``numpy.isclose``'s meaning).

    See Also
    --------
    run_cases : runs a list of cases.

    Examples
    --------
    >>> Case("double 2", (2.0,), 4.0, hint="multiply by two").args
    (2.0,)
    """

    name: str
    args: tuple
    expected: Any
    hint: str = ""
    rtol: float = 1e-9
    atol: float = 1e-12


def _show(value: Any) -> str:
    """A short, page-width rendering of a value for the feedback text."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, max_line_width=_WIDTH, threshold=12)
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text if any(c in text for c in ".einn") else text + ".0"
    text = repr(value)
    return text if len(text) <= _WIDTH else text[: _WIDTH - 3] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, (numbers.Number, np.number)) and not isinstance(value, bool)


def compare(expected: Any, got: Any, *, rtol: float = 1e-9, atol: float = 1e-12) -> str | None:
    """Say how ``got`` differs from ``expected``, or return None when they match.

    Numbers and arrays match within the tolerances (shapes first: a
    ``(3, 1)`` array is not a ``(3,)`` one); tuples and lists match item by
    item; anything else must be equal.

    Parameters
    ----------
    expected : object
        The right value.
    got : object
        The reader's value.
    rtol, atol : float, optional
        Relative and absolute tolerance, as in ``numpy.isclose``.

    Returns
    -------
    str or None
        A one- or few-line description of the difference, for the feedback.

    See Also
    --------
    run_cases : uses it for every case.

    Examples
    --------
    >>> compare(0.25, 0.25) is None
    True
    >>> print(compare(np.zeros(3), np.zeros((3, 1))))
    expected an array of shape (3,), got shape (3, 1)
    >>> print(compare(1.0, 1.5))
    expected 1.0
    got      1.5
    """
    if got is None and expected is not None:
        return "got None: did the function forget to `return` its result?"
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            kind = type(expected).__name__
            return f"expected a {kind} of {len(expected)} items, got {_show(got)}"
        for k, (e, g) in enumerate(zip(expected, got, strict=True)):
            found = compare(e, g, rtol=rtol, atol=atol)
            if found is not None:
                return f"item {k}: {found}"
        return None
    if isinstance(expected, np.ndarray):
        try:
            arr = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return f"expected an array of shape {expected.shape}, got {_show(got)}"
        if arr.shape != expected.shape:
            return f"expected an array of shape {expected.shape}, got shape {arr.shape}"
        if not np.all(np.isfinite(arr)) and np.all(np.isfinite(expected)):
            return f"expected {_show(expected)}\ngot      {_show(arr)} (not finite)"
        close = np.isclose(arr, expected, rtol=rtol, atol=atol)
        if close.all():
            return None
        worst = np.unravel_index(np.argmax(np.abs(arr - expected)), arr.shape)
        where = worst if arr.ndim > 1 else worst[0]
        return (
            f"expected {_show(expected)}\ngot      {_show(arr)}\n"
            f"({int((~close).sum())} of {arr.size} entries differ; "
            f"the largest difference, {abs(arr[worst] - expected[worst]):.3g}, "
            f"is at index {where})"
        )
    if _is_number(expected):
        if not _is_number(got):
            if isinstance(got, np.ndarray) and got.size == 1:
                got = got.item()
            else:
                return f"expected a number, got {_show(got)}"
        if math.isclose(float(got), float(expected), rel_tol=rtol, abs_tol=atol):
            return None
        return f"expected {_show(float(expected))}\ngot      {_show(float(got))}"
    if got != expected:
        return f"expected {_show(expected)}\ngot      {_show(got)}"
    return None


def is_unanswered(answer: Any) -> bool:
    """Whether ``answer`` is still the stub's placeholder (``...`` or ``None``).

    Parameters
    ----------
    answer : object
        The reader's answer.

    Returns
    -------
    bool
        True for ``...`` and ``None``.

    See Also
    --------
    check_value : reports "not attempted yet" for such an answer.

    Examples
    --------
    >>> is_unanswered(...), is_unanswered(0.0)
    (True, False)
    """
    return answer is ... or answer is None


def not_attempted(exercise: str) -> Feedback:
    """The feedback for a stub that is still as it ships.

    Parameters
    ----------
    exercise : str
        The exercise's label.

    Returns
    -------
    Feedback
        Status "not attempted yet", no cases.

    See Also
    --------
    run_cases, check_value : return it for an unfilled stub.

    Examples
    --------
    >>> not_attempted("ex-demo").status
    'not attempted yet'
    """
    return Feedback(exercise, attempted=False)


def run_cases(exercise: str, candidate: Any, cases: Sequence[Case]) -> Feedback:
    """Run the reader's function on each case and compare with the expected result.

    A case whose call raises gets the exception's type and message as its
    detail; a function that still raises ``NotImplementedError`` (the stub as
    it ships) gets "not attempted yet" for the whole exercise.

    Parameters
    ----------
    exercise : str
        The exercise's label.
    candidate : callable
        The reader's function (``...`` or ``None`` count as not attempted).
    cases : sequence of Case
        What to try, in order.

    Returns
    -------
    Feedback
        One :class:`CaseResult` per case.

    See Also
    --------
    compare : how a result is compared with the expected one.

    Examples
    --------
    >>> cases = [Case("double 2", (2.0,), 4.0, hint="multiply by two"),
    ...          Case("double -1", (-1.0,), -2.0, hint="mind the sign")]
    >>> print(run_cases("ex-demo", lambda x: x + 2, cases))
    ex-demo: 1 of 2 checks pass.
      ✓ double 2
      ✗ double -1
          expected -2.0
          got      1.0
          hint: mind the sign
    >>> def stub(x):
    ...     raise NotImplementedError
    >>> run_cases("ex-demo", stub, cases).status
    'not attempted yet'
    """
    if is_unanswered(candidate):
        return not_attempted(exercise)
    if not callable(candidate):
        return Feedback(
            exercise,
            (CaseResult("a function", False, f"expected a function, got {_show(candidate)}"),),
        )
    results = []
    for case in cases:
        try:
            got = candidate(*copy.deepcopy(case.args))
        except NotImplementedError:
            return not_attempted(exercise)
        except Exception as error:  # the reader's code: report it, never a traceback
            detail = f"raised {type(error).__name__}: {error}"
            results.append(CaseResult(case.name, False, detail, case.hint))
            continue
        found = compare(case.expected, got, rtol=case.rtol, atol=case.atol)
        results.append(
            CaseResult(case.name, found is None, found or "", case.hint if found else "")
        )
    return Feedback(exercise, tuple(results))


def check_value(
    exercise: str,
    answer: Any,
    expected: Any,
    *,
    name: str = "your answer",
    hint: str = "",
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> Feedback:
    """Compare a value the reader computed with the expected one.

    Parameters
    ----------
    exercise : str
        The exercise's label.
    answer : object
        The reader's value (``...`` or ``None``: not attempted).
    expected : object
        The right value.
    name : str, optional
        How the feedback names the case.
    hint : str, optional
        What to look at if it does not match.
    rtol, atol : float, optional
        Tolerances, as in :func:`compare`.

    Returns
    -------
    Feedback
        One case.

    See Also
    --------
    run_cases : for an answer that is a function.

    Examples
    --------
    >>> check_value("ex-demo", 0.5, 0.5).passed
    True
    >>> check_value("ex-demo", ..., 0.5).status
    'not attempted yet'
    """
    if is_unanswered(answer):
        return not_attempted(exercise)
    found = compare(expected, answer, rtol=rtol, atol=atol)
    return Feedback(
        exercise, (CaseResult(name, found is None, found or "", hint if found else ""),)
    )
