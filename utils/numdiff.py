"""Numerical derivatives by finite differences.

Chapter 1 (Derivatives) builds the derivative from its definition and then
meets the two
enemies of every finite difference: **truncation** (the Taylor terms we drop,
which shrink with ``h``) and **round-off** (float64 stores ``f`` with relative
error about ``eps = 2.2e-16``, and dividing a difference of nearly equal
numbers by a small ``h`` magnifies it). This module provides

* :func:`forward_difference`, :func:`backward_difference`,
  :func:`central_difference` and :func:`derivative` for a scalar function of a
  scalar;
* :func:`optimal_step`, the step that balances the two errors (the default
  ``h`` everywhere);
* :func:`step_errors`, the error of an estimate for many steps at once (the
  chapter-1 error-versus-``h`` plot);
* :func:`numerical_gradient` and :func:`numerical_jacobian` for functions of
  arrays of any shape (the reference that :mod:`utils.gradcheck` compares
  analytic gradients with);
* :func:`central_pairs`, the perturb-evaluate-restore loop behind both and
  behind :func:`utils.gradcheck.gradcheck`.

Chapter 3 (Gradients and Jacobians) uses the Jacobians, and Chapter 8
(Gradient checking) the gradients, as references for analytic derivatives.

Two conventions hold throughout.

**Exactly representable steps.** ``x + h`` is rounded to the nearest float64,
so the point actually evaluated is generally not ``x + h``. Every function
here therefore replaces ``h`` by ``h_eff = (x + h) - x``. For ``h <= |x|``
this subtraction is exact (Sterbenz's lemma: ``x + h`` and ``x`` are within a
factor of 2), so ``x + h_eff`` is exactly the float ``x + h`` rounded to, and
``h_eff`` is exactly the distance between the two points evaluated. Dividing
by ``h_eff`` rather than by ``h`` removes an error of relative size up to
``eps * |x| / h`` for free (``1e-8`` for a forward difference at ``|x| ~ 1``).
If ``x + h`` rounds back to ``x`` (``h`` below half the float spacing at
``x``), a ``ValueError`` says so.

**Loud failures.** ``f`` must be callable and return a finite real number (an
array for :func:`numerical_jacobian`); a NaN or an infinity raises a
``ValueError`` naming ``f`` and the point, instead of a warning followed by a
meaningless estimate. NumPy floating-point warnings raised inside ``f`` are
silenced for that reason: every non-finite result is reported as an error.
A step ``h`` so large that ``(x + h) - (x - h)`` overflows is a ``ValueError``
naming ``h``; an estimate that overflows float64 although every value of
``f`` is finite (``f`` changes by more than 1.8e308 over the step) is an
``OverflowError``, never an ``inf``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from ._validate import (
    callable_name,
    check_bool,
    check_callable,
    check_choice,
    check_finite,
    check_float64_array,
    check_positive,
    check_scalar_result,
)

__all__ = [
    "SCHEMES",
    "forward_difference",
    "backward_difference",
    "central_difference",
    "derivative",
    "optimal_step",
    "step_errors",
    "numerical_gradient",
    "numerical_jacobian",
    "central_pairs",
    "complex_step",
]

#: The finite-difference schemes understood by :func:`derivative`,
#: :func:`optimal_step` and :func:`step_errors`.
SCHEMES = ("forward", "backward", "central")

_EPS = float(np.finfo(np.float64).eps)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _scalar_point(name: str, x: Any) -> float:
    """Validate a scalar point: a finite real number, float32/float16 refused."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if isinstance(x, np.floating) and x.dtype != np.float64:
        check_float64_array(name, np.asarray(x))  # raises the standard float32 message
    return check_finite(name, x)


def _check_step(h: Any) -> float | None:
    return None if h is None else check_positive("h", h)


