from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / "chapters"
NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))
# The notebooks in chapters/ that are not chapters: the playground (every
# widget) and the quiz page (every chapter's quiz). Every other notebook is
# checked as a chapter (objectives, summary, exercises, ...).
NOT_CHAPTERS = {"98_quizzes", "99_explorations"}
CHAPTER_NOTEBOOKS = [p for p in NOTEBOOKS if p.stem not in NOT_CHAPTERS]


def load_script(name: str):
    """Import a module from scripts/ (they are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)
