"""AppTest: the app shell, the sidebar editor (each path, each invalid edit) and the Network page."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import edit, files, presets
from nnviz.app import share
from nnviz.figures.graph import edge_title
from nnviz.network import NetworkError
from nnviz.ui.files_panel import load_upload
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W
from nnviz.ui.widgets import md_escape
from tests.app.conftest import graph_dot, live_data, no_exception, submit


def net_of(at):
    return at.session_state[Keys.NETWORK]


def errors(at) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]


def drawing(at) -> dict:
    """What the Network page's live graph draws (neurons, edges, layer boxes, labels)."""
    return live_data(at)["graph"]


def count_graph(graph: dict) -> tuple[int, int]:
    return len(graph["neurons"]), len(graph["edges"])


def edge_labels(graph: dict) -> list[str]:
    return [e["lines"]["w"] for e in graph["edges"]]


def test_default_is_the_papers_network(app):
    assert net_of(app) == presets.paper_network()
    graph = drawing(app)
    assert count_graph(graph) == (9, 12) and graph["mode"] == "structure"
    assert [b["label"] for b in graph["boxes"]] == ["layer 1", "layer 2", "layer 3", "layer 4"]
    assert [n["title"] for n in graph["neurons"]] == [f"σ{d}" for d in "₁₂₃₄₅₆₇₈₉"]
    assert not app.error
    assert app.query_params["preset"] == "paper"
    titles = [t.value for t in app.title]
    assert "The network" in titles


@pytest.mark.parametrize(("name", "neurons", "edges"), [("xor", 7, 9), ("non_layered", 3, 3), ("paper", 9, 12)])
def test_preset_form_builds_each_preset(app, name, neurons, edges):
    app.selectbox(key=W.PRESET).set_value(name)
    submit(app, "Build network")
    net = net_of(app)
    assert (len(net.neurons), len(net.edges)) == (neurons, edges)
    assert count_graph(drawing(app)) == (neurons, edges)
    assert not app.error


def test_preset_form_builds_layers_with_functions(app):
    app.selectbox(key=W.PRESET).set_value("layered")
    app.text_input(key=W.SIZES).set_value("3,4,2")
    app.selectbox(key=W.ACT).set_value("tanh")
    app.selectbox(key=W.OUT).set_value("sigmoid")
    submit(app, "Build network")
    net = net_of(app)
    assert net == presets.layered([3, 4, 2], "tanh", "sigmoid", seed=0)
    assert [len(layer) for layer in net.layers()] == [4, 5, 2]
    assert app.query_params["sizes"] == "3,4,2"


@pytest.mark.parametrize(("sizes", "message"), [("2,0,1", "layer 2 is empty"), ("2,a,1", "is not a whole number"),
                                                ("5", "at least two layer sizes")])  # fmt: skip
def test_invalid_layer_sizes_keep_the_network(app, sizes, message):
    app.selectbox(key=W.PRESET).set_value("layered")
    app.text_input(key=W.SIZES).set_value(sizes)
    submit(app, "Build network")
    assert net_of(app) == presets.paper_network()
    assert any(message in e for e in errors(app)), errors(app)
    assert count_graph(drawing(app)) == (9, 12)


def test_set_a_neurons_function(app):
    app.selectbox(key=W.NEURON).set_value("6")
    app.selectbox(key=W.NEURON_ACT).set_value("relu")
    submit(app, "Set function")
    assert net_of(app).neuron("6").activation == "relu"
    assert net_of(app).neuron("7").activation == "sigmoid"
    assert not app.error


def test_add_and_remove_an_edge(app):
    app.selectbox(key=W.EDGE_SRC).set_value("3")
    app.selectbox(key=W.EDGE_DST).set_value("7")
    app.number_input(key=W.EDGE_W).set_value(0.5)
    submit(app, "Add edge")
    assert net_of(app).weight("3", "7") == 0.5
    assert count_graph(drawing(app)) == (9, 13)
    app.selectbox(key=W.EDGE_SRC).set_value("4")
    app.selectbox(key=W.EDGE_DST).set_value("6")
    submit(app, "Remove edge")
    assert ("4", "6") not in net_of(app).edges
    assert count_graph(drawing(app)) == (9, 12)
    assert not app.error


