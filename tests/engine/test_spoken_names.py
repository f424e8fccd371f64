"""The live graph's accessible names (nnviz.app.spoken) carry the engine's values, in words."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nnviz
from nnviz import presets
from nnviz.app.live_graph import Point, graph_data
from nnviz.app.spoken import DIGITS, edge_names, graph_summary, neuron_names, spoken
from nnviz.network import Network, Neuron

NUMBER = r"(-?[0-9.]+(?:e-?[0-9]+)?)"


def value(text: str, quantity: str) -> float:
    m = re.search(re.escape(quantity) + r" = " + NUMBER, text)
    assert m, (quantity, text)
    return float(m.group(1))


def close(said: float, exact: float) -> bool:
    return abs(said - exact) <= 10 ** (1 - DIGITS) * max(abs(exact), 1e-12)


def test_the_papers_network_is_read_with_its_size() -> None:
    net = presets.paper_network()
    assert graph_summary(net) == "9 neurons (1 input, 3 bias, 4 hidden, 1 output), 12 weights"


def test_every_neuron_is_read_with_its_role_function_and_forward_values() -> None:
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    names = neuron_names(net, trace)
    assert names[net.index["6"]]["name"] == f"neuron 6, hidden, {net.neuron('6').activation}"
    assert names[net.index["2"]]["name"] == "neuron 2, bias, constant 1"
    assert names[net.index["1"]]["name"] == "neuron 1, input, no function"
    assert "a" not in names[net.index["1"]] and names[net.index["1"]]["z"] == "x = 0.5"
    for k, n in enumerate(net.neurons):
        if n.computes:
            assert close(value(names[k]["a"], "a"), float(trace.a[0, k])), n.id
        assert close(value(names[k]["z"], "x" if n.role == "input" else "z"), float(trace.z[0, k])), n.id


def test_every_edge_is_read_with_its_weight_product_and_gradient() -> None:
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    names = edge_names(net, trace, grads)
    assert names[net.edge_index[("1", "3")]]["name"].startswith("weight w 1,3 from neuron 1 to neuron 3, w = ")
    for j, (s, _t) in enumerate(net.edges):
        w = float(net.weights[j])
        assert close(value(names[j]["name"], "w"), w)
        assert close(value(names[j]["p"], "w times z"), w * float(trace.z_of(s)[0]))
        assert close(value(names[j]["dw"], "dl/dw"), float(grads.dl_dw[j]))


def test_backward_names_carry_the_gradients_and_structure_names_carry_no_values() -> None:
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    for k, say in enumerate(neuron_names(net, trace, grads)):
        assert close(value(say["da"], "dl/da"), float(grads.dl_da[0, k]))
        assert close(value(say["dz"], "dl/dz"), float(grads.dl_dz[0, k]))
    bare = spoken(net, None)
    assert all(set(say) == {"name"} for say in bare["neurons"] + bare["edges"])


@pytest.mark.parametrize("nid", ["<b>x</b>", "n" * 40])
def test_user_ids_are_read_as_text_and_long_ones_are_cut(nid: str) -> None:
    net = Network([Neuron(nid, "input"), Neuron("o", "output", "sigmoid")], [(nid, "o")], [0.5])
    say = neuron_names(net, None)[0]["name"]
    assert len(say) < 60 and "n" * 30 not in say and say.startswith("neuron " + nid[:10])


def test_the_graph_data_carries_the_names() -> None:
    net = presets.paper_network()
    x = np.array([0.5])  # (n_in,)
    data = graph_data(net, nnviz.forward(net, x), Point(x=x))
    assert data["spoken"]["size"].startswith("9 neurons")
    assert len(data["spoken"]["neurons"]) == 9 and len(data["spoken"]["edges"]) == 12
