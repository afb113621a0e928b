"""Benchmark utils.autograd against micrograd 0.1.0 on the same workloads, in the same run.

    python bench/bench_autograd.py            # full run (a few minutes on a loaded machine)
    python bench/bench_autograd.py --quick    # fewer repeats, shorter chain
    python bench/bench_autograd.py --profile  # also print cProfile of one training step each
    python bench/bench_autograd.py --training-only --also old=path/to/autograd.py
                                              # workload 1 only, plus another engine file

Workloads
---------
1. One step of micrograd's demo (``demo.ipynb``), exactly as the demo writes
   it: ``loss()`` (the inputs wrapped as Values from the rows of a NumPy
   array, the MLP 2 -> 16 -> 16 -> 1 on 100 two-moons points, the SVM hinge
   loss ``sum(relu(1 + -y*score)) * (1/n)`` plus ``1e-4 * sum(p*p)``, and the
   accuracy), ``model.zero_grad()``, ``total_loss.backward()`` and the SGD
   update; the labels are NumPy ints in {-1, 1} as the demo's ``y*2 - 1``
   makes them. Engines, all from the SAME weights (utils.nn.MLP(seed=0)'s,
   not the demo's random.seed(1337) draw; the speed-up depends on them,
   since ours skips nodes whose gradient is 0 and micrograd does not):

   * ``micrograd``: micrograd 0.1.0's ``nn.MLP``;
   * ``ours``: the same unfused graph over ``utils.autograd.Value``, built by
     a copy of micrograd's ``nn.py`` (below: ``sum((wi*xi for ...),
     self.b)``, ``relu``, Python's ``sum``; no fused node), so engine is
     compared with engine, node for node;
   * ``fused``: ``utils.nn.MLP`` with its fused ``dot`` node per neuron and
     ``utils.nn.hinge`` / ``l2_penalty`` (fused sums): a smaller graph,
     reported separately because it mixes engine speed with fused operations;
   * ``--also NAME=FILE``: any other engine file defining ``Value`` (e.g. an
     older ``utils/autograd.py`` from git), on the same graph as ``ours``.

   Before timing, the script checks that every engine computes the same loss
   and the same updated parameters (to 1e-12) as micrograd.

   Two measurement modes:

   * ``gc paused``: Python's cyclic garbage collector disabled during the
     timed step, in every engine (a ``gc.collect()`` before it, untimed).
     Timed: the whole demo step (forward building the graph, loss, accuracy,
     ``zero_grad``, ``backward``, update), not the freeing of the graph: the
     step returns its loss Value, and dropping it is timed separately
     (ours: reference counting; micrograd's cyclic graph: only the collector
     frees it, so its freeing is the ``gc.collect()`` after the step).
     Repeats alternate the engines (and their order); reported: min and
     median of the repeats, and the speed-ups as ratios of mins and of
     medians, with the range of the per-repeat ratios.
   * ``fresh process``: the collector on, each engine running micrograd's
     demo loop (``--steps`` steps, learning rate ``1 - 0.9 k / 100``) alone in
     a new Python process: everything is timed (collections, freeing); each
     process reports its mean step (total time / steps); min and median over
     the processes, which alternate engines.

   Also measured, same modes: the same step with the inputs as Python floats
   (``X.tolist()``), where micrograd's arithmetic is on floats instead of on
   NumPy scalars (``--inputs``).
2. ``backward()`` through a chain ``x = x * c``: the length at which micrograd
   fails (its recursive topological sort hits the recursion limit) and ours at
   10^6 nodes.
3. Forward + backward of ``sum_i x_i * y_i`` over 10^5 pairs: the same graph in
   both engines (built with Python's ``sum``, a chain of 10^5 additions, which
   micrograd can only do with a raised recursion limit) and ours with the fused
   ``dot`` node.

Times are CPU times of the process (``time.process_time``) by default: on a
shared machine the wall clock also counts the time spent waiting for a CPU
(``--clock wall`` uses ``time.perf_counter``). Results go to
``bench/results/autograd.json`` with the machine description and load.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import importlib.util
import json
import os
import pathlib
import platform
import pstats
import statistics
import subprocess
import sys
import time
from importlib import metadata

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from micrograd.engine import Value as MGValue  # noqa: E402
from micrograd.nn import MLP as MGMLP  # noqa: E402

from utils.autograd import Value, dot  # noqa: E402
from utils.data import two_moons  # noqa: E402
from utils.nn import MLP, hinge, l2_penalty  # noqa: E402

ALPHA, LR = 1e-4, 0.1
SIZES = [16, 16, 1]
RESULTS = ROOT / "bench" / "results" / "autograd.json"
CLOCK = time.process_time


def timed(fn, repeats: int) -> tuple[float, list[float]]:
    """Median and all of ``repeats`` timings of ``fn()``."""
    times = []
    for _ in range(repeats):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    return statistics.median(times), times


# ------------------------------------------------------------ 1. training step
class _Neuron:
    """micrograd's ``nn.Neuron``, line for line, over any Value class."""

    def __init__(self, V, w, b, nonlin):
        self.w = [V(x) for x in w]
        self.b = V(b)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x, strict=False)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]


