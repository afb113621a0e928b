"""Checkers for the code exercises of Chapter 4 (Gradient descent).

* :func:`check_minibatch_gradient`: the reader's mini-batch gradient of the
  squared error of a line, against the mean of the per-example gradients of
  :func:`utils.descent.squared_error_terms` over the batch.
* :func:`check_steps_needed`: the reader's count of the steps gradient
  descent needs on ``(w - 3)**2`` to reach a tolerance, against the iterates
  of :func:`utils.descent.gd_quadratic_1d`.
* :func:`check_largest_stable_rate`: the reader's numerical search for the
  largest learning rate at which gradient descent does not blow up on a
  quadratic bowl, against ``2 / lambda_max`` from the Hessian's eigenvalues.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..descent import gd_quadratic_1d, squared_error_terms
from ._mistakes import Mistake, run_cases_naming_mistakes
from .feedback import Case, Feedback

__all__ = ["check_minibatch_gradient", "check_steps_needed", "check_largest_stable_rate"]

EX_MINIBATCH = "ex-minibatch-gradient"
EX_LARGEST_RATE = "ex-largest-stable-rate"
EX_STEPS = "ex-steps-grid"
#: the step budget of ex-steps-grid: more steps than this count as "never"
MAX_STEPS = 10_000


def _batch_mean(x, y, w, b, batch, reduce=np.mean, scale=1.0, sign=1.0):
    """Mini-batch gradients, right (the defaults) and wrong (for the mistakes)."""
    idx = np.asarray(batch, dtype=int)
    _, grads = squared_error_terms(np.asarray(x)[idx], np.asarray(y)[idx], w, b)
    return sign * scale * reduce(grads, axis=0)


_MINIBATCH_MISTAKES = [
    Mistake(
        "the sum over the batch, not its mean",
        lambda x, y, w, b, batch: _batch_mean(x, y, w, b, batch, reduce=np.sum),
    ),
    Mistake(
        "no factor 2 from the square",
        lambda x, y, w, b, batch: _batch_mean(x, y, w, b, batch, scale=0.5),
    ),
    Mistake(
        "the residual y - (w x + b), which flips the sign",
        lambda x, y, w, b, batch: _batch_mean(x, y, w, b, batch, sign=-1.0),
    ),
    Mistake(
        "the whole data set, not the batch",
        lambda x, y, w, b, batch: _batch_mean(x, y, w, b, np.arange(len(x))),
    ),
    Mistake(
        "the sum over the batch divided by n, the size of the data set, not by the batch size m",
        lambda x, y, w, b, batch: _batch_mean(x, y, w, b, batch, reduce=np.sum) / len(x),
    ),
]


def check_minibatch_gradient(minibatch_gradient: Callable) -> Feedback:
    """Check ``minibatch_gradient(x, y, w, b, batch)``: the mean gradient over a batch.

    The loss of Chapter 4 (Gradient descent) is the mean of
    ``(w x_i + b - y_i)**2``; the mini-batch gradient is the mean of the
    per-example gradients ``2 (w x_i + b - y_i) (x_i, 1)`` over the indices
    in ``batch``, an array of shape ``(2,)``: ``(dL/dw, dL/db)``. The
    expected values come from :func:`utils.descent.squared_error_terms`. A
    sum in place of the mean, a missing factor 2, the residual's sign
    flipped, or the whole data set in place of the batch are named when
    recognised.

    Parameters
    ----------
    minibatch_gradient : callable
        The reader's function ``minibatch_gradient(x, y, w, b, batch)``;
        ``x`` and ``y`` are arrays of shape ``(n,)``, ``batch`` an integer
        array of indices.

    Returns
    -------
    Feedback
        One case per batch; "not attempted yet" for the stub.

    See Also
    --------
    utils.descent.squared_error_terms : the per-example gradients.

    Examples
    --------
    >>> def stub(x, y, w, b, batch):
    ...     raise NotImplementedError
    >>> check_minibatch_gradient(stub).status
    'not attempted yet'
    >>> def summed(x, y, w, b, batch):
    ...     r = w * x[batch] + b - y[batch]
    ...     return np.array([np.sum(2 * r * x[batch]), np.sum(2 * r)])
    >>> fb = check_minibatch_gradient(summed)
    >>> fb.cases[0].passed, fb.cases[1].hint[:50]
    (True, 'your result is what you get with the sum over the ')
    """
    rng = np.random.default_rng(4)
    x = rng.uniform(-1.0, 1.0, size=12)
    y = 2.0 * x + 1.0 + 0.3 * rng.normal(size=12)
    lines = [
        (
            "a batch of one example (index 3)",
            np.array([3]),
            1.0,
            0.5,
            "one example: 2 (w x_i + b - y_i) (x_i, 1), with the residual prediction minus target",
        ),
        (
            "a batch of four examples (indices 0, 5, 7, 11)",
            np.array([0, 5, 7, 11]),
            0.5,
            -0.25,
            "average the per-example gradients over the batch: divide the sum "
            "by the batch size m, not by n",
        ),
        (
            "a batch of three in no order (indices 9, 2, 6), at (w, b) = (2, 1)",
            np.array([9, 2, 6]),
            2.0,
            1.0,
            "use only the examples x[batch], y[batch]; return the array "
            "(dL/dw, dL/db) of shape (2,)",
        ),
        (
            "the whole data set as one batch (gradient descent again)",
            np.arange(12),
            1.0,
            0.0,
            "with m = n the mini-batch gradient is the full gradient",
        ),
    ]
    cases = [
        Case(name, (x, y, w, b, batch), _batch_mean(x, y, w, b, batch), hint=hint)
        for name, batch, w, b, hint in lines
    ]
    return run_cases_naming_mistakes(EX_MINIBATCH, minibatch_gradient, cases, _MINIBATCH_MISTAKES)


def _steps_needed(lr: float, tol: float, strict: bool = False) -> int | None:
    """The first t with |w_t - 3| <= tol (< tol if strict) on (w - 3)^2 from 0, or None."""
    errors = np.abs(gd_quadratic_1d(lr, steps=MAX_STEPS).iterates - 3.0)
    close = errors < tol if strict else errors <= tol
    return int(np.argmax(close)) if close.any() else None


def _shifted(lr: float, tol: float, by: int) -> int | None:
    t = _steps_needed(lr, tol)
    return None if t is None else t + by


_STEPS_MISTAKES = [
    Mistake(
        "the strict test |w_t - 3| < tol in place of <= tol",
        lambda lr, tol: _steps_needed(lr, tol, strict=True),
    ),
    Mistake(
        "one step too many (counting a step before testing w_0)",
        lambda lr, tol: _shifted(lr, tol, 1),
    ),
    Mistake(
        "one step too few (the count of the step before w_t got close)",
        lambda lr, tol: _shifted(lr, tol, -1),
    ),
]


def check_steps_needed(steps_needed: Callable) -> Feedback:
    """Check ``steps_needed(lr, tol)``: the steps gradient descent needs on ``(w - 3)**2`` from 0.

    The count is the first ``t`` with ``|w_t - 3| <= tol`` (``0`` when the
    start is already that close, ``None`` when ``MAX_STEPS`` steps are not
    enough), the quantity that Chapter 4 (Gradient descent) predicts from
    the factor ``|1 - 2 lr|``. The expected counts come from the iterates of
    :func:`utils.descent.gd_quadratic_1d`. A tolerance that an iterate hits
    exactly (``lr = 0.25`` halves the error exactly) catches a strict ``<``;
    off-by-one counts are named when recognised.

    Parameters
    ----------
    steps_needed : callable
        The reader's function ``steps_needed(lr, tol) -> int or None``.

    Returns
    -------
    Feedback
        One case per learning rate and tolerance; "not attempted yet" for
        the stub.

    See Also
    --------
    utils.descent.gd_quadratic_1d : the iterates the counts come from.

    Examples
    --------
    >>> def stub(lr, tol):
    ...     raise NotImplementedError
    >>> check_steps_needed(stub).status
    'not attempted yet'
    >>> fb = check_steps_needed(lambda lr, tol: 88)
    >>> [c.passed for c in fb.cases][:2]
    [True, True]
    >>> fb.cases[2].passed, float(fb.cases[2].detail.split()[1])  # expected 1 step
    (False, 1.0)
    """
    lines = [
        (
            "lr = 0.1, tol = 1e-8 (the error shrinks by 0.8 per step)",
            0.1,
            1e-8,
            "the error |w_t - 3| = 3 |1 - 2 lr|^t: count the updates until it is "
            "<= tol for the first time",
        ),
        (
            "lr = 0.9, tol = 1e-8 (oscillating, as fast as lr = 0.1)",
            0.9,
            1e-8,
            "compare |w_t - 3|, not w_t - 3: with lr > 0.5 the error changes sign",
        ),
        (
            "lr = 0.5, tol = 1e-8 (the minimiser in one step)",
            0.5,
            1e-8,
            "lr = 1/c = 0.5 lands on w = 3 after one update",
        ),
        (
            "lr = 0.25, tol = 3 / 2^10 (hit exactly at t = 10)",
            0.25,
            3.0 / 2**10,
            "the test is |w_t - 3| <= tol: an iterate exactly at the tolerance counts",
        ),
        (
            "tol = 5 (w_0 = 0 is already close enough)",
            0.1,
            5.0,
            "test before the first update: the answer is 0 steps",
        ),
        (
            "lr = 1, tol = 1e-3 (w alternates between 0 and 6: never)",
            1.0,
            1e-3,
            f"stop after {MAX_STEPS} steps and return None",
        ),
    ]
    cases = [
        Case(name, (lr, tol), _steps_needed(lr, tol), hint=hint) for name, lr, tol, hint in lines
    ]
    return run_cases_naming_mistakes(EX_STEPS, steps_needed, cases, _STEPS_MISTAKES)


def _bowl(H: np.ndarray) -> tuple[Callable, Callable]:
    """The loss 0.5 x^T H x and its gradient."""
    return (lambda x: 0.5 * float(x @ H @ x)), (lambda x: H @ x)


def _rotated(eigenvalues: tuple[float, float], angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    Q = np.array([[c, -s], [s, c]])
    return Q @ np.diag(eigenvalues) @ Q.T


#: the search is judged against 2 / lambda_max with this relative tolerance: after 100
#: steps from a start with a component along every axis, the loss test places the edge
#: within about 0.1 % of 2 / lambda_max (the other directions shrink, so a factor a
#: little above 1 along the steepest one can still leave the loss below its start)
RATE_RTOL = 5e-3

_RATE_MISTAKES = [
    Mistake(
        "a search that never accepts a rate and ends at 0 (is lo ever moved?)",
        lambda *a: 0.0,
    ),
    Mistake(
        "a search that ends at the top of the bracket [0, 10]: a reversed test "
        "(lo moved when the rate is unstable) or one that never finds a rate unstable",
        lambda *a: 10.0,
    ),
]


def check_largest_stable_rate(largest_stable_rate: Callable) -> Feedback:
    """Check ``largest_stable_rate(loss, grad, x0)``: the edge of stability, found numerically.

    On a quadratic bowl ``0.5 x^T H x`` gradient descent converges from
    every start exactly when ``0 < lr < 2 / lambda_max``
    (Chapter 4 (Gradient descent)); the reader finds the edge by bisection,
    seeing only the loss and its gradient. The cases are a parabola, an
    axis-aligned bowl and a rotated, ill-conditioned one; the expected value
    is ``2 / lambda_max`` from :func:`numpy.linalg.eigvalsh`, matched to
    ``RATE_RTOL`` (0.5 %). Overflow warnings of the reader's unstable runs
    are silenced (an overflowing loss is simply unstable).

    Parameters
    ----------
    largest_stable_rate : callable
        The reader's function ``largest_stable_rate(loss, grad, x0) -> float``.

    Returns
    -------
    Feedback
        One case per bowl; "not attempted yet" for the stub.

    See Also
    --------
    utils.descent.quadratic_lr_limits : the critical rates in closed form.

    Examples
    --------
    >>> def stub(loss, grad, x0):
    ...     raise NotImplementedError
    >>> check_largest_stable_rate(stub).status
    'not attempted yet'
    >>> fb = check_largest_stable_rate(lambda loss, grad, x0: 0.0)
    >>> print(fb.cases[0].detail)
    expected 1.0
    got      0.0
    """
    lines = [
        (
            "the parabola (w - 3)^2 from w = 0 (curvature 2)",
            np.array([[2.0]]),
            np.array([0.0]),
            np.array([3.0]),
            "for (w - 3)^2 the edge is 2/c = 1; a step multiplies the error by "
            "1 - 2 lr, and |1 - 2 lr| > 1 beyond lr = 1; start every trial "
            "from x0 itself (x = x0.copy(): x -= ... on x = x0 changes x0)",
        ),
        (
            "the bowl diag(1, 10) from (1, 1)",
            np.diag([1.0, 10.0]),
            np.array([1.0, 1.0]),
            None,
            "the steep direction decides: run many steps (one step is not "
            "enough: the flat direction still shrinks) and call a rate stable "
            "when the loss at the end is no larger than at the start",
        ),
        (
            "a rotated bowl with curvatures 2 and 100 from (1, -0.5)",
            _rotated((2.0, 100.0), 0.4),
            np.array([1.0, -0.5]),
            None,
            "treat an overflowing or NaN loss as unstable (a comparison with "
            "NaN is False); bisect until the bracket is far narrower than 0.5 %",
        ),
    ]
    cases = []
    for name, H, x0, center, hint in lines:
        loss, grad = _bowl(H)
        if center is not None:  # the parabola: shift the bowl to its minimiser
            loss, grad = (
                (lambda f, c: lambda x: f(x - c))(loss, center),
                (lambda g, c: lambda x: g(x - c))(grad, center),
            )
        expected = 2.0 / float(np.linalg.eigvalsh(H).max())
        cases.append(Case(name, (loss, grad, x0), expected, hint=hint, rtol=RATE_RTOL))
    return run_cases_naming_mistakes(
        EX_LARGEST_RATE, largest_stable_rate, cases, _RATE_MISTAKES, quiet_overflow=True
    )
