"""The installed package is the package in the repository: every subpackage of utils ships.

Colab, Binder and the in-browser site install ``utils`` with pip (from git or as a
wheel), not from this checkout: a subpackage missing from pyproject.toml's list
would import here and fail there.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_subpackage_of_utils_is_listed_in_pyproject():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    on_disk = sorted(
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "utils").rglob("__init__.py")
    )
    assert sorted(listed) == on_disk
