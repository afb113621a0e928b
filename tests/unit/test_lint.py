"""The code follows the project's ruff configuration (pyproject.toml, chapters/.ruff.toml).

`ruff check .` lints utils/, tests/, scripts/, bench/, book/_ext/ and the code
cells of the notebooks; `ruff format --check` keeps the Python files in one
layout. Both are fast (well under a second for the whole tree).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


@pytest.fixture(scope="module")
def ruff() -> str:
    if RUFF is None:  # pinned in requirements-dev.txt, so present wherever ./dev test runs
        pytest.fail("ruff is not installed: pip install -r requirements-dev.txt")
    return RUFF


def test_ruff_check_finds_nothing(ruff):
    result = subprocess.run(
        [ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_python_files_are_ruff_formatted(ruff):
    result = subprocess.run(
        [ruff, "format", "--check", "--no-cache", "--exclude", "*.ipynb", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_check_reports_a_planted_defect(ruff, tmp_path):
    # the check above can fail: an unused import in a file under the same configuration is reported
    planted = tmp_path / "planted.py"
    planted.write_text("import os\n")
    result = subprocess.run(
        [ruff, "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(planted)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "F401" in result.stdout


def test_utils_modules_import_each_other_relatively():
    # one import style inside the package: `from .autograd import Value`, never `from utils...`
    import ast

    absolute = []
    for path in sorted((ROOT / "utils").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                if (node.module or "").split(".")[0] == "utils":
                    absolute.append(f"{path.name}:{node.lineno}")
            elif isinstance(node, ast.Import):
                absolute += [
                    f"{path.name}:{node.lineno}" for a in node.names if a.name.startswith("utils")
                ]
    assert absolute == [], f"absolute imports of utils inside utils: {absolute}"
