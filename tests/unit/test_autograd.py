"""Tests of utils.autograd: every rule against central differences, against the
PyTorch reference file, and the semantics of backward() / zero_grad()."""

from __future__ import annotations

import gc
import json
import math
import pathlib
import sys
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from utils.autograd import Value, dot, zero_grad

REFERENCE = pathlib.Path(__file__).resolve().parent.parent / "reference" / "autograd_cases.json"


# ----------------------------------------------------------------- helpers
def central_difference(f, x: float, h: float = 1e-6) -> float:
    """(f(x + h) - f(x - h)) / 2h, f: float -> float."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


def numeric_partials(f, xs: list[float], h: float = 1e-6) -> list[float]:
    """Central-difference partial derivatives of f: list of floats -> float."""
    partials = []
    for i in range(len(xs)):

        def along_i(t, i=i):
            ys = list(xs)
            ys[i] = t
            return f(ys)

        partials.append(central_difference(along_i, xs[i], h))
    return partials


def engine_partials(f, xs: list[float]) -> tuple[float, list[float]]:
    """Value and gradient of f (built from Values) computed by backward()."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out.data, [v.grad for v in leaves]


def assert_gradient_matches_central_difference(f, xs, rel=1e-6, abs_=1e-7):
    _, grads = engine_partials(f, xs)
    numeric = numeric_partials(lambda ys: f(*[Value(y) for y in ys]).data, xs)
    assert grads == pytest.approx(numeric, rel=rel, abs=abs_)


# Each op: (name, function of Values, points inside its domain).
UNARY = [
    ("neg", lambda a: -a, [-1.3, 0.7]),
    ("exp", lambda a: a.exp(), [-2.0, 0.3, 1.5]),
    ("log", lambda a: a.log(), [0.2, 1.0, 7.5]),
    ("tanh", lambda a: a.tanh(), [-2.0, 0.1, 1.1]),
    ("sigmoid", lambda a: a.sigmoid(), [-3.0, 0.0, 2.5]),
    ("relu", lambda a: a.relu(), [-1.2, 0.8]),
    ("softplus", lambda a: a.softplus(), [-4.0, 0.0, 3.0]),
    ("pow_2", lambda a: a**2, [-1.5, 0.5]),
    ("pow_3", lambda a: a**3, [-1.5, 0.5]),
    ("pow_half", lambda a: a**0.5, [0.3, 4.0]),
    ("pow_minus_1.5", lambda a: a**-1.5, [0.5, 2.0]),
    ("radd", lambda a: 2.5 + a, [-1.0, 1.0]),
    ("rsub", lambda a: 2.5 - a, [-1.0, 1.0]),
    ("rmul", lambda a: 2.5 * a, [-1.0, 1.0]),
    ("rdiv", lambda a: 2.5 / a, [-1.0, 0.7]),
    ("rpow", lambda a: 2.5**a, [-1.0, 1.3]),
    ("add_number", lambda a: a + 2.5, [-1.0, 1.0]),
    ("sub_number", lambda a: a - 2.5, [-1.0, 1.0]),
    ("mul_number", lambda a: a * 2.5, [-1.0, 1.0]),
    ("div_number", lambda a: a / 2.5, [-1.0, 1.0]),
]
BINARY = [
    ("add", lambda a, b: a + b, [(0.3, -1.2), (2.0, 0.5)]),
    ("sub", lambda a, b: a - b, [(0.3, -1.2), (2.0, 0.5)]),
    ("mul", lambda a, b: a * b, [(0.3, -1.2), (2.0, 0.5)]),
    ("div", lambda a, b: a / b, [(0.3, -1.2), (2.0, 0.5)]),
    ("pow_value_exponent", lambda a, b: a**b, [(0.3, -1.2), (2.0, 0.5)]),
    ("sum", lambda a, b: Value.sum([a, b, a, 1.0]), [(0.3, -1.2)]),
    ("dot", lambda a, b: dot([a, b, 2.0], [b, b, a]), [(0.3, -1.2), (2.0, 0.5)]),
]
FORWARD = [
    ("exp", lambda a: a.exp(), math.exp, 0.7),
    ("log", lambda a: a.log(), math.log, 0.7),
    ("tanh", lambda a: a.tanh(), math.tanh, 0.7),
    ("sigmoid", lambda a: a.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), -0.7),
    ("softplus", lambda a: a.softplus(), lambda x: math.log(1 + math.exp(x)), -0.7),
    ("relu", lambda a: a.relu(), lambda x: max(x, 0.0), -0.7),
    ("pow", lambda a: a**1.5, lambda x: x**1.5, 0.7),
    ("rdiv", lambda a: 3 / a, lambda x: 3 / x, 0.7),
    ("rsub", lambda a: 3 - a, lambda x: 3 - x, 0.7),
]


