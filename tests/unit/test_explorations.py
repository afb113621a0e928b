"""The book's explorers: their computations, their divergence handling, their grids."""

from __future__ import annotations

import warnings

import ipywidgets as widgets
import matplotlib.text
import numpy as np
import pytest

from utils import landscapes, numdiff
from utils.explorations import (
    ALL_EXPLORERS,
    FD_FUNCTIONS,
    DepthAndInit,
    FiniteDifferenceStep,
    LearningRate,
    MiniBatch,
    OptimizerRace,
    quadratic_level_set,
    schedule_curve,
    tuned_rates,
)


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def images_in(widget):
    found = [widget] if isinstance(widget, widgets.Image) else []
    for child in getattr(widget, "children", ()):
        found += images_in(child)
    return found


# --------------------------------------------------------------------------- every explorer


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_defaults_are_in_their_grids(explorer):
    for control in explorer.controls:
        assert control.default in list(control.grid), control.name


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_controls_open_on_their_defaults_in_both_versions(explorer):
    for control in explorer.controls:
        # precomputed: the selected option is the default's grid position
        assert control.grid[control.static_widget().index] == control.default, control.name
        # live: the slider's starting position stands for the default (no snapping to a neighbour)
        assert control.live_value(control.live_widget().value) == control.default, control.name


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_renders_its_default_frame_as_a_png_of_its_figure_size(explorer):
    e = explorer()
    data = e.render()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # the IHDR chunk: width and height as big-endian 32-bit integers
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (round(e.figsize[0] * e.dpi), round(e.figsize[1] * e.dpi))


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_live_version_redraws_when_its_first_control_moves(explorer):
    box = explorer().live()
    image = images_in(box)[0]
    before = image.value
    control = box.children[0]
    if isinstance(control, widgets.Dropdown):
        control.value = (control.value + 1) % len(control.options)
    else:
        control.value = control.max if control.value != control.max else control.min
    assert image.value != before


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_precomputes_a_modest_number_of_frames(explorer):
    assert 2 <= explorer().grid_size() <= 60


# --------------------------------------------------------------------------- finite differences


@pytest.mark.parametrize("function", list(FD_FUNCTIONS))
def test_marked_errors_are_those_of_the_finite_differences_at_h(function):
    f, df = FD_FUNCTIONS[function]
    r = FiniteDifferenceStep().compute(function=function, log10_h=-4, x=0.7)
    assert r.forward_at_h == pytest.approx(abs(numdiff.forward_difference(f, 0.7, 1e-4) - df(0.7)), rel=1e-12)
    assert r.central_at_h == pytest.approx(abs(numdiff.central_difference(f, 0.7, 1e-4) - df(0.7)), rel=1e-12)


def test_central_error_is_smaller_than_forward_error_at_a_moderate_step():
    r = FiniteDifferenceStep().compute(function="sin(x)", log10_h=-3, x=1.0)
    assert r.central_at_h < r.forward_at_h


# --------------------------------------------------------------------------- schedules


def test_every_schedule_starts_warm_up_at_peak_over_warmup_and_reaches_the_peak():
    for kind in ["constant", "step", "cosine", "inverse_sqrt", "wsd"]:
        c = schedule_curve(kind, warmup=10, total=100, peak=1.0, floor=0.1)
        assert c.lr[0] == pytest.approx(0.1), kind
        assert c.lr[9] == pytest.approx(1.0), kind
        assert c.lr.max() == pytest.approx(1.0), kind


def test_cosine_and_wsd_end_at_the_floor():
    for kind in ["cosine", "wsd"]:
        assert schedule_curve(kind, 10, 100, 1.0, 0.1).lr[-1] == pytest.approx(0.1)


def test_step_schedule_drops_tenfold_after_each_third_of_the_decay():
    c = schedule_curve("step", warmup=10, total=100, peak=1.0, floor=0.0)
    assert c.lr[10] == 1.0 and c.lr[40] == pytest.approx(0.1) and c.lr[70] == pytest.approx(0.01)


