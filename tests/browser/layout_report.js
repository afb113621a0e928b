// What a reader of one page cannot see or cannot operate. Evaluated by
// tests/browser/test_book_readability.py in every page of the built book; it
// returns data, the test decides. Plain browser JavaScript, no dependencies.
//
// Clipping: for every display equation (its mjx-math), table, widget
// (.jupyter-widgets, widget outputs) and image in the article, walk up its
// ancestors to the article column. An ancestor whose overflow-x is not
// "visible" and whose box the element sticks out of is either a scroll
// container (overflow-x auto/scroll: the element is reachable by scrolling,
// recorded with the scroll cue it shows) or a clip (hidden/clip: part of the
// element is hidden, always a failure). What still sticks out at the column is
// wider than its column.
(() => {
  const column = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  // the column is the article's content box (the theme pads the article)
  const outer = column.getBoundingClientRect(), ccs = getComputedStyle(column);
  const colRect = { left: outer.left + parseFloat(ccs.paddingLeft) + parseFloat(ccs.borderLeftWidth),
                    right: outer.right - parseFloat(ccs.paddingRight) - parseFloat(ccs.borderRightWidth) };
  colRect.width = colRect.right - colRect.left;
  const SLACK = 1; // px: sub-pixel rounding
  const TARGETS = [
    ["display equation", "mjx-container[display] > mjx-math, mjx-container[display] > svg"],
    ["table", "table"],
    ["widget", ".jupyter-widgets, .widget-output, .jupyter-widgets-output-area"],
    ["image", "img"],
  ];
  const label = (el) => {
    const eq = el.closest(".math, mjx-container");
    const id = eq && (eq.closest("[id]") || {}).id;
    const text = (eq || el).textContent.replace(/\s+/g, " ").trim().slice(0, 60);
    const cls = [...el.classList].slice(0, 3).join(".");
    return `${el.tagName.toLowerCase()}${cls ? "." + cls : ""}${id ? " #" + id : ""} ${JSON.stringify(text)}`;
  };
  const cueOf = (el) => {
    const cs = getComputedStyle(el);
    const gradient = /gradient/.test(cs.backgroundImage);
    const scrollbar = el.offsetHeight - el.clientHeight - parseFloat(cs.borderTopWidth) - parseFloat(cs.borderBottomWidth) > 0;
    return { gradient, scrollbar, overflowX: cs.overflowX, focusable: el.tabIndex >= 0 };
  };
  const out = [];
  for (const [kind, selector] of TARGETS) {
    for (const el of column.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue; // not displayed (a hidden Stack child, a closed tab)
      if (!el.checkVisibility({ checkVisibilityCSS: true })) continue;
      let left = r.left, right = r.right;
      const item = { kind, what: label(el), width: Math.round(r.width), column: Math.round(colRect.width),
                     scrolls: [], clippedBy: null, beyondColumn: 0 };
      // the element's own content, hidden by its own overflow
      const own = getComputedStyle(el);
      if (/hidden|clip/.test(own.overflowX) && el.scrollWidth > el.clientWidth + SLACK && el.tagName !== "IMG") {
        item.clippedBy = `itself (${own.overflowX}, content ${el.scrollWidth} px in ${el.clientWidth} px)`;
      }
      for (let a = el.parentElement; a && a !== column; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.overflowX === "visible") continue;
        const ar = a.getBoundingClientRect();
        const inner = { left: ar.left + a.clientLeft, right: ar.left + a.clientLeft + a.clientWidth };
        if (left < inner.left - SLACK || right > inner.right + SLACK) {
          if (/auto|scroll/.test(cs.overflowX)) {
            item.scrolls.push({ container: `${a.tagName.toLowerCase()}.${[...a.classList].slice(0, 3).join(".")}`,
                                overflow: Math.round(Math.max(right - inner.right, inner.left - left)),
                                ...cueOf(a) });
          } else if (!item.clippedBy) {
            item.clippedBy = `${a.tagName.toLowerCase()}.${[...a.classList].slice(0, 3).join(".")} (${cs.overflowX})`;
          }
          left = Math.max(left, ar.left);
          right = Math.min(right, ar.right);
        }
      }
      item.beyondColumn = Math.round(Math.max(0, right - colRect.right, colRect.left - left));
      out.push(item);
    }
  }
  return { column: Math.round(colRect.width), viewport: window.innerWidth,
           pageScrollWidth: document.documentElement.scrollWidth, items: out };
})
