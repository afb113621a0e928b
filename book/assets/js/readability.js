// Accessible names and values for what the ipywidgets HTML manager and MathJax
// draw, on every page of the book (loaded by book/_ext/offline_book.py).
//
// * Images: a widget Image has no alt trait; utils.widgets gives every frame a
//   description as its tooltip (the `title` of the <img>). Here it becomes the
//   image's `alt` too, so the frame is described even where titles are not read.
// * Sliders (role=slider, the noUiSlider handle): named by the widget's label
//   (aria-labelledby) and read by the value the readout shows (aria-valuetext:
//   "10⁻⁵", not the index noUiSlider reports).
// * Toggle buttons: the row is a labelled group; each button says whether it is
//   pressed (aria-pressed).
// * Anything that scrolls sideways (a long equation on a phone) can be reached
//   with the keyboard (tabindex=0) and is marked data-scrolls="true".
// Checked by tests/browser/test_book_readability.py.
(function () {
  "use strict";
  var uid = 0;
  function idOf(el) {
    if (!el.id) el.id = "book-a11y-" + ++uid;
    return el.id;
  }
  function text(el) {
    return el ? (el.value !== undefined && el.tagName === "INPUT" ? el.value : el.textContent).replace(/\s+/g, " ").trim() : "";
  }
  function set(el, name, value) {
    if (value === null) {
      if (el.hasAttribute(name)) el.removeAttribute(name);
    } else if (el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  }

  function fixImage(img) {
    var title = img.getAttribute("title");
    if (title && !img.getAttribute("alt")) set(img, "alt", title);
    else if (title && img.classList.contains("jupyter-widgets")) set(img, "alt", title);
  }

  function fixSlider(box) {
    var label = box.querySelector(":scope > .widget-label");
    var readout = box.querySelector(":scope > .widget-readout");
    box.querySelectorAll('[role="slider"]').forEach(function (handle) {
      if (label && text(label)) set(handle, "aria-labelledby", idOf(label));
      if (readout && text(readout)) set(handle, "aria-valuetext", text(readout));
      set(handle, "aria-disabled", box.classList.contains("mod-disabled") || handle.hasAttribute("disabled") ? "true" : null);
    });
  }

  function fixToggles(box) {
    var label = box.querySelector(":scope > .widget-label");
    var row = box.querySelector(".widget-toggle-button") ? box.querySelector(".widget-toggle-button").parentElement : null;
    if (!row) return;
    set(row, "role", "group");
    if (label && text(label)) set(row, "aria-labelledby", idOf(label));
    row.querySelectorAll(".widget-toggle-button").forEach(function (b) {
      set(b, "aria-pressed", b.classList.contains("mod-active") ? "true" : "false");
    });
  }

  var SCROLLERS = [
    "mjx-container[display]",
    ".pst-scrollable-table-container",
    "div.cell_output .output",
    ".jp-OutputArea-output.lm-Widget",
    ".widget-output",
  ].join(",");
  function fixScrollers(root) {
    (root || document).querySelectorAll(SCROLLERS).forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      set(el, "data-scrolls", scrolls ? "true" : null);
      if (scrolls && el.tabIndex < 0) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-book-tabindex", "");
      } else if (!scrolls && el.hasAttribute("data-book-tabindex")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-book-tabindex");
      }
    });
  }

  function fixAll(root) {
    root = root || document;
    root.querySelectorAll("img[title]").forEach(fixImage);
    root.querySelectorAll(".widget-slider, .widget-hslider, .widget-vslider").forEach(fixSlider);
    root.querySelectorAll(".widget-toggle-buttons").forEach(fixToggles);
  }

  var pending = null;
  function later() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fixAll(document);
      fixScrollers(document);
    }, 60);
  }

  function onMutations(records) {
    for (var i = 0; i < records.length; i++) {
      var t = records[i].target;
      var el = t.nodeType === 1 ? t : t.parentElement;
      if (!el) continue;
      if (el.tagName === "IMG") fixImage(el);
      var slider = el.closest(".widget-slider, .widget-hslider, .widget-vslider");
      if (slider) fixSlider(slider);
      var toggles = el.closest(".widget-toggle-buttons");
      if (toggles) fixToggles(toggles);
    }
    later();
  }

  function start() {
    fixAll(document);
    fixScrollers(document);
    new MutationObserver(onMutations).observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["title", "class", "aria-valuenow", "aria-valuetext", "disabled"],
    });
    window.addEventListener("resize", later);
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) MathJax.startup.promise.then(later);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
