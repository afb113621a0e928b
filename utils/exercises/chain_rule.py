"""Checkers for the code exercises of Chapter 2 (Chain rule and computational graphs).

Both exercises are backward passes of the chapter's one-layer network
``L = mean((act(W x + b) - y)**2)``; the expected gradients are central
differences of the loss (:func:`utils.numdiff.numerical_gradient`), computed
independently of any backward pass.

* :func:`check_tanh_backward`: the backward pass with ``tanh`` in place of
  the sigmoid, for one example.
* :func:`check_batch_backward`: the sigmoid network's weight and bias
  gradients for a batch of examples stacked as rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import activations, numdiff
from ._mistakes import Mistake, run_cases_naming_mistakes
from .feedback import Case, Feedback

__all__ = ["check_tanh_backward", "check_batch_backward"]

EX_TANH = "ex-tanh-backward"
EX_BATCH = "ex-batch-backward"
#: central differences of these small losses are accurate to about 1e-10
_RTOL, _ATOL = 1e-6, 1e-8


def _tanh_grads(W, x, a, r, local, scale=2.0, transpose=False):
    """The tanh network's gradients with a given local derivative (for the mistakes)."""
    delta = scale * r / r.size * local(a)
    return np.outer(delta, x), delta, (W if transpose else W.T) @ delta


_TANH_MISTAKES = [
    Mistake(
        "the sigmoid's derivative a(1 - a) in place of tanh' = 1 - a^2",
        lambda W, x, a, r: _tanh_grads(W, x, a, r, lambda a: a * (1 - a)),
    ),
    Mistake(
        "no factor 1/m (a sum of squares, not their mean)",
        lambda W, x, a, r: _tanh_grads(W, x, a, r, lambda a: r.size * (1 - a**2)),
    ),
    Mistake(
        "no factor 2 from the square",
        lambda W, x, a, r: _tanh_grads(W, x, a, r, lambda a: 1 - a**2, scale=1.0),
    ),
    Mistake(
        "W @ delta in place of W.T @ delta for dx",
        lambda W, x, a, r: _tanh_grads(W, x, a, r, lambda a: 1 - a**2, transpose=True),
    ),
    Mistake(
        "np.outer(x, delta), the transpose of dW (dW is np.outer(delta, x), shaped like W)",
        lambda W, x, a, r: (
            _tanh_grads(W, x, a, r, lambda a: 1 - a**2)[0].T,
            *_tanh_grads(W, x, a, r, lambda a: 1 - a**2)[1:],
        ),
    ),
]


def _tanh_case(name: str, m: int, n: int, seed: int, hint: str, scale: float = 1.0) -> Case:
    """A one-example case: the cached (W, x, a, r) and the numerical gradients."""
    rng = np.random.default_rng(seed)
    W = scale * rng.normal(size=(m, n))
    b = rng.normal(size=m)
    x = rng.normal(size=n)
    y = rng.uniform(-1.0, 1.0, size=m)

    def loss(W_, b_, x_):
        return float(np.mean((np.tanh(W_ @ x_ + b_) - y) ** 2))

    a = np.tanh(W @ x + b)
    expected = (
        numdiff.numerical_gradient(lambda W_: loss(W_, b, x), W),
        numdiff.numerical_gradient(lambda b_: loss(W, b_, x), b),
        numdiff.numerical_gradient(lambda x_: loss(W, b, x_), x),
    )
    return Case(name, (W, x, a, a - y), expected, hint=hint, rtol=_RTOL, atol=_ATOL)


def check_tanh_backward(backward_tanh: Callable) -> Feedback:
    """Check ``backward_tanh(W, x, a, r)``: the gradients of the tanh network for one example.

    The network is that of Chapter 2 (Chain rule and computational graphs)
    with ``a = tanh(W x + b)``, ``r = a - y`` and ``L = mean(r**2)``; the
    reader returns ``(dL/dW, dL/db, dL/dx)``, shaped like ``W``, ``b`` and
    ``x``. The cases use a non-square ``W`` (so a transposed product shows
    as a wrong shape) and more than one output (so a missing ``1/m``
    shows). The sigmoid's derivative ``a (1 - a)`` in place of
    ``1 - a**2`` fails every case.

    Parameters
    ----------
    backward_tanh : callable
        The reader's function ``backward_tanh(W, x, a, r)`` returning the
        tuple ``(dW, db, dx)``.

    Returns
    -------
    Feedback
        One case per network; "not attempted yet" for the stub.

    See Also
    --------
    utils.numdiff.numerical_gradient : where the expected gradients come from.

    Examples
    --------
    >>> def stub(W, x, a, r):
    ...     raise NotImplementedError
    >>> check_tanh_backward(stub).status
    'not attempted yet'
    >>> def sigmoid_rule(W, x, a, r):  # the sigmoid's local derivative: wrong here
    ...     delta = 2 * r / r.size * a * (1 - a)
    ...     return np.outer(delta, x), delta, W.T @ delta
    >>> fb = check_tanh_backward(sigmoid_rule)
    >>> fb.status, fb.cases[0].passed
    ('failed', False)
    >>> def right(W, x, a, r):
    ...     delta = 2 * r / r.size * (1 - a**2)
    ...     return np.outer(delta, x), delta, W.T @ delta
    >>> check_tanh_backward(right).passed
    True
    """
    cases = [
        _tanh_case(
            "2 outputs, 3 inputs",
            2,
            3,
            seed=0,
            hint="only the activation's local derivative changes: "
            "tanh'(z) = 1 - tanh(z)^2 = 1 - a^2 (the sigmoid's was a(1 - a)), "
            "so delta = (2/m) r (1 - a^2)",
        ),
        _tanh_case(
            "3 outputs, 2 inputs (W is not square)",
            3,
            2,
            seed=1,
            hint="each gradient has the shape of its variable: dW = "
            "np.outer(delta, x) is (m, n) like W, dx = W.T @ delta is (n,) "
            "like x",
        ),
        _tanh_case(
            "4 outputs, 4 inputs",
            4,
            4,
            seed=2,
            hint="the loss is a mean over the m outputs: delta carries the "
            "factor 2/m (here 2/4); with a square W, W @ delta has the right "
            "shape but the wrong values (use W.T @ delta)",
        ),
        _tanh_case(
            "2 outputs, 3 inputs, saturated units (large weights)",
            2,
            3,
            seed=3,
            scale=4.0,
            hint="near a = +-1 the factor 1 - a^2 is close to 0, so the "
            "gradients must be small: take tanh' from the cached activation "
            "a (1 - a**2), not from the residual r",
        ),
    ]
    return run_cases_naming_mistakes(EX_TANH, backward_tanh, cases, _TANH_MISTAKES)


