"""Checkers for the code exercises of Chapter 3 (Gradients and Jacobians).

* :func:`check_jacobian_fd`: the reader's finite-difference Jacobian, one
  column per input, against Jacobians known in closed form (a linear map,
  polar coordinates, softmax from :func:`utils.softmax.softmax_jacobian`).
* :func:`check_log_softmax_vjp`: the reader's vector-Jacobian product of
  log-softmax, against :func:`utils.numdiff.numerical_gradient` of
  ``z -> v . log softmax(z)`` (at the shifted scores ``z - max(z)`` for the
  large ones, where the product is the same).
* :func:`check_layer_softmax_vjp`: the reader's chain of VJPs through a
  linear layer followed by softmax, against central differences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import numdiff
from ..softmax import softmax, softmax_jacobian
from ._mistakes import Mistake, run_cases_naming_mistakes
from .feedback import Case, Feedback

__all__ = ["check_jacobian_fd", "check_log_softmax_vjp", "check_layer_softmax_vjp"]

EX_JACOBIAN = "ex-jacobian-fd"
EX_LOG_SOFTMAX = "ex-log-softmax-vjp"
EX_LAYER = "ex-layer-softmax-vjp"

_W = np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 4.0, -1.0, 2.0], [-3.0, 1.0, 2.0, -0.5]])
_B = np.array([0.5, -1.0, 2.0])


def _linear(x):
    return _W @ x + _B


def _polar(q):
    r, theta = q
    return np.array([r * np.cos(theta), r * np.sin(theta)])


def _polar_jacobian(q):
    r, theta = q
    return np.array([[np.cos(theta), -r * np.sin(theta)], [np.sin(theta), r * np.cos(theta)]])


def _forward_jacobian(f, x, h):
    """The forward-difference Jacobian (a mistake here: O(h) error)."""
    fx = np.asarray(f(x), dtype=float)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((np.asarray(f(x + e), dtype=float) - fx) / h)
    return np.stack(cols, axis=1)


def _central_jacobian(f, x, h):
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append(
            (np.asarray(f(x + e), dtype=float) - np.asarray(f(x - e), dtype=float)) / (2 * h)
        )
    return np.stack(cols, axis=1)


_JACOBIAN_MISTAKES = [
    Mistake(
        "the transposed Jacobian (one row per input instead of one row per output)",
        lambda f, x, h: _central_jacobian(f, x, h).T,
    ),
    Mistake(
        "a forward difference (f(x + h e_j) - f(x)) / h, whose error is O(h)",
        _forward_jacobian,
    ),
    Mistake(
        "a division by h in place of 2h (the two points are 2h apart)",
        lambda f, x, h: 2.0 * _central_jacobian(f, x, h),
    ),
    Mistake(
        "x changed in place (x_plus = x is not a copy, so f sees the same "
        "point twice and every column is 0)",
        lambda f, x, h: np.zeros((np.asarray(f(x)).size, x.size)),
    ),
]


def check_jacobian_fd(jacobian_fd: Callable) -> Feedback:
    """Check ``jacobian_fd(f, x, h)``: the Jacobian of ``f`` at ``x`` by central differences.

    Column ``j`` of the Jacobian of Chapter 3 (Gradients and Jacobians) is
    ``(f(x + h e_j) - f(x - h e_j)) / (2h)``; the result has shape ``(m, n)``
    for ``f`` from ``R^n`` to ``R^m``. The expected Jacobians are closed
    forms: ``W`` for ``W x + b`` (``W`` is 3 by 4, so a transposed result
    has the wrong shape), the polar-coordinates map (square but not
    symmetric, so a transposed result has the wrong values) and softmax.
    A transposed Jacobian and a forward difference are named when
    recognised.

    Parameters
    ----------
    jacobian_fd : callable
        The reader's function ``jacobian_fd(f, x, h) -> ndarray``.

    Returns
    -------
    Feedback
        One case per map; "not attempted yet" for the stub.

    See Also
    --------
    utils.numdiff.numerical_jacobian : the library's version.

    Examples
    --------
    >>> def stub(f, x, h):
    ...     raise NotImplementedError
    >>> check_jacobian_fd(stub).status
    'not attempted yet'
    >>> fb = check_jacobian_fd(lambda f, x, h: _central_jacobian(f, x, h).T)
    >>> print(fb.cases[0].detail.splitlines()[0])
    expected an array of shape (3, 4), got shape (4, 3)
    >>> check_jacobian_fd(_central_jacobian).passed
    True
    """
    h = 1e-6
    q = np.array([2.0, 0.6])
    z = np.array([0.3, -1.2, 2.0])
    tol = {"rtol": 1e-8, "atol": 1e-8}  # central: about 1e-10 here; forward: 1e-6
    cases = [
        Case(
            "linear map W x + b from R^4 to R^3",
            (_linear, np.array([1.0, -1.0, 0.5, 2.0]), h),
            _W.copy(),
            hint="the Jacobian has one row per output and one column per input: "
            "shape (m, n) = (3, 4); column j is the central difference in "
            "direction e_j",
            **tol,
        ),
        Case(
            "polar coordinates (r, theta) -> (r cos theta, r sin theta)",
            (_polar, q, h),
            _polar_jacobian(q),
            hint="entry (i, j) is d f_i / d x_j: put the difference quotient "
            "for input j in column j (np.stack(columns, axis=1))",
            **tol,
        ),
        Case(
            "softmax at z = (0.3, -1.2, 2.0)",
            (softmax, z, h),
            softmax_jacobian(z),
            hint="divide by 2h, the distance between x + h e_j and x - h e_j; "
            "copy x before changing one entry (x.copy())",
            **tol,
        ),
    ]
    return run_cases_naming_mistakes(EX_JACOBIAN, jacobian_fd, cases, _JACOBIAN_MISTAKES)


def _log_softmax_vjp_numeric(z: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``v^T J`` of log-softmax as the gradient of ``z -> v . log softmax(z)``."""
    shifted = z - z.max()  # log-softmax changes by a constant vector: the same product
    return numdiff.numerical_gradient(lambda s: float(v @ np.log(softmax(s))), shifted)


