"""The package is layered: the math core needs NumPy only; plotting, widgets and notebook helpers sit above it."""

from __future__ import annotations

import ast
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

UTILS = Path(__file__).resolve().parents[2] / "utils"

CORE = {
    "_validate", "numdiff", "activations", "autograd", "nn", "optim", "schedules",
    "gradcheck", "landscapes", "data", "descent", "gradflow", "graphdraw",
    "admodes", "softmax",
}
LAYERS = {
    # module group -> third-party top-level packages it may import
    "core": {"numpy"},
    "plotting": {"numpy", "matplotlib"},
    "widgets": {"numpy", "matplotlib", "ipywidgets", "IPython", "PIL"},
    "notebook": {"numpy", "IPython", "myst_nb"},
}
ABOVE = {"core": set(), "plotting": {"core"}, "widgets": {"core", "plotting"}, "notebook": {"core"}}
STDLIB = set(sys.stdlib_module_names)


def layer_of(module: str) -> str:
    if module in CORE:
        return "core"
    if module == "plotting":
        return "plotting"
    if module in {"widgets", "explorations"}:
        return "widgets"
    if module == "notebook":
        return "notebook"
    raise AssertionError(f"utils/{module}.py belongs to no layer: add it to tests/unit/test_layers.py")


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x / from .x import y
                names.add("utils." + (node.module or ""))
            elif node.module:
                names.add(node.module)
    return names


MODULES = sorted(p.stem for p in UTILS.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_only_its_own_layer_and_those_below(module):
    layer = layer_of(module)
    for name in imports_of(UTILS / f"{module}.py"):
        top = name.split(".")[0]
        if top == "utils":
            sub = name.split(".")[1] if "." in name and name.split(".")[1] else None
            if sub:
                assert layer_of(sub) in ABOVE[layer] | {layer}, f"utils.{module} ({layer}) imports utils.{sub}"
        elif top not in STDLIB and top != "__future__":
            assert top in LAYERS[layer], f"utils.{module} ({layer}) imports {top}"


def test_core_modules_import_with_matplotlib_and_ipywidgets_absent():
    core = sorted(m for m in CORE if (UTILS / f"{m}.py").exists())
    code = (
        "import sys\n"
        "for blocked in ('matplotlib', 'ipywidgets', 'IPython', 'scipy', 'torch'):\n"
        "    sys.modules[blocked] = None\n"
        f"for m in {core!r}:\n"
        "    __import__('utils.' + m)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=UTILS.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_importing_utils_imports_no_plotting_library():
    code = "import sys, utils; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=UTILS.parent)
    assert result.stdout.strip() == "[]", result.stderr
