"""AppTest of the Backpropagation page: the animation, the chain-rule panel, gradient check, SGD step and undo."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz import presets
from nnviz.app.animation import backward_frames
from nnviz.data.dataset import Dataset
from nnviz.network import Network
from nnviz.ui.state import Keys
from tests.app.conftest import live_data, no_exception, open_on
from tests.app.test_forward import value

PAGE = "pages/backprop.py"
P = "bwd"


def open_page(net: Network | None = None, dataset: Dataset | None = None) -> AppTest:
    """The app on the Backpropagation page, optionally with another network or a training set."""
    return open_on(PAGE, net, dataset)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    no_exception(at)
    return at


def network(at: AppTest) -> Network:
    return at.session_state[Keys.NETWORK]


def paper_grads(x: float = 0.5, y: float = 1.0):
    net = presets.paper_network()
    trace = nnviz.forward(net, [x])
    return net, trace, nnviz.backward(net, trace, [y])


def test_page_shows_the_loss_and_starts_at_the_loss_frame():
    at = open_page()
    _, _, grads = paper_grads()
    assert [t.value for t in at.title] == ["Backpropagation"]
    assert any(f"{float(grads.loss[0]):.6g}" in e.value for e in at.latex)
    assert int(at.session_state[f"{P}_step"]) == 0
    data = live_data(at)
    assert data["step"] == 0 and data["graph"]["mode"] == "backward" and len(data["graph"]["frames"]) == 7
    assert any("f(x) = 0.552009" in m.value for m in at.markdown)


def test_the_data_holds_the_engines_gradients_and_when_they_appear():
    at = open_page()
    net, _, grads = paper_grads()
    graph = live_data(at)["graph"]
    anim = backward_frames(net)
    for k, (n, drawn) in enumerate(zip(net.neurons, graph["neurons"], strict=True)):
        assert value(drawn["lines"]["da"], "∂a") == pytest.approx(float(grads.dl_da_of(n.id)[0]), rel=1e-3)
        assert value(drawn["lines"]["dz"], "∂z") == pytest.approx(float(grads.dl_dz_of(n.id)[0]), rel=1e-3)
        assert graph["reveal"]["da"][k] == anim.reveal["dl_da"].get(n.id, len(anim) + 1)
    for j, ((s, d), drawn) in enumerate(zip(net.edges, graph["edges"], strict=True)):
        assert value(drawn["lines"]["dw"], "∂w") == pytest.approx(float(grads.dl_dw_of(s, d)), rel=1e-3)
        assert graph["reveal"]["dw"][j] == anim.reveal["dl_dw"][(s, d)]
        assert drawn["gcolor"].startswith("#")
    at.session_state[f"{P}_step"] = 3
    at.run()
    assert live_data(at)["step"] == 3


def test_target_changes_the_loss():
    at = open_page()
    at.number_input(key=f"{P}_yn_0").set_value(-2.0).run()
    no_exception(at)
    _, _, grads = paper_grads(y=-2.0)
    assert any(f"{float(grads.loss[0]):.6g}" in e.value for e in at.latex)
    at.slider(key=f"{P}_xs_0").set_value(-1.0).run()
    no_exception(at)
    _, _, grads = paper_grads(x=-1.0, y=-2.0)
    assert any(f"{float(grads.loss[0]):.6g}" in e.value for e in at.latex)


def test_chain_rule_panel_defaults_to_figure_6_and_notes_the_papers_slip():
    """Issue 25.8: the panel opens on the paper's Figure 6 neuron, the output 9, with the corrected derivative."""
    at = open_page()
    assert at.selectbox(key=f"{P}_neuron").value == "9"
    assert any(r"-2\,(y_{9} - z_{9})" in e.value for e in at.latex)
    assert any("2 z₉" in i.value for i in at.info)
    at.selectbox(key=f"{P}_neuron").set_value("4").run()  # Figure 7: neuron 4 sums over both paths
    no_exception(at)
    joined = " ".join(e.value for e in at.latex)
    assert r"w_{4,6}" in joined and r"w_{4,7}" in joined
    assert not any("2 z₉" in i.value for i in at.info)
    at.selectbox(key=f"{P}_neuron").set_value("2").run()
    no_exception(at)


def test_sgd_step_updates_the_network_and_undo_restores_it():
    at = open_page()
    net, _, grads = paper_grads()
    version = at.session_state[Keys.VERSION]
    assert at.button(key=f"{P}_undo").disabled
    at.number_input(key=f"{P}_step_size").set_value(0.5).run()
    click(at, f"{P}_take_step")
    after = network(at)
    assert np.allclose(after.weights, net.weights - 0.5 * grads.dl_dw)
    assert at.session_state[Keys.VERSION] == version + 1
    assert any("Loss on this point fell" in m.value for m in at.markdown)
    new_loss = float(nnviz.loss(after, [0.5], [1.0])[0])
    assert new_loss < float(grads.loss[0])
    assert any(f"{new_loss:.6g}" in e.value for e in at.latex)  # the page now shows the new network
    table = next(d.value for d in at.dataframe if "new w" in d.value.columns)
    assert list(table["new w"]) == pytest.approx(list(after.weights))
    assert not at.button(key=f"{P}_undo").disabled
    click(at, f"{P}_undo")
    assert network(at) == net
    assert at.button(key=f"{P}_undo").disabled


def test_two_steps_undo_one_at_a_time():
    at = open_page()
    net = network(at)
    click(at, f"{P}_take_step")
    once = network(at)
    click(at, f"{P}_take_step")
    assert network(at) != once
    click(at, f"{P}_undo")
    assert network(at) == once
    click(at, f"{P}_undo")
    assert network(at) == net


