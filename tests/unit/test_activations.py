"""Tests of utils.activations.

References: scipy.special (expit, erf, erfc, ndtr), math (tanh, cosh, erf,
erfc, exp, log1p), the defining formulas, and central differences from
utils.numdiff for the derivatives, and PyTorch's GELU in
tests/reference/activation_gelu.json (scripts/make_activation_reference.py).
"""

from __future__ import annotations

import json
import math
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from utils import activations as act
from utils.numdiff import central_difference

GRID = np.linspace(-8.0, 8.0, 161)
GELU_REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "activation_gelu.json"
SMOOTH = ["sigmoid", "tanh", "softplus", "gelu", "gelu_tanh", "gelu_sigmoid", "silu"]
KINKED = ["relu", "leaky_relu"]
ALL_FUNCTIONS = [f for pair in act.ACTIVATIONS.values() for f in pair]


def _gelu_ref(x):
    return x * special.ndtr(x)


def _gelu_tanh_ref(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


# --------------------------------------------------------------- erf


def test_erf_matches_math_erf_on_a_dense_grid():
    xs = np.concatenate(
        [np.linspace(-7, 7, 14001), np.logspace(-300, 1, 3000), -np.logspace(-300, 1, 3000)]
    )
    ref = np.array([math.erf(v) for v in xs])
    np.testing.assert_allclose(act.erf(xs), ref, rtol=0, atol=4e-16)


@pytest.mark.parametrize(
    "x", [0.46875, np.nextafter(0.46875, 1), 4.0, np.nextafter(4.0, 5), 26.543, 6.0, -0.46875, -4.0]
)
def test_erf_is_accurate_at_the_interval_boundaries(x):
    assert abs(act.erf(x) - math.erf(x)) <= 4e-16


@given(st.floats(-40, 40, allow_nan=False))
@settings(max_examples=300, deadline=None)
def test_erf_absolute_error_is_below_4e_16(x):
    assert abs(act.erf(x) - math.erf(x)) <= 4e-16


@given(st.floats(-6, 26.5, allow_nan=False))
@settings(max_examples=300, deadline=None)
def test_erfc_relative_error_is_below_2e_15(x):
    ref = math.erfc(x)
    assert abs(act.erfc(x) - ref) <= 2e-15 * ref


def test_erf_agrees_with_scipy_on_an_array():
    x = np.random.default_rng(0).normal(scale=3, size=(64, 64))
    np.testing.assert_allclose(act.erf(x), special.erf(x), rtol=0, atol=4e-16)


def test_erf_is_odd():
    x = np.linspace(0, 10, 1001)
    np.testing.assert_array_equal(act.erf(-x), -act.erf(x))


def test_erfc_underflows_to_zero_far_in_the_tail():
    assert act.erfc(30.0) == 0.0 and act.erfc(-30.0) == 2.0


def _tail_rtol(x):
    # Phi(x) = erfc(-x/sqrt 2)/2 has relative condition number ~ x**2 in the
    # left tail, so rounding x/sqrt(2) alone costs ~ eps * x**2 (2e-13 at -30).
    return 4 * np.finfo(float).eps * (1 + x * x)


def test_normal_cdf_and_pdf_match_scipy():
    x = np.linspace(-30, 10, 4001)
    assert np.all(np.abs(act.normal_cdf(x) - special.ndtr(x)) <= _tail_rtol(x) * special.ndtr(x))
    np.testing.assert_allclose(
        act.normal_pdf(x), np.exp(-x * x / 2) / math.sqrt(2 * math.pi), rtol=1e-15
    )


def test_gelu_on_64x64_fifty_times_is_fast():
    x = np.random.default_rng(0).normal(size=(64, 64))
    start = time.perf_counter()
    for _ in range(50):
        act.gelu(x)
    assert time.perf_counter() - start < 1.0  # measured ~0.01 s


# --------------------------------------------------------------- values


def test_sigmoid_matches_scipy_expit():
    x = np.linspace(-700, 700, 14001)
    np.testing.assert_allclose(act.sigmoid(x), special.expit(x), rtol=1e-15, atol=0)


def test_sigmoid_keeps_relative_accuracy_in_the_left_tail():
    assert act.sigmoid(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-14)


def test_tanh_matches_math_tanh():
    for x in GRID:
        assert act.tanh(x) == pytest.approx(math.tanh(x), rel=1e-15, abs=1e-300)


def test_relu_is_max_of_x_and_zero():
    np.testing.assert_array_equal(act.relu(GRID), [max(v, 0.0) for v in GRID])


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.2])
def test_leaky_relu_scales_negatives_by_alpha(alpha):
    np.testing.assert_array_equal(
        act.leaky_relu(GRID, alpha), [v if v > 0 else alpha * v for v in GRID]
    )


