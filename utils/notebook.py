"""Helpers for the book's notebooks (the top layer: imports IPython/MyST-NB lazily).

:func:`glue` hands a computed value to MyST-NB so that the prose of the HTML
book can show it (``{glue:text}`name:.3f```). Where MyST-NB is not installed
(Colab, a bare Python) it does nothing, so a notebook runs everywhere.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["glue", "plain"]


def plain(value: Any) -> Any:
    """Convert NumPy scalars to the Python numbers a format spec expects.

    MyST-NB formats a glued value with ``format(value, spec)`` after reading it
    back from its ``repr``; a NumPy 2 scalar's repr is ``np.float64(0.25)``,
    which breaks that. Python numbers do not.

    Examples
    --------
    >>> plain(np.float64(0.25)), plain(np.int64(3)), plain("text")
    (0.25, 3, 'text')
    """
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return value.item()
    return value


def glue(name: str, value: Any, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's prose.

    A thin wrapper of :func:`myst_nb.glue` that (i) converts NumPy scalars to
    Python numbers (see :func:`plain`) and (ii) is a no-op where MyST-NB is not
    installed, as in Colab.

    Parameters
    ----------
    name : str
        The key used in the prose, e.g. ``{glue:text}`fd_error:.1e```.
    value : object
        A number, a string, or a matplotlib figure.
    display : bool, optional
        Also display the value in the notebook (default ``False``).

    Returns
    -------
    None
        Like :func:`myst_nb.glue`, so that a ``glue`` call at the end of a
        cell adds no output.

    Examples
    --------
    Here ``myst_nb.glue`` is replaced by a stand-in that prints what it
    receives. In a kernel, MyST-NB receives a Python number (whose repr a
    format spec can read back), not the NumPy scalar:

    >>> from unittest import mock
    >>> show = lambda *args, **kwargs: print(args, kwargs)
    >>> with mock.patch("IPython.get_ipython", return_value=object()):
    ...     with mock.patch("myst_nb.glue", show):
    ...         glue("answer", np.float64(0.25))
    ('answer', 0.25) {'display': False}

    Outside IPython (a script, this doctest) MyST-NB receives nothing:

    >>> with mock.patch("myst_nb.glue", show):
    ...     glue("answer", np.float64(0.25))
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be an identifier-like string, got {name!r}")
    try:
        from myst_nb import glue as _myst_glue
    except ImportError:  # Colab or a bare Python: the prose is not being built here
        return None
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - myst_nb depends on IPython
        return None
    if get_ipython() is None:  # a plain script or a doctest: nothing to glue into
        return None
    shown = plain(value) if isinstance(value, (numbers.Number, np.generic)) else value
    _myst_glue(name, shown, display=display)
    return None
