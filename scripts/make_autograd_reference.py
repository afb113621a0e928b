"""Write ``tests/reference/autograd_cases.json``: PyTorch values and gradients
of random scalar expressions, the reference for ``tests/unit/test_autograd.py``.

Run where torch is installed (the tests themselves never import torch)::

    python scripts/make_autograd_reference.py

Each case is an expression tree over three variables, stored as JSON so that
both torch (here) and :class:`utils.autograd.Value` (in the test) can rebuild
it::

    {"var": "x1"}                                  a variable (shared: reuse)
    {"const": 2.5}                                 a plain Python number
    {"op": "mul", "args": [tree, tree]}            add sub mul div pow
    {"op": "exp", "args": [tree]}                  neg exp log tanh sigmoid relu softplus
    {"op": "powc", "args": [tree], "exponent": 2}  tree ** number
    {"op": "sum", "args": [tree, ...]}             Value.sum
    {"op": "dot", "args": [w1, .., wn, x1, .., xn]}  dot(ws, xs)

The expressions are drawn from a seeded generator and rejected (and redrawn)
when they are a bare leaf, when a gradient is round-off from a cancellation
(``x / x``), or when they come near a point where an operation is undefined or not
differentiable (log or a Value-exponent pow of a base near 0, a relu argument
near 0, a small divisor, exp of a large argument), so the float64 reference is
well conditioned. Case ``k`` has the ``k``-th operation at its root, so every
operation is covered; the last cases are unconstrained.
"""

from __future__ import annotations

import json
import math
import pathlib
import random

import torch

SEED = 20240611
N_VARS = 3
UNARY = ["neg", "exp", "log", "tanh", "sigmoid", "relu", "softplus"]
BINARY = ["add", "sub", "mul", "div", "pow"]
OPS = BINARY + ["powc"] + UNARY + ["sum", "dot"]
EXPONENTS = [2, 3, -1, -2, 0.5, 1.5]
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "reference" / "autograd_cases.json"


class Reject(Exception):
    """The expression comes too close to a singular point: draw another."""


def random_tree(rng: random.Random, depth: int, root_op: str | None = None) -> dict:
    """A random expression tree; ``root_op`` forces the operation at the root."""
    if root_op is None and (depth == 0 or rng.random() < 0.15):
        if rng.random() < 0.8:
            return {"var": f"x{rng.randrange(N_VARS)}"}
        return {"const": round(rng.uniform(-3.0, 3.0), 3)}
    op = root_op or rng.choice(OPS)
    sub = lambda: random_tree(rng, depth - 1)  # noqa: E731
    if op in UNARY:
        return {"op": op, "args": [sub()]}
    if op == "powc":
        return {"op": op, "args": [sub()], "exponent": rng.choice(EXPONENTS)}
    if op == "sum":
        return {"op": op, "args": [sub() for _ in range(rng.randint(2, 4))]}
    if op == "dot":
        n = rng.randint(2, 3)
        return {"op": op, "args": [sub() for _ in range(2 * n)]}
    return {"op": op, "args": [sub(), sub()]}


def has_variable(tree: dict) -> bool:
    return "var" in tree or any(has_variable(a) for a in tree.get("args", []))


def evaluate(tree: dict, xs: dict) -> torch.Tensor:
    """Evaluate ``tree`` with torch in float64, rejecting ill-conditioned points."""
    if "var" in tree:
        return xs[tree["var"]]
    if "const" in tree:
        return torch.tensor(float(tree["const"]), dtype=torch.float64)
    op, args = tree["op"], [evaluate(a, xs) for a in tree["args"]]
    if op in UNARY + ["powc"] and not has_variable(tree["args"][0]):
        raise Reject  # the engine applies these to Values only
    if op in BINARY and not (has_variable(tree["args"][0]) or has_variable(tree["args"][1])):
        raise Reject  # number (op) number is not a Value
    a = args[0]
    if op == "add":
        out = a + args[1]
    elif op == "sub":
        out = a - args[1]
    elif op == "mul":
        out = a * args[1]
    elif op == "div":
        if abs(args[1].item()) < 0.05:
            raise Reject
        out = a / args[1]
    elif op == "pow":
        if a.item() < 0.05 or not has_variable(tree["args"][1]):
            raise Reject
        out = a ** args[1]
    elif op == "powc":
        p = tree["exponent"]
        if abs(a.item()) < 0.05 or (p != int(p) and a.item() < 0.05):
            raise Reject
        out = a**p
    elif op == "neg":
        out = -a
    elif op == "exp":
        if a.item() > 20:
            raise Reject
        out = torch.exp(a)
    elif op == "log":
        if a.item() < 0.05:
            raise Reject
        out = torch.log(a)
    elif op == "tanh":
        out = torch.tanh(a)
    elif op == "sigmoid":
        out = torch.sigmoid(a)
    elif op == "relu":
        if abs(a.item()) < 0.05:
            raise Reject
        out = torch.relu(a)
    elif op == "softplus":
        out = torch.logaddexp(a, torch.zeros((), dtype=torch.float64))  # exact log(1 + e^a)
    elif op == "sum":
        out = torch.stack(args).sum()
    elif op == "dot":
        n = len(args) // 2
        out = (torch.stack(args[:n]) * torch.stack(args[n:])).sum()
    else:  # pragma: no cover
        raise ValueError(op)
    if not torch.isfinite(out) or abs(out.item()) > 1e6:
        raise Reject
    return out


def ops_in(tree: dict) -> set:
    return ({tree["op"]} if "op" in tree else set()).union(
        *(ops_in(a) for a in tree.get("args", []))
    )


def make_case(rng: random.Random, root_op: str | None, depth: int) -> dict:
    while True:
        tree = random_tree(rng, depth, root_op)
        values = {f"x{i}": round(rng.uniform(-2.0, 2.0), 6) for i in range(N_VARS)}
        xs = {
            k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in values.items()
        }
        try:
            out = evaluate(tree, xs)
        except Reject:
            continue
        if not out.requires_grad:
            continue
        out.backward()
        grads = {k: (x.grad.item() if x.grad is not None else 0.0) for k, x in xs.items()}
        if not all(math.isfinite(g) and abs(g) < 1e6 for g in grads.values()):
            continue
        if any(0.0 < abs(g) < 1e-6 for g in grads.values()):
            continue  # round-off left over from a cancellation: not a useful reference
        if "op" not in tree:
            continue
        return {"expr": tree, "variables": values, "value": out.item(), "grads": grads}


def main() -> None:
    rng = random.Random(SEED)
    torch.set_default_dtype(torch.float64)
    cases = [make_case(rng, op, depth=3) for op in OPS]
    cases += [make_case(rng, None, depth=4) for _ in range(5)]
    covered = set().union(*(ops_in(c["expr"]) for c in cases))
    assert covered == set(OPS), f"missing operations: {set(OPS) - covered}"
    doc = {
        "description": (
            "Values and gradients of random scalar expressions, computed with torch in "
            "float64 by scripts/make_autograd_reference.py (expression format documented "
            "there)."
        ),
        "torch_version": torch.__version__,
        "seed": SEED,
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
