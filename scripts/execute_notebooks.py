#!/usr/bin/env python3
"""Execute the book's notebooks in place, as they are committed.

Each notebook runs top to bottom in a fresh kernel, with ``chapters/`` as the
working directory, and is saved with its outputs and its widget state (the
state is what lets the HTML book render widgets without a kernel). Cell
timings are not recorded, so re-executing an unchanged notebook gives an
identical file (widget model ids are renamed in creation order). The time each
notebook took is printed: the budget is 10 s.

Usage::

    python scripts/execute_notebooks.py                 # every notebook in chapters/
    python scripts/execute_notebooks.py chapters/01_derivatives.ipynb
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
BUDGET_SECONDS = 10.0


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    if not _has_widget_views(nb):
        nb.metadata.pop("widgets", None)
    nbformat.write(_stable_widget_ids(nb, path.stem), path)
    return elapsed


def _stable_widget_ids(nb, stem: str):
    """Replace the random widget model ids by ids derived from the creation order.

    ipywidgets names each model with a random UUID, so every execution would
    rewrite the whole widget state of a notebook. Renaming the models in order
    of creation makes re-executing an unchanged notebook give an identical file.
    """
    state = (
        nb.metadata.get("widgets", {})
        .get("application/vnd.jupyter.widget-state+json", {})
        .get("state")
    )
    if not state:
        return nb
    text = nbformat.writes(nb)
    for i, old in enumerate(list(state)):
        new = hashlib.md5(f"{stem}/{i}".encode()).hexdigest()
        text = text.replace(old, new)
    return nbformat.reads(text, as_version=4)


def _has_widget_views(nb) -> bool:
    return any(
        "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )


def main(argv: list[str]) -> int:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    paths = [Path(a).resolve() for a in argv] or sorted(CHAPTERS.glob("*.ipynb"))
    slow = []
    for path in paths:
        seconds = execute(path)
        flag = "" if seconds < BUDGET_SECONDS else f"  <-- over the {BUDGET_SECONDS:.0f} s budget"
        print(f"{seconds:6.2f} s  {path.relative_to(ROOT)}{flag}")
        if flag:
            slow.append(path)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
