"""The checkers of Chapter 1's code exercises (utils.exercises.derivatives)."""

from __future__ import annotations

import numpy as np

from utils.exercises.derivatives import check_best_step, check_richardson, check_second_difference


def _stub(*args):
    raise NotImplementedError


def _failed(feedback):
    return [c for c in feedback.cases if not c.passed]


# --- ex-second-difference -------------------------------------------------------------


def test_second_difference_stub_is_not_attempted_yet():
    fb = check_second_difference(_stub)
    assert fb.status == "not attempted yet"
    assert "ex-second-difference: not attempted yet" in str(fb)


def test_second_difference_missing_factor_two_fails_with_its_value_in_the_hint():
    fb = check_second_difference(lambda f, x, h: (f(x + h) - f(x) + f(x - h)) / h**2)
    first = _failed(fb)[0]
    assert first.name.startswith("quadratic")
    # 3x^2 - 2x + 1 at 0.5, h = 0.1: (1.33 - 0.75 + 0.73) / 0.01 = 81
    assert "expected 6.0" in first.detail and "got      81.0" in first.detail
    assert "81 would mean a missing factor 2 on f(x)" in first.hint


def test_second_difference_divided_by_two_h_squared_fails_every_case():
    fb = check_second_difference(lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / (2 * h * h))
    assert fb.status == "failed" and len(_failed(fb)) == 4
    assert "a division by 2h^2" in _failed(fb)[0].hint


def test_second_difference_correct_answer_passes():
    fb = check_second_difference(lambda f, x, h: (f(x + h) - 2 * f(x) + f(x - h)) / h**2)
    assert fb.passed, str(fb)
    assert str(fb).startswith("ex-second-difference: passed, all 4 checks.")


def test_second_difference_other_error_is_a_failed_case_not_an_exception():
    fb = check_second_difference(lambda f, x, h: {}["h"])
    assert fb.status == "failed"
    assert "raised KeyError" in fb.cases[0].detail


# --- ex-best-step ---------------------------------------------------------------------


def _best_by(estimate):
    """A best_step that minimises the error of the given difference quotient."""

    def best_step(f, dfdx, x, hs):
        errors = [abs(estimate(f, x, h) - dfdx(x)) for h in hs]
        return hs[int(np.argmin(errors))]

    return best_step


def test_best_step_stub_is_not_attempted_yet():
    assert check_best_step(_stub).status == "not attempted yet"


def test_best_step_smallest_step_fails_with_the_round_off_hint():
    fb = check_best_step(lambda f, dfdx, x, hs: float(np.min(hs)))
    first = _failed(fb)[0]
    assert first.name == "exp at x = 1 on the decades 1e-1 ... 1e-12"
    assert "got h = 1e-12" in first.detail
    assert "smaller is not better" in first.hint


def test_best_step_of_the_forward_difference_fails():
    fb = check_best_step(_best_by(lambda f, x, h: (f(x + h) - f(x)) / h))
    names = [c.name for c in _failed(fb)]
    assert "exp at x = 1 on the decades 1e-1 ... 1e-12" in names
    assert "got h = 1e-08" in _failed(fb)[0].detail
    assert "forward difference has its best step near 1e-8" in _failed(fb)[0].hint


def test_best_step_signed_error_fails_with_the_absolute_value_hint():
    # without abs() the most negative error wins: on tanh at 0.5 that is h = 0.1
    def best_step(f, dfdx, x, hs):
        errors = [(f(x + h) - f(x - h)) / (2 * h) - dfdx(x) for h in hs]
        return hs[int(np.argmin(errors))]

    fb = check_best_step(best_step)
    tanh = {c.name: c for c in fb.cases}["tanh at x = 0.5 on the decades 1e-1 ... 1e-12"]
    assert "got h = 1e-01" in tanh.detail
    assert "smallest absolute error" in tanh.hint
    assert "most negative signed one" in tanh.hint


def test_best_step_index_instead_of_step_fails_with_its_hint():
    fb = check_best_step(lambda f, dfdx, x, hs: 4)
    assert len(_failed(fb)) == 4
    assert "not one of the steps in hs" in fb.cases[0].detail
    assert "not the index k" in fb.cases[0].hint


def test_best_step_naive_central_difference_passes():
    # the quotient with the nominal step, not numdiff's effective step
    fb = check_best_step(_best_by(lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h)))
    assert fb.passed, str(fb)


def test_best_step_other_error_is_a_failed_case_not_an_exception():
    fb = check_best_step(lambda f, dfdx, x, hs: hs[100])
    assert fb.status == "failed"
    assert "raised IndexError" in fb.cases[0].detail


# --- ex-richardson --------------------------------------------------------------------


def _d(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def test_richardson_stub_is_not_attempted_yet():
    fb = check_richardson(_stub)
    assert fb.status == "not attempted yet"
    assert "ex-richardson: not attempted yet" in str(fb)


def test_richardson_with_the_steps_swapped_fails_and_is_named():
    fb = check_richardson(lambda f, x, h: (4 * _d(f, x, h) - _d(f, x, h / 2)) / 3)
    first = _failed(fb)[0]
    assert first.name == "x^5 at x = 1, h = 0.5 (the result is 5 - h^4/4)"
    assert first.detail.startswith("expected 4.984375\n")
    assert "the two steps swapped" in first.hint


def test_richardson_of_forward_differences_fails_and_is_named():
    def forward(f, x, h):
        return (f(x + h) - f(x)) / h

    fb = check_richardson(lambda f, x, h: (4 * forward(f, x, h / 2) - forward(f, x, h)) / 3)
    assert len(_failed(fb)) == 3
    assert "forward differences" in _failed(fb)[0].hint


def test_richardson_divided_by_four_fails_with_the_general_hint():
    fb = check_richardson(lambda f, x, h: (4 * _d(f, x, h / 2) - _d(f, x, h)) / 4)
    assert len(_failed(fb)) == 3
    assert _failed(fb)[0].hint.startswith("D(h) = f' + c h^2")


def test_richardson_correct_answer_passes():
    fb = check_richardson(lambda f, x, h: (4 * _d(f, x, h / 2) - _d(f, x, h)) / 3)
    assert fb.passed, str(fb)


def test_richardson_other_error_is_a_failed_case_not_an_exception():
    fb = check_richardson(lambda f, x, h: f(x, h))
    assert fb.status == "failed"
    assert fb.cases[0].detail.startswith("raised TypeError")
