"""Checkers for the code exercises of Chapter 5 (Backprop engine).

The chapter builds a scalar engine, a class ``Value`` whose nodes keep their
operands (``children``) and the local derivatives with respect to them
(``local_grads``). Its exercises ask you to reset the gradients of a graph between
backward passes, to add an operation, softplus, with its backward rule, and to
extend the power ``a ** b`` to an exponent that is itself a node. The checkers build
small expressions with *your* ``Value`` class and compare what comes out with
the same expressions built with :class:`utils.autograd.Value`, the book's
library engine, written separately.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import autograd as ag
from .feedback import Case, Feedback, run_cases

__all__ = ["check_power_op", "check_softplus_op", "check_zero_grad"]

#: depth of the chain that a recursive backward pass cannot walk
_DEEP = 5000


def _check_engine(value_class: Any) -> type:
    if not isinstance(value_class, type):
        raise TypeError(
            "value_class must be your engine's Value class (a class), "
            f"got {type(value_class).__name__}"
        )
    return value_class


def _chain(x: Any) -> Any:
    y = x
    for _ in range(_DEEP):
        y = y + x
    return y


def _two_uses(engine: type) -> tuple[Any, ...]:
    """``L = (a + b) * b`` at ``a = 2``, ``b = -3``: the leaves, ``c = a + b`` and ``L``."""
    a, b = engine(2.0), engine(-3.0)
    c = a + b
    return a, b, c, c * b


def check_zero_grad(zero_grad: Callable[[Any], Any], value_class: type) -> Feedback:
    r"""Check ``zero_grad(root)``, which resets every gradient of a graph (``ex-zero-grad``).

    The cases build :math:`L = (a + b)\,b` with ``value_class``, run
    ``backward`` twice (so every node holds a stale gradient), call
    ``zero_grad(L)`` and look at the gradients of *all four* nodes, then run
    ``backward`` once more and compare :math:`\bar a, \bar b` with
    :class:`utils.autograd.Value`'s. A last case zeroes a graph deeper than
    Python's recursion limit.

    Parameters
    ----------
    zero_grad : callable
        Your function ``zero_grad(root)``: it sets ``grad`` to 0.0 on every
        node of the graph that ends at ``root`` (its return value is
        ignored).
    value_class : type
        Your engine's ``Value`` class, with ``+``, ``*`` and ``backward``.

    Returns
    -------
    Feedback
        Three cases; "not attempted yet" while ``zero_grad`` raises
        ``NotImplementedError``.

    Raises
    ------
    TypeError
        If ``value_class`` is not a class.

    See Also
    --------
    check_softplus_op, check_power_op : the chapter's other exercises.
    utils.autograd.zero_grad : the library's version, for a list of values.

    Examples
    --------
    Zeroing only the root leaves the stale gradients of the other nodes, so
    every case fails:

    >>> from utils import autograd as ag
    >>> def root_only(root):
    ...     root.grad = 0.0
    >>> fb = check_zero_grad(root_only, ag.Value)
    >>> fb.status, [case.passed for case in fb.cases]
    ('failed', [False, False, False])
    >>> def stub(root):
    ...     raise NotImplementedError
    >>> check_zero_grad(stub, ag.Value).status
    'not attempted yet'
    """
    engine = _check_engine(value_class)
    if not callable(zero_grad):
        return run_cases("ex-zero-grad", zero_grad, [])

    def all_zeroed() -> np.ndarray:
        nodes = _two_uses(engine)
        nodes[-1].backward()
        nodes[-1].backward()
        zero_grad(nodes[-1])
        return np.array([float(node.grad) for node in nodes])

    def then_backward() -> np.ndarray:
        a, b, _, root = _two_uses(engine)
        root.backward()
        root.backward()
        zero_grad(root)
        root.backward()
        return np.array([float(a.grad), float(b.grad)])

    def deep() -> float:
        x = engine(0.5)
        root = _chain(x)
        x.grad = 1.0
        zero_grad(root)
        return float(x.grad)  # the leaf at the far end of the chain

    ref_a, ref_b, _, ref_root = _two_uses(ag.Value)
    ref_root.backward()
    cases = [
        Case(
            "every node zeroed, after two backward passes: a, b, c = a + b, L",
            (all_zeroed,),
            np.zeros(4),
            hint="visit every node of topological_order(root), leaves AND "
            "interior nodes, and set its grad to 0.0 (not None: backward "
            "adds to it)",
        ),
        Case(
            "backward after zero_grad: the gradient of one pass",
            (then_backward,),
            np.array([ref_a.grad, ref_b.grad]),
            hint="a stale gradient left on the interior node c is passed on "
            "again to a and b by the next backward",
        ),
        Case(
            f"a deep graph: x added to itself {_DEEP} times",
            (deep,),
            0.0,
            hint="a recursive graph walk hits Python's recursion limit here; "
            "use the chapter's iterative topological_order",
        ),
    ]
    return run_cases("ex-zero-grad", lambda run: run(), cases)


# (name, point, hint, atol) of each softplus case on a single leaf
_SOFTPLUS_CASES: list[tuple[str, float, str, float]] = [
    (
        "softplus(0): ln 2, slope 1/2",
        0.0,
        "the value is ln(1 + e^a) and the local derivative e^a / (1 + e^a), "
        "the sigmoid of a (not softplus(a) itself)",
        1e-12,
    ),
    (
        "a negative input, a = -3",
        -3.0,
        "the local derivative is sigma(a) = 1 / (1 + e^(-a)), below 1/2 "
        "for a < 0 (check its sign and that it is not 1 - sigma(a))",
        1e-12,
    ),
    (
        "a positive input, a = 2.5",
        2.5,
        "the local derivative is sigma(a), between 1/2 and 1 for a > 0",
        1e-12,
    ),
    (
        "a large input, a = 800 (e^a overflows)",
        800.0,
        "write ln(1 + e^a) as max(a, 0) + log1p(exp(-|a|)), whose exp never "
        "sees a positive argument; compute sigma(a) the same careful way",
        1e-12,
    ),
    (
        "a very negative input, a = -40 (relative accuracy)",
        -40.0,
        "1 + e^(-40) rounds to 1, so log(1 + exp(a)) returns 0 instead of "
        "about 4e-18: use math.log1p(math.exp(...)); for a < 0 compute "
        "sigma(a) as e^a / (1 + e^a), which keeps its digits too",
        0.0,
    ),
]


def check_softplus_op(value_class: type) -> Feedback:
    """Check the softplus operation added to the chapter's engine (``ex-softplus-op``).

    Calls ``value_class(a).softplus()`` and its ``backward()`` at several
    points, from ``a = -40`` (where ``log(1 + exp(a))`` loses every digit)
    to ``a = 800`` (where ``exp(a)`` overflows), and once inside a larger
    expression, which shows whether the operation records its operand and
    local derivative. Expected values and gradients come from
    :meth:`utils.autograd.Value.softplus`.

    Parameters
    ----------
    value_class : type
        Your engine's ``Value`` class with the method ``softplus`` attached
        (``Value.softplus = softplus``), and ``+``, ``*``, ``backward``.

    Returns
    -------
    Feedback
        Per case, the value and the derivative, as a pair; "not attempted
        yet" while ``softplus`` raises ``NotImplementedError``.

    Raises
    ------
    TypeError
        If ``value_class`` is not a class.

    See Also
    --------
    check_zero_grad, check_power_op : the chapter's other exercises.
    utils.autograd.Value.softplus : the library's softplus.

    Examples
    --------
    The library engine passes; a naive softplus that uses ``exp(a)`` does not:

    >>> from utils import autograd as ag
    >>> check_softplus_op(ag.Value).passed
    True
    >>> class Naive(ag.Value):
    ...     def softplus(self):  # ln(1 + e^a), as written
    ...         return (self.exp() + 1).log()
    >>> fb = check_softplus_op(Naive)
    >>> [case.name for case in fb.cases if not case.passed]
    ['a large input, a = 800 (e^a overflows)', 'a very negative input, a = -40 (relative accuracy)']
    """
    engine = _check_engine(value_class)

    def on_leaf(a: float) -> tuple[float, float] | None:
        leaf = engine(a)
        out = leaf.softplus()
        if out is None:  # the feedback asks about a missing return
            return None
        out.backward()
        return float(out.data), float(leaf.grad)

    def in_graph(a: float, b: float) -> tuple[float, float] | None:
        x, y = engine(a), engine(b)
        # your softplus, called on the product node whatever class x * y returns
        inner = engine.softplus(x * y)
        if inner is None:
            return None
        out = inner + x
        out.backward()
        return float(x.grad), float(y.grad)

    cases = []
    for name, a, hint, atol in _SOFTPLUS_CASES:
        ref = ag.Value(a)
        out = ref.softplus()
        out.backward()
        cases.append(Case(name, (a,), (out.data, ref.grad), hint=hint, atol=atol))
    x, y = ag.Value(1.5), ag.Value(-2.0)
    ((x * y).softplus() + x).backward()
    graph_hint = (
        "return Value(result, (self,), (local,), 'softplus'): backward needs "
        "the operand and the local derivative sigma(a) to pass the upstream "
        "gradient on"
    )
    results = run_cases("ex-softplus-op", on_leaf, cases)
    if not results.attempted:
        return results
    graph = run_cases(
        "ex-softplus-op",
        in_graph,
        [Case("inside a graph: softplus(a * b) + a", (1.5, -2.0), (x.grad, y.grad), graph_hint)],
    )
    return Feedback("ex-softplus-op", results.cases + graph.cases)


def _power_outcome(engine: type, kind: str, a: float, b: float) -> Any:
    """What one power case returns, computed with ``engine``'s ``**``."""
    if kind == "domain":
        try:
            engine(a) ** engine(b)
        except ValueError:
            return "ValueError"
        return "no error"
    if kind == "constant":
        x = engine(a)
        out = x**b
        if out is None:  # the feedback asks about a missing return
            return None
        out.backward()
        return float(out.data), float(x.grad)
    x, y = engine(a), engine(b)
    power = x**y
    if power is None:
        return None
    out = power if kind == "value" else power * x
    out.backward()
    if kind == "value":
        return float(out.data), float(x.grad), float(y.grad)
    return float(x.grad), float(y.grad)


