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

Examples
--------
>>> traj = run("quadratic", "adam", steps=200, lr=0.1)
>>> traj.points.shape, traj.diverged_at
((201, 2), None)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Sequence

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
    for axis, (lo, hi) in zip("xy", arr):
        if not lo < hi:
            raise ValueError(f"bounds for {axis} must satisfy min < max, got ({lo}, {hi})")
    return ((float(arr[0, 0]), float(arr[0, 1])), (float(arr[1, 0]), float(arr[1, 1])))


class Landscape:
    """Base class of the 2-D test functions (see the module docstring).

    Subclasses implement ``_value(x, y)`` and ``_gradient(x, y)`` on NumPy
    scalars or arrays of equal shape; the public :meth:`f` and :meth:`grad`
    validate the input and handle points and grids alike.
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
            the plotting bounds).
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
        \begin{pmatrix}x\\ y\end{pmatrix},

    i.e. :math:`f = \tfrac12 z^\top H z` with Hessian eigenvalues 1 and
    :math:`\kappa` (directions at angle :math:`\varphi` and :math:`\varphi + 90°`).
    Minimum :math:`f(0, 0) = 0`. Gradient descent converges iff
    :math:`0 < \mathrm{lr} < 2/\kappa`.

    Parameters
    ----------
    condition : float, default 10.0
        :math:`\kappa \ge 1`.
    angle : float, default 0.0
        :math:`\varphi` in radians (0: the stiff direction is the y axis).

    Examples
    --------
    >>> q = Quadratic(condition=10.0)
    >>> q.f(np.array([1.0, 1.0])), q.grad(np.array([1.0, 1.0]))
    (5.5, array([ 1., 10.]))
    """

    condition: float = 10.0
    angle: float = 0.0
    start: Point = (-4.0, 3.0)
    bounds: Bounds = ((-5.0, 5.0), (-5.0, 5.0))
    name: str = "quadratic"

    def __post_init__(self) -> None:
        condition = check_finite("condition", self.condition)
        if condition < 1.0:
            raise ValueError(f"condition must be >= 1, got {condition}")
        object.__setattr__(self, "condition", condition)
        object.__setattr__(self, "angle", check_finite("angle", self.angle))
        self._validate_fields()

    @property
    def minimum(self) -> Point:
        return (0.0, 0.0)

    def _uv(self, x: Any, y: Any) -> tuple[Any, Any, float, float]:
        c, s = math.cos(self.angle), math.sin(self.angle)
        return c * x + s * y, -s * x + c * y, c, s

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
    b : float, default 100.0
        Positive; the valley's steepness.

    Examples
    --------
    >>> Rosenbrock().grad(np.array([1.0, 1.0]))
    array([0., 0.])
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

    Examples
    --------
    >>> Beale().f(np.array([3.0, 0.5]))
    0.0
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

    Examples
    --------
    >>> Saddle().minimum is None
    True
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


def quadratic(condition: float = 10.0, angle: float = 0.0) -> Quadratic:
    """A convex quadratic with Hessian eigenvalues 1 and ``condition``, axes rotated by ``angle`` (radians).

    Examples
    --------
    >>> quadratic(condition=4.0).f(np.array([0.0, 1.0]))
    2.0
    """
    return Quadratic(condition=condition, angle=angle)


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Rosenbrock:
    """Rosenbrock's function ``(a - x)**2 + b * (y - x**2)**2``, minimum at ``(a, a**2)``.

    Examples
    --------
    >>> rosenbrock(a=2.0).minimum
    (2.0, 4.0)
    """
    return Rosenbrock(a=a, b=b)


def beale() -> Beale:
    """Beale's function, minimum at ``(3, 0.5)``.

    Examples
    --------
    >>> beale().minimum
    (3.0, 0.5)
    """
    return Beale()


def saddle() -> Saddle:
    """The saddle ``x**2 - y**2`` (no minimum).

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
            f"landscape must be a Landscape or one of {sorted(LANDSCAPES)}, got {type(landscape).__name__}"
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
                f"the optimizer factory must return a utils.optim.Optimizer, got {type(opt).__name__}"
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
    return Trajectory(points=points[: k + 1].copy(), losses=losses[: k + 1].copy(), diverged_at=diverged_at)


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
    landscape, optimizer, x0, **hyper
        As for :func:`run` (``lr`` must not be in ``hyper``).
    steps : int, default 100
        Length of each trial run, ``1 <= steps <=`` :data:`MAX_STEPS`.
    grid : sequence of float
        Candidate learning rates (positive).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If every candidate diverges.

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
        raise ValueError(f"every learning rate in grid diverged for {optimizer!r} on this landscape")
    # require_interior=True: a best rate at either end of the grid means the
    # optimum may lie outside it; widen the grid rather than trust the rate.
    ordered = sorted(candidates)
    if require_interior and best in (ordered[0], ordered[-1]):
        raise ValueError(
            f"the tuned learning rate of {optimizer!r}, {best:g}, is at the edge of "
            f"its grid [{', '.join(f'{v:g}' for v in ordered)}]: widen the grid"
        )
    return best
