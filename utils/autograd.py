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
import math
import operator
from contextlib import contextmanager
from typing import Iterable, Sequence

from utils._validate import check_finite

__all__ = ["Value", "dot", "zero_grad"]

_isfinite = math.isfinite
_new = object.__new__


def _node(data: float, children: tuple, local_grads: tuple, op: str) -> "Value":
    """Create an interior node without re-validating ``data`` (it is the
    result of an operation on already validated Values, checked by the caller)."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node._children = children
    node._local_grads = local_grads
    node._op = op
    node.label = None
    node._adjoint = 0.0
    return node


def _as_value(x: object, name: str = "other") -> "Value":
    """Return ``x`` if it is a Value, else wrap a real number as a constant leaf."""
    if isinstance(x, Value):
        return x
    return Value(x, label=None, _name=name)


def _checked(out: float, what: str) -> float:
    """Return ``out``; raise ``OverflowError`` if an operation left float64's range."""
    if not _isfinite(out):
        raise OverflowError(f"{what} overflows float64 (result {out})")
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
    """``sum_i ws[i] * xs[i]``, correctly rounded, also when a product or a partial sum overflows."""
    products = list(map(operator.mul, ws, xs))
    try:
        return _checked(math.fsum(products), what)
    except (OverflowError, ValueError):  # ValueError: fsum of inf and -inf
        pass
    scaled = [(w * _SCALE) * (x * _SCALE) for w, x in zip(ws, xs)]
    try:
        return _checked(math.ldexp(math.fsum(scaled), 1200), what)
    except OverflowError:
        raise OverflowError(f"{what} overflows float64") from None


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector for the duration of a graph pass.

    A pass over a large graph allocates millions of small objects, each of
    which can trigger a collection that re-scans the whole (acyclic, so never
    collectable) graph; pausing makes ``backward()`` on a 10^6-node chain about
    twice as fast. Reference counting still frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _sigmoid(x: float) -> float:
    """Logistic function without overflow: exp is only ever taken of -|x|."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


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

    __slots__ = ("data", "grad", "label", "_children", "_local_grads", "_op", "_adjoint")
    # Make NumPy scalars defer to our reflected operators: np.float64(2) * v is a Value.
    __array_ufunc__ = None

    def __init__(self, data: float, label: str | None = None, *, _name: str = "data") -> None:
        if data.__class__ is float and _isfinite(data):
            self.data = data  # the common case, without the general checks
        else:
            self.data = check_finite(_name, data)
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label must be a str or None, got {type(label).__name__} {label!r}")
        self.grad = 0.0
        self.label = label
        self._children: tuple = ()
        self._local_grads: tuple = ()
        self._op = ""
        self._adjoint = 0.0

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
        return self._children

    @property
    def op(self) -> str:
        """The name of the operation that produced this value (``""`` for a leaf).

        Examples
        --------
        >>> (Value(1.0) * 2).op
        '*'
        """
        return self._op

    @property
    def local_grads(self) -> tuple:
        """``d self / d child`` for each child, evaluated at forward time.

        Examples
        --------
        >>> (Value(3.0) * Value(4.0)).local_grads   # d(ab)/da = b, d(ab)/db = a
        (4.0, 3.0)
        """
        return self._local_grads

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4f}, grad={self.grad:.4f})"

    # ------------------------------------------- binary arithmetic operations
    # Each operation computes the forward value and, right next to it, the local
    # derivative of the result with respect to each operand.

    def __add__(self, other: Value | float) -> Value:
        """``a + b``; local derivatives ``(1, 1)``.

        Examples
        --------
        >>> (Value(1.5) + 2).data
        3.5
        """
        other = _as_value(other)
        a, b = self.data, other.data
        out = _checked(a + b, f"{a} + {b}")
        return _node(out, (self, other), (1.0, 1.0), "+")

    def __radd__(self, other: float) -> Value:
        """``number + a``.

        Examples
        --------
        >>> (2 + Value(1.5)).data
        3.5
        """
        return _as_value(other) + self

    def __sub__(self, other: Value | float) -> Value:
        """``a - b``; local derivatives ``(1, -1)``.

        Examples
        --------
        >>> (Value(1.5) - 2).data
        -0.5
        """
        other = _as_value(other)
        a, b = self.data, other.data
        out = _checked(a - b, f"{a} - {b}")
        return _node(out, (self, other), (1.0, -1.0), "-")

    def __rsub__(self, other: float) -> Value:
        """``number - a``.

        Examples
        --------
        >>> (2 - Value(1.5)).data
        0.5
        """
        return _as_value(other) - self

    def __mul__(self, other: Value | float) -> Value:
        """``a * b``; local derivatives ``(b, a)``.

        Examples
        --------
        >>> (Value(1.5) * 2).data
        3.0
        """
        other = _as_value(other)
        a, b = self.data, other.data
        out = _checked(a * b, f"{a} * {b}")
        return _node(out, (self, other), (b, a), "*")

    def __rmul__(self, other: float) -> Value:
        """``number * a``.

        Examples
        --------
        >>> (2 * Value(1.5)).data
        3.0
        """
        return _as_value(other) * self

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
            raise ZeroDivisionError(f"division by zero: the divisor of {a} / b is a Value with data {b}")
        out = _checked(a / b, f"{a} / {b}")
        return _node(out, (self, other), (1.0 / b, _checked(-out / b, f"d({a} / b)/db")), "/")

    def __rtruediv__(self, other: float) -> Value:
        """``number / a``.

        Examples
        --------
        >>> (1 / Value(4.0)).data
        0.25
        """
        return _as_value(other) / self

    def __neg__(self) -> Value:
        """``-a``; local derivative ``-1``.

        Examples
        --------
        >>> (-Value(2.0)).data
        -2.0
        """
        return _node(-self.data, (self,), (-1.0,), "neg")

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
            local_a = _checked(_power(a, b - 1.0) * b, f"d(a ** b)/da at a={a}, b={b}")
            local_b = _checked(out * math.log(a), f"d(a ** b)/db at a={a}, b={b}")
            return _node(out, (self, exponent), (local_a, local_b), "**")
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
        local = 0.0 if p == 0.0 else p * _power(a, p - 1.0)
        return _node(out, (self,), (_checked(local, f"d(a ** {p:g})/da at a={a}"),), f"**{p:g}")

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
            raise OverflowError(f"exp({a}) overflows float64 (the largest argument is about 709.78)") from None
        return _node(e, (self,), (e,), "exp")

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
        return _node(math.log(a), (self,), (_checked(1.0 / a, f"d log(a)/da at a={a}"),), "log")

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
        return _node(t, (self,), (1.0 - t * t,), "tanh")

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
        return _node(s, (self,), (s * (1.0 - s),), "sigmoid")

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
        return _node(a if a > 0.0 else 0.0, (self,), (1.0 if a > 0.0 else 0.0,), "relu")

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
        return _node(out, (self,), (_sigmoid(a),), "softplus")

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
        children = tuple(v if v.__class__ is Value else _as_value(v, "values[i]") for v in _iterable("values", values))
        out = _fsum([v.data for v in children], "sum of values")
        return _node(out, children, (1.0,) * len(children), "sum")

    # ------------------------------------------------------------ reverse mode
    def _topological_order(self) -> list:
        """All nodes reachable from ``self``, each after all of its children.

        An iterative depth-first search: a node is pushed once to expand its
        children and once more to be emitted after them, so arbitrarily deep
        graphs need no recursion. Leaves (most nodes of a network: weights and
        inputs) have nothing to wait for and are emitted as soon as they are seen.
        """
        order: list = []
        seen: set = set()
        stack = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)  # its children are already in `order`
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                for child in node._children:
                    if id(child) not in seen:
                        if child._children:
                            stack.append((child, False))
                        else:  # a leaf waits for nothing
                            seen.add(id(child))
                            order.append(child)
        return order

    def backward(self) -> None:
        """Add ``d self / d node`` to ``node.grad`` for every node of the graph.

        The derivatives of this pass are computed afresh (in a private
        per-node accumulator, the *adjoint*) and then **added** to ``.grad``.
        The graph is kept, so calling ``backward()`` again on the same output
        is allowed and adds the same gradient once more: two calls give
        exactly twice the gradient (PyTorch, by contrast, frees the graph and
        raises on a second call unless ``retain_graph=True`` was passed). Use
        :meth:`zero_grad` or :func:`zero_grad` to start from zero. Nodes used
        several times (``a * a``, diamonds) receive the sum over all paths.

        The traversal is iterative, so a chain of a million nodes works under
        the default recursion limit.

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
            order = self._topological_order()
            for node in order:
                node._adjoint = 0.0
            self._adjoint = 1.0
            # Chain rule, from the output back to the leaves: every parent is
            # finished before its children are reached.
            for node in reversed(order):
                g = node._adjoint
                if g != 0.0:  # nothing to pass on (e.g. below an inactive relu)
                    for child, local in zip(node._children, node._local_grads):
                        child._adjoint += local * g
            for node in order:
                if not _isfinite(node.grad + node._adjoint):
                    raise OverflowError(
                        f"backward(): a derivative overflows float64 (d out / d node for a node "
                        f"with data={node.data:g}, op={node._op or 'leaf'!r}); no .grad was changed"
                    )
            for node in order:
                node.grad += node._adjoint

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
        with _gc_paused():
            seen = {id(self)}
            stack = [self]
            while stack:
                node = stack.pop()
                node.grad = 0.0
                for child in node._children:
                    if id(child) not in seen:
                        seen.add(id(child))
                        stack.append(child)


def _power(a: float, p: float) -> float:
    """``a ** p`` as a finite float, with a clear message on overflow."""
    try:
        out = a**p
    except OverflowError:
        raise OverflowError(f"{a} ** {p} overflows float64") from None
    return _checked(out, f"{a} ** {p}")


def _iterable(name: str, values: object) -> list:
    """``list(values)``, refusing strings, single Values and non-iterables."""
    if not isinstance(values, (str, bytes, Value)):
        try:
            return list(values)  # type: ignore[call-overload]
        except TypeError:
            pass
    raise TypeError(f"{name} must be an iterable of Values or numbers, got {type(values).__name__}")


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
    return _node(out, (*ws, *xs), (*x_data, *w_data), "dot")


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
