"""The package is layered: the math core needs NumPy only; plotting, widgets, notebooks sit above.

The layers and their modules are declared once, in the docstring of
``utils/__init__.py`` (what a reader sees); this file reads them from there,
checks every module's imports against them, and checks that CONTRIBUTING.md
names the same modules.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UTILS = ROOT / "utils"
STDLIB = set(sys.stdlib_module_names)

# layer heading in utils/__init__.py -> the key used here
HEADINGS = {
    "Math core": "core",
    "Plotting": "plotting",
    "Widgets": "widgets",
    "Notebook helpers": "notebook",
}
# third-party top-level packages each layer may import
THIRD_PARTY = {
    "core": {"numpy"},
    "plotting": {"numpy", "matplotlib"},
    # traitlets: the trait system ipywidgets is built on (a widget subclass declares its traits);
    # yaml: utils.quiz reads the quiz data files
    "widgets": {"numpy", "matplotlib", "ipywidgets", "traitlets", "IPython", "PIL", "yaml"},
    # not myst_nb: importing it costs a fresh kernel about a second (utils.notebook._record)
    "notebook": {"numpy", "IPython"},
}


def declared_layers(doc: str) -> dict[str, list[str]]:
    """Layer key -> modules, in the order of the numbered list ``N. **Heading** ...`` of ``doc``."""
    layers: dict[str, list[str]] = {}
    items = re.findall(r"^\d+\. \*\*([^*]+)\*\*(.*?)(?=^\d+\. |^\s*$)", doc, re.M | re.S)
    for heading, body in items:
        layers[HEADINGS[heading]] = re.findall(r":mod:`utils\.(\w+)`", body)
    return layers


LAYER_MODULES = declared_layers(ast.get_docstring(ast.parse((UTILS / "__init__.py").read_text())))
ORDER = list(LAYER_MODULES)
# private helper modules (_validate) serve the math core and import NumPy at most
LAYER_OF = {m: layer for layer, mods in LAYER_MODULES.items() for m in mods} | {
    p.stem: "core" for p in UTILS.glob("_*.py") if p.stem != "__init__"
}
CORE = sorted(m for m, layer in LAYER_OF.items() if layer == "core")


def may_import(layer: str) -> set[str]:
    """A layer imports itself and the layers listed before it."""
    return set(ORDER[: ORDER.index(layer) + 1])


def imported_modules(source: str, package: str = "utils") -> set[str]:
    """Every module ``source`` imports, anywhere (lazy imports in functions too), as absolute names.

    ``from . import plotting`` and ``from utils import plotting`` give ``utils.plotting``;
    ``from .x import y`` gives ``utils.x``.
    """
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package if node.level else (node.module or "")
            if node.level and node.module:
                base = f"{package}.{node.module}"
            if base == package:  # from . import x / from utils import x: x is a submodule
                names.update(f"{package}.{alias.name}" for alias in node.names)
            else:
                names.add(base)
    return names


def layer_violations(module: str, source: str) -> list[str]:
    """What ``source`` (the code of ``utils/<module>.py``) imports that its layer may not."""
    if module not in LAYER_OF:
        return [f"utils/{module}.py belongs to no layer: list it in utils/__init__.py's docstring"]
    layer = LAYER_OF[module]
    found = []
    for name in sorted(imported_modules(source)):
        parts = name.split(".")
        if parts[0] == "utils":
            if len(parts) > 1 and _is_module(parts[1]):
                sub = parts[1]
                if LAYER_OF.get(sub) not in may_import(layer):
                    found.append(
                        f"utils.{module} ({layer}) imports utils.{sub} ({LAYER_OF.get(sub)})"
                    )
        elif parts[0] not in STDLIB | {"__future__"} | THIRD_PARTY[layer]:
            found.append(f"utils.{module} ({layer}) imports {parts[0]}")
    return found


def _is_module(name: str) -> bool:
    """A module of utils: ``utils/<name>.py`` or a package ``utils/<name>/``."""
    return (UTILS / f"{name}.py").exists() or (UTILS / name / "__init__.py").exists()


def module_source(name: str) -> str:
    """The code of a module of utils; for a package, of all its files (one layer for all)."""
    if (UTILS / name / "__init__.py").exists():
        return "\n".join(p.read_text() for p in sorted((UTILS / name).glob("*.py")))
    return (UTILS / f"{name}.py").read_text()


MODULES = sorted(
    [p.stem for p in UTILS.glob("*.py") if p.stem != "__init__"]
    + [p.parent.name for p in UTILS.glob("*/__init__.py")]
)


def test_the_layers_are_declared_in_the_package_docstring():
    assert ORDER == ["core", "plotting", "widgets", "notebook"]
    assert all(LAYER_MODULES.values()), LAYER_MODULES


@pytest.mark.parametrize("module", MODULES)
def test_module_belongs_to_exactly_one_layer(module):
    listed = [layer for layer, mods in LAYER_MODULES.items() if module in mods]
    assert len(listed) == 1 or (module.startswith("_") and not listed), (
        f"utils.{module} is listed in layers {listed} of utils/__init__.py"
    )


def test_every_listed_module_exists():
    assert sorted(m for m in LAYER_OF if not _is_module(m)) == []


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_only_its_own_layer_and_those_below(module):
    assert layer_violations(module, module_source(module)) == []


@pytest.mark.parametrize(
    "statement",
    [
        "from . import plotting",
        "from .plotting import PALETTE",
        "from utils import plotting",
        "import utils.plotting",
        "from . import numdiff, widgets",
        "import matplotlib.pyplot as plt",
    ],
)
def test_layer_check_reports_a_lazy_import_of_plotting_in_the_core(statement):
    # the hole this closes: `from . import plotting` was recorded as "utils." and never checked
    source = f"import numpy as np\n\n\ndef draw(x):\n    {statement}\n    return x\n"
    assert layer_violations("numdiff", source) != []


def test_layer_check_accepts_lazy_imports_within_the_core():
    source = (
        "def f():\n"
        "    from . import autograd\n"
        "    from .activations import relu\n"
        "    import numpy\n"
    )
    assert layer_violations("gradcheck", source) == []


def test_contributing_lists_the_same_math_core():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    found = re.search(r"The math core \(([^)]*)\)", text)
    assert found, "CONTRIBUTING.md: no 'The math core (...)' list"
    assert sorted(re.findall(r"`(\w+)`", found.group(1))) == sorted(LAYER_MODULES["core"])


def test_contributing_names_the_modules_of_the_upper_layers():
    text = " ".join((ROOT / "CONTRIBUTING.md").read_text().split())
    for layer in ("plotting", "widgets", "notebook"):
        for module in LAYER_MODULES[layer]:
            assert f"`{module}`" in text, f"CONTRIBUTING.md does not mention `{module}` ({layer})"


def test_core_modules_import_with_matplotlib_and_ipywidgets_absent():
    code = (
        "import sys\n"
        "for blocked in ('matplotlib', 'ipywidgets', 'IPython', 'scipy', 'torch'):\n"
        "    sys.modules[blocked] = None\n"
        f"for m in {CORE!r}:\n"
        "    __import__('utils.' + m)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_importing_utils_imports_no_plotting_library():
    code = (
        "import sys, utils\n"
        "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stderr
