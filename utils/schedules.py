r"""Learning-rate schedules: plain functions of the step, and a scheduler.

Every schedule is a function ``schedule(step, ...) -> float`` of the integer
optimizer step, **counted from 0**: ``schedule(k, ...)`` is the learning rate
used by the ``k``-th call of ``optimizer.step`` (the first call is ``k = 0``).
Arguments are validated; the return value is a Python ``float``, always
finite and >= 0 (a rate that would overflow raises ``OverflowError``). Steps
and step counts are at most :data:`MAX_STEP` = 2**53.

Warm-up convention (used by :func:`linear_warmup`, :func:`cosine_with_warmup`
and :func:`warmup_stable_decay`), with :math:`W` = ``warmup_steps``:

.. math::

    \mathrm{lr}(s) = \mathrm{peak}\,\frac{s+1}{W}\qquad (0 \le s < W),

so step 0 already trains (``peak / W``) and the *last* warm-up step
:math:`s = W - 1` reaches the peak; the next phase starts at :math:`s = W`, also
at the peak. ``warmup_steps = 0`` means no warm-up. The formula
:math:`\mathrm{peak}\cdot s/W` found in many texts gives
:math:`\mathrm{lr} = 0` at step 0 -- a wasted step -- and reaches the peak one
step late. Warm-up starts from 0, not from ``min_lr``.

Decay convention: a decay over the steps :math:`[a, T)` starts at the peak at
:math:`s = a` and reaches ``min_lr`` at :math:`s = T` = ``total_steps``, the first
step *past* the end, so that the last trained step :math:`T - 1` still has a
positive learning rate when ``min_lr = 0`` (the mirror image of the warm-up
convention). For :math:`s \ge T` the rate stays at ``min_lr``.

:class:`LRScheduler` applies a schedule to an optimizer of :mod:`utils.optim`,
in PyTorch's order ``optimizer.step(grads); scheduler.step()``.

Chapter 7 (Optimizers and schedules) explains why learning rates are warmed
up and decayed, and plots these schedules.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import (
    check_callable,
    check_choice,
    check_count,
    check_finite,
    check_nonnegative,
    check_positive,
)

__all__ = [
    "constant",
    "step_decay",
    "exponential",
    "linear_warmup",
    "cosine_with_warmup",
    "inverse_sqrt",
    "warmup_stable_decay",
    "LRScheduler",
    "SCHEDULES",
    "MAX_STEP",
]


MAX_STEP = 2**53
"""Largest step and step count accepted: beyond it, ``step + 1`` is not exact in float64."""


def _check_step(step: Any) -> int:
    return check_count("step", step, minimum=0, maximum=MAX_STEP)


def _check_steps(name: str, value: Any, minimum: int) -> int:
    return check_count(name, value, minimum=minimum, maximum=MAX_STEP)


def _geometric(lr: float, gamma: float, k: int, what: str) -> float:
    """``lr * gamma**k``; ``OverflowError`` naming ``what`` if it leaves float64's range."""
    try:
        out = lr * gamma**k
    except OverflowError:  # gamma**k overflowed; lr * gamma**k may not (a tiny lr)
        out = math.inf
    if out == 0.0 or math.isinf(out):  # gamma**k under- or overflowed: go through logs
        try:
            out = math.exp(math.log(lr) + k * math.log(gamma))
        except OverflowError:
            out = math.inf
    if not math.isfinite(out):
        raise OverflowError(f"{what} = {lr} * {gamma}**{k} overflows float64")
    return float(out)


def _check_min_lr(min_lr: Any, peak_lr: float) -> float:
    m = check_nonnegative("min_lr", min_lr)
    if m > peak_lr:
        raise ValueError(f"min_lr must be <= peak_lr = {peak_lr}, got {m}")
    return m


def _warmup(step: int, peak_lr: float, warmup_steps: int) -> float:
    return peak_lr * ((step + 1) / warmup_steps)  # (s+1)/W <= 1: no overflow for any finite peak


