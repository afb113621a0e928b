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
from sphinx.errors import ExtensionError

# The page hooks sphinx-thebe 0.3.1 connects (its setup()): they add its
# scripts (env-before-read-docs) and its per-page config (doctree-resolved).
_THEBE_HANDLERS = {
    "env-before-read-docs": {"init_thebe_default_config", "init_thebe_core"},
    "doctree-resolved": {"update_thebe_context"},
}


def _drop_thebe(app: Sphinx, config) -> None:
    # Sphinx offers no public way to find another extension's listeners, and
    # no configuration stops sphinx-thebe from adding its scripts (an empty
    # thebe_config only adds a warning; leaving sphinx_thebe out of Jupyter
    # Book's extension list means restating the whole list in _config.yml). So
    # the listener ids are read from Sphinx's table (``app.events.listeners``,
    # Sphinx 7.4, pinned in constraints.txt) and removed with the public
    # ``app.disconnect``. If an upgrade renames or moves these hooks, the build
    # stops here rather than silently loading Thebe again;
    # tests/unit/test_offline_book.py builds a page with and without this.
    found = {
        event: {
            listener.handler.__name__: listener.id
            for listener in app.events.listeners.get(event, [])
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe")
        }
        for event in _THEBE_HANDLERS
    }
    if {event: set(ids) for event, ids in found.items()} != _THEBE_HANDLERS:
        raise ExtensionError(
            f"offline_book: expected sphinx-thebe's listeners {_THEBE_HANDLERS}, found {found}; "
            "update book/_ext/offline_book.py for this Sphinx / sphinx-thebe"
        )
    for ids in found.values():
        for listener_id in ids.values():
            app.disconnect(listener_id)


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
