r"""Gradient flow through a deep network at initialisation.

Chapter 6 (Vanishing and exploding gradients) runs these experiments and
explains Glorot and He initialisation; the backward pass below is the chain
rule of Chapter 2 (Chain rule and computational graphs) written for matrices.

Why were deep networks so hard to train before good initialisations and
residual connections? :func:`gradient_norms` builds a deep multilayer
perceptron exactly as it is at the start of training, runs one forward and one
backward pass in NumPy, and returns, layer by layer, the size of the forward
signal and of the weight gradients -- so a plot shows them vanish or explode
with depth.

The network
-----------
Inputs :math:`h_0 = X \in \mathbb{R}^{B\times n}` with entries drawn from
:math:`N(0, 1)` (``batch`` = :math:`B` rows, ``width`` = :math:`n` columns);
``depth`` = :math:`D` hidden layers of :math:`n` units, weights
:math:`W_l \in \mathbb{R}^{n\times n}` and zero biases (the usual
initialisation, so they drop out):

.. math::

    z_l = h_{l-1} W_l^\top,\qquad
    h_l = \begin{cases} f(z_l) & \text{plain}\\
                        h_{l-1} + \alpha\, f(z_l) & \text{residual},\ \alpha = 1/\sqrt{D}
          \end{cases}
    \qquad l = 1, \dots, D,

with :math:`f` an activation of :mod:`utils.activations`. The residual branch
is scaled by :math:`\alpha = 1/\sqrt{D}`, so that each branch adds a variance
of order :math:`1/D` rather than of order 1 (with :math:`\alpha = 1`, a
He-initialised ReLU network's activations would double in variance at every
layer). Branches whose outputs have a positive mean (ReLU, GELU, sigmoid) still
let the activations grow slowly with depth.

The loss is a fixed random linear function of the output,

.. math::

    L = \frac{1}{B}\sum_{b=1}^{B} t_b^\top (h_D)_b,\qquad t_b \sim N(0, I/n),

with the "readout" :math:`T = (t_b)` drawn with the seed. The gradient that
arrives at the output, :math:`\partial L/\partial (h_D)_b = t_b/B`, is then a
random direction for every example -- as for a real loss at initialisation,
where predictions and targets are unrelated -- and does not depend on the
scale of the output, so whatever happens to it on the way down is the
network's doing. (A loss whose output gradient is the same for every example,
such as the mean of the output, would make every :math:`\partial L/\partial W_l`
sum coherently over the batch and mix the *mean* of the activations, which
sigmoid and ReLU shift away from 0, into the comparison between layers.)

Initialisations (weights :math:`N(0, \sigma^2)`):

* ``"naive"``: :math:`\sigma = 1` (:data:`NAIVE_STD`), blind to the layer
  size: the pre-activations have standard deviation about :math:`\sqrt{n}`
  (8 for :math:`n = 64`), so tanh and sigmoid saturate and ReLU/GELU
  activations grow by about :math:`\sqrt{n/2}` per layer;
* ``"glorot"`` (Xavier): :math:`\sigma^2 = 2/(n_\text{in} + n_\text{out})`;
* ``"he"`` (Kaiming): :math:`\sigma^2 = 2/n_\text{in}`.

All three scale the same standard-normal draws, so for one ``seed`` the
networks differ only by a factor per layer.

Backward pass (the manual chain rule, checked against central differences in
the tests): with :math:`\delta_l = \partial L/\partial z_l` and
:math:`g_l = \partial L/\partial h_l`,

.. math::

    g_D = T/B,\quad
    \delta_l = \beta\, g_l \odot f'(z_l),\quad
    \frac{\partial L}{\partial W_l} = \delta_l^\top h_{l-1},\quad
    g_{l-1} = \delta_l W_l + [\text{residual}]\, g_l,

with :math:`\beta = \alpha` for the residual network and 1 otherwise.

Overflow: with the naive initialisation very deep ReLU-like networks exceed the
float64 range (about 1e308). Every layer is checked; the first non-finite
value stops the computation, which reports the layer as ``overflow_at`` and
returns the finite results computed so far, without a warning.

Examples
--------
>>> flow = gradient_norms(depth=30, activation="sigmoid", init="glorot")
>>> bool(flow.ratio < 1e-5)  # the first layer learns far more slowly than the last
True
>>> resnet = gradient_norms(depth=30, activation="sigmoid", init="glorot", residual=True)
>>> bool(0.1 < resnet.ratio < 10)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import check_bool, check_choice, check_count, check_float64_array, check_int
from .activations import ACTIVATIONS, normal_cdf, normal_pdf

__all__ = [
    "GradFlow",
    "INITS",
    "NAIVE_STD",
    "init_std",
    "network",
    "loss_and_gradients",
    "gradient_norms",
    "LAYER_NORM_EPS",
    "layer_norm",
    "layer_norm_loss_and_gradients",
    "layer_norm_gradient_norms",
]

#: The initialisation schemes understood by ``init=``.
INITS = ("naive", "glorot", "he")

#: Standard deviation of the ``"naive"`` initialisation.
NAIVE_STD = 1.0

#: The largest depth, width, batch or fan-in accepted.
MAX_WIDTH = 10_000
#: The largest number of weights ``depth * width**2`` (80 MB of float64).
MAX_ELEMENTS = 10**7


@dataclass(frozen=True)
class GradFlow:
    """Forward and backward signal sizes, layer by layer, of a network at initialisation.

    Layers are numbered ``1 .. depth`` from the input. All arrays are finite
    (no NaN, no infinity); after an overflow they are shorter (see below).

    Attributes
    ----------
    grad_norms : numpy.ndarray
        Frobenius norms :math:`\\|\\partial L/\\partial W_l\\|_F`, float64, for
        the layers in ``grad_layers``.
    grad_layers : numpy.ndarray
        The layer numbers (int64, ascending) of ``grad_norms``: ``1 .. depth``,
        or ``overflow_at + 1 .. depth`` after an overflow in the backward pass
        (the layers above the overflow), or empty after one in the forward pass.
    activation_std : numpy.ndarray
        Standard deviation of the entries of :math:`h_l` (the forward signal)
        for the layers in ``activation_layers``.
    activation_layers : numpy.ndarray
        ``1 .. depth``, or ``1 .. overflow_at - 1`` after a forward overflow.
    ratio : float or None
        ``grad_norms`` of layer 1 divided by that of layer ``depth``: < 1, the
        first layer gets the smaller gradient (vanishing); > 1, the larger
        (exploding). ``None`` after an overflow, or if the last layer's
        gradient is exactly 0 or the quotient overflows.
    loss : float or None
        The loss :math:`L`; ``None`` after a forward overflow (or if the
        loss alone exceeds the float64 range: the gradients do not need it).
    overflow_at : int or None
        ``None``, or the layer at which float64 overflowed: in the forward
        pass, the first layer whose :math:`z_l` or :math:`h_l` is not finite;
        in the backward pass, the highest layer whose weight gradient could
        not be computed in float64.
    overflow_in : str or None
        ``"forward"``, ``"backward"`` or ``None``.
    depth, activation, init, residual, width, batch, seed
        The arguments, for labelling a plot.

    See Also
    --------
    gradient_norms : The experiment that returns it.

    Examples
    --------
    >>> flow = gradient_norms(depth=5, activation="tanh", init="glorot", width=8, batch=4)
    >>> flow.grad_layers.tolist(), flow.activation_layers.tolist(), flow.overflow_at
    ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], None)
    >>> bool(flow.ratio == flow.grad_norms[0] / flow.grad_norms[-1])
    True
    """

    grad_norms: np.ndarray
    grad_layers: np.ndarray
    activation_std: np.ndarray
    activation_layers: np.ndarray
    ratio: float | None
    loss: float | None
    overflow_at: int | None
    overflow_in: str | None
    depth: int
    activation: str
    init: str
    residual: bool
    width: int
    batch: int
    seed: int


def init_std(init: str, fan_in: int, fan_out: int) -> float:
    """Standard deviation of the weights of a layer under an initialisation scheme.

    Parameters
    ----------
    init : {"naive", "glorot", "he"}
        The scheme (anything else raises ``ValueError``). ``"naive"``:
        :data:`NAIVE_STD` (1.0); ``"glorot"``:
        ``sqrt(2 / (fan_in + fan_out))``; ``"he"``: ``sqrt(2 / fan_in)``.
    fan_in, fan_out : int
        Inputs and outputs of the layer, ``1 <= fan <= 10_000``.

    Returns
    -------
    float
        The standard deviation ``sigma`` of the weights, drawn from
        ``N(0, sigma**2)``.

    See Also
    --------
    network : Draws weights with it.
    gradient_norms : Shows what the choice does to the gradients.

    Notes
    -----
    Chapter 6 (Vanishing and exploding gradients) derives the Glorot and He
    variances from keeping the signal's variance constant across layers.

    Examples
    --------
    >>> init_std("naive", 64, 64), init_std("glorot", 64, 64), round(init_std("he", 64, 64), 6)
    (1.0, 0.125, 0.176777)
    """
    check_choice("init", init, INITS)
    fan_in = check_count("fan_in", fan_in, minimum=1, maximum=MAX_WIDTH)
    fan_out = check_count("fan_out", fan_out, minimum=1, maximum=MAX_WIDTH)
    if init == "naive":
        return NAIVE_STD
    if init == "glorot":
        return math.sqrt(2.0 / (fan_in + fan_out))
    return math.sqrt(2.0 / fan_in)


Forward = Callable[[np.ndarray], "tuple[np.ndarray, Any]"]
Derivative = Callable[[np.ndarray, Any], np.ndarray]


def _gelu_forward(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    cdf = normal_cdf(z)
    return z * cdf, cdf  # = activations.gelu(z); keep Phi(z) for the derivative


def _gelu_derivative(z: np.ndarray, cdf: np.ndarray) -> np.ndarray:
    return cdf + z * normal_pdf(z)  # = activations.d_gelu(z), without computing Phi twice


def _check_activation(activation: Any) -> tuple[Forward, Derivative]:
    """``forward(z) -> (f(z), cache)`` and ``derivative(z, cache) -> f'(z)`` for an activation."""
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a string, got {type(activation).__name__}")
    check_choice("activation", activation, tuple(ACTIVATIONS))
    if activation == "gelu":  # the costly one (an erfc per entry): share Phi between f and f'
        return _gelu_forward, _gelu_derivative
    f, df = ACTIVATIONS[activation]
    return (lambda z: (f(z), None)), (lambda z, _cache: df(z))


