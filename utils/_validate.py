"""Argument checks shared by every public function of :mod:`utils`.

Each check raises ``TypeError`` or ``ValueError`` with a message that names the
argument and says what was expected, so that bad input never turns into a
silent NaN further down.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "check_real",
    "check_finite",
    "check_positive",
    "check_nonnegative",
    "check_int",
    "check_in_unit_interval",
    "check_callable",
    "check_float64_array",
    "check_writable_float64_array",
    "check_bool",
    "check_seed",
    "check_choice",
    "check_scalar_result",
    "callable_name",
    "check_count",
    "MAX_COUNT",
]


def check_real(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise ``TypeError`` if it is not a real number.

    >>> check_real("lr", 3)
    3.0
    >>> check_real("lr", "0.1")
    Traceback (most recent call last):
    ...
    TypeError: lr must be a real number, got str '0.1'
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    try:
        return float(value)
    except OverflowError:
        # a Python int (or Fraction) beyond float64's range, e.g. 10**400
        raise ValueError(
            f"{name} must fit in a float64 (|{name}| <= {sys.float_info.max:.4g}), "
            f"got a number of about 10**{int(math.log10(abs(int(value))))}"
        ) from None


def check_finite(name: str, value: Any) -> float:
    """Return ``value`` as a float; raise ``ValueError`` if it is NaN or infinite.

    >>> check_finite("x", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: x must be finite, got nan
    """
    x = check_real(name, value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x}")
    return x


def check_positive(name: str, value: Any) -> float:
    """Return ``value`` as a float; raise unless it is finite and > 0.

    >>> check_positive("h", 0.0)
    Traceback (most recent call last):
    ...
    ValueError: h must be positive, got 0.0
    """
    x = check_finite(name, value)
    if x <= 0:
        raise ValueError(f"{name} must be positive, got {x}")
    return x


def check_nonnegative(name: str, value: Any) -> float:
    """Return ``value`` as a float; raise unless it is finite and >= 0.

    >>> check_nonnegative("weight_decay", -1e-4)
    Traceback (most recent call last):
    ...
    ValueError: weight_decay must be non-negative, got -0.0001
    """
    x = check_finite(name, value)
    if x < 0:
        raise ValueError(f"{name} must be non-negative, got {x}")
    return x


def check_int(name: str, value: Any, minimum: int | None = None) -> int:
    """Return ``value`` as an int; raise unless it is an integer (not a bool) >= ``minimum``.

    >>> check_int("steps", 2.5)
    Traceback (most recent call last):
    ...
    TypeError: steps must be an integer, got float 2.5
    >>> check_int("steps", -1, minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: steps must be >= 0, got -1
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    n = int(value)
    if minimum is not None and n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    return n


def check_in_unit_interval(name: str, value: Any) -> float:
    """Return ``value`` as a float; raise unless ``0 <= value < 1`` (e.g. a beta of Adam).

    >>> check_in_unit_interval("beta2", 1.0)
    Traceback (most recent call last):
    ...
    ValueError: beta2 must be in [0, 1), got 1.0
    """
    x = check_finite(name, value)
    if not 0.0 <= x < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {x}")
    return x


def check_callable(name: str, value: Any) -> Any:
    """Return ``value``; raise ``TypeError`` if it is not callable.

    >>> check_callable("f", 3)
    Traceback (most recent call last):
    ...
    TypeError: f must be callable, got int
    """
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    return value


def check_float64_array(name: str, value: Any, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a float64 array; refuse lower precision and non-finite entries.

    Python numbers, lists and integer arrays are converted to float64. A float16
    or float32 array is refused: finite differences in single precision are
    dominated by round-off, so a silent upcast would hide a real problem.

    >>> check_float64_array("x", [1, 2]).dtype
    dtype('float64')
    >>> check_float64_array("x", np.ones(2, dtype=np.float32))
    Traceback (most recent call last):
    ...
    TypeError: x must be float64, got float32 (single precision makes finite differences
    unreliable; use x.astype(np.float64))
    """
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.dtype != np.float64:
        raise TypeError(
            f"{name} must be float64, got {value.dtype} (single precision makes finite "
            f"differences unreliable; use {name}.astype(np.float64))"
        )
    if value is None:  # np.asarray(None, dtype=float) would be NaN
        raise TypeError(f"{name} must be an array of real numbers, got None")
    if isinstance(value, (bool, np.bool_)) or (
        isinstance(value, np.ndarray) and value.dtype == np.bool_
    ):
        raise TypeError(f"{name} must be an array of real numbers, got booleans")
    if isinstance(value, np.ndarray) and value.dtype.kind == "c":
        raise TypeError(f"{name} must be real, got complex dtype {value.dtype}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except OverflowError:
        raise ValueError(
            f"{name} must contain only numbers that fit in a float64 "
            f"(|x| <= {sys.float_info.max:.4g})"
        ) from None
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be an array of real numbers, got {type(value).__name__}"
        ) from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def check_writable_float64_array(name: str, value: Any, purpose: str) -> np.ndarray:
    """Return ``value`` itself if it is a writable, finite float64 ndarray; raise otherwise.

    For arrays a function modifies in place (an optimizer's parameters,
    gradients clipped in place, parameters perturbed by a gradient check):
    nothing is converted, because a converted copy would be modified instead
    of the caller's array. ``purpose`` completes the messages, e.g. ``"the
    optimizer updates it in place"``.

    >>> w = np.zeros(2)
    >>> check_writable_float64_array("w", w, "it is updated in place") is w
    True
    >>> check_writable_float64_array("w", [0.0], "it is updated in place")
    Traceback (most recent call last):
    ...
    TypeError: w must be a float64 NumPy array (it is updated in place), got list
    >>> check_writable_float64_array("w", np.zeros(2, np.float32), "it is updated in place")
    Traceback (most recent call last):
    ...
    TypeError: w must be float64, got float32 (it is updated in place: use w.astype(np.float64)
    and keep a reference to the new array)
    """
    if not isinstance(value, np.ndarray):
        raise TypeError(
            f"{name} must be a float64 NumPy array ({purpose}), got {type(value).__name__}"
        )
    if value.dtype != np.float64:
        hint = (
            f" ({purpose}: use {name}.astype(np.float64) and keep a reference to the new array)"
            if value.dtype.kind == "f"
            else ""
        )
        raise TypeError(f"{name} must be float64, got {value.dtype}{hint}")
    if not value.flags.writeable:
        raise ValueError(f"{name} is read-only, but {purpose}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{name} must contain only finite values")
    return value


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` as a bool; raise ``TypeError`` unless it is ``True`` or ``False``.

    NumPy booleans are accepted; ``0``, ``1`` and strings are not (``"no"``
    would otherwise count as true).

    >>> check_bool("shuffle", np.bool_(True))
    True
    >>> check_bool("shuffle", 1)
    Traceback (most recent call last):
    ...
    TypeError: shuffle must be a bool (True or False), got int 1
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be a bool (True or False), got {type(value).__name__} {value!r}"
        )
    return bool(value)


def check_seed(name: str, value: Any) -> np.random.Generator:
    """A NumPy ``Generator``: ``default_rng(value)`` for an integer seed >= 0, or ``value`` itself.

    A Generator passed in is returned as is (not copied), so that several
    calls can share one stream of random numbers.

    >>> rng = np.random.default_rng(0)
    >>> check_seed("seed", rng) is rng
    True
    >>> float(check_seed("seed", 7).random()) == float(np.random.default_rng(7).random())
    True
    >>> check_seed("seed", -1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be >= 0, got -1
    """
    if isinstance(value, np.random.Generator):
        return value
    return np.random.default_rng(check_int(name, value, minimum=0))


def check_choice(name: str, value: Any, choices: Sequence[Any]) -> Any:
    """Return ``value``; raise ``ValueError`` unless it is one of ``choices``.

    >>> check_choice("scheme", "sideways", ["forward", "central"])
    Traceback (most recent call last):
    ...
    ValueError: scheme must be one of 'forward', 'central'; got 'sideways'
    """
    if isinstance(value, np.ndarray):
        raise TypeError(
            f"{name} must be one of {', '.join(repr(c) for c in choices)}; got an array"
        )
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def callable_name(f: Any) -> str:
    """A short human-readable name of a callable, for error messages.

    >>> callable_name(math.exp), callable_name(lambda t: t)
    ('exp', '<lambda>')
    """
    name = getattr(f, "__qualname__", None) or getattr(f, "__name__", None)
    return name if isinstance(name, str) else repr(f)


def check_scalar_result(who: str, value: Any, where: str) -> float:
    """Return what a callable returned as a float; raise unless it is a finite real scalar.

    ``who`` names the callable (``"f (exp)"``, ``"loss_fn (loss)"``) and
    ``where`` the point it was called at (``"at x = 1.0"``). A 0-d array or
    a NumPy scalar counts as a scalar.

    >>> check_scalar_result("f (sq)", np.float64(4.0), "at x = 2.0")
    4.0
    >>> check_scalar_result("f (sq)", np.array([1.0, 4.0]), "at x = 2.0")
    Traceback (most recent call last):
    ...
    ValueError: f (sq) must return a scalar, got an array of shape (2,) at x = 2.0
    >>> check_scalar_result("f (log)", float("-inf"), "at x = 0.0")
    Traceback (most recent call last):
    ...
    ValueError: f (log) returned -inf at x = 0.0; it must be finite there
    """
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"{who} must return a real number, got {type(value).__name__} {value!r} {where}"
        )
    if arr.ndim != 0:
        raise ValueError(f"{who} must return a scalar, got an array of shape {arr.shape} {where}")
    result = float(arr)
    if not math.isfinite(result):
        raise ValueError(f"{who} returned {result} {where}; it must be finite there")
    return result


MAX_COUNT = 10**7
"""Default upper bound of :func:`check_count`: no cell of the book needs more."""


def check_count(name: str, value: Any, minimum: int = 1, maximum: int = MAX_COUNT) -> int:
    """Return ``value`` as an int; raise unless it is an integer in ``[minimum, maximum]``.

    For sizes and counts (samples, steps, widths): without an upper bound,
    ``2**63`` or ``10**400`` would hang or fail deep inside NumPy.

    >>> check_count("steps", 10**400, maximum=10**6)
    Traceback (most recent call last):
    ...
    ValueError: steps must be <= 1000000 (a larger value is beyond what this book needs),
    got about 10**400
    """
    n = check_int(name, value, minimum=minimum)
    if n > maximum:
        shown = str(n) if n < 10**20 else f"about 10**{int(math.log10(n))}"
        raise ValueError(
            f"{name} must be <= {maximum} (a larger value is beyond what this book needs), "
            f"got {shown}"
        )
    return n
