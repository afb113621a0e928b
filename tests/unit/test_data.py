"""Tests of utils.data: determinism, shapes, balance, label sets, geometry, validation."""

from __future__ import annotations

import operator

import numpy as np
import pytest

from utils.data import logic_gate, noisy_line, two_moons

# --------------------------------------------------------------- two_moons


def test_two_moons_is_deterministic_for_a_seed():
    X1, y1 = two_moons(n=50, noise=0.2, seed=7)
    X2, y2 = two_moons(n=50, noise=0.2, seed=7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_two_moons_differs_between_seeds():
    X1, _ = two_moons(seed=0)
    X2, _ = two_moons(seed=1)
    assert not np.array_equal(X1, X2)


def test_two_moons_accepts_a_generator():
    X1, y1 = two_moons(seed=np.random.default_rng(3))
    X2, y2 = two_moons(seed=np.random.default_rng(3))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("n", [2, 7, 100])
def test_two_moons_shapes_and_dtypes(n):
    X, y = two_moons(n=n)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert X.dtype == np.float64 and y.dtype == np.float64


@pytest.mark.parametrize("n", [2, 7, 100, 101])
def test_two_moons_classes_are_balanced_to_within_one(n):
    _, y = two_moons(n=n)
    assert int(np.sum(y == -1)) == n // 2 and int(np.sum(y == 1)) == n - n // 2


def test_two_moons_default_labels_are_plus_minus_one():
    _, y = two_moons()
    assert set(np.unique(y).tolist()) == {-1.0, 1.0}


def test_two_moons_zero_one_labels():
    _, y_pm = two_moons(seed=4)
    _, y01 = two_moons(seed=4, labels="01")
    assert set(np.unique(y01).tolist()) == {0.0, 1.0}
    np.testing.assert_array_equal(y01, (y_pm + 1) / 2)


def test_two_moons_without_noise_lies_on_the_two_arcs():
    X, y = two_moons(n=40, noise=0.0)
    upper, lower = X[y == -1], X[y == 1]
    # first class: upper half of the unit circle at (0, 0)
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-12)
    assert np.all(upper[:, 1] >= -1e-12)
    # second class: lower half of the unit circle at (1, 0.5)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_two_moons_noise_has_the_requested_spread():
    X, y = two_moons(n=4000, noise=0.2, seed=5)
    # isotropic noise of std 0.2 moves points off the unit circle by ~0.2 radially
    residual = np.hypot(X[y == -1][:, 0], X[y == -1][:, 1]) - 1.0
    assert 0.15 < residual.std() < 0.25


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"n": 1}, ValueError),
        ({"n": 10.0}, TypeError),
        ({"noise": -0.1}, ValueError),
        ({"noise": float("nan")}, ValueError),
        ({"labels": "bool"}, ValueError),
        ({"seed": -1}, ValueError),
        ({"seed": "zero"}, TypeError),
    ],
)
def test_two_moons_rejects_bad_arguments(kwargs, exc):
    with pytest.raises(exc):
        two_moons(**kwargs)


# --------------------------------------------------------------- noisy_line


def test_noisy_line_is_deterministic_for_a_seed():
    a = noisy_line(30, seed=2)
    b = noisy_line(30, seed=2)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_noisy_line_shapes():
    x, y = noisy_line(17)
    assert x.shape == (17,) and y.shape == (17,)


def test_noisy_line_without_noise_is_the_line():
    x, y = noisy_line(20, slope=-3.0, intercept=0.5, noise=0.0)
    np.testing.assert_allclose(y, -3.0 * x + 0.5, rtol=0, atol=1e-15)


def test_noisy_line_least_squares_recovers_the_line():
    x, y = noisy_line(20000, slope=2.0, intercept=1.0, noise=0.3, seed=1)
    slope, intercept = np.polyfit(x, y, 1)
    assert slope == pytest.approx(2.0, abs=0.02) and intercept == pytest.approx(1.0, abs=0.01)
    assert np.std(y - (slope * x + intercept)) == pytest.approx(0.3, rel=0.03)


def test_noisy_line_x_stays_in_range():
    x, _ = noisy_line(1000, x_range=(2.0, 5.0))
    assert x.min() >= 2.0 and x.max() < 5.0


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"n": 0}, ValueError),
        ({"noise": -1.0}, ValueError),
        ({"slope": float("inf")}, ValueError),
        ({"x_range": (1.0, 1.0)}, ValueError),
        ({"x_range": 3.0}, TypeError),
    ],
)
def test_noisy_line_rejects_bad_arguments(kwargs, exc):
    kwargs.setdefault("n", 10)
    with pytest.raises(exc):
        noisy_line(**kwargs)


# --------------------------------------------------------------- logic_gate


@pytest.mark.parametrize(
    "name, op",
    [
        ("and", operator.and_),
        ("or", operator.or_),
        ("xor", operator.xor),
        ("nand", lambda a, b: 1 - (a & b)),
    ],
)
def test_logic_gate_is_the_truth_table(name, op):
    X, y = logic_gate(name)
    assert X.shape == (4, 2) and y.shape == (4,)
    expected = [float(op(int(a), int(b))) for a, b in X]
    assert y.tolist() == expected


def test_logic_gate_inputs_are_all_four_binary_pairs():
    X, _ = logic_gate("and")
    assert sorted(map(tuple, X.tolist())) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_logic_gate_plus_minus_one_labels():
    _, y = logic_gate("xor", labels="pm1")
    assert y.tolist() == [-1.0, 1.0, 1.0, -1.0]


def test_logic_gate_name_is_case_insensitive():
    np.testing.assert_array_equal(logic_gate("XOR")[1], logic_gate("xor")[1])


def test_logic_gate_rejects_unknown_gate():
    with pytest.raises(ValueError, match="name must be one of"):
        logic_gate("nor")


def test_logic_gate_rejects_non_string_name():
    with pytest.raises(TypeError, match="name must be a string"):
        logic_gate(3)


# ------------------------------------------------- property tests: bad input
import math  # noqa: E402
import warnings  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.data import MAX_SAMPLES  # noqa: E402

HUGE_OR_NOT = st.floats(min_value=-1.7976931348623157e308, max_value=1.7976931348623157e308)


@settings(max_examples=50, deadline=None)
@given(
    make=st.sampled_from([two_moons, noisy_line]),
    n=st.integers(min_value=MAX_SAMPLES + 1, max_value=10**500),
)
def test_sample_counts_above_max_samples_are_refused_naming_n(make, n):
    with pytest.raises(ValueError, match=rf"^n must be <= {MAX_SAMPLES}"):
        make(n)


@settings(max_examples=100, deadline=None)
@given(
    slope=HUGE_OR_NOT,
    intercept=HUGE_OR_NOT,
    noise=st.floats(min_value=0.0, max_value=1.7976931348623157e308),
)
def test_noisy_line_returns_finite_points_or_refuses_the_arguments(slope, intercept, noise):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            x, y = noisy_line(20, slope=slope, intercept=intercept, noise=noise)
        except ValueError as exc:
            assert "overflows float64" in str(exc) and "slope=" in str(exc)
        else:
            assert all(map(math.isfinite, np.concatenate([x, y])))


@settings(max_examples=100, deadline=None)
@given(noise=st.floats(min_value=0.0, max_value=1.7976931348623157e308))
def test_two_moons_returns_finite_points_or_refuses_the_noise(noise):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            X, _ = two_moons(20, noise=noise)
        except ValueError as exc:
            assert str(exc).startswith("noise = ")
        else:
            assert np.all(np.isfinite(X))
