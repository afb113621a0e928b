"""The checkers of Chapter 2's code exercises (utils.exercises.chain_rule)."""

from __future__ import annotations

import numpy as np

from utils.exercises.chain_rule import check_batch_backward, check_tanh_backward


def _stub(*args):
    raise NotImplementedError


def _failed(feedback):
    return [c for c in feedback.cases if not c.passed]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# --- ex-tanh-backward -----------------------------------------------------------------


def _tanh_backward(local=lambda a: 1 - a**2, mean=True, dx_with_w=False):
    def backward_tanh(W, x, a, r):
        delta = 2 * r * local(a) / (r.size if mean else 1)
        return np.outer(delta, x), delta, (W if dx_with_w else W.T) @ delta

    return backward_tanh


def test_tanh_backward_stub_is_not_attempted_yet():
    fb = check_tanh_backward(_stub)
    assert fb.status == "not attempted yet"
    assert "ex-tanh-backward: not attempted yet" in str(fb)


def test_tanh_backward_with_the_sigmoid_derivative_fails_and_names_the_mistake():
    fb = check_tanh_backward(_tanh_backward(local=lambda a: a * (1 - a)))
    assert len(_failed(fb)) == 4
    first = _failed(fb)[0]
    assert first.name == "2 outputs, 3 inputs"
    assert first.detail.startswith("item 0:")
    assert "the sigmoid's derivative a(1 - a)" in first.hint


def test_tanh_backward_without_the_mean_fails_and_names_the_missing_one_over_m():
    fb = check_tanh_backward(_tanh_backward(mean=False))
    assert "no factor 1/m" in _failed(fb)[0].hint


def test_tanh_backward_with_w_in_place_of_its_transpose_fails_on_the_square_case():
    fb = check_tanh_backward(_tanh_backward(dx_with_w=True))
    by_name = {c.name: c for c in fb.cases}
    assert "raised ValueError" in by_name["3 outputs, 2 inputs (W is not square)"].detail
    square = by_name["4 outputs, 4 inputs"]
    assert not square.passed and square.detail.startswith("item 2:")
    assert "W @ delta in place of W.T @ delta" in square.hint


def test_tanh_backward_with_dw_transposed_fails_on_shape_and_is_named_on_the_square_case():
    def outer_x_delta(W, x, a, r):
        delta = 2 * r / r.size * (1 - a**2)
        return np.outer(x, delta), delta, W.T @ delta

    fb = check_tanh_backward(outer_x_delta)
    by_name = {c.name: c for c in fb.cases}
    wide = by_name["3 outputs, 2 inputs (W is not square)"]
    assert wide.detail.startswith("item 0:\nexpected an array of shape (3, 2), got shape (2, 3)")
    square = by_name["4 outputs, 4 inputs"]
    assert not square.passed and square.detail.startswith("item 0:")
    assert square.hint.startswith("your result is what you get with np.outer(x, delta)")


def test_tanh_backward_saturated_case_hint_names_the_cached_activation():
    fb = check_tanh_backward(_tanh_backward(local=lambda a: a * (1 - a)))
    saturated = _failed(fb)[-1]
    assert saturated.name == "2 outputs, 3 inputs, saturated units (large weights)"
    assert "from the cached activation a (1 - a**2), not from the residual r" in saturated.hint


def test_tanh_backward_correct_answer_passes():
    fb = check_tanh_backward(_tanh_backward())
    assert fb.passed, str(fb)
    assert str(fb).startswith("ex-tanh-backward: passed, all 4 checks.")


def test_tanh_backward_other_error_is_a_failed_case_not_an_exception():
    fb = check_tanh_backward(lambda W, x, a, r: r["delta"])
    assert fb.status == "failed"
    assert "raised IndexError" in fb.cases[0].detail


# --- ex-batch-backward ----------------------------------------------------------------


def _batch_backward(scale=lambda B: 1.0, bias=lambda D: D.sum(axis=0)):
    def batch_backward(W, b, X, Y):
        A = _sigmoid(X @ W.T + b)
        D = scale(len(X)) * 2 / Y.size * (A - Y) * A * (1 - A)
        return D.T @ X, bias(D)

    return batch_backward


def test_batch_backward_stub_is_not_attempted_yet():
    assert check_batch_backward(_stub).status == "not attempted yet"


def test_batch_backward_unsummed_bias_fails_with_its_shape_and_the_mistake_named():
    fb = check_batch_backward(_batch_backward(bias=lambda D: D))
    first = _failed(fb)[0]
    assert first.name == "B = 5 examples, 2 outputs, 3 inputs"
    assert first.detail == "item 1: expected an array of shape (2,), got shape (5, 2)"
    assert "not summed over its rows" in first.hint


def test_batch_backward_bias_averaged_over_the_batch_fails_but_one_example_passes():
    fb = check_batch_backward(_batch_backward(bias=lambda D: D.mean(axis=0)))
    passed = {c.name: c.passed for c in fb.cases}
    assert passed == {
        "B = 5 examples, 2 outputs, 3 inputs": False,
        "B = 1 example (the single-example formulas)": True,
        "B = 8 examples, 3 outputs, 2 inputs": False,
    }
    assert "averaged over the examples" in _failed(fb)[0].hint


def test_batch_backward_factor_two_over_m_fails_and_names_it():
    fb = check_batch_backward(_batch_backward(scale=lambda B: B))
    assert "the factor 2/m in place of 2/(B m)" in _failed(fb)[0].hint


def test_batch_backward_correct_answer_passes():
    fb = check_batch_backward(_batch_backward())
    assert fb.passed, str(fb)


def test_batch_backward_other_error_is_a_failed_case_not_an_exception():
    fb = check_batch_backward(lambda W, b, X, Y: X @ W)
    assert fb.status == "failed"
    assert all(c.detail.startswith("raised ValueError") for c in fb.cases)
