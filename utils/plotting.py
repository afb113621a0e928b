"""The book's figure style and the plots several chapters share (layer 2: matplotlib).

Every figure in the book goes through :func:`use_book_style` (one look: sizes,
fonts, a colour-blind-safe palette) and, where chapters share a kind of plot,
through one function here: log-log error plots, loss curves, contour plots with
optimizer trajectories, and the "diverged" stamp that a plot carries instead of
NaN axes when an iteration blows up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

__all__ = [
    "PALETTE",
    "LINESTYLES",
    "MARKERS",
    "use_book_style",
    "color_for",
    "style_for",
    "plot_step_errors",
    "plot_loss_curves",
    "plot_contour",
    "plot_trajectories",
    "stamp_divergence",
    "set_divergence",
]

#: Okabe & Ito's colour-blind-safe palette, in the order the book uses it.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")

#: Line styles that go with :data:`PALETTE`, one per colour: several pairs of
#: the palette (blue/black, orange/vermilion, sky blue/green) are close for
#: colour-blind readers, so lines of one plot differ by style as well.
LINESTYLES = (
    "-",
    "--",
    ":",
    "-.",
    (0, (6, 1.5, 1, 1.5, 1, 1.5)),
    (0, (9, 3)),
    (0, (1, 3)),
    (0, (3, 1, 1, 1)),
)

#: Markers for point series, one per colour (same reason as :data:`LINESTYLES`).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def use_book_style() -> None:
    """Set matplotlib's defaults to the book's figure style (idempotent).

    Examples
    --------
    >>> use_book_style()
    >>> plt.rcParams["axes.spines.top"]
    False
    >>> # lines differ by more than colour
    >>> [d["linestyle"] for d in plt.rcParams["axes.prop_cycle"]][:3]
    ['-', '--', ':']
    """
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.constrained_layout.use": True,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "lines.linewidth": 1.8,
            "axes.prop_cycle": mpl.cycler(color=PALETTE) + mpl.cycler(linestyle=LINESTYLES),
            "image.cmap": "viridis",
        }
    )


def color_for(i: int) -> str:
    """The ``i``-th colour of :data:`PALETTE` (cycling).

    >>> color_for(0) == PALETTE[0] and color_for(len(PALETTE)) == PALETTE[0]
    True
    """
    return PALETTE[i % len(PALETTE)]


def style_for(i: int, marker: bool = False) -> dict:
    """Colour, line style (and marker) of the ``i``-th line of a plot.

    Lines differ by more than colour.

    >>> style_for(1)
    {'color': '#D55E00', 'linestyle': '--'}
    >>> style_for(0, marker=True)["marker"]
    'o'
    """
    style = {"color": color_for(i), "linestyle": LINESTYLES[i % len(LINESTYLES)]}
    if marker:
        style["marker"] = MARKERS[i % len(MARKERS)]
    return style


def plot_step_errors(
    ax: Axes,
    hs: np.ndarray,
    errors: Mapping[str, np.ndarray],
    best: Mapping[str, float] | None = None,
    title: str = "Error of finite differences against the step h",
) -> None:
    """Log-log plot of finite-difference errors against the step ``h``.

    Parameters
    ----------
    ax : matplotlib Axes
    hs : array
        The steps (positive).
    errors : mapping label -> array
        Absolute errors for each step; zeros (exact estimates) are drawn at the
        bottom of the axes instead of vanishing from a log scale.
    best : mapping label -> float, optional
        A step to mark on each curve with a vertical dotted line (e.g. the
        theoretically optimal one).
    title : str
    """
    hs = np.asarray(hs, dtype=float)
    floor = min((np.min(e[e > 0]) for e in errors.values() if np.any(e > 0)), default=1e-17) / 4
    for i, (label, err) in enumerate(errors.items()):
        err = np.where(np.asarray(err) > 0, err, floor)
        ax.loglog(hs, err, ms=3, label=label, **style_for(i, marker=True))
        if best and label in best:
            ax.axvline(best[label], color=color_for(i), ls=":", lw=1.2)
    ax.set_xlabel("step $h$")
    ax.set_ylabel("absolute error")
    ax.set_title(title)
    ax.legend()


def stamp_divergence(ax: Axes, step: int | None = None, where: str = "center"):
    """Put a "diverged at step k" stamp on the axes and return it (a Text artist).

    A plot of a divergent run shows this stamp and the finite part of the run,
    never NaN axes or overflow warnings. With ``step=None`` the stamp is
    created hidden; interactive figures keep it and call
    :func:`set_divergence` on every redraw.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> stamp_divergence(ax, 12).get_text()
    'diverged at step 12'
    >>> plt.close(fig)
    """
    x, y = {"center": (0.5, 0.5), "upper center": (0.5, 0.92), "upper right": (0.97, 0.92)}[where]
    ha = "right" if where == "upper right" else "center"
    stamp = ax.text(
        x,
        y,
        "diverged at step 0000",
        transform=ax.transAxes,
        ha=ha,
        va="center",
        color="#B00020",
        fontweight="bold",
        fontsize=11,
        zorder=10,
        bbox={
            "facecolor": "white",
            "edgecolor": "#B00020",
            "boxstyle": "round,pad=0.3",
            "alpha": 0.9,
        },
    )
    set_divergence(stamp, step)
    return stamp


def set_divergence(stamp, step: int | None) -> None:
    """Show ``stamp`` (from :func:`stamp_divergence`) with step ``step``.

    Hide it for ``None``.
    """
    stamp.set_text(f"diverged at step {step}" if step is not None else "")
    stamp.set_visible(step is not None)


def plot_loss_curves(
    ax: Axes,
    curves: Mapping[str, Sequence[float]],
    diverged: Mapping[str, int | None] | None = None,
    log: bool = True,
    title: str = "Loss against step",
) -> None:
    """Loss curves (one per label) against the step, log scale by default.

    Curves are drawn up to their last finite value; a curve whose label has a
    divergence step in ``diverged`` ends with a cross and its label says so.
    """
    for i, (label, losses) in enumerate(curves.items()):
        losses = np.asarray(losses, dtype=float)
        k = diverged.get(label) if diverged else None
        shown = f"{label} (diverged at step {k})" if k is not None else label
        ax.plot(np.arange(losses.size), losses, label=shown, **style_for(i))
        if k is not None and losses.size:
            ax.plot(losses.size - 1, losses[-1], "x", color=color_for(i), ms=8, mew=2)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel("loss" + (" (log scale)" if log else ""))
    ax.set_title(title)
    ax.legend()


def plot_contour(
    ax: Axes, f, bounds, levels: int | Sequence[float] = 20, n: int = 120, log: bool = False
):
    """Filled contour plot of a 2-D function ``f`` (vectorised over a (2, ...) grid) on ``bounds``.

    Returns the contour set. With ``log=True`` the levels are spaced
    logarithmically (for functions like Rosenbrock's that span many decades).
    """
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    zs = f(np.stack([xs, ys]))
    if log:
        lo = max(np.min(zs[zs > 0]), 1e-6) if np.any(zs > 0) else 1e-6
        levels = np.geomspace(lo, np.max(zs), levels if isinstance(levels, int) else len(levels))
        norm = mpl.colors.LogNorm(vmin=levels[0], vmax=levels[-1])
        cs = ax.contourf(xs, ys, zs, levels=levels, norm=norm, cmap="Greys_r", alpha=0.55)
    else:
        cs = ax.contourf(xs, ys, zs, levels=levels, cmap="Greys_r", alpha=0.55)
    ax.contour(xs, ys, zs, levels=cs.levels, colors="0.45", linewidths=0.4)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.grid(False)
    return cs


def plot_trajectories(
    ax: Axes, paths: Mapping[str, np.ndarray], minimum: Sequence[float] | None = None
) -> None:
    """Draw optimizer paths (arrays of shape (k, 2)) on a contour plot, with the minimum starred."""
    for i, (label, pts) in enumerate(paths.items()):
        pts = np.asarray(pts, dtype=float)
        ax.plot(pts[:, 0], pts[:, 1], ms=3, lw=1.2, label=label, **style_for(i, marker=True))
        ax.plot(pts[0, 0], pts[0, 1], MARKERS[i % len(MARKERS)], color=color_for(i), ms=5)
    if minimum is not None:
        ax.plot(*minimum, "*", color="black", ms=12, label="minimum")
    ax.legend(loc="upper right")


if __name__ == "__main__":  # pragma: no cover
    use_book_style()
    plt.show()
