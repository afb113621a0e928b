"""The checkers of Chapter 8's code exercises (utils.exercises.gradient_checking)."""

from __future__ import annotations

import warnings

import numpy as np

from utils import gradcheck as gc
from utils.exercises.gradient_checking import (
    check_complex_step_gradient,
    check_failing_parameters,
    check_numerical_gradient,
)


def failed(feedback):
    return {case.name: case for case in feedback.cases if not case.passed}


# --- ex-gc-numerical-gradient -------------------------------------------------


def central(loss, theta, h):
    out = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        old = theta[i]
        theta[i] = old + h
        up = loss(theta)
        theta[i] = old - h
        down = loss(theta)
        theta[i] = old
        out[i] = (up - down) / (2 * h)
    return out


def test_numerical_gradient_stub_is_not_attempted_yet():
    def numerical_gradient(loss, theta, h):
        raise NotImplementedError

    feedback = check_numerical_gradient(numerical_gradient)
    assert feedback.status == "not attempted yet"
    assert "ex-gc-numerical-gradient: not attempted yet" in str(feedback)


def test_central_differences_that_restore_each_entry_pass():
    feedback = check_numerical_gradient(central)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 5


def test_numerical_gradient_that_does_not_restore_is_caught_where_entries_interact():
    def no_restore(loss, theta, h):
        out = np.zeros_like(theta)
        for i in np.ndindex(theta.shape):
            old = theta[i]
            theta[i] = old + h
            up = loss(theta)
            theta[i] = old - h
            out[i] = (up - loss(theta)) / (2 * h)
        return out

    bad = failed(check_numerical_gradient(no_restore))
    name = "entries that interact: (a . theta)^2 + theta_0 theta_2"
    assert set(bad) == {name, "theta is left as it was"}
    assert "put theta[i] back" in bad[name].hint


def test_numerical_gradient_dividing_by_h_instead_of_2h_is_caught_everywhere():
    def over_h(loss, theta, h):
        return 2 * central(loss, theta, h)

    bad = failed(check_numerical_gradient(over_h))
    assert "a cubic in a vector: sum(theta**3)" in bad
    assert "(2 h)" in bad["a cubic in a vector: sum(theta**3)"].hint
    assert "expected" in bad["a cubic in a vector: sum(theta**3)"].detail


def test_flat_numerical_gradient_is_caught_by_the_shape_of_a_matrix():
    def flat(loss, theta, h):
        return central(loss, theta, h).reshape(-1)

    bad = failed(check_numerical_gradient(flat))
    name = "a matrix parameter: sum(sin(theta) * C)"
    assert "shape (2, 3)" in bad[name].detail
    assert "theta's shape" in bad[name].hint


def test_indexing_a_0d_parameter_is_a_failed_case_not_a_traceback():
    def by_position(loss, theta, h):
        out = np.zeros_like(theta)
        for k in range(theta.size):  # theta[0] fails on a 0-d array
            up, down = theta.copy(), theta.copy()
            up[k] += h
            down[k] -= h
            out[k] = (loss(up) - loss(down)) / (2 * h)
        return out

    bad = failed(check_numerical_gradient(by_position))
    name = "a 0-d parameter: exp(theta)"
    assert set(bad) == {name, "a matrix parameter: sum(sin(theta) * C)"}
    assert "IndexError" in bad[name].detail
    assert "np.ndindex" in bad[name].hint


# --- ex-gc-find-bugs ----------------------------------------------------------


def test_failing_parameters_stub_is_not_attempted_yet():
    def failing_parameters(loss_fn, params, names):
        raise NotImplementedError

    feedback = check_failing_parameters(failing_parameters)
    assert feedback.status == "not attempted yet"
    assert "ex-gc-find-bugs: not attempted yet" in str(feedback)


def test_failing_parameters_by_central_differences_and_norm_based_error_pass():
    def by_hand(loss_fn, params, names):
        _, grads = loss_fn(params)
        out = []
        for k, (p, g) in enumerate(zip(params, grads, strict=True)):
            num = central(lambda t, k=k: loss_fn(params[:k] + [t] + params[k + 1 :])[0], p, 1e-5)
            r = np.linalg.norm(g - num) / (np.linalg.norm(g) + np.linalg.norm(num))
            if r > 1e-6:
                out.append(names[k])
        return out

    feedback = check_failing_parameters(by_hand)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 7


