"""Forward-mode and reverse-mode accumulation over a recorded graph, with costs.

A :class:`~utils.autograd.Value` graph stores, at every node, the local
derivative of the node with respect to each of its children (one number per
edge). The chain rule can then be applied in two orders (Chapter 2 (Chain rule
and computational graphs), "Forward versus reverse mode"):

* **forward mode** pushes a *tangent* ``d node / d x_i`` from one input
  ``x_i`` towards the output; one sweep gives the derivative of the output with
  respect to that one input, so a gradient over ``n`` inputs needs ``n`` sweeps;
* **reverse mode** pulls an *adjoint* ``d output / d node`` from the output back
  to the inputs; one sweep gives the derivative with respect to every input.

Each sweep does one multiply-add per edge of the graph. The functions below
compute the gradient both ways and count those multiply-adds, so a notebook can
*measure* the cost of each mode instead of asserting it.

Examples
--------
>>> from utils.autograd import Value
>>> a, b = Value(2.0), Value(-3.0)
>>> c = a * b + a                     # dc/da = b + 1, dc/db = a
>>> count_edges(c)                    # (a, b) -> mul, (mul, a) -> add
4
>>> forward_mode(c, [a, b])           # 2 sweeps of 4 edges
ModeResult(gradient=[-2.0, 2.0], multiply_adds=8)
>>> reverse_mode(c, [a, b])           # 1 sweep
ModeResult(gradient=[-2.0, 2.0], multiply_adds=4)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .autograd import Value

__all__ = ["ModeResult", "count_edges", "forward_mode", "reverse_mode"]


class ModeResult(NamedTuple):
    """A gradient and what it cost.

    Attributes
    ----------
    gradient : list of float
        ``d root / d inputs[i]`` for each input, in the order given.
    multiply_adds : int
        Number of ``accumulator += local_derivative * incoming`` updates done.

    See Also
    --------
    forward_mode, reverse_mode : The two functions that return it.

    Examples
    --------
    >>> r = ModeResult(gradient=[1.0, 2.0], multiply_adds=8)
    >>> r.gradient[1], r.multiply_adds
    (2.0, 8)
    """

    gradient: list
    multiply_adds: int


def _check_graph(root: object, inputs: object) -> tuple[list[Value], list[Value]]:
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    try:
        inputs = list(inputs)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            f"inputs must be a sequence of Values, got {type(inputs).__name__}"
        ) from None
    if not inputs:
        raise ValueError("inputs must hold at least one Value, got none")
    for i, v in enumerate(inputs):
        if not isinstance(v, Value):
            raise TypeError(f"inputs[{i}] must be a Value, got {type(v).__name__}")
    order = root._topological_order()
    return order, inputs


def count_edges(root: Value) -> int:
    """Number of edges (child -> parent links) in the graph of ``root``.

    A node used twice by the same operation (``a * a``) counts twice.

    Parameters
    ----------
    root : Value
        The output node of the graph.

    Returns
    -------
    int
        The number of edges: the multiply-adds of one forward or reverse sweep.

    See Also
    --------
    forward_mode, reverse_mode : Sweeps whose cost this counts.

    Examples
    --------
    >>> from utils.autograd import Value
    >>> x = Value(3.0)
    >>> count_edges(x * x + 1.0)      # mul: 2 edges, add: 2 edges
    4
    """
    order, _ = _check_graph(root, [root])
    return sum(len(node.children) for node in order)


def forward_mode(root: Value, inputs: Sequence[Value]) -> ModeResult:
    """Gradient of ``root`` by forward accumulation: one tangent sweep per input.

    Sweep ``i`` seeds the tangent of ``inputs[i]`` with 1 (all other leaves 0)
    and visits the nodes in topological order, setting each node's tangent to
    the sum over its children of ``local derivative * child tangent``.

    Parameters
    ----------
    root : Value
        The output (a scalar node).
    inputs : sequence of Value
        The nodes to differentiate with respect to, usually leaves. An
        intermediate node is treated as an independent variable (its own
        operands are not differentiated), which gives the same number as
        its adjoint in :func:`reverse_mode`. A Value not in the graph gets
        derivative 0.

    Returns
    -------
    ModeResult
        The gradient and the number of multiply-adds: ``len(inputs)`` times
        the number of edges of the graph.

    See Also
    --------
    reverse_mode : One sweep for every input at once.
    count_edges : The cost of one sweep.

    Examples
    --------
    >>> from utils.autograd import Value
    >>> x, y = Value(0.5), Value(2.0)
    >>> f = (x * y).exp()             # df/dx = y e^{xy}, df/dy = x e^{xy}
    >>> res = forward_mode(f, [x, y])
    >>> [round(g, 6) for g in res.gradient], res.multiply_adds
    ([5.436564, 1.359141], 6)
    """
    order, inputs = _check_graph(root, inputs)
    gradient = []
    count = 0
    for seed in inputs:
        tangent = {id(seed): 1.0}
        for node in order:
            # a leaf has no operands; the seed keeps its tangent 1 even when
            # it is an intermediate node (d seed / d seed = 1), as in reverse
            # mode, where its adjoint is d root / d seed
            if not node.children or node is seed:
                continue
            acc = 0.0
            for child, local in zip(node.children, node.local_grads, strict=True):
                acc += local * tangent.get(id(child), 0.0)
                count += 1
            tangent[id(node)] = acc
        gradient.append(tangent.get(id(root), 0.0))
    return ModeResult(gradient, count)


def reverse_mode(root: Value, inputs: Sequence[Value]) -> ModeResult:
    """Gradient of ``root`` by reverse accumulation: one adjoint sweep.

    The adjoint of ``root`` is seeded with 1 and the nodes are visited in
    reverse topological order; each passes ``local derivative * own adjoint``
    to each child, and a child used along several paths receives the sum. The
    ``grad`` fields of the graph are not touched (compare with
    :meth:`utils.autograd.Value.backward`, which does the same sweep).

    Parameters
    ----------
    root : Value
        The output (a scalar node).
    inputs : sequence of Value
        The nodes whose derivatives (adjoints) are returned, usually leaves
        (0 if not in the graph).

    Returns
    -------
    ModeResult
        The gradient and the number of multiply-adds: the number of edges of
        the graph, whatever the number of inputs.

    See Also
    --------
    forward_mode : One sweep per input.
    utils.autograd.Value.backward : The same sweep, storing ``.grad``.

    Examples
    --------
    >>> from utils.autograd import Value
    >>> x, y = Value(0.5), Value(2.0)
    >>> f = (x * y).exp()
    >>> res = reverse_mode(f, [x, y])
    >>> [round(g, 6) for g in res.gradient], res.multiply_adds
    ([5.436564, 1.359141], 3)
    """
    order, inputs = _check_graph(root, inputs)
    adjoint = {id(root): 1.0}
    count = 0
    for node in reversed(order):
        g = adjoint.get(id(node), 0.0)
        for child, local in zip(node.children, node.local_grads, strict=True):
            adjoint[id(child)] = adjoint.get(id(child), 0.0) + local * g
            count += 1
    return ModeResult([adjoint.get(id(v), 0.0) for v in inputs], count)
