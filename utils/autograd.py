"""A scalar reverse-mode automatic differentiation engine.

Chapter 5 (Backprop engine) builds this engine step by step; Chapter 2 (Chain
rule and computational graphs) explains the graphs and why reverse mode needs
one backward pass for all the inputs.

Every arithmetic operation on a :class:`Value` builds one node of a
computational graph. The node stores, side by side,

* its **forward value** ``data``, and
* its **local derivatives**: the partial derivative of this node with respect
  to each of its children, evaluated at forward time.

Reverse mode then needs nothing but the chain rule: :meth:`Value.backward`
visits the nodes from the output back to the inputs and passes to each child
``local derivative * adjoint of the parent``. Because the local rules were
already evaluated during the forward pass, the backward pass is one short loop.

Gradient semantics
------------------
``out.backward()`` computes ``d out / d node`` for every node reachable from
``out`` and **adds** it to ``node.grad``, as PyTorch accumulates into ``.grad``;
call :meth:`Value.zero_grad` (every node of the graph) or :func:`zero_grad`
(a list, e.g. the parameters of a model) between steps. Unlike PyTorch, the
graph is never freed by a backward pass: a second ``out.backward()`` on the
same graph is allowed and adds the same gradient again (exactly twice the
gradient after two calls), where PyTorch raises ``RuntimeError`` unless the
first call was ``backward(retain_graph=True)``.

Every ``data`` is finite: bad input raises at once (``TypeError`` for the
wrong kind of thing, ``ValueError`` for a value outside the domain of an
operation, ``ZeroDivisionError`` for a zero divisor, ``OverflowError`` when a
result does not fit in a float64) instead of turning into NaN later. The same
holds for gradients: ``backward()`` raises ``OverflowError`` (and changes no
``.grad``) if a derivative overflows float64.

How the module is organised
---------------------------
Part 1 is the engine as Chapter 5 (Backprop engine) explains it: each
operation computes its forward value and its local derivatives, and
``backward`` applies the chain rule from the output to the leaves. Part 2
holds the speed paths that Part 1 calls: how a node is stored and built
(``+`` and ``*``, which build almost every node of a network, build theirs
inline), the topological order, and undoing a pass that overflows. Part 3
holds the numerical helpers (exact sums, overflow-free powers).

The speed comes from the node layout, not from fusing operations: a node
stores its children and their local derivatives in slots of its own (no
closure, so graphs have no reference cycles and are freed by reference
counting; one object per node for the cyclic collector to track, not a node
plus tuples), and ``backward`` finds the topological order by marking nodes
with a per-pass stamp instead of hashing them into a set.
``bench/bench_autograd.py`` measures it against micrograd 0.1.0 on the same
graph; the fused nodes :meth:`Value.sum` and :func:`dot` are faster still
because they make the graph smaller.

Examples
--------
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> c = a * b + a          # c = ab + a
>>> c.backward()
>>> a.grad, b.grad         # dc/da = b + 1, dc/db = a
(-2.0, 2.0)
"""

from __future__ import annotations

import gc
import itertools
import math
import operator
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from ._validate import check_finite

__all__ = ["Value", "dot", "zero_grad"]


# ============================================================================
# Part 1. The engine: each operation with its local derivatives, and backward
# ============================================================================
# Every operation returns ``_binary(out, op, a, d_out/d_a, b, d_out/d_b)`` (or
# ``_unary`` / ``_nary``, Part 2): the forward value and, right next to it,
# the local derivative with respect to each operand. ``x - x`` is 0.0 for a
# finite float and NaN (true) for an infinity, so ``if out - out:`` is the
# overflow check on the hot paths.