# ------------------------------------------------- local rules, one by one
@pytest.mark.parametrize("name,f,points", UNARY, ids=[u[0] for u in UNARY])
def test_unary_op_gradient_matches_central_difference(name, f, points):
    for x in points:
        assert_gradient_matches_central_difference(f, [x])


@pytest.mark.parametrize("name,f,points", BINARY, ids=[b[0] for b in BINARY])
def test_binary_op_gradients_match_central_differences(name, f, points):
    for a, b in points:
        assert_gradient_matches_central_difference(f, [a, b])


@pytest.mark.parametrize("name,f,reference,x", FORWARD, ids=[u[0] for u in FORWARD])
def test_forward_value_matches_math_module(name, f, reference, x):
    assert f(Value(x)).data == pytest.approx(reference(x), rel=1e-15)


def test_local_grads_are_stored_at_forward_time():
    a, b = Value(3.0), Value(4.0)
    assert (a * b).local_grads == (4.0, 3.0)
    assert (a / b).local_grads == pytest.approx((1 / 4.0, -3.0 / 16.0))


# ------------------------------------------------------- reuse and depth
def test_gradient_of_a_times_a_is_two_a():
    a = Value(-1.7)
    (a * a).backward()
    assert a.grad == 2 * -1.7


def test_gradient_of_a_plus_a_is_two():
    a = Value(0.4)
    (a + a).backward()
    assert a.grad == 2.0


def test_diamond_graph_gradient_sums_both_paths():
    # y = exp(a) * tanh(a): a reaches y through two branches.
    x = 0.6
    a = Value(x)
    y = a.exp() * a.tanh()
    y.backward()
    exact = math.exp(x) * math.tanh(x) + math.exp(x) * (1 - math.tanh(x) ** 2)
    assert a.grad == pytest.approx(exact, rel=1e-14)


def test_shared_interior_node_gets_the_gradient_of_every_path():
    # c = e^x is an interior node used directly and through tanh(c):
    # y = c * tanh(c), dy/dx = (tanh(c) + c (1 - tanh(c)^2)) e^x.
    x = 0.3
    a = Value(x)
    c = a.exp()
    y = c * c.tanh()
    y.backward()
    e = math.exp(x)
    assert c.grad == pytest.approx(math.tanh(e) + e * (1 - math.tanh(e) ** 2), rel=1e-14)
    assert a.grad == pytest.approx((math.tanh(e) + e * (1 - math.tanh(e) ** 2)) * e, rel=1e-14)


def test_topological_order_puts_every_node_after_its_children():
    a = Value(0.3)
    c = a.exp()
    b = c.tanh()
    y = Value.sum([c, b, c * b, a])
    order = y._topological_order()
    position = {id(v): k for k, v in enumerate(order)}
    assert len(order) == len(position) == 5  # a, c, b, c*b, y
    for v in order:
        assert all(position[id(ch)] < position[id(v)] for ch in v.children)


def _random_graph(rnd):
    """A random DAG of +, *, tanh, sum and dot nodes (repeated operands, empty sums)."""
    pool = [Value(rnd.uniform(-1.0, 1.0)) for _ in range(rnd.randint(1, 4))]
    for _ in range(rnd.randint(0, 25)):
        kind, pick = rnd.randrange(5), lambda: rnd.choice(pool)
        if kind == 0:
            node = pick() * pick()
        elif kind == 1:
            node = pick() + pick()
        elif kind == 2:
            node = pick().tanh()
        elif kind == 3:
            node = Value.sum([pick() for _ in range(rnd.randint(0, 4))])
        else:
            m = rnd.randint(1, 3)
            node = dot([pick() for _ in range(m)], [pick() for _ in range(m)])
        pool.append(node)
    return rnd.choice(pool), pool