def _effective_step(x: float, h: float, scheme: str, where: str | None = None) -> float:
    """The exactly representable step actually taken from ``x`` (``where`` names it in messages)."""
    h_eff = x - (x - h) if scheme == "backward" else (x + h) - x
    where = f"x = {x!r}" if where is None else where
    if not math.isfinite(h_eff):
        raise ValueError(f"h = {h!r} is too large at {where}: x + h overflows float64")
    if scheme == "central" and not math.isfinite((x + h_eff) - (x - h_eff)):
        raise ValueError(f"h = {h!r} is too large at {where}: (x + h) - (x - h) overflows float64")
    if h_eff == 0.0:
        raise ValueError(
            f"h = {h!r} is too small at {where}: x {'-' if scheme == 'backward' else '+'} h "
            f"rounds back to x (float64 spacing near x is {float(np.spacing(abs(x))):.3g}); "
            f"use h >= {float(np.spacing(abs(x))):.3g}"
        )
    return h_eff


def _scalar_setup(f: Any, x: Any, h: Any, scheme: str) -> tuple[float, float]:
    """Check ``f``, ``x`` and ``h`` of a scalar scheme; return ``x`` and the step actually taken."""
    check_callable("f", f)
    x = _scalar_point("x", x)
    h = _check_step(h)
    if h is None:
        h = optimal_step(scheme, x)
    return x, _effective_step(x, h, scheme)


def _call_scalar(f: Callable, x: Any, fname: str, where: str) -> float:
    """Evaluate ``f(x)`` and insist on a finite real scalar (``where``: ``"at x = 1.0"``)."""
    with np.errstate(all="ignore"):
        y = f(x)
    return check_scalar_result(f"f ({fname})", y, where)


def _finite_estimate(estimate: Any, what: str) -> Any:
    """Return ``estimate``; raise ``OverflowError`` if a difference quotient overflowed."""
    if not np.all(np.isfinite(estimate)):
        raise OverflowError(
            f"{what}: the difference quotient overflows float64 (f changes by more than "
            "float64 can hold over the step); the estimate would be inf"
        )
    return estimate


def _fmt_point(x: Any) -> str:
    """``"at x = 1.0"``, or ``"at x = [...]"`` for an array: the point, for error messages."""
    if np.ndim(x) == 0:
        return f"at x = {float(x)!r}"
    return "at x = " + np.array2string(np.asarray(x), precision=6, threshold=12, separator=", ")


# ---------------------------------------------------------------------------
# step size
# ---------------------------------------------------------------------------


def optimal_step(scheme: str = "central", x: float = 1.0) -> float:
    r"""The step ``h`` that balances truncation and round-off error in float64.

    Parameters
    ----------
    scheme : {"forward", "backward", "central"}
        The finite-difference scheme; anything else raises ``ValueError``.
    x : float, default 1.0
        The point of differentiation (finite); the step scales with
        ``max(1, |x|)``.

    Returns
    -------
    float
        ``sqrt(eps) * max(1, |x|)`` (about ``1.49e-8``) for the one-sided
        schemes and ``cbrt(eps) * max(1, |x|)`` (about ``6.06e-6``) for the
        central scheme, where ``eps = 2**-52`` is the float64 machine epsilon.

    See Also
    --------
    step_errors : The measured error for many steps, to see the balance.
    derivative : Uses this step by default.

    Notes
    -----
    Minimising truncation plus round-off error over ``h`` gives
    ``h* ~ sqrt(eps)`` for a one-sided and ``h* ~ cbrt(eps)`` for the central
    difference when ``|f|``, ``|f''|`` and ``|f'''|`` are of the same size,
    as Chapter 1 (Derivatives) derives; the errors are then about
    ``1e-8`` and ``1e-11`` relative to the scale of ``f``. Because the spacing
    of floats near ``x`` grows like ``eps |x|``, the step is scaled by
    ``max(1, |x|)``: a relative step far from zero, an absolute one near it.

    Examples
    --------
    >>> f"{optimal_step('forward'):.3g}", f"{optimal_step('central'):.3g}"
    ('1.49e-08', '6.06e-06')
    >>> f"{optimal_step('central', x=-1000.0):.3g}"
    '0.00606'
    """
    check_choice("scheme", scheme, SCHEMES)
    scale = max(1.0, abs(_scalar_point("x", x)))
    if scheme == "central":
        return float(np.cbrt(_EPS)) * scale
    return math.sqrt(_EPS) * scale


