"""Tiny neural networks and losses built on the scalar engine :mod:`utils.autograd`.

A :class:`Neuron` computes ``act(w . x + b)``; a :class:`Layer` is a list of
neurons reading the same input; an :class:`MLP` chains layers. Losses take
lists of :class:`~utils.autograd.Value` and return one ``Value`` to call
``backward()`` on.

Chapter 5 (Backprop engine) builds these classes and trains an MLP on the two
moons.

Initialisation
--------------
Weights and bias of a neuron with ``nin`` inputs are drawn independently from
the uniform distribution on ``[-1/sqrt(nin), 1/sqrt(nin)]`` (PyTorch's default
for ``nn.Linear``) with a NumPy ``Generator``. The same ``seed`` always gives
the same network.

Examples
--------
>>> model = MLP(2, [4, 1], nonlin="tanh", seed=0)
>>> len(model.parameters())           # (2*4 + 4) + (4*1 + 1)
17
>>> preds = [model(x)[0] for x in ([0.0, 1.0], [1.0, 0.0])]
>>> loss = mse(preds, [1.0, -1.0])
>>> model.zero_grad(); loss.backward()
>>> all(p.grad != 0.0 for p in model.parameters())
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from ._validate import (
    check_choice,
    check_count,
    check_finite,
    check_nonnegative,
    check_seed,
)
from .activations import ACTIVATIONS
from .autograd import Value, dot

__all__ = [
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "mse",
    "bce_with_logits",
    "hinge",
    "l2_penalty",
]

#: The values of ``nonlin``: every activation of :data:`utils.activations.ACTIVATIONS`
#: that :class:`~utils.autograd.Value` implements as a method (``"sigmoid"``,
#: ``"tanh"``, ``"relu"``, ``"softplus"``), and ``"linear"`` (no activation).
NONLINEARITIES = tuple(name for name in ACTIVATIONS if callable(getattr(Value, name, None))) + (
    "linear",
)

#: The largest layer size (``nin``, ``nout``, an entry of ``nouts``) accepted.
MAX_WIDTH = 10_000
#: The largest number of parameters of a Layer or an MLP: a scalar engine
#: builds one Python object per parameter, so more would take minutes.
MAX_PARAMETERS = 10**6


def _check_parameter_count(n_params: int) -> None:
    if n_params > MAX_PARAMETERS:
        raise ValueError(
            f"the model would have {n_params} parameters; "
            f"at most MAX_PARAMETERS = {MAX_PARAMETERS} are accepted "
            "(use smaller nin, nout or nouts)"
        )


def _as_list(name: str, values: object) -> list:
    if isinstance(values, (str, bytes, Value)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence, got {type(values).__name__}")
    return list(values)  # type: ignore[call-overload]


class Module:
    """Base class: anything with parameters.

    A subclass lists its parameters; ``zero_grad`` then works on it:

    See Also
    --------
    Neuron, Layer, MLP : The modules of this file.
    utils.optim.Optimizer : Updates a module's parameters.

    Examples
    --------
    >>> class Affine(Module):
    ...     def __init__(self):
    ...         self.a, self.b = Value(2.0), Value(1.0)
    ...     def parameters(self):
    ...         return [self.a, self.b]
    >>> m = Affine()
    >>> (3.0 * m.a + m.b).backward()  # d/da = 3, d/db = 1
    >>> [p.grad for p in m.parameters()]
    [3.0, 1.0]
    >>> m.zero_grad()
    >>> [p.grad for p in m.parameters()]
    [0.0, 0.0]
    """

    def parameters(self) -> list[Value]:
        """The trainable Values of this module, in a fixed order.

        The base class has none; a :class:`Neuron` lists its weights, then its
        bias (see the examples).

        Returns
        -------
        list of Value
            The parameters (empty for the base class): the same Value objects
            at every call, so that an optimizer can hold them.

        See Also
        --------
        zero_grad : Resets their gradients.

        Examples
        --------
        >>> Module().parameters()
        []
        >>> n = Neuron(3, seed=1)
        >>> [p.label for p in n.parameters()]
        ['w0', 'w1', 'w2', 'b']
        """
        return []

    def zero_grad(self) -> None:
        """Set the ``grad`` of every parameter to 0.

        Call it between training steps: :meth:`utils.autograd.Value.backward`
        adds to ``grad``.

        See Also
        --------
        parameters : The Values reset.
        utils.autograd.zero_grad : The same for any list of Values.

        Examples
        --------
        >>> n = Neuron(2, seed=0)
        >>> n([1.0, 2.0]).backward()
        >>> n.zero_grad()
        >>> [p.grad for p in n.parameters()]
        [0.0, 0.0, 0.0]
        """
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One neuron: ``act(w . x + b)``.

    Parameters
    ----------
    nin : int
        Number of inputs, ``1 <= nin <=`` :data:`MAX_WIDTH`.
    nonlin : str, default "tanh"
        The activation ``act``: a name in :data:`NONLINEARITIES`.
    seed : int or numpy.random.Generator, default 0
        Seed for the initialisation ``w_i, b ~ U(-1/sqrt(nin), 1/sqrt(nin))``;
        a Generator is used (and advanced) as is.

    Attributes
    ----------
    w : list of Value
        The weights, labelled ``w0``, ``w1``, ...
    b : Value
        The bias, labelled ``b``.

    See Also
    --------
    Layer : Neurons side by side.
    utils.autograd.dot : The fused ``w . x`` it computes.

    Examples
    --------
    >>> n = Neuron(2, nonlin="linear", seed=0)
    >>> y = n([1.0, -1.0])
    >>> abs(y.data - (n.w[0].data - n.w[1].data + n.b.data)) < 1e-15
    True
    """

    def __init__(self, nin: int, nonlin: str = "tanh", seed: int | np.random.Generator = 0) -> None:
        self.nin = check_count("nin", nin, minimum=1, maximum=MAX_WIDTH)
        self.nonlin = check_choice("nonlin", nonlin, NONLINEARITIES)
        rng = check_seed("seed", seed)
        bound = 1.0 / math.sqrt(self.nin)
        self.w = [
            Value(float(u), label=f"w{i}")
            for i, u in enumerate(rng.uniform(-bound, bound, self.nin))
        ]
        self.b = Value(float(rng.uniform(-bound, bound)), label="b")

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """Apply the neuron to an input of length ``nin``.

        Examples
        --------
        >>> Neuron(3, seed=0)([0.0, 0.0, 0.0]).data == Neuron(3, seed=0).b.tanh().data
        True
        """
        x = _as_list("x", x)
        if len(x) != self.nin:
            raise ValueError(f"x must have length nin={self.nin}, got {len(x)}")
        x = [v if v.__class__ is Value else Value(v, _name=f"x[{i}]") for i, v in enumerate(x)]
        act = dot(self.w, x) + self.b
        return act if self.nonlin == "linear" else getattr(act, self.nonlin)()

    def parameters(self) -> list[Value]:
        """``w_1, ..., w_nin, b``.

        Returns
        -------
        list of Value
            ``w_1, ..., w_nin, b``: ``nin + 1`` Values.

        See Also
        --------
        Module.zero_grad : Resets their gradients.

        Examples
        --------
        >>> len(Neuron(5, seed=0).parameters())
        6
        """
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"Neuron(nin={self.nin}, nonlin={self.nonlin!r})"


