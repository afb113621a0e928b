#!/usr/bin/env python3
"""Fetch the book's web assets from the npm registry into ``book/assets/vendor/``.

The HTML book must work with no network, so the three JavaScript packages it
needs are served from its own static files instead of a CDN:

* ``mathjax`` 3 (renders the math),
* ``requirejs`` (the AMD loader the ipywidgets HTML manager expects),
* ``@jupyter-widgets/html-manager`` 1.x (renders widgets without a kernel; the
  1.x line matches ipywidgets 8), with the Font Awesome fonts its CSS refers to.

The files are committed (so building the book needs neither Node nor a network)
and this script is how they are refreshed: it downloads each package's tarball
from the registry at the pinned version, checks it against the pinned sha512
``integrity`` that npm publishes, extracts only the files the book needs, and
writes ``MANIFEST.json`` with the sha256 of every vendored file, which
``tests/unit/test_web_assets.py`` checks. Python standard library only.

Usage::

    python scripts/vendor_web_assets.py          # fetch, verify, (re)write
    python scripts/vendor_web_assets.py --check  # only verify the vendored files

To upgrade a package, change its version and integrity below (``npm view
<name>@<version> dist.integrity`` prints the latter), run the script, rebuild
the book and run the browser test.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "book" / "assets" / "vendor"

# name -> (version, npm integrity, files to keep (globs inside package/), target folder)
PACKAGES: dict[str, tuple[str, str, list[str], str]] = {
    "mathjax": (
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        [
            "LICENSE",
            "es5/tex-chtml.js",
            "es5/input/tex/extensions/*.js",
            "es5/output/chtml/fonts/woff-v2/*.woff",
            "es5/ui/menu.js",
            "es5/a11y/*.js",
        ],
        "mathjax",
    ),
    "requirejs": (
        "2.3.8",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
        ["require.js", "README.md"],
        "requirejs",
    ),
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        [
            "dist/embed-amd.js",
            "dist/embed.js.LICENSE.txt",
            "dist/*.woff2",
            "dist/*.woff",
            "package.json",
        ],
        "html-manager",
    ),
}

LICENSES_NOTE = """\
Third-party files served by the book. Do not edit them: refresh them with
scripts/vendor_web_assets.py, which checks them against MANIFEST.json.

- mathjax/            MathJax {mathjax}, Apache License 2.0 (mathjax/LICENSE)
- requirejs/          RequireJS {requirejs}, MIT License (header of require.js)
- html-manager/       @jupyter-widgets/html-manager {hm}, BSD 3-Clause License
                      (package.json "license"); bundled third-party notices in
                      html-manager/dist/embed.js.LICENSE.txt; includes the
                      Font Awesome 4 web fonts (SIL OFL 1.1).
"""


def _tarball_url(name: str, version: str) -> str:
    base = name.split("/")[-1]
    return f"{REGISTRY}/{name}/-/{base}-{version}.tgz"


def _verify_integrity(data: bytes, integrity: str, name: str) -> None:
    algo, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{name}: integrity mismatch (expected {integrity}, got {algo}-{digest})")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_of(folder: Path) -> dict[str, str]:
    """Return {relative path: sha256} for every vendored file except the manifest itself."""
    return {
        p.relative_to(folder).as_posix(): _sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "MANIFEST.json"
    }


def fetch() -> None:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    VENDOR.mkdir(parents=True)
    for name, (version, integrity, keep, target) in PACKAGES.items():
        url = _tarball_url(name, version)
        print(f"fetching {name}@{version} from {url}")
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
        _verify_integrity(data, integrity, name)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar.getmembers():
                if not member.isfile():
                    continue
                rel = member.name.split("/", 1)[1]  # strip the leading "package/"
                if not any(fnmatch.fnmatchcase(rel, pattern) for pattern in keep):
                    continue
                dest = VENDOR / target / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(tar.extractfile(member).read())
    (VENDOR / "LICENSES.txt").write_text(
        LICENSES_NOTE.format(
            mathjax=PACKAGES["mathjax"][0],
            requirejs=PACKAGES["requirejs"][0],
            hm=PACKAGES["@jupyter-widgets/html-manager"][0],
        )
    )
    manifest = {
        "packages": {
            name: {"version": v, "integrity": i} for name, (v, i, _, _) in PACKAGES.items()
        },
        "files": manifest_of(VENDOR),
    }
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    total = sum(p.stat().st_size for p in VENDOR.rglob("*") if p.is_file())
    print(
        f"wrote {len(manifest['files'])} files, {total / 1e6:.1f} MB, "
        f"into {VENDOR.relative_to(ROOT)}"
    )


def check() -> int:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    actual = manifest_of(VENDOR)
    if actual != manifest["files"]:
        changed = sorted(set(actual.items()) ^ set(manifest["files"].items()))
        print(
            "vendored web assets differ from MANIFEST.json:", *[c[0] for c in changed], sep="\n  "
        )
        return 1
    print(f"{len(actual)} vendored files match MANIFEST.json")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the vendored files only")
    args = parser.parse_args()
    sys.exit(check() if args.check else fetch())