# ---------------------------------------------------------------------------
# scalar derivatives
# ---------------------------------------------------------------------------


def forward_difference(f: Callable[[float], float], x: float, h: float | None = None) -> float:
    r"""Forward-difference estimate ``(f(x + h) - f(x)) / h`` of ``f'(x)``; error O(h).

    The truncation error is ``h/2 f''(xi)`` for some ``xi`` in ``(x, x + h)``:
    first order, halve ``h`` and it halves (by Taylor's theorem); see
    Chapter 1 (Derivatives).

    Parameters
    ----------
    f : callable
        A real function of one real variable, returning a finite float.
    x : float
        The point (finite; float32 refused).
    h : float, optional
        The step (positive, finite); default ``optimal_step("forward", x)``.
        The step actually used is ``(x + h) - x`` (see the module docstring).

    Returns
    -------
    float
        The estimate of ``f'(x)``.

    Raises
    ------
    ValueError
        If ``f`` returns a non-finite value or the step rounds away at ``x``.
    OverflowError
        If the estimate overflows float64.

    See Also
    --------
    backward_difference : The other one-sided scheme.
    central_difference : The second-order scheme.
    derivative : Any scheme by name.

    Examples
    --------
    >>> round(forward_difference(lambda t: t**2, 3.0, h=0.5), 6)  # 2*3 + h
    6.5
    >>> round(forward_difference(math.exp, 0.0), 7)
    1.0
    """
    x, h_eff = _scalar_setup(f, x, h, "forward")
    name = callable_name(f)
    f1 = _call_scalar(f, x + h_eff, name, _fmt_point(x + h_eff))
    f0 = _call_scalar(f, x, name, _fmt_point(x))
    return _finite_estimate((f1 - f0) / h_eff, "forward_difference")


def backward_difference(f: Callable[[float], float], x: float, h: float | None = None) -> float:
    r"""Backward-difference estimate ``(f(x) - f(x - h)) / h`` of ``f'(x)``; error O(h).

    The truncation error is ``-h/2 f''(xi)``: first order, with the opposite
    sign of the forward error to leading order; see Chapter 1 (Derivatives).

    Parameters
    ----------
    f : callable
        A real function of one real variable, returning a finite float.
    x : float
        The point (finite; float32 refused).
    h : float, optional
        The step (positive, finite); default ``optimal_step("backward", x)``.
        The step actually used is ``x - (x - h)``.

    Returns
    -------
    float
        The estimate of ``f'(x)``.

    Raises
    ------
    ValueError
        If ``f`` returns a non-finite value or the step rounds away at ``x``.
    OverflowError
        If the estimate overflows float64.

    See Also
    --------
    forward_difference : The mirror-image scheme.
    central_difference : The average of the two one-sided estimates.
    derivative : Any scheme by name.

    Examples
    --------
    >>> round(backward_difference(lambda t: t**2, 3.0, h=0.5), 6)  # 2*3 - h
    5.5
    """
    x, h_eff = _scalar_setup(f, x, h, "backward")
    name = callable_name(f)
    f0 = _call_scalar(f, x, name, _fmt_point(x))
    f1 = _call_scalar(f, x - h_eff, name, _fmt_point(x - h_eff))
    return _finite_estimate((f0 - f1) / h_eff, "backward_difference")


