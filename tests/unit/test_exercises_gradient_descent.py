"""The checkers of Chapter 4's code exercises (utils.exercises.gradient_descent)."""

from __future__ import annotations

import re
import warnings

import numpy as np

from utils.exercises.gradient_descent import (
    check_largest_stable_rate,
    check_minibatch_gradient,
    check_steps_needed,
)


def _stub(*args):
    raise NotImplementedError


def _failed(feedback):
    return [c for c in feedback.cases if not c.passed]


# --- ex-minibatch-gradient ------------------------------------------------------------


def _minibatch(reduce=np.mean, sign=1.0, whole=False):
    def minibatch_gradient(x, y, w, b, batch):
        idx = np.arange(len(x)) if whole else batch
        r = sign * (w * x[idx] + b - y[idx])
        return np.array([reduce(2 * r * x[idx]), reduce(2 * r)])

    return minibatch_gradient


def test_minibatch_gradient_stub_is_not_attempted_yet():
    fb = check_minibatch_gradient(_stub)
    assert fb.status == "not attempted yet"
    assert "ex-minibatch-gradient: not attempted yet" in str(fb)


def test_minibatch_gradient_sum_passes_one_example_and_fails_larger_batches_named():
    fb = check_minibatch_gradient(_minibatch(reduce=np.sum))
    passed = [c.passed for c in fb.cases]
    assert passed == [True, False, False, False]
    assert "the sum over the batch, not its mean" in _failed(fb)[0].hint


def test_minibatch_gradient_flipped_residual_fails_and_is_named():
    fb = check_minibatch_gradient(_minibatch(sign=-1.0))
    assert len(_failed(fb)) == 4
    assert "flips the sign" in _failed(fb)[0].hint


def test_minibatch_gradient_whole_data_set_fails_except_on_the_whole_batch():
    fb = check_minibatch_gradient(_minibatch(whole=True))
    assert [c.passed for c in fb.cases] == [False, False, False, True]
    assert "the whole data set, not the batch" in _failed(fb)[0].hint


def test_minibatch_gradient_divided_by_the_data_set_size_fails_and_is_named():
    def over_n(x, y, w, b, batch):
        r = w * x[batch] + b - y[batch]
        return np.array([np.sum(2 * r * x[batch]), np.sum(2 * r)]) / len(x)

    fb = check_minibatch_gradient(over_n)
    assert [c.passed for c in fb.cases] == [False, False, False, True]
    assert "divided by n, the size of the data set" in _failed(fb)[0].hint


def test_minibatch_gradient_correct_answer_passes():
    fb = check_minibatch_gradient(_minibatch())
    assert fb.passed, str(fb)
    assert str(fb).startswith("ex-minibatch-gradient: passed, all 4 checks.")


def test_minibatch_gradient_other_error_is_a_failed_case_not_an_exception():
    fb = check_minibatch_gradient(lambda x, y, w, b, batch: x[batch.astype(float)])
    assert fb.status == "failed"
    assert fb.cases[0].detail.startswith("raised IndexError")


# --- ex-largest-stable-rate -----------------------------------------------------------


def _bisection(steps=100, keep_stable_low=True):
    def largest_stable_rate(loss, grad, x0):
        start = loss(x0)

        def stable(lr):
            x = x0.copy()
            for _ in range(steps):
                x = x - lr * grad(x)
            return loss(x) <= start

        lo, hi = 0.0, 10.0
        for _ in range(50):
            mid = (lo + hi) / 2
            if stable(mid) == keep_stable_low:
                lo = mid
            else:
                hi = mid
        return lo

    return largest_stable_rate


def test_largest_stable_rate_stub_is_not_attempted_yet():
    assert check_largest_stable_rate(_stub).status == "not attempted yet"


def test_largest_stable_rate_one_step_test_is_too_optimistic_on_the_bowl():
    # after one step the flat direction has shrunk enough to hide a growing steep one
    fb = check_largest_stable_rate(_bisection(steps=1))
    failed = _failed(fb)
    assert failed[0].name == "the bowl diag(1, 10) from (1, 1)"
    assert "expected 0.2" in failed[0].detail
    assert "one step is not enough" in failed[0].hint


