r"""Two-dimensional test functions for watching optimizers move, and a runner.

Each landscape is a small frozen dataclass with

* ``f(xy)`` -- the value, for a point of shape ``(2,)`` (returns a ``float``) or
  a grid of shape ``(2, ...)`` such as ``np.stack(np.meshgrid(xs, ys))``
  (returns an array of shape ``...``), for contour plots;
* ``grad(xy)`` -- the analytic gradient, of the same shape as ``xy``;
* ``minimum`` -- the global minimiser ``(x, y)``, or ``None`` (the saddle);
* ``start`` -- a default starting point, ``bounds`` -- ``((xmin, xmax), (ymin, ymax))``
  for plotting, and ``name``.

:data:`LANDSCAPES` holds one instance of each by name, and :func:`run` runs an
optimizer of :mod:`utils.optim` on a landscape and returns its
:class:`Trajectory`, stopping cleanly if it diverges.

Chapter 7 (Optimizers and schedules) races the optimizers across these
landscapes; Chapter 4 (Gradient descent) runs gradient descent on the
quadratic.

Examples
--------
>>> traj = run("quadratic", "adam", steps=200, lr=0.1)
>>> traj.points.shape, traj.diverged_at
((201, 2), None)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import (
    check_callable,
    check_choice,
    check_count,
    check_finite,
    check_float64_array,
    check_positive,
)
from .optim import OPTIMIZER_NAMES, Optimizer, make_optimizer

__all__ = [
    "Landscape",
    "Quadratic",
    "Rosenbrock",
    "Beale",
    "Saddle",
    "quadratic",
    "rosenbrock",
    "beale",
    "saddle",
    "LANDSCAPES",
    "Trajectory",
    "run",
    "tune_lr",
    "LR_GRID",
    "DIVERGENCE_BOX",
    "DIVERGENCE_LOSS",
    "MAX_STEPS",
]

#: The largest number of updates :func:`run` and :func:`tune_lr` accept.
MAX_STEPS = 10**6

Point = tuple[float, float]
Bounds = tuple[tuple[float, float], tuple[float, float]]


def _check_pair(name: str, value: Any) -> Point:
    arr = check_float64_array(name, value)
    if arr.shape != (2,):
        raise ValueError(f"{name} must be a point (x, y) of shape (2,), got shape {arr.shape}")
    return (float(arr[0]), float(arr[1]))


def _check_bounds(value: Any) -> Bounds:
    arr = check_float64_array("bounds", value)
    if arr.shape != (2, 2):
        raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)), got shape {arr.shape}")
    for axis, (lo, hi) in zip("xy", arr, strict=False):
        if not lo < hi:
            raise ValueError(f"bounds for {axis} must satisfy min < max, got ({lo}, {hi})")
    return ((float(arr[0, 0]), float(arr[0, 1])), (float(arr[1, 0]), float(arr[1, 1])))


class Landscape:
    """Base class of the 2-D test functions (see the module docstring).

    Subclasses implement ``_value(x, y)`` and ``_gradient(x, y)`` on NumPy
    scalars or arrays of equal shape; the public :meth:`f` and :meth:`grad`
    validate the input and handle points and grids alike.

    See Also
    --------
    Quadratic, Rosenbrock, Beale, Saddle : The landscapes.
    run : Runs an optimizer on a landscape.

    Examples
    --------
    >>> land = LANDSCAPES["rosenbrock"]
    >>> isinstance(land, Landscape), land.name, land.minimum
    (True, 'rosenbrock', (1.0, 1.0))
    """

    name: str
    start: Point
    bounds: Bounds

    @property
    def minimum(self) -> Point | None:
        """The global minimiser ``(x, y)``, or ``None`` if there is none."""
        raise NotImplementedError

    def _value(self, x: Any, y: Any) -> Any:
        raise NotImplementedError

    def _gradient(self, x: Any, y: Any) -> tuple[Any, Any]:
        raise NotImplementedError

    def _validate_fields(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a str, got {type(self.name).__name__}")
        object.__setattr__(self, "start", _check_pair("start", self.start))
        object.__setattr__(self, "bounds", _check_bounds(self.bounds))

    def _xy(self, xy: Any) -> np.ndarray:
        arr = check_float64_array("xy", xy)
        if arr.ndim == 0 or arr.shape[0] != 2:
            raise ValueError(
                f"xy must have shape (2,) for a point or (2, ...) for a grid, got shape {arr.shape}"
            )
        return arr

    def f(self, xy: Any) -> float | np.ndarray:
        """The function value at a point ``(2,)`` (a float) or on a grid ``(2, ...)`` (an array).

        Values that overflow float64 are returned as ``inf`` (``-inf`` for the
        saddle, which is unbounded below), without a warning; never NaN.

        Parameters
        ----------
        xy : array_like
            Shape ``(2,)`` or ``(2, ...)``, finite, float64.

        Returns
        -------
        float or numpy.ndarray
            A ``float`` for a point, an array of shape ``xy.shape[1:]`` for a
            grid.

        Raises
        ------
        ValueError
            If ``xy`` has the wrong shape or a non-finite entry.

        See Also
        --------
        grad : The gradient.

        Examples
        --------
        >>> r = Rosenbrock()
        >>> r.f(np.array([0.0, 1.0]))  # (1 - 0)**2 + 100 (1 - 0)**2
        101.0
        >>> grid = np.stack(np.meshgrid([0.0, 1.0], [0.0, 1.0, 2.0]))
        >>> r.f(grid)  # one value per grid point, shape (3, 2)
        array([[  1., 100.],
               [101.,   0.],
               [401., 100.]])
        """
        arr = self._xy(xy)
        with np.errstate(over="ignore", under="ignore"):
            value = np.asarray(self._value(arr[0], arr[1]), dtype=np.float64)
        return float(value) if arr.ndim == 1 else value

    def grad(self, xy: Any) -> np.ndarray:
        """The analytic gradient, an array of the same shape as ``xy``.

        Parameters
        ----------
        xy : array_like
            Shape ``(2,)`` or ``(2, ...)``, finite, float64.

        Returns
        -------
        numpy.ndarray
            Components that overflow float64 are ``+inf`` or ``-inf``
            (without a warning); never NaN.

        Raises
        ------
        ValueError
            If the gradient is undefined in float64 (``inf - inf`` far outside
            the plotting bounds), or ``xy`` has the wrong shape or a
            non-finite entry.

        See Also
        --------
        f : The value.
        utils.numdiff.numerical_gradient : A numerical check of the gradient.

        Examples
        --------
        >>> r = Rosenbrock()
        >>> r.grad(np.array([0.0, 1.0]))  # (-2 (1 - x) - 400 x (y - x**2), 200 (y - x**2))
        array([ -2., 200.])
        >>> from utils.numdiff import numerical_gradient
        >>> xy = np.array([-1.2, 1.0])
        >>> bool(np.allclose(r.grad(xy), numerical_gradient(r.f, xy)))
        True
        """
        arr = self._xy(xy)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            gx, gy = self._gradient(arr[0], arr[1])
            out = np.stack([np.broadcast_to(gx, arr.shape[1:]), np.broadcast_to(gy, arr.shape[1:])])
        if np.isnan(out).any():
            raise ValueError(f"the gradient of {self.name} overflows float64 at these xy")
        return out.astype(np.float64, copy=False)


@dataclass(frozen=True)
class Quadratic(Landscape):
    r"""A convex quadratic bowl with condition number :math:`\kappa` and rotated axes.

    .. math::

        f(x, y) = \tfrac12\,(u^2 + \kappa\, v^2),\qquad
        \begin{pmatrix}u\\ v\end{pmatrix} =
        \begin{pmatrix}\cos\varphi & \sin\varphi\\ -\sin\varphi & \cos\varphi\end{pmatrix}
        \begin{pmatrix}x - c_x\\ y - c_y\end{pmatrix},

    i.e. :math:`f = \tfrac12 (z - c)^\top H (z - c)` with Hessian eigenvalues 1 and
    :math:`\kappa` (directions at angle :math:`\varphi` and :math:`\varphi + 90°`).
    Minimum :math:`f(c) = 0` at the centre :math:`c`, by default the origin.
    Gradient descent converges iff
    :math:`0 < \mathrm{lr} < 2/\kappa`; see Chapter 4 (Gradient descent).

    Parameters
    ----------
    condition : float, default 10.0
        :math:`\kappa \ge 1` (finite; ``ValueError`` otherwise).
    angle : float, default 0.0
        :math:`\varphi` in radians (0: the stiff direction is the y axis).
    start : tuple of float, default (-4.0, 3.0)
        The default starting point ``(x, y)`` of :func:`run` (finite).
    bounds : tuple of tuple of float, default ((-5.0, 5.0), (-5.0, 5.0))
        ``((xmin, xmax), (ymin, ymax))`` for plotting, with ``min < max``; the
        divergence box of :func:`run` is measured in these widths.
    name : str, default "quadratic"
        The name shown in plots and tables.
    center : tuple of float, default (0.0, 0.0)
        The minimiser :math:`c = (c_x, c_y)` (finite). Away from the origin, weight
        decay (which pulls towards the origin) no longer pulls towards the minimum.

    See Also
    --------
    quadratic : The same, as a function.
    utils.descent.gd_quadratic_2d : Gradient descent on it.
    utils.descent.quadratic_lr_limits : Its stable learning rates.

    Examples
    --------
    >>> q = Quadratic(condition=10.0)
    >>> q.f(np.array([1.0, 1.0])), q.grad(np.array([1.0, 1.0]))
    (5.5, array([ 1., 10.]))
    >>> q = Quadratic(condition=10.0, center=(1.0, 0.5))
    >>> q.minimum, q.f(np.array([2.0, 1.5])), q.grad(np.array([2.0, 1.5]))
    ((1.0, 0.5), 5.5, array([ 1., 10.]))
    """

    condition: float = 10.0
    angle: float = 0.0
    start: Point = (-4.0, 3.0)
    bounds: Bounds = ((-5.0, 5.0), (-5.0, 5.0))
    name: str = "quadratic"
    center: Point = (0.0, 0.0)

    def __post_init__(self) -> None:
        condition = check_finite("condition", self.condition)
        if condition < 1.0:
            raise ValueError(f"condition must be >= 1, got {condition}")
        object.__setattr__(self, "condition", condition)
        object.__setattr__(self, "angle", check_finite("angle", self.angle))
        object.__setattr__(self, "center", _check_pair("center", self.center))
        self._validate_fields()

    @property
    def minimum(self) -> Point:
        return self.center

    def _uv(self, x: Any, y: Any) -> tuple[Any, Any, float, float]:
        c, s = math.cos(self.angle), math.sin(self.angle)
        dx, dy = x - self.center[0], y - self.center[1]
        return c * dx + s * dy, -s * dx + c * dy, c, s

    def _value(self, x: Any, y: Any) -> Any:
        u, v, _, _ = self._uv(x, y)
        return 0.5 * (u * u + self.condition * (v * v))

    def _gradient(self, x: Any, y: Any) -> tuple[Any, Any]:
        u, v, c, s = self._uv(x, y)
        kv = self.condition * v
        return c * u - s * kv, s * u + c * kv


@dataclass(frozen=True)
class Rosenbrock(Landscape):
    r"""Rosenbrock's banana valley :math:`f = (a - x)^2 + b\,(y - x^2)^2`.

    Minimum :math:`f(a, a^2) = 0` at the end of a long, curved, flat valley;
    the default start is the classic :math:`(-1.2, 1)`.

    Parameters
    ----------
    a : float, default 1.0
        Finite; places the minimum at :math:`(a, a^2)`.
    b : float, default 100.0
        Positive; the valley's steepness.
    start : tuple of float, default (-1.2, 1.0)
        The default starting point ``(x, y)`` of :func:`run` (finite).
    bounds : tuple of tuple of float, default ((-2.0, 2.0), (-1.0, 3.0))
        ``((xmin, xmax), (ymin, ymax))`` for plotting, with ``min < max``; the
        divergence box of :func:`run` is measured in these widths.
    name : str, default "rosenbrock"
        The name shown in plots and tables.

    See Also
    --------
    rosenbrock : The same, as a function.
    Beale : Another classic test function.

    Examples
    --------
    >>> Rosenbrock().grad(np.array([1.0, 1.0]))
    array([0., 0.])
    >>> Rosenbrock(a=2.0, b=1.0).f(np.array([0.0, 0.0]))  # (2 - 0)**2 + 1 * 0**2
    4.0
    """

    a: float = 1.0
    b: float = 100.0
    start: Point = (-1.2, 1.0)
    bounds: Bounds = ((-2.0, 2.0), (-1.0, 3.0))
    name: str = "rosenbrock"

    def __post_init__(self) -> None:
        object.__setattr__(self, "a", check_finite("a", self.a))
        b = check_finite("b", self.b)
        if b <= 0:
            raise ValueError(f"b must be positive, got {b}")
        object.__setattr__(self, "b", b)
        self._validate_fields()

    @property
    def minimum(self) -> Point:
        return (self.a, self.a * self.a)

    def _value(self, x: Any, y: Any) -> Any:
        r = y - x * x
        return (self.a - x) ** 2 + self.b * (r * r)

    def _gradient(self, x: Any, y: Any) -> tuple[Any, Any]:
        r = y - x * x
        return -2.0 * (self.a - x) - 4.0 * self.b * x * r, 2.0 * self.b * r


@dataclass(frozen=True)
class Beale(Landscape):
    r"""Beale's function, flat plateaus and sharp ridges.

    .. math::

        f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2

    Minimum :math:`f(3, 0.5) = 0`.

    Parameters
    ----------
    start : tuple of float, default (1.0, 1.5)
        The default starting point ``(x, y)`` of :func:`run` (finite).
    bounds : tuple of tuple of float, default ((-4.5, 4.5), (-4.5, 4.5))
        ``((xmin, xmax), (ymin, ymax))`` for plotting, with ``min < max``; the
        divergence box of :func:`run` is measured in these widths.
    name : str, default "beale"
        The name shown in plots and tables.

    See Also
    --------
    beale : The same, as a function.
    Rosenbrock : Another classic test function.

    Examples
    --------
    >>> Beale().f(np.array([3.0, 0.5]))
    0.0
    >>> Beale().f(np.array([0.0, 0.0]))  # 1.5**2 + 2.25**2 + 2.625**2
    14.203125
    """

    start: Point = (1.0, 1.5)
    bounds: Bounds = ((-4.5, 4.5), (-4.5, 4.5))
    name: str = "beale"

    def __post_init__(self) -> None:
        self._validate_fields()

    @property
    def minimum(self) -> Point:
        return (3.0, 0.5)

    @staticmethod
    def _terms(x: Any, y: Any) -> tuple[Any, Any, Any, Any, Any]:
        y2 = y * y
        y3 = y2 * y
        return 1.5 - x + x * y, 2.25 - x + x * y2, 2.625 - x + x * y3, y2, y3

    def _value(self, x: Any, y: Any) -> Any:
        t1, t2, t3, _, _ = self._terms(x, y)
        return t1 * t1 + t2 * t2 + t3 * t3

    def _gradient(self, x: Any, y: Any) -> tuple[Any, Any]:
        t1, t2, t3, y2, y3 = self._terms(x, y)
        gx = 2.0 * (t1 * (y - 1.0) + t2 * (y2 - 1.0) + t3 * (y3 - 1.0))
        gy = 2.0 * x * (t1 + 2.0 * y * t2 + 3.0 * y2 * t3)
        return gx, gy


@dataclass(frozen=True)
class Saddle(Landscape):
    r"""The saddle :math:`f = x^2 - y^2`: **no minimum**.

    The only stationary point, the origin, is a saddle (Hessian
    :math:`\mathrm{diag}(2, -2)`), and :math:`f` is unbounded below along the
    y axis, so ``minimum`` is ``None``. Started exactly on the x axis, gradient
    descent converges to the saddle; from the default start, slightly off the
    axis, every optimizer eventually escapes along y and :func:`run` reports the
    escape as divergence once the point leaves the divergence box.

    Parameters
    ----------
    start : tuple of float, default (-1.5, 0.01)
        The default starting point ``(x, y)`` of :func:`run` (finite).
    bounds : tuple of tuple of float, default ((-2.0, 2.0), (-2.0, 2.0))
        ``((xmin, xmax), (ymin, ymax))`` for plotting, with ``min < max``; the
        divergence box of :func:`run` is measured in these widths.
    name : str, default "saddle"
        The name shown in plots and tables.

    See Also
    --------
    saddle : The same, as a function.
    run : Shows the escape.

    Examples
    --------
    >>> Saddle().minimum is None
    True
    >>> run(Saddle(), "sgd", x0=(1.0, 0.0), steps=100, lr=0.1).points[-1]  # x = 0.8**100, y = 0
    array([2.03703598e-10, 0.00000000e+00])
    """

    start: Point = (-1.5, 0.01)
    bounds: Bounds = ((-2.0, 2.0), (-2.0, 2.0))
    name: str = "saddle"

    def __post_init__(self) -> None:
        self._validate_fields()

    @property
    def minimum(self) -> None:
        return None

    def _value(self, x: Any, y: Any) -> Any:
        with np.errstate(over="ignore", invalid="ignore"):
            value = x * x - y * y
        if np.isnan(value).any():
            # inf - inf for huge |x| and |y|: use 4 (x/2 - y/2)(x/2 + y/2), which
            # overflows (to +inf or -inf) only when the true value does.
            hx, hy = 0.5 * x, 0.5 * y
            value = np.where(np.isnan(value), 4.0 * ((hx - hy) * (hx + hy)), value)
        return value

    def _gradient(self, x: Any, y: Any) -> tuple[Any, Any]:
        return 2.0 * x, -2.0 * y


def quadratic(condition: float = 10.0, angle: float = 0.0, center: Point = (0.0, 0.0)) -> Quadratic:
    """A convex quadratic with Hessian eigenvalues 1 and ``condition``, axes rotated by ``angle``.

    Parameters
    ----------
    condition : float, default 10.0
        The condition number, >= 1 (finite; ``ValueError`` otherwise).
    angle : float, default 0.0
        Rotation of the axes, in radians (finite).
    center : tuple of float, default (0.0, 0.0)
        The minimiser (finite).

    Returns
    -------
    Quadratic
        The landscape, with the default ``start``, ``bounds`` and ``name``.

    See Also
    --------
    Quadratic : The class, with the formula.
    utils.descent.quadratic_lr_limits : Its stable learning rates.

    Examples
    --------
    >>> quadratic(condition=4.0).f(np.array([0.0, 1.0]))
    2.0
    >>> q = quadratic(condition=4.0, angle=np.pi / 2)  # stiff direction now x
    >>> round(q.f(np.array([1.0, 0.0])), 12)
    2.0
    >>> quadratic(condition=4.0, center=(1.0, 2.0)).f(np.array([1.0, 3.0]))
    2.0
    """
    return Quadratic(condition=condition, angle=angle, center=center)


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Rosenbrock:
    """Rosenbrock's function ``(a - x)**2 + b * (y - x**2)**2``, minimum at ``(a, a**2)``.

    Parameters
    ----------
    a : float, default 1.0
        Finite; places the minimum.
    b : float, default 100.0
        Positive; the valley's steepness.

    Returns
    -------
    Rosenbrock
        The landscape, with the default ``start``, ``bounds`` and ``name``.

    See Also
    --------
    Rosenbrock : The class.

    Examples
    --------
    >>> rosenbrock(a=2.0).minimum
    (2.0, 4.0)
    """
    return Rosenbrock(a=a, b=b)


def beale() -> Beale:
    """Beale's function, minimum at ``(3, 0.5)``.

    Returns
    -------
    Beale
        The landscape, with the default ``start``, ``bounds`` and ``name``.

    See Also
    --------
    Beale : The class, with the formula.

    Examples
    --------
    >>> beale().minimum
    (3.0, 0.5)
    """
    return Beale()


def saddle() -> Saddle:
    """The saddle ``x**2 - y**2`` (no minimum).

    Returns
    -------
    Saddle
        The landscape, with the default ``start``, ``bounds`` and ``name``.

    See Also
    --------
    Saddle : The class, and what optimizers do there.

    Examples
    --------
    >>> saddle().grad(np.array([1.0, 1.0]))
    array([ 2., -2.])
    """
    return Saddle()


LANDSCAPES: dict[str, Landscape] = {
    "quadratic": quadratic(),
    "rosenbrock": rosenbrock(),
    "beale": beale(),
    "saddle": saddle(),
}
"""One default instance of each landscape, by name."""


DIVERGENCE_BOX = 1e6
"""A point farther than this many bounds-widths from the centre of the bounds has diverged."""

DIVERGENCE_LOSS = 1e6
"""A loss above ``DIVERGENCE_LOSS * max(1, |f(x0)|)`` has diverged."""


@dataclass(frozen=True)
class Trajectory:
    """The path of an optimizer on a landscape.

    Attributes
    ----------
    points : numpy.ndarray
        Shape ``(k + 1, 2)``: the start :math:`\\theta_0` and the points after
        each of the ``k`` successful updates. Always finite.
    losses : numpy.ndarray
        Shape ``(k + 1,)``: ``f`` at each point. Always finite.
    diverged_at : int or None
        ``None`` if all requested steps were taken (``k = steps``). Otherwise
        the number ``t`` of the update that diverged (``k = t - 1``, so
        ``len(points) == diverged_at``): its result :math:`\\theta_t` was
        non-finite, left the divergence box or had a loss above the limit, or
        the gradient at :math:`\\theta_{t-1}` overflowed. That point is *not*
        included.

    See Also
    --------
    run : Returns it.

    Examples
    --------
    >>> traj = run(quadratic(condition=1.0), "sgd", x0=(2.0, 0.0), steps=2, lr=0.5)
    >>> traj.points.tolist(), traj.losses.tolist(), traj.diverged_at  # halves each step
    ([[2.0, 0.0], [1.0, 0.0], [0.5, 0.0]], [2.0, 0.5, 0.125], None)
    """

    points: np.ndarray
    losses: np.ndarray
    diverged_at: int | None


def run(
    landscape: Landscape | str,
    optimizer: str | Callable[..., Optimizer],
    x0: Any = None,
    steps: int = 100,
    **hyper: Any,
) -> Trajectory:
    """Run an optimizer from ``x0`` for ``steps`` updates and record the path.

    Divergence is detected, never propagated: the run stops at the first update
    whose result is non-finite, lies farther than ``DIVERGENCE_BOX`` times the
    width of ``landscape.bounds`` from their centre (in x or y), or has a loss
    above ``DIVERGENCE_LOSS * max(1, |f(x0)|)`` (or whose gradient input
    overflowed). Floating-point warnings are suppressed locally and the returned
    arrays contain no NaN or infinity.

    Parameters
    ----------
    landscape : Landscape or str
        An instance, or a name in :data:`LANDSCAPES`.
    optimizer : str or callable
        A name for :func:`utils.optim.make_optimizer` (``"sgd"``, ``"momentum"``,
        ``"nesterov"``, ``"rmsprop"``, ``"adam"``, ``"adamw"``), or a factory
        ``factory(params, **hyper) -> Optimizer`` such as :class:`utils.optim.Adam`.
    x0 : array_like, optional
        Start ``(x, y)``; default ``landscape.start``.
    steps : int, default 100
        Number of updates, ``0 <= steps <=`` :data:`MAX_STEPS`.
    **hyper
        Hyper-parameters of the optimizer (``lr=...``, ``momentum=...``).

    Returns
    -------
    Trajectory
        The points and losses up to the last finite, in-bounds update, and
        ``diverged_at``.

    See Also
    --------
    tune_lr : Picks the learning rate by running this.
    utils.optim.make_optimizer : The optimizers by name.

    Examples
    --------
    Gradient descent on a quadratic with condition number 10 diverges for
    ``lr > 2/10``:

    >>> q = quadratic(condition=10.0)
    >>> run(q, "sgd", steps=100, lr=0.15).diverged_at is None
    True
    >>> traj = run(q, "sgd", steps=100, lr=0.25)
    >>> traj.diverged_at, len(traj.points) == traj.diverged_at
    (18, True)
    """
    if isinstance(landscape, str):
        check_choice("landscape", landscape, list(LANDSCAPES))
        landscape = LANDSCAPES[landscape]
    elif not isinstance(landscape, Landscape):
        raise TypeError(
            f"landscape must be a Landscape or one of {sorted(LANDSCAPES)}, "
            f"got {type(landscape).__name__}"
        )
    steps = check_count("steps", steps, minimum=0, maximum=MAX_STEPS)
    start = _check_pair("x0", landscape.start if x0 is None else x0)
    point = np.array(start, dtype=np.float64)
    if isinstance(optimizer, str):
        check_choice("optimizer", optimizer, OPTIMIZER_NAMES)
        opt = make_optimizer(optimizer, [point], **hyper)
    else:
        opt = check_callable("optimizer", optimizer)([point], **hyper)
        if not isinstance(opt, Optimizer):
            raise TypeError(
                "the optimizer factory must return a utils.optim.Optimizer, "
                f"got {type(opt).__name__}"
            )

    (xmin, xmax), (ymin, ymax) = landscape.bounds
    cx, cy = 0.5 * (xmin + xmax), 0.5 * (ymin + ymax)
    rx, ry = DIVERGENCE_BOX * (xmax - xmin), DIVERGENCE_BOX * (ymax - ymin)
    value, gradient = landscape._value, landscape._gradient

    points = np.empty((steps + 1, 2))
    losses = np.empty(steps + 1)
    diverged_at = None
    isfinite = math.isfinite
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        x, y = point[0], point[1]
        loss = float(value(x, y))
        if not isfinite(loss):
            raise ValueError(f"f(x0) is not finite at x0 = {start}")
        loss_limit = DIVERGENCE_LOSS * max(1.0, abs(loss))
        points[0] = point
        losses[0] = loss
        k = 0
        for t in range(1, steps + 1):
            gx, gy = gradient(x, y)
            if not (isfinite(gx) and isfinite(gy)):
                diverged_at = t
                break
            try:
                opt.step([np.array([gx, gy])])
            except OverflowError:  # the update itself overflowed: divergence
                diverged_at = t
                break
            x, y = point[0], point[1]
            loss = float(value(x, y))
            if not (
                isfinite(loss)
                and loss <= loss_limit
                and abs(x - cx) <= rx  # False for NaN
                and abs(y - cy) <= ry
            ):
                diverged_at = t
                break
            points[t] = point
            losses[t] = loss
            k = t
    return Trajectory(
        points=points[: k + 1].copy(), losses=losses[: k + 1].copy(), diverged_at=diverged_at
    )


#: The default grid of :func:`tune_lr`: 17 learning rates, four per decade, from 1e-4 to 1.
LR_GRID = tuple(float(v) for v in np.logspace(-4, 0, 17))


def tune_lr(
    landscape: Landscape | str,
    optimizer: str | Callable[..., Optimizer],
    steps: int = 100,
    grid: Sequence[float] = LR_GRID,
    x0: Any = None,
    require_interior: bool = False,
    **hyper: Any,
) -> float:
    """The learning rate from ``grid`` that reaches the lowest loss after ``steps`` updates.

    A fair race between optimizers gives each its own tuned learning rate,
    because their scales differ by orders of magnitude (Adam's step is about
    ``lr`` per coordinate whatever the gradient; SGD's is ``lr`` times the
    gradient). Runs that diverge are excluded; ties go to the larger rate.

    Parameters
    ----------
    landscape : Landscape or str
        As for :func:`run`.
    optimizer : str or callable
        As for :func:`run`.
    steps : int, default 100
        Length of each trial run, ``1 <= steps <=`` :data:`MAX_STEPS`.
    grid : sequence of float, default LR_GRID
        Candidate learning rates (positive, finite; at least one).
    x0 : array_like, optional
        As for :func:`run`.
    require_interior : bool, default False
        If True, a best rate at either end of ``grid`` raises ``ValueError``
        (naming the optimizer, the rate and the grid): the true best rate may
        lie beyond the grid, so widen it. A fair race needs this (Chapter 7
        (Optimizers and schedules)).
    **hyper
        Other hyper-parameters, as for :func:`run`; ``lr`` among them raises
        ``TypeError`` (the grid supplies it).

    Returns
    -------
    float
        The best learning rate of ``grid``.

    Raises
    ------
    ValueError
        If every candidate diverges, or (with ``require_interior``) if the best
        rate is at an end of ``grid``.

    See Also
    --------
    run : One trial run.
    LR_GRID : The default grid.

    Examples
    --------
    On a quadratic with condition number 10, gradient descent is fastest just
    below the stability limit 2/10:

    >>> tune_lr(quadratic(10.0), "sgd", steps=50, grid=[0.01, 0.1, 0.18, 0.25])
    0.18
    """
    if "lr" in hyper:
        raise TypeError("tune_lr() chooses lr itself: do not pass lr")
    steps = check_count("steps", steps, minimum=1, maximum=MAX_STEPS)
    if isinstance(grid, (str, bytes)) or not hasattr(grid, "__iter__"):
        raise TypeError(f"grid must be a sequence of learning rates, got {type(grid).__name__}")
    from ._validate import check_bool  # (kept local: a small, late addition)

    require_interior = check_bool("require_interior", require_interior)
    candidates = [check_positive(f"grid[{i}]", v) for i, v in enumerate(grid)]
    if not candidates:
        raise ValueError("grid must contain at least one learning rate")
    best, best_loss = None, math.inf
    for lr in sorted(candidates):
        traj = run(landscape, optimizer, x0=x0, steps=steps, lr=lr, **hyper)
        if traj.diverged_at is None and traj.losses[-1] <= best_loss:
            best, best_loss = lr, traj.losses[-1]
    if best is None:
        raise ValueError(
            f"every learning rate in grid diverged for {optimizer!r} on this landscape"
        )
    # require_interior=True: a best rate at either end of the grid means the
    # optimum may lie outside it; widen the grid rather than trust the rate.
    ordered = sorted(candidates)
    if require_interior and best in (ordered[0], ordered[-1]):
        where = landscape if isinstance(landscape, str) else landscape.name
        raise ValueError(
            f"the tuned learning rate of {optimizer!r} on {where}, {best:g}, is at the edge "
            f"of its grid [{', '.join(f'{v:g}' for v in ordered)}]: the best rate may lie "
            "outside; widen the grid"
        )
    return best


# ---------------------------------------------------------------------------
# level sets of the quadratic, and the optimizer race of chapter 7
# ---------------------------------------------------------------------------


def quadratic_level_set(
    condition: float, level: float, angle: float = 0.0, n: int = 120
) -> np.ndarray:
    r"""Points on the ellipse :math:`f = c` of :func:`quadratic` ``(condition, angle)``.

    With :math:`f = \tfrac12(u^2 + \kappa v^2)` and :math:`(u, v)` the
    coordinates rotated by :math:`\varphi` (see :class:`Quadratic`), the level
    set :math:`f = c` is the ellipse

    .. math::

        u = \sqrt{2c}\,\cos t,\qquad v = \sqrt{2c/\kappa}\,\sin t,\qquad
        0 \le t \le 2\pi,

    rotated back to :math:`(x, y)`: semi-axes :math:`\sqrt{2c}` along the flat
    direction and :math:`\sqrt{2c/\kappa}` along the stiff one. Chapter 4
    (Gradient descent) draws these rings under the iterates.

    Parameters
    ----------
    condition : float
        The condition number :math:`\kappa \ge 1` (finite).
    level : float
        The level :math:`c \ge 0` (finite; 0 gives the minimum, repeated).
    angle : float, default 0.0
        The rotation :math:`\varphi` of the axes, in radians (finite).
    n : int, default 120
        Number of points, ``2 <= n <= 10**6``; the first and last coincide
        (a closed curve).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``: the points ``(x, y)``.

    See Also
    --------
    Quadratic : The landscape and its formula.
    utils.descent.gd_quadratic_2d : Gradient descent on it.

    Examples
    --------
    With :math:`\kappa = 4` and no rotation, the ellipse :math:`f = 2` has
    semi-axes 2 (along x) and 1 (along y):

    >>> quadratic_level_set(4.0, 2.0, n=5).round(12)
    array([[ 2.,  0.],
           [ 0.,  1.],
           [-2.,  0.],
           [-0., -1.],
           [ 2., -0.]])
    >>> q = quadratic(4.0, angle=0.3)
    >>> bool(np.allclose(q.f(quadratic_level_set(4.0, 2.0, angle=0.3).T), 2.0))
    True
    """
    condition = check_finite("condition", condition)
    if condition < 1.0:
        raise ValueError(f"condition must be >= 1, got {condition}")
    level = check_finite("level", level)
    if level < 0:
        raise ValueError(f"level must be >= 0 (the minimum of the quadratic is 0), got {level}")
    angle = check_finite("angle", angle)
    n = check_count("n", n, minimum=2, maximum=10**6)
    t = np.linspace(0.0, 2.0 * np.pi, n)
    u, v = np.sqrt(2.0 * level) * np.cos(t), np.sqrt(2.0 * level / condition) * np.sin(t)
    c, s = math.cos(angle), math.sin(angle)
    return np.column_stack([c * u - s * v, s * u + c * v])


RACE_LANDSCAPES: dict[str, Landscape] = {
    # minimum away from the origin, so that AdamW's weight decay (which pulls towards the
    # origin) does not pull straight to it; start and bounds move with it (same geometry)
    "quadratic κ=10": Quadratic(
        10.0, angle=0.5, center=(1.0, 0.5), start=(-3.0, 3.5), bounds=((-4.0, 6.0), (-4.5, 5.5))
    ),
    "Rosenbrock": rosenbrock(),
    "Beale": beale(),
    "saddle": saddle(),
}
"""The landscapes of chapter 7's optimizer race, by the label the book shows."""