def central_difference(f: Callable[[float], float], x: float, h: float | None = None) -> float:
    r"""Central-difference estimate ``(f(x + h) - f(x - h)) / (2h)`` of ``f'(x)``; error O(h²).

    The truncation error is ``h**2/6 f'''(xi)``: second order, halve ``h`` and
    it drops four-fold, and the estimate is exact for quadratics; see
    Chapter 1 (Derivatives).

    Parameters
    ----------
    f : callable
        A real function of one real variable, returning a finite float.
    x : float
        The point (finite; float32 refused).
    h : float, optional
        The step (positive, finite); default ``optimal_step("central", x)``.
        The points used are ``x ± h_eff`` with ``h_eff = (x + h) - x``, and
        the difference is divided by their computed distance.

    Returns
    -------
    float
        The estimate of ``f'(x)``.

    Raises
    ------
    ValueError
        If ``f`` returns a non-finite value or the step rounds away at ``x``.
    OverflowError
        If the estimate overflows float64.

    See Also
    --------
    forward_difference, backward_difference : The first-order schemes.
    numerical_gradient : The same scheme for every entry of an array.
    derivative : Any scheme by name.

    Examples
    --------
    >>> round(central_difference(lambda t: t**2, 3.0, h=0.5), 12)  # exact for quadratics
    6.0
    >>> round(central_difference(math.sin, 0.0), 10)
    1.0
    """
    x, h_eff = _scalar_setup(f, x, h, "central")
    xp, xm = x + h_eff, x - h_eff
    name = callable_name(f)
    fp = _call_scalar(f, xp, name, _fmt_point(xp))
    fm = _call_scalar(f, xm, name, _fmt_point(xm))
    return _finite_estimate((fp - fm) / (xp - xm), "central_difference")


_SCALAR_SCHEMES = {
    "forward": forward_difference,
    "backward": backward_difference,
    "central": central_difference,
}


def derivative(
    f: Callable[[float], float], x: float, scheme: str = "central", h: float | None = None
) -> float:
    """Estimate ``f'(x)`` with the chosen finite-difference scheme.

    Parameters
    ----------
    f : callable
        A real function of one real variable, returning a finite float.
    x : float
        The point (finite; float32 refused).
    scheme : {"central", "forward", "backward"}
        Central is O(h²), the one-sided schemes O(h); anything else raises
        ``ValueError``.
    h : float, optional
        The step (positive, finite); default ``optimal_step(scheme, x)``.

    Returns
    -------
    float
        The estimate of ``f'(x)``, exactly that of the scheme's own function.

    See Also
    --------
    forward_difference, backward_difference, central_difference : The schemes.
    optimal_step : The default step.

    Examples
    --------
    >>> round(derivative(lambda t: t**3, 2.0), 8)  # 3 * 2**2
    12.0
    >>> round(derivative(lambda t: t**3, 2.0, scheme="forward", h=1e-3), 4)
    12.006
    """
    check_choice("scheme", scheme, SCHEMES)
    return _SCALAR_SCHEMES[scheme](f, x, h)


# ---------------------------------------------------------------------------
# error versus step
# ---------------------------------------------------------------------------


def _eval_many(f: Callable, points: np.ndarray, fname: str) -> np.ndarray:
    """``f`` at every point, in one vectorised call when ``f`` accepts arrays."""
    try:
        with np.errstate(all="ignore"):
            vals = f(points)
        arr = np.asarray(vals)
        vectorised = arr.shape == points.shape and arr.dtype.kind in "iuf"
    except Exception:  # f does not take arrays (math.sin, if-statements, ...)
        vectorised = False
    if vectorised:
        arr = arr.astype(np.float64, copy=False)
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"f ({fname}) returned {arr.flat[i]} {_fmt_point(points.flat[i])}; "
                f"it must be finite there"
            )
        return arr
    return np.array(
        [_call_scalar(f, float(p), fname, _fmt_point(p)) for p in points], dtype=np.float64
    )


