"""The checkers of Chapter 6's code exercises (utils.exercises.vanishing_gradients)."""

from __future__ import annotations

import math

import numpy as np

from utils.exercises.vanishing_gradients import (
    check_backward_gradients,
    check_clip_by_global_norm,
    check_layer_jacobians,
)


def failed(feedback):
    return {case.name: case for case in feedback.cases if not case.passed}


# --- ex-backward-gradients ----------------------------------------------------


def test_backward_gradients_stub_is_not_attempted_yet():
    def backward_gradients(jacobians, g):
        raise NotImplementedError

    feedback = check_backward_gradients(backward_gradients)
    assert feedback.status == "not attempted yet"
    assert "ex-backward-gradients: not attempted yet" in str(feedback)


def test_backward_gradients_by_transposed_products_pass():
    def backward_gradients(jacobians, g):
        out = [np.asarray(g)]
        for J in jacobians[::-1]:
            out.insert(0, J.T @ out[0])
        return out

    feedback = check_backward_gradients(backward_gradients)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 4


def test_backward_gradients_in_the_wrong_order_are_caught_on_non_commuting_layers():
    def first_layer_first(jacobians, g):
        out = [np.asarray(g)]
        for J in jacobians:  # J_1.T applied first: wrong
            out.insert(0, J.T @ out[0])
        return out

    bad = failed(check_backward_gradients(first_layer_first))
    name = "two square layers that do not commute"
    assert name in bad
    assert "J_L.T acts first" in bad[name].hint
    assert "expected" in bad[name].detail


def test_backward_gradients_without_the_transpose_are_a_failed_case_not_a_traceback():
    def untransposed(jacobians, g):
        out = [np.asarray(g)]
        for J in jacobians[::-1]:
            out.insert(0, J @ out[0])
        return out

    bad = failed(check_backward_gradients(untransposed))
    name = "one non-square layer: [J.T @ g, g]"
    assert "ValueError" in bad[name].detail  # (2, 3) @ (2,) does not fit
    assert "TRANSPOSED" in bad[name].hint


def test_backward_gradients_missing_g_itself_are_caught_by_the_length():
    def without_g(jacobians, g):
        out, v = [], np.asarray(g)
        for J in jacobians[::-1]:
            v = J.T @ v
            out.insert(0, v)
        return out

    bad = failed(check_backward_gradients(without_g))
    name = "three layers of widths 4, 3, 2, 5"
    assert "expected a list of 4 items" in bad[name].detail
    assert "L + 1 gradients" in bad[name].hint


# --- ex-own-clip -------------------------------------------------------------


