"""Tests of utils.gradflow.

Expected values: central differences (utils.numdiff.numerical_gradient) for
the manual backward pass, an independent forward pass written here for the
loss, the definitions of the initialisations, the positive homogeneity of
ReLU (scaling every weight by c scales every weight gradient by c**(depth-1)),
and the standard bounds for the qualitative behaviour (sigmoid' <= 1/4).
"""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest

from utils.activations import ACTIVATIONS
from utils.gradflow import (
    INITS,
    LAYER_NORM_EPS,
    NAIVE_STD,
    GradFlow,
    gradient_norms,
    init_std,
    layer_norm,
    layer_norm_gradient_norms,
    layer_norm_loss_and_gradients,
    loss_and_gradients,
    network,
)
from utils.numdiff import numerical_gradient

MAIN = ["tanh", "sigmoid", "relu", "gelu"]


def _no_warnings(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def _forward_loss(weights, x, t, activation, residual):
    """An independent statement of the documented network and loss."""
    f = {
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0.0),
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    }.get(activation, ACTIVATIONS[activation][0])
    h = x
    for W in weights:
        a = f(h @ W.T)
        h = h + a / math.sqrt(len(weights)) if residual else a
    return float(np.sum(t * h) / x.shape[0])


def _assert_finite(flow):
    for a in (flow.grad_norms, flow.activation_std):
        assert a.dtype == np.float64 and np.all(np.isfinite(a))
    assert flow.loss is None or math.isfinite(flow.loss)
    assert flow.ratio is None or math.isfinite(flow.ratio)


# --------------------------------------------------------------------------- the backward pass


@pytest.mark.parametrize("residual", [False, True], ids=["plain", "residual"])
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_backward_pass_matches_central_differences_on_a_tiny_network(activation, residual):
    x, w, t = network(depth=3, init="he", width=4, batch=2, seed=7)
    loss = lambda ww: loss_and_gradients(ww, x, t, activation, residual)[0]  # noqa: E731
    _, grads = loss_and_gradients(w, x, t, activation, residual)
    numeric = numerical_gradient(loss, w)
    scale = np.max(np.abs(numeric))
    np.testing.assert_allclose(grads, numeric, rtol=1e-6, atol=1e-8 * scale)


def test_kinked_activations_are_checked_away_from_their_kink():
    # the central-difference check above is only valid for ReLU if no pre-activation is near 0
    x, w, _ = network(depth=3, init="he", width=4, batch=2, seed=7)
    for residual in (False, True):
        h = x
        for W in w:
            z = h @ W.T
            assert np.min(np.abs(z)) > 1e-3
            h = h + np.maximum(z, 0) / math.sqrt(3) if residual else np.maximum(z, 0)


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", MAIN)
def test_loss_matches_an_independent_forward_pass(activation, residual):
    x, w, t = network(depth=5, init="glorot", width=6, batch=3, seed=2)
    loss, _ = loss_and_gradients(w, x, t, activation, residual)
    assert loss == pytest.approx(_forward_loss(w, x, t, activation, residual), rel=1e-12, abs=1e-15)
    flow = gradient_norms(5, activation, "glorot", residual, width=6, batch=3, seed=2)
    assert flow.loss == pytest.approx(loss, rel=1e-12, abs=1e-15)


def test_gradient_norms_are_the_frobenius_norms_of_the_gradients():
    x, w, t = network(depth=6, init="he", width=8, batch=5, seed=3)
    _, grads = loss_and_gradients(w, x, t, "gelu", False)
    flow = gradient_norms(6, "gelu", "he", width=8, batch=5, seed=3)
    np.testing.assert_allclose(flow.grad_norms, [np.linalg.norm(g) for g in grads], rtol=1e-13)
    assert flow.grad_layers.tolist() == [1, 2, 3, 4, 5, 6]
    assert flow.ratio == pytest.approx(
        np.linalg.norm(grads[0]) / np.linalg.norm(grads[-1]), rel=1e-13
    )


def test_activation_std_is_the_std_of_each_layers_output():
    x, w, _ = network(depth=4, init="glorot", width=8, batch=5, seed=3)
    h, stds = x, []
    for W in w:
        h = np.tanh(h @ W.T)
        stds.append(np.std(h))
    flow = gradient_norms(4, "tanh", "glorot", width=8, batch=5, seed=3)
    np.testing.assert_allclose(flow.activation_std, stds, rtol=1e-13)
    assert flow.activation_layers.tolist() == [1, 2, 3, 4]


