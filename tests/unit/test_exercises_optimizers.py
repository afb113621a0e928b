"""The checkers of Chapter 7's code exercises (utils.exercises.optimizers)."""

from __future__ import annotations

import math

import numpy as np

from utils.exercises.optimizers import (
    check_adamw_step,
    check_nesterov_step,
    check_warmup_cosine,
)


def failed(feedback):
    return {case.name: case for case in feedback.cases if not case.passed}


# --- ex-warmup-cosine ---------------------------------------------------------


def schedule(s, peak_lr, warmup, total, min_lr):
    if s < warmup:
        return peak_lr * (s + 1) / warmup
    if s >= total:
        return min_lr
    p = (s - warmup) / (total - warmup)
    return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * p))


def test_warmup_cosine_stub_is_not_attempted_yet():
    def warmup_cosine(s, peak_lr, warmup, total, min_lr):
        raise NotImplementedError

    feedback = check_warmup_cosine(warmup_cosine)
    assert feedback.status == "not attempted yet"
    assert "ex-warmup-cosine: not attempted yet" in str(feedback)


def test_warmup_cosine_from_the_formula_passes():
    feedback = check_warmup_cosine(schedule)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 7


def test_warmup_cosine_that_keeps_following_the_cosine_after_t_is_caught():
    def no_floor_phase(s, peak_lr, warmup, total, min_lr):
        if s < warmup:
            return peak_lr * (s + 1) / warmup
        p = (s - warmup) / (total - warmup)
        return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * p))

    bad = failed(check_warmup_cosine(no_floor_phase))
    assert set(bad) == {"long after T: still the floor"}
    assert "rise again" in bad["long after T: still the floor"].hint


def test_warmup_cosine_scaled_by_the_peak_alone_is_caught_halfway():
    def forgets_floor(s, peak_lr, warmup, total, min_lr):
        if s < warmup:
            return peak_lr * (s + 1) / warmup
        p = min(1.0, (s - warmup) / (total - warmup))
        return max(min_lr, 0.5 * peak_lr * (1 + math.cos(math.pi * p)))

    bad = failed(check_warmup_cosine(forgets_floor))
    name = "halfway through the decay: the mean of peak and floor"
    assert name in bad
    assert "(peak_lr - min_lr)" in bad[name].hint


def test_warmup_cosine_dividing_by_a_zero_warmup_is_a_failed_case_not_a_traceback():
    def min_ramp(s, peak_lr, warmup, total, min_lr):
        ramp = min(1.0, (s + 1) / warmup)  # ZeroDivisionError at warmup = 0
        return ramp * schedule(s, peak_lr, warmup, total, min_lr) / ramp

    bad = failed(check_warmup_cosine(min_ramp))
    name = "no warm-up (W = 0): step 0 is the peak"
    assert "ZeroDivisionError" in bad[name].detail
    assert "nothing to divide by" in bad[name].hint


# --- ex-nesterov-step ---------------------------------------------------------


def test_nesterov_stub_is_not_attempted_yet():
    def nesterov_step(theta, buf, grad, lr, beta):
        raise NotImplementedError

    assert check_nesterov_step(nesterov_step).status == "not attempted yet"


def test_nesterov_in_pytorchs_convention_passes():
    def nesterov_step(theta, buf, grad, lr, beta):
        buf = beta * buf + grad
        return theta - lr * (grad + beta * buf), buf

    feedback = check_nesterov_step(nesterov_step)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 4


def test_nesterov_with_an_averaged_buffer_is_caught_with_the_sum_hint():
    def ema_buffer(theta, buf, grad, lr, beta):
        buf = beta * buf + (1 - beta) * grad
        return theta - lr * (grad + beta * buf), buf

    bad = failed(check_nesterov_step(ema_buffer))
    assert "the buffer after one step" in bad
    assert "SUM" in bad["the buffer after one step"].hint


def test_nesterov_with_the_old_buffer_in_the_step_is_caught():
    def old_buffer(theta, buf, grad, lr, beta):
        step = grad + beta * buf
        return theta - lr * step, beta * buf + grad

    bad = failed(check_nesterov_step(old_buffer))
    assert "one step from rest (b_0 = 0)" in bad
    assert "g_t + beta * b_t" in bad["one step from rest (b_0 = 0)"].hint


def test_nesterov_that_updates_its_arrays_in_place_passes():
    # a correct step that reuses grad as scratch space: the checker hands every
    # call its own copy of the gradient, so no later case sees a spoilt one
    def in_place(theta, buf, grad, lr, beta):
        buf *= beta
        buf += grad
        grad += beta * buf
        theta -= lr * grad
        return theta, buf

    feedback = check_nesterov_step(in_place)
    assert feedback.passed, str(feedback)


