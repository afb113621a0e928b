"""Write ``tests/reference/optim_trajectories.json``: PyTorch's own optimizer trajectories.

The unit tests of :mod:`utils.optim` and :mod:`utils.schedules` compare against
this file without importing torch, so they run where torch is not installed.

What it records (all float64, exact ``repr`` round-trip in JSON):

* ``optim``: three parameter tensors of shapes ``(3,)``, ``(2, 2)`` and ``()``
  (a scalar), their initial values, and a sequence of 20 gradient lists drawn
  with ``numpy.random.default_rng(SEED)`` (some exact zeros, scales from 1e-3
  to 10, larger in the first steps so that AMSGrad's running maximum matters).
  The gradients are stored, not regenerated. For every case (optimizer class,
  hyper-parameters and optionally a per-step learning rate, set through
  ``param_groups[0]["lr"]`` before each step) the parameters after every step,
  from ``torch.optim.<Class>(..., foreach=False)``.
* ``clip_grad_norm``: gradients, ``max_norm``, ``norm_type``, the returned total
  norm and the clipped gradients of ``torch.nn.utils.clip_grad_norm_``
  (``foreach=False``), including the infinity norm and a case below the threshold.
* ``schedulers``: the learning rate that each of 25 optimizer steps used under
  ``StepLR``, ``ExponentialLR``, ``LinearLR`` (a linear warm-up),
  ``CosineAnnealingLR`` and ``LambdaLR``, stepping in PyTorch's order
  ``optimizer.step(); scheduler.step()``.

Regenerate (needs torch; takes about a second)::

    . .venv/bin/activate
    python scripts/make_optim_reference.py          # writes tests/reference/optim_trajectories.json
    python -m pytest tests/unit/test_optim.py tests/unit/test_schedules.py -q

Regenerating with another torch version may change the last bits of the
numbers (FMA use in the CPU kernels), never more than the tests' 1e-12 tolerance.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import torch

SEED = 20240531
STEPS = 20
SHAPES = [(3,), (2, 2), ()]
OUT = Path(__file__).resolve().parents[1] / "tests" / "reference" / "optim_trajectories.json"

# (name, torch class, hyper-parameters, per-step lr or None)
LR_SEQUENCE = [0.05 * (k + 1) / 5 if k < 5 else 0.05 * 0.8 ** (k - 4) for k in range(STEPS)]
CASES = [
    ("sgd_plain", "SGD", {"lr": 0.1}, None),
    ("sgd_momentum", "SGD", {"lr": 0.05, "momentum": 0.9}, None),
    ("sgd_momentum_dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}, None),
    ("sgd_nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}, None),
    ("sgd_weight_decay", "SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.1}, None),
    (
        "sgd_nesterov_weight_decay",
        "SGD",
        {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01},
        None,
    ),
    (
        "sgd_maximize",
        "SGD",
        {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.2, "maximize": True},
        None,
    ),
    ("sgd_momentum_lr_schedule", "SGD", {"lr": 0.05, "momentum": 0.9}, LR_SEQUENCE),
    ("rmsprop_default", "RMSprop", {}, None),
    ("rmsprop_momentum", "RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.9}, None),
    ("rmsprop_centered", "RMSprop", {"lr": 0.01, "centered": True}, None),
    (
        "rmsprop_centered_momentum_wd",
        "RMSprop",
        {"lr": 0.005, "alpha": 0.95, "momentum": 0.5, "centered": True, "weight_decay": 0.1},
        None,
    ),
    ("rmsprop_large_eps", "RMSprop", {"lr": 0.01, "eps": 0.1}, None),
    ("adam_default", "Adam", {}, None),
    ("adam_lr", "Adam", {"lr": 0.05}, None),
    ("adam_betas_eps", "Adam", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-3}, None),
    ("adam_weight_decay", "Adam", {"lr": 0.05, "weight_decay": 0.1}, None),
    ("adam_amsgrad", "Adam", {"lr": 0.05, "amsgrad": True}, None),
    (
        "adam_amsgrad_weight_decay",
        "Adam",
        {"lr": 0.05, "amsgrad": True, "weight_decay": 0.05},
        None,
    ),
    ("adam_lr_schedule", "Adam", {"lr": 0.05}, LR_SEQUENCE),
    ("adamw_default", "AdamW", {"lr": 0.05}, None),
    ("adamw_strong_decay", "AdamW", {"lr": 0.05, "weight_decay": 0.5}, None),
    (
        "adamw_amsgrad",
        "AdamW",
        {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True, "betas": (0.5, 0.9)},
        None,
    ),
    ("adamw_lr_schedule", "AdamW", {"lr": 0.05, "weight_decay": 0.2}, LR_SEQUENCE),
]


def make_data(rng: np.random.Generator) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    init = [rng.normal(size=s) for s in SHAPES]
    scales = [np.array([1e-3, 1.0, 10.0]), np.array([[0.1, 1.0], [2.0, 0.5]]), np.array(3.0)]
    grads = []
    for t in range(STEPS):
        boost = 4.0 if t < 5 else 1.0
        step = [boost * sc * rng.normal(size=s) for sc, s in zip(scales, SHAPES, strict=True)]
        if t % 7 == 3:
            step[1][0, 1] = 0.0  # exact zero: Adam's denominator is then eps
        grads.append(step)
    return init, grads


def run_case(cls_name, hyper, lrs, init, grads):
    params = [torch.tensor(p, dtype=torch.float64) for p in init]
    cls = getattr(torch.optim, cls_name)
    opt = cls(params, foreach=False, **hyper)
    traj = []
    for t, g in enumerate(grads):
        if lrs is not None:
            opt.param_groups[0]["lr"] = lrs[t]
        for p, gi in zip(params, g, strict=True):
            p.grad = torch.tensor(gi, dtype=torch.float64)
        opt.step()
        traj.append([p.detach().numpy().tolist() for p in params])
    return traj


def clip_cases(rng):
    specs = [
        ("l2_clipped", 1.0, 2.0),
        ("l2_below_threshold", 100.0, 2.0),
        ("inf_clipped", 0.5, math.inf),
        ("inf_below_threshold", 50.0, math.inf),
        ("l1_clipped", 2.0, 1.0),
        ("l3_clipped", 0.25, 3.0),
    ]
    out = []
    for name, max_norm, norm_type in specs:
        grads = [rng.normal(size=s) * 3.0 for s in SHAPES]
        tensors = [torch.tensor(g, dtype=torch.float64, requires_grad=True) for g in grads]
        for t, g in zip(tensors, grads, strict=True):
            t.grad = torch.tensor(g, dtype=torch.float64)
        total = torch.nn.utils.clip_grad_norm_(
            tensors, max_norm, norm_type=norm_type, foreach=False
        )
        out.append(
            {
                "name": name,
                "max_norm": max_norm,
                "norm_type": "inf" if math.isinf(norm_type) else norm_type,
                "grads": [g.tolist() for g in grads],
                "total_norm": float(total),
                "clipped": [t.grad.numpy().tolist() for t in tensors],
            }
        )
    return out


def warmup_lambda(k):
    # An independent statement of the book's warm-up convention: (k + 1) / 5 for k < 5.
    return (k + 1) / 5 if k < 5 else 1.0


def scheduler_cases(steps=25):
    S = torch.optim.lr_scheduler
    specs = [
        (
            "StepLR",
            0.1,
            lambda o: S.StepLR(o, step_size=3, gamma=0.5),
            {"step_size": 3, "gamma": 0.5},
        ),
        ("ExponentialLR", 0.2, lambda o: S.ExponentialLR(o, gamma=0.9), {"gamma": 0.9}),
        (
            "LinearLR",
            0.3,
            lambda o: S.LinearLR(o, start_factor=1 / 5, end_factor=1.0, total_iters=4),
            {"start_factor": 1 / 5, "end_factor": 1.0, "total_iters": 4},
        ),
        (
            "CosineAnnealingLR",
            0.5,
            lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.01),
            {"T_max": 20, "eta_min": 0.01},
        ),
        (
            "LambdaLR",
            0.3,
            lambda o: S.LambdaLR(o, lr_lambda=warmup_lambda),
            {"lr_lambda": "(k + 1) / 5 if k < 5 else 1.0"},
        ),
    ]
    out = []
    for name, base_lr, make, kwargs in specs:
        p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([p], lr=base_lr, foreach=False)
        sched = make(opt)
        used = []
        for _ in range(steps):
            used.append(opt.param_groups[0]["lr"])  # the lr this optimizer step uses
            p.grad = torch.ones_like(p)
            opt.step()
            sched.step()
        out.append({"name": name, "base_lr": base_lr, "kwargs": kwargs, "lrs": used})
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    init, grads = make_data(rng)
    data = {
        "meta": {
            "generated_by": "scripts/make_optim_reference.py",
            "torch_version": torch.__version__,
            "numpy_version": np.__version__,
            "python_version": sys.version.split()[0],
            "seed": SEED,
        },
        "optim": {
            "shapes": [list(s) for s in SHAPES],
            "init": [p.tolist() for p in init],
            "grads": [[g.tolist() for g in step] for step in grads],
            "cases": [
                {
                    "name": name,
                    "optimizer": cls_name,
                    "hyper": {k: list(v) if isinstance(v, tuple) else v for k, v in hyper.items()},
                    "lrs": lrs,
                    "trajectory": run_case(cls_name, hyper, lrs, init, grads),
                }
                for name, cls_name, hyper, lrs in CASES
            ],
        },
        "clip_grad_norm": clip_cases(rng),
        "schedulers": scheduler_cases(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.1f} KB, {len(CASES)} optimizer cases)")


if __name__ == "__main__":
    main()