class Value:
    """A scalar in a computational graph, with the gradient reverse mode gives it.

    Parameters
    ----------
    data : float
        A finite real number (Python or NumPy scalar; ``bool`` is refused).
    label : str, optional
        A name shown by :func:`utils.graphdraw.draw_graph`; anything but a
        ``str`` or None raises ``TypeError``.
    _name : str, default "data"
        Internal (keyword only): the argument name that the error message for
        a bad ``data`` names, so that a function wrapping its inputs as Values
        reports its own argument.

    Attributes
    ----------
    data : float
        The forward value.
    grad : float
        The accumulated derivative of the outputs on which ``backward()`` was
        called with respect to this value (0.0 until then).
    label : str or None
        An optional name.
    children : tuple of Value
        The operands this value was computed from (empty for a leaf).
    op : str
        The operation that produced this value (``""`` for a leaf).
    local_grads : tuple of float
        ``d self / d child`` for each child, evaluated at forward time.

    See Also
    --------
    utils.nn.Neuron : A neuron built from Values.
    utils.graphdraw.draw_graph : Draws the graph behind a Value.
    utils.gradcheck.check_value_graph : Checks its gradients numerically.

    Notes
    -----
    Supported operations: ``+ - * /`` with Values or numbers on either side,
    unary ``-``, ``**`` with a number or a Value exponent, and the methods
    :meth:`exp`, :meth:`log`, :meth:`tanh`, :meth:`sigmoid`, :meth:`relu`,
    :meth:`softplus`; the fused n-ary nodes :meth:`Value.sum` and :func:`dot`
    make long sums cheap (one node, not a chain of n).

    Values compare and hash by identity, so they can be kept in sets and dicts.

    Examples
    --------
    >>> x = Value(0.5, label="x")
    >>> x
    Value(data=0.5000, grad=0.0000)
    >>> y = (2 * x + 1) ** 2      # y = (2x + 1)^2, dy/dx = 4 (2x + 1)
    >>> y.backward()
    >>> y.data, x.grad
    (4.0, 8.0)
    """

    __slots__ = ("data", "grad", "_op", "_c0", "_d0", "_c1", "_d1", "_mark")
    # Make NumPy scalars defer to our reflected operators: np.float64(2) * v is a Value.
    __array_ufunc__ = None

    def __init__(self, data: float, label: str | None = None, *, _name: str = "data") -> None:
        if data.__class__ is float and data - data == 0.0:
            self.data = data  # a finite float, the common case, without the general checks
        else:
            self.data = check_finite(_name, data)
        if label is not None and label.__class__ is not str and not isinstance(label, str):
            raise TypeError(f"label must be a str or None, got {type(label).__name__} {label!r}")
        self.grad = 0.0
        self._op = "" if label is None else ("", label)  # (op, label): see `label`
        self._c0 = self._c1 = None  # a leaf: no children (node layout: Part 2)
        self._mark = 0

    # ------------------------------------------------------------------ views
    @property
    def children(self) -> tuple:
        """The operands of the operation that produced this value.

        Examples
        --------
        >>> a = Value(1.0)
        >>> (a + 2).children[0] is a
        True
        """
        c0, c1 = self._c0, self._c1
        if c0 is None:
            return ()
        if c1 is _MANY:
            return c0
        return (c0,) if c1 is None else (c0, c1)

    @property
    def op(self) -> str:
        """The name of the operation that produced this value (``""`` for a leaf).

        Examples
        --------
        >>> (Value(1.0) * 2).op
        '*'
        """
        op = self._op
        return op if op.__class__ is str else op[0]

    @property
    def label(self) -> str | None:
        """An optional name, shown by :func:`utils.graphdraw.draw_graph` (None if unset).

        Examples
        --------
        >>> c = Value(2.0) * 3
        >>> c.label = "c"
        >>> c.label, c.op
        ('c', '*')
        """
        op = self._op
        return None if op.__class__ is str else op[1]

    @label.setter
    def label(self, label: str | None) -> None:
        # A node stores its op, or (op, label) once labelled: most nodes of a
        # network have no label, so they need no slot for one (Part 2).
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label must be a str or None, got {type(label).__name__} {label!r}")
        op = self.op
        self._op = op if label is None else (op, label)

    @property
    def local_grads(self) -> tuple:
        """``d self / d child`` for each child, evaluated at forward time.

        Examples
        --------
        >>> (Value(3.0) * Value(4.0)).local_grads   # d(ab)/da = b, d(ab)/db = a
        (4.0, 3.0)
        """
        c0, c1 = self._c0, self._c1
        if c0 is None:
            return ()
        if c1 is _MANY:
            return self._d0
        return (self._d0,) if c1 is None else (self._d0, self._d1)

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4f}, grad={self.grad:.4f})"

    # ------------------------------------------- binary arithmetic operations
    def __add__(self, other: Value | float) -> Value:
        """``a + b``; local derivatives ``(1, 1)``.

        Examples
        --------
        >>> (Value(1.5) + 2).data
        3.5
        """
        if other.__class__ is not Value:
            other = _as_value(other)
        out = self.data + other.data
        if out - out:
            raise _overflow(f"{self.data} + {other.data}", out)
        # = _binary(out, "+", self, 1.0, other, 1.0), inlined (speed path: + and *
        # build almost every node of a network)
        node = _new(Value)
        node.data = out
        node.grad = 0.0
        node._op = "+"
        node._c0 = self
        node._d0 = 1.0
        node._c1 = other
        node._d1 = 1.0
        node._mark = 0
        return node

    def __mul__(self, other: Value | float) -> Value:
        """``a * b``; local derivatives ``(b, a)``.

        Examples
        --------
        >>> (Value(1.5) * 2).data
        3.0
        """
        if other.__class__ is not Value:
            other = _as_value(other)
        a, b = self.data, other.data
        out = a * b
        if out - out:
            raise _overflow(f"{a} * {b}", out)
        # = _binary(out, "*", self, b, other, a), inlined (speed path)
        node = _new(Value)
        node.data = out
        node.grad = 0.0
        node._op = "*"
        node._c0 = self
        node._d0 = b
        node._c1 = other
        node._d1 = a
        node._mark = 0
        return node

    def __sub__(self, other: Value | float) -> Value:
        """``a - b``; local derivatives ``(1, -1)``.

        Examples
        --------
        >>> (Value(1.5) - 2).data
        -0.5
        """
        if other.__class__ is not Value:
            other = _as_value(other)
        out = self.data - other.data
        if out - out:
            raise _overflow(f"{self.data} - {other.data}", out)
        return _binary(out, "-", self, 1.0, other, -1.0)

    def __truediv__(self, other: Value | float) -> Value:
        """``a / b``; local derivatives ``(1/b, -a/b**2)``.

        Raises
        ------
        ZeroDivisionError
            If ``b`` is zero.

        Examples
        --------
        >>> (Value(3.0) / 2).data
        1.5
        """
        other = _as_value(other)
        a, b = self.data, other.data
        if b == 0.0:
            raise ZeroDivisionError(
                f"division by zero: the divisor of {a} / b is a Value with data {b}"
            )
        out = a / b
        d_b = -out / b
        if out - out or d_b - d_b:
            raise _overflow(f"{a} / {b} or its derivative d({a} / b)/db", out if out - out else d_b)
        return _binary(out, "/", self, 1.0 / b, other, d_b)

    def __neg__(self) -> Value:
        """``-a``; local derivative ``-1``.

        Examples
        --------
        >>> (-Value(2.0)).data
        -2.0
        """
        return _unary(-self.data, "neg", self, -1.0)

    # Reflected operators (``number + a`` etc.): wrap the number as a constant leaf.
    def __radd__(self, other: float) -> Value:
        """``number + a``."""
        return _as_value(other) + self

    def __rsub__(self, other: float) -> Value:
        """``number - a``."""
        return _as_value(other) - self

    def __rmul__(self, other: float) -> Value:
        """``number * a``."""
        return _as_value(other) * self

    def __rtruediv__(self, other: float) -> Value:
        """``number / a``.

        Examples
        --------
        >>> (1 / Value(4.0)).data
        0.25
        """
        return _as_value(other) / self

    def __pow__(self, exponent: Value | float) -> Value:
        """``a ** p``; the exponent is a number or a Value.

        For a number ``p`` the local derivative is ``p * a**(p-1)``. For a
        Value exponent ``b`` the local derivatives are ``b * a**(b-1)`` and
        ``a**b * log(a)``, so the base must be positive.

        Raises
        ------
        ValueError
            If the base is negative and the exponent is not an integer (the
            result would be complex), if the exponent is a Value and the base
            is not positive, or if ``0 < p < 1`` at base 0 (infinite derivative).
        ZeroDivisionError
            If the base is zero and the exponent negative.

        Examples
        --------
        >>> (Value(3.0) ** 2).data
        9.0
        >>> x = Value(-2.0) ** 3
        >>> x.data, x.local_grads      # d(a^3)/da = 3a^2
        (-8.0, (12.0,))
        >>> Value(-4.0) ** 0.5
        Traceback (most recent call last):
        ...
        ValueError: base of a ** 0.5 must be non-negative for a non-integer exponent, got base=-4.0
        """
        a = self.data
        if isinstance(exponent, Value):
            b = exponent.data
            if a <= 0.0:
                raise ValueError(
                    f"base of a ** b with a Value exponent must be positive "
                    f"(d/db a**b = a**b * log(a)), got base={a}"
                )
            out = _power(a, b)
            local_a = _checked(_power(a, b - 1.0) * b, "d(a ** b)/da", a, b)
            local_b = _checked(out * math.log(a), "d(a ** b)/db", a, b)
            return _binary(out, "**", self, local_a, exponent, local_b)
        p = check_finite("exponent", exponent)
        if a < 0.0 and p != int(p):
            raise ValueError(
                f"base of a ** {p:g} must be non-negative for a non-integer exponent, got base={a}"
            )
        if a == 0.0 and p < 0.0:
            raise ZeroDivisionError(f"base of a ** {p:g} is 0 and the exponent is negative")
        if a == 0.0 and 0.0 < p < 1.0:
            raise ValueError(f"derivative of a ** {p:g} is infinite at base=0.0")
        out = _power(a, p)
        local = 0.0 if p == 0.0 else _checked(p * _power(a, p - 1.0), f"d(a ** {p:g})/da", a)
        return _unary(out, f"**{p:g}", self, local)

    def __rpow__(self, base: float) -> Value:
        """``number ** a`` (the base must be positive).

        Examples
        --------
        >>> (2 ** Value(3.0)).data
        8.0
        """
        return _as_value(base, "base") ** self

    # ---------------------------------------------------------- unary functions
    def exp(self) -> Value:
        """``exp(a)``; local derivative ``exp(a)``.

        Returns
        -------
        Value
            A new node ``exp(a)`` whose only child is ``a``.

        Raises
        ------
        OverflowError
            If ``a`` exceeds about 709.78 (``exp(a)`` is not a finite float64).

        See Also
        --------
        log : The inverse function.
        softplus : ``log(1 + exp(a))``, without overflow.

        Examples
        --------
        >>> round(Value(1.0).exp().data, 4)
        2.7183
        """
        a = self.data
        try:
            e = math.exp(a)
        except OverflowError:
            raise OverflowError(
                f"exp({a}) overflows float64 (the largest argument is about 709.78)"
            ) from None
        return _unary(e, "exp", self, e)

    def log(self) -> Value:
        """``log(a)`` (natural logarithm); local derivative ``1/a``.

        Returns
        -------
        Value
            A new node ``log(a)`` whose only child is ``a``.

        Raises
        ------
        ValueError
            If ``a <= 0``.

        See Also
        --------
        exp : The inverse function.

        Examples
        --------
        >>> Value(1.0).log().data
        0.0
        >>> Value(0.0).log()
        Traceback (most recent call last):
        ...
        ValueError: log requires a positive Value, got data=0.0
        """
        a = self.data
        if a <= 0.0:
            raise ValueError(f"log requires a positive Value, got data={a}")
        return _unary(math.log(a), "log", self, _checked(1.0 / a, "d log(a)/da", a))

    def tanh(self) -> Value:
        """``tanh(a)``; local derivative ``1 - tanh(a)**2``.

        ``math.tanh`` saturates to exactly ±1 for large ``|a|`` instead of
        overflowing as ``(e^{2a} - 1) / (e^{2a} + 1)`` would.

        Returns
        -------
        Value
            A new node ``tanh(a)`` whose only child is ``a``.

        See Also
        --------
        sigmoid : ``(tanh(a / 2) + 1) / 2``.
        utils.activations.tanh : The array version.

        Examples
        --------
        >>> Value(1000.0).tanh().data
        1.0
        >>> round(Value(0.5).tanh().data, 4)
        0.4621
        """
        t = math.tanh(self.data)
        return _unary(t, "tanh", self, 1.0 - t * t)

    def sigmoid(self) -> Value:
        """``sigmoid(a) = 1 / (1 + exp(-a))``; local derivative ``s (1 - s)``.

        Computed as ``1 / (1 + exp(-a))`` for ``a >= 0`` and
        ``exp(a) / (1 + exp(a))`` otherwise, so ``exp`` never overflows.

        Returns
        -------
        Value
            A new node ``sigmoid(a)`` whose only child is ``a``.

        See Also
        --------
        tanh : A rescaled sigmoid.
        utils.activations.sigmoid : The array version.

        Examples
        --------
        >>> Value(0.0).sigmoid().data
        0.5
        >>> Value(-1000.0).sigmoid().data
        0.0
        """
        s = _sigmoid(self.data)
        return _unary(s, "sigmoid", self, s * (1.0 - s))

    def relu(self) -> Value:
        """``max(a, 0)``; local derivative 1 for ``a > 0`` and 0 otherwise.

        At ``a = 0`` the function has no derivative; we use the subgradient 0,
        as PyTorch does.

        Returns
        -------
        Value
            A new node ``max(a, 0)`` whose only child is ``a``.

        See Also
        --------
        softplus : A smooth version.
        utils.activations.d_relu : The same convention at the kink.

        Examples
        --------
        >>> Value(-2.0).relu().data, Value(3.0).relu().data
        (0.0, 3.0)
        """
        a = self.data
        if a > 0.0:
            return _unary(a, "relu", self, 1.0)
        return _unary(0.0, "relu", self, 0.0)

    def softplus(self) -> Value:
        """``log(1 + exp(a))``; local derivative ``sigmoid(a)``.

        Computed as ``log1p(exp(-|a|)) + max(a, 0)``, exact and overflow-free
        for every finite ``a``.

        Returns
        -------
        Value
            A new node ``log(1 + exp(a))`` whose only child is ``a``.

        See Also
        --------
        relu : The kinked function it smooths.
        utils.activations.softplus : The array version.

        Examples
        --------
        >>> round(Value(0.0).softplus().data, 4)    # log 2
        0.6931
        >>> Value(1000.0).softplus().data
        1000.0
        """
        a = self.data
        out = math.log1p(math.exp(-abs(a))) + (a if a > 0.0 else 0.0)
        return _unary(out, "softplus", self, _sigmoid(a))

    # -------------------------------------------------------- fused n-ary nodes
    @staticmethod
    def sum(values: Iterable[Value | float]) -> Value:
        """``v_1 + ... + v_n`` as ONE node with n children (local derivatives all 1).

        Python's built-in ``sum`` builds a chain of n two-operand nodes;
        this builds one, which is faster and keeps graphs shallow. The forward
        value is summed with ``math.fsum`` (correctly rounded).

        Parameters
        ----------
        values : iterable of Value or float
            Numbers are wrapped as constant leaves. An empty iterable gives a
            constant ``Value(0.0)``; a string, a single Value or a
            non-iterable raises ``TypeError``.

        Returns
        -------
        Value
            One node whose children are the values, in order.

        See Also
        --------
        dot : The fused sum of products.

        Examples
        --------
        >>> xs = [Value(1.0), Value(2.0), Value(3.0)]
        >>> s = Value.sum(xs)
        >>> s.backward()
        >>> s.data, [x.grad for x in xs]
        (6.0, [1.0, 1.0, 1.0])
        """
        values = _iterable("values", values)
        children = tuple(v if v.__class__ is Value else _as_value(v, "values[i]") for v in values)
        out = _fsum([v.data for v in children], "sum of values")
        return _nary(out, "sum", children, (1.0,) * len(children))

    # ------------------------------------------------------------ reverse mode
    def backward(self) -> None:
        """Add ``d self / d node`` to ``node.grad`` for every node of the graph.

        The derivatives of this pass are computed afresh and then **added**
        to ``.grad`` (gradients of earlier passes are set aside during the
        pass and added back).
        The graph is kept, so calling ``backward()`` again on the same output
        is allowed and adds the same gradient once more: two calls give
        exactly twice the gradient (PyTorch, by contrast, frees the graph and
        raises on a second call unless ``retain_graph=True`` was passed). Use
        :meth:`zero_grad` or :func:`zero_grad` to start from zero. Nodes used
        several times (``a * a``, diamonds) receive the sum over all paths.

        The traversal is iterative, so a chain of a million nodes works under
        the default recursion limit. Python's cyclic garbage collector is
        paused during the pass (the graph has no cycles for it to find).

        Raises
        ------
        OverflowError
            If a derivative (or an accumulated ``.grad``) overflows float64,
            e.g. through a chain of huge local derivatives; no ``.grad`` is
            changed then.

        See Also
        --------
        zero_grad : Reset the accumulated gradients.
        utils.gradcheck.check_value_graph : Check the result numerically.

        Notes
        -----
        Chapter 2 (Chain rule and computational graphs) explains reverse mode;
        Chapter 5 (Backprop engine) this implementation.

        Examples
        --------
        >>> a = Value(3.0)
        >>> y = a * a                # dy/da = 2a = 6
        >>> y.backward(); a.grad
        6.0
        >>> y.backward(); a.grad     # accumulates
        12.0
        """
        with _gc_paused():
            # children before parents; `earlier`: the nodes whose .grad is not 0
            order, earlier = _order_and_nonzero(self)
            # Set their gradients aside during the pass: a node must pass on to
            # its children only this pass's gradient, not an earlier one.
            old_grads = [node.grad for node in earlier]
            for node in earlier:
                node.grad = 0.0
            self.grad = 1.0
            # The chain rule, from the output back to the leaves: a node's
            # gradient is complete once every parent (later in `order`) has
            # passed on `local derivative * parent's gradient` to it.
            for node in reversed(order):
                g = node.grad
                if g:  # else nothing to pass on (e.g. below an inactive relu)
                    if g - g:  # not finite
                        _undo_and_raise(node, order, earlier, old_grads)
                    c = node._c0
                    if c is not None:  # not a leaf
                        if node._c1 is _MANY:  # an n-ary node (sum, dot)
                            for child, d in zip(c, node._d0, strict=True):
                                child.grad += d * g
                        else:
                            c.grad += node._d0 * g
                            c = node._c1
                            if c is not None:
                                c.grad += node._d1 * g
            # accumulate: add this pass to the gradients of the earlier ones
            for node, old in zip(earlier, old_grads, strict=True):
                total = node.grad + old
                if total - total:
                    _undo_and_raise(node, order, earlier, old_grads)
                node.grad = total

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 for this value and EVERY node reachable from it.

        See Also
        --------
        backward : Accumulates into ``grad``.
        utils.autograd.zero_grad : Reset only the values of a list.

        Examples
        --------
        >>> a, b = Value(2.0), Value(5.0)
        >>> c = a * b
        >>> c.backward()
        >>> c.zero_grad()
        >>> a.grad, b.grad, c.grad
        (0.0, 0.0, 0.0)
        """
        for node in self._topological_order():
            node.grad = 0.0


def dot(ws: Sequence[Value | float], xs: Sequence[Value | float]) -> Value:
    """``w_1 x_1 + ... + w_n x_n`` as ONE node with 2n children.

    The local derivatives are ``d/dw_i = x_i`` and ``d/dx_i = w_i``. This is the
    work-horse of a neuron: one node instead of n products and n - 1 sums.
    The forward value is summed with ``math.fsum`` (correctly rounded).

    Parameters
    ----------
    ws, xs : sequences of Value or float, same length
        Numbers are wrapped as constant leaves; anything but a sequence of
        Values and real numbers raises ``TypeError``.

    Returns
    -------
    Value
        One node whose children are ``ws`` then ``xs``.

    Raises
    ------
    ValueError
        If the lengths differ.

    See Also
    --------
    Value.sum : The fused sum.
    utils.nn.Neuron : Computes ``dot(w, x) + b``.

    Examples
    --------
    >>> w = [Value(1.0), Value(2.0)]
    >>> y = dot(w, [3.0, 4.0])      # 1*3 + 2*4
    >>> y.backward()
    >>> y.data, [wi.grad for wi in w]
    (11.0, [3.0, 4.0])
    """
    ws = [w if w.__class__ is Value else _as_value(w, "ws[i]") for w in _iterable("ws", ws)]
    xs = [x if x.__class__ is Value else _as_value(x, "xs[i]") for x in _iterable("xs", xs)]
    if len(ws) != len(xs):
        raise ValueError(f"ws and xs must have the same length, got {len(ws)} and {len(xs)}")
    w_data = [w.data for w in ws]
    x_data = [x.data for x in xs]
    out = _fdot(w_data, x_data, "dot(ws, xs)")
    return _nary(out, "dot", (*ws, *xs), (*x_data, *w_data))


def zero_grad(values: Iterable[Value]) -> None:
    """Set ``grad`` to 0 for each Value in ``values`` (e.g. a model's parameters).

    Unlike :meth:`Value.zero_grad` this touches only the listed values, not
    the graphs they belong to.

    Parameters
    ----------
    values : iterable of Value
        The values to reset; anything but Values inside, or a string or a
        single Value instead of an iterable, raises ``TypeError``.

    See Also
    --------
    Value.zero_grad : Reset a whole graph.
    utils.nn.Module.zero_grad : Reset a model's parameters.

    Examples
    --------
    >>> ps = [Value(1.0), Value(2.0)]
    >>> (ps[0] * ps[1]).backward()
    >>> zero_grad(ps)
    >>> [p.grad for p in ps]
    [0.0, 0.0]
    """
    for v in _iterable("values", values):
        if not isinstance(v, Value):
            raise TypeError(f"values must contain only Values, got {type(v).__name__}")
        v.grad = 0.0


# ============================================================================
# Part 2. Speed paths: the node layout, building nodes, the topological order
# ============================================================================
# A node is ONE object with slots for its children and their local
# derivatives: ``_c0, _d0`` (first child and d self/d child), ``_c1, _d1``
# (second child), ``_c1 = None`` for a unary node, ``_c0 = _c1 = None`` for
# a leaf, and for an n-ary node (sum, dot) ``_c1 = _MANY`` with the tuples of
# children and derivatives in ``_c0, _d0``. No closures: a graph holds no
# reference cycle and is freed by reference counting as soon as it is
# dropped, and the cyclic collector has one object per node to track.
# ``_op`` holds the operation's name, or ``(name, label)`` for the rare node
# that has a label (no slot spent on a label that most nodes never get).
# ``_mark`` stamps a node as visited by a graph pass.

_MANY = object()  # _c1 of an n-ary node
_new = object.__new__
_stamps = itertools.count(2, 2)  # two fresh marks per pass: "entered" and "done"


def _leaf(data: float) -> Value:
    """A constant leaf for an already finite float (no checks, no label)."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node._op = ""
    node._c0 = node._c1 = None
    node._mark = 0
    return node


def _unary(data: float, op: str, a: Value, d_a: float) -> Value:
    """A node with one child ``a`` and local derivative ``d_a``."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node._op = op
    node._c0 = a
    node._d0 = d_a
    node._c1 = None
    node._mark = 0
    return node


def _binary(data: float, op: str, a: Value, d_a: float, b: Value, d_b: float) -> Value:
    """A node with children ``a, b`` and local derivatives ``d_a, d_b``."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node._op = op
    node._c0 = a
    node._d0 = d_a
    node._c1 = b
    node._d1 = d_b
    node._mark = 0
    return node


def _nary(data: float, op: str, children: tuple, derivatives: tuple) -> Value:
    """A node with any number of children (``Value.sum``, ``dot``)."""
    if not children:  # an empty sum: a constant, but still labelled with its op
        node = _leaf(data)
        node._op = op
        return node
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node._op = op
    node._c0 = children
    node._d0 = derivatives
    node._c1 = _MANY
    node._mark = 0
    return node


def _as_value(x: object, name: str = "other") -> Value:
    """Return ``x`` if it is a Value, else wrap a real number as a constant leaf."""
    if x.__class__ is Value:
        return x  # type: ignore[return-value]
    if x.__class__ is float and x - x == 0.0:  # type: ignore[operator]
        return _leaf(x)  # type: ignore[arg-type]
    if isinstance(x, Value):
        return x
    return Value(x, _name=name)  # type: ignore[arg-type]


def _topological_order(root: Value) -> list:
    """All nodes reachable from ``root``, each after all of its children."""
    return _order_and_nonzero(root)[0]


def _order_and_nonzero(root: Value) -> tuple[list, list]:
    """The topological order from ``root``, and the nodes in it whose ``grad`` is not 0.

    An iterative depth-first search: a node is pushed once to expand its
    children and met once more, after them, to be emitted, so arbitrarily
    deep graphs need no recursion. Visited nodes are stamped with this pass's
    marks (``_mark``) instead of being hashed into a set. Leaves (most nodes
    of a network: weights, inputs and constants) wait for nothing and are
    emitted as soon as they are seen. Each emitted node's ``grad`` is looked
    at once, so that ``backward`` knows which earlier gradients to set aside
    without another pass over the graph.
    """
    entered = next(_stamps)
    done = entered + 1
    order: list = []
    emit = order.append
    nonzero: list = []
    aside = nonzero.append
    stack = [root]
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        if node._mark >= entered:  # seen in this pass already
            if node._mark == entered:  # met again: its children are all in `order` now
                node._mark = done
                emit(node)
                if node.grad:
                    aside(node)
            continue  # else pushed by two parents, emitted already
        c0, c1 = node._c0, node._c1
        if c1 is _MANY:  # an n-ary node: meet it again after all its children
            node._mark = entered
            push(node)
            for child in c0:
                if child._mark < entered:
                    if child._c0 is None:
                        child._mark = done
                        emit(child)
                        if child.grad:
                            aside(child)
                    else:
                        push(child)
            continue
        if c0 is None:  # the root is a leaf
            node._mark = done
            emit(node)
            if node.grad:
                aside(node)
            continue
        # One or two children (unrolled): a leaf child is emitted at once; if
        # a child still has to be expanded, this node is met again after it.
        if c0._mark < entered:  # not yet seen in this pass
            if c0._c0 is None:  # a leaf waits for nothing
                c0._mark = done
                emit(c0)
                if c0.grad:
                    aside(c0)
            else:
                node._mark = entered
                push(node)
                push(c0)
                if c1 is not None and c1._mark < entered:
                    if c1._c0 is None:
                        c1._mark = done
                        emit(c1)
                        if c1.grad:
                            aside(c1)
                    else:
                        push(c1)
                continue
        if c1 is not None and c1._mark < entered:
            if c1._c0 is None:
                c1._mark = done
                emit(c1)
                if c1.grad:
                    aside(c1)
            else:
                node._mark = entered
                push(node)
                push(c1)
                continue
        node._mark = done  # every child is in `order` already
        emit(node)
        if node.grad:
            aside(node)
    return order, nonzero


Value._topological_order = _topological_order  # type: ignore[attr-defined]


def _undo_and_raise(bad: Value, order: list, earlier: list, old_grads: list) -> None:
    """Put back every ``.grad`` of the pass and raise ``OverflowError`` about ``bad``."""
    data, op = bad.data, bad.op
    for node in order:
        node.grad = 0.0
    for node, g in zip(earlier, old_grads, strict=True):
        node.grad = g
    raise OverflowError(
        f"backward(): a derivative overflows float64 (d out / d node for a node "
        f"with data={data:g}, op={op or 'leaf'!r}); no .grad was changed"
    )


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector for the duration of a graph pass.

    A pass over a large graph allocates objects (the order, the stack), each
    of which can trigger a collection that re-scans the (acyclic, so never
    collectable) graph. Reference counting still frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ============================================================================
# Part 3. Numerical helpers: overflow checks, exact sums, powers, sigmoid
# ============================================================================
def _overflow(what: str, out: float) -> OverflowError:
    """The error for an operation whose result left float64's range."""
    return OverflowError(f"{what} overflows float64 (result {out})")


def _checked(out: float, what: str, *at: float) -> float:
    """Return ``out``; raise ``OverflowError`` if it is not finite (message built only then)."""
    if out - out:
        raise _overflow(f"{what} at {', '.join(map(str, at))}" if at else what, out)
    return out


_SCALE = 2.0**-600  # brings any float64 (< 2**1024) and any product of two far below overflow


def _fsum(terms: list, what: str) -> float:
    """``math.fsum(terms)`` for a list of finite floats, also when a partial sum overflows.

    ``math.fsum`` raises on an intermediate overflow (``[1e308, 1e308, -1e308]``)
    even when the result is finite; then the terms are summed scaled by
    ``2**-600`` (exact, except for terms so small that they cannot matter
    next to ones near 1e308) and scaled back.
    """
    try:
        return _checked(math.fsum(terms), what)
    except OverflowError:
        pass
    try:
        return _checked(math.ldexp(math.fsum(t * _SCALE for t in terms), 600), what)
    except OverflowError:
        raise OverflowError(f"{what} overflows float64") from None


def _fdot(ws: list, xs: list, what: str) -> float:
    """``sum_i ws[i] * xs[i]``, correctly rounded, also when a product or partial sum overflows."""
    products = list(map(operator.mul, ws, xs))
    try:
        return _checked(math.fsum(products), what)
    except (OverflowError, ValueError):  # ValueError: fsum of inf and -inf
        pass
    scaled = [(w * _SCALE) * (x * _SCALE) for w, x in zip(ws, xs, strict=True)]
    try:
        return _checked(math.ldexp(math.fsum(scaled), 1200), what)
    except OverflowError:
        raise OverflowError(f"{what} overflows float64") from None


def _sigmoid(x: float) -> float:
    """Logistic function without overflow: exp is only ever taken of -|x|."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _power(a: float, p: float) -> float:
    """``a ** p`` as a finite float, with a clear message on overflow."""
    try:
        out = a**p
    except OverflowError:
        raise OverflowError(f"{a} ** {p} overflows float64") from None
    if out - out:
        raise _overflow(f"{a} ** {p}", out)
    return out


def _iterable(name: str, values: object) -> list:
    """``list(values)``, refusing strings, single Values and non-iterables."""
    if not isinstance(values, (str, bytes, Value)):
        try:
            return list(values)  # type: ignore[call-overload]
        except TypeError:
            pass
    raise TypeError(f"{name} must be an iterable of Values or numbers, got {type(values).__name__}")
