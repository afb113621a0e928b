"""Tests of utils.optim.

Expected values come from PyTorch's own trajectories in
``tests/reference/optim_trajectories.json`` (written by
``scripts/make_optim_reference.py``; torch is not imported here) and from the
update formulas worked out by hand for one or two steps.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from utils import optim
from utils.optim import SGD, Adam, AdamW, RMSprop, clip_grad_norm, make_optimizer

REFERENCE = json.loads(
    (Path(__file__).resolve().parents[1] / "reference" / "optim_trajectories.json").read_text()
)
OPTIM_REF = REFERENCE["optim"]
TOL = 1e-12


def _init_params():
    return [np.array(p, dtype=np.float64) for p in OPTIM_REF["init"]]


def _build(case, params):
    hyper = dict(case["hyper"])
    if "betas" in hyper:
        hyper["betas"] = tuple(hyper["betas"])
    return getattr(optim, case["optimizer"])(params, **hyper)


def _max_rel_dev(ours, ref):
    ref = np.asarray(ref, dtype=np.float64)
    return float(np.max(np.abs(ours - ref) / np.maximum(1.0, np.abs(ref)), initial=0.0))


# --------------------------------------------------------------------------- torch reference


@pytest.mark.parametrize("case", OPTIM_REF["cases"], ids=[c["name"] for c in OPTIM_REF["cases"]])
def test_trajectory_matches_torch_to_1e12(case):
    params = _init_params()
    opt = _build(case, params)
    worst = 0.0
    for t, step_grads in enumerate(OPTIM_REF["grads"]):
        if case["lrs"] is not None:
            opt.lr = case["lrs"][t]
        opt.step([np.array(g, dtype=np.float64) for g in step_grads])
        for p, ref in zip(params, case["trajectory"][t], strict=False):
            worst = max(worst, _max_rel_dev(p, ref))
    assert worst <= TOL


@pytest.mark.parametrize(
    "case", REFERENCE["clip_grad_norm"], ids=[c["name"] for c in REFERENCE["clip_grad_norm"]]
)
def test_clip_grad_norm_matches_torch(case):
    grads = [np.array(g, dtype=np.float64) for g in case["grads"]]
    norm_type = math.inf if case["norm_type"] == "inf" else case["norm_type"]
    total = clip_grad_norm(grads, case["max_norm"], norm_type=norm_type)
    assert abs(total - case["total_norm"]) <= TOL * case["total_norm"]
    for g, ref in zip(grads, case["clipped"], strict=False):
        assert _max_rel_dev(g, ref) <= TOL


# --------------------------------------------------------------------------- hand-derived steps


def test_sgd_step_subtracts_lr_times_gradient():
    w = np.array([1.0, 2.0])
    SGD([w], lr=0.5).step([np.array([2.0, -4.0])])
    np.testing.assert_array_equal(w, [0.0, 4.0])


def test_sgd_first_momentum_buffer_is_the_undampened_gradient():
    w = np.zeros(1)
    opt = SGD([w], lr=1.0, momentum=0.9, dampening=0.5)
    opt.step([np.array([2.0])])
    np.testing.assert_array_equal(w, [-2.0])  # b_1 = g_1, not (1 - 0.5) g_1
    opt.step([np.array([2.0])])
    np.testing.assert_allclose(w, [-2.0 - (0.9 * 2.0 + 0.5 * 2.0)], rtol=1e-15)


def test_sgd_momentum_equals_ema_momentum_with_lr_times_one_minus_beta():
    beta, eta = 0.9, 0.3
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=3) for _ in range(15)]
    w = np.ones(3)
    opt = SGD([w], lr=eta * (1 - beta), momentum=beta)
    theta, v = np.ones(3), np.zeros(3)
    for g in grads:
        opt.step([g])
        v = beta * v + (1 - beta) * g  # the "EMA" convention
        theta = theta - eta * v
    np.testing.assert_allclose(w, theta, rtol=1e-13, atol=1e-13)


def test_sgd_nesterov_step_uses_gradient_plus_mu_times_buffer():
    w = np.zeros(1)
    opt = SGD([w], lr=0.1, momentum=0.5, nesterov=True)
    opt.step([np.array([1.0])])  # b1 = 1, d1 = 1 + 0.5 = 1.5
    opt.step([np.array([2.0])])  # b2 = 0.5 + 2 = 2.5, d2 = 2 + 1.25 = 3.25
    np.testing.assert_allclose(w, [-0.1 * (1.5 + 3.25)], rtol=1e-15)


def test_sgd_weight_decay_adds_lambda_theta_to_gradient():
    w = np.array([2.0])
    SGD([w], lr=0.1, weight_decay=0.5).step([np.array([1.0])])
    np.testing.assert_allclose(w, [2.0 - 0.1 * (1.0 + 0.5 * 2.0)], rtol=1e-15)


def test_sgd_maximize_ascends_the_gradient():
    w = np.array([1.0])
    SGD([w], lr=0.1, maximize=True).step([np.array([2.0])])
    np.testing.assert_allclose(w, [1.2], rtol=1e-15)


def test_rmsprop_first_step_divides_by_sqrt_of_one_minus_alpha_times_abs_gradient():
    g = np.array([2.0, -0.5])
    w = np.zeros(2)
    RMSprop([w], lr=0.01, alpha=0.9, eps=1e-8).step([g])
    expected = -0.01 * g / (np.sqrt(0.1 * g**2) + 1e-8)
    np.testing.assert_allclose(w, expected, rtol=1e-14)


def test_rmsprop_centered_first_step_uses_alpha_times_one_minus_alpha_variance():
    g = np.array([3.0])
    w = np.zeros(1)
    RMSprop([w], lr=0.01, alpha=0.8, eps=1e-8, centered=True).step([g])
    # v = 0.2 g^2, gbar = 0.2 g, v - gbar^2 = 0.8 * 0.2 * g^2
    expected = -0.01 * g / (np.sqrt(0.8 * 0.2 * g**2) + 1e-8)
    np.testing.assert_allclose(w, expected, rtol=1e-14)


def test_adam_first_step_is_lr_times_g_over_abs_g_plus_eps():
    g = np.array([1000.0, -1e-3, 0.0])
    w = np.ones(3)
    Adam([w], lr=0.1, eps=1e-8).step([g])
    np.testing.assert_allclose(w, 1.0 - 0.1 * g / (np.abs(g) + 1e-8), rtol=1e-14)


def test_adam_second_step_follows_the_bias_corrected_formula():
    b1, b2, lr, eps = 0.9, 0.999, 0.01, 1e-8
    g1, g2 = 0.5, -2.0
    w = np.zeros(1)
    opt = Adam([w], lr=lr, betas=(b1, b2), eps=eps)
    opt.step([np.array([g1])])
    opt.step([np.array([g2])])
    m1, v1 = (1 - b1) * g1, (1 - b2) * g1**2
    m2, v2 = b1 * m1 + (1 - b1) * g2, b2 * v1 + (1 - b2) * g2**2
    step1 = lr * g1 / (abs(g1) + eps)
    step2 = lr * (m2 / (1 - b1**2)) / (math.sqrt(v2 / (1 - b2**2)) + eps)
    np.testing.assert_allclose(w, [-step1 - step2], rtol=1e-13)


def test_adam_weight_decay_is_an_l2_term_added_to_the_gradient():
    w = np.array([2.0])
    Adam([w], lr=0.1, weight_decay=3.0).step([np.array([-1.0])])
    g = -1.0 + 3.0 * 2.0
    np.testing.assert_allclose(w, [2.0 - 0.1 * g / (abs(g) + 1e-8)], rtol=1e-14)


def test_amsgrad_normalises_by_the_running_maximum_of_v():
    b1, b2, lr, eps = 0.9, 0.99, 0.1, 1e-8
    w = np.zeros(1)
    opt = Adam([w], lr=lr, betas=(b1, b2), amsgrad=True)
    opt.step([np.array([10.0])])
    w_after_1 = w.copy()
    opt.step([np.array([0.1])])
    v1 = (1 - b2) * 100.0
    v2 = b2 * v1 + (1 - b2) * 0.01
    m2 = b1 * (1 - b1) * 10.0 + (1 - b1) * 0.1
    vmax = max(v1, v2)
    step2 = lr / (1 - b1**2) * m2 / (math.sqrt(vmax) / math.sqrt(1 - b2**2) + eps)
    np.testing.assert_allclose(w, w_after_1 - step2, rtol=1e-13)


def test_adamw_with_zero_gradient_only_shrinks_by_one_minus_lr_lambda():
    w = np.array([2.0, -4.0])
    AdamW([w], lr=0.1, weight_decay=0.5).step([np.zeros(2)])
    np.testing.assert_allclose(w, np.array([2.0, -4.0]) * (1 - 0.1 * 0.5), rtol=1e-15)


def test_adamw_decay_does_not_enter_the_moments():
    w_adamw, w_adam = np.array([2.0]), np.array([2.0])
    g = np.array([0.3])
    AdamW([w_adamw], lr=0.1, weight_decay=0.5).step([g])
    Adam([w_adam], lr=0.1).step([g])
    # decoupled: theta (1 - lr lambda) - (the plain Adam step of g)
    np.testing.assert_allclose(w_adamw, 2.0 * (1 - 0.05) + (w_adam - 2.0), rtol=1e-14)


# --------------------------------------------------------------------------- in-place semantics


@pytest.mark.parametrize("name", optim.OPTIMIZER_NAMES)
def test_step_updates_the_callers_arrays_in_place(name):
    a, b = np.ones(3), np.ones((2, 2))
    opt = make_optimizer(name, [a, b], lr=0.1)
    opt.step([np.ones(3), np.ones((2, 2))])
    assert opt.params[0] is a and opt.params[1] is b
    assert np.all(a < 1.0) and np.all(b < 1.0)


@pytest.mark.parametrize("name", optim.OPTIMIZER_NAMES)
def test_step_leaves_the_gradient_arrays_unchanged(name):
    g = np.array([1.0, -2.0])
    opt = make_optimizer(name, [np.ones(2)], lr=0.1, weight_decay=0.1)
    opt.step([g])
    opt.step([g])
    np.testing.assert_array_equal(g, [1.0, -2.0])


def test_scalar_0d_parameter_is_updated_in_place():
    w = np.array(1.0)
    Adam([w], lr=0.1).step([np.array(2.0)])
    assert w.shape == () and abs(float(w) - (1.0 - 0.1 * 2.0 / (2.0 + 1e-8))) < 1e-15


def test_lr_change_takes_effect_at_the_next_step():
    w = np.zeros(1)
    opt = SGD([w], lr=0.1)
    opt.step([np.ones(1)])
    opt.lr = 0.5
    opt.step([np.ones(1)])
    np.testing.assert_allclose(w, [-0.6], rtol=1e-15)


def test_lr_set_to_zero_makes_the_step_a_no_op():
    w = np.array([1.0])
    opt = Adam([w], lr=0.1)
    opt.lr = 0.0
    opt.step([np.array([5.0])])
    np.testing.assert_array_equal(w, [1.0])


def test_step_count_counts_completed_steps():
    opt = SGD([np.zeros(1)], lr=0.1)
    for _ in range(3):
        opt.step([np.ones(1)])
    assert opt.step_count == 3


def test_adam_state_has_torch_named_buffers_per_parameter():
    opt = Adam([np.zeros(2), np.zeros(3)], lr=0.1, amsgrad=True)
    opt.step([np.ones(2), np.ones(3)])
    assert set(opt.state[1]) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert opt.state[1]["exp_avg"].shape == (3,) and opt.state[1]["step"] == 1


def test_bad_gradient_leaves_every_parameter_and_the_state_untouched():
    a, b = np.ones(2), np.ones(2)
    opt = Adam([a, b], lr=0.1)
    with pytest.raises(ValueError):
        opt.step([np.ones(2), np.array([1.0, np.nan])])
    np.testing.assert_array_equal(a, [1.0, 1.0])
    assert opt.state[0] == {} and opt.step_count == 0


def test_repr_lists_the_hyperparameters():
    assert repr(AdamW([np.zeros(1)], lr=0.1)) == (
        "AdamW(lr=0.1, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=False)"
    )


# --------------------------------------------------------------------------- validation: params


def test_params_given_as_a_bare_array_is_refused():
    with pytest.raises(TypeError, match=re.escape("wrap it in a list: [x]")):
        SGD(np.zeros(2), lr=0.1)


def test_empty_params_is_refused():
    with pytest.raises(ValueError, match="params must be a non-empty list"):
        Adam([], lr=0.1)


def test_float32_param_is_refused_with_a_hint():
    with pytest.raises(TypeError, match=r"params\[1\] must be float64, got float32 .*astype"):
        Adam([np.zeros(2), np.zeros(2, dtype=np.float32)])


def test_integer_param_is_refused():
    with pytest.raises(TypeError, match=r"params\[0\] must be float64, got int64"):
        Adam([np.zeros(2, dtype=np.int64)])


def test_param_that_is_not_an_array_is_refused():
    with pytest.raises(TypeError, match=r"params\[0\] must be a float64 NumPy array .*got list"):
        Adam([[1.0, 2.0]])


def test_read_only_param_is_refused():
    w = np.zeros(2)
    w.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\[0\] is read-only"):
        Adam([w])


def test_non_finite_param_is_refused():
    with pytest.raises(ValueError, match=r"params\[0\] must contain only finite values"):
        Adam([np.array([np.inf])])


def test_the_same_array_twice_is_refused():
    w = np.zeros(2)
    with pytest.raises(ValueError, match=re.escape("params[1] is the same array as params[0]")):
        Adam([w, w])


# --------------------------------------------------------------------------- validation: grads


def test_grads_of_the_wrong_length_are_refused():
    opt = Adam([np.zeros(2), np.zeros(3)])
    with pytest.raises(ValueError, match="grads has 1 entries but there are 2 params"):
        opt.step([np.zeros(2)])


def test_grad_of_the_wrong_shape_names_the_index():
    opt = Adam([np.zeros(2), np.zeros(2)])
    with pytest.raises(
        ValueError, match=re.escape("grads[1] has shape (3,) but params[1] has shape (2,)")
    ):
        opt.step([np.zeros(2), np.zeros(3)])


#: Array sizes on both sides of the threshold of optim._all_finite, which checks the few
#: entries of a small float64 array on Python floats and larger arrays with NumPy.
SMALL_AND_LARGE = [2, 100]


@pytest.mark.parametrize("size", SMALL_AND_LARGE)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_gradient_raises_naming_the_index(bad, size):
    opt = SGD([np.zeros(2), np.zeros(size)], lr=0.1)
    with pytest.raises(ValueError, match=re.escape("grads[1] must contain only finite values")):
        opt.step([np.zeros(2), np.r_[np.zeros(size - 1), bad]])


@pytest.mark.parametrize("size", SMALL_AND_LARGE)
def test_an_update_that_overflows_raises_and_restores_the_parameters(size):
    p = np.ones(size)
    opt = SGD([p], lr=1e10)
    with pytest.raises(OverflowError, match=re.escape("the update of params[0] overflows")):
        opt.step([np.full(size, 1e300)])  # 1 - 1e310 is -inf
    assert np.array_equal(p, np.ones(size)) and opt.step_count == 0


@pytest.mark.parametrize("size", SMALL_AND_LARGE)
def test_a_subclass_may_keep_a_complex_buffer_in_its_state(size):
    class PhaseDescent(optim.Optimizer):
        def _update(self, p, g, state):
            state.setdefault("phase", np.zeros(p.shape, complex))
            state["phase"] += 1j * g
            p -= self.lr * g

    p = np.zeros(size)
    opt = PhaseDescent([p], lr=0.5)
    opt.step([np.ones(size)])
    assert np.array_equal(opt.state[0]["phase"], np.full(size, 1j)) and p[0] == -0.5


def test_float32_gradient_is_refused():
    opt = SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(TypeError, match=r"grads\[0\] must be float64, got float32"):
        opt.step([np.zeros(2, dtype=np.float32)])


def test_grads_given_as_a_bare_array_is_refused():
    opt = SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(TypeError, match="grads must be a list of arrays"):
        opt.step(np.zeros(2))


# --------------------------------------------------------------------- validation: hyper-parameters


@pytest.mark.parametrize(
    "factory, kwargs, error, message",
    [
        (SGD, {"lr": 0.0}, ValueError, "lr must be positive, got 0.0"),
        (SGD, {"lr": -0.1}, ValueError, "lr must be positive, got -0.1"),
        (Adam, {"lr": math.nan}, ValueError, "lr must be finite, got nan"),
        (Adam, {"lr": math.inf}, ValueError, "lr must be finite, got inf"),
        (Adam, {"lr": "0.1"}, TypeError, "lr must be a real number, got str '0.1'"),
        (Adam, {"betas": (1.0, 0.999)}, ValueError, "beta1 must be in [0, 1), got 1.0"),
        (Adam, {"betas": (0.9, -0.1)}, ValueError, "beta2 must be in [0, 1), got -0.1"),
        (AdamW, {"betas": (0.9,)}, TypeError, "betas must be a pair (beta1, beta2), got (0.9,)"),
        (Adam, {"eps": 0.0}, ValueError, "eps must be positive, got 0.0"),
        (RMSprop, {"eps": -1e-8}, ValueError, "eps must be positive, got -1e-08"),
        (Adam, {"weight_decay": -0.1}, ValueError, "weight_decay must be non-negative, got -0.1"),
        (SGD, {"lr": 0.1, "weight_decay": -1.0}, ValueError, "weight_decay must be non-negative"),
        (SGD, {"lr": 0.1, "momentum": 1.0}, ValueError, "momentum must be in [0, 1), got 1.0"),
        (SGD, {"lr": 0.1, "dampening": 1.5}, ValueError, "dampening must be in [0, 1], got 1.5"),
        (
            SGD,
            {"lr": 0.1, "nesterov": True},
            ValueError,
            "nesterov momentum requires momentum > 0 and dampening == 0, got momentum=0.0",
        ),
        (
            SGD,
            {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True},
            ValueError,
            "nesterov momentum requires momentum > 0 and dampening == 0",
        ),
        (
            SGD,
            {"lr": 0.1, "nesterov": 1},
            TypeError,
            "nesterov must be a bool (True or False), got int 1",
        ),
        (RMSprop, {"alpha": 1.0}, ValueError, "alpha must be in [0, 1), got 1.0"),
        (RMSprop, {"momentum": -0.5}, ValueError, "momentum must be in [0, 1), got -0.5"),
        (Adam, {"amsgrad": "yes"}, TypeError, "amsgrad must be a bool (True or False)"),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else None,
)
def test_invalid_hyperparameter_is_refused_with_a_message(factory, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        factory([np.zeros(2)], **kwargs)


@pytest.mark.parametrize(
    "value, error", [(-0.1, ValueError), (math.nan, ValueError), (None, TypeError)]
)
def test_lr_setter_refuses_negative_nan_and_non_numbers(value, error):
    opt = SGD([np.zeros(1)], lr=0.1)
    with pytest.raises(error, match="lr must be"):
        opt.lr = value


# --------------------------------------------------------------------------- clip_grad_norm


def test_clip_grad_norm_scales_in_place_to_max_norm_times_norm_over_norm_plus_1e6():
    a, b = np.array([3.0, 0.0]), np.array([4.0])
    total = clip_grad_norm([a, b], max_norm=2.0)
    assert total == 5.0
    coef = 2.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(np.concatenate([a, b]), coef * np.array([3.0, 0.0, 4.0]), rtol=1e-15)


def test_clip_grad_norm_below_threshold_leaves_grads_unchanged():
    g = np.array([0.3, -0.4])
    assert clip_grad_norm([g], max_norm=1.0) == pytest.approx(0.5, rel=1e-15)
    np.testing.assert_array_equal(g, [0.3, -0.4])


def test_clip_grad_norm_inf_norm_is_the_largest_absolute_entry():
    a, b = np.array([1.0, -7.0]), np.array([[2.0, 3.0]])
    total = clip_grad_norm([a, b], max_norm=1.0, norm_type=math.inf)
    assert total == 7.0
    np.testing.assert_allclose(a, np.array([1.0, -7.0]) / (7.0 + 1e-6), rtol=1e-15)


def test_clip_grad_norm_accepts_the_string_inf():
    assert clip_grad_norm([np.array([-2.0, 1.0])], max_norm=10.0, norm_type="inf") == 2.0


def test_clip_grad_norm_refuses_non_finite_gradient_naming_the_index():
    with pytest.raises(ValueError, match=re.escape("grads[1] must contain only finite values")):
        clip_grad_norm([np.ones(2), np.array([np.nan])], max_norm=1.0)


@pytest.mark.parametrize("max_norm", [0.0, -1.0, math.inf])
def test_clip_grad_norm_refuses_non_positive_or_infinite_max_norm(max_norm):
    with pytest.raises(ValueError, match="max_norm must be"):
        clip_grad_norm([np.ones(2)], max_norm=max_norm)


@pytest.mark.parametrize("norm_type", [0.0, -2.0, "fro"])
def test_clip_grad_norm_refuses_invalid_norm_type(norm_type):
    with pytest.raises(ValueError, match="norm_type must be a positive number"):
        clip_grad_norm([np.ones(2)], max_norm=1.0, norm_type=norm_type)


def test_clip_grad_norm_refuses_float32_gradient():
    with pytest.raises(TypeError, match=r"grads\[0\] must be float64, got float32"):
        clip_grad_norm([np.ones(2, dtype=np.float32)], max_norm=1.0)


def test_clip_grad_norm_refuses_an_empty_list():
    with pytest.raises(ValueError, match="grads must be a non-empty list"):
        clip_grad_norm([], max_norm=1.0)


# --------------------------------------------------------------------------- make_optimizer


@pytest.mark.parametrize(
    "name, cls, momentum, nesterov",
    [
        ("sgd", SGD, 0.0, False),
        ("momentum", SGD, 0.9, False),
        ("nesterov", SGD, 0.9, True),
    ],
)
def test_make_optimizer_sgd_family_sets_momentum_and_nesterov(name, cls, momentum, nesterov):
    opt = make_optimizer(name, [np.zeros(1)], lr=0.1)
    assert type(opt) is cls and opt.momentum == momentum and opt.nesterov is nesterov


@pytest.mark.parametrize("name, cls", [("rmsprop", RMSprop), ("adam", Adam), ("adamw", AdamW)])
def test_make_optimizer_returns_the_named_class(name, cls):
    assert type(make_optimizer(name, [np.zeros(1)])) is cls


def test_make_optimizer_passes_hyperparameters_through():
    opt = make_optimizer("adam", [np.zeros(1)], lr=0.2, betas=(0.5, 0.6), amsgrad=True)
    assert (opt.lr, opt.betas, opt.amsgrad) == (0.2, (0.5, 0.6), True)


def test_make_optimizer_unknown_name_lists_the_choices():
    with pytest.raises(ValueError, match="name must be one of 'sgd', 'momentum'"):
        make_optimizer("adagrad", [np.zeros(1)], lr=0.1)


def test_make_optimizer_momentum_with_zero_momentum_is_refused():
    with pytest.raises(ValueError, match="the 'momentum' optimizer needs momentum > 0"):
        make_optimizer("momentum", [np.zeros(1)], lr=0.1, momentum=0.0)


# ------------------------------------------------- property tests: bad input
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ANY_REAL = st.one_of(st.integers(min_value=-(10**500), max_value=10**500), st.floats())


@settings(max_examples=200, deadline=None)
@given(lr=ANY_REAL)
def test_any_real_lr_is_accepted_or_refused_with_valueerror_naming_lr(lr):
    try:
        opt = SGD([np.zeros(2)], lr=lr)
    except ValueError as exc:
        assert str(exc).startswith("lr ")
    else:
        assert math.isfinite(opt.lr) and opt.lr > 0


@settings(max_examples=50, deadline=None)
@given(n=st.integers(min_value=1, max_value=5), offset=st.integers(min_value=0, max_value=3))
def test_clip_grad_norm_refuses_gradients_that_share_memory(n, offset):
    base = np.ones(n + 4)
    start = offset % (n + 1)
    a, b = base[: n + 1], base[start : start + 1]  # b lies inside a
    with pytest.raises(ValueError, match=r"grads\[1\] shares memory with grads\[0\]"):
        clip_grad_norm([a, b], 1.0)
    assert np.all(base == 1.0)


@settings(max_examples=100, deadline=None)
@given(
    entries=st.lists(
        st.floats(min_value=1e150, max_value=1e300) | st.floats(min_value=-1e300, max_value=-1e150),
        min_size=1,
        max_size=6,
    )
)
def test_clip_grad_norm_of_huge_finite_gradients_is_their_euclidean_norm(entries):
    g = np.array(entries)
    norm = clip_grad_norm([g], max_norm=1.0)
    assert math.isclose(norm, math.hypot(*entries), rel_tol=1e-13)  # hypot never overflows here
    assert np.all(np.isfinite(g)) and math.hypot(*g) <= 1.0 + 1e-12


@settings(max_examples=100, deadline=None)
@given(
    cls=st.sampled_from([SGD, RMSprop, Adam, AdamW]),
    exponent=st.integers(min_value=100, max_value=307),
    lr_exponent=st.integers(min_value=-3, max_value=300),
)
def test_an_optimizer_step_never_leaves_a_non_finite_parameter(cls, exponent, lr_exponent):
    p = np.array([1.0, -2.0])
    opt = cls([p], lr=10.0**lr_exponent)
    try:
        opt.step([np.array([10.0**exponent, -(10.0**exponent)])])
    except OverflowError:
        assert p.tolist() == [1.0, -2.0] and opt.step_count == 0  # restored
    else:
        assert np.all(np.isfinite(p)) and opt.step_count == 1
