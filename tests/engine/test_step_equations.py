"""The equations of each animation step (nnviz.app.step_equations) carry the engine's numbers."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nnviz
from nnviz import presets
from nnviz.app.animation import backward_frames, forward_frames
from nnviz.app.step_equations import frame_equations
from nnviz.network import Network, Neuron


def _result(line: str) -> float:
    """The number after the last "=" of a line (true minus signs read back)."""
    return float(line.rsplit("=", 1)[1].strip().replace("−", "-"))


def test_forward_steps_give_the_engines_a_and_z():
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    anim = forward_frames(net)
    steps = frame_equations(net, anim, trace)
    assert len(steps) == len(anim)
    for frame, lines in zip(anim.frames, steps, strict=True):
        assert lines, frame.kind
        for line in lines:
            m = re.match(r"([az])_(\w+) = ", line)
            if m is None or "bias" in line:
                continue
            q, nid = m.groups()
            value = (trace.a if q == "a" else trace.z)[0, net.index[nid]]  # (N,) row
            assert _result(line) == pytest.approx(float(value), rel=1e-3, abs=1e-4), line
    assert steps[3][0].startswith("a_6 = Σ w_i6·z_i = 1.5·0.5498 + (−1)·0.475 + 0.2·1 = ")


def test_backward_steps_give_the_engines_gradients():
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    anim = backward_frames(net)
    steps = frame_equations(net, anim, trace, grads, np.array([1.0]))
    checked = 0
    for lines in steps:
        for line in lines:
            m = re.match(r"∂l/∂([az])_(\w+) = ", line)
            w = re.match(r"∂l/∂w_(\w+),(\w+) = ", line)
            if m:
                arr = grads.dl_da if m.group(1) == "a" else grads.dl_dz
                expected = float(arr[0, net.index[m.group(2)]])
            elif w:
                expected = float(grads.dl_dw[net.edge_index[(w.group(1), w.group(2))]])
            else:
                continue
            assert _result(line) == pytest.approx(expected, rel=1e-3, abs=1e-4), line
            checked += 1
    assert checked >= 12
    assert steps[1][0].startswith("∂l/∂z_9 = −2(y_9 − z_9) = −2(1 − 0.552) = ")
    assert _result(steps[0][-1]) == pytest.approx(float(np.asarray(grads.loss).reshape(-1)[0]), rel=1e-3)


def test_user_ids_stay_printable_text_and_long_steps_are_cut():
    bad = "<img src=x>"  # user text: stays text (the browser draws it with textContent)
    hidden = [f"h{i}" for i in range(5)]
    neurons = [Neuron(bad, "input"), Neuron("b", "bias"), *(Neuron(h, "hidden", "sigmoid") for h in hidden)]
    edges = [*((bad, h) for h in hidden), *((h, "o") for h in hidden), ("b", "o")]
    net = Network([*neurons, Neuron("o", "output", "identity")], edges, [0.5] * len(edges))
    trace = nnviz.forward(net, [0.3])
    steps = frame_equations(net, forward_frames(net), trace)
    text = "\n".join(line for lines in steps for line in lines)
    assert "z_<img src=x> = x_<img src=x> = 0.3" in text
    assert any("… and 3 more neurons" in line for line in steps[1])
    assert any("(4 more)" in line for lines in steps for line in lines)  # o's six terms: three written out


def test_a_drawing_without_steps_sends_no_equations_panel():
    """The Network page, the playground and a replay draw the structure: no empty "This step" box."""
    from nnviz.app.live_graph import Point, graph_data

    net = presets.paper_network()
    still = graph_data(net, None, Point(x=np.array([0.5])))
    assert still["equations"] is None
    stepped = graph_data(net, nnviz.forward(net, [0.5]), Point(x=np.array([0.5])))
    assert len(stepped["equations"]) == len(stepped["frames"]) and any(stepped["equations"])
