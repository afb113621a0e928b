"""utils.admodes: forward and reverse accumulation give the same gradient;
their costs are (number of inputs) x edges and edges."""

from __future__ import annotations

import math

import pytest

from utils.admodes import count_edges, forward_mode, reverse_mode
from utils.autograd import Value, dot


def _example():
    # f = sin-free smooth expression: f = exp(x*y) + x / y
    x, y = Value(0.7), Value(-1.3)
    return x, y, (x * y).exp() + x / y


def test_both_modes_agree_with_the_analytic_gradient():
    x, y, f = _example()
    e = math.exp(0.7 * -1.3)
    expected = [-1.3 * e + 1 / -1.3, 0.7 * e - 0.7 / (-1.3) ** 2]
    for result in (forward_mode(f, [x, y]), reverse_mode(f, [x, y])):
        assert result.gradient == pytest.approx(expected, rel=1e-14)


def test_reverse_mode_matches_value_backward():
    x, y, f = _example()
    f.backward()
    assert reverse_mode(f, [x, y]).gradient == [x.grad, y.grad]


def test_a_node_used_on_two_paths_gets_the_sum_of_both():
    x = Value(3.0)
    f = x * x  # d/dx = 2x: one contribution per edge
    assert forward_mode(f, [x]).gradient == [6.0]
    assert reverse_mode(f, [x]).gradient == [6.0]


def test_dot_of_n_pairs_has_2n_edges():
    n = 7
    ws = [Value(float(i)) for i in range(n)]
    assert count_edges(dot(ws, [1.0] * n)) == 2 * n


def test_forward_costs_inputs_times_edges_and_reverse_costs_edges():
    n = 5
    ws = [Value(float(i)) for i in range(n)]
    f = dot(ws, [2.0] * n).tanh()  # 2n + 1 edges
    assert forward_mode(f, ws).multiply_adds == n * (2 * n + 1)
    assert reverse_mode(f, ws).multiply_adds == 2 * n + 1


def test_an_input_outside_the_graph_gets_zero():
    _, _, f = _example()
    z = Value(1.0)
    assert forward_mode(f, [z]).gradient == [0.0]
    assert reverse_mode(f, [z]).gradient == [0.0]


def test_root_that_is_not_a_value_is_refused_naming_root():
    with pytest.raises(TypeError, match="root must be a Value"):
        reverse_mode(1.0, [Value(1.0)])


def test_an_input_that_is_not_a_value_is_refused_naming_its_index():
    x, _, f = _example()
    with pytest.raises(TypeError, match=r"inputs\[1\] must be a Value"):
        forward_mode(f, [x, 2.0])


def test_empty_inputs_are_refused():
    _, _, f = _example()
    with pytest.raises(ValueError, match="inputs must hold at least one"):
        reverse_mode(f, [])


def test_an_intermediate_node_gets_the_same_derivative_in_both_modes():
    # f = 3 u with u = x * x: df/du = 3 whatever u is computed from
    x = Value(2.0)
    u = x * x
    f = u * 3.0
    assert forward_mode(f, [u]).gradient == [3.0]
    assert reverse_mode(f, [u]).gradient == [3.0]


def test_the_root_itself_has_derivative_one():
    x, _, f = _example()
    assert forward_mode(f, [f]).gradient == [1.0]
    assert reverse_mode(f, [f]).gradient == [1.0]
