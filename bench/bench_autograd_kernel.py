"""micrograd's demo loop as a reader runs it: in a Jupyter kernel, per engine.

    python bench/bench_autograd_kernel.py               # 3 kernels per engine, 10 steps each
    python bench/bench_autograd_kernel.py --kernels 2 --steps 20

``bench_autograd.py`` times the demo step in plain Python processes. This
script runs the loop of micrograd's ``demo.ipynb`` in a real IPython kernel
(started with ``jupyter_client``, one new kernel per run, engines alternating),
where a reader runs it: the kernel's own objects (IPython, ZeroMQ, the history)
are live objects that every full collection of Python's cyclic collector scans.

The kernel first runs what the demo's first cells do (``random``, NumPy,
``matplotlib.pyplot`` imported; the data; the model), then the training loop
line for line: ``total_loss, acc = loss()``, ``model.zero_grad()``,
``total_loss.backward()``, the SGD update with learning rate ``1 - 0.9 k / 100``
and the ``print`` of each step. As in the demo, ``total_loss`` keeps the
previous step's graph alive until ``loss()`` returns the next one. The graph
is the same as in ``bench_autograd.py`` (same data, same weights: those of
``utils.nn.MLP(2, [16, 16, 1], seed=0)``; ours built by the copy of
micrograd's ``nn.py`` there, node for node). Timed in the kernel: the CPU time
of the loop (``time.process_time``) divided by the number of steps.

Results: one JSON line on stdout, and ``bench/results/autograd_kernel.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import statistics
import sys
from importlib import metadata

from jupyter_client.manager import start_new_kernel

ROOT = pathlib.Path(__file__).resolve().parents[1]

SETUP = """
import gc, json, random, sys, time
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
sys.path[:0] = [{root!r}, {bench!r}]
import bench_autograd as harness
X, y = harness.demo_data("numpy")
models = harness.make_models(0)
if {engine!r} == "micrograd":
    from micrograd.engine import Value
else:
    from utils.autograd import Value
model = models[{engine!r}]

def loss():
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum((p * p for p in model.parameters()))
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
    return total_loss, sum(accuracy) / len(accuracy)
"""

LOOP = """
gc.collect()
tracked = len(gc.get_objects())
start = time.process_time()
for k in range({steps}):
    total_loss, acc = loss()
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    if k % 1 == 0:
        print(f"step {{k}} loss {{total_loss.data}}, accuracy {{acc * 100}}%")
mean = (time.process_time() - start) / {steps}
print("RESULT" + json.dumps({{"mean_s": mean, "tracked_objects": tracked,
                             "loss": total_loss.data}}))
"""


def run_in_kernel(engine: str, steps: int) -> dict:
    """The demo loop of one engine in a new kernel: its mean step and the tracked objects."""
    manager, client = start_new_kernel(kernel_name="python3")
    result: dict = {}
    try:
        for code in (
            SETUP.format(root=str(ROOT), bench=str(ROOT / "bench"), engine=engine),
            LOOP.format(steps=steps),
        ):
            msg_id = client.execute(code)
            while True:
                msg = client.get_iopub_msg(timeout=900)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "error":
                    raise RuntimeError("\n".join(content["traceback"]))
                if kind == "stream" and "RESULT" in content["text"]:
                    result = json.loads(content["text"].split("RESULT", 1)[1])
                if kind == "status" and content["execution_state"] == "idle":
                    break
    finally:
        manager.shutdown_kernel(now=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=3, help="kernels per engine (default 3)")
    parser.add_argument("--steps", type=int, default=10, help="demo steps per kernel")
    args = parser.parse_args()
    if args.kernels < 1 or args.steps < 1:
        parser.error("--kernels and --steps must be at least 1")

    load_before = os.getloadavg()
    runs: dict[str, list[dict]] = {"micrograd": [], "ours": []}
    for k in range(args.kernels):
        for engine in ("micrograd", "ours") if k % 2 == 0 else ("ours", "micrograd"):
            runs[engine].append(run_in_kernel(engine, args.steps))
            print(engine, runs[engine][-1], file=sys.stderr, flush=True)
    losses = {e: [r["loss"] for r in rs] for e, rs in runs.items()}
    gap = max(abs(a - b) for a, b in zip(losses["micrograd"], losses["ours"], strict=True))
    assert gap <= 1e-12, f"the engines' losses after {args.steps} steps differ by {gap}"
    means = {e: [r["mean_s"] for r in rs] for e, rs in runs.items()}
    medians = {e: statistics.median(m) for e, m in means.items()}
    report = {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}",
        "micrograd": metadata.version("micrograd"),
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "steps_per_kernel": args.steps,
        "kernels_per_engine": args.kernels,
        "mean_step_s": means,
        "median_of_mean_step_s": medians,
        "tracked_objects_before_loop": {e: rs[0]["tracked_objects"] for e, rs in runs.items()},
        "loss_gap": gap,
        "speedup_of_medians": medians["micrograd"] / medians["ours"],
        "speedup_of_mins": min(means["micrograd"]) / min(means["ours"]),
    }
    out = ROOT / "bench" / "results" / "autograd_kernel.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
