"""Checkers for the code exercises of Chapter 7 (Optimizers and schedules).

Three exercises: the warm-up and cosine schedule, one step of Nesterov
momentum in PyTorch's convention, and one step of AdamW. The expected values
come from the book's own implementations, :func:`utils.schedules.cosine_with_warmup`,
:class:`utils.optim.SGD` with ``nesterov=True`` and :class:`utils.optim.AdamW`,
which the tests of :mod:`utils.optim` compare with PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..optim import SGD, AdamW
from ..schedules import cosine_with_warmup
from .feedback import Case, Feedback, run_cases

__all__ = ["check_adamw_step", "check_nesterov_step", "check_warmup_cosine"]


def check_warmup_cosine(warmup_cosine: Callable[..., Any]) -> Feedback:
    r"""Check a warm-up + cosine learning-rate schedule (exercise ``ex-warmup-cosine``).

    ``warmup_cosine(s, peak_lr, warmup, total, min_lr)`` must give the rate
    of step :math:`s` (counted from 0) of the chapter's schedule
    ``eq-cosine-schedule``: :math:`\eta_{\max}(s+1)/W` while :math:`s < W`,
    then half a cosine from :math:`\eta_{\max}` down to :math:`\eta_{\min}`
    at :math:`s = T`, and :math:`\eta_{\min}` from then on. The expected
    rates come from :func:`utils.schedules.cosine_with_warmup`; the cases
    are the phase boundaries, where off-by-one mistakes show.

    Parameters
    ----------
    warmup_cosine : callable
        Your function ``warmup_cosine(s, peak_lr, warmup, total, min_lr)``
        returning a float.

    Returns
    -------
    Feedback
        Seven cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_nesterov_step, check_adamw_step : the chapter's other exercises.
    utils.schedules.cosine_with_warmup : the reference.

    Examples
    --------
    The common warm-up :math:`s\,\eta_{\max}/W` wastes step 0:

    >>> import math
    >>> def from_zero(s, peak_lr, warmup, total, min_lr):
    ...     if s < warmup:
    ...         return peak_lr * s / warmup
    ...     p = min(1.0, (s - warmup) / (total - warmup))
    ...     return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * p))
    >>> fb = check_warmup_cosine(from_zero)
    >>> [case.name for case in fb.cases if not case.passed]
    ['step 0 already trains', 'the last warm-up step reaches the peak']
    >>> def stub(s, peak_lr, warmup, total, min_lr):
    ...     raise NotImplementedError
    >>> check_warmup_cosine(stub).status
    'not attempted yet'
    """
    peak, floor, w, t = 1e-3, 1e-4, 10, 50

    def case(name: str, s: int, hint: str, warmup: int = w) -> Case:
        args = (s, peak, warmup, t, floor)
        return Case(name, args, cosine_with_warmup(s, peak, warmup, t, min_lr=floor), hint)

    return run_cases(
        "ex-warmup-cosine",
        warmup_cosine,
        [
            case(
                "step 0 already trains",
                0,
                "the warm-up rate is peak_lr * (s + 1) / warmup: counting from "
                "s = 0, a rate s * peak_lr / warmup would be 0 at the first step",
            ),
            case(
                "the last warm-up step reaches the peak",
                w - 1,
                "at s = warmup - 1 the warm-up rate (s + 1) / warmup * peak_lr is the peak itself",
            ),
            case(
                "the first decay step is still the peak",
                w,
                "the decay starts at progress p = (s - warmup) / (total - "
                "warmup) = 0, where the cosine factor (1 + cos(pi p)) / 2 is 1",
            ),
            case(
                "halfway through the decay: the mean of peak and floor",
                (w + t) // 2,
                "at p = 1/2 the rate is min_lr + (peak_lr - min_lr) / 2: check "
                "that the cosine is scaled by (peak_lr - min_lr), not peak_lr",
            ),
            case(
                "step T: the floor",
                t,
                "at s = total the progress is 1 and the rate min_lr",
            ),
            case(
                "long after T: still the floor",
                t + 30,
                "for s >= total return min_lr: the cosine would rise again after p = 1",
            ),
            case(
                "no warm-up (W = 0): step 0 is the peak",
                0,
                "with warmup = 0 there is no warm-up phase (and nothing to "
                "divide by): step 0 is the start of the decay",
                warmup=0,
            ),
        ],
    )


def _sgd_nesterov(
    theta: np.ndarray, grads: Sequence[np.ndarray] | Callable, lr: float, beta: float, steps: int
) -> np.ndarray:
    """The iterates of ``utils.optim.SGD(nesterov=True)`` from ``theta``."""
    p = np.array(theta, dtype=float)
    opt = SGD([p], lr=lr, momentum=beta, nesterov=True)
    for k in range(steps):
        opt.step([grads(p) if callable(grads) else grads[k]])
    return p


def check_nesterov_step(nesterov_step: Callable[..., Any]) -> Feedback:
    r"""Check one step of Nesterov momentum in PyTorch's convention (``ex-nesterov-step``).

    ``nesterov_step(theta, buf, grad, lr, beta)`` returns the new parameters
    and buffer, :math:`\mathbf b_t = \beta\,\mathbf b_{t-1} + \mathbf g_t` and
    :math:`\boldsymbol\theta_t = \boldsymbol\theta_{t-1} - \eta\,(\mathbf g_t
    + \beta\,\mathbf b_t)` (the chapter's ``eq-nesterov-pytorch``, with
    :math:`\mathbf b_0 = 0`). The checker runs it from :math:`\mathbf b_0 = 0`
    and compares with :class:`utils.optim.SGD` with ``nesterov=True``: the
    first step, the first buffer, five steps on given gradients, and 30
    steps on a quadratic whose gradient is taken at the returned parameters.
    Each call gets its own copy of the gradient.

    Parameters
    ----------
    nesterov_step : callable
        Your function ``nesterov_step(theta, buf, grad, lr, beta)``: arrays
        ``theta``, ``buf``, ``grad`` of one shape, floats ``lr`` and
        ``beta``; it returns ``(theta, buf)`` after the step.

    Returns
    -------
    Feedback
        Four cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_warmup_cosine, check_adamw_step : the chapter's other exercises.
    utils.optim.SGD : the reference (``momentum=beta, nesterov=True``).

    Examples
    --------
    The heavy ball (stepping along the buffer alone) is not Nesterov:

    >>> def heavy_ball(theta, buf, grad, lr, beta):
    ...     buf = beta * buf + grad
    ...     return theta - lr * buf, buf
    >>> fb = check_nesterov_step(heavy_ball)
    >>> fb.status, fb.cases[0].name, fb.cases[0].passed
    ('failed', 'one step from rest (b_0 = 0)', False)
    >>> def stub(theta, buf, grad, lr, beta):
    ...     raise NotImplementedError
    >>> check_nesterov_step(stub).status
    'not attempted yet'
    """
    if not callable(nesterov_step):
        return run_cases("ex-nesterov-step", nesterov_step, [])
    lr, beta = 0.1, 0.9
    theta0 = np.array([1.0, -2.0, 0.5])
    rng = np.random.default_rng(7)
    grads = [rng.normal(size=3) for _ in range(5)]
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    start = np.array([1.0, 1.0])

    def pair(result: Any) -> tuple[Any, Any] | None:
        if result is None:  # the feedback asks about a missing return
            return None
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(f"expected a pair (theta, buf), got {type(result).__name__}")
        return result[0], result[1]

    def run(which: str, steps: int) -> Any:
        theta = theta0.copy() if which != "quadratic" else start.copy()
        buf = np.zeros_like(theta)
        for k in range(steps):
            # a copy: a step that updates grad in place cannot spoil the next case
            g = a @ theta if which == "quadratic" else grads[k].copy()
            result = pair(nesterov_step(theta, buf, g, lr if which != "quadratic" else 0.05, beta))
            if result is None:
                return None
            theta, buf = result
            theta, buf = np.asarray(theta, dtype=float), np.asarray(buf, dtype=float)
        return buf if which == "buffer" else theta

    cases = [
        Case(
            "one step from rest (b_0 = 0)",
            ("theta", 1),
            _sgd_nesterov(theta0, grads, lr, beta, 1),
            "the step is theta - lr * (g_t + beta * b_t), where b_t already "
            "includes g_t; stepping along b_t alone is the heavy ball",
        ),
        Case(
            "the buffer after one step",
            ("buffer", 1),
            grads[0].copy(),
            "the buffer is the SUM b_t = beta * b_(t-1) + g_t (so b_1 = g_1), "
            "not the average beta * b + (1 - beta) * g",
        ),
        Case(
            "five steps on given gradients",
            ("theta", 5),
            _sgd_nesterov(theta0, grads, lr, beta, 5),
            "update the buffer first, then use the NEW buffer in the step, and return both",
        ),
        Case(
            "30 steps on a quadratic, gradients at your iterates",
            ("quadratic", 30),
            _sgd_nesterov(start, lambda p: a @ p, 0.05, beta, 30),
            "subtract the step (theta - lr * (...)): a sign error climbs the bowl",
        ),
    ]
    return run_cases("ex-nesterov-step", run, cases)


def check_adamw_step(adamw_step: Callable[..., Any]) -> Feedback:
    r"""Check one step of AdamW (exercise ``ex-adamw-step``).

    ``adamw_step(theta, m, v, grad, t, lr, weight_decay)`` takes step
    :math:`t` (counted from 1) of the chapter's ``eq-adamw`` with
    :math:`\beta_1 = 0.9`, :math:`\beta_2 = 0.999`, :math:`\epsilon =
    10^{-8}`: decay :math:`\boldsymbol\theta` by :math:`1 - \eta\lambda`,
    update the averages with the plain gradient, correct their bias and take
    the Adam step. The checker runs it from :math:`\mathbf m_0 = \mathbf v_0 =
    0` and compares with :class:`utils.optim.AdamW`, last on gradients of
    about :math:`10^{-8}`, where the place of :math:`\epsilon` shows. Each
    call gets its own copy of the gradient.

    Parameters
    ----------
    adamw_step : callable
        Your function ``adamw_step(theta, m, v, grad, t, lr, weight_decay)``:
        arrays ``theta``, ``m``, ``v``, ``grad`` of one shape, the step
        number ``t >= 1``, floats ``lr`` and ``weight_decay``; it returns
        ``(theta, m, v)`` after the step.

    Returns
    -------
    Feedback
        Six cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_warmup_cosine, check_nesterov_step : the chapter's other exercises.
    utils.optim.AdamW : the reference.

    Examples
    --------
    Adam's coupled L2 penalty is not AdamW: on a weight with no gradient it
    moves by a whole learning rate per step:

    >>> import numpy as np
    >>> def coupled(theta, m, v, grad, t, lr, weight_decay):
    ...     g = grad + weight_decay * theta
    ...     m = 0.9 * m + 0.1 * g
    ...     v = 0.999 * v + 0.001 * g * g
    ...     m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
    ...     return theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8), m, v
    >>> fb = check_adamw_step(coupled)
    >>> [case.name for case in fb.cases if not case.passed][0]
    'a weight with no gradient: pure decay'
    >>> def stub(theta, m, v, grad, t, lr, weight_decay):
    ...     raise NotImplementedError
    >>> check_adamw_step(stub).status
    'not attempted yet'
    """
    if not callable(adamw_step):
        return run_cases("ex-adamw-step", adamw_step, [])
    lr, lam = 0.01, 0.1
    theta0 = np.array([0.5, -1.5, 2.0])
    rng = np.random.default_rng(8)
    grads = [rng.normal(size=3) for _ in range(10)]
    zero_grads = [np.zeros(3)] * 10
    # gradients of about 1e-8, where sqrt(v_hat) is of the order of eps
    tiny_grads = [1e-8 * g for g in grads]

    sequences = {"random": grads, "zero": zero_grads, "tiny": tiny_grads}

    def run(seq: str, steps: int, part: int, decay: float) -> np.ndarray | None:
        gs = sequences[seq]
        theta, m, v = theta0.copy(), np.zeros(3), np.zeros(3)
        for t in range(1, steps + 1):
            # a copy: a step that updates grad in place cannot spoil the next case
            result = adamw_step(theta, m, v, gs[t - 1].copy(), t, lr, decay)
            if result is None:  # the feedback asks about a missing return
                return None
            if not isinstance(result, (tuple, list)) or len(result) != 3:
                raise TypeError(f"expected a triple (theta, m, v), got {type(result).__name__}")
            theta, m, v = (np.asarray(x, dtype=float) for x in result)
        return (theta, m, v)[part]

    def reference(seq: str, steps: int, part: int, decay: float) -> np.ndarray:
        gs = sequences[seq]
        p = theta0.copy()
        opt = AdamW([p], lr=lr, weight_decay=decay)
        for g in gs[:steps]:
            opt.step([g])
        if part == 0:
            return p
        state = opt.state[0]
        return np.array(state["exp_avg" if part == 1 else "exp_avg_sq"])

    def case(name: str, args: tuple, hint: str) -> Case:
        return Case(name, args, reference(*args), hint)

    return run_cases(
        "ex-adamw-step",
        run,
        [
            case(
                "the first step, no decay",
                ("random", 1, 0, 0.0),
                "correct the bias: m_hat = m / (1 - beta1**t), v_hat = v / "
                "(1 - beta2**t) with t = 1 at the first step; the first step "
                "is then about lr * sign(g)",
            ),
            case(
                "a weight with no gradient: pure decay",
                ("zero", 10, 0, lam),
                "the decay is decoupled: multiply theta by (1 - lr * "
                "weight_decay) and do NOT add weight_decay * theta to the "
                "gradient (a NaN here: with a zero gradient only eps keeps "
                "m_hat / (sqrt(v_hat) + eps) from being 0 / 0)",
            ),
            case(
                "the first moment after 10 steps",
                ("random", 10, 1, lam),
                "m = beta1 * m + (1 - beta1) * grad, with the plain gradient "
                "and without the bias correction (that is only for the step)",
            ),
            case(
                "the second moment after 10 steps",
                ("random", 10, 2, lam),
                "v = beta2 * v + (1 - beta2) * grad**2, element-wise, without the bias correction",
            ),
            case(
                "10 steps with decay",
                ("random", 10, 0, lam),
                "shrink theta by (1 - lr * weight_decay) FIRST, then subtract "
                "lr * m_hat / (sqrt(v_hat) + eps)",
            ),
            case(
                "10 steps on gradients of about 1e-8, no decay: eps matters",
                ("tiny", 10, 0, 0.0),
                "here sqrt(v_hat) is about as small as eps = 1e-8, so where "
                "eps goes shows: add it AFTER the square root, sqrt(v_hat) + "
                "eps, not inside it, sqrt(v_hat + eps), and do not leave it out",
            ),
        ],
    )
