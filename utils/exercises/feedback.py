"""Feedback on the book's code exercises: which case fails, expected against got, a hint.

Every chapter's code exercises end with a call to a checker, e.g.
``check_nesterov_step(nesterov_step)``. A checker runs the reader's function on
a few cases (or inspects the value they computed) and returns a
:class:`Feedback`, whose text says, case by case, what passed, what failed,
what was expected and what came back, with a hint for each failure. A stub
the reader has not filled in (it still raises ``NotImplementedError``, or the
answer is still ``...``) gets "not attempted yet", never a traceback, so a
notebook runs cleanly as it ships. The chapters' checkers live beside this
module, one module per chapter (:mod:`utils.exercises.derivatives` and so on).
"""

from __future__ import annotations

import cmath
import copy
import numbers
import os
import site
import sysconfig
import textwrap
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import check_nonnegative

__all__ = [
    "NOT_ATTEMPTED",
    "CaseResult",
    "Feedback",
    "Case",
    "compare",
    "run_cases",
    "check_value",
    "not_attempted",
    "is_unanswered",
]

#: the status of an exercise whose stub is still as it ships
NOT_ATTEMPTED = "not attempted yet"
_LINE = 79  # characters per line of the feedback (a notebook code line)
_INDENT = "      "  # a failing case's detail and hint sit under its name
_WIDTH = _LINE - len(_INDENT)  # characters per line of a detail
_LABEL = "expected "  # "expected " and "got      " align the two values
_MAX_ARRAY_LINES = 8  # a printed array longer than this is summarised


