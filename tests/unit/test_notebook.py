"""utils.notebook.glue hands computed values to MyST-NB, as Python numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: The kinds of value the book glues (NumPy and Python numbers) and a string, each as
#: (what glue is given, what myst_nb.glue is given): a NumPy scalar becomes a Python number.
KINDS = {
    "float": ("np.float64(0.25)", "0.25"),
    "int": ("np.int64(3)", "3"),
    "python float": ("1e-7", "1e-7"),
    "string": ("'Adam'", "'Adam'"),
}

IN_A_SHELL = f"""
import json
import sys
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
import numpy as np
import myst_nb
from utils.notebook import glue

InteractiveShell.instance()
recorded = {{}}
for kind, (ours, theirs) in {KINDS!r}.items():
    for display in (False, True):
        with capture_output() as c_ours:
            glue("answer", eval(ours), display=display)
        with capture_output() as c_theirs:
            myst_nb.glue("answer", eval(theirs), display=display)
        recorded[f"{{kind}}, display={{display}}"] = [
            [[o.data, o.metadata] for o in c.outputs] for c in (c_ours, c_theirs)
        ]
sys.modules["myst_nb"] = None  # as where MyST-NB is not installed (Colab)
with capture_output() as c_ours:
    glue("answer", 0.25)
recorded["without MyST-NB"] = [[o.data, o.metadata] for o in c_ours.outputs]
print(json.dumps(recorded))
"""


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict:
    """What utils.notebook.glue and the real myst_nb.glue display, in a fresh IPython shell.

    Keyed by ``"<kind>, display=<display>"`` (kinds as in :data:`KINDS`):
    ``[ours, myst_nb's]``, each a list of ``[data, metadata]`` per output; and
    ``"without MyST-NB"``: glue's outputs with MyST-NB not importable. One
    throw-away shell serves the tests below.
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
    [[data, metadata]] = recorded["float, display=False"][0]
    assert data == {"application/papermill.record/text/plain": "0.25"}
    assert metadata["scrapbook"]["name"] == "answer"


@pytest.mark.parametrize("display", [False, True])
@pytest.mark.parametrize("kind", list(KINDS))
def test_glue_displays_what_myst_nb_glue_displays(recorded, kind, display):
    ours, theirs = recorded[f"{kind}, display={display}"]
    assert ours == theirs and len(ours) == 1


def test_glue_records_nothing_where_myst_nb_is_not_installed(recorded):
    assert recorded["without MyST-NB"] == []