_LOG_SOFTMAX_MISTAKES = [
    Mistake(
        "J v in place of v^T J (the transposed Jacobian: J = I - 1 p^T is not symmetric)",
        lambda z, v: v - (v @ softmax(z)),
    ),
    Mistake(
        "the VJP of softmax, p * (v - v . p), not of log-softmax",
        lambda z, v: softmax(z) * (v - v @ softmax(z)),
    ),
    Mistake("v - p (the factor sum(v) forgotten)", lambda z, v: v - softmax(z)),
]


def check_log_softmax_vjp(log_softmax_vjp: Callable) -> Feedback:
    """Check ``log_softmax_vjp(z, v)``: ``v^T J`` for ``y = log softmax(z)``, without forming ``J``.

    With ``p = softmax(z)`` the Jacobian is ``J = I - 1 p^T`` (row ``i`` is
    ``e_i - p``), so ``v^T J = v - (sum v) p``: Chapter 3 (Gradients and
    Jacobians) explains why backpropagation needs only this product. The
    expected products are central-difference gradients of
    ``z -> v . log softmax(z)``. ``J v`` (the transposed Jacobian), the VJP
    of softmax itself and ``v - p`` are named when recognised; scores near
    1000 catch a softmax that overflows.

    Parameters
    ----------
    log_softmax_vjp : callable
        The reader's function ``log_softmax_vjp(z, v) -> ndarray`` of the
        shape of ``z``.

    Returns
    -------
    Feedback
        One case per ``(z, v)``; "not attempted yet" for the stub.

    See Also
    --------
    utils.softmax.softmax_vjp : the VJP of softmax itself.

    Examples
    --------
    >>> def stub(z, v):
    ...     raise NotImplementedError
    >>> check_log_softmax_vjp(stub).status
    'not attempted yet'
    >>> fb = check_log_softmax_vjp(lambda z, v: v - v @ softmax(z))
    >>> fb.cases[0].hint.startswith("your result is what you get with J v")
    True
    >>> check_log_softmax_vjp(lambda z, v: v - v.sum() * softmax(z)).passed
    True
    """
    rng = np.random.default_rng(3)
    z4, v4 = rng.normal(size=4), rng.normal(size=4)
    z3 = np.array([0.5, -1.0, 2.0])
    big = np.array([1000.0, 999.0, 990.0, 1001.0])
    tol = {"rtol": 1e-6, "atol": 1e-8}
    lines = [
        (
            "random scores and incoming gradient (n = 4)",
            z4,
            v4,
            "row i of J is e_i - p, so v^T J = sum_i v_i (e_i - p) = v - (sum v) p",
        ),
        (
            "v = (1, 1, 1): the gradient of sum(log p)",
            z3,
            np.ones(3),
            "d/dz_j sum_i log p_i = 1 - n p_j: the product needs sum(v) = n, not "
            "v . p (that would be J v)",
        ),
        (
            "v = e_1: the gradient of log p_1 (row 1 of J)",
            z3,
            np.array([1.0, 0.0, 0.0]),
            "d log p_1 / dz = e_1 - p: a one-hot v picks one row of J",
        ),
        (
            "large scores near 1000 (n = 4)",
            big,
            np.array([0.5, -1.0, 2.0, 0.25]),
            "exp(1000) overflows: compute p with utils.softmax.softmax (or "
            "subtract max(z) before exponentiating)",
        ),
    ]
    cases = [
        Case(name, (z, v), _log_softmax_vjp_numeric(z, v), hint=hint, **tol)
        for name, z, v, hint in lines
    ]
    return run_cases_naming_mistakes(EX_LOG_SOFTMAX, log_softmax_vjp, cases, _LOG_SOFTMAX_MISTAKES)