def test_gelu_shortcut_gives_exactly_utils_activations_gelu_and_d_gelu():
    # gradflow computes Phi(z) once for GELU and its derivative; it must not change a bit
    from utils import activations as act
    from utils.gradflow import _check_activation

    forward, derivative = _check_activation("gelu")
    z = np.random.default_rng(0).normal(scale=6.0, size=(32, 32))
    value, cache = forward(z)
    np.testing.assert_array_equal(value, act.gelu(z))
    np.testing.assert_array_equal(derivative(z, cache), act.d_gelu(z))


# --------------------------------------------------------------------------- initialisations


def test_init_std_follows_the_definitions():
    assert init_std("naive", 64, 32) == NAIVE_STD == 1.0
    assert init_std("glorot", 64, 32) == pytest.approx(math.sqrt(2 / 96))
    assert init_std("he", 64, 32) == pytest.approx(math.sqrt(2 / 64))


def test_the_inits_scale_the_same_standard_normal_draws():
    x_n, w_n, t_n = network(10, "naive", width=64, seed=1)
    for init in ("glorot", "he"):
        x, w, t = network(10, init, width=64, seed=1)
        np.testing.assert_array_equal(x, x_n)
        np.testing.assert_array_equal(t, t_n)
        np.testing.assert_allclose(w, w_n * init_std(init, 64, 64), rtol=1e-15)


def test_network_draws_have_the_documented_distributions():
    x, w, t = network(50, "he", width=64, batch=64, seed=0)
    assert abs(np.std(x) - 1.0) < 0.05 and abs(np.mean(x)) < 0.05
    assert abs(np.std(w) / math.sqrt(2 / 64) - 1.0) < 0.02
    assert abs(np.std(t) * math.sqrt(64) - 1.0) < 0.05


def test_network_is_deterministic_in_its_seed():
    a, b = network(3, seed=4), network(3, seed=4)
    c = network(3, seed=5)
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=False))
    assert not np.array_equal(a[1], c[1])


# --------------------------------------------------------------------------- qualitative behaviour


def test_sigmoid_with_glorot_at_depth_30_starves_the_first_layer():
    # each layer multiplies the backward signal by sigmoid' <= 1/4 and by W^T (norm ~ 2 for
    # Glorot at width 64): at most ~ 0.5 per layer, so ~ 0.5**29 ~ 2e-9 across 29 layers
    for seed in range(3):
        flow = gradient_norms(30, "sigmoid", "glorot", seed=seed)
        assert flow.ratio < 1e-6


def test_relu_with_he_keeps_the_gradient_ratio_within_an_order_of_magnitude():
    for depth in (10, 30, 50):
        for seed in range(3):
            assert 0.1 < gradient_norms(depth, "relu", "he", seed=seed).ratio < 10


def test_relu_gradient_ratio_does_not_depend_on_the_init_scale():
    # ReLU is positively homogeneous: scaling every W by c scales dL/dW_l by c**(depth-1)
    depth = 30
    he, naive = gradient_norms(depth, "relu", "he"), gradient_norms(depth, "relu", "naive")
    c = NAIVE_STD / init_std("he", 64, 64)
    np.testing.assert_allclose(naive.grad_norms, he.grad_norms * c ** (depth - 1), rtol=1e-10)
    assert naive.ratio == pytest.approx(he.ratio, rel=1e-10)


@pytest.mark.parametrize("activation", MAIN)
@pytest.mark.parametrize("init", ["glorot", "he"])
def test_residual_connections_keep_the_ratio_within_an_order_of_magnitude(activation, init):
    for seed in range(2):
        assert 0.1 < gradient_norms(30, activation, init, residual=True, seed=seed).ratio < 10


def test_residual_connections_rescue_the_vanishing_sigmoid_network():
    plain = gradient_norms(30, "sigmoid", "glorot")
    res = gradient_norms(30, "sigmoid", "glorot", residual=True)
    assert abs(math.log10(res.ratio)) < 1 < abs(math.log10(plain.ratio))


def test_naive_relu_activations_grow_by_about_sqrt_width_over_2_per_layer():
    flow = gradient_norms(20, "relu", "naive")
    growth = (flow.activation_std[-1] / flow.activation_std[0]) ** (1 / 19)
    assert growth == pytest.approx(math.sqrt(64 / 2), rel=0.1)


# --------------------------------------------------------------------------- overflow and warnings


