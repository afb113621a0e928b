"""Draw the computational graph of a :class:`~utils.autograd.Value` as SVG.

Pure Python (no graphviz): one box per value showing its label, ``data`` and
``grad``; a small ellipse per operation; edges from the operands to the
operation to its result. Values are placed by *rank*, the longest path from
the leaves (a leaf sits one rank before its first use), so inputs are on the
left (or top) and the output on the right (or bottom). The drawing is
deterministic: the same graph gives the same SVG string, with element ids
derived from the graph's content, not from ``id()``.

Chapter 2 (Chain rule and computational graphs) and Chapter 5 (Backprop
engine) draw their graphs with it.

Examples
--------
>>> from utils.autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> c = a * b; c.label = "c"
>>> g = draw_graph(c)
>>> g.svg.startswith("<svg")
True
>>> "data 2.0000" in g.svg and "c" in g.svg
True
"""

from __future__ import annotations

import hashlib
from html import escape

from ._validate import check_choice, check_int
from .autograd import Value

__all__ = ["GraphSVG", "draw_graph", "MAX_NODES"]

MAX_NODES = 200
"""Largest graph :func:`draw_graph` draws by default: beyond this it is unreadable."""

_CHAR_W = 7.2  # width of one character of the 12px monospace font
_BOX_H = 26.0  # height of a value box
_GAP = 70.0  # space between ranks, where the operation ellipses sit
_SEP = 18.0  # space between boxes of the same rank
_MARGIN = 12.0
_OP_RY = 11.0


class GraphSVG:
    """An SVG drawing that Jupyter displays inline.

    Parameters
    ----------
    svg : str
        The SVG document.
    n_nodes : int
        Number of value nodes drawn.

    Attributes
    ----------
    svg : str
        The SVG document (what ``_repr_svg_`` gives Jupyter).
    n_nodes : int
        Number of value nodes drawn.

    See Also
    --------
    draw_graph : Returns one.

    Examples
    --------
    >>> g = GraphSVG("<svg xmlns='http://www.w3.org/2000/svg'/>", 0)
    >>> g._repr_svg_() == g.svg
    True
    """

    def __init__(self, svg: str, n_nodes: int) -> None:
        self.svg = svg
        self.n_nodes = n_nodes

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str) -> None:
        """Write the SVG to ``path``.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write (UTF-8); an existing file is overwritten.

        See Also
        --------
        draw_graph : Makes the drawing.

        Examples
        --------
        >>> import os, tempfile
        >>> g = draw_graph(Value(1.0))
        >>> path = os.path.join(tempfile.mkdtemp(), "g.svg")
        >>> g.save(path); open(path).read() == g.svg
        True
        """
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.svg)

    def __repr__(self) -> str:
        return f"GraphSVG(n_nodes={self.n_nodes}, {len(self.svg)} characters)"


def _fmt(x: float) -> str:
    return f"{x:.4f}" if x == 0.0 or 1e-3 <= abs(x) < 1e6 else f"{x:.3e}"


def _reachable(root: Value, limit: int) -> int:
    """Count the nodes reachable from ``root``, stopping early past ``limit``."""
    seen = {id(root)}
    stack = [root]
    while stack:
        for child in stack.pop().children:
            if id(child) not in seen:
                seen.add(id(child))
                if len(seen) > limit:
                    return len(seen)
                stack.append(child)
    return len(seen)