def step_errors(
    f: Callable[[float], float],
    dfdx: float | Callable[[float], float],
    x: float,
    hs: Sequence[float] | np.ndarray,
    scheme: str = "central",
) -> np.ndarray:
    """Absolute error ``|estimate(h) - f'(x)|`` of a finite difference, for each step in ``hs``.

    The estimates are exactly those of :func:`derivative` (same effective
    steps), computed with one call of ``f`` on an array of points when ``f``
    accepts arrays, and point by point otherwise. No warnings are emitted.

    Parameters
    ----------
    f : callable
        A real function of one real variable.
    dfdx : float or callable
        The exact derivative: its value at ``x``, or a function evaluated at ``x``.
    x : float
        The point.
    hs : array_like
        Positive finite steps (any 1-D sequence, e.g. ``np.logspace(-15, -1, 50)``).
        Each must exceed half the float spacing at ``x`` (``np.spacing(x)``),
        or a ``ValueError`` names the first that does not.
    scheme : {"central", "forward", "backward"}
        The finite-difference scheme; anything else raises ``ValueError``.

    Returns
    -------
    numpy.ndarray
        Float64 array of the same shape as ``hs``. Plotted against ``hs`` on
        log-log axes it shows the V: slope 1 (one-sided) or 2 (central) on the
        right where truncation dominates, slope -1 on the left where
        round-off does; see Chapter 1 (Derivatives).

    See Also
    --------
    derivative : One estimate, with the same effective steps.
    optimal_step : The step at the bottom of the V.

    Examples
    --------
    >>> errs = step_errors(np.sin, np.cos, 1.0, [1e-1, 1e-2], scheme="forward")
    >>> [f"{e:.1e}" for e in errs]  # O(h): ten times smaller h, ten times smaller error
    ['4.3e-02', '4.2e-03']
    """
    check_callable("f", f)
    x = _scalar_point("x", x)
    check_choice("scheme", scheme, SCHEMES)
    exact = dfdx(x) if callable(dfdx) else dfdx
    if isinstance(exact, np.ndarray) and exact.ndim == 0:
        exact = exact[()]
    exact = check_finite("dfdx", exact)
    hs_arr = check_float64_array("hs", hs)
    if hs_arr.ndim != 1:
        raise ValueError(f"hs must be 1-D, got shape {hs_arr.shape}")
    if np.any(hs_arr <= 0):
        raise ValueError(f"hs must be positive, got {hs_arr[hs_arr <= 0][0]!r}")
    with np.errstate(over="ignore"):
        h_eff = x - (x - hs_arr) if scheme == "backward" else (x + hs_arr) - x
    for h, he in zip(hs_arr, h_eff, strict=False):  # the same messages as _effective_step
        if (
            he == 0.0
            or not math.isfinite(he)
            or (scheme == "central" and not math.isfinite(2.0 * float(he)))
        ):
            try:
                _effective_step(x, float(h), scheme)
            except ValueError as exc:
                raise ValueError(f"hs contains a step that cannot be used: {exc}") from None
    name = callable_name(f)
    if scheme == "central":
        xp, xm = x + h_eff, x - h_eff
        pts = np.concatenate([xp, xm])
        vals = _eval_many(f, pts, name)
        n = hs_arr.size
        with np.errstate(over="ignore", invalid="ignore"):
            est = (vals[:n] - vals[n:]) / (xp - xm)
    else:
        pts = x + h_eff if scheme == "forward" else x - h_eff
        vals = _eval_many(f, pts, name)
        f0 = _call_scalar(f, x, name, _fmt_point(x))
        with np.errstate(over="ignore", invalid="ignore"):
            est = (vals - f0) / h_eff if scheme == "forward" else (f0 - vals) / h_eff
    with np.errstate(over="ignore"):
        return _finite_estimate(np.abs(est - exact), "step_errors")


# ---------------------------------------------------------------------------
# gradients and Jacobians of functions of arrays
# ---------------------------------------------------------------------------


def _element_steps(x: np.ndarray, h: float | None) -> np.ndarray:
    """Per-element central steps: ``h`` if given, else ``optimal_step('central', x_i)``."""
    if h is None:
        return float(np.cbrt(_EPS)) * np.maximum(1.0, np.abs(x))
    return np.full(x.shape, h, dtype=np.float64)


def _entry(name: str, idx: tuple[int, ...]) -> str:
    """``W[2, 1]`` for an entry of ``W``; just ``W`` for a 0-d array."""
    return f"{name}[{', '.join(str(i) for i in idx)}]" if idx else name


