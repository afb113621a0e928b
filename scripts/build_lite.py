#!/usr/bin/env python3
"""Build the "Run in the browser" site (JupyterLite) into ``_build/html/lite``.

A JupyterLite site (``jupyterlite-core`` with the Pyodide kernel,
``jupyterlite-pyodide-kernel``) that runs the chapters with no server: Python
runs in the reader's browser (Pyodide, CPython compiled to WebAssembly). The
site holds:

- the chapters (``chapters/*.ipynb``, as committed: executed, outputs shown);
- the ``utils`` wheel (``pip wheel . --no-deps``), in the site's package index
  (``%pip install calcml-utils`` finds it) and in Pyodide's lock file, with the
  book's ipywidgets: the kernel loads it, with its dependencies, as it starts,
  so a chapter's ``from utils... import ...`` works with no install cell
  (Pyodide loads a package for a cell only when the cell itself imports it);
- Pyodide's core files (the ``pyodide`` npm package, pinned to the version the
  kernel expects and checked against npm's sha512) and the pure-Python packages
  the kernel needs to start (micropip, IPython and its dependencies, at the
  versions Pyodide's lock file names, from PyPI; comm), all served by the site.

NumPy, Matplotlib, Pillow and PyYAML are compiled for Pyodide and published only
on Pyodide's CDN (not on PyPI nor npm): the site's lock file points at the CDN
for them (same version, same hashes), so the kernel needs an internet
connection the first time (the browser caches them). The book says so on the
launch link. Without the preload (``tests/lite/``), the kernel boots, runs
Python and installs the ``utils`` wheel with no network at all.

The JupyterLite tools (``jupyterlite-core``, ``jupyterlite-pyodide-kernel``,
pinned in ``scripts/requirements-lite.txt``) live in a virtual environment of
their own, ``_build/lite-venv``, created on the first build: installed beside
JupyterLab, the Pyodide kernel's JupyterLab extension breaks every JupyterLab
page ("Shared module @jupyterlite/services doesn't exist in shared scope").

Downloads (npm registry, PyPI) go to ``_build/cache/lite`` once; later builds
need no network. Usage::

    python scripts/build_lite.py      # after the book: it writes into _build/html/lite
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
CACHE = BUILD / "cache" / "lite"
STAGE = BUILD / "lite-src"  # the site's sources (lite_dir)
OUTPUT = BUILD / "html" / "lite"
LITE_VENV = BUILD / "lite-venv"  # the JupyterLite tools, apart from JupyterLab's environment
LITE_REQUIREMENTS = ROOT / "scripts" / "requirements-lite.txt"

# The Pyodide that jupyterlite-pyodide-kernel 0.8.6 is built for
# (jupyterlite_pyodide_kernel.constants.PYODIDE_VERSION), and npm's integrity for it
# (`npm view pyodide@314.0.6 dist.integrity`).
PYODIDE_VERSION = "314.0.6"
PYODIDE_INTEGRITY = (
    "sha512-BKDTJyIqFxC4BExLqeRS3f5xvXZIjOt8C3zG"
    "LN/Cc7tFxSwvKVhVkchQQ2AGLOtR4YrVOIFxbV8poyDOOmWwxQ=="
)
NPM_REGISTRY = "https://registry.npmjs.org"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
PYODIDE_CORE = [
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
    "pyodide.js",
    "package.json",
]
# Pure-Python packages of Pyodide's lock file that the kernel loads as it starts
# (micropip for piplite; IPython and its dependencies for the kernel): served by the site.
BOOT_PACKAGES = [
    "micropip",
    "packaging",
    "typing-extensions",
    "ipython",
    "asttokens",
    "decorator",
    "executing",
    "matplotlib-inline",
    "prompt-toolkit",
    "pure-eval",
    "pygments",
    "six",
    "stack-data",
    "traitlets",
    "wcwidth",
    "jedi",
    "parso",
]

# Pure-Python packages that are not in Pyodide's lock file, which piplite would
# otherwise fetch from PyPI: comm (the kernel installs it as it starts) and the
# widgets (the book's pins, constraints.txt). Served from the site's package index.
SITE_PACKAGES = ["comm==0.2.3", "ipywidgets==8.1.9", "jupyterlab_widgets==3.0.17"]

# Dependencies of the packages the site adds to the lock file (their wheels' metadata,
# reduced to what Pyodide provides: the widgets' front-end stubs come with the kernel).
LOCK_DEPENDS = {
    "comm": ["traitlets"],
    "ipywidgets": ["comm", "ipython", "traitlets", "jupyterlab-widgets"],
    "jupyterlab-widgets": [],
    "calcml-utils": ["numpy", "matplotlib", "pillow", "pyyaml", "ipywidgets"],
}
# What the kernel loads before the first cell: utils (from the site's wheel) and its
# dependencies, so that a chapter's `from utils... import ...` works with no install cell
# (Pyodide loads a package for a cell only when the cell itself imports it).
PRELOAD = ["calcml-utils"]
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"


def say(message: str) -> None:
    print(f"== {message}", flush=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pyodide_core() -> Path:
    """Pyodide's npm package, fetched once with npm and checked against its integrity."""
    folder = CACHE / f"pyodide-{PYODIDE_VERSION}"
    if all((folder / name).exists() for name in PYODIDE_CORE):
        return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    say(f"fetching pyodide@{PYODIDE_VERSION} from the npm registry")
    tarball = CACHE / f"pyodide-{PYODIDE_VERSION}.tgz"
    if shutil.which("npm"):
        subprocess.run(
            ["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", str(CACHE)],
            check=True,
            capture_output=True,
        )
    else:  # no Node (the CI container): the registry's tarball URL, checked the same way
        url = f"{NPM_REGISTRY}/pyodide/-/pyodide-{PYODIDE_VERSION}.tgz"
        with urllib.request.urlopen(url, timeout=300) as response:
            tarball.write_bytes(response.read())
    algo, _, expected = PYODIDE_INTEGRITY.partition("-")
    digest = base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise SystemExit(f"pyodide@{PYODIDE_VERSION}: integrity mismatch ({algo}-{digest})")
    folder.mkdir(exist_ok=True)
    with tarfile.open(tarball) as tar:
        for name in PYODIDE_CORE:
            member = tar.getmember(f"package/{name}")
            (folder / name).write_bytes(tar.extractfile(member).read())
    tarball.unlink()
    return folder