def network(
    depth: int, init: str = "naive", width: int = 64, batch: int = 64, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The inputs, initial weights and loss readout of the deep network of :func:`gradient_norms`.

    One generator, ``numpy.random.default_rng(seed)``, draws in this order the
    inputs ``x`` (standard normal), the weights (standard normal numbers times
    :func:`init_std` ``(init, width, width)``) and the readout ``t``
    (standard normal divided by ``sqrt(width)``). Only the weights depend on
    ``init``.

    Parameters
    ----------
    depth : int
        Number of hidden layers, >= 1.
    init : {"naive", "glorot", "he"}, default "naive"
        The initialisation scheme of the weights (see :func:`init_std`).
    width, batch : int, default 64
        Units per layer and number of inputs, >= 1; ``depth * width**2``
        must not exceed ``MAX_ELEMENTS`` (``ValueError``).
    seed : int, default 0
        Seed of the generator, >= 0.

    Returns
    -------
    x : numpy.ndarray, shape (batch, width)
        The inputs :math:`h_0`.
    weights : numpy.ndarray, shape (depth, width, width)
        ``weights[l - 1]`` is :math:`W_l` (rows: outputs, columns: inputs).
    readout : numpy.ndarray, shape (batch, width)
        :math:`T` of the loss :math:`L = \frac1B \sum_b t_b^\top (h_D)_b`.

    See Also
    --------
    init_std : The standard deviation of the weights.
    loss_and_gradients : The loss and gradients of this network.

    Examples
    --------
    >>> x, w, t = network(depth=3, init="he", width=4, batch=2)
    >>> x.shape, w.shape, t.shape
    ((2, 4), (3, 4, 4), (2, 4))
    >>> x2, w2, t2 = network(depth=3, init="naive", width=4, batch=2)  # only w changes
    >>> bool(np.array_equal(x, x2) and np.array_equal(t, t2))
    True
    >>> bool(np.allclose(w2 * init_std("he", 4, 4), w))
    True
    >>> _, w, _ = network(depth=1, init="he", width=200, batch=1)
    >>> bool(abs(w.std() / init_std("he", 200, 200) - 1) < 0.02)
    True
    """
    depth = check_count("depth", depth, minimum=1, maximum=MAX_WIDTH)
    check_choice("init", init, INITS)
    width = check_count("width", width, minimum=1, maximum=MAX_WIDTH)
    batch = check_count("batch", batch, minimum=1, maximum=MAX_WIDTH)
    if depth * width * width > MAX_ELEMENTS:
        raise ValueError(
            f"depth * width**2 = {depth * width * width} weights is more than MAX_ELEMENTS = "
            f"{MAX_ELEMENTS}; use a smaller depth or width"
        )
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    x = rng.standard_normal((batch, width))
    weights = rng.standard_normal((depth, width, width))
    weights *= init_std(init, width, width)
    readout = rng.standard_normal((batch, width)) / math.sqrt(width)
    return x, weights, readout


def _norm(a: np.ndarray) -> float:
    """Frobenius norm without overflow or underflow of the squares (scaled by max |a|)."""
    m = float(np.max(np.abs(a)))
    if m == 0.0:
        return 0.0
    s = (a / m).ravel()
    return m * math.sqrt(float(s @ s))


def _std(a: np.ndarray) -> float:
    """Standard deviation of the entries, scaled by max |a| (finite for any finite ``a``)."""
    m = float(np.max(np.abs(a)))
    if m == 0.0:
        return 0.0
    return m * float(np.std(a / m))


def _finite(a: np.ndarray) -> bool:
    return bool(np.isfinite(a).all())


def _propagate(
    weights: np.ndarray,
    x: np.ndarray,
    readout: np.ndarray,
    forward: Forward,
    derivative: Derivative,
    residual: bool,
) -> dict:
    """Forward and backward pass, stopping at the first non-finite value (see module docstring)."""
    depth = weights.shape[0]
    alpha = 1.0 / math.sqrt(depth) if residual else 1.0
    out: dict[str, Any] = {
        "stds": [],
        "grads": [],
        "norms": [],
        "loss": None,
        "overflow_at": None,
        "overflow_in": None,
    }
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        hs, zs, caches = [x], [], []
        h = x
        for i in range(depth):
            z = h @ weights[i].T
            if not _finite(z):
                out["overflow_at"], out["overflow_in"] = i + 1, "forward"
                return out
            a, cache = forward(z)
            h = h + alpha * a if residual else a
            if not _finite(h):
                out["overflow_at"], out["overflow_in"] = i + 1, "forward"
                return out
            zs.append(z)
            caches.append(cache)
            hs.append(h)
            out["stds"].append(_std(h))
        m = float(np.max(np.abs(h)))  # scaled, so that a huge finite output gives a finite loss
        out["loss"] = m * float(np.sum(readout * (h / m))) / h.shape[0] if m > 0 else 0.0
        if not math.isfinite(out["loss"]):  # only for outputs near the float64 limit
            out["loss"] = None

        g = readout / h.shape[0]  # dL/dh_D
        grads: list[np.ndarray] = []
        norms: list[float] = []
        for i in range(depth - 1, -1, -1):
            delta = g * derivative(zs[i], caches[i])
            if residual:
                delta *= alpha
            gw = delta.T @ hs[i]
            norm = _norm(gw) if _finite(gw) else math.inf
            if not math.isfinite(norm):
                out["overflow_at"], out["overflow_in"] = i + 1, "backward"
                break
            grads.append(gw)
            norms.append(norm)
            if i > 0:
                g_below = delta @ weights[i]
                if residual:
                    g_below += g
                if not _finite(g_below):
                    out["overflow_at"], out["overflow_in"] = i, "backward"
                    break
                g = g_below
        out["grads"] = grads[::-1]
        out["norms"] = norms[::-1]
    return out


def loss_and_gradients(
    weights: Any, x: Any, readout: Any, activation: str = "tanh", residual: bool = False
) -> tuple[float, np.ndarray]:
    r"""The loss of :func:`gradient_norms`' network and its gradient with respect to every weight.

    The forward and manual backward passes described in the module docstring:
    :math:`L = \frac1B\sum_b t_b^\top (h_D)_b` and
    :math:`\partial L/\partial W_l = \delta_l^\top h_{l-1}`.

    Parameters
    ----------
    weights : array_like, shape (depth, width, width)
        :math:`W_1, \dots, W_D` (float64, finite), e.g. from :func:`network`.
    x : array_like, shape (batch, width)
        The inputs :math:`h_0`.
    readout : array_like, shape (batch, width)
        :math:`T` of the loss.
    activation : str, default "tanh"
        A name in :data:`utils.activations.ACTIVATIONS`.
    residual : bool, default False
        Residual blocks :math:`h_l = h_{l-1} + f(z_l)/\sqrt{D}`.

    Returns
    -------
    loss : float
        :math:`L`.
    grads : numpy.ndarray
        Same shape as ``weights``: ``grads[l - 1]`` is :math:`\partial L/\partial W_l`.

    Raises
    ------
    OverflowError
        If a value exceeds the float64 range in the forward or backward pass
        (:func:`gradient_norms` reports this instead of raising).

    See Also
    --------
    network : Draws ``weights``, ``x`` and ``readout``.
    gradient_norms : Summarises the gradients layer by layer.

    Examples
    --------
    >>> x, w, t = network(depth=2, init="glorot", width=3, batch=2)
    >>> loss, grads = loss_and_gradients(w, x, t, activation="tanh")
    >>> grads.shape
    (2, 3, 3)
    >>> from utils.numdiff import numerical_gradient
    >>> num = numerical_gradient(lambda v: loss_and_gradients(v, x, t)[0], w)
    >>> bool(np.allclose(grads, num, rtol=1e-6, atol=1e-9))
    True
    """
    forward, derivative = _check_activation(activation)
    residual = check_bool("residual", residual)
    w, xs, t = _check_network_arrays(weights, x, readout, min_width=1)
    res = _propagate(w, xs, t, forward, derivative, residual)
    if res["overflow_at"] is not None:
        raise OverflowError(
            f"the {res['overflow_in']} pass overflows float64 at layer {res['overflow_at']}"
        )
    if res["loss"] is None:
        raise OverflowError(
            "the loss overflows float64 (the network's output is near the float64 limit)"
        )
    return res["loss"], np.stack(res["grads"])


def _check_experiment(
    depth: Any,
    activation: Any,
    init: Any,
    residual: Any,
    width: Any,
    batch: Any,
    seed: Any,
    min_width: int,
) -> tuple[int, Forward, Derivative, bool, int, int, int]:
    """The arguments of :func:`gradient_norms` and its layer-norm twin, checked in signature order.

    Returns ``depth, forward, derivative, residual, width, batch, seed``
    (``init`` is only checked).
    """
    depth = check_count("depth", depth, minimum=1, maximum=MAX_WIDTH)
    forward, derivative = _check_activation(activation)
    check_choice("init", init, INITS)
    residual = check_bool("residual", residual)
    width = check_count("width", width, minimum=min_width, maximum=MAX_WIDTH)
    batch = check_count("batch", batch, minimum=1, maximum=MAX_WIDTH)
    seed = check_int("seed", seed, minimum=0)
    return depth, forward, derivative, residual, width, batch, seed


def gradient_norms(
    depth: int,
    activation: str = "tanh",
    init: str = "naive",
    residual: bool = False,
    width: int = 64,
    batch: int = 64,
    seed: int = 0,
) -> GradFlow:
    r"""Per-layer weight-gradient norms and activation sizes of a deep MLP at initialisation.

    Builds the network of :func:`network` (the module docstring has the
    equations), runs :func:`loss_and_gradients`' forward and backward passes
    and summarises them. Overflow is reported (``overflow_at``), never raised;
    no NumPy warning is emitted. Cost: ``depth`` products of ``(batch, width)``
    by ``(width, width)`` matrices each way, plus the activation and its
    derivative on ``batch * width`` numbers per layer (memory
    ``O(depth * batch * width)``); a few to a few tens of milliseconds at the
    default sizes and ``depth = 50``.

    Parameters
    ----------
    depth : int
        Number of hidden layers, >= 1.
    activation : str, default "tanh"
        ``"tanh"``, ``"sigmoid"``, ``"relu"``, ``"gelu"`` or any other name in
        :data:`utils.activations.ACTIVATIONS`.
    init : {"naive", "glorot", "he"}, default "naive"
        The initialisation scheme (see :func:`init_std`).
    residual : bool, default False
        Use residual blocks :math:`h_l = h_{l-1} + f(z_l)/\sqrt{\mathrm{depth}}`.
    width, batch : int, default 64
        Units per layer (also the input dimension) and number of inputs, >= 1.
    seed : int, default 0
        Seeds the inputs and the weights (see :func:`network`).

    Returns
    -------
    GradFlow
        Gradient norms and activation sizes per layer, their ratio and any
        overflow.

    See Also
    --------
    loss_and_gradients : The forward and backward passes.
    init_std : The initialisation schemes.

    Examples
    --------
    >>> flow = gradient_norms(depth=20, activation="relu", init="he")
    >>> flow.grad_norms.shape, flow.activation_std.shape, flow.overflow_at
    ((20,), (20,), None)
    >>> deep = gradient_norms(depth=600, activation="relu", init="naive")
    >>> deep.overflow_in, len(deep.activation_std) == deep.overflow_at - 1, deep.grad_norms.size
    ('forward', True, 0)
    """
    depth, forward, derivative, residual, width, batch, seed = _check_experiment(
        depth, activation, init, residual, width, batch, seed, min_width=1
    )
    x, weights, readout = network(depth, init=init, width=width, batch=batch, seed=seed)
    res = _propagate(weights, x, readout, forward, derivative, residual)

    norms = np.array(res["norms"], dtype=np.float64)
    stds = np.array(res["stds"], dtype=np.float64)
    grad_layers = np.arange(depth - norms.size + 1, depth + 1, dtype=np.int64)
    ratio = None
    if res["overflow_at"] is None and norms[-1] > 0.0:
        q = float(norms[0]) / float(norms[-1])  # Python floats: overflow gives inf quietly
        ratio = q if math.isfinite(q) else None
    return GradFlow(
        grad_norms=norms,
        grad_layers=grad_layers,
        activation_std=stds,
        activation_layers=np.arange(1, stds.size + 1, dtype=np.int64),
        ratio=ratio,
        loss=res["loss"],
        overflow_at=res["overflow_at"],
        overflow_in=res["overflow_in"],
        depth=depth,
        activation=activation,
        init=init,
        residual=residual,
        width=width,
        batch=batch,
        seed=seed,
    )


# --------------------------------------------------------------------------- layer normalisation

#: The :math:`\epsilon` of :func:`layer_norm` (PyTorch's default for ``nn.LayerNorm``).
LAYER_NORM_EPS = 1e-5


def layer_norm(a: Any) -> np.ndarray:
    r"""Layer normalisation of each row, without gain or bias.

    For a row :math:`a \in \mathbb{R}^n` with mean :math:`\mu` and variance
    :math:`v = \frac1n\sum_i (a_i - \mu)^2`, returns
    :math:`(a - \mu)/\sqrt{v + \epsilon}` with :data:`LAYER_NORM_EPS`; this is
    Ba, Kiros and Hinton's layer normalisation with its gain 1 and bias 0, the
    values it has at initialisation. Chapter 6 (Vanishing and exploding
    gradients) derives its scale invariance.

    Parameters
    ----------
    a : array_like, shape (batch, width)
        Finite float64 numbers, ``width >= 2``.

    Returns
    -------
    numpy.ndarray, shape (batch, width)
        Every row has mean 0 and variance :math:`v/(v+\epsilon)` (just below 1).

    See Also
    --------
    layer_norm_gradient_norms : Gradient flow through a network that uses it.

    Examples
    --------
    >>> y = layer_norm([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]])
    >>> y.round(4).tolist()  # the same row up to scale gives the same output
    [[-1.2247, 0.0, 1.2247], [-1.2247, 0.0, 1.2247]]
    """
    a = check_float64_array("a", a, ndim=2)
    if a.shape[1] < 2:
        raise ValueError(f"a must have at least 2 columns to normalise, got shape {a.shape}")
    y, _ = _layer_norm(a)
    return y


def _layer_norm(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``a`` normalised, and the scale ``s = sqrt(var + eps)`` of each row (column)."""
    centred = a - a.mean(axis=1, keepdims=True)
    s = np.sqrt((centred * centred).mean(axis=1, keepdims=True) + LAYER_NORM_EPS)
    return centred / s, s


