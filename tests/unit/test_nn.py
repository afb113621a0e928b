"""Tests of utils.nn: shapes, initialisation, forward pass against NumPy, losses
against their formulas, validation, and loss gradients against central differences."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from utils.autograd import Value
from utils.nn import MLP, Layer, Neuron, bce_with_logits, hinge, l2_penalty, mse


def _weights(model: MLP) -> list[tuple[np.ndarray, np.ndarray]]:
    """(W, b) of each layer as NumPy arrays, W of shape (nout, nin)."""
    return [
        (
            np.array([[w.data for w in n.w] for n in layer.neurons]),
            np.array([n.b.data for n in layer.neurons]),
        )
        for layer in model.layers
    ]


# ---------------------------------------------------------------- shapes
def test_mlp_forward_returns_one_value_per_output():
    out = MLP(3, [5, 4, 2], seed=0)([0.1, -0.2, 0.3])
    assert isinstance(out, list) and len(out) == 2 and all(isinstance(v, Value) for v in out)


def test_layer_forward_returns_nout_values():
    assert len(Layer(2, 7, seed=0)([1.0, 2.0])) == 7


@pytest.mark.parametrize(
    "model,count",
    [
        (Neuron(4, seed=0), 5),
        (Layer(4, 3, seed=0), 15),
        (MLP(2, [16, 16, 1], seed=0), 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1),
    ],
    ids=["neuron", "layer", "mlp"],
)
def test_parameter_count_is_weights_plus_biases(model, count):
    params = model.parameters()
    assert len(params) == count
    assert len({id(p) for p in params}) == count  # all distinct


# -------------------------------------------------------- initialisation
def test_same_seed_gives_identical_parameters():
    a = [p.data for p in MLP(3, [4, 2], seed=7).parameters()]
    b = [p.data for p in MLP(3, [4, 2], seed=7).parameters()]
    assert a == b


def test_different_seeds_give_different_parameters():
    a = [p.data for p in MLP(3, [4, 2], seed=1).parameters()]
    b = [p.data for p in MLP(3, [4, 2], seed=2).parameters()]
    assert a != b


def test_a_generator_can_be_passed_as_seed():
    a = [p.data for p in MLP(3, [4], seed=np.random.default_rng(5)).parameters()]
    b = [p.data for p in MLP(3, [4], seed=5).parameters()]
    assert a == b


def test_initial_parameters_lie_within_one_over_sqrt_nin():
    for layer in MLP(9, [25, 4], seed=3).layers:
        bound = 1 / math.sqrt(layer.neurons[0].nin)
        assert all(-bound <= p.data <= bound for p in layer.parameters())


# ----------------------------------------------------------- forward pass
@pytest.mark.parametrize(
    "nonlin,act",
    [
        ("tanh", np.tanh),
        ("relu", lambda z: np.maximum(z, 0)),
        ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
        ("softplus", lambda z: np.logaddexp(0.0, z)),
        ("linear", lambda z: z),
    ],
)
def test_neuron_applies_its_activation_to_the_affine_map(nonlin, act):
    n = Neuron(3, nonlin=nonlin, seed=4)
    x = [0.5, -1.5, 2.0]
    z = np.dot([w.data for w in n.w], x) + n.b.data
    assert n(x).data == pytest.approx(act(z), rel=1e-14, abs=1e-15)


@pytest.mark.parametrize("nonlin,act", [("tanh", np.tanh), ("relu", lambda z: np.maximum(z, 0))])
def test_mlp_forward_matches_numpy_with_a_linear_output_layer(nonlin, act):
    model = MLP(3, [6, 5, 2], nonlin=nonlin, seed=11)
    x = np.array([0.3, -0.8, 1.7])
    h = x
    layers = _weights(model)
    for k, (W, b) in enumerate(layers):
        h = W @ h + b
        if k < len(layers) - 1:
            h = act(h)
    assert [v.data for v in model(list(x))] == pytest.approx(list(h), rel=1e-13, abs=1e-15)


def test_forward_accepts_a_numpy_array():
    model = MLP(2, [3, 1], seed=0)
    assert model(np.array([0.5, 0.25]))[0].data == model([0.5, 0.25])[0].data


def test_module_zero_grad_clears_every_parameter():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, 2.0])[0].backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# ------------------------------------------------------------------ losses
def test_mse_matches_its_formula():
    preds, targets = [0.5, -1.0, 2.0], [1.0, 0.0, 2.5]
    expected = np.mean((np.array(preds) - np.array(targets)) ** 2)
    assert mse([Value(p) for p in preds], targets).data == pytest.approx(expected, rel=1e-15)


def test_bce_with_logits_matches_the_cross_entropy_of_the_sigmoid():
    logits, targets = [0.3, -1.2, 2.5, 0.0], [1.0, 0.0, 0.25, 1.0]
    expected = 0.0
    for z, y in zip(logits, targets, strict=False):
        p = 1 / (1 + math.exp(-z))
        expected += -(y * math.log(p) + (1 - y) * math.log(1 - p))
    expected /= len(logits)
    assert bce_with_logits([Value(z) for z in logits], targets).data == pytest.approx(
        expected, rel=1e-13
    )


@pytest.mark.parametrize(
    "z,y,loss,grad",
    [
        (1000.0, 0.0, 1000.0, 1.0),
        (-1000.0, 1.0, 1000.0, -1.0),
        (1000.0, 1.0, 0.0, 0.0),
        (-1000.0, 0.0, 0.0, 0.0),
    ],
)
def test_bce_with_logits_is_finite_and_exact_at_plus_minus_1000(z, y, loss, grad):
    # loss = softplus(z) - y z -> |z| when the label is wrong, 0 when right;
    # d loss / dz = sigmoid(z) - y.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        zv = Value(z)
        out = bce_with_logits([zv], [y])
        out.backward()
    assert out.data == loss and zv.grad == grad


def test_hinge_matches_its_formula():
    scores, labels = [2.0, 0.3, -0.5, -2.0], [1, 1, 1, -1]
    expected = np.mean(np.maximum(0.0, 1.0 - np.array(labels) * np.array(scores)))
    assert hinge([Value(s) for s in scores], labels).data == pytest.approx(expected, rel=1e-15)


def test_l2_penalty_is_alpha_times_sum_of_squares_with_gradient_two_alpha_p():
    params = [Value(0.5), Value(-2.0), Value(3.0)]
    pen = l2_penalty(params, alpha=1e-2)
    pen.backward()
    assert pen.data == pytest.approx(1e-2 * (0.25 + 4.0 + 9.0), rel=1e-15)
    assert [p.grad for p in params] == pytest.approx([2e-2 * p.data for p in params], rel=1e-15)


# --------------------------------------------------------------- validation
@pytest.mark.parametrize("loss", [mse, bce_with_logits, hinge], ids=lambda f: f.__name__)
def test_loss_rejects_mismatched_lengths(loss):
    with pytest.raises(ValueError, match="same length"):
        loss([Value(0.5), Value(0.5)], [1.0])


@pytest.mark.parametrize("loss", [mse, bce_with_logits, hinge], ids=lambda f: f.__name__)
def test_loss_rejects_empty_input(loss):
    with pytest.raises(ValueError, match="must not be empty"):
        loss([], [])


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_bce_rejects_targets_outside_the_unit_interval(bad):
    with pytest.raises(ValueError, match=r"targets\[1\] must be in \[0, 1\]"):
        bce_with_logits([Value(0.0), Value(0.0)], [1.0, bad])


@pytest.mark.parametrize("bad", [0, 2, 0.5])
def test_hinge_rejects_labels_other_than_plus_minus_one(bad):
    with pytest.raises(ValueError, match=r"labels\[0\] must be -1 or \+1"):
        hinge([Value(0.0)], [bad])


def test_loss_rejects_non_finite_targets():
    with pytest.raises(ValueError, match=r"targets\[0\] must be finite"):
        mse([Value(0.0)], [float("nan")])


def test_l2_penalty_rejects_negative_alpha():
    with pytest.raises(ValueError, match="alpha must be non-negative"):
        l2_penalty([Value(1.0)], alpha=-1.0)


def test_l2_penalty_rejects_non_values():
    with pytest.raises(TypeError, match=r"params\[1\] must be a Value"):
        l2_penalty([Value(1.0), 2.0], alpha=0.1)


@pytest.mark.parametrize("nin", [0, -3])
def test_neuron_rejects_nin_below_one(nin):
    with pytest.raises(ValueError, match="nin must be >= 1"):
        Neuron(nin)


def test_neuron_rejects_non_integer_nin():
    with pytest.raises(TypeError, match="nin must be an integer"):
        Neuron(2.5)


def test_neuron_rejects_an_unknown_nonlinearity():
    with pytest.raises(ValueError, match="nonlin must be one of"):
        Neuron(2, nonlin="swish")


def test_neuron_rejects_an_activation_the_scalar_engine_lacks():
    with pytest.raises(ValueError, match="nonlin must be one of .*got 'gelu'"):
        Neuron(2, nonlin="gelu")


def test_nonlinearities_are_the_registry_activations_value_implements_and_linear():
    from utils.activations import ACTIVATIONS
    from utils.nn import NONLINEARITIES

    implemented = {"sigmoid", "tanh", "relu", "softplus"}  # the activation methods of Value
    assert set(NONLINEARITIES) == implemented | {"linear"}
    assert implemented <= set(ACTIVATIONS)


def test_mlp_rejects_an_empty_list_of_layer_sizes():
    with pytest.raises(ValueError, match="nouts"):
        MLP(2, [])


def test_mlp_rejects_a_zero_layer_size():
    with pytest.raises(ValueError, match=r"nouts\[1\] must be >= 1"):
        MLP(2, [3, 0])


def test_forward_rejects_an_input_of_the_wrong_length():
    with pytest.raises(ValueError, match="x must have length nin=3, got 2"):
        Neuron(3)([1.0, 2.0])


def test_negative_seed_is_rejected():
    with pytest.raises(ValueError, match="seed must be >= 0"):
        MLP(2, [1], seed=-1)


# ------------------------------------------------- gradients of the losses
@pytest.mark.parametrize("loss_name", ["mse", "bce", "hinge"])
def test_loss_gradient_matches_central_differences(loss_name):
    model = MLP(2, [4, 1], nonlin="tanh", seed=2)
    xs = [[0.5, -1.0], [1.5, 0.3], [-0.7, 0.8]]
    targets = {"mse": [0.2, -0.4, 1.0], "bce": [1.0, 0.0, 0.3], "hinge": [1, -1, 1]}[loss_name]
    fn = {"mse": mse, "bce": bce_with_logits, "hinge": hinge}[loss_name]

    def loss():
        return fn([model(x)[0] for x in xs], targets) + l2_penalty(model.parameters(), 1e-2)

    model.zero_grad()
    loss().backward()
    h = 1e-6
    for p in model.parameters():
        p.data += h
        up = loss().data
        p.data -= 2 * h
        down = loss().data
        p.data += h
        assert p.grad == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-8)


def test_a_few_sgd_steps_reduce_the_loss():
    model = MLP(2, [8, 1], nonlin="relu", seed=0)
    xs, ys = [[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]], [1, 1, -1, -1]

    def loss():
        return hinge([model(x)[0] for x in xs], ys)

    start = loss().data
    for _ in range(20):
        model.zero_grad()
        total = loss()
        total.backward()
        for p in model.parameters():
            p.data -= 0.1 * p.grad
    assert loss().data < start


# ------------------------------------------------- property tests: bad input
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from utils.nn import MAX_PARAMETERS, MAX_WIDTH  # noqa: E402


@settings(max_examples=50, deadline=None)
@given(nout=st.integers(min_value=MAX_WIDTH + 1, max_value=10**500))
def test_a_layer_wider_than_max_width_is_refused_naming_nout(nout):
    with pytest.raises(ValueError, match=rf"^nout must be <= {MAX_WIDTH}"):
        Layer(2, nout)


@settings(max_examples=50, deadline=None)
@given(nin=st.integers(min_value=MAX_PARAMETERS // MAX_WIDTH, max_value=MAX_WIDTH))
def test_a_layer_with_more_than_max_parameters_is_refused_before_it_is_built(nin):
    with pytest.raises(ValueError, match=rf"at most MAX_PARAMETERS = {MAX_PARAMETERS}"):
        Layer(nin, MAX_WIDTH)


@settings(max_examples=50, deadline=None)
@given(data=st.data(), nin=st.integers(min_value=1, max_value=5))
def test_a_non_finite_input_to_a_neuron_is_reported_as_x_i(data, nin):
    i = data.draw(st.integers(min_value=0, max_value=nin - 1))
    bad = data.draw(st.sampled_from([math.nan, math.inf, -math.inf]))
    x = [0.5] * nin
    x[i] = bad
    with pytest.raises(ValueError, match=rf"^x\[{i}\] must be finite"):
        Neuron(nin, seed=0)(x)