def test_forward_overflow_is_reported_with_finite_partial_results():
    # naive ReLU grows ~ sqrt(32) per layer: 1e308 is passed after ~ 400 layers
    flow = _no_warnings(gradient_norms, 600, "relu", "naive")
    assert flow.overflow_in == "forward" and 300 < flow.overflow_at < 600
    assert flow.activation_layers.tolist() == list(range(1, flow.overflow_at))
    assert flow.activation_std[-1] > 1e250
    assert flow.grad_norms.size == 0 and flow.grad_layers.size == 0
    assert flow.ratio is None and flow.loss is None
    _assert_finite(flow)


def test_backward_overflow_is_reported_with_the_gradients_above_it():
    # naive tanh is chaotic: the backward signal grows ~ 2x per layer while
    # the forward stays bounded
    flow = _no_warnings(gradient_norms, 1500, "tanh", "naive", batch=8)
    assert flow.overflow_in == "backward"
    assert flow.activation_std.size == 1500 and flow.loss is not None
    assert flow.grad_layers.tolist() == list(range(flow.overflow_at + 1, 1501))
    assert flow.ratio is None
    _assert_finite(flow)


def test_loss_and_gradients_raises_overflow_error_where_gradient_norms_reports():
    x, w, t = network(600, "naive", width=64, batch=4)
    with pytest.raises(OverflowError, match="forward pass overflows float64 at layer"):
        _no_warnings(loss_and_gradients, w, x, t, "relu")


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("activation", MAIN)
def test_every_configuration_at_depth_50_is_finite_and_silent(activation, init, residual):
    flow = _no_warnings(gradient_norms, 50, activation, init, residual)
    assert (
        flow.overflow_at is None
        and flow.grad_norms.shape == (50,)
        and flow.activation_std.shape == (50,)
    )
    _assert_finite(flow)
    assert isinstance(flow, GradFlow)


def test_vanishing_gradients_below_the_square_root_of_the_smallest_float_keep_their_size():
    # 0.25**600 ~ 1e-361 would underflow if squared naively; the norms are scaled instead
    flow = _no_warnings(gradient_norms, 600, "sigmoid", "glorot", batch=8)
    assert flow.overflow_at is None and np.all(flow.grad_norms[-50:] > 0)
    nonzero = flow.grad_norms[flow.grad_norms > 0]
    assert nonzero.min() < 1e-160


def test_gradient_norms_is_deterministic_in_its_seed():
    a, b = gradient_norms(10, "gelu", "he", seed=3), gradient_norms(10, "gelu", "he", seed=3)
    c = gradient_norms(10, "gelu", "he", seed=4)
    np.testing.assert_array_equal(a.grad_norms, b.grad_norms)
    assert not np.array_equal(a.grad_norms, c.grad_norms)


def test_gradient_norms_echoes_its_arguments():
    flow = gradient_norms(3, "relu", "glorot", True, width=5, batch=2, seed=1)
    assert (
        flow.depth,
        flow.activation,
        flow.init,
        flow.residual,
        flow.width,
        flow.batch,
        flow.seed,
    ) == (
        3,
        "relu",
        "glorot",
        True,
        5,
        2,
        1,
    )


# --------------------------------------------------------------------------- speed


def test_depth_50_gelu_is_fast_enough_for_a_slider():
    gradient_norms(50, "gelu", "he")
    best = math.inf
    for _ in range(5):
        t0 = time.perf_counter()
        gradient_norms(50, "gelu", "he")
        best = min(best, time.perf_counter() - t0)
    assert best < 0.1  # target 30 ms; measured ~ 20 ms; margin for slow CI machines


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"depth": 0}, ValueError, "depth must be >= 1"),
        ({"depth": 2.0}, TypeError, "depth must be an integer"),
        ({"activation": "swish"}, ValueError, "activation must be one of"),
        ({"activation": None}, TypeError, "activation must be a string"),
        ({"init": "xavier"}, ValueError, "init must be one of 'naive', 'glorot', 'he'"),
        ({"residual": 1}, TypeError, "residual must be a bool"),
        ({"width": 0}, ValueError, "width must be >= 1"),
        ({"batch": -2}, ValueError, "batch must be >= 1"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": 0.5}, TypeError, "seed must be an integer"),
    ],
)
def test_gradient_norms_rejects_bad_input(kwargs, exc, match):
    args = {"depth": 3} | kwargs
    with pytest.raises(exc, match=match):
        gradient_norms(**args)


@pytest.mark.parametrize(
    "args, exc, match",
    [
        (("kaiming", 4, 4), ValueError, "init must be one of"),
        (("he", 0, 4), ValueError, "fan_in must be >= 1"),
        (("he", 4, 1.5), TypeError, "fan_out must be an integer"),
    ],
)
def test_init_std_rejects_bad_input(args, exc, match):
    with pytest.raises(exc, match=match):
        init_std(*args)