def test_failing_parameters_by_element_wise_error_are_fooled_by_a_saturated_unit():
    def element_wise(loss_fn, params, names):
        _, grads = loss_fn(params)
        out = []
        for k, (p, g) in enumerate(zip(params, grads, strict=True)):
            num = central(lambda t, k=k: loss_fn(params[:k] + [t] + params[k + 1 :])[0], p, 1e-5)
            if np.max(np.abs(g - num) / (np.abs(g) + np.abs(num) + 1e-8)) > 1e-6:
                out.append(names[k])
        return out

    bad = failed(check_failing_parameters(element_wise))
    name = "correct gradients with a saturated unit"
    assert set(bad) == {name}
    assert "ELEMENT-WISE" in bad[name].hint


def test_failing_parameters_with_a_loose_tolerance_miss_the_small_bug():
    def loose(loss_fn, params, names):
        return [c.name for c in gc.gradcheck(loss_fn, params, names=names, rtol=1e-2).failed]

    bad = failed(check_failing_parameters(loose))
    assert set(bad) == {"a gradient only 0.1 % too large"}
    assert "5e-4 IS a bug" in bad["a gradient only 0.1 % too large"].hint


def test_failing_parameters_that_raise_give_failed_cases_not_a_traceback():
    def broken(loss_fn, params, names):
        return [names[len(params)]]  # IndexError

    feedback = check_failing_parameters(broken)
    assert feedback.status == "failed"
    assert all("IndexError" in case.detail for case in feedback.cases)


# --- ex-gc-complex-gradient ---------------------------------------------------


def complex_step(loss, theta, h, fresh_copy=True):
    out = np.zeros(theta.shape)
    z = theta.astype(complex)
    for i in np.ndindex(theta.shape):
        if fresh_copy:
            z = theta.astype(complex)
        z[i] += 1j * h
        out[i] = loss(z).imag / h
    return out


def test_complex_step_stub_is_not_attempted_yet():
    def complex_step_gradient(loss, theta, h):
        raise NotImplementedError

    feedback = check_complex_step_gradient(complex_step_gradient)
    assert feedback.status == "not attempted yet"
    assert "ex-gc-complex-gradient: not attempted yet" in str(feedback)


def test_complex_step_on_a_fresh_complex_copy_passes():
    feedback = check_complex_step_gradient(complex_step)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 4


def test_central_differences_are_not_accurate_enough_for_the_complex_step_check():
    def central_real(loss, theta, h):
        return central(lambda t: loss(t).real, theta.copy(), 1e-5)

    bad = failed(check_complex_step_gradient(central_real))
    name = "a vector: sum(exp(theta) * theta**3)"
    assert name in bad
    assert "cannot reach 1e-13" in bad[name].hint


def test_complex_step_on_the_real_array_is_caught_with_the_complex_copy_hint():
    def on_real_array(loss, theta, h):
        out = np.zeros(theta.shape)
        for i in np.ndindex(theta.shape):
            t = theta.copy()
            t[i] = t[i] + 1j * h  # a float64 array drops the imaginary part
            out[i] = loss(t).imag / h
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's ComplexWarning
        bad = failed(check_complex_step_gradient(on_real_array))
    name = "a vector: sum(exp(theta) * theta**3)"
    assert "got      [0. 0. 0.]" in bad[name].detail
    assert "COMPLEX copy" in bad[name].hint


def test_complex_step_that_keeps_earlier_perturbations_is_caught_where_entries_interact():
    bad = failed(
        check_complex_step_gradient(lambda loss, theta, h: complex_step(loss, theta, h, False))
    )
    name = "entries that interact: log(1 + (a . theta)^2)"
    assert name in bad
    assert "from the original point" in bad[name].hint


def test_failing_parameters_without_a_return_is_told_so():
    def forgets_return(loss_fn, params, names):
        [c.name for c in gc.gradcheck(loss_fn, params, names=names).failed]

    detail = check_failing_parameters(forgets_return).cases[0].detail
    assert detail == "got None: did a function forget to `return` its result?"