def boot_wheels(lock: dict) -> dict[str, Path]:
    """The boot packages' wheels at the lock file's versions, from PyPI (fetched once)."""
    folder = CACHE / "boot-wheels"
    folder.mkdir(parents=True, exist_ok=True)
    wheels = {}
    for name in BOOT_PACKAGES:
        entry = lock["packages"][name]
        path = folder / entry["file_name"]
        if not path.exists():
            say(f"fetching {name}=={entry['version']} from PyPI")
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--python-version",
                    lock["info"]["python"].rsplit(".", 1)[0],  # Pyodide's Python (3.14)
                    "--disable-pip-version-check",
                    "-d",
                    str(folder),
                    f"{entry['name']}=={entry['version']}",
                ],
                check=True,
            )
        if not path.exists():
            raise SystemExit(f"{name}: PyPI's wheel is not named {entry['file_name']}")
        wheels[name] = path
    return wheels


def stage() -> None:
    """Write the site's sources: Pyodide, its lock file, the chapters, utils and its wheel."""
    if STAGE.exists():
        shutil.rmtree(STAGE)
    core = pyodide_core()
    lock = json.loads((core / "pyodide-lock.json").read_text())
    wheels = boot_wheels(lock)
    target = STAGE / "static" / "pyodide"
    target.mkdir(parents=True)
    for name in PYODIDE_CORE:
        if name != "pyodide-lock.json":
            shutil.copy2(core / name, target / name)
    for name, entry in lock["packages"].items():
        if name in wheels:  # served by the site
            shutil.copy2(wheels[name], target / wheels[name].name)
            entry["sha256"] = sha256(wheels[name])
        else:  # compiled for Pyodide: only on its CDN
            entry["file_name"] = PYODIDE_CDN + entry["file_name"]

    files = STAGE / "files"
    files.mkdir()
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        shutil.copy2(notebook, files / notebook.name)

    say(f"adding {', '.join(SITE_PACKAGES)} to the site's package index")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            lock["info"]["python"].rsplit(".", 1)[0],
            "--disable-pip-version-check",
            "-d",
            str(CACHE / "site-wheels"),
            *SITE_PACKAGES,
        ],
        check=True,
    )
    (STAGE / "pypi").mkdir()
    for requirement in SITE_PACKAGES:
        name, version = requirement.split("==")
        (wheel,) = (CACHE / "site-wheels").glob(f"{name}-{version}-*.whl")
        shutil.copy2(wheel, STAGE / "pypi" / wheel.name)
        shutil.copy2(wheel, target / wheel.name)
        _lock_entry(lock, wheel, version, LOCK_DEPENDS[name.replace("_", "-")])

    say("building the utils wheel (pip wheel . --no-deps)")
    # built from a copy of the package's files, so that no build/ or *.egg-info is left here
    source = BUILD / "lite-wheel-source"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "utils", source / "utils", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            ".",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(STAGE / "pypi"),
        ],
        cwd=source,
        check=True,
        capture_output=True,
    )
    shutil.rmtree(source)
    (wheel,) = (STAGE / "pypi").glob("calcml_utils-*.whl")
    shutil.copy2(wheel, target / wheel.name)
    _lock_entry(lock, wheel, wheel.name.split("-")[1], LOCK_DEPENDS["calcml-utils"])
    (target / "pyodide-lock.json").write_text(json.dumps(lock))
    # the kernel loads utils and what it imports as it starts (see PRELOAD)
    settings = {"loadPyodideOptions": {"packages": PRELOAD}}
    config = {"jupyter-config-data": {"litePluginSettings": {KERNEL_PLUGIN: settings}}}
    (STAGE / "jupyter-lite.json").write_text(json.dumps(config, indent=1))