def check_power_op(power_op: Callable[[Any, Any], Any], value_class: type) -> Feedback:
    r"""Check ``a ** p`` for a number or a ``Value`` exponent (exercise ``ex-power-op``).

    For a ``Value`` exponent both operands get a local derivative,
    :math:`\partial u/\partial a = b\,a^{b-1}` and
    :math:`\partial u/\partial b = a^b\ln a`, and a base :math:`a \le 0`
    is refused with a ``ValueError``; a number exponent keeps the chapter's
    rule, for any base. The checker installs ``power_op`` as
    ``value_class.__pow__`` for the duration of the check (and puts the
    previous one back), then compares values and gradients with
    :class:`utils.autograd.Value`'s ``**``.

    Parameters
    ----------
    power_op : callable
        Your function ``power_op(self, p)``: ``self`` a node, ``p`` a number
        or a node; it returns the node for ``self ** p``.
    value_class : type
        Your engine's ``Value`` class, with ``*`` and ``backward``.

    Returns
    -------
    Feedback
        Six cases; "not attempted yet" while ``power_op`` raises
        ``NotImplementedError``.

    Raises
    ------
    TypeError
        If ``value_class`` is not a class.

    See Also
    --------
    check_softplus_op, check_zero_grad : the chapter's other exercises.
    utils.autograd.Value.__pow__ : the reference.

    Examples
    --------
    The library's own ``**`` passes; one that treats a node exponent as a
    constant gives the exponent no gradient:

    >>> from utils import autograd as ag
    >>> class Engine(ag.Value):
    ...     pass
    >>> check_power_op(ag.Value.__pow__, Engine).passed
    True
    >>> def constant_only(self, p):
    ...     return ag.Value.__pow__(self, p.data if isinstance(p, ag.Value) else p)
    >>> fb = check_power_op(constant_only, Engine)
    >>> [case.name for case in fb.cases if not case.passed][:2]
    ['a Value exponent: 2 ** b at b = 3', 'a negative Value exponent: 0.5 ** b at b = -1.5']
    >>> def stub(self, p):
    ...     raise NotImplementedError
    >>> check_power_op(stub, Engine).status
    'not attempted yet'
    """
    engine = _check_engine(value_class)
    if not callable(power_op):
        return run_cases("ex-power-op", power_op, [])
    both = (
        "d(a^b)/da = b a^(b-1) and d(a^b)/db = a^b ln a: return a node with "
        "both operands (self, p) and both local derivatives"
    )
    specs = [
        (
            "a constant exponent, as before: 3 ** 2",
            ("constant", 3.0, 2.0),
            "for a number p keep the rule p * a**(p - 1), with the single operand self",
        ),
        (
            "a constant exponent, negative base: (-2) ** 3",
            ("constant", -2.0, 3.0),
            "a number exponent needs no condition on the base: only a Value exponent needs a > 0",
        ),
        ("a Value exponent: 2 ** b at b = 3", ("value", 2.0, 3.0), both),
        ("a negative Value exponent: 0.5 ** b at b = -1.5", ("value", 0.5, -1.5), both),
        (
            "inside a graph: (a ** b) * a",
            ("graph", 1.5, 0.5),
            "a is used twice; the backward pass adds both contributions if "
            "the power node lists (self, p) as its operands",
        ),
        (
            "a Value exponent with a base <= 0 raises ValueError",
            ("domain", -2.0, 3.0),
            "ln a is undefined for a <= 0, so a ** b has no derivative in b "
            "there: raise ValueError (before computing anything)",
        ),
    ]
    cases = [Case(name, args, _power_outcome(ag.Value, *args), hint) for name, args, hint in specs]
    had_own = "__pow__" in vars(engine)
    previous = vars(engine).get("__pow__")
    engine.__pow__ = power_op
    try:
        return run_cases("ex-power-op", lambda *args: _power_outcome(engine, *args), cases)
    finally:
        if had_own:
            engine.__pow__ = previous
        else:
            del engine.__pow__
