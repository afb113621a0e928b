"""Write ``tests/reference/activation_gelu.json``: PyTorch's own GELU values and derivatives.

``tests/unit/test_activations.py`` compares :func:`utils.activations.gelu`,
:func:`~utils.activations.d_gelu`, :func:`~utils.activations.gelu_tanh` and
:func:`~utils.activations.d_gelu_tanh`, :func:`~utils.activations.silu` and
:func:`~utils.activations.d_silu` against this file without importing
torch, so the comparison also runs (and cannot be skipped) where torch is not
installed.

What it records (float64, exact ``repr`` round-trip in JSON): the grid
``x = torch.linspace(-8, 8, 321)``, and for ``approximate="none"`` and
``approximate="tanh"`` the values of ``torch.nn.functional.gelu(x, approximate=...)``
and their derivatives from ``torch.autograd.grad`` (of the sum, so the
element-wise derivative); the same for ``torch.nn.functional.silu``.

Regenerate (needs torch; takes well under a second)::

    . .venv/bin/activate
    python scripts/make_activation_reference.py     # writes tests/reference/activation_gelu.json
    python -m pytest tests/unit/test_activations.py -q

Another torch version may change the last bits (vectorised CPU kernels), never
by more than the test's tolerances.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parents[1] / "tests" / "reference" / "activation_gelu.json"
LO, HI, N = -8.0, 8.0, 321
APPROXIMATIONS = ("none", "tanh")


def main() -> None:
    x = torch.linspace(LO, HI, N, dtype=torch.float64, requires_grad=True)
    cases = {}
    for approximate in APPROXIMATIONS:
        y = torch.nn.functional.gelu(x, approximate=approximate)
        (g,) = torch.autograd.grad(y.sum(), x)
        cases[approximate] = {"value": y.detach().numpy().tolist(), "grad": g.numpy().tolist()}
    y = torch.nn.functional.silu(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    silu = {"value": y.detach().numpy().tolist(), "grad": g.numpy().tolist()}
    data = {
        "meta": {
            "generated_by": "scripts/make_activation_reference.py",
            "function": (
                "torch.nn.functional.gelu and silu, derivative by torch.autograd.grad, float64"
            ),
            "torch_version": torch.__version__,
            "numpy_version": np.__version__,
            "python_version": sys.version.split()[0],
        },
        "x": x.detach().numpy().tolist(),
        "gelu": cases,
        "silu": silu,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(
        f"wrote {OUT} ({OUT.stat().st_size / 1024:.1f} KB, {N} points, "
        f"approximate={APPROXIMATIONS})"
    )


if __name__ == "__main__":
    main()