def _check_str(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__} {value!r}")
    return value


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case of a checker.

    Attributes
    ----------
    name : str
        What the case tries, in a few words ("one step from rest").
    passed : bool
        Whether the reader's answer matched.
    detail : str
        For a failure: expected against got (empty when it passed).
    hint : str
        For a failure: what to look at (empty when it passed).

    See Also
    --------
    Feedback : the outcomes of all the cases of one exercise.

    Examples
    --------
    >>> CaseResult("zero input", passed=False, detail="expected 1.0, got 0.0",
    ...            hint="sigmoid(0) is 1/2, its derivative 1/4").passed
    False
    """

    name: str
    passed: bool
    detail: str = ""
    hint: str = ""

    def __post_init__(self) -> None:
        _check_str("name", self.name)
        if not isinstance(self.passed, (bool, np.bool_)):
            raise TypeError(
                f"passed must be True or False, got {type(self.passed).__name__} {self.passed!r}"
            )
        object.__setattr__(self, "passed", bool(self.passed))
        _check_str("detail", self.detail)
        _check_str("hint", self.hint)


def _wrap(text: str, indent: str, follow: str) -> list[str]:
    """``text`` cut into lines of at most ``_LINE`` characters, its own line breaks kept."""
    lines = []
    for k, row in enumerate(text.splitlines() or [""]):
        first = indent if k == 0 else follow
        if len(first + row) <= _LINE:  # kept as it is (an array's columns stay aligned)
            lines.append((first + row).rstrip())
            continue
        lines += textwrap.wrap(
            row,
            _LINE,
            initial_indent=first,
            subsequent_indent=follow + "  ",
            break_long_words=True,
            break_on_hyphens=False,
        ) or [first.rstrip()]
    return lines


@dataclass(frozen=True)
class Feedback:
    """What a checker says about one exercise: a status and the case-by-case outcomes.

    Printed (it is the value a checker returns, so a notebook shows it), it
    reads as a short report in plain text, lines of at most 79 characters:
    one line per case, marked in words as well as with a sign
    (``✓ pass`` or ``✗ FAIL``, so a screen reader says it too), and for each
    failing case the expected and the received value and a hint. A notebook
    shows it as ``text/plain`` only: nbval compares that text, and an HTML
    rendering would be a second output to keep in step.

    Attributes
    ----------
    exercise : str
        The exercise's label in the book (e.g. ``"ex-gd-largest-rate"``).
    cases : tuple of CaseResult
        The outcome of each case, in the order they ran (empty when the
        exercise was not attempted).
    attempted : bool
        False while the stub is as it ships.
    note : str
        A line shown under the status (e.g. why no case could run).

    See Also
    --------
    run_cases : builds a Feedback from the reader's function and the cases.

    Examples
    --------
    >>> fb = Feedback("ex-demo", (CaseResult("a", True), CaseResult("b", True)))
    >>> fb.passed, fb.status
    (True, 'passed')
    >>> print(fb)
    ex-demo: passed, all 2 checks.
      ✓ pass: a
      ✓ pass: b
    >>> print(not_attempted("ex-demo"))
    ex-demo: not attempted yet.
      Fill in the stub above and run the cell again.
    """

    exercise: str
    cases: tuple[CaseResult, ...] = ()
    attempted: bool = True
    note: str = ""

    def __post_init__(self) -> None:
        _check_str("exercise", self.exercise)
        if isinstance(self.cases, (str, bytes)) or not isinstance(self.cases, Sequence):
            raise TypeError(f"cases must be a tuple of CaseResult, got {type(self.cases).__name__}")
        for k, case in enumerate(self.cases):
            if not isinstance(case, CaseResult):
                raise TypeError(
                    f"cases[{k}] must be a CaseResult, got {type(case).__name__} {case!r}"
                )
        object.__setattr__(self, "cases", tuple(self.cases))
        if not isinstance(self.attempted, (bool, np.bool_)):
            raise TypeError(f"attempted must be True or False, got {self.attempted!r}")
        object.__setattr__(self, "attempted", bool(self.attempted))
        _check_str("note", self.note)

    @property
    def passed(self) -> bool:
        """True when the exercise was attempted and every case passed."""
        return self.attempted and bool(self.cases) and all(c.passed for c in self.cases)

    @property
    def status(self) -> str:
        """``"passed"``, ``"failed"`` or ``"not attempted yet"``."""
        if not self.attempted:
            return NOT_ATTEMPTED
        return "passed" if self.passed else "failed"

    def __str__(self) -> str:
        if not self.attempted:
            lines = [
                f"{self.exercise}: {NOT_ATTEMPTED}.",
                "  Fill in the stub above and run the cell again.",
            ]
            return "\n".join(lines + (_wrap(self.note, "  ", "  ") if self.note else []))
        n_ok = sum(c.passed for c in self.cases)
        n = len(self.cases)
        if n == 1:
            head = f"{self.exercise}: {self.status} (1 check)."
        elif self.passed:
            head = f"{self.exercise}: passed, all {n} checks."
        else:
            head = f"{self.exercise}: {n_ok} of {n} checks pass."
        lines = [head] + (_wrap(self.note, "  ", "  ") if self.note else [])
        for case in self.cases:
            mark = "✓ pass" if case.passed else "✗ FAIL"
            lines += _wrap(f"{mark}: {case.name}", "  ", "    ")
            if not case.passed:
                lines += _wrap(case.detail, _INDENT, _INDENT) if case.detail else []
                if case.hint:
                    lines += _wrap(f"hint: {case.hint}", _INDENT, _INDENT + "    ")
        return "\n".join(lines)

    __repr__ = __str__


@dataclass(frozen=True)
class Case:
    """One case a checker runs: arguments, the expected result, and a hint if it fails.

    Attributes
    ----------
    name : str
        What the case tries, in a few words.
    args : tuple
        Positional arguments for the reader's function (deep-copied before
        each call, so a function that modifies its input cannot spoil the
        next case; they must therefore support :func:`copy.deepcopy`).
    expected : object
        The right result: a number, a bool, an array, a string, ``None``,
        or a tuple or list of these (compared item by item); see
        :func:`compare`.
    hint : str
        What to look at when this case fails.
    rtol, atol : float
        Tolerances for numbers and arrays (``numpy.isclose``'s meaning).

    See Also
    --------
    run_cases : runs a list of cases.

    Examples
    --------
    >>> Case("double 2", (2.0,), 4.0, hint="multiply by two").args
    (2.0,)
    >>> Case("double 2", 2.0, 4.0)
    Traceback (most recent call last):
    ...
    TypeError: args must be a tuple, got float 2.0 (one argument x is written (x,))
    """

    name: str
    args: tuple
    expected: Any
    hint: str = ""
    rtol: float = 1e-9
    atol: float = 1e-12

    def __post_init__(self) -> None:
        _check_str("name", self.name)
        if not isinstance(self.args, tuple):
            raise TypeError(
                f"args must be a tuple, got "
                f"{type(self.args).__name__} {self.args!r} (one argument x is written (x,))"
            )
        _check_str("hint", self.hint)
        check_nonnegative("rtol", self.rtol)
        check_nonnegative("atol", self.atol)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _show_array(value: np.ndarray) -> str:
    """An array as NumPy prints it, continuation lines aligned under ``_LABEL``."""
    for edge in (3, 1):
        text = np.array2string(
            value,
            precision=6,
            max_line_width=_WIDTH,
            threshold=12,
            edgeitems=edge,
            prefix=" " * len(_LABEL),
        )
        if text.count("\n") < _MAX_ARRAY_LINES:
            return text
    return f"an array of shape {value.shape} ({value.dtype})"


def _show(value: Any, width: int = _WIDTH - len(_LABEL)) -> str:
    """A short, page-width rendering of a value for the feedback text."""
    if isinstance(value, np.ndarray):
        return _show_array(value)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (numbers.Integral, np.integer)):
        return _fit(str(int(value)), width)
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.10g}"
        return text if any(c in text for c in ".einn") else text + ".0"
    if isinstance(value, (complex, np.complexfloating)):
        return repr(complex(value))
    return _fit(repr(value), width)


def _full(number: Any) -> str:
    """Every digit of a number (its shortest round-trip form)."""
    if isinstance(number, (numbers.Integral, np.integer)):
        return str(int(number))
    if isinstance(number, (numbers.Real, np.floating)):
        return repr(float(number))
    return repr(complex(number))


def _two(expected: Any, got: Any) -> str:
    """``expected ...`` over ``got ...``, at full precision when the short forms agree."""
    shown = _show(expected), _show(got)
    if shown[0] == shown[1] and _is_number(expected) and _is_number(got):
        shown = _full(expected), _full(got)
    return f"{_LABEL}{shown[0]}\ngot      {shown[1]}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (numbers.Number, np.number)) and not isinstance(
        value, (bool, np.bool_)
    )


def _items(n: int) -> str:
    return "1 item" if n == 1 else f"{n} items"


def _kind(value: Any) -> str:
    """What ``value`` is, for a message: its type and, for a container, its size."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {_items(len(value))}"
    return "None" if value is None else f"{type(value).__name__} {_show(value)}"


def _low_precision(got: Any) -> str:
    dtype = getattr(got, "dtype", None)
    if (
        dtype is not None
        and dtype.kind in "fc"
        and dtype.itemsize < (8 if dtype.kind == "f" else 16)
    ):
        return f"\n(your result is {dtype}: compute in float64 for this precision)"
    return ""


def _compare_numbers(expected: Any, got: Any, rtol: float, atol: float) -> str | None:
    dtype_of = got
    if isinstance(got, np.ndarray):
        if got.size != 1:
            return f"expected a number, got {_kind(got)}"
        got = got.item()
    if not _is_number(got):
        return f"expected a number, got {_kind(got)}"
    integral = (numbers.Integral, np.integer)
    real = (numbers.Real, np.floating, np.integer)
    if isinstance(expected, integral) and isinstance(got, integral):
        same = int(expected) == int(got)  # exact, even beyond float64's range
    else:
        try:
            if isinstance(expected, real) and isinstance(got, real):
                e, g = float(expected), float(got)
            else:  # complex on at least one side
                e, g = complex(expected), complex(got)
        except OverflowError:  # an integer beyond float64's range against a float
            return f"expected {_show(expected)}\ngot      {_show(got)}"
        same = (cmath.isnan(e) and cmath.isnan(g)) or cmath.isclose(
            g, e, rel_tol=rtol, abs_tol=atol
        )
    return None if same else _two(expected, got) + _low_precision(dtype_of)


def _compare_arrays(expected: np.ndarray, got: Any, rtol: float, atol: float) -> str | None:
    try:
        arr = np.asarray(got)
    except (TypeError, ValueError):  # e.g. a ragged list
        return f"expected an array of shape {expected.shape}, got {_show(got)}"
    if arr.shape != expected.shape:
        if arr.ndim == 0:
            return f"expected an array of shape {expected.shape}, got a single value, {_show(got)}"
        text = f"expected an array of shape {expected.shape}, got shape {arr.shape}"
        if arr.size == expected.size:
            text += "\n(the same number of entries, arranged differently)"
        return text
    if expected.dtype.kind not in "biufc":  # objects, strings: entry by entry
        for index in np.ndindex(expected.shape):
            found = _diff(expected[index], arr[index], rtol, atol)
            if found is not None:
                where = index if len(index) > 1 else index[0]
                return f"entry {where}:\n{_join(found)}"
        return None
    if arr.dtype.kind not in "biufc":
        try:
            arr = arr.astype(complex if "c" in (arr.dtype.kind, expected.dtype.kind) else float)
        except (TypeError, ValueError, OverflowError):
            return f"expected an array of numbers, got an array of {arr.dtype}: {_show(arr)}"
    if expected.dtype.kind == "b" or arr.dtype.kind == "b":
        close = np.asarray(arr == expected)
    else:
        close = np.isclose(arr, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if arr.ndim == 0:
        return _two(expected[()], arr[()]) + _low_precision(arr)
    wide = complex if "c" in (arr.dtype.kind, expected.dtype.kind) else float
    gap = np.abs(arr.astype(wide) - expected.astype(wide))
    gap = np.where(np.isnan(gap), np.inf, gap)
    gap = np.where(close, -1.0, gap)
    worst = np.unravel_index(int(np.argmax(gap)), arr.shape)
    where = int(worst[0]) if arr.ndim == 1 else tuple(int(i) for i in worst)
    summary = (
        f"{int((~close).sum())} of {arr.size} entries differ; the largest difference is "
        f"at index {where}: expected {_show(expected[worst][()])}, got {_show(arr[worst][()])}"
    )
    return f"{_two(expected, arr)}\n{summary}{_low_precision(arr)}"


def _join(found: tuple[tuple[int, ...], str]) -> str:
    """``item 1: message``; ``expected``/``got`` start a new line, to stay aligned."""
    path, message = found
    if not path:
        return message
    where = f"item {path[0]}" if len(path) == 1 else f"item {''.join(f'[{k}]' for k in path)}"
    sep = "\n" if "\n" in message else " "
    return f"{where}:{sep}{message}"


def _diff(expected: Any, got: Any, rtol: float, atol: float) -> tuple[tuple[int, ...], str] | None:
    """Where ``got`` first differs from ``expected`` (the item's index path) and how."""
    if got is None and expected is not None:
        return (), "got None: did a function forget to `return` its result?"
    if isinstance(got, Iterator) and not isinstance(expected, Iterator):
        return (), (
            f"got a {type(got).__name__} object, not its values: return a list, "
            "a tuple or an array (and use `return`, not `yield`)"
        )
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            shown = f": {_show(got)}" if isinstance(got, (tuple, list)) else ""
            return (), (
                f"expected a {type(expected).__name__} of {_items(len(expected))}, "
                f"got {_kind(got)}{shown}"
            )
        for k, (e, g) in enumerate(zip(expected, got, strict=True)):
            found = _diff(e, g, rtol, atol)
            if found is not None:
                return (k, *found[0]), found[1]
        return None
    if isinstance(expected, np.ndarray):
        found = _compare_arrays(expected, got, rtol, atol)
    elif isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            found = f"expected True or False, got {_kind(got)}"
        else:
            found = None if bool(got) == bool(expected) else _two(expected, got)
    elif _is_number(expected):
        found = _compare_numbers(expected, got, rtol, atol)
    elif isinstance(expected, str):
        if not isinstance(got, str):
            found = f"expected a string, got {_kind(got)}"
        elif got == expected:
            found = None
        else:
            at = next(
                (k for k, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b), None
            )
            at = min(len(expected), len(got)) if at is None else at
            found = _two(expected, got)
            if max(len(expected), len(got)) > 20:  # long strings: say where to look
                found += f"\n(they first differ at character {at})"
    else:
        try:
            same = bool(got == expected)
        except Exception:  # e.g. an array compared with a dict: not equal
            same = False
        found = None if same else _two(expected, got)
    return None if found is None else ((), found)


def compare(expected: Any, got: Any, *, rtol: float = 1e-9, atol: float = 1e-12) -> str | None:
    """Say how ``got`` differs from ``expected``, or return None when they match.

    Numbers (Python or NumPy, real or complex; a one-entry array counts as
    its entry) and numeric arrays match within the tolerances, shapes first
    (a ``(3, 1)`` array is not a ``(3,)`` one); NaN matches NaN where
    ``expected`` has it, and infinities match infinities of the same sign.
    Integers match integers exactly. ``True`` and ``False`` match only bools;
    tuples and lists match item by item (either kind for either); strings,
    object arrays and anything else must be equal. It never raises on what
    the reader returned.

    Parameters
    ----------
    expected : object
        The right value.
    got : object
        The reader's value.
    rtol, atol : float, optional
        Relative and absolute tolerance, as in ``numpy.isclose``.

    Returns
    -------
    str or None
        A one- or few-line description of the difference, for the feedback
        (a printed array fits 73 characters a line, and at most 8 lines;
        :class:`Feedback` wraps any longer line to 79).

    Raises
    ------
    TypeError, ValueError
        If ``rtol`` or ``atol`` is not a non-negative finite number.

    See Also
    --------
    run_cases : uses it for every case.

    Examples
    --------
    >>> compare(0.25, 0.25) is None
    True
    >>> print(compare(np.zeros(3), np.zeros((3, 1))))
    expected an array of shape (3,), got shape (3, 1)
    (the same number of entries, arranged differently)
    >>> print(compare(1.0, 1.5))
    expected 1.0
    got      1.5
    >>> print(compare((1.0, [2.0, 3.0]), (1.0, [2.0, 4.0])))
    item [1][1]:
    expected 3.0
    got      4.0
    >>> print(compare((1.0, 2.0), (None, 2.0)))
    item 0: got None: did a function forget to `return` its result?
    >>> compare(float("nan"), np.nan) is None
    True
    """
    check_nonnegative("rtol", rtol)
    check_nonnegative("atol", atol)
    found = _diff(expected, got, rtol, atol)
    return None if found is None else _join(found)


def is_unanswered(answer: Any) -> bool:
    """Whether ``answer`` is still the stub's placeholder, ``...``.

    ``None`` is an answer: a function that forgot its ``return`` gives it,
    and the feedback says so rather than "not attempted yet".

    Parameters
    ----------
    answer : object
        The reader's answer.

    Returns
    -------
    bool
        True for ``...`` only.

    See Also
    --------
    check_value : reports "not attempted yet" for such an answer.

    Examples
    --------
    >>> is_unanswered(...), is_unanswered(0.0), is_unanswered(None)
    (True, False, False)
    """
    return answer is ...


def not_attempted(exercise: str) -> Feedback:
    """The feedback for a stub that is still as it ships.

    Parameters
    ----------
    exercise : str
        The exercise's label.

    Returns
    -------
    Feedback
        Status "not attempted yet", no cases.

    See Also
    --------
    run_cases, check_value : return it for an unfilled stub.

    Examples
    --------
    >>> not_attempted("ex-demo").status
    'not attempted yet'
    """
    return Feedback(exercise, attempted=False)


def _raised(error: Exception, candidate: Any) -> str:
    """``raised ValueError: message``, and the reader's line that raised it when known.

    The line is the last one of the traceback in the file of ``candidate``
    (the reader's function); when ``candidate`` is a checker's own wrapper
    around the reader's function, the last line that is not in this package,
    the standard library or an installed package.
    """
    try:
        message = str(error).strip()
    except Exception:  # an exception whose message itself fails
        message = ""
    lines = message.splitlines()
    text = f"raised {type(error).__name__}" + (f": {lines[0]}" if lines else "")
    if len(lines) > 1:
        text += " ..."
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _is_readers(f.filename)]
    code = getattr(candidate, "__code__", None)
    own = [f for f in frames if code is not None and f.filename == code.co_filename]
    mine = own or frames
    if mine and mine[-1].line:
        text += f"\nin the line: {_fit(mine[-1].line.strip(), _WIDTH - 13)}"
    return text


#: where code that is not the reader's lives: this package (a checker's own
#: wrapper around the reader's function), the standard library, installed packages
_NOT_READERS = tuple(
    os.path.join(os.path.realpath(d), "")
    for d in {
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        *(sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")),
        *site.getsitepackages(),
        site.getusersitepackages(),
    }
)


def _is_readers(filename: str) -> bool:
    """Whether a traceback frame's file is the reader's code (a cell, a script, a doctest)."""
    if filename.startswith("<frozen"):
        return False
    if filename.startswith("<"):  # a doctest, an exec'd string: the reader's
        return True
    return not os.path.join(os.path.realpath(filename), "").startswith(_NOT_READERS)


def run_cases(exercise: str, candidate: Any, cases: Sequence[Case]) -> Feedback:
    """Run the reader's function on each case and compare with the expected result.

    A case whose call raises an :class:`Exception` gets the exception's type
    and message (and the line of the reader's function that raised it) as
    its detail, never a traceback; a function that raises
    ``NotImplementedError`` in every case (the stub as it ships) gets "not
    attempted yet" for the whole exercise. ``KeyboardInterrupt`` and
    ``SystemExit`` are not caught: interrupting the kernel stops a function
    that runs for ever (the checker sets no time limit). Each case gets a
    fresh deep copy of its arguments, so a function that modifies its input
    affects only its own case. What the function prints appears above the
    feedback.

    Parameters
    ----------
    exercise : str
        The exercise's label.
    candidate : callable
        The reader's function (``...`` counts as not attempted).
    cases : sequence of Case
        What to try, in order (at least one case).

    Returns
    -------
    Feedback
        One :class:`CaseResult` per case.

    Raises
    ------
    TypeError
        If ``exercise`` is not a string or ``cases`` is not a sequence of
        :class:`Case`.
    ValueError
        If ``cases`` is empty.

    See Also
    --------
    compare : how a result is compared with the expected one.

    Examples
    --------
    >>> cases = [Case("double 2", (2.0,), 4.0, hint="multiply by two"),
    ...          Case("double -1", (-1.0,), -2.0, hint="mind the sign")]
    >>> print(run_cases("ex-demo", lambda x: x + 2, cases))
    ex-demo: 1 of 2 checks pass.
      ✓ pass: double 2
      ✗ FAIL: double -1
          expected -2.0
          got      1.0
          hint: mind the sign
    >>> def stub(x):
    ...     raise NotImplementedError
    >>> run_cases("ex-demo", stub, cases).status
    'not attempted yet'
    """
    _check_str("exercise", exercise)
    if isinstance(cases, (str, bytes)) or not isinstance(cases, Sequence):
        raise TypeError(f"cases must be a sequence of Case, got {type(cases).__name__}")
    if not cases:
        raise ValueError("cases must hold at least one Case, got none")
    for k, case in enumerate(cases):
        if not isinstance(case, Case):
            raise TypeError(f"cases[{k}] must be a Case, got {type(case).__name__} {case!r}")
    if is_unanswered(candidate):
        return not_attempted(exercise)
    if not callable(candidate):
        detail = f"expected a function, got {_kind(candidate)}"
        return Feedback(exercise, (CaseResult("a function", False, detail),))
    results = []
    not_implemented = 0
    for case in cases:
        args = copy.deepcopy(case.args)  # a failure here is the checker's: let it raise
        try:
            got = candidate(*args)
        except Exception as error:  # the reader's code: report it, never a traceback
            not_implemented += isinstance(error, NotImplementedError)
            results.append(CaseResult(case.name, False, _raised(error, candidate), case.hint))
            continue
        found = compare(case.expected, got, rtol=case.rtol, atol=case.atol)
        results.append(
            CaseResult(case.name, found is None, found or "", case.hint if found else "")
        )
    if not_implemented == len(cases):
        return not_attempted(exercise)
    return Feedback(exercise, tuple(results))


def check_value(
    exercise: str,
    answer: Any,
    expected: Any,
    *,
    name: str = "your answer",
    hint: str = "",
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> Feedback:
    """Compare a value the reader computed with the expected one.

    Parameters
    ----------
    exercise : str
        The exercise's label.
    answer : object
        The reader's value (``...``: not attempted).
    expected : object
        The right value.
    name : str, optional
        How the feedback names the case.
    hint : str, optional
        What to look at if it does not match.
    rtol, atol : float, optional
        Tolerances, as in :func:`compare`.

    Returns
    -------
    Feedback
        One case.

    Raises
    ------
    TypeError, ValueError
        If ``exercise``, ``name`` or ``hint`` is not a string, or a tolerance
        is not a non-negative finite number.

    See Also
    --------
    run_cases : for an answer that is a function.

    Examples
    --------
    >>> check_value("ex-demo", 0.5, 0.5).passed
    True
    >>> check_value("ex-demo", ..., 0.5).status
    'not attempted yet'
    """
    _check_str("exercise", exercise)
    _check_str("name", name)
    _check_str("hint", hint)
    check_nonnegative("rtol", rtol)
    check_nonnegative("atol", atol)
    if is_unanswered(answer):
        return not_attempted(exercise)
    found = compare(expected, answer, rtol=rtol, atol=atol)
    return Feedback(
        exercise, (CaseResult(name, found is None, found or "", hint if found else ""),)
    )