def _reference_gradients(root) -> dict:
    """d root / d node by Kahn's algorithm: a node passes its gradient on once all
    of its parents have passed theirs to it (independent of the engine's sort)."""
    nodes, stack = {}, [root]
    while stack:
        v = stack.pop()
        if id(v) not in nodes:
            nodes[id(v)] = v
            stack.extend(v.children)
    waiting = dict.fromkeys(nodes, 0)
    for v in nodes.values():
        for child in v.children:
            waiting[id(child)] += 1
    grad = dict.fromkeys(nodes, 0.0)
    grad[id(root)] = 1.0
    ready = [root]
    while ready:
        v = ready.pop()
        for child, d in zip(v.children, v.local_grads, strict=True):
            grad[id(child)] += d * grad[id(v)]
            waiting[id(child)] -= 1
            if waiting[id(child)] == 0:
                ready.append(child)
    return grad


@settings(max_examples=300, deadline=None)
@given(rnd=st.randoms(use_true_random=False))
def test_backward_on_random_graphs_adds_the_gradient_of_every_path_to_earlier_grads(rnd):
    root, pool = _random_graph(rnd)
    for v in pool:
        if rnd.random() < 0.3:
            v.grad = rnd.uniform(-1.0, 1.0)  # gradients of an earlier pass
    earlier = [v.grad for v in pool]
    reference = _reference_gradients(root)
    order = root._topological_order()
    position = {id(v): k for k, v in enumerate(order)}
    assert len(order) == len(position) and position.keys() == reference.keys()
    assert all(position[id(ch)] < position[id(v)] for v in order for ch in v.children)
    root.backward()
    expected = [g + reference.get(id(v), 0.0) for v, g in zip(pool, earlier, strict=True)]
    assert [v.grad for v in pool] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_deep_mixed_graph_matches_central_difference():
    def f(a, b):
        y = a
        for k in range(40):
            y = (y * b + 0.1 * k).tanh() + (y * y).softplus() / 10 - a.sigmoid() * 0.2
        return y

    assert_gradient_matches_central_difference(f, [0.3, 0.9], rel=1e-5)


def test_dot_with_repeated_operands_matches_central_difference():
    assert_gradient_matches_central_difference(lambda a, b: dot([a, a, b], [a, b, b]), [0.7, -1.1])


def test_backward_on_a_million_node_chain_does_not_recurse_the_first_time_or_again():
    n = 10**6
    assert sys.getrecursionlimit() <= 10_000  # the default-ish limit, not raised for us
    x0, c = Value(1.0), Value(1.000001)
    x = x0
    gc.disable()  # the graph is acyclic; collection during the build only costs time
    try:
        for _ in range(n):
            x = x * c
    finally:
        gc.enable()
    x.backward()
    # x = x0 * c^n, so dx/dx0 = c^n and dx/dc = n c^(n-1) x0.
    assert x0.grad == pytest.approx(1.000001**n, rel=1e-8)
    assert c.grad == pytest.approx(n * 1.000001 ** (n - 1), rel=1e-8)
    first = (x0.grad, c.grad)
    x.backward()  # every node now has an earlier gradient to set aside
    assert (x0.grad, c.grad) == (2 * first[0], 2 * first[1])


# ------------------------------------------------------------ node layout
def test_a_node_is_one_object_referring_to_its_children_directly():
    # no closure, no tuple per node: the collector tracks one object per node
    a, b = Value(2.0), Value(3.0)
    c = a * b
    referents = gc.get_referents(c)
    assert any(r is a for r in referents) and any(r is b for r in referents)
    # besides them: its class, numbers (data, grad, derivatives, mark), its op name
    others = [r for r in referents if r is not a and r is not b and r is not Value]
    assert all(r is None or isinstance(r, (float, int, str)) for r in others), others


def test_a_dropped_graph_leaves_no_cyclic_garbage():
    gc.collect()
    gc.disable()
    try:
        x = Value(0.5)
        y = x
        for _ in range(200):
            y = (y * 1.01 + x).relu() + Value.sum([y, x]) * 0.1
        y.backward()
        del x, y
        assert gc.collect() == 0  # all freed by reference counting already
    finally:
        gc.enable()


def test_children_and_local_grads_of_each_kind_of_node():
    a, b = Value(2.0), Value(3.0)
    assert (a.children, a.local_grads) == ((), ())
    r = a.relu()
    assert (r.children, r.local_grads) == ((a,), (1.0,))
    m = a * b
    assert (m.children, m.local_grads) == ((a, b), (3.0, 2.0))
    d = dot([a, b], [b, 5.0])
    assert d.children[:3] == (a, b, b) and d.local_grads == (3.0, 5.0, 2.0, 3.0)