class Layer(Module):
    """``nout`` neurons reading the same input.

    Parameters
    ----------
    nin, nout : int
        Input and output sizes, between 1 and :data:`MAX_WIDTH`, with at most
        :data:`MAX_PARAMETERS` parameters ``(nin + 1) * nout``.
    nonlin : str, default "tanh"
        Activation of every neuron (a name in :data:`NONLINEARITIES`).
    seed : int or numpy.random.Generator, default 0
        Initialisation seed; the neurons draw in order from one Generator.

    Attributes
    ----------
    neurons : list of Neuron
        The ``nout`` neurons.

    See Also
    --------
    Neuron : One unit of the layer.
    MLP : Layers in a chain.

    Examples
    --------
    >>> layer = Layer(3, 2, seed=0)
    >>> len(layer([1.0, 2.0, 3.0]))
    2
    >>> n = layer.neurons[1]  # each output is its neuron's tanh(w . x + b)
    >>> w = [p.data for p in n.w]
    >>> z = w[0] * 1.0 + w[1] * 2.0 + w[2] * 3.0 + n.b.data
    >>> math.isclose(layer([1.0, 2.0, 3.0])[1].data, math.tanh(z), rel_tol=1e-14)
    True
    """

    def __init__(
        self, nin: int, nout: int, nonlin: str = "tanh", seed: int | np.random.Generator = 0
    ) -> None:
        nin = check_count("nin", nin, minimum=1, maximum=MAX_WIDTH)
        self.nout = check_count("nout", nout, minimum=1, maximum=MAX_WIDTH)
        _check_parameter_count((nin + 1) * self.nout)
        rng = check_seed("seed", seed)
        self.neurons = [Neuron(nin, nonlin, seed=rng) for _ in range(self.nout)]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """The list of the neurons' outputs.

        Examples
        --------
        >>> outs = Layer(2, 3, nonlin="relu", seed=0)([1.0, -1.0])
        >>> len(outs), all(v.data >= 0.0 for v in outs)
        (3, True)
        """
        x = _as_list("x", x)
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        """The parameters of all neurons, neuron by neuron.

        Returns
        -------
        list of Value
            ``(nin + 1) * nout`` Values.

        See Also
        --------
        Neuron.parameters : The order within a neuron.

        Examples
        --------
        >>> len(Layer(3, 2, seed=0).parameters())
        8
        """
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        n = self.neurons[0]
        return f"Layer(nin={n.nin}, nout={self.nout}, nonlin={n.nonlin!r})"