def test_edge_that_skips_a_layer_shows_the_not_layered_note(app):
    app.selectbox(key=W.EDGE_SRC).set_value("1")
    app.selectbox(key=W.EDGE_DST).set_value("9")
    submit(app, "Add edge")
    assert net_of(app).layers() is None
    assert drawing(app)["boxes"] == []  # no layer boxes
    assert any("Not layered" in i.value and "does not go to the next layer" in i.value.replace("\\", "")
               for i in app.info)  # fmt: skip


@pytest.mark.parametrize(("src", "dst", "button", "message"), [
    ("9", "3", "Add edge", "edge 9->3 would close a cycle"),
    ("1", "3", "Add edge", "edge 1->3 already exists"),
    ("3", "7", "Remove edge", "there is no edge 3->7 to remove"),
    ("1", "3", "Remove edge", None),  # allowed: 3 still has its bias edge
])  # fmt: skip
def test_invalid_edge_edits_keep_the_network(app, src, dst, button, message):
    app.selectbox(key=W.EDGE_SRC).set_value(src)
    app.selectbox(key=W.EDGE_DST).set_value(dst)
    submit(app, button)
    if message is None:
        assert not app.error
        return
    assert net_of(app) == presets.paper_network()
    assert any(message in e for e in errors(app)), errors(app)


def test_an_edge_into_a_bias_neuron_cannot_be_chosen_and_is_refused(app):
    assert "5" not in app.selectbox(key=W.EDGE_DST).options  # bias neurons are not offered as targets
    with pytest.raises(NetworkError, match="point into bias neuron '5'"):
        edit.add_edge(net_of(app), "1", "5")


def test_error_clears_after_a_valid_edit(app):
    app.selectbox(key=W.EDGE_SRC).set_value("9")
    app.selectbox(key=W.EDGE_DST).set_value("3")
    submit(app, "Add edge")
    assert app.error
    app.selectbox(key=W.EDGE_SRC).set_value("3")
    app.selectbox(key=W.EDGE_DST).set_value("7")
    submit(app, "Add edge")
    assert not app.error


def test_toggle_a_layers_bias_neuron(app):
    app.selectbox(key=W.BIAS_LAYER).set_value(2)
    submit(app, "Toggle bias neuron")
    assert "5" not in net_of(app).ids
    assert count_graph(drawing(app)) == (8, 10)
    submit(app, "Toggle bias neuron")
    assert net_of(app).neuron("10").role == "bias"
    assert count_graph(drawing(app)) == (9, 12)


def test_toggle_bias_of_an_unlayered_network_is_disabled(app):
    app.selectbox(key=W.PRESET).set_value("non_layered")
    submit(app, "Build network")
    assert app.selectbox(key=W.BIAS_LAYER).disabled
    assert next(b for b in app.button if b.label == "Toggle bias neuron").disabled


def test_set_a_weight(app):
    app.selectbox(key=W.W_SRC).set_value("6")
    app.selectbox(key=W.W_DST).set_value("9")
    app.number_input(key=W.W_VALUE).set_value(-2.5)
    submit(app, "Set weight")
    assert net_of(app).weight("6", "9") == -2.5
    app.toggle(key=W.SHOW_WEIGHTS).set_value(True).run()
    assert "w₆,₉ = -2.50" in edge_labels(drawing(app))


def test_setting_a_missing_weight_is_refused(app):
    app.selectbox(key=W.W_SRC).set_value("3")
    app.selectbox(key=W.W_DST).set_value("7")
    submit(app, "Set weight")
    assert any("there is no edge 3->7" in e for e in errors(app))
    assert net_of(app) == presets.paper_network()


