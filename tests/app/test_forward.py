"""AppTest of the Forward pass page: every control, the drawn values against nnviz.forward, odd networks."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz import presets
from nnviz.data.dataset import Dataset
from nnviz.network import Network, Neuron
from nnviz.ui.state import Keys
from tests.app.conftest import graph_dot, no_exception, open_on

PAGE = "pages/forward.py"
P = "fwd"


def open_page(net: Network | None = None, dataset: Dataset | None = None) -> AppTest:
    """The app on the Forward pass page, optionally with another network or a training set."""
    return open_on(PAGE, net, dataset)


def click(at: AppTest, name: str) -> AppTest:
    at.button(key=f"{P}_btn_{name}").click().run()
    no_exception(at)
    return at


def step(at: AppTest) -> int:
    return int(at.session_state[f"{P}_step"])


def node_labels(dot: str) -> list[str]:
    """The text under sigma_k of every node, in network order (lines joined by newlines)."""
    out = []
    for label in re.findall(r"^\s*n\d+ \[.*?label=<(.*?)>\s+(?:color|fillcolor|tooltip)", dot, re.M):
        lines = re.findall(r'<FONT POINT-SIZE="\d+">(.*?)</FONT>', label)
        out.append("\n".join(lines[1:]))
    return out


def value(text: str, key: str) -> float:
    m = re.search(rf"(?:^|\n){re.escape(key)}=([-\d.e]+)", text)
    assert m, (key, text)
    return float(m.group(1))


def test_page_opens_at_the_first_frame():
    at = open_page()
    assert [t.value for t in at.title] == ["Forward pass"]
    assert step(at) == 0
    assert any("Step 1 of 7" in m.value for m in at.markdown)
    assert at.button(key=f"{P}_btn_back").disabled and not at.button(key=f"{P}_btn_next").disabled
    dot = graph_dot(at)
    assert dot.count("#eeeeee") == 5  # hidden and output neurons are not reached yet
    assert "x=0.5" in dot


def test_f_of_x_appears_only_when_the_pass_reaches_the_output():
    """Issue 13: the header does not give the answer away at step 1."""
    at = open_page()
    f_x = f"f(x) = {float(nnviz.forward(presets.paper_network(), [0.5]).output[0, 0]):.6g}"
    for k in range(6):
        assert step(at) == k
        assert not any(f_x in m.value for m in at.markdown), k
        assert any("f(x) = ?" in m.value for m in at.markdown)
        click(at, "next")
    assert any(f_x in m.value for m in at.markdown) and not any("f(x) = ?" in m.value for m in at.markdown)
    click(at, "back")
    assert not any(f_x in m.value for m in at.markdown)


def test_next_back_reset_end():
    at = open_page()
    click(at, "next")
    click(at, "next")
    assert step(at) == 2 and any("Step 3 of 7" in m.value for m in at.markdown)
    click(at, "back")
    assert step(at) == 1
    click(at, "end")
    assert step(at) == 6 and at.button(key=f"{P}_btn_next").disabled and at.button(key=f"{P}_btn_end").disabled
    click(at, "reset")
    assert step(at) == 0


def test_the_last_frame_shows_every_a_and_z_of_the_engine():
    at = open_page()
    click(at, "end")
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    labels = node_labels(graph_dot(at))
    assert len(labels) == 9
    for n, text in zip(net.neurons, labels, strict=True):
        z = float(trace.z_of(n.id)[0])
        assert value(text, "x" if n.role == "input" else "z") == pytest.approx(z, rel=1e-3, abs=1e-4)
        if n.computes:
            assert value(text, "a") == pytest.approx(float(trace.a_of(n.id)[0]), rel=1e-3, abs=1e-4)
    assert "#eeeeee" not in graph_dot(at)


def test_play_pause_and_play_from_the_end_restarts():
    at = open_page()
    click(at, "play")
    assert at.session_state[f"{P}_playing"] is True
    assert at.button(key=f"{P}_btn_play").label == "Pause"
    click(at, "play")
    assert at.session_state[f"{P}_playing"] is False and at.button(key=f"{P}_btn_play").label == "Play"
    click(at, "end")
    click(at, "play")
    assert step(at) == 0 and at.session_state[f"{P}_playing"] is True
    click(at, "next")  # a manual step pauses
    assert step(at) == 1 and at.session_state[f"{P}_playing"] is False


def test_speed():
    at = open_page()
    at.selectbox(key=f"{P}_speed").set_value(0.5).run()
    no_exception(at)
    assert at.session_state[f"{P}_speed"] == 0.5
    assert step(at) == 0  # changing speed does not step


def test_slider_and_number_stay_in_step():
    at = open_page()
    click(at, "end")
    at.slider(key=f"{P}_xs_0").set_value(1.25).run()
    no_exception(at)
    assert at.number_input(key=f"{P}_xn_0").value == 1.25
    f = float(nnviz.forward(presets.paper_network(), [1.25]).output[0, 0])
    assert any(f"{f:.6g}" in m.value for m in at.markdown)
    assert "x=1.25" in graph_dot(at)
    at.number_input(key=f"{P}_xn_0").set_value(7.5).run()
    no_exception(at)
    assert at.slider(key=f"{P}_xs_0").value == 5.0  # the slider stops at its end
    assert at.session_state[f"{P}_x"] == [7.5]
    assert "x=7.5" in graph_dot(at)
    assert step(at) == 6  # a new input keeps the frame


def test_equation_panel_follows_the_chosen_neuron():
    at = open_page()
    assert at.selectbox(key=f"{P}_neuron").value == "6"  # Figure 4's neuron
    assert any(r"w_{3,6} \cdot z_{3}" in e.value for e in at.latex)
    at.selectbox(key=f"{P}_neuron").set_value("1").run()
    no_exception(at)
    assert any(r"z_{1} = x_{1} = 0.5" in e.value for e in at.latex)


def test_function_plot_marks_the_current_x():
    at = open_page()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    marker = fig["data"][1]
    assert marker["x"] == [0.5]
    assert marker["y"][0] == pytest.approx(float(nnviz.forward(presets.paper_network(), [0.5]).output[0, 0]))


def test_a_training_point_can_be_the_input():
    ds = Dataset("line", np.array([[0.1], [-1.5], [2.0]]), np.array([[0.0], [1.0], [2.0]]))
    at = open_page(dataset=ds)
    at.radio(key=f"{P}_source").set_value("A training point").run()
    no_exception(at)
    at.number_input(key=f"{P}_point").set_value(2).run()
    no_exception(at)
    assert "x=-1.5" in graph_dot(at)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["data"][-1]["name"] == "training points"


def test_no_dataset_choice_when_it_does_not_fit():
    ds = Dataset("two inputs", np.array([[0.1, 0.2]]), np.array([[0.0]]))
    at = open_page(dataset=ds)
    assert not at.radio


def test_three_inputs_slice_and_two_inputs_output_choice():
    at = open_page(presets.layered([3, 4, 2], seed=3))
    at.selectbox(key=f"{P}_vary").set_value(2).run()
    no_exception(at)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "other inputs fixed" in fig["layout"]["title"]["text"]
    at = open_page(presets.layered([2, 3, 2], seed=3))
    at.selectbox(key=f"{P}_output").set_value(1).run()
    no_exception(at)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["data"][0]["type"] == "heatmap"


def test_non_layered_network_animates():
    at = open_page(presets.non_layered())
    click(at, "end")
    assert step(at) == 4
    net = presets.non_layered()
    trace = nnviz.forward(net, [0.5])
    labels = node_labels(graph_dot(at))
    assert value(labels[2], "z") == pytest.approx(float(trace.z_of("C")[0]), rel=1e-3)
    assert any("Level 3" in m.value for m in at.markdown)


def test_a_smaller_network_keeps_a_valid_frame():
    at = open_page()
    click(at, "end")
    at.session_state[Keys.NETWORK] = presets.non_layered()
    at.run()
    no_exception(at)
    assert step(at) == 4


def test_hostile_ids_are_shown_safely():
    ids = ["$\\def\\x{}$", "<img src=x onerror=alert(1)>", "[y](javascript:alert(1))"]
    neurons = [Neuron(ids[0], "input"), Neuron(ids[1], "hidden", "tanh"), Neuron(ids[2], "output", "identity")]
    net = Network(neurons, [(ids[0], ids[1]), (ids[1], ids[2])], [1.0, 2.0])
    at = open_page(net)
    click(at, "end")
    for nid in ids:
        at.selectbox(key=f"{P}_neuron").set_value(nid).run()
        no_exception(at)
    assert all("\\def" not in e.value and "<img" not in e.value for e in at.latex)
    assert all("<img" not in m.value and "](javascript" not in m.value for m in at.markdown)
    labels = re.sub(r'tooltip="(?:[^"\\]|\\.)*"', "", graph_dot(at))  # tooltips are DOT strings: plain text
    assert "<img" not in labels and "&lt;img" in labels


def test_fifty_neuron_network_runs_with_compact_labels():
    net = presets.layered([4, 16, 16, 12, 2], seed=0)
    at = open_page(net)
    click(at, "end")
    dot = graph_dot(at)
    assert dot.count(" -> ") - dot.count("style=invis") == len(net.edges)
    assert "w·z=" not in dot  # no edge text on the compact drawing
    assert "a=" in dot and "z=" in dot


def test_a_network_too_big_to_draw_still_steps():
    net = presets.layered([40, 40, 2], seed=0)  # 1722 weights
    at = open_page(net)
    click(at, "end")
    assert any("too many to draw one by one" in i.value for i in at.info)
    assert "n0 ->" not in graph_dot(at)  # layer blocks, not neurons


def test_values_table_lists_every_neuron():
    at = open_page()
    assert not at.dataframe  # the expander is closed: its table is not built on every run
    at.session_state[f"{P}_table_open"] = True
    at.run()
    assert at.dataframe, "no dataframe on the page"
    table = at.dataframe[0].value
    assert list(table["neuron"]) == list("123456789")
