"""Start a throw-away JupyterLab 4 server and drive its notebooks from Playwright.

Used by ``tests/browser/test_jupyterlab.py`` and ``bench/bench_widget_latency.py``.

:class:`JupyterLab` runs ``python -m jupyter lab`` from the current interpreter
(the project's virtualenv) on a free port of 127.0.0.1, with no token or
password, in a private temporary home: its settings (news and update checks
off, so no pop-up covers the page; every notebook cell attached to the DOM),
workspaces, runtime files and user configuration all live in a temporary
folder that is deleted when the server stops. Its root folder is whatever the
caller passes, typically a temporary *copy* of the notebooks, so running them
never touches the committed files.

The ``Notebook*`` helpers below hold the JupyterLab 4 selectors in one place.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

#: Settings written to the private JUPYTERLAB_SETTINGS_DIR (plugin id -> settings).
LAB_SETTINGS = {
    # No "Would you like to receive official Jupyter news?" toast and no update
    # check: both cover the page and the second one goes to the internet.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Attach every cell to the DOM (the default, contentVisibility, may skip
    # painting cells that are off screen; "none" is the plain, predictable mode).
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # Never write the notebook back (the root is a copy anyway).
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLabError(RuntimeError):
    pass


class JupyterLab:
    """A JupyterLab server serving ``root_dir``.

    Use it as a context manager::

        with JupyterLab(folder) as lab:
            page.goto(lab.notebook_url("01_derivatives.ipynb"))
    """

    def __init__(self, root_dir: str | Path, *, startup_timeout: float = 90.0):
        self.root_dir = Path(root_dir).resolve()
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self._home: tempfile.TemporaryDirectory | None = None
        self.log_path: Path | None = None

    # -- life cycle ---------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self, path: str) -> str:
        """The URL that opens ``path`` (relative to the root) in a fresh workspace."""
        return f"{self.url}/lab/tree/{path}?reset"

    def _write_settings(self, settings_dir: Path) -> None:
        for plugin, values in LAB_SETTINGS.items():
            package, name = plugin.rsplit("/", 1)
            target = settings_dir / package / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values, indent=2))

    def start(self) -> JupyterLab:
        self._home = tempfile.TemporaryDirectory(prefix="jupyterlab-test-")
        home = Path(self._home.name)
        folders = {
            name: home / name for name in ("settings", "workspaces", "runtime", "config", "data")
        }
        for folder in folders.values():
            folder.mkdir()
        self._write_settings(folders["settings"])
        env = dict(os.environ)
        env.update(
            JUPYTERLAB_SETTINGS_DIR=str(folders["settings"]),
            JUPYTERLAB_WORKSPACES_DIR=str(folders["workspaces"]),
            JUPYTER_RUNTIME_DIR=str(folders["runtime"]),
            JUPYTER_CONFIG_DIR=str(folders["config"]),  # ignore the user's ~/.jupyter
            JUPYTER_DATA_DIR=str(folders["data"]),  # notebook-signing key and trust database
            PYTHONHASHSEED="0",
        )
        # The kernels are the virtualenv's python3 kernel; make sure the server
        # finds that interpreter first even if the caller's PATH does not.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        self.port = free_port()
        cmd = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ip",
            "127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",  # ServerApp.token, deprecated in jupyter_server 2
            "--ServerApp.password=",
            # No auth at all on this local, throw-away server: let the REST calls
            # of stop() and the tests (POST/DELETE) through without an XSRF cookie.
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={self.root_dir}",
            # window.jupyterapp: a test can open notebook after notebook in one
            # loaded JupyterLab (open_in_lab) instead of loading JupyterLab for each
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self.log_path = home / "server.log"
        with open(self.log_path, "wb") as log:
            # A session of its own: stop() can end the server and the kernels it
            # started (its process group) without touching anything else.
            self.proc = subprocess.Popen(
                cmd,
                cwd=self.root_dir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise JupyterLabError(
                    f"JupyterLab exited with code {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                # /lab answers once the server *and* the lab extension are up.
                with urllib.request.urlopen(f"{self.url}/lab", timeout=5) as r:
                    if r.status == 200:
                        return
            except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
                last_error = exc
            time.sleep(0.2)
        raise JupyterLabError(
            f"JupyterLab did not answer on {self.url} within {self.startup_timeout:.0f} s "
            f"(last error: {last_error}):\n{self.log_tail()}"
        )

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 10.0):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
        return json.loads(text) if text else None

    def stop(self) -> None:
        """Shut the kernels and the server down (REST first, then signals to its process group)."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            clean = False
            try:
                self.api("POST", "/api/shutdown", timeout=5)  # stops the kernels, then the server
                proc.wait(timeout=15)
                clean = True
            except Exception:  # noqa: BLE001 - fall back on signals
                pass
            if not clean:
                for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, None)):
                    try:
                        os.killpg(
                            proc.pid, sig
                        )  # the server's own session: it and its kernels only
                        proc.wait(timeout=wait)
                        break
                    except subprocess.TimeoutExpired:
                        continue
                    except ProcessLookupError:
                        break
                # kernels the server left behind, still in its group
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
        if self._home is not None:
            self._log_copy = self.log_tail(200)
            self._home.cleanup()
            self._home = None

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is not None and self.log_path.exists():
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return getattr(self, "_log_copy", "")

    def log_text(self) -> str:
        return (
            self.log_path.read_text(errors="replace")
            if self.log_path and self.log_path.exists()
            else ""
        )

    def __enter__(self) -> JupyterLab:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def copy_notebooks(src: Path, dst: Path) -> Path:
    """Copy a folder of notebooks (no checkpoints or caches) to ``dst`` and return it."""
    shutil.copytree(
        src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "_build")
    )
    return dst