def test_softplus_matches_logaddexp_and_log1p_exp():
    x = np.linspace(-700, 700, 7001)
    np.testing.assert_allclose(act.softplus(x), np.logaddexp(0.0, x), rtol=1e-15)
    assert act.softplus(-30.0) == pytest.approx(math.log1p(math.exp(-30.0)), rel=1e-15)


def test_gelu_matches_x_times_normal_cdf_from_scipy():
    x = np.linspace(-30, 30, 6001)
    assert np.all(np.abs(act.gelu(x) - _gelu_ref(x)) <= _tail_rtol(x) * np.abs(_gelu_ref(x)))


def test_gelu_matches_math_erf_formula():
    for x in GRID:
        assert act.gelu(x) == pytest.approx(0.5 * x * (1 + math.erf(x / math.sqrt(2))), abs=1e-15)


def test_gelu_tanh_matches_its_defining_formula():
    np.testing.assert_allclose(act.gelu_tanh(GRID), _gelu_tanh_ref(GRID), rtol=1e-14, atol=1e-15)


def test_gelu_sigmoid_matches_x_times_expit():
    np.testing.assert_allclose(
        act.gelu_sigmoid(GRID), GRID * special.expit(1.702 * GRID), rtol=1e-15, atol=0
    )


def test_silu_matches_x_times_expit():
    np.testing.assert_allclose(act.silu(GRID), GRID * special.expit(GRID), rtol=1e-15, atol=0)


def test_d_silu_matches_expit_times_one_plus_x_times_one_minus_expit():
    s = special.expit(GRID)
    np.testing.assert_allclose(act.d_silu(GRID), s * (1 + GRID * (1 - s)), rtol=1e-13, atol=1e-15)


def test_gelu_and_gelu_tanh_match_the_torch_reference_file():
    # Written by scripts/make_activation_reference.py (torch float64), read without torch.
    ref = json.loads(GELU_REFERENCE.read_text())
    xn = np.array(ref["x"])
    for fn, dfn, approximate in [
        (act.gelu, act.d_gelu, "none"),
        (act.gelu_tanh, act.d_gelu_tanh, "tanh"),
    ]:
        y, g = (
            np.array(ref["gelu"][approximate]["value"]),
            np.array(ref["gelu"][approximate]["grad"]),
        )
        np.testing.assert_allclose(fn(xn), y, rtol=1e-13, atol=1e-15)
        # torch forms 0.5 (1 + tanh u) and cancels to 0 below x ~ -7: absolute tolerance
        np.testing.assert_allclose(dfn(xn), g, rtol=1e-12, atol=1e-13)