def central_pairs(
    x: np.ndarray, evaluate: Callable[[str], Any], h: float | None = None, name: str = "x"
) -> Iterator[tuple[tuple[int, ...], Any, Any, float]]:
    """Move each entry of ``x`` in place to ``x[i] ± h_i``, evaluate, and restore it exactly.

    The loop behind :func:`numerical_gradient`, :func:`numerical_jacobian` and
    :func:`utils.gradcheck.gradcheck`. For each index ``i`` of ``x`` (in
    row-major order) the entry is set to ``x[i] + h_i``, ``evaluate(where)``
    is called, then to ``x[i] - h_i``, ``evaluate(where)`` again, and the
    entry is set back to its exact original value, also if ``evaluate``
    raises. ``where`` says which point is evaluated (``"at x[0, 1] =
    1.0000060554544523"``), for error messages. The
    step ``h_i = (x[i] + h) - x[i]`` is exactly representable (see the module
    docstring).

    Parameters
    ----------
    x : numpy.ndarray
        A writable float64 array of any shape (it may be a view); modified
        during the loop and bit-for-bit unchanged afterwards.
    evaluate : callable
        ``evaluate(where)``, called while ``x`` is perturbed at one entry.
    h : float, optional
        The step for every entry; default ``optimal_step("central", x[i])``.
    name : str, default "x"
        The name of ``x`` in ``where`` and in the error message for a step
        that rounds away.

    Yields
    ------
    tuple
        ``(i, plus, minus, distance)``: the index ``i`` (a tuple), what
        ``evaluate`` returned at ``x[i] + h_i`` and
        at ``x[i] - h_i``, and the computed distance between the two points
        (``2 h_i`` up to rounding). The central difference of entry ``i`` is
        ``(plus - minus) / distance``.

    See Also
    --------
    numerical_gradient, numerical_jacobian : Built on this loop.
    utils.gradcheck.gradcheck : Also built on it.

    Examples
    --------
    >>> w = np.array([1.0, 2.0])
    >>> [(i, (fp - fm) / d) for i, fp, fm, d in central_pairs(w, lambda where: float(w @ w), h=0.5)]
    [((0,), 2.0), ((1,), 4.0)]
    >>> w  # restored
    array([1., 2.])
    """
    steps = _element_steps(x, h)
    for idx in np.ndindex(x.shape):
        xi = float(x[idx])
        hi = _effective_step(xi, float(steps[idx]), "central", f"{_entry(name, idx)} = {xi!r}")
        xp, xm = xi + hi, xi - hi
        try:
            x[idx] = xp
            fp = evaluate(f"at {_entry(name, idx)} = {xp!r}")
            x[idx] = xm
            fm = evaluate(f"at {_entry(name, idx)} = {xm!r}")
        finally:
            x[idx] = xi
        yield idx, fp, fm, xp - xm


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: Any, h: float | None = None
) -> np.ndarray:
    """Central-difference gradient of a scalar function of an array of any shape.

    Each element ``x[i]`` of a private float64 copy of ``x`` is moved to
    ``x[i] ± h_i`` in turn (``h_i = (x[i] + h) - x[i]``, exactly representable),
    ``f`` is called on the copy, and the element is restored to its exact
    original value. The caller's array is never modified. Cost: ``2 * x.size``
    calls of ``f``; error O(h²) per element.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for an array ``x`` of the shape given. It must not
        keep a reference to its argument (the same array is reused).
    x : array_like
        The point, float64 of any shape (ints and lists are converted;
        float32/float16 refused; entries must be finite).
    h : float, optional
        The step for every element; default ``optimal_step("central", x[i])``
        element by element.

    Returns
    -------
    numpy.ndarray
        Float64 array of the same shape as ``x``: the estimate of the
        gradient of ``f`` at ``x``.

    Raises
    ------
    ValueError
        If ``f`` returns a non-scalar or a non-finite value (the message names
        ``f`` and the perturbed point).

    See Also
    --------
    numerical_jacobian : For array-valued ``f``.
    central_difference : The scalar case.
    utils.gradcheck.gradcheck : Compares analytic gradients with this.

    Examples
    --------
    >>> g = numerical_gradient(lambda w: np.sum(w**2), np.array([[1.0, -2.0], [0.5, 3.0]]))
    >>> np.round(g, 6)  # 2 w
    array([[ 2., -4.],
           [ 1.,  6.]])
    """
    check_callable("f", f)
    x0 = check_float64_array("x", x)
    h = _check_step(h)
    work = np.array(x0, dtype=np.float64, copy=True)
    grad = np.empty(work.shape, dtype=np.float64)
    name = callable_name(f)
    for idx, fp, fm, dist in central_pairs(
        work, lambda where: _call_scalar(f, work, name, where), h
    ):
        grad[idx] = (fp - fm) / dist
    return _finite_estimate(grad, "numerical_gradient")


