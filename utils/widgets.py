"""Interactive figures that work with a kernel and without one (layer 3: ipywidgets).

A widget of this book is declared **once**, as an :class:`Explorer`: its
controls, a ``compute`` function (from the math core), and a plot split into
``setup`` (build the axes and artists once) and ``update`` (move the artists to
a new result). :mod:`utils.widgets` renders that one declaration two ways:

**Precomputed** (:meth:`Explorer.static`), for the published HTML, where no
Python runs. Every combination of the controls' grid values is computed and
drawn when the notebook executes; the frames are stored as images in a nest of
``Stack`` widgets whose ``selected_index`` is linked *in the browser*
(``jslink``) to each control's ``index``. Moving a control in the HTML page
shows the matching frame with no kernel and no network.

**Live** (:meth:`Explorer.live`), for JupyterLab, Binder and Colab, where a
kernel runs. The controls span continuous ranges, and every change runs the
real computation and redraws by moving the artists of one long-lived figure
(no new figure per change), which keeps a slider's answer well under the
120 ms budget.

:meth:`Explorer.widget` (what a notebook displays) shows both as two tabs: the
precomputed frames, and the live version, which is built the first time its
tab is selected in a live kernel; in the HTML that tab says that it needs one.
Where ``Stack`` or ``jslink`` are missing (ipywidgets 7, as in older Colab
images), :meth:`Explorer.widget` falls back to the live version alone.

Only core ipywidgets and matplotlib's Agg canvas are used (Colab runs no
third-party widget front end without extra steps).
"""

from __future__ import annotations

import base64
import io
import itertools
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from traitlets import Unicode

from .plotting import use_book_style

__all__ = [
    "Choice",
    "Numeric",
    "Explorer",
    "supports_precomputed",
    "encode_frame",
    "power_of_ten",
    "widget_bundle",
]

#: resolution of the default frame stored for print (:meth:`Explorer.print_frame`)
PRINT_DPI = 160
#: colours of its palette (a palette PNG is a third of the size of a full-colour one)
PRINT_COLORS = 64

LIVE_PLACEHOLDER = (
    "<p><b>Live mode</b> runs the computation in Python for any value of the controls"
    "{extra}. It needs a running kernel: open this notebook in JupyterLab, Binder or Colab "
    "(the launch buttons at the top of the page), run it, and select this tab again.</p>"
)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


