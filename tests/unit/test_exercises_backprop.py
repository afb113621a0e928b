"""The checkers of Chapter 5's code exercises (utils.exercises.backprop).

The reader's functions run on a small engine written here the way the chapter
writes it (a node keeps ``children`` and ``local_grads``), independent of
``utils.autograd``, which the checkers use for the expected values.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from utils.exercises.backprop import check_power_op, check_softplus_op, check_zero_grad


class Node:
    """The chapter's engine, cut down to what the checkers use."""

    def __init__(self, data, children=(), local_grads=()):
        self.data, self.grad = float(data), 0.0
        self.children, self.local_grads = children, local_grads

    def __add__(self, other):
        other = other if isinstance(other, Node) else type(self)(other)
        return type(self)(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Node) else type(self)(other)
        return type(self)(self.data * other.data, (self, other), (other.data, self.data))

    def backward(self):
        self.grad = 1.0
        for node in reversed(order(self)):
            for child, local in zip(node.children, node.local_grads, strict=True):
                child.grad += local * node.grad


def order(root):
    out, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            out.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node.children)
    return out


def engine_with(softplus):
    """A fresh subclass of Node with the given softplus method."""
    return type("Engine", (Node,), {"softplus": softplus})


def failed(feedback):
    return {case.name: case for case in feedback.cases if not case.passed}


# --- ex-zero-grad -------------------------------------------------------------


def test_zero_grad_stub_is_not_attempted_yet():
    def zero_grad(root):
        raise NotImplementedError

    feedback = check_zero_grad(zero_grad, Node)
    assert feedback.status == "not attempted yet"
    assert "ex-zero-grad: not attempted yet" in str(feedback)


def test_zero_grad_over_every_node_passes():
    def zero_grad(root):
        for node in order(root):
            node.grad = 0.0

    feedback = check_zero_grad(zero_grad, Node)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 3


def test_zero_grad_of_the_leaves_only_is_caught_at_the_interior_node():
    def leaves_only(root):
        for node in order(root):
            if not node.children:
                node.grad = 0.0

    bad = failed(check_zero_grad(leaves_only, Node))
    name = "every node zeroed, after two backward passes: a, b, c = a + b, L"
    assert set(bad) == {name, "backward after zero_grad: the gradient of one pass"}
    assert "interior nodes" in bad[name].hint
    assert "interior node c" in bad["backward after zero_grad: the gradient of one pass"].hint


def test_recursive_zero_grad_fails_on_the_deep_graph_with_a_hint():
    def recursive(root):
        root.grad = 0.0
        for child in root.children:
            recursive(child)

    bad = failed(check_zero_grad(recursive, Node))
    (name,) = bad
    assert name.startswith("a deep graph")
    assert "RecursionError" in bad[name].detail
    assert "iterative topological_order" in bad[name].hint


def test_zero_grad_that_sets_none_is_a_failed_case_not_a_traceback():
    def to_none(root):
        for node in order(root):
            node.grad = None

    feedback = check_zero_grad(to_none, Node)
    assert feedback.status == "failed"
    assert (
        "not None"
        in failed(feedback)["every node zeroed, after two backward passes: a, b, c = a + b, L"].hint
    )


def test_zero_grad_checker_names_a_value_class_that_is_not_a_class():
    with pytest.raises(TypeError, match="value_class"):
        check_zero_grad(lambda root: None, Node(1.0))


# --- ex-softplus-op -----------------------------------------------------------


def test_softplus_stub_is_not_attempted_yet():
    def softplus(self):
        raise NotImplementedError

    assert check_softplus_op(engine_with(softplus)).status == "not attempted yet"


def stable_softplus(self):
    a = self.data
    value = max(a, 0.0) + math.log1p(math.exp(-abs(a)))
    e = math.exp(-abs(a))
    slope = 1 / (1 + e) if a >= 0 else e / (1 + e)  # sigma(a)
    return Node(value, (self,), (slope,))


def test_stable_softplus_passes():
    feedback = check_softplus_op(engine_with(stable_softplus))
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 6


def test_naive_softplus_overflows_at_800_and_loses_digits_at_minus_40():
    def naive(self):
        e = math.exp(self.data)
        return Node(math.log(1 + e), (self,), (e / (1 + e),))

    bad = failed(check_softplus_op(engine_with(naive)))
    assert set(bad) == {
        "a large input, a = 800 (e^a overflows)",
        "a very negative input, a = -40 (relative accuracy)",
    }
    assert "OverflowError" in bad["a large input, a = 800 (e^a overflows)"].detail
    assert "log1p" in bad["a very negative input, a = -40 (relative accuracy)"].hint
    assert "inside a graph: softplus(a * b) + a" not in bad  # its rule is right


