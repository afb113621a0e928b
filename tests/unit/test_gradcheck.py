"""Tests of utils.gradcheck.

Correct gradients are derived by hand (backpropagation written out for a
small tanh MLP, a tanh layer, quadratic forms); planted bugs are the classic
ones: wrong sign, missing factor of 2, swapped indices (transpose / reshape
confusion), an off-by-one loop that misses the last entry.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from utils.gradcheck import (
    GradcheckError,
    GradcheckReport,
    ParamCheck,
    check_value_graph,
    gradcheck,
)

SETTINGS = settings(max_examples=25, deadline=None)
values = st.floats(-2, 2, allow_nan=False, allow_subnormal=False)


# --------------------------------------------------------------- models with hand-written gradients


def make_mlp(X, y, W1, b1, W2, b2):
    """A one-hidden-layer tanh MLP with mean squared error; returns (loss_fn, params)."""

    def loss_and_grads(params):
        W1, b1, W2, b2 = params
        a = np.tanh(X @ W1 + b1)
        r = a @ W2 + b2 - y
        loss = np.mean(r**2)
        d_out = 2 * r / r.size
        d_z = (d_out @ W2.T) * (1 - a**2)
        return loss, [X.T @ d_z, d_z.sum(axis=0), a.T @ d_out, d_out.sum(axis=0)]

    return loss_and_grads, [W1, b1, W2, b2]


@st.composite
def mlps(draw, min_width=1):
    n = draw(st.integers(1, 4))
    d, k, m = (draw(st.integers(min_width, 4)) for _ in range(3))
    arr = lambda *shape: draw(hnp.arrays(np.float64, shape, elements=values))  # noqa: E731
    return make_mlp(arr(n, d), arr(n, m), arr(d, k), arr(k), arr(k, m), arr(m))


def tanh_layer(W, x):
    """L(W) = sum(tanh(W x)); dL/dW = outer(1 - tanh(Wx)^2, x)."""

    def loss(params):
        (W,) = params
        t = np.tanh(W @ x)
        return float(np.sum(t)), [np.outer(1 - t**2, x)]

    return loss


def with_bug(loss_fn, k, bug):
    """loss_fn whose k-th returned gradient is replaced by bug(gradient)."""

    def buggy(params):
        loss, grads = loss_fn(params)
        grads = list(grads)
        grads[k] = bug(grads[k])
        return loss, grads

    return buggy


def true_grads(loss_fn, params):
    return [g.copy() for g in loss_fn(params)[1]]


# --------------------------------------------------------------- correct gradients pass


@given(mlps())
@SETTINGS
def test_correct_mlp_gradients_pass(model):
    loss_fn, params = model
    report = gradcheck(loss_fn, params, names=["W1", "b1", "W2", "b2"])
    assert report.passed, str(report)


def test_correct_tanh_layer_gradient_passes():
    rng = np.random.default_rng(0)
    W, x = rng.normal(size=(3, 4)), rng.normal(size=4)
    assert gradcheck(tanh_layer(W, x), [W]).passed


def test_correct_gradients_give_tiny_relative_error():
    rng = np.random.default_rng(1)
    loss_fn, params = make_mlp(
        *(rng.normal(size=s) for s in [(5, 3), (5, 2), (3, 4), (4,), (4, 2), (2,)])
    )
    report = gradcheck(loss_fn, params)
    assert max(c.rel_error for c in report) < 1e-8


# --------------------------------------------------------------- planted bugs fail


def _bug_is_visible(g, bad):
    """The planted bug changes the gradient by far more than finite-difference noise."""
    return np.linalg.norm(bad - g) > 1e-4 * (1 + np.linalg.norm(g))


@given(mlps(), st.integers(0, 3))
@SETTINGS
def test_wrong_sign_fails(model, k):
    loss_fn, params = model
    g = true_grads(loss_fn, params)[k]
    assume(_bug_is_visible(g, -g))
    report = gradcheck(with_bug(loss_fn, k, lambda a: -a), params)
    assert not report[k].passed and not report.passed


@given(mlps())
@SETTINGS
def test_missing_factor_of_two_fails(model):
    # d/dr mean(r^2) written as r / size instead of 2 r / size: every gradient halved
    loss_fn, params = model
    grads = true_grads(loss_fn, params)
    assume(any(_bug_is_visible(g, g / 2) for g in grads))
    halved = lambda p: (loss_fn(p)[0], [g / 2 for g in loss_fn(p)[1]])  # noqa: E731
    report = gradcheck(halved, params)
    for g, check in zip(grads, report, strict=False):
        if _bug_is_visible(g, g / 2):
            assert not check.passed


@given(mlps(min_width=2), st.sampled_from([0, 2]))
@SETTINGS
def test_swapped_indices_fail(model, k):
    # the transpose of the gradient, forced back into shape (reshape instead of transpose)
    loss_fn, params = model
    g = true_grads(loss_fn, params)[k]
    swap = lambda a: a.T.reshape(a.shape)  # noqa: E731
    assume(_bug_is_visible(g, swap(g)))
    assert not gradcheck(with_bug(loss_fn, k, swap), params)[k].passed


@given(mlps(), st.integers(0, 3))
@SETTINGS
def test_off_by_one_loop_missing_the_last_entry_fails_and_points_at_it(model, k):
    loss_fn, params = model
    g = true_grads(loss_fn, params)[k]

    def skip_last(a):
        a = a.copy()
        a.flat[-1] = 0.0  # for i in range(size - 1): ...
        return a

    assume(_bug_is_visible(g, skip_last(g)))
    check = gradcheck(with_bug(loss_fn, k, skip_last), params)[k]
    assert not check.passed
    assert check.worst_index == np.unravel_index(g.size - 1, g.shape)
    assert check.worst_analytic == 0.0
    assert check.worst_numerical == pytest.approx(g.flat[-1], rel=1e-6, abs=1e-9)


@given(mlps(), st.integers(0, 3), st.data())
@SETTINGS
def test_worst_element_is_reported_with_both_values(model, k, data):
    loss_fn, params = model
    g = true_grads(loss_fn, params)[k]
    i = data.draw(st.integers(0, g.size - 1))
    idx = tuple(int(j) for j in np.unravel_index(i, g.shape))
    planted = g[idx] + 0.5

    def plant(a):
        a = a.copy()
        a[idx] = planted
        return a

    check = gradcheck(with_bug(loss_fn, k, plant), params)[k]
    assert not check.passed
    assert check.worst_index == idx
    assert check.worst_analytic == planted
    assert check.worst_numerical == pytest.approx(g[idx], abs=1e-7)


def test_transposed_gradient_of_square_matrix_fails():
    rng = np.random.default_rng(2)
    W, x = rng.normal(size=(4, 4)), rng.normal(size=4)
    assert not gradcheck(with_bug(tanh_layer(W, x), 0, np.transpose), [W]).passed


# --------------------------------------------------------------- saturated tanh: no false alarm


def _saturated_layer():
    x = np.array([1.0, 0.5, -0.3, 2.0])
    W = np.array([[3.0, 2.0, -1.0, 2.5], [2.0, 4.0, 1.0, 3.0], [4.0, 1.0, 0.0, 2.5]])
    assert np.all(W @ x > 9)  # every unit deep in saturation: gradients ~ 1e-8
    return W, x


def _elementwise_relative_error(a, n):
    """The element-wise formula of many tutorials: max |a - n| / (|a| + |n| + 1e-8)."""
    return float(np.max(np.abs(a - n) / (np.abs(a) + np.abs(n) + 1e-8)))


def test_elementwise_formula_false_alarms_on_saturated_tanh_where_ours_passes():
    W, x = _saturated_layer()
    loss = tanh_layer(W, x)
    analytic = loss([W])[1][0]
    # the numerical gradient exactly as gradcheck forms it (central, h = cbrt(eps) max(1, |w|))
    numerical = np.empty_like(W)
    for idx in np.ndindex(W.shape):
        w = W[idx]
        h = (w + np.cbrt(np.finfo(float).eps) * max(1.0, abs(w))) - w
        Wp, Wm = W.copy(), W.copy()
        Wp[idx], Wm[idx] = w + h, w - h
        numerical[idx] = (loss([Wp])[0] - loss([Wm])[0]) / (2 * h)
    assert _elementwise_relative_error(analytic, numerical) > 1e-4  # "your gradient is wrong"
    assert gradcheck(loss, [W]).passed  # it is not


def test_saturated_tanh_with_wrong_sign_is_still_caught():
    W, x = _saturated_layer()
    assert not gradcheck(with_bug(tanh_layer(W, x), 0, lambda a: -a), [W]).passed


def test_tiny_gradients_of_a_correct_loss_pass():
    w = np.array([1e-10, -3e-11, 2e-12])
    assert gradcheck(lambda p: (float(np.sum(p[0] ** 2)) + 1.0, [2 * p[0]]), [w]).passed


# --------------------------------------------------------------- params are never mutated


@given(mlps(), st.booleans())
@SETTINGS
def test_params_are_bitwise_unchanged(model, buggy):
    loss_fn, params = model
    before = [p.copy() for p in params]
    gradcheck(with_bug(loss_fn, 0, lambda a: -a) if buggy else loss_fn, params)
    for p, b in zip(params, before, strict=False):
        assert np.array_equal(p, b) and p.dtype == b.dtype


def test_params_are_restored_when_loss_fn_raises_midway():
    w = np.array([1.0, 2.0, 3.0])
    calls = []

    def loss(params):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("boom")
        return float(np.sum(params[0] ** 2)), [2 * params[0]]

    with pytest.raises(RuntimeError, match="boom"):
        gradcheck(loss, [w])
    np.testing.assert_array_equal(w, [1.0, 2.0, 3.0])


def test_loss_fn_that_modifies_params_is_reported_and_undone():
    w = np.array([1.0, 2.0])

    def sneaky(params):
        params[0] *= 1.0000001  # e.g. an optimiser step left inside the loss
        return float(np.sum(params[0])), [np.ones(2)]

    with pytest.raises(ValueError, match="modified params\\[0\\] in place"):
        gradcheck(sneaky, [w])
    np.testing.assert_array_equal(w, [1.0, 2.0])


def test_loss_sees_one_perturbed_entry_at_a_time():
    w = np.array([[0.5, -1.0], [2.0, 0.25]])
    original = w.copy()
    seen = []

    def loss(params):
        seen.append(int(np.sum(params[0] != original)))
        return float(np.sum(params[0] ** 3)), [3 * params[0] ** 2]

    gradcheck(loss, [w])
    assert seen[0] == 0 and set(seen[1:]) == {1} and len(seen) == 1 + 2 * w.size


# --------------------------------------------------------------- gradient sources


def test_grads_argument_is_used():
    w = np.array([1.0, -2.0])
    assert gradcheck(lambda p: float(p[0] @ p[0]), [w], grads=[2 * w]).passed
    assert not gradcheck(lambda p: float(p[0] @ p[0]), [w], grads=[w]).passed


def test_grad_fn_is_used():
    w = np.array([1.0, -2.0])
    assert gradcheck(lambda p: float(p[0] @ p[0]), [w], grad_fn=lambda p: [2 * p[0]]).passed


def test_grads_take_precedence_over_returned_grads():
    w = np.array([1.0, -2.0])
    loss = lambda p: (float(p[0] @ p[0]), [np.zeros(2)])  # noqa: E731
    assert gradcheck(loss, [w], grads=[2 * w]).passed


def test_single_array_params_are_accepted():
    w = np.array([0.3, 0.7])
    report = gradcheck(lambda v: (float(np.sum(np.sin(v))), np.cos(v)), w)
    assert report.passed and report[0].name == "params"


def test_grads_and_grad_fn_together_are_refused():
    w = np.ones(2)
    with pytest.raises(ValueError, match="not both"):
        gradcheck(lambda p: float(np.sum(p[0])), [w], grads=[w], grad_fn=lambda p: [w])


def test_missing_analytic_gradients_are_refused():
    with pytest.raises(ValueError, match="no analytic gradients"):
        gradcheck(lambda p: float(np.sum(p[0])), [np.ones(2)])


def test_returned_gradients_are_copied_before_perturbing():
    # a loss that reuses one gradient buffer: the first result must not be overwritten
    w = np.array([1.0, 2.0])
    buffer = np.zeros(2)

    def loss(params):
        buffer[:] = 2 * params[0]
        return float(params[0] @ params[0]), [buffer]

    assert gradcheck(loss, [w]).passed


# --------------------------------------------------------------- refusals


def test_float32_params_are_refused_with_an_explanation():
    with pytest.raises(TypeError, match="float32.*float64.*round-off"):
        gradcheck(lambda p: float(np.sum(p[0])), [np.ones(3, dtype=np.float32)], grads=[np.ones(3)])


def test_float32_grads_are_refused():
    with pytest.raises(TypeError, match="float32"):
        gradcheck(lambda p: float(np.sum(p[0])), [np.ones(3)], grads=[np.ones(3, dtype=np.float32)])


def test_non_array_params_are_refused():
    with pytest.raises(TypeError, match="float64 NumPy array"):
        gradcheck(lambda p: 0.0, [[1.0, 2.0]], grads=[[0.0, 0.0]])


def test_gradient_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="shape"):
        gradcheck(lambda p: float(np.sum(p[0])), [np.ones((2, 3))], grads=[np.ones((3, 2))])


def test_gradient_count_mismatch_is_refused():
    with pytest.raises(ValueError, match="1 entries but there are 2"):
        gradcheck(lambda p: 0.0, [np.ones(2), np.ones(2)], grads=[np.ones(2)])


def test_non_scalar_loss_is_refused():
    with pytest.raises(ValueError, match="must return a scalar"):
        gradcheck(lambda p: p[0] ** 2, [np.ones(2)], grads=[np.ones(2)])


def test_non_finite_loss_names_the_perturbed_entry():
    w = np.array([1.0, 1e-9])
    with (
        pytest.raises(ValueError, match=r"returned nan at w\[1\]"),
        np.errstate(invalid="ignore"),
    ):
        gradcheck(
            lambda p: float(np.sum(np.sqrt(p[0]))), [w], grads=[np.ones(2)], names=["w"], h=1e-6
        )


@pytest.mark.parametrize("kwargs", [{"rtol": 0.0}, {"h": -1.0}, {"atol": -1e-9}])
def test_bad_tolerances_are_refused(kwargs):
    with pytest.raises(ValueError):
        gradcheck(lambda p: float(np.sum(p[0])), [np.ones(2)], grads=[np.ones(2)], **kwargs)


def test_names_must_match_params():
    with pytest.raises(ValueError, match="names has 1 entries"):
        gradcheck(lambda p: 0.0, [np.ones(2), np.ones(2)], grads=[np.zeros(2)] * 2, names=["a"])


# --------------------------------------------------------------- the report


def _report(passed_second=True):
    w, b = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([0.1, -0.4])

    def loss(p):
        w, b = p
        return float(np.sum(w**2) + np.sum(np.sin(b))), [
            2 * w,
            np.cos(b) if passed_second else -np.cos(b),
        ]

    return gradcheck(loss, [w, b], names=["weight", "bias"])


def test_report_has_name_shape_error_and_status_per_parameter():
    report = _report(passed_second=False)
    assert isinstance(report, GradcheckReport) and len(report) == 2
    weight, bias = report
    assert isinstance(weight, ParamCheck)
    assert (weight.name, weight.shape, weight.passed) == ("weight", (2, 2), True)
    assert (bias.name, bias.shape, bias.passed) == ("bias", (2,), False)
    assert not report.passed and report.failed == (bias,)
    assert report["bias"] is bias


def test_relative_error_is_norm_based():
    report = _report(passed_second=False)
    b = np.array([0.1, -0.4])
    a, n = -np.cos(b), np.cos(b)  # analytic (buggy) and the true derivative
    expected = np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))  # = 1
    assert report["bias"].rel_error == pytest.approx(expected, rel=1e-8)


def test_str_is_a_fixed_width_table():
    text = str(_report(passed_second=False))
    lines = text.splitlines()
    assert lines[0].startswith("gradcheck FAILED")
    assert "parameter" in lines[1] and "rel. error" in lines[1] and "worst at" in lines[1]
    rows = [line for line in lines if line.startswith(("weight", "bias"))]
    assert len(rows) == 2 and rows[0].rstrip().endswith("ok") and rows[1].rstrip().endswith("FAIL")
    # columns line up: "shape" starts at the same offset in the header and the rows
    col = lines[1].index("shape")
    assert rows[0][col:].startswith("(2, 2)") and rows[1][col:].startswith("(2,)")


def test_str_header_names_the_status_column():
    lines = str(_report(passed_second=False)).splitlines()
    assert lines[1].split()[-1] == "status"
    # the rule under the header has one dash run per column, status included
    assert len(lines[2].split()) == len(
        lines[1].replace("rel. error", "rel.error").replace("worst at", "worst_at").split()
    )


def test_html_report_is_a_table_with_a_row_per_parameter():
    page = _report(passed_second=False)._repr_html_()
    assert page.count("<tr>") == 3 and "<table>" in page and "FAIL" in page and "weight" in page


def test_html_escapes_parameter_names():
    w = np.ones(2)
    page = gradcheck(
        lambda p: float(np.sum(p[0])), [w], grads=[np.ones(2)], names=["<W>"]
    )._repr_html_()
    assert "&lt;W&gt;" in page and "<W>" not in page


def test_raise_if_failed_raises_assertion_error_with_the_table():
    with pytest.raises(GradcheckError, match="bias") as info:
        _report(passed_second=False).raise_if_failed()
    assert isinstance(info.value, AssertionError) and "rel. error" in str(info.value)


def test_raise_if_failed_returns_the_report_when_passing():
    report = _report()
    assert report.raise_if_failed() is report


# --------------------------------------------------------------- check_value_graph


def test_value_graph_of_correct_engine_passes():
    def f(v):
        x, y, z = v
        return (x * y + z.exp()).tanh() + (x / (1 + y * y)) ** 2 + (z * x).sigmoid() + y.softplus()

    report = check_value_graph(f, [0.3, -1.2, 0.7])
    assert (
        report.passed and len(report) == 3 and [c.name for c in report] == ["x[0]", "x[1]", "x[2]"]
    )


@given(st.lists(st.floats(-2, 2, allow_subnormal=False), min_size=1, max_size=5))
@SETTINGS
def test_value_graph_of_polynomials_and_shared_nodes_passes(xs):
    def f(v):
        s = v[0] * 0 + 1.0
        for x in v:
            s = s * (x + 1.5) + x * x  # every leaf used several times
        return s

    assert check_value_graph(f, xs).passed


def test_value_graph_with_a_detached_node_fails():
    # a bug: the square is rebuilt from .data, so the engine sees a constant
    from utils.autograd import Value

    def f(v):
        x, y = v
        return Value(x.data**2) + x * y

    report = check_value_graph(f, [1.5, 2.0], names=["x", "y"])
    assert not report["x"].passed and report["y"].passed
    assert report["x"].worst_analytic == pytest.approx(2.0) and report[
        "x"
    ].worst_numerical == pytest.approx(5.0)


def test_value_graph_with_half_detached_product_fails():
    def f(v):
        (x,) = v
        return x * x.data  # one factor treated as a constant: half the gradient

    assert not check_value_graph(f, [3.0]).passed


def test_value_graph_uses_fresh_leaves_so_old_grads_do_not_leak():
    seen = []

    def f(v):
        seen.append([leaf.grad for leaf in v])
        return v[0] * v[0]

    check_value_graph(f, [2.0])
    assert all(g == [0.0] for g in seen)


def test_value_graph_refuses_f_returning_a_float():
    with pytest.raises(TypeError, match="must return a Value"):
        check_value_graph(lambda v: v[0].data * 2, [1.0])


def test_value_graph_refuses_non_finite_inputs():
    with pytest.raises(ValueError, match="finite"):
        check_value_graph(lambda v: v[0] * 2, [math.nan])


def test_value_graph_refuses_empty_inputs():
    with pytest.raises(ValueError, match="empty"):
        check_value_graph(lambda v: v, [])


# --------------------------------------------------------------- directional and coordinate checks

from utils.gradcheck import DirectionalCheck, coordinate_check, directional_check  # noqa: E402


def quadratic_form(A):
    """L(w) = w^T A w / 2, whose gradient is (A + A^T) w / 2 (not A w unless A is symmetric)."""
    return lambda p: float(0.5 * p[0] @ A @ p[0])


A_NONSYM = np.array([[2.0, 1.0, 0.0], [-1.0, 3.0, 0.5], [0.0, 2.0, 1.0]])
W_POINT = np.array([0.3, -1.2, 0.7])


def test_directional_check_passes_the_analytic_gradient_of_a_quadratic_form():
    w = W_POINT.copy()
    grad = 0.5 * (A_NONSYM + A_NONSYM.T) @ w
    result = directional_check(quadratic_form(A_NONSYM), [w], grads=[grad])
    assert isinstance(result, DirectionalCheck) and result.passed


def test_directional_check_numerical_value_is_the_directional_derivative():
    w, v = W_POINT.copy(), np.array([1.0, 0.0, -2.0])
    exact = float(0.5 * (A_NONSYM + A_NONSYM.T) @ w @ v)
    result = directional_check(quadratic_form(A_NONSYM), [w], grads=[np.zeros(3)], direction=[v])
    assert result.numerical == pytest.approx(exact, rel=1e-9)
    assert result.analytic == 0.0


def test_directional_check_fails_the_unsymmetrised_gradient():
    w = W_POINT.copy()
    assert not directional_check(quadratic_form(A_NONSYM), [w], grads=[A_NONSYM @ w]).passed


def test_directional_check_is_blind_to_errors_orthogonal_to_the_direction():
    # the error (A - A^T) w / 2 of the classic bug is orthogonal to w itself
    w = W_POINT.copy()
    blind = directional_check(quadratic_form(A_NONSYM), [w], grads=[A_NONSYM @ w], direction=[w])
    assert blind.passed


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_directional_check_catches_a_sign_error_along_any_random_direction(seed):
    W, b = np.array([[0.5, -1.0], [2.0, 0.3]]), np.array([0.1, -0.2])
    x = np.array([1.0, -0.5])

    def loss(p):
        W, b = p
        t = np.tanh(W @ x + b)
        return float(np.sum(t)), [np.outer(1 - t**2, x), -(1 - t**2)]  # sign bug in b

    assert not directional_check(loss, [W, b], seed=seed).passed


def test_directional_check_restores_the_parameters_bit_for_bit():
    w = np.array([0.1, 1e-7, -3.3])
    before = w.copy()
    directional_check(lambda p: float(np.sum(np.sin(p[0]))), [w], grads=[np.cos(w)])
    assert np.array_equal(w, before)


def test_directional_check_default_direction_is_reproducible_from_the_seed():
    w = W_POINT.copy()
    g = [A_NONSYM @ w]
    first = directional_check(quadratic_form(A_NONSYM), [w], grads=g, seed=3)
    again = directional_check(quadratic_form(A_NONSYM), [w], grads=g, seed=3)
    assert first == again


def test_directional_check_refuses_a_zero_direction():
    with pytest.raises(ValueError, match="direction must not be zero"):
        directional_check(
            quadratic_form(A_NONSYM), [W_POINT.copy()], grads=[np.zeros(3)], direction=[np.zeros(3)]
        )


def test_directional_check_refuses_a_direction_of_the_wrong_shape():
    with pytest.raises(ValueError, match="direction"):
        directional_check(
            quadratic_form(A_NONSYM), [W_POINT.copy()], grads=[np.zeros(3)], direction=[np.zeros(2)]
        )


def test_directional_check_refuses_float32_parameters():
    with pytest.raises(TypeError, match="float64"):
        directional_check(lambda p: 0.0, [np.ones(2, np.float32)], grads=[np.zeros(2)])


def test_directional_check_refuses_a_negative_seed():
    with pytest.raises(ValueError, match="seed"):
        directional_check(quadratic_form(A_NONSYM), [W_POINT.copy()], grads=[np.zeros(3)], seed=-1)


def test_coordinate_check_passes_a_correct_gradient_on_the_sample():
    W = np.linspace(-1, 1, 12).reshape(3, 4)
    report = coordinate_check(
        lambda p: float(np.sum(np.sin(p[0]))), [W], grads=[np.cos(W)], samples=5, names=["W"]
    )
    assert report.passed and report["W"].shape == (3, 4)


def test_coordinate_check_reports_the_wrong_entry_by_its_index_in_the_parameter():
    W = np.linspace(-1, 1, 12).reshape(3, 4)
    wrong = np.cos(W)
    wrong[2, 1] *= -1
    report = coordinate_check(
        lambda p: float(np.sum(np.sin(p[0]))), [W], grads=[wrong], samples=12, names=["W"]
    )
    assert not report.passed
    assert report["W"].worst_index == (2, 1)
    assert report["W"].worst_analytic == pytest.approx(-math.cos(W[2, 1]))


def test_coordinate_check_can_miss_a_single_wrong_entry_outside_its_sample():
    W = np.linspace(-1, 1, 100)
    wrong = np.cos(W)
    wrong[37] = 0.0
    misses = sum(
        coordinate_check(
            lambda p: float(np.sum(np.sin(p[0]))), [W], grads=[wrong], samples=5, seed=s
        ).passed
        for s in range(40)
    )
    assert 0 < misses < 40  # probability of a miss: 1 - 5/100


def test_coordinate_check_handles_a_zero_dimensional_parameter():
    c = np.array(0.7)
    report = coordinate_check(lambda p: float(np.exp(p[0])), [c], grads=[np.exp(c)])
    assert report.passed and report[0].worst_index == ()


def test_coordinate_check_restores_the_parameters_bit_for_bit():
    W = np.array([[0.1, 1e-7], [-3.3, 2.0]])
    before = W.copy()
    coordinate_check(lambda p: float(np.sum(p[0] ** 3)), [W], grads=[3 * W**2], samples=3)
    assert np.array_equal(W, before)


def test_coordinate_check_refuses_zero_samples():
    with pytest.raises(ValueError, match="samples"):
        coordinate_check(lambda p: 0.0, [np.ones(2)], grads=[np.zeros(2)], samples=0)


# ------------------------------------------- one argument handling for every check


def _sneaky_loss(params):
    params[0] *= 1.0000001  # e.g. an optimiser step left inside the loss
    return float(np.sum(params[0] ** 2)), [2 * params[0]]


@pytest.mark.parametrize("check", [gradcheck, directional_check, coordinate_check])
def test_every_check_reports_and_undoes_a_loss_fn_that_modifies_params(check):
    w = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="modified params\\[0\\] in place"):
        check(_sneaky_loss, [w])
    np.testing.assert_array_equal(w, [1.0, 2.0])


def test_coordinate_check_reports_a_loss_fn_that_modifies_params_only_when_perturbed():
    w = np.array([1.0, 2.0, 3.0])
    calls = []

    def loss(params):
        calls.append(1)
        if len(calls) == 3:  # during the comparison, not the first call
            params[0][2] = 7.0
        return float(np.sum(params[0] ** 2)), [2 * params[0]]

    with pytest.raises(ValueError, match="modified params\\[0\\] in place"):
        coordinate_check(loss, [w], samples=3)
    np.testing.assert_array_equal(w, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("check", [gradcheck, directional_check, coordinate_check])
def test_every_check_rejects_a_grad_fn_that_is_not_callable(check):
    w = np.array([1.0, 2.0])
    with pytest.raises(TypeError, match="grad_fn"):
        check(lambda p: float(np.sum(p[0] ** 2)), [w], grad_fn="2 w")


def test_directional_check_undoes_a_loss_fn_that_modifies_params_and_says_so():
    w = np.array([1.0, 2.0])

    def sneaky(params):
        params[0][0] += 1.0  # e.g. an optimiser step left inside the loss
        return float(params[0] @ params[0])

    with pytest.raises(ValueError, match=r"modified params\[0\] in place.*have been restored"):
        directional_check(sneaky, [w], grads=[2 * w])
    np.testing.assert_array_equal(w, [1.0, 2.0])


def test_coordinate_check_reports_and_undoes_a_loss_fn_that_modifies_params_when_perturbed():
    w = np.array([1.0, 2.0])

    def sneaky_when_perturbed(params):
        if params[0][0] != 1.0:  # only at the perturbed points, not at the given params
            params[0][1] = 5.0
        return float(params[0] @ params[0])

    with pytest.raises(ValueError, match=r"modified params\[0\] in place.*have been restored"):
        coordinate_check(sneaky_when_perturbed, [w], grads=[2 * w], samples=2)
    np.testing.assert_array_equal(w, [1.0, 2.0])


def test_directional_check_reports_a_loss_that_overflows_at_a_huge_step_without_a_warning():
    w = np.array([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"returned inf at theta \+ h v"):
            directional_check(lambda p: float(np.sum(p[0] ** 2)), [w], grads=[2 * w], h=1e308)
