"""Slider-to-new-plot latency of the live explorers vs the usual interactive_output, in JupyterLab.

    # FiniteDifferenceStep, 30 presses each:
    python bench/bench_widget_latency.py
    # other explorers of utils.explorations:
    python bench/bench_widget_latency.py LearningRate MiniBatch
    python bench/bench_widget_latency.py --presses 60 --slider "point x"

For each explorer class, the script writes a temporary notebook holding two
versions with the same controls (each control's ``live_widget()``) and the same
computation (the explorer's ``compute``):

* **ours**: ``Explorer.live()``: one long-lived figure whose artists are moved
  (and blitted) on every change, encoded to PNG and sent to an ``Image``;
* **naive**: ``ipywidgets.interactive_output`` whose function builds a *new*
  pyplot figure on every change (``plt.figure`` + the explorer's ``setup``,
  which adds the axes, as ``plt.subplots`` would, and ``update``) and shows it
  with ``plt.show()`` in the Output widget, the usual way.

It starts JupyterLab (``tests/browser/jupyterlab.py``) on that folder, opens
the notebook in headless Chromium, runs all cells, then for each version
presses Home and 3 warm-up ArrowRight on the slider, then ArrowRight N times
(ArrowLeft near the end of the range). Each latency is measured in the page,
from the ``keydown`` event (``performance.now()``) to the ``load`` event of the
plot image whose ``src`` changed (``complete`` and ``naturalWidth > 0``); the
next press waits for that and for the kernel to be idle. The kernel side of
every change is timed in the callbacks themselves (compute, draw, encode, send
for ours; compute, figure, show for the naive one), so the report splits each
latency into kernel time and the rest (messages, browser decoding and layout).

Results: ``bench/results/widget_latency.json`` with the machine description.
Target: ours under 120 ms median.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import textwrap
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.browser.jupyterlab import JupyterLab, open_notebook, run_all  # noqa: E402

TARGET_MS = 120.0
OUT = ROOT / "bench" / "results" / "widget_latency.json"

# ---------------------------------------------------------------------------
# the notebook
# ---------------------------------------------------------------------------

SETUP = """
import json, time
import ipywidgets as widgets
import matplotlib.pyplot as plt
from utils import explorations
from utils.plotting import use_book_style

use_book_style()
LOG = open({log!r}, "a", buffering=1)

def log(**record):
    LOG.write(json.dumps(record) + "\\n")
"""

OURS = """
# ours: Explorer.live(), its methods wrapped to time the kernel side of every change
ex = explorations.{cls}()
_t = {{}}
def _timed(name, method):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        if name == "render":
            _t["render_wall"] = time.time()
        try:
            return method(*args, **kwargs)
        finally:
            _t[name] = time.perf_counter() - start
            if name == "render":
                _t["render_end"] = time.perf_counter()
    return wrapper
for _name in ("compute", "draw", "render"):
    setattr(ex, _name, _timed(_name, getattr(ex, _name)))
ours = ex.live()
def _after_redraw(change):  # registered after live()'s own observer: runs once the image is sent
    end = time.perf_counter()
    log(version="ours", control=change["owner"].description, value=change["new"],
        kernel=_t["render"] + (end - _t["render_end"]), compute=_t["compute"],
        draw=_t["draw"] - _t["compute"], encode=_t["render"] - _t["draw"],
        send=end - _t["render_end"],
        wall_start=_t["render_wall"], wall_end=time.time())
for _w in ours.children:
    if hasattr(_w, "value") and not isinstance(_w, (widgets.Image, widgets.HTML)):
        _w.observe(_after_redraw, "value")
ours.add_class("bench-ours")
ours
"""

NAIVE = """
# naive: interactive_output, a new pyplot figure per change, shown with plt.show()
nx = explorations.{cls}()
controls = {{c.name: c.live_widget() for c in nx.controls}}

def plot(**raw):
    wall_start = time.time()
    t0 = time.perf_counter()
    values = {{c.name: c.live_value(raw[c.name]) for c in nx.controls}}
    result = nx.compute(**values)
    t1 = time.perf_counter()
    fig = plt.figure(figsize=nx.figsize, dpi=nx.dpi, layout="constrained")
    state = nx.setup(fig)  # adds the axes (what plt.subplots would do) and the artists
    nx.update(state, result, values)
    t2 = time.perf_counter()
    plt.show()  # the inline backend draws, encodes the PNG and displays it in the Output
    t3 = time.perf_counter()
    log(version="naive", kernel=t3 - t0, compute=t1 - t0, figure=t2 - t1, show=t3 - t2,
        wall_start=wall_start, wall_end=time.time())