def constant(step: int, lr: float) -> float:
    """A constant learning rate.

    Parameters
    ----------
    step : int
        Optimizer step, >= 0.
    lr : float
        The learning rate, positive.

    Returns
    -------
    float
        The learning rate of optimizer step ``step``, always ``lr``.

    See Also
    --------
    step_decay, exponential : Decaying schedules.
    LRScheduler : Applies a schedule to an optimizer.

    Examples
    --------
    >>> constant(1000, lr=0.1)
    0.1
    >>> constant(0, lr=0)
    Traceback (most recent call last):
    ...
    ValueError: lr must be positive, got 0...
    """
    _check_step(step)
    return check_positive("lr", lr)


def step_decay(step: int, lr: float, step_size: int, gamma: float = 0.1) -> float:
    r"""Multiply the rate by ``gamma`` every ``step_size`` steps (as torch's ``StepLR``).

    .. math:: \mathrm{lr}(s) = \mathrm{lr}\cdot\gamma^{\lfloor s/\texttt{step\_size}\rfloor}

    Parameters
    ----------
    step : int
        Optimizer step, >= 0.
    lr : float
        Initial rate, positive.
    step_size : int
        Period of the decay, >= 1.
    gamma : float, default 0.1
        Positive factor (``< 1`` decays).

    Returns
    -------
    float
        The learning rate of optimizer step ``step``; ``0.0`` if it
        underflows (a long decay).

    Raises
    ------
    OverflowError
        If ``gamma > 1`` makes the rate overflow float64 (never ``inf``).

    See Also
    --------
    exponential : The same decay at every step.
    cosine_with_warmup : A smooth decay.

    Examples
    --------
    >>> [step_decay(s, lr=1.0, step_size=2, gamma=0.5) for s in range(5)]
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    step = _check_step(step)
    lr = check_positive("lr", lr)
    step_size = _check_steps("step_size", step_size, minimum=1)
    gamma = check_positive("gamma", gamma)
    return _geometric(lr, gamma, step // step_size, "lr * gamma**(step // step_size)")


def exponential(step: int, lr: float, gamma: float) -> float:
    r"""Multiply the rate by ``gamma`` every step, as ``torch.optim.lr_scheduler.ExponentialLR``.

    .. math:: \mathrm{lr}(s) = \mathrm{lr}\cdot\gamma^{s}

    Parameters
    ----------
    step : int
        Optimizer step, >= 0.
    lr : float
        Initial rate, positive.
    gamma : float
        Positive factor (``< 1`` decays, ``> 1`` grows, as in a learning-rate range test).

    Returns
    -------
    float
        The learning rate of optimizer step ``step``; ``0.0`` if it
        underflows (a long decay).

    Raises
    ------
    OverflowError
        If ``gamma > 1`` makes the rate overflow float64 (never ``inf``).

    See Also
    --------
    step_decay : The same decay in stairs.

    Examples
    --------
    >>> round(exponential(10, lr=1.0, gamma=0.5), 6)
    0.000977
    """
    step = _check_step(step)
    lr = check_positive("lr", lr)
    gamma = check_positive("gamma", gamma)
    return _geometric(lr, gamma, step, "lr * gamma**step")


def linear_warmup(step: int, peak_lr: float, warmup_steps: int) -> float:
    r"""Linear warm-up to ``peak_lr``, then constant.

    .. math::

        \mathrm{lr}(s) = \begin{cases} \mathrm{peak}\,(s+1)/W & s < W\\
                                      \mathrm{peak} & s \ge W \end{cases}

    Step 0 trains at ``peak_lr / warmup_steps`` (not 0) and step ``W - 1`` is the
    first at the peak; this equals PyTorch's
    ``LinearLR(start_factor=1/W, end_factor=1, total_iters=W-1)``. See the module
    docstring for why the common ``peak * s / W`` is not used.

    Parameters
    ----------
    step : int
        Optimizer step, >= 0.
    peak_lr : float
        The rate at the end of the warm-up, positive and finite.
    warmup_steps : int
        Number of warm-up steps, >= 0 (0: constant ``peak_lr``).

    Returns
    -------
    float
        The learning rate of optimizer step ``step``.

    See Also
    --------
    cosine_with_warmup, warmup_stable_decay : Warm-up followed by a decay.

    Examples
    --------
    >>> [linear_warmup(s, peak_lr=1.0, warmup_steps=4) for s in range(6)]
    [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    """
    step = _check_step(step)
    peak_lr = check_positive("peak_lr", peak_lr)
    warmup_steps = _check_steps("warmup_steps", warmup_steps, minimum=0)
    if step < warmup_steps:
        return _warmup(step, peak_lr, warmup_steps)
    return peak_lr


def cosine_with_warmup(
    step: int, peak_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0
) -> float:
    r"""Linear warm-up, then a half-cosine decay from ``peak_lr`` to ``min_lr`` at ``total_steps``.

    With :math:`W` = ``warmup_steps``, :math:`T` = ``total_steps``:

    .. math::

        \mathrm{lr}(s) = \begin{cases}
            \mathrm{peak}\,(s+1)/W & 0 \le s < W\\
            \mathrm{min} + \tfrac12(\mathrm{peak}-\mathrm{min})
               \bigl(1 + \cos(\pi\,\tfrac{s - W}{T - W})\bigr) & W \le s < T\\
            \mathrm{min} & s \ge T
        \end{cases}

    Boundary values: ``lr(W-1) = lr(W) = peak``; ``lr(T-1)`` is one small step
    above ``min_lr``; ``lr(T) = min_lr`` and so is every later step. With
    ``warmup_steps = 0`` the decay phase equals PyTorch's
    ``CosineAnnealingLR(T_max=T, eta_min=min_lr)`` for steps ``0..T``.

    Parameters
    ----------
    step : int
        Optimizer step, >= 0.
    peak_lr : float
        The rate at the end of the warm-up, positive and finite.
    warmup_steps : int
        Number of warm-up steps, >= 0 (0: no warm-up).
    total_steps : int
        ``> warmup_steps`` (the decay phase has at least one step).
    min_lr : float, default 0.0
        Floor, ``0 <= min_lr <= peak_lr``.

    Returns
    -------
    float
        The learning rate of optimizer step ``step``.

    See Also
    --------
    linear_warmup : The warm-up alone.
    warmup_stable_decay : A linear decay after a plateau.

    Examples
    --------
    >>> [round(cosine_with_warmup(s, 1.0, warmup_steps=2, total_steps=6), 3) for s in range(8)]
    [0.5, 1.0, 1.0, 0.854, 0.5, 0.146, 0.0, 0.0]
    """
    step = _check_step(step)
    peak_lr = check_positive("peak_lr", peak_lr)
    warmup_steps = _check_steps("warmup_steps", warmup_steps, minimum=0)
    total_steps = _check_steps("total_steps", total_steps, minimum=1)
    if total_steps <= warmup_steps:
        raise ValueError(f"total_steps must be > warmup_steps = {warmup_steps}, got {total_steps}")
    min_lr = _check_min_lr(min_lr, peak_lr)
    if step < warmup_steps:
        return _warmup(step, peak_lr, warmup_steps)
    if step >= total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (peak_lr - min_lr) * (1.0 + math.cos(math.pi * progress))


def inverse_sqrt(step: int, d_model: int, warmup_steps: int) -> float:
    r"""The Transformer schedule of Vaswani et al. (2017), eq. 3.

    .. math::

        \mathrm{lr}(s) = d_{\text{model}}^{-1/2}\,
            \min\bigl(n^{-1/2},\; n\,W^{-3/2}\bigr),\qquad n = s + 1 .

    The paper counts steps from 1 (``step_num``); here steps count from 0, so
    the formula is evaluated at :math:`n = s + 1` -- step 0 is not a division by
    zero, and the rate rises linearly to its peak
    :math:`(d_{\text{model}} W)^{-1/2}` at step :math:`s = W - 1`, then decays as
    :math:`1/\sqrt{n}`. ``warmup_steps = 0`` (the limit :math:`W \to 0`) gives
    the pure :math:`d_{\text{model}}^{-1/2} n^{-1/2}` decay. There is no separate
    peak rate: the scale is set by ``d_model``, as in the paper.

    Parameters
    ----------
    step : int
        Optimizer step, >= 0.
    d_model : int
        Model width, >= 1 (512 in the paper).
    warmup_steps : int
        Number of warm-up steps :math:`W`, >= 0 (4000 in the paper).

    Returns
    -------
    float
        The learning rate of optimizer step ``step``.

    See Also
    --------
    linear_warmup : A warm-up to a given peak.
    cosine_with_warmup : Warm-up with a decay that ends.

    Examples
    --------
    >>> f"{inverse_sqrt(3999, d_model=512, warmup_steps=4000):.3e}"   # the peak
    '6.988e-04'
    >>> math.isclose(inverse_sqrt(3999, 512, 4000), (512 * 4000) ** -0.5)
    True
    """
    step = _check_step(step)
    d_model = _check_steps("d_model", d_model, minimum=1)
    warmup_steps = _check_steps("warmup_steps", warmup_steps, minimum=0)
    n = step + 1
    decay = n**-0.5
    if warmup_steps == 0:
        return float(d_model**-0.5 * decay)
    return float(d_model**-0.5 * min(decay, n * warmup_steps**-1.5))


def warmup_stable_decay(
    step: int,
    peak_lr: float,
    warmup_steps: int,
    total_steps: int,
    decay_steps: int,
    min_lr: float = 0.0,
) -> float:
    r"""Warm-up, stable plateau, then a *linear* decay to ``min_lr`` (the "WSD" schedule).

    With :math:`W` = ``warmup_steps``, :math:`T` = ``total_steps``,
    :math:`D` = ``decay_steps`` and the decay start :math:`a = T - D`:

    .. math::

        \mathrm{lr}(s) = \begin{cases}
            \mathrm{peak}\,(s+1)/W & 0 \le s < W\\
            \mathrm{peak} & W \le s < a\\
            \mathrm{peak} - (\mathrm{peak}-\mathrm{min})\,\tfrac{s-a}{D} & a \le s < T\\
            \mathrm{min} & s \ge T
        \end{cases}

    The decay is linear in the step (some authors use ``1 - sqrt`` or cosine
    shapes for this phase). Boundary values: ``lr(a) = peak``,
    ``lr(T-1) = min + (peak - min)/D``, ``lr(T) = min_lr``.

    Parameters
    ----------
    step : int
        Optimizer step, >= 0.
    peak_lr : float
        The rate at the end of the warm-up, positive and finite.
    warmup_steps : int
        Number of warm-up steps, >= 0 (0: no warm-up).
    total_steps : int
        ``>= warmup_steps + decay_steps`` (the plateau may be empty).
    decay_steps : int
        Length :math:`D` of the linear decay, >= 1.
    min_lr : float, default 0.0
        Floor, ``0 <= min_lr <= peak_lr``.

    Returns
    -------
    float
        The learning rate of optimizer step ``step``.

    See Also
    --------
    cosine_with_warmup : A cosine decay right after the warm-up.

    Examples
    --------
    >>> kw = dict(warmup_steps=2, total_steps=8, decay_steps=4)
    >>> [warmup_stable_decay(s, 1.0, **kw) for s in range(9)]
    [0.5, 1.0, 1.0, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0]
    """
    step = _check_step(step)
    peak_lr = check_positive("peak_lr", peak_lr)
    warmup_steps = _check_steps("warmup_steps", warmup_steps, minimum=0)
    total_steps = _check_steps("total_steps", total_steps, minimum=1)
    decay_steps = _check_steps("decay_steps", decay_steps, minimum=1)
    if warmup_steps + decay_steps > total_steps:
        raise ValueError(
            f"total_steps must be >= warmup_steps + decay_steps = "
            f"{warmup_steps + decay_steps}, got {total_steps}"
        )
    min_lr = _check_min_lr(min_lr, peak_lr)
    decay_start = total_steps - decay_steps
    if step < warmup_steps:
        return _warmup(step, peak_lr, warmup_steps)
    if step < decay_start:
        return peak_lr
    if step >= total_steps:
        return min_lr
    return peak_lr - (peak_lr - min_lr) * ((step - decay_start) / decay_steps)


SCHEDULES: dict[str, Callable[..., float]] = {
    "constant": constant,
    "step": step_decay,
    "exponential": exponential,
    "linear_warmup": linear_warmup,
    "cosine": cosine_with_warmup,
    "inverse_sqrt": inverse_sqrt,
    "wsd": warmup_stable_decay,
}
"""Schedules by name, for widgets: ``SCHEDULES["cosine"](step, **kwargs)``."""


class LRScheduler:
    """Set an optimizer's learning rate from a schedule, step by step (like PyTorch's ``LambdaLR``).

    On construction the optimizer's ``lr`` is set to ``schedule(0)``. Each call
    of :meth:`step` advances the counter and sets ``optimizer.lr`` to the rate
    of the *next* optimizer step. The order of calls is PyTorch's::

        for k in range(n_steps):
            optimizer.step(grads)   # uses lr = schedule(k)
            scheduler.step()        # sets lr = schedule(k + 1)

    so the ``k``-th optimizer step (counted from 0) uses ``schedule(k)``.
    Calling ``scheduler.step()`` before any ``optimizer.step()`` since the
    previous ``scheduler.step()`` (or since construction) raises
    ``RuntimeError``: in that order the first value of the schedule would be
    skipped (PyTorch only warns). Stepping the scheduler once per epoch of many
    optimizer steps is allowed.

    Parameters
    ----------
    optimizer : utils.optim.Optimizer
        Anything with a settable ``lr`` and a ``step_count`` attribute.
    schedule : str or callable
        A name in :data:`SCHEDULES`, or a function ``f(step, **kwargs) -> float``
        (with ``kwargs`` empty: any callable ``f(step)``).
    **kwargs
        Bound to the schedule: ``LRScheduler(opt, "cosine", peak_lr=0.1,
        warmup_steps=10, total_steps=100)``.

    Attributes
    ----------
    last_step : int
        Index of the optimizer step that the current ``optimizer.lr`` is for.

    See Also
    --------
    SCHEDULES : The schedules by name.
    utils.optim.Optimizer : Whose ``lr`` is set.

    Examples
    --------
    >>> import numpy as np
    >>> from utils.optim import SGD
    >>> opt = SGD([np.zeros(1)], lr=1.0)
    >>> sched = LRScheduler(opt, "linear_warmup", peak_lr=0.4, warmup_steps=4)
    >>> used = []
    >>> for k in range(5):
    ...     used.append(round(opt.lr, 6))
    ...     opt.step([np.ones(1)])
    ...     sched.step()
    >>> used
    [0.1, 0.2, 0.3, 0.4, 0.4]
    """

    def __init__(self, optimizer: Any, schedule: str | Callable[..., float], **kwargs: Any) -> None:
        if not (hasattr(optimizer, "lr") and hasattr(optimizer, "step_count")):
            raise TypeError(
                "optimizer must have lr and step_count attributes (a utils.optim optimizer), "
                f"got {type(optimizer).__name__}"
            )
        if isinstance(schedule, str):
            check_choice("schedule", schedule, list(SCHEDULES))
            fn = SCHEDULES[schedule]
        else:
            fn = check_callable("schedule", schedule)
        self.optimizer = optimizer
        self.schedule: Callable[[int], float] = (lambda s: fn(s, **kwargs)) if kwargs else fn
        self.last_step = 0
        self._opt_steps_at_last = optimizer.step_count
        self._set(0)

    def _set(self, step: int) -> None:
        lr = check_finite("schedule(step)", self.schedule(step))
        if lr < 0:
            raise ValueError(f"the schedule returned a negative learning rate {lr} at step {step}")
        self.optimizer.lr = lr

    def get_last_lr(self) -> float:
        """The learning rate the optimizer will use at its next step.

        Returns
        -------
        float
            ``optimizer.lr``, i.e. ``schedule(last_step)``.

        See Also
        --------
        step : Advances the schedule.

        Examples
        --------
        >>> import numpy as np
        >>> from utils.optim import SGD
        >>> opt = SGD([np.zeros(1)], lr=1.0)
        >>> sched = LRScheduler(opt, "step", lr=0.8, step_size=1, gamma=0.5)
        >>> sched.get_last_lr()
        0.8
        >>> opt.step([np.zeros(1)]); sched.step(); sched.get_last_lr()
        0.4
        """
        return float(self.optimizer.lr)

    def step(self) -> None:
        """Advance to the next optimizer step and set its learning rate.

        Raises
        ------
        RuntimeError
            If the optimizer has not stepped since the previous call.

        See Also
        --------
        utils.optim.Optimizer.step : Call it before this.
        get_last_lr : The rate just set.

        Examples
        --------
        >>> import numpy as np
        >>> from utils.optim import SGD
        >>> opt = SGD([np.zeros(1)], lr=1.0)
        >>> sched = LRScheduler(opt, "exponential", lr=1.0, gamma=0.5)
        >>> opt.step([np.zeros(1)]); sched.step(); opt.lr, sched.last_step
        (0.5, 1)
        >>> sched.step()  # no optimizer step in between
        Traceback (most recent call last):
        ...
        RuntimeError: scheduler.step() was called before optimizer.step()...
        """
        if self.optimizer.step_count == self._opt_steps_at_last:
            raise RuntimeError(
                "scheduler.step() was called before optimizer.step(): call "
                "optimizer.step(grads) first, then scheduler.step() (PyTorch's order), "
                "otherwise the first value of the schedule is skipped"
            )
        self._opt_steps_at_last = self.optimizer.step_count
        self.last_step += 1
        self._set(self.last_step)


# ---------------------------------------------------------------------------
# a whole run's curve, for plotting (chapter 7's schedule explorer)
# ---------------------------------------------------------------------------

SCHEDULE_CURVE_KINDS = ("constant", "step", "cosine", "inverse_sqrt", "wsd")
"""The kinds of :func:`schedule_curve`, in the order the book presents them."""

MAX_CURVE_STEPS = 10**6
"""The longest run :func:`schedule_curve` draws (one value per step)."""


@dataclass(frozen=True)
class ScheduleCurve:
    """The learning rate of every step of a run, and the run's phases.

    Attributes
    ----------
    steps : numpy.ndarray
        The steps ``0, 1, ..., total`` (integers).
    lr : numpy.ndarray
        The learning rate of each step, same shape as ``steps``.
    phases : tuple of (int, int, str)
        ``(start, end, name)`` of each phase (warm-up, then the decay or the
        plateau), in order; a phase with ``start == end`` is empty.

    See Also
    --------
    schedule_curve : Returns it.

    Examples
    --------
    >>> c = schedule_curve("wsd", warmup=2, total=10, peak=1.0, floor=0.0)
    >>> c.phases
    ((0, 2, 'warm-up'), (2, 8, 'stable'), (8, 10, 'decay'))
    """

    steps: np.ndarray
    lr: np.ndarray
    phases: tuple[tuple[int, int, str], ...]


def schedule_curve(kind: str, warmup: int, total: int, peak: float, floor: float) -> ScheduleCurve:
    r"""The learning rate of each step ``0 .. total`` of one of five common schedules.

    Every kind starts with the same linear warm-up of ``warmup`` steps (the
    convention of this module: step :math:`s < W` trains at
    :math:`\mathrm{peak}\,(s+1)/W`). After it:

    * ``"constant"`` stays at the peak (:func:`linear_warmup`);
    * ``"step"`` multiplies the rate by 0.1 after each third of the remaining
      steps (:func:`step_decay`; the floor does not apply);
    * ``"cosine"`` decays to ``floor`` along a half cosine
      (:func:`cosine_with_warmup`);
    * ``"inverse_sqrt"`` is the Transformer schedule (:func:`inverse_sqrt`)
      scaled so that its maximum is ``peak``: :math:`\mathrm{peak}\,
      \sqrt{\max(W, 1)/(s+1)}` after the warm-up (no floor);
    * ``"wsd"`` holds the peak, then decays linearly to ``floor`` over the last
      ``max(1, total // 5)`` steps (:func:`warmup_stable_decay`).

    Chapter 7 (Optimizers and schedules) plots these curves and explains why
    each phase is there.

    Parameters
    ----------
    kind : str
        One of :data:`SCHEDULE_CURVE_KINDS`.
    warmup : int
        Warm-up steps :math:`W`, ``0 <= warmup < total``.
    total : int
        Length of the run, ``1 <= total <=`` :data:`MAX_CURVE_STEPS`.
    peak : float
        The rate at the end of the warm-up, positive and finite.
    floor : float
        The rate the cosine and WSD decays end at, ``0 <= floor <= peak``.

    Returns
    -------
    ScheduleCurve
        The steps ``0 .. total``, the rate of each, and the phases.

    Raises
    ------
    ValueError
        If ``kind`` is unknown, ``warmup >= total``, or ``floor`` is outside
        ``[0, peak]``.

    See Also
    --------
    cosine_with_warmup, warmup_stable_decay, inverse_sqrt : The schedules.
    LRScheduler : Applies a schedule to an optimizer, step by step.

    Examples
    --------
    Warm-up over steps 0 and 1 (0.5, then the peak); the decay starts at
    step 2, at the peak, and the rate drops tenfold after each third (2 steps)
    of the 6 remaining steps:

    >>> schedule_curve("step", warmup=2, total=8, peak=1.0, floor=0.0).lr.round(6).tolist()
    [0.5, 1.0, 1.0, 1.0, 0.1, 0.1, 0.01, 0.01, 0.001]

    The cosine decay ends at the floor, half-way down at the middle of the decay:

    >>> c = schedule_curve("cosine", warmup=0, total=10, peak=1.0, floor=0.2)
    >>> float(c.lr[0]), float(c.lr[5]), float(c.lr[10])
    (1.0, 0.6, 0.2)
    """
    kind = check_choice("kind", kind, SCHEDULE_CURVE_KINDS)
    total = check_count("total", total, minimum=1, maximum=MAX_CURVE_STEPS)
    warmup = check_count("warmup", warmup, minimum=0, maximum=MAX_CURVE_STEPS)
    peak = check_positive("peak", peak)
    floor = check_nonnegative("floor", floor)
    if warmup >= total:
        raise ValueError(f"warm-up steps ({warmup}) must be fewer than total steps ({total})")
    if floor > peak:
        raise ValueError(f"floor ({floor:g}) must be between 0 and the peak ({peak:g})")
    warm = (0, warmup, "warm-up")
    if kind == "constant":
        rates = [linear_warmup(s, peak, warmup) for s in range(total + 1)]
        phases = (warm, (warmup, total, "constant"))
    elif kind == "step":
        size = max(1, (total - warmup) // 3)
        rates = [
            linear_warmup(s, peak, warmup)
            if s < warmup
            else step_decay(s - warmup, peak, size, 0.1)
            for s in range(total + 1)
        ]
        phases = (warm, (warmup, total, "step decay ×0.1 (no floor)"))
    elif kind == "cosine":
        rates = [cosine_with_warmup(s, peak, warmup, total, floor) for s in range(total + 1)]
        phases = (warm, (warmup, total, "cosine decay"))
    elif kind == "inverse_sqrt":
        scale = peak * math.sqrt(max(warmup, 1))
        rates = [scale * inverse_sqrt(s, 1, warmup) for s in range(total + 1)]
        phases = (warm, (warmup, total, "∝ 1/√step"))
    else:  # "wsd"
        decay = min(max(1, total // 5), total - warmup)
        rates = [
            warmup_stable_decay(s, peak, warmup, total, decay, floor) for s in range(total + 1)
        ]
        phases = (warm, (warmup, total - decay, "stable"), (total - decay, total, "decay"))
    return ScheduleCurve(np.arange(total + 1), np.array(rates), phases)


__all__ += ["SCHEDULE_CURVE_KINDS", "MAX_CURVE_STEPS", "ScheduleCurve", "schedule_curve"]
