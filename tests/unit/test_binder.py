"""Binder can build the book: the Python repo2docker picks is one every pin supports.

Binder builds its image with repo2docker, which chooses the Python version from
``runtime.txt`` (and otherwise from a default of its own) and then runs
``pip install -r requirements.txt``. These tests run repo2docker's own
detection (``--no-build --no-run``: it prints the Dockerfile it would build and
needs no Docker) and check the version it picks against the ``Requires-Python``
metadata of every package pinned in ``constraints.txt``, read from the
installed distributions.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    """Every ``name==version`` line of constraints.txt."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip()] = version.strip()
    return pins


def _requires_python(name: str) -> SpecifierSet:
    return SpecifierSet(importlib.metadata.metadata(name).get("Requires-Python") or "")


@pytest.fixture(scope="module")
def binder_python() -> Version:
    """The Python repo2docker installs for this repository, from its own detection.

    repo2docker prints the minor version it chose ("environment for
    python=3.11") and installs the Python of its conda lock file for that
    version (3.11.14 in repo2docker 2026.4.0): the exact version is read from
    that lock file, so that a pin requiring a patch release (soupsieve needs
    3.11.5) is checked against the Python Binder really runs.
    """
    spec = importlib.util.find_spec("repo2docker")
    if spec is None:
        pytest.skip(
            "repo2docker is not importable: "
            "pip install jupyter-repo2docker (pinned in constraints.txt)"
        )
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    found = re.findall(r"environment for python=(\d+\.\d+)", output)
    assert len(found) == 1, f"repo2docker did not say which Python it uses:\n{output[:2000]}"
    minor = found[0]
    lock = (
        Path(spec.origin).parent / "buildpacks" / "conda" / f"environment.py-{minor}-linux-64.lock"
    )
    assert lock.name in output.replace("-2e", ".").replace("-2d", "-"), (
        f"the Dockerfile does not use {lock.name}"
    )
    exact = re.search(rf"/python-({re.escape(minor)}\.\d+)-", lock.read_text())
    assert exact, f"no python package in {lock}"
    return Version(exact.group(1))


def test_runtime_txt_pins_binders_python():
    text = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", text), f"runtime.txt should read python-3.X, not {text!r}"


def test_repo2docker_uses_the_python_of_runtime_txt(binder_python):
    pinned = Version((ROOT / "runtime.txt").read_text().strip().removeprefix("python-"))
    assert binder_python.release[:2] == pinned.release


def test_every_pinned_package_supports_binders_python(binder_python):
    pins = _pins()
    assert "numpy" in pins and "ipython" in pins, "constraints.txt lost its pins"
    unsupported = {}
    for name, version in pins.items():
        installed = importlib.metadata.version(name)
        assert installed == version, (
            f"{name} {installed} is installed, constraints.txt pins {version}"
        )
        spec = _requires_python(name)
        if not spec.contains(binder_python):
            unsupported[f"{name}=={version}"] = str(spec)
    assert unsupported == {}, f"Binder's Python {binder_python} is not supported by {unsupported}"


def test_requires_python_admits_binders_python(binder_python):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert SpecifierSet(project["requires-python"]).contains(binder_python)


def test_requires_python_excludes_the_python_below_it_that_some_pin_does_not_support():
    # requires-python is a lower bound on the minor version (">=3.11"): a patch
    # bound such as ">=3.11.5" would make repo2docker refuse runtime.txt's
    # "python-3.11" ("runtime.txt version not supported by pyproject.toml").
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = SpecifierSet(project["requires-python"])
    lowest = next(m for m in range(8, 20) if declared.contains(Version(f"3.{m}")))
    latest_below = Version(f"3.{lowest - 1}.99")  # any patch release of the minor below
    rejecting = [name for name in _pins() if not _requires_python(name).contains(latest_below)]
    assert rejecting, f"every pin supports Python 3.{lowest - 1}: requires-python should admit it"
