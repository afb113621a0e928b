"""The book's interactive explorations, each declared once (layer 3: ipywidgets).

Every class here is an :class:`utils.widgets.Explorer`: controls, a
``compute`` that calls the math core, and a plot drawn by ``setup`` (once) and
``update`` (per change). Display an instance in a notebook; see
:mod:`utils.widgets` for how the precomputed (HTML) and live (kernel) versions
are made from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from . import landscapes, numdiff, schedules
from .optim import OPTIMIZER_NAMES
from .plotting import LINESTYLES, MARKERS, PALETTE, set_divergence, stamp_divergence
from .widgets import POWER_OF_TEN, Choice, Explorer, Numeric, power_of_ten

__all__ = [
    "FiniteDifferenceStep",
    "LearningRate",
    "MiniBatch",
    "DepthAndInit",
    "LearningRateSchedule",
    "OptimizerRace",
    "ALL_EXPLORERS",
    "FD_FUNCTIONS",
    "SCHEDULE_KINDS",
    "RACE_BETAS",
]


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
class FiniteDifferenceCurves:
    """What :class:`FiniteDifferenceStep` draws: both error curves and the errors at ``h``."""

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
        Numeric(
            "log10_h",
            "step h",
            tuple(range(-14, 0)),
            -5,
            live_range=(-15, -0.5),
            fmt=POWER_OF_TEN,
            step=0.25,
        ),
        Numeric("x", "point x", (1.0,), 1.0, live_range=(-3.0, 3.0), fmt=".2f", live_only=True),
    )
    figsize = (6.4, 3.2)

    def compute(self, function: str, log10_h: float, x: float) -> FiniteDifferenceCurves:
        f, df = FD_FUNCTIONS[function]
        hs = np.logspace(-15, -0.5, 59)
        h = 10.0**log10_h
        both = np.append(hs, h)
        fwd = numdiff.step_errors(f, df, x, both, scheme="forward")
        cen = numdiff.step_errors(f, df, x, both, scheme="central")
        return FiniteDifferenceCurves(hs, fwd[:-1], cen[:-1], h, fwd[-1], cen[-1])

    def setup(self, fig):
        ax = fig.add_subplot()
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(1e-15, 0.5)
        ax.set_ylim(1e-17, 1e1)
        ax.set_xlabel("step $h$")
        ax.set_ylabel("absolute error")
        (fwd,) = ax.plot([], [], ls=LINESTYLES[0], color=PALETTE[0], label="forward difference")
        (cen,) = ax.plot([], [], ls=LINESTYLES[1], color=PALETTE[1], label="central difference")
        vline = ax.axvline(1e-5, color="0.3", ls=":", lw=1.2)
        (pts,) = ax.plot([], [], "o", color="black", ms=6, zorder=5)
        # top centre, above both curves (they rise only at the ends), on an opaque box
        text = ax.text(
            0.5,
            0.96,
            "",
            transform=ax.transAxes,
            fontsize=9,
            ha="center",
            va="top",
            zorder=6,
            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.6", lw=0.6, alpha=0.9),
        )
        ax.legend(loc="lower right", handlelength=3)
        title = ax.set_title(" ")
        return dict(
            ax=ax,
            fwd=fwd,
            cen=cen,
            vline=vline,
            pts=pts,
            text=text,
            title=title,
            blit=[fwd, cen, vline, pts, text, title],
        )

    def update(self, s, r: FiniteDifferenceCurves, values: Mapping[str, Any]) -> None:
        floor = 1e-17  # exact estimates (error 0) are drawn at the bottom of the axes
        s["fwd"].set_data(r.hs, np.maximum(r.forward, floor))
        s["cen"].set_data(r.hs, np.maximum(r.central, floor))
        s["vline"].set_xdata([r.h, r.h])
        s["pts"].set_data([r.h, r.h], [max(r.forward_at_h, floor), max(r.central_at_h, floor)])
        s["text"].set_text(
            f"at h = {r.h:.1e}:  forward error {r.forward_at_h:.1e},  "
            f"central error {r.central_at_h:.1e}"
        )
        s["title"].set_text(f"Derivative of {values['function']} at x = {values['x']:.2f}")

    def describe(self, r: FiniteDifferenceCurves, values: Mapping[str, Any]) -> str:
        def smallest(err):
            if np.any(err == 0):
                return "0 (exact) at some steps"
            return f"{err.min():.1e} near h = {r.hs[np.argmin(err)]:.0e}"

        return (
            "Log-log plot of the errors of the forward (solid) and central (dashed) "
            f"differences for the derivative of {values['function']} at "
            f"x = {values['x']:.2f}, against the step h from 10⁻¹⁵ to 0.3. "
            f"At h = {power_of_ten(values['log10_h'])} the forward error is "
            f"{r.forward_at_h:.1e} and the central error {r.central_at_h:.1e}. "
            f"The smallest errors on the curves are {smallest(r.forward)} (forward) "
            f"and {smallest(r.central)} (central)."
        )


# ---------------------------------------------------------------------------
# chapter 4: the learning rate
# ---------------------------------------------------------------------------

LR_VIEWS = {"1-D: (w − 3)²": "1d", "2-D: ill-conditioned bowl": "2d"}
BOWL_ANGLE = np.pi / 6  # the bowl's axes are not the coordinate axes


def _first_zero(losses: np.ndarray) -> int | None:
    """The first step whose loss is exactly 0, or None."""
    zeros = np.flatnonzero(losses == 0)
    return int(zeros[0]) if zeros.size else None


def _bowl_regime(r, sentence: bool = False) -> str:
    """What a 2-D run does as a whole: its factor ρ = max|1 − ηλᵢ| and the fastest rate.

    The 1-D regimes (optimal at η = 1/λ) describe one direction only; for the bowl
    the fastest rate is η* = 2/(λ_min + λ_max), η* / η_max = κ/(κ + 1) (chapter 4).
    """
    lim = r.lr_limits
    rho = r.contraction
    best = lim["optimal"] / lim["max_stable"]
    if sentence:
        verdict = (
            "above 1: diverges"
            if rho > 1
            else "1: neither converges nor diverges"
            if rho == 1
            else "below 1: converges"
        )
        return (
            f"for the whole bowl the per-step factor of the error in its slowest direction, "
            f"ρ = max|1 − ηλᵢ|, is {rho:.3g} ({verdict}); the fastest rate for this bowl "
            f"is η / η_max = κ/(κ + 1) = {best:.2f}, where ρ = {lim['rate_at_optimal']:.3g}"
        )
    return (
        f"whole bowl: error × ρ = {rho:.3g} per step\n"
        f"fastest: η / η_max = {best:.2f} (ρ = {lim['rate_at_optimal']:.2g})"
    )


class LearningRate(Explorer):
    """Gradient descent for learning rates from slow to divergent (chapter 4).

    In 1-D on a parabola, and on an ill-conditioned 2-D quadratic bowl.
    """

    title = "The learning rate: slow, optimal, oscillating, divergent"
    controls = (
        Choice("view", "view", LR_VIEWS, "1d"),
        Numeric(
            "fraction",
            "η / η_max",
            (0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1),
            0.3,
            live_range=(0.01, 1.3),
            fmt=".2f",
            step=0.01,
        ),
        Numeric(
            "condition",
            "condition κ (2-D)",
            (3.0, 10.0, 30.0),
            10.0,
            live_range=(1.0, 100.0),
            scale="log",
            fmt=".3g",
            applies_when=("view", ("2d",)),
        ),
    )
    figsize = (7.6, 3.1)
    levels = (0.5, 2.0, 6.0, 15.0, 35.0, 80.0)
    steps = {"1d": 40, "2d": 60}
    loss_floor = 1e-12  # the bottom of the loss axis

    def background_key(self, values):
        return values["view"]

    def compute(self, view, fraction, condition):
        from . import descent

        if view == "1d":
            return descent.gd_quadratic_1d(
                lr=fraction * 1.0, steps=self.steps["1d"]
            )  # eta_max = 2 / L'' = 1
        limits = descent.quadratic_lr_limits(condition)
        return descent.gd_quadratic_2d(
            lr=fraction * limits["max_stable"],
            condition=condition,
            steps=self.steps["2d"],
            angle=BOWL_ANGLE,
        )

    def setup(self, fig):
        ax_path, ax_loss = fig.subplots(1, 2, width_ratios=[1, 1.2])
        (curve,) = ax_path.plot([], [], color="0.45", lw=1.2)
        # level sets: solid, mid-grey (the frames are PNGs on a light card, also in dark mode)
        rings = [ax_path.plot([], [], color="0.5", ls="-", lw=0.8)[0] for _ in self.levels]
        (path,) = ax_path.plot([], [], "o-", color=PALETTE[0], ms=3.5, lw=1.1)
        (start,) = ax_path.plot([], [], "o", color=PALETTE[1], ms=6)
        (star,) = ax_path.plot([], [], "*", color="black", ms=11)
        (loss,) = ax_loss.plot([], [], "o-", color=PALETTE[0], ms=3, lw=1.2)
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(self.loss_floor, 1e8)
        ax_loss.set_xlabel("step $t$")
        ax_loss.set_ylabel("loss (log scale)")
        # top right, clear of a loss that falls; moved to the bottom right when the loss climbs
        # (see update); the divergence stamp sits in the centre
        regime = ax_loss.text(
            0.97,
            0.96,
            "whole bowl: error × ρ = 0.000 per step\nfastest: η / η_max = 0.99 (ρ = 0.98)",
            transform=ax_loss.transAxes,
            ha="right",
            va="top",
            fontsize=9,
            zorder=6,
            bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="none", alpha=0.85),
        )
        stamp = stamp_divergence(ax_loss)
        titles = (
            ax_path.set_title("κ = 100, η = 0.0200"),
            ax_loss.set_title("loss, η / η_max = 1.10"),
        )
        blit = [curve, *rings, path, start, star, loss, regime, stamp, *titles]
        return dict(
            ax_path=ax_path,
            ax_loss=ax_loss,
            curve=curve,
            rings=rings,
            path=path,
            start=start,
            star=star,
            loss=loss,
            regime=regime,
            stamp=stamp,
            titles=titles,
            blit=blit,
        )

    def update(self, s, r, values):
        from . import descent

        ax = s["ax_path"]
        if values["view"] == "1d":
            ws = np.linspace(-1.5, 7.5, 200)
            s["curve"].set_data(ws, (ws - 3) ** 2)
            for ring in s["rings"]:
                ring.set_data([], [])
            ax.set_xlim(-1.5, 7.5)
            ax.set_ylim(-0.5, 14)
            ax.set_xlabel("$w$")
            ax.set_ylabel("$L(w)$")
            s["path"].set_data(r.iterates, r.losses)
            s["start"].set_data(r.iterates[:1], r.losses[:1])
            s["star"].set_data([3.0], [0.0])
            s["titles"][0].set_text(f"iterates on the parabola, η = {r.lr:.3g}")
            curvature = 2.0
        else:
            s["curve"].set_data([], [])
            for ring, level in zip(s["rings"], self.levels, strict=True):
                pts = landscapes.quadratic_level_set(values["condition"], level, angle=BOWL_ANGLE)
                ring.set_data(pts[:, 0], pts[:, 1])
            ax.set_xlim(-6, 6)
            ax.set_ylim(-5, 5)
            ax.set_xlabel(r"$\theta_1$")
            ax.set_ylabel(r"$\theta_2$")
            s["path"].set_data(r.iterates[:, 0], r.iterates[:, 1])
            s["start"].set_data(r.iterates[:1, 0], r.iterates[:1, 1])
            s["star"].set_data([0.0], [0.0])
            s["titles"][0].set_text(f"κ = {values['condition']:.3g}, η = {r.lr:.3g}")
            curvature = r.lr_limits["lambda_max"]
        s["ax_loss"].set_xlim(-0.5, self.steps[values["view"]] + 0.5)
        # an exact 0 (the 1-D run at η_max / 2) cannot be drawn on a log axis: at the floor
        s["loss"].set_data(np.arange(r.losses.size), np.maximum(r.losses, self.loss_floor))
        if values["view"] == "1d":
            text = "regime: " + descent.quadratic_regime(r.lr, curvature)
        else:
            text = _bowl_regime(r)
        zero = _first_zero(r.losses)
        if zero is not None:
            text += f"\nloss exactly 0 from step {zero} (drawn at the axis floor)"
        s["regime"].set_text(text)
        climbs = r.diverged_at is not None
        s["regime"].set_position((0.97, 0.04 if climbs else 0.96))
        s["regime"].set_verticalalignment("bottom" if climbs else "top")
        set_divergence(s["stamp"], r.diverged_at)
        s["titles"][1].set_text(f"loss, η / η_max = {values['fraction']:.2f}")

    def describe(self, r, values) -> str:
        from . import descent

        if values["view"] == "1d":
            where = "Gradient descent on the parabola L(w) = (w − 3)², starting at w = 0"
            regime = "regime: " + descent.quadratic_regime(r.lr, 2.0)
        else:
            where = (
                "Gradient descent on a 2-D quadratic bowl with condition number "
                f"κ = {values['condition']:.3g}, its path drawn over the level sets"
            )
            regime = _bowl_regime(r, sentence=True)
        zero = _first_zero(r.losses)
        if zero is not None:
            regime += f"; the loss is exactly 0 from step {zero} on"
        end = (
            f"it diverges at step {r.diverged_at}"
            if r.diverged_at is not None
            else (
                f"the loss goes from {r.losses[0]:.2g} to {r.losses[-1]:.1e} "
                f"in {r.losses.size - 1} steps"
            )
        )
        return (
            f"{where}, with η = {r.lr:.3g} (η / η_max = {values['fraction']:.2f}); {regime}; {end}."
        )


# ---------------------------------------------------------------------------
# chapter 4: the mini-batch size
# ---------------------------------------------------------------------------


class MiniBatch(Explorer):
    """Mini-batch SGD on a noisy linear regression (chapter 4).

    The path of the parameters over the loss contours, and the full-data loss.
    """

    title = "Mini-batch size and learning rate"
    controls = (
        Numeric(
            "batch_size",
            "batch size",
            (1, 10, 100, 1000),
            10,
            live_range=(1, 1000),
            integer=True,
            fmt="d",
        ),
        Numeric(
            "lr",
            "learning rate η",
            (0.01, 0.03, 0.1, 0.3),
            0.1,
            live_range=(0.001, 1.5),
            scale="log",
            fmt=".3g",
        ),
        Numeric(
            "epochs", "epochs", (5,), 5, live_range=(1, 20), integer=True, fmt="d", live_only=True
        ),
    )
    figsize = (7.6, 3.1)

    def background_key(self, values):
        return values["epochs"]

    def compute(self, batch_size, lr, epochs):
        from . import descent

        return descent.minibatch_sgd_linear_regression(
            int(batch_size), float(lr), epochs=int(epochs)
        )

    def setup(self, fig):
        from . import descent

        ax_path, ax_loss = fig.subplots(1, 2, width_ratios=[1, 1.2])
        ref = descent.minibatch_sgd_linear_regression(
            1000, 0.1, epochs=1
        )  # the data and the optimum
        ws, bs = np.meshgrid(np.linspace(-0.5, 3.5, 120), np.linspace(-0.5, 2.0, 120))
        # the full-data MSE at each grid point, one row of the grid at a time: the same
        # numbers as all rows at once, without a 120 x 120 x 1000 temporary (6 times faster)
        mse = np.empty_like(ws)
        for i in range(ws.shape[0]):
            mse[i] = np.mean((ws[i, :, None] * ref.x + bs[i, :, None] - ref.y) ** 2, axis=-1)
        ax_path.contour(
            ws,
            bs,
            mse,
            levels=np.geomspace(ref.optimum_loss * 1.05, mse.max(), 12),
            colors="0.75",
            linewidths=0.7,
        )
        (path,) = ax_path.plot([], [], "-", color=PALETTE[0], lw=0.9)
        # the optimum on top of the path (a batch-1 path covers it), outlined to stand out
        # (blitted after the path, so drawn over it)
        (star,) = ax_path.plot(
            *ref.optimum, "*", color="black", mec="white", mew=1.2, ms=14, zorder=6
        )
        (ends,) = ax_path.plot([], [], "o", color=PALETTE[1], ms=4)
        ax_path.set_xlim(-0.5, 3.5)
        ax_path.set_ylim(-0.5, 2.0)
        ax_path.set_xlabel("slope $w$")
        ax_path.set_ylabel("intercept $b$")
        ax_path.grid(False)
        ax_loss.axhline(ref.optimum_loss, color="black", ls=":", lw=1)
        # below the floor, where no full-data loss can go
        ax_loss.text(
            0.98,
            ref.optimum_loss / 1.12,
            "least-squares floor",
            fontsize=9,
            ha="right",
            va="top",
            transform=ax_loss.get_yaxis_transform(),
        )
        (loss,) = ax_loss.plot([], [], color=PALETTE[0], lw=1.2)
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(ref.optimum_loss * 0.45, 20)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel("full-data MSE (log scale)")
        stamp = stamp_divergence(ax_loss)
        titles = (
            ax_path.set_title("(w, b) after each update; dots: epoch ends"),
            ax_loss.set_title("batch 1000, η = 0.001: 5000 updates"),
        )
        return dict(
            ax_loss=ax_loss,
            path=path,
            ends=ends,
            loss=loss,
            stamp=stamp,
            titles=titles,
            blit=[path, ends, star, loss, stamp, titles[1]],
        )

    def update(self, s, r, values):
        s["path"].set_data(r.params[:, 0], r.params[:, 1])
        ends = r.params[r.epochs_at] if len(r.epochs_at) else r.params[:0]
        s["ends"].set_data(ends[:, 0], ends[:, 1])
        epochs = np.arange(r.full_losses.size) / r.updates_per_epoch
        s["loss"].set_data(epochs, r.full_losses)
        s["ax_loss"].set_xlim(0, values["epochs"])
        set_divergence(s["stamp"], r.diverged_at)
        s["titles"][1].set_text(
            f"batch {r.batch_size}, η = {r.lr:.3g}: {r.full_losses.size - 1} updates"
        )

    def describe(self, r, values) -> str:
        end = (
            f"it diverges at update {r.diverged_at}"
            if r.diverged_at is not None
            else f"the full-data loss goes from {r.full_losses[0]:.2g} to {r.full_losses[-1]:.3g}"
        )
        return (
            "Mini-batch SGD on a noisy linear regression with batch size "
            f"{r.batch_size} and η = {r.lr:.3g} for {values['epochs']} epochs "
            f"({r.full_losses.size - 1} updates): the path of (w, b) over the "
            "loss contours (left) and the full-data loss (right); "
            f"{end}, against a least-squares floor of {r.optimum_loss:.3g}."
        )


# ---------------------------------------------------------------------------
# chapter 6: depth, activation, initialisation and residual connections
# ---------------------------------------------------------------------------


class DepthAndInit(Explorer):
    """Per-layer gradient norms of a deep MLP at initialisation (chapter 6)."""

    title = "Gradient flow at initialisation: activation, initialisation, residual connections"
    controls = (
        Choice("activation", "activation", ["sigmoid", "tanh", "relu", "gelu"], "sigmoid"),
        Choice(
            "init",
            "initialisation",
            {"naive N(0,1)": "naive", "Glorot": "glorot", "He": "he"},
            "glorot",
        ),
        Choice("residual", "residual", {"off": False, "on": True}, False),
        Numeric(
            "depth", "depth", (30,), 30, live_range=(2, 100), integer=True, fmt="d", live_only=True
        ),
    )
    figsize = (7.6, 3.1)

    def compute(self, activation, init, residual, depth):
        from . import gradflow

        return gradflow.gradient_norms(
            int(depth), activation=activation, init=init, residual=bool(residual)
        )

    def setup(self, fig):
        ax_grad, ax_act = fig.subplots(1, 2)
        (grad,) = ax_grad.plot([], [], "o-", color=PALETTE[0], ms=3, lw=1.2)
        (act,) = ax_act.plot([], [], "o-", color=PALETTE[2], ms=3, lw=1.2)
        for ax in (ax_grad, ax_act):
            ax.set_yscale("log")
            # few labelled decades and no minor ticks: tick labels are most of a draw's cost
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_xlabel("layer $l$ (1 = next to the input)")
        ax_grad.set_ylabel(r"$\|\partial L / \partial W_l\|$")
        ax_act.set_ylabel("std of the activations $h_l$")
        note = ax_grad.text(
            0.5,
            0.5,
            "",
            transform=ax_grad.transAxes,
            ha="center",
            color="#B00020",
            fontweight="bold",
        )
        ax_grad.set_title("gradient norm per layer; first / last = 1.0e-30")
        ax_act.set_title("forward signal per layer")
        return dict(ax_grad=ax_grad, ax_act=ax_act, grad=grad, act=act, note=note)

    def update(self, s, r, values):
        s["grad"].set_data(r.grad_layers, r.grad_norms)
        s["act"].set_data(r.activation_layers, r.activation_std)
        for ax, ys in ((s["ax_grad"], r.grad_norms), (s["ax_act"], r.activation_std)):
            ax.set_xlim(0, r.depth + 1)
            if ys.size and np.all(ys > 0):  # at least two decades, so the axis shows powers of ten
                lo, hi = np.log10(ys.min()), np.log10(ys.max())
                mid = (lo + hi) / 2
                ax.set_ylim(10 ** min(lo - 0.3, mid - 1), 10 ** max(hi + 0.3, mid + 1))
        ratio = f"first / last = {r.ratio:.1e}" if r.ratio is not None else "first / last undefined"
        s["ax_grad"].set_title(f"gradient norm per layer; {ratio}")
        s["note"].set_text(
            f"overflow in the {r.overflow_in} pass at layer {r.overflow_at}"
            if r.overflow_at
            else ""
        )

    def describe(self, r, values) -> str:
        residual = "with" if r.residual else "without"
        ratio = f"first / last = {r.ratio:.1e}" if r.ratio is not None else "first / last undefined"
        init = {"naive": "naive N(0,1)", "glorot": "Glorot", "he": "He"}[values["init"]]
        text = (
            "Gradient norm per layer (left, log scale) and standard deviation of the "
            f"activations per layer (right) of a {r.depth}-layer {r.activation} network, "
            f"{init} initialisation, {residual} residual connections: {ratio}"
        )
        if r.grad_norms.size:
            text += f"; gradient norms from {r.grad_norms.min():.1e} to {r.grad_norms.max():.1e}"
        if r.overflow_at:
            text += f"; overflow in the {r.overflow_in} pass at layer {r.overflow_at}"
        return text + "."


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
#: The reader-facing name of each schedule kind, for titles and alt text.
SCHEDULE_NAMES = {
    "constant": "constant",
    "step": "step decay",
    "cosine": "cosine",
    "inverse_sqrt": "inverse square root",
    "wsd": "warm-up–stable–decay",
}


class LearningRateSchedule(Explorer):
    """Learning rate against the step for the common schedules, with their phases (chapter 7)."""

    title = "Learning-rate schedules"
    controls = (
        Choice("kind", "schedule", SCHEDULE_KINDS, "cosine"),
        Numeric(
            "warmup",
            "warm-up steps",
            (0, 50, 100, 200),
            100,
            live_range=(0, 900),
            integer=True,
            fmt="d",
            step=10,
        ),
        Numeric(
            "floor_fraction",
            "floor / peak",
            (0.0, 0.1),
            0.1,
            live_range=(0.0, 1.0),
            fmt=".2f",
            step=0.01,
            applies_when=("kind", ("cosine", "wsd")),  # the schedules that decay to a floor
        ),
        Numeric(
            "total",
            "total steps",
            (1000,),
            1000,
            live_range=(100, 5000),
            integer=True,
            fmt="d",
            step=50,
            live_only=True,
        ),
        Numeric(
            "peak",
            "peak lr",
            (3e-4,),
            3e-4,
            live_range=(1e-5, 1e-2),
            scale="log",
            fmt=".1e",
            live_only=True,
        ),
    )
    figsize = (6.4, 2.9)

    def compute(self, kind, warmup, floor_fraction, total, peak) -> schedules.ScheduleCurve:
        return schedules.schedule_curve(
            kind, int(warmup), int(total), float(peak), float(floor_fraction) * float(peak)
        )

    def background_key(self, values):
        return values["total"], values["peak"]

    def setup(self, fig):
        ax = fig.add_subplot()
        shades = ["#E69F00", "#009E73", "#CC79A7"]
        spans = [ax.axvspan(0, 1, color=shades[i], alpha=0.12, lw=0) for i in range(3)]
        labels = [ax.text(0, 0, "", ha="center", va="top", fontsize=9) for _ in range(3)]
        (line,) = ax.plot([], [], color=PALETTE[0], lw=2)
        ax.set_xlabel("step")
        ax.set_ylabel("learning rate")
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
        title = ax.set_title("warm-up–stable–decay schedule, peak 3.0e-04")
        return dict(
            ax=ax,
            line=line,
            spans=spans,
            labels=labels,
            title=title,
            blit=[*spans, line, *labels, title],
        )

    def update(self, s, r: schedules.ScheduleCurve, values):
        ax = s["ax"]
        top = float(values["peak"]) * 1.3
        ax.set_xlim(0, r.steps[-1])
        ax.set_ylim(0, top)
        s["line"].set_data(r.steps, r.lr)
        for i, (span, label) in enumerate(zip(s["spans"], s["labels"], strict=True)):
            a, b, name = r.phases[i] if i < len(r.phases) else (0, 0, "")
            span.set_x(a)
            span.set_width(b - a)
            span.set_visible(b > a)
            label.set_position(((a + b) / 2, top * 0.96))
            label.set_text(name if b > a else "")
        kind = SCHEDULE_NAMES[values["kind"]]
        s["title"].set_text(f"{kind} schedule, peak {values['peak']:.1e}")

    def describe(self, r: schedules.ScheduleCurve, values) -> str:
        kind = SCHEDULE_NAMES[values["kind"]]
        phases = "; ".join(f"{name} from step {a} to {b}" for a, b, name in r.phases if b > a)
        return (
            f"Learning rate against the step for the {kind} schedule over "
            f"{r.steps[-1]} steps, peak {values['peak']:.1e}: {phases}. "
            f"It starts at {r.lr[0]:.1e}, reaches its maximum {r.lr.max():.1e} "
            f"and ends at {r.lr[-1]:.1e}."
        )


# ---------------------------------------------------------------------------
# chapter 7: the optimizer race
# ---------------------------------------------------------------------------

RACE_OPTIMIZERS = OPTIMIZER_NAMES  # every optimizer races
RACE_LABELS = {
    "sgd": "SGD",
    "momentum": "momentum",
    "nesterov": "Nesterov",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
}
RACE_LANDSCAPES = landscapes.RACE_LANDSCAPES
#: The values of β the race offers (live only); the learning rates are tuned for each.
RACE_BETAS = {"0.5": 0.5, "0.8": 0.8, "0.9": 0.9, "0.95": 0.95, "0.99": 0.99}
ESCAPED = "escaped (loss → −∞)"


def race_rates(landscape: str, beta: float) -> dict[str, float]:
    """The tuned rates the race uses on ``landscape`` (the saddle borrows the quadratic's)."""
    tuned_on = landscapes.RACE_LANDSCAPES[landscapes.RACE_TUNED_ON[landscape]]
    return landscapes.tuned_rates(tuned_on, float(beta))


@dataclass(frozen=True)
class Race:
    """What :class:`OptimizerRace` draws: per optimizer, its path, losses, rate and outcome."""

    landscape: str
    paths: dict
    losses: dict
    diverged: dict  # step of the divergence, or None (an escape is not a divergence)
    escaped: dict  # step of the escape down an unbounded landscape, or None
    rates: dict


def _outcome(r: Race, name: str) -> str:
    if r.escaped[name] is not None:
        return ESCAPED
    if r.diverged[name] is not None:
        return f"diverged at step {r.diverged[name]}"
    return ""


class OptimizerRace(Explorer):
    """Six optimizers race on a 2-D landscape (chapter 7).

    Each runs at its tuned learning rate times a common factor.
    """

    title = "Optimizer race"
    controls = (
        Choice("landscape", "landscape", list(RACE_LANDSCAPES), "Rosenbrock"),
        Numeric(
            "lr_factor",
            "lr × tuned",
            (0.1, 0.3, 1.0, 3.0, 10.0),
            1.0,
            live_range=(0.01, 30.0),
            scale="log",
            fmt=".3g",
        ),
        Choice("beta", "momentum β / Adam β₁", RACE_BETAS, 0.9, live_only=True),
        Numeric(
            "steps",
            "steps",
            (150,),
            150,
            live_range=(10, 500),
            integer=True,
            fmt="d",
            step=10,
            live_only=True,
        ),
    )
    figsize = (8.6, 3.3)

    def background_key(self, values):
        return values["landscape"], values["steps"]

    def layout_values(self):
        # The layout is computed once, on this frame. Its legend must be as wide as any frame's
        # (live rates and step counts reach further than the grid), so the update that follows
        # writes the widest labels instead of this frame's (see _widest_label).
        self._layout_pass = True
        return self.defaults() | {"lr_factor": 10.0}

    @staticmethod
    def _widest_label(name: str) -> str:
        # widest rate text ("+" and "e" are wider than "-" and "."), widest outcome text
        return f"{RACE_LABELS[name]} (lr 8.8e+03), {ESCAPED}"

    def compute(self, landscape, lr_factor, beta, steps) -> Race:
        surface = RACE_LANDSCAPES[landscape]
        rates = {n: r * lr_factor for n, r in race_rates(landscape, beta).items()}
        paths, losses, diverged, escaped = {}, {}, {}, {}
        for name in RACE_OPTIMIZERS:
            traj = landscapes.run(
                surface,
                name,
                steps=int(steps),
                lr=rates[name],
                **landscapes.race_hyper(name, float(beta)),
            )
            escaped[name] = landscapes.escape_step(surface, traj)
            paths[name], losses[name] = traj.points, traj.losses
            diverged[name] = traj.diverged_at if escaped[name] is None else None
        return Race(landscape, paths, losses, diverged, escaped, rates)

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
            (star,) = ax_map.plot(
                *(surface.minimum or (np.nan, np.nan)), "*", color="black", ms=11, visible=False
            )
            contours[name] = (cs, star)
        (start,) = ax_map.plot([], [], "o", ms=8, mfc="white", mec="black", mew=1.5, zorder=4)
        lines = {
            n: ax_map.plot([], [], ls=LINESTYLES[i], lw=1.3, color=PALETTE[i])[0]
            for i, n in enumerate(RACE_OPTIMIZERS)
        }
        # each run's end: its own marker (as in the legend), or a cross where it diverged
        ends = {
            n: ax_map.plot(
                [], [], MARKERS[i], ms=6, mec="black", mew=0.6, color=PALETTE[i], zorder=5
            )[0]
            for i, n in enumerate(RACE_OPTIMIZERS)
        }
        curves = {
            n: ax_loss.plot(
                [],
                [],
                ls=LINESTYLES[i],
                lw=1.5,
                color=PALETTE[i],
                marker=MARKERS[i],
                ms=6,
                mec="black",
                mew=0.6,
                markevery=slice(-1, None),
            )[0]
            for i, n in enumerate(RACE_OPTIMIZERS)
        }
        ax_map.set_xlabel(r"$\theta_1$")
        ax_map.set_ylabel(r"$\theta_2$")
        ax_map.grid(False)
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("loss − minimum")
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(1e-12, 1e4)
        for n in RACE_OPTIMIZERS:
            curves[n].set_label(self._widest_label(n))
        legend = ax_loss.legend(
            loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, handlelength=2.6
        )
        titles = (ax_map.set_title(" "), ax_loss.set_title(" "))
        blit = [*lines.values(), *ends.values(), *curves.values(), legend, *titles]
        return dict(
            ax_map=ax_map,
            ax_loss=ax_loss,
            contours=contours,
            start=start,
            lines=lines,
            ends=ends,
            curves=curves,
            legend=legend,
            titles=titles,
            blit=blit,
        )

    def update(self, s, r: Race, values):
        surface = RACE_LANDSCAPES[r.landscape]
        for name, (cs, star) in s["contours"].items():
            cs.set_visible(name == r.landscape)
            star.set_visible(name == r.landscape)
        (x0, x1), (y0, y1) = surface.bounds
        s["ax_map"].set_xlim(x0, x1)
        s["ax_map"].set_ylim(y0, y1)
        s["start"].set_data([surface.start[0]], [surface.start[1]])
        f_min = surface.f(np.array(surface.minimum)) if surface.minimum else None
        if (
            f_min is None
        ):  # a saddle has no minimum: show the loss itself, and how fast each run escapes
            s["ax_loss"].set_yscale("linear")
            s["ax_loss"].set_ylim(-20, 5)
            s["ax_loss"].set_ylabel("loss (unbounded below)")
        else:
            s["ax_loss"].set_yscale("log")
            s["ax_loss"].set_ylim(1e-12, 1e4)
            s["ax_loss"].set_ylabel("loss − minimum")
        for i, name in enumerate(RACE_OPTIMIZERS):
            pts, loss = r.paths[name], r.losses[name]
            s["lines"][name].set_data(pts[:, 0], pts[:, 1])
            s["ends"][name].set_data(pts[-1:, 0], pts[-1:, 1])
            s["ends"][name].set_marker("X" if r.diverged[name] is not None else MARKERS[i])
            shown = np.maximum(loss - f_min, 1e-16) if f_min is not None else loss
            s["curves"][name].set_data(np.arange(shown.size), shown)
            outcome = _outcome(r, name)
            s["curves"][name].set_label(
                f"{RACE_LABELS[name]} (lr {r.rates[name]:.2g})"
                + (f", {outcome}" if outcome else "")
            )
        widest = self.__dict__.pop("_layout_pass", False)
        for text, name in zip(s["legend"].get_texts(), RACE_OPTIMIZERS, strict=True):
            text.set_text(self._widest_label(name) if widest else s["curves"][name].get_label())
        s["ax_loss"].set_xlim(0, values["steps"])
        s["titles"][0].set_text(r.landscape)
        s["titles"][1].set_text(f"lr = tuned × {values['lr_factor']:.3g}, β = {values['beta']:.2f}")

    def describe(self, r: Race, values) -> str:
        surface = RACE_LANDSCAPES[r.landscape]
        f_min = surface.f(np.array(surface.minimum)) if surface.minimum else None
        parts = []
        for name in RACE_OPTIMIZERS:
            k, e, loss = r.diverged[name], r.escaped[name], r.losses[name]
            if e is not None:
                parts.append(f"{RACE_LABELS[name]} escaped at step {e} (loss → −∞)")
            elif k is not None:
                parts.append(f"{RACE_LABELS[name]} diverged at step {k}")
            elif f_min is not None:
                parts.append(
                    f"{RACE_LABELS[name]} ends {max(loss[-1] - f_min, 0):.1e} above the minimum"
                )
            else:
                parts.append(f"{RACE_LABELS[name]} ends at loss {loss[-1]:.3g}")
        tuned = (
            ""
            if landscapes.RACE_TUNED_ON[r.landscape] == r.landscape
            else (
                f" (rates tuned on the {landscapes.RACE_TUNED_ON[r.landscape]} landscape: "
                f"the {r.landscape} has no minimum to tune for)"
            )
        )
        return (
            f"Paths of six optimizers on the {r.landscape} landscape (left) and their "
            "loss against the step (right), each at its tuned learning rate times "
            f"{values['lr_factor']:.3g}{tuned}, "
            f"β = {values['beta']:.2f}, {values['steps']} steps: " + "; ".join(parts) + "."
        )


#: Every explorer of the book, in the order of the chapters.
ALL_EXPLORERS = (
    FiniteDifferenceStep,
    LearningRate,
    MiniBatch,
    DepthAndInit,
    LearningRateSchedule,
    OptimizerRace,
)
