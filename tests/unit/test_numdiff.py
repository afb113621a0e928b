"""Tests of utils.numdiff: finite differences, optimal steps, gradients and Jacobians.

Expected values come from analytic formulas (derivatives of polynomials, sin,
exp; the exact finite-difference quotients of polynomials) and from the
float64 constants in ``np.finfo``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from utils.numdiff import (
    SCHEMES,
    backward_difference,
    central_difference,
    central_pairs,
    derivative,
    forward_difference,
    numerical_gradient,
    numerical_jacobian,
    optimal_step,
    step_errors,
)

EPS = np.finfo(np.float64).eps
finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


# --------------------------------------------------------------- scalar schemes


def test_forward_difference_of_square_is_2x_plus_h():
    # ((x+h)^2 - x^2) / h = 2x + h exactly; h = 0.5 and x = 3 are exact in binary
    assert forward_difference(lambda t: t * t, 3.0, h=0.5) == 6.5


def test_backward_difference_of_square_is_2x_minus_h():
    assert backward_difference(lambda t: t * t, 3.0, h=0.5) == 5.5


def test_central_difference_of_cube_is_3x2_plus_h2():
    # ((x+h)^3 - (x-h)^3) / (2h) = 3x^2 + h^2
    assert central_difference(lambda t: t**3, 2.0, h=0.25) == pytest.approx(
        12.0 + 0.0625, rel=1e-15
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_derivative_of_sin_matches_cos_at_default_step(scheme):
    tol = 1e-7 if scheme != "central" else 1e-10
    assert derivative(math.sin, 0.7, scheme=scheme) == pytest.approx(math.cos(0.7), abs=tol)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_default_step_is_optimal_step(scheme):
    x = -3.7
    assert derivative(math.exp, x, scheme) == derivative(
        math.exp, x, scheme, h=optimal_step(scheme, x)
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_identity_has_derivative_exactly_one_thanks_to_representable_step(scheme):
    # Dividing by the nominal h would give ((0.1 + 1e-7) - 0.1) / 1e-7 != 1.
    assert ((0.1 + 1e-7) - 0.1) / 1e-7 != 1.0
    assert derivative(lambda t: t, 0.1, scheme, h=1e-7) == 1.0


def test_step_below_float_spacing_raises_and_names_the_spacing():
    with pytest.raises(ValueError, match="too small.*spacing"):
        central_difference(math.sin, 2.0, h=1e-16)


def test_derivative_rejects_unknown_scheme():
    with pytest.raises(ValueError, match="scheme"):
        derivative(math.sin, 1.0, scheme="sideways")


# --------------------------------------------------------------- optimal step


def test_optimal_step_one_sided_is_sqrt_eps():
    assert optimal_step("forward") == pytest.approx(math.sqrt(EPS), rel=1e-15)
    assert optimal_step("backward") == pytest.approx(math.sqrt(EPS), rel=1e-15)


def test_optimal_step_central_is_cbrt_eps():
    assert optimal_step("central") == pytest.approx(EPS ** (1 / 3), rel=1e-14)


def test_optimal_step_scales_with_abs_x_above_one_only():
    assert optimal_step("central", 0.01) == optimal_step("central", 1.0)
    assert optimal_step("central", -50.0) == pytest.approx(50 * optimal_step("central"), rel=1e-15)


@pytest.mark.parametrize(
    "f, df, d2, d3",
    [
        (math.sin, math.cos, lambda t: -math.sin(t), lambda t: -math.cos(t)),
        (lambda t: t**3, lambda t: 3 * t * t, lambda t: 6 * t, lambda t: 6.0),
    ],
    ids=["sin", "cube"],
)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_error_at_optimal_step_is_within_the_truncation_plus_round_off_bound(scheme, f, df, d2, d3):
    x = 2.0
    h = optimal_step(scheme, x)
    F = max(abs(f(x - h)), abs(f(x)), abs(f(x + h)))
    if scheme == "central":  # M3 h^2 / 6 + eps |f| / h
        bound = abs(d3(x)) * h * h / 6 * 1.01 + EPS * F / h
    else:  # M2 h / 2 + 2 eps |f| / h
        bound = abs(d2(x)) * h / 2 * 1.01 + 2 * EPS * F / h
    assert abs(derivative(f, x, scheme) - df(x)) <= bound


@pytest.mark.parametrize("scheme", SCHEMES)
def test_error_grows_on_both_sides_of_the_optimal_step(scheme):
    h = optimal_step(scheme, 2.0)
    small, opt, big = step_errors(np.sin, np.cos, 2.0, [h / 100, h, h * 100], scheme)
    assert opt < small and opt < big


# --------------------------------------------------------------- step_errors


@pytest.mark.parametrize("scheme", SCHEMES)
def test_step_errors_equal_derivative_errors_point_by_point(scheme):
    hs = np.logspace(-6, -1, 11)
    errs = step_errors(math.sin, math.cos, 1.3, hs, scheme)
    expected = [abs(derivative(math.sin, 1.3, scheme, h=h) - math.cos(1.3)) for h in hs]
    np.testing.assert_array_equal(errs, expected)


def test_step_errors_vectorised_and_pointwise_paths_agree():
    hs = np.logspace(-6, -1, 11)
    vec = step_errors(np.sin, np.cos, 1.3, hs, "central")
    loop = step_errors(lambda t: math.sin(t), math.cos, 1.3, hs, "central")
    np.testing.assert_allclose(vec, loop, rtol=0, atol=1e-9)


def test_step_errors_calls_an_array_function_once_per_side():
    calls = []

    def f(t):
        calls.append(np.shape(t))
        return np.exp(t)

    step_errors(f, math.exp, 0.5, np.logspace(-8, -1, 30), "central")
    assert calls == [(60,)]


def test_step_errors_accepts_derivative_value_or_function():
    hs = [1e-3, 1e-2]
    np.testing.assert_array_equal(
        step_errors(np.sin, math.cos(1.0), 1.0, hs), step_errors(np.sin, np.cos, 1.0, hs)
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_step_errors_emits_no_warnings_over_the_full_range(scheme):
    hs = np.logspace(-15, 0, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        errs = step_errors(
            lambda t: 1 / (1 + np.exp(-t)), lambda t: 0.25 / np.cosh(t / 2) ** 2, 1.0, hs, scheme
        )
    assert np.all(np.isfinite(errs))


def test_step_errors_slope_is_one_for_forward_and_two_for_central():
    hs = np.logspace(-4, -2, 9)
    for scheme, order in [("forward", 1), ("central", 2)]:
        errs = step_errors(np.exp, np.exp, 0.3, hs, scheme)
        slope = np.polyfit(np.log(hs), np.log(errs), 1)[0]
        assert slope == pytest.approx(order, abs=0.02)


def test_step_errors_names_the_first_too_small_step():
    with pytest.raises(ValueError, match="h = 1e-17 is too small"):
        step_errors(np.sin, np.cos, 1.0, [1e-3, 1e-17, 1e-18])


def test_step_errors_rejects_nonpositive_steps():
    with pytest.raises(ValueError, match="hs must be positive"):
        step_errors(np.sin, np.cos, 1.0, [1e-3, 0.0])


def test_step_errors_rejects_two_dimensional_steps():
    with pytest.raises(ValueError, match="1-D"):
        step_errors(np.sin, np.cos, 1.0, np.ones((2, 2)) * 1e-3)


def test_step_errors_reports_overflow_of_f_as_value_error_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"f \(exp\) returned inf"):
            step_errors(np.exp, np.exp, 2.0, [1e-3, 1e3], "forward")


# --------------------------------------------------------------- validation


def test_non_callable_f_raises_type_error():
    with pytest.raises(TypeError, match="f must be callable"):
        derivative(3.0, 1.0)


@pytest.mark.parametrize("h", [0.0, -1e-3, float("nan"), float("inf")])
def test_non_positive_or_non_finite_step_raises_value_error(h):
    with pytest.raises(ValueError, match="h must be"):
        central_difference(math.sin, 1.0, h=h)


def test_step_of_wrong_type_raises_type_error():
    with pytest.raises(TypeError, match="h must be a real number"):
        central_difference(math.sin, 1.0, h="small")


@pytest.mark.parametrize("x", [float("nan"), float("inf")])
def test_non_finite_point_raises_value_error(x):
    with pytest.raises(ValueError, match="x must be finite"):
        forward_difference(math.sin, x)


def test_float32_scalar_point_is_refused():
    with pytest.raises(TypeError, match="float64"):
        central_difference(np.sin, np.float32(1.0))


def test_f_returning_nan_raises_naming_f_and_point():
    def logarithm(t):
        return np.log(t)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"logarithm.*nan.*x = -"):
            central_difference(logarithm, 0.0, h=1e-3)


def test_f_returning_non_number_raises_type_error():
    with pytest.raises(TypeError, match="real number"):
        central_difference(lambda t: "one", 1.0)


# --------------------------------------------------------------- gradients


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 2)])
def test_numerical_gradient_matches_analytic_gradient_for_any_shape(shape):
    x = np.linspace(-2.0, 2.0, int(np.prod(shape))).reshape(shape)
    g = numerical_gradient(lambda w: np.sum(w * np.sin(w)), x)
    assert g.shape == shape
    np.testing.assert_allclose(g, np.sin(x) + x * np.cos(x), rtol=0, atol=1e-9)


def test_numerical_gradient_does_not_mutate_callers_array():
    x = np.array([[0.1, -0.2], [1e-3, 5.0]])
    before = x.copy()
    numerical_gradient(lambda w: float(np.sum(w**3)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_perturbs_one_entry_at_a_time_and_restores_it():
    x = np.array([0.3, -1.7, 2.0 / 3.0, 1e5])
    seen = []

    def f(w):
        seen.append(w.copy())
        return float(np.sum(w))

    numerical_gradient(f, x)
    for k, w in enumerate(seen):
        changed = np.flatnonzero(w != x)
        assert changed.tolist() == [k // 2]  # exactly the entry being differentiated


def test_numerical_gradient_accepts_integer_input():
    g = numerical_gradient(lambda w: float(w @ w), [1, 2, 3])
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0], atol=1e-9)


def test_numerical_gradient_refuses_float32():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda w: float(np.sum(w)), np.ones(3, dtype=np.float32))


def test_numerical_gradient_refuses_non_finite_point():
    with pytest.raises(ValueError, match="finite"):
        numerical_gradient(lambda w: float(np.sum(w)), np.array([1.0, np.nan]))


def test_numerical_gradient_raises_when_f_is_not_scalar():
    with pytest.raises(ValueError, match="must return a scalar"):
        numerical_gradient(lambda w: w**2, np.ones(3))


def test_numerical_gradient_raises_naming_the_perturbed_entry_when_f_is_not_finite():
    with pytest.raises(ValueError, match=r"returned nan at x\[1\]"):
        numerical_gradient(lambda w: float(np.sum(np.sqrt(w))), np.array([1.0, 0.0]), h=1e-4)


@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), elements=finite)
)
@settings(max_examples=40, deadline=None)
def test_numerical_gradient_of_quadratic_form_is_exact_to_round_off(x):
    # f(x) = sum(c * x**2) + sum(x); gradient 2 c x + 1, central difference exact
    c = np.arange(1, x.size + 1, dtype=np.float64).reshape(x.shape) / 4
    g = numerical_gradient(lambda w: float(np.sum(c * w * w) + np.sum(w)), x)
    scale = float(np.sum(c * (np.abs(x) + 1) ** 2) + np.sum(np.abs(x)) + 1)
    atol = 50 * EPS * scale / (EPS ** (1 / 3))
    np.testing.assert_allclose(g, 2 * c * x + 1, rtol=0, atol=atol)


# --------------------------------------------------------------- Jacobians


def test_jacobian_of_linear_map_is_its_matrix():
    A = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
    np.testing.assert_allclose(
        numerical_jacobian(lambda v: A @ v, np.array([0.2, -1.0, 4.0])), A, atol=1e-9
    )


def test_jacobian_shape_is_output_shape_plus_input_shape():
    J = numerical_jacobian(lambda M: M.T, np.arange(6.0).reshape(2, 3))
    assert J.shape == (3, 2, 2, 3)
    expected = np.zeros((3, 2, 2, 3))
    for i in range(3):
        for j in range(2):
            expected[i, j, j, i] = 1.0  # d (M.T)[i, j] / d M[j, i]
    np.testing.assert_allclose(J, expected, atol=1e-9)


def test_jacobian_as_matrix_is_row_major_flattening():
    x = np.arange(6.0).reshape(2, 3) / 7
    J = numerical_jacobian(lambda M: np.sin(M).T, x)
    J2 = numerical_jacobian(lambda M: np.sin(M).T, x, as_matrix=True)
    assert J2.shape == (6, 6)
    np.testing.assert_array_equal(J2, J.reshape(6, 6))


def test_jacobian_of_elementwise_function_is_diagonal_of_its_derivative():
    x = np.array([-1.0, 0.3, 2.0])
    J = numerical_jacobian(np.tanh, x)
    np.testing.assert_allclose(J, np.diag(1 - np.tanh(x) ** 2), atol=1e-10)


def test_jacobian_of_scalar_function_is_the_gradient():
    x = np.array([[0.5, -1.0], [2.0, 0.1]])
    f = lambda w: float(np.sum(np.exp(w)))  # noqa: E731
    np.testing.assert_array_equal(numerical_jacobian(f, x), numerical_gradient(f, x))


def test_jacobian_raises_when_output_shape_changes():
    with pytest.raises(ValueError, match="shape"):
        numerical_jacobian(lambda v: v[v > 0.5], np.array([0.5, 1.0]), h=1e-3)


def test_jacobian_does_not_mutate_callers_array():
    x = np.array([1.0, 2.0])
    before = x.copy()
    numerical_jacobian(lambda v: v * 3, x)
    np.testing.assert_array_equal(x, before)


def test_jacobian_copies_outputs_that_alias_the_argument():
    x = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(numerical_jacobian(lambda v: v, x), np.eye(3), atol=1e-9)


# --------------------------------------------------------------- properties


@given(a=st.floats(-5, 5), b=st.floats(-5, 5), x=st.floats(-3, 3), scheme=st.sampled_from(SCHEMES))
@settings(max_examples=60, deadline=None)
def test_numerical_derivative_is_linear_to_round_off(a, b, x, scheme):
    f, g = math.sin, math.exp
    lhs = derivative(lambda t: a * f(t) + b * g(t), x, scheme)
    rhs = a * derivative(f, x, scheme) + b * derivative(g, x, scheme)
    h = optimal_step(scheme, x)
    # each side's rounding is a few eps times the function values, divided by h
    tol = 10 * EPS * (abs(a) * 1.0 + abs(b) * math.exp(abs(x) + 1) + 1) / h
    assert abs(lhs - rhs) <= tol


@given(
    a=st.floats(-10, 10, allow_subnormal=False),
    b=st.floats(-10, 10, allow_subnormal=False),
    c=st.floats(-10, 10, allow_subnormal=False),
    x=st.floats(-10, 10),
    h=st.floats(1e-3, 1.0),
)
@settings(max_examples=80, deadline=None)
def test_central_difference_is_exact_for_quadratics_up_to_round_off(a, b, c, x, h):
    est = central_difference(lambda t: (a * t + b) * t + c, x, h=h)
    size = abs(a) * (abs(x) + h) ** 2 + abs(b) * (abs(x) + h) + abs(c)
    assert abs(est - (2 * a * x + b)) <= 10 * EPS * size / h + 10 * EPS * abs(2 * a * x + b)


@given(x=st.floats(-2, 2), h=st.floats(1e-4, 1e-2), scheme=st.sampled_from(["forward", "backward"]))
@settings(max_examples=40, deadline=None)
def test_one_sided_error_halves_when_h_halves(x, h, scheme):
    # truncation regime for exp: error ~ e^x h / 2 >> round-off ~ eps e^x / h
    e1 = abs(derivative(math.exp, x, scheme, h=h) - math.exp(x))
    e2 = abs(derivative(math.exp, x, scheme, h=h / 2) - math.exp(x))
    assert e1 / e2 == pytest.approx(2.0, abs=0.02)


@given(x=st.floats(-2, 2), h=st.floats(1e-3, 5e-2))
@settings(max_examples=40, deadline=None)
def test_central_error_quarters_when_h_halves(x, h):
    e1 = abs(central_difference(math.exp, x, h=h) - math.exp(x))
    e2 = abs(central_difference(math.exp, x, h=h / 2) - math.exp(x))
    assume(e2 > 0)
    assert e1 / e2 == pytest.approx(4.0, abs=0.02)


# --------------------------------------------------------------- central_pairs


def test_central_pairs_visits_every_entry_in_row_major_order():
    x = np.zeros((2, 3))
    indices = [idx for idx, _, _, _ in central_pairs(x, lambda where: 0.0, h=0.5)]
    assert indices == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]


def test_central_pairs_evaluates_at_x_plus_h_then_x_minus_h():
    x = np.array([1.0, 4.0])  # 1 +- 0.5 and 4 +- 0.5 are exact in binary
    seen = []
    list(central_pairs(x, lambda where: seen.append(x.copy()), h=0.5))
    expected = [[1.5, 4.0], [0.5, 4.0], [1.0, 4.5], [1.0, 3.5]]
    assert [s.tolist() for s in seen] == expected


def test_central_pairs_yields_both_values_and_the_distance_2h():
    x = np.array([3.0])
    ((idx, plus, minus, dist),) = central_pairs(x, lambda where: float(x[0] ** 2), h=0.25)
    assert (idx, plus, minus, dist) == ((0,), 3.25**2, 2.75**2, 0.5)


def test_central_pairs_differences_give_the_gradient_of_a_quadratic():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = np.empty_like(w)
    for idx, fp, fm, dist in central_pairs(w, lambda where: float(np.sum(w**2)), h=1e-3):
        grad[idx] = (fp - fm) / dist
    np.testing.assert_allclose(grad, 2 * np.array([[1.0, -2.0], [0.5, 3.0]]), rtol=1e-12)


def test_central_pairs_restores_the_array_bit_for_bit():
    x = np.array([0.1, -1e-300, 7.3e12, 1.0 / 3.0])
    original = x.copy()
    list(central_pairs(x, lambda where: 0.0))
    assert np.array_equal(x.view(np.int64), original.view(np.int64))


def test_central_pairs_restores_the_entry_when_evaluate_raises():
    x = np.array([1.0, 2.0])

    def evaluate(where):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        list(central_pairs(x, evaluate))
    assert x.tolist() == [1.0, 2.0]


def test_central_pairs_perturbs_a_view_in_its_base_array():
    base = np.zeros((2, 4))
    view = base[:, 1::2]
    touched = []
    list(central_pairs(view, lambda where: touched.append(np.argwhere(base != 0).tolist()), h=1.0))
    assert touched[:2] == [[[0, 1]], [[0, 1]]]
    assert not base.any()


def test_central_pairs_where_names_the_entry_and_the_point():
    x = np.array([[1.0, 2.0]])
    wheres = []
    list(central_pairs(x, wheres.append, h=0.5, name="W"))
    assert wheres[:2] == ["at W[0, 0] = 1.5", "at W[0, 0] = 0.5"]


def test_central_pairs_where_of_a_0d_array_is_its_name():
    x = np.array(2.0)
    wheres = []
    list(central_pairs(x, wheres.append, h=0.5, name="b"))
    assert wheres == ["at b = 2.5", "at b = 1.5"]


def test_central_pairs_step_that_rounds_away_names_the_entry():
    x = np.array([0.0, 1.0])
    with pytest.raises(ValueError, match=r"h = 1e-17 is too small at W\[1\] = 1.0"):
        list(central_pairs(x, lambda where: 0.0, h=1e-17, name="W"))


# ------------------------------------------------- property tests: bad input


@settings(max_examples=100, deadline=None)
@given(
    h=st.floats(min_value=9e307, max_value=1.7976931348623157e308),
    x=st.floats(min_value=-1e3, max_value=1e3),
)
def test_a_step_whose_central_span_overflows_is_blamed_on_h(h, x):
    with pytest.raises(ValueError, match=r"^h = .* is too large"):
        numerical_gradient(lambda v: float(np.sum(np.sin(v))), [x, 1.0], h=h)


@pytest.mark.parametrize(
    "scheme",
    [np.array("central"), np.array(["central"]), np.array([["forward", "central"], ["", "x"]])],
    ids=["0-d", "1-d", "2-d"],
)
def test_an_array_of_strings_as_scheme_is_refused_with_typeerror_naming_scheme(scheme):
    with pytest.raises(TypeError, match=r"^scheme must be one of"):
        optimal_step(scheme=scheme)


@settings(max_examples=100, deadline=None)
@given(
    scale=st.floats(min_value=1.0, max_value=1.7976931348623157e308),
    h=st.floats(min_value=1e-8, max_value=1e-2),
)
def test_a_difference_quotient_beyond_float64_raises_overflowerror_never_inf(scale, h):
    def f(t):  # finite everywhere, slope scale * 1e10 at 0
        return scale * math.tanh(1e10 * t)

    exact_quotient = 2.0 * scale * math.tanh(1e10 * h) / (2.0 * h)  # inf if it overflows
    try:
        estimate = central_difference(f, 0.0, h=h)
    except OverflowError:
        assert not math.isfinite(exact_quotient) or exact_quotient > 1e307
    else:
        assert math.isclose(estimate, exact_quotient, rel_tol=1e-9)


# --------------------------------------------------------------- the complex step

from utils.numdiff import complex_step  # noqa: E402


@pytest.mark.parametrize("x", [-2.0, 0.0, 0.5, 3.0])
def test_complex_step_matches_the_analytic_derivative_of_exp_sin_to_machine_precision(x):
    exact = math.exp(x) * (math.sin(x) + math.cos(x))
    got = complex_step(lambda z: np.exp(z) * np.sin(z), x)
    assert abs(got - exact) <= 4 * np.finfo(float).eps * max(1.0, abs(exact))


def test_complex_step_is_accurate_for_steps_far_below_the_float_spacing():
    # 1 + 1e-200 == 1 in float64, yet the complex step is exact: no subtraction
    assert complex_step(np.tanh, 1.0, h=1e-200) == pytest.approx(1 - math.tanh(1.0) ** 2, rel=1e-15)


def test_complex_step_truncation_error_is_h_squared_over_six_times_f_third():
    h = 1e-3  # f = sin: error -h^2/6 f'''(x) = +h^2/6 cos x
    err = complex_step(np.sin, 0.4, h=h) - math.cos(0.4)
    assert err == pytest.approx(h**2 / 6 * math.cos(0.4), rel=1e-4)


def test_complex_step_gradient_of_an_array_function():
    w = np.array([[0.5, -1.0], [2.0, 0.25]])
    got = complex_step(lambda z: np.sum(np.sin(z) * z), w)
    assert np.allclose(got, np.sin(w) + w * np.cos(w), rtol=1e-15, atol=1e-15)


def test_complex_step_returns_a_float_for_a_scalar_and_an_array_for_an_array():
    assert isinstance(complex_step(np.exp, 0.0), float)
    assert complex_step(lambda z: np.sum(np.exp(z)), np.zeros(3)).shape == (3,)


def test_complex_step_refuses_a_function_that_drops_the_imaginary_part():
    with pytest.raises(TypeError, match="real number for a complex input"):
        complex_step(lambda t: float(np.real(t)) ** 2, 1.0)


def test_complex_step_refuses_a_vector_valued_function():
    with pytest.raises(ValueError, match="must return a scalar, got an array of shape"):
        complex_step(lambda z: z * np.ones(2), np.zeros(2))


def test_complex_step_refuses_a_ragged_list_with_typeerror_naming_x():
    with pytest.raises(TypeError, match=r"^x must be an array of real numbers"):
        complex_step(lambda z: np.sum(z), [[1.0], [1.0, 2.0]])


def test_complex_step_refuses_a_non_positive_step():
    with pytest.raises(ValueError, match="h must be positive"):
        complex_step(np.sin, 0.0, h=0.0)


def test_complex_step_refuses_float32_points():
    with pytest.raises(TypeError, match="float64"):
        complex_step(lambda z: np.sum(z), np.ones(2, np.float32))


def test_complex_step_refuses_a_non_finite_value():
    with pytest.raises(ValueError, match="finite"):
        complex_step(lambda z: np.exp(1000.0 * z), 1.0)  # overflows