def test_loss_and_gradients_rejects_bad_shapes_and_values():
    x, w, t = network(2, width=3, batch=2)
    with pytest.raises(ValueError, match="weights must have 3 dimension"):
        loss_and_gradients(w[0], x, t)
    with pytest.raises(ValueError, match=r"weights must have shape \(depth, width, width\)"):
        loss_and_gradients(w[:, :, :2], x, t)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, 3\)"):
        loss_and_gradients(w, x[:, :2], t)
    with pytest.raises(ValueError, match="readout must have the shape of x"):
        loss_and_gradients(w, x, t[:1])
    with pytest.raises(TypeError, match="weights must be float64"):
        loss_and_gradients(w.astype(np.float32), x, t)
    with pytest.raises(ValueError, match="x must contain only finite values"):
        loss_and_gradients(w, np.full_like(x, np.nan), t)
    with pytest.raises(ValueError, match="activation must be one of"):
        loss_and_gradients(w, x, t, activation="swish")
    with pytest.raises(TypeError, match="residual must be a bool"):
        loss_and_gradients(w, x, t, residual="no")


# ------------------------------------------------- property tests: bad input
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.gradflow import MAX_WIDTH  # noqa: E402


@settings(max_examples=50, deadline=None)
@given(
    arg=st.sampled_from(["depth", "width", "batch"]),
    size=st.integers(min_value=MAX_WIDTH + 1, max_value=10**500),
)
def test_sizes_above_max_width_are_refused_naming_the_size(arg, size):
    with pytest.raises(ValueError, match=rf"^{arg} must be <= {MAX_WIDTH}"):
        network(**{"depth": 2, "width": 4, "batch": 4, arg: size})


# --------------------------------------------------------------------------- layer normalisation


def _ln_independent(a, eps=1e-5):
    """Layer norm written from its definition with np.var (Ba, Kiros & Hinton, eq. 4)."""
    return (a - np.mean(a, axis=1, keepdims=True)) / np.sqrt(np.var(a, axis=1, keepdims=True) + eps)


def _ln_forward_loss(weights, x, t, activation, residual):
    own = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0)}
    f = own.get(activation, ACTIVATIONS[activation][0])
    h = x
    for W in weights:
        a = f(_ln_independent(h @ W.T))
        h = h + a / math.sqrt(len(weights)) if residual else a
    return float(np.sum(t * h) / x.shape[0])


def test_layer_norm_matches_its_definition():
    a = np.random.default_rng(0).normal(loc=3.0, scale=5.0, size=(4, 7))
    np.testing.assert_allclose(layer_norm(a), _ln_independent(a), rtol=1e-13)


def test_layer_norm_rows_have_mean_zero_and_variance_v_over_v_plus_eps():
    a = np.array([[0.0, 0.01, 0.02], [1.0, 5.0, -3.0]])
    y = layer_norm(a)
    v = np.var(a, axis=1)
    np.testing.assert_allclose(y.mean(axis=1), 0.0, atol=1e-15)
    np.testing.assert_allclose(y.var(axis=1), v / (v + LAYER_NORM_EPS), rtol=1e-12)


def test_layer_norm_ignores_a_shift_and_a_positive_scale_of_a_row():
    # exactly: LN(c a + b) = (a - mean) / sqrt(var + eps / c**2)
    a = np.random.default_rng(1).normal(size=(3, 8))
    np.testing.assert_allclose(
        layer_norm(100.0 * a - 7.0), _ln_independent(a, eps=LAYER_NORM_EPS / 100.0**2), rtol=1e-12
    )


@pytest.mark.parametrize("residual", [False, True], ids=["plain", "residual"])
@pytest.mark.parametrize("activation", MAIN)
def test_layer_norm_backward_pass_matches_central_differences(activation, residual):
    x, w, t = network(depth=3, init="glorot", width=4, batch=2, seed=7)
    loss = lambda ww: layer_norm_loss_and_gradients(ww, x, t, activation, residual)[0]  # noqa: E731
    _, grads = layer_norm_loss_and_gradients(w, x, t, activation, residual)
    numeric = numerical_gradient(loss, w)
    np.testing.assert_allclose(grads, numeric, rtol=1e-5, atol=1e-8 * np.max(np.abs(numeric)))


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("activation", MAIN)
def test_layer_norm_loss_matches_an_independent_forward_pass(activation, residual):
    x, w, t = network(depth=5, init="he", width=6, batch=3, seed=2)
    loss, _ = layer_norm_loss_and_gradients(w, x, t, activation, residual)
    expected = _ln_forward_loss(w, x, t, activation, residual)
    assert loss == pytest.approx(expected, rel=1e-12, abs=1e-15)
    flow = layer_norm_gradient_norms(5, activation, "he", residual, width=6, batch=3, seed=2)
    assert flow.loss == pytest.approx(loss, rel=1e-12, abs=1e-15)


