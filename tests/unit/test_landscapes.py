"""Tests of utils.landscapes.

Expected values: central differences (utils.numdiff) for the gradients, the
known minima of the test functions, and closed-form gradient-descent iterates
on the quadratic.
"""

from __future__ import annotations

import math
import re
import time
import warnings

import numpy as np
import pytest

from utils.landscapes import (
    DIVERGENCE_LOSS,
    LANDSCAPES,
    Beale,
    Quadratic,
    Rosenbrock,
    Saddle,
    Trajectory,
    quadratic,
    rosenbrock,
    run,
    saddle,
    tune_lr,
)
from utils.numdiff import numerical_gradient, numerical_jacobian
from utils.optim import OPTIMIZER_NAMES, Adam

ALL = [
    quadratic(),
    quadratic(condition=50.0, angle=0.7),
    rosenbrock(),
    rosenbrock(a=-0.5, b=10.0),
    Beale(),
    saddle(),
]
IDS = ["quadratic", "quadratic_rotated", "rosenbrock", "rosenbrock_a_b", "beale", "saddle"]


def _points_in_bounds(landscape, n=8, seed=0):
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = landscape.bounds
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


# --------------------------------------------------------------------------- values and gradients


@pytest.mark.parametrize("landscape", ALL, ids=IDS)
def test_gradient_matches_central_differences_inside_the_bounds(landscape):
    for p in _points_in_bounds(landscape):
        numeric = numerical_gradient(landscape.f, p)
        analytic = landscape.grad(p)
        scale = 1.0 + np.max(np.abs(analytic))
        np.testing.assert_allclose(analytic, numeric, rtol=0, atol=1e-7 * scale)


@pytest.mark.parametrize("landscape", ALL, ids=IDS)
def test_f_on_a_grid_equals_f_at_each_point(landscape):
    (x0, x1), (y0, y1) = landscape.bounds
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 4), np.linspace(y0, y1, 3)))
    values = landscape.f(grid)
    assert values.shape == (3, 4)
    expected = [[landscape.f(grid[:, i, j]) for j in range(4)] for i in range(3)]
    np.testing.assert_array_equal(values, expected)


@pytest.mark.parametrize("landscape", ALL, ids=IDS)
def test_grad_on_a_grid_equals_grad_at_each_point(landscape):
    (x0, x1), (y0, y1) = landscape.bounds
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 4), np.linspace(y0, y1, 3)))
    grads = landscape.grad(grid)
    assert grads.shape == (2, 3, 4)
    for i in range(3):
        for j in range(4):
            np.testing.assert_array_equal(grads[:, i, j], landscape.grad(grid[:, i, j]))


@pytest.mark.parametrize("landscape", ALL, ids=IDS)
def test_f_of_a_point_is_a_python_float(landscape):
    assert type(landscape.f(np.array(landscape.start))) is float


@pytest.mark.parametrize("landscape", [lan for lan in ALL if lan.minimum is not None], ids=IDS[:-1])
def test_minimum_has_zero_value_and_zero_gradient(landscape):
    m = np.array(landscape.minimum)
    assert landscape.f(m) == 0.0
    np.testing.assert_array_equal(landscape.grad(m), [0.0, 0.0])


@pytest.mark.parametrize("landscape", [lan for lan in ALL if lan.minimum is not None], ids=IDS[:-1])
def test_minimum_is_below_every_point_of_a_grid_over_the_bounds(landscape):
    (x0, x1), (y0, y1) = landscape.bounds
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 101), np.linspace(y0, y1, 101)))
    assert np.min(landscape.f(grid)) >= landscape.f(np.array(landscape.minimum))


def test_known_minima():
    assert quadratic(condition=7.0, angle=1.0).minimum == (0.0, 0.0)
    assert rosenbrock().minimum == (1.0, 1.0)
    assert rosenbrock(a=-0.5).minimum == (-0.5, 0.25)
    assert Beale().minimum == (3.0, 0.5)


