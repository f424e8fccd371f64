"""nnviz.figures.graph: the paper-style drawing, escaping, fixed sizes, options."""

from __future__ import annotations

import re

import graphviz
import pytest

from nnviz import edit, presets
from nnviz.figures import network_graph
from nnviz.figures.graph import (
    dot_source,
    edge_title,
    layer_summary_graph,
    neuron_title,
    too_big_to_draw,
)
from nnviz.figures.style import PALETTES, gradient_color
from nnviz.network import Network, Neuron, is_large


def _nodes(dot: str) -> dict[str, str]:
    """DOT node name -> its attribute text."""
    return dict(re.findall(r"^\s*(n\d+) \[(.*)\]$", dot, re.M))


def _edges(dot: str) -> list[tuple[str, str, str]]:
    """Drawn edges (the invisible ones that keep each layer in order are left out)."""
    return [e for e in re.findall(r"^\s*(n\d+) -> (n\d+)(?: \[(.*)\])?$", dot, re.M) if e[2] != "style=invis"]


def test_paper_network_reads_like_figure_3():
    g = network_graph(presets.paper_network())
    assert isinstance(g, graphviz.Digraph)
    dot = g.source
    assert "rankdir=LR" in dot
    nodes, edges = _nodes(dot), _edges(dot)
    assert len(nodes) == 9 and len(edges) == 12
    assert "σ₁" in nodes["n0"] and "#b6e3a8" in nodes["n0"]  # input 1 green
    assert "σ₂" in nodes["n1"] and "#a8ccf4" in nodes["n1"]  # bias 2 blue
    assert "σ₃" in nodes["n2"] and "#ffffff" in nodes["n2"]  # hidden 3 white
    assert "σ₉" in nodes["n8"] and "#ffe27a" in nodes["n8"]  # output 9 yellow
    assert "w₁,₃" in edges[0][2] and edges[0][:2] == ("n0", "n2")
    for k in range(1, 5):
        assert f'label="layer {k}"' in dot
    assert dot.count("subgraph cluster_layer") == 4
    assert "fixedsize=true" in dot


def test_non_layered_network_has_no_layer_boxes():
    dot = network_graph(presets.non_layered()).source
    assert "cluster" not in dot
    assert "w(A,B)" in dot and ">A<" in dot


def test_show_weights_and_edge_labels():
    net = presets.paper_network()
    assert "w₁,₃ = 0.80" in network_graph(net, show_weights=True).source
    dot = network_graph(net, edge_labels={("1", "3"): "∂l/∂w=0.5\nsecond"})
    assert "∂l/∂w=0.5<BR/>second" in dot.source
    assert "w₂,₃" in dot.source  # edges not in the mapping keep their name


def test_neuron_labels_add_lines_without_changing_node_size():
    net = presets.paper_network()
    plain = network_graph(net).source
    valued = network_graph(net, neuron_labels={k: "a=-0.312\nz=0.423\nextra\ncut" for k in net.ids}).source
    assert "a=-0.312" in valued and "cut" not in valued  # at most three extra lines
    size = re.compile(r"width=[\d.]+|height=[\d.]+")
    assert size.findall(plain) == size.findall(valued)
    table = re.compile(r'WIDTH="\d+" HEIGHT="\d+"')
    assert table.findall(plain) == table.findall(network_graph(net).source)


def test_highlights_fills_and_colours():
    net = presets.paper_network()
    dot = network_graph(net, highlight_neurons=["6"], highlight_edges=[("4", "6")],
                        neuron_fill={"3": "#123456"}, edge_colors={("1", "3"): "red"}).source  # fmt: skip
    nodes = _nodes(dot)
    assert "penwidth=4" in nodes["n5"] and "dashed" in nodes["n5"] and "#111111" in nodes["n5"]
    assert "dashed" not in nodes["n4"]
    assert 'fillcolor="#123456"' in nodes["n2"]
    e = {(a, b): attrs for a, b, attrs in _edges(dot)}
    assert "#111111" in e[("n3", "n5")] and "style=dashed" in e[("n3", "n5")] and 'color="red"' in e[("n0", "n2")]
    assert "dashed" not in e[("n0", "n2")]


@pytest.mark.parametrize("palette", list(PALETTES))
def test_the_current_step_is_marked_by_a_dashed_outline_never_a_value_colour(palette):
    """Issue 13: the highlight is no colour the gradient legend or the roles use, in every palette."""
    net = presets.paper_network()
    value_colours = {gradient_color(v, 1.0, max_strength=s) for v in (-1.0, 1.0) for s in (0.6, 1.0)}
    pal = PALETTES[palette]
    assert pal["highlight"] not in value_colours | {pal[r] for r in ("input", "output", "bias")}
    dot = network_graph(net, palette=palette, highlight_neurons=["6"], highlight_edges=[("4", "6"), ("1", "3")],
                        edge_colors={("1", "3"): gradient_color(1.0, 1.0, max_strength=1.0)}).source  # fmt: skip
    e = {(a, b): attrs for a, b, attrs in _edges(dot)}
    assert "style=dashed" in e[("n0", "n2")] and gradient_color(1.0, 1.0, max_strength=1.0) in e[("n0", "n2")]
    assert "style=dashed" in e[("n3", "n5")] and "dashed" in _nodes(dot)["n5"]