def test_undo_is_off_after_another_change():
    at = open_page()
    click(at, f"{P}_take_step")
    at.session_state[Keys.NETWORK] = presets.xor()
    at.session_state[Keys.VERSION] = at.session_state[Keys.VERSION] + 1
    at.run()
    no_exception(at)
    assert at.button(key=f"{P}_undo").disabled


def test_too_large_a_step_overshoots_with_a_warning():
    at = open_page()
    at.number_input(key=f"{P}_step_size").set_value(20.0).run()
    click(at, f"{P}_take_step")
    assert any("Loss on this point rose" in m.value for m in at.markdown)
    assert any("overshot" in w.value for w in at.warning)


def open_tab(at: AppTest, label: str) -> AppTest:
    """Choose the tab ``label`` below the graph (only the chosen tab runs) and rerun."""
    at.session_state[f"{P}_tab"] = label
    at.run()
    no_exception(at)
    return at


def test_only_the_chosen_tab_runs():
    at = open_page()
    assert not [d for d in at.dataframe if "central difference" in d.value.columns]  # the check is not computed
    assert len(at.get("plotly_chart")) == 1  # the SGD step's loss curve only
    open_tab(at, "Gradient check")
    assert [d for d in at.dataframe if "central difference" in d.value.columns]
    assert not at.get("plotly_chart")  # the step's story is not drawn; its controls stay beside the graph
    assert [b.key for b in at.button].count(f"{P}_take_step") == 1


def _column_with(at: AppTest, key: str):
    """The column (of ``st.columns``) that holds the button ``key``, or None."""
    found = [c for c in at.columns if any(b.key == key for b in c.button)]
    return found[-1] if found else None  # the innermost


def _row_of(node, column):
    """The block of ``st.columns`` (under ``node``) that ``column`` belongs to, or None."""
    kids = list(getattr(node, "children", {}).values())
    if any(k is column for k in kids):
        return node
    return next((row for k in kids if (row := _row_of(k, column)) is not None), None)


@pytest.mark.parametrize("present", [False, True])
def test_the_step_controls_sit_beside_the_graph(present: bool):
    """Step size, the two buttons and the one-line result are in the column beside the live graph, in
    presentation mode too, whichever tab is open; the tab keeps the table of weight changes."""
    at = open_page()
    at.session_state[Keys.PRESENT] = present
    open_tab(at, "Gradient check")
    side = _column_with(at, f"{P}_take_step")
    assert side is not None, "the step button is not in a column"
    assert _column_with(at, f"{P}_undo") is side
    assert any(n.key == f"{P}_step_size" for n in side.number_input)
    row = _row_of(at._tree, side)
    graph_col = next(c for c in row.children.values() if c is not side)
    assert any('"graph"' in c.proto.json for c in graph_col.get("bidi_component")), "the graph is not beside it"
    click(at, f"{P}_take_step")
    side = _column_with(at, f"{P}_take_step")
    assert any("Loss on this point fell" in m.value for m in side.markdown)
    assert not [d for d in at.dataframe if "new w" in d.value.columns]  # the table is the tab's
    open_tab(at, "One SGD step")
    assert [d for d in at.dataframe if "new w" in d.value.columns]


def test_gradient_check_table():
    at = open_tab(open_page(), "Gradient check")
    assert any("they agree" in m.value for m in at.markdown)
    at.selectbox(key=f"{P}_eps").set_value(1e-4).run()
    no_exception(at)
    tables = [d.value for d in at.dataframe if "central difference" in d.value.columns]
    assert len(tables) == 1 and len(tables[0]) == 12
    assert (tables[0]["relative error"] < 1e-4).all()


def test_weight_choice_draws_its_loss_curve():
    at = open_tab(open_page(), "Loss as a function of one weight")
    index = presets.paper_network().edge_index
    assert at.selectbox(key=f"{P}_edge").value == index[("6", "9")]  # the first weight into neuron 9 (Figure 6)
    at.selectbox(key=f"{P}_edge").set_value(index[("1", "4")]).run()
    no_exception(at)
    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any("w(1 → 4)" in f["layout"]["title"]["text"] for f in figs)


def test_a_training_point_gives_x_and_y():
    ds = Dataset("pts", np.array([[0.1], [-1.5]]), np.array([[3.0], [1.0]]))
    at = open_page(dataset=ds)
    at.radio(key=f"{P}_source").set_value("A training point").run()
    no_exception(at)
    loss = float(nnviz.loss(presets.paper_network(), [0.1], [3.0])[0])
    assert any(f"{loss:.6g}" in e.value for e in at.latex)
    click(at, f"{P}_take_step")
    assert float(nnviz.loss(network(at), [0.1], [3.0])[0]) < loss


def test_values_table_has_the_gradients():
    at = open_page()
    assert not [d for d in at.dataframe if "∂l/∂a" in d.value.columns]  # the closed expander draws nothing
    at.session_state[f"{P}_table_open"] = True
    at.run()
    _, _, grads = paper_grads()
    table = next(d.value for d in at.dataframe if "∂l/∂a" in d.value.columns)
    assert list(table["neuron"]) == list("123456789")
    assert table["∂l/∂a"][3] == pytest.approx(float(grads.dl_da_of("4")[0]))


def test_non_layered_and_large_networks_run():
    at = open_page(presets.non_layered())
    at.session_state[f"{P}_step"] = 99
    at.run()
    assert int(at.session_state[f"{P}_step"]) == 4
    net = presets.layered([4, 16, 16, 12, 2], seed=0)
    at = open_page(net)
    graph = live_data(at)["graph"]
    assert graph["compact"] and len(graph["edges"]) == len(net.edges)
    click(at, f"{P}_take_step")
