"""Activation functions and their derivatives, computed stably in float64.

Chapter 1 (Derivatives) tabulates these activations and their derivatives and
explains GELU and SiLU; Chapter 6 (Vanishing and exploding gradients) shows what
the size of the derivatives does to the gradients of a deep network.

Every function accepts a Python or NumPy scalar or any array-like, and follows
one rule: **a scalar in gives a Python** ``float`` **out; an array-like in gives
a float64** ``numpy.ndarray`` **of the same shape out.** (A 0-d array counts as
a scalar.) Integer and float32 inputs are computed in float64. Non-real input
(strings, complex numbers, booleans) raises ``TypeError``; NaN or infinite
input raises ``ValueError``. Every function is stable for *any finite* input:
no overflow, no warning, no NaN, even at ``x = ±1e308``.

The derivative of ``name`` is ``d_name``; :data:`ACTIVATIONS` maps each name to
the pair ``(function, derivative)``.

NumPy has no error function, so the module carries its own vectorised
:func:`erf` and :func:`erfc` (W. J. Cody's rational Chebyshev approximations),
used by the exact :func:`gelu`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ._validate import check_count, check_finite

__all__ = [
    "erf",
    "erfc",
    "normal_cdf",
    "normal_pdf",
    "sigmoid",
    "d_sigmoid",
    "tanh",
    "d_tanh",
    "relu",
    "d_relu",
    "leaky_relu",
    "d_leaky_relu",
    "softplus",
    "d_softplus",
    "gelu",
    "d_gelu",
    "gelu_tanh",
    "d_gelu_tanh",
    "gelu_sigmoid",
    "d_gelu_sigmoid",
    "silu",
    "d_silu",
    "ACTIVATIONS",
    "ApproximationError",
    "gelu_approximation_error",
]

ArrayOrFloat = float | np.ndarray

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_TANH_C = math.sqrt(2.0 / math.pi)  # sqrt(2/pi) of the tanh approximation
_GELU_TANH_A = 0.044715  # cubic coefficient of the tanh approximation
_GELU_SIGMOID_K = 1.702  # slope of the sigmoid approximation
# Beyond |x| = _CLIP every activation and derivative here is exactly its
# asymptote in float64 (the neglected terms are below e**-800); clipping the
# inner arguments there keeps x**2, x**3 and 1.702 x from overflowing.
_CLIP = 1.0e3

#: The largest grid :func:`gelu_approximation_error` accepts (``n``).
MAX_GRID = 10**7


# ---------------------------------------------------------------------------
# input / output convention
# ---------------------------------------------------------------------------


def _prepare(x: Any, name: str = "x") -> tuple[np.ndarray, bool]:
    """``x`` as a float64 array and whether it was a scalar (-> return a float)."""
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number or array, got bool {x!r}")
    try:
        arr = np.asarray(x)
    except ValueError:  # a ragged nested list
        raise ValueError(
            f"{name} must be a rectangular array (a ragged list has rows of different lengths)"
        ) from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be a real number or array of real numbers, "
            f"got {type(x).__name__} with dtype {arr.dtype}"
        )
    arr = arr.astype(np.float64, copy=False)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must contain only finite values")
    return arr, arr.ndim == 0


def _elementwise(kernel: Callable[..., np.ndarray]) -> Callable[..., ArrayOrFloat]:
    """Turn ``kernel``, written for a float64 array ``x``, into a public activation.

    The public function validates ``x`` with :func:`_prepare`, calls
    ``kernel(x, *args)`` with underflow silenced (a tail such as
    ``exp(-1000)`` rounding to 0 is the intended result, not an accident),
    and returns a ``float`` for a scalar input, the array otherwise. The
    kernel's name, signature and docstring are those of the public function.
    """

    @functools.wraps(kernel)
    def public(x: Any, *args: Any, **kwargs: Any) -> ArrayOrFloat:
        arr, scalar = _prepare(x)
        with np.errstate(under="ignore"):
            y = kernel(arr, *args, **kwargs)
        return float(y) if scalar else y

    return public


# ---------------------------------------------------------------------------
# error function (W. J. Cody, 1969)
# ---------------------------------------------------------------------------
# Coefficients of the near-minimax rational approximations of
#   W. J. Cody, "Rational Chebyshev approximations for the error function",
#   Mathematics of Computation 23 (1969), 631-637,
# as tabulated in Cody's CALERF (netlib SPECFUN, revised 1990). They
# approximate erf / erfc to at least 18 significant digits, so float64
# rounding, not the approximation, limits the accuracy.

# erf(x) = x * A(x^2) / B(x^2) for |x| <= 0.46875
_A = (
    3.16112374387056560e00,
    1.13864154151050156e02,
    3.77485237685302021e02,
    3.20937758913846947e03,
    1.85777706184603153e-1,
)
_B = (
    2.36012909523441209e01,
    2.44024637934444173e02,
    1.28261652607737228e03,
    2.84423683343917062e03,
)
# erfc(y) = exp(-y^2) * C(y) / D(y) for 0.46875 < y <= 4
_C = (
    5.64188496988670089e-1,
    8.88314979438837594e00,
    6.61191906371416295e01,
    2.98635138197400131e02,
    8.81952221241769090e02,
    1.71204761263407058e03,
    2.05107837782607147e03,
    1.23033935479799725e03,
    2.15311535474403846e-8,
)
_D = (
    1.57449261107098347e01,
    1.17693950891312499e02,
    5.37181101862009858e02,
    1.62138957456669019e03,
    3.29079923573345963e03,
    4.36261909014324716e03,
    3.43936767414372164e03,
    1.23033935480374942e03,
)
# erfc(y) = exp(-y^2) / y * (1/sqrt(pi) - z P(z) / Q(z)), z = 1/y^2, for y > 4
_P = (
    3.05326634961232344e-1,
    3.60344899949804439e-1,
    1.25781726111229246e-1,
    1.60837851487422766e-2,
    6.58749161529837803e-4,
    1.63153871373020978e-2,
)
_Q = (
    2.56852019228982242e00,
    1.87295284992346047e00,
    5.27905102951428412e-1,
    6.05183413124413191e-2,
    2.33520497626869185e-3,
)
_INV_SQRT_PI = 0.56418958354775628695
_THRESH = 0.46875
_XBIG = 26.543  # erfc(y) underflows to 0 beyond this


def _erf_small(x: np.ndarray) -> np.ndarray:
    """erf(x) for |x| <= 0.46875 (Cody's first interval)."""
    z = x * x
    num = _A[4] * z
    den = z.copy()
    for i in range(3):
        num += _A[i]
        num *= z
        den += _B[i]
        den *= z
    return x * (num + _A[3]) / (den + _B[3])


def _exp_minus_square(y: np.ndarray) -> np.ndarray:
    """exp(-y^2) with y^2 split as ysq^2 + del, ysq = trunc(16 y)/16, to avoid
    the rounding error of forming y*y (Cody's device)."""
    ysq = np.trunc(y * 16.0) / 16.0
    delta = (y - ysq) * (y + ysq)
    return np.exp(-ysq * ysq) * np.exp(-delta)


def _erfc_large(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y > 0.46875 (Cody's second and third intervals)."""
    out = np.zeros_like(y)
    mid = y <= 4.0
    if mid.any():
        t = y[mid]
        num = _C[8] * t
        den = t.copy()
        for i in range(7):
            num += _C[i]
            num *= t
            den += _D[i]
            den *= t
        out[mid] = _exp_minus_square(t) * (num + _C[7]) / (den + _D[7])
    tail = ~mid & (y < _XBIG)
    if tail.any():
        t = y[tail]
        z = 1.0 / (t * t)
        num = _P[5] * z
        den = z.copy()
        for i in range(4):
            num += _P[i]
            num *= z
            den += _Q[i]
            den *= z
        r = z * (num + _P[4]) / (den + _Q[4])
        out[tail] = _exp_minus_square(t) * (_INV_SQRT_PI - r) / t
    return out


def _erf_array(x: np.ndarray) -> np.ndarray:
    ax = np.abs(x)
    small = ax <= _THRESH
    if small.all():
        return _erf_small(x)
    out = np.empty_like(x)
    out[small] = _erf_small(x[small])
    big = ~small
    c = _erfc_large(ax[big])
    out[big] = np.copysign((0.5 - c) + 0.5, x[big])
    return out


def _erfc_array(x: np.ndarray) -> np.ndarray:
    ax = np.abs(x)
    small = ax <= _THRESH
    out = np.empty_like(x)
    out[small] = 1.0 - _erf_small(x[small])
    big = ~small
    c = _erfc_large(ax[big])
    out[big] = np.where(x[big] < 0, 2.0 - c, c)
    return out


@_elementwise
def erf(x: Any) -> ArrayOrFloat:
    """The error function ``erf(x) = 2/sqrt(pi) * integral_0^x exp(-t**2) dt``, vectorised.

    Uses W. J. Cody's rational Chebyshev approximations (*Math. Comp.* 23,
    1969, pp. 631-637; coefficients of his CALERF, netlib SPECFUN) on the
    intervals ``|x| <= 0.46875``, ``<= 4`` and ``> 4``, with ``exp(-x**2)``
    evaluated in two pieces to avoid the rounding of ``x*x``. The absolute
    error against ``math.erf`` is below ``4e-16`` (a few ulp; the largest
    errors are just above ``|x| = 0.46875``, where ``erf = 1 - erfc``) over
    the whole real line.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    erfc : The complement ``1 - erf(x)``, accurate in the right tail.
    normal_cdf : The standard normal CDF, ``(1 + erf(x / sqrt 2)) / 2``.
    math.erf : The scalar error function of the standard library.

    Examples
    --------
    >>> abs(erf(0.5) - math.erf(0.5)) < 1e-16
    True
    >>> erf([-30.0, 0.0, 30.0])
    array([-1.,  0.,  1.])
    """
    return _erf_array(x)


@_elementwise
def erfc(x: Any) -> ArrayOrFloat:
    """The complementary error function ``erfc(x) = 1 - erf(x)``, accurate in the tail.

    ``1 - erf(x)`` would lose all relative accuracy for large ``x``
    (``erf(6) == 1.0`` in float64); this evaluates Cody's approximation of
    ``erfc`` directly, to within 2e-15 relative error wherever the result is
    a normal float (``x < 26.5``); beyond ``x = 26.543`` it underflows to 0.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    erf : The error function itself.
    normal_cdf : ``erfc(-x / sqrt 2) / 2``, accurate in both tails.

    Examples
    --------
    >>> f"{erfc(6.0):.6e}"
    '2.151974e-17'
    >>> erfc(0.0), erfc(30.0)
    (1.0, 0.0)
    """
    return _erfc_array(x)


def _phi_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * _erfc_array(-x / _SQRT2)


def _phi_pdf(x: np.ndarray) -> np.ndarray:
    xc = np.clip(x, -_CLIP, _CLIP)
    return _INV_SQRT_2PI * np.exp(-0.5 * xc * xc)


@_elementwise
def normal_cdf(x: Any) -> ArrayOrFloat:
    """Standard normal CDF ``Phi(x) = erfc(-x / sqrt(2)) / 2`` (accurate in both tails).

    Writing ``Phi`` through :func:`erfc` rather than ``(1 + erf(x / sqrt 2)) / 2``
    keeps full relative accuracy for very negative ``x``, where the latter
    cancels to 0.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    normal_pdf : Its derivative, the standard normal density.
    gelu : ``x * normal_cdf(x)``.
    erfc : The complementary error function it is computed from.

    Examples
    --------
    >>> round(normal_cdf(0.0), 12), round(normal_cdf(1.959963984540054), 6)
    (0.5, 0.975)
    >>> f"{normal_cdf(-10.0):.6e}"
    '7.619853e-24'
    """
    return _phi_cdf(x)


@_elementwise
def normal_pdf(x: Any) -> ArrayOrFloat:
    """Standard normal density ``phi(x) = exp(-x**2 / 2) / sqrt(2 pi)``.

    The argument is clipped to ``±1000`` before squaring, so ``x**2`` never
    overflows; the density there is exactly 0 in float64.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    normal_cdf : The standard normal CDF, whose derivative this is.
    d_gelu : ``normal_cdf(x) + x * normal_pdf(x)``.

    Examples
    --------
    >>> round(normal_pdf(0.0), 6)
    0.398942
    >>> math.isclose(normal_pdf(1.0), math.exp(-0.5) / math.sqrt(2 * math.pi))
    True
    """
    return _phi_pdf(x)


# ---------------------------------------------------------------------------
# sigmoid and tanh
# ---------------------------------------------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # two branches folded into one: with z = exp(-|x|) <= 1 (never overflows),
    # sigma(x) = 1/(1+z) for x >= 0 and z/(1+z) for x < 0.
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, z) / (1.0 + z)


def _d_sigmoid(x: np.ndarray) -> np.ndarray:
    # sigma'(x) = sigma(x) (1 - sigma(x)) = z / (1+z)^2 with z = exp(-|x|):
    # symmetric and accurate in both tails (1 - sigma(x) would round to 0).
    z = np.exp(-np.abs(x))
    return z / ((1.0 + z) * (1.0 + z))


@_elementwise
def sigmoid(x: Any) -> ArrayOrFloat:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, stable for any finite ``x``.

    The naive formula overflows ``exp(-x)`` for ``x < -709``. Here, with
    ``z = exp(-|x|)`` (always in ``(0, 1]``), ``sigma(x) = 1/(1+z)`` for
    ``x >= 0`` and ``z/(1+z)`` for ``x < 0``: the two-branch form, which never
    overflows and keeps full relative accuracy in the left tail.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    d_sigmoid : Its derivative.
    tanh : ``tanh(x) = 2 sigmoid(2x) - 1``.
    silu : ``x * sigmoid(x)``.

    Examples
    --------
    >>> sigmoid(0.0)
    0.5
    >>> sigmoid(np.array([-1000.0, 1000.0]))
    array([0., 1.])
    >>> f"{sigmoid(-40.0):.6e}"  # exp(-40) / (1 + exp(-40)), no cancellation
    '4.248354e-18'
    """
    return _sigmoid(x)


@_elementwise
def d_sigmoid(x: Any) -> ArrayOrFloat:
    """Derivative ``sigma(x) (1 - sigma(x))`` of :func:`sigmoid`; maximum 1/4 at 0.

    Computed as ``z / (1 + z)**2`` with ``z = exp(-|x|)``, which equals
    ``sigma (1 - sigma)`` and stays accurate in both tails. The bound 1/4 is why
    a deep stack of sigmoids shrinks gradients: see Chapter 6 (Vanishing and
    exploding gradients).

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    sigmoid : The function differentiated.
    d_tanh : The derivative of tanh, four times larger at 0.

    Examples
    --------
    >>> d_sigmoid(0.0)
    0.25
    >>> s = 1 / (1 + math.exp(-2.0))
    >>> math.isclose(d_sigmoid(2.0), s * (1 - s), rel_tol=1e-14)
    True
    """
    return _d_sigmoid(x)


@_elementwise
def tanh(x: Any) -> ArrayOrFloat:
    """Hyperbolic tangent (``np.tanh``, which is stable for any finite input).

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    d_tanh : Its derivative.
    sigmoid : ``tanh(x) = 2 sigmoid(2x) - 1``.

    Examples
    --------
    >>> tanh(0.0), tanh(1000.0)
    (0.0, 1.0)
    >>> math.isclose(tanh(0.5), 2 / (1 + math.exp(-1.0)) - 1, rel_tol=1e-15)
    True
    """
    return np.tanh(x)


def _d_tanh(x: np.ndarray) -> np.ndarray:
    # 1 - tanh^2 = sech^2 = 4z / (1+z)^2 with z = exp(-2|x|): no overflow
    # (cosh would), no cancellation (1 - tanh^2 rounds to 0 for |x| > 19).
    z = np.exp(-2.0 * np.abs(np.clip(x, -_CLIP, _CLIP)))
    return 4.0 * z / ((1.0 + z) * (1.0 + z))


@_elementwise
def d_tanh(x: Any) -> ArrayOrFloat:
    """Derivative ``1 - tanh(x)**2`` of :func:`tanh`.

    Computed as ``4z / (1 + z)**2`` with ``z = exp(-2|x|)``: no overflow (as
    ``cosh`` would), no cancellation (``1 - tanh**2`` rounds to 0 for
    ``|x| > 19``).

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    tanh : The function differentiated.
    d_sigmoid : The derivative of the sigmoid.

    Examples
    --------
    >>> d_tanh(0.0)
    1.0
    >>> math.isclose(d_tanh(0.5), 1 - math.tanh(0.5) ** 2, rel_tol=1e-14)
    True
    >>> f"{d_tanh(20.0):.4e}"  # 1 - tanh(20)**2 would round to 0
    '1.6993e-17'
    """
    return _d_tanh(x)


# ---------------------------------------------------------------------------
# ReLU family
# ---------------------------------------------------------------------------


@_elementwise
def relu(x: Any) -> ArrayOrFloat:
    """Rectified linear unit ``max(x, 0)``.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    d_relu : Its (sub)derivative.
    leaky_relu : The variant with a small slope for ``x < 0``.
    softplus : A smooth approximation of ReLU.

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    >>> relu(-1)
    0.0
    """
    return np.maximum(x, 0.0)


@_elementwise
def d_relu(x: Any) -> ArrayOrFloat:
    """(Sub)derivative of :func:`relu`: 1 for ``x > 0``, 0 for ``x <= 0``.

    ReLU has no derivative at its kink ``x = 0``; any slope in ``[0, 1]`` is a
    subgradient there. This function returns 0 at 0, as PyTorch does; Chapter 1
    (Derivatives) and Chapter 8 (Gradient checking) discuss kinks.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    relu : The function differentiated.
    d_leaky_relu : The derivative of leaky ReLU, ``alpha`` at the kink.

    Examples
    --------
    >>> d_relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 1.])
    """
    return (x > 0).astype(np.float64)


@_elementwise
def leaky_relu(x: Any, alpha: float = 0.01) -> ArrayOrFloat:
    """Leaky ReLU: ``x`` for ``x > 0``, ``alpha * x`` otherwise.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.
    alpha : float, default 0.01
        Slope for ``x <= 0`` (any finite float; usually small and positive).
        NaN or infinity raises ``ValueError``, a non-number ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    d_leaky_relu : Its (sub)derivative.
    relu : The case ``alpha = 0``.

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]), alpha=0.1)
    array([-0.2,  3. ])
    >>> leaky_relu(-2.0)
    -0.02
    """
    a = check_finite("alpha", alpha)
    return np.where(x > 0, x, a * x)


@_elementwise
def d_leaky_relu(x: Any, alpha: float = 0.01) -> ArrayOrFloat:
    """(Sub)derivative of :func:`leaky_relu`: 1 for ``x > 0``, ``alpha`` for ``x <= 0``.

    As for :func:`d_relu`, the value at the kink is a convention: for
    ``0 <= alpha <= 1`` any slope in ``[alpha, 1]`` is a subgradient at 0; this
    uses the left slope ``alpha``, consistent with ``d_relu(0) = 0``.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.
    alpha : float, default 0.01
        Slope for ``x <= 0`` (any finite float; usually small and positive).
        NaN or infinity raises ``ValueError``, a non-number ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    leaky_relu : The function differentiated.
    d_relu : The case ``alpha = 0``.

    Examples
    --------
    >>> d_leaky_relu(np.array([-2.0, 0.0, 3.0]), alpha=0.1)
    array([0.1, 0.1, 1. ])
    """
    a = check_finite("alpha", alpha)
    return np.where(x > 0, 1.0, a)


# ---------------------------------------------------------------------------
# softplus
# ---------------------------------------------------------------------------


@_elementwise
def softplus(x: Any) -> ArrayOrFloat:
    """Softplus ``log(1 + exp(x))``, computed as ``log1p(exp(-|x|)) + max(x, 0)``.

    The identity ``log(1 + e**x) = log(1 + e**-|x|) + max(x, 0)`` avoids the
    overflow of ``exp(x)`` for large ``x``, and ``log1p`` keeps full accuracy
    when ``exp(-|x|)`` is tiny.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    d_softplus : Its derivative, the sigmoid.
    relu : The kinked function softplus smooths.

    Examples
    --------
    >>> softplus(0.0)  # log 2
    0.6931471805599453
    >>> math.isclose(softplus(2.0), math.log(1 + math.exp(2.0)), rel_tol=1e-15)
    True
    >>> softplus(1000.0)
    1000.0
    """
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0.0)


@_elementwise
def d_softplus(x: Any) -> ArrayOrFloat:
    """Derivative of :func:`softplus`, which is :func:`sigmoid`.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    softplus : The function differentiated.
    sigmoid : The same function under its own name.

    Examples
    --------
    >>> d_softplus(0.0)
    0.5
    >>> d_softplus(2.0) == sigmoid(2.0)
    True
    """
    return _sigmoid(x)


# ---------------------------------------------------------------------------
# GELU and its two approximations
# ---------------------------------------------------------------------------


@_elementwise
def gelu(x: Any) -> ArrayOrFloat:
    """Exact GELU ``x * Phi(x)``, ``Phi`` the standard normal CDF (via :func:`erfc`).

    ``Phi(x) = erfc(-x / sqrt(2)) / 2``, which keeps full relative accuracy
    for negative ``x`` (where ``(1 + erf(x / sqrt 2)) / 2`` would cancel).
    Chapter 1 (Derivatives) explains GELU and its two approximations.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    d_gelu : Its derivative.
    gelu_tanh : The tanh approximation.
    gelu_sigmoid : The sigmoid approximation.
    gelu_approximation_error : How far the approximations are from it.

    Examples
    --------
    >>> gelu(0.0)
    0.0
    >>> gelu(2.0)  # 2 Phi(2)
    1.9544997361
    >>> math.isclose(gelu(2.0), 2.0 * 0.5 * (1 + math.erf(2.0 / math.sqrt(2))), rel_tol=1e-15)
    True
    """
    return x * _phi_cdf(x)


@_elementwise
def d_gelu(x: Any) -> ArrayOrFloat:
    """Derivative ``Phi(x) + x * phi(x)`` of :func:`gelu`, ``phi`` the standard normal density.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    gelu : The function differentiated.
    normal_cdf : ``Phi``.
    normal_pdf : ``phi``.

    Examples
    --------
    >>> d_gelu(0.0)
    0.5
    >>> h = 1e-5
    >>> math.isclose(d_gelu(1.0), (gelu(1 + h) - gelu(1 - h)) / (2 * h), rel_tol=1e-9)
    True
    """
    xc = np.clip(x, -_CLIP, _CLIP)
    return _phi_cdf(x) + xc * _phi_pdf(xc)


def _gelu_tanh_inner(xc: np.ndarray) -> np.ndarray:
    return _GELU_TANH_C * (xc + _GELU_TANH_A * xc * xc * xc)


@_elementwise
def gelu_tanh(x: Any) -> ArrayOrFloat:
    """The tanh approximation of GELU, ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3)))``.

    (Hendrycks & Gimpel, 2016; the ``approximate='tanh'`` GELU of PyTorch.)
    Computed through the identity ``(1 + tanh(u)) / 2 = sigmoid(2u)``, which
    keeps relative accuracy for negative ``x``; the cubic is formed from ``x``
    clipped to ``±1000``, beyond which the result is exactly ``x`` or ``0`` in
    float64.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    gelu : The exact GELU.
    d_gelu_tanh : Its derivative.
    gelu_sigmoid : The cheaper, less accurate approximation.

    Examples
    --------
    >>> gelu_tanh(0.0)
    0.0
    >>> u = math.sqrt(2 / math.pi) * (2.0 + 0.044715 * 2.0**3)
    >>> math.isclose(gelu_tanh(2.0), 2.0 * 0.5 * (1 + math.tanh(u)), rel_tol=1e-15)
    True
    """
    u = _gelu_tanh_inner(np.clip(x, -_CLIP, _CLIP))
    return x * _sigmoid(2.0 * u)


@_elementwise
def d_gelu_tanh(x: Any) -> ArrayOrFloat:
    """Derivative of :func:`gelu_tanh`.

    With ``u = sqrt(2/pi) (x + 0.044715 x**3)``:
    ``0.5 (1 + tanh u) + 0.5 x sech(u)**2 sqrt(2/pi) (1 + 3 * 0.044715 x**2)``.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    gelu_tanh : The function differentiated.
    d_gelu : The derivative of the exact GELU.

    Examples
    --------
    >>> d_gelu_tanh(0.0)
    0.5
    >>> h = 1e-5
    >>> central = (gelu_tanh(1 + h) - gelu_tanh(1 - h)) / (2 * h)
    >>> math.isclose(d_gelu_tanh(1.0), central, rel_tol=1e-9)
    True
    """
    xc = np.clip(x, -_CLIP, _CLIP)
    u = _gelu_tanh_inner(xc)
    du = _GELU_TANH_C * (1.0 + 3.0 * _GELU_TANH_A * xc * xc)
    return _sigmoid(2.0 * u) + 0.5 * xc * _d_tanh(u) * du


@_elementwise
def gelu_sigmoid(x: Any) -> ArrayOrFloat:
    """The sigmoid approximation of GELU, ``x * sigmoid(1.702 x)``.

    The argument of the sigmoid is formed from ``x`` clipped to ``±1000``, so it
    never overflows.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    gelu : The exact GELU.
    d_gelu_sigmoid : Its derivative.
    gelu_tanh : The more accurate tanh approximation.
    silu : The same form with slope 1 instead of 1.702.

    Examples
    --------
    >>> gelu_sigmoid(0.0)
    0.0
    >>> math.isclose(gelu_sigmoid(2.0), 2.0 / (1 + math.exp(-1.702 * 2.0)), rel_tol=1e-15)
    True
    """
    return x * _sigmoid(_GELU_SIGMOID_K * np.clip(x, -_CLIP, _CLIP))


@_elementwise
def d_gelu_sigmoid(x: Any) -> ArrayOrFloat:
    """Derivative ``sigmoid(1.702 x) + 1.702 x sigmoid'(1.702 x)`` of :func:`gelu_sigmoid`.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    gelu_sigmoid : The function differentiated.
    d_gelu : The derivative of the exact GELU.

    Examples
    --------
    >>> d_gelu_sigmoid(0.0)
    0.5
    >>> h = 1e-5
    >>> central = (gelu_sigmoid(1 + h) - gelu_sigmoid(1 - h)) / (2 * h)
    >>> math.isclose(d_gelu_sigmoid(1.0), central, rel_tol=1e-9)
    True
    """
    t = _GELU_SIGMOID_K * np.clip(x, -_CLIP, _CLIP)
    return _sigmoid(t) + t * _d_sigmoid(t)


# ---------------------------------------------------------------------------
# SiLU (Swish)
# ---------------------------------------------------------------------------


@_elementwise
def silu(x: Any) -> ArrayOrFloat:
    """SiLU (Swish with beta = 1), ``x * sigmoid(x)``; PyTorch's ``F.silu``.

    The gate of the SwiGLU feed-forward layers of current language models.
    Uses the stable :func:`sigmoid`, so it is exactly ``0`` far left and exactly
    ``x`` far right, with no overflow.

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    d_silu : Its derivative.
    sigmoid : The gate.
    gelu_sigmoid : The same form with slope 1.702.

    Examples
    --------
    >>> silu(0.0)
    0.0
    >>> silu(2.0)  # 2 sigmoid(2)
    1.7615941559
    >>> math.isclose(silu(2.0), 2.0 / (1 + math.exp(-2.0)), rel_tol=1e-15)
    True
    >>> silu(np.array([-1000.0, 1000.0]))
    array([  -0., 1000.])
    """
    return x * _sigmoid(x)


@_elementwise
def d_silu(x: Any) -> ArrayOrFloat:
    """Derivative ``sigmoid(x) + x sigmoid'(x)`` of :func:`silu`.

    Equal to ``sigmoid(x) (1 + x (1 - sigmoid(x)))``; it dips below zero for
    negative ``x`` (minimum about -0.0998 at ``x`` about -2.40) and exceeds 1
    for positive ``x`` (maximum about 1.0998 at ``x`` about 2.40).

    Parameters
    ----------
    x : float or array_like
        Finite real input (Python or NumPy scalar, or any array-like of reals).
        NaN or infinity raises ``ValueError``; strings, booleans and complex
        numbers raise ``TypeError``.

    Returns
    -------
    float or numpy.ndarray
        A ``float`` for a scalar input, a float64 array of the shape of ``x``
        otherwise.

    See Also
    --------
    silu : The function differentiated.
    d_sigmoid : The derivative of the gate.

    Examples
    --------
    >>> d_silu(0.0)
    0.5
    >>> s = 1 / (1 + math.exp(-2.0))
    >>> math.isclose(d_silu(2.0), s * (1 + 2.0 * (1 - s)), rel_tol=1e-14)
    True
    >>> round(d_silu(-2.3994), 4)
    -0.0998
    """
    xc = np.clip(x, -_CLIP, _CLIP)
    return _sigmoid(x) + xc * _d_sigmoid(xc)


#: Every activation by name, as the pair ``(function, derivative)``.
#: ``leaky_relu`` uses its default ``alpha = 0.01``.
ACTIVATIONS: dict[str, tuple[Callable[[Any], ArrayOrFloat], Callable[[Any], ArrayOrFloat]]] = {
    "sigmoid": (sigmoid, d_sigmoid),
    "tanh": (tanh, d_tanh),
    "relu": (relu, d_relu),
    "leaky_relu": (leaky_relu, d_leaky_relu),
    "softplus": (softplus, d_softplus),
    "gelu": (gelu, d_gelu),
    "gelu_tanh": (gelu_tanh, d_gelu_tanh),
    "gelu_sigmoid": (gelu_sigmoid, d_gelu_sigmoid),
    "silu": (silu, d_silu),
}


# ---------------------------------------------------------------------------
# how good are the GELU approximations?
# ---------------------------------------------------------------------------


class ApproximationError(NamedTuple):
    """Largest absolute error of an approximation and where it occurs.

    The result type of :func:`gelu_approximation_error` (a ``NamedTuple``).

    Attributes
    ----------
    max_abs_error : float
        The maximum of ``|approximation(x) - gelu(x)|`` over the interval.
    at : float
        ``|x|`` at which that maximum is reached (the errors are even in ``x``).

    See Also
    --------
    gelu_approximation_error : Computes one per approximation.

    Examples
    --------
    >>> err = ApproximationError(max_abs_error=1e-3, at=2.0)
    >>> err.at, err[0]
    (2.0, 0.001)
    """

    max_abs_error: float
    at: float  # |x| at which the maximum is reached


def gelu_approximation_error(
    lo: float = -10.0, hi: float = 10.0, n: int = 20001
) -> dict[str, ApproximationError]:
    """Maximum of ``|approximation - gelu|`` on ``[lo, hi]``, and where it is reached.

    The maximum is located on a uniform grid of ``n`` points, then refined on
    a grid 1000 times finer around the best grid point, so ``at`` is accurate
    to about ``(hi - lo) / (n - 1) / 1000``. Both errors are even functions of
    ``x`` (``e(-x) = e(x)``, because ``Phi(-x) = 1 - Phi(x)`` and
    ``sigmoid(-t) = 1 - sigmoid(t)``), so on a symmetric interval the maximum is
    attained at both ``±at``; ``at`` is reported as ``|x|`` of the point found.

    Parameters
    ----------
    lo, hi : float
        The interval (finite, ``lo < hi``, ``hi - lo`` finite); ``ValueError``
        otherwise.
    n : int, default 20001
        Grid size, ``3 <= n <=`` :data:`MAX_GRID`; ``ValueError`` outside, ``TypeError``
        for a non-integer.

    Returns
    -------
    dict of str to ApproximationError
        ``{"gelu_tanh": ApproximationError(max_abs_error, at),
        "gelu_sigmoid": ApproximationError(...)}``.

    See Also
    --------
    gelu : The exact GELU the approximations are compared with.
    gelu_tanh, gelu_sigmoid : The two approximations.

    Examples
    --------
    >>> errs = gelu_approximation_error()
    >>> f"{errs['gelu_tanh'].max_abs_error:.2e}", f"{errs['gelu_tanh'].at:.2f}"
    ('4.73e-04', '2.70')
    >>> f"{errs['gelu_sigmoid'].max_abs_error:.2e}", f"{errs['gelu_sigmoid'].at:.2f}"
    ('2.03e-02', '2.27')
    """
    lo = check_finite("lo", lo)
    hi = check_finite("hi", hi)
    if not lo < hi:
        raise ValueError(f"lo must be < hi, got lo={lo}, hi={hi}")
    if not math.isfinite(hi - lo):
        raise ValueError(f"hi - lo must fit in a float64, got lo={lo}, hi={hi}")
    n = check_count("n", n, minimum=3, maximum=MAX_GRID)
    xs = np.linspace(lo, hi, n)
    step = (hi - lo) / (n - 1)
    exact_fn = lambda t: t * _phi_cdf(t)  # noqa: E731
    result = {}
    for name, approx in (("gelu_tanh", gelu_tanh), ("gelu_sigmoid", gelu_sigmoid)):
        with np.errstate(under="ignore"):
            err = np.abs(approx(xs) - exact_fn(xs))
            x0 = xs[int(np.argmax(err))]
            fine = np.linspace(max(lo, x0 - step), min(hi, x0 + step), 2001)
            ferr = np.abs(approx(fine) - exact_fn(fine))
        k = int(np.argmax(ferr))
        result[name] = ApproximationError(float(ferr[k]), abs(float(fine[k])))
    return result
