"""The widget machinery: one Explorer declaration, a precomputed and a live rendering."""

from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

from utils import widgets as uw
from utils.widgets import Choice, Explorer, Numeric


class Line(Explorer):
    """A tiny explorer: the line y = slope * x + shift, for tests."""

    title = "A test line"
    controls = (
        Numeric("slope", "slope", (-1.0, 0.0, 2.0), 0.0, live_range=(-3.0, 3.0)),
        Choice("shift", "shift", {"none": 0.0, "up": 1.0}, 0.0),
        Numeric("width", "width", (1.0,), 1.0, live_range=(0.5, 3.0), live_only=True),
    )
    figsize = (3.0, 2.0)

    def compute(self, slope, shift, width):
        if width > 2.5:
            raise ValueError("width must be at most 2.5")
        x = np.linspace(-1, 1, 5)
        return x, slope * x + shift

    def setup(self, fig):
        ax = fig.add_subplot()
        ax.set_xlim(-1, 1)
        ax.set_ylim(-4, 4)
        (line,) = ax.plot([], [])
        return {"line": line, "blit": [line]}

    def update(self, state, result, values):
        state["line"].set_data(*result)
        state["line"].set_linewidth(values["width"])


def all_of(widget, kind):
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += all_of(child, kind)
    return found


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_grid_size_is_the_product_of_the_static_controls_grids():
    assert Line().grid_size() == 3 * 2


def test_frames_cover_every_combination_of_static_grid_indices():
    frames = Line().frames()
    assert sorted(frames) == [(i, j) for i in range(3) for j in range(2)]


def test_frames_differ_when_the_plot_differs():
    frames = Line().frames()
    assert len({bytes(v) for v in frames.values()}) == len(frames)


def test_frames_are_deterministic():
    assert Line().frames() == Line().frames()


def test_blitted_frame_equals_a_freshly_drawn_one():
    explorer = Line()
    fig = explorer._new_figure()
    explorer.render({"slope": 2.0}, "png", fig)  # the first frame sets up the background
    blitted = explorer.render({"slope": -1.0, "shift": 1.0}, "png", fig)
    fresh = explorer.render({"slope": -1.0, "shift": 1.0}, "png")
    assert np.array_equal(decode(blitted), decode(fresh))


def test_static_widget_has_one_image_per_frame_tagged_with_its_indices():
    images = all_of(Line().static(), widgets.Image)
    tags = sorted(c for im in images for c in im._dom_classes if c.startswith("frame-"))
    assert tags == sorted(f"frame-{i}-{j}" for i in range(3) for j in range(2))


def test_static_controls_start_at_their_defaults():
    box = Line().static()
    slider = all_of(box, widgets.SelectionSlider)[0]
    toggles = all_of(box, widgets.ToggleButtons)[0]
    assert (slider.index, toggles.index) == (1, 0)


def test_static_stacks_show_the_default_frame():
    box = Line().static()
    outer = all_of(box, widgets.Stack)[0]
    inner = outer.children[outer.selected_index]
    shown = inner.children[inner.selected_index]
    assert "frame-1-0" in shown._dom_classes


def test_static_widget_names_the_controls_only_the_live_version_has():
    htmls = [h.value for h in all_of(Line().static(), widgets.HTML)]
    assert any("width" in h for h in htmls)


def test_live_widget_redraws_when_a_control_changes():
    box = Line().live()
    image = all_of(box, widgets.Image)[0]
    before = image.value
    all_of(box, widgets.FloatSlider)[0].value = 2.5
    assert image.value != before


def test_live_widget_reports_an_impossible_setting_instead_of_raising():
    box = Line().live()
    image = all_of(box, widgets.Image)[0]
    before = image.value
    width = [s for s in all_of(box, widgets.FloatSlider) if s.description == "width"][0]
    width.value = 3.0
    status = all_of(box, widgets.HTML)[-1].value
    assert "width must be at most 2.5" in status
    assert image.value == before


