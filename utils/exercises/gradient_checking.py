"""Checkers for the code exercises of Chapter 8 (Gradient checking).

Three exercises: the numerical gradient by central differences (one pair of
loss evaluations per entry, for a parameter array of any shape); the
complex-step gradient, accurate to the last digits; and finding the
parameters whose analytic gradients are wrong in models with planted bugs.
The expected gradients are closed-form derivatives; the expected lists of
wrong parameters are the bugs the checker planted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .feedback import Case, Feedback, run_cases

__all__ = [
    "check_complex_step_gradient",
    "check_failing_parameters",
    "check_numerical_gradient",
]


def check_numerical_gradient(numerical_gradient: Callable[..., Any]) -> Feedback:
    r"""Check a numerical gradient by central differences (``ex-gc-numerical-gradient``).

    ``numerical_gradient(loss, theta, h)`` returns the array of
    :math:`\hat g_i = (L(\boldsymbol\theta + h\mathbf e_i) -
    L(\boldsymbol\theta - h\mathbf e_i))/(2h)`, one entry per entry of
    ``theta``, in ``theta``'s shape (the chapter's
    ``eq-gc-numerical-gradient``). The expected values are the closed-form
    gradients of the test losses, within ``rtol = 1e-6``: central
    differences reach it at ``h = 1e-5``, forward differences do not. The
    cases include a matrix and a 0-d parameter, and a loss whose entries
    interact, where an entry not put back spoils the next ones.

    Parameters
    ----------
    numerical_gradient : callable
        Your function ``numerical_gradient(loss, theta, h)``: ``loss`` maps
        a float array of ``theta``'s shape to a float, ``theta`` is a float
        array of any shape, ``h`` a positive step; it returns an array of
        ``theta``'s shape and leaves ``theta`` as it was.

    Returns
    -------
    Feedback
        Five cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_failing_parameters, check_complex_step_gradient : the chapter's other exercises.
    utils.numdiff.numerical_gradient : the library's version.

    Examples
    --------
    Forward differences are not accurate enough:

    >>> import numpy as np
    >>> def forward(loss, theta, h):
    ...     out = np.zeros_like(theta)
    ...     for i in np.ndindex(theta.shape):
    ...         up = theta.copy()
    ...         up[i] += h
    ...         out[i] = (loss(up) - loss(theta)) / h
    ...     return out
    >>> fb = check_numerical_gradient(forward)
    >>> fb.status, fb.cases[0].name, fb.cases[0].passed
    ('failed', 'a cubic in a vector: sum(theta**3)', False)
    >>> def stub(loss, theta, h):
    ...     raise NotImplementedError
    >>> check_numerical_gradient(stub).status
    'not attempted yet'
    """
    if not callable(numerical_gradient):
        return run_cases("ex-gc-numerical-gradient", numerical_gradient, [])
    h = 1e-5
    vec = np.array([0.5, -1.2, 2.0])
    mat = np.array([[0.3, -0.7, 1.1], [2.0, -1.5, 0.2]])
    weights = np.array([[1.0, -2.0, 0.5], [0.3, 1.5, -1.0]])
    a = np.array([1.0, -0.5, 2.0, 0.7])
    coupled_at = np.array([0.4, 1.3, -0.8, 0.6])

    def coupled(t: np.ndarray) -> float:
        return float((a @ t) ** 2 + t[0] * t[2])

    coupled_grad = 2 * (a @ coupled_at) * a + np.array([coupled_at[2], 0.0, coupled_at[0], 0.0])
    losses: dict[str, tuple[Callable[[np.ndarray], float], np.ndarray]] = {
        "cubic": (lambda t: float(np.sum(t**3)), vec),
        "matrix": (lambda t: float(np.sum(np.sin(t) * weights)), mat),
        "coupled": (coupled, coupled_at),
        "scalar": (lambda t: float(np.exp(t)), np.array(0.3)),
    }

    def run(which: str, restored: bool = False) -> Any:
        loss, at = losses[which]
        theta = at.copy()
        result = numerical_gradient(loss, theta, h)
        return theta if restored else result

    def case(name: str, args: tuple, expected: Any, hint: str) -> Case:
        return Case(name, args, expected, hint, rtol=1e-6, atol=1e-9)

    return run_cases(
        "ex-gc-numerical-gradient",
        run,
        [
            case(
                "a cubic in a vector: sum(theta**3)",
                ("cubic",),
                3 * vec**2,
                "use the CENTRAL difference (L(theta + h e_i) - L(theta - h "
                "e_i)) / (2 h): the forward difference is off by about h / 2 "
                "times the second derivative",
            ),
            case(
                "a matrix parameter: sum(sin(theta) * C)",
                ("matrix",),
                np.cos(mat) * weights,
                "loop over every index of theta.shape (np.ndindex) and return "
                "an array of theta's shape, not a flat vector",
            ),
            case(
                "entries that interact: (a . theta)^2 + theta_0 theta_2",
                ("coupled",),
                coupled_grad,
                "put theta[i] back to its value after the two evaluations: "
                "otherwise the next entries are differentiated at a shifted "
                "point",
            ),
            case(
                "theta is left as it was",
                ("coupled", True),
                coupled_at.copy(),
                "restore every entry you nudge (or nudge a copy): the caller's "
                "parameters must not change",
            ),
            case(
                "a 0-d parameter: exp(theta)",
                ("scalar",),
                float(np.exp(0.3)),  # compare() reads a one-entry array as a number
                "a 0-d array has one entry and no axis: np.ndindex(()) yields "
                "the index (), whereas theta[0] fails",
            ),
        ],
    )


def check_complex_step_gradient(complex_step_gradient: Callable[..., Any]) -> Feedback:
    r"""Check a gradient by the complex step (exercise ``ex-gc-complex-gradient``).

    ``complex_step_gradient(loss, theta, h)`` returns the array of
    :math:`\operatorname{Im} L(\boldsymbol\theta + ih\mathbf e_k)/h`, one
    entry per entry of ``theta`` (the chapter's ``eq-gc-complex-step``),
    called with ``h = 1e-20``. The expected values are closed-form gradients
    of analytic losses, and the tolerance, ``rtol = 1e-13``, is one that
    only the complex step reaches: a central difference loses digits to the
    subtraction of two nearly equal losses.

    Parameters
    ----------
    complex_step_gradient : callable
        Your function ``complex_step_gradient(loss, theta, h)``: ``loss``
        maps a complex array of ``theta``'s shape to a complex number,
        ``theta`` is a real float array of any shape, ``h`` a tiny positive
        step; it returns a real array of ``theta``'s shape and leaves
        ``theta`` as it was.

    Returns
    -------
    Feedback
        Four cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_numerical_gradient : the central-difference version.
    utils.numdiff.complex_step : the library's version.

    Examples
    --------
    A central difference, even with a good step, is not accurate enough:

    >>> import numpy as np
    >>> def central(loss, theta, h):
    ...     out = np.zeros_like(theta)
    ...     for i in np.ndindex(theta.shape):
    ...         up, down = theta.copy(), theta.copy()
    ...         up[i] += 1e-5
    ...         down[i] -= 1e-5
    ...         out[i] = (loss(up) - loss(down)).real / 2e-5
    ...     return out
    >>> fb = check_complex_step_gradient(central)
    >>> fb.cases[0].name, fb.cases[0].passed
    ('a vector: sum(exp(theta) * theta**3)', False)
    >>> def stub(loss, theta, h):
    ...     raise NotImplementedError
    >>> check_complex_step_gradient(stub).status
    'not attempted yet'
    """
    if not callable(complex_step_gradient):
        return run_cases("ex-gc-complex-gradient", complex_step_gradient, [])
    vec = np.array([0.5, -1.2, 2.0])
    mat = np.array([[0.3, -0.7, 1.1], [2.0, -1.5, 0.2]])
    weights = np.array([[1.0, -2.0, 0.5], [0.3, 1.5, -1.0]])
    a = np.array([1.0, -0.5, 2.0, 0.7])
    at = np.array([0.4, 1.3, -0.8, 0.6])
    losses: dict[str, tuple[Callable[[np.ndarray], Any], np.ndarray]] = {
        "vector": (lambda t: np.sum(np.exp(t) * t**3), vec),
        "matrix": (lambda t: np.sum(np.tanh(t) * weights), mat),
        "coupled": (lambda t: np.log(1 + (a @ t) ** 2), at),
    }

    def run(which: str, restored: bool = False) -> Any:
        loss, point = losses[which]
        theta = point.copy()
        result = complex_step_gradient(loss, theta, 1e-20)
        return theta if restored else result

    u = a @ at
    complex_hint = (
        "return Im(loss(theta + i h e_k)) / h: no subtraction, hence no "
        "round-off; a central difference cannot reach 1e-13. Work on a "
        "COMPLEX copy (theta.astype(complex)), a fresh one for each entry: "
        "adding 1j * h to a real array drops the imaginary part"
    )

    def case(name: str, args: tuple, expected: Any, hint: str) -> Case:
        return Case(name, args, expected, hint, rtol=1e-13, atol=0.0)

    return run_cases(
        "ex-gc-complex-gradient",
        run,
        [
            case(
                "a vector: sum(exp(theta) * theta**3)",
                ("vector",),
                np.exp(vec) * (vec**3 + 3 * vec**2),
                complex_hint,
            ),
            case(
                "a matrix parameter: sum(tanh(theta) * C)",
                ("matrix",),
                (1 - np.tanh(mat) ** 2) * weights,
                "loop over every index of theta.shape (np.ndindex) and return "
                "a real array of theta's shape",
            ),
            case(
                "entries that interact: log(1 + (a . theta)^2)",
                ("coupled",),
                2 * u * a / (1 + u**2),
                "perturb one entry at a time, each time from the original "
                "point: a fresh complex copy per entry, or put the entry back",
            ),
            case(
                "theta is left as it was",
                ("coupled", True),
                at.copy(),
                "perturb a complex copy, never the caller's array",
            ),
        ],
    )


# --- a small tanh + softmax network with bugs to plant ------------------------

_N, _D, _K = 6, 3, 3  # examples, inputs, units (= classes, so V is square)


def _network(bugs: frozenset[str], scale: float = 1.0, saturate: bool = False) -> tuple:
    """``(loss_fn, params, names)`` of a tanh layer and a softmax classifier."""
    rng = np.random.default_rng(8)
    x = rng.normal(size=(_N, _D))
    y = np.eye(_K)[rng.integers(0, _K, size=_N)]
    w, v = rng.normal(size=(_D, _K)), rng.normal(size=(_K, _K))
    b, c = 0.1 * rng.normal(size=_K), 0.1 * rng.normal(size=_K)
    if saturate:
        b[1] = 12.0  # unit 1 deep in tanh's flat part: tiny gradients

    def loss_fn(params: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        w_, b_, v_, c_ = params
        a = np.tanh(x @ w_ + b_)
        s = a @ v_ + c_
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        loss = -scale * np.sum(y * logp) / _N
        g2 = scale * (np.exp(logp) - y) / _N  # dL/dS
        slope = (a * a - 1) if "sign" in bugs else (1 - a * a)
        g1 = (g2 @ v_.T) * slope  # dL/dZ
        gw = x.T @ g1 * (1.001 if "scale" in bugs else 1.0)
        gb = g1[-1] if "last" in bugs else g1.sum(axis=0)
        gv = (a.T @ g2).T if "transposed" in bugs else a.T @ g2
        gc = g2.sum(axis=0) * (_N if "mean" in bugs else 1)
        return float(loss), [gw, gb, gv, gc]

    return loss_fn, [w, b, v, c], ["W", "b", "V", "c"]


def check_failing_parameters(failing_parameters: Callable[..., Any]) -> Feedback:
    r"""Check a function that finds the parameters with wrong gradients (``ex-gc-find-bugs``).

    ``failing_parameters(loss_fn, params, names)`` receives a model in the
    form that :func:`utils.gradcheck.gradcheck` takes (``loss_fn(params)``
    returns the loss and the analytic gradients) and returns the names of the
    parameters whose analytic gradient is wrong. The checker plants bugs in a
    tanh layer with a softmax classifier (parameters ``W``, ``b``, ``V``,
    ``c``): none, a bias gradient without the mean, a transposed square
    matrix, a wrong sign in :math:`\tanh'`, a gradient only 0.1 % too large,
    and two correct models that fool careless checks (a loss scaled by
    :math:`10^6`, a saturated unit with tiny gradients). The expected
    answers are the bugs it planted.

    Parameters
    ----------
    failing_parameters : callable
        Your function ``failing_parameters(loss_fn, params, names)``:
        ``params`` a list of float64 arrays, ``names`` their names; it
        returns a list of names, in the order of ``names`` (empty when every
        gradient is right).

    Returns
    -------
    Feedback
        Seven cases; "not attempted yet" while the function raises
        ``NotImplementedError``.

    See Also
    --------
    check_numerical_gradient, check_complex_step_gradient : the chapter's other exercises.
    utils.gradcheck.gradcheck : the tool for the job.

    Examples
    --------
    Blaming every parameter fails on the correct models:

    >>> fb = check_failing_parameters(lambda loss_fn, params, names: list(names))
    >>> fb.cases[0].name, fb.cases[0].passed
    ('no bug: nothing fails', False)
    >>> def stub(loss_fn, params, names):
    ...     raise NotImplementedError
    >>> check_failing_parameters(stub).status
    'not attempted yet'
    """
    if not callable(failing_parameters):
        return run_cases("ex-gc-find-bugs", failing_parameters, [])

    def run(bugs: frozenset[str], scale: float, saturate: bool) -> Any:
        loss_fn, params, names = _network(bugs, scale, saturate)
        found = failing_parameters(loss_fn, params, list(names))
        if isinstance(found, (set, frozenset)):
            return [n for n in names if n in found]
        # a list or tuple as it is; anything else (None: a missing return) is reported
        return list(found) if isinstance(found, (list, tuple)) else found

    relative = (
        "judge each parameter by the norm-based RELATIVE error, with a "
        "tolerance near 1e-6 (gc.gradcheck(loss_fn, params, names=names) "
        "does; read its .failed)"
    )

    def case(name: str, bugs: set[str], expected: list[str], hint: str, **model: Any) -> Case:
        args = (frozenset(bugs), model.get("scale", 1.0), model.get("saturate", False))
        return Case(name, args, expected, hint)

    return run_cases(
        "ex-gc-find-bugs",
        run,
        [
            case(
                "no bug: nothing fails",
                set(),
                [],
                "return an empty list when every gradient matches its "
                "central difference; " + relative,
            ),
            case(
                "one bug: the bias c",
                {"mean"},
                ["c"],
                "c's gradient forgot the 1/N of the mean: a factor N; " + relative,
            ),
            case(
                "two bugs: b and V",
                {"last", "transposed"},
                ["b", "V"],
                "list every failing parameter, in the order of names",
            ),
            case(
                "a wrong sign inside the first layer",
                {"sign"},
                ["W", "b"],
                "a bug in dL/dZ of the first layer reaches both W and b",
            ),
            case(
                "a gradient only 0.1 % too large",
                {"scale"},
                ["W"],
                "a relative error near 5e-4 IS a bug: correct float64 "
                "gradients give 1e-8 or less, so a loose tolerance (1e-2) "
                "misses it",
            ),
            case(
                "correct gradients of a loss scaled by 10^6",
                set(),
                [],
                "large gradients have large absolute differences: compare "
                "relative errors, not absolute ones",
                scale=1e6,
            ),
            case(
                "correct gradients with a saturated unit",
                set(),
                [],
                "tiny entries (below 1e-8) make the ELEMENT-WISE relative "
                "error large for a correct gradient; use the norm-based one",
                saturate=True,
            ),
        ],
    )
