"""The book's figure style and shared plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import landscapes  # noqa: E402
from utils.plotting import (  # noqa: E402
    PALETTE,
    plot_contour,
    plot_loss_curves,
    plot_step_errors,
    plot_trajectories,
    set_divergence,
    stamp_divergence,
    use_book_style,
)


@pytest.fixture
def ax():
    use_book_style()
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_book_style_uses_the_colour_blind_safe_palette():
    use_book_style()
    assert plt.rcParams["axes.prop_cycle"].by_key()["color"] == list(PALETTE)


def test_step_error_plot_is_log_log_with_one_line_per_scheme_and_a_marker_per_best_step(ax):
    hs = np.logspace(-8, -1, 8)
    plot_step_errors(ax, hs, {"a": hs, "b": hs**2}, best={"a": 1e-4})
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert len(ax.get_lines()) == 2 + 1


def test_step_error_plot_draws_exact_zeros_at_the_bottom_instead_of_dropping_them(ax):
    hs = np.logspace(-8, -1, 8)
    errors = hs.copy()
    errors[0] = 0.0
    plot_step_errors(ax, hs, {"a": errors})
    y = ax.get_lines()[0].get_ydata()
    assert np.all(y > 0) and y[0] < errors[1:].min()


def test_loss_curves_label_a_divergent_run_with_its_step(ax):
    plot_loss_curves(ax, {"good": [4, 2, 1], "bad": [1, 10, 100]}, diverged={"bad": 3})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["good", "bad (diverged at step 3)"]


def test_divergence_stamp_is_hidden_without_a_step_and_shown_with_one(ax):
    stamp = stamp_divergence(ax)
    assert not stamp.get_visible()
    set_divergence(stamp, 7)
    assert stamp.get_visible() and stamp.get_text() == "diverged at step 7"
    set_divergence(stamp, None)
    assert not stamp.get_visible()


def test_contour_covers_the_landscape_bounds_and_trajectories_mark_start_and_minimum(ax):
    bowl = landscapes.quadratic(10.0)
    plot_contour(ax, bowl.f, bowl.bounds, log=True)
    assert (ax.get_xlim(), ax.get_ylim()) == bowl.bounds
    plot_trajectories(ax, {"sgd": np.array([[-4.0, 3.0], [-3.0, 1.0]])}, minimum=bowl.minimum)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sgd", "minimum"]


def _dash(line):
    return (line.get_linestyle(), line.get_marker())


def test_book_style_gives_each_colour_its_own_line_style():
    use_book_style()
    cycle = plt.rcParams["axes.prop_cycle"].by_key()
    assert len(set(map(str, cycle["linestyle"]))) == len(cycle["color"])


def test_step_error_curves_differ_by_line_style_and_marker_not_only_colour(ax):
    hs = np.logspace(-8, -1, 8)
    plot_step_errors(ax, hs, {"a": hs, "b": hs**2, "c": hs**3})
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) == len(hs)]
    assert len({_dash(line) for line in curves}) == 3


def test_loss_curves_differ_by_line_style(ax):
    plot_loss_curves(ax, {"a": [3, 2, 1], "b": [3, 1, 0.5], "c": [3, 2.5, 2]})
    assert len({line.get_linestyle() for line in ax.get_lines()}) == 3


def test_trajectories_differ_by_marker(ax):
    paths = {"a": np.zeros((3, 2)), "b": np.ones((3, 2))}
    plot_trajectories(ax, paths)
    paths_drawn = [line for line in ax.get_lines() if len(line.get_xdata()) == 3]
    assert len({_dash(line) for line in paths_drawn}) == 2
