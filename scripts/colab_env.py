#!/usr/bin/env python3
"""Create the Colab stand-in environment that ``tests/colab/`` runs the chapters in.

A virtual environment of its own (``_build/colab/venv``, never the project's
``.venv``) with the versions a Colab runtime ships of the packages the notebooks
touch (``tests/colab/requirements-colab.txt``: ipywidgets 7, its widget
packages, Colab's IPython, ipykernel, NumPy and Matplotlib), plus three small
stand-ins for what makes a runtime "Colab" to a notebook:

- a ``google.colab`` package, importable and empty: the notebooks and ``utils``
  only test ``"google.colab" in sys.modules``;
- ``colab_kernel_launcher``, the module Colab's kernel is started with
  (``python -m colab_kernel_launcher -f CONNECTION_FILE``): like Colab's, it
  imports ``google.colab`` before the kernel runs any cell;
- a kernel spec ``colab-standin`` (in ``_build/colab/venv/share/jupyter``) that
  starts that launcher with this environment's Python.

It also downloads the build backend that installing ``utils`` from git needs
(setuptools, as ``pyproject.toml``'s ``[build-system]`` asks) into
``_build/colab/wheelhouse``, so that the test runs the set-up cell's ``pip
install`` with no index at all: a package it tried to fetch or upgrade would
fail the test instead of silently changing the environment.

Nothing is reinstalled while the requirements file and this script are
unchanged (a digest of both is kept in the environment). Run it again after
editing the pins; ``--force`` rebuilds from scratch.

Usage::

    python scripts/colab_env.py            # create or reuse; print the paths
    python scripts/colab_env.py --force    # rebuild
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "tests" / "colab" / "requirements-colab.txt"
ENV_DIR = ROOT / "_build" / "colab"
VENV = ENV_DIR / "venv"
WHEELHOUSE = ENV_DIR / "wheelhouse"
KERNEL_NAME = "colab-standin"
# The build backend pyproject.toml asks for (setuptools>=77), for the offline install.
BUILD_BACKEND = "setuptools==80.9.0"

GOOGLE_COLAB = '''\
"""Stand-in for Colab's ``google.colab`` (tests/colab/): importable, nothing else.

The book's notebooks and ``utils`` only ask whether this module is imported
(``"google.colab" in sys.modules``); any other use of it is a bug this empty
module makes visible.
"""
'''

LAUNCHER = '''\
"""Stand-in for Colab's kernel launcher (tests/colab/): google.colab first, then ipykernel."""

import google.colab  # noqa: F401  (Colab's runtime has it imported before any cell runs)
from ipykernel import kernelapp

if __name__ == "__main__":
    kernelapp.launch_new_instance()
'''


def python() -> Path:
    return VENV / "bin" / "python"


def site_packages() -> Path:
    out = subprocess.run(
        [str(python()), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip())


def kernel_dir() -> Path:
    return VENV / "share" / "jupyter" / "kernels" / KERNEL_NAME


def digest() -> str:
    text = REQUIREMENTS.read_bytes() + Path(__file__).read_bytes()
    return hashlib.sha256(text).hexdigest()


def write_standins() -> None:
    site = site_packages()
    (site / "google" / "colab").mkdir(parents=True, exist_ok=True)
    (site / "google" / "colab" / "__init__.py").write_text(GOOGLE_COLAB)
    (site / "colab_kernel_launcher.py").write_text(LAUNCHER)
    kernel_dir().mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [str(python()), "-m", "colab_kernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Colab stand-in)",
        "language": "python",
        # the book's worktree must not leak into the kernel: utils comes from the set-up cell
        "env": {"PYTHONPATH": ""},
    }
    (kernel_dir() / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")


def ensure(force: bool = False, quiet: bool = False) -> dict[str, Path]:
    """Create (or reuse) the environment; return its paths."""
    stamp = VENV / ".colab-env-digest"
    if force and ENV_DIR.exists():
        shutil.rmtree(ENV_DIR)
    if not (stamp.exists() and stamp.read_text() == digest() and python().exists()):
        say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
        if VENV.exists():
            shutil.rmtree(VENV)
        say(f"== creating the Colab stand-in environment {VENV.relative_to(ROOT)}")
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(VENV)], check=True)
        pip = [str(python()), "-m", "pip", "--disable-pip-version-check", "--quiet"]
        subprocess.run([*pip, "install", "-r", str(REQUIREMENTS)], check=True)
        say(f"== downloading the build backend ({BUILD_BACKEND}) into {WHEELHOUSE.name}/")
        WHEELHOUSE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                *pip,
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                str(WHEELHOUSE),
                BUILD_BACKEND,
            ],
            check=True,
        )
        write_standins()
        stamp.write_text(digest())
    return {
        "venv": VENV,
        "python": python(),
        "jupyter_path": VENV / "share" / "jupyter",
        "wheelhouse": WHEELHOUSE,
        "kernel_name": Path(KERNEL_NAME),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild from scratch")
    args = parser.parse_args(argv)
    paths = ensure(force=args.force)
    versions = subprocess.run(
        [
            str(paths["python"]),
            "-c",
            "import sys, ipywidgets, ipykernel, IPython, numpy, matplotlib; "
            "print(f'Python {sys.version.split()[0]}, ipywidgets {ipywidgets.__version__}, '"
            "f'ipykernel {ipykernel.__version__}, IPython {IPython.__version__}, '"
            "f'numpy {numpy.__version__}, matplotlib {matplotlib.__version__}')",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(
        f"Colab stand-in environment: {paths['venv']}\n  {versions}\n"
        f"  kernel spec {KERNEL_NAME} in {paths['jupyter_path']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
