"""Tests of utils.schedules.

Expected values: PyTorch's own schedulers recorded in
``tests/reference/optim_trajectories.json`` (torch is not imported here), and
the schedule formulas evaluated by hand at the phase boundaries.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.optim import SGD
from utils.schedules import (
    SCHEDULES,
    LRScheduler,
    constant,
    cosine_with_warmup,
    exponential,
    inverse_sqrt,
    linear_warmup,
    step_decay,
    warmup_stable_decay,
)

REFERENCE = json.loads(
    (Path(__file__).resolve().parents[1] / "reference" / "optim_trajectories.json").read_text()
)
TORCH = {c["name"]: c for c in REFERENCE["schedulers"]}
TOL = 1e-12


def _close(a, b, tol=TOL):
    return abs(a - b) <= tol * max(1.0, abs(b))


# --------------------------------------------------------------------------- PyTorch reference


def test_step_decay_matches_torch_steplr():
    ref = TORCH["StepLR"]
    kw = ref["kwargs"]
    ours = [
        step_decay(k, ref["base_lr"], kw["step_size"], kw["gamma"]) for k in range(len(ref["lrs"]))
    ]
    assert all(_close(a, b) for a, b in zip(ours, ref["lrs"], strict=False))


def test_exponential_matches_torch_exponentiallr():
    ref = TORCH["ExponentialLR"]
    ours = [exponential(k, ref["base_lr"], ref["kwargs"]["gamma"]) for k in range(len(ref["lrs"]))]
    assert all(_close(a, b) for a, b in zip(ours, ref["lrs"], strict=False))


def test_linear_warmup_matches_torch_linearlr_with_start_factor_one_over_w():
    ref = TORCH["LinearLR"]
    warmup = ref["kwargs"]["total_iters"] + 1  # LinearLR(start_factor=1/W, total_iters=W-1)
    ours = [linear_warmup(k, ref["base_lr"], warmup) for k in range(len(ref["lrs"]))]
    assert all(_close(a, b) for a, b in zip(ours, ref["lrs"], strict=False))


def test_cosine_without_warmup_matches_torch_cosineannealinglr_up_to_t_max():
    ref = TORCH["CosineAnnealingLR"]
    t_max, eta_min = ref["kwargs"]["T_max"], ref["kwargs"]["eta_min"]
    ours = [cosine_with_warmup(k, ref["base_lr"], 0, t_max, eta_min) for k in range(t_max + 1)]
    assert all(_close(a, b) for a, b in zip(ours, ref["lrs"][: t_max + 1], strict=False))


def test_lrscheduler_with_a_callable_reproduces_torch_lambdalr_step_by_step():
    ref = TORCH["LambdaLR"]
    base = ref["base_lr"]
    opt = SGD([np.zeros(1)], lr=base)
    sched = LRScheduler(opt, lambda k: base * ((k + 1) / 5 if k < 5 else 1.0))
    used = []
    for _ in ref["lrs"]:
        used.append(opt.lr)
        opt.step([np.ones(1)])
        sched.step()
    assert all(_close(a, b) for a, b in zip(used, ref["lrs"], strict=False))


def test_lrscheduler_linear_warmup_by_name_reproduces_torch_lambdalr():
    ref = TORCH["LambdaLR"]
    opt = SGD([np.zeros(1)], lr=1.0)
    sched = LRScheduler(opt, "linear_warmup", peak_lr=ref["base_lr"], warmup_steps=5)
    used = []
    for _ in ref["lrs"]:
        used.append(opt.lr)
        opt.step([np.ones(1)])
        sched.step()
    assert all(_close(a, b) for a, b in zip(used, ref["lrs"], strict=False))


# --------------------------------------------------------------------------- boundary values


def test_constant_returns_lr_at_every_step():
    assert [constant(s, 0.3) for s in (0, 1, 10**9)] == [0.3, 0.3, 0.3]


def test_step_decay_changes_exactly_at_multiples_of_step_size():
    assert step_decay(2, 1.0, step_size=3, gamma=0.1) == 1.0
    assert step_decay(3, 1.0, step_size=3, gamma=0.1) == pytest.approx(0.1, rel=1e-15)


def test_exponential_at_step_zero_is_lr():
    assert exponential(0, 0.7, gamma=0.5) == 0.7


def test_linear_warmup_step_zero_is_peak_over_w_not_zero():
    assert linear_warmup(0, 2.0, warmup_steps=8) == 0.25


def test_linear_warmup_reaches_peak_at_last_warmup_step():
    assert linear_warmup(7, 2.0, warmup_steps=8) == 2.0
    assert linear_warmup(8, 2.0, warmup_steps=8) == 2.0


def test_linear_warmup_of_zero_steps_is_constant_peak():
    assert linear_warmup(0, 0.5, warmup_steps=0) == 0.5


def test_cosine_step_zero_is_peak_over_warmup():
    assert cosine_with_warmup(0, 1.0, warmup_steps=4, total_steps=20) == 0.25


def test_cosine_last_warmup_step_and_first_decay_step_are_the_peak():
    assert cosine_with_warmup(3, 1.0, warmup_steps=4, total_steps=20) == 1.0
    assert cosine_with_warmup(4, 1.0, warmup_steps=4, total_steps=20) == 1.0


def test_cosine_is_halfway_between_peak_and_floor_at_mid_decay():
    # s - W = (T - W) / 2  =>  cos(pi / 2) = 0
    assert cosine_with_warmup(12, 1.0, 4, 20, min_lr=0.2) == pytest.approx(0.6, rel=1e-15)


def test_cosine_last_step_is_one_small_step_above_min_lr():
    # W = 0, T = 4: lr(3) = min + (peak - min)(1 + cos(3 pi / 4)) / 2
    expected = 0.1 + 0.9 * (1 - math.sqrt(0.5)) / 2
    assert cosine_with_warmup(3, 1.0, 0, 4, min_lr=0.1) == pytest.approx(expected, rel=1e-14)


def test_cosine_at_total_steps_and_past_the_end_is_min_lr():
    assert cosine_with_warmup(20, 1.0, 4, 20, min_lr=0.05) == 0.05
    assert cosine_with_warmup(10**6, 1.0, 4, 20, min_lr=0.05) == 0.05


def test_cosine_with_zero_warmup_starts_at_the_peak():
    assert cosine_with_warmup(0, 0.3, warmup_steps=0, total_steps=10) == 0.3


def test_inverse_sqrt_step_zero_is_finite_with_n_equal_one():
    assert inverse_sqrt(0, d_model=64, warmup_steps=100) == pytest.approx(
        64**-0.5 * 100**-1.5, rel=1e-15
    )


def test_inverse_sqrt_peaks_at_step_warmup_minus_one():
    lrs = [inverse_sqrt(s, d_model=512, warmup_steps=40) for s in range(200)]
    assert int(np.argmax(lrs)) == 39
    assert lrs[39] == pytest.approx((512 * 40) ** -0.5, rel=1e-14)


def test_inverse_sqrt_decays_as_one_over_sqrt_n_after_warmup():
    assert inverse_sqrt(99, d_model=16, warmup_steps=10) == pytest.approx(0.25 * 0.1, rel=1e-14)


def test_inverse_sqrt_with_zero_warmup_is_pure_decay():
    assert inverse_sqrt(3, d_model=4, warmup_steps=0) == pytest.approx(0.25, rel=1e-15)


def test_wsd_boundary_values():
    kw = dict(peak_lr=1.0, warmup_steps=4, total_steps=20, decay_steps=5, min_lr=0.1)
    assert warmup_stable_decay(0, **kw) == 0.25  # step 0
    assert warmup_stable_decay(3, **kw) == 1.0  # last warm-up step
    assert warmup_stable_decay(4, **kw) == 1.0  # plateau
    assert warmup_stable_decay(14, **kw) == 1.0  # last plateau step
    assert warmup_stable_decay(15, **kw) == 1.0  # first decay step, at the peak
    assert warmup_stable_decay(19, **kw) == pytest.approx(0.1 + 0.9 / 5, rel=1e-15)  # last step
    assert warmup_stable_decay(20, **kw) == 0.1  # total_steps
    assert warmup_stable_decay(99, **kw) == 0.1  # past the end


def test_wsd_decay_is_linear_in_the_step():
    lrs = [warmup_stable_decay(s, 1.0, 0, 10, decay_steps=4) for s in range(6, 11)]
    np.testing.assert_allclose(lrs, [1.0, 0.75, 0.5, 0.25, 0.0], rtol=0, atol=1e-15)


def test_wsd_with_zero_warmup_and_empty_plateau_is_a_pure_decay():
    assert warmup_stable_decay(0, 2.0, 0, 4, decay_steps=4) == 2.0
    assert warmup_stable_decay(2, 2.0, 0, 4, decay_steps=4) == 1.0


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("constant", dict(lr=0.1)),
        ("step", dict(lr=0.1, step_size=2)),
        ("exponential", dict(lr=0.1, gamma=0.9)),
        ("linear_warmup", dict(peak_lr=0.1, warmup_steps=3)),
        ("cosine", dict(peak_lr=0.1, warmup_steps=3, total_steps=10)),
        ("inverse_sqrt", dict(d_model=8, warmup_steps=3)),
        ("wsd", dict(peak_lr=0.1, warmup_steps=3, total_steps=10, decay_steps=3)),
    ],
)
def test_every_registered_schedule_returns_a_python_float(name, kwargs):
    values = [SCHEDULES[name](np.int64(s), **kwargs) for s in range(12)]
    assert all(type(v) is float for v in values)


def test_registry_maps_the_widget_names_to_the_functions():
    assert SCHEDULES["constant"] is constant
    assert SCHEDULES["step"] is step_decay
    assert SCHEDULES["exponential"] is exponential
    assert SCHEDULES["cosine"] is cosine_with_warmup
    assert SCHEDULES["inverse_sqrt"] is inverse_sqrt
    assert SCHEDULES["wsd"] is warmup_stable_decay


# --------------------------------------------------------------------------- properties

peaks = st.floats(1e-6, 10.0)
fractions = st.floats(0.0, 1.0)


@st.composite
def cosine_args(draw):
    peak = draw(peaks)
    warmup = draw(st.integers(0, 40))
    total = warmup + draw(st.integers(1, 200))
    return peak, warmup, total, peak * draw(fractions)


@st.composite
def wsd_args(draw):
    peak = draw(peaks)
    warmup = draw(st.integers(0, 40))
    decay = draw(st.integers(1, 100))
    total = warmup + decay + draw(st.integers(0, 100))
    return peak, warmup, total, decay, peak * draw(fractions)


def _check_phases(lrs, peak, warmup, decay_start, total, min_lr, max_decay_step):
    tiny = 1e-12 * peak
    warm, plateau, decay, after = (
        lrs[:warmup],
        lrs[warmup:decay_start],
        lrs[decay_start : total + 1],
        lrs[total:],
    )
    assert all(0.0 < v <= peak + tiny for v in warm)
    assert all(min_lr - tiny <= v <= peak + tiny for v in lrs[warmup:])
    assert all(b > a for a, b in zip(warm, warm[1:], strict=False))
    assert all(v == peak for v in plateau)
    assert all(b <= a + tiny for a, b in zip(decay, decay[1:], strict=False))
    assert all(v == min_lr for v in after)
    max_warm_step = peak / warmup if warmup else 0.0
    bound = max(max_warm_step, max_decay_step) * (1 + 1e-9) + tiny
    assert all(abs(b - a) <= bound for a, b in zip(lrs, lrs[1:], strict=False))


@settings(deadline=None, max_examples=150)
@given(cosine_args())
def test_cosine_is_bounded_monotone_per_phase_and_continuous(args):
    peak, warmup, total, min_lr = args
    lrs = [cosine_with_warmup(s, peak, warmup, total, min_lr) for s in range(total + 5)]
    # the steepest step of a half cosine over T - W steps: (peak - min) * pi / 2 / (T - W)
    max_decay_step = (peak - min_lr) * math.pi / 2 / (total - warmup)
    _check_phases(lrs, peak, warmup, warmup, total, min_lr, max_decay_step)


@settings(deadline=None, max_examples=150)
@given(wsd_args())
def test_wsd_is_bounded_monotone_per_phase_and_continuous(args):
    peak, warmup, total, decay, min_lr = args
    lrs = [warmup_stable_decay(s, peak, warmup, total, decay, min_lr) for s in range(total + 5)]
    _check_phases(lrs, peak, warmup, total - decay, total, min_lr, (peak - min_lr) / decay)


@settings(deadline=None, max_examples=100)
@given(peaks, st.integers(0, 50), st.integers(0, 200))
def test_linear_warmup_never_exceeds_peak_and_is_positive(peak, warmup, step):
    assert 0.0 < linear_warmup(step, peak, warmup) <= peak


@settings(deadline=None, max_examples=100)
@given(st.integers(1, 4096), st.integers(0, 500))
def test_inverse_sqrt_never_exceeds_its_peak_and_rises_by_at_most_one_warmup_increment(d, warmup):
    lrs = [inverse_sqrt(s, d, warmup) for s in range(warmup + 50)]
    peak = d**-0.5 * (warmup**-0.5 if warmup else 1.0)
    increment = d**-0.5 * warmup**-1.5 if warmup else 0.0
    assert max(lrs) <= peak * (1 + 1e-12)
    assert all(b - a <= increment * (1 + 1e-9) for a, b in zip(lrs, lrs[1:], strict=False))


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: constant(-1, 0.1), ValueError, "step must be >= 0, got -1"),
        (lambda: constant(1.0, 0.1), TypeError, "step must be an integer, got float 1.0"),
        (lambda: constant(True, 0.1), TypeError, "step must be an integer, got bool True"),
        (lambda: constant(0, 0.0), ValueError, "lr must be positive, got 0.0"),
        (lambda: step_decay(0, 0.1, step_size=0), ValueError, "step_size must be >= 1, got 0"),
        (lambda: step_decay(0, 0.1, step_size=2, gamma=0.0), ValueError, "gamma must be positive"),
        (lambda: exponential(0, 0.1, gamma=-0.5), ValueError, "gamma must be positive"),
        (lambda: exponential(0, math.nan, gamma=0.5), ValueError, "lr must be finite, got nan"),
        (
            lambda: linear_warmup(0, 0.1, warmup_steps=-1),
            ValueError,
            "warmup_steps must be >= 0, got -1",
        ),
        (lambda: linear_warmup(0, -0.1, warmup_steps=2), ValueError, "peak_lr must be positive"),
        (
            lambda: cosine_with_warmup(0, 0.1, warmup_steps=10, total_steps=10),
            ValueError,
            "total_steps must be > warmup_steps = 10, got 10",
        ),
        (
            lambda: cosine_with_warmup(0, 0.1, 0, 10, min_lr=0.2),
            ValueError,
            "min_lr must be <= peak_lr = 0.1, got 0.2",
        ),
        (
            lambda: cosine_with_warmup(0, 0.1, 0, 10, min_lr=-0.1),
            ValueError,
            "min_lr must be non-negative, got -0.1",
        ),
        (
            lambda: inverse_sqrt(0, d_model=0, warmup_steps=10),
            ValueError,
            "d_model must be >= 1, got 0",
        ),
        (
            lambda: inverse_sqrt(0, d_model=512.0, warmup_steps=10),
            TypeError,
            "d_model must be an integer",
        ),
        (
            lambda: warmup_stable_decay(0, 0.1, 5, 10, decay_steps=0),
            ValueError,
            "decay_steps must be >= 1, got 0",
        ),
        (
            lambda: warmup_stable_decay(0, 0.1, 5, 10, decay_steps=6),
            ValueError,
            "total_steps must be >= warmup_steps + decay_steps = 11, got 10",
        ),
    ],
)
def test_invalid_schedule_argument_is_refused_with_a_message(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


# --------------------------------------------------------------------------- LRScheduler


def test_lr_used_by_optimizer_step_k_equals_schedule_k():
    kw = dict(peak_lr=0.5, warmup_steps=3, total_steps=12, min_lr=0.05)
    w = np.zeros(1)
    opt = SGD([w], lr=1.0)
    sched = LRScheduler(opt, "cosine", **kw)
    for k in range(15):
        w[...] = 0.0
        opt.step([np.ones(1)])  # w = -lr exactly
        assert -w[0] == cosine_with_warmup(k, **kw)
        sched.step()


def test_constructor_sets_the_lr_of_step_zero():
    opt = SGD([np.zeros(1)], lr=1.0)
    LRScheduler(opt, "linear_warmup", peak_lr=0.8, warmup_steps=4)
    assert opt.lr == 0.2


def test_scheduler_step_before_optimizer_step_raises():
    opt = SGD([np.zeros(1)], lr=1.0)
    sched = LRScheduler(opt, "constant", lr=0.1)
    with pytest.raises(RuntimeError, match=re.escape("call optimizer.step(grads) first")):
        sched.step()


def test_scheduler_step_twice_after_one_optimizer_step_raises():
    opt = SGD([np.zeros(1)], lr=1.0)
    sched = LRScheduler(opt, "constant", lr=0.1)
    opt.step([np.ones(1)])
    sched.step()
    with pytest.raises(RuntimeError, match="before optimizer.step"):
        sched.step()


def test_scheduler_may_step_once_per_epoch_of_several_optimizer_steps():
    opt = SGD([np.zeros(1)], lr=1.0)
    sched = LRScheduler(opt, "step", lr=1.0, step_size=1, gamma=0.5)
    for _ in range(3):
        opt.step([np.ones(1)])
    sched.step()
    assert (sched.last_step, opt.lr) == (1, 0.5)


def test_schedule_decaying_to_zero_sets_optimizer_lr_to_zero_without_error():
    opt = SGD([np.zeros(1)], lr=1.0)
    sched = LRScheduler(opt, "cosine", peak_lr=0.1, warmup_steps=0, total_steps=3)
    for _ in range(3):
        opt.step([np.ones(1)])
        sched.step()
    assert sched.get_last_lr() == 0.0


def test_invalid_schedule_kwargs_raise_at_construction():
    opt = SGD([np.zeros(1)], lr=1.0)
    with pytest.raises(ValueError, match="total_steps must be > warmup_steps"):
        LRScheduler(opt, "cosine", peak_lr=0.1, warmup_steps=5, total_steps=5)


def test_unknown_schedule_name_lists_the_choices():
    opt = SGD([np.zeros(1)], lr=1.0)
    with pytest.raises(ValueError, match="schedule must be one of 'constant', 'step'"):
        LRScheduler(opt, "triangular")


def test_non_callable_schedule_is_refused():
    with pytest.raises(TypeError, match="schedule must be callable, got float"):
        LRScheduler(SGD([np.zeros(1)], lr=1.0), 0.1)


def test_object_without_lr_is_refused_as_optimizer():
    with pytest.raises(TypeError, match="optimizer must have lr and step_count attributes"):
        LRScheduler(object(), "constant", lr=0.1)


@pytest.mark.parametrize("bad", [-0.1, math.nan])
def test_schedule_returning_a_negative_or_nan_rate_is_refused(bad):
    opt = SGD([np.zeros(1)], lr=1.0)
    with pytest.raises(ValueError, match="step 0|must be finite"):
        LRScheduler(opt, lambda k: bad)


# ------------------------------------------------- property tests: bad input
from utils.schedules import MAX_STEP  # noqa: E402

FINITE_PEAK = st.floats(min_value=1e-300, max_value=1.7976931348623157e308)


@settings(max_examples=200, deadline=None)
@given(peak=FINITE_PEAK, warmup=st.integers(min_value=1, max_value=10**6), data=st.data())
def test_linear_warmup_is_finite_and_never_above_peak_for_any_finite_peak(peak, warmup, data):
    step = data.draw(st.integers(min_value=0, max_value=2 * warmup))
    lr = linear_warmup(step, peak_lr=peak, warmup_steps=warmup)
    assert math.isfinite(lr) and 0.0 < lr <= peak


@settings(max_examples=200, deadline=None)
@given(
    peak=FINITE_PEAK,
    floor=st.floats(min_value=0.0, max_value=1.0),
    decay=st.integers(min_value=1, max_value=10**6),
    data=st.data(),
)
def test_warmup_stable_decay_after_warmup_stays_between_min_lr_and_peak(peak, floor, decay, data):
    total = decay + 2
    step = data.draw(st.integers(min_value=2, max_value=total + 1))  # warm-up starts from 0
    min_lr = floor * peak
    lr = warmup_stable_decay(
        step, peak, warmup_steps=2, total_steps=total, decay_steps=decay, min_lr=min_lr
    )
    assert min_lr <= lr <= peak


@settings(max_examples=200, deadline=None)
@given(
    schedule=st.sampled_from(["exponential", "step"]),
    gamma=st.floats(min_value=1e-3, max_value=1e3),
    step=st.integers(min_value=0, max_value=10**7),
)
def test_geometric_schedules_return_a_finite_rate_or_raise_overflowerror(schedule, gamma, step):
    try:
        if schedule == "exponential":
            lr = exponential(step, lr=1.0, gamma=gamma)
        else:
            lr = step_decay(step, lr=1.0, step_size=1, gamma=gamma)
    except OverflowError as exc:
        assert "overflows float64" in str(exc)
        assert step * math.log(gamma) > math.log(1.7e308)  # it really overflows
    else:
        assert math.isfinite(lr) and lr >= 0.0


@settings(max_examples=50, deadline=None)
@given(step=st.integers(min_value=MAX_STEP + 1, max_value=10**500))
def test_steps_beyond_max_step_are_refused_with_valueerror_naming_step(step):
    with pytest.raises(ValueError, match=r"^step must be <= 9007199254740992"):
        exponential(step, lr=1.0, gamma=0.5)


# --------------------------------------------------------------------------- schedule_curve
# Expected values: the schedules' formulas at the phase boundaries, by hand.

from utils.schedules import SCHEDULE_CURVE_KINDS, ScheduleCurve, schedule_curve  # noqa: E402


@pytest.mark.parametrize("kind", SCHEDULE_CURVE_KINDS)
def test_every_schedule_curve_starts_warm_up_at_peak_over_warmup_and_reaches_the_peak(kind):
    c = schedule_curve(kind, warmup=10, total=100, peak=1.0, floor=0.1)
    assert c.lr[0] == pytest.approx(0.1)  # peak * (0 + 1) / 10
    assert c.lr[9] == pytest.approx(1.0)  # the last warm-up step is at the peak
    assert c.lr.max() == pytest.approx(1.0)


@pytest.mark.parametrize("kind", SCHEDULE_CURVE_KINDS)
def test_schedule_curve_has_one_rate_per_step_including_the_last(kind):
    c = schedule_curve(kind, warmup=5, total=50, peak=2.0, floor=0.0)
    assert isinstance(c, ScheduleCurve)
    assert c.steps.tolist() == list(range(51)) and c.lr.shape == (51,)


@pytest.mark.parametrize("kind", ["cosine", "wsd"])
def test_cosine_and_wsd_curves_end_at_the_floor(kind):
    assert schedule_curve(kind, 10, 100, 1.0, 0.1).lr[-1] == pytest.approx(0.1)


def test_cosine_curve_is_half_way_down_at_the_middle_of_its_decay():
    # peak - (peak - floor) (1 - cos(pi/2)) / 2 at the middle of the decay [10, 100)
    assert schedule_curve("cosine", 10, 100, 1.0, 0.2).lr[55] == pytest.approx(0.6)


def test_step_curve_drops_tenfold_after_each_third_of_the_decay():
    c = schedule_curve("step", warmup=10, total=100, peak=1.0, floor=0.0)
    assert c.lr[10] == 1.0 and c.lr[40] == pytest.approx(0.1) and c.lr[70] == pytest.approx(0.01)


def test_inverse_sqrt_curve_decays_as_one_over_the_root_of_the_step_after_its_peak():
    # peak * sqrt(W / (s + 1)) for s >= W - 1: at s + 1 = 4 W the rate is half the peak
    c = schedule_curve("inverse_sqrt", warmup=10, total=100, peak=1.0, floor=0.0)
    assert c.lr[39] == pytest.approx(0.5)


def test_wsd_curve_decays_over_its_last_fifth():
    c = schedule_curve("wsd", warmup=10, total=100, peak=1.0, floor=0.0)
    assert c.lr[79] == 1.0 and c.lr[80] == 1.0 and c.lr[90] == pytest.approx(0.5)
    assert [name for _, _, name in c.phases] == ["warm-up", "stable", "decay"]
    assert c.phases[2][:2] == (80, 100)


def test_schedule_curve_refuses_a_warm_up_as_long_as_the_run():
    with pytest.raises(ValueError, match="warm-up steps"):
        schedule_curve("cosine", warmup=100, total=100, peak=1.0, floor=0.0)


def test_schedule_curve_refuses_a_floor_above_the_peak():
    with pytest.raises(ValueError, match="floor"):
        schedule_curve("cosine", warmup=10, total=100, peak=1.0, floor=2.0)


def test_schedule_curve_refuses_an_unknown_kind_naming_kind():
    with pytest.raises(ValueError, match=r"^kind must be one of"):
        schedule_curve("linear", warmup=10, total=100, peak=1.0, floor=0.0)


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"warmup": 2.5}, TypeError, "warmup"),
        ({"total": 0}, ValueError, "total"),
        ({"total": 10**9}, ValueError, "total"),
        ({"peak": float("nan")}, ValueError, "peak"),
        ({"peak": "1"}, TypeError, "peak"),
        ({"floor": -0.1}, ValueError, "floor"),
    ],
)
def test_schedule_curve_refuses_bad_arguments_naming_them(kwargs, error, name):
    args = {"kind": "cosine", "warmup": 10, "total": 100, "peak": 1.0, "floor": 0.0} | kwargs
    with pytest.raises(error, match=rf"^{name} "):
        schedule_curve(**args)


def test_a_geometric_rate_is_returned_when_gamma_power_overflows_but_the_rate_does_not():
    # 1e-300 * 10**400 = 1e100: gamma**step alone is beyond float64, the rate is not
    assert exponential(400, lr=1e-300, gamma=10.0) == pytest.approx(1e100, rel=1e-12)
    assert step_decay(800, lr=1e-300, step_size=2, gamma=10.0) == pytest.approx(1e100, rel=1e-12)
