"""Gradient checking: compare analytic gradients with central differences.

Chapter 8 (Gradient checking) teaches the tool, the relative error and the
trouble with kinks; readers then reuse it on their own code::

    report = gradcheck(loss_and_grads, [W1, b1, W2, b2], names=["W1", "b1", "W2", "b2"])
    print(report)              # a fixed-width table, one row per parameter
    report.raise_if_failed()   # in a test

Conventions
-----------
``params`` is a list of float64 NumPy arrays, the very arrays the loss reads.
``loss_fn(params)`` returns the loss (a real scalar) **or** a pair
``(loss, grads)``. The analytic gradients are taken from, in this order of
precedence,

1. ``grads=``: a list of arrays, one per parameter, already computed;
2. ``grad_fn=``: a callable, ``grad_fn(params) -> grads``;
3. the ``grads`` of a ``loss_fn`` that returns ``(loss, grads)``.

Giving both ``grads=`` and ``grad_fn=`` is an error; giving neither with a
``loss_fn`` that returns a bare loss is an error too. When ``loss_fn`` returns
a pair, only its loss is used at the perturbed points.

Every entry of every parameter is moved to ``theta_i ± h_i`` in place, the
loss is evaluated, and the entry is then set back to its **exact** original
value (also if ``loss_fn`` raises). On return the parameters are bit-for-bit
what they were; a ``loss_fn`` that modifies them itself is detected, undone
and reported.

The error measure
-----------------
For each parameter, with ``a`` the analytic and ``n`` the numerical gradient
(flattened),

    rel_error = ||a - n||_2 / max(||a||_2 + ||n||_2, floor),
    floor     = atol / rtol,

and the parameter passes when ``rel_error <= rtol``, which is the same as
``||a - n|| <= max(rtol * (||a|| + ||n||), atol)``: a relative test for
gradients well above the noise of the finite difference, an absolute one
for gradients lost in it.

The noise: each loss value carries a rounding error of a few ``eps * |L|``,
so the central difference of entry ``i`` is uncertain by about
``eps (|L+| + |L-|) / (2 h_i)``. By default ``atol`` is ``NOISE_FACTOR``
(= 100, room for the rounding accumulated in a loss made of many operations)
times the 2-norm of these per-entry uncertainties, i.e. roughly
``100 * eps * |L| / h * sqrt(size)``; about ``4e-9 * |L| * sqrt(size)`` for the
default step ``h = cbrt(eps) * max(1, |theta_i|)``.

Unlike the element-wise ``max_i |a_i - n_i| / (|a_i| + |n_i| + 1e-8)`` of
many tutorials, which cries wolf on correct but tiny gradients (a saturated
``tanh`` unit), this measure stays quiet about noise and still flags a wrong
sign, a missing factor of two or a transposed gradient; Chapter 8 (Gradient
checking) compares the two. (No finite difference can see a bug in gradients
that are themselves below its noise floor.)

The noise estimate assumes the loss is computed with a rounding error of a
few ``eps * |L|``. A loss that is a small difference of large terms (a sum of
cancelling contributions, a residual near an exact fit) is noisier than that:
check at a generic point rather than at an optimum, or pass ``atol``.

Kinks (``relu`` at 0, ``abs``, ``max``) within ``h`` of a parameter value make
the numerical gradient an average of the two one-sided slopes; a failure
there is expected, not a bug.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ._validate import (
    callable_name,
    check_callable,
    check_float64_array,
    check_int,
    check_nonnegative,
    check_positive,
    check_scalar_result,
    check_seed,
    check_writable_float64_array,
)
from .numdiff import central_pairs

__all__ = [
    "NOISE_FACTOR",
    "ParamCheck",
    "GradcheckReport",
    "GradcheckError",
    "gradcheck",
    "check_value_graph",
    "DirectionalCheck",
    "directional_check",
    "coordinate_check",
]

#: Multiple of the estimated round-off of the central difference used as the
#: default absolute tolerance (see the module docstring).
NOISE_FACTOR = 100.0

_EPS = float(np.finfo(np.float64).eps)
_TINY = float(np.finfo(np.float64).tiny)


class GradcheckError(AssertionError):
    """Raised by :meth:`GradcheckReport.raise_if_failed` when a gradient is wrong.

    A subclass of ``AssertionError``, so that pytest reports it as a failed check.
    Its message names the failed parameters and contains the report's table.

    See Also
    --------
    GradcheckReport.raise_if_failed : Raises it.
    gradcheck : Produces the report.

    Examples
    --------
    >>> w = np.array([1.0, 2.0])
    >>> gradcheck(lambda p: float(p[0] @ p[0]), [w], grads=[w]).raise_if_failed()
    Traceback (most recent call last):
    ...
    utils.gradcheck.GradcheckError: gradient check failed for params[0]
    ...
    """


@dataclass(frozen=True)
class ParamCheck:
    """The comparison for one parameter.

    Attributes
    ----------
    name : str
        The parameter's name in the report.
    shape : tuple of int
        The parameter's shape.
    rel_error : float
        ``||a - n|| / max(||a|| + ||n||, atol / rtol)``.
    abs_error : float
        ``||a - n||`` (2-norm over all entries).
    atol : float
        The absolute tolerance used (the noise floor, unless given).
    worst_index : tuple of int or None
        Index of the entry with the largest ``|a_i - n_i|`` (``None`` for an
        empty parameter; ``()`` for a 0-d one).
    worst_analytic, worst_numerical : float
        ``a`` and ``n`` at ``worst_index`` (NaN for an empty parameter).
    passed : bool
        ``rel_error <= rtol``.

    See Also
    --------
    GradcheckReport : Holds one ParamCheck per parameter.
    gradcheck : Computes them.

    Examples
    --------
    >>> w = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> check = gradcheck(lambda p: float(np.sum(p[0] ** 2)), [w], grads=[2 * w], names=["w"])["w"]
    >>> check.shape, check.passed, check.rel_error < 1e-9
    ((2, 2), True, True)
    """

    name: str
    shape: tuple[int, ...]
    rel_error: float
    abs_error: float
    atol: float
    worst_index: tuple[int, ...] | None
    worst_analytic: float
    worst_numerical: float
    passed: bool


class GradcheckReport:
    """Result of :func:`gradcheck`: one :class:`ParamCheck` per parameter.

    ``report.passed`` is ``True`` when every parameter passed; ``str(report)``
    is a fixed-width table and, in Jupyter, the report displays as an HTML
    table. Index it by position or by name: ``report["W1"].rel_error``.

    The table shows, per parameter, the norm-based relative error, the entry
    with the largest ``|analytic - numerical|`` and both values there, and
    the absolute tolerance (noise floor) in force. For gradients far above the
    noise, ``rel. error`` is the plain ``||a - n|| / (||a|| + ||n||)``; for
    gradients near the noise it is measured against ``atol / rtol`` instead.

    Parameters
    ----------
    checks : sequence of ParamCheck
        One check per parameter, in the order of the parameters.
    rtol : float
        The relative tolerance the checks were made with (shown in the title).

    Attributes
    ----------
    checks : tuple of ParamCheck
        The checks.
    rtol : float
        The relative tolerance.
    passed : bool
        Whether every parameter passed.
    failed : tuple of ParamCheck
        The checks that failed.

    See Also
    --------
    gradcheck, check_value_graph : Return a report.
    ParamCheck : One row of the report.

    Examples
    --------
    >>> w, b = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([0.1, -0.4])
    >>> def loss(params):
    ...     w, b = params
    ...     return np.sum(w**2) + np.sum(np.sin(b)), [2 * w, -np.cos(b)]  # sign bug in b
    >>> report = gradcheck(loss, [w, b], names=["w", "b"])
    >>> report.passed, [c.name for c in report.failed]
    (False, ['b'])
    >>> print(report)
    gradcheck FAILED (rtol = 1e-06; 2 parameter(s))
    parameter  shape   rel. error  worst at  analytic       numerical      atol     status
    ---------  ------  ----------  --------  -------------  -------------  -------  ------
    w          (2, 2)  ...  ok
    b          (2,)    1.00e+00    (0,)      -9.950042e-01   9.950042e-01  ...  FAIL
    """

    def __init__(self, checks: Sequence[ParamCheck], rtol: float) -> None:
        self.checks: tuple[ParamCheck, ...] = tuple(checks)
        self.rtol = float(rtol)

    @property
    def passed(self) -> bool:
        """Whether every parameter passed."""
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> tuple[ParamCheck, ...]:
        """The checks that failed."""
        return tuple(c for c in self.checks if not c.passed)

    def __len__(self) -> int:
        return len(self.checks)

    def __iter__(self):
        return iter(self.checks)

    def __getitem__(self, key: Any) -> ParamCheck:
        if isinstance(key, str):
            for c in self.checks:
                if c.name == key:
                    return c
            raise KeyError(f"no parameter named {key!r}; names are {[c.name for c in self.checks]}")
        return self.checks[key]

    def raise_if_failed(self) -> GradcheckReport:
        """Raise :class:`GradcheckError` (an ``AssertionError``) with the table if any check failed.

        Returns
        -------
        GradcheckReport
            The report itself, if every check passed, so that calls chain.

        Raises
        ------
        GradcheckError
            If any check failed; the message contains the table.

        See Also
        --------
        GradcheckReport.passed : The same verdict as a bool.

        Examples
        --------
        >>> w = np.array([1.0, 2.0])
        >>> gradcheck(lambda p: float(p[0] @ p[0]), [w], grads=[2 * w]).raise_if_failed().passed
        True
        """
        if not self.passed:
            names = ", ".join(c.name for c in self.failed)
            raise GradcheckError(f"gradient check failed for {names}\n{self}")
        return self

    def _rows(self) -> list[list[str]]:
        rows = []
        for c in self.checks:
            idx = "-" if c.worst_index is None else _fmt_index(c.worst_index)
            rows.append(
                [
                    c.name,
                    str(tuple(c.shape)),
                    f"{c.rel_error:.2e}",
                    idx,
                    f"{c.worst_analytic: .6e}",
                    f"{c.worst_numerical: .6e}",
                    f"{c.atol:.1e}",
                    "ok" if c.passed else "FAIL",
                ]
            )
        return rows

    _HEADER = [
        "parameter",
        "shape",
        "rel. error",
        "worst at",
        "analytic",
        "numerical",
        "atol",
        "status",
    ]

    def __str__(self) -> str:
        status = "PASSED" if self.passed else "FAILED"
        title = f"gradcheck {status} (rtol = {self.rtol:.0e}; {len(self.checks)} parameter(s))"
        rows = [self._HEADER] + self._rows()
        widths = [max(len(r[j]) for r in rows) for j in range(len(self._HEADER))]
        lines = [title]
        for k, r in enumerate(rows):
            cells = (cell.ljust(w) for cell, w in zip(r, widths, strict=False))
            lines.append("  ".join(cells).rstrip())
            if k == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<GradcheckReport {'passed' if self.passed else 'FAILED'}: "
            + ", ".join(f"{c.name}={c.rel_error:.1e}" for c in self.checks)
            + ">"
        )

    def _repr_html_(self) -> str:
        status = "passed" if self.passed else "FAILED"
        color = "#1a7f37" if self.passed else "#cf222e"
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._HEADER)
        body = []
        for c, r in zip(self.checks, self._rows(), strict=False):
            cells = "".join(f"<td><code>{html.escape(x)}</code></td>" for x in r[:-1])
            mark = "ok" if c.passed else "FAIL"
            cell_color = "#1a7f37" if c.passed else "#cf222e"
            body.append(
                f'<tr>{cells}<td style="color:{cell_color};font-weight:bold">{mark}</td></tr>'
            )
        return (
            '<div class="gradcheck-report">'
            f'<p><strong style="color:{color}">gradcheck {status}</strong>'
            f" (rtol = {self.rtol:.0e})</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )


def _fmt_index(idx: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(i) for i in idx) + ("," if len(idx) == 1 else "") + ")"


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _check_param(name: str, p: Any) -> np.ndarray:
    if isinstance(p, np.ndarray) and p.dtype.kind == "f" and p.dtype != np.float64:
        raise TypeError(
            f"{name} is {p.dtype}, but gradient checking needs float64: in single precision "
            f"the round-off of the loss (~1e-7 |L|) divided by the step h swamps the "
            f"derivative, so the check would fail on correct gradients or pass wrong ones. "
            f"Use {name}.astype(np.float64) (and compute the loss in float64)."
        )
    return check_writable_float64_array(name, p, "gradcheck perturbs it in place")


def _check_grads(
    grads: Any, params: list[np.ndarray], names: list[str], single: bool, source: str
) -> list[np.ndarray]:
    if single and isinstance(grads, np.ndarray):
        grads = [grads]
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise TypeError(
            f"{source} must be a list of arrays, one per parameter, got {type(grads).__name__}"
        )
    if len(grads) != len(params):
        raise ValueError(
            f"{source} has {len(grads)} entries but there are {len(params)} parameters"
        )
    out = []
    for g, p, name in zip(grads, params, names, strict=False):
        label = f"{source} for {name}"
        if isinstance(g, np.ndarray) and g.dtype.kind == "f" and g.dtype != np.float64:
            raise TypeError(
                f"{label} is {g.dtype}; gradient checking needs float64 gradients "
                f"(single-precision gradients are only good to ~1e-7)"
            )
        arr = np.array(check_float64_array(label, g), dtype=np.float64, copy=True)
        if arr.shape != p.shape:
            raise ValueError(f"{label} has shape {arr.shape}, but {name} has shape {p.shape}")
        out.append(arr)
    return out


def _as_loss(value: Any, fname: str, where: str) -> float:
    return check_scalar_result(f"loss_fn ({fname})", value, where)


# ---------------------------------------------------------------------------
# the comparison
# ---------------------------------------------------------------------------


def _compare(
    evaluate: Callable[[str], float],
    arrays: list[np.ndarray],
    analytic: list[np.ndarray],
    names: list[str],
    h: float | None,
    rtol: float,
    atol: float | None,
) -> GradcheckReport:
    """Central differences of ``evaluate`` w.r.t. every entry of ``arrays`` (perturbed
    in place and restored exactly by :func:`utils.numdiff.central_pairs`, the loop
    of :func:`utils.numdiff.numerical_gradient`), compared with ``analytic``."""
    checks = []
    for p, a, name in zip(arrays, analytic, names, strict=False):
        num, noise = _numerical(evaluate, p, h, name)
        checks.append(_summarise(name, a, num, noise, rtol, atol))
    return GradcheckReport(checks, rtol)


def _numerical(
    evaluate: Callable[[str], float], p: np.ndarray, h: float | None, name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Central differences of ``evaluate`` w.r.t. every entry of ``p`` and their round-off."""
    num = np.empty(p.shape, dtype=np.float64)
    noise = np.empty(p.shape, dtype=np.float64)
    for idx, lp, lm, dist in central_pairs(p, evaluate, h, name):
        num[idx] = (lp - lm) / dist
        noise[idx] = _EPS * (abs(lp) + abs(lm)) / dist
    return num, noise


