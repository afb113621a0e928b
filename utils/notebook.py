"""Helpers for the book's notebooks (the top layer: imports IPython lazily, MyST-NB never).

:func:`glue` hands a computed value to MyST-NB so that the prose of the HTML
book can show it (``{glue:text}`name:.3f```). Where MyST-NB is not installed
(Colab, a bare Python) it does nothing, so a notebook runs everywhere.
"""

from __future__ import annotations

import importlib.util
import numbers
from typing import Any

import numpy as np

__all__ = ["glue", "plain"]

#: The prefix of the MIME types under which MyST-NB reads a glued value back
#: (``myst_nb.ext.glue.GLUE_PREFIX``, MyST-NB 1.x).
GLUE_PREFIX = "application/papermill.record/"


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

    Records what :func:`myst_nb.glue` records (see :func:`_record`), with two
    differences: (i) NumPy scalars become Python numbers (see :func:`plain`)
    and (ii) it is a no-op where MyST-NB is not installed, as in Colab.

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
    Here the recording (:func:`_record`) is replaced by a stand-in that
    prints what it receives. In a kernel it receives a Python number (whose
    repr a format spec can read back), not the NumPy scalar:

    >>> from unittest import mock
    >>> show = lambda *args: print(args)
    >>> with mock.patch("IPython.get_ipython", return_value=object()):
    ...     with mock.patch("utils.notebook._record", show):
    ...         glue("answer", np.float64(0.25))
    ('answer', 0.25, False)

    Outside IPython (a script, this doctest) nothing is recorded:

    >>> with mock.patch("utils.notebook._record", show):
    ...     glue("answer", np.float64(0.25))
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be an identifier-like string, got {name!r}")
    if importlib.util.find_spec("myst_nb") is None:  # Colab or a bare Python: no prose built
        return None
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - myst_nb depends on IPython
        return None
    if get_ipython() is None:  # a plain script or a doctest: nothing to glue into
        return None
    shown = plain(value) if isinstance(value, (numbers.Number, np.generic)) else value
    _record(name, shown, display)
    return None


def _record(name: str, value: Any, display: bool) -> None:
    """Display ``value`` as :func:`myst_nb.glue` does (MyST-NB 1.x), without importing MyST-NB.

    The display formats of ``value`` go under MIME types prefixed with
    :data:`GLUE_PREFIX` (unprefixed if ``display``), and ``name`` into the
    output's metadata: where MyST-NB finds glued values when it builds the book. Importing MyST-NB
    would import nbformat and jsonschema, about a second in a fresh kernel,
    which the first ``glue`` of every chapter waited for.
    ``tests/unit/test_notebook.py`` checks, in an IPython shell, that the
    output is the one :func:`myst_nb.glue` makes.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    mimebundle, metadata = format_display_data(value)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=prefix)
    ipy_display({prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)