def test_nesterov_returning_only_theta_is_a_failed_case_not_a_traceback():
    def theta_only(theta, buf, grad, lr, beta):
        return theta - lr * grad

    feedback = check_nesterov_step(theta_only)
    assert feedback.status == "failed"
    assert "a pair (theta, buf)" in feedback.cases[0].detail


# --- ex-adamw-step ------------------------------------------------------------


def adamw(theta, m, v, grad, t, lr, weight_decay, no_bias_correction=False):
    theta = theta * (1 - lr * weight_decay)
    m = 0.9 * m + 0.1 * grad
    v = 0.999 * v + 0.001 * grad**2
    if no_bias_correction:
        m_hat, v_hat = m, v
    else:
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8), m, v


def test_adamw_stub_is_not_attempted_yet():
    def adamw_step(theta, m, v, grad, t, lr, weight_decay):
        raise NotImplementedError

    assert check_adamw_step(adamw_step).status == "not attempted yet"


def test_adamw_from_the_formula_passes():
    feedback = check_adamw_step(adamw)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 6


def test_adamw_without_bias_correction_is_caught_at_the_first_step():
    def uncorrected(theta, m, v, grad, t, lr, weight_decay):
        return adamw(theta, m, v, grad, t, lr, weight_decay, no_bias_correction=True)

    bad = failed(check_adamw_step(uncorrected))
    assert "the first step, no decay" in bad
    assert "1 - beta1**t" in bad["the first step, no decay"].hint
    # the averages themselves are right: only the step is wrong
    assert "the first moment after 10 steps" not in bad


def test_adamw_decaying_after_the_step_is_caught():
    def decay_last(theta, m, v, grad, t, lr, weight_decay):
        stepped, m, v = adamw(theta, m, v, grad, t, lr, 0.0)
        return stepped * (1 - lr * weight_decay), m, v

    bad = failed(check_adamw_step(decay_last))
    assert set(bad) == {"10 steps with decay"}
    assert "FIRST" in bad["10 steps with decay"].hint


def test_adamw_with_the_step_counted_from_zero_fails_without_a_traceback():
    def from_zero(theta, m, v, grad, t, lr, weight_decay):
        return adamw(theta, m, v, grad, t - 1, lr, weight_decay)  # 1 - 0.9**0 = 0

    with np.errstate(divide="ignore", invalid="ignore"):
        feedback = check_adamw_step(from_zero)
    assert feedback.status == "failed"
    assert "the first step, no decay" in failed(feedback)


def test_adamw_that_updates_its_arrays_in_place_passes():
    def in_place(theta, m, v, grad, t, lr, weight_decay):
        theta *= 1 - lr * weight_decay
        m *= 0.9
        m += 0.1 * grad
        grad **= 2  # grad reused as scratch space
        v *= 0.999
        v += 0.001 * grad
        theta -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        return theta, m, v

    feedback = check_adamw_step(in_place)
    assert feedback.passed, str(feedback)


def test_adamw_with_eps_inside_the_square_root_is_caught_on_tiny_gradients_only():
    def eps_inside(theta, m, v, grad, t, lr, weight_decay):
        theta = theta * (1 - lr * weight_decay)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        return theta - lr * m_hat / np.sqrt(v_hat + 1e-8), m, v

    bad = failed(check_adamw_step(eps_inside))
    name = "10 steps on gradients of about 1e-8, no decay: eps matters"
    assert set(bad) == {name}
    assert "AFTER the square root" in bad[name].hint


def test_adamw_without_eps_is_caught_on_tiny_gradients():
    def no_eps(theta, m, v, grad, t, lr, weight_decay):
        theta = theta * (1 - lr * weight_decay)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        return theta - lr * m_hat / np.sqrt(v_hat), m, v

    with np.errstate(divide="ignore", invalid="ignore"):
        bad = failed(check_adamw_step(no_eps))
    # without eps a zero gradient gives 0 / 0, hence NaN, on the weight with none
    assert set(bad) == {
        "a weight with no gradient: pure decay",
        "10 steps on gradients of about 1e-8, no decay: eps matters",
    }
    assert "0 / 0" in bad["a weight with no gradient: pure decay"].hint


def test_nesterov_and_adamw_without_a_return_are_told_so():
    def forgets_return(*args):
        return None

    for check in (check_nesterov_step, check_adamw_step):
        detail = check(forgets_return).cases[0].detail
        assert detail == "got None: did a function forget to `return` its result?"
