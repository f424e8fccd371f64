"""AppTest of the Forward pass page: every control, the drawn values against nnviz.forward, odd networks."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz import edit, presets
from nnviz.app.animation import forward_frames
from nnviz.data.dataset import Dataset
from nnviz.network import Network, Neuron
from nnviz.ui.state import Keys
from tests.app.conftest import graph_dot, live_data, no_exception, open_on, with_state

PAGE = "pages/forward.py"
P = "fwd"


def open_page(net: Network | None = None, dataset: Dataset | None = None) -> AppTest:
    """The app on the Forward pass page, optionally with another network or a training set."""
    return open_on(PAGE, net, dataset)


def go(at: AppTest, k: int) -> AppTest:
    """Show frame ``k``, as the live graph does when it reports a finished step."""
    return with_state(at, f"{P}_step", k)


def step(at: AppTest) -> int:
    return int(at.session_state[f"{P}_step"])


def value(text: str, key: str) -> float:
    m = re.search(rf"(?:^|\n){re.escape(key)}=([-\d.e]+)", text)
    assert m, (key, text)
    return float(m.group(1))


def test_page_opens_at_the_first_frame_with_every_frame_in_the_data():
    at = open_page()
    assert [t.value for t in at.title] == ["Forward pass"]
    data = live_data(at)
    assert step(at) == 0 and data["step"] == 0 and data["graph"]["mode"] == "forward"
    net = presets.paper_network()
    anim = forward_frames(net)
    assert [f["caption"] for f in data["graph"]["frames"]] == [f.title for f in anim.frames]
    reveal = data["graph"]["reveal"]
    for k, nid in enumerate(net.ids):  # inputs and biases from frame 0, the rest when their stage comes
        assert reveal["z"][k] == anim.reveal["z"][nid]
    assert sum(r == 0 for r in reveal["z"]) == 4
    assert [n["id"] for n in data["graph"]["neurons"]] == list(net.ids)


def test_f_of_x_is_revealed_when_the_pass_reaches_the_output():
    """Issue 13: nothing on the page gives f(x) away at step 1; the graph's bar shows it from the output frame."""
    at = open_page()
    net = presets.paper_network()
    f_x = f"f(x) = {float(nnviz.forward(net, [0.5]).output[0, 0]):.6g}"
    assert not any(f_x in m.value for m in at.markdown)
    output = live_data(at)["graph"]["output"]
    assert output == {"text": f_x, "from": forward_frames(net).output_step()}
    assert output["from"] == len(forward_frames(net)) - 1  # the output neuron is the last stage


def test_the_step_is_kept_in_session_state_and_clamped():
    at = go(open_page(), 2)
    assert live_data(at)["step"] == 2
    at = go(at, 99)  # too far: the last frame
    assert step(at) == 6 and live_data(at)["step"] == 6


def test_the_graph_data_holds_every_a_and_z_of_the_engine():
    at = open_page()
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    neurons = live_data(at)["graph"]["neurons"]
    assert len(neurons) == 9
    for n, drawn in zip(net.neurons, neurons, strict=True):
        z = float(trace.z_of(n.id)[0])
        assert value(drawn["lines"]["z"], "x" if n.role == "input" else "z") == pytest.approx(z, rel=1e-3, abs=1e-4)
        assert f"z = {z:.6g}" in drawn["tip"] or f"x = {z:.6g}" in drawn["tip"]
        if n.computes:
            assert value(drawn["lines"]["a"], "a") == pytest.approx(float(trace.a_of(n.id)[0]), rel=1e-3, abs=1e-4)
    edges = live_data(at)["graph"]["edges"]
    for (s, _d), w, drawn in zip(net.edges, net.weights, edges, strict=True):
        assert value(drawn["lines"]["w"], "w") == pytest.approx(w)
        assert value(drawn["lines"]["p"], "w·z") == pytest.approx(w * float(trace.z_of(s)[0]), rel=1e-3)
        assert drawn["color"] == ("#2b6cb0" if w >= 0 else "#c0392b")  # weight sign: the paper palette's blue / red


def test_slider_and_number_stay_in_step():
    at = go(open_page(), 6)
    at.slider(key=f"{P}_xs_0").set_value(1.25).run()
    no_exception(at)
    assert at.number_input(key=f"{P}_xn_0").value == 1.25
    f = float(nnviz.forward(presets.paper_network(), [1.25]).output[0, 0])
    assert live_data(at)["graph"]["output"]["text"] == f"f(x) = {f:.6g}"
    assert live_data(at)["graph"]["neurons"][0]["lines"]["z"] == "x=1.25"
    assert live_data(at)["graph"]["pictures"]["x0"] == 1.25  # the pictures mark the new x
    at.number_input(key=f"{P}_xn_0").set_value(7.5).run()
    no_exception(at)
    assert at.slider(key=f"{P}_xs_0").value == 5.0  # the slider stops at its end
    assert at.session_state[f"{P}_x"] == [7.5]
    assert live_data(at)["graph"]["neurons"][0]["lines"]["z"] == "x=7.5"
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
    assert live_data(at)["graph"]["neurons"][0]["lines"]["z"] == "x=-1.5"
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
    at = go(open_page(presets.non_layered()), 99)
    assert step(at) == 4
    net = presets.non_layered()
    trace = nnviz.forward(net, [0.5])
    graph = live_data(at)["graph"]
    assert value(graph["neurons"][2]["lines"]["z"], "z") == pytest.approx(float(trace.z_of("C")[0]), rel=1e-3)
    assert any("Level 3" in f["caption"] for f in graph["frames"])
    assert not graph["boxes"]  # not layered: no layer boxes
    assert sum("Q" in e["path"] for e in graph["edges"]) == 1  # the skip edge A->C is a curve


