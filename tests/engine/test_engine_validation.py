"""Every way to build an invalid network raises NetworkError (a ValueError) naming the culprit."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings

import nnviz
from nnviz import MAX_EDGES, MAX_NEURONS, Network, NetworkError, Neuron
from tests.engine.engine_reference import SMOOTH, networks


def N(nid, role, act=None, value=1.0):
    return Neuron(nid, role, act, value)


BASE = [N("inp", "input"), N("bia", "bias"), N("hid", "hidden", "tanh"), N("out", "output", "identity")]
BASE_EDGES = [("inp", "hid"), ("bia", "hid"), ("hid", "out")]


def build(neurons=None, edges=None, weights=None):
    edges = BASE_EDGES if edges is None else edges
    return Network(BASE if neurons is None else neurons, edges, weights)


def test_base_is_valid():
    net = build(weights=[1.0, 2.0, 3.0])
    assert net.inputs == ("inp",) and net.outputs == ("out",)
    assert issubclass(NetworkError, ValueError)


CASES = {
    "self-loop": (None, [*BASE_EDGES, ("hid", "hid")], ["hid"]),
    "edge into input": (None, [*BASE_EDGES, ("hid", "inp")], ["inp"]),
    "edge into bias": (None, [*BASE_EDGES, ("inp", "bia")], ["bia"]),
    "unknown source": (None, [*BASE_EDGES, ("ghost", "out")], ["ghost"]),
    "unknown target": (None, [*BASE_EDGES, ("hid", "ghost")], ["ghost"]),
    "duplicate edge": (None, [*BASE_EDGES, ("inp", "hid")], ["inp", "hid"]),
    "duplicate id": ([*BASE, N("hid", "hidden", "sigmoid")], None, ["hid"]),
    "hidden without input": ([*BASE, N("lonely", "hidden", "tanh")], None, ["lonely"]),
    "output without input": ([*BASE, N("out2", "output", "tanh")], None, ["out2"]),
    "no input": ([N("bia", "bias"), N("hid", "hidden", "tanh"), N("out", "output", "identity")],
                 [("bia", "hid"), ("hid", "out")], ["input"]),
    "no output": ([N("inp", "input"), N("hid", "hidden", "tanh")], [("inp", "hid")], ["output"]),
    "unknown activation": ([BASE[0], BASE[1], N("hid", "hidden", "swish"), BASE[3]], None, ["hid", "swish"]),
    "missing activation": ([BASE[0], BASE[1], BASE[2], N("out", "output", None)], None, ["out"]),
    "unknown role": ([BASE[0], N("bia", "constant"), BASE[2], BASE[3]], None, ["bia", "constant"]),
    "empty id": ([*BASE, N("  ", "input")], None, []),
    "non-string id": ([*BASE, N(7, "input")], None, ["7"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_invalid_structure_names_the_culprit(case):
    neurons, edges, culprits = CASES[case]
    with pytest.raises(NetworkError) as info:
        build(neurons, edges)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    for word in culprits:
        assert word in message, (case, message)


@pytest.mark.parametrize(
    ("extra", "cycle"),
    [
        ([("hid", "h2"), ("h2", "hid"), ("inp", "h3")], {"hid", "h2"}),
        ([("hid", "h2"), ("h2", "h3"), ("h3", "hid")], {"hid", "h2", "h3"}),
        ([("h2", "h3"), ("h3", "h2"), ("h3", "out")], {"h2", "h3"}),  # not reachable from the input
    ],
    ids=["two", "three", "unreachable"],
)
def test_cycle_is_named(extra, cycle):
    neurons = [*BASE, N("h2", "hidden", "sigmoid"), N("h3", "hidden", "sin")]
    with pytest.raises(NetworkError) as info:
        build(neurons, [*BASE_EDGES, *extra])
    message = str(info.value)
    assert "cycle" in message
    named = set(re.findall(r"[a-z]+[0-9]*", message)) & {n.id for n in neurons}
    assert named == cycle, message


def test_cycle_with_a_neuron_downstream_of_it_is_a_network_error():
    """x -> b -> c -> b, and c -> a: a sits after the cycle (and sorts first)."""
    neurons = [
        N("x", "input"),
        N("b", "hidden", "identity"),
        N("c", "hidden", "identity"),
        N("a", "output", "identity"),
    ]
    with pytest.raises(NetworkError) as info:
        Network(neurons, [("x", "b"), ("b", "c"), ("c", "b"), ("c", "a")])
    message = str(info.value)
    assert "b" in message and "c" in message


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_weight_names_the_edge(bad):
    with pytest.raises(NetworkError) as info:
        build(weights=[1.0, bad, 3.0])
    assert "bia" in str(info.value) and "hid" in str(info.value)
    with pytest.raises(NetworkError):
        build(weights=[1.0, 2.0, 3.0]).with_weights([1.0, 2.0, bad])


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "one", None, [1.0], True])
def test_bad_bias_value_names_the_neuron(bad):
    neurons = [BASE[0], N("bia", "bias", None, bad), BASE[2], BASE[3]]
    with pytest.raises(NetworkError) as info:
        build(neurons)
    assert "bia" in str(info.value)


@pytest.mark.parametrize("bad", [float("nan"), "one", None])
def test_bad_bias_value_with_a_stray_activation_is_still_rejected(bad):
    """A bias neuron given an activation (which it ignores) must still have its value checked."""
    neurons = [BASE[0], N("bia", "bias", "sigmoid", bad), BASE[2], BASE[3]]
    with pytest.raises(NetworkError) as info:
        build(neurons)
    assert "bia" in str(info.value)


def test_wrong_number_of_weights():
    with pytest.raises(NetworkError):
        build(weights=[1.0, 2.0])
    with pytest.raises(NetworkError):
        build(weights=[1.0, 2.0, 3.0, 4.0])
    with pytest.raises(NetworkError):
        build(weights=["a", "b", "c"])


def test_neuron_limit():
    ok = [N("x", "input"), *(N(f"h{k}", "hidden", "identity") for k in range(MAX_NEURONS - 2)), N("o", "output", "sin")]
    edges = [("x", f"h{k}") for k in range(MAX_NEURONS - 2)] + [("x", "o")]
    assert len(Network(ok, edges).neurons) == MAX_NEURONS == 2000
    with pytest.raises(NetworkError) as info:
        Network([*ok, N("h_extra", "hidden", "identity")], [*edges, ("x", "h_extra")])
    assert str(MAX_NEURONS) in str(info.value) or str(MAX_NEURONS + 1) in str(info.value)


def test_edge_limit():
    assert MAX_EDGES == 50_000
    ins = [N(f"i{k}", "input") for k in range(250)]
    outs = [N(f"o{k}", "output", "identity") for k in range(201)]
    edges = [(i.id, o.id) for o in outs for i in ins]  # 50,250
    with pytest.raises(NetworkError) as info:
        Network(ins + outs, edges)
    assert "50" in str(info.value)
    net = Network(ins + outs[:200], edges[:MAX_EDGES])
    assert len(net.edges) == MAX_EDGES


def test_network_is_immutable():
    net = build(weights=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        net.weights[0] = 5.0
    other = net.with_weights([4.0, 5.0, 6.0])
    assert net.weight("inp", "hid") == 1.0 and other.weight("inp", "hid") == 4.0
    w = np.array([7.0, 8.0, 9.0])
    third = net.with_weights(w)
    w[0] = 100.0
    assert third.weight("inp", "hid") == 7.0
    with pytest.raises((AttributeError, TypeError)):
        net.neurons[0].id = "changed"


def test_equality_and_hash():
    a = build(weights=[1.0, 2.0, 3.0])
    b = build(weights=[1.0, 2.0, 3.0])
    c = build(weights=[1.0, 2.0, 3.5])
    assert a == b and hash(a) == hash(b)
    assert a != c


@settings(max_examples=40, deadline=None)
@given(net=networks(SMOOTH))
def test_structure_queries_on_random_networks(net):
    ids = [n.id for n in net.neurons]
    assert net.ids == tuple(ids)
    assert net.index == {k: i for i, k in enumerate(ids)}
    assert net.edge_index == {e: i for i, e in enumerate(net.edges)}
    assert net.inputs == tuple(n.id for n in net.neurons if n.role == "input")
    assert net.outputs == tuple(n.id for n in net.neurons if n.role == "output")
    for k in ids:
        assert net.neuron(k).id == k
        assert net.incoming(k) == [e for e in net.edges if e[1] == k]
        assert net.outgoing(k) == [e for e in net.edges if e[0] == k]
    pos = {k: i for i, k in enumerate(net.topological_order)}
    assert sorted(pos) == sorted(ids)
    assert all(pos[s] < pos[d] for s, d in net.edges)
    # levels: a neuron sits one level after its deepest predecessor
    level_of = {k: i for i, level in enumerate(net.levels) for k in level}
    assert sorted(level_of) == sorted(ids)
    for k in ids:
        preds = [s for s, d in net.edges if d == k]
        assert level_of[k] == (1 + max(level_of[p] for p in preds) if preds else 0)
    for (s, d), w in zip(net.edges, net.weights, strict=True):
        assert net.weight(s, d) == w
    assert nnviz.Network(net.neurons, net.edges, net.weights) == net


def _layering_exists(net: Network) -> bool:
    """Independent check: relax integer potentials p(d) = p(s) + 1 by propagation over the undirected graph."""
    pot: dict[str, int] = {}
    for root in net.ids:
        if root in pot:
            continue
        pot[root] = 0
        frontier = [root]
        while frontier:
            nxt = []
            for s, d in net.edges:
                for u, v, step in ((s, d, 1), (d, s, -1)):
                    if u in frontier and v not in pot:
                        pot[v] = pot[u] + step
                        nxt.append(v)
            frontier = nxt
    return all(pot[d] == pot[s] + 1 for s, d in net.edges)


@settings(max_examples=80, deadline=None)
@given(net=networks(SMOOTH, max_hidden=4))
def test_layers_on_random_networks(net):
    layers = net.layers()
    problem = net.layering_problem()
    if layers is None:
        assert not _layering_exists(net)
        assert isinstance(problem, str)
        named = [e for e in net.edges if f"{e[0]}->{e[1]}" in problem]
        assert named, problem
        assert net.stages() == [list(level) for level in net.levels]
    else:
        assert _layering_exists(net)
        assert problem is None
        flat = [k for layer in layers for k in layer]
        assert sorted(flat) == sorted(net.ids)
        assert all(layer for layer in layers)
        where = {k: i for i, layer in enumerate(layers) for k in layer}
        assert all(where[d] == where[s] + 1 for s, d in net.edges)
        assert net.stages() == layers
