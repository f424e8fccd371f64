"""nnviz.edit: every editor action returns a new valid Network or raises NetworkError naming the problem."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnviz import edit, presets
from nnviz.network import Network, NetworkError, Neuron


@pytest.fixture
def paper():
    return presets.paper_network()


def test_set_activation_changes_one_neuron_only(paper):
    new = edit.set_activation(paper, "6", "relu")
    assert new.neuron("6").activation == "relu"
    assert [n.activation for n in new.neurons if n.id != "6"] == [n.activation for n in paper.neurons if n.id != "6"]
    assert paper.neuron("6").activation == "sigmoid"  # the old network is untouched
    np.testing.assert_array_equal(new.weights, paper.weights)


@pytest.mark.parametrize(("nid", "act", "message"), [
    ("1", "relu", "input neuron '1' applies no function"),
    ("2", "relu", "bias neuron '2' applies no function"),
    ("3", "nope", "unknown activation 'nope'"),
    ("42", "relu", "no neuron '42'"),
])  # fmt: skip
def test_set_activation_errors(paper, nid, act, message):
    with pytest.raises(NetworkError, match=message):
        edit.set_activation(paper, nid, act)


def test_set_all_activations(paper):
    new = edit.set_all_activations(paper, "tanh")
    assert {new.neuron(k).activation for k in "3467"} == {"tanh"}
    assert new.neuron("9").activation == "identity"


def test_add_edge_appends_edge_and_weight(paper):
    new = edit.add_edge(paper, "3", "7", 0.25)
    assert new.edges[-1] == ("3", "7")
    assert new.weight("3", "7") == 0.25
    assert len(new.edges) == 13
    assert new.layers() is not None  # 3 -> 7 goes to the next layer


def test_add_edge_that_skips_a_layer_breaks_layering(paper):
    new = edit.add_edge(paper, "1", "9", -0.5)
    assert new.layers() is None
    assert "does not go to the next layer" in new.layering_problem()


@pytest.mark.parametrize(("src", "dst", "message"), [
    ("9", "3", r"edge 9->3 would close a cycle: 3 already leads to 9"),
    ("6", "4", r"edge 6->4 would close a cycle"),
    ("1", "5", r"edge 1->5 would point into bias neuron '5'"),
    ("3", "1", r"edge 3->1 would point into input neuron '1'"),
    ("1", "3", r"edge 1->3 already exists"),
    ("3", "3", r"edge 3->3 would connect neuron '3' to itself"),
    ("x", "3", r"no neuron 'x'"),
])  # fmt: skip
def test_add_edge_errors(paper, src, dst, message):
    with pytest.raises(NetworkError, match=message):
        edit.add_edge(paper, src, dst)


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), 1e7, "abc"])
def test_add_edge_rejects_bad_weights(paper, weight):
    with pytest.raises(NetworkError, match=re.escape("w_{3,7}")):
        edit.add_edge(paper, "3", "7", weight)


def test_remove_edge(paper):
    new = edit.remove_edge(paper, "4", "6")
    assert ("4", "6") not in new.edges
    assert len(new.edges) == 11
    np.testing.assert_array_equal(new.weights, [w for e, w in zip(paper.edges, paper.weights, strict=True)
                                                if e != ("4", "6")])  # fmt: skip


def test_remove_edge_errors(paper):
    with pytest.raises(NetworkError, match="no edge 3->7"):
        edit.remove_edge(paper, "3", "7")
    only = presets.non_layered()
    with pytest.raises(NetworkError, match="only input of neuron 'B'"):
        edit.remove_edge(only, "A", "B")


def test_set_weight(paper):
    new = edit.set_weight(paper, "6", "9", -2.5)
    assert new.weight("6", "9") == -2.5
    assert paper.weight("6", "9") == 1.3
    with pytest.raises(NetworkError, match="no edge 3->7"):
        edit.set_weight(paper, "3", "7", 1.0)
    with pytest.raises(NetworkError, match="finite"):
        edit.set_weight(paper, "6", "9", float("nan"))


def test_randomise_is_reproducible_and_seeded(paper):
    a, b, c = edit.randomise(paper, 7), edit.randomise(paper, 7), edit.randomise(paper, 8)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert not np.array_equal(a.weights, c.weights)
    assert a.edges == paper.edges
    np.testing.assert_allclose(edit.randomise(paper, 7, scale=2.0).weights, 2 * a.weights)
    with pytest.raises(NetworkError, match="seed"):
        edit.randomise(paper, -1)
    with pytest.raises(NetworkError, match="scale"):
        edit.randomise(paper, 1, scale=0)


def test_toggle_bias_off_and_on(paper):
    off = edit.toggle_bias(paper, 2)  # removes bias 5 and its edges 5->6, 5->7
    assert "5" not in off.ids
    assert all("5" not in e for e in off.edges)
    assert len(off.edges) == 10
    assert edit.layer_bias(off, 2) is None
    on = edit.toggle_bias(off, 2)
    new_bias = edit.layer_bias(on, 2)
    assert new_bias == "10"  # the next free number
    assert on.neuron(new_bias).role == "bias"
    assert sorted(on.outgoing(new_bias)) == [("10", "6"), ("10", "7")]
    assert on.weight("10", "6") == 0.0
    assert on.layers()[1] == ["3", "4", "10"]


def test_toggle_bias_errors(paper):
    with pytest.raises(NetworkError, match="layer 4 is the last layer"):
        edit.toggle_bias(paper, 4)
    with pytest.raises(NetworkError, match="no layer 7"):
        edit.toggle_bias(paper, 7)
    with pytest.raises(NetworkError, match=r"not layered \(edge"):
        edit.toggle_bias(presets.non_layered(), 1)
    # output 4 is fed only by bias 2: removing the bias would leave it nothing to compute
    neurons = [Neuron("1", "input"), Neuron("2", "bias"), Neuron("3", "output", "identity"),
               Neuron("4", "output", "identity")]  # fmt: skip
    net = Network(neurons, [("1", "3"), ("2", "3"), ("2", "4")], [1.0, 1.0, 1.0])
    with pytest.raises(NetworkError, match="neuron '4' gets its only input from bias neuron '2'"):
        edit.toggle_bias(net, 1)


@pytest.mark.parametrize(("text", "sizes"), [("2,4,1", (2, 4, 1)), (" 3 ; 5, 2 ", (3, 5, 2)), ("1,1", (1, 1))])
def test_parse_sizes(text, sizes):
    assert edit.parse_sizes(text) == sizes


@pytest.mark.parametrize(("text", "message"), [
    ("2,0,1", "layer 2 is empty"),
    ("2,,1", "layer 2 is empty"),
    ("2", "at least two layer sizes"),
    ("", "type the layer sizes"),
    ("2,x,1", "layer 2: 'x' is not a whole number"),
    ("2,-3,1", "layer 2: '-3' is not a whole number"),
    ("2,1.5,1", "not a whole number"),
    ("2,501,1", "layer 2 has 501 neurons; the limit is 500"),
    (",".join(["1"] * 13), "13 layers is more than the limit of 12"),
    ("500,500,500,500,500", "the limit is 2000"),
    ("2,٣,1", "not a whole number"),
])  # fmt: skip
def test_parse_sizes_errors(text, message):
    with pytest.raises(NetworkError, match=message):
        edit.parse_sizes(text)


def test_presets_build():
    assert edit.Preset().build() == presets.paper_network()
    assert edit.Preset("xor").build() == presets.xor()
    assert edit.Preset("non_layered").build() == presets.non_layered()
    net = edit.Preset("layered", (2, 3, 1), "tanh", "sigmoid", seed=4).build()
    assert net == presets.layered([2, 3, 1], "tanh", "sigmoid", seed=4)
    assert edit.layered("2,3,1", "tanh", "sigmoid", seed=4) == net
    assert edit.Preset("layered", (2, 3, 1)).label() == "Fully connected layers 2,3,1"
    with pytest.raises(NetworkError, match="unknown preset 'nope'"):
        edit.Preset("nope").build()
    with pytest.raises(NetworkError, match="unknown activation 'x'"):
        edit.Preset("paper", activation="x").build()


def test_next_id():
    assert edit.next_id(presets.paper_network()) == "10"
    assert edit.next_id(presets.non_layered()) == "1"
