"""The checkers of Chapter 3's code exercises (utils.exercises.jacobians)."""

from __future__ import annotations

import numpy as np

from utils.exercises.jacobians import (
    check_jacobian_fd,
    check_layer_softmax_vjp,
    check_log_softmax_vjp,
)


def _stub(*args):
    raise NotImplementedError


def _failed(feedback):
    return [c for c in feedback.cases if not c.passed]


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


# --- ex-jacobian-fd -------------------------------------------------------------------


def _jacobian(f, x, h, forward=False):
    columns = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        if forward:
            columns.append((f(x + e) - f(x)) / h)
        else:
            columns.append((f(x + e) - f(x - e)) / (2 * h))
    return np.column_stack(columns)


def test_jacobian_fd_stub_is_not_attempted_yet():
    fb = check_jacobian_fd(_stub)
    assert fb.status == "not attempted yet"
    assert "ex-jacobian-fd: not attempted yet" in str(fb)


def test_jacobian_fd_transposed_fails_on_shape_and_values_and_is_named():
    fb = check_jacobian_fd(lambda f, x, h: _jacobian(f, x, h).T)
    by_name = {c.name: c for c in fb.cases}
    linear = by_name["linear map W x + b from R^4 to R^3"]
    assert linear.detail.startswith("expected an array of shape (3, 4), got shape (4, 3)")
    polar = by_name["polar coordinates (r, theta) -> (r cos theta, r sin theta)"]
    assert not polar.passed and "the transposed Jacobian" in polar.hint
    assert by_name["softmax at z = (0.3, -1.2, 2.0)"].passed  # symmetric: cannot tell


def test_jacobian_fd_divided_by_h_fails_and_is_named():
    fb = check_jacobian_fd(lambda f, x, h: 2 * _jacobian(f, x, h))
    assert len(_failed(fb)) == 3
    assert "a division by h in place of 2h" in _failed(fb)[0].hint


def test_jacobian_fd_with_x_changed_in_place_fails_and_is_named():
    def in_place(f, x, h):
        columns = []
        for j in range(x.size):
            x_plus, x_minus = x, x  # not copies: both are x itself
            x_plus[j] += h
            x_minus[j] -= h
            columns.append((f(x_plus) - f(x_minus)) / (2 * h))
        return np.column_stack(columns)

    fb = check_jacobian_fd(in_place)
    assert len(_failed(fb)) == 3
    assert "x changed in place (x_plus = x is not a copy" in _failed(fb)[0].hint


def test_jacobian_fd_forward_difference_fails_and_is_named():
    fb = check_jacobian_fd(lambda f, x, h: _jacobian(f, x, h, forward=True))
    assert len(_failed(fb)) == 2
    assert "a forward difference" in _failed(fb)[0].hint


def test_jacobian_fd_that_modifies_x_in_place_fails():
    def in_place(f, x, h):
        columns = []
        for j in range(x.size):
            x[j] += h
            up = f(x)
            x[j] -= 2 * h
            columns.append((up - f(x)) / (2 * h))  # x is never restored
        return np.column_stack(columns)

    assert check_jacobian_fd(in_place).status == "failed"


def test_jacobian_fd_correct_answer_passes():
    fb = check_jacobian_fd(_jacobian)
    assert fb.passed, str(fb)
    assert str(fb).startswith("ex-jacobian-fd: passed, all 3 checks.")


def test_jacobian_fd_other_error_is_a_failed_case_not_an_exception():
    fb = check_jacobian_fd(lambda f, x, h: f(x, h))
    assert fb.status == "failed"
    assert fb.cases[0].detail.startswith("raised TypeError")


# --- ex-log-softmax-vjp ---------------------------------------------------------------


def test_log_softmax_vjp_stub_is_not_attempted_yet():
    assert check_log_softmax_vjp(_stub).status == "not attempted yet"


def test_log_softmax_vjp_transposed_jacobian_fails_and_is_named():
    fb = check_log_softmax_vjp(lambda z, v: v - v @ _softmax(z))
    failed = _failed(fb)
    assert failed[0].name == "random scores and incoming gradient (n = 4)"
    assert "J v in place of v^T J" in failed[0].hint
    assert failed[0].detail.startswith("expected [")