def test_a_function_other_than_the_layers_default_is_named_under_sigma():
    net = edit.set_activation(presets.paper_network(), "6", "relu")
    nodes = _nodes(network_graph(net).source)
    assert "<I>relu</I>" in nodes["n5"]  # sigma_6: relu among sigmoid hidden neurons
    assert "<I>" not in nodes["n2"] and "<I>" not in nodes["n8"]  # sigma_3 (sigmoid), sigma_9 (the output)
    assert "<I>" not in _nodes(network_graph(presets.paper_network()).source)["n5"]
    out = edit.set_activation(presets.paper_network(), "9", "sigmoid")
    assert "<I>" not in _nodes(network_graph(out).source)["n8"]  # no default given: the output's own is usual
    marked = _nodes(network_graph(out, functions={"output": "identity"}).source)["n8"]
    assert "<I>sigmoid</I>" in marked


@pytest.mark.parametrize("bad", ['red" URL="http://x', "#12", "javascript:x", "Red"])
def test_colours_are_validated(bad):
    with pytest.raises(ValueError, match="not a colour"):
        network_graph(presets.paper_network(), neuron_fill={"3": bad})


def test_unknown_palette():
    with pytest.raises(ValueError, match="unknown palette"):
        network_graph(presets.paper_network(), palette="neon")
    assert "#000000" in network_graph(presets.paper_network(), palette="print").source


HOSTILE = ["<b>x</b>", 'a"b', "back\\slash", "&amp;", "]; evil [", "x\\N", "<<TABLE>>", "URL=javascript:1"]


def test_user_text_is_escaped():
    neurons = [Neuron(HOSTILE[0], "input"), Neuron(HOSTILE[1], "bias")]
    neurons += [Neuron(h, "hidden", "relu") for h in HOSTILE[2:]] + [Neuron("out", "output", "identity")]
    edges = [(neurons[0].id, n.id) for n in neurons[2:-1]] + [(n.id, "out") for n in neurons[2:-1]]
    edges.append((neurons[1].id, "out"))
    net = Network(neurons, edges, [1.0] * len(edges))
    dot = network_graph(net, show_weights=True, neuron_labels={HOSTILE[2]: "<i>z</i> & \\l"},
                        edge_labels={edges[0]: '</TD></TR></TABLE>><x'}).source  # fmt: skip
    quoted = dot
    dot = re.sub(r'tooltip="(?:[^"\\]|\\.)*"', "", dot)  # tooltips are quoted strings: < and > are inert there
    assert 'tooltip="neuron <b>x</b>: input, no function"' in quoted
    assert "<b>" not in dot and "<i>" not in dot and "</TD></TR></TABLE>><x" not in dot
    assert "&lt;b&gt;" in dot and "&lt;i&gt;z&lt;/i&gt; &amp;amp;" not in dot and "&lt;i&gt;z&lt;/i&gt; &amp;" in dot
    assert "URL=jav" in dot  # shown as label text...
    assert not re.search(r"[\[ ](URL|href)=", dot)  # ...never as an attribute
    # node names are internal, so no user text can end a statement
    assert all(re.fullmatch(r"n\d+", name) for name in _nodes(dot))
    assert len(_edges(dot)) == len(edges)


def test_long_ids_are_cut_in_the_drawing():
    assert neuron_title("3") == "σ₃" and neuron_title("x" * 40) == "xxxxxxx…"
    assert edge_title("1", "3") == "w₁,₃" and edge_title("A", "B") == "w(A,B)"


def test_large_networks_draw_compact():
    net = edit.layered("10,60,60,60,10")
    assert is_large(net) and not is_large(presets.paper_network())
    dot = network_graph(net, large=True).source
    assert len(_nodes(dot)) == len(net.neurons) and len(_edges(dot)) == len(net.edges)
    assert "TABLE" not in dot  # edges unlabelled
    assert "subgraph cluster_layer5" in dot


def test_dot_source_matches_graph():
    net = presets.xor()
    assert dot_source(net, show_weights=True) == network_graph(net, show_weights=True).source


def test_layers_keep_the_networks_order_bias_last():
    dot = network_graph(presets.paper_network()).source
    assert "n3 -> n2 [style=invis]" in dot and "n4 -> n3 [style=invis]" in dot  # 3 above 4 above bias 5


def test_layer_summary_for_networks_too_big_to_draw():
    net = edit.layered("10,60,60,60,10")
    assert too_big_to_draw(net) and not too_big_to_draw(edit.layered("3,8,8,2"))
    dot = layer_summary_graph(net).source
    assert dot.count(" -> ") == 4
    assert "660 weights" in dot and "3,660 weights" in dot and "610 weights" in dot
    assert "layer 1" in dot and "10 input" in dot and "60 hidden" in dot and "1 bias" in dot and "σ: sigmoid" in dot
    unlayered = edit.add_edge(presets.paper_network(), "1", "9")
    dot = layer_summary_graph(unlayered).source
    assert "level 1" in dot and 's0 -> s3 [label="2 weights"' in dot  # 1->9 and bias 8->9 skip levels
