"""Every chapter, run top to bottom the way Colab runs it (``./dev test colab``).

Not a monkeypatch: the notebooks run in a kernel of their own environment
(``scripts/colab_env.py``: Colab's ipywidgets 7, IPython, ipykernel, NumPy and
Matplotlib, and a ``google.colab`` stand-in imported by the kernel launcher as
in Colab), in a folder with no ``utils`` in it. Their first cell, the set-up
cell, installs ``utils`` as it does in Colab (``pip install
"calcml-utils[widgets] @ git+URL@BRANCH"``, URL and branch from
``_config.yml``); git is told, through its environment only, to fetch that URL
from a local clone of this working tree, and pip runs with no package index, so
the install cannot reach the network nor upgrade what Colab ships.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import colab_env  # noqa: E402
import set_repository  # noqa: E402

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# Appended to each notebook: where utils and ipywidgets came from, as the kernel sees them.
PROBE = """\
import json, sys, ipywidgets, utils
print(json.dumps({"utils": utils.__file__, "ipywidgets": ipywidgets.__version__,
                  "colab": "google.colab" in sys.modules, "python": sys.executable}))"""


def _git(*args: str, cwd: Path) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return out.stdout.strip()


@pytest.fixture(scope="session")
def colab():
    paths = colab_env.ensure()
    # Colab's image has matplotlib's font cache built; build it here before any cell runs
    # (else the first chapter's first plot says so on stderr)
    subprocess.run([str(paths["python"]), "-c", "import matplotlib.font_manager"], check=True)
    return paths


@pytest.fixture(scope="session")
def local_repository(tmp_path_factory):
    """A git repository holding this working tree (committed or not), on the book's branch."""
    url, branch = set_repository.read_config()
    repo = tmp_path_factory.mktemp("repository")
    files = _git("ls-files", "-co", "--exclude-standard", "-z", cwd=ROOT).split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git("init", "-q", "-b", branch, cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("-c", "user.name=test", "-c", "user.email=test@invalid", "commit", "-qm", "wt", cwd=repo)
    return {
        "url": url,
        "branch": branch,
        "path": repo,
        "commit": _git("rev-parse", "HEAD", cwd=repo),
    }


@pytest.fixture(scope="session")
def colab_kernel_env(colab, local_repository):
    """os.environ as the stand-in kernel (and the pip it runs) must see it."""
    saved = dict(os.environ)
    os.environ.pop("PYTHONPATH", None)
    os.environ.update(
        {
            "JUPYTER_PATH": str(colab["jupyter_path"]),
            # git fetches the book's URL from the local clone (git >= 2.31 reads these)
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": f"url.file://{local_repository['path']}.insteadOf",
            "GIT_CONFIG_VALUE_0": local_repository["url"],
            # pip: no index (nothing fetched, nothing upgraded); the build backend from disk
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(colab["wheelhouse"]),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_NO_CACHE_DIR": "1",
        }
    )
    # a clean runtime: utils is not there until a set-up cell installs it
    subprocess.run(
        [str(colab["python"]), "-m", "pip", "uninstall", "-y", "-q", "calcml-utils"],
        check=False,
        capture_output=True,
    )
    yield os.environ
    os.environ.clear()
    os.environ.update(saved)


def _widget_models(nb) -> dict:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def _with_class(models: dict, name: str) -> list[str]:
    return [k for k, m in models.items() if name in m.get("state", {}).get("_dom_classes", [])]


def _run(path: Path, tmp_path: Path, colab) -> nbformat.NotebookNode:
    shutil.copy2(path, tmp_path / path.name)
    nb = nbformat.read(tmp_path / path.name, as_version=4)
    nb.metadata.pop("widgets", None)  # the committed (ipywidgets 8) state: only this run's
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(
        nb,
        kernel_name=str(colab["kernel_name"]),
        timeout=300,
        resources={"metadata": {"path": str(tmp_path)}},
        store_widget_state=True,
    ).execute()
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_chapter_runs_in_the_colab_runtime_with_live_widgets(
    path, tmp_path, colab, local_repository, colab_kernel_env
):
    nb = _run(path, tmp_path, colab)  # raises CellExecutionError on the first failing cell

    # the run was the Colab one: ipywidgets 7, google.colab imported, utils from the set-up cell
    probe = json.loads(nb.cells[-1].outputs[0]["text"])
    assert probe["colab"] is True
    assert probe["ipywidgets"].startswith("7."), probe
    assert probe["python"].startswith(str(colab["venv"])), probe
    assert probe["utils"].startswith(str(colab["venv"])), probe  # installed, not the worktree
    record = next((colab["venv"] / "lib").glob("python3.*/site-packages/calcml_utils-*.dist-info"))
    installed = json.loads((record / "direct_url.json").read_text())
    assert installed["url"] == local_repository["url"]
    assert installed["vcs_info"]["commit_id"] == local_repository["commit"]

    # no cell wrote to stderr (warnings included), except pip's own notes in the set-up cell
    setup = next(c for c in nb.cells if c.cell_type == "code")
    stderr = [
        o["text"]
        for c in nb.cells
        if c.cell_type == "code" and c is not setup
        for o in c.outputs
        if o.get("name") == "stderr"
    ]
    assert stderr == [], stderr

    # each explorer shows its live version only: as many live boxes as the committed
    # notebook (ipywidgets 8, precomputed + live tab) has explorers, no precomputed root
    committed = nbformat.read(path, as_version=4)
    explorers = len(_with_class(_widget_models(committed), "explorer"))
    models = _widget_models(nb)
    live = _with_class(models, "explorer-live")
    assert len(live) == explorers, (len(live), explorers)
    assert _with_class(models, "explorer") == []
    assert not [m for m in models.values() if m["model_name"] in ("TabModel", "StackModel")]
    # ... each one drew its first frame (its Image holds a PNG)
    for key in live:
        image = next(
            models[c.removeprefix("IPY_MODEL_")]
            for c in models[key]["state"]["children"]
            if models[c.removeprefix("IPY_MODEL_")]["model_name"] == "ImageModel"
        )
        assert image.get("buffers"), f"{path.name}: a live explorer shows no image"
    # ... every quiz is shown as Markdown with folded answers (no Stack in ipywidgets 7)
    quiz_cells = [c for c in nb.cells if c.cell_type == "code" and "show_quiz(" in c.source]
    for cell in quiz_cells:
        markdown = [o["data"].get("text/markdown", "") for o in cell.outputs if "data" in o]
        assert any("<details>" in m for m in markdown), f"{path.name}: a quiz is not Markdown"
    # ... and every displayed widget view refers to a model of the run
    views = [
        o["data"][WIDGET_VIEW]["model_id"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if WIDGET_VIEW in o.get("data", {})
    ]
    assert len(views) >= explorers and all(v in models for v in views)