def pytorch_clip(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    factor = min(1.0, max_norm / (total + 1e-6))
    return [g * factor for g in grads], total


def test_clip_stub_is_not_attempted_yet():
    def clip_by_global_norm(grads, max_norm):
        raise NotImplementedError

    feedback = check_clip_by_global_norm(clip_by_global_norm)
    assert feedback.status == "not attempted yet"
    assert "ex-own-clip: not attempted yet" in str(feedback)


def test_clip_with_pytorchs_rule_passes():
    feedback = check_clip_by_global_norm(pytorch_clip)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 7


def test_clip_per_array_is_caught_on_several_arrays():
    def per_array(grads, max_norm):
        out = [pytorch_clip([g], max_norm)[0][0] for g in grads]
        return out, pytorch_clip(grads, max_norm)[1]

    bad = failed(check_clip_by_global_norm(per_array))
    assert set(bad) == {"several arrays of different shapes: the clipped arrays"}
    assert (
        "ALL arrays together" in bad["several arrays of different shapes: the clipped arrays"].hint
    )


def test_clip_without_the_epsilon_is_caught_at_the_threshold_and_at_zero():
    def no_eps(grads, max_norm):
        total = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        return [g * min(1.0, max_norm / total) for g in grads], total

    bad = failed(check_clip_by_global_norm(no_eps))
    assert "1e-6" in bad["a norm exactly at the threshold"].hint
    assert "ZeroDivisionError" in bad["all-zero gradients: no division by zero"].detail


def test_clip_by_the_max_of_norm_and_threshold_fails_only_at_the_threshold():
    # the rule t * max_norm / max(norm, max_norm), with no 1e-6: only the case
    # that checks the 1e-6 fails, with its hint (not another case's)
    def no_eps_max(grads, max_norm):
        total = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        return [g * max_norm / max(total, max_norm) for g in grads], total

    bad = failed(check_clip_by_global_norm(no_eps_max))
    assert set(bad) == {"a norm exactly at the threshold"}
    assert "1e-6" in bad["a norm exactly at the threshold"].hint


def test_clip_returning_the_norm_after_clipping_is_caught():
    def norm_after(grads, max_norm):
        clipped, _ = pytorch_clip(grads, max_norm)
        return clipped, math.sqrt(sum(float(np.sum(g * g)) for g in clipped))

    bad = failed(check_clip_by_global_norm(norm_after))
    assert set(bad) == {
        "a norm of 50: the returned norm",
        "several arrays of different shapes: the returned norm",
    }
    assert "BEFORE clipping" in bad["a norm of 50: the returned norm"].hint


def test_clip_that_scales_small_gradients_up_is_caught():
    def always_to_max(grads, max_norm):
        total = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        return [g * max_norm / (total + 1e-6) for g in grads], total

    bad = failed(check_clip_by_global_norm(always_to_max))
    assert "never scales" in bad["a norm below the threshold: unchanged"].hint


def test_clip_returning_only_the_arrays_is_a_failed_case_not_a_traceback():
    def arrays_only(grads, max_norm):
        return pytorch_clip(grads, max_norm)[0]

    feedback = check_clip_by_global_norm(arrays_only)
    assert feedback.status == "failed"
    assert "a pair (clipped, total)" in feedback.cases[0].detail


# --- ex-layer-jacobians -------------------------------------------------------


def jacobians(weights, h0, at_input=False, wrong_side=False, of_z=False):
    out, h = [], h0
    for W in weights:
        z = W @ (h0 if at_input else h)
        d = 1 - z**2 if of_z else 1 - np.tanh(z) ** 2
        out.append(W @ np.diag(d) if wrong_side else np.diag(d) @ W)
        h = np.tanh(z)
    return out


def test_layer_jacobians_stub_is_not_attempted_yet():
    def layer_jacobians(weights, h0):
        raise NotImplementedError

    feedback = check_layer_jacobians(layer_jacobians)
    assert feedback.status == "not attempted yet"
    assert "ex-layer-jacobians: not attempted yet" in str(feedback)


def test_layer_jacobians_along_the_forward_pass_pass():
    feedback = check_layer_jacobians(jacobians)
    assert feedback.passed, str(feedback)
    assert len(feedback.cases) == 4


def test_layer_jacobians_all_at_the_input_are_caught_from_the_second_layer():
    bad = failed(check_layer_jacobians(lambda w, h0: jacobians(w, h0, at_input=True)))
    assert "two layers: the second at h_1" in bad
    assert "one square layer" not in bad
    assert "OUTPUT" in bad["two layers: the second at h_1"].hint


def test_layer_jacobians_with_the_diagonal_on_the_wrong_side_are_caught():
    bad = failed(check_layer_jacobians(lambda w, h0: jacobians(w, h0, wrong_side=True)))
    name = "layers of widths 4, 3, 2"
    assert "ValueError" in bad[name].detail  # W @ diag(d) does not fit
    assert "ROWS of W_l" in bad[name].hint
    assert "one square layer" in bad  # on a square W it is wrong too


def test_layer_jacobians_with_one_minus_z_squared_are_caught():
    bad = failed(check_layer_jacobians(lambda w, h0: jacobians(w, h0, of_z=True)))
    assert "one square layer" in bad
    assert "not 1 - z**2" in bad["one square layer"].hint


def test_clip_without_a_return_is_told_so():
    def forgets_return(grads, max_norm):
        pytorch_clip(grads, max_norm)

    detail = check_clip_by_global_norm(forgets_return).cases[0].detail
    assert detail == "got None: did a function forget to `return` its result?"
