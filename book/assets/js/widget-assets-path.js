// Loaded before require.js and the ipywidgets HTML manager (embed-amd.js) on
// pages with widgets.
(function () {
  // 1. The manager resolves its Font Awesome files against its AMD module id;
  //    map that id to the vendored folder so the fonts are found (a global
  //    `require` object defined before require.js loads is its config).
  var dist = new URL("../vendor/html-manager/dist/", document.currentScript.src).href;
  window.__jupyter_widgets_assets_path__ = dist;
  window.require = { paths: { "@jupyter-widgets/html-manager/dist": dist.replace(/\/$/, "") } };

  // 2. The manager typesets widget labels with the MathJax 2 API
  //    (MathJax.Hub.Queue); the book loads MathJax 3, which has no Hub, so every
  //    labelled widget threw "Cannot read properties of undefined (reading
  //    'Queue')". Whatever object window.MathJax is (Sphinx's configuration
  //    first, MathJax 3 itself once loaded), give it a non-enumerable Hub whose
  //    Queue typesets the element with MathJax 3's own API.
  var hub = {
    Queue: function (job) {
      var element = job && job[2];
      var run = function () {
        var mj = window.MathJax;
        if (mj && mj.startup && mj.startup.promise) {
          mj.startup.promise.then(function () { return mj.typesetPromise([element]); }).catch(function () {});
        } else {
          setTimeout(run, 100);
        }
      };
      if (element) run();
    },
  };
  function withHub(mj) {
    if (mj && typeof mj === "object" && !("Hub" in mj)) {
      Object.defineProperty(mj, "Hub", { value: hub, enumerable: false, configurable: true });
    }
    return mj;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); },
  });
})();