_SUPERSCRIPT = str.maketrans(
    "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)

#: ``Numeric(fmt=POWER_OF_TEN)``: the control's value is an exponent, shown as
#: the power of ten it stands for.
POWER_OF_TEN = "10^"


def power_of_ten(exponent: float) -> str:
    """The number ``10 ** exponent`` as a reader reads it.

    ``10⁻⁵`` at a power of ten, ``5.6 × 10⁻⁵`` between powers. Used for the
    readout of a slider whose value is an exponent (chapter 1's
    finite-difference step), so that it reads the value, not the exponent.

    Examples
    --------
    >>> power_of_ten(-5)
    '10⁻⁵'
    >>> power_of_ten(-4.25)
    '5.6 × 10⁻⁵'
    >>> power_of_ten(0)
    '1'
    """
    exponent = float(exponent)
    if not math.isfinite(exponent):
        raise ValueError(f"exponent must be finite, got {exponent!r}")
    if exponent == round(exponent):
        k = int(round(exponent))
        return "1" if k == 0 else "10" + str(k).translate(_SUPERSCRIPT)
    mantissa, k = f"{10.0**exponent:.1e}".split("e")
    k = int(k)
    return mantissa if k == 0 else f"{mantissa} \u00d7 10" + str(k).translate(_SUPERSCRIPT)


# ---------------------------------------------------------------------------
# controls
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A control that picks one of a few named options.

    Parameters
    ----------
    name : str
        The keyword argument of ``compute`` that receives the value.
    label : str
        What the reader sees next to the control.
    options : mapping label -> value, or sequence of values
        The options, in display order (all precomputed).
    default : value
        One of the option values.
    live_only : bool
        Not precomputed: the static widget uses ``default`` and lists the
        control among those only the live version offers.
    applies_when : (control name, values), optional
        The control matters only while that other control (a :class:`Choice`)
        has one of these values; otherwise the widget says so (precomputed) or
        disables it (live). See :meth:`Explorer.inactive_controls`.
    """

    name: str
    label: str
    options: Mapping[str, Any] | Sequence[Any]
    default: Any
    live_only: bool = False
    applies_when: tuple[str, tuple] | None = None

    @property
    def labels(self) -> list[str]:
        return (
            [str(k) for k in self.options]
            if isinstance(self.options, Mapping)
            else [str(v) for v in self.options]
        )

    @property
    def grid(self) -> list[Any]:
        return (
            list(self.options.values()) if isinstance(self.options, Mapping) else list(self.options)
        )

    def __post_init__(self):
        if self.default not in self.grid:
            raise ValueError(
                f"default of control {self.name!r} must be one of its options, got {self.default!r}"
            )

    def static_widget(self) -> widgets.Widget:
        return widgets.ToggleButtons(
            options=self.labels,
            index=self.grid.index(self.default),
            description=self.label,
            style={"description_width": "initial", "button_width": "auto"},
        )

    def live_widget(self) -> widgets.Widget:
        return widgets.Dropdown(
            options=list(zip(self.labels, range(len(self.grid)), strict=True)),
            value=self.grid.index(self.default),
            description=self.label,
            style={"description_width": "initial"},
        )

    def live_value(self, raw: Any) -> Any:
        return self.grid[raw]


@dataclass(frozen=True)
class Numeric:
    """A numeric control: a grid of precomputed values and, live, a continuous range.

    Parameters
    ----------
    name, label : str
        As for :class:`Choice`.
    grid : sequence of numbers
        The values precomputed for the HTML (shown by a selection slider).
    default : number
        One of the grid values.
    live_range : (low, high), optional
        The range of the live slider (default: the grid's range).
    scale : {"linear", "log"}
        How the live slider moves (a log slider suits learning rates).
    integer : bool
        Integer values (an integer slider live).
    fmt : str
        Format spec of the readout, e.g. ``".3g"``.
    live_only, applies_when
        As for :class:`Choice`.
    step : float, optional
        Step of the live slider (exponent units for a log slider).
    """

    name: str
    label: str
    grid: Sequence[float]
    default: float
    live_range: tuple[float, float] | None = None
    scale: str = "linear"
    integer: bool = False
    fmt: str = ".3g"
    live_only: bool = False
    step: float | None = None
    applies_when: tuple[str, tuple] | None = None

    def __post_init__(self):
        if list(self.grid) != sorted(self.grid):
            raise ValueError(f"grid of control {self.name!r} must be increasing")
        if self.default not in list(self.grid):
            raise ValueError(
                f"default of control {self.name!r} must be one of its grid values, "
                f"got {self.default!r}"
            )
        if self.scale not in ("linear", "log"):
            raise ValueError(
                f"scale of control {self.name!r} must be 'linear' or 'log', got {self.scale!r}"
            )

    def format_value(self, value: float) -> str:
        """The value as the readout shows it (``fmt``; :data:`POWER_OF_TEN` for an exponent)."""
        return power_of_ten(value) if self.fmt == POWER_OF_TEN else format(value, self.fmt)

    @property
    def labels(self) -> list[str]:
        return [self.format_value(v) for v in self.grid]

    def static_widget(self) -> widgets.Widget:
        return widgets.SelectionSlider(
            options=self.labels,
            index=list(self.grid).index(self.default),
            description=self.label,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="320px"),
        )

    def _live_axis(self) -> tuple[float, float, float]:
        """(min, max, step) of the live slider, in exponent units for a log slider.

        A slider's positions are ``min + k * step``; the minimum is shifted (by
        less than one step) so that the default is one of them. Otherwise the
        browser snaps the default to a neighbour the moment the slider appears.
        """
        lo, hi = self.live_range or (min(self.grid), max(self.grid))
        if self.scale == "log":
            lo, hi, default, step = (
                math.log10(lo),
                math.log10(hi),
                math.log10(self.default),
                self.step or 0.01,
            )
        else:
            default, step = float(self.default), float(self.step or (hi - lo) / 200)
        if self.integer:
            step = float(max(1, round(step)))
        lo = default - step * math.floor((default - lo) / step + 1e-9)
        return lo, hi, step

    def live_widget(self) -> widgets.Widget:
        lo, hi, step = self._live_axis()
        common = dict(
            description=self.label,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="320px"),
        )
        if self.fmt == POWER_OF_TEN:  # the readout reads the power of ten, not the exponent
            positions = [
                float(f"{lo + k * step:.12g}")
                for k in range(int(math.floor((hi - lo) / step + 1e-9)) + 1)
            ]
            default = min(positions, key=lambda v: abs(v - self.default))
            return widgets.SelectionSlider(
                options=[(self.format_value(v), v) for v in positions], value=default, **common
            )
        if self.integer:
            return widgets.IntSlider(
                value=int(self.default), min=int(lo), max=int(hi), step=int(step), **common
            )
        if self.scale == "log":
            return widgets.FloatLogSlider(
                value=self.default,
                base=10,
                min=lo,
                max=hi,
                step=step,
                readout_format=self.fmt,
                **common,
            )
        return widgets.FloatSlider(
            value=self.default, min=lo, max=hi, step=step, readout_format=self.fmt, **common
        )

    def live_value(self, raw: Any) -> Any:
        """The value a live slider position stands for, without the front end's rounding noise.

        >>> h = Numeric("h", "h", (-5,), -5, live_range=(-15, -0.5), step=0.25)
        >>> h.live_value(-5.000000000000002)
        -5.0
        """
        if self.integer:
            return int(round(raw))
        lo, _, step = self._live_axis()
        if self.scale == "log":
            exponent = lo + round((math.log10(raw) - lo) / step) * step
            return float(f"{10.0**exponent:.12g}")
        return float(f"{lo + round((float(raw) - lo) / step) * step:.12g}")


Control = Choice | Numeric  # the kinds of control an Explorer declares


# ---------------------------------------------------------------------------
# images
# ---------------------------------------------------------------------------


def encode_frame(canvas: FigureCanvasAgg, fmt: str = "png", colors: int = 48) -> bytes:
    """Encode what the canvas last drew as a small image.

    ``"png"`` (lossless), ``"webp"`` or ``"png-palette"``. WebP and
    palette-PNG frames are quantised to an adaptive palette of ``colors``
    colours and stored losslessly; line plots lose nothing visible and shrink
    about three to five times, which keeps a page with many precomputed frames
    (WebP) and a notebook with print frames (palette PNG) small.
    """
    from PIL import Image

    if fmt not in ("png", "webp", "png-palette"):
        raise ValueError(f"fmt must be 'png', 'webp' or 'png-palette', got {fmt!r}")

    width, height = canvas.get_width_height()
    image = Image.frombuffer(
        "RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    ).convert("RGB")
    buf = io.BytesIO()
    if fmt == "png":
        image.save(buf, format="png", compress_level=1)
    elif fmt == "png-palette":
        image = image.quantize(
            colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        image.save(buf, format="png", optimize=True)
    else:
        image = image.quantize(
            colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        # method 4: the smallest files of methods 2-6 for these frames (4% below method 2),
        # a few milliseconds more per frame
        image.save(buf, format="webp", lossless=True, method=4)
    return buf.getvalue()


def supports_precomputed() -> bool:
    """Whether this ipywidgets has what the precomputed version needs (``Stack``, ``jslink``).

    >>> supports_precomputed()  # ipywidgets 8, outside Colab
    True
    >>> import types
    >>> from unittest import mock
    >>> with mock.patch.dict(sys.modules, {"google.colab": types.ModuleType("google.colab")}):
    ...     supports_precomputed()  # in Colab: the live version only
    False
    """
    return (
        hasattr(widgets, "Stack")
        and hasattr(widgets, "jslink")
        and "google.colab" not in sys.modules
    )


def widget_bundle(widget: widgets.Widget) -> dict[str, Any]:
    """The display bundle of ``widget``, with ipywidgets 8 and with ipywidgets 7 (Colab).

    ipywidgets 8 widgets have ``_repr_mimebundle_``; ipywidgets 7 widgets only
    display themselves (``_ipython_display_``), so the view of the widget's model
    is spelled out here as ipywidgets 7 displays it (widget message protocol 2).

    >>> bundle = widget_bundle(widgets.IntSlider())
    >>> sorted(bundle)
    ['application/vnd.jupyter.widget-view+json', 'text/plain']
    """
    if hasattr(widget, "_repr_mimebundle_"):
        return widget._repr_mimebundle_()
    return {  # ipywidgets 7.x
        "text/plain": repr(widget),
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 0,
            "model_id": widget.model_id,
        },
    }


# ---------------------------------------------------------------------------
# the explorer
# ---------------------------------------------------------------------------


class DescribedImage(widgets.Image):
    """An Image that says what it shows: its ``tooltip`` is the description.

    ipywidgets 8's Image has no ``alt``; its tooltip becomes the ``title`` of
    the ``<img>`` (an accessible name where nothing else runs), and the book's
    ``book/assets/js/readability.js`` copies it to ``alt``. The front end sets
    the title only when a ``description`` trait exists and is empty, which the
    core Image lacks (it would raise in the browser): this class adds it.
    """

    description = Unicode("").tag(sync=True)


@dataclass
class _Figure:
    figure: Figure
    canvas: FigureCanvasAgg
    state: Any
    background: Any = None  # the static part of the picture, for blitting
    background_key: Any = None  # what the background was drawn for
    result: Any = None  # what the last draw computed
    values: Mapping[str, Any] | None = None  # ... and for which control values

    @property
    def blit_artists(self) -> list:
        return self.state.get("blit", []) if isinstance(self.state, dict) else []


class Explorer:
    """An interactive figure: controls, a computation, and a plot drawn by moving artists.

    Subclasses (see :mod:`utils.explorations`) set the class attributes
    :attr:`title` and :attr:`controls` and define the three methods
    :meth:`compute`, :meth:`setup` and :meth:`update`. ``setup`` creates every
    artist, texts included (with placeholders as long as the longest they will
    show: the layout is computed once, from what ``setup`` made). They should
    also define :meth:`describe`, the alternative text of each frame. Display
    an explorer in a notebook to get :meth:`widget`.
    """

    title: str = "Explorer"
    controls: Sequence[Control] = ()
    figsize: tuple[float, float] = (7.2, 3.0)
    dpi: int = 80
    frame_format: str = "webp"

    # -- to be defined by subclasses -------------------------------------
    def compute(self, **values: Any) -> Any:  # pragma: no cover - abstract
        """Run the computation for the given control values (math core only)."""
        raise NotImplementedError

    def setup(self, fig: Figure) -> Any:  # pragma: no cover - abstract
        """Create the axes and artists once; return whatever :meth:`update` needs."""
        raise NotImplementedError

    def update(
        self, state: Any, result: Any, values: Mapping[str, Any]
    ) -> None:  # pragma: no cover
        """Move the artists in ``state`` to show ``result``."""
        raise NotImplementedError

    def describe(self, result: Any, values: Mapping[str, Any]) -> str:
        """What the frame for ``values`` shows, in words: its alternative text.

        The default names the explorer and the controls' values; subclasses
        say what the plot shows (the numbers a sighted reader would read off).
        """
        return f"{self.title}: " + ", ".join(self._value_texts(values)) + "."

    def _value_texts(self, values: Mapping[str, Any]) -> list[str]:
        out = []
        for c in self.controls:
            if c.name not in self.inactive_controls(values):
                v = values[c.name]
                shown = c.format_value(v) if isinstance(c, Numeric) else c.labels[c.grid.index(v)]
                out.append(f"{c.label} {shown}")
        return out

    def inactive_controls(self, values: Mapping[str, Any]) -> set[str]:
        """Names of the controls that change nothing for ``values`` (see ``applies_when``).

        >>> class Demo(Explorer):
        ...     controls = (Choice("view", "view", ("1d", "2d"), "1d"),
        ...                 Numeric("k", "k", (1, 2), 1, applies_when=("view", ("2d",))))
        >>> sorted(Demo().inactive_controls({"view": "1d", "k": 1}))
        ['k']
        >>> Demo().inactive_controls({"view": "2d", "k": 1})
        set()
        """
        out = set()
        for c in self.controls:
            if c.applies_when is not None:
                other, allowed = c.applies_when
                if other not in values:
                    raise ValueError(
                        f"applies_when of control {c.name!r} names no control: {other!r}"
                    )
                if values[other] not in allowed:
                    out.add(c.name)
        return out

    def _inactive_note(self, control: Control) -> str:
        other, allowed = control.applies_when
        chooser = next(c for c in self.controls if c.name == other)
        shown = [lbl for lbl, v in zip(chooser.labels, chooser.grid, strict=True) if v in allowed]
        return (
            f"<small>{control.label}: not used in this {chooser.label}; "
            f"it applies to {' / '.join(shown)}.</small>"
        )

    def layout_values(self) -> dict[str, Any]:
        """The control values whose frame the layout is computed for, once (default: the defaults).

        An explorer whose texts (a legend, say) grow with some setting returns
        that setting here, so that no frame's text is clipped at the image edge.
        """
        return self.defaults()

    def background_key(self, values: Mapping[str, Any]) -> Any:
        """What the static part of the picture depends on (for explorers that blit).

        An explorer whose ``setup`` returns a dict with a ``"blit"`` list of
        artists is drawn by blitting: everything else is drawn once per distinct
        value of this key. The default, ``None``, means "never changes".
        """
        return None

    def with_grid(self, **grids: Sequence[Any]) -> Explorer:
        """A copy whose named controls precompute other grid values.

        For example a coarser grid, for a crowded page.

        Each keyword names a control and gives its new grid (for a
        :class:`Choice`, a subset of its option labels). A default that is not
        in the new grid moves to the nearest grid value (for a choice, to the
        first option), in both versions.

        Examples
        --------
        >>> class Demo(Explorer):
        ...     controls = (Numeric("a", "a", (1, 2, 3, 4), 2),)
        >>> Demo().with_grid(a=(2, 4)).grid_size()
        2
        """
        import copy
        import dataclasses

        names = {c.name for c in self.controls}
        unknown = set(grids) - names
        if unknown:
            raise ValueError(
                f"with_grid: no control named {sorted(unknown)}; controls are {sorted(names)}"
            )
        new = copy.copy(self)
        replaced = []
        for c in self.controls:
            if c.name not in grids:
                replaced.append(c)
            elif isinstance(c, Choice):
                labels = list(grids[c.name])
                options = dict(zip(c.labels, c.grid, strict=True))
                chosen = {k: options[k] for k in labels}
                default = c.default if c.default in chosen.values() else next(iter(chosen.values()))
                replaced.append(dataclasses.replace(c, options=chosen, default=default))
            else:
                grid = tuple(grids[c.name])
                default = (
                    c.default if c.default in grid else min(grid, key=lambda v: abs(v - c.default))
                )
                replaced.append(dataclasses.replace(c, grid=grid, default=default))
        new.controls = tuple(replaced)
        new.__dict__.pop("_widget", None)
        return new

    # -- machinery --------------------------------------------------------
    @property
    def slug(self) -> str:
        return _slug(self.title)

    def defaults(self) -> dict[str, Any]:
        return {c.name: c.default for c in self.controls}

    def _new_figure(self, dpi: int | None = None) -> _Figure:
        use_book_style()
        fig = Figure(figsize=self.figsize, dpi=dpi or self.dpi, layout="constrained")
        canvas = FigureCanvasAgg(fig)
        state = self.setup(fig)
        # Constrained layout is half the cost of a draw: run it once, on the
        # frame with the longest texts (layout_values), then keep the axes
        # where it put them.
        defaults = self.layout_values()
        self.update(state, self.compute(**defaults), defaults)
        canvas.draw()
        fig.set_layout_engine("none")
        return _Figure(fig, canvas, state)

    def draw(self, values: Mapping[str, Any] | None = None, fig: _Figure | None = None) -> _Figure:
        """Compute and draw the plot for ``values`` (defaults for missing ones)."""
        full = self.defaults() | dict(values or {})
        fig = fig or self._new_figure()
        fig.result, fig.values = self.compute(**full), full
        self.update(fig.state, fig.result, full)
        if fig.blit_artists:
            # Fixed axes: draw the axes, ticks and labels once (again only when
            # background_key changes), then per frame only the artists that move
            # (blitting), several times faster than a full draw.
            key = self.background_key(full)
            if fig.background is None or key != fig.background_key:
                for artist in fig.blit_artists:
                    artist.set_animated(True)
                fig.canvas.draw()
                fig.background = fig.canvas.copy_from_bbox(fig.figure.bbox)
                fig.background_key = key
            fig.canvas.restore_region(fig.background)
            for artist in fig.blit_artists:
                fig.figure.draw_artist(artist)
        else:
            fig.canvas.draw()
        return fig

    def render(
        self, values: Mapping[str, Any] | None = None, fmt: str = "png", fig: _Figure | None = None
    ) -> bytes:
        """The plot for ``values`` as image bytes."""
        return encode_frame(self.draw(values, fig).canvas, fmt)

    @property
    def static_controls(self) -> list:
        return [c for c in self.controls if not c.live_only]

    def grid_size(self) -> int:
        """Number of precomputed frames: the product of the static controls' grid sizes."""
        return math.prod(len(c.grid) for c in self.static_controls)

    def frames(self) -> dict[tuple[int, ...], bytes]:
        """Every precomputed frame, keyed by the grid indices of the static controls."""
        return {idx: data for idx, (data, _) in self.described_frames().items()}

    def described_frames(self) -> dict[tuple[int, ...], tuple[bytes, str]]:
        """Every precomputed frame and its description (:meth:`describe`).

        Keyed like :meth:`frames`.
        """
        fig = self._new_figure()
        static = self.static_controls
        out = {}
        for idx in itertools.product(*(range(len(c.grid)) for c in static)):
            values = {c.name: c.grid[i] for c, i in zip(static, idx, strict=True)}
            data = self.render(values, self.frame_format, fig)
            out[idx] = (data, self.describe(fig.result, fig.values))
        return out

    # -- the precomputed version ----------------------------------------
    def static(self) -> widgets.Widget:
        """The precomputed version.

        Frames in nested Stacks, linked to the controls in the browser.
        """
        static = self.static_controls
        frames = self.described_frames()
        controls = [c.static_widget() for c in static]

        # Identical frames (a control that does not affect some view) share one
        # Image widget, so the page carries their bytes once.
        images: dict[bytes, widgets.Image] = {}
        width = f"{self.figsize[0] * self.dpi:.0f}px"

        def build(level: int, prefix: tuple[int, ...]) -> widgets.Widget:
            if level == len(static):
                data, text = frames[prefix]
                if data not in images:
                    images[data] = DescribedImage(
                        value=data,
                        format=self.frame_format,
                        tooltip=text,
                        layout=widgets.Layout(width="100%", max_width=width),
                    )
                    images[data].add_class("explorer-frame")
                images[data].add_class("frame-" + "-".join(map(str, prefix)))
                return images[data]
            children = [build(level + 1, prefix + (i,)) for i in range(len(static[level].grid))]
            stack = widgets.Stack(children, selected_index=controls[level].index)
            widgets.jslink((controls[level], "index"), (stack, "selected_index"))
            return stack

        body = build(0, ())
        live_only = [c for c in self.controls if c.live_only]
        note = ""
        if live_only:
            names = ", ".join(c.label for c in live_only)
            note = f"<small>Fixed here, adjustable in the live tab: {names}.</small>"
        rows: list[widgets.Widget] = []
        for c, w in zip(static, controls, strict=True):
            rows.append(w)
            if c.applies_when is not None:
                rows.append(self._static_note(c, static, controls))
        box = widgets.VBox([*rows, body, widgets.HTML(note)] if note else [*rows, body])
        box.add_class("explorer-static")
        return box

    def _static_note(
        self, control: Control, static: Sequence[Control], widgets_: Sequence[widgets.Widget]
    ):
        """Says, in the browser with no kernel, when ``control`` does not apply to the chosen view.

        A Stack of two notes (empty, or "not used in this view") whose shown
        child follows the deciding control's ``index`` through a ``jslink``.
        """
        other, allowed = control.applies_when
        k = next((i for i, c in enumerate(static) if c.name == other), None)
        if k is None or not isinstance(static[k], Choice):
            raise ValueError(
                f"applies_when of control {control.name!r} must name a precomputed "
                f"Choice, got {other!r}"
            )
        chooser = static[k]
        text = self._inactive_note(control)
        notes = [widgets.HTML("" if v in allowed else text) for v in chooser.grid]
        stack = widgets.Stack(notes, selected_index=widgets_[k].index)
        widgets.jslink((widgets_[k], "index"), (stack, "selected_index"))
        stack.add_class("control-note")
        return stack

    # -- the live version -------------------------------------------------
    def live(self) -> widgets.Widget:
        """The live version: continuous controls; each change recomputes and moves the artists."""
        fig = self._new_figure()
        controls = {c.name: c.live_widget() for c in self.controls}
        image = DescribedImage(
            format="png",
            layout=widgets.Layout(width="100%", max_width=f"{self.figsize[0] * self.dpi:.0f}px"),
        )
        image.add_class("explorer-live-image")
        status = widgets.HTML("")
        notes = {c.name: widgets.HTML("") for c in self.controls if c.applies_when is not None}

        def redraw(change=None):
            values = {c.name: c.live_value(controls[c.name].value) for c in self.controls}
            inactive = self.inactive_controls(values)
            for (
                name,
                note,
            ) in notes.items():  # a control that does not apply to this view is disabled
                controls[name].disabled = name in inactive
                note.value = (
                    self._inactive_note(next(c for c in self.controls if c.name == name))
                    if name in inactive
                    else ""
                )
            try:
                image.value = self.render(values, "png", fig)
                image.tooltip = self.describe(fig.result, fig.values)
                status.value = ""
            except (
                ValueError
            ) as exc:  # an impossible combination of controls: say so, keep the last plot
                status.value = f"<span style='color:#B00020'>{exc}</span>"

        for w in controls.values():
            w.observe(redraw, "value")
        redraw()
        rows = []
        for name, w in controls.items():
            rows += [w, notes[name]] if name in notes else [w]
        box = widgets.VBox([*rows, image, status])
        box.add_class("explorer-live")
        return box

    # -- what a notebook displays ------------------------------------------
    def widget(self) -> widgets.Widget:
        """Both versions in two tabs (or the live one alone where precomputing is unsupported)."""
        if not supports_precomputed():
            return self.live()
        live_box = widgets.VBox([widgets.HTML(self._placeholder())])
        tab = widgets.Tab(children=[self.static(), live_box])
        tab.set_title(0, "Precomputed")
        tab.set_title(1, "Live (kernel)")

        def build_live(change):
            if change["new"] == 1 and len(live_box.children) == 1:
                live_box.children = [self.live()]

        tab.observe(build_live, "selected_index")
        root = widgets.VBox([widgets.HTML(f"<b>{self.title}</b>"), tab])
        root.add_class("explorer")
        root.add_class(f"explorer-{self.slug}")
        return root

    def _placeholder(self) -> str:
        live_only = [c.label for c in self.controls if c.live_only]
        extra = (
            f", including controls the precomputed tab fixes ({', '.join(live_only)})"
            if live_only
            else ""
        )
        return LIVE_PLACEHOLDER.format(extra=extra)

    def print_frame(self, dpi: int = PRINT_DPI) -> bytes:
        """The frame at the default control values as a palette PNG at print resolution.

        What the PDF of the book shows in place of the widget (see
        ``book/_ext/pdf_book.py``).

        >>> class Demo(Explorer):
        ...     figsize = (2.0, 1.0)
        ...     def compute(self): return None
        ...     def setup(self, fig): return fig.add_subplot()
        ...     def update(self, state, result, values): pass
        >>> Demo().print_frame(dpi=50)[:8]
        b'\\x89PNG\\r\\n\\x1a\\n'
        """
        if not isinstance(dpi, int) or isinstance(dpi, bool):
            raise TypeError(f"dpi must be an int, got {type(dpi).__name__}")
        if dpi <= 0:
            raise ValueError(f"dpi must be positive, got {dpi}")
        fig = self.draw(self.defaults(), self._new_figure(dpi))
        return encode_frame(fig.canvas, "png-palette", colors=PRINT_COLORS)

    def _repr_mimebundle_(self, include=None, exclude=None):
        if not hasattr(self, "_widget"):
            self._widget = self.widget()
        bundle = widget_bundle(self._widget)
        bundle["text/plain"] = (
            f"{self.title} (interactive: {self.grid_size()} precomputed frames, live tab)"
            if supports_precomputed()
            else f"{self.title} (interactive, live)"
        )
        # The default frame, for front ends that show no widget (the PDF, nbconvert);
        # a widget view outranks it wherever widgets render (HTML, JupyterLab).
        bundle["image/png"] = base64.b64encode(self.print_frame()).decode("ascii")
        return bundle
