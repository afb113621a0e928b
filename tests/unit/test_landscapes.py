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
    np.testing.assert_allclose(
        np.linalg.eigvalsh((hessian + hessian.T) / 2), [1.0, 25.0], rtol=1e-7
    )


def test_quadratic_angle_rotates_the_stiff_direction():
    phi, kappa = 0.3, 8.0
    stiff = np.array([-math.sin(phi), math.cos(phi)])  # unit vector of the eigenvalue kappa
    np.testing.assert_allclose(quadratic(kappa, phi).grad(stiff), kappa * stiff, rtol=1e-14)


def test_quadratic_center_moves_the_minimum_and_keeps_the_shape():
    # f(z) = 1/2 (z - c)^T H (z - c), H = R^T diag(1, kappa) R, R the rotation by phi
    phi, kappa, c = 0.5, 10.0, np.array([1.0, 0.5])
    rot = np.array([[math.cos(phi), math.sin(phi)], [-math.sin(phi), math.cos(phi)]])
    hessian = rot.T @ np.diag([1.0, kappa]) @ rot
    q = quadratic(kappa, phi, center=(1.0, 0.5))
    assert q.minimum == (1.0, 0.5) and q.f(c) == 0.0
    np.testing.assert_array_equal(q.grad(c), [0.0, 0.0])
    for z in (np.array([-3.0, 3.5]), np.array([0.0, 0.0]), np.array([2.5, -1.0])):
        d = z - c
        np.testing.assert_allclose(q.f(z), 0.5 * d @ hessian @ d, rtol=1e-13)
        np.testing.assert_allclose(q.grad(z), hessian @ d, rtol=1e-13, atol=1e-14)


def test_quadratic_center_defaults_to_the_origin():
    assert quadratic().center == (0.0, 0.0) == quadratic().minimum


def test_race_quadratic_has_its_minimum_away_from_the_origin_where_weight_decay_pulls():
    q = RACE_LANDSCAPES["quadratic κ=10"]
    assert q.minimum != (0.0, 0.0)
    # same picture as the centred bowl: the start and the bounds moved with the minimum
    assert np.allclose(np.subtract(q.start, q.minimum), quadratic().start)


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
        (
            lambda: quadratic(center=(0.0, math.inf)),
            ValueError,
            "center must contain only finite values",
        ),
        (
            lambda: quadratic(center=(1.0,)),
            ValueError,
            "center must be a point (x, y) of shape (2,)",
        ),
        (lambda: rosenbrock(b=0.0), ValueError, "b must be positive, got 0.0"),
        (
            lambda: Quadratic(bounds=((1.0, -1.0), (0.0, 1.0))),
            ValueError,
            "bounds for x must satisfy min < max",
        ),
        (
            lambda: Beale(start=(1.0, 2.0, 3.0)),
            ValueError,
            "start must be a point (x, y) of shape (2,)",
        ),
    ],
)
def test_invalid_landscape_parameters_are_refused(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()


@pytest.mark.parametrize(
    "xy, error, message",
    [
        (
            np.zeros(3),
            ValueError,
            "xy must have shape (2,) for a point or (2, ...) for a grid, got shape (3,)",
        ),
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
    while (
        0.5 * ((x0[0] * (1 - lr) ** t) ** 2 + kappa * (x0[1] * (1 - lr * kappa) ** t) ** 2) <= limit
    ):
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
        (
            dict(landscape="himmelblau", optimizer="sgd", lr=0.1),
            ValueError,
            "landscape must be one of 'quadratic'",
        ),
        (dict(landscape=3, optimizer="sgd", lr=0.1), TypeError, "landscape must be a Landscape"),
        (
            dict(landscape="beale", optimizer="adagrad"),
            ValueError,
            "optimizer must be one of 'sgd'",
        ),
        (dict(landscape="beale", optimizer=3), TypeError, "optimizer must be callable, got int"),
        (
            dict(landscape="beale", optimizer=lambda p, **h: None),
            TypeError,
            "must return a utils.optim.Optimizer",
        ),
        (
            dict(landscape="beale", optimizer="sgd", steps=-1, lr=0.1),
            ValueError,
            "steps must be >= 0, got -1",
        ),
        (
            dict(landscape="beale", optimizer="sgd", x0=[1.0], lr=0.1),
            ValueError,
            "x0 must be a point (x, y)",
        ),
        (
            dict(landscape="beale", optimizer="sgd", x0=[1.0, math.inf], lr=0.1),
            ValueError,
            "x0 must contain only finite",
        ),
        (
            dict(landscape="beale", optimizer="sgd", lr=-1.0),
            ValueError,
            "lr must be positive, got -1.0",
        ),
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


# --------------------------------------------------------------------------- level sets
# Expected values: the quadratic's value (its own formula) and the ellipse's semi-axes.

from utils.landscapes import (  # noqa: E402
    RACE_LANDSCAPES,
    RACE_LR_GRID,
    RACE_TUNED_ON,
    escape_step,
    quadratic_level_set,
    race_hyper,
    tuned_rates,
)


@pytest.mark.parametrize(
    "condition, level, angle", [(10.0, 2.0, 0.3), (1.0, 0.5, 0.0), (100.0, 35.0, -1.2)]
)
def test_level_set_points_lie_on_the_level_of_the_rotated_bowl(condition, level, angle):
    pts = quadratic_level_set(condition, level, angle=angle)
    assert pts.shape == (120, 2)
    assert np.allclose(quadratic(condition, angle=angle).f(pts.T), level)


def test_level_set_semi_axes_are_root_2c_and_root_2c_over_kappa():
    radii = np.hypot(*quadratic_level_set(9.0, 2.0, angle=0.7, n=4001).T)
    assert radii.max() == pytest.approx(2.0, rel=1e-6)  # sqrt(2 * 2)
    assert radii.min() == pytest.approx(2.0 / 3.0, rel=1e-6)  # sqrt(2 * 2 / 9)


def test_level_set_is_a_closed_curve():
    pts = quadratic_level_set(10.0, 1.0, n=7)
    assert np.allclose(pts[0], pts[-1])


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"condition": 0.5}, ValueError, "condition"),
        ({"level": -1.0}, ValueError, "level"),
        ({"level": float("inf")}, ValueError, "level"),
        ({"angle": "0"}, TypeError, "angle"),
        ({"n": 1}, ValueError, "n"),
        ({"n": 2.0}, TypeError, "n"),
    ],
)
def test_level_set_refuses_bad_arguments_naming_them(kwargs, error, name):
    with pytest.raises(error, match=rf"^{name} "):
        quadratic_level_set(**({"condition": 10.0, "level": 1.0} | kwargs))


