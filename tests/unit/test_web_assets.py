"""The book's vendored JavaScript is intact and wired in.

The vendored files are MathJax, require.js and the ipywidgets HTML manager.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "book" / "assets"


def _vendor_script():
    spec = importlib.util.spec_from_file_location(
        "vendor_web_assets", ROOT / "scripts" / "vendor_web_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_files_match_their_manifest():
    vendor = _vendor_script()
    manifest = json.loads((vendor.VENDOR / "MANIFEST.json").read_text())
    assert manifest["files"], "MANIFEST.json lists no file"
    assert vendor.manifest_of(vendor.VENDOR) == manifest["files"]


def test_manifest_records_the_pinned_package_versions():
    vendor = _vendor_script()
    manifest = json.loads((vendor.VENDOR / "MANIFEST.json").read_text())
    pinned = {
        name: {"version": v, "integrity": i} for name, (v, i, _, _) in vendor.PACKAGES.items()
    }
    assert manifest["packages"] == pinned


def test_html_manager_is_the_line_that_matches_ipywidgets_8():
    vendor = _vendor_script()
    assert vendor.PACKAGES["@jupyter-widgets/html-manager"][0].startswith("1.")


def test_config_loads_mathjax_and_the_widget_scripts_from_the_vendored_files():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]
    assert config["html_static_path"] == ["book/assets"]
    assert (ASSETS / config["mathjax_path"]).is_file()
    names = [script.rsplit("/", 1)[-1] for script in config["nb_ipywidgets_js"]]
    assert {"require.js", "embed-amd.js"} <= set(names), names
    for script in config["nb_ipywidgets_js"]:
        assert not script.startswith("http"), script
        assert (ASSETS / script).is_file(), script


def test_widget_fonts_sit_next_to_the_widget_manager():
    dist = ASSETS / "vendor" / "html-manager" / "dist"
    assert list(dist.glob("*.woff2")), "Font Awesome fonts of the widget manager are missing"


def test_thebe_is_off():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["launch_buttons"]["thebe"] is False