def draw_graph(root: Value, rankdir: str = "LR", max_nodes: int = MAX_NODES) -> GraphSVG:
    """Draw the graph of ``root`` as SVG.

    Parameters
    ----------
    root : Value
        The output whose graph is drawn.
    rankdir : {"LR", "TB"}, default "LR"
        Left to right (inputs on the left) or top to bottom; anything else
        raises ``ValueError``.
    max_nodes : int, default MAX_NODES
        Refuse larger graphs (default 200): they are unreadable. An integer
        >= 1.

    Returns
    -------
    GraphSVG
        Displayed by Jupyter; the string is ``.svg``.

    Raises
    ------
    ValueError
        If the graph has more than ``max_nodes`` values.
    TypeError
        If ``root`` is not a Value.

    See Also
    --------
    utils.autograd.Value : The nodes drawn.
    GraphSVG.save : Write the drawing to a file.

    Examples
    --------
    >>> from utils.autograd import Value
    >>> x = Value(0.5, label="x")
    >>> y = (x * x).tanh(); y.label = "y"
    >>> y.backward()
    >>> g = draw_graph(y, rankdir="TB")
    >>> g.n_nodes, g.svg.count("<rect")
    (3, 3)
    >>> "grad 1.0000" in g.svg  # dy/dy = 1 on the output's box
    True
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    check_choice("rankdir", rankdir, ["LR", "TB"])
    max_nodes = check_int("max_nodes", max_nodes, minimum=1)
    count = _reachable(root, max_nodes)
    if count > max_nodes:
        raise ValueError(
            f"the graph has more than {max_nodes} nodes (max_nodes); a drawing that large is "
            "unreadable: draw a smaller expression"
        )

    order, children = _nodes(root)
    rank, pos, routes = _layout(order, children)
    n_ranks = max(rank.values()) + 1
    longest = 1 + max(pos.values())

    # Text of each box: [label |] data ... | grad ...
    fields = [
        ([v.label] if v.label else []) + [f"data {_fmt(v.data)}", f"grad {_fmt(v.grad)}"]
        for v in order
    ]
    widths = [[_CHAR_W * len(f) + 12.0 for f in fs] for fs in fields]
    box_w = max(sum(w) for w in widths)

    def box_xy(slot: int) -> tuple[float, float]:
        """Top-left corner of the box (or reserved slot) ``slot``."""
        r, k = rank[slot], pos[slot]
        if rankdir == "LR":
            return _MARGIN + r * (box_w + _GAP), _MARGIN + k * (_BOX_H + _SEP)
        return _MARGIN + k * (box_w + _SEP), _MARGIN + r * (_BOX_H + _GAP)

    if rankdir == "LR":
        width = 2 * _MARGIN + n_ranks * box_w + (n_ranks - 1) * _GAP
        height = 2 * _MARGIN + longest * _BOX_H + (longest - 1) * _SEP
    else:
        width = 2 * _MARGIN + longest * box_w + (longest - 1) * _SEP
        height = 2 * _MARGIN + n_ranks * _BOX_H + (n_ranks - 1) * _GAP

    # Ids come from a hash of the content, so two drawings in one page do not clash.
    content = repr(
        [(v.op, v.label, v.data, v.grad, cs) for v, cs in zip(order, children, strict=False)]
    )
    gid = "g" + hashlib.sha1(content.encode()).hexdigest()[:8]
    arrow = f'stroke="#555" fill="none" marker-end="url(#{gid}-arrow)"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.1f} {height:.1f}" font-family="monospace" font-size="12">',
        f'<defs><marker id="{gid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]

    # The edges first, so that boxes and ellipses are drawn over their ends.
    for (c, i), via in routes.items():
        x, y = box_xy(i)
        cx, cy = box_xy(c)
        if rankdir == "LR":
            points = [(cx + box_w, cy + _BOX_H / 2)]
            for d in via:  # straight through the slot reserved in each skipped rank
                dx, dy = box_xy(d)
                points += [(dx, dy + _BOX_H / 2), (dx + box_w, dy + _BOX_H / 2)]
            points.append((x - _GAP / 2 - _op_rx(order[i].op), y + _BOX_H / 2))
        else:
            points = [(cx + box_w / 2, cy + _BOX_H)]
            for d in via:
                dx, dy = box_xy(d)
                points += [(dx + box_w / 2, dy), (dx + box_w / 2, dy + _BOX_H)]
            points.append((x + box_w / 2, y - _GAP / 2 - _OP_RY))
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        out.append(f'<polyline points="{path}" {arrow}/>')
        mult = children[i].count(c)
        if mult > 1:  # an operand used several times, e.g. a * a
            (x1, y1), (x2, y2) = points[-2], points[-1]
            out.append(
                f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 4:.1f}" '
                f'text-anchor="middle" fill="#555">×{mult}</text>'
            )

    for i, v in enumerate(order):
        x, y = box_xy(i)
        out.append(f'<g id="{gid}-n{i}"><title>{escape(repr(v))}</title>')
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w:.1f}" height="{_BOX_H:.1f}" '
            'rx="3" fill="#f7f7f7" stroke="#333"/>'
        )
        fx = x
        extra = (box_w - sum(widths[i])) / len(widths[i])  # spread evenly over the sections
        for k, (text, w) in enumerate(zip(fields[i], widths[i], strict=False)):
            w += extra
            if k > 0:
                out.append(
                    f'<line x1="{fx:.1f}" y1="{y:.1f}" x2="{fx:.1f}" y2="{y + _BOX_H:.1f}" '
                    'stroke="#333"/>'
                )
            out.append(
                f'<text x="{fx + w / 2:.1f}" y="{y + _BOX_H / 2 + 4:.1f}" '
                f'text-anchor="middle">{escape(text)}</text>'
            )
            fx += w
        if children[i]:  # the operation that made v, in the gap before its box
            rx = _op_rx(v.op)
            if rankdir == "LR":
                ox, oy = x - _GAP / 2, y + _BOX_H / 2
                out.append(
                    f'<line x1="{ox + rx:.1f}" y1="{oy:.1f}" x2="{x:.1f}" y2="{oy:.1f}" {arrow}/>'
                )
            else:
                ox, oy = x + box_w / 2, y - _GAP / 2
                out.append(
                    f'<line x1="{ox:.1f}" y1="{oy + _OP_RY:.1f}" '
                    f'x2="{ox:.1f}" y2="{y:.1f}" {arrow}/>'
                )
            out.append(
                f'<ellipse cx="{ox:.1f}" cy="{oy:.1f}" rx="{rx:.1f}" ry="{_OP_RY:.1f}" '
                'fill="#e8f0fe" stroke="#333"/>'
            )
            out.append(
                f'<text x="{ox:.1f}" y="{oy + 4:.1f}" text-anchor="middle">{escape(v.op)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return GraphSVG("\n".join(out), len(order))


def _op_rx(op: str) -> float:
    """Horizontal radius of the ellipse showing ``op``."""
    return max(_OP_RY, 4.0 + 3.8 * len(op))


def _nodes(root: Value) -> tuple[list[Value], list[list[int]]]:
    """The nodes in breadth-first order from ``root`` (children in operand
    order) and, for each, the indices of its children (with repeats)."""
    order, index = [root], {id(root): 0}
    k = 0
    while k < len(order):
        for child in order[k].children:
            if id(child) not in index:
                index[id(child)] = len(order)
                order.append(child)
        k += 1
    return order, [[index[id(c)] for c in v.children] for v in order]


def _layout(order: list[Value], children: list[list[int]]) -> tuple[dict, dict, dict]:
    """Assign every node (``order[0]`` is the root) a rank and a position within its rank.

    The rank of an interior node is the longest path from the leaves; a leaf
    sits one rank before the first node that uses it. An edge that skips
    ranks is routed through a reserved *slot* in each rank it crosses (slots
    numbered from ``len(order)``), so no edge passes through a box. The order
    within each rank comes from two barycentre sweeps (each slot moves to the
    mean position of its neighbours in the previous rank), a classic heuristic
    against edge crossings; stable sorts keep the result deterministic.

    Returns ``rank`` and ``pos`` (slot -> int) and ``routes``
    ((child, parent) -> list of the slots the edge goes through).
    """
    index = {id(v): i for i, v in enumerate(order)}
    rank: dict[int, int] = {}
    for v in order[0]._topological_order():  # children before parents
        i = index[id(v)]
        rank[i] = 1 + max((rank[c] for c in children[i]), default=-1)
    # A leaf (an input, a parameter, a constant) sits one rank before its
    # first use rather than with all the other leaves in rank 0: a bias added
    # late in the expression is drawn next to the addition that uses it, which
    # keeps the drawing narrow and its edges short.
    first_use: dict[int, int] = {}
    for i in range(len(order)):
        for c in children[i]:
            first_use[c] = min(first_use.get(c, rank[i]), rank[i])
    for i in first_use:
        if not children[i]:
            rank[i] = first_use[i] - 1
    below: dict[int, list[int]] = {i: [] for i in rank}  # neighbours one rank lower
    above: dict[int, list[int]] = {i: [] for i in rank}  # neighbours one rank higher
    routes: dict[tuple[int, int], list[int]] = {}
    slot = len(order)
    for i in range(len(order)):
        for c in dict.fromkeys(children[i]):  # distinct children, in operand order
            prev, via = c, []
            for r in range(rank[c] + 1, rank[i]):
                rank[slot], below[slot], above[slot] = r, [prev], []
                above[prev].append(slot)
                prev, via = slot, via + [slot]
                slot += 1
            below[i].append(prev)
            above[prev].append(i)
            routes[(c, i)] = via
    layers: list[list[int]] = [[] for _ in range(max(rank.values()) + 1)]
    for s in sorted(rank):  # nodes in breadth-first order, then slots
        layers[rank[s]].append(s)
    pos = {s: k for layer in layers for k, s in enumerate(layer)}

    def resort(layer: list[int], neighbours: dict[int, list[int]]) -> None:
        key = {
            s: sum(pos[n] for n in neighbours[s]) / len(neighbours[s]) if neighbours[s] else pos[s]
            for s in layer
        }
        layer.sort(key=key.__getitem__)
        for k, s in enumerate(layer):
            pos[s] = k

    for _ in range(2):
        for layer in layers[1:]:
            resort(layer, below)
        for layer in reversed(layers[:-1]):
            resort(layer, above)
    return rank, pos, routes