# --------------------------------------------------------------------------- the race's tuning
# Expected values: gradient descent on a quadratic with Hessian eigenvalues 1 and kappa
# converges fastest at lr = 2 / (1 + kappa) (the rate that equalises |1 - lr| and
# |1 - kappa lr|); the saddle's iterates y_t = (1 + 2 lr)^t y_0 in closed form.


def test_race_hyper_gives_beta_to_momentum_and_to_adams_first_moment():
    assert race_hyper("momentum", 0.8) == {"momentum": 0.8}
    assert race_hyper("adam", 0.8) == {"betas": (0.8, 0.999)}
    assert race_hyper("adamw", 0.8) == {"betas": (0.8, 0.999), "weight_decay": 0.01}
    assert race_hyper("rmsprop", 0.8) == {} and race_hyper("sgd", 0.8) == {}


@pytest.mark.parametrize("beta", [0.0, 1.0, -0.5, float("nan")])
def test_race_hyper_refuses_a_beta_outside_the_open_unit_interval(beta):
    with pytest.raises(ValueError, match=r"^beta must"):
        race_hyper("adam", beta)


def test_race_hyper_refuses_an_unknown_optimizer_naming_it():
    with pytest.raises(ValueError, match=r"^optimizer must be one of"):
        race_hyper("lbfgs", 0.9)


def test_tuned_sgd_rate_is_the_grid_rate_nearest_the_optimum_two_over_one_plus_kappa():
    rate = tuned_rates(quadratic(10.0), 0.9)["sgd"]
    nearest = min(RACE_LR_GRID, key=lambda lr: abs(math.log(lr) - math.log(2 / 11)))
    assert rate == nearest


def test_tuned_rates_fail_loudly_when_a_rate_is_at_the_top_of_the_grid():
    # every rate below 2/11: the fastest of them, the top of the grid, wins
    with pytest.raises(ValueError, match=r"'sgd' on quadratic, 0\.1, is at the edge of its grid"):
        tuned_rates(quadratic(10.0), 0.9, grid=[0.001, 0.01, 0.1])


def test_tuned_rates_fail_loudly_when_a_rate_is_at_the_bottom_of_the_grid():
    # the rates above the stability limit 2/10 diverge: only the smallest, 0.19, converges
    with pytest.raises(ValueError, match=r"'sgd' on quadratic, 0\.19, is at the edge of its grid"):
        tuned_rates(quadratic(10.0), 0.9, grid=[0.19, 1.0, 10.0])


def test_tuned_rates_refuse_a_landscape_without_a_minimum():
    with pytest.raises(ValueError, match="saddle has no minimum"):
        tuned_rates(saddle(), 0.9)


def test_tuned_rates_are_computed_once_per_landscape_beta_and_grid():
    first = tuned_rates(quadratic(10.0), 0.9)
    expected = dict(first)
    first["sgd"] = -1.0  # the caller's copy: the cache is not changed
    start = time.perf_counter()
    again = tuned_rates(quadratic(10.0), 0.9)
    assert time.perf_counter() - start < 0.01  # 198 trial runs would take far longer
    assert again == expected


