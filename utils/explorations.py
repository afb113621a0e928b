"""The book's interactive explorations, each declared once (layer 3: ipywidgets).

Every class here is an :class:`utils.widgets.Explorer`: controls, a
``compute`` that calls the math core, and a plot drawn by ``setup`` (once) and
``update`` (per change). Display an instance in a notebook; see
:mod:`utils.widgets` for how the precomputed (HTML) and live (kernel) versions
are made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from . import numdiff
from .plotting import PALETTE, stamp_divergence
from .widgets import Choice, Explorer, Numeric

__all__ = ["FiniteDifferenceStep", "FD_FUNCTIONS"]


# ---------------------------------------------------------------------------
# chapter 1: the finite-difference step
# ---------------------------------------------------------------------------

#: Functions offered by :class:`FiniteDifferenceStep`: label -> (f, f').
FD_FUNCTIONS = {
    "exp(x)": (np.exp, np.exp),
    "sin(x)": (np.sin, np.cos),
    "x³": (lambda x: x**3, lambda x: 3 * x**2),
}


@dataclass(frozen=True)
class StepErrors:
    hs: np.ndarray
    forward: np.ndarray
    central: np.ndarray
    h: float
    forward_at_h: float
    central_at_h: float


class FiniteDifferenceStep(Explorer):
    """Error of the forward and central differences against the step h (chapter 1)."""

    title = "Finite-difference step: truncation against round-off"
    controls = (
        Choice("function", "function", list(FD_FUNCTIONS), "exp(x)"),
        Numeric("log10_h", "step h = 10^", tuple(range(-14, 0)), -5, live_range=(-15, -0.5), fmt=".3g",
                step=0.25),
        Numeric("x", "point x", (1.0,), 1.0, live_range=(-3.0, 3.0), fmt=".2f", live_only=True),
    )
    figsize = (6.4, 3.2)

    def compute(self, function: str, log10_h: float, x: float) -> StepErrors:
        f, df = FD_FUNCTIONS[function]
        hs = np.logspace(-15, -0.5, 59)
        h = 10.0 ** log10_h
        both = np.append(hs, h)
        fwd = numdiff.step_errors(f, df, x, both, scheme="forward")
        cen = numdiff.step_errors(f, df, x, both, scheme="central")
        return StepErrors(hs, fwd[:-1], cen[:-1], h, fwd[-1], cen[-1])

    def setup(self, fig):
        ax = fig.add_subplot()
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(1e-15, 0.5)
        ax.set_ylim(1e-17, 1e2)
        ax.set_xlabel("step $h$")
        ax.set_ylabel("absolute error")
        (fwd,) = ax.plot([], [], "-", color=PALETTE[0], label="forward difference")
        (cen,) = ax.plot([], [], "-", color=PALETTE[1], label="central difference")
        vline = ax.axvline(1e-5, color="0.3", ls=":", lw=1.2)
        (pts,) = ax.plot([], [], "o", color="black", ms=6, zorder=5)
        text = ax.text(0.02, 0.04, "", transform=ax.transAxes, fontsize=9, va="bottom")
        ax.legend(loc="lower right")
        title = ax.set_title(" ")
        return dict(ax=ax, fwd=fwd, cen=cen, vline=vline, pts=pts, text=text, title=title,
                    blit=[fwd, cen, vline, pts, text, title])

    def update(self, s, r: StepErrors, values: Mapping[str, Any]) -> None:
        floor = 1e-17  # exact estimates (error 0) are drawn at the bottom of the axes
        s["fwd"].set_data(r.hs, np.maximum(r.forward, floor))
        s["cen"].set_data(r.hs, np.maximum(r.central, floor))
        s["vline"].set_xdata([r.h, r.h])
        s["pts"].set_data([r.h, r.h], [max(r.forward_at_h, floor), max(r.central_at_h, floor)])
        s["text"].set_text(
            f"at h = {r.h:.1e}:  forward error {r.forward_at_h:.1e},  central error {r.central_at_h:.1e}"
        )
        s["title"].set_text(f"Derivative of {values['function']} at x = {values['x']:.2f}")


# ---------------------------------------------------------------------------
# chapter 7: learning-rate schedules
# ---------------------------------------------------------------------------

#: Schedule types offered by :class:`LearningRateSchedule`: label -> kind.
SCHEDULE_KINDS = {
    "constant": "constant",
    "step": "step",
    "cosine": "cosine",
    "inverse √": "inverse_sqrt",
    "WSD": "wsd",
}


@dataclass(frozen=True)
class ScheduleCurve:
    steps: np.ndarray
    lr: np.ndarray
    phases: tuple  # (start, end, name) of each phase


def schedule_curve(kind: str, warmup: int, total: int, peak: float, floor: float) -> ScheduleCurve:
    """The learning rate of each step ``0 .. total`` for one of :data:`SCHEDULE_KINDS`.

    Every kind starts with the same linear warm-up of ``warmup`` steps (the
    convention of :mod:`utils.schedules`). ``constant`` then stays at the peak;
    ``step`` multiplies it by 0.1 after each third of the remaining steps (the
    floor does not apply); ``cosine`` and ``WSD`` (whose decay is the last 20 %
    of the run) decay to ``floor``; ``inverse_sqrt`` is the Transformer
    schedule scaled so that its peak equals ``peak`` (it has no floor).
    """
    from . import schedules as S

    if not 0 <= warmup < total:
        raise ValueError(f"warm-up steps ({warmup}) must be fewer than total steps ({total})")
    if not 0 <= floor <= peak:
        raise ValueError(f"floor ({floor:g}) must be between 0 and the peak ({peak:g})")
    steps = np.arange(total + 1)
    decay = max(1, total // 5)
    if kind == "constant":
        fn = (lambda s: S.linear_warmup(s, peak, warmup)) if warmup else (lambda s: S.constant(s, peak))
        phases = ((0, warmup, "warm-up"), (warmup, total, "constant"))
    elif kind == "step":
        size = max(1, (total - warmup) // 3)
        fn = lambda s: S.linear_warmup(s, peak, warmup) if s < warmup else S.step_decay(s - warmup, peak, size, 0.1)  # noqa: E731
        phases = ((0, warmup, "warm-up"), (warmup, total, "step decay ×0.1"))
    elif kind == "cosine":
        fn = lambda s: S.cosine_with_warmup(s, peak, warmup, total, floor)  # noqa: E731
        phases = ((0, warmup, "warm-up"), (warmup, total, "cosine decay"))
    elif kind == "inverse_sqrt":
        scale = peak * np.sqrt(max(warmup, 1))
        fn = lambda s: scale * S.inverse_sqrt(s, 1, warmup)  # noqa: E731
        phases = ((0, warmup, "warm-up"), (warmup, total, "∝ 1/√step"))
    elif kind == "wsd":
        decay = min(decay, total - warmup)
        fn = lambda s: S.warmup_stable_decay(s, peak, warmup, total, decay, floor)  # noqa: E731
        phases = ((0, warmup, "warm-up"), (warmup, total - decay, "stable"), (total - decay, total, "decay"))
    else:
        raise ValueError(f"kind must be one of {sorted(SCHEDULE_KINDS.values())}, got {kind!r}")
    return ScheduleCurve(steps, np.array([fn(int(s)) for s in steps]), phases)


class LearningRateSchedule(Explorer):
    """Learning rate against the step for the common schedules, with their phases (chapter 7)."""

    title = "Learning-rate schedules"
    controls = (
        Choice("kind", "schedule", SCHEDULE_KINDS, "cosine"),
        Numeric("warmup", "warm-up steps", (0, 50, 100, 200), 100, live_range=(0, 900), integer=True, fmt="d",
                step=10),
        Numeric("floor_fraction", "floor / peak", (0.0, 0.1), 0.1, live_range=(0.0, 1.0), fmt=".2f", step=0.01),
        Numeric("total", "total steps", (1000,), 1000, live_range=(100, 5000), integer=True, fmt="d", step=50,
                live_only=True),
        Numeric("peak", "peak lr", (3e-4,), 3e-4, live_range=(1e-5, 1e-2), scale="log", fmt=".1e", live_only=True),
    )
    figsize = (6.4, 2.9)

    def compute(self, kind, warmup, floor_fraction, total, peak) -> ScheduleCurve:
        return schedule_curve(kind, int(warmup), int(total), float(peak), float(floor_fraction) * float(peak))

    def setup(self, fig):
        ax = fig.add_subplot()
        (line,) = ax.plot([], [], color=PALETTE[0], lw=2)
        ax.set_xlabel("step")
        ax.set_ylabel("learning rate")
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
        ax.set_title("warm-up–stable–decay schedule, peak 3.0e-04")
        return dict(ax=ax, line=line, decor=[])

    def update(self, s, r: ScheduleCurve, values):
        ax = s["ax"]
        for artist in s["decor"]:
            artist.remove()
        s["decor"] = []
        s["line"].set_data(r.steps, r.lr)
        top = float(np.max(r.lr)) * 1.25
        ax.set_xlim(0, r.steps[-1])
        ax.set_ylim(0, top)
        shades = ["#E69F00", "#009E73", "#CC79A7"]
        for i, (a, b, name) in enumerate(r.phases):
            if b <= a:
                continue
            s["decor"].append(ax.axvspan(a, b, color=shades[i % 3], alpha=0.12, lw=0))
            s["decor"].append(ax.text((a + b) / 2, top * 0.93, name, ha="center", va="top", fontsize=8.5))
        ax.set_title(f"{values['kind'] if values['kind'] != 'wsd' else 'warm-up–stable–decay'} schedule, "
                     f"peak {values['peak']:.1e}")


# ---------------------------------------------------------------------------
# chapter 7: the optimizer race
# ---------------------------------------------------------------------------

RACE_OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw")
RACE_LABELS = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "rmsprop": "RMSprop",
               "adam": "Adam", "adamw": "AdamW"}


def _race_landscapes():
    from . import landscapes as L

    return {
        "quadratic κ=10": L.quadratic(10.0, angle=0.5),
        "Rosenbrock": L.rosenbrock(),
        "Beale": L.beale(),
        "saddle": L.saddle(),
    }


RACE_LANDSCAPES = _race_landscapes()


def _race_hyper(name: str, beta: float) -> dict:
    if name in ("momentum", "nesterov"):
        return {"momentum": beta}
    if name in ("adam", "adamw"):
        return {"betas": (beta, 0.999)} | ({"weight_decay": 0.01} if name == "adamw" else {})
    return {}


_TUNED: dict = {}


def tuned_rates(landscape: str, beta: float, steps: int = 150) -> dict[str, float]:
    """Each optimizer's learning rate tuned on ``landscape`` by :func:`utils.landscapes.tune_lr` (cached)."""
    from . import landscapes as L

    key = (landscape, beta, steps)
    if key not in _TUNED:
        surface = RACE_LANDSCAPES[landscape]
        _TUNED[key] = {n: L.tune_lr(surface, n, steps=steps, **_race_hyper(n, beta)) for n in RACE_OPTIMIZERS}
    return _TUNED[key]