def test_widget_offers_precomputed_and_live_tabs():
    root = Line().widget()
    tab = all_of(root, widgets.Tab)[0]
    assert tab.titles == ("Precomputed", "Live (kernel)")
    assert "explorer" in root._dom_classes


def test_live_tab_is_built_when_first_selected():
    root = Line().widget()
    tab = all_of(root, widgets.Tab)[0]
    assert all_of(tab.children[1], widgets.Image) == []
    tab.selected_index = 1
    assert len(all_of(tab.children[1], widgets.Image)) == 1


def test_widget_falls_back_to_live_where_stack_is_missing(monkeypatch):
    monkeypatch.delattr(widgets, "Stack")
    root = Line().widget()
    assert "explorer-live" in root._dom_classes


def test_widget_falls_back_to_live_where_jslink_is_missing(monkeypatch):
    monkeypatch.delattr(widgets, "jslink")
    root = Line().widget()
    assert "explorer-live" in root._dom_classes and all_of(root, widgets.Tab) == []


def test_widget_falls_back_to_live_in_colab(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "google.colab", object())
    assert not uw.supports_precomputed()
    root = Line().widget()
    assert "explorer-live" in root._dom_classes and all_of(root, widgets.Tab) == []


def test_displayed_text_is_short_and_stable():
    bundle = Line()._repr_mimebundle_()
    assert bundle["text/plain"] == "A test line (interactive: 6 precomputed frames, live tab)"
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_output_bundle_carries_the_default_frame_as_a_png_for_print():
    # what the PDF shows where it cannot show a widget (book/_ext/pdf_book.py)
    bundle = Line()._repr_mimebundle_()
    data = base64.b64decode(bundle["image/png"])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(data)).size == (3 * uw.PRINT_DPI, 2 * uw.PRINT_DPI)


def test_print_frame_is_the_default_frame():
    line = Line()
    at_screen_dpi = decode(line.print_frame(dpi=line.dpi)).astype(int)
    default = decode(line.render(line.defaults(), "png")).astype(int)
    other = decode(line.render({"slope": 2.0}, "png")).astype(int)
    # the same picture up to the palette's rounding of colours
    assert np.abs(at_screen_dpi - default).max() <= 16
    assert np.abs(at_screen_dpi - other).max() > 64


def test_encode_frame_refuses_an_unknown_format():
    line = Line()
    with pytest.raises(ValueError, match="fmt"):
        uw.encode_frame(line.draw().canvas, "jpeg")


def test_print_frame_scales_with_the_resolution():
    line = Line()
    small, large = decode(line.print_frame(dpi=50)), decode(line.print_frame(dpi=100))
    assert large.shape[:2] == (2 * small.shape[0], 2 * small.shape[1])


def test_print_frame_refuses_a_dpi_that_is_not_a_positive_int():
    with pytest.raises(TypeError, match="dpi"):
        Line().print_frame(dpi=1.5)
    with pytest.raises(ValueError, match="dpi"):
        Line().print_frame(dpi=0)


def test_numeric_control_refuses_a_default_outside_its_grid():
    with pytest.raises(ValueError, match="default of control 'a'"):
        Numeric("a", "a", (1.0, 2.0), 3.0)


def test_numeric_control_refuses_a_decreasing_grid():
    with pytest.raises(ValueError, match="grid of control 'a' must be increasing"):
        Numeric("a", "a", (2.0, 1.0), 1.0)


def test_choice_control_refuses_an_unknown_default():
    with pytest.raises(ValueError, match="default of control 'c'"):
        Choice("c", "c", ["x", "y"], "z")


def test_webp_frames_are_smaller_than_png_frames():
    explorer = Line()
    fig = explorer._new_figure()
    png = explorer.render({}, "png", fig)
    webp = explorer.render({}, "webp", fig)
    assert len(webp) < len(png)


class Flat(Line):
    """An explorer one of whose controls changes nothing: frames repeat."""

    def compute(self, slope, shift, width):
        return super().compute(0.0, shift, width)