def test_backward_through_overlapping_graphs_in_turn_gives_each_its_gradient():
    # the visited-marks of one pass must not hide nodes from the next pass
    a = Value(0.7)
    shared = a.exp() * a
    y1 = shared.tanh()
    y2 = shared * shared + a
    y1.backward()
    g1 = a.grad
    y2.backward()
    s = math.exp(0.7) * 0.7
    ds = math.exp(0.7) * (0.7 + 1.0)  # d shared / da
    assert g1 == pytest.approx((1 - math.tanh(s) ** 2) * ds, rel=1e-14)
    assert a.grad == pytest.approx(g1 + 2 * s * ds + 1.0, rel=1e-14)


def test_backward_that_overflows_only_added_to_earlier_grads_changes_nothing():
    a = Value(1.0)
    y = a * 1e308
    a.grad = 1e308  # an earlier gradient: 1e308 + 1e308 overflows
    with pytest.raises(OverflowError, match="no .grad was changed"):
        y.backward()
    assert (a.grad, y.grad) == (1e308, 0.0)


def test_backward_in_mid_pass_overflow_restores_earlier_grads_and_names_the_labelled_node():
    # t = u * 1e200 * 1e200 * 1e200 at u = 1e-300: forward values are finite
    # (at most 1e300), but dt/dv = 1e400 overflows at the labelled interior
    # node v = u * 1e200.
    u = Value(1e-300, label="u")
    v = u * 1e200
    v.label = "v"
    w = v * 1e200
    t = w * 1e200
    u.grad, w.grad = 5.0, -7.0  # earlier gradients, on a leaf and on an interior node
    with pytest.raises(OverflowError, match=r"op='\*'.*no .grad was changed"):
        t.backward()
    assert (u.grad, v.grad, w.grad, t.grad) == (5.0, 0.0, -7.0, 0.0)


# ------------------------------------------------ accumulation semantics
def _graph():
    a, b = Value(0.8), Value(-1.3)
    c = a * b
    d = c.tanh() + a
    e = d * d + c.exp()
    return e, [a, b, c, d, e]


def test_backward_twice_gives_exactly_twice_every_gradient():
    e, nodes = _graph()
    e.backward()
    once = [v.grad for v in nodes]
    e.backward()
    assert [v.grad for v in nodes] == [2 * g for g in once]


def test_backward_adds_the_gradients_of_different_outputs():
    a = Value(1.5)
    (a * a).backward()
    (a.exp()).backward()
    assert a.grad == pytest.approx(2 * 1.5 + math.exp(1.5), rel=1e-15)


def test_earlier_gradient_of_an_interior_node_is_not_passed_on_to_its_children():
    # b = 3a is the output of one pass and an interior node of the next:
    # c = b^2, dc/db = 2b = 12 and dc/da = 6b = 36 at a = 2.
    a = Value(2.0)
    b = a * 3.0
    b.backward()
    assert (a.grad, b.grad) == (3.0, 1.0)
    c = b * b
    c.backward()
    assert (a.grad, b.grad, c.grad) == (3.0 + 36.0, 1.0 + 12.0, 1.0)


def test_backward_adds_to_a_gradient_that_a_leaf_already_had():
    x = Value(1.5)
    x.grad = 10.0
    x.exp().backward()
    assert x.grad == 10.0 + math.exp(1.5)


def test_labels_change_neither_ops_nor_gradients():
    def graph(labelled):
        a, b = Value(0.8), Value(-1.3)
        c = a * b
        d = Value.sum([c.tanh(), a, c])
        if labelled:
            for node, name in ((a, "a"), (b, "b"), (c, "c"), (d, "d")):
                node.label = name
        e = dot([d, d], [d, b]) + c.exp()
        e.backward()
        return [(v.op, v.grad) for v in (a, b, c, d, e)]

    assert graph(labelled=True) == graph(labelled=False)


def test_zero_grad_clears_every_reachable_node():
    e, nodes = _graph()
    e.backward()
    assert all(v.grad != 0.0 for v in nodes)
    e.zero_grad()
    assert [v.grad for v in nodes] == [0.0] * len(nodes)