def test_quadratic_hessian_has_eigenvalues_one_and_condition():
    q = quadratic(condition=25.0, angle=0.4)
    hessian = numerical_jacobian(q.grad, np.array([0.3, -0.2]))
    np.testing.assert_allclose(np.linalg.eigvalsh((hessian + hessian.T) / 2), [1.0, 25.0], rtol=1e-7)


def test_quadratic_angle_rotates_the_stiff_direction():
    phi, kappa = 0.3, 8.0
    stiff = np.array([-math.sin(phi), math.cos(phi)])  # unit vector of the eigenvalue kappa
    np.testing.assert_allclose(quadratic(kappa, phi).grad(stiff), kappa * stiff, rtol=1e-14)


def test_saddle_has_no_minimum_and_an_indefinite_stationary_point_at_the_origin():
    s = saddle()
    assert s.minimum is None
    np.testing.assert_array_equal(s.grad(np.zeros(2)), [0.0, 0.0])
    hessian = numerical_jacobian(s.grad, np.zeros(2))
    np.testing.assert_allclose(np.linalg.eigvalsh(hessian), [-2.0, 2.0], rtol=1e-7)


@pytest.mark.parametrize("landscape", ALL, ids=IDS)
def test_start_lies_inside_the_plotting_bounds(landscape):
    (x0, x1), (y0, y1) = landscape.bounds
    assert x0 < landscape.start[0] < x1 and y0 < landscape.start[1] < y1


def test_registry_holds_the_four_landscapes_by_name():
    assert {k: type(v) for k, v in LANDSCAPES.items()} == {
        "quadratic": Quadratic,
        "rosenbrock": Rosenbrock,
        "beale": Beale,
        "saddle": Saddle,
    }
    assert all(v.name == k for k, v in LANDSCAPES.items())