def _layer_softmax_grads(W, b, x, v, skip_softmax=False, transpose=False):
    """The VJPs of p = softmax(W x + b) for W, b, x (right by default, else a mistake)."""
    p = softmax(W @ x + b)
    g = v if skip_softmax else p * (v - v @ p)
    return np.outer(g, x), g, (W if transpose else W.T) @ g


def _layer_with_log_softmax(W, b, x, v):
    """The layer's VJPs with log-softmax's VJP ``v - (sum v) p`` (a mistake here)."""
    g = v - v.sum() * softmax(W @ x + b)
    return np.outer(g, x), g, W.T @ g


_LAYER_MISTAKES = [
    Mistake(
        "v passed straight to the linear layer (softmax's VJP left out)",
        lambda W, b, x, v: _layer_softmax_grads(W, b, x, v, skip_softmax=True),
    ),
    Mistake(
        "the VJP of log-softmax, v - (sum v) p, in place of softmax's, p * (v - v . p)",
        _layer_with_log_softmax,
    ),
    Mistake(
        "np.outer(x, g), the transpose of dW (dW is np.outer(g, x), shaped like W)",
        lambda W, b, x, v: (
            _layer_softmax_grads(W, b, x, v)[0].T,
            *_layer_softmax_grads(W, b, x, v)[1:],
        ),
    ),
    Mistake(
        "W @ g in place of W.T @ g for the input",
        lambda W, b, x, v: _layer_softmax_grads(W, b, x, v, transpose=True),
    ),
]


def _layer_case(name: str, m: int, n: int, seed: int, hint: str) -> Case:
    rng = np.random.default_rng(seed)
    W, b, x, v = (rng.normal(size=s) for s in ((m, n), m, n, m))

    def scalar(W_, b_, x_):
        return float(v @ softmax(W_ @ x_ + b_))

    expected = (
        numdiff.numerical_gradient(lambda W_: scalar(W_, b, x), W),
        numdiff.numerical_gradient(lambda b_: scalar(W, b_, x), b),
        numdiff.numerical_gradient(lambda x_: scalar(W, b, x_), x),
    )
    return Case(name, (W, b, x, v), expected, hint=hint, rtol=1e-6, atol=1e-8)


def check_layer_softmax_vjp(layer_softmax_vjp: Callable) -> Feedback:
    """Check ``layer_softmax_vjp(W, b, x, v)``: the VJPs of ``p = softmax(W x + b)``.

    Given ``v = dL/dp``, the chain of VJPs of Chapter 3 (Gradients and
    Jacobians) first takes ``g = v^T J_softmax = p * (v - v . p)``
    (``dL/dz``), then the linear layer's VJPs: ``dL/dW = g x^T``,
    ``dL/db = g`` and ``dL/dx = W^T g``. The reader returns the tuple
    ``(dW, db, dx)``; the expected values are central differences of
    ``v . softmax(W x + b)``. Leaving softmax's VJP out and ``W @ g`` for
    the input are named when recognised; a ``W`` that is not square shows a
    transposed product as a wrong shape.

    Parameters
    ----------
    layer_softmax_vjp : callable
        The reader's function ``layer_softmax_vjp(W, b, x, v)`` returning
        the tuple ``(dW, db, dx)``.

    Returns
    -------
    Feedback
        One case per layer; "not attempted yet" for the stub.

    See Also
    --------
    check_log_softmax_vjp : the VJP of log-softmax alone.
    utils.softmax.softmax_vjp : the VJP of softmax.

    Examples
    --------
    >>> def stub(W, b, x, v):
    ...     raise NotImplementedError
    >>> check_layer_softmax_vjp(stub).status
    'not attempted yet'
    >>> fb = check_layer_softmax_vjp(
    ...     lambda W, b, x, v: _layer_softmax_grads(W, b, x, v, skip_softmax=True))
    >>> fb.cases[0].hint[:60]
    'your result is what you get with v passed straight to the li'
    >>> check_layer_softmax_vjp(_layer_softmax_grads).passed
    True
    """
    cases = [
        _layer_case(
            "3 classes, 4 inputs",
            3,
            4,
            seed=20,
            hint="first dL/dz = p * (v - v . p) (softmax's VJP), then the layer's: "
            "(outer(g, x), g, W.T @ g)",
        ),
        _layer_case(
            "4 classes, 4 inputs (W square)",
            4,
            4,
            seed=21,
            hint="the input's VJP is W.T @ g (one entry per input); with a square W, "
            "W @ g has the right shape but the wrong values",
        ),
        _layer_case(
            "2 classes, 5 inputs",
            2,
            5,
            seed=22,
            hint="each gradient has the shape of its variable: dW (2, 5), db (2,), dx (5,)",
        ),
    ]
    return run_cases_naming_mistakes(EX_LAYER, layer_softmax_vjp, cases, _LAYER_MISTAKES)