def test_identical_frames_share_one_image_widget():
    images = all_of(Flat().static(), widgets.Image)
    assert len({id(im) for im in images}) == 2  # one per shift; the slope changes nothing
    tags = {c for im in images for c in im._dom_classes if c.startswith("frame-")}
    assert tags == {f"frame-{i}-{j}" for i in range(3) for j in range(2)}


def test_with_grid_replaces_a_numeric_grid_and_keeps_the_class_untouched():
    coarse = Line().with_grid(slope=(0.0, 2.0))
    assert coarse.grid_size() == 2 * 2
    assert Line().grid_size() == 3 * 2


def test_with_grid_takes_a_subset_of_a_choice():
    assert Line().with_grid(shift=["none"]).grid_size() == 3


def test_with_grid_refuses_an_unknown_control():
    with pytest.raises(ValueError, match="no control named"):
        Line().with_grid(tilt=(1.0,))


def test_with_grid_moves_a_default_outside_the_new_grid_to_the_nearest_value():
    coarse = Line().with_grid(slope=(-1.0, 2.0))
    assert coarse.defaults()["slope"] == -1.0


@pytest.mark.parametrize(
    "control",
    [
        Numeric("x", "x", (1.0,), 1.0, live_range=(-3.0, 3.0), step=0.03),
        Numeric("h", "h", (-5,), -5, live_range=(-15, -0.5), step=0.25),
        Numeric("lr", "lr", (0.003,), 0.003, live_range=(1e-4, 1.0), scale="log"),
        Numeric("n", "n", (30,), 30, live_range=(2, 100), integer=True),
    ],
    ids=["linear", "negative", "log", "integer"],
)
def test_live_slider_has_its_default_on_one_of_its_positions(control):
    slider = control.live_widget()
    lo, _, step = control._live_axis()
    position = (slider.value if control.scale == "linear" else np.log10(slider.value)) - lo
    assert position / step == pytest.approx(round(position / step), abs=1e-9)
    assert control.live_value(slider.value) == control.default


def test_live_value_removes_the_front_ends_rounding_noise():
    control = Numeric("x", "x", (1.0,), 1.0, live_range=(-3.0, 3.0), step=0.03)
    assert control.live_value(0.9700000000000002) == 0.97  # positions are 1.0 ± 0.03 k


# --------------------------------------------------------------------------- readability


@pytest.mark.parametrize(
    "exponent, text", [(-5, "10⁻⁵"), (-14, "10⁻¹⁴"), (2, "10²"), (0, "1"), (-4.25, "5.6 × 10⁻⁵")]
)
def test_power_of_ten_reads_the_value_not_the_exponent(exponent, text):
    assert uw.power_of_ten(exponent) == text


def test_power_of_ten_refuses_a_non_finite_exponent():
    with pytest.raises(ValueError, match="exponent"):
        uw.power_of_ten(float("nan"))


class Powers(Line):
    controls = (
        Numeric(
            "slope",
            "step h",
            (-2, -1, 0),
            -1,
            live_range=(-2.0, 0.0),
            step=0.5,
            fmt=uw.POWER_OF_TEN,
        ),
        Choice("shift", "shift", {"none": 0.0, "up": 1.0}, 0.0),
        Numeric(
            "width",
            "width",
            (1.0,),
            1.0,
            live_range=(0.5, 3.0),
            live_only=True,
            applies_when=("shift", (1.0,)),
        ),
    )


def test_exponent_slider_reads_powers_of_ten_in_both_versions():
    static = all_of(Powers().static(), widgets.SelectionSlider)[0]
    live = all_of(Powers().live(), widgets.SelectionSlider)[0]
    assert static.options == ("10⁻²", "10⁻¹", "1")
    assert live.label == "10⁻¹" and "3.2 × 10⁻²" in [label for label, _ in live._options_full]


def test_every_frame_image_is_described_by_its_tooltip():
    images = all_of(Line().static(), widgets.Image)
    texts = {im.tooltip for im in images}
    assert len(texts) == len(images) and all(t.startswith("A test line: slope ") for t in texts)