RACE_TUNED_ON: dict[str, str] = {
    "quadratic κ=10": "quadratic κ=10",
    "Rosenbrock": "Rosenbrock",
    "Beale": "Beale",
    "saddle": "quadratic κ=10",
}
"""The race landscape each race landscape's learning rates are tuned on.

The saddle has no minimum: the lowest loss after a fixed number of steps
belongs to the largest rate that has not yet left the float-safe box, so
tuning there only finds the grid's top. It borrows the quadratic's rates.
"""

RACE_LR_GRID = tuple(float(v) for v in np.logspace(-5, 3, 33))
"""The race's learning-rate grid: 33 rates, four per decade, from 1e-5 to 1e3."""

RACE_STEPS = 150
"""Length of the trial runs that tune the race's learning rates."""


def race_hyper(optimizer: str, beta: float) -> dict[str, Any]:
    """The hyper-parameters other than ``lr`` of an optimizer in the race.

    The race is that of Chapter 7 (Optimizers and schedules).

    One ``beta`` plays the part of the momentum coefficient (momentum,
    Nesterov) and of Adam's :math:`\\beta_1` (Adam, AdamW, with
    :math:`\\beta_2 = 0.999`); AdamW adds PyTorch's default weight decay 0.01.
    SGD and RMSprop ignore ``beta``. Chapter 7 (Optimizers and schedules)
    explains each optimizer.

    Parameters
    ----------
    optimizer : str
        One of :data:`utils.optim.OPTIMIZER_NAMES`.
    beta : float
        In ``(0, 1)``.

    Returns
    -------
    dict
        Keyword arguments for :func:`run` and :func:`tune_lr`.

    See Also
    --------
    tuned_rates : Tunes ``lr`` with these.
    utils.optim.make_optimizer : Where they go.

    Examples
    --------
    >>> race_hyper("nesterov", 0.9)
    {'momentum': 0.9}
    >>> race_hyper("adamw", 0.8)
    {'betas': (0.8, 0.999), 'weight_decay': 0.01}
    >>> race_hyper("sgd", 0.9)
    {}
    """
    check_choice("optimizer", optimizer, OPTIMIZER_NAMES)
    beta = check_finite("beta", beta)
    if not 0.0 < beta < 1.0:
        raise ValueError(f"beta must be in (0, 1), got {beta}")
    if optimizer in ("momentum", "nesterov"):
        return {"momentum": beta}
    if optimizer == "adam":
        return {"betas": (beta, 0.999)}
    if optimizer == "adamw":
        return {"betas": (beta, 0.999), "weight_decay": 0.01}
    return {}


