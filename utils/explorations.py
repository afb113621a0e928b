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