# ---------------------------------------------------------------------------
# Driving a notebook page (JupyterLab 4 selectors)
# ---------------------------------------------------------------------------

KERNEL_IDLE = """
() => {
  const name = document.querySelector(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName');
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return !!name && !/no kernel/i.test(name.textContent) && !!indicator
         && indicator.getAttribute('data-status') === 'idle';
}
"""

# Every code cell that has source has run (a number in its prompt), none is
# queued or running, and the kernel is idle.
ALL_CELLS_RUN = """
() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  if (cells.length === 0) return false;
  for (const cell of cells) {
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    const text = prompt ? prompt.textContent : '';
    if (text.includes('*')) return false;
    const source = cell.querySelector('.jp-InputArea-editor');
    const empty = source && source.textContent.trim() === '';
    if (!empty && !/\\[\\d+\\]/.test(text)) return false;
  }
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return !!indicator && indicator.getAttribute('data-status') === 'idle';
}
"""

CELL_PROMPTS = """
() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
  .map(p => p.textContent)
"""

# Outputs a reader would see as an error: stderr streams and tracebacks.
ERROR_OUTPUTS = """
() => [...document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
    + ' .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"],'
    + ' .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')]
  .map(e => e.innerText.slice(0, 500))
"""


def open_notebook(page, lab: JupyterLab, path: str, timeout: float = 60_000) -> None:
    """Open ``path`` in a fresh workspace and wait until its kernel is idle."""
    page.goto(lab.notebook_url(path), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout, polling=100)


def run_all(page, timeout: float = 60_000) -> None:
    """Run > Run All Cells, then wait until every cell has run and the kernel is idle."""
    page.click('.lm-MenuBar-itemLabel:text-is("Run")')
    page.click('.lm-Menu-item[data-command="runmenu:run-all"]')
    try:
        page.wait_for_function(ALL_CELLS_RUN, timeout=timeout, polling=100)
    except Exception as exc:  # noqa: BLE001 - add the prompts to the message
        prompts = page.evaluate(CELL_PROMPTS)
        raise AssertionError(
            f"the notebook did not finish running: cell prompts {prompts}"
        ) from exc


# ---------------------------------------------------------------------------
# One loaded JupyterLab, notebook after notebook (needs expose_app_in_browser)
# ---------------------------------------------------------------------------


def load_lab(page, lab: JupyterLab, timeout: float = 60_000) -> None:
    """Load JupyterLab itself in a fresh workspace and wait until it is restored."""
    page.goto(f"{lab.url}/lab?reset", wait_until="domcontentloaded")
    page.wait_for_function("() => !!window.jupyterapp", timeout=timeout, polling=100)
    page.evaluate("() => window.jupyterapp.restored.then(() => true)")


OPEN_IN_LAB = """
async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  app.shell.activateById(panel.id);
}
"""

# Close every notebook without saving (the root is a copy; autosave is off) and
# shut its kernel down.
CLOSE_NOTEBOOKS = """
async () => {
  const app = window.jupyterapp;
  for (const widget of [...app.shell.widgets('main')]) {
    if (!widget.sessionContext) continue;  // the launcher, a log console...
    await widget.sessionContext.shutdown();
    widget.dispose();
  }
}
"""


def open_in_lab(page, path: str, timeout: float = 60_000) -> None:
    """In a loaded JupyterLab (:func:`load_lab`), open ``path`` and wait until its kernel is idle.

    Close the notebook before opening another (:func:`close_notebooks`): the
    helpers of this module look at *the* notebook of the page.
    """
    page.evaluate(OPEN_IN_LAB, path)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout, polling=100)