def test_overflowing_value_is_inf_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Beale().f(np.array([1e100, 1e100])) == math.inf


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: quadratic(condition=0.5), ValueError, "condition must be >= 1, got 0.5"),
        (lambda: quadratic(angle=math.nan), ValueError, "angle must be finite, got nan"),
        (lambda: rosenbrock(b=0.0), ValueError, "b must be positive, got 0.0"),
        (lambda: Quadratic(bounds=((1.0, -1.0), (0.0, 1.0))), ValueError, "bounds for x must satisfy min < max"),
        (lambda: Beale(start=(1.0, 2.0, 3.0)), ValueError, "start must be a point (x, y) of shape (2,)"),
    ],
)
def test_invalid_landscape_parameters_are_refused(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()


@pytest.mark.parametrize(
    "xy, error, message",
    [
        (np.zeros(3), ValueError, "xy must have shape (2,) for a point or (2, ...) for a grid, got shape (3,)"),
        (np.zeros((3, 2)), ValueError, "got shape (3, 2)"),
        (np.zeros(2, dtype=np.float32), TypeError, "xy must be float64, got float32"),
        (np.array([0.0, np.nan]), ValueError, "xy must contain only finite values"),
    ],
)
def test_invalid_xy_is_refused_by_f_and_grad(xy, error, message):
    for method in (LANDSCAPES["rosenbrock"].f, LANDSCAPES["rosenbrock"].grad):
        with pytest.raises(error, match=re.escape(message)):
            method(xy)


# --------------------------------------------------------------------------- run


def test_run_records_steps_plus_one_points_and_their_losses():
    traj = run("rosenbrock", "adam", steps=50, lr=0.01)
    assert isinstance(traj, Trajectory) and traj.diverged_at is None
    assert traj.points.shape == (51, 2) and traj.losses.shape == (51,)
    np.testing.assert_array_equal(traj.points[0], LANDSCAPES["rosenbrock"].start)
    np.testing.assert_array_equal(traj.losses, [LANDSCAPES["rosenbrock"].f(p) for p in traj.points])


def test_run_gradient_descent_on_the_quadratic_follows_the_closed_form():
    kappa, lr, x0 = 10.0, 0.05, np.array([-4.0, 3.0])
    traj = run(quadratic(kappa), "sgd", x0=x0, steps=30, lr=lr)
    t = np.arange(31)
    expected = np.column_stack([x0[0] * (1 - lr) ** t, x0[1] * (1 - lr * kappa) ** t])
    np.testing.assert_allclose(traj.points, expected, rtol=1e-12, atol=1e-15)


def test_run_detects_divergence_when_lr_exceeds_two_over_condition():
    kappa, lr, x0 = 10.0, 0.25, np.array([-4.0, 3.0])
    # closed form: x_t = x0 (1 - lr)^t, y_t = y0 (1 - lr kappa)^t, |1 - 2.5| > 1
    q = quadratic(kappa)
    limit = DIVERGENCE_LOSS * max(1.0, q.f(x0))
    t = 1
    while 0.5 * ((x0[0] * (1 - lr) ** t) ** 2 + kappa * (x0[1] * (1 - lr * kappa) ** t) ** 2) <= limit:
        t += 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = run(q, "sgd", x0=x0, steps=300, lr=lr)
    assert traj.diverged_at == t
    assert len(traj.points) == len(traj.losses) == t
    assert np.all(np.isfinite(traj.points)) and np.all(np.isfinite(traj.losses))


@pytest.mark.parametrize("name", ["rosenbrock", "beale", "quadratic"])
def test_run_with_an_overflowing_lr_stops_at_step_one_without_warnings(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = run(name, "sgd", steps=10, lr=1e300)
    assert traj.diverged_at == 1 and traj.points.shape == (1, 2)
    assert np.all(np.isfinite(traj.points)) and np.all(np.isfinite(traj.losses))


def test_run_on_the_saddle_escapes_and_reports_divergence_with_finite_arrays():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = run("saddle", "momentum", steps=1000, lr=0.1)
    assert traj.diverged_at is not None
    assert np.all(np.isfinite(traj.points)) and np.all(np.isfinite(traj.losses))
    assert abs(traj.points[-1, 1]) > 1e3  # escaped along the unstable direction y


def test_run_started_on_the_stable_axis_of_the_saddle_converges_to_it():
    traj = run("saddle", "sgd", x0=[1.0, 0.0], steps=200, lr=0.1)
    assert traj.diverged_at is None and np.allclose(traj.points[-1], 0.0, atol=1e-12)


def test_run_accepts_an_optimizer_factory():
    by_name = run("beale", "adam", steps=40, lr=0.05)
    by_class = run("beale", Adam, steps=40, lr=0.05)
    np.testing.assert_array_equal(by_name.points, by_class.points)


def test_run_does_not_modify_the_callers_x0():
    x0 = np.array([1.0, 1.0])
    run("beale", "sgd", x0=x0, steps=5, lr=0.01)
    np.testing.assert_array_equal(x0, [1.0, 1.0])


def test_run_with_zero_steps_returns_just_the_start():
    traj = run("beale", "sgd", steps=0, lr=0.1)
    assert traj.points.shape == (1, 2) and traj.diverged_at is None


def test_run_six_optimizers_for_300_steps_is_fast():
    start = time.perf_counter()
    for name in OPTIMIZER_NAMES:
        run("rosenbrock", name, steps=300, lr=1e-3)
    assert time.perf_counter() - start < 1.0  # about 0.015 s in practice


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(landscape="himmelblau", optimizer="sgd", lr=0.1), ValueError, "landscape must be one of 'quadratic'"),
        (dict(landscape=3, optimizer="sgd", lr=0.1), TypeError, "landscape must be a Landscape"),
        (dict(landscape="beale", optimizer="adagrad"), ValueError, "optimizer must be one of 'sgd'"),
        (dict(landscape="beale", optimizer=3), TypeError, "optimizer must be callable, got int"),
        (dict(landscape="beale", optimizer=lambda p, **h: None), TypeError, "must return a utils.optim.Optimizer"),
        (dict(landscape="beale", optimizer="sgd", steps=-1, lr=0.1), ValueError, "steps must be >= 0, got -1"),
        (dict(landscape="beale", optimizer="sgd", x0=[1.0], lr=0.1), ValueError, "x0 must be a point (x, y)"),
        (dict(landscape="beale", optimizer="sgd", x0=[1.0, math.inf], lr=0.1), ValueError, "x0 must contain only finite"),
        (dict(landscape="beale", optimizer="sgd", lr=-1.0), ValueError, "lr must be positive, got -1.0"),
    ],
)
def test_run_refuses_invalid_arguments(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        run(**kwargs)


# --------------------------------------------------------------------------- tune_lr


def test_tune_lr_picks_the_fastest_stable_rate_for_gradient_descent_on_a_quadratic():
    # On f = (u^2 + k v^2)/2 gradient descent contracts the two eigen-directions by
    # |1 - lr| and |1 - lr k| per step; the asymptotically fastest stable rate
    # minimises the larger of the two (and lr > 2/k diverges).
    k, grid = 10.0, [0.05, 0.1, 0.18, 0.21]
    rate = {lr: max(abs(1 - lr), abs(1 - lr * k)) for lr in grid}
    expected = min((lr for lr in grid if rate[lr] < 1), key=rate.get)
    assert tune_lr(quadratic(k), "sgd", steps=60, grid=grid) == expected == 0.18


def test_tune_lr_never_returns_a_rate_that_diverges():
    q = quadratic(10.0)
    lr = tune_lr(q, "sgd", steps=60)
    assert run(q, "sgd", steps=60, lr=lr).diverged_at is None
    assert lr < 2 / 10


def test_tune_lr_raises_when_every_rate_diverges():
    with pytest.raises(ValueError, match="every learning rate in grid diverged"):
        tune_lr(quadratic(10.0), "sgd", steps=60, grid=[0.5, 1.0])


def test_tune_lr_refuses_an_lr_argument():
    with pytest.raises(TypeError, match="chooses lr itself"):
        tune_lr(quadratic(), "sgd", lr=0.1)


def test_tune_lr_refuses_a_non_positive_candidate():
    with pytest.raises(ValueError, match=r"grid\[1\] must be positive"):
        tune_lr(quadratic(), "sgd", grid=[0.1, 0.0])


# ------------------------------------------------- property tests: bad input
from fractions import Fraction  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FLOAT_MAX = 1.7976931348623157e308
ANY_FINITE = st.floats(min_value=-FLOAT_MAX, max_value=FLOAT_MAX)


@settings(max_examples=200, deadline=None)
@given(x=ANY_FINITE, y=ANY_FINITE)
def test_saddle_value_is_never_nan_and_has_the_sign_of_the_exact_value(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = Saddle().f([x, y])
    exact = Fraction(x) ** 2 - Fraction(y) ** 2
    assert not math.isnan(value)
    if abs(exact) > Fraction(1e-290):  # not lost to underflow
        assert (value > 0) == (exact > 0) and (value < 0) == (exact < 0)
    if abs(exact) <= Fraction(FLOAT_MAX) / 2:
        assert math.isclose(value, float(exact), rel_tol=1e-12, abs_tol=1e-300)


@pytest.mark.parametrize("name", ["", "Adam", "adam ", "sgd_momentum", "l-bfgs"])
def test_run_with_an_unknown_optimizer_name_names_optimizer(name):
    assert name not in OPTIMIZER_NAMES
    with pytest.raises(ValueError, match=r"^optimizer must be one of"):
        run("quadratic", name, steps=1, lr=0.1)


@settings(max_examples=50, deadline=None)
@given(landscape=st.sampled_from(sorted(LANDSCAPES)), xy=st.sampled_from([None, "xy", object()]))
def test_a_point_that_is_not_an_array_is_refused_with_typeerror_naming_xy(landscape, xy):
    with pytest.raises(TypeError, match=r"^xy must be an array of real numbers"):
        LANDSCAPES[landscape].f(xy)