def _lock_entry(lock: dict, wheel: Path, version: str, depends: list[str]) -> None:
    """Add a wheel served by the site to Pyodide's lock file, so that loadPackage finds it."""
    name = wheel.name.split("-")[0].replace("_", "-").lower()
    top = {"calcml-utils": "utils", "jupyterlab-widgets": "jupyterlab_widgets"}
    lock["packages"][name] = {
        "name": name,
        "version": version,
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": sha256(wheel),
        "package_type": "package",
        "imports": [top.get(name, name)],
        "depends": depends,
        "unvendored_tests": False,
    }


def lite_tools() -> Path:
    """The ``jupyter-lite`` command of ``_build/lite-venv``, created (or updated) as needed."""
    stamp = LITE_VENV / ".installed"
    wanted = LITE_REQUIREMENTS.read_text()
    if not stamp.exists() or stamp.read_text() != wanted:
        say(f"installing the JupyterLite tools into {LITE_VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(LITE_VENV)], check=True)
        subprocess.run(
            [
                str(LITE_VENV / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                str(LITE_REQUIREMENTS),
                "-c",
                str(ROOT / "constraints.txt"),
            ],
            check=True,
        )
        stamp.write_text(wanted)
    return LITE_VENV / "bin" / "jupyter-lite"


def build() -> float:
    start = time.perf_counter()
    jupyter_lite = lite_tools()
    stage()
    say(f"building the JupyterLite site into {OUTPUT.relative_to(ROOT)}")
    if OUTPUT.exists():
        shutil.rmtree(OUTPUT)
    subprocess.run(
        [
            str(jupyter_lite),
            "build",
            "--lite-dir",
            str(STAGE),
            "--contents",
            str(STAGE / "files"),
            "--output-dir",
            str(OUTPUT),
            "--no-sourcemaps",
        ],
        cwd=STAGE,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> int:
    seconds = build()
    size = sum(p.stat().st_size for p in OUTPUT.rglob("*") if p.is_file())
    print(
        f"JupyterLite site built in {seconds:.0f} s ({size / 1e6:.0f} MB): {OUTPUT}/lab/index.html"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
