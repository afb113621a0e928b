"""The book's explorers: their computations, their divergence handling, their grids."""

from __future__ import annotations

import functools
import warnings

import ipywidgets as widgets
import matplotlib.text
import numpy as np
import pytest

from utils import landscapes, numdiff
from utils.explorations import (
    ALL_EXPLORERS,
    ESCAPED,
    FD_FUNCTIONS,
    RACE_BETAS,
    DepthAndInit,
    FiniteDifferenceStep,
    LearningRate,
    LearningRateSchedule,
    MiniBatch,
    OptimizerRace,
    race_rates,
)
from utils.optim import OPTIMIZER_NAMES


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@functools.cache
def described_frames(explorer: type) -> dict:
    """``explorer().described_frames()``, built once per session and shared by the tests.

    An explorer's frames depend only on its class (the drawing is deterministic), and
    building them all is the costliest step of these tests: the tests read them, none
    changes them.
    """
    return explorer().described_frames()


def shared(explorer: type):
    """An ``explorer()`` whose ``described_frames`` (so ``frames``, ``static``) are shared."""
    ex = explorer()
    ex.described_frames = functools.partial(described_frames, explorer)
    return ex


@functools.cache
def figure_of(explorer: type):
    """``explorer()._new_figure()``, made once per session for the tests that draw on it.

    Every frame is drawn on one figure, as :meth:`~utils.widgets.Explorer.described_frames`
    draws them: each draw sets every artist for its control values.
    """
    return explorer()._new_figure()


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
    assert r.forward_at_h == pytest.approx(
        abs(numdiff.forward_difference(f, 0.7, 1e-4) - df(0.7)), rel=1e-12
    )
    assert r.central_at_h == pytest.approx(
        abs(numdiff.central_difference(f, 0.7, 1e-4) - df(0.7)), rel=1e-12
    )


def test_central_error_is_smaller_than_forward_error_at_a_moderate_step():
    r = FiniteDifferenceStep().compute(function="sin(x)", log10_h=-3, x=1.0)
    assert r.central_at_h < r.forward_at_h


# --------------------------------------------------------------------------- learning rate


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
    tuned = landscapes.tuned_rates(landscapes.beale(), 0.9)
    assert race.rates == {name: tuned[name] * 0.3 for name in tuned}


def _race_landscape_names():
    return OptimizerRace().controls[0].grid


def _race_betas():
    beta = next(c for c in OptimizerRace.controls if c.name == "beta")
    return beta.grid


def test_race_offers_the_betas_it_tunes_for():
    assert _race_betas() == list(RACE_BETAS.values())


@pytest.mark.parametrize("beta", list(RACE_BETAS.values()))
@pytest.mark.parametrize("landscape", _race_landscape_names())
def test_every_tuned_rate_of_the_race_lies_strictly_inside_its_grid(landscape, beta):
    grid = landscapes.RACE_LR_GRID
    rates = race_rates(landscape, beta)
    assert set(rates) == set(OPTIMIZER_NAMES)
    for name, lr in rates.items():
        assert lr in grid, name
        assert min(grid) < lr < max(grid), (
            f"{name} on {landscape} at beta {beta}: {lr} is at the edge"
        )


def test_race_grid_spans_eight_decades_at_four_rates_per_decade():
    grid = np.array(landscapes.RACE_LR_GRID)
    assert grid[0] == pytest.approx(1e-5) and grid[-1] == pytest.approx(1e3)
    assert np.allclose(np.diff(np.log10(grid)), 0.25)


def test_saddle_runs_at_the_rates_tuned_on_the_quadratic():
    assert race_rates("saddle", 0.9) == race_rates("quadratic κ=10", 0.9)


def test_on_the_saddle_runs_that_escape_are_labelled_escaped_not_diverged():
    ex = OptimizerRace()
    fig = ex.draw({"landscape": "saddle", "lr_factor": 1.0}, figure_of(OptimizerRace))
    race = fig.result
    # every optimizer leaves the saddle downhill at its tuned rate
    assert all(step is not None for step in race.escaped.values())
    assert all(step is None for step in race.diverged.values())
    labels = [t.get_text() for t in fig.state["legend"].get_texts()]
    assert all(label.endswith(ESCAPED) for label in labels)
    assert "diverged" not in ex.describe(race, fig.values)