@functools.lru_cache(maxsize=256)
def _tuned(
    landscape: Landscape, beta: float, steps: int, grid: tuple[float, ...]
) -> dict[str, float]:
    rates = {}
    for name in OPTIMIZER_NAMES:
        rates[name] = tune_lr(
            landscape, name, steps=steps, grid=grid, require_interior=True, **race_hyper(name, beta)
        )
    return rates


def tuned_rates(
    landscape: Landscape,
    beta: float,
    steps: int = RACE_STEPS,
    grid: Sequence[float] = RACE_LR_GRID,
) -> dict[str, float]:
    """Each optimizer's rate tuned on ``landscape`` by :func:`tune_lr`, checked inside the grid.

    A race is fair only if each optimizer runs at its own best rate (Chapter 7
    (Optimizers and schedules)), and a best rate is trustworthy only if it lies
    strictly inside the grid searched: at an end, the optimum may lie beyond
    it, and the race would be decided by where the grid stops. Results are
    cached, so a widget pays for each (landscape, beta, steps, grid) once.

    Parameters
    ----------
    landscape : Landscape
        A landscape with a minimum (``minimum`` not ``None``).
    beta : float
        As for :func:`race_hyper`, in ``(0, 1)``.
    steps : int, default RACE_STEPS
        Length of each trial run, ``1 <= steps <=`` :data:`MAX_STEPS`.
    grid : sequence of float, default RACE_LR_GRID
        Candidate rates, positive and finite, at least three.

    Returns
    -------
    dict
        Optimizer name -> tuned learning rate, for every name of
        :data:`utils.optim.OPTIMIZER_NAMES`.

    Raises
    ------
    ValueError
        If a tuned rate is the smallest or the largest of ``grid``, if
        ``landscape`` has no minimum (a loss unbounded below has no best
        rate), or if every rate diverges for some optimizer.

    See Also
    --------
    tune_lr : Tunes one optimizer.
    RACE_TUNED_ON : Which landscape the race tunes on.

    Examples
    --------
    Gradient descent on a quadratic with Hessian eigenvalues 1 and 10 is
    fastest at :math:`2/(1 + 10) \\approx 0.18`, inside the race's grid:

    >>> rates = tuned_rates(quadratic(10.0), beta=0.9)
    >>> round(rates["sgd"], 3)
    0.178
    >>> tuned_rates(quadratic(10.0), beta=0.9, grid=[0.001, 0.01, 0.1])
    Traceback (most recent call last):
    ...
    ValueError: the tuned learning rate of 'sgd' on quadratic, 0.1, is at the edge of its grid ...
    """
    if not isinstance(landscape, Landscape):
        raise TypeError(f"landscape must be a Landscape, got {type(landscape).__name__}")
    if landscape.minimum is None:
        raise ValueError(
            f"{landscape.name} has no minimum: the lowest loss after {steps} steps belongs to the "
            "largest rate that has not yet left the float range; tune on a landscape with a minimum"
        )
    beta = check_finite("beta", beta)
    if not 0.0 < beta < 1.0:
        raise ValueError(f"beta must be in (0, 1), got {beta}")
    steps = check_count("steps", steps, minimum=1, maximum=MAX_STEPS)
    if isinstance(grid, (str, bytes)) or not hasattr(grid, "__iter__"):
        raise TypeError(f"grid must be a sequence of learning rates, got {type(grid).__name__}")
    rates = tuple(sorted(check_positive(f"grid[{i}]", v) for i, v in enumerate(grid)))
    if len(rates) < 3:
        raise ValueError(f"grid must hold at least three rates (an interior one), got {len(rates)}")
    return dict(_tuned(landscape, beta, steps, rates))


