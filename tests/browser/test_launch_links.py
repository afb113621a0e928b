"""Every notebook page of the built book has Binder, Colab and download links to its own .ipynb."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _repository() -> tuple[str, str]:
    spec = importlib.util.spec_from_file_location(
        "set_repository", ROOT / "scripts" / "set_repository.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.read_config()


def _links(notebook: Path) -> set[str]:
    page = HTML / "chapters" / f"{notebook.stem}.html"
    if not page.exists():
        pytest.fail(f"{page} is missing: build the book first (./dev book)")
    return set(re.findall(r'href="([^"]+)"', page.read_text()))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_button_opens_this_notebook_on_the_configured_branch(notebook):
    url, branch = _repository()
    owner_repo = url.removeprefix("https://github.com/")
    expected = f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/chapters/{notebook.name}"
    assert expected in _links(notebook)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_binder_button_opens_this_notebook_in_jupyterlab_on_the_configured_branch(notebook):
    url, branch = _repository()
    owner_repo = url.removeprefix("https://github.com/")
    expected = f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/chapters/{notebook.name}"
    assert expected in _links(notebook)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_download_button_serves_this_notebook_executed(notebook):
    import nbformat

    link = f"../_sources/chapters/{notebook.name}"
    assert link in _links(notebook)
    # The theme serves the copy executed by the build: the same cells, with outputs.
    served = nbformat.read(HTML / "_sources" / "chapters" / notebook.name, as_version=4)
    source = nbformat.read(notebook, as_version=4)
    assert [c.source for c in served.cells] == [c.source for c in source.cells]
    assert any(c.outputs for c in served.cells if c.cell_type == "code"), (
        "the downloaded notebook has no outputs"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_in_browser_link_opens_this_notebook_in_the_lite_site(notebook):
    # scripts/build_lite.py writes the JupyterLite site into _build/html/lite and puts
    # the chapters at the root of its contents
    expected = f"../lite/notebooks/index.html?path={notebook.name}"
    assert expected in _links(notebook)
    page = (HTML / "chapters" / f"{notebook.stem}.html").read_text()
    assert "the first visit needs an internet connection" in page