def test_silu_and_its_derivative_match_the_torch_reference_file():
    ref = json.loads(GELU_REFERENCE.read_text())
    xn = np.array(ref["x"])
    np.testing.assert_allclose(act.silu(xn), ref["silu"]["value"], rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(act.d_silu(xn), ref["silu"]["grad"], rtol=1e-13, atol=1e-16)


# --------------------------------------------------------------- derivatives


@pytest.mark.parametrize("name", SMOOTH)
def test_derivative_matches_central_differences_on_a_grid(name):
    f, df = act.ACTIVATIONS[name]
    numeric = [central_difference(f, x) for x in GRID]
    np.testing.assert_allclose(df(GRID), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", KINKED)
def test_kinked_derivative_matches_central_differences_away_from_zero(name):
    f, df = act.ACTIVATIONS[name]
    grid = GRID[np.abs(GRID) > 0.05]
    numeric = [central_difference(f, x) for x in grid]
    np.testing.assert_allclose(df(grid), numeric, rtol=1e-7, atol=1e-9)


def test_d_sigmoid_matches_expit_times_one_minus_expit():
    s = special.expit(GRID)
    np.testing.assert_allclose(act.d_sigmoid(GRID), s * (1 - s), rtol=1e-12, atol=1e-300)


def test_d_sigmoid_has_maximum_one_quarter_at_zero():
    x = np.linspace(-5, 5, 10001)
    d = act.d_sigmoid(x)
    assert act.d_sigmoid(0.0) == 0.25
    assert d.max() == 0.25 and x[np.argmax(d)] == 0.0


def test_d_tanh_matches_sech_squared_in_the_tail():
    for x in [0.5, 5.0, 20.0, 300.0]:
        assert act.d_tanh(x) == pytest.approx(1 / math.cosh(x) ** 2, rel=1e-13)


def test_d_gelu_is_cdf_plus_x_times_density():
    expected = special.ndtr(GRID) + GRID * np.exp(-(GRID**2) / 2) / math.sqrt(2 * math.pi)
    np.testing.assert_allclose(act.d_gelu(GRID), expected, rtol=1e-13, atol=1e-15)


def test_d_softplus_is_sigmoid():
    np.testing.assert_allclose(act.d_softplus(GRID), special.expit(GRID), rtol=1e-15)


def test_d_relu_uses_zero_at_the_kink():
    assert act.d_relu(0.0) == 0.0


def test_d_leaky_relu_uses_alpha_at_the_kink():
    assert act.d_leaky_relu(0.0, alpha=0.3) == 0.3


# --------------------------------------------------------------- stability


@pytest.mark.parametrize("fn", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_no_warnings_and_finite_results_at_extreme_inputs(fn):
    x = np.array([-1e308, -1000.0, -40.0, -5e-324, 0.0, 5e-324, 40.0, 1000.0, 1e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = fn(x)
        scalars = [fn(v) for v in (-1000.0, 1000.0)]
    assert np.all(np.isfinite(y)) and all(math.isfinite(s) for s in scalars)


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
def test_limits_at_plus_and_minus_1000(name):
    f, df = act.ACTIVATIONS[name]
    right_value = {"sigmoid": 1.0, "tanh": 1.0, "softplus": 1000.0}.get(name, 1000.0)
    left_value = {"tanh": -1.0, "leaky_relu": -10.0}.get(name, 0.0)
    right_slope = {"sigmoid": 0.0, "tanh": 0.0}.get(name, 1.0)
    left_slope = {"leaky_relu": 0.01}.get(name, 0.0)
    assert (f(1000.0), f(-1000.0), df(1000.0), df(-1000.0)) == (
        right_value,
        left_value,
        right_slope,
        left_slope,
    )


# --------------------------------------------------------------- input convention


@pytest.mark.parametrize("fn", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_scalar_in_gives_python_float_out(fn):
    for x in (0.7, 2, np.float64(-1.5), np.float32(0.25), np.array(3.0)):
        assert type(fn(x)) is float


@pytest.mark.parametrize("fn", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_array_in_gives_float64_array_of_same_shape(fn):
    for x in (np.zeros((2, 3)), [1.0, -2.0], np.ones(4, dtype=np.float32), np.arange(3)):
        y = fn(x)
        assert isinstance(y, np.ndarray) and y.dtype == np.float64 and y.shape == np.shape(x)


@pytest.mark.parametrize("bad", ["1.0", 1 + 2j, True, np.array([1j]), None])
def test_non_real_input_raises_type_error(bad):
    with pytest.raises(TypeError, match="x must be a real number"):
        act.sigmoid(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), np.array([0.0, -np.inf])])
def test_non_finite_input_raises_value_error(bad):
    with pytest.raises(ValueError, match="finite"):
        act.gelu(bad)


def test_leaky_relu_rejects_non_finite_alpha():
    with pytest.raises(ValueError, match="alpha"):
        act.leaky_relu(1.0, alpha=float("nan"))
    with pytest.raises(TypeError, match="alpha"):
        act.d_leaky_relu(1.0, alpha="small")


def test_inputs_are_not_modified():
    x = np.array([-1.0, 0.0, 2.0])
    before = x.copy()
    for fn in ALL_FUNCTIONS:
        fn(x)
    np.testing.assert_array_equal(x, before)


# --------------------------------------------------------------- the shared wrapper


ERF_FAMILY = [act.erf, act.erfc, act.normal_cdf, act.normal_pdf]


@pytest.mark.parametrize("fn", ERF_FAMILY, ids=lambda f: f.__name__)
def test_erf_family_follows_the_scalar_and_array_convention(fn):
    assert type(fn(np.float32(0.5))) is float
    y = fn([[0.5, -1.0]])
    assert isinstance(y, np.ndarray) and y.dtype == np.float64 and y.shape == (1, 2)


@pytest.mark.parametrize("fn", ALL_FUNCTIONS + ERF_FAMILY, ids=lambda f: f.__name__)
def test_public_function_keeps_its_own_name_and_docstring(fn):
    assert getattr(act, fn.__name__) is fn and fn.__name__ in act.__all__
    assert fn.__doc__ == fn.__wrapped__.__doc__ and ">>>" in fn.__doc__


def test_elementwise_kernel_receives_a_float64_array_and_extra_arguments():
    seen = []
    wrapped = act._elementwise(lambda x, k: seen.append((type(x), x.dtype)) or k * x)
    assert wrapped(2, 3) == 6.0
    assert seen == [(np.ndarray, np.float64)]


def test_elementwise_silences_underflow_but_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act._elementwise(lambda x: np.exp(-x))(1000.0) == 0.0
        with pytest.raises(RuntimeWarning, match="overflow"):
            act._elementwise(lambda x: np.exp(x))(1000.0)


def test_elementwise_validates_before_calling_the_kernel():
    calls = []
    wrapped = act._elementwise(lambda x: calls.append(x) or x)
    with pytest.raises(ValueError, match="x must contain only finite values"):
        wrapped([0.0, np.nan])
    assert calls == []


# --------------------------------------------------------------- registry and approximations


def test_registry_lists_every_activation_with_its_derivative():
    assert set(act.ACTIVATIONS) == {
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "softplus",
        "gelu",
        "gelu_tanh",
        "gelu_sigmoid",
        "silu",
    }
    for name, (f, df) in act.ACTIVATIONS.items():
        assert f.__name__ == name and df.__name__ == "d_" + name


def test_gelu_approximation_errors_match_an_independent_dense_grid():
    x = np.linspace(-10, 10, 2_000_001)
    exact = _gelu_ref(x)
    found = act.gelu_approximation_error()
    for name, approx in [
        ("gelu_tanh", _gelu_tanh_ref(x)),
        ("gelu_sigmoid", x * special.expit(1.702 * x)),
    ]:
        err = np.abs(approx - exact)
        assert found[name].max_abs_error == pytest.approx(err.max(), rel=1e-6)
        assert found[name].at == pytest.approx(abs(x[np.argmax(err)]), abs=2e-5)


def test_gelu_approximation_error_is_even_so_at_is_nonnegative():
    found = act.gelu_approximation_error(lo=-10, hi=0)
    both = act.gelu_approximation_error(lo=0, hi=10)
    assert set(found) == set(both) == {"gelu_tanh", "gelu_sigmoid"}
    for name in found:
        assert found[name].at > 0
        assert found[name].max_abs_error == pytest.approx(both[name].max_abs_error, rel=1e-9)


def test_gelu_approximation_error_validates_interval():
    with pytest.raises(ValueError, match="lo must be < hi"):
        act.gelu_approximation_error(lo=1.0, hi=-1.0)
    with pytest.raises(ValueError, match="n must be >= 3"):
        act.gelu_approximation_error(n=2)


def test_gelu_approximation_error_refuses_a_grid_larger_than_max_grid_naming_n():
    with pytest.raises(ValueError, match=rf"^n must be <= {act.MAX_GRID} "):
        act.gelu_approximation_error(n=act.MAX_GRID + 1)


def test_gelu_approximation_error_refuses_an_interval_wider_than_float64_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"^hi - lo must fit in a float64"):
            act.gelu_approximation_error(lo=-1e308, hi=1e308)


# ------------------------------------------------- property tests: bad input


@settings(max_examples=50, deadline=None)
@given(
    name=st.sampled_from(sorted(act.ACTIVATIONS)),
    rows=st.lists(
        st.lists(st.floats(-5, 5), min_size=1, max_size=4), min_size=2, max_size=4
    ).filter(lambda r: len({len(row) for row in r}) > 1),
)
def test_a_ragged_list_is_refused_with_valueerror_naming_x(name, rows):
    with pytest.raises(ValueError, match=r"^x must be a rectangular array"):
        getattr(act, name)(rows)
