"""The softmax function, its Jacobian and its vector-Jacobian product.

``softmax(z)_i = exp(z_i) / sum_k exp(z_k)`` turns a vector of scores into a
probability vector. Its Jacobian (Chapter 3 (Gradients and Jacobians),
"Three Jacobians every network uses") is

    J = diag(p) - p p^T,    p = softmax(z),

a symmetric ``n x n`` matrix whose rows sum to zero. Backpropagation never
needs ``J`` itself, only the vector-Jacobian product

    v^T J = p * (v - <v, p>)   (element-wise product),

which costs O(n) instead of the O(n^2) of forming ``J``.

Examples
--------
>>> import numpy as np
>>> p = softmax(np.array([0.0, np.log(3.0)]))     # exp: 1 and 3
>>> p.round(6)
array([0.25, 0.75])
>>> softmax_jacobian(np.array([0.0, np.log(3.0)])).round(6)   # p_i(d_ij - p_j)
array([[ 0.1875, -0.1875],
       [-0.1875,  0.1875]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import check_float64_array

__all__ = ["softmax", "softmax_jacobian", "softmax_vjp"]


def _vector(name: str, value: Any) -> np.ndarray:
    arr = check_float64_array(name, value)  # refuses NaN and infinities too
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    return arr


def softmax(z: Any) -> np.ndarray:
    """Softmax of a vector, computed without overflow.

    The maximum is subtracted first: ``softmax(z) = softmax(z - max z)``
    because the common factor ``exp(-max z)`` cancels, and then every
    exponent is at most 0.

    Parameters
    ----------
    z : array_like
        A 1-D float64 vector of finite scores.

    Returns
    -------
    numpy.ndarray
        Positive entries that sum to 1, same shape as ``z``.

    Raises
    ------
    TypeError
        If ``z`` is not an array of real numbers (or is float32/float16).
    ValueError
        If ``z`` is not a non-empty 1-D vector of finite numbers.

    See Also
    --------
    softmax_jacobian : Its Jacobian.
    softmax_vjp : Its vector-Jacobian product, without the Jacobian.

    Examples
    --------
    >>> softmax([1000.0, 1000.0]).tolist()      # no overflow
    [0.5, 0.5]
    >>> softmax([0.0, 1.0, 2.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    """
    z = _vector("z", z)
    # z - max z can overflow to -inf when the scores span more than the
    # float64 range; exp(-inf) = 0 is then the right answer, so no warning
    with np.errstate(over="ignore"):
        e = np.exp(z - z.max())
    return e / e.sum()


def softmax_jacobian(z: Any) -> np.ndarray:
    """Jacobian ``J[i, j] = d softmax(z)_i / d z_j = p_i (delta_ij - p_j)``.

    Parameters
    ----------
    z : array_like
        A 1-D float64 vector of finite scores, length ``n``.

    Returns
    -------
    numpy.ndarray
        The ``n x n`` matrix ``diag(p) - p p^T`` (numerator layout).

    See Also
    --------
    softmax : The function.
    softmax_vjp : The product ``v^T J`` in O(n), never forming ``J``.

    Examples
    --------
    >>> J = softmax_jacobian([0.0, 0.0, 0.0, 0.0])   # p = 1/4 everywhere
    >>> float(J[0, 0]), float(J[0, 1])              # 1/4 - 1/16, -1/16
    (0.1875, -0.0625)
    >>> np.allclose(J.sum(axis=1), 0.0)
    True
    """
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


def softmax_vjp(z: Any, v: Any) -> np.ndarray:
    """The vector-Jacobian product ``v^T J`` of softmax at ``z``, in O(n).

    Parameters
    ----------
    z : array_like
        A 1-D float64 vector of finite scores, length ``n``.
    v : array_like
        The incoming gradient ``dL/dp``, a float64 vector of length ``n``.

    Returns
    -------
    numpy.ndarray
        ``dL/dz = p * (v - v @ p)``, length ``n``.

    Raises
    ------
    ValueError
        If ``v`` and ``z`` have different shapes.

    See Also
    --------
    softmax_jacobian : The full ``n x n`` Jacobian, for checking.
    softmax : The function.

    Examples
    --------
    >>> softmax_vjp([0.0, 0.0], [1.0, 0.0]).tolist()   # p=(1/2,1/2)
    [0.25, -0.25]
    """
    p = softmax(z)
    v = _vector("v", v)
    if v.shape != p.shape:
        raise ValueError(f"v must have the shape of z, {p.shape}, got {v.shape}")
    return p * (v - v @ p)