out = widgets.interactive_output(plot, controls)
naive = widgets.VBox([*controls.values(), out])
naive.add_class("bench-naive")
naive
"""

VERSIONS = {
    # version: (box class, image selector)
    "ours": ("bench-ours", "img.explorer-live-image"),
    "naive": ("bench-naive", ".widget-output img"),
}


def write_notebook(folder: Path, cls: str, log: Path) -> str:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(textwrap.dedent(src).strip())
        for src in (SETUP.format(log=str(log)), OURS.format(cls=cls), NAIVE.format(cls=cls))
    ]
    name = f"bench_{cls}.ipynb"
    nbformat.write(nb, folder / name)
    return name


# ---------------------------------------------------------------------------
# measuring in the page
# ---------------------------------------------------------------------------

ARM = """
([box, selector]) => {
  const first = box.querySelector(selector);
  const s = {old: first ? first.src : null, t0: null, t1: null};
  window.__latency = s;
  const check = () => {
    if (s.t1 !== null || s.t0 === null) return;
    const img = box.querySelector(selector);
    if (img && img.src !== s.old && img.complete && img.naturalWidth > 0) {
      s.t1 = performance.now();
      document.removeEventListener('keydown', onKey, true);
      box.removeEventListener('load', check, true);
      observer.disconnect();
    }
  };
  const onKey = () => { if (s.t0 === null) s.t0 = performance.now(); };
  const observer = new MutationObserver(check);
  document.addEventListener('keydown', onKey, true);
  box.addEventListener('load', check, true);  // image load events, caught on the way down
  observer.observe(box, {subtree: true, childList: true, attributes: true,
                         attributeFilter: ['src']});
}
"""

# Installed before JupyterLab loads: timestamps (performance.now()) and sizes of
# every websocket frame, to split a latency into browser and kernel/server parts.
WS_TIMING = """
(() => {
  const Base = window.WebSocket;
  const size = d => typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0);
  window.__ws = {sent: [], recv: []};
  class TimedWebSocket extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener('message',
                            e => window.__ws.recv.push([performance.now(), size(e.data)]));
    }
    send(data) { window.__ws.sent.push([performance.now(), size(data)]); return super.send(data); }
  }
  window.WebSocket = TimedWebSocket;
})();
"""

# After a measured press: keydown -> first frame sent -> largest frame received
# (the image) -> image loaded.
SPLIT = """
() => {
  const s = window.__latency, ws = window.__ws;
  const sent = ws.sent.filter(([t]) => t >= s.t0 && t <= s.t1);
  const recv = ws.recv.filter(([t]) => t >= s.t0 && t <= s.t1);
  if (!sent.length || !recv.length) return null;
  const big = recv.reduce((a, b) => (b[1] > a[1] ? b : a));
  ws.sent.length = 0; ws.recv.length = 0;
  // seconds, the kernel's time.time() clock
  const epoch = t => (performance.timeOrigin + t) / 1000;
  return {to_send: sent[0][0] - s.t0, round_trip: big[0] - sent[0][0], to_load: s.t1 - big[0],
          image_frame_bytes: big[1], frames_received: recv.length,
          sent_epoch: epoch(sent[0][0]), image_received_epoch: epoch(big[0])};
}
"""

IMAGE_READY = """
([box, selector]) => {
  const i = box.querySelector(selector);
  return !!i && i.complete && i.naturalWidth > 0;
}
"""


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class Kernel:
    def __init__(self, lab: JupyterLab, name: str):
        self.lab = lab
        sessions = [s for s in lab.api("GET", "/api/sessions") if s["path"].endswith(name)]
        self.id = sessions[0]["kernel"]["id"]

    def state(self) -> dict:
        return self.lab.api("GET", f"/api/kernels/{self.id}")

    def wait_idle_after(self, before: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            k = self.state()
            if k["last_activity"] != before and k["execution_state"] == "idle":
                return
            time.sleep(0.01)
        raise TimeoutError("the kernel did not go idle after the change")


def press_and_time(page, kernel: Kernel, box, knob, selector: str) -> tuple[float, dict | None]:
    """One key press: the latency in ms from keydown to the new image loaded, and its split."""
    value = float(knob.get_attribute("aria-valuenow"))
    top, low = (
        float(knob.get_attribute("aria-valuemax")),
        float(knob.get_attribute("aria-valuemin")),
    )
    key = "ArrowLeft" if value >= top - (top - low) * 0.05 else "ArrowRight"
    before = kernel.state()["last_activity"]
    page.evaluate(ARM, [box, selector])
    knob.press(key)
    page.wait_for_function("() => window.__latency.t1 !== null", timeout=20_000, polling="raf")
    s = page.evaluate("() => window.__latency")
    split = page.evaluate(SPLIT)
    kernel.wait_idle_after(before)
    return s["t1"] - s["t0"], split


def measure(
    page,
    kernel: Kernel,
    version: str,
    slider_label: str | None,
    presses: int,
    warmup: int,
    log: Path,
) -> dict:
    box_class, selector = VERSIONS[version]
    box = page.locator(f".{box_class}")
    box.scroll_into_view_if_needed()
    handle = box.element_handle()
    page.wait_for_function(IMAGE_READY, arg=[handle, selector], timeout=30_000)
    sliders = box.locator(".widget-slider")
    labels = [
        sliders.nth(i).locator(".widget-label").inner_text().strip() for i in range(sliders.count())
    ]
    index = labels.index(slider_label) if slider_label else 0
    knob = sliders.nth(index).locator(".noUi-handle")

    # Home, then the warm-up presses (not measured), then the measured ones.
    if float(knob.get_attribute("aria-valuenow")) > float(knob.get_attribute("aria-valuemin")):
        before = kernel.state()["last_activity"]
        page.evaluate(ARM, [handle, selector])
        knob.press("Home")
        page.wait_for_function("() => window.__latency.t1 !== null", timeout=20_000)
        kernel.wait_idle_after(before)
    for _ in range(warmup):
        press_and_time(page, kernel, handle, knob, selector)
    start_line = len(log.read_text().splitlines())
    measured = [press_and_time(page, kernel, handle, knob, selector) for _ in range(presses)]
    records = [json.loads(line) for line in log.read_text().splitlines()[start_line:]]
    records = [r for r in records if r["version"] == version]
    return {
        "slider": labels[index],
        "samples_ms": [round(x, 2) for x, _ in measured],
        "splits": [split for _, split in measured if split],
        "kernel_records": records,
    }


def summarize(run: dict) -> dict:
    xs = run["samples_ms"]
    out = {
        "slider": run["slider"],
        "n": len(xs),
        "median_ms": round(statistics.median(xs), 1),
        "p90_ms": round(percentile(xs, 0.9), 1),
        "min_ms": round(min(xs), 1),
        "max_ms": round(max(xs), 1),
        "samples_ms": xs,
    }
    recs = run["kernel_records"]
    if recs:
        keys = [
            k
            for k in recs[0]
            if isinstance(recs[0][k], float) and k not in ("value", "wall_start", "wall_end")
        ]
        out["kernel_median_ms"] = {
            k: round(1000 * statistics.median(r[k] for r in recs), 1) for k in keys
        }
        out["kernel_callbacks"] = len(recs)
        out["rest_median_ms"] = round(out["median_ms"] - out["kernel_median_ms"]["kernel"], 1)
    splits = run["splits"]
    if splits:
        out["split_median_ms"] = {
            "keydown_to_message_sent": round(statistics.median(x["to_send"] for x in splits), 1),
            "sent_to_image_received": round(statistics.median(x["round_trip"] for x in splits), 1),
            "image_received_to_loaded": round(statistics.median(x["to_load"] for x in splits), 1),
        }
        out["image_message_bytes_median"] = int(
            statistics.median(x["image_frame_bytes"] for x in splits)
        )
        if (
            len(recs) == len(splits) == len(xs)
        ):  # one callback per press: the same clock on both sides
            out["split_median_ms"]["message_sent_to_callback_start"] = round(
                1000
                * statistics.median(
                    r["wall_start"] - x["sent_epoch"] for r, x in zip(recs, splits, strict=True)
                ),
                1,
            )
            out["split_median_ms"]["callback"] = round(
                1000 * statistics.median(r["wall_end"] - r["wall_start"] for r in recs), 1
            )
            out["split_median_ms"]["callback_end_to_image_received"] = round(
                1000
                * statistics.median(
                    x["image_received_epoch"] - r["wall_end"]
                    for r, x in zip(recs, splits, strict=True)
                ),
                1,
            )
    out["per_press"] = [
        {
            "ms": x,
            **({"kernel_ms": round(1000 * r["kernel"], 1)} if r else {}),
            **(
                {k: round(v, 1) for k, v in sp.items() if k in ("to_send", "round_trip", "to_load")}
                if sp
                else {}
            ),
        }
        # Padded to the presses; records or splits beyond the presses are dropped.
        for x, r, sp in zip(
            xs,
            recs + [None] * (len(xs) - len(recs)),
            splits + [None] * (len(xs) - len(splits)),
            strict=False,
        )
    ]
    return out


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------


def machine(browser) -> dict:
    def version(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "chromium": browser.version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        **{
            pkg: version(pkg)
            for pkg in (
                "jupyterlab",
                "ipywidgets",
                "ipykernel",
                "matplotlib",
                "numpy",
                "playwright",
            )
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "explorers",
        nargs="*",
        default=["FiniteDifferenceStep"],
        help="classes of utils.explorations (default: FiniteDifferenceStep)",
    )
    parser.add_argument(
        "--presses", type=int, default=30, help="measured key presses per version (30)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="warm-up presses per version (3)")
    parser.add_argument(
        "--slider", default=None, help="label of the slider to move (default: the first)"
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help=f"JSON results (default {OUT.relative_to(ROOT)})"
    )
    args = parser.parse_args(argv)

    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed: sudo apt-get install -y chromium")

    loadavg = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-widgets-") as tmp, sync_playwright() as p:
        folder = Path(tmp)
        log = folder / "kernel_timings.jsonl"
        log.touch()
        names = {cls: write_notebook(folder, cls, log) for cls in args.explorers}
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        info = machine(browser)
        info["load_average_at_start"] = [round(x, 2) for x in loadavg]
        with JupyterLab(folder) as lab:
            for cls, name in names.items():
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(WS_TIMING)
                errors = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                open_notebook(page, lab, name)
                run_all(page, timeout=120_000)
                kernel = Kernel(lab, name)
                runs = {
                    v: measure(page, kernel, v, args.slider, args.presses, args.warmup, log)
                    for v in VERSIONS
                }
                page.close()
                for kid in [k["id"] for k in lab.api("GET", "/api/kernels")]:
                    lab.api("DELETE", f"/api/kernels/{kid}")
                summary = {v: summarize(r) for v, r in runs.items()}
                summary["ratio_naive_over_ours"] = round(
                    summary["naive"]["median_ms"] / summary["ours"]["median_ms"], 2
                )
                summary["page_errors"] = errors
                results[cls] = summary
        browser.close()
    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]

    report = {
        "benchmark": (
            "slider-to-new-plot latency in JupyterLab (headless Chromium), "
            "ours vs naive interactive_output"
        ),
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": info,
        "settings": {
            "presses": args.presses,
            "warmup": args.warmup,
            "slider": args.slider or "first",
        },
        "target_median_ms": TARGET_MS,
        "explorers": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")

    print(
        f"JupyterLab {info['jupyterlab']}, Chromium {info['chromium']}, {info['cpu_count']} CPUs, "
        f"Python {info['python']}; {args.presses} presses after {args.warmup} warm-up"
    )
    print(
        f"{'explorer':<22} {'version':<6} {'slider':<16} {'median':>8} {'p90':>8} "
        f"{'kernel':>8} {'rest':>8}"
    )
    for cls, r in results.items():
        for v in VERSIONS:
            s = r[v]
            k = s.get("kernel_median_ms", {}).get("kernel", float("nan"))
            print(
                f"{cls:<22} {v:<6} {s['slider'][:16]:<16} "
                f"{s['median_ms']:>6.1f}ms {s['p90_ms']:>6.1f}ms "
                f"{k:>6.1f}ms {s.get('rest_median_ms', float('nan')):>6.1f}ms"
            )
        print(
            f"{'':<22} naive/ours median ratio: {r['ratio_naive_over_ours']:.2f}x; "
            f"ours {'meets' if r['ours']['median_ms'] < TARGET_MS else 'MISSES'} "
            f"the {TARGET_MS:.0f} ms target"
        )
        for v in VERSIONS:
            parts = r[v].get("kernel_median_ms", {})
            print(
                f"{'':<22} {v}, kernel callback (medians, ms): "
                + ", ".join(f"{k} {val}" for k, val in parts.items())
            )
            split = r[v].get("split_median_ms", {})
            print(
                f"{'':<22} {v}, in the page (medians, ms): "
                + ", ".join(f"{k.replace('_', ' ')} {val}" for k, val in split.items())
                + f"; image message {r[v].get('image_message_bytes_median', 0) / 1000:.0f} kB"
            )
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