def _batch_grads(W, b, X, Y, factor=1.0, bias=np.sum):
    """The batch gradients, scaled by ``factor`` and with ``bias`` over the rows (mistakes)."""
    A = activations.sigmoid(X @ W.T + b)
    D = factor * 2.0 / Y.size * (A - Y) * A * (1.0 - A)
    return D.T @ X, bias(D, axis=0)


_BATCH_MISTAKES = [
    Mistake(
        "the bias gradient averaged over the examples (divided by B a second time)",
        lambda W, b, X, Y: _batch_grads(W, b, X, Y, bias=np.mean),
    ),
    Mistake(
        "the factor 2/m in place of 2/(B m) (the mean over the outputs only)",
        lambda W, b, X, Y: _batch_grads(W, b, X, Y, factor=len(X)),
    ),
    Mistake(
        "the bias gradient left as the matrix Delta, not summed over its rows",
        lambda W, b, X, Y: (_batch_grads(W, b, X, Y)[0], _batch_grads(W, b, X, Y, bias=_rows)[1]),
    ),
]


def _rows(D, axis=0):
    return D


def _batch_case(name: str, B: int, m: int, n: int, seed: int, hint: str) -> Case:
    """A batch case: (W, b, X, Y) and the numerical gradients for W and b."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(m, n))
    b = rng.normal(size=m)
    X = rng.normal(size=(B, n))
    Y = rng.uniform(size=(B, m))

    def loss(W_, b_):
        return float(np.mean((activations.sigmoid(X @ W_.T + b_) - Y) ** 2))

    expected = (
        numdiff.numerical_gradient(lambda W_: loss(W_, b), W),
        numdiff.numerical_gradient(lambda b_: loss(W, b_), b),
    )
    return Case(name, (W, b, X, Y), expected, hint=hint, rtol=_RTOL, atol=_ATOL)


def check_batch_backward(batch_backward: Callable) -> Feedback:
    """Check ``batch_backward(W, b, X, Y)``: the weight and bias gradients for a batch.

    The batch network of Chapter 2 (Chain rule and computational graphs):
    the ``B`` examples are the rows of ``X`` (``(B, n)``) and ``Y``
    (``(B, m)``), ``Z = X W^T + b``, ``A = sigmoid(Z)`` and ``L`` is the
    mean of ``(A - Y)**2`` over all ``B m`` entries. The reader returns
    ``(dL/dW, dL/db)``, shaped ``(m, n)`` and ``(m,)``. A bias gradient
    left as the ``(B, m)`` matrix ``Delta`` (not summed over the examples),
    a mean over the examples on top of the ``1/(B m)``, or a factor ``2/m``
    instead of ``2/(B m)`` each fail a named case.

    Parameters
    ----------
    batch_backward : callable
        The reader's function ``batch_backward(W, b, X, Y)`` returning the
        tuple ``(dW, db)``.

    Returns
    -------
    Feedback
        One case per batch; "not attempted yet" for the stub.

    See Also
    --------
    check_tanh_backward : the one-example backward pass.
    utils.numdiff.numerical_gradient : where the expected gradients come from.

    Examples
    --------
    >>> def stub(W, b, X, Y):
    ...     raise NotImplementedError
    >>> check_batch_backward(stub).status
    'not attempted yet'
    >>> def unsummed_bias(W, b, X, Y):
    ...     A = 1 / (1 + np.exp(-(X @ W.T + b)))
    ...     D = 2 / Y.size * (A - Y) * A * (1 - A)
    ...     return D.T @ X, D  # the bias gradient is not summed over the rows
    >>> print(check_batch_backward(unsummed_bias).cases[0].detail)
    item 1: expected an array of shape (2,), got shape (5, 2)
    """
    cases = [
        _batch_case(
            "B = 5 examples, 2 outputs, 3 inputs",
            5,
            2,
            3,
            seed=10,
            hint="b reaches L through every row of Z: db is the sum over the "
            "rows of Delta (shape (m,)), and dW = Delta.T @ X (shape (m, n))",
        ),
        _batch_case(
            "B = 1 example (the single-example formulas)",
            1,
            3,
            2,
            seed=11,
            hint="with one example dW = outer(delta, x) and db = delta, as in "
            "the chapter; check the factor 2/(B m) and the transposes",
        ),
        _batch_case(
            "B = 8 examples, 3 outputs, 2 inputs",
            8,
            3,
            2,
            seed=12,
            hint="the mean runs over all B m entries, so Delta has the factor "
            "2/(B m) once: no further division by B when summing over rows",
        ),
    ]
    return run_cases_naming_mistakes(EX_BATCH, batch_backward, cases, _BATCH_MISTAKES)