def escape_step(landscape: Landscape, traj: Trajectory) -> int | None:
    """The step at which a run escaped down a landscape unbounded below, or ``None``.

    On a landscape without a minimum (the saddle) a run that leaves the plot
    with its loss falling has *succeeded*: it found the way down, and
    :func:`run` stops it only when it leaves the float-safe box. This
    function tells such an escape from a divergence (a loss that grows).
    A run has escaped at step :math:`t` if

    * ``landscape.minimum`` is ``None``;
    * :math:`\\theta_t` lies outside ``landscape.bounds``;
    * its loss is below the start by a margin,
      :math:`f(\\theta_t) < f(\\theta_0) - \\max(1, |f(\\theta_0)|)`;
    * and the loss is still falling at the end of the run:
      the last recorded loss is at most :math:`f(\\theta_t)`.

    The first such :math:`t` is returned. Chapter 7 (Optimizers and
    schedules) races optimizers off the saddle.

    Parameters
    ----------
    landscape : Landscape
        The landscape ``traj`` ran on.
    traj : Trajectory
        A run, as returned by :func:`run`.

    Returns
    -------
    int or None
        The first step of the escape, or ``None`` if the run did not escape
        (always ``None`` on a landscape with a minimum).

    See Also
    --------
    run : Stops a run that leaves the float-safe box.
    Saddle : The landscape unbounded below.

    Examples
    --------
    Gradient descent at ``lr = 0.25`` multiplies ``y`` by 1.5 per step: from
    ``y = 0.01`` it leaves the plot (``|y| > 2``) at step 14, with the loss
    far below its start of 2.25:

    >>> s = saddle()
    >>> traj = run(s, "sgd", steps=40, lr=0.25)
    >>> escape_step(s, traj)
    14
    >>> round(float(traj.points[13, 1]), 3), round(0.01 * 1.5**14, 3)  # y at steps 13 and 14
    (1.946, 2.919)
    >>> escape_step(s, run(s, "sgd", x0=(1.0, 0.0), steps=40, lr=0.25)) is None  # on the x axis
    True
    """
    if not isinstance(landscape, Landscape):
        raise TypeError(f"landscape must be a Landscape, got {type(landscape).__name__}")
    if not isinstance(traj, Trajectory):
        raise TypeError(f"traj must be a Trajectory (from run), got {type(traj).__name__}")
    if landscape.minimum is not None:
        return None
    (xmin, xmax), (ymin, ymax) = landscape.bounds
    x, y = traj.points[:, 0], traj.points[:, 1]
    outside = (x < xmin) | (x > xmax) | (y < ymin) | (y > ymax)
    start = traj.losses[0]
    below = traj.losses < start - max(1.0, abs(start))
    candidates = np.flatnonzero(outside & below)
    if candidates.size == 0:
        return None
    t = int(candidates[0])
    return t if traj.losses[-1] <= traj.losses[t] else None


__all__ += [
    "quadratic_level_set",
    "RACE_LANDSCAPES",
    "RACE_TUNED_ON",
    "RACE_LR_GRID",
    "RACE_STEPS",
    "race_hyper",
    "tuned_rates",
    "escape_step",
]
