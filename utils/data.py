"""Small deterministic datasets, made in code (nothing is downloaded).

Every random dataset takes ``seed``: an integer (the same integer always gives
the same data, on every platform NumPy supports) or a
:class:`numpy.random.Generator` (whose state is advanced). All arrays are
float64, labels included, so that they can enter arithmetic such as
``y * score`` directly.

Labels are chosen with ``labels=``:

* ``"pm1"``: ``y in {-1.0, +1.0}``, for margin losses (hinge, perceptron,
  ``log(1 + exp(-y f(x)))``) where the sign of ``y * f(x)`` says "correct";
* ``"01"``: ``y in {0.0, 1.0}``, for the binary cross-entropy with a sigmoid.

``two_moons`` defaults to ``"pm1"`` (the margin losses of the classification
chapters); the truth tables of ``logic_gate`` default to ``"01"``.

Chapter 5 (Backprop engine) trains its neurons on the logic gates and its MLP
on the two moons; Chapter 4 (Gradient descent) fits the noisy line with
mini-batch SGD.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._validate import (
    check_choice,
    check_count,
    check_finite,
    check_nonnegative,
    check_seed,
)

__all__ = ["LABELS", "GATES", "MAX_SAMPLES", "two_moons", "noisy_line", "logic_gate"]

#: The largest ``n`` accepted: a million points is far beyond any cell of the book.
MAX_SAMPLES = 10**6

#: The label conventions understood by ``labels=``.
LABELS = ("pm1", "01")

#: The logic gates understood by :func:`logic_gate`, as truth tables on (a, b).
GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "xor": (0, 1, 1, 0),
    "nand": (1, 1, 1, 0),
}


def _labels(y01: np.ndarray, labels: str) -> np.ndarray:
    check_choice("labels", labels, LABELS)
    y = y01.astype(np.float64)
    return 2.0 * y - 1.0 if labels == "pm1" else y


def two_moons(
    n: int = 100, noise: float = 0.1, seed: Any = 0, labels: str = "pm1"
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: a classic non-linearly-separable 2-D dataset.

    The first class lies on the upper half of the unit circle centred at
    ``(0, 0)``; the second on the lower half of the unit circle centred at
    ``(1, 0.5)``. ``n // 2`` points go to the first class and ``n - n // 2``
    to the second, at evenly spaced angles; Gaussian noise of standard
    deviation ``noise`` is added to both coordinates, and the rows are
    shuffled.

    Parameters
    ----------
    n : int, default 100
        Number of points, ``2 <= n <=`` :data:`MAX_SAMPLES`.
    noise : float, default 0.1
        Standard deviation of the noise (>= 0; 0 puts every point exactly on
        its arc).
    seed : int or numpy.random.Generator, default 0
        An integer seeds a fresh generator (the same integer always gives the
        same data); a Generator is used and advanced. Anything else (a bool,
        a float, a negative integer) raises ``TypeError`` or ``ValueError``.
    labels : {"pm1", "01"}, default "pm1"
        First class ``-1`` / ``0``, second class ``+1`` / ``1``; anything else
        raises ``ValueError``.

    Returns
    -------
    X : numpy.ndarray, shape (n, 2)
        The points, float64, in shuffled order.
    y : numpy.ndarray, shape (n,)
        The class of each row of ``X``, float64, in the ``labels`` convention.

    See Also
    --------
    logic_gate : The smallest non-linearly-separable dataset (XOR).
    utils.nn.MLP : The model that Chapter 5 (Backprop engine) trains on it.

    Examples
    --------
    >>> X, y = two_moons(n=6, noise=0.0)
    >>> X.shape, sorted(y.tolist())
    ((6, 2), [-1.0, -1.0, -1.0, 1.0, 1.0, 1.0])
    >>> bool(np.allclose(np.hypot(*X[y < 0].T), 1.0))  # first class: the unit circle
    True
    >>> bool(np.allclose(np.hypot(X[y > 0, 0] - 1, X[y > 0, 1] - 0.5), 1.0))
    True
    >>> X2, y2 = two_moons(n=6, noise=0.0)
    >>> bool(np.array_equal(X, X2) and np.array_equal(y, y2))
    True
    """
    n = check_count("n", n, minimum=2, maximum=MAX_SAMPLES)
    noise = check_nonnegative("noise", noise)
    check_choice("labels", labels, LABELS)
    rng = check_seed("seed", seed)
    n_outer = n // 2
    n_inner = n - n_outer
    t_out = np.linspace(0.0, math.pi, n_outer)
    t_in = np.linspace(0.0, math.pi, n_inner)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)])
    X = np.vstack([outer, inner])
    y01 = np.concatenate([np.zeros(n_outer), np.ones(n_inner)])
    if noise > 0:
        with np.errstate(over="ignore", invalid="ignore"):
            X = X + rng.normal(scale=noise, size=X.shape)
        if not np.all(np.isfinite(X)):
            raise ValueError(
                f"noise = {noise:g} makes the points overflow float64; use a smaller noise"
            )
    order = rng.permutation(n)
    return X[order], _labels(y01[order], labels)