def _summarise(
    name: str, a: np.ndarray, n: np.ndarray, noise: np.ndarray, rtol: float, atol: float | None
) -> ParamCheck:
    if a.size == 0:
        return ParamCheck(
            name, a.shape, 0.0, 0.0, 0.0 if atol is None else atol, None, math.nan, math.nan, True
        )
    diff = a - n
    abs_error = float(np.linalg.norm(diff.ravel()))
    scale = float(np.linalg.norm(a.ravel()) + np.linalg.norm(n.ravel()))
    tol = NOISE_FACTOR * float(np.linalg.norm(noise.ravel())) if atol is None else atol
    denom = max(scale, tol / rtol, _TINY)
    rel = abs_error / denom
    worst = np.unravel_index(int(np.argmax(np.abs(diff))), a.shape)
    worst = tuple(int(i) for i in worst)
    return ParamCheck(
        name=name,
        shape=tuple(a.shape),
        rel_error=rel,
        abs_error=abs_error,
        atol=tol,
        worst_index=worst,
        worst_analytic=float(a[worst]),
        worst_numerical=float(n[worst]),
        passed=rel <= rtol,
    )


def _check_tolerances(h: Any, rtol: Any, atol: Any) -> tuple[float | None, float, float | None]:
    h = None if h is None else check_positive("h", h)
    rtol = check_positive("rtol", rtol)
    atol = None if atol is None else check_nonnegative("atol", atol)
    return h, rtol, atol


