"""Checkers for the code exercises of Chapter 6 (Vanishing and exploding gradients).

Three exercises: the Jacobians of the layers of a tanh network; carrying a
gradient down a stack of layers by multiplying it with transposed Jacobians,
keeping the gradient at every layer (the backward pass as a product of
Jacobians); and clipping a list of gradients by their global norm. The
expected values come from independent routes: central differences of each
layer's map (:func:`utils.numdiff.numerical_jacobian`), the product of the
Jacobians formed in the forward direction and transposed once, and
:func:`utils.optim.clip_grad_norm` (PyTorch's rule).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from typing import Any

import numpy as np

from ..numdiff import numerical_jacobian
from ..optim import clip_grad_norm
from .feedback import Case, Feedback, run_cases

__all__ = ["check_backward_gradients", "check_clip_by_global_norm", "check_layer_jacobians"]


def _expected_gradients(jacobians: Sequence[np.ndarray], g: np.ndarray) -> list[np.ndarray]:
    """``[grad h_0, ..., grad h_L]`` from the forward products ``J_L ... J_(l+1)``."""
    out = []
    for layer in range(len(jacobians) + 1):
        rest = jacobians[layer:]
        if rest:
            forward = reduce(lambda acc, J: J @ acc, rest[1:], rest[0])  # J_L ... J_(l+1)
            out.append(forward.T @ g)
        else:
            out.append(g.copy())
    return out


def check_backward_gradients(backward_gradients: Callable[..., Any]) -> Feedback:
    r"""Check the backward pass through a stack of layer Jacobians (``ex-backward-gradients``).

    ``backward_gradients(jacobians, g)`` receives the Jacobians
    :math:`J_1, \dots, J_L` (layer :math:`l` maps :math:`\mathbf h_{l-1}` to
    :math:`\mathbf h_l`, so :math:`J_l` has one row per unit of layer
    :math:`l`) and :math:`\mathbf g = \nabla_{\mathbf h_L}\ell`, and returns
    the list :math:`[\nabla_{\mathbf h_0}\ell, \dots, \nabla_{\mathbf h_L}\ell]`
    (the chapter's equation ``eq-backward-product``). The expected lists come
    from the products :math:`J_L \cdots J_{l+1}` formed forwards and
    transposed once. The cases use non-square and non-commuting Jacobians, so
    that a missing transpose or a reversed order shows.

    Parameters
    ----------
    backward_gradients : callable
        Your function ``backward_gradients(jacobians, g)``: ``jacobians`` is
        a list of 2-D arrays, ``g`` a 1-D array; it returns a list of
        ``len(jacobians) + 1`` 1-D arrays, :math:`\nabla_{\mathbf h_0}\ell`
        first and ``g`` itself last.

    Returns
    -------
    Feedback
        Four cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_clip_by_global_norm, check_layer_jacobians : the chapter's other exercises.
    utils.gradflow.gradient_norms : the same backward pass on a real network.

    Examples
    --------
    Multiplying by :math:`J` instead of :math:`J^\top` fails (on the
    non-square layer it even raises, which becomes a failed case):

    >>> def untransposed(jacobians, g):
    ...     out = [g]
    ...     for J in reversed(jacobians):
    ...         out.insert(0, J @ out[0])
    ...     return out
    >>> fb = check_backward_gradients(untransposed)
    >>> fb.status, fb.cases[0].passed
    ('failed', False)
    >>> def stub(jacobians, g):
    ...     raise NotImplementedError
    >>> check_backward_gradients(stub).status
    'not attempted yet'
    """
    rng = np.random.default_rng(6)
    one = [rng.normal(size=(2, 3))]
    a, b = np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    widths = [4, 3, 2, 5]
    three = [rng.normal(size=(widths[k + 1], widths[k])) for k in range(3)]
    g2, g5 = rng.normal(size=2), rng.normal(size=5)
    transpose = (
        "each layer multiplies by the TRANSPOSED Jacobian, J.T @ v: J_l maps "
        "h_(l-1) to h_l, so the gradient travels back through J_l.T"
    )
    cases = [
        Case(
            "one non-square layer: [J.T @ g, g]", (one, g2), _expected_gradients(one, g2), transpose
        ),
        Case(
            "two square layers that do not commute",
            ([a, b], g2),
            _expected_gradients([a, b], g2),
            "J_L.T acts first, J_1.T last: walk the list from the end, and "
            "put the gradient of h_0 first in the result",
        ),
        Case(
            "three layers of widths 4, 3, 2, 5",
            (three, g5),
            _expected_gradients(three, g5),
            "return L + 1 gradients: h_0's (length 4) first, g itself "
            "(length 5) last; " + transpose,
        ),
        Case(
            "no layer at all: just [g]",
            ([], g2),
            [g2.copy()],
            "with no Jacobian the only gradient is g itself: return [g]",
        ),
    ]
    return run_cases("ex-backward-gradients", backward_gradients, cases)


#: a relative tolerance wider than the effect of the 1e-6 at these norms (at most
#: 1e-6 / 2 relative): only the case at the threshold checks the 1e-6, so that
#: a missing 1e-6 gets that case's hint, not another's
_EPS_BLIND = 1e-5


def _clipped(grads: list[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float]:
    copies = [np.array(g, dtype=float) for g in grads]
    total = clip_grad_norm(copies, max_norm)
    return copies, total


def check_clip_by_global_norm(clip_by_global_norm: Callable[..., Any]) -> Feedback:
    r"""Check clipping by the global norm, ``eq-clip`` (``ex-own-clip``).

    ``clip_by_global_norm(grads, max_norm)`` returns the clipped arrays and
    the global norm before clipping, with PyTorch's rule (the factor is
    :math:`\min(1, \tau/(\lVert g\rVert + 10^{-6}))`). Expected values come
    from :func:`utils.optim.clip_grad_norm`. The cases check the arrays and
    the returned norm separately, a norm below the threshold, several arrays
    of different shapes (one global norm, not one per array), a norm exactly
    at the threshold (the one case that checks the :math:`10^{-6}`; the
    others are compared with ``rtol = 1e-5``, which its effect stays below)
    and all-zero gradients.

    Parameters
    ----------
    clip_by_global_norm : callable
        Your function ``clip_by_global_norm(grads, max_norm)``: ``grads`` is
        a list of float arrays, ``max_norm`` a positive float; it returns
        ``(clipped, total)``, a list of arrays of the same shapes and the
        global norm of ``grads`` as a float.

    Returns
    -------
    Feedback
        Seven cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_backward_gradients, check_layer_jacobians : the chapter's other exercises.
    utils.optim.clip_grad_norm : the library's version, in place.

    Examples
    --------
    Clipping each array by its own norm fails on several arrays:

    >>> import numpy as np
    >>> def per_array(grads, max_norm):
    ...     norms = [np.linalg.norm(g) for g in grads]
    ...     out = [g * min(1, max_norm / (n + 1e-6)) for g, n in zip(grads, norms)]
    ...     return out, float(np.sqrt(sum(n**2 for n in norms)))
    >>> fb = check_clip_by_global_norm(per_array)
    >>> [case.name for case in fb.cases if not case.passed]
    ['several arrays of different shapes: the clipped arrays']
    >>> def stub(grads, max_norm):
    ...     raise NotImplementedError
    >>> check_clip_by_global_norm(stub).status
    'not attempted yet'
    """
    if not callable(clip_by_global_norm):
        return run_cases("ex-own-clip", clip_by_global_norm, [])

    def part(k: int, grads: list[np.ndarray], max_norm: float) -> Any:
        result = clip_by_global_norm(grads, max_norm)
        if result is None:  # the feedback asks about a missing return
            return None
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            size = f" of length {len(result)}" if hasattr(result, "__len__") else ""
            raise TypeError(f"expected a pair (clipped, total), got {type(result).__name__}{size}")
        item = result[k]
        return list(item) if k == 0 else item

    rng = np.random.default_rng(6)
    small = [np.array([0.3, -0.4])]
    big = [np.array([30.0, -40.0])]
    several = [rng.normal(size=(2, 3)) * 5, rng.normal(size=4), np.array([12.0])]
    at_threshold = [np.array([0.6, 0.8])]
    zero = [np.zeros(3), np.zeros((2, 2))]
    total_hint = (
        "return the global norm BEFORE clipping: the square root of the sum "
        "of the squares of all entries of all arrays"
    )
    cases = [
        Case(
            "a norm below the threshold: unchanged",
            (0, small, 1.0),
            _clipped(small, 1.0)[0],
            "the factor is min(1, max_norm / norm): clipping never scales a gradient up",
        ),
        Case(
            "a norm of 50 clipped to 1: the clipped array",
            (0, big, 1.0),
            _clipped(big, 1.0)[0],
            "multiply every entry by max_norm / norm, keeping the direction",
            rtol=_EPS_BLIND,
        ),
        Case("a norm of 50: the returned norm", (1, big, 1.0), _clipped(big, 1.0)[1], total_hint),
        Case(
            "several arrays of different shapes: the clipped arrays",
            (0, several, 2.0),
            _clipped(several, 2.0)[0],
            "one norm for ALL arrays together, and the same factor for every "
            "array; clipping each array by its own norm changes the direction",
            rtol=_EPS_BLIND,
        ),
        Case(
            "several arrays of different shapes: the returned norm",
            (1, several, 2.0),
            _clipped(several, 2.0)[1],
            total_hint,
        ),
        Case(
            "a norm exactly at the threshold",
            (0, at_threshold, 1.0),
            _clipped(at_threshold, 1.0)[0],
            "add PyTorch's 1e-6 to the norm in the denominator: at norm == "
            "max_norm the factor is 1 / (1 + 1e-6), not 1",
            rtol=1e-12,
            atol=0.0,
        ),
        Case(
            "all-zero gradients: no division by zero",
            (0, zero, 1.0),
            _clipped(zero, 1.0)[0],
            "with a zero norm the factor min(1, max_norm / (0 + 1e-6)) is 1: "
            "the zeros stay zeros (no NaN, no ZeroDivisionError)",
        ),
    ]
    return run_cases("ex-own-clip", part, cases)


def _numerical_layer_jacobians(weights: Sequence[np.ndarray], h0: np.ndarray) -> list[np.ndarray]:
    """Central-difference Jacobians of each map ``h -> tanh(W_l h)``, along the forward pass."""
    out, h = [], h0
    for w in weights:
        out.append(numerical_jacobian(lambda v, w=w: np.tanh(w @ v), h))
        h = np.tanh(w @ h)
    return out


def check_layer_jacobians(layer_jacobians: Callable[..., Any]) -> Feedback:
    r"""Check the Jacobians of the layers of a tanh network (``ex-layer-jacobians``).

    ``layer_jacobians(weights, h0)`` runs the forward pass
    :math:`\mathbf z_l = W_l\mathbf h_{l-1}`, :math:`\mathbf h_l =
    \tanh(\mathbf z_l)` and returns :math:`[J_1, \dots, J_L]` with
    :math:`J_l = \operatorname{diag}(\tanh'(\mathbf z_l))\,W_l` (the
    chapter's ``eq-layer-jacobian``). The expected Jacobians are central
    differences of each layer's map at the point the forward pass reaches,
    compared with ``rtol = 1e-6``, ``atol = 1e-8``.

    Parameters
    ----------
    layer_jacobians : callable
        Your function ``layer_jacobians(weights, h0)``: ``weights`` a list of
        2-D arrays (``W_l`` has one row per unit of layer ``l``), ``h0`` the
        input, a 1-D array; it returns the list of the ``L`` Jacobians.

    Returns
    -------
    Feedback
        Four cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_backward_gradients : carries a gradient through these Jacobians.
    utils.numdiff.numerical_jacobian : the reference, by central differences.

    Examples
    --------
    Forgetting the activation's derivative (``J_l = W_l``) fails every case:

    >>> fb = check_layer_jacobians(lambda weights, h0: [w.copy() for w in weights])
    >>> fb.status, [case.passed for case in fb.cases]
    ('failed', [False, False, False, False])
    >>> def stub(weights, h0):
    ...     raise NotImplementedError
    >>> check_layer_jacobians(stub).status
    'not attempted yet'
    """
    rng = np.random.default_rng(5)
    one = [rng.normal(size=(3, 3))]
    two = [rng.normal(size=(3, 3)), rng.normal(size=(3, 3))]
    widths = [4, 3, 2]
    narrowing = [rng.normal(size=(widths[k + 1], widths[k])) for k in range(2)]
    saturating = [3.0 * rng.normal(size=(3, 3)) for _ in range(3)]
    h3, h4 = rng.normal(size=3), rng.normal(size=4)

    def case(name: str, weights: list[np.ndarray], h0: np.ndarray, hint: str) -> Case:
        expected = _numerical_layer_jacobians(weights, h0)
        return Case(name, (weights, h0), expected, hint, rtol=1e-6, atol=1e-8)

    return run_cases(
        "ex-layer-jacobians",
        layer_jacobians,
        [
            case(
                "one square layer",
                one,
                h3,
                "J = diag(tanh'(z)) @ W, row i of W times tanh'(z_i), with "
                "z = W @ h0 and tanh'(z) = 1 - tanh(z)**2 (not 1 - z**2)",
            ),
            case(
                "two layers: the second at h_1",
                two,
                h3,
                "run the forward pass: layer l's z_l = W_l @ h_(l-1) uses the "
                "previous layer's OUTPUT h_(l-1) = tanh(z_(l-1)), not h0",
            ),
            case(
                "layers of widths 4, 3, 2",
                narrowing,
                h4,
                "the diagonal multiplies the ROWS of W_l (one per output "
                "unit): diag(d) @ W, or d[:, None] * W; W @ diag(d) does not "
                "even fit a non-square W",
            ),
            case(
                "large weights: saturated units",
                saturating,
                h3,
                "evaluate tanh' at the pre-activation z_l of the same layer; "
                "saturated units have tanh' near 0, so their rows of J_l "
                "nearly vanish",
            ),
        ],
    )
