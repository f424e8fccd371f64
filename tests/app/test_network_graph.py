"""AppTest: the Network page's live graph (a still drawing of the network: names, pictures, clicks)."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import edit, presets
from nnviz.data import Dataset
from nnviz.ui.state import Keys
from tests.app.conftest import live_data, new_app, no_exception, open_on

NET_WEIGHT = "live_net_weight"  # the slider of the selected weight on the Network page


def opened(net: nnviz.Network | None = None) -> object:
    at = new_app()
    at.run()
    if net is not None:
        at.session_state[Keys.NETWORK] = net
        at.run()
    no_exception(at)
    return at


def graph(at) -> dict:
    return live_data(at)["graph"]


def test_the_network_page_draws_a_still_graph_without_values():
    g = graph(opened())
    assert g["mode"] == "structure" and len(g["frames"]) == 1
    assert all(n["lines"] == {} for n in g["neurons"])  # no a or z: this page has no input
    assert all(len(n["tip"]) == 1 for n in g["neurons"]) and g["neurons"][2]["tip"] == ["neuron 3: hidden, sigmoid"]
    assert g["edges"][0]["tip"] == ["w₁,₃ (neuron 1 → neuron 3)", "w = 0.8"]
    assert g["all_labels"]  # the paper's 12 edges are all named


def test_every_hidden_and_output_neuron_has_a_picture_of_z_k_at_the_forward_pages_x():
    at = opened()
    pics = graph(at)["pictures"]
    net = presets.paper_network()
    drawn = [k for k, c in enumerate(pics["curves"]) if c is not None]
    assert [net.ids[k] for k in drawn] == ["3", "4", "6", "7", "9"]  # not the input, not the bias neurons
    grid = np.linspace(*pics["range"], len(pics["curves"][drawn[-1]]))
    expected = nnviz.forward(net, grid[:, None]).z[:, net.index["9"]]  # (P,) the output over the grid
    np.testing.assert_allclose(pics["curves"][net.index["9"]], expected, rtol=1e-9, atol=1e-12)
    assert pics["x0"] == 0.5
    at.session_state["fwd_x"] = [1.25]  # typed on the Forward pass page
    at.run()
    assert graph(at)["pictures"]["x0"] == 1.25


def test_two_inputs_give_heatmaps_and_the_toggle_switches_them_off():
    at = opened(presets.xor())
    pics = graph(at)["pictures"]
    assert pics["kind"] == "heatmap" and sum(c is not None for c in pics["cells"]) == 3
    at.toggle(key="net_pictures").set_value(False).run()
    no_exception(at)
    assert graph(at)["pictures"] is None
    at.switch_page("pages/forward.py").run()  # the choice is kept on the other pages
    assert live_data(at)["graph"]["pictures"] is None


def test_pictures_are_off_by_default_past_60_neurons_and_the_page_says_why():
    at = opened(presets.layered([4, 30, 30, 2], seed=0))
    assert graph(at)["pictures"] is None
    assert any("more than 60" in c.value for c in at.caption)


def test_the_pictures_span_the_training_data_when_it_fits():
    data = Dataset("two points", np.array([[-3.0], [4.0]]), np.array([[0.0], [1.0]]))
    at = open_on("pages/network.py", dataset=data)
    lo, hi = graph(at)["pictures"]["range"]
    assert lo <= -3.0 and hi >= 4.0


def test_a_selected_edge_gets_a_slider_that_edits_the_weight():
    at = opened()
    at.session_state[Keys.GRAPH_EDGE] = ("6", "9")
    at.run()
    slider = at.slider(key=NET_WEIGHT)
    assert slider.value == pytest.approx(1.3)
    slider.set_value(-0.5).run()
    no_exception(at)
    net = at.session_state[Keys.NETWORK]
    assert net == edit.set_weight(presets.paper_network(), "6", "9", -0.5)  # the sidebar form's call
    j = net.edge_index[("6", "9")]
    assert live_data(at)["selected"] == {"neuron": None, "edge": j}
    assert graph(at)["edges"][j]["tip"][1] == "w = -0.5"


def test_a_neuron_selected_here_is_explained_on_the_forward_page():
    at = opened()
    at.session_state[Keys.GRAPH_NEURON] = "4"
    at.run()
    assert live_data(at)["selected"] == {"neuron": 3, "edge": None}
    assert any("Selected: neuron 4" in m.value for m in at.markdown)
    at.switch_page("pages/forward.py").run()
    no_exception(at)
    assert at.selectbox(key="fwd_neuron").value == "4"
    assert live_data(at)["selected"]["neuron"] == 3


def test_a_huge_network_keeps_the_block_view_and_no_live_graph():
    at = opened(presets.layered([40, 40, 2], seed=0))
    assert any("too many to draw one by one" in i.value for i in at.info)
    assert at.get("graphviz_chart")
    assert not [c for c in at.get("bidi_component") if '"graph"' in c.proto.json]