def _check_names(names: Any, count: int, default: list[str]) -> list[str]:
    if names is None:
        return default
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        raise TypeError(f"names must be a list of strings, got {type(names).__name__}")
    if len(names) != count:
        raise ValueError(f"names has {len(names)} entries but there are {count} parameters")
    for nm in names:
        if not isinstance(nm, str):
            raise TypeError(f"names must be strings, got {type(nm).__name__} {nm!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"names must be distinct, got {list(names)}")
    return list(names)


# ---------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------


def gradcheck(
    loss_fn: Callable[[Any], Any],
    params: Any,
    grads: Any = None,
    h: float | None = None,
    rtol: float = 1e-6,
    names: Sequence[str] | None = None,
    *,
    grad_fn: Callable[[Any], Any] | None = None,
    atol: float | None = None,
) -> GradcheckReport:
    """Compare the analytic gradient of every parameter with central differences.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params)`` returns the loss (a finite real scalar) or a pair
        ``(loss, grads)``. It must read the parameters from the arrays passed
        (or the same arrays by closure) and must not modify them.
    params : list of numpy.ndarray
        The parameters: float64 arrays of any shapes (float32/float16 refused
        with a ``TypeError``: see below). A single array is also accepted: then
        ``loss_fn`` receives that array and ``grads`` may be a single array.
    grads : list of array_like, optional
        Analytic gradients, one per parameter, same shapes. See the module
        docstring for the precedence of ``grads``, ``grad_fn`` and a
        ``(loss, grads)`` return.
    h : float, optional
        Step for every entry; default ``cbrt(eps) * max(1, |theta_i|)``
        (see :func:`utils.numdiff.optimal_step`).
    rtol : float, default 1e-6
        Relative tolerance on the norm-based error. Correct float64 gradients
        typically give 1e-11 to 1e-8.
    names : list of str, optional
        Parameter names for the report; default ``params[0]``, ``params[1]``, ...
    grad_fn : callable, optional
        ``grad_fn(params) -> grads``, called once at the unperturbed point.
    atol : float, optional
        Absolute tolerance on ``||a - n||``; default ``NOISE_FACTOR`` times the
        estimated round-off of the numerical gradient of that parameter.

    Returns
    -------
    GradcheckReport
        One :class:`ParamCheck` per parameter; the parameters themselves are
        bit-for-bit unchanged.

    Raises
    ------
    TypeError
        For float32 parameters or gradients: single precision leaves about 7
        digits, the central difference loses half of them to cancellation,
        and the comparison becomes meaningless.
    ValueError
        For a non-scalar or non-finite loss (naming the parameter entry being
        perturbed), mismatched shapes or counts, no source of analytic
        gradients, or a ``loss_fn`` that modified the parameters.

    See Also
    --------
    check_value_graph : The same check for the autograd engine.
    utils.numdiff.numerical_gradient : The numerical gradient alone.
    utils.numdiff.central_pairs : The perturbation loop.

    Examples
    --------
    >>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> w = np.array([0.5, -1.0])
    >>> def quadratic(params):                      # L = w^T A w / 2, grad = A w
    ...     (w,) = params
    ...     return 0.5 * w @ A @ w, [A @ w]
    >>> report = gradcheck(quadratic, [w], names=["w"])
    >>> report.passed
    True
    >>> report["w"].rel_error < 1e-9
    True
    >>> gradcheck(lambda p: 0.5 * p[0] @ A @ p[0], [w], grads=[-(A @ w)]).passed  # wrong sign
    False
    """
    check_callable("loss_fn", loss_fn)
    h, rtol, atol = _check_tolerances(h, rtol, atol)
    arrays, analytic, names_list, evaluate = _prepare(loss_fn, params, grads, grad_fn, names)
    snapshot = [p.copy() for p in arrays]
    try:
        report = _compare(evaluate, arrays, analytic, names_list, h, rtol, atol)
        _detect_mutation(arrays, snapshot, names_list, "loss_fn")
    finally:
        _restore(arrays, snapshot)
    return report


def _detect_mutation(
    arrays: list[np.ndarray], snapshot: list[np.ndarray], names: list[str], who: str
) -> None:
    """Raise ``ValueError`` if an array differs from its snapshot, after restoring every array."""
    for p, s, nm in zip(arrays, snapshot, names, strict=False):
        if not np.array_equal(p, s):
            for q, t in zip(arrays, snapshot, strict=False):
                q[...] = t
            raise ValueError(
                f"{who} modified {nm} in place; gradcheck needs a loss that only reads the "
                f"parameters (the original values have been restored)"
            )


def _restore(arrays: list[np.ndarray], snapshot: list[np.ndarray]) -> None:
    """Write ``snapshot`` back into ``arrays`` where they differ (bit for bit)."""
    for p, s in zip(arrays, snapshot, strict=False):
        if not np.array_equal(p, s):
            p[...] = s


def check_value_graph(
    f: Callable[[list[Any]], Any],
    inputs: Sequence[float],
    h: float | None = None,
    rtol: float = 1e-6,
    names: Sequence[str] | None = None,
    *,
    atol: float | None = None,
) -> GradcheckReport:
    """Check the gradients of a :class:`utils.autograd.Value` expression by central differences.

    ``f`` receives a list of leaf ``Value`` objects, one per input, and
    returns the ``Value`` at the top of the graph it builds. The engine's
    gradients come from ``out.backward()`` on fresh leaves (so previous
    ``.grad`` values cannot leak in); the numerical ones from calling ``f``
    again on fresh leaves at ``x_i ± h`` and reading ``.data``.

    Parameters
    ----------
    f : callable
        ``f([Value, ...]) -> Value``.
    inputs : sequence of float
        The point (finite reals).
    h : float, optional
        Step for every input, as in :func:`gradcheck`.
    rtol : float, default 1e-6
        Relative tolerance, as in :func:`gradcheck`.
    names : list of str, optional
        Input names for the report; default ``x[0]``, ``x[1]``, ...
    atol : float, optional
        Absolute tolerance, as in :func:`gradcheck`; each input is a parameter
        of shape ``()``.

    Returns
    -------
    GradcheckReport
        One row per input.

    See Also
    --------
    gradcheck : The same check for NumPy parameters.
    utils.autograd.Value.backward : The gradients checked.

    Examples
    --------
    >>> def f(v):
    ...     x, y = v
    ...     return (x * y + x.exp()).tanh()
    >>> check_value_graph(f, [0.3, -1.2]).passed
    True
    >>> check_value_graph(lambda v: v[0].relu(), [0.0]).passed  # a kink at 0
    False
    """
    from .autograd import Value  # lazy: keeps this module importable on its own

    check_callable("f", f)
    h, rtol, atol = _check_tolerances(h, rtol, atol)
    x = check_float64_array("inputs", inputs, ndim=1)
    if x.size == 0:
        raise ValueError("inputs is empty: there is nothing to check")
    names_list = _check_names(names, x.size, [f"x[{i}]" for i in range(x.size)])
    fname = callable_name(f)

    def build(values: Sequence[float], where: str):
        leaves = [Value(float(v)) for v in values]
        out = f(leaves)
        if not isinstance(out, Value):
            raise TypeError(
                f"f ({fname}) must return a Value built from its inputs, got "
                f"{type(out).__name__} {where} (did it convert a Value to a float?)"
            )
        return leaves, out

    leaves, out = build(x, "at the given inputs")
    _as_loss(out.data, fname, "at the given inputs")
    out.backward()
    analytic = [np.array(float(leaf.grad)) for leaf in leaves]
    cells = [np.array(float(v)) for v in x]

    def evaluate(where: str) -> float:
        _, o = build([float(c) for c in cells], where)
        return _as_loss(o.data, fname, where)

    return _compare(evaluate, cells, analytic, names_list, h, rtol, atol)


# ---------------------------------------------------------------------------
# cheaper checks for big models (chapter 8)
# ---------------------------------------------------------------------------


def _prepare(
    loss_fn: Any, params: Any, grads: Any, grad_fn: Any, names: Any
) -> tuple[list[np.ndarray], list[np.ndarray], list[str], Callable[[str], float]]:
    """Validate the arguments of :func:`gradcheck`, :func:`directional_check` and
    :func:`coordinate_check`; call ``loss_fn`` once (and ``grad_fn``, if given) for
    the analytic gradients, restoring the parameters exactly if either modified them;
    return the parameter arrays, the analytic gradients, the names and
    ``evaluate(where) -> loss``."""
    check_callable("loss_fn", loss_fn)
    single = isinstance(params, np.ndarray)
    if single:
        arrays = [params]
    elif isinstance(params, (list, tuple)):
        arrays = list(params)
    else:
        raise TypeError(f"params must be a list of float64 arrays, got {type(params).__name__}")
    if not arrays:
        raise ValueError("params is empty: there is nothing to check")
    default = ["params"] if single else [f"params[{i}]" for i in range(len(arrays))]
    names_list = _check_names(names, len(arrays), default)
    for p, nm in zip(arrays, names_list, strict=True):
        _check_param(nm, p)
    if len({id(p) for p in arrays}) != len(arrays):
        raise ValueError("params contains the same array twice")
    if grads is not None and grad_fn is not None:
        raise ValueError("give the analytic gradients either as grads= or as grad_fn=, not both")
    if grad_fn is not None:
        check_callable("grad_fn", grad_fn)
    fname = callable_name(loss_fn)

    def call(where: str) -> tuple[float, Any]:
        out = loss_fn(params)
        if isinstance(out, tuple):
            if len(out) != 2:
                raise ValueError(
                    f"loss_fn ({fname}) returned a tuple of length {len(out)} {where}; "
                    f"expected a loss or a pair (loss, grads)"
                )
            return _as_loss(out[0], fname, where), out[1]
        return _as_loss(out, fname, where), None

    snapshot = [p.copy() for p in arrays]
    try:
        _, returned = call("at the given params")
        if grads is not None:
            analytic = _check_grads(grads, arrays, names_list, single, "grads")
        elif grad_fn is not None:
            analytic = _check_grads(grad_fn(params), arrays, names_list, single, "grad_fn(params)")
        elif returned is not None:
            analytic = _check_grads(
                returned, arrays, names_list, single, "the grads returned by loss_fn"
            )
        else:
            raise ValueError(
                "no analytic gradients to check: pass grads=[...], or grad_fn=..., "
                "or let loss_fn return (loss, grads)"
            )
        _detect_mutation(arrays, snapshot, names_list, "loss_fn or grad_fn")
    finally:
        _restore(arrays, snapshot)
    return arrays, analytic, names_list, lambda where: call(where)[0]


@dataclass(frozen=True)
class DirectionalCheck:
    """Result of :func:`directional_check`: one directional derivative, two ways.

    Attributes
    ----------
    analytic : float
        ``sum_k <grads_k, v_k>``: the analytic gradient projected on the
        direction ``v`` (the displacement actually applied, divided by ``2h``).
    numerical : float
        ``(L(theta + h v) - L(theta - h v)) / (2 h)``.
    rel_error : float
        ``|analytic - numerical| / max(|analytic| + |numerical|, atol / rtol)``.
    atol : float
        The absolute tolerance used (the noise floor, unless given).
    rtol : float
        The relative tolerance of the verdict.
    h : float
        The step along ``v``.
    passed : bool
        ``rel_error <= rtol``.

    See Also
    --------
    directional_check : The function that returns it.
    ParamCheck : The per-parameter result of :func:`gradcheck`.

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> result = directional_check(lambda p: float(p[0] @ p[0]), [w], grads=[2 * w])
    >>> result.passed, bool(abs(result.analytic - result.numerical) < 1e-9)
    (True, True)
    """

    analytic: float
    numerical: float
    rel_error: float
    atol: float
    rtol: float
    h: float
    passed: bool

    def __str__(self) -> str:
        status = "passed" if self.passed else "FAILED"
        return (
            f"directional check {status}: analytic {self.analytic: .9e}, "
            f"numerical {self.numerical: .9e}, rel. error {self.rel_error:.2e} "
            f"(rtol = {self.rtol:.0e}, atol = {self.atol:.1e})"
        )


def directional_check(
    loss_fn: Callable[[Any], Any],
    params: Any,
    grads: Any = None,
    *,
    grad_fn: Callable[[Any], Any] | None = None,
    direction: Any = None,
    seed: Any = 0,
    h: float | None = None,
    rtol: float = 1e-6,
    atol: float | None = None,
) -> DirectionalCheck:
    r"""Check the gradient along one direction, with two loss evaluations.

    Moves **all** parameters at once to ``theta ± h v`` and compares the
    central difference of the loss with the analytic directional derivative
    ``<grad, v>``. A wrong gradient ``g = grad L + e`` is caught unless ``e``
    happens to be orthogonal to ``v``, which for a random ``v`` has
    probability zero. Chapter 8 (Gradient checking) explains why this is the cheap check for big
    models: it costs two loss evaluations whatever the number of parameters
    (:func:`gradcheck` costs two per entry), but it only says *whether* the
    gradient is wrong, not where.

    Parameters
    ----------
    loss_fn, params, grads, grad_fn
        As in :func:`gradcheck` (float64 parameters, perturbed in place and
        restored exactly).
    direction : list of array_like, optional
        ``v``, one array per parameter with the same shapes (a single array if
        ``params`` is one array); finite and not all zero. Default: a random
        Gaussian direction of unit 2-norm drawn with ``seed``.
    seed : int or numpy.random.Generator, default 0
        Seed of the random direction (ignored when ``direction`` is given).
    h : float, optional
        Step along ``v``; default ``cbrt(eps) * max(1, |theta_i|)`` with the
        largest ``|theta_i|`` among the entries that ``v`` moves, divided by
        the largest ``|v_i|`` when that exceeds 1.
    rtol : float, default 1e-6
        The check passes when the relative error is at most ``rtol``.
    atol : float, optional
        Absolute tolerance on ``|analytic - numerical|``; default
        ``NOISE_FACTOR`` times the round-off ``eps (|L+| + |L-|) / (2h)``.

    Returns
    -------
    DirectionalCheck
        Both directional derivatives, their relative error and the verdict.

    See Also
    --------
    gradcheck : every entry, with the report of where a gradient is wrong.
    coordinate_check : a random sample of entries.

    Examples
    --------
    >>> A = np.array([[2.0, 1.0], [0.0, 3.0]])   # not symmetric
    >>> w = np.array([0.5, -1.0])
    >>> def loss(p):                             # L = w^T A w / 2
    ...     return 0.5 * p[0] @ A @ p[0]
    >>> directional_check(loss, [w], grads=[0.5 * (A + A.T) @ w]).passed
    True
    >>> directional_check(loss, [w], grads=[A @ w]).passed   # the classic bug
    False
    >>> directional_check(loss, [w], grads=[A @ w], direction=[w]).passed  # blind: e . w = 0
    True
    """
    h, rtol, atol = _check_tolerances(h, rtol, atol)
    arrays, analytic, names, evaluate = _prepare(loss_fn, params, grads, grad_fn, None)
    if direction is None:
        rng = check_seed("seed", seed)
        v = [rng.standard_normal(p.shape) for p in arrays]
        norm = math.sqrt(sum(float(np.sum(vk**2)) for vk in v))
        v = [vk / norm for vk in v]
    else:
        v = _check_grads(direction, arrays, names, isinstance(params, np.ndarray), "direction")
        if not any(np.any(vk != 0) for vk in v):
            raise ValueError("direction must not be zero")
    if h is None:
        moved = [np.abs(p[vk != 0]) for p, vk in zip(arrays, v, strict=True)]
        top = max((float(m.max()) for m in moved if m.size), default=1.0)
        vmax = max(float(np.max(np.abs(vk))) if vk.size else 0.0 for vk in v)
        h = float(np.cbrt(_EPS)) * max(1.0, top) / max(1.0, vmax)
    snapshot = [p.copy() for p in arrays]
    with np.errstate(over="ignore", invalid="ignore"):
        plus = [s + h * vk for s, vk in zip(snapshot, v, strict=True)]
        minus = [s - h * vk for s, vk in zip(snapshot, v, strict=True)]
    if not all(np.all(np.isfinite(x)) for x in plus + minus):
        raise ValueError(f"h = {h!r} is too large: theta ± h v overflows float64")
    try:  # an overflow inside loss_fn is reported as a non-finite loss, not as a warning
        for p, x in zip(arrays, plus, strict=True):
            p[...] = x
        with np.errstate(all="ignore"):
            lp = evaluate("at theta + h v")
        for p, x in zip(arrays, minus, strict=True):
            p[...] = x
        with np.errstate(all="ignore"):
            lm = evaluate("at theta - h v")
    finally:
        for p, s in zip(arrays, snapshot, strict=True):
            p[...] = s
    # the displacement actually applied, after rounding theta ± h v to floats
    moves = zip(analytic, plus, minus, strict=True)
    projected = sum(float(np.sum(a * (x - y))) for a, x, y in moves)
    an = projected / (2 * h)
    num = (lp - lm) / (2 * h)
    tol = NOISE_FACTOR * _EPS * (abs(lp) + abs(lm)) / (2 * h) if atol is None else atol
    rel = abs(an - num) / max(abs(an) + abs(num), tol / rtol, _TINY)
    return DirectionalCheck(an, num, rel, tol, rtol, h, rel <= rtol)


def coordinate_check(
    loss_fn: Callable[[Any], Any],
    params: Any,
    grads: Any = None,
    *,
    grad_fn: Callable[[Any], Any] | None = None,
    h: float | None = None,
    rtol: float = 1e-6,
    atol: float | None = None,
    names: Sequence[str] | None = None,
    samples: int = 5,
    seed: Any = 0,
) -> GradcheckReport:
    """:func:`gradcheck` on a random sample of entries of each parameter.

    Each parameter gets ``min(samples, size)`` distinct entries, drawn
    uniformly with ``seed``; each costs two loss evaluations. The report has
    one row per parameter, as in :func:`gradcheck`, but its errors are
    computed over the sampled entries only (``worst at`` is an index into the
    whole parameter). A bug confined to a few entries is missed with
    probability ``1 - samples / size`` per wrong entry: Chapter 8 (Gradient
    checking) computes this.

    Parameters
    ----------
    loss_fn, params, grads, grad_fn, h, rtol, atol, names
        As in :func:`gradcheck`.
    samples : int, default 5
        Entries to check per parameter (at least 1).
    seed : int or numpy.random.Generator, default 0
        Seed of the sample.

    Returns
    -------
    GradcheckReport
        One row per parameter, computed over its sampled entries.

    See Also
    --------
    gradcheck : every entry.
    directional_check : all entries at once, along a random direction.

    Examples
    --------
    >>> W = np.arange(12.0).reshape(3, 4) / 10
    >>> loss = lambda p: float(np.sum(p[0] ** 3))
    >>> coordinate_check(loss, [W], grads=[3 * W**2], samples=4).passed
    True
    >>> wrong = 3 * W**2
    >>> wrong[1, 2] = 0.0                       # one wrong entry out of 12
    >>> coordinate_check(loss, [W], grads=[wrong], samples=12)["params[0]"].worst_index
    (1, 2)
    """
    h, rtol, atol = _check_tolerances(h, rtol, atol)
    samples = check_int("samples", samples, minimum=1)
    rng = check_seed("seed", seed)
    arrays, analytic, names_list, evaluate = _prepare(loss_fn, params, grads, grad_fn, names)
    snapshot = [p.copy() for p in arrays]
    checks = []
    try:
        for p, a, name in zip(arrays, analytic, names_list, strict=True):
            flat = np.sort(rng.choice(p.size, size=min(samples, p.size), replace=False))
            chosen = [tuple(int(i) for i in np.unravel_index(k, p.shape)) for k in flat]
            num = np.empty(len(chosen))
            noise = np.empty(len(chosen))
            for j, idx in enumerate(chosen):
                # a 0-d view of the entry: central_pairs perturbs it in place
                entry = (p[tuple(slice(i, i + 1) for i in idx)] if idx else p[...]).reshape(())
                label = f"{name}[{', '.join(str(i) for i in idx)}]" if idx else name
                n, e = _numerical(evaluate, entry, h, label)
                num[j], noise[j] = n[()], e[()]
            sampled = np.array([a[idx] for idx in chosen])
            check = _summarise(name, sampled, num, noise, rtol, atol)
            worst = None if check.worst_index is None else chosen[check.worst_index[0]]
            checks.append(replace(check, shape=tuple(p.shape), worst_index=worst))
        _detect_mutation(arrays, snapshot, names_list, "loss_fn")
    finally:
        _restore(arrays, snapshot)
    return GradcheckReport(checks, rtol)
