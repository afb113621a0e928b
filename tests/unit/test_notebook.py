"""utils.notebook.glue hands computed values to MyST-NB, as Python numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

IN_A_SHELL = """
import json
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
import numpy as np
import myst_nb
from utils.notebook import glue

InteractiveShell.instance()
recorded = {}
for display in (False, True):
    with capture_output() as ours:
        glue("answer", np.float64(0.25), display=display)
    with capture_output() as theirs:
        myst_nb.glue("answer", 0.25, display=display)
    recorded[str(display)] = [
        [[o.data, o.metadata] for o in c.outputs] for c in (ours, theirs)
    ]
print(json.dumps(recorded))
"""


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict:
    """What utils.notebook.glue and the real myst_nb.glue display, in a fresh IPython shell.

    Keyed by ``display`` ("False", "True"): ``[ours, myst_nb's]``, each a list of
    ``[data, metadata]`` per output. One throw-away shell serves the tests below.
    """
    home = tmp_path_factory.mktemp("ipython")
    result = subprocess.run(
        [sys.executable, "-c", IN_A_SHELL],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "",
            "PYTHONPATH": str(ROOT),
            "IPYTHONDIR": str(home),
            "HOME": str(home),
        },
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_glue_in_an_ipython_shell_records_the_python_number_under_its_name(recorded):
    [[data, metadata]] = recorded["False"][0]
    assert data == {"application/papermill.record/text/plain": "0.25"}
    assert metadata["scrapbook"]["name"] == "answer"


@pytest.mark.parametrize("display", ["False", "True"])
def test_glue_displays_what_myst_nb_glue_displays_for_the_python_number(recorded, display):
    ours, theirs = recorded[display]
    assert ours == theirs and len(ours) == 1