def test_zero_grad_then_backward_gives_a_single_gradient():
    e, nodes = _graph()
    e.backward()
    once = [v.grad for v in nodes]
    e.zero_grad()
    e.backward()
    assert [v.grad for v in nodes] == once


def test_module_zero_grad_clears_only_the_listed_values():
    a, b = Value(2.0), Value(3.0)
    c = a * b
    c.backward()
    zero_grad([a])
    assert (a.grad, b.grad, c.grad) == (0.0, 2.0, 1.0)


def test_module_zero_grad_rejects_non_values():
    with pytest.raises(TypeError, match="values"):
        zero_grad([Value(1.0), 2.0])


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("x", [0.0, -2.5])
def test_log_of_non_positive_raises_naming_the_value(x):
    with pytest.raises(ValueError, match=rf"log requires a positive Value, got data={x}"):
        Value(x).log()


@pytest.mark.parametrize("base", [-2.0, 0.0])
def test_pow_with_value_exponent_of_non_positive_base_raises_naming_the_base(base):
    with pytest.raises(ValueError, match=rf"base.*got base={base}"):
        Value(base) ** Value(2.0)


def test_number_to_a_value_power_with_negative_base_raises_naming_the_base():
    with pytest.raises(ValueError, match="base=-2.0"):
        (-2.0) ** Value(2.0)


def test_fractional_power_of_negative_base_raises_naming_the_base():
    with pytest.raises(ValueError, match="base=-4.0"):
        Value(-4.0) ** 0.5


def test_integer_power_of_negative_base_is_allowed():
    v = Value(-2.0) ** 3
    v.backward()
    assert v.data == -8.0


def test_zero_to_a_negative_power_raises():
    with pytest.raises(ZeroDivisionError, match="base"):
        Value(0.0) ** -1


def test_fractional_power_at_zero_raises_for_its_infinite_derivative():
    with pytest.raises(ValueError, match="infinite"):
        Value(0.0) ** 0.5


def test_non_finite_exponent_raises_naming_the_exponent():
    with pytest.raises(ValueError, match="exponent"):
        Value(2.0) ** float("inf")