def test_layer_norm_gradient_norms_are_the_frobenius_norms_of_the_gradients():
    x, w, t = network(depth=6, init="naive", width=8, batch=5, seed=3)
    _, grads = layer_norm_loss_and_gradients(w, x, t, "gelu", True)
    flow = layer_norm_gradient_norms(6, "gelu", "naive", True, width=8, batch=5, seed=3)
    norms = [np.linalg.norm(g) for g in grads]
    np.testing.assert_allclose(flow.grad_norms, norms, rtol=1e-13)
    assert flow.ratio == pytest.approx(norms[0] / norms[-1], rel=1e-13)
    assert flow.overflow_at is None and flow.grad_layers.tolist() == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("residual", [False, True])
def test_scaling_a_normalised_layers_weights_by_c_divides_its_gradient_by_c(residual):
    # LN(c a) = LN(a): the loss does not change, and by the chain rule dL/d(cW) = dL/dW / c
    # (exactly for eps = 0; large weights make eps negligible against the variances)
    x, w, t = network(depth=4, init="naive", width=8, batch=4, seed=5)
    w *= 1000.0
    loss, grads = layer_norm_loss_and_gradients(w, x, t, "tanh", residual)
    scaled = w.copy()
    scaled[1] *= 10.0
    loss_s, grads_s = layer_norm_loss_and_gradients(scaled, x, t, "tanh", residual)
    assert loss_s == pytest.approx(loss, rel=1e-6)
    np.testing.assert_allclose(grads_s[1], grads[1] / 10.0, rtol=1e-6, atol=1e-15)


def test_layer_norm_makes_the_gradient_ratio_blind_to_the_initialisation():
    ratios = [layer_norm_gradient_norms(30, "relu", init).ratio for init in INITS]
    assert max(ratios) / min(ratios) == pytest.approx(1.0, abs=1e-4)


def test_layer_norm_tames_the_exploding_naive_tanh_network():
    assert gradient_norms(30, "tanh", "naive").ratio > 1e6
    assert layer_norm_gradient_norms(30, "tanh", "naive").ratio < 100


def test_layer_norm_gradient_norms_emit_no_warnings_and_stay_finite():
    for activation in MAIN:
        _assert_finite(_no_warnings(layer_norm_gradient_norms, 60, activation, "naive", True))


@pytest.mark.parametrize(
    "a, exc, match",
    [
        (np.ones((3, 1)), ValueError, "a must have at least 2 columns"),
        (np.ones((3, 4), dtype=np.float32), TypeError, "a must be float64"),
        ([[1.0, np.nan]], ValueError, "a must contain only finite"),
    ],
    ids=["one column", "float32", "nan"],
)
def test_layer_norm_rejects_bad_input_naming_a(a, exc, match):
    with pytest.raises(exc, match=match):
        layer_norm(a)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"width": 1}, ValueError, "width must be >= 2"),
        ({"activation": None}, TypeError, "activation must be a string"),
        ({"init": "xavier"}, ValueError, "init must be one of"),
        ({"residual": 1}, TypeError, "residual must be a bool"),
    ],
)
def test_layer_norm_gradient_norms_rejects_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        layer_norm_gradient_norms(3, **kwargs)


@pytest.mark.parametrize(
    "cut, match",
    [
        ("x", r"x must have shape \(batch, 3\)"),
        ("readout", "readout must have the shape of x"),
        ("weights", r"weights must have shape \(depth, width, width\) with depth >= 1, width >= 2"),
    ],
)
def test_layer_norm_loss_and_gradients_refuse_mismatched_shapes(cut, match):
    x, w, t = network(depth=2, width=3, batch=2)
    arrays = {"weights": w, "x": x, "readout": t}
    arrays[cut] = {"x": x[:, :2], "readout": t[:1], "weights": w[:, :, :2]}[cut]
    with pytest.raises(ValueError, match=match):
        layer_norm_loss_and_gradients(**arrays)


def test_layer_norm_loss_and_gradients_refuse_a_single_unit_that_the_plain_network_accepts():
    x, w, t = network(depth=2, width=1, batch=2)
    assert math.isfinite(loss_and_gradients(w, x, t)[0])
    with pytest.raises(ValueError, match="width >= 2, got"):
        layer_norm_loss_and_gradients(w, x, t)
