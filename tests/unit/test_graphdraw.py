"""Tests of utils.graphdraw: well-formed, deterministic SVG showing every node."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from utils.autograd import Value
from utils.graphdraw import MAX_NODES, GraphSVG, draw_graph

SVG = "{http://www.w3.org/2000/svg}"


def _expression():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a * a
    c.label = "c"
    out = c.tanh()
    out.label = "out"
    out.backward()
    return out, [a, b, c, out]


def _texts(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_output_is_well_formed_svg(rankdir):
    root = ET.fromstring(draw_graph(_expression()[0], rankdir=rankdir).svg)
    assert root.tag == f"{SVG}svg"


def test_same_graph_gives_an_identical_svg_string():
    # Two separately built (different objects, different id()s) but equal graphs.
    assert draw_graph(_expression()[0]).svg == draw_graph(_expression()[0]).svg


def test_drawing_twice_gives_an_identical_svg_string():
    out, _ = _expression()
    assert draw_graph(out).svg == draw_graph(out).svg


def test_every_node_label_data_and_grad_is_shown():
    out, nodes = _expression()
    texts = _texts(draw_graph(out).svg)
    for v in nodes:
        assert v.label in texts
        assert f"data {v.data:.4f}" in texts
        assert f"grad {v.grad:.4f}" in texts


def test_one_box_per_node_and_one_ellipse_per_operation():
    out, _ = _expression()  # nodes: a, b, a*b, a*a, c, out
    root = ET.fromstring(draw_graph(out).svg)
    assert len(list(root.iter(f"{SVG}rect"))) == 6
    assert len(list(root.iter(f"{SVG}ellipse"))) == 4  # *, *, +, tanh
    assert {"*", "+", "tanh"} <= set(_texts(draw_graph(out).svg))


def test_a_reused_operand_is_marked_with_its_multiplicity():
    a = Value(3.0, label="a")
    assert "×2" in _texts(draw_graph(a * a).svg)


def test_text_is_escaped():
    v = Value(1.0, label='<b>&"x"</b>')
    svg = draw_graph(v.exp()).svg
    assert '<b>&"x"</b>' in _texts(svg)  # parsed back intact
    assert "<b>" not in svg


def test_inputs_are_left_of_the_output_in_lr_layout():
    a = Value(1.0, label="a")
    out = a.exp()
    out.label = "out"
    root = ET.fromstring(draw_graph(out, rankdir="LR").svg)
    x_of = {t.text: float(t.get("x")) for t in root.iter(f"{SVG}text")}
    assert x_of["a"] < x_of["out"]


def test_inputs_are_above_the_output_in_tb_layout():
    a = Value(1.0, label="a")
    out = a.exp()
    out.label = "out"
    root = ET.fromstring(draw_graph(out, rankdir="TB").svg)
    y_of = {t.text: float(t.get("y")) for t in root.iter(f"{SVG}text")}
    assert y_of["a"] < y_of["out"]


def test_a_leaf_is_drawn_one_rank_before_its_first_use():
    # L = (a * b + c): c is first used by the addition (rank 2), so it sits in
    # rank 1, beside the product, not in rank 0 beside a and b.
    a, b, c = (Value(1.0, label=n) for n in "abc")
    prod = a * b
    prod.label = "prod"
    out = prod + c
    root = ET.fromstring(draw_graph(out, rankdir="TB").svg)
    y_of = {t.text: float(t.get("y")) for t in root.iter(f"{SVG}text")}
    assert y_of["a"] == y_of["b"] < y_of["c"] == y_of["prod"]


def test_ids_do_not_depend_on_object_identity():
    svg = draw_graph(_expression()[0]).svg
    ids = [e.get("id") for e in ET.fromstring(svg).iter() if e.get("id")]
    assert ids and all(str(id(v)) not in svg for v in _expression()[1])
    assert len(ids) == len(set(ids))


def test_graph_svg_is_displayed_by_jupyter():
    g = draw_graph(Value(1.0))
    assert isinstance(g, GraphSVG) and g._repr_svg_() == g.svg


def test_graphs_larger_than_the_limit_are_refused():
    x = Value(0.0)
    for _ in range(MAX_NODES):
        x = x + 1.0  # two new nodes per step
    with pytest.raises(ValueError, match=f"more than {MAX_NODES} nodes"):
        draw_graph(x)


def test_a_huge_graph_is_refused():
    x = Value(0.0)
    for _ in range(20_000):
        x = x * 1.0
    with pytest.raises(ValueError, match="unreadable"):
        draw_graph(x)


def test_a_graph_at_the_limit_is_drawn():
    leaves = [Value(float(i)) for i in range(MAX_NODES - 1)]
    g = draw_graph(Value.sum(leaves))
    assert g.n_nodes == MAX_NODES


def test_unknown_rankdir_is_rejected():
    with pytest.raises(ValueError, match="rankdir must be one of"):
        draw_graph(Value(1.0), rankdir="RL")


def test_non_value_root_is_rejected():
    with pytest.raises(TypeError, match="root must be a Value"):
        draw_graph(3.0)
