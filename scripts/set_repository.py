#!/usr/bin/env python3
"""Point the book at its repository: ``_config.yml``, ``CITATION.cff``, the notebooks' set-up cells.

The repository URL and branch appear in places that must agree: the
``repository`` section of ``_config.yml`` (the Binder/Colab launch buttons, the
repository button and the "Report an error" links), the first code cell of
every notebook (which, in Colab only, installs the ``utils`` package from that
repository) and the URLs of ``CITATION.cff`` (how to cite the book). This script
rewrites all of them; ``tests/notebooks/test_setup_cells.py`` and
``tests/unit/test_frame.py`` check they agree. The publishing workflow
(``.github/workflows/book.yml``) runs it with the repository it runs in, so a
fork publishes links to itself with no edit.

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
CITATION = ROOT / "CITATION.cff"
GITHUB_URL = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
CITATION_URL = re.compile(r"^(url|repository-code):[ \t]*\S+[ \t]*$", re.M)

SETUP_MARKER = "# Set-up for Colab"

SETUP_TEMPLATE = """\
# Set-up for Colab: install this book's `utils` package from its repository.
# Everywhere else (JupyterLab, Binder, the book build) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         "calcml-utils[widgets] @ git+{url}@{branch}"],
        check=True,
    )"""


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


def read_citation_urls() -> dict[str, str]:
    """The ``url`` and ``repository-code`` fields of ``CITATION.cff``."""
    matches = CITATION_URL.finditer(CITATION.read_text())
    return {m.group(1): m.group(0).split(":", 1)[1].strip() for m in matches}


def write_citation(url: str) -> None:
    text = CITATION.read_text()
    CITATION.write_text(CITATION_URL.sub(lambda m: f"{m.group(1)}: {url}", text))


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
        bad = [
            p.name
            for p in notebooks()
            if (first_code_cell(nbformat.read(p, 4)) or {}).get("source") != expected
        ]
        for name in bad:
            print(f"{name}: set-up cell differs from the one for {url}@{branch}")
        citation = {k: v for k, v in read_citation_urls().items() if v != url}
        for key, value in citation.items():
            print(f"CITATION.cff: {key} is {value}, not {url}")
        return 1 if bad or citation else 0
    if not args.url:
        parser.error("give a repository URL, or --check")
    url, branch = args.url.rstrip("/"), args.branch or branch
    if url.endswith(".git"):
        url = url[: -len(".git")]
    if not GITHUB_URL.fullmatch(url):
        parser.error(f"the URL must be https://github.com/OWNER/REPO, not {url!r}")
    if not re.fullmatch(r"[\w./-]+", branch):
        parser.error(f"not a branch name: {branch!r}")
    write_config(url, branch)
    write_citation(url)
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        cell = first_code_cell(nb)
        if cell is None or not cell.source.startswith(SETUP_MARKER):
            raise SystemExit(f"{path.name}: the first code cell is not the set-up cell")
        cell.source = setup_cell_source(url, branch)
        nbformat.write(nb, path)
    print(
        f"repository set to {url} (branch {branch}) in _config.yml, CITATION.cff "
        f"and {len(notebooks())} notebooks"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
