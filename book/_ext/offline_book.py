"""Sphinx extension that keeps the HTML book self-contained.

Jupyter Book 1.x always loads ``sphinx_thebe``, which injects a script pointing
at unpkg.com (and, in this toolchain, declares its ``const`` twice per page,
which is an uncaught error in the console). The book has Thebe switched off
(``launch_buttons.thebe: false``), so this extension removes sphinx-thebe's
page hooks and its script. Everything else the pages load is served from
``_static`` (see ``book/assets/vendor/LICENSES.txt``). It also sets the
theme's default colour mode, whose absence is a console error, and adds the
book's readability layer to every page: ``css/readability.css`` (long
equations, tables and widgets scroll with a visible cue instead of being
clipped; figures and widgets legible in dark mode) and ``js/readability.js``
(alt text for widget frames, names and value texts for sliders, pressed states
for toggle buttons). Both files live in ``book/assets``.
"""

from __future__ import annotations

from sphinx.application import Sphinx

_THEBE_EVENTS = ("env-before-read-docs", "doctree-resolved")


def _drop_thebe(app: Sphinx, config) -> None:
    for event in _THEBE_EVENTS:
        listeners = app.events.listeners.get(event, [])
        listeners[:] = [
            listener
            for listener in listeners
            if not getattr(listener.handler, "__module__", "").startswith("sphinx_thebe")
        ]


def _set_theme_mode(app: Sphinx, config) -> None:
    # pydata-sphinx-theme logs a console error when no mode is set ("Got invalid
    # theme mode: ."). The figures are drawn for a light background.
    config.html_context.setdefault("default_mode", "light")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _drop_thebe, priority=900)
    app.connect("config-inited", _set_theme_mode, priority=900)
    app.add_css_file("css/readability.css")
    app.add_js_file("js/readability.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
