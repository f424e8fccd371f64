"""nnviz.app.animation: frame order and what each frame reveals; the live graph's numbers against the engine."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import presets
from nnviz.app import animation
from nnviz.app.animation import backward_frames, forward_frames, short
from nnviz.app.live_graph import Point, graph_data
from nnviz.network import Network, Neuron


@st.composite
def networks(draw: st.DrawFn) -> Network:
    """Random small acyclic networks: some inputs, maybe a bias, hidden and output neurons; edges go forward."""
    n_in = draw(st.integers(1, 3))
    n_hidden = draw(st.integers(0, 5))
    n_out = draw(st.integers(1, 2))
    bias = draw(st.booleans())
    neurons = [Neuron(f"i{k}", "input") for k in range(n_in)]
    if bias:
        neurons.append(Neuron("b", "bias", value=draw(st.sampled_from([1.0, 0.5, -2.0]))))
    acts = st.sampled_from(nnviz.activations.NAMES)
    neurons += [Neuron(f"h{k}", "hidden", draw(acts)) for k in range(n_hidden)]
    neurons += [Neuron(f"o{k}", "output", draw(acts)) for k in range(n_out)]
    edges = []
    for j, n in enumerate(neurons):
        if not n.computes:
            continue
        sources = [m.id for m in neurons[:j] if m.role != "output"] or [neurons[0].id]
        chosen = draw(st.lists(st.sampled_from(sources), min_size=1, max_size=len(sources), unique=True))
        edges += [(s, n.id) for s in chosen]
    weights = draw(st.lists(st.floats(-2, 2), min_size=len(edges), max_size=len(edges)))
    return Network(neurons, edges, weights)


def test_paper_forward_frames_follow_the_layers():
    net = presets.paper_network()
    anim = forward_frames(net)
    kinds = [(f.kind, f.stage, f.active_neurons) for f in anim.frames]
    assert kinds == [
        ("inputs", -1, ("1", "2", "5", "8")),
        ("sums", 1, ("3", "4")),
        ("outputs", 1, ("3", "4")),
        ("sums", 2, ("6", "7")),
        ("outputs", 2, ("6", "7")),
        ("sums", 3, ("9",)),
        ("outputs", 3, ("9",)),
    ]
    assert set(anim.frames[3].active_edges) == {("3", "6"), ("4", "6"), ("5", "6"), ("4", "7"), ("5", "7")}
    assert anim.shown("a", 0) == set() and anim.shown("z", 0) == {"1", "2", "5", "8"}
    assert anim.shown("a", 1) == {"3", "4"} and "3" not in anim.shown("z", 1)
    assert anim.shown("z", 6) == set(net.ids)
    assert anim.shown("product", 6) == set(net.edges)
    assert "output f(x)" in anim.frames[-1].title
    assert anim.output_step() == 6 and backward_frames(net).output_step() == 0


def test_paper_backward_frames_follow_the_three_steps():
    net = presets.paper_network()
    anim = backward_frames(net)
    kinds = [(f.kind, f.active_neurons) for f in anim.frames]
    assert kinds == [
        ("loss", ("9",)),
        ("output_grad", ("9",)),
        ("grad", ("6", "7")),
        ("grad", ("3", "4")),
        ("weight_grad", ("9",)),
        ("weight_grad", ("6", "7")),
        ("weight_grad", ("3", "4")),
    ]
    assert anim.frames[1].title.startswith("Rule 1") and anim.frames[2].title.startswith("Rule 2")
    assert anim.frames[4].title.startswith("Rule 3")
    assert not any("Step" in f.title for f in anim.frames)  # captions never read like the "Step k of n" counter
    # Figure 7: while layer 2 is processed, neuron 4's edges to 6 and 7 are the ones summed over.
    assert {("4", "6"), ("4", "7")} <= set(anim.frames[3].active_edges)
    assert anim.shown("dl_dw", 3) == set()
    assert anim.shown("dl_dw", 6) == set(net.edges)


def test_non_layered_network_animates_by_levels():
    net = presets.non_layered()
    fwd = forward_frames(net)
    assert [(f.kind, f.active_neurons) for f in fwd.frames] == [
        ("inputs", ("A",)),
        ("sums", ("B",)),
        ("outputs", ("B",)),
        ("sums", ("C",)),
        ("outputs", ("C",)),
    ]
    assert set(fwd.frames[3].active_edges) == {("A", "C"), ("B", "C")}
    assert "level 3" in fwd.frames[3].title.lower()
    bwd = backward_frames(net)
    assert [f.active_neurons for f in bwd.frames] == [("C",), ("C",), ("B",), ("C",), ("B",)]


@settings(max_examples=60, deadline=None)
@given(networks())
def test_every_value_appears_after_the_values_it_is_computed_from(net):
    fwd = forward_frames(net)
    r = fwd.reveal
    for s, d in net.edges:
        assert r["z"][s] < r["a"][d], (s, d)  # a_d needs z_s
        assert r["product"][(s, d)] == r["a"][d]
    for n in net.neurons:
        if n.computes:
            assert r["a"][n.id] < r["z"][n.id]
    assert set(r["z"]) == set(net.ids) and set(r["product"]) == set(net.edges)
    bwd = backward_frames(net)
    b = bwd.reveal
    computing = {n.id for n in net.neurons if n.computes}
    assert set(b["dl_da"]) == computing and set(b["dl_dw"]) == set(net.edges)
    for s, d in net.edges:
        if s in computing:
            assert b["dl_da"][d] < b["dl_da"][s], (s, d)  # dl/da_s needs dl/da_d
        assert b["dl_da"][d] < b["dl_dw"][(s, d)]
    k = fwd.output_step()  # f(x) is shown from the frame that reveals the last output's z, and not before
    assert set(net.outputs) <= fwd.shown("z", k) and not set(net.outputs) <= fwd.shown("z", k - 1)
    for anim in (fwd, bwd):  # what is shown only grows
        for q in anim.reveal:
            for k in range(1, len(anim)):
                assert anim.shown(q, k - 1) <= anim.shown(q, k)


def _numbers(label: str, key: str) -> float:
    m = re.search(rf"(?:^|\n){re.escape(key)}=([^\n]+)", label)
    assert m, (key, label)
    return float(m.group(1))


def _lines(item: dict) -> str:
    return "\n".join(item["lines"].values())


@pytest.mark.parametrize("make", [presets.paper_network, presets.non_layered, presets.xor])
def test_forward_numbers_on_the_live_graph_match_the_engine(make):
    net = make()
    x = np.linspace(-0.7, 0.9, len(net.inputs))
    trace = nnviz.forward(net, x)
    data = graph_data(net, trace, Point(x))
    for n, item in zip(net.neurons, data["neurons"], strict=True):
        z = float(trace.z_of(n.id)[0])
        assert _numbers(_lines(item), "x" if n.role == "input" else "z") == pytest.approx(z, rel=1e-3, abs=1e-4)
        if n.computes:
            assert _numbers(_lines(item), "a") == pytest.approx(float(trace.a_of(n.id)[0]), rel=1e-3, abs=1e-4)
    for (s, d), item in zip(net.edges, data["edges"], strict=True):
        w = net.weight(s, d)
        assert _numbers(_lines(item), "w") == pytest.approx(w, rel=1e-3, abs=1e-4)
        assert _numbers(_lines(item), "w·z") == pytest.approx(w * float(trace.z_of(s)[0]), rel=1e-3, abs=1e-4)
    last = len(data["frames"]) - 1
    assert all(k <= last for k in data["reveal"]["z"])  # everything is reached by the last frame


def test_forward_first_frame_shows_only_inputs_and_bias():
    net = presets.paper_network()
    data = graph_data(net, nnviz.forward(net, [0.5]), Point(np.array([0.5])))
    unreached = {net.ids[i] for i, k in enumerate(data["reveal"]["z"]) if k > 0}
    assert unreached == {"3", "4", "6", "7", "9"}
    first = data["neurons"][net.index["1"]]["lines"]
    assert first["z"] == "x=0.5" and data["neurons"][net.index["2"]]["lines"]["z"] == "z=1"
    assert data["output"]["from"] > 0  # f(x) is not given away at the first frame


def test_backward_numbers_on_the_live_graph_match_the_engine():
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    data = graph_data(net, trace, Point(np.array([0.5]), np.array([1.0])), grads)
    for n, item in zip(net.neurons, data["neurons"], strict=True):
        if n.computes:
            assert _numbers(_lines(item), "∂a") == pytest.approx(float(grads.dl_da_of(n.id)[0]), rel=1e-3)
            assert _numbers(_lines(item), "∂z") == pytest.approx(float(grads.dl_dz_of(n.id)[0]), rel=1e-3)
            assert item["gfill"].startswith("#")
    for (s, d), item in zip(net.edges, data["edges"], strict=True):
        dw = float(grads.dl_dw_of(s, d))
        assert _numbers(_lines(item), "∂w") == pytest.approx(dw, rel=1e-3)
        da = float(grads.dl_da_of(d)[0])
        assert _numbers(_lines(item), "w·∂a") == pytest.approx(net.weight(s, d) * da, rel=1e-3)
        red, blue = int(item["gcolor"][1:3], 16), int(item["gcolor"][5:7], 16)
        assert (red < blue) == (dw < 0)  # the sign shows in the colour: negative purple-ish, positive orange


def test_large_network_draws_compact():
    net = presets.layered([4, 16, 16, 12, 2], seed=1)
    assert len(net.neurons) >= 50
    trace = nnviz.forward(net, np.full(4, 0.3))
    data = graph_data(net, trace, Point(np.full(4, 0.3)), nnviz.backward(net, trace, np.zeros(2)), pictures=False)
    assert data["compact"] and not data["all_labels"] and len(data["edges"]) == len(net.edges)


def test_step_is_clamped():
    anim = forward_frames(presets.paper_network())
    assert anim.clamp(-5) == 0 and anim.clamp(99) == len(anim) - 1
    assert anim.shown("z", 99) == anim.shown("z", len(anim) - 1)


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.0, 3, "0"),
        (0.549834, 3, "0.55"),
        (-1.164776, 3, "-1.16"),
        (0.549834, 4, "0.5498"),
        (1234.5, 3, "1234"),
        (123456.0, 3, "1.2e5"),
        (100000.0, 3, "1e5"),
        (-0.0001234, 3, "-1.2e-4"),
        (float("nan"), 3, "nan"),
        (float("-inf"), 3, "-inf"),
    ],
)
def test_short_numbers(value, digits, text):
    assert short(value, digits) == text


def test_captions_never_carry_neuron_ids():
    net = Network(
        [Neuron("$x$", "input"), Neuron("<b>", "hidden", "tanh"), Neuron("[y](javascript:1)", "output", "identity")],
        [("$x$", "<b>"), ("<b>", "[y](javascript:1)")],
        [1.0, 2.0],
    )
    for anim in (forward_frames(net), backward_frames(net)):
        for frame in anim.frames:
            assert "$x$" not in frame.title and "<b>" not in frame.title and "javascript" not in frame.title


def test_label_digits_follow_the_size():
    assert animation.label_digits(presets.paper_network()) == 4
    assert animation.label_digits(presets.layered([3, 8, 8, 1])) == 3  # 23 neurons, 113 edges: not large
    assert animation.label_digits(presets.layered([4, 16, 16, 12, 2])) == 2