def test_on_the_saddle_a_run_whose_loss_grows_is_still_labelled_diverged():
    # SGD at lr 1.8 (tuned x 10): x is multiplied by |1 - 2 lr| = 2.6 per step and
    # y by 1 + 2 lr = 4.6, so f = x^2 - y^2 first grows (2.6^2 x0^2 dominates) past the loss limit
    race = OptimizerRace().compute(landscape="saddle", lr_factor=10.0, beta=0.9, steps=150)
    assert race.rates["sgd"] == pytest.approx(1.78, rel=0.01)
    assert race.diverged["sgd"] is not None and race.escaped["sgd"] is None
    assert race.losses["sgd"][-1] > race.losses["sgd"][0]


def test_race_marks_every_runs_end_and_a_common_start():
    ex = OptimizerRace()
    fig = ex.draw({"landscape": "Beale", "lr_factor": 1.0}, figure_of(OptimizerRace))
    start = fig.state["start"].get_data()
    assert (start[0][0], start[1][0]) == landscapes.beale().start
    markers = {line.get_marker() for line in fig.state["ends"].values()}
    assert len(markers) == len(fig.state["ends"])  # one marker per optimizer, as in the legend
    for name, line in fig.state["ends"].items():
        x, y = line.get_data()
        assert (x[0], y[0]) == tuple(fig.result.paths[name][-1])


def test_race_paths_are_finite_even_when_optimizers_diverge():
    race = OptimizerRace().compute(landscape="Rosenbrock", lr_factor=10.0, beta=0.9, steps=150)
    assert any(k is not None for k in race.diverged.values())
    assert all(np.all(np.isfinite(p)) for p in race.paths.values())


# ----------------------------------------------------------------------- readability of every frame

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
    return [
        t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()
    ]


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_frame_shows_at_its_natural_size_in_the_desktop_column(explorer):
    ex = explorer()
    assert ex.figsize[0] * ex.dpi <= COLUMN_PX


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_text_is_at_least_9_pt_and_inside_the_image(explorer):
    ex = explorer()
    fig = figure_of(explorer)
    problems = []
    for values in _frame_values(ex):
        ex.draw(values, fig)
        problems += [
            f"{values}: {t.get_text()!r} at {t.get_fontsize()} pt"
            for t in _texts(fig.figure)
            if t.get_fontsize() < 9
        ]
        # everything drawn (texts, legends, tick labels in view) lies inside the image
        drawn = fig.figure.get_tightbbox(fig.canvas.get_renderer())  # inches
        width, height = fig.figure.get_size_inches()
        tol = 1 / ex.dpi  # one pixel
        if drawn.x0 < -tol or drawn.y0 < -tol or drawn.x1 > width + tol or drawn.y1 > height + tol:
            problems.append(
                f"{values}: drawn extent {drawn.bounds} runs past the image ({width} x {height} in)"
            )
    assert problems == []


@pytest.mark.parametrize("explorer", ALL_EXPLORERS, ids=lambda e: e.__name__)
def test_explorer_frames_have_distinct_descriptions_that_read_the_controls(explorer):
    frames = described_frames(explorer)
    by_image: dict = {}
    for data, text in frames.values():
        by_image.setdefault(data, set()).add(text)
    texts = [text for _, text in frames.values()]
    assert all(len(t) > 60 for t in texts)
    # frames that look different are described differently
    assert len({next(iter(v)) for v in by_image.values()}) == len(by_image)


def test_finite_difference_description_reads_the_step_and_both_errors():
    ex = FiniteDifferenceStep()
    fig = ex.draw({"log10_h": -5}, figure_of(FiniteDifferenceStep))
    text = ex.describe(fig.result, fig.values)
    assert "h = 10⁻⁵" in text
    assert f"{fig.result.forward_at_h:.1e}" in text and f"{fig.result.central_at_h:.1e}" in text


def test_finite_difference_slider_reads_the_step_as_a_power_of_ten():
    box = shared(FiniteDifferenceStep).static()
    slider = [w for w in box.children if isinstance(w, widgets.SelectionSlider)][0]
    assert slider.description == "step h" and slider.value == "10⁻⁵"