def _layer_norm_backward(dy: np.ndarray, y: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Vector-Jacobian product of :func:`layer_norm`, row-wise.

    (dy - mean(dy) - y mean(dy y)) / s.
    """
    return (dy - dy.mean(axis=1, keepdims=True) - y * (dy * y).mean(axis=1, keepdims=True)) / s


def _propagate_layer_norm(
    weights: np.ndarray,
    x: np.ndarray,
    readout: np.ndarray,
    forward: Forward,
    derivative: Derivative,
    residual: bool,
) -> tuple[float, list[np.ndarray], list[float]]:
    """Forward and backward pass of the normalised network.

    See :func:`layer_norm_gradient_norms`.
    """
    depth = weights.shape[0]
    alpha = 1.0 / math.sqrt(depth) if residual else 1.0
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        hs, ys, scales, caches, stds = [x], [], [], [], []
        h = x
        for k in range(depth):
            z, s = _layer_norm(h @ weights[k].T)
            a, cache = forward(z)
            h = h + alpha * a if residual else a
            ys.append(z)
            scales.append(s)
            caches.append(cache)
            hs.append(h)
            stds.append(_std(h))
        loss = float(np.sum(readout * h)) / h.shape[0]
        g = readout / h.shape[0]
        grads: list[np.ndarray] = []
        for k in range(depth - 1, -1, -1):
            delta = alpha * g * derivative(ys[k], caches[k])
            da = _layer_norm_backward(delta, ys[k], scales[k])
            grads.append(da.T @ hs[k])
            g = da @ weights[k] + g if residual else da @ weights[k]
        grads = grads[::-1]
    if not (math.isfinite(loss) and all(_finite(gw) for gw in grads)):
        raise OverflowError("the normalised network overflows float64")  # pragma: no cover
    return loss, grads, stds


def _check_network_arrays(
    weights: Any, x: Any, readout: Any, min_width: int = 2
) -> tuple[np.ndarray, ...]:
    """Validated ``(weights, x, readout)`` of :func:`loss_and_gradients` (``min_width=1``)
    or :func:`layer_norm_loss_and_gradients` (``min_width=2``: one unit normalises to 0)."""
    w = check_float64_array("weights", weights, ndim=3)
    if w.shape[0] < 1 or w.shape[1] != w.shape[2] or w.shape[1] < min_width:
        raise ValueError(
            "weights must have shape (depth, width, width) with depth >= 1, "
            f"width >= {min_width}, got {w.shape}"
        )
    xs = check_float64_array("x", x, ndim=2)
    if xs.shape[1] != w.shape[1] or xs.shape[0] < 1:
        raise ValueError(
            f"x must have shape (batch, {w.shape[1]}) to match weights, got {xs.shape}"
        )
    t = check_float64_array("readout", readout, ndim=2)
    if t.shape != xs.shape:
        raise ValueError(f"readout must have the shape of x, {xs.shape}, got {t.shape}")
    return w, xs, t


def layer_norm_loss_and_gradients(
    weights: Any, x: Any, readout: Any, activation: str = "tanh", residual: bool = False
) -> tuple[float, np.ndarray]:
    r"""Loss and weight gradients of the network of :func:`layer_norm_gradient_norms`.

    Parameters
    ----------
    weights : array_like, shape (depth, width, width)
        :math:`W_1, \dots, W_D` (float64, finite, ``width >= 2``).
    x, readout : array_like, shape (batch, width)
        The inputs :math:`h_0` and the readout :math:`T` of the loss.
    activation : str, default "tanh"
        A name in :data:`utils.activations.ACTIVATIONS`.
    residual : bool, default False
        Whether each layer adds its input back (the identity path is not normalised).

    Returns
    -------
    loss : float
        The loss of the network at ``weights``.
    grads : numpy.ndarray
        Its gradient with respect to ``weights``, same shape as ``weights``.

    See Also
    --------
    layer_norm_gradient_norms : The per-layer norms of these gradients.
    loss_and_gradients : The same network without layer normalisation.

    Examples
    --------
    >>> x, w, t = network(depth=2, init="naive", width=3, batch=2)
    >>> loss, grads = layer_norm_loss_and_gradients(w, x, t)
    >>> grads.shape
    (2, 3, 3)
    """
    forward, derivative = _check_activation(activation)
    residual = check_bool("residual", residual)
    w, xs, t = _check_network_arrays(weights, x, readout, min_width=2)
    loss, grads, _ = _propagate_layer_norm(w, xs, t, forward, derivative, residual)
    return loss, np.stack(grads)


def layer_norm_gradient_norms(
    depth: int,
    activation: str = "tanh",
    init: str = "naive",
    residual: bool = False,
    width: int = 64,
    batch: int = 64,
    seed: int = 0,
) -> GradFlow:
    r"""Like :func:`gradient_norms`, with layer normalisation before every activation.

    The network of :func:`network` (same inputs, weights and readout for the
    same arguments) with each layer's summed inputs normalised, as Ba, Kiros
    and Hinton place layer normalisation:

    .. math::

        z_l = \mathrm{LN}(h_{l-1} W_l^\top),\qquad
        h_l = f(z_l)\ \text{(plain)}\quad\text{or}\quad
        h_{l-1} + f(z_l)/\sqrt{D}\ \text{(residual)},

    with :func:`layer_norm` applied to each row. In the residual network the
    normalisation sits inside the branch, so the identity path is never
    normalised (as in the "Pre-LN" Transformer). Because
    :math:`\mathrm{LN}(c\,a) = \mathrm{LN}(a)` for :math:`c > 0` (up to
    :math:`\epsilon`), the forward signal does not depend on the scale of the
    weights, and scaling :math:`W_l` by :math:`c` divides
    :math:`\partial L/\partial W_l` by :math:`c`. The values stay within the
    float64 range (``overflow_at`` is always ``None``). Chapter 6 (Vanishing
    and exploding gradients) compares it with the plain and residual networks.

    Parameters
    ----------
    depth : int
        Number of hidden layers, >= 1.
    activation : str, default "tanh"
        A name in :data:`utils.activations.ACTIVATIONS`.
    init : {"naive", "glorot", "he"}, default "naive"
        The weight initialisation, as for :func:`network`.
    residual : bool, default False
        Whether each layer adds its input back (the identity path is not normalised).
    width : int, default 64
        Units per layer, ``2 <= width <=`` :data:`MAX_WIDTH` (a single unit normalises to 0).
    batch : int, default 64
        Number of inputs, ``1 <= batch <=`` :data:`MAX_WIDTH`.
    seed : int, default 0
        Seed of the inputs, weights and readout (as for :func:`network`).

    Returns
    -------
    GradFlow
        The per-layer gradient norms and their first/last ratio.

    See Also
    --------
    gradient_norms : The same measurement without layer normalisation.
    layer_norm : The normalisation applied before every activation.

    Examples
    --------
    >>> plain = gradient_norms(depth=30, activation="tanh", init="naive")
    >>> normed = layer_norm_gradient_norms(depth=30, activation="tanh", init="naive")
    >>> bool(plain.ratio > 1e6), bool(normed.ratio < 100)
    (True, True)
    >>> he = layer_norm_gradient_norms(depth=30, activation="tanh", init="he")
    >>> bool(abs(he.ratio / normed.ratio - 1) < 1e-3)  # blind to the weights' scale
    True
    """
    depth, forward, derivative, residual, width, batch, seed = _check_experiment(
        depth, activation, init, residual, width, batch, seed, min_width=2
    )
    x, weights, readout = network(depth, init=init, width=width, batch=batch, seed=seed)
    loss, grads, stds = _propagate_layer_norm(weights, x, readout, forward, derivative, residual)
    norms = np.array([_norm(gw) for gw in grads], dtype=np.float64)
    ratio = float(norms[0]) / float(norms[-1]) if norms[-1] > 0.0 else None
    return GradFlow(
        grad_norms=norms,
        grad_layers=np.arange(1, depth + 1, dtype=np.int64),
        activation_std=np.array(stds, dtype=np.float64),
        activation_layers=np.arange(1, depth + 1, dtype=np.int64),
        ratio=ratio if ratio is None or math.isfinite(ratio) else None,
        loss=loss,
        overflow_at=None,
        overflow_in=None,
        depth=depth,
        activation=activation,
        init=init,
        residual=residual,
        width=width,
        batch=batch,
        seed=seed,
    )
