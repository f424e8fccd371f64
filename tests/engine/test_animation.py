"""nnviz.app.animation: frame order, causality of what each frame reveals, labels against the engine."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import presets
from nnviz.app import animation
from nnviz.app.animation import backward_frames, backward_view, forward_frames, forward_view, short
from nnviz.figures.frames import frame_kwargs
from nnviz.figures.graph import network_graph
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


@pytest.mark.parametrize("make", [presets.paper_network, presets.non_layered, presets.xor])
def test_forward_labels_at_the_end_match_the_engine(make):
    net = make()
    x = np.linspace(-0.7, 0.9, len(net.inputs))
    trace = nnviz.forward(net, x)
    anim = forward_frames(net)
    view = forward_view(anim, trace, len(anim) - 1)
    for n in net.neurons:
        label = view.neuron_labels[n.id]
        z = float(trace.z_of(n.id)[0])
        assert _numbers(label, "x" if n.role == "input" else "z") == pytest.approx(z, rel=1e-3, abs=1e-4)
        if n.computes:
            assert _numbers(label, "a") == pytest.approx(float(trace.a_of(n.id)[0]), rel=1e-3, abs=1e-4)
    for (s, d), text in view.edge_labels.items():
        w = net.weight(s, d)
        assert _numbers(text, "w") == pytest.approx(w, rel=1e-3, abs=1e-4)
        assert _numbers(text, "w·z") == pytest.approx(w * float(trace.z_of(s)[0]), rel=1e-3, abs=1e-4)
    assert frame_kwargs(view)["neuron_fill"] == {}  # everything reached


def test_forward_first_frame_greys_what_is_not_reached():
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    view = forward_view(forward_frames(net), trace, 0)
    assert set(frame_kwargs(view)["neuron_fill"]) == {"3", "4", "6", "7", "9"}
    assert view.neuron_labels["1"] == "x=0.5" and view.neuron_labels["2"] == "z=1"
    assert all(t.endswith("\n ") for t in view.edge_labels.values())  # no product yet, still two lines


def test_backward_labels_at_the_end_match_the_engine():
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    anim = backward_frames(net)
    view = backward_view(anim, trace, grads, len(anim) - 1)
    for n in net.neurons:
        if n.computes:
            label = view.neuron_labels[n.id]
            assert _numbers(label, "∂a") == pytest.approx(float(grads.dl_da_of(n.id)[0]), rel=1e-3)
            assert _numbers(label, "∂z") == pytest.approx(float(grads.dl_dz_of(n.id)[0]), rel=1e-3)
            assert frame_kwargs(view)["neuron_fill"][n.id].startswith("#")
    for (s, d), text in view.edge_labels.items():
        assert _numbers(text, "∂w") == pytest.approx(float(grads.dl_dw_of(s, d)), rel=1e-3)
    assert set(frame_kwargs(view)["edge_colors"]) == set(net.edges)
    # Sign shows in the colour: negative purple-ish (blue > red), positive orange (red > blue).
    for e, colour in frame_kwargs(view)["edge_colors"].items():
        red, blue = int(colour[1:3], 16), int(colour[5:7], 16)
        assert (red < blue) == (float(grads.dl_dw_of(*e)) < 0)


def test_backward_step_two_edges_show_the_summed_terms():
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    anim = backward_frames(net)
    view = backward_view(anim, trace, grads, 3)  # step 2 for layer 2: neurons 3 and 4
    term = float(grads.dl_da_of("6")[0]) * net.weight("4", "6")
    assert _numbers(view.edge_labels[("4", "6")], "w·∂a") == pytest.approx(term, rel=1e-3)
    assert "∂w" not in view.edge_labels[("4", "6")]
    assert "∂a" not in view.neuron_labels["1"]


def _without_labels_and_colours(dot: str) -> str:
    """DOT text with every HTML-like label (balanced <...>), colour and pen width removed."""
    out, i = [], 0
    while (j := dot.find("label=<", i)) >= 0:
        out.append(dot[i:j])
        depth, k = 0, j + len("label=")
        while True:
            depth += {"<": 1, ">": -1}.get(dot[k], 0)
            k += 1
            if depth == 0:
                break
        i = k
    out.append(dot[i:])
    bare = re.sub(r'(fillcolor|color|style)="[^"]*"|penwidth="?[\d.]+"?|style=dashed', "", "".join(out))
    return re.sub(r"[ \t]+", " ", bare)


@pytest.mark.parametrize("make", [presets.paper_network, presets.non_layered])
def test_every_frame_draws_with_the_same_layout(make):
    """Only labels and colours change between frames: the DOT without them is identical."""
    net = make()
    trace = nnviz.forward(net, np.zeros(len(net.inputs)))
    grads = nnviz.backward(net, trace, np.ones(len(net.outputs)))
    shapes = set()
    for anim, view in (
        (forward_frames(net), lambda a, k: forward_view(a, trace, k)),
        (backward_frames(net), lambda a, k: backward_view(a, trace, grads, k)),
    ):
        for k in range(len(anim)):
            dot = network_graph(net, **frame_kwargs(view(anim, k))).source
            shapes.add(_without_labels_and_colours(dot))
            assert dot.count("<BR/>") >= len(net.edges)  # every edge label keeps two lines
    assert len(shapes) == 1


def test_large_network_gets_compact_labels_and_no_edge_text():
    net = presets.layered([4, 16, 16, 12, 2], seed=1)
    assert len(net.neurons) >= 50
    trace = nnviz.forward(net, np.full(4, 0.3))
    grads = nnviz.backward(net, trace, np.zeros(2))
    fwd, bwd = forward_frames(net), backward_frames(net)
    for k in range(len(fwd)):
        view = forward_view(fwd, trace, k)
        assert view.large and view.edge_labels == {}
        assert all(len(line) <= 8 for text in view.neuron_labels.values() for line in text.split("\n"))
    view = backward_view(bwd, trace, grads, len(bwd) - 1)
    assert view.edge_labels == {} and len(frame_kwargs(view)["edge_colors"]) == len(net.edges)
    network_graph(net, **frame_kwargs(view))  # builds


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