@pytest.mark.parametrize("bad", ["1.0", None, 1 + 2j, True, [1.0]])
def test_constructor_rejects_non_real_input_naming_data(bad):
    with pytest.raises(TypeError, match="data must be a real number"):
        Value(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_constructor_rejects_non_finite_input_naming_data(bad):
    with pytest.raises(ValueError, match="data must be finite"):
        Value(bad)


def test_constructor_rejects_a_non_string_label():
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


def test_a_label_set_on_an_interior_node_keeps_its_op_and_can_be_removed():
    a = Value(2.0, label="a")
    c = a * 3.0
    assert (a.label, a.op, c.label, c.op) == ("a", "", None, "*")
    c.label = "c"
    assert (c.label, c.op) == ("c", "*")
    c.label = None
    assert (c.label, c.op) == (None, "*")


def test_assigning_a_non_string_label_raises_and_keeps_the_old_one():
    c = Value(2.0, label="x") + 1.0
    c.label = "c"
    with pytest.raises(TypeError, match="label"):
        c.label = 3
    assert (c.label, c.op) == ("c", "+")


def test_operation_with_a_non_number_raises_naming_the_operand():
    with pytest.raises(TypeError, match="other must be a real number"):
        Value(1.0) + "a"


def test_operation_with_nan_raises_naming_the_operand():
    with pytest.raises(ValueError, match="other must be finite"):
        Value(1.0) * float("nan")


@pytest.mark.parametrize("divisor", [Value(0.0), 0.0, 0])
def test_division_by_zero_raises_instead_of_inf(divisor):
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        Value(1.0) / divisor


def test_one_over_a_zero_value_raises():
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        1 / Value(0.0)


def test_exp_overflow_raises_overflow_error():
    with pytest.raises(OverflowError, match="exp"):
        Value(710.0).exp()


def test_multiplication_overflow_raises_instead_of_inf():
    with pytest.raises(OverflowError, match="overflows"):
        Value(1e200) * Value(1e200)


def test_dot_of_different_lengths_raises():
    with pytest.raises(ValueError, match="ws and xs must have the same length"):
        dot([Value(1.0)], [1.0, 2.0])


def test_sum_of_a_non_iterable_raises():
    with pytest.raises(TypeError, match="values"):
        Value.sum(Value(1.0))


# ------------------------------------------------- stability at extremes
@pytest.mark.parametrize("x", [-1000.0, 1000.0])
def test_tanh_sigmoid_softplus_are_stable_at_plus_minus_1000(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            a = Value(x)
            t, s, p = a.tanh(), a.sigmoid(), a.softplus()
            (t + s + p).backward()
    assert t.data == math.copysign(1.0, x)
    assert s.data == (1.0 if x > 0 else 0.0)
    assert p.data == max(x, 0.0)  # log(1 + e^x) rounds to max(x, 0) here
    # d/dx [tanh + sigmoid + softplus] = 0 + 0 + sigmoid(x)
    assert a.grad == (1.0 if x > 0 else 0.0)


def test_softplus_is_accurate_for_large_negative_inputs():
    # log(1 + e^-40) = e^-40 to double precision; a naive log(1 + exp(x)) gives 0.
    assert Value(-40.0).softplus().data == pytest.approx(math.exp(-40.0), rel=1e-15)


def test_relu_subgradient_at_zero_is_zero():
    a = Value(0.0)
    a.relu().backward()
    assert a.grad == 0.0


# -------------------------------------------------------- representation
def test_repr_shows_data_and_grad_with_four_decimals():
    v = Value(0.5)
    v.grad = -1.25
    assert repr(v) == "Value(data=0.5000, grad=-1.2500)"


def test_value_uses_slots():
    assert not hasattr(Value(1.0), "__dict__")


def test_numpy_scalars_combine_into_values():
    v = np.float64(2.0) * Value(3.0)
    assert isinstance(v, Value) and v.data == 6.0
    assert Value(np.int64(4)).data == 4.0


def test_sum_of_nothing_is_a_zero_constant():
    s = Value.sum([])
    assert s.data == 0.0 and s.children == ()


def test_op_names_and_children_are_exposed():
    a, b = Value(1.0), Value(2.0)
    c = a + b
    assert c.op == "+" and c.children == (a, b)
    assert a.op == "" and a.children == ()


# ---------------------------------------------- Hypothesis property tests
bounded = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)
positive = st.floats(min_value=0.05, max_value=5.0, allow_nan=False)
SMOOTH_UNARY = [
    (name, f)
    for name, f, _ in UNARY
    if name not in {"log", "pow_half", "pow_minus_1.5", "rdiv", "relu"}
]


@settings(max_examples=60, deadline=None)
@given(op=st.sampled_from(SMOOTH_UNARY), x=bounded)
def test_property_unary_gradients_match_central_differences(op, x):
    assert_gradient_matches_central_difference(op[1], [x], rel=1e-5, abs_=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    op=st.sampled_from([(n, f) for n, f, _ in UNARY if n in {"log", "pow_half", "pow_minus_1.5"}]),
    x=positive,
)
def test_property_positive_domain_gradients_match_central_differences(op, x):
    assert_gradient_matches_central_difference(op[1], [x], rel=1e-5, abs_=1e-6)


@settings(max_examples=40, deadline=None)
@given(x=bounded)
def test_property_relu_gradient_is_the_indicator_of_positive_input(x):
    assume(x != 0.0)
    a = Value(x)
    a.relu().backward()
    assert a.grad == (1.0 if x > 0 else 0.0)


@settings(max_examples=60, deadline=None)
@given(op=st.sampled_from([(n, f) for n, f, _ in BINARY if n != "div"]), a=positive, b=bounded)
def test_property_binary_gradients_match_central_differences(op, a, b):
    assert_gradient_matches_central_difference(op[1], [a, b], rel=1e-5, abs_=1e-6)


@settings(max_examples=40, deadline=None)
@given(a=bounded, b=bounded)
def test_property_division_gradients_match_central_differences(a, b):
    assume(abs(b) > 0.1)
    assert_gradient_matches_central_difference(lambda u, v: u / v, [a, b], rel=1e-5, abs_=1e-6)


# ------------------------------------------------- the PyTorch reference
def _build(tree: dict, variables: dict):
    """Rebuild an expression tree of scripts/make_autograd_reference.py with Values."""
    if "var" in tree:
        return variables[tree["var"]]
    if "const" in tree:
        return float(tree["const"])
    args = [_build(a, variables) for a in tree["args"]]
    op = tree["op"]
    if op in {"neg", "exp", "log", "tanh", "sigmoid", "relu", "softplus"}:
        return -args[0] if op == "neg" else getattr(args[0], op)()
    if op == "powc":
        return args[0] ** tree["exponent"]
    if op == "sum":
        return Value.sum(args)
    if op == "dot":
        n = len(args) // 2
        return dot(args[:n], args[n:])
    a, b = args
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div":
        return a / b
    assert op == "pow"
    return a**b


def _reference_cases():
    doc = json.loads(REFERENCE.read_text())
    return doc["cases"]


def test_reference_file_covers_every_operation():
    def ops(tree):
        return ({tree["op"]} if "op" in tree else set()).union(
            *(ops(a) for a in tree.get("args", []))
        )

    covered = set().union(*(ops(c["expr"]) for c in _reference_cases()))
    expected = {
        "add",
        "sub",
        "mul",
        "div",
        "pow",
        "powc",
        "neg",
        "exp",
        "log",
        "tanh",
        "sigmoid",
        "relu",
        "softplus",
        "sum",
        "dot",
    }
    assert covered == expected


@pytest.mark.parametrize("case", _reference_cases(), ids=lambda c: c["expr"]["op"])
def test_value_and_gradients_match_pytorch_reference(case):
    variables = {k: Value(v, label=k) for k, v in case["variables"].items()}
    out = _build(case["expr"], variables)
    out.backward()
    assert out.data == pytest.approx(case["value"], rel=1e-12, abs=1e-300)
    for name, expected in case["grads"].items():
        assert variables[name].grad == pytest.approx(expected, rel=1e-12, abs=1e-300), name


# ------------------------------------------------- property tests: bad input
from fractions import Fraction  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ANY_REAL = st.one_of(st.integers(min_value=-(10**500), max_value=10**500), st.floats())
# Magnitudes where scaling by 2**-600 is exact (no subnormals), up to float64's maximum.
WIDE = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-100, max_value=1.7976931348623157e308),
    st.floats(min_value=-1.7976931348623157e308, max_value=-1e-100),
)
FLOAT_MAX = Fraction(1.7976931348623157e308)