def test_schedule_refuses_a_warm_up_as_long_as_the_run():
    with pytest.raises(ValueError, match="warm-up steps"):
        schedule_curve("cosine", warmup=100, total=100, peak=1.0, floor=0.0)


def test_schedule_refuses_a_floor_above_the_peak():
    with pytest.raises(ValueError, match="floor"):
        schedule_curve("cosine", warmup=10, total=100, peak=1.0, floor=2.0)


def test_schedule_marks_the_three_phases_of_wsd():
    names = [name for _, _, name in schedule_curve("wsd", 10, 100, 1.0, 0.0).phases]
    assert names == ["warm-up", "stable", "decay"]


# --------------------------------------------------------------------------- learning rate


def test_level_set_points_lie_on_the_level_of_the_rotated_bowl():
    bowl = landscapes.quadratic(10.0, angle=0.3)
    pts = quadratic_level_set(10.0, 2.0, angle=0.3)
    assert np.allclose(bowl.f(pts.T), 2.0)


def test_half_the_stability_limit_solves_the_1d_quadratic_in_one_step():
    r = LearningRate().compute(view="1d", fraction=0.5, condition=10.0)
    assert r.losses[1] == pytest.approx(0.0, abs=1e-24)


def test_above_the_stability_limit_the_1d_loss_grows_by_the_square_of_the_contraction_factor():
    r = LearningRate().compute(view="1d", fraction=1.1, condition=10.0)
    # w_t - 3 = (1 - eta L'')^t (w_0 - 3) with eta = 1.1, L'' = 2: the loss grows by 1.2^2 per step
    assert np.allclose(r.losses[1:] / r.losses[:-1], 1.2**2)


def test_above_the_stability_limit_the_2d_run_diverges_and_says_so():
    r = LearningRate().compute(view="2d", fraction=1.1, condition=10.0)
    assert r.diverged_at is not None and np.all(np.isfinite(r.losses))


def test_below_the_stability_limit_the_2d_run_converges():
    r = LearningRate().compute(view="2d", fraction=0.9, condition=10.0)
    assert r.diverged_at is None and r.losses[-1] < r.losses[0] * 1e-3


# --------------------------------------------------------------------------- mini-batches


def test_full_batch_makes_one_update_per_epoch():
    r = MiniBatch().compute(batch_size=1000, lr=0.1, epochs=5)
    assert r.full_losses.size == 5 + 1


def test_smaller_batches_reach_a_lower_loss_in_the_same_number_of_epochs():
    small = MiniBatch().compute(batch_size=10, lr=0.1, epochs=5)
    full = MiniBatch().compute(batch_size=1000, lr=0.1, epochs=5)
    assert small.full_losses[-1] < full.full_losses[-1]


# --------------------------------------------------------------------------- depth


def test_sigmoid_with_glorot_vanishes_and_a_residual_path_restores_the_flow():
    plain = DepthAndInit().compute(activation="sigmoid", init="glorot", residual=False, depth=30)
    residual = DepthAndInit().compute(activation="sigmoid", init="glorot", residual=True, depth=30)
    assert plain.ratio < 1e-6 < 0.1 < residual.ratio < 10


# --------------------------------------------------------------------------- optimizer race


def test_race_uses_each_optimizers_tuned_rate_times_the_factor():
    race = OptimizerRace().compute(landscape="Beale", lr_factor=0.3, beta=0.9, steps=50)
    tuned = tuned_rates("Beale", 0.9)
    assert race.rates == {name: tuned[name] * 0.3 for name in tuned}


def test_race_paths_are_finite_even_when_optimizers_diverge():
    race = OptimizerRace().compute(landscape="Rosenbrock", lr_factor=10.0, beta=0.9, steps=150)
    assert any(k is not None for k in race.diverged.values())
    assert all(np.all(np.isfinite(p)) for p in race.paths.values())