def numerical_jacobian(
    f: Callable[[np.ndarray], Any], x: Any, h: float | None = None, as_matrix: bool = False
) -> np.ndarray:
    """Central-difference Jacobian of an array-valued function of an array.

    Parameters
    ----------
    f : callable
        ``f(x) -> array_like`` of a fixed shape ``S`` (a scalar is shape ``()``);
        a change of shape or a non-finite entry raises ``ValueError``.
    x : array_like
        The point, float64 of any shape ``X`` (float32 refused, finite).
    h : float, optional
        The step (positive, finite); default ``optimal_step("central", x[i])``
        per element.
    as_matrix : bool, default False
        Return the 2-D matrix view of shape ``(prod(S), prod(X))`` instead.

    Returns
    -------
    numpy.ndarray
        ``J`` of shape ``S + X`` with ``J[out_index + in_index] =
        d f(x)[out_index] / d x[in_index]``. For a vector-to-vector map
        (``S = (m,)``, ``X = (n,)``) this is the familiar ``m x n`` matrix; for a
        scalar ``f`` it is the gradient, of shape ``X``. With
        ``as_matrix=True`` the same numbers are arranged as
        ``J.reshape(prod(S), prod(X))`` (row-major flattening of both).
        The caller's ``x`` is never modified.

    See Also
    --------
    numerical_gradient : The case of a scalar ``f``.
    central_pairs : The perturbation loop behind it.

    Notes
    -----
    Chapter 3 (Gradients and Jacobians) explains the Jacobian and its layout.

    Examples
    --------
    >>> A = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    >>> np.round(numerical_jacobian(lambda v: A @ v, np.ones(3)), 6)  # the matrix itself
    array([[ 1.,  2.,  0.],
           [ 0., -1.,  3.]])
    >>> numerical_jacobian(lambda M: M.T, np.zeros((2, 3))).shape
    (3, 2, 2, 3)
    >>> numerical_jacobian(lambda M: M.T, np.zeros((2, 3)), as_matrix=True).shape
    (6, 6)
    """
    check_callable("f", f)
    x0 = check_float64_array("x", x)
    h = _check_step(h)
    as_matrix = check_bool("as_matrix", as_matrix)
    work = np.array(x0, dtype=np.float64, copy=True)
    name = callable_name(f)
    out0 = _call_array(f, work, name, _fmt_point(work), None)
    jac = np.empty((out0.size, work.size), dtype=np.float64)
    pairs = central_pairs(work, lambda where: _call_array(f, work, name, where, out0.shape), h)
    for k, (_, fp, fm, dist) in enumerate(pairs):  # row-major order: k is the flat index
        with np.errstate(over="ignore", invalid="ignore"):
            jac[:, k] = (fp - fm).reshape(-1) / dist
    _finite_estimate(jac, "numerical_jacobian")
    if as_matrix:
        return jac
    return jac.reshape(out0.shape + x0.shape)


def _call_array(
    f: Callable, x: np.ndarray, fname: str, where: str, shape: tuple | None
) -> np.ndarray:
    with np.errstate(all="ignore"):
        y = f(x)
    arr = np.array(y, copy=True)  # f may return a view of its (reused) argument
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"f ({fname}) must return real numbers, got dtype {arr.dtype} {where}")
    arr = arr.astype(np.float64, copy=False)
    if shape is not None and arr.shape != shape:
        raise ValueError(
            f"f ({fname}) returned shape {arr.shape} {where}, but shape {shape} at the base point"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"f ({fname}) returned a non-finite value {where}; it must be finite there"
        )
    return arr


# ---------------------------------------------------------------------------
# the complex-step derivative (chapter 8)
# ---------------------------------------------------------------------------