def test_softplus_as_its_own_derivative_is_caught_with_the_sigmoid_hint():
    def wrong_slope(self):
        a = self.data
        value = max(a, 0.0) + math.log1p(math.exp(-abs(a)))
        return Node(value, (self,), (value,))  # as if it were exp

    bad = failed(check_softplus_op(engine_with(wrong_slope)))
    assert "softplus(0): ln 2, slope 1/2" in bad
    assert "sigmoid" in bad["softplus(0): ln 2, slope 1/2"].hint
    assert "expected" in bad["softplus(0): ln 2, slope 1/2"].detail


def test_softplus_without_its_operand_is_caught_inside_a_graph():
    def no_operand(self):
        a = self.data
        return Node(max(a, 0.0) + math.log1p(math.exp(-abs(a))))  # a leaf

    bad = failed(check_softplus_op(engine_with(no_operand)))
    assert "inside a graph: softplus(a * b) + a" in bad
    assert "(self,)" in bad["inside a graph: softplus(a * b) + a"].hint


def test_softplus_on_an_engine_whose_operations_return_the_base_class_passes():
    # x * y of a subclass engine may be a node of the base class, which has no
    # softplus: the checker calls the reader's softplus on it all the same
    class Base(Node):
        def __mul__(self, other):
            return Node(self.data * other.data, (self, other), (other.data, self.data))

    engine = type("Engine", (Base,), {"softplus": stable_softplus})
    feedback = check_softplus_op(engine)
    assert feedback.passed, str(feedback)


def test_softplus_without_a_return_is_told_so():
    def forgets_return(self):
        stable_softplus(self)

    feedback = check_softplus_op(engine_with(forgets_return))
    assert all("forget to `return`" in case.detail for case in feedback.cases)


def test_softplus_returning_a_float_is_a_failed_case_not_a_traceback():
    def returns_float(self):
        return math.log1p(math.exp(self.data))

    feedback = check_softplus_op(engine_with(returns_float))
    assert feedback.status == "failed"
    assert "AttributeError" in feedback.cases[0].detail


# --- ex-power-op --------------------------------------------------------------


def power_op(self, p):
    a = self.data
    if not isinstance(p, Node):
        return type(self)(a**p, (self,), (p * a ** (p - 1),))
    if a <= 0:
        raise ValueError(f"a ** b with a Value exponent needs a > 0, got {a}")
    out = a**p.data
    return type(self)(out, (self, p), (p.data * a ** (p.data - 1), out * math.log(a)))


def test_power_stub_is_not_attempted_yet_and_the_class_is_left_as_it_was():
    def stub(self, p):
        raise NotImplementedError

    assert check_power_op(stub, Node).status == "not attempted yet"
    assert "__pow__" not in vars(Node)


def test_power_with_both_rules_passes_and_the_previous_power_comes_back():
    engine = engine_with(None)
    engine.__pow__ = previous = lambda self, p: "previous"
    feedback = check_power_op(power_op, engine)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 6
    assert engine.__pow__ is previous


def test_power_that_treats_a_value_exponent_as_a_constant_is_caught():
    def constant_only(self, p):
        return power_op(self, p.data if isinstance(p, Node) else p)

    bad = failed(check_power_op(constant_only, Node))
    name = "a Value exponent: 2 ** b at b = 3"
    assert name in bad
    assert "both operands (self, p)" in bad[name].hint
    assert "item 2" in bad[name].detail  # the exponent's gradient


def test_power_that_refuses_every_negative_base_is_caught():
    def always_positive(self, p):
        if self.data <= 0:
            raise ValueError("base must be positive")
        return power_op(self, p)

    bad = failed(check_power_op(always_positive, Node))
    name = "a constant exponent, negative base: (-2) ** 3"
    assert set(bad) == {name}
    assert "ValueError" in bad[name].detail
    assert "only a Value exponent needs a > 0" in bad[name].hint


def test_power_that_takes_nan_logarithms_instead_of_raising_is_caught():
    def nan_log(self, p):
        if not isinstance(p, Node):
            return power_op(self, p)
        a, b = self.data, p.data
        with np.errstate(invalid="ignore"):
            log_a = float(np.log(a))
        return type(self)(a**b, (self, p), (b * a ** (b - 1), a**b * log_a))

    bad = failed(check_power_op(nan_log, Node))
    name = "a Value exponent with a base <= 0 raises ValueError"
    assert set(bad) == {name}
    assert "no error" in bad[name].detail
    assert "raise ValueError" in bad[name].hint


def test_power_without_a_return_is_told_so():
    def forgets_return(self, p):
        power_op(self, p)

    feedback = check_power_op(forgets_return, Node)
    assert feedback.cases[0].detail == "got None: did a function forget to `return` its result?"