def test_a_smaller_network_keeps_a_valid_frame():
    at = go(open_page(), 6)
    at.session_state[Keys.NETWORK] = presets.non_layered()
    at.run()
    no_exception(at)
    assert step(at) == 4 and live_data(at)["step"] == 4


def test_hostile_ids_are_shown_safely():
    ids = ["$\\def\\x{}$", "<img src=x onerror=alert(1)>", "[y](javascript:alert(1))"]
    neurons = [Neuron(ids[0], "input"), Neuron(ids[1], "hidden", "tanh"), Neuron(ids[2], "output", "identity")]
    net = Network(neurons, [(ids[0], ids[1]), (ids[1], ids[2])], [1.0, 2.0])
    at = go(open_page(net), 3)
    for nid in ids:
        at.selectbox(key=f"{P}_neuron").set_value(nid).run()
        no_exception(at)
        assert at.session_state["nnviz_graph_neuron"] == nid  # choosing in the box selects it on the graph
    assert all("\\def" not in e.value and "<img" not in e.value for e in at.latex)
    assert all("<img" not in m.value and "](javascript" not in m.value for m in at.markdown)
    assert [n["id"] for n in live_data(at)["graph"]["neurons"]] == ids  # plain data; the JS sets textContent


def test_fifty_neuron_network_runs_compact_without_pictures_by_default_past_60():
    net = presets.layered([4, 16, 16, 12, 2], seed=0)
    at = go(open_page(net), 99)
    graph = live_data(at)["graph"]
    assert graph["compact"] and len(graph["edges"]) == len(net.edges)
    assert graph["pictures"] is not None  # 53 neurons: pictures on
    big = presets.layered([4, 30, 30, 2], seed=0)
    at = open_page(big)
    assert live_data(at)["graph"]["pictures"] is None
    assert any("more than 60" in c.value for c in at.caption)
    at.toggle(key=f"{P}_pictures").set_value(True).run()
    no_exception(at)
    assert live_data(at)["graph"]["pictures"] is not None


def test_a_network_too_big_to_draw_still_steps():
    net = presets.layered([40, 40, 2], seed=0)  # 1722 weights
    at = go(open_page(net), 99)
    assert any("too many to draw one by one" in i.value for i in at.info)
    assert "n0 ->" not in graph_dot(at)  # layer blocks, not neurons
    assert not [
        c for c in at.get("bidi_component") if c.key not in ("nnviz_keys", "nnviz_storage", "nnviz_narrow_screen")
    ]


def test_a_selected_edge_gets_a_slider_that_edits_the_weight():
    at = open_page()
    at.session_state["nnviz_graph_edge"] = ("6", "9")
    at.run()
    slider = at.slider(key="live_fwd_weight")
    assert slider.value == pytest.approx(1.3)
    slider.set_value(-0.5).run()
    no_exception(at)
    net = at.session_state[Keys.NETWORK]
    assert net.weight("6", "9") == -0.5
    expected = nnviz.forward(edit.set_weight(presets.paper_network(), "6", "9", -0.5), [0.5])
    assert live_data(at)["graph"]["output"]["text"] == f"f(x) = {float(expected.output[0, 0]):.6g}"
    j = net.edge_index[("6", "9")]
    assert live_data(at)["graph"]["edges"][j]["lines"]["w"] == "w=-0.5"
    assert live_data(at)["selected"] == {"neuron": None, "edge": j}


def test_the_selection_is_kept_across_pages():
    at = open_page()
    at.selectbox(key=f"{P}_neuron").set_value("4").run()
    no_exception(at)
    assert live_data(at)["selected"]["neuron"] == 3
    at.switch_page("pages/backprop.py").run()
    no_exception(at)
    assert at.selectbox(key="bwd_neuron").value == "4"
    assert live_data(at)["selected"]["neuron"] == 3


def test_values_table_lists_every_neuron():
    at = open_page()
    assert not at.dataframe  # the expander is closed: its table is not built on every run
    at.session_state[f"{P}_table_open"] = True
    at.run()
    assert at.dataframe, "no dataframe on the page"
    table = at.dataframe[0].value
    assert list(table["neuron"]) == list("123456789")


def test_the_colour_blind_palette_recolours_the_live_graph():
    at = open_page()
    at.session_state[Keys.PALETTE] = "colorblind"
    at.run()
    graph = live_data(at)["graph"]
    assert graph["neurons"][0]["fill"] == "#009e73"  # input: Okabe-Ito green
    assert {e["color"] for e in graph["edges"]} == {"#0072b2", "#d55e00"}  # weight signs: blue and vermillion


def test_a_scene_keeps_the_graphs_toggles() -> None:
    """Pictures off and numbers on every edge, saved in a scene, come back when it is opened."""
    at = open_on(PAGE, presets.layered([1, 4, 4, 1], seed=1))
    at.toggle(key="fwd_pictures").set_value(False).run()
    at.toggle(key="fwd_all_weights").set_value(True).run()
    at.button(key="FormSubmitter:scene_save_form-Save this view as a scene").click().run()
    no_exception(at)
    at.toggle(key="fwd_pictures").set_value(True).run()
    at.toggle(key="fwd_all_weights").set_value(False).run()
    assert live_data(at)["graph"]["pictures"] is not None
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    graph = live_data(at)["graph"]
    assert graph["pictures"] is None and graph["all_labels"]  # as saved