class _Layer:
    """micrograd's ``nn.Layer``."""

    def __init__(self, neurons):
        self.neurons = neurons

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MicrogradStyleMLP:
    """micrograd's ``nn.MLP`` over ``utils.autograd.Value``: the same unfused graph."""

    def __init__(self, V, weights):
        last = len(weights) - 1
        self.layers = [
            _Layer([_Neuron(V, w, b, i != last) for w, b in layer])
            for i, layer in enumerate(weights)
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0


def weights_of(model: MLP) -> list:
    """``[[(w, b) for each neuron] for each layer]`` as floats."""
    return [[([w.data for w in n.w], n.b.data) for n in layer.neurons] for layer in model.layers]


def make_models(seed: int = 0) -> dict:
    """The three engines' models, all with utils.nn.MLP(seed)'s weights."""
    fused = MLP(2, SIZES, nonlin="relu", seed=seed)
    weights = weights_of(fused)
    theirs = MGMLP(2, SIZES)  # ReLU hidden, linear output, like ours
    for their_layer, layer in zip(theirs.layers, weights, strict=False):
        for their_n, (w, b) in zip(their_layer.neurons, layer, strict=False):
            for p, x in zip(their_n.w, w, strict=False):
                p.data = x
            their_n.b.data = b
    return {"micrograd": theirs, "ours": MicrogradStyleMLP(Value, weights), "fused": fused}


def demo_data(inputs: str = "numpy"):
    """The demo's data: X as a float array, y as NumPy ints in {-1, 1} (or both as lists)."""
    X, y = two_moons(100, noise=0.1, seed=0)
    y = y.astype(np.int64)  # micrograd's demo: y = y*2 - 1 from make_moons, int64
    if inputs == "floats":
        return X.tolist(), [float(v) for v in y]
    return X, y


def step_demo(V, model, X, y, lr=LR):
    """One step of micrograd's demo.ipynb, line for line; returns the loss Value (the graph)."""
    # loss()
    inputs = [list(map(V, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=False)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores, strict=False)]
    sum(accuracy) / len(accuracy)
    # backward, update
    model.zero_grad()
    total_loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return total_loss


def step_fused(model, X, y, lr=LR):
    """The same step with utils.nn: fused dot per neuron, fused sums in the loss."""
    scores = [model(x)[0] for x in X]
    loss = hinge(scores, y) + l2_penalty(model.parameters(), ALPHA)
    accuracy = [(yi > 0) == (s.data > 0) for yi, s in zip(y, scores, strict=False)]
    sum(accuracy) / len(accuracy)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def load_engine(path: str):
    """The ``Value`` class of an engine file (e.g. an older utils/autograd.py)."""
    spec = importlib.util.spec_from_file_location(f"_engine_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Value


def make_all(inputs: str, also: dict, seed: int = 0) -> tuple[dict, dict]:
    """Models and step functions of every engine, from the same weights."""
    X, y = demo_data(inputs)
    models = make_models(seed)
    values = {"micrograd": MGValue, "ours": Value}
    for name, path in also.items():
        values[name] = load_engine(path)
        models[name] = MicrogradStyleMLP(values[name], weights_of(models["fused"]))
    Xf, yf = (X.tolist(), y.tolist()) if inputs == "numpy" else (X, y)
    step = {
        name: (lambda lr=LR, V=V, m=models[name]: step_demo(V, m, X, y, lr))
        for name, V in values.items()
    }
    step["fused"] = lambda lr=LR: step_fused(models["fused"], Xf, yf, lr)
    return models, step


def check_same_step(models: dict, step: dict) -> dict:
    """One step each from the same weights: losses and updated parameters agree to 1e-12."""
    losses = {name: float(step[name]().data) for name in step}
    params = {name: [float(p.data) for p in models[name].parameters()] for name in models}
    agreement = {}
    for name in step:
        if name == "micrograd":
            continue
        dl = abs(losses[name] - losses["micrograd"])
        dp = max(abs(a - b) for a, b in zip(params[name], params["micrograd"], strict=True))
        assert dl <= 1e-12 and dp <= 1e-12, (
            f"{name} differs from micrograd: loss by {dl}, parameters by {dp}"
        )
        agreement[name] = {"loss_diff": dl, "max_param_diff": dp}
    return agreement


def interleaved_paused(step: dict, names: list, repeats: int) -> tuple[dict, dict]:
    """Step times and graph-freeing times, collector paused, engines alternating.

    Each step starts after an untimed ``gc.collect()`` and runs with the
    collector disabled; the clock stops when the step returns its loss Value.
    Then the graph is dropped and collected, timed apart (``free``).
    """
    times: dict = {name: [] for name in names}
    frees: dict = {name: [] for name in names}
    for r in range(repeats):
        for name in names if r % 2 == 0 else names[::-1]:
            gc.collect()
            gc.disable()
            try:
                t0 = CLOCK()
                graph = step[name]()
                t1 = CLOCK()
                del graph  # ours: freed here, by reference counting
                t2 = CLOCK()
                gc.collect()  # micrograd: its cyclic graph is freed only here
                frees[name].append((t2 - t1, CLOCK() - t2))
                times[name].append(t1 - t0)
            finally:
                gc.enable()
    return times, frees


def ratios(times: dict, base: str = "micrograd") -> dict:
    """Per engine: min and median time; speed-ups as ratios of mins and of medians."""
    out = {}
    for name, ts in times.items():
        per_repeat = [b / t for b, t in zip(times[base], ts, strict=False)]
        out[name] = {
            "min_s": min(ts),
            "median_s": statistics.median(ts),
            "speedup_of_min": min(times[base]) / min(ts),
            "speedup": statistics.median(times[base]) / statistics.median(ts),
            "speedup_min": min(per_repeat),
            "speedup_max": max(per_repeat),
            "times_s": ts,
        }
    return out


def fresh_process(engine: str, steps: int, clock: str, inputs: str, also: dict) -> dict:
    """Run micrograd's demo loop for one engine in a new Python process."""
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        engine,
        "--steps",
        str(steps),
        "--clock",
        clock,
        "--inputs",
        inputs,
    ]
    for name, path in also.items():
        cmd += ["--also", f"{name}={path}"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.splitlines()[-1])


def worker(engine: str, steps: int, inputs: str, also: dict) -> None:
    """The demo loop of one engine, collector on, as micrograd's demo runs it.

    With the demo's NumPy inputs the process also imports what the demo's
    first cell imports (``random``, ``matplotlib.pyplot``; not scikit-learn,
    which is not installed here): the collector's full collections scan every
    live object of the process, so what is imported changes their cost.
    """
    if inputs == "numpy":
        import random  # noqa: F401

        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
    step = make_all(inputs, also)[1][engine]
    gc.collect()
    tracked = len(gc.get_objects())
    times, loss = [], None
    t_start = CLOCK()
    for k in range(steps):
        lr = 1.0 - 0.9 * k / 100  # micrograd's demo schedule
        t0 = CLOCK()
        loss = float(step(lr).data)  # the graph is dropped here, as in the demo's loop
        times.append(CLOCK() - t0)
    total = CLOCK() - t_start
    print(
        json.dumps(
            {
                "engine": engine,
                "mean_s": total / steps,
                "tracked_objects": tracked,
                "median_s": statistics.median(times),
                "times_s": times,
                "loss": loss,
            }
        )
    )


def bench_training_step(
    repeats: int, procs: int, steps: int, clock: str, profile: bool, inputs: str, also: dict
) -> dict:
    models, step = make_all(inputs, also)
    agreement = check_same_step(models, step)
    names = list(step)
    interleaved_paused(step, names, 2)  # warm-up
    times, frees = interleaved_paused(step, names, repeats)
    paused = ratios(times)
    for name in names:  # freeing the graph: dropping it, then collecting
        paused[name]["free_by_refcount_median_s"] = statistics.median(f[0] for f in frees[name])
        paused[name]["free_by_collector_median_s"] = statistics.median(f[1] for f in frees[name])
    gc.collect()
    runs: dict = {name: [] for name in names}
    losses: dict = {name: [] for name in names}
    tracked: dict = {}
    for r in range(procs):
        for name in names if r % 2 == 0 else names[::-1]:
            res = fresh_process(name, steps, clock, inputs, also)
            runs[name].append(res["mean_s"])
            tracked[name] = res["tracked_objects"]
            losses[name].append(res["loss"])
    fresh = ratios(runs)
    for name in names:  # the demo loops stayed in step with micrograd's
        assert all(
            abs(a - b) <= 1e-9 * max(1.0, abs(b))
            for a, b in zip(losses[name], losses["micrograd"], strict=True)
        ), losses
    if profile:
        for name in names:
            print(f"\n--- cProfile of one training step, {name} (gc paused) ---")
            gc.collect()
            gc.disable()
            prof = cProfile.Profile()
            prof.runcall(step[name])
            gc.enable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(8)
    return {
        "workload": "one step of micrograd's demo.ipynb: loss() (MLP 2-16-16-1 ReLU, "
        "100 two-moons points, hinge + L2 1e-4, accuracy), zero_grad, backward, SGD",
        "inputs": "rows of a NumPy float64 array, labels NumPy int64 (as the demo)"
        if inputs == "numpy"
        else "Python floats (X.tolist())",
        "engines": {
            "micrograd": "micrograd 0.1.0 nn.MLP",
            "ours": "utils.autograd.Value, the same unfused graph "
            "(micrograd's nn.py over our Value)",
            "fused": "utils.nn.MLP + hinge + l2_penalty: fused dot and sum nodes (a smaller graph)",
            **{name: f"{path}: Value on the same unfused graph" for name, path in also.items()},
        },
        "agreement_after_one_step": agreement,
        "gc_paused": {
            **paused,
            "timed": "the step; freeing the graph timed apart: dropping it "
            "(free_by_refcount_median_s), then gc.collect() (free_by_collector_median_s)",
        },
        "fresh_process": {
            **fresh,
            "timed": "mean step (total CPU time / steps) of each process, everything included",
            "steps_per_process": steps,
            "process": "imports random and matplotlib.pyplot, as the demo's first cell"
            if inputs == "numpy"
            else "no imports beyond the benchmark's own",
            "gc_tracked_objects_before_the_loop": tracked,
            "processes_per_engine": procs,
        },
    }


# ------------------------------------------------------------- 2. long chain
def chain(make, n: int):
    x0, c = make(1.0), make(1.000001)
    x = x0
    for _ in range(n):
        x = x * c
    return x0, c, x


def bench_chain(n_ours: int, repeats: int) -> dict:
    micrograd_fails_at = None
    micrograd_ok = {}
    for n in (500, 1000, 2000, 5000):
        _, _, x = chain(MGValue, n)
        try:
            t0 = CLOCK()
            x.backward()
            micrograd_ok[n] = CLOCK() - t0
        except RecursionError:
            micrograd_fails_at = n
            break
    builds, backwards = [], []
    for _ in range(repeats):
        t0 = CLOCK()
        x0, c, x = chain(Value, n_ours)
        t1 = CLOCK()
        x.backward()
        t2 = CLOCK()
        builds.append(t1 - t0)
        backwards.append(t2 - t1)
        expected = 1.000001**n_ours
        assert abs(x0.grad - expected) <= 1e-8 * expected, (x0.grad, expected)
        del x0, c, x
        gc.collect()
    n_ok = max(micrograd_ok) if micrograd_ok else None
    _, _, x = chain(Value, n_ok) if n_ok else (None, None, None)
    ours_small = timed(x.backward, 5)[0] if n_ok else None
    return {
        "workload": "backward() through a chain x = x * c",
        "recursion_limit": sys.getrecursionlimit(),
        "micrograd_fails_at_length": micrograd_fails_at,
        "micrograd_longest_ok_length": n_ok,
        "micrograd_backward_s_at_longest_ok": micrograd_ok.get(n_ok),
        "ours_backward_s_at_same_length": ours_small,
        "ours_length": n_ours,
        "ours_build_s": statistics.median(builds),
        "ours_backward_s": statistics.median(backwards),
    }


# ------------------------------------------------------- 3. sum of products
def bench_sum_of_products(n: int, repeats: int) -> dict:
    rng = np.random.default_rng(1)
    xs, ys = rng.standard_normal(n).tolist(), rng.standard_normal(n).tolist()
    expected = float(np.dot(xs, ys))

    def ours_chain():
        xv, yv = [Value(a) for a in xs], [Value(b) for b in ys]
        s = sum((a * b for a, b in zip(xv, yv, strict=False)), Value(0.0))
        s.backward()
        assert abs(s.data - expected) < 1e-9 * n and xv[0].grad == ys[0]

    def ours_dot():
        xv, yv = [Value(a) for a in xs], [Value(b) for b in ys]
        s = dot(xv, yv)
        s.backward()
        assert abs(s.data - expected) < 1e-9 * n and xv[0].grad == ys[0]

    def micrograd_chain():
        xv, yv = [MGValue(a) for a in xs], [MGValue(b) for b in ys]
        s = sum((a * b for a, b in zip(xv, yv, strict=False)), MGValue(0.0))
        s.backward()
        assert abs(s.data - expected) < 1e-9 * n and xv[0].grad == ys[0]

    try:
        micrograd_chain()
        default_limit_ok = True
    except RecursionError:
        default_limit_ok = False
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * n))
    try:
        t_mg = timed(micrograd_chain, repeats)[0]
    except (RecursionError, MemoryError):  # pragma: no cover
        t_mg = None
    finally:
        sys.setrecursionlimit(limit)
    t_chain = timed(ours_chain, repeats)[0]
    t_dot = timed(ours_dot, repeats)[0]
    return {
        "workload": f"forward + backward of sum of {n} products x_i * y_i (leaf creation included)",
        "micrograd_works_at_default_recursion_limit": default_limit_ok,
        "micrograd_s_recursion_limit_raised": t_mg,
        "ours_same_chain_s": t_chain,
        "ours_fused_dot_s": t_dot,
        "speedup_same_chain": t_mg / t_chain if t_mg else None,
        "speedup_fused_dot": t_mg / t_dot if t_mg else None,
    }


