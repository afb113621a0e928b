"""The checkers of Chapter 5's code exercises (utils.exercises.backprop).

The reader's functions run on a small engine written here the way the chapter
writes it (a node keeps ``children`` and ``local_grads``), independent of
``utils.autograd``, which the checkers use for the expected values.
"""

from __future__ import annotations

import math

import pytest

from utils.exercises.backprop import check_softplus_op, check_zero_grad


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


def test_stable_softplus_passes():
    def softplus(self):
        a = self.data
        value = max(a, 0.0) + math.log1p(math.exp(-abs(a)))
        e = math.exp(-abs(a))
        slope = 1 / (1 + e) if a >= 0 else e / (1 + e)  # sigma(a)
        return Node(value, (self,), (slope,))

    feedback = check_softplus_op(engine_with(softplus))
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


def test_softplus_returning_a_float_is_a_failed_case_not_a_traceback():
    def returns_float(self):
        return math.log1p(math.exp(self.data))

    feedback = check_softplus_op(engine_with(returns_float))
    assert feedback.status == "failed"
    assert "AttributeError" in feedback.cases[0].detail