def complex_step(f: Callable[[Any], Any], x: Any, h: float = 1e-20) -> float | np.ndarray:
    r"""Complex-step derivative ``Im f(x + i h) / h``: a derivative without subtraction.

    For ``f`` analytic near ``x`` and real on the real axis, Taylor's theorem
    with an imaginary step gives ``f(x + ih) = f(x) + ih f'(x) - h**2/2 f''(x)
    - ih**3/6 f'''(x) + ...``, so ``Im f(x + ih) / h = f'(x) - h**2/6 f'''(x)
    + ...``. No two nearly equal numbers are subtracted, so ``h`` can be tiny
    (the default ``1e-20``) and the result is correct to machine precision
    (Squire and Trapp 1998). For an array ``x`` each entry is stepped in
    turn, giving the gradient (one call of ``f`` per entry). Chapter 8 (Gradient checking) uses it
    as a reference for analytic code.

    ``f`` must be written with operations that extend analytically to complex
    numbers: ``np.exp``, ``np.sin``, ``np.tanh``, ``+``, ``*``, ``/``, ``**``.
    ``abs``, ``max``, comparisons, ``np.real`` or ``float()`` break the
    method (``abs`` silently: ``|x + ih|`` has no imaginary part), and so do
    ``np.conj``, ``.conj()`` and ``np.vdot`` (which conjugates its first
    argument): they flip the sign of the imaginary step. A real result for a
    complex input is refused.

    Parameters
    ----------
    f : callable
        ``f(z)`` for a complex ``z`` of the shape of ``x``, returning a complex
        scalar.
    x : float or array_like
        The point (finite, float64; float32 refused).
    h : float, default 1e-20
        The imaginary step (positive, finite). Any step from about ``1e-300``
        to ``1e-8`` gives full precision for functions of order one.

    Returns
    -------
    float or numpy.ndarray
        ``f'(x)`` for a scalar ``x``; the gradient, of the shape of ``x``, for
        an array.

    Raises
    ------
    TypeError
        If ``f`` returns a real (not complex) value.
    ValueError
        If ``f`` returns a non-scalar or a non-finite value.

    See Also
    --------
    central_difference : the real-arithmetic estimate, with round-off.
    numerical_gradient : central differences for arrays.

    Examples
    --------
    >>> complex_step(np.sin, 0.0)                        # cos 0, to the last bit
    1.0
    >>> abs(complex_step(np.exp, 1.0) - np.e) < 1e-15
    True
    >>> complex_step(lambda w: np.sum(w**2), np.array([1.0, -2.0]))   # 2 w
    array([ 2., -4.])
    >>> complex_step(lambda t: abs(t) ** 2, 1.0)          # abs is not analytic
    Traceback (most recent call last):
    ...
    TypeError: f (<lambda>) returned a real number for a complex input at x = 1.0; ...
    """
    check_callable("f", f)
    h = check_positive("h", h)
    scalar = not isinstance(x, (np.ndarray, list, tuple))  # np.ndim would choke on a ragged list
    x0 = np.asarray(_scalar_point("x", x)) if scalar else check_float64_array("x", x)
    name = callable_name(f)
    work = x0.astype(np.complex128)
    grad = np.empty(x0.shape, dtype=np.float64)
    for idx in np.ndindex(x0.shape):
        work[idx] = complex(x0[idx], h)
        try:
            with np.errstate(all="ignore"):
                y = f(work[()] if scalar else work)
        finally:
            work[idx] = x0[idx]
        where = _fmt_point(x0) if scalar else f"at {_entry('x', idx)} + {h!r}i"
        arr = np.asarray(y)
        if arr.ndim != 0:  # ValueError, as check_scalar_result says it for the other schemes
            raise ValueError(
                f"f ({name}) must return a scalar, got an array of shape {arr.shape} {where}"
            )
        if arr.dtype.kind != "c":
            raise TypeError(
                f"f ({name}) returned a real number for a complex input {where}; the complex "
                f"step needs f built from analytic operations (no abs, max, np.real, float())"
            )
        if not np.isfinite(arr):
            raise ValueError(f"f ({name}) returned {complex(arr)} {where}; it must be finite there")
        grad[idx] = float(arr.imag) / h
    return float(grad[()]) if scalar else grad