def noisy_line(
    n: int,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 0.3,
    seed: Any = 0,
    x_range: tuple[float, float] = (-1.0, 1.0),
) -> tuple[np.ndarray, np.ndarray]:
    """Points ``y = slope * x + intercept + noise * N(0, 1)`` for linear regression.

    Parameters
    ----------
    n : int
        Number of points, ``1 <= n <=`` :data:`MAX_SAMPLES`.
    slope, intercept : float
        The true line (finite; defaults 2.0 and 1.0).
    noise : float, default 0.3
        Standard deviation of the Gaussian noise on ``y`` (>= 0).
    seed : int or numpy.random.Generator, default 0
        An integer seeds a fresh generator (the same integer always gives the
        same data); a Generator is used and advanced. Anything else (a bool,
        a float, a negative integer) raises ``TypeError`` or ``ValueError``.
    x_range : (float, float), default (-1.0, 1.0)
        ``x`` is drawn uniformly from ``[low, high)``; finite, ``low < high``.

    Returns
    -------
    x : numpy.ndarray, shape (n,)
        The inputs, float64.
    y : numpy.ndarray, shape (n,)
        The noisy targets, float64. ``ValueError`` if they would overflow.

    See Also
    --------
    utils.descent.minibatch_sgd_linear_regression : Fits such data.
    two_moons : The classification dataset.

    Examples
    --------
    >>> x, y = noisy_line(5, noise=0.0)
    >>> x.shape, bool(np.allclose(y, 2 * x + 1))
    ((5,), True)
    >>> x, y = noisy_line(20000, slope=0.0, intercept=0.0, noise=0.3)
    >>> round(float(np.std(y)), 2)  # the noise level
    0.3
    """
    n = check_count("n", n, minimum=1, maximum=MAX_SAMPLES)
    slope = check_finite("slope", slope)
    intercept = check_finite("intercept", intercept)
    noise = check_nonnegative("noise", noise)
    try:
        low, high = x_range
    except (TypeError, ValueError) as exc:
        raise TypeError(f"x_range must be a pair (low, high), got {x_range!r}") from exc
    low, high = check_finite("x_range[0]", low), check_finite("x_range[1]", high)
    if not low < high:
        raise ValueError(f"x_range must have low < high, got {x_range!r}")
    rng = check_seed("seed", seed)
    with np.errstate(over="ignore", invalid="ignore"):
        x = rng.uniform(low, high, size=n)
        y = slope * x + intercept
        if noise > 0:
            y = y + rng.normal(scale=noise, size=n)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError(
            "slope * x + intercept + noise * N(0, 1) overflows float64 for "
            f"slope={slope:g}, intercept={intercept:g}, noise={noise:g}, x_range={x_range!r}; "
            "use smaller values"
        )
    return x, y


def logic_gate(name: str, labels: str = "01") -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input logic gate, as a 4-point dataset.

    Parameters
    ----------
    name : {"and", "or", "xor", "nand"}
        The gate (case-insensitive; a non-string raises ``TypeError``, an
        unknown gate ``ValueError``). XOR is the one no linear classifier can
        fit.
    labels : {"01", "pm1"}, default "01"
        ``False``/``True`` as ``0``/``1`` or as ``-1``/``+1``.

    Returns
    -------
    X : numpy.ndarray, shape (4, 2)
        The inputs ``(0, 0), (0, 1), (1, 0), (1, 1)``, in that order.
    y : numpy.ndarray, shape (4,)
        The gate's output for each row, float64, in the ``labels`` convention.

    See Also
    --------
    GATES : The truth tables.
    two_moons : A larger non-linearly-separable dataset.

    Examples
    --------
    >>> X, y = logic_gate("xor")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
    >>> logic_gate("AND", labels="pm1")[1].tolist()
    [-1.0, -1.0, -1.0, 1.0]
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    key = check_choice("name", name.lower(), tuple(GATES))
    check_choice("labels", labels, LABELS)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, _labels(np.array(GATES[key]), labels)
