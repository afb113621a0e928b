"""Benchmark utils.autograd against micrograd 0.1.0 on the same workloads, in the same run.

    python bench/bench_autograd.py            # full run (about a minute)
    python bench/bench_autograd.py --quick    # fewer repeats, shorter chain
    python bench/bench_autograd.py --profile  # also print cProfile of one training step each

Workloads
---------
1. One training step (forward over the batch, backward, SGD update) of an MLP
   2 -> 16 -> 16 -> 1 (ReLU hidden, linear output) on 100 two-moons points
   with micrograd's own demo loss, the SVM hinge loss plus L2:
   ``mean(relu(1 - y * score)) + 1e-4 * sum(p * p)``. Both models start from
   the SAME weights (copied from ours into micrograd's) and the script checks
   that both compute the same loss and gradient before timing.
2. ``backward()`` through a chain ``x = x * c``: the length at which micrograd
   fails (its recursive topological sort hits the recursion limit) and ours at
   10^6 nodes.
3. Forward + backward of ``sum_i x_i * y_i`` over 10^5 pairs: the same graph in
   both engines (built with Python's ``sum``, a chain of 10^5 additions, which
   micrograd can only do with a raised recursion limit) and ours with the fused
   ``dot`` node.

Workload 1 is also timed with Python's cyclic garbage collector disabled, to
show where micrograd's time goes (its nodes form reference cycles through their
``_backward`` closures, so most of its step is garbage collection).

Times are medians over repeats of ``time.perf_counter`` intervals. Results go
to ``bench/results/autograd.json`` with the machine description.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import json
import os
import pathlib
import platform
import pstats
import statistics
import sys
import time
from importlib import metadata

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from micrograd.engine import Value as MGValue  # noqa: E402
from micrograd.nn import MLP as MGMLP  # noqa: E402

from utils.autograd import Value, dot  # noqa: E402
from utils.nn import MLP, hinge, l2_penalty  # noqa: E402

try:  # the book's dataset if present, else the same construction here
    from utils.data import two_moons
except ImportError:  # pragma: no cover
    def two_moons(n=100, noise=0.1, seed=0):
        rng = np.random.default_rng(seed)
        t = np.linspace(0, np.pi, n // 2)
        upper = np.c_[np.cos(t), np.sin(t)]
        lower = np.c_[1 - np.cos(t), 0.5 - np.sin(t)]
        X = np.r_[upper, lower] + noise * rng.standard_normal((2 * (n // 2), 2))
        return X, np.r_[-np.ones(n // 2), np.ones(n // 2)]

ALPHA, LR = 1e-4, 0.1
RESULTS = ROOT / "bench" / "results" / "autograd.json"


def timed(fn, repeats: int) -> tuple[float, list[float]]:
    """Median and all of ``repeats`` timings of ``fn()``."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


# ------------------------------------------------------------ 1. training step
def make_models(seed: int = 0):
    ours = MLP(2, [16, 16, 1], nonlin="relu", seed=seed)
    theirs = MGMLP(2, [16, 16, 1])  # ReLU hidden, linear output, like ours
    for our_layer, their_layer in zip(ours.layers, theirs.layers):
        for our_n, their_n in zip(our_layer.neurons, their_layer.neurons):
            for w_ours, w_theirs in zip(our_n.w, their_n.w):
                w_theirs.data = w_ours.data
            their_n.b.data = our_n.b.data
    return ours, theirs


def step_ours(model, X, y):
    scores = [model(x)[0] for x in X]
    loss = hinge(scores, y) + l2_penalty(model.parameters(), ALPHA)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return loss.data