def test_randomise_weights_with_a_seed_then_reset(app):
    app.number_input(key=W.SEED).set_value(3)
    submit(app, "Randomise weights")
    expected = edit.randomise(presets.paper_network(), 3)
    np.testing.assert_array_equal(net_of(app).weights, expected.weights)
    assert app.query_params["seed"] == "3" and "net" in app.query_params
    submit(app, "Reset to preset")
    assert net_of(app) == presets.paper_network()
    assert "net" not in app.query_params


def test_show_weights_toggle(app):
    assert edge_labels(drawing(app))[0] == "w₁,₃"
    app.toggle(key=W.SHOW_WEIGHTS).set_value(True).run()
    net = net_of(app)
    assert edge_labels(drawing(app)) == [
        f"{edge_title(s, d)} = {w:.2f}" for (s, d), w in zip(net.edges, net.weights, strict=True)
    ]
    assert edge_labels(drawing(app))[0] == "w₁,₃ = 0.80"


def test_vocabulary_names_every_term(app):
    text = " ".join(m.value for m in app.markdown)
    for term in ("Neuron", "Edge", "Weight", "Bias neuron", "Function", "Feed-forward", "Layered"):
        assert f"**{term}.**" in text
    assert "9 neurons" in text and "12 weights" in text and "4 groups" in text


def test_a_huge_network_is_drawn_as_layer_blocks(app):
    from nnviz.ui import state

    big = presets.layered([10, 60, 60, 60, 10])
    app.session_state[Keys.NETWORK] = big
    app.run()
    no_exception(app)
    dot = graph_dot(app)
    assert "8,590 edges" in " ".join(i.value for i in app.info)
    assert dot.count(" -> ") == 4 and "3,660 weights" in dot and "60 hidden" in dot
    assert state.Keys.NETWORK == Keys.NETWORK


def test_downloads_hold_json_and_dot(app):
    labels = [b.proto.label for b in app.get("download_button")]
    assert {"Network as JSON", "Figure as DOT"} <= set(labels)


def test_share_link_restores_an_edited_network(make_app):
    net = edit.set_activation(edit.randomise(presets.xor(), 9), "4", "tanh")
    params, _ = share.encode(net, edit.Preset("xor"), 9)
    at = make_app(params)
    at.run()
    no_exception(at)
    assert net_of(at) == net
    assert not at.error
    assert at.number_input(key=W.SEED).value == 9


@pytest.mark.parametrize("params", [{"preset": "evil"}, {"net": "%%%"}, {"preset": "layered", "sizes": "2,0"},
                                    {"seed": "x"}])  # fmt: skip
def test_bad_share_link_shows_an_error_and_the_default(make_app, params):
    at = make_app(params)
    at.run()
    no_exception(at)
    assert net_of(at) == presets.paper_network()
    assert any("The share link could not be used" in e.value for e in at.error)


def test_network_survives_reruns_and_the_link_follows_it(app):
    app.selectbox(key=W.PRESET).set_value("xor")
    submit(app, "Build network")
    app.run()
    assert net_of(app) == presets.xor()
    assert app.query_params["preset"] == "xor"


def test_load_upload_validates():
    net = edit.randomise(presets.paper_network(), 1)
    assert load_upload(files.to_json(net).encode()) == net
    for data, message in [(b"", "empty"), (b"{", "not valid JSON"), (b"\xff\xfe", "not UTF-8"),
                          (b" " * (files.MAX_JSON_BYTES + 1), "limit"), (b'{"format": "x"}', "format")]:  # fmt: skip
        with pytest.raises(NetworkError, match=message):
            load_upload(data)


def test_md_escape_neutralises_markdown():
    text = md_escape(":red[boom] $x$ **b** <i> [l](http://x)")
    for raw in (":red[", "$x$", "**", "[l]("):
        assert raw not in text
