"""Checkers for the code exercises of Chapter 1 (Derivatives).

* :func:`check_second_difference`: the reader's central second difference
  ``(f(x + h) - 2 f(x) + f(x - h)) / h**2``, against closed forms of that
  quotient (exact for a quadratic and a cubic; known exactly for ``exp`` and
  ``sin`` at a finite ``h``).
* :func:`check_richardson`: the reader's Richardson extrapolation of the
  central difference, against closed forms (for ``x**5`` the result keeps
  exactly the ``h**4`` term; for ``exp`` and ``sin`` the central quotient is
  known exactly at every step).
* :func:`check_best_step`: the reader's search for the step with the
  smallest central-difference error on a grid, against the errors that
  :func:`utils.numdiff.step_errors` measures.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from .. import numdiff
from ._mistakes import Mistake, run_cases_naming_mistakes
from .feedback import Case, CaseResult, Feedback, is_unanswered, not_attempted, run_cases

__all__ = ["check_second_difference", "check_best_step", "check_richardson"]

EX_SECOND = "ex-second-difference"
EX_BEST_STEP = "ex-best-step"
EX_RICHARDSON = "ex-richardson"


def _quadratic(x):
    return 3.0 * x**2 - 2.0 * x + 1.0


def _cube(x):
    return x**3


def _d_tanh(x):
    return 1.0 - np.tanh(x) ** 2


def _second_hint(f: Callable, x: float, h: float) -> str:
    """What the usual mistakes would return for this case, as a hint."""
    plus, mid, minus = f(x + h), f(x), f(x - h)
    right = (plus - 2.0 * mid + minus) / h**2
    return (
        f"add the Taylor expansions of f(x + h) and f(x - h): the f' terms "
        f"cancel, so f(x+h) - 2 f(x) + f(x-h) = h^2 f''(x) + ...; "
        f"{(plus - mid + minus) / h**2:.6g} would mean a missing factor 2 on "
        f"f(x), {right / 2:.6g} a division by 2h^2, {right * h:.6g} a "
        f"division by h instead of h^2"
    )


def check_second_difference(second: Callable) -> Feedback:
    """Check ``second(f, x, h)``, the central second difference, where its value is known exactly.

    The expected values are closed forms of
    ``(f(x + h) - 2 f(x) + f(x - h)) / h**2``: ``f''`` itself for a quadratic
    and for ``x**3`` (``6x``), ``2 e^x (cosh h - 1) / h**2`` for ``exp`` and
    ``-2 sin(x) (1 - cos h) / h**2`` for ``sin``; Taylor's theorem of
    Chapter 1 (Derivatives) gives them. A missing factor 2, a division by
    ``2 h**2`` or by ``h`` each fail with the value that mistake gives named
    in the hint.

    Parameters
    ----------
    second : callable
        The reader's function ``second(f, x, h) -> float``.

    Returns
    -------
    Feedback
        One case per function; "not attempted yet" for the stub.

    See Also
    --------
    utils.numdiff.central_difference : the first derivative's central difference.

    Examples
    --------
    >>> def stub(f, x, h):
    ...     raise NotImplementedError
    >>> check_second_difference(stub).status
    'not attempted yet'
    >>> fb = check_second_difference(
    ...     lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / (2 * h**2))
    >>> fb.status, fb.cases[0].passed
    ('failed', False)
    >>> print(fb.cases[0].detail)
    expected 6.0
    got      3.0
    >>> check_second_difference(
    ...     lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / h**2).passed
    True
    """
    lines = [
        (
            "quadratic 3x^2 - 2x + 1 at x = 0.5, h = 0.1 (exactly f'' = 6)",
            _quadratic,
            0.5,
            0.1,
            6.0,
        ),
        ("x^3 at x = 2, h = 0.01 (exactly f'' = 6x)", _cube, 2.0, 0.01, 12.0),
        (
            "exp at x = 1, h = 0.25 (2 e^x (cosh h - 1) / h^2)",
            np.exp,
            1.0,
            0.25,
            2.0 * math.exp(1.0) * (math.cosh(0.25) - 1.0) / 0.25**2,
        ),
        (
            "sin at x = 0.3, h = 0.2 (-2 sin x (1 - cos h) / h^2)",
            np.sin,
            0.3,
            0.2,
            -2.0 * math.sin(0.3) * (1.0 - math.cos(0.2)) / 0.04,
        ),
    ]
    cases = [
        Case(name, (f, x, h), expected, hint=_second_hint(f, x, h), rtol=1e-9)
        for name, f, x, h, expected in lines
    ]
    return run_cases(EX_SECOND, second, cases)


#: the grids the best-step cases search (decades, where the bottom of the V is clear)
_DECADES = 10.0 ** -np.arange(1, 13)
_SHUFFLED = np.array([1e-2, 1e-9, 1e-5, 1e-12, 1e-7, 1e-3])
#: a step is accepted when its error is within this factor of the smallest on the grid:
#: near the bottom of the V the errors of neighbouring steps depend on round-off (how
#: x + h is rounded), so the next decade may come out best; two decades off, the error
#: is a hundred times larger on the truncation side and more than 20 times on the other
BEST_STEP_FACTOR = 20.0


def _judge_step(
    name: str, got: object, f: Callable, dfdx: Callable, x: float, hs: np.ndarray
) -> CaseResult:
    """Whether ``got`` is a step of ``hs`` whose central error is near the smallest."""
    errors = numdiff.step_errors(f, dfdx, x, hs, scheme="central")
    k_best = int(np.argmin(errors))
    best = f"the smallest error, {errors[k_best]:.2e}, is at h = {hs[k_best]:.0e}"
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.item()
    if not isinstance(got, (numbers.Real, np.floating)) or isinstance(got, bool):
        return CaseResult(
            name,
            False,
            f"expected a step (a float), got {got!r}",
            "return the step h itself, hs[k], not a list or a pair",
        )
    matches = np.flatnonzero(np.isclose(hs, float(got), rtol=1e-12, atol=0.0))
    if matches.size == 0:
        return CaseResult(
            name,
            False,
            f"got {float(got):.6g}, which is not one of the steps in hs",
            "return the step hs[k] of the smallest error, not the index k or the error itself",
        )
    k = int(matches[0])
    floor = np.finfo(float).eps * abs(float(dfdx(x)))  # an exact hit counts as round-off
    if errors[k] <= BEST_STEP_FACTOR * max(errors[k_best], floor):
        return CaseResult(name, True)
    detail = f"got h = {hs[k]:.0e}, whose error is {errors[k]:.2e};\n{best}"
    if hs[k] == hs.min():
        hint = (
            "smaller is not better: below the best step the round-off "
            "error, about eps |f(x)| / h, grows as h shrinks"
        )
    elif hs[k] == hs.max():
        hint = (
            "the largest step has a large truncation error: take the step of "
            "the smallest absolute error |D(h) - f'(x)| (not the largest "
            "error, and not the most negative signed one)"
        )
    else:
        hint = (
            "compute the central-difference error |(f(x+h) - f(x-h)) / (2h) "
            "- f'(x)|, with the absolute value, for every h (a forward "
            "difference has its best step near 1e-8, the central one near "
            "1e-6 to 1e-5)"
        )
    return CaseResult(name, False, detail, hint)


def check_best_step(best_step: Callable) -> Feedback:
    """Check ``best_step(f, dfdx, x, hs)``, the grid step of smallest central-difference error.

    Each returned step is judged by its error as measured by
    :func:`utils.numdiff.step_errors`: it passes when that error is within
    a factor ``BEST_STEP_FACTOR`` (20) of the smallest on the grid (near the
    bottom of the V of Chapter 1 (Derivatives) the errors of neighbouring
    steps depend on how ``x + h`` is rounded). The grids are decades, so a wrong step is far off.
    Returning the smallest step ("smaller is better"), an index instead of
    a step, or the best step of the forward difference each fail with a
    hint for that mistake.

    Parameters
    ----------
    best_step : callable
        The reader's function ``best_step(f, dfdx, x, hs) -> float``: ``f``
        a function, ``dfdx`` its exact derivative (a function), ``x`` the
        point and ``hs`` a 1-D array of steps, in any order.

    Returns
    -------
    Feedback
        One case per function and grid; "not attempted yet" for the stub.

    See Also
    --------
    utils.numdiff.step_errors : the errors for a list of steps.
    utils.numdiff.optimal_step : the step the error model predicts.

    Examples
    --------
    >>> def stub(f, dfdx, x, hs):
    ...     raise NotImplementedError
    >>> check_best_step(stub).status
    'not attempted yet'
    >>> fb = check_best_step(lambda f, dfdx, x, hs: float(np.min(hs)))
    >>> fb.status, fb.cases[0].name
    ('failed', 'exp at x = 1 on the decades 1e-1 ... 1e-12')
    >>> print(fb.cases[0].hint[:27])
    smaller is not better: belo
    >>> check_best_step(lambda f, dfdx, x, hs: 1e-5).passed
    True
    """
    if is_unanswered(best_step):
        return not_attempted(EX_BEST_STEP)
    lines = [
        ("exp at x = 1 on the decades 1e-1 ... 1e-12", np.exp, np.exp, 1.0, _DECADES),
        ("tanh at x = 0.5 on the decades 1e-1 ... 1e-12", np.tanh, _d_tanh, 0.5, _DECADES),
        ("sin at x = 1 on the decades 1e-1 ... 1e-12", np.sin, np.cos, 1.0, _DECADES),
        ("exp at x = 1 on a grid in no particular order", np.exp, np.exp, 1.0, _SHUFFLED),
    ]
    results = []
    for name, f, dfdx, x, hs in lines:
        try:
            got = best_step(f, dfdx, x, hs.copy())
        except NotImplementedError:
            return not_attempted(EX_BEST_STEP)
        except Exception as error:  # the reader's code: report it, never a traceback
            results.append(
                CaseResult(
                    name,
                    False,
                    f"raised {type(error).__name__}: {error}",
                    "call f and dfdx on floats; hs is a NumPy array",
                )
            )
            continue
        results.append(_judge_step(name, got, f, dfdx, x, hs))
    return Feedback(EX_BEST_STEP, tuple(results))


def _fifth(x):
    return x**5


def _central_exact(name: str) -> Callable[[float, float], float]:
    """The central quotient D(h) of the named function at x, in closed form."""
    return {
        "exp": lambda x, h: math.exp(x) * math.sinh(h) / h,
        "sin": lambda x, h: math.cos(x) * math.sin(h) / h,
        "x^5": lambda x, h: 5 * x**4 + 10 * x**2 * h**2 + h**4,
    }[name]


def _combine(d: Callable, x: float, h: float, small: float, large: float) -> float:
    return (4.0 * d(x, small * h) - d(x, large * h)) / 3.0


def _quotients(f: Callable, kind: str) -> Callable[[float, float], float]:
    if kind == "forward":
        return lambda x, h: (f(x + h) - f(x)) / h
    return lambda x, h: (f(x + h) - f(x - h)) / (2.0 * h)


_RICHARDSON_MISTAKES = [
    Mistake(
        "(4 D(h) - D(h/2)) / 3, the two steps swapped",
        lambda f, x, h: _combine(_quotients(f, "central"), x, h, 1.0, 0.5),
    ),
    Mistake(
        "the steps h and 2h, (4 D(h) - D(2h)) / 3, in place of h/2 and h",
        lambda f, x, h: _combine(_quotients(f, "central"), x, h, 1.0, 2.0),
    ),
    Mistake(
        "forward differences, whose error has an h term that this combination does not cancel",
        lambda f, x, h: _combine(_quotients(f, "forward"), x, h, 0.5, 1.0),
    ),
]


def check_richardson(richardson: Callable) -> Feedback:
    """Check ``richardson(f, x, h)``, the extrapolation ``(4 D(h/2) - D(h)) / 3``.

    ``D`` is the central difference of Chapter 1 (Derivatives); the
    combination cancels its ``h**2`` error term. The expected values are
    closed forms of the combination: for ``x**5``,
    ``D(h) = 5x**4 + 10 x**2 h**2 + h**4``, so the result is
    ``5 x**4 - h**4 / 4`` (the ``h**4`` term survives); for ``exp`` and
    ``sin`` ``D`` is known exactly at every step. The steps swapped, steps
    ``h`` and ``2h``, and forward differences are named when recognised.

    Parameters
    ----------
    richardson : callable
        The reader's function ``richardson(f, x, h) -> float``.

    Returns
    -------
    Feedback
        One case per function; "not attempted yet" for the stub.

    See Also
    --------
    check_second_difference : another combination of values of ``f``.
    utils.numdiff.central_difference : the quotient ``D``.

    Examples
    --------
    >>> def stub(f, x, h):
    ...     raise NotImplementedError
    >>> check_richardson(stub).status
    'not attempted yet'
    >>> def d(f, x, h):
    ...     return (f(x + h) - f(x - h)) / (2 * h)
    >>> fb = check_richardson(lambda f, x, h: (4 * d(f, x, h) - d(f, x, h / 2)) / 3)
    >>> fb.cases[0].hint[:52]
    'your result is what you get with (4 D(h) - D(h/2)) /'
    >>> check_richardson(lambda f, x, h: (4 * d(f, x, h / 2) - d(f, x, h)) / 3).passed
    True
    """
    lines = [
        ("x^5 at x = 1, h = 0.5 (the result is 5 - h^4/4)", _fifth, "x^5", 1.0, 0.5),
        ("exp at x = 1, h = 0.1", np.exp, "exp", 1.0, 0.1),
        ("sin at x = 0.5, h = 0.2", np.sin, "sin", 0.5, 0.2),
    ]
    hint = (
        "D(h) = f' + c h^2 + O(h^4) and D(h/2) = f' + c h^2 / 4 + O(h^4), so "
        "4 D(h/2) - D(h) = 3 f' + O(h^4): divide by 3; D is the central "
        "difference (f(x+h) - f(x-h)) / (2h)"
    )
    cases = [
        Case(name, (f, x, h), _combine(_central_exact(kind), x, h, 0.5, 1.0), hint=hint)
        for name, f, kind, x, h in lines
    ]
    return run_cases_naming_mistakes(EX_RICHARDSON, richardson, cases, _RICHARDSON_MISTAKES)