def test_largest_stable_rate_reversed_test_ends_at_the_top_and_is_named():
    fb = check_largest_stable_rate(_bisection(keep_stable_low=False))
    assert len(_failed(fb)) == 3
    assert fb.cases[0].detail == "expected 1.0\ngot      10.0"
    assert "a reversed test" in fb.cases[0].hint


def test_largest_stable_rate_search_ending_at_zero_is_named():
    fb = check_largest_stable_rate(lambda loss, grad, x0: 0.0)
    assert len(_failed(fb)) == 3
    assert "never accepts a rate and ends at 0" in fb.cases[0].hint


def test_largest_stable_rate_that_moves_x0_in_place_fails_with_the_copy_hint():
    def in_place(loss, grad, x0):
        start = loss(x0)

        def stable(lr):
            x = x0  # not a copy: the trial moves x0 itself
            for _ in range(100):
                x -= lr * grad(x)
            return loss(x) <= start

        lo, hi = 0.0, 10.0
        for _ in range(50):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if stable(mid) else (lo, mid)
        return lo

    fb = check_largest_stable_rate(in_place)
    parabola = fb.cases[0]
    assert not parabola.passed
    assert "x = x0.copy()" in parabola.hint


def test_largest_stable_rate_correct_answer_passes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the overflow of unstable runs is silenced
        fb = check_largest_stable_rate(_bisection())
    assert fb.passed, str(fb)


def test_largest_stable_rate_other_error_is_a_failed_case_not_an_exception():
    fb = check_largest_stable_rate(lambda loss, grad, x0: loss(x0, x0))
    assert fb.status == "failed"
    assert fb.cases[0].detail.startswith("raised TypeError")


# --- ex-steps-grid --------------------------------------------------------------------


def _steps(strict=False, count_first=False):
    def steps_needed(lr, tol):
        w, t = 0.0, 0
        if count_first:  # one update before the first test
            w, t = w - lr * 2 * (w - 3.0), 1
        while (abs(w - 3.0) >= tol) if strict else (abs(w - 3.0) > tol):
            if t == 10_000:
                return None
            w, t = w - lr * 2 * (w - 3.0), t + 1
        return t

    return steps_needed


def test_steps_needed_stub_is_not_attempted_yet():
    fb = check_steps_needed(_stub)
    assert fb.status == "not attempted yet"
    assert "ex-steps-grid: not attempted yet" in str(fb)


def test_steps_needed_strict_test_fails_only_where_the_tolerance_is_met_exactly():
    fb = check_steps_needed(_steps(strict=True))
    (failed,) = _failed(fb)
    assert failed.name == "lr = 0.25, tol = 3 / 2^10 (hit exactly at t = 10)"
    assert re.fullmatch(r"expected 10(\.0)?\ngot +11(\.0)?", failed.detail)
    # the likelier mistake is named first (one step too many gives 11 as well)
    named_first = "your result is what you get with the strict test |w_t - 3| < tol"
    assert failed.hint.startswith(named_first)


def test_steps_needed_update_before_the_first_test_fails_when_the_start_is_close():
    fb = check_steps_needed(_steps(count_first=True))
    (failed,) = _failed(fb)
    assert failed.name == "tol = 5 (w_0 = 0 is already close enough)"
    assert "one step too many" in failed.hint


def test_steps_needed_that_never_gives_up_fails_on_the_rate_that_never_converges():
    def never_none(lr, tol):
        t = _steps()(lr, tol)
        return 10_000 if t is None else t

    fb = check_steps_needed(never_none)
    (failed,) = _failed(fb)
    assert failed.name == "lr = 1, tol = 1e-3 (w alternates between 0 and 6: never)"
    assert "return None" in failed.hint


def test_steps_needed_correct_answer_passes():
    fb = check_steps_needed(_steps())
    assert fb.passed, str(fb)
    assert str(fb).startswith("ex-steps-grid: passed, all 6 checks.")


def test_steps_needed_other_error_is_a_failed_case_not_an_exception():
    fb = check_steps_needed(lambda lr, tol: range(lr))
    assert fb.status == "failed"
    assert fb.cases[0].detail.startswith("raised TypeError")
