// Loaded before require.js and the ipywidgets HTML manager (embed-amd.js) on
// pages with widgets. The manager resolves its Font Awesome files against its
// AMD module id; map that id to the vendored folder so the fonts are found
// (a global `require` object defined before require.js loads is its config).
(function () {
  var dist = new URL("../vendor/html-manager/dist/", document.currentScript.src).href;
  window.__jupyter_widgets_assets_path__ = dist;
  window.require = { paths: { "@jupyter-widgets/html-manager/dist": dist.replace(/\/$/, "") } };
})();
