"""Tests of utils.descent.

Expected values: the closed forms of gradient descent on a quadratic
(w_t - w* = (1 - lr c)^t (w0 - w*), z_t = (I - lr H)^t z0 with H from the
landscape's definition), least squares by np.linalg.lstsq, and a plain
per-batch reference implementation of mini-batch SGD written here.
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest

from utils.data import noisy_line
from utils.descent import (
    REGIMES,
    QuadraticRun,
    SGDRun,
    contraction_factor,
    gd_quadratic_1d,
    gd_quadratic_2d,
    minibatch_sgd_linear_regression,
    quadratic_lr_limits,
    quadratic_regime,
    squared_error_terms,
)
from utils.landscapes import DIVERGENCE_LOSS, quadratic


def _no_warnings(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def _all_finite(*arrays):
    return all(np.all(np.isfinite(a)) for a in arrays)


# --------------------------------------------------------------------------- 1-D quadratic


def test_gd_on_w_minus_3_squared_with_lr_0_1_follows_3_minus_3_times_0_8_to_the_t():
    # L(w) = (w - 3)^2, w0 = 0: w_t = 3 - 3 * 0.8**t (closed form: w_t - 3 = (1 - 2 lr)^t (w0 - 3))
    r = gd_quadratic_1d(0.1, 20)
    t = np.arange(21)
    np.testing.assert_allclose(r.iterates, 3 - 3 * 0.8**t, rtol=0, atol=1e-14)
    np.testing.assert_allclose(r.losses, (3 * 0.8**t) ** 2, rtol=1e-12, atol=1e-28)
    assert r.diverged_at is None and r.iterates.shape == (21,) and r.lr == 0.1


@pytest.mark.parametrize(
    "lr, curvature, w0, target",
    [(0.01, 2.0, 0.0, 3.0), (0.3, 5.0, -2.0, 1.5), (0.19, 10.0, 4.0, -1.0)],
)
def test_gd_1d_iterates_match_the_closed_form_for_other_parameters(lr, curvature, w0, target):
    r = gd_quadratic_1d(lr, steps=40, w0=w0, target=target, curvature=curvature)
    t = np.arange(41)
    expected = target + (1 - lr * curvature) ** t * (w0 - target)
    np.testing.assert_allclose(r.iterates, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        r.losses, 0.5 * curvature * (expected - target) ** 2, rtol=1e-10, atol=1e-20
    )


def test_gd_1d_with_lr_times_curvature_one_reaches_the_minimum_in_one_step():
    r = gd_quadratic_1d(0.25, steps=5, w0=-7.0, target=2.0, curvature=4.0)
    np.testing.assert_array_equal(r.iterates[1:], 2.0)
    np.testing.assert_array_equal(r.losses[1:], 0.0)


def test_gd_1d_oscillating_regime_flips_sign_and_converges():
    r = gd_quadratic_1d(0.9, steps=30)  # lr * L'' = 1.8
    err = r.iterates - 3.0
    assert np.all(np.sign(err[1:]) == -np.sign(err[:-1]))
    assert np.all(np.abs(err[1:]) < np.abs(err[:-1]))


def test_gd_1d_at_lr_times_curvature_two_cycles_between_w0_and_its_mirror():
    r = gd_quadratic_1d(1.0, steps=10)
    np.testing.assert_array_equal(r.iterates, [0.0, 6.0] * 5 + [0.0])
    np.testing.assert_array_equal(r.losses, 9.0)
    assert r.diverged_at is None


def test_gd_1d_divergence_stops_at_the_first_step_past_the_threshold():
    lr = 1.1  # loss multiplied by (1 - 2.2)**2 = 1.44 per step, from L0 = 9
    r = _no_warnings(gd_quadratic_1d, lr, steps=1000)
    limit = DIVERGENCE_LOSS * 9.0
    t_expected = next(t for t in range(1, 1000) if 9.0 * 1.44**t > limit)
    assert r.diverged_at == t_expected
    assert len(r.iterates) == len(r.losses) == t_expected
    assert np.all(r.losses <= limit)


@pytest.mark.parametrize("lr", [2.0, 50.0, 1e150, 1e300])
def test_gd_1d_huge_learning_rates_diverge_without_warnings_or_non_finite_values(lr):
    r = _no_warnings(gd_quadratic_1d, lr, steps=100)
    assert r.diverged_at is not None and _all_finite(r.iterates, r.losses)
    assert len(r.iterates) == r.diverged_at


def test_gd_1d_zero_steps_returns_the_start():
    r = gd_quadratic_1d(0.1, steps=0, w0=1.0)
    assert r.iterates.tolist() == [1.0] and r.losses.tolist() == [4.0] and r.diverged_at is None


def test_gd_1d_started_at_the_minimum_stays_there_even_with_a_divergent_lr():
    r = gd_quadratic_1d(5.0, steps=10, w0=3.0)
    assert r.diverged_at is None and np.all(r.iterates == 3.0)


def test_gd_1d_reports_the_limits_and_contraction_of_its_parabola():
    r = gd_quadratic_1d(0.3, curvature=4.0)
    assert r.lr_limits["max_stable"] == pytest.approx(0.5)
    assert r.lr_limits["optimal"] == pytest.approx(0.25)
    assert r.lr_limits["rate_at_optimal"] == 0.0
    assert r.contraction == pytest.approx(0.2)
    assert isinstance(r, QuadraticRun)


@pytest.mark.parametrize(
    "lr, curvature, regime",
    [
        (0.1, 2.0, "slow"),
        (0.5, 2.0, "optimal"),
        (0.75, 2.0, "oscillating"),
        (1.0, 2.0, "cycling"),
        (1.5, 2.0, "divergent"),
        (0.1, 10.0, "optimal"),
        (0.25, 8.0, "cycling"),
        (1e-9, 1.0, "slow"),
    ],
)
def test_quadratic_regime_classifies_lr_times_curvature(lr, curvature, regime):
    assert quadratic_regime(lr, curvature) == regime
    assert regime in REGIMES


@pytest.mark.parametrize("lr", [0.05, 0.3, 0.5, 0.7, 0.95, 1.0, 1.05])
def test_quadratic_regime_agrees_with_the_simulated_behaviour(lr):
    r = gd_quadratic_1d(lr, steps=15)  # few enough steps that the error stays above the ulp of 3
    err = r.iterates - 3.0
    regime = quadratic_regime(lr, 2.0)
    if regime == "slow":
        assert np.all(np.diff(r.iterates) > 0) and abs(err[-1]) < abs(err[0])
    elif regime == "optimal":
        assert np.all(err[1:] == 0)
    elif regime == "oscillating":
        assert np.all(err[1:-1] * err[2:] < 0) and abs(err[-1]) < abs(err[0])
    elif regime == "cycling":
        assert np.all(np.abs(err) == 3.0)
    else:
        assert abs(err[-1]) > abs(err[0])


def test_contraction_factor_is_abs_one_minus_lr_times_curvature():
    for lr, c in [(0.1, 2.0), (0.9, 2.0), (0.3, 10.0)]:
        assert contraction_factor(lr, c) == pytest.approx(abs(1 - lr * c))
    assert gd_quadratic_1d(0.9).contraction == pytest.approx(contraction_factor(0.9, 2.0))


# --------------------------------------------------------------------------- 2-D quadratic


@pytest.mark.parametrize("condition", [1.0, 4.0, 10.0, 100.0])
def test_quadratic_lr_limits_follow_from_eigenvalues_one_and_kappa(condition):
    lim = quadratic_lr_limits(condition)
    assert lim["lambda_min"] == pytest.approx(1.0) and lim["lambda_max"] == pytest.approx(condition)
    assert lim["max_stable"] == pytest.approx(2 / condition)
    assert lim["optimal"] == pytest.approx(2 / (1 + condition))
    assert lim["rate_at_optimal"] == pytest.approx((condition - 1) / (condition + 1), abs=1e-15)


def test_gd_2d_iterates_match_the_matrix_power_closed_form():
    kappa, phi, lr = 10.0, 0.6, 0.15
    c, s = math.cos(phi), math.sin(phi)
    R = np.array([[c, s], [-s, c]])  # (u, v) = R (x, y), as documented by utils.landscapes
    H = R.T @ np.diag([1.0, kappa]) @ R
    z0 = np.array([2.0, -1.0])
    r = gd_quadratic_2d(lr, condition=kappa, steps=30, x0=z0, angle=phi)
    M = np.eye(2) - lr * H
    expected = np.array([np.linalg.matrix_power(M, t) @ z0 for t in range(31)])
    np.testing.assert_allclose(r.iterates, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        r.losses, 0.5 * np.einsum("ti,ij,tj->t", expected, H, expected), atol=1e-12
    )


def test_gd_2d_default_start_is_minus_4_3_along_the_bowls_axes():
    for angle in (0.0, 0.4, -2.0):
        r = gd_quadratic_2d(0.1, steps=0, angle=angle)
        c, s = math.cos(angle), math.sin(angle)
        u, v = (
            c * r.iterates[0, 0] + s * r.iterates[0, 1],
            -s * r.iterates[0, 0] + c * r.iterates[0, 1],
        )
        assert (u, v) == pytest.approx((-4.0, 3.0))
    np.testing.assert_array_equal(gd_quadratic_2d(0.1, steps=0).iterates[0], [-4.0, 3.0])


def test_gd_2d_between_1_over_kappa_and_2_over_kappa_zig_zags_across_the_valley():
    r = gd_quadratic_2d(0.15, condition=10.0, steps=20)  # 1 - 0.15 * 10 = -0.5
    y = r.iterates[:, 1]  # angle 0: y is the stiff axis
    assert np.all(y[1:] * y[:-1] < 0)
    assert np.all(np.diff(r.iterates[:, 0]) > 0)  # x creeps towards 0 from -4


@pytest.mark.parametrize("condition", [4.0, 10.0, 50.0])
def test_gd_2d_converges_just_below_max_stable_and_diverges_just_above(condition):
    lim = quadratic_lr_limits(condition)
    below = gd_quadratic_2d(0.97 * lim["max_stable"], condition=condition, steps=3000)
    above = _no_warnings(gd_quadratic_2d, 1.03 * lim["max_stable"], condition=condition, steps=3000)
    assert below.diverged_at is None and below.losses[-1] < 1e-6 * below.losses[0]
    assert above.diverged_at is not None and _all_finite(above.iterates, above.losses)
    assert len(above.iterates) == above.diverged_at


def test_gd_2d_optimal_lr_contracts_at_the_predicted_rate():
    kappa = 10.0
    lim = quadratic_lr_limits(kappa)
    r = gd_quadratic_2d(lim["optimal"], condition=kappa, steps=40)
    dist = np.linalg.norm(r.iterates, axis=1)
    # at the optimal lr both eigen-components shrink by exactly rate per step
    np.testing.assert_allclose(dist[1:] / dist[:-1], lim["rate_at_optimal"], rtol=1e-9)
    assert r.contraction == pytest.approx(lim["rate_at_optimal"])


def test_gd_2d_optimal_lr_beats_nearby_learning_rates():
    lim = quadratic_lr_limits(10.0)
    final = {f: gd_quadratic_2d(f * lim["optimal"], steps=60).losses[-1] for f in (0.8, 1.0, 1.05)}
    assert final[1.0] < final[0.8] and final[1.0] < final[1.05]


def test_gd_2d_uses_the_landscape_quadratic():
    q = quadratic(condition=7.0, angle=0.3)
    r = gd_quadratic_2d(0.1, condition=7.0, angle=0.3, steps=5)
    np.testing.assert_allclose(r.losses, [q.f(p) for p in r.iterates], rtol=1e-15)
    np.testing.assert_allclose(
        r.iterates[1], r.iterates[0] - 0.1 * q.grad(r.iterates[0]), rtol=1e-15
    )


# --------------------------------------------------------------------------- mini-batch SGD


def _reference_sgd(x, y, batch_size, lr, epochs, seed_rng, shuffle=True):
    """Plain mini-batch SGD from residuals, batch by batch; full loss recomputed from all data."""
    w = b = 0.0
    params, losses = [(w, b)], [np.mean((w * x + b - y) ** 2)]
    n = len(x)
    for _ in range(epochs):
        order = seed_rng.permutation(n) if shuffle else np.arange(n)
        for i in range(0, n, batch_size):
            idx = order[i : i + batch_size]
            r = w * x[idx] + b - y[idx]
            gw, gb = 2 * np.mean(r * x[idx]), 2 * np.mean(r)
            w, b = w - lr * gw, b - lr * gb
            params.append((w, b))
            losses.append(np.mean((w * x + b - y) ** 2))
    return np.array(params), np.array(losses)


@pytest.mark.parametrize(
    "batch_size, shuffle", [(1, True), (7, True), (32, False), (100, True), (250, True)]
)
def test_sgd_matches_a_plain_per_batch_reference_implementation(batch_size, shuffle):
    n, lr, epochs = 250, 0.05, 3
    r = minibatch_sgd_linear_regression(batch_size, lr, epochs=epochs, n=n, seed=4, shuffle=shuffle)
    rng = np.random.default_rng(4)
    x, y = noisy_line(n, seed=rng)  # the documented draw order: data first, then permutations
    params, losses = _reference_sgd(x, y, batch_size, lr, epochs, rng, shuffle)
    np.testing.assert_array_equal(r.x, x)
    np.testing.assert_array_equal(r.y, y)
    np.testing.assert_allclose(r.params, params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(r.full_losses, losses, rtol=1e-10, atol=1e-12)


def test_sgd_optimum_matches_numpy_lstsq():
    r = minibatch_sgd_linear_regression(
        10, 0.1, n=500, seed=3, noise=0.5, slope=-1.5, intercept=0.7
    )
    A = np.column_stack([r.x, np.ones_like(r.x)])
    (w, b), *_ = np.linalg.lstsq(A, r.y, rcond=None)
    assert r.optimum == pytest.approx((w, b), rel=1e-12, abs=1e-12)
    assert r.optimum_loss == pytest.approx(np.mean((A @ [w, b] - r.y) ** 2), rel=1e-12)


def test_sgd_full_losses_never_go_below_the_least_squares_floor():
    for bs in (1, 16, 1000):
        r = minibatch_sgd_linear_regression(bs, 0.1)
        assert np.all(r.full_losses >= r.optimum_loss * (1 - 1e-12))


def test_full_batch_sgd_is_gradient_descent_with_the_closed_form_iterates():
    n, lr, epochs = 400, 0.3, 25
    r = minibatch_sgd_linear_regression(n, lr, epochs=epochs, n=n, seed=1)
    A = np.column_stack([r.x, np.ones(n)])
    (w, b), *_ = np.linalg.lstsq(A, r.y, rcond=None)
    H = 2 * A.T @ A / n  # Hessian of the mean squared error
    M = np.eye(2) - lr * H
    theta0 = np.zeros(2) - [w, b]
    expected = np.array([np.linalg.matrix_power(M, t) @ theta0 for t in range(epochs + 1)]) + [w, b]
    np.testing.assert_allclose(r.params, expected, rtol=1e-9, atol=1e-12)
    assert r.updates_per_epoch == 1 and r.epochs_at.tolist() == list(range(1, epochs + 1))


def test_sgd_starts_at_zero_and_records_the_full_data_loss_there():
    r = minibatch_sgd_linear_regression(8, 0.1, n=100)
    assert r.params[0].tolist() == [0.0, 0.0]
    assert r.full_losses[0] == pytest.approx(np.mean(r.y**2), rel=1e-12)


def test_sgd_last_partial_batch_counts_as_an_update_of_each_epoch():
    r = minibatch_sgd_linear_regression(32, 0.05, epochs=3, n=100)  # 3 full batches + one of 4
    assert r.updates_per_epoch == 4
    assert r.params.shape == (13, 2) and r.full_losses.shape == (13,)
    assert r.epochs_at.tolist() == [4, 8, 12]


def test_sgd_with_a_reasonable_lr_approaches_the_floor():
    r = minibatch_sgd_linear_regression(32, 0.1, epochs=20)
    assert r.full_losses[-1] < 1.05 * r.optimum_loss
    assert r.full_losses[r.epochs_at[-1]] == r.full_losses[-1]


def test_sgd_is_deterministic_and_the_data_do_not_depend_on_batch_size_or_lr():
    a = minibatch_sgd_linear_regression(16, 0.1, seed=5)
    b = minibatch_sgd_linear_regression(16, 0.1, seed=5)
    c = minibatch_sgd_linear_regression(1, 0.01, seed=5)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.x, c.x)
    np.testing.assert_array_equal(a.y, c.y)
    assert a.optimum == c.optimum
    x, y = noisy_line(1000, seed=5)
    np.testing.assert_array_equal(a.x, x)


def test_sgd_accepts_a_generator_as_seed():
    r1 = minibatch_sgd_linear_regression(16, 0.1, seed=np.random.default_rng(9))
    r2 = minibatch_sgd_linear_regression(16, 0.1, seed=9)
    np.testing.assert_array_equal(r1.params, r2.params)


@pytest.mark.parametrize("lr", [2.0, 10.0, 1e200])
def test_sgd_divergence_is_detected_without_warnings_or_non_finite_values(lr):
    r = _no_warnings(minibatch_sgd_linear_regression, 1, lr)
    assert r.diverged_at is not None
    assert len(r.params) == len(r.full_losses) == r.diverged_at
    assert _all_finite(r.params, r.full_losses)
    assert np.all(r.full_losses <= DIVERGENCE_LOSS * max(1.0, r.full_losses[0]))
    assert r.epochs_at.tolist() == [e for e in range(1000, 5001, 1000) if e < r.diverged_at]
    assert isinstance(r, SGDRun)


# --------------------------------------------------------------------------- speed


def _best_ms(fn, *args, repeat=7, **kwargs):
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return 1e3 * best


def test_widget_calls_are_fast():
    # targets: < 20 ms for the quadratics and mini-batch SGD, < 50 ms for 5000 single-point
    # updates; bounds doubled here for slower CI machines (measured: well below a tenth)
    assert _best_ms(gd_quadratic_1d, 0.1) < 20
    assert _best_ms(gd_quadratic_2d, 0.15) < 20
    assert _best_ms(minibatch_sgd_linear_regression, 32, 0.1) < 20
    assert _best_ms(minibatch_sgd_linear_regression, 1, 0.05) < 100


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"lr": 0.0}, ValueError, "lr must be positive"),
        ({"lr": -0.1}, ValueError, "lr must be positive"),
        ({"lr": float("nan")}, ValueError, "lr must be finite"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number"),
        ({"lr": 0.1, "steps": -1}, ValueError, "steps must be >= 0"),
        ({"lr": 0.1, "steps": 2.5}, TypeError, "steps must be an integer"),
        ({"lr": 0.1, "w0": float("inf")}, ValueError, "w0 must be finite"),
        ({"lr": 0.1, "target": None}, TypeError, "target must be a real number"),
        ({"lr": 0.1, "curvature": 0.0}, ValueError, "curvature must be positive"),
        ({"lr": 0.1, "w0": 1e200}, ValueError, "loss at w0 overflows"),
    ],
)
def test_gd_quadratic_1d_rejects_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        gd_quadratic_1d(**kwargs)


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((0.0, 2.0), ValueError, "lr must be positive"),
        ((0.1, -2.0), ValueError, "curvature must be positive"),
        ((0.1, True), TypeError, "curvature must be a real number"),
    ],
)
def test_quadratic_regime_and_contraction_factor_reject_bad_input(args, exc, match):
    with pytest.raises(exc, match=match):
        quadratic_regime(*args)
    with pytest.raises(exc, match=match):
        contraction_factor(*args)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"lr": 0.0}, ValueError, "lr must be positive"),
        ({"lr": 0.1, "condition": 0.5}, ValueError, "condition must be >= 1"),
        ({"lr": 0.1, "condition": float("inf")}, ValueError, "condition must be finite"),
        ({"lr": 0.1, "steps": -3}, ValueError, "steps must be >= 0"),
        ({"lr": 0.1, "x0": [1.0, 2.0, 3.0]}, ValueError, "x0 must be a point"),
        ({"lr": 0.1, "x0": [1.0, float("nan")]}, ValueError, "x0 must contain only finite values"),
        ({"lr": 0.1, "angle": "north"}, TypeError, "angle must be a real number"),
    ],
)
def test_gd_quadratic_2d_rejects_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        gd_quadratic_2d(**kwargs)


def test_quadratic_lr_limits_rejects_a_condition_below_one():
    with pytest.raises(ValueError, match="condition must be >= 1"):
        quadratic_lr_limits(0.9)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be an integer"),
        ({"batch_size": 1001}, ValueError, "batch_size must be <= n = 1000"),
        ({"lr": 0.0}, ValueError, "lr must be positive"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"n": 1}, ValueError, "n must be >= 2"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": "zero"}, TypeError, "seed must be an integer"),
        ({"noise": -0.1}, ValueError, "noise must be non-negative"),
        ({"slope": float("nan")}, ValueError, "slope must be finite"),
        ({"intercept": "one"}, TypeError, "intercept must be a real number"),
        ({"shuffle": "yes"}, TypeError, "shuffle must be a bool"),
    ],
)
def test_minibatch_sgd_rejects_bad_input(kwargs, exc, match):
    args = {"batch_size": 10, "lr": 0.1} | kwargs
    with pytest.raises(exc, match=match):
        minibatch_sgd_linear_regression(**args)


# ------------------------------------------------- property tests: bad input
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.landscapes import MAX_STEPS  # noqa: E402

FLOAT_MAX = 1.7976931348623157e308


@settings(max_examples=50, deadline=None)
@given(steps=st.integers(min_value=MAX_STEPS + 1, max_value=10**500))
def test_step_counts_above_max_steps_are_refused_naming_steps(steps):
    with pytest.raises(ValueError, match=rf"^steps must be <= {MAX_STEPS}"):
        gd_quadratic_1d(0.1, steps=steps)


@settings(max_examples=60, deadline=None)
@given(
    noise=st.floats(min_value=0.0, max_value=FLOAT_MAX),
    slope=st.floats(min_value=-FLOAT_MAX, max_value=FLOAT_MAX),
)
def test_minibatch_sgd_returns_finite_losses_or_refuses_the_data(noise, slope):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            r = minibatch_sgd_linear_regression(10, 0.1, epochs=1, n=40, noise=noise, slope=slope)
        except ValueError as exc:
            assert "overflows float64" in str(exc) or "overflow float64" in str(exc)
        else:
            assert np.all(np.isfinite(r.full_losses)) and np.all(np.isfinite(r.params))


# ---------------------------------------------------------------------------
# squared_error_terms: per-example losses and gradients of the line fit
# ---------------------------------------------------------------------------


def test_squared_error_terms_match_hand_computed_residuals():
    # w = 2, b = -1 at x = (0, 1, 3), y = (1, 1, 2): residuals -2, 0, 3
    losses, grads = squared_error_terms([0.0, 1.0, 3.0], [1.0, 1.0, 2.0], 2.0, -1.0)
    np.testing.assert_array_equal(losses, [4.0, 0.0, 9.0])
    np.testing.assert_array_equal(grads, [[0.0, -4.0], [0.0, 0.0], [18.0, 6.0]])


def test_squared_error_gradients_agree_with_central_differences():
    x, y = noisy_line(7, seed=3)
    w, b, h = 0.7, -0.4, 1e-6
    _, grads = squared_error_terms(x, y, w, b)
    dw = (squared_error_terms(x, y, w + h, b)[0] - squared_error_terms(x, y, w - h, b)[0]) / (2 * h)
    db = (squared_error_terms(x, y, w, b + h)[0] - squared_error_terms(x, y, w, b - h)[0]) / (2 * h)
    np.testing.assert_allclose(grads, np.column_stack([dw, db]), rtol=1e-7, atol=1e-8)


def test_mean_squared_error_term_is_zero_gradient_at_least_squares():
    x, y = noisy_line(50, seed=4)
    (w, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)
    _, grads = squared_error_terms(x, y, w, b)
    np.testing.assert_allclose(grads.mean(axis=0), [0.0, 0.0], atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        (dict(x=[1.0, 2.0], y=[1.0]), ValueError, "x and y"),
        (dict(x=[[1.0]], y=[[1.0]]), ValueError, "x must have 1"),
        (dict(x=[], y=[]), ValueError, "at least one"),
        (dict(x=[1.0, np.nan], y=[1.0, 2.0]), ValueError, "x must contain only finite"),
        (dict(x=np.ones(2, np.float32), y=[1.0, 2.0]), TypeError, "x must be float64"),
        (dict(x=[1.0], y=["a"]), TypeError, "y must be an array"),
        (dict(x=[1.0], y=[1.0], w=math.inf), ValueError, "w"),
        (dict(x=[1.0], y=[1.0], b="0"), TypeError, "b"),
    ],
)
def test_squared_error_terms_reject_bad_input_naming_the_argument(kwargs, error, name):
    args = {"w": 1.0, "b": 0.0, **kwargs}
    with pytest.raises(error, match=name):
        squared_error_terms(**args)


def test_squared_error_terms_refuse_an_overflow_without_a_warning():
    # (1e200 * 1e200)^2 is far beyond float64's 1.8e308: refused, not inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="overflow float64 for w=1e"):
            squared_error_terms([1e200], [0.0], w=1e200, b=0.0)
