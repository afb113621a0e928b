"""Fuzz the public API of the math core with bad input and classify what happens.

A script, not a test: it calls every public function and class of the math
core (``numdiff``, ``activations``, ``autograd``, ``nn``, ``optim``,
``schedules``, ``gradcheck``, ``landscapes``, ``data``, ``descent``,
``gradflow``, ``graphdraw``, ``admodes``, ``softmax``) and the main methods of
the objects they return, starting each time from a valid call and replacing
ONE argument by a value from a systematic list of bad inputs (NaN, +-inf,
10**400, 1e308, 2**63, negative and zero sizes, bools, strings, None, arrays
of strings, ragged lists, wrong shapes, float32 arrays, empty lists, complex
numbers, arbitrary objects), plus a few hand-written cases (duplicated arrays,
overflowing results). Each outcome is classified:

``clear``     TypeError/ValueError whose message names the argument;
``arith``     an OverflowError/ZeroDivisionError raised on purpose by utils
              (a ``raise`` statement of the package, with its own message),
              documented for results that leave float64's range;
``accepted``  the call returned finite values (the input was not bad for
              this argument, e.g. ``0`` for ``x`` or ``None`` for ``h``);
``reported``  the call returned non-finite values but said so (a
              ``diverged_at``/``overflow_at`` field that is set);
``documented`` an infinity from a function documented to return one;
and the bad kinds:
``unnamed``   TypeError/ValueError whose message does not name the argument;
``other``     any other exception (bare OverflowError, IndexError, ...);
``nonfinite`` NaN or inf returned silently;
``warning``   a warning was emitted;
``hang``      the call did not finish within the time limit.

Run from the repository root::

    python bench/fuzz_public_api.py            # summary + the bad cases
    python bench/fuzz_public_api.py --all      # every case
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import re
import resource
import signal
import sys
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils import (  # noqa: E402
    activations,
    admodes,
    autograd,
    data,
    descent,
    gradcheck,
    gradflow,
    graphdraw,
    landscapes,
    nn,
    numdiff,
    optim,
    schedules,
    softmax,
)
from utils.autograd import Value  # noqa: E402

TIMEOUT_S = 2
BAD_KINDS = ("unnamed", "other", "nonfinite", "warning", "hang")

# Functions whose docstring promises +-inf for a result beyond float64's range
# (a landscape's value or gradient far outside its plot, a contraction factor
# of certain divergence): an infinity from them is "documented", not silent.
DOCUMENTED_INF = {
    *(f"landscapes.{name}.{m}" for name in landscapes.LANDSCAPES for m in ("f", "grad")),
    "descent.contraction_factor",
}


class Hang(Exception):
    pass


def _alarm(signum, frame):  # pragma: no cover - signal handler
    raise Hang()


def bad_values() -> list[tuple[str, Any]]:
    """The systematic list of bad inputs (fresh objects for every call)."""
    nan, inf = float("nan"), float("inf")
    return [
        ("nan", nan),
        ("inf", inf),
        ("-inf", -inf),
        ("10**400", 10**400),
        ("-10**400", -(10**400)),
        ("1e308", 1e308),
        ("-1e308", -1e308),
        ("2**63", 2**63),
        ("-1", -1),
        ("0", 0),
        ("True", True),
        ("str", "x"),
        ("None", None),
        ("np.str_array", np.array(["x"])),
        ("ragged", [[1.0], [1.0, 2.0]]),
        ("shape(2,3,4)", np.ones((2, 3, 4))),
        ("float32", np.ones(2, dtype=np.float32)),
        ("[]", []),
        ("complex", 1 + 1j),
        ("[nan,1]", np.array([nan, 1.0])),
        ("object", object()),
        ("[1e308]*2", [1e308, 1e308]),
    ]


# --------------------------------------------------------------- the targets
def _params2():
    return [np.zeros(2), np.ones(3)]


def _opt_step(cls: Callable, **hyper):
    def call(grads=None, params=None):
        params = _params2() if params is None else params
        opt = cls(params, **hyper)
        opt.step(grads)
        opt.step(grads)
        return params

    return call


def _neuron_call(x):
    return nn.Neuron(3, seed=0)(x)


def _mlp_call(x):
    return nn.MLP(2, [3, 1], seed=0)(x)


def _value_op(op: str) -> Callable:
    def call(other):
        a = Value(2.0)
        out = {
            "add": lambda: a + other,
            "radd": lambda: other + a,
            "mul": lambda: a * other,
            "truediv": lambda: a / other,
            "rtruediv": lambda: other / a,
            "pow": lambda: a**other,
            "rpow": lambda: other**a,
            "sub": lambda: a - other,
        }[op]()
        out.backward()
        return out, a.grad

    return call


def _value_method(method: str) -> Callable:
    def call(data):
        v = Value(data)
        out = getattr(v, method)()
        out.backward()
        return out, v.grad

    return call


def _landscape_method(name: str, method: str) -> Callable:
    def call(xy):
        return getattr(landscapes.LANDSCAPES[name], method)(xy)

    return call


def _scheduler(schedule="constant", **kwargs):
    opt = optim.SGD([np.zeros(1)], lr=1.0)
    sched = schedules.LRScheduler(opt, schedule, **kwargs)
    opt.step([np.ones(1)])
    sched.step()
    return sched.get_last_lr()


def _lr_setter(lr):
    opt = optim.SGD([np.zeros(1)], lr=0.1)
    opt.lr = lr
    return opt.lr


def _draw(root=None, rankdir="LR", max_nodes=200):
    if root is None:
        root = Value(1.0) * Value(2.0)
    return graphdraw.draw_graph(root, rankdir=rankdir, max_nodes=max_nodes)


def _square(x):
    return float(np.sum(np.asarray(x) ** 2))


def _value_square(vs):
    return vs[0] * vs[0] + vs[1]


def targets() -> list[tuple[str, Callable, dict[str, Any]]]:
    """(name, function, valid keyword arguments) for every public entry point."""
    T: list[tuple[str, Callable, dict[str, Any]]] = []
    add = T.append
    # numdiff
    for fn in (numdiff.forward_difference, numdiff.backward_difference, numdiff.central_difference):
        add((f"numdiff.{fn.__name__}", fn, dict(f=math.sin, x=1.0, h=1e-5)))
    add(
        (
            "numdiff.derivative",
            numdiff.derivative,
            dict(f=math.sin, x=1.0, scheme="central", h=1e-5),
        )
    )
    add(("numdiff.optimal_step", numdiff.optimal_step, dict(scheme="central", x=1.0)))
    add(
        (
            "numdiff.step_errors",
            numdiff.step_errors,
            dict(f=math.sin, dfdx=math.cos, x=1.0, hs=[1e-3, 1e-5], scheme="central"),
        )
    )
    add(
        (
            "numdiff.numerical_gradient",
            numdiff.numerical_gradient,
            dict(f=_square, x=[1.0, 2.0], h=1e-5),
        )
    )
    add(
        (
            "numdiff.numerical_jacobian",
            numdiff.numerical_jacobian,
            dict(f=lambda x: np.asarray(x) ** 2, x=[1.0, 2.0], h=1e-5, as_matrix=False),
        )
    )
    add(
        (
            "numdiff.complex_step",
            numdiff.complex_step,
            dict(f=lambda z: np.sum(np.asarray(z) ** 2), x=[1.0, 2.0], h=1e-20),
        )
    )
    # activations
    for name in activations.__all__:
        fn = getattr(activations, name)
        if not callable(fn) or name in ("ApproximationError", "gelu_approximation_error"):
            continue
        kw: dict[str, Any] = dict(x=[0.5, -1.0])
        if "alpha" in fn.__code__.co_varnames:
            kw["alpha"] = 0.01
        add((f"activations.{name}", fn, kw))
    add(
        (
            "activations.gelu_approximation_error",
            activations.gelu_approximation_error,
            dict(lo=-3.0, hi=3.0, n=101),
        )
    )
    # autograd
    add(("autograd.Value", Value, dict(data=1.0, label="a")))
    add(("autograd.Value.sum", Value.sum, dict(values=[1.0, 2.0])))
    add(("autograd.dot", autograd.dot, dict(ws=[1.0, 2.0], xs=[3.0, 4.0])))
    add(("autograd.zero_grad", autograd.zero_grad, dict(values=[Value(1.0)])))
    for op in ("add", "radd", "sub", "mul", "truediv", "rtruediv", "pow", "rpow"):
        add((f"autograd.Value.__{op}__", _value_op(op), dict(other=3.0)))
    for m in ("exp", "log", "tanh", "sigmoid", "relu", "softplus"):
        add((f"autograd.Value.{m}", _value_method(m), dict(data=0.5)))
    # nn
    add(("nn.Neuron", nn.Neuron, dict(nin=3, nonlin="tanh", seed=0)))
    add(("nn.Layer", nn.Layer, dict(nin=3, nout=2, nonlin="tanh", seed=0)))
    add(("nn.MLP", nn.MLP, dict(nin=2, nouts=[3, 1], nonlin="tanh", seed=0)))
    add(("nn.Neuron.__call__", _neuron_call, dict(x=[1.0, 2.0, 3.0])))
    add(("nn.MLP.__call__", _mlp_call, dict(x=[1.0, 2.0])))
    add(("nn.mse", nn.mse, dict(preds=[1.0, 2.0], targets=[0.0, 1.0])))
    add(("nn.bce_with_logits", nn.bce_with_logits, dict(logits=[1.0, 2.0], targets=[0.0, 1.0])))
    add(("nn.hinge", nn.hinge, dict(scores=[1.0, -2.0], labels=[1.0, -1.0])))
    add(("nn.l2_penalty", nn.l2_penalty, dict(params=[Value(1.0)], alpha=0.1)))
    # optim
    add(
        (
            "optim.SGD",
            optim.SGD,
            dict(
                params=_params2(),
                lr=0.1,
                momentum=0.9,
                dampening=0.0,
                nesterov=False,
                weight_decay=0.0,
                maximize=False,
            ),
        )
    )
    add(
        (
            "optim.RMSprop",
            optim.RMSprop,
            dict(
                params=_params2(),
                lr=0.01,
                alpha=0.99,
                eps=1e-8,
                weight_decay=0.0,
                momentum=0.0,
                centered=False,
            ),
        )
    )
    add(
        (
            "optim.Adam",
            optim.Adam,
            dict(
                params=_params2(),
                lr=0.001,
                betas=(0.9, 0.999),
                eps=1e-8,
                weight_decay=0.0,
                amsgrad=False,
            ),
        )
    )
    add(
        (
            "optim.AdamW",
            optim.AdamW,
            dict(
                params=_params2(),
                lr=0.001,
                betas=(0.9, 0.999),
                eps=1e-8,
                weight_decay=0.01,
                amsgrad=False,
            ),
        )
    )
    for cls, hyper in (
        (optim.SGD, dict(lr=0.1, momentum=0.9)),
        (optim.RMSprop, {}),
        (optim.Adam, {}),
        (optim.AdamW, {}),
    ):
        add(
            (
                f"optim.{cls.__name__}.step",
                _opt_step(cls, **hyper),
                dict(grads=[np.ones(2), np.ones(3)]),
            )
        )
    add(("optim.Optimizer.lr=", _lr_setter, dict(lr=0.2)))
    add(
        (
            "optim.clip_grad_norm",
            optim.clip_grad_norm,
            dict(grads=[np.ones(2), np.ones(3)], max_norm=1.0, norm_type=2.0),
        )
    )
    add(("optim.make_optimizer", optim.make_optimizer, dict(name="sgd", params=_params2(), lr=0.1)))
    # schedules
    add(("schedules.constant", schedules.constant, dict(step=3, lr=0.1)))
    add(
        ("schedules.step_decay", schedules.step_decay, dict(step=3, lr=0.1, step_size=2, gamma=0.5))
    )
    add(("schedules.exponential", schedules.exponential, dict(step=3, lr=0.1, gamma=0.5)))
    add(
        (
            "schedules.linear_warmup",
            schedules.linear_warmup,
            dict(step=3, peak_lr=0.1, warmup_steps=5),
        )
    )
    add(
        (
            "schedules.cosine_with_warmup",
            schedules.cosine_with_warmup,
            dict(step=7, peak_lr=0.1, warmup_steps=5, total_steps=20, min_lr=0.0),
        )
    )
    add(
        (
            "schedules.inverse_sqrt",
            schedules.inverse_sqrt,
            dict(step=3, d_model=512, warmup_steps=10),
        )
    )
    add(
        (
            "schedules.warmup_stable_decay",
            schedules.warmup_stable_decay,
            dict(step=12, peak_lr=0.1, warmup_steps=2, total_steps=20, decay_steps=10, min_lr=0.0),
        )
    )
    add(
        (
            "schedules.LRScheduler",
            _scheduler,
            dict(schedule="linear_warmup", peak_lr=0.1, warmup_steps=4),
        )
    )
    # gradcheck
    add(
        (
            "gradcheck.gradcheck",
            gradcheck.gradcheck,
            dict(
                loss_fn=_square,
                params=[np.array([1.0, 2.0])],
                grads=[np.array([2.0, 4.0])],
                h=None,
                rtol=1e-6,
                names=None,
                atol=None,
            ),
        )
    )
    add(
        (
            "gradcheck.check_value_graph",
            gradcheck.check_value_graph,
            dict(
                f=_value_square, inputs=[1.0, 2.0], h=None, rtol=1e-6, names=["a", "b"], atol=None
            ),
        )
    )
    add(
        (
            "gradcheck.directional_check",
            gradcheck.directional_check,
            dict(
                loss_fn=_square,
                params=[np.array([1.0, 2.0])],
                grads=[np.array([2.0, 4.0])],
                direction=None,
                seed=0,
                h=None,
                rtol=1e-6,
                atol=None,
            ),
        )
    )
    add(
        (
            "gradcheck.coordinate_check",
            gradcheck.coordinate_check,
            dict(
                loss_fn=_square,
                params=[np.array([1.0, 2.0])],
                grads=[np.array([2.0, 4.0])],
                h=None,
                rtol=1e-6,
                atol=None,
                names=None,
                samples=2,
                seed=0,
            ),
        )
    )
    # landscapes
    add(
        (
            "landscapes.Quadratic",
            landscapes.Quadratic,
            dict(
                condition=10.0,
                angle=0.0,
                start=(-4.0, 3.0),
                bounds=((-5.0, 5.0), (-5.0, 5.0)),
                name="q",
            ),
        )
    )
    add(
        (
            "landscapes.Rosenbrock",
            landscapes.Rosenbrock,
            dict(a=1.0, b=100.0, start=(-1.2, 1.0), bounds=((-2.0, 2.0), (-1.0, 3.0)), name="r"),
        )
    )
    add(
        (
            "landscapes.Beale",
            landscapes.Beale,
            dict(start=(1.0, 1.5), bounds=((-4.5, 4.5), (-4.5, 4.5)), name="b"),
        )
    )
    add(
        (
            "landscapes.Saddle",
            landscapes.Saddle,
            dict(start=(-1.5, 0.01), bounds=((-2.0, 2.0), (-2.0, 2.0)), name="s"),
        )
    )
    add(("landscapes.quadratic", landscapes.quadratic, dict(condition=10.0, angle=0.0)))
    add(("landscapes.rosenbrock", landscapes.rosenbrock, dict(a=1.0, b=100.0)))
    for lname in landscapes.LANDSCAPES:
        for method in ("f", "grad"):
            add(
                (
                    f"landscapes.{lname}.{method}",
                    _landscape_method(lname, method),
                    dict(xy=[0.5, 0.25]),
                )
            )
    add(
        (
            "landscapes.run",
            landscapes.run,
            dict(landscape="quadratic", optimizer="sgd", x0=None, steps=5, lr=0.01),
        )
    )
    add(
        (
            "landscapes.tune_lr",
            landscapes.tune_lr,
            dict(landscape="quadratic", optimizer="sgd", steps=5, grid=(0.01, 0.1), x0=None),
        )
    )
    # data
    add(("data.two_moons", data.two_moons, dict(n=10, noise=0.1, seed=0, labels="pm1")))
    add(
        (
            "data.noisy_line",
            data.noisy_line,
            dict(n=10, slope=2.0, intercept=1.0, noise=0.3, seed=0, x_range=(-1.0, 1.0)),
        )
    )
    add(("data.logic_gate", data.logic_gate, dict(name="xor", labels="01")))
    # descent
    add(("descent.quadratic_regime", descent.quadratic_regime, dict(lr=0.1, curvature=2.0)))
    add(("descent.contraction_factor", descent.contraction_factor, dict(lr=0.1, curvature=2.0)))
    add(("descent.quadratic_lr_limits", descent.quadratic_lr_limits, dict(condition=10.0)))
    add(
        (
            "descent.gd_quadratic_1d",
            descent.gd_quadratic_1d,
            dict(lr=0.1, steps=10, w0=0.0, target=3.0, curvature=2.0),
        )
    )
    add(
        (
            "descent.gd_quadratic_2d",
            descent.gd_quadratic_2d,
            dict(lr=0.1, condition=10.0, steps=10, x0=None, angle=0.0),
        )
    )
    add(
        (
            "descent.minibatch_sgd_linear_regression",
            descent.minibatch_sgd_linear_regression,
            dict(
                batch_size=10,
                lr=0.1,
                epochs=2,
                n=50,
                seed=0,
                noise=0.3,
                slope=2.0,
                intercept=1.0,
                shuffle=True,
            ),
        )
    )
    add(
        (
            "descent.squared_error_terms",
            descent.squared_error_terms,
            dict(x=[1.0, 2.0], y=[3.0, 3.0], w=1.0, b=0.0),
        )
    )
    # gradflow
    add(("gradflow.init_std", gradflow.init_std, dict(init="he", fan_in=4, fan_out=4)))
    add(("gradflow.network", gradflow.network, dict(depth=3, init="he", width=4, batch=5, seed=0)))
    x, w, r = gradflow.network(3, "he", width=4, batch=5, seed=0)
    add(
        (
            "gradflow.loss_and_gradients",
            gradflow.loss_and_gradients,
            dict(weights=w, x=x, readout=r, activation="tanh", residual=False),
        )
    )
    add(
        (
            "gradflow.gradient_norms",
            gradflow.gradient_norms,
            dict(depth=3, activation="tanh", init="he", residual=False, width=4, batch=5, seed=0),
        )
    )
    add(("gradflow.layer_norm", gradflow.layer_norm, dict(a=[[1.0, 2.0, 4.0]])))
    add(
        (
            "gradflow.layer_norm_loss_and_gradients",
            gradflow.layer_norm_loss_and_gradients,
            dict(weights=w, x=x, readout=r, activation="tanh", residual=False),
        )
    )
    add(
        (
            "gradflow.layer_norm_gradient_norms",
            gradflow.layer_norm_gradient_norms,
            dict(depth=3, activation="tanh", init="he", residual=False, width=4, batch=5, seed=0),
        )
    )
    # softmax
    add(("softmax.softmax", softmax.softmax, dict(z=[1.0, 2.0])))
    add(("softmax.softmax_jacobian", softmax.softmax_jacobian, dict(z=[1.0, 2.0])))
    add(("softmax.softmax_vjp", softmax.softmax_vjp, dict(z=[1.0, 2.0], v=[1.0, 0.0])))
    # admodes
    a, b = Value(2.0), Value(-3.0)
    c = a * b + a
    add(("admodes.count_edges", admodes.count_edges, dict(root=c)))
    add(("admodes.forward_mode", admodes.forward_mode, dict(root=c, inputs=[a, b])))
    add(("admodes.reverse_mode", admodes.reverse_mode, dict(root=c, inputs=[a, b])))
    # graphdraw
    add(("graphdraw.draw_graph", _draw, dict(root=None, rankdir="LR", max_nodes=200)))
    add(("graphdraw.GraphSVG", graphdraw.GraphSVG, dict(svg="<svg></svg>", n_nodes=1)))
    return T


def extra_cases() -> list[tuple[str, str, Callable[[], Any]]]:
    """Hand-written cases: (target, argument, thunk)."""

    def dup_clip():
        a = np.ones(2)
        optim.clip_grad_norm([a, a], 1.0)
        return a

    def dup_sgd():
        a = np.ones(2)
        return optim.SGD([a, a], lr=0.1)

    def backward_overflow():
        # finite forward values (1, 0.76, 7.6e299), derivative d u / d x = 1e300 * 0.42 * 1e300
        x = Value(1e-300)
        u = (x * 1e300).tanh() * 1e300
        u.backward()
        return u, x.grad

    def backward_twice_overflow():
        # each pass is finite (1e308); the accumulated .grad would be 2e308
        x = Value(1.0)
        y = x * 1e308
        y.backward()
        y.backward()
        return y, x.grad

    def sum_finite_result():
        return Value.sum([1e308, 1e308, -1e308])

    def dot_finite_result():
        return autograd.dot([1e308, 1e308, 1.0], [1.0, 1.0, -1e308])

    def sgd_huge_grads():
        p = [np.zeros(2)]
        opt = optim.SGD(p, lr=1e200)
        opt.step([np.full(2, 1e200)])
        return p

    def adam_huge_grads():
        p = [np.zeros(2)]
        opt = optim.Adam(p, lr=0.1)
        opt.step([np.full(2, 1e200)])
        opt.step([np.full(2, 1e200)])
        return p

    def rmsprop_huge_grads():
        p = [np.zeros(2)]
        opt = optim.RMSprop(p, lr=0.1)
        opt.step([np.full(2, 1e200)])
        return p

    def warmup_large_peak():
        return schedules.linear_warmup(3, peak_lr=1e308, warmup_steps=5)

    def wsd_large_peak():
        return schedules.warmup_stable_decay(15, 1.7e308, 2, 20, 10, min_lr=1e-300)

    def wsd_cosine_large():
        return schedules.cosine_with_warmup(12, 1.7e308, 2, 20, min_lr=0.0)

    def exponential_overflow():
        return schedules.exponential(10**6, lr=1.0, gamma=2.0)

    def step_decay_overflow():
        return schedules.step_decay(10**6, lr=1.0, step_size=1, gamma=2.0)

    def saddle_far():
        return landscapes.Saddle().f([1e200, 1e200])

    def beale_none():
        return landscapes.Beale().f(None)

    def numgrad_huge_h():
        return numdiff.numerical_gradient(_square, [1.0, 2.0], h=1e308)

    def quotient_overflow():
        return numdiff.central_difference(lambda t: 1.7e308 * math.tanh(1e10 * t), 0.0, h=1e-5)

    def minibatch_extreme_noise():
        return descent.minibatch_sgd_linear_regression(10, 0.1, epochs=2, n=50, noise=1e300)

    def minibatch_extreme_slope():
        return descent.minibatch_sgd_linear_regression(10, 0.1, epochs=2, n=50, slope=1e300)

    def neuron_nan():
        return nn.Neuron(2, seed=0)([float("nan"), 1.0])

    def run_bad_optimizer():
        return landscapes.run("quadratic", "nope", steps=2, lr=0.1)

    def sigmoid_ragged():
        return activations.sigmoid([[1.0], [1.0, 2.0]])

    def gd1d_huge_steps():
        return descent.gd_quadratic_1d(0.1, steps=10**400)

    def two_moons_huge():
        return data.two_moons(10**400)

    def layer_huge():
        return nn.Layer(2, nout=2**63)

    def value_huge():
        return Value(10**400)

    def sgd_huge_lr():
        return optim.SGD([np.zeros(1)], lr=10**400)

    def mse_overflow():
        return nn.mse([1e200], [-1e200])

    def gradflow_overflow():
        return gradflow.gradient_norms(60, activation="relu", init="naive", width=64)

    return [
        ("optim.clip_grad_norm", "grads", dup_clip),
        ("optim.SGD", "params", dup_sgd),
        ("autograd.backward", "data", backward_overflow),
        ("autograd.backward", "data", backward_twice_overflow),
        ("autograd.Value.sum", "values", sum_finite_result),
        ("autograd.dot", "ws", dot_finite_result),
        ("optim.SGD.step", "grads", sgd_huge_grads),
        ("optim.Adam.step", "grads", adam_huge_grads),
        ("optim.RMSprop.step", "grads", rmsprop_huge_grads),
        ("schedules.linear_warmup", "peak_lr", warmup_large_peak),
        ("schedules.warmup_stable_decay", "peak_lr", wsd_large_peak),
        ("schedules.cosine_with_warmup", "peak_lr", wsd_cosine_large),
        ("schedules.exponential", "gamma", exponential_overflow),
        ("schedules.step_decay", "gamma", step_decay_overflow),
        ("landscapes.Saddle.f", "xy", saddle_far),
        ("landscapes.Beale.f", "xy", beale_none),
        ("numdiff.numerical_gradient", "h", numgrad_huge_h),
        ("numdiff.central_difference", "f", quotient_overflow),
        ("descent.minibatch_sgd_linear_regression", "noise", minibatch_extreme_noise),
        ("descent.minibatch_sgd_linear_regression", "slope", minibatch_extreme_slope),
        ("nn.Neuron.__call__", "x", neuron_nan),
        ("landscapes.run", "optimizer", run_bad_optimizer),
        ("activations.sigmoid", "x", sigmoid_ragged),
        ("descent.gd_quadratic_1d", "steps", gd1d_huge_steps),
        ("data.two_moons", "n", two_moons_huge),
        ("nn.Layer", "nout", layer_huge),
        ("autograd.Value", "data", value_huge),
        ("optim.SGD", "lr", sgd_huge_lr),
        ("nn.mse", "preds", mse_overflow),
        ("gradflow.gradient_norms", "depth", gradflow_overflow),
    ]


# ------------------------------------------------------------ classification
def _nonfinite(obj: Any, depth: int = 0) -> bool:
    """True if ``obj`` holds a NaN or an infinity anywhere (not a reported one)."""
    if depth > 6:
        return False
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return False
    if isinstance(obj, (float, int, np.floating, np.integer)):
        return (
            not math.isfinite(float(obj))
            if not isinstance(obj, int) or abs(obj) < 2**1000
            else False
        )
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind in "fc" and not np.all(np.isfinite(obj))
    if isinstance(obj, Value):
        return _nonfinite(obj.data) or _nonfinite(obj.grad)
    if isinstance(obj, dict):
        return any(_nonfinite(v, depth + 1) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(_nonfinite(v, depth + 1) for v in obj[:1000])
    if dataclasses.is_dataclass(obj):
        return any(_nonfinite(getattr(obj, f.name), depth + 1) for f in dataclasses.fields(obj))
    return False


def _reported(obj: Any) -> bool:
    return any(getattr(obj, attr, None) is not None for attr in ("diverged_at", "overflow_at"))


# Where the message may name the argument differently: the operand of a
# Value operator is its exponent/base, Adam's betas are beta1/beta2, and
# gradcheck names a parameter by the name it was given.
ALIASES = {
    "autograd.Value.__pow__": {"other": ["exponent"]},
    "autograd.Value.__rpow__": {"other": ["base"]},
    "optim.Adam": {"betas": ["beta1", "beta2"]},
    "optim.AdamW": {"betas": ["beta1", "beta2"]},
    "gradcheck.gradcheck": {"params": ["w"], "grads": ["w"]},  # only with names=["w"]
    "gradcheck.check_value_graph": {"inputs": ["a", "b"]},
}


def _names(msg: str, arg: str, target: str = "") -> bool:
    for name in [arg, *ALIASES.get(target, {}).get(arg, [])]:
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", msg):
            return True
    return False


def _raised_by_utils(exc: BaseException) -> bool:
    """True if the innermost frame is a ``raise`` statement inside utils/."""
    tb = traceback.extract_tb(exc.__traceback__)
    if not tb:
        return False
    last = tb[-1]
    return "/utils/" in last.filename and (last.line or "").lstrip().startswith("raise")


def classify(thunk: Callable[[], Any], arg: str, target: str = "") -> tuple[str, str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = np.seterr(all="warn")
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(TIMEOUT_S)
        try:
            result = thunk()
        except Hang:
            return "hang", f"no answer within {TIMEOUT_S} s"
        except (TypeError, ValueError) as exc:
            msg = f"{type(exc).__name__}: {exc}"
            if caught:
                return "warning", f"{caught[0].category.__name__}: {caught[0].message} (then {msg})"
            return ("clear" if _names(str(exc), arg, target) else "unnamed"), msg
        except (OverflowError, ZeroDivisionError) as exc:
            msg = f"{type(exc).__name__}: {exc}"
            if caught:
                return "warning", f"{caught[0].category.__name__}: {caught[0].message} (then {msg})"
            return ("arith" if _raised_by_utils(exc) else "other"), msg
        except MemoryError as exc:
            return "other", f"MemoryError: {exc}"
        except Exception as exc:  # noqa: BLE001 - this is the point of a fuzzer
            return "other", f"{type(exc).__name__}: {exc}"
        finally:
            signal.alarm(0)
            np.seterr(**old)
    if caught:
        return "warning", f"{caught[0].category.__name__}: {caught[0].message}"
    if _nonfinite(result):
        if _reported(result):
            return "reported", "non-finite values with divergence reported"
        if target in DOCUMENTED_INF:
            return "documented", f"returned {str(result)[:100]} (documented)"
        return "nonfinite", f"returned {str(result)[:100]}"
    return "accepted", f"returned {type(result).__name__}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--all", action="store_true", help="list every case, not only the bad ones")
    args = parser.parse_args()
    # A runaway allocation fails with MemoryError instead of taking the machine.
    limit = 3 * 2**30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    rows: list[tuple[str, str, str, str, str]] = []
    for name, fn, base in targets():
        for arg in base:
            for label, _ in bad_values():
                value = dict(bad_values())[label]
                kw = dict(base)
                # fresh valid containers for every call (they may be mutated)
                for k, v in kw.items():
                    if isinstance(v, list) and v and isinstance(v[0], np.ndarray):
                        kw[k] = [a.copy() for a in v]
                kw[arg] = value
                kind, detail = classify(lambda fn=fn, kw=kw: fn(**kw), arg, name)
                rows.append((name, arg, label, kind, detail))
    for name, arg, thunk in extra_cases():
        kind, detail = classify(thunk, arg, name)
        rows.append((name, arg, thunk.__name__, kind, detail))

    counts = Counter(r[3] for r in rows)
    print(f"{'outcome':<12}{'calls':>7}")
    for kind in ("clear", "arith", "accepted", "reported", "documented", *BAD_KINDS):
        print(f"{kind:<12}{counts.get(kind, 0):>7}")
    print(f"{'total':<12}{len(rows):>7}")
    n_bad = sum(counts.get(k, 0) for k in BAD_KINDS)
    print(
        f"\n{len(rows)} calls: {counts.get('clear', 0)} clear errors naming the argument, "
        f"{n_bad} bad outcomes"
    )
    by_target = Counter(r[0] for r in rows if r[3] in BAD_KINDS)
    if by_target:
        print("\nbad outcomes by target:")
        for t, c in by_target.most_common():
            print(f"  {c:4d}  {t}")
    print()
    for name, arg, label, kind, detail in rows:
        if args.all or kind in BAD_KINDS:
            print(f"[{kind}] {name}({arg}={label}): {detail[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