@dataclass(frozen=True)
class Race:
    landscape: str
    paths: dict
    losses: dict
    diverged: dict
    rates: dict


class OptimizerRace(Explorer):
    """Six optimizers on a 2-D landscape, each at its tuned learning rate times a common factor (chapter 7)."""

    title = "Optimizer race"
    controls = (
        Choice("landscape", "landscape", ["quadratic κ=10", "Rosenbrock", "Beale"], "Rosenbrock"),
        Numeric("lr_factor", "lr × tuned", (0.1, 0.3, 1.0, 3.0, 10.0), 1.0, live_range=(0.01, 30.0), scale="log",
                fmt=".3g"),
        Numeric("beta", "momentum β / Adam β₁", (0.9,), 0.9, live_range=(0.0, 0.99), fmt=".2f", step=0.01,
                live_only=True),
        Numeric("steps", "steps", (150,), 150, live_range=(10, 500), integer=True, fmt="d", step=10, live_only=True),
    )
    figsize = (8.6, 3.3)

    def background_key(self, values):
        return values["landscape"], values["steps"]

    def compute(self, landscape, lr_factor, beta, steps) -> Race:
        from . import landscapes as L

        surface = RACE_LANDSCAPES[landscape]
        rates = tuned_rates(landscape, float(beta))
        paths, losses, diverged = {}, {}, {}
        for name in RACE_OPTIMIZERS:
            traj = L.run(surface, name, steps=int(steps), lr=rates[name] * lr_factor, **_race_hyper(name, float(beta)))
            paths[name], losses[name], diverged[name] = traj.points, traj.losses, traj.diverged_at
        return Race(landscape, paths, losses, diverged, {n: rates[n] * lr_factor for n in RACE_OPTIMIZERS})

    def setup(self, fig):
        ax_map, ax_loss = fig.subplots(1, 2, width_ratios=[1, 1.25])
        contours = {}
        for name, surface in RACE_LANDSCAPES.items():
            (x0, x1), (y0, y1) = surface.bounds
            xs, ys = np.meshgrid(np.linspace(x0, x1, 150), np.linspace(y0, y1, 150))
            zs = surface.f(np.stack([xs, ys]))
            if np.min(zs) > 0:
                levels = np.geomspace(np.min(zs) + 1e-3, np.max(zs), 14)
            else:
                levels = np.linspace(np.min(zs), np.max(zs), 14)
            cs = ax_map.contour(xs, ys, zs, levels=levels, colors="0.7", linewidths=0.6)
            cs.set_visible(False)
            (star,) = ax_map.plot(*(surface.minimum or (np.nan, np.nan)), "*", color="black", ms=11, visible=False)
            contours[name] = (cs, star)
        lines = {n: ax_map.plot([], [], "-", lw=1.3, color=PALETTE[i])[0] for i, n in enumerate(RACE_OPTIMIZERS)}
        ends = {n: ax_map.plot([], [], "x", ms=7, mew=2, color=PALETTE[i])[0] for i, n in enumerate(RACE_OPTIMIZERS)}
        curves = {n: ax_loss.plot([], [], lw=1.5, color=PALETTE[i])[0] for i, n in enumerate(RACE_OPTIMIZERS)}
        ax_map.set_xlabel(r"$\theta_1$")
        ax_map.set_ylabel(r"$\theta_2$")
        ax_map.grid(False)
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("loss − minimum")
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(1e-12, 1e4)
        for i, n in enumerate(RACE_OPTIMIZERS):
            curves[n].set_label(f"{RACE_LABELS[n]} (lr 0.0018), diverged at step 000")
        legend = ax_loss.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
        titles = (ax_map.set_title(" "), ax_loss.set_title(" "))
        blit = [*lines.values(), *ends.values(), *curves.values(), legend, *titles]
        return dict(ax_map=ax_map, ax_loss=ax_loss, contours=contours, lines=lines, ends=ends, curves=curves,
                    legend=legend, titles=titles, blit=blit)

    def update(self, s, r: Race, values):
        surface = RACE_LANDSCAPES[r.landscape]
        for name, (cs, star) in s["contours"].items():
            cs.set_visible(name == r.landscape)
            star.set_visible(name == r.landscape)
        (x0, x1), (y0, y1) = surface.bounds
        s["ax_map"].set_xlim(x0, x1)
        s["ax_map"].set_ylim(y0, y1)
        f_min = surface.f(np.array(surface.minimum)) if surface.minimum else None
        for name in RACE_OPTIMIZERS:
            pts, loss, k = r.paths[name], r.losses[name], r.diverged[name]
            s["lines"][name].set_data(pts[:, 0], pts[:, 1])
            s["ends"][name].set_data(pts[-1:, 0] if k is not None else [], pts[-1:, 1] if k is not None else [])
            gap = loss - f_min if f_min is not None else loss - loss.min() + 1e-12
            s["curves"][name].set_data(np.arange(gap.size), np.maximum(gap, 1e-16))
            label = f"{RACE_LABELS[name]} (lr {r.rates[name]:.2g})"
            text = label + (f", diverged at step {k}" if k is not None else "")
            s["curves"][name].set_label(text)
        for text, name in zip(s["legend"].get_texts(), RACE_OPTIMIZERS):
            text.set_text(s["curves"][name].get_label())
        s["ax_loss"].set_xlim(0, values["steps"])
        s["titles"][0].set_text(r.landscape)
        s["titles"][1].set_text(f"lr = tuned × {values['lr_factor']:.3g}, β = {values['beta']:.2f}")
