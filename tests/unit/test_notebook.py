"""utils.notebook.glue hands computed values to MyST-NB, as Python numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

IN_A_SHELL = """
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
import numpy as np
from utils.notebook import glue

InteractiveShell.instance()
with capture_output() as captured:
    glue("answer", np.float64(0.25))
for out in captured.outputs:
    print(out.data, out.metadata["scrapbook"]["name"])
"""


def test_glue_in_an_ipython_shell_records_the_python_number_under_its_name(tmp_path):
    # the real myst_nb.glue in a real (fresh, throw-away) IPython shell
    result = subprocess.run(
        [sys.executable, "-c", IN_A_SHELL],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "",
            "PYTHONPATH": str(ROOT),
            "IPYTHONDIR": str(tmp_path),
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'application/papermill.record/text/plain': '0.25'} answer"