def test_log_softmax_vjp_of_softmax_itself_fails_and_is_named():
    fb = check_log_softmax_vjp(lambda z, v: _softmax(z) * (v - v @ _softmax(z)))
    assert "the VJP of softmax" in _failed(fb)[0].hint


def test_log_softmax_vjp_overflowing_softmax_fails_only_on_large_scores():
    def naive(z, v):
        with np.errstate(over="ignore", invalid="ignore"):
            p = np.exp(z) / np.exp(z).sum()
        return v - v.sum() * p

    fb = check_log_softmax_vjp(naive)
    assert [c.name for c in _failed(fb)] == ["large scores near 1000 (n = 4)"]
    assert "got      [nan nan nan nan]" in _failed(fb)[0].detail
    assert "overflows" in _failed(fb)[0].hint


def test_log_softmax_vjp_correct_answer_passes():
    fb = check_log_softmax_vjp(lambda z, v: v - v.sum() * _softmax(z))
    assert fb.passed, str(fb)


def test_log_softmax_vjp_other_error_is_a_failed_case_not_an_exception():
    fb = check_log_softmax_vjp(lambda z, v: z @ np.ones((2, 2)))
    assert fb.status == "failed"
    assert fb.cases[0].detail.startswith("raised ValueError")


# --- ex-layer-softmax-vjp -------------------------------------------------------------


def _layer_vjp(skip_softmax=False, dx_with_w=False):
    def layer_softmax_vjp(W, b, x, v):
        p = _softmax(W @ x + b)
        g = v if skip_softmax else p * (v - v @ p)
        return np.outer(g, x), g, (W if dx_with_w else W.T) @ g

    return layer_softmax_vjp


def test_layer_softmax_vjp_stub_is_not_attempted_yet():
    fb = check_layer_softmax_vjp(_stub)
    assert fb.status == "not attempted yet"
    assert "ex-layer-softmax-vjp: not attempted yet" in str(fb)


def test_layer_softmax_vjp_without_softmax_fails_and_is_named():
    fb = check_layer_softmax_vjp(_layer_vjp(skip_softmax=True))
    assert len(_failed(fb)) == 3
    first = _failed(fb)[0]
    assert first.name == "3 classes, 4 inputs"
    assert first.detail.startswith("item 0:")
    assert "softmax's VJP left out" in first.hint


def test_layer_softmax_vjp_w_in_place_of_its_transpose_fails_on_every_layer():
    fb = check_layer_softmax_vjp(_layer_vjp(dx_with_w=True))
    by_name = {c.name: c for c in fb.cases}
    assert by_name["3 classes, 4 inputs"].detail.startswith("raised ValueError")
    square = by_name["4 classes, 4 inputs (W square)"]
    assert square.detail.startswith("item 2:")
    assert "W @ g in place of W.T @ g" in square.hint


def test_layer_softmax_vjp_with_log_softmax_vjp_fails_and_is_named():
    def log_softmax_chain(W, b, x, v):
        g = v - v.sum() * _softmax(W @ x + b)  # the previous exercise's VJP
        return np.outer(g, x), g, W.T @ g

    fb = check_layer_softmax_vjp(log_softmax_chain)
    assert len(_failed(fb)) == 3
    assert "the VJP of log-softmax, v - (sum v) p" in _failed(fb)[0].hint


def test_layer_softmax_vjp_with_dw_transposed_fails_and_is_named():
    def outer_x_g(W, b, x, v):
        p = _softmax(W @ x + b)
        g = p * (v - v @ p)
        return np.outer(x, g), g, W.T @ g

    fb = check_layer_softmax_vjp(outer_x_g)
    square = {c.name: c for c in fb.cases}["4 classes, 4 inputs (W square)"]
    assert square.detail.startswith("item 0:")
    assert "np.outer(x, g), the transpose of dW" in square.hint


def test_layer_softmax_vjp_correct_answer_passes():
    fb = check_layer_softmax_vjp(_layer_vjp())
    assert fb.passed, str(fb)


def test_layer_softmax_vjp_other_error_is_a_failed_case_not_an_exception():
    fb = check_layer_softmax_vjp(lambda W, b, x, v: W @ v)
    assert fb.status == "failed"
    assert fb.cases[0].detail.startswith("raised ValueError")