def fmt(t):
    return "   failed" if t is None else f"{t * 1e3:9.1f}"


def summary(train: dict) -> dict:
    """The speed-ups of one run of workload 1, compactly: [of medians, of mins, median ms]."""
    return {
        key: {
            name: [
                round(r["speedup"], 2),
                round(r["speedup_of_min"], 2),
                round(r["median_s"] * 1e3, 1),
            ]
            for name, r in train[key].items()
            if isinstance(r, dict) and "speedup" in r
        }
        for key in ("gc_paused", "fresh_process")
    }


def main() -> None:
    global CLOCK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and a 10^5 chain")
    parser.add_argument(
        "--profile", action="store_true", help="print cProfile of one training step each"
    )
    parser.add_argument(
        "--clock",
        choices=["process", "wall"],
        default="process",
        help="CPU time of the process (default) or wall-clock time",
    )
    parser.add_argument("--steps", type=int, default=20, help="demo steps per fresh process")
    parser.add_argument("--repeats", type=int, help="repeats of the paused mode (default 9)")
    parser.add_argument("--procs", type=int, help="fresh processes per engine (default 3)")
    parser.add_argument(
        "--inputs",
        choices=["numpy", "floats", "both"],
        default="both",
        help="the demo's NumPy inputs, Python floats, or both (default)",
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="another engine file defining Value, timed on the same graph as ours",
    )
    parser.add_argument(
        "--training-only", action="store_true", help="workload 1 only (no JSON written)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    CLOCK = time.process_time if args.clock == "process" else time.perf_counter
    also = dict(item.split("=", 1) for item in args.also)
    if args.worker:
        worker(args.worker, args.steps, args.inputs, also)
        return
    repeats = args.repeats or (5 if args.quick else 9)
    procs = args.procs or (2 if args.quick else 3)
    chain_n = 10**5 if args.quick else 10**6
    kinds = ["numpy", "floats"] if args.inputs == "both" else [args.inputs]
    load_before = os.getloadavg()
    trains = {
        kind: bench_training_step(repeats, procs, args.steps, args.clock, args.profile, kind, also)
        for kind in kinds
    }
    if args.training_only:
        print(
            json.dumps(
                {
                    "load_average": os.getloadavg(),
                    **{kind: summary(t) for kind, t in trains.items()},
                }
            )
        )
        return
    ch = bench_chain(chain_n, 1)
    sp = bench_sum_of_products(10**5, 3)

    print(
        f"\nutils.autograd vs micrograd {metadata.version('micrograd')}  "
        f"(Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"median {args.clock} times in ms; "
        f"speed-up = ratio of medians [range of per-repeat ratios])\n"
    )
    print(f"{'workload':62s} {'micrograd':>10s} {'ours':>10s} {'speed-up':>20s}")
    print("-" * 105)
    modes = [
        ("gc_paused", "collector paused"),
        ("fresh_process", f"fresh process ({args.steps}-step demo)"),
    ]
    for kind, train in trains.items():
        for engine in [
            n for n, v in train["gc_paused"].items() if isinstance(v, dict) and "speedup" in v
        ]:
            if engine == "micrograd":
                continue
            what = "FUSED dot/sum" if engine == "fused" else f"{engine}, same graph"
            for key, mode in modes:
                r = train[key]
                label = f"1. step, {kind} inputs, {what}, {mode}"
                print(
                    f"{label:62s} {fmt(r['micrograd']['median_s'])} {fmt(r[engine]['median_s'])} "
                    f"{r[engine]['speedup']:6.1f}x "
                    f"(of mins {r[engine]['speedup_of_min']:.1f}x) "
                    f"[{r[engine]['speedup_min']:.1f}-{r[engine]['speedup_max']:.1f}]"
                )
    n_ok = ch["micrograd_longest_ok_length"]
    if n_ok:
        label = f"2. backward of a {n_ok}-node chain"
        t_micrograd = ch["micrograd_backward_s_at_longest_ok"]
        t_ours = ch["ours_backward_s_at_same_length"]
        print(f"{label:62s} {fmt(t_micrograd)} {fmt(t_ours)} {t_micrograd / t_ours:6.1f}x")
    fails = ch["micrograd_fails_at_length"]
    build = ch["ours_build_s"]
    print(f"{f'   backward of a {fails}-node chain':62s} {'Recursion':>10s} {'ok':>10s}")
    print(
        f"{f'   backward of a {chain_n:.0e}-node chain (build {build:.2f} s)':62s} "
        f"{'Recursion':>10s} {fmt(ch['ours_backward_s'])}"
    )
    print(
        f"{'3. sum of 1e5 products, same graph (chain of adds)':62s} "
        f"{fmt(sp['micrograd_s_recursion_limit_raised'])} {fmt(sp['ours_same_chain_s'])} "
        f"{sp['speedup_same_chain']:6.1f}x"
    )
    print(
        f"{'   ... ours with the FUSED dot node':62s} "
        f"{fmt(sp['micrograd_s_recursion_limit_raised'])} "
        f"{fmt(sp['ours_fused_dot_s'])} {sp['speedup_fused_dot']:6.1f}x"
    )
    print(
        f"\nmicrograd needs a raised recursion limit for workload 3 "
        f"(works at the default limit: {sp['micrograd_works_at_default_recursion_limit']}); "
        f"its chain backward fails from length {ch['micrograd_fails_at_length']} "
        f"at recursion limit {ch['recursion_limit']}."
    )
    targets = [("gc_paused", 3.0), ("fresh_process", 20.0)]
    for kind, train in trains.items():
        for key, target in targets:
            got = train[key]["ours"]["speedup"]
            print(
                f"Target, same graph, {kind} inputs, {key.replace('_', ' ')}: >= {target:g}x: "
                f"{'met' if got >= target else 'NOT met'} ({got:.1f}x)"
            )

    result = {
        "benchmark": "autograd",
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "numpy": np.__version__,
            "micrograd": metadata.version("micrograd"),
        },
        "clock": args.clock,
        "quick": args.quick,
        "repeats": repeats,
        "training_step": trains,
        "chain": ch,
        "sum_of_products": sp,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    tmp.replace(RESULTS)
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