@pytest.mark.parametrize("landscape", _race_landscape_names())
def test_race_legend_stays_inside_the_image_at_the_live_extremes(landscape):
    # the live sliders reach rates and step counts the precomputed grid does not:
    # the longest legend texts (tiny or huge rates, 3-digit divergence steps)
    ex = OptimizerRace()
    fig = figure_of(OptimizerRace)
    width, height = fig.figure.get_size_inches()
    tol = 1 / ex.dpi
    extremes = (
        {"lr_factor": 0.01, "beta": 0.99, "steps": 500},
        {"lr_factor": 30.0, "beta": 0.5, "steps": 500},
        {"lr_factor": 30.0, "beta": 0.99, "steps": 10},
    )
    for values in extremes:
        ex.draw({"landscape": landscape, **values}, fig)
        box = fig.state["legend"].get_window_extent(fig.canvas.get_renderer())
        x1, y0 = box.x1 / ex.dpi, box.y0 / ex.dpi
        assert x1 <= width + tol and y0 >= -tol, (values, box.bounds)


def test_race_lines_differ_by_style_as_well_as_colour():
    fig = figure_of(OptimizerRace)
    dashes = {str(line._unscaled_dash_pattern) for line in fig.state["curves"].values()}
    assert len(dashes) == len(fig.state["curves"])


# -------------------------------------------------------------------- a control that does not apply


def test_learning_rate_condition_changes_nothing_in_the_1d_view():
    frames = shared(LearningRate).frames()
    view_1d = 0  # the first option of the view control
    assert len({frames[(view_1d, f, c)] for f in [1] for c in range(3)}) == 1


def test_learning_rate_precomputed_view_says_the_condition_does_not_apply_in_1d():
    box = shared(LearningRate).static()
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


def test_schedule_floor_changes_nothing_for_the_schedules_without_a_floor():
    ex = LearningRateSchedule()
    for kind in ("constant", "step", "inverse_sqrt"):
        curves = [ex.compute(kind, 100, f, 1000, 3e-4).lr for f in (0.0, 0.1)]
        assert np.array_equal(*curves), kind
        assert "floor_fraction" in ex.inactive_controls(ex.defaults() | {"kind": kind})
    for kind in ("cosine", "wsd"):
        curves = [ex.compute(kind, 100, f, 1000, 3e-4).lr for f in (0.0, 0.1)]
        assert not np.array_equal(*curves), kind
        assert "floor_fraction" not in ex.inactive_controls(ex.defaults() | {"kind": kind})


def test_schedule_precomputed_view_says_the_floor_does_not_apply_to_step_decay():
    ex = LearningRateSchedule()
    box = shared(LearningRateSchedule).static()
    note = [w for w in box.children if "control-note" in w._dom_classes][0]
    kinds = ex.controls[0].grid
    assert "not used" in note.children[kinds.index("step")].value
    assert note.children[kinds.index("cosine")].value == ""


def test_schedule_title_names_the_schedule_for_the_reader():
    ex = LearningRateSchedule()
    fig = ex.draw({"kind": "inverse_sqrt"}, figure_of(LearningRateSchedule))
    title = fig.state["title"].get_text()
    assert "inverse square root" in title and "inverse_sqrt" not in title
    assert "inverse square root" in ex.describe(fig.result, fig.values)


def test_learning_rate_2d_label_reads_the_whole_bowls_factor_not_the_steep_directions_regime():
    # kappa = 30, eta = 0.5 * 2/30: rho = max(|1 - eta * 1|, |1 - eta * 30|) = 29/30
    ex = LearningRate()
    fig = ex.draw({"view": "2d", "fraction": 0.5, "condition": 30.0}, figure_of(LearningRate))
    label = fig.state["regime"].get_text()
    text = ex.describe(fig.result, fig.values)
    assert "optimal" not in label and "optimal" not in text
    assert f"{29 / 30:.3g}" in label and f"{29 / 30:.3g}" in text
    assert f"{30 / 31:.2f}" in label  # the fastest rate, kappa / (kappa + 1)


def test_learning_rate_1d_says_when_the_loss_is_exactly_zero():
    ex = LearningRate()
    # w_1 = 3: the minimiser in one step
    fig = ex.draw({"view": "1d", "fraction": 0.5}, figure_of(LearningRate))
    assert "exactly 0 from step 1" in fig.state["regime"].get_text()
    assert "exactly 0 from step 1" in ex.describe(fig.result, fig.values)
    assert fig.state["loss"].get_ydata().min() == fig.state["ax_loss"].get_ylim()[0]
