#!/usr/bin/env python3
"""Point the book at its repository: ``_config.yml`` and every notebook's set-up cell.

The repository URL and branch appear in two places that must agree: the
``repository`` section of ``_config.yml`` (the Binder/Colab launch buttons and
the repository button) and the first code cell of every notebook (which, in
Colab only, installs the ``utils`` package from that repository). This script
rewrites both; ``tests/notebooks/test_setup_cells.py`` checks they agree.

Usage::

    python scripts/set_repository.py https://github.com/OWNER/REPO [--branch main]
    python scripts/set_repository.py --check      # exit 1 if anything disagrees
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "_config.yml"
CHAPTERS = ROOT / "chapters"

SETUP_MARKER = "# Set-up for Colab"

SETUP_TEMPLATE = '''\
# Set-up for Colab: install this book's `utils` package from its repository.
# Everywhere else (JupyterLab, Binder, the book build) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         "calcml-utils[widgets] @ git+{url}@{branch}"],
        check=True,
    )'''


def setup_cell_source(url: str, branch: str) -> str:
    """The canonical set-up cell for a repository URL and branch."""
    return SETUP_TEMPLATE.format(url=url.rstrip("/"), branch=branch)


def read_config() -> tuple[str, str]:
    """Return (url, branch) from the ``repository`` section of ``_config.yml``."""
    text = CONFIG.read_text()
    section = re.search(r"^repository:\n((?:[ \t]+.*\n)+)", text, re.M)
    if not section:
        raise SystemExit("_config.yml has no repository section")
    url = re.search(r"^\s+url:\s*(\S+)", section.group(1), re.M).group(1)
    branch = re.search(r"^\s+branch:\s*(\S+)", section.group(1), re.M).group(1)
    return url, branch


def write_config(url: str, branch: str) -> None:
    text = CONFIG.read_text()

    def fix(section: re.Match) -> str:
        body = re.sub(r"(^\s+url:\s*)\S+", lambda m: m.group(1) + url, section.group(0), flags=re.M)
        return re.sub(r"(^\s+branch:\s*)\S+", lambda m: m.group(1) + branch, body, flags=re.M)

    CONFIG.write_text(re.sub(r"^repository:\n(?:[ \t]+.*\n)+", fix, text, flags=re.M))


def notebooks() -> list[Path]:
    return sorted(CHAPTERS.glob("*.ipynb"))


def first_code_cell(nb):
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="https://github.com/OWNER/REPO")
    parser.add_argument("--branch", default=None)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    url, branch = read_config()
    if args.check:
        expected = setup_cell_source(url, branch)
        bad = [p.name for p in notebooks() if (first_code_cell(nbformat.read(p, 4)) or {}).get("source") != expected]
        for name in bad:
            print(f"{name}: set-up cell differs from the one for {url}@{branch}")
        return 1 if bad else 0
    if not args.url:
        parser.error("give a repository URL, or --check")
    url, branch = args.url.rstrip("/"), args.branch or branch
    write_config(url, branch)
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        cell = first_code_cell(nb)
        if cell is None or not cell.source.startswith(SETUP_MARKER):
            raise SystemExit(f"{path.name}: the first code cell is not the set-up cell")
        cell.source = setup_cell_source(url, branch)
        nbformat.write(nb, path)
    print(f"repository set to {url} (branch {branch}) in _config.yml and {len(notebooks())} notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