def test_frame_images_carry_an_empty_description_so_the_front_end_shows_the_tooltip():
    image = all_of(Line().static(), widgets.Image)[0]
    assert "description" in image.keys and image.description == ""


def test_live_image_description_follows_the_controls():
    box = Line().live()
    image = all_of(box, widgets.Image)[0]
    all_of(box, widgets.FloatSlider)[0].value = 2.0
    assert "slope 2" in image.tooltip


class Views(Line):
    controls = (
        Choice("view", "view", {"flat": "flat", "tilted": "tilted"}, "flat"),
        Numeric(
            "slope",
            "slope",
            (-1.0, 2.0),
            -1.0,
            live_range=(-3.0, 3.0),
            applies_when=("view", ("tilted",)),
        ),
        Numeric("shift", "shift", (0.0,), 0.0, live_range=(0.0, 1.0), live_only=True),
        Numeric("width", "width", (1.0,), 1.0, live_range=(0.5, 3.0), live_only=True),
    )

    def compute(self, view, slope, shift, width):
        return super().compute(slope if view == "tilted" else 0.0, shift, width)


def test_a_control_that_does_not_apply_is_named_inactive():
    assert Views().inactive_controls({"view": "flat", "slope": 2.0}) == {"slope"}
    assert Views().inactive_controls({"view": "tilted", "slope": 2.0}) == set()


def test_precomputed_version_says_when_a_control_does_not_apply_to_the_view():
    box = Views().static()
    toggles = all_of(box, widgets.ToggleButtons)[0]
    note = [s for s in all_of(box, widgets.Stack) if "control-note" in s._dom_classes][0]
    texts = [child.value for child in note.children]
    assert "not used" in texts[0] and texts[1] == ""  # flat: slope unused; tilted: used
    assert note.selected_index == toggles.index


def test_precomputed_note_follows_the_view_in_the_browser(monkeypatch):
    links = []
    real = widgets.jslink
    monkeypatch.setattr(widgets, "jslink", lambda a, b: links.append((a, b)) or real(a, b))
    box = Views().static()
    toggles = all_of(box, widgets.ToggleButtons)[0]
    note = [s for s in all_of(box, widgets.Stack) if "control-note" in s._dom_classes][0]
    assert ((toggles, "index"), (note, "selected_index")) in links


def test_live_version_disables_a_control_that_does_not_apply_and_says_why():
    box = Views().live()
    view = all_of(box, widgets.Dropdown)[0]
    slope = [s for s in all_of(box, widgets.FloatSlider) if s.description == "slope"][0]
    assert slope.disabled and any("not used" in h.value for h in all_of(box, widgets.HTML))
    view.value = 1  # tilted
    assert not slope.disabled and not any("not used" in h.value for h in all_of(box, widgets.HTML))


def test_applies_when_must_name_a_precomputed_choice():
    class Broken(Line):
        controls = (
            Numeric("slope", "slope", (0.0, 1.0), 0.0, applies_when=("nothing", (1,))),
            Numeric("shift", "shift", (0.0,), 0.0),
            Numeric("width", "width", (1.0,), 1.0),
        )

    with pytest.raises(ValueError, match="applies_when"):
        Broken().static()


def test_widget_bundle_spells_out_the_view_where_ipywidgets_7_has_no_mimebundle():
    # ipywidgets 7 (Colab) widgets display themselves and have no _repr_mimebundle_;
    # the bundle is the one ipywidgets 7's _ipython_display_ publishes (protocol 2.0)
    from utils.widgets import widget_bundle

    class Ipywidgets7Widget:
        model_id = "abc123"

    bundle = widget_bundle(Ipywidgets7Widget())
    assert bundle["application/vnd.jupyter.widget-view+json"] == {
        "version_major": 2,
        "version_minor": 0,
        "model_id": "abc123",
    }
    assert "text/plain" in bundle
