r"""First-order optimizers that reproduce ``torch.optim`` in NumPy.

Each optimizer updates a list of float64 NumPy arrays **in place** from a list of
gradient arrays of the same shapes::

    opt = Adam([w, b], lr=1e-3)
    for batch in data:
        gw, gb = gradients(w, b, batch)
        opt.step([gw, gb])

The update rules are *exactly* the ones PyTorch documents for
:class:`torch.optim.SGD`, :class:`~torch.optim.RMSprop`,
:class:`~torch.optim.Adam` and :class:`~torch.optim.AdamW` (the single-tensor,
``foreach=False`` code path), including the order of the floating-point
operations, so that for the same gradients the parameters agree with PyTorch
to about ``1e-12`` in float64. ``tests/reference/optim_trajectories.json``
(written by ``scripts/make_optim_reference.py``) holds PyTorch's own
trajectories and the unit tests compare against it.

Notation used in the docstrings: :math:`\theta` parameters, :math:`g_t` the
gradient at step :math:`t = 1, 2, \dots`, :math:`\gamma` the learning rate
``lr``, :math:`\lambda` ``weight_decay``.

Chapter 7 (Optimizers and schedules) explains momentum, RMSprop, Adam and
AdamW and races them; Chapter 6 (Vanishing and exploding gradients) uses
:func:`clip_grad_norm`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validate import (
    check_bool,
    check_choice,
    check_finite,
    check_float64_array,
    check_in_unit_interval,
    check_nonnegative,
    check_positive,
    check_real,
    check_writable_float64_array,
)

__all__ = [
    "Optimizer",
    "SGD",
    "RMSprop",
    "Adam",
    "AdamW",
    "clip_grad_norm",
    "make_optimizer",
    "OPTIMIZER_NAMES",
]


def _check_params(params: Any) -> list[np.ndarray]:
    """Validate the list of parameter arrays an optimizer will update in place."""
    if isinstance(params, np.ndarray):
        raise TypeError(
            "params must be a list of float64 NumPy arrays, got a single ndarray "
            "(wrap it in a list: [x])"
        )
    if not isinstance(params, (list, tuple)):
        raise TypeError(
            f"params must be a list of float64 NumPy arrays, got {type(params).__name__}"
        )
    if len(params) == 0:
        raise ValueError("params must be a non-empty list of arrays, got an empty list")
    checked: list[np.ndarray] = []
    for i, p in enumerate(params):
        name = f"params[{i}]"
        check_writable_float64_array(name, p, "the optimizer updates it in place")
        for j, q in enumerate(checked):
            if q is p:
                raise ValueError(
                    f"{name} is the same array as params[{j}]; it would be updated twice"
                )
        checked.append(p)
    return checked


_FLOAT64 = np.dtype(np.float64)


def _all_finite(a: np.ndarray) -> bool:
    """Whether every entry of the array ``a`` is finite: ``np.isfinite(a).all()``.

    :meth:`Optimizer.step` checks every buffer after every update. For the
    few entries of a small float64 array (the 2-D points of Chapter 7's
    landscapes) a check on Python floats is several times faster than two
    NumPy calls. Other arrays (a subclass's complex buffer, say) NumPy checks.

    >>> _all_finite(np.array([1.0, -2.0])), _all_finite(np.array([1.0, np.nan]))
    (True, False)
    >>> _all_finite(np.full(1000, 1e308)), _all_finite(np.r_[np.zeros(999), -np.inf])
    (True, False)
    >>> _all_finite(np.array([1j, 2.0])), _all_finite(np.array([complex(1.0, np.inf)]))
    (True, False)
    """
    if a.size <= 64 and a.dtype == _FLOAT64:
        return all(map(math.isfinite, a.ravel().tolist()))
    return bool(np.isfinite(a).all())


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """``start <- start + weight * (end - start)`` in place, as ``torch.lerp`` computes it."""
    if abs(weight) < 0.5:
        start += weight * (end - start)
    else:
        start[...] = end - (end - start) * (1.0 - weight)


class Optimizer:
    """Base class: holds the parameters, the learning rate and the per-parameter state.

    Parameters
    ----------
    params : list of numpy.ndarray
        Non-empty list of float64 arrays, updated in place by :meth:`step`.
        Float32 and integer arrays are refused (a silent upcast would create a
        copy, and the caller's arrays would never change).
    lr : float
        Learning rate, positive and finite.

    Attributes
    ----------
    params : list of numpy.ndarray
        The very arrays passed in (not copies).
    lr : float
        The learning rate used by the *next* call to :meth:`step`. It may be
        changed between steps (that is what :class:`utils.schedules.LRScheduler`
        does); the setter accepts ``0.0`` as well, because a schedule may decay
        to zero, in which case a step leaves the parameters unchanged
        (``SGD``, ``RMSprop``, ``Adam``; ``AdamW``'s decay factor is then 1).
    state : list of dict
        One dictionary per parameter with the optimizer's buffers (moment
        estimates, momentum buffer, per-parameter ``step``), named as in PyTorch.
    step_count : int
        Number of completed calls to :meth:`step`.

    See Also
    --------
    SGD, RMSprop, Adam, AdamW : The optimizers.
    make_optimizer : Build one by name.
    utils.schedules.LRScheduler : Changes ``lr`` between steps.

    Examples
    --------
    A subclass implements ``_update(p, g, state)``, one parameter in place:

    >>> class SignDescent(Optimizer):
    ...     def _update(self, p, g, state):
    ...         p -= self.lr * np.sign(g)
    >>> w = np.array([1.0, -1.0])
    >>> opt = SignDescent([w], lr=0.25)
    >>> opt.step([np.array([3.0, -0.001])])
    >>> w, opt.step_count
    (array([ 0.75, -0.75]), 1)
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float) -> None:
        self.params = _check_params(params)
        self._lr = check_positive("lr", lr)
        self.state: list[dict[str, Any]] = [{} for _ in self.params]
        self.step_count = 0

    @property
    def lr(self) -> float:
        """The learning rate of the next step (settable; must be finite and >= 0)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_nonnegative("lr", value)

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """The hyper-parameters other than ``lr``, as a dictionary."""
        return {}

    def __repr__(self) -> str:
        items = [f"lr={self.lr!r}"] + [f"{k}={v!r}" for k, v in self.hyperparameters.items()]
        return f"{type(self).__name__}({', '.join(items)})"

    def _check_grads(self, grads: Any) -> list[np.ndarray]:
        if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
            raise TypeError(
                f"grads must be a list of arrays (one per parameter), got {type(grads).__name__}"
            )
        if len(grads) != len(self.params):
            raise ValueError(
                f"grads has {len(grads)} entries but there are {len(self.params)} params"
            )
        checked = []
        for i, (g, p) in enumerate(zip(grads, self.params, strict=False)):
            if not (type(g) is np.ndarray and g.dtype == np.float64 and _all_finite(g)):
                g = check_float64_array(f"grads[{i}]", g)  # converts, or says what is wrong
            if g.shape != p.shape:
                raise ValueError(
                    f"grads[{i}] has shape {g.shape} but params[{i}] has shape {p.shape}"
                )
            checked.append(g)
        return checked

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """Update every parameter in place from its gradient.

        All gradients are validated before any parameter changes, so a bad
        gradient leaves the parameters and the state untouched. The gradient
        arrays themselves are never modified.

        Parameters
        ----------
        grads : list of array_like
            One float64 gradient per parameter, of the same shape, finite.

        Raises
        ------
        TypeError
            If ``grads`` is not a list, or a gradient is float32/float16.
        ValueError
            If the number of gradients or a shape does not match, or a gradient
            contains NaN or infinity (the message names its index).
        OverflowError
            If finite gradients make a parameter or a buffer of the state
            overflow float64 (e.g. gradients of 1e200); the parameters and the
            state are then restored to their values before the call.

        See Also
        --------
        utils.schedules.LRScheduler.step : Call it after this, as in PyTorch.
        clip_grad_norm : Clip the gradients before this.

        Examples
        --------
        >>> w = np.array([1.0, 2.0])
        >>> opt = SGD([w], lr=0.5)
        >>> opt.step([np.array([2.0, -2.0])])  # w - 0.5 g
        >>> w
        array([0., 3.])
        >>> opt.step([np.array([np.nan, 0.0])])
        Traceback (most recent call last):
        ...
        ValueError: grads[0] must contain only finite values...
        >>> w  # unchanged by the refused step
        array([0., 3.])
        """
        checked = self._check_grads(grads)
        saved = [
            (p.copy(), {k: v.copy() if type(v) is np.ndarray else v for k, v in state.items()})
            for p, state in zip(self.params, self.state, strict=False)
        ]
        with np.errstate(over="ignore", invalid="ignore"):
            for p, g, state in zip(self.params, checked, self.state, strict=False):
                self._update(p, g, state)
        for i, (p, state) in enumerate(zip(self.params, self.state, strict=False)):
            if not (
                _all_finite(p)
                and all(_all_finite(v) for v in state.values() if type(v) is np.ndarray)
            ):
                for (p_old, state_old), q, st in zip(saved, self.params, self.state, strict=False):
                    q[...] = p_old
                    st.clear()
                    st.update(state_old)
                raise OverflowError(
                    f"step(): the update of params[{i}] overflows float64 (lr={self.lr:g}, "
                    f"largest |grads[{i}]| = {float(np.max(np.abs(checked[i]), initial=0.0)):g}); "
                    "the parameters and the optimizer state are unchanged"
                )
        self.step_count += 1

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional momentum, exactly as ``torch.optim.SGD``.

    For :math:`t = 1, 2, \dots` (:math:`\mu` = ``momentum``, :math:`\tau` = ``dampening``):

    .. math::

        g_t &\leftarrow \pm\nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad(\text{minus sign if } \textit{maximize})\\
        b_t &\leftarrow \begin{cases} g_1 & t = 1\\
              \mu\, b_{t-1} + (1-\tau)\, g_t & t > 1 \end{cases}\\
        d_t &\leftarrow \begin{cases} g_t + \mu\, b_t & \textit{nesterov}\\
              b_t & \text{otherwise} \end{cases}
              \qquad(d_t = g_t \text{ if } \mu = 0)\\
        \theta_t &\leftarrow \theta_{t-1} - \gamma\, d_t

    **PyTorch's momentum is not an exponential moving average.** Its buffer
    (with :math:`\tau = 0`) is the *sum* :math:`b_t = \sum_{k\le t}\mu^{t-k} g_k`,
    whereas the EMA :math:`v_t = \beta v_{t-1} + (1-\beta) g_t` of many texts
    is :math:`(1-\beta)\, b_t`: with the same nominal learning rate PyTorch's
    steps are :math:`1/(1-\mu)` times larger (10x for :math:`\mu = 0.9`), and
    the two give identical trajectories when :math:`\gamma = (1-\beta)\,\eta`.
    ``dampening`` does not make the buffer an EMA either: it does not apply to
    the first step (:math:`b_1 = g_1`). Chapter 7 (Optimizers and schedules)
    compares the two conventions.

    Parameters
    ----------
    params : list of numpy.ndarray
        Float64 arrays updated in place.
    lr : float
        Learning rate :math:`\gamma > 0` (required, as the book always states it).
    momentum : float, default 0
        :math:`\mu \in [0, 1)`.
    dampening : float, default 0
        :math:`\tau \in [0, 1]`.
    nesterov : bool, default False
        Nesterov momentum; requires ``momentum > 0`` and ``dampening == 0`` (as PyTorch).
    weight_decay : float, default 0
        L2 penalty :math:`\lambda \ge 0`, added to the gradient.
    maximize : bool, default False
        Ascend instead of descend.

    See Also
    --------
    RMSprop, Adam : Adaptive optimizers.
    make_optimizer : ``"momentum"`` and ``"nesterov"`` presets.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, -2.0])
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> opt.step([np.array([1.0, 1.0])])   # b_1 = g_1
    >>> w
    array([ 0.9, -2.1])
    >>> opt.step([np.array([1.0, 1.0])])   # b_2 = 0.9 * 1 + 1 = 1.9
    >>> w.round(2)
    array([ 0.71, -2.29])
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = check_in_unit_interval("momentum", momentum)
        self.dampening = check_finite("dampening", dampening)
        if not 0.0 <= self.dampening <= 1.0:
            raise ValueError(f"dampening must be in [0, 1], got {self.dampening}")
        self.nesterov = check_bool("nesterov", nesterov)
        self.weight_decay = check_nonnegative("weight_decay", weight_decay)
        self.maximize = check_bool("maximize", maximize)
        if self.nesterov and (self.momentum <= 0.0 or self.dampening != 0.0):
            raise ValueError(
                "nesterov momentum requires momentum > 0 and dampening == 0, got "
                f"momentum={self.momentum}, dampening={self.dampening}"
            )

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {
            "momentum": self.momentum,
            "dampening": self.dampening,
            "nesterov": self.nesterov,
            "weight_decay": self.weight_decay,
            "maximize": self.maximize,
        }

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        if self.maximize:
            g = -g
        if self.weight_decay != 0.0:
            g = g + self.weight_decay * p
        if self.momentum != 0.0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = np.array(g, dtype=np.float64, copy=True)
                state["momentum_buffer"] = buf
            else:
                buf *= self.momentum
                buf += (1.0 - self.dampening) * g
            g = g + self.momentum * buf if self.nesterov else buf
        p += (-self.lr) * g


class RMSprop(Optimizer):
    r"""RMSprop, exactly as ``torch.optim.RMSprop``.

    With :math:`\alpha` = ``alpha``, :math:`\mu` = ``momentum``, :math:`v_0 = 0`,
    :math:`\bar g_0 = 0`, :math:`b_0 = 0`:

    .. math::

        g_t &\leftarrow \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1}\\
        v_t &\leftarrow \alpha\, v_{t-1} + (1-\alpha)\, g_t^2\\
        \tilde v_t &\leftarrow v_t - \bar g_t^2,\quad
            \bar g_t \leftarrow \alpha\,\bar g_{t-1} + (1-\alpha)\, g_t
            \qquad(\textit{centered}; \text{ otherwise } \tilde v_t = v_t)\\
        b_t &\leftarrow \mu\, b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon),\qquad
        \theta_t \leftarrow \theta_{t-1} - \gamma\, b_t
            \qquad(\mu > 0)\\
        \theta_t &\leftarrow \theta_{t-1} - \gamma\, g_t / (\sqrt{\tilde v_t} + \epsilon)
            \qquad(\mu = 0)

    There is no bias correction: the first steps are larger than
    :math:`\gamma` (at :math:`t = 1` the step is :math:`\gamma/\sqrt{1-\alpha}`, 10x for
    :math:`\alpha = 0.99`). :math:`\epsilon` is added *outside* the square root.

    Parameters
    ----------
    params : list of numpy.ndarray
        Float64 arrays updated in place.
    lr : float, default 1e-2
        Learning rate :math:`\gamma > 0`.
    alpha : float, default 0.99
        Smoothing constant in [0, 1).
    eps : float, default 1e-8
        Positive.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda \ge 0`, added to the gradient.
    momentum : float, default 0
        In [0, 1).
    centered : bool, default False
        Normalise by the estimated variance instead of the second moment.

    See Also
    --------
    Adam : RMSprop's scaling with momentum and bias correction.
    SGD : Plain and momentum gradient descent.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0])
    >>> opt = RMSprop([w], lr=0.01, alpha=0.99)
    >>> opt.step([np.array([2.0])])   # 1 - 0.01 * 2 / (sqrt(0.01 * 4) + 1e-8)
    >>> w.round(6)
    array([0.9])
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = check_in_unit_interval("alpha", alpha)
        self.eps = check_positive("eps", eps)
        self.weight_decay = check_nonnegative("weight_decay", weight_decay)
        self.momentum = check_in_unit_interval("momentum", momentum)
        self.centered = check_bool("centered", centered)

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {
            "alpha": self.alpha,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "momentum": self.momentum,
            "centered": self.centered,
        }

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(p)
            if self.momentum > 0.0:
                state["momentum_buffer"] = np.zeros_like(p)
            if self.centered:
                state["grad_avg"] = np.zeros_like(p)
        state["step"] += 1
        if self.weight_decay != 0.0:
            g = g + self.weight_decay * p
        square_avg = state["square_avg"]
        square_avg *= self.alpha
        square_avg += ((1.0 - self.alpha) * g) * g
        if self.centered:
            grad_avg = state["grad_avg"]
            _lerp_(grad_avg, g, 1.0 - self.alpha)
            # Mathematically v_t >= gbar_t**2 (Jensen); the clamp only guards
            # against a round-off negative, where PyTorch would return NaN.
            avg = np.sqrt(np.maximum(square_avg + (-1.0 * grad_avg) * grad_avg, 0.0))
        else:
            avg = np.sqrt(square_avg)
        avg += self.eps
        if self.momentum > 0.0:
            buf = state["momentum_buffer"]
            buf *= self.momentum
            buf += g / avg
            p += (-self.lr) * buf
        else:
            p += (-self.lr) * g / avg


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), exactly as ``torch.optim.Adam``.

    With :math:`m_0 = v_0 = 0` and :math:`\hat v^{\max}_0 = 0`:

    .. math::

        g_t &\leftarrow \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \qquad(\text{L2 penalty, coupled to the adaptive scaling})\\
        m_t &\leftarrow \beta_1 m_{t-1} + (1-\beta_1)\, g_t,\qquad
        v_t \leftarrow \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2\\
        v_t &\leftarrow \max(v^{\max}_{t-1}, v_t) =: v^{\max}_t
              \qquad(\textit{amsgrad}: \text{the max is used below})\\
        \theta_t &\leftarrow \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\;
              \frac{m_t}{\sqrt{v_t}\,/\sqrt{1-\beta_2^t} + \epsilon}

    The last line is PyTorch's order of operations, which this class follows
    literally: ``denom = sqrt(v) / sqrt(bias_correction2) + eps`` and
    ``step_size = lr / bias_correction1``. It is algebraically the paper's
    :math:`\hat m_t / (\sqrt{\hat v_t} + \epsilon)` with
    :math:`\hat m_t = m_t/(1-\beta_1^t)`, :math:`\hat v_t = v_t/(1-\beta_2^t)`;
    note that :math:`\epsilon` is added *after* the bias correction (the paper's
    Algorithm 1 too), not to :math:`\sqrt{v_t}` (its "efficient" variant).

    Parameters
    ----------
    params : list of numpy.ndarray
        Float64 arrays updated in place.
    lr : float, default 1e-3
        Learning rate :math:`\gamma > 0`.
    betas : tuple of float, default (0.9, 0.999)
        :math:`(\beta_1, \beta_2)`, each in [0, 1).
    eps : float, default 1e-8
        Positive.
    weight_decay : float, default 0
        L2 penalty added to the gradient (for decoupled decay use :class:`AdamW`).
    amsgrad : bool, default False
        Use the running maximum of :math:`v_t` in the denominator (AMSGrad,
        Reddi et al., 2018).

    See Also
    --------
    AdamW : Adam with decoupled weight decay.
    RMSprop : The second-moment scaling alone.

    Examples
    --------
    The first Adam step moves every coordinate by about ``lr`` against the sign
    of its gradient, whatever the gradient's size:

    >>> import numpy as np
    >>> w = np.array([1.0, 1.0])
    >>> opt = Adam([w], lr=0.1)
    >>> opt.step([np.array([1000.0, -0.01])])
    >>> w.round(6)
    array([0.9, 1.1])
    """

    _decoupled = False

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (
            check_in_unit_interval("beta1", betas[0]),
            check_in_unit_interval("beta2", betas[1]),
        )
        self.eps = check_positive("eps", eps)
        self.weight_decay = check_nonnegative("weight_decay", weight_decay)
        self.amsgrad = check_bool("amsgrad", amsgrad)

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {
            "betas": self.betas,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "amsgrad": self.amsgrad,
        }

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        beta1, beta2 = self.betas
        lr = self.lr
        if not state:
            state["step"] = 0.0  # a float, as PyTorch's step tensor
            state["exp_avg"] = np.zeros_like(p)
            state["exp_avg_sq"] = np.zeros_like(p)
            if self.amsgrad:
                state["max_exp_avg_sq"] = np.zeros_like(p)
        state["step"] += 1.0
        step = state["step"]
        if self.weight_decay != 0.0:
            if self._decoupled:
                p *= 1.0 - lr * self.weight_decay
            else:
                g = g + self.weight_decay * p
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        _lerp_(exp_avg, g, 1.0 - beta1)
        exp_avg_sq *= beta2
        exp_avg_sq += ((1.0 - beta2) * g) * g
        bias_correction1 = 1.0 - beta1**step
        bias_correction2 = 1.0 - beta2**step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        if self.amsgrad:
            max_sq = state["max_exp_avg_sq"]
            np.maximum(max_sq, exp_avg_sq, out=max_sq)
            denom = np.sqrt(max_sq) / bias_correction2_sqrt
        else:
            denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt
        denom += self.eps
        p += (-step_size) * exp_avg / denom


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter, 2019), exactly as ``torch.optim.AdamW``.

    Identical to :class:`Adam` except that the weight decay is *decoupled*:
    before the Adam update the parameters shrink,

    .. math::

        \theta \leftarrow \theta\,(1 - \gamma\lambda),

    and the gradient fed to the moment estimates is the plain gradient. (Adam's
    L2 penalty :math:`\lambda\theta` instead passes through the division by
    :math:`\sqrt{\hat v_t}`, so weights with large gradients are barely decayed.)
    Note that the decay uses the current learning rate :math:`\gamma`, so a
    schedule scales it too, as in PyTorch.

    Parameters
    ----------
    params : list of numpy.ndarray
        Float64 arrays updated in place.
    lr : float, default 1e-3
        Learning rate :math:`\gamma > 0`.
    betas : tuple of float, default (0.9, 0.999)
        :math:`(\beta_1, \beta_2)`, each in [0, 1).
    eps : float, default 1e-8
        Positive.
    weight_decay : float, default 1e-2
        Decoupled decay :math:`\lambda \ge 0` (note the default, unlike Adam's 0).
    amsgrad : bool, default False
        As for :class:`Adam`.

    See Also
    --------
    Adam : The coupled L2 penalty.
    utils.nn.l2_penalty : Weight decay as a loss term.

    Examples
    --------
    With a zero gradient only the decay acts: :math:`1 \cdot (1 - 0.1 \cdot 0.5)`.

    >>> import numpy as np
    >>> w = np.array([1.0])
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> opt.step([np.array([0.0])])
    >>> w
    array([0.95])
    """

    _decoupled = True

    def __init__(
        self,
        params: Sequence[np.ndarray],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


def clip_grad_norm(grads: Sequence[np.ndarray], max_norm: float, norm_type: float = 2.0) -> float:
    r"""Scale gradients in place so that their joint norm is at most ``max_norm``.

    Exactly ``torch.nn.utils.clip_grad_norm_``: the total norm is the
    ``norm_type``-norm of the vector of the per-array norms (the norm of all
    entries concatenated), and every gradient is multiplied by

    .. math::

        c = \min\!\Big(1,\; \frac{\texttt{max\_norm}}{\lVert g\rVert + 10^{-6}}\Big),

    so a clipped gradient ends up with norm slightly *below* ``max_norm``, and
    gradients already below the threshold are left unchanged (multiplied by 1).

    Parameters
    ----------
    grads : list of numpy.ndarray
        Float64 gradient arrays, modified in place (writable; float32 refused).
    max_norm : float
        Positive, finite threshold.
    norm_type : float or "inf", default 2.0
        Order :math:`p > 0` of the norm, or ``float("inf")`` (the largest
        absolute entry).

    Returns
    -------
    float
        The total norm *before* clipping.

    Raises
    ------
    ValueError
        If a gradient contains NaN or infinity (PyTorch would silently return
        a NaN norm and poison the gradients), or two entries of ``grads`` share
        memory (the same array twice would be scaled twice).
    OverflowError
        If the total norm itself overflows float64 (norms of finite
        gradients that overflow only in an intermediate ``g**2`` are computed
        exactly, by scaling); the gradients are then unchanged.

    See Also
    --------
    Optimizer.step : Uses the clipped gradients.
    utils.gradflow.gradient_norms : Where exploding gradients come from.

    Examples
    --------
    >>> import numpy as np
    >>> g = [np.array([3.0, 0.0]), np.array([4.0])]
    >>> clip_grad_norm(g, max_norm=1.0)
    5.0
    >>> [a.round(6) for a in g]
    [array([0.6, 0. ]), array([0.8])]
    """
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise TypeError(f"grads must be a list of float64 NumPy arrays, got {type(grads).__name__}")
    if len(grads) == 0:
        raise ValueError("grads must be a non-empty list of arrays, got an empty list")
    for i, g in enumerate(grads):
        check_writable_float64_array(f"grads[{i}]", g, "clip_grad_norm scales it in place")
        for j in range(i):
            if np.shares_memory(grads[j], g):
                raise ValueError(
                    f"grads[{i}] shares memory with grads[{j}]; it would be scaled twice"
                )
    max_norm = check_positive("max_norm", max_norm)
    if isinstance(norm_type, str):
        if norm_type.lower() != "inf":
            raise ValueError(f"norm_type must be a positive number or 'inf', got {norm_type!r}")
        p = math.inf
    else:
        p = check_real("norm_type", norm_type)
        if not (p > 0):
            raise ValueError(f"norm_type must be a positive number or inf, got {p}")

    norms = np.array([_vector_norm(g, p) for g in grads])
    total = _vector_norm(norms, p)
    if not math.isfinite(total):
        raise OverflowError(
            f"the total {p:g}-norm of grads overflows float64; the gradients are unchanged"
        )
    clip_coef = max_norm / (total + 1e-6)
    clip_coef_clamped = min(clip_coef, 1.0)
    for g in grads:
        g *= clip_coef_clamped
    return float(total)


def _vector_norm(x: np.ndarray, p: float) -> float:
    if x.size == 0:
        return 0.0
    a = np.abs(x).ravel()
    if math.isinf(p):
        return float(a.max())
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        norm = _plain_norm(a, p)
        m = float(a.max())
        if not math.isfinite(norm) or (norm == 0.0 and m > 0.0):
            # a**p overflowed (or underflowed): the norm of a / max|a|, scaled back
            norm = m * _plain_norm(a / m, p)
    return norm


def _plain_norm(a: np.ndarray, p: float) -> float:
    if p == 2.0:
        return float(np.sqrt(np.dot(a, a)))
    if p == 1.0:
        return float(a.sum())
    return float(np.sum(a**p) ** (1.0 / p))


OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw")


def make_optimizer(name: str, params: Sequence[np.ndarray], **hyper: Any) -> Optimizer:
    """Build an optimizer from its name, for widgets and experiment loops.

    ============  ==================================================================
    name          optimizer
    ============  ==================================================================
    ``sgd``       ``SGD(params, **hyper)`` (``lr`` required)
    ``momentum``  ``SGD`` with ``momentum`` defaulting to 0.9 (must be > 0)
    ``nesterov``  ``SGD`` with ``nesterov=True`` and ``momentum`` defaulting to 0.9
    ``rmsprop``   ``RMSprop(params, **hyper)``
    ``adam``      ``Adam(params, **hyper)``
    ``adamw``     ``AdamW(params, **hyper)``
    ============  ==================================================================

    Parameters
    ----------
    name : str
        One of :data:`OPTIMIZER_NAMES` (``ValueError`` otherwise).
    params : list of numpy.ndarray
        Float64 arrays, updated in place.
    **hyper
        Keyword arguments of the optimizer class; ``nesterov`` is refused for
        ``"momentum"`` and ``"nesterov"`` (``TypeError``), whose ``momentum``
        must be > 0 (``ValueError``).

    Returns
    -------
    Optimizer
        A new :class:`SGD`, :class:`RMSprop`, :class:`Adam` or :class:`AdamW`.

    See Also
    --------
    utils.landscapes.run : Takes an optimizer by name.

    Examples
    --------
    >>> import numpy as np
    >>> make_optimizer("nesterov", [np.zeros(2)], lr=0.1)
    SGD(lr=0.1, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.0, maximize=False)
    >>> make_optimizer("adamw", [np.zeros(2)]).hyperparameters["weight_decay"]
    0.01
    """
    check_choice("name", name, OPTIMIZER_NAMES)
    if name == "sgd":
        return SGD(params, **hyper)
    if name in ("momentum", "nesterov"):
        if "nesterov" in hyper:
            raise TypeError(f"make_optimizer({name!r}) does not take a nesterov argument")
        hyper.setdefault("momentum", 0.9)
        if not check_real("momentum", hyper["momentum"]) > 0:
            raise ValueError(f"the {name!r} optimizer needs momentum > 0, got {hyper['momentum']}")
        return SGD(params, nesterov=(name == "nesterov"), **hyper)
    if name == "rmsprop":
        return RMSprop(params, **hyper)
    if name == "adam":
        return Adam(params, **hyper)
    return AdamW(params, **hyper)