@pytest.mark.parametrize(
    "grid, error", [([0.1, 0.2], ValueError), ("0.1", TypeError), ([0.1, -1.0, 1.0], ValueError)]
)
def test_tuned_rates_refuse_a_bad_grid(grid, error):
    with pytest.raises(error, match=r"^grid"):
        tuned_rates(quadratic(10.0), 0.9, grid=grid)


def test_every_race_landscape_is_tuned_on_a_race_landscape_with_a_minimum():
    assert set(RACE_TUNED_ON) == set(RACE_LANDSCAPES)
    assert all(RACE_LANDSCAPES[RACE_TUNED_ON[name]].minimum is not None for name in RACE_LANDSCAPES)


# --------------------------------------------------------------------------- escapes


def test_gradient_descent_escapes_the_saddle_when_y_leaves_the_plot():
    # y_t = 0.01 * 1.5**t at lr = 0.25 passes the bound 2 at t = ceil(log(200) / log(1.5)) = 14
    traj = run(saddle(), "sgd", steps=40, lr=0.25)
    assert escape_step(saddle(), traj) == math.ceil(math.log(200) / math.log(1.5))


def test_a_run_that_stays_on_the_saddles_stable_axis_does_not_escape():
    traj = run(saddle(), "sgd", x0=(1.0, 0.0), steps=40, lr=0.25)
    assert escape_step(saddle(), traj) is None


def test_a_run_that_has_not_left_the_plot_has_not_escaped():
    traj = run(saddle(), "sgd", steps=5, lr=0.25)  # y = 0.01 * 1.5**5 = 0.076
    assert escape_step(saddle(), traj) is None


def test_a_run_whose_loss_rises_again_has_not_escaped():
    points = np.array([[-1.5, 0.01], [0.0, 3.0], [100.0, 4.0]])
    losses = np.array([2.25, -9.0, 9984.0])  # x^2 - y^2 at each point: down, then up
    assert escape_step(saddle(), Trajectory(points, losses, diverged_at=3)) is None


def test_nothing_escapes_a_landscape_with_a_minimum():
    traj = run(rosenbrock(), "sgd", steps=50, lr=0.01)
    assert traj.diverged_at is not None and escape_step(rosenbrock(), traj) is None


def test_escape_step_refuses_what_is_not_a_landscape_and_a_trajectory():
    traj = run(saddle(), "sgd", steps=5, lr=0.25)
    with pytest.raises(TypeError, match=r"^landscape must be a Landscape"):
        escape_step("saddle", traj)
    with pytest.raises(TypeError, match=r"^traj must be a Trajectory"):
        escape_step(saddle(), traj.points)


# ------------------------------------------- tune_lr(require_interior=True)
# Gradient descent on f = (u^2 + k v^2)/2 contracts the two eigen-directions
# by |1 - lr| and |1 - k lr| per step; the larger factor is smallest at the
# analytic optimum lr* = 2/(1 + k), where both equal (k - 1)/(k + 1).


def test_tune_lr_require_interior_accepts_a_grid_that_brackets_the_optimum():
    k = 10.0
    best = 2 / (1 + k)
    grid = [0.05, 0.1, best, 0.195]  # 0.195 < 2/k is stable but slower
    assert tune_lr(quadratic(k), "sgd", steps=60, grid=grid, require_interior=True) == best


def test_tune_lr_require_interior_raises_when_the_best_rate_is_the_largest():
    # every rate of this grid is below 2/11: the largest contracts fastest
    grid = [0.01, 0.02, 0.05]
    with pytest.raises(ValueError) as info:
        tune_lr(quadratic(10.0), "sgd", steps=60, grid=grid, require_interior=True)
    message = str(info.value)
    assert "'sgd'" in message and "0.05" in message
    assert "[0.01, 0.02, 0.05]" in message and "widen the grid" in message


def test_tune_lr_require_interior_raises_when_the_best_rate_is_the_smallest():
    # 0.19 is stable (< 2/10) and contracts by 0.9 per step; 0.199 by 0.99
    with pytest.raises(ValueError, match=r"'sgd' on quadratic, 0\.19, is at the edge"):
        tune_lr(quadratic(10.0), "sgd", steps=60, grid=[0.19, 0.199], require_interior=True)


def test_tune_lr_without_require_interior_returns_an_edge_rate():
    assert tune_lr(quadratic(10.0), "sgd", steps=60, grid=[0.01, 0.02, 0.05]) == 0.05


def test_tune_lr_require_interior_must_be_a_bool():
    with pytest.raises(TypeError, match="require_interior"):
        tune_lr(quadratic(), "sgd", grid=[0.1, 0.2, 0.3], require_interior="yes")