def close_notebooks(page) -> None:
    """Close every open notebook of a loaded JupyterLab and shut its kernel down."""
    page.evaluate(CLOSE_NOTEBOOKS)


# Run these cells (indices among all the notebook's cells) one after another,
# each awaited (notebook:run-cell resolves once the cell has run).
RUN_CELLS = """
async (indices) => {
  const app = window.jupyterapp;
  const notebook = app.shell.currentWidget.content;
  for (const index of indices) {
    notebook.deselectAll();
    notebook.activeCellIndex = index;
    await app.commands.execute('notebook:run-cell');
  }
}
"""

# Every one of these cells has run (a number in its prompt) and the kernel is idle.
CELLS_RUN = """
(indices) => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  for (const index of indices) {
    const prompt = cells[index] && cells[index].querySelector('.jp-InputArea-prompt');
    if (!prompt || !/\\[\\d+\\]/.test(prompt.textContent)) return false;
  }
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return !!indicator && indicator.getAttribute('data-status') === 'idle';
}
"""


def run_cells(page, indices: list[int], timeout: float = 60_000) -> None:
    """In a loaded JupyterLab (:func:`open_in_lab`), run the current notebook's cells
    ``indices`` (among all its cells, markdown included) in order, and wait until
    each has run and the kernel is idle."""
    page.evaluate(RUN_CELLS, indices)
    try:
        page.wait_for_function(CELLS_RUN, arg=indices, timeout=timeout, polling=100)
    except Exception as exc:  # noqa: BLE001 - add the prompts to the message
        prompts = page.evaluate(CELL_PROMPTS)
        raise AssertionError(
            f"cells {indices} did not finish running: code cell prompts {prompts}"
        ) from exc


# ---------------------------------------------------------------------------
# What the kernel did with a widget message (no polling of the REST API)
# ---------------------------------------------------------------------------

# Record, in the page, every comm message JupyterLab sends to the current
# notebook's kernel (a control moved) and what the kernel answered to it: the
# end of its handling (an "idle" status whose parent is that message) and
# whether it sent binary widget data (an update with a buffer at "value": an
# Image widget's new picture). ``answered(mark)`` sums up the messages sent
# after the first ``mark`` ones.
#
# The answers are read from ``iopubMessage``, which JupyterLab emits once it has
# *handled* a message, one message after the other (ipywidgets' comm handler
# included: the models have their new state, the views are updated). So when
# the "idle" of a move is seen here, every widget change the kernel made in
# answer to it is already on the page (``anyMessage`` would be too early: it
# fires on arrival).
WATCH_KERNEL = """
() => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const watch = {kernel: kernel.id, sent: [], idle: new Set(), image: new Set()};
  watch.answered = (mark) => {
    const mine = watch.sent.slice(mark);
    return {sent: mine.length,
            handled: mine.length > 0 && mine.every(id => watch.idle.has(id)),
            image: mine.some(id => watch.image.has(id))};
  };
  kernel.anyMessage.connect((_, {msg, direction}) => {
    if (direction === 'send' && msg.header.msg_type === 'comm_msg') {
      watch.sent.push(msg.header.msg_id);
    }
  });
  kernel.iopubMessage.connect((_, msg) => {
    const type = msg.header.msg_type;
    const parent = msg.parent_header && msg.parent_header.msg_id;
    if (!parent) return;
    if (type === 'status' && msg.content.execution_state === 'idle') watch.idle.add(parent);
    else if (type === 'comm_msg'
             && (msg.content.data.buffer_paths || []).some(p => p[0] === 'value')) {
      watch.image.add(parent);
    }
  });
  window.labKernelWatch = watch;
  return kernel.id;
}
"""

# How many comm messages have been sent so far (the mark before a move).
MESSAGES_SENT = "() => window.labKernelWatch.sent.length"


def watch_kernel(page) -> str:
    """Start recording what the current notebook's kernel does with widget messages
    (see :data:`WATCH_KERNEL`); return the kernel's id."""
    return page.evaluate(WATCH_KERNEL)


# Run code in the current notebook's kernel, silently (no cell, no output, no
# history); resolve with the reply's status.
EXECUTE_SILENTLY = """
async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, silent: true, store_history: false});
  const reply = await future.done;
  return reply.content.status === 'ok' ? 'ok' : `${reply.content.ename}: ${reply.content.evalue}`;
}
"""


def execute_silently(page, code: str) -> None:
    """Run ``code`` in the current notebook's kernel, outside any cell; raise if it fails."""
    status = page.evaluate(EXECUTE_SILENTLY, code)
    if status != "ok":
        raise AssertionError(f"the kernel could not run {code!r}: {status}")