def step_micrograd(model, X, y):
    # micrograd's demo.ipynb loss, verbatim in structure.
    inputs = [list(map(MGValue, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum((p * p for p in model.parameters()))
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return total.data


def bench_training_step(repeats: int, profile: bool) -> dict:
    X, y = two_moons(100, noise=0.1, seed=0)
    X, y = X.tolist(), y.tolist()
    ours, theirs = make_models()
    # Same weights, same loss, same gradient: the two steps do the same work.
    loss_ours = step_ours(ours, X, y)
    loss_theirs = step_micrograd(theirs, X, y)
    assert abs(loss_ours - loss_theirs) <= 1e-12 * max(1.0, abs(loss_theirs)), (loss_ours, loss_theirs)
    diff = max(abs(a.data - b.data) for a, b in zip(ours.parameters(), theirs.parameters()))
    assert diff < 1e-12, f"parameters differ by {diff} after one step"
    t_ours, all_ours = timed(lambda: step_ours(ours, X, y), repeats)
    t_theirs, all_theirs = timed(lambda: step_micrograd(theirs, X, y), max(3, repeats // 2))
    # Where micrograd's time goes: each of its nodes holds a closure that refers
    # back to the node, so every graph is a heap of reference cycles that only
    # Python's cyclic garbage collector can free, and it runs again and again
    # while the next graph is built. Our nodes hold no closures (acyclic graphs,
    # freed by reference counting). For transparency, also time both engines
    # with the collector switched off.
    gc.collect()
    gc.disable()
    try:
        t_ours_nogc = timed(lambda: step_ours(ours, X, y), repeats)[0]
        t_theirs_nogc = timed(lambda: step_micrograd(theirs, X, y), max(3, repeats // 2))[0]
    finally:
        gc.enable()
        gc.collect()
    if profile:
        for name, fn in [("micrograd", lambda: step_micrograd(theirs, X, y)), ("ours", lambda: step_ours(ours, X, y))]:
            print(f"\n--- cProfile of one training step, {name} ---")
            prof = cProfile.Profile()
            prof.runcall(fn)
            pstats.Stats(prof).sort_stats("tottime").print_stats(8)
    return {
        "workload": "training step: MLP 2-16-16-1 (ReLU), 100 two-moons points, hinge + L2 1e-4, SGD",
        "micrograd_s": t_theirs,
        "ours_s": t_ours,
        "speedup": t_theirs / t_ours,
        "micrograd_s_gc_disabled": t_theirs_nogc,
        "ours_s_gc_disabled": t_ours_nogc,
        "speedup_gc_disabled": t_theirs_nogc / t_ours_nogc,
        "micrograd_times_s": all_theirs,
        "ours_times_s": all_ours,
        "loss_after_first_step_agrees": True,
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
            t0 = time.perf_counter()
            x.backward()
            micrograd_ok[n] = time.perf_counter() - t0
        except RecursionError:
            micrograd_fails_at = n
            break
    builds, backwards = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        x0, c, x = chain(Value, n_ours)
        t1 = time.perf_counter()
        x.backward()
        t2 = time.perf_counter()
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
        s = sum((a * b for a, b in zip(xv, yv)), Value(0.0))
        s.backward()
        assert abs(s.data - expected) < 1e-9 * n and xv[0].grad == ys[0]

    def ours_dot():
        xv, yv = [Value(a) for a in xs], [Value(b) for b in ys]
        s = dot(xv, yv)
        s.backward()
        assert abs(s.data - expected) < 1e-9 * n and xv[0].grad == ys[0]

    def micrograd_chain():
        xv, yv = [MGValue(a) for a in xs], [MGValue(b) for b in ys]
        s = sum((a * b for a, b in zip(xv, yv)), MGValue(0.0))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and a 10^5 chain")
    parser.add_argument("--profile", action="store_true", help="print cProfile of one training step each")
    args = parser.parse_args()
    repeats = 3 if args.quick else 9
    chain_n = 10**5 if args.quick else 10**6

    train = bench_training_step(repeats, args.profile)
    ch = bench_chain(chain_n, 1 if args.quick else 3)
    sp = bench_sum_of_products(10**5, 3 if args.quick else 5)

    print(f"\nutils.autograd vs micrograd {metadata.version('micrograd')}  "
          f"(Python {platform.python_version()}, {os.cpu_count()} CPUs; median times in ms)\n")
    print(f"{'workload':58s} {'micrograd':>10s} {'ours':>10s} {'speed-up':>9s}")
    print("-" * 90)
    print(f"{'1. training step (2-16-16-1 MLP, 100 pts, hinge+L2, SGD)':58s} "
          f"{fmt(train['micrograd_s'])} {fmt(train['ours_s'])} {train['speedup']:8.1f}x")
    print(f"{'   same, cyclic garbage collector disabled in both':58s} "
          f"{fmt(train['micrograd_s_gc_disabled'])} {fmt(train['ours_s_gc_disabled'])} "
          f"{train['speedup_gc_disabled']:8.1f}x")
    n_ok = ch["micrograd_longest_ok_length"]
    if n_ok:
        label = f"2. backward of a {n_ok}-node chain"
        print(f"{label:58s} {fmt(ch['micrograd_backward_s_at_longest_ok'])} "
              f"{fmt(ch['ours_backward_s_at_same_length'])} "
              f"{ch['micrograd_backward_s_at_longest_ok'] / ch['ours_backward_s_at_same_length']:8.1f}x")
    fails = ch["micrograd_fails_at_length"]
    build = ch["ours_build_s"]
    print(f"{f'   backward of a {fails}-node chain':58s} {'Recursion':>10s} {'ok':>10s}")
    print(f"{f'   backward of a {chain_n:.0e}-node chain (build {build:.2f} s)':58s} "
          f"{'Recursion':>10s} {fmt(ch['ours_backward_s'])}")
    print(f"{'3. sum of 1e5 products, same graph (chain of adds)':58s} "
          f"{fmt(sp['micrograd_s_recursion_limit_raised'])} {fmt(sp['ours_same_chain_s'])} "
          f"{sp['speedup_same_chain']:8.1f}x")
    print(f"{'   ... ours with the fused dot node':58s} {fmt(sp['micrograd_s_recursion_limit_raised'])} "
          f"{fmt(sp['ours_fused_dot_s'])} {sp['speedup_fused_dot']:8.1f}x")
    print(f"\nmicrograd needs a raised recursion limit for workload 3 "
          f"(works at the default limit: {sp['micrograd_works_at_default_recursion_limit']}); "
          f"its chain backward fails from length {ch['micrograd_fails_at_length']} "
          f"at recursion limit {ch['recursion_limit']}.")
    print(f"Target (>= 5x per training step): {'met' if train['speedup'] >= 5 else 'NOT met'} "
          f"({train['speedup']:.1f}x).")

    result = {
        "benchmark": "autograd",
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "numpy": np.__version__,
            "micrograd": metadata.version("micrograd"),
        },
        "quick": args.quick,
        "repeats": repeats,
        "training_step": train,
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