@settings(max_examples=200, deadline=None)
@given(x=ANY_REAL)
def test_value_accepts_a_real_number_or_refuses_it_with_valueerror_naming_data(x):
    try:
        v = Value(x)
    except ValueError as exc:
        assert str(exc).startswith("data ")
    else:
        assert math.isfinite(v.data)


@settings(max_examples=200, deadline=None)
@given(xs=st.lists(WIDE, max_size=8))
def test_value_sum_is_the_correctly_rounded_exact_sum_whenever_that_is_finite(xs):
    exact = sum(map(Fraction, xs), Fraction(0))
    assume(abs(exact) < FLOAT_MAX * Fraction(999, 1000) or abs(exact) > FLOAT_MAX * 2)
    if abs(exact) > FLOAT_MAX:
        with pytest.raises(OverflowError, match="sum of values overflows float64"):
            Value.sum(xs)
    else:
        assert Value.sum(xs).data == float(exact)


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(WIDE, WIDE), min_size=1, max_size=6))
def test_dot_is_accurate_whenever_the_exact_result_is_finite(pairs):
    ws, xs = [w for w, _ in pairs], [x for _, x in pairs]
    terms = [Fraction(w) * Fraction(x) for w, x in pairs]
    exact = sum(terms, Fraction(0))
    assume(abs(exact) < FLOAT_MAX * Fraction(999, 1000))
    # each product is rounded once (relative error <= 2**-53), then summed exactly
    bound = sum(map(abs, terms), Fraction(0)) * Fraction(1, 2**52)
    assert abs(Fraction(dot(ws, xs).data) - exact) <= bound


@settings(max_examples=200, deadline=None)
@given(c=st.floats(min_value=1.0, max_value=1e300))
def test_backward_gives_the_exact_gradient_or_raises_overflowerror_and_changes_nothing(c):
    # y = c tanh(c x) at x = 1/c: finite forward values (at most c), dy/dx = c**2 (1 - tanh(1)**2)
    x = Value(1.0 / c)
    y = (x * c).tanh() * c
    expected = c * c * (1.0 - math.tanh(1.0) ** 2)  # inf when it overflows
    try:
        y.backward()
    except OverflowError as exc:
        assert "no .grad was changed" in str(exc) and x.grad == 0.0
        assert expected > 1e307
    else:
        assert math.isclose(x.grad, expected, rel_tol=1e-12)
