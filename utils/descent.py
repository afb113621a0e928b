r"""Gradient-descent experiments: step sizes on quadratics, and mini-batch SGD.

Chapter 4 (Gradient descent) explains what these functions run: the
learning-rate regimes, the zig-zag on an ill-conditioned quadratic and
mini-batch SGD. Chapter 3 (Gradients and Jacobians) explains the Hessian and
the condition number behind the learning-rate limits.

Three experiments, each a fast pure function (a slider moves, the function
runs, a plot redraws):

* :func:`gd_quadratic_1d` -- gradient descent on the parabola
  :math:`L(w) = \tfrac{c}{2}(w - w^*)^2`, with :func:`quadratic_regime` and
  :func:`contraction_factor` saying in advance what the run will do;
* :func:`gd_quadratic_2d` -- gradient descent on the ill-conditioned bowl of
  :func:`utils.landscapes.quadratic` (the zig-zag), with
  :func:`quadratic_lr_limits` giving the largest stable and the optimal
  learning rates;
* :func:`minibatch_sgd_linear_regression` -- mini-batch SGD for a straight-line
  fit on :func:`utils.data.noisy_line`, recording the *full-data* loss after
  every update next to the least-squares floor.

Divergence is detected, never propagated: a run stops at the first update
whose loss exceeds ``DIVERGENCE_LOSS * max(1, L_0)`` (the constant of
:mod:`utils.landscapes`) or is not finite, and reports that update as
``diverged_at``; the returned arrays never contain NaN or infinity, and no
floating-point warning is emitted.

Examples
--------
>>> r = gd_quadratic_1d(0.1, steps=20)  # w_t = 3 - 3 * 0.8**t
>>> f"{r.iterates[-1]:.4f}", quadratic_regime(0.1, 2.0)
('2.9654', 'slow')
>>> gd_quadratic_1d(1.1, steps=200).diverged_at  # loss x 1.44 per step passes 1e6 x L0
38
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import (
    check_bool,
    check_count,
    check_finite,
    check_float64_array,
    check_int,
    check_positive,
    check_seed,
)
from .data import MAX_SAMPLES, noisy_line
from .landscapes import DIVERGENCE_LOSS, MAX_STEPS, Quadratic, quadratic, run

__all__ = [
    "QuadraticRun",
    "SGDRun",
    "REGIMES",
    "quadratic_regime",
    "contraction_factor",
    "quadratic_lr_limits",
    "gd_quadratic_1d",
    "gd_quadratic_2d",
    "minibatch_sgd_linear_regression",
    "squared_error_terms",
    "MAX_STEPS",
]

#: The values :func:`quadratic_regime` can return, from small to large ``lr * curvature``.
REGIMES = ("slow", "optimal", "oscillating", "cycling", "divergent")


@dataclass(frozen=True)
class QuadraticRun:
    """A gradient-descent run on a quadratic (:func:`gd_quadratic_1d`, :func:`gd_quadratic_2d`).

    Attributes
    ----------
    iterates : numpy.ndarray
        Shape ``(k + 1,)`` (1-D problem) or ``(k + 1, 2)`` (2-D problem): the
        start :math:`w_0` and the point after each of the ``k`` updates taken.
        Always finite.
    losses : numpy.ndarray
        Shape ``(k + 1,)``: the loss at each iterate. Always finite.
    diverged_at : int or None
        ``None`` if every requested step was taken (``k = steps``); otherwise
        the number ``t >= 1`` of the update that diverged, which is *not*
        included, so that ``len(iterates) == diverged_at``.
    lr : float
        The learning rate used.
    lr_limits : dict
        ``{"max_stable", "optimal", "rate_at_optimal", "lambda_min",
        "lambda_max"}`` of this quadratic (see :func:`quadratic_lr_limits`;
        in 1-D ``max_stable = 2/c``, ``optimal = 1/c`` and ``rate_at_optimal = 0``).
    contraction : float
        The factor by which the distance to the minimiser shrinks per step in
        the slowest direction, :math:`\\max_i |1 - \\mathrm{lr}\\,\\lambda_i|`
        (< 1: converges; 1: neither converges nor diverges; > 1: diverges).

    See Also
    --------
    gd_quadratic_1d, gd_quadratic_2d : The runs that return it.
    SGDRun : The result of a mini-batch SGD run.

    Examples
    --------
    >>> r = gd_quadratic_1d(0.25, steps=3)  # error x (1 - 0.25 * 2) per step
    >>> r.iterates.tolist(), r.contraction, r.lr_limits["max_stable"]
    ([0.0, 1.5, 2.25, 2.625], 0.5, 1.0)
    """

    iterates: np.ndarray
    losses: np.ndarray
    diverged_at: int | None
    lr: float
    lr_limits: dict[str, float]
    contraction: float


@dataclass(frozen=True)
class SGDRun:
    r"""A mini-batch SGD run for the straight-line fit :math:`\hat y = w x + b`.

    Attributes
    ----------
    params : numpy.ndarray
        Shape ``(k + 1, 2)``: :math:`(w, b)` at the start and after each of
        the ``k`` updates taken. Always finite.
    full_losses : numpy.ndarray
        Shape ``(k + 1,)``: the mean squared error on *all* ``n`` points at
        each row of ``params`` (not the loss of the mini-batch just used).
    epochs_at : numpy.ndarray
        Integer indices into ``params`` / ``full_losses`` of the state at the
        end of each *completed* epoch: ``epochs_at[e] = (e + 1) * updates_per_epoch``.
    diverged_at : int or None
        ``None`` if every update was taken; otherwise the number ``t >= 1`` of
        the update that diverged (not included: ``len(params) == diverged_at``).
    lr : float
        The learning rate used.
    batch_size : int
        Points per update (the last batch of an epoch may be smaller).
    updates_per_epoch : int
        ``ceil(n / batch_size)``.
    optimum : tuple of float
        The least-squares solution :math:`(w^*, b^*)` on the same data.
    optimum_loss : float
        Its mean squared error: the floor no run can go below.
    x, y : numpy.ndarray
        The data, shape ``(n,)`` each (from :func:`utils.data.noisy_line`).

    See Also
    --------
    minibatch_sgd_linear_regression : The run that returns it.
    QuadraticRun : The result of a run on a quadratic.

    Examples
    --------
    >>> r = minibatch_sgd_linear_regression(batch_size=300, lr=0.1, epochs=2)
    >>> r.updates_per_epoch, r.epochs_at.tolist(), r.params.shape
    (4, [4, 8], (9, 2))
    >>> w, b = np.polyfit(r.x, r.y, 1)  # least squares, independently
    >>> bool(np.allclose(r.optimum, (w, b)))
    True
    """

    params: np.ndarray
    full_losses: np.ndarray
    epochs_at: np.ndarray
    diverged_at: int | None
    lr: float
    batch_size: int
    updates_per_epoch: int
    optimum: tuple[float, float]
    optimum_loss: float
    x: np.ndarray
    y: np.ndarray


# ---------------------------------------------------------------------------
# the 1-D quadratic
# ---------------------------------------------------------------------------


def quadratic_regime(lr: float, curvature: float = 2.0) -> str:
    r"""What gradient descent does on a 1-D quadratic, from the product ``lr * curvature``.

    On :math:`L(w) = \tfrac{c}{2}(w - w^*)^2` one gradient step multiplies the
    error :math:`w_t - w^*` by :math:`r = 1 - \eta c` and the loss by
    :math:`r^2`, hence the regimes, which Chapter 4 (Gradient descent) derives:

    ===================  ================  =================================================
    :math:`\eta c`       regime            behaviour
    ===================  ================  =================================================
    :math:`(0, 1)`       ``"slow"``        :math:`0 < r < 1`: monotone approach from one side
    :math:`= 1`          ``"optimal"``     :math:`r = 0`: the minimiser in one step
    :math:`(1, 2)`       ``"oscillating"`` :math:`-1 < r < 0`: converges, overshooting (sign flips)
    :math:`= 2`          ``"cycling"``     :math:`r = -1`: jumps between :math:`w_0` and
                                           :math:`2w^* - w_0` forever, loss constant
    :math:`> 2`          ``"divergent"``   :math:`r < -1`: the error grows by :math:`|r|` per step
    ===================  ================  =================================================

    The comparisons are exact on the floating-point product ``lr * curvature``.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\eta > 0` (finite; ``ValueError`` otherwise).
    curvature : float, default 2.0
        :math:`c = L'' > 0` (finite; ``ValueError`` otherwise).

    Returns
    -------
    str
        One of :data:`REGIMES`.

    See Also
    --------
    contraction_factor : The factor :math:`|r|` itself.
    gd_quadratic_1d : Runs gradient descent in the regime.

    Examples
    --------
    >>> [quadratic_regime(lr) for lr in (0.1, 0.5, 0.9, 1.0, 1.1)]
    ['slow', 'optimal', 'oscillating', 'cycling', 'divergent']
    """
    p = check_positive("lr", lr) * check_positive("curvature", curvature)
    if p < 1.0:
        return "slow"
    if p == 1.0:
        return "optimal"
    if p < 2.0:
        return "oscillating"
    if p == 2.0:
        return "cycling"
    return "divergent"


def contraction_factor(lr: float, curvature: float = 2.0) -> float:
    r"""The factor :math:`|1 - \eta c|` by which each step multiplies the distance to the minimiser.

    Below 1 the run converges (linearly, at this rate), above 1 it diverges;
    see Chapter 4 (Gradient descent).

    Parameters
    ----------
    lr : float
        Learning rate :math:`\eta > 0` (finite; ``ValueError`` otherwise).
    curvature : float, default 2.0
        :math:`c = L'' > 0` (finite; ``ValueError`` otherwise).

    Returns
    -------
    float
        :math:`|1 - \eta c|`. If :math:`\eta c` overflows float64 it is
        ``inf`` (certain divergence), never NaN.

    See Also
    --------
    quadratic_regime : The regime the factor puts the run in.
    quadratic_lr_limits : The 2-D version, per eigenvalue of the Hessian.

    Examples
    --------
    >>> contraction_factor(0.1), contraction_factor(0.5), contraction_factor(1.25)
    (0.8, 0.0, 1.5)
    """
    return abs(1.0 - check_positive("lr", lr) * check_positive("curvature", curvature))


def _limits(lam_min: float, lam_max: float) -> dict[str, float]:
    return {
        "max_stable": 2.0 / lam_max,
        "optimal": 2.0 / (lam_min + lam_max),
        "rate_at_optimal": (lam_max - lam_min) / (lam_max + lam_min),
        "lambda_min": lam_min,
        "lambda_max": lam_max,
    }


def gd_quadratic_1d(
    lr: float, steps: int = 30, w0: float = 0.0, target: float = 3.0, curvature: float = 2.0
) -> QuadraticRun:
    r"""Gradient descent on :math:`L(w) = \tfrac{c}{2}\,(w - w^*)^2` from :math:`w_0`.

    The update is :math:`w_{t+1} = w_t - \eta\, c\,(w_t - w^*)`; the defaults
    give the chapter's :math:`L(w) = (w - 3)^2`, :math:`L'' = 2`, from
    :math:`w_0 = 0`. The closed form :math:`w_t = w^* + (1 - \eta c)^t (w_0 - w^*)`
    and the regimes are derived in Chapter 4 (Gradient descent).

    The iterates are computed by the update itself, step by step (not from the
    closed form), so a plot shows what gradient descent really does. The run
    stops at the first update whose loss is above
    ``DIVERGENCE_LOSS * max(1, L(w0))`` (``1e6``) or not finite.

    Parameters
    ----------
    lr : float
        Learning rate, > 0 and finite.
    steps : int, default 30
        Number of updates, ``0 <= steps <=`` :data:`utils.landscapes.MAX_STEPS`.
    w0 : float, default 0.0
        Start (finite).
    target : float, default 3.0
        The minimiser :math:`w^*` (finite).
    curvature : float, default 2.0
        :math:`c = L'' > 0`.

    Returns
    -------
    QuadraticRun
        The run, with ``iterates`` of shape ``(k + 1,)``.

    See Also
    --------
    quadratic_regime : Says in advance what the run will do.
    gd_quadratic_2d : The same on a 2-D ill-conditioned bowl.

    Examples
    --------
    >>> r = gd_quadratic_1d(0.1, steps=5)
    >>> np.round(r.iterates, 4)
    array([0.    , 0.6   , 1.08  , 1.464 , 1.7712, 2.017 ])
    >>> gd_quadratic_1d(0.5, steps=3).iterates  # lr * L'' = 1: one step
    array([0., 3., 3., 3.])
    """
    lr = check_positive("lr", lr)
    steps = check_count("steps", steps, minimum=0, maximum=MAX_STEPS)
    w = check_finite("w0", w0)
    target = check_finite("target", target)
    c = check_positive("curvature", curvature)
    isfinite = math.isfinite
    half_c = 0.5 * c

    def loss(v: float) -> float:
        d = v - target
        return half_c * (d * d)  # Python floats: overflow gives inf, never an exception

    l0 = loss(w)
    if not isfinite(l0):
        raise ValueError(
            f"the loss at w0 overflows float64 (w0={w}, target={target}, curvature={c})"
        )
    limit = DIVERGENCE_LOSS * max(1.0, l0)
    ws, ls = [w], [l0]
    diverged_at = None
    for t in range(1, steps + 1):
        w = w - lr * (c * (w - target))
        lw = loss(w)
        if not (isfinite(w) and lw <= limit):  # False for NaN
            diverged_at = t
            break
        ws.append(w)
        ls.append(lw)
    return QuadraticRun(
        iterates=np.array(ws),
        losses=np.array(ls),
        diverged_at=diverged_at,
        lr=lr,
        lr_limits=_limits(c, c),
        contraction=abs(1.0 - lr * c),
    )


# ---------------------------------------------------------------------------
# the 2-D ill-conditioned quadratic
# ---------------------------------------------------------------------------


def _hessian(q: Quadratic) -> np.ndarray:
    """The Hessian of the landscape, read off its gradient.

    ``grad(z) = H z``, so column j is ``grad(e_j)``.
    """
    return np.column_stack([q.grad(np.array([1.0, 0.0])), q.grad(np.array([0.0, 1.0]))])


def quadratic_lr_limits(condition: float = 10.0) -> dict[str, float]:
    r"""Stable and optimal learning rates of gradient descent on :func:`utils.landscapes.quadratic`.

    On :math:`f(z) = \tfrac12 z^\top H z` (Hessian eigenvalues
    :math:`\lambda_{\min} = 1` and :math:`\lambda_{\max} = \kappa` for this
    landscape, whatever its angle) gradient descent converges iff
    :math:`0 < \eta < 2/\lambda_{\max}` (``max_stable``), and the worst
    per-step factor :math:`\max_i |1 - \eta\lambda_i|` is smallest at
    :math:`\eta^* = 2/(\lambda_{\min} + \lambda_{\max})` (``optimal``), where
    it equals :math:`(\kappa - 1)/(\kappa + 1)` (``rate_at_optimal``): the
    larger the condition number, the closer to 1. Chapter 4 (Gradient
    descent) derives these limits.

    The eigenvalues are computed from the landscape itself (its gradient is
    linear, so the columns of :math:`H` are the gradients at the unit vectors).

    Parameters
    ----------
    condition : float, default 10.0
        :math:`\kappa \ge 1` (finite; ``ValueError`` otherwise).

    Returns
    -------
    dict of str to float
        ``{"max_stable": 2/λmax, "optimal": 2/(λmin+λmax),
        "rate_at_optimal": (κ-1)/(κ+1), "lambda_min": λmin, "lambda_max": λmax}``.

    See Also
    --------
    gd_quadratic_2d : Runs gradient descent on the same landscape.
    contraction_factor : The 1-D factor.
    utils.landscapes.quadratic : The landscape.

    Examples
    --------
    >>> lim = quadratic_lr_limits(10.0)
    >>> round(lim["max_stable"], 6), round(lim["optimal"], 6), round(lim["rate_at_optimal"], 6)
    (0.2, 0.181818, 0.818182)
    """
    lam = np.linalg.eigvalsh(_hessian(quadratic(condition=condition)))
    return _limits(float(lam[0]), float(lam[-1]))


def gd_quadratic_2d(
    lr: float, condition: float = 10.0, steps: int = 50, x0: Any = None, angle: float = 0.0
) -> QuadraticRun:
    r"""Gradient descent on the bowl :func:`utils.landscapes.quadratic` ``(condition, angle)``.

    :math:`f(x, y) = \tfrac12 (u^2 + \kappa v^2)` in coordinates :math:`(u, v)`
    rotated by ``angle``; the update :math:`z_{t+1} = z_t - \eta \nabla f(z_t)`
    uses the landscape's own gradient, through :func:`utils.landscapes.run`
    with plain SGD (whose divergence rule applies: a loss above
    ``DIVERGENCE_LOSS * max(1, f(x0))`` or a point far outside the plot
    bounds). For :math:`1/\kappa < \eta < 2/\kappa` the stiff coordinate
    :math:`v` flips sign at every step while :math:`u` creeps along the
    valley: the zig-zag. The limits are in ``run.lr_limits`` (see
    :func:`quadratic_lr_limits`).

    Parameters
    ----------
    lr : float
        Learning rate, > 0 and finite.
    condition : float, default 10.0
        :math:`\kappa \ge 1`.
    steps : int, default 50
        Number of updates, ``0 <= steps <=`` :data:`utils.landscapes.MAX_STEPS`.
    x0 : array_like of shape (2,), optional
        Start. Default: the point with coordinates :math:`(u, v) = (-4, 3)`
        along the bowl's axes (the landscape's ``start``, rotated with the
        bowl), i.e. ``(-4, 3)`` for ``angle = 0``; both axes are excited, so
        the zig-zag shows at every angle.
    angle : float, default 0.0
        Rotation of the axes, in radians (finite).

    Returns
    -------
    QuadraticRun
        The run, with ``iterates`` of shape ``(k + 1, 2)``.

    See Also
    --------
    quadratic_lr_limits : The stable and optimal learning rates.
    gd_quadratic_1d : The 1-D version.
    utils.landscapes.run : The optimizer loop it uses.

    Examples
    --------
    >>> r = gd_quadratic_2d(0.18, condition=10.0, steps=50)
    >>> r.iterates.shape, r.diverged_at, f"{r.contraction:.2f}"
    ((51, 2), None, '0.82')
    >>> np.sign(r.iterates[:5, 1])  # the stiff coordinate flips sign: zig-zag
    array([ 1., -1.,  1., -1.,  1.])
    >>> gd_quadratic_2d(0.21, condition=10.0, steps=500).diverged_at is not None
    True
    """
    lr = check_positive("lr", lr)
    steps = check_count("steps", steps, minimum=0, maximum=MAX_STEPS)
    q = quadratic(condition=condition, angle=angle)
    if x0 is None:
        u, v = q.start
        c, s = math.cos(q.angle), math.sin(q.angle)
        x0 = (c * u - s * v, s * u + c * v)
    try:
        f0 = float(q.f(x0))
    except (TypeError, ValueError):
        f0 = 0.0  # a bad x0: run() below names it
    if not math.isfinite(f0):
        raise ValueError(
            f"the loss at x0 overflows float64 (condition={q.condition:g}, x0={x0}); "
            "use a smaller condition or x0"
        )
    traj = run(q, "sgd", x0=x0, steps=steps, lr=lr)
    lam = np.linalg.eigvalsh(_hessian(q))
    limits = _limits(float(lam[0]), float(lam[-1]))
    return QuadraticRun(
        iterates=traj.points,
        losses=traj.losses,
        diverged_at=traj.diverged_at,
        lr=lr,
        lr_limits=limits,
        contraction=max(abs(1.0 - lr * limits["lambda_min"]), abs(1.0 - lr * limits["lambda_max"])),
    )


# ---------------------------------------------------------------------------
# mini-batch SGD for linear regression
# ---------------------------------------------------------------------------


def minibatch_sgd_linear_regression(
    batch_size: int,
    lr: float,
    epochs: int = 5,
    n: int = 1000,
    seed: Any = 0,
    noise: float = 0.3,
    slope: float = 2.0,
    intercept: float = 1.0,
    shuffle: bool = True,
) -> SGDRun:
    r"""Mini-batch SGD on the mean squared error of a straight line :math:`\hat y = w x + b`.

    The data are ``x, y = utils.data.noisy_line(n, slope, intercept, noise, seed)``
    (``x`` uniform on ``[-1, 1)``). For a batch :math:`B` the loss and its gradient are

    .. math::

        L_B(w, b) = \frac{1}{|B|}\sum_{i\in B} (w x_i + b - y_i)^2,\qquad
        \frac{\partial L_B}{\partial w} = \frac{2}{|B|}\sum_{i\in B} (w x_i + b - y_i)\,x_i,\qquad
        \frac{\partial L_B}{\partial b} = \frac{2}{|B|}\sum_{i\in B} (w x_i + b - y_i),

    and each update is :math:`(w, b) \leftarrow (w, b) - \eta\,\nabla L_B`.
    Every epoch visits the ``n`` points once, in batches of ``batch_size``
    consecutive points of a fresh random permutation (or in data order if
    ``shuffle=False``). ``batch_size = n`` is full-batch gradient descent;
    ``batch_size = 1`` is pure stochastic gradient descent. When ``batch_size``
    does not divide ``n``, the last batch of each epoch is the smaller
    remainder, used as is (its gradient is still a *mean*, so its step has the
    usual size): there are ``ceil(n / batch_size)`` updates per epoch.

    The run starts at :math:`(w, b) = (0, 0)` -- deterministic, unlike a
    random initial ``w`` -- and records after every update the loss on **all**
    ``n`` points (the loss of the last mini-batch alone is noisy and
    misleading), together with the least-squares solution, the floor:

    .. math::

        w^* = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2},\qquad
        b^* = \bar y - w^*\bar x,\qquad
        L(w, b) = L(w^*, b^*) + \big((w - w^*)\bar x + (b - b^*)\big)^2
        + (w - w^*)^2\,\mathrm{var}(x).

    The last identity (exact, since :math:`(w^*, b^*)` solves the normal
    equations) gives the full-data loss in O(1) per update; the batch
    gradients come from per-batch sums computed once, vectorised, so a run
    costs O(epochs * n) NumPy work plus O(1) Python work per update. The run
    stops at the first update whose full loss exceeds
    ``DIVERGENCE_LOSS * max(1, L(0, 0))`` or is not finite.

    Parameters
    ----------
    batch_size : int
        Points per update, ``1 <= batch_size <= n``.
    lr : float
        Learning rate, > 0.
    epochs : int, default 5
        Passes over the data, >= 1; ``epochs * ceil(n / batch_size)`` must
        not exceed :data:`utils.landscapes.MAX_STEPS`.
    n : int, default 1000
        Number of points, ``2 <= n <=`` :data:`utils.data.MAX_SAMPLES`.
    seed : int or numpy.random.Generator, default 0
        Seeds both the data and the shuffling (one generator: the data first,
        then one permutation per epoch). The data do not depend on
        ``batch_size``, ``lr`` or ``shuffle``, and neither do the permutations,
        so runs that differ only in those see the same points in the same order.
    noise, slope, intercept : float
        Passed to :func:`utils.data.noisy_line`.
    shuffle : bool, default True
        Reshuffle at every epoch.

    Returns
    -------
    SGDRun
        The run: parameters and full-data losses after every update, the
        epoch boundaries, the least-squares optimum and the data.

    See Also
    --------
    utils.data.noisy_line : The data.
    gd_quadratic_2d : Full-batch gradient descent on a quadratic.

    Notes
    -----
    Chapter 4 (Gradient descent) explains why the noise of the mini-batch
    gradient keeps SGD with a constant learning rate above the floor.

    Examples
    --------
    >>> r = minibatch_sgd_linear_regression(batch_size=32, lr=0.1)
    >>> r.params.shape, r.updates_per_epoch, r.epochs_at.tolist()
    ((161, 2), 32, [32, 64, 96, 128, 160])
    >>> bool(r.full_losses[-1] < 1.1 * r.optimum_loss)
    True
    >>> minibatch_sgd_linear_regression(batch_size=1, lr=2.5).diverged_at is not None
    True
    """
    n = check_count("n", n, minimum=2, maximum=MAX_SAMPLES)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be <= n = {n}, got {batch_size}")
    lr = check_positive("lr", lr)
    epochs = check_count("epochs", epochs, minimum=1, maximum=MAX_STEPS)
    if -(-n // batch_size) * epochs > MAX_STEPS:
        raise ValueError(
            f"epochs * ceil(n / batch_size) must be <= {MAX_STEPS} updates, got "
            f"{epochs} * {-(-n // batch_size)} (epochs={epochs}, n={n}, batch_size={batch_size})"
        )
    shuffle = check_bool("shuffle", shuffle)
    rng = check_seed("seed", seed)
    x, y = noisy_line(n, slope=slope, intercept=intercept, noise=noise, seed=rng)

    # least squares (centred formulas) and the exact full-loss quadratic form
    with np.errstate(over="ignore", invalid="ignore"):
        xm, ym = float(x.mean()), float(y.mean())
        dx = x - xm
        var_x = float(dx @ dx) / n
        w_opt = float(dx @ (y - ym)) / n / var_x
        b_opt = ym - w_opt * xm
        r_opt = w_opt * x + b_opt - y
        loss_opt = float(r_opt @ r_opt) / n
        limit = DIVERGENCE_LOSS * max(1.0, float(y @ y) / n)
        stats_ok = all(map(math.isfinite, (var_x, w_opt, b_opt, loss_opt, limit)))
        stats_ok = stats_ok and bool(np.all(np.isfinite(x * y)))
    if not stats_ok:
        raise ValueError(
            "the least-squares statistics of the data overflow float64 for "
            f"slope={slope:g}, intercept={intercept:g}, noise={noise:g}; use smaller values"
        )

    # per-batch sums of every epoch, at once
    per_epoch = -(-n // batch_size)
    orders = [rng.permutation(n) if shuffle else np.arange(n) for _ in range(epochs)]
    order = np.concatenate(orders)
    xs, ys = x[order], y[order]
    starts = (np.arange(per_epoch) * batch_size + n * np.arange(epochs)[:, None]).ravel()
    counts = np.tile(np.diff(np.append(np.arange(per_epoch) * batch_size, n)), epochs)
    scale = (2.0 / counts).tolist()
    s_x = np.add.reduceat(xs, starts).tolist()
    s_xx = np.add.reduceat(xs * xs, starts).tolist()
    s_y = np.add.reduceat(ys, starts).tolist()
    s_xy = np.add.reduceat(xs * ys, starts).tolist()
    cnt = counts.astype(np.float64).tolist()

    isfinite = math.isfinite
    w = b = 0.0
    dw, db = -w_opt, -b_opt
    e = dw * xm + db
    ws, bs, ls = [w], [b], [loss_opt + e * e + dw * dw * var_x]
    diverged_at = None
    # The sums above are finite (checked); an update may still overflow, which
    # is divergence: detected below and reported by diverged_at.
    for k in range(per_epoch * epochs):
        g = scale[k]
        gw = g * (w * s_xx[k] + b * s_x[k] - s_xy[k])
        gb = g * (w * s_x[k] + b * cnt[k] - s_y[k])
        w = w - lr * gw
        b = b - lr * gb
        dw, db = w - w_opt, b - b_opt
        e = dw * xm + db
        loss = loss_opt + e * e + dw * dw * var_x  # Python floats: overflow gives inf/nan quietly
        if not (loss <= limit and isfinite(w) and isfinite(b)):
            diverged_at = k + 1
            break
        ws.append(w)
        bs.append(b)
        ls.append(loss)
    taken = len(ls) - 1
    epochs_at = np.arange(1, taken // per_epoch + 1, dtype=np.int64) * per_epoch
    return SGDRun(
        params=np.column_stack([ws, bs]),
        full_losses=np.array(ls),
        epochs_at=epochs_at,
        diverged_at=diverged_at,
        lr=lr,
        batch_size=batch_size,
        updates_per_epoch=per_epoch,
        optimum=(w_opt, b_opt),
        optimum_loss=loss_opt,
        x=x,
        y=y,
    )


# ---------------------------------------------------------------------------
# per-example terms of the straight-line fit (chapter 4: the mini-batch gradient)
# ---------------------------------------------------------------------------


def squared_error_terms(x: Any, y: Any, w: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Per-example squared errors of the line :math:`\hat y = w x + b` and their gradients.

    For each point, :math:`\ell_i(w, b) = (w x_i + b - y_i)^2` and

    .. math::

        \nabla \ell_i = 2\,(w x_i + b - y_i)\,(x_i,\ 1).

    The mean of the ``losses`` is the full-data loss :math:`L(w, b)` that
    :func:`minibatch_sgd_linear_regression` minimises; the mean of the rows of
    ``grads`` over a batch :math:`B` is the mini-batch gradient
    :math:`\nabla L_B` (Chapter 4 (Gradient descent) measures its mean and
    variance).

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The data, float64, finite, same shape, ``n >= 1``.
    w, b : float
        Slope and intercept, finite. Values so large that a squared error or
        a gradient overflows float64 raise ``ValueError`` (never ``inf``).

    Returns
    -------
    losses : numpy.ndarray, shape (n,)
        The squared error :math:`\ell_i` of each point.
    grads : numpy.ndarray, shape (n, 2)
        Row ``i`` is :math:`(\partial \ell_i/\partial w,\ \partial \ell_i/\partial b)`.

    See Also
    --------
    minibatch_sgd_linear_regression : Mini-batch SGD on the same loss.
    utils.data.noisy_line : The data it is used with.

    Examples
    --------
    >>> losses, grads = squared_error_terms([1.0, 2.0], [3.0, 3.0], w=1.0, b=0.0)
    >>> losses, grads  # residuals -2 and -1
    (array([4., 1.]), array([[-4., -4.],
           [-4., -2.]]))
    """
    x = check_float64_array("x", x, ndim=1)
    y = check_float64_array("y", y, ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    if x.size == 0:
        raise ValueError("x and y must hold at least one point")
    w = check_finite("w", w)
    b = check_finite("b", b)
    with np.errstate(over="ignore", invalid="ignore"):
        r = w * x + b - y
        losses = r * r
        grads = np.column_stack([2.0 * r * x, 2.0 * r])
    if not (np.all(np.isfinite(losses)) and np.all(np.isfinite(grads))):
        raise ValueError(
            f"the squared errors or their gradients overflow float64 for w={w:g}, b={b:g} "
            f"and |x| up to {np.max(np.abs(x)):g}, |y| up to {np.max(np.abs(y)):g}; "
            "use smaller values"
        )
    return losses, grads