class MLP(Module):
    """A multilayer perceptron: hidden layers with ``nonlin``, a linear output layer.

    Parameters
    ----------
    nin : int
        Input size, ``1 <= nin <=`` :data:`MAX_WIDTH`.
    nouts : sequence of int
        Sizes of the layers; the last one is the output size. Each is between
        1 and :data:`MAX_WIDTH`, and the model has at most
        :data:`MAX_PARAMETERS` parameters.
    nonlin : str, default "tanh"
        Activation of the hidden layers, a name in :data:`NONLINEARITIES`
        (the output layer is linear).
    seed : int or numpy.random.Generator, default 0
        Initialisation seed (the layers draw in order from one Generator).

    Attributes
    ----------
    layers : list of Layer
        The layers, input first.

    See Also
    --------
    Layer : One layer.
    utils.data.two_moons : The dataset of Chapter 5 (Backprop engine).
    utils.optim.Adam : An optimizer for its parameters.

    Examples
    --------
    >>> model = MLP(2, [16, 16, 1], nonlin="relu", seed=0)
    >>> len(model.parameters())
    337
    >>> out = model([0.5, -0.5])
    >>> len(out)          # always a list, one Value per output
    1
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        nonlin: str = "tanh",
        seed: int | np.random.Generator = 0,
    ) -> None:
        nin = check_count("nin", nin, minimum=1, maximum=MAX_WIDTH)
        sizes = [
            check_count(f"nouts[{i}]", n, minimum=1, maximum=MAX_WIDTH)
            for i, n in enumerate(_as_list("nouts", nouts))
        ]
        if not sizes:
            raise ValueError("nouts must contain at least one layer size")
        fan_ins = [nin] + sizes[:-1]
        _check_parameter_count(sum((i + 1) * o for i, o in zip(fan_ins, sizes, strict=False)))
        check_choice("nonlin", nonlin, NONLINEARITIES)
        rng = check_seed("seed", seed)
        ins = [nin] + sizes[:-1]
        acts = [nonlin] * (len(sizes) - 1) + ["linear"]
        self.layers = [Layer(i, o, a, seed=rng) for i, o, a in zip(ins, sizes, acts, strict=False)]

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        """Forward pass: the list of output Values.

        Examples
        --------
        >>> len(MLP(3, [4, 2], seed=0)([1.0, 2.0, 3.0]))
        2
        """
        for layer in self.layers:
            x = layer(x)
        return x  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        """The parameters of all layers, layer by layer.

        Returns
        -------
        list of Value
            All the weights and biases, in a fixed order.

        See Also
        --------
        Layer.parameters : The order within a layer.

        Examples
        --------
        >>> len(MLP(3, [4, 2], seed=0).parameters())   # (3*4 + 4) + (4*2 + 2)
        26
        """
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP([{', '.join(repr(layer) for layer in self.layers)}])"


# --------------------------------------------------------------------- losses
def _paired(name_a: str, a: object, name_b: str, b: object) -> tuple[list[Value], list[float]]:
    """Check two equally long, non-empty sequences: Values (numbers are wrapped
    as constants) and real numbers."""
    a, b = _as_list(name_a, a), _as_list(name_b, b)
    if len(a) != len(b):
        raise ValueError(
            f"{name_a} and {name_b} must have the same length, got {len(a)} and {len(b)}"
        )
    if not a:
        raise ValueError(f"{name_a} must not be empty")
    values = [
        v if isinstance(v, Value) else Value(v, _name=f"{name_a}[{i}]") for i, v in enumerate(a)
    ]
    return values, [check_finite(f"{name_b}[{i}]", y) for i, y in enumerate(b)]


def _mean(terms: list[Value]) -> Value:
    return Value.sum(terms) * (1.0 / len(terms))


def mse(preds: Sequence[Value | float], targets: Sequence[float]) -> Value:
    """Mean squared error ``(1/n) sum (p_i - t_i)^2``.

    Parameters
    ----------
    preds : sequence of Value or float
        Predictions (numbers are wrapped as constants); not empty.
    targets : sequence of float
        Finite targets, same length (``ValueError`` otherwise).

    Returns
    -------
    Value
        One node; call ``backward()`` on it.

    See Also
    --------
    bce_with_logits : The loss for binary classification.
    utils.descent.minibatch_sgd_linear_regression : The same loss in NumPy.

    Examples
    --------
    >>> mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data   # (1 + 4) / 2
    2.5
    """
    preds, targets = _paired("preds", preds, "targets", targets)
    return _mean([(p - t) ** 2 for p, t in zip(preds, targets, strict=False)])


def bce_with_logits(logits: Sequence[Value | float], targets: Sequence[float]) -> Value:
    """Binary cross-entropy on logits: ``(1/n) sum softplus(z_i) - y_i z_i``.

    This equals ``-y log sigmoid(z) - (1 - y) log(1 - sigmoid(z))`` but never
    takes the log of a rounded-to-zero probability, so it stays finite and
    exact for logits of any size.

    Parameters
    ----------
    logits : sequence of Value or float
        Scores ``z_i`` (numbers are wrapped as constants); not empty.
    targets : sequence of float
        Labels or probabilities ``y_i`` in ``[0, 1]`` (``ValueError``
        otherwise), same length.

    Returns
    -------
    Value
        The mean loss, one node; its gradient with respect to ``z_i`` is
        ``(sigmoid(z_i) - y_i) / n``.

    See Also
    --------
    hinge : A margin loss for labels ``±1``.
    utils.autograd.Value.softplus : The stable ``log(1 + exp(z))``.

    Examples
    --------
    >>> round(bce_with_logits([Value(0.0)], [1.0]).data, 4)   # log 2
    0.6931
    >>> bce_with_logits([Value(-1000.0)], [1.0]).data
    1000.0
    """
    logits, targets = _paired("logits", logits, "targets", targets)
    for i, y in enumerate(targets):
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"targets[{i}] must be in [0, 1], got {y}")
    return _mean([z.softplus() - y * z for z, y in zip(logits, targets, strict=False)])


def hinge(scores: Sequence[Value | float], labels: Sequence[float]) -> Value:
    """SVM hinge loss ``(1/n) sum max(0, 1 - y_i s_i)`` with labels ``y_i = ±1``.

    Parameters
    ----------
    scores : sequence of Value or float
        Scores ``s_i`` (numbers are wrapped as constants); not empty.
    labels : sequence of {-1, +1}
        Labels, same length; any other value raises ``ValueError``.

    Returns
    -------
    Value
        The mean loss, one node.

    See Also
    --------
    bce_with_logits : The smooth alternative.
    utils.data.two_moons : Labels ``±1`` by default.

    Examples
    --------
    >>> hinge([Value(2.0), Value(0.5)], [1, 1]).data     # (0 + 0.5) / 2
    0.25
    """
    scores, labels = _paired("scores", scores, "labels", labels)
    for i, y in enumerate(labels):
        if y not in (-1.0, 1.0):
            raise ValueError(f"labels[{i}] must be -1 or +1, got {y}")
    return _mean([(1.0 - y * s).relu() for s, y in zip(scores, labels, strict=False)])


def l2_penalty(params: Iterable[Value], alpha: float) -> Value:
    """``alpha * sum p_i^2`` (weight decay as a loss term), as one fused node.

    Parameters
    ----------
    params : iterable of Value
        Typically ``model.parameters()``; anything but Values raises
        ``TypeError``.
    alpha : float
        Non-negative, finite strength.

    Returns
    -------
    Value
        ``alpha * sum p_i**2``, one node.

    See Also
    --------
    utils.optim.AdamW : Decoupled weight decay, applied by the optimizer instead.

    Examples
    --------
    >>> ps = [Value(1.0), Value(-2.0)]
    >>> pen = l2_penalty(ps, alpha=0.1)
    >>> pen.backward()
    >>> round(pen.data, 4), [round(p.grad, 4) for p in ps]   # grad = 2 alpha p
    (0.5, [0.2, -0.4])
    """
    alpha = check_nonnegative("alpha", alpha)
    params = _as_list("params", params)
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
    return alpha * dot(params, params)