# --------------------------------------------------------------------------- readability of every frame

#: The article column of the book's theme at a 1280 px window (measured with
#: tests/browser/layout_report.js): a frame no wider shows at its natural size.
COLUMN_PX = 752


def _frame_values(explorer):
    """The defaults, and each static control at both ends of its grid."""
    sets = [{}]
    for c in explorer.static_controls:
        sets += [{c.name: c.grid[0]}, {c.name: c.grid[-1]}]
    return sets


def _texts(fig):
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_frame_shows_at_its_natural_size_in_the_desktop_column(explorer):
    ex = explorer()
    assert ex.figsize[0] * ex.dpi <= COLUMN_PX


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_text_is_at_least_9_pt_and_inside_the_image(explorer):
    ex = explorer()
    fig = ex._new_figure()
    problems = []
    for values in _frame_values(ex):
        ex.draw(values, fig)
        problems += [f"{values}: {t.get_text()!r} at {t.get_fontsize()} pt"
                     for t in _texts(fig.figure) if t.get_fontsize() < 9]
        # everything drawn (texts, legends, tick labels in view) lies inside the image
        drawn = fig.figure.get_tightbbox(fig.canvas.get_renderer())  # inches
        width, height = fig.figure.get_size_inches()
        tol = 1 / ex.dpi  # one pixel
        if drawn.x0 < -tol or drawn.y0 < -tol or drawn.x1 > width + tol or drawn.y1 > height + tol:
            problems.append(f"{values}: drawn extent {drawn.bounds} runs past the image ({width} x {height} in)")
    assert problems == []


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_frames_have_distinct_descriptions_that_read_the_controls(explorer):
    ex = explorer()
    frames = ex.described_frames()
    by_image: dict = {}
    for data, text in frames.values():
        by_image.setdefault(data, set()).add(text)
    texts = [text for _, text in frames.values()]
    assert all(len(t) > 60 for t in texts)
    # frames that look different are described differently
    assert len({next(iter(v)) for v in by_image.values()}) == len(by_image)


def test_finite_difference_description_reads_the_step_and_both_errors():
    ex = FiniteDifferenceStep()
    fig = ex.draw({"log10_h": -5})
    text = ex.describe(fig.result, fig.values)
    assert "h = 10⁻⁵" in text
    assert f"{fig.result.forward_at_h:.1e}" in text and f"{fig.result.central_at_h:.1e}" in text


def test_finite_difference_slider_reads_the_step_as_a_power_of_ten():
    box = FiniteDifferenceStep().static()
    slider = [w for w in box.children if isinstance(w, widgets.SelectionSlider)][0]
    assert slider.description == "step h" and slider.value == "10⁻⁵"


def test_race_lines_differ_by_style_as_well_as_colour():
    ex = OptimizerRace()
    fig = ex._new_figure()
    dashes = {str(line._unscaled_dash_pattern) for line in fig.state["curves"].values()}
    assert len(dashes) == len(fig.state["curves"])


# --------------------------------------------------------------------------- a control that does not apply


def test_learning_rate_condition_changes_nothing_in_the_1d_view():
    frames = LearningRate().frames()
    view_1d = 0  # the first option of the view control
    assert len({frames[(view_1d, f, c)] for f in [1] for c in range(3)}) == 1


def test_learning_rate_precomputed_view_says_the_condition_does_not_apply_in_1d():
    box = LearningRate().static()
    note = [w for w in box.children if "control-note" in w._dom_classes][0]
    assert "condition" in note.children[0].value and "not used" in note.children[0].value
    assert note.children[1].value == ""


def test_learning_rate_live_view_disables_the_condition_in_1d_only():
    box = LearningRate().live()
    view = [w for w in box.children if isinstance(w, widgets.Dropdown)][0]
    condition = [w for w in box.children if getattr(w, "description", "") == "condition κ (2-D)"][0]
    assert view.value == 0 and condition.disabled
    view.value = 1
    assert not condition.disabled
