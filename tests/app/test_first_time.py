"""AppTest of issue 13's first-time experience: defaults that fit, measured advice, the sidebar editor.

The browser half (expanders that stay open, labels that fit, a fragment's f(x)) is in
tests/browser/test_first_time.py.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from nnviz import edit, presets
from nnviz.app.advice import DEFAULTS
from nnviz.ui.files_panel import figure_dot
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W
from tests.app.conftest import live_data, new_app, no_exception, open_on, submit
from tests.app.test_training import open_page, train

TRAIN = "FormSubmitter:train_settings_form-Train"


def settings(at: AppTest) -> tuple[float, int, int, float]:
    return tuple(at.number_input(key=f"train_{n}").value for n in ("step", "epochs", "restarts", "scale"))


def press_train(at: AppTest) -> AppTest:
    at.button(key=TRAIN).click().run()
    no_exception(at)
    return at


def test_the_default_run_fits_and_says_so():
    at = press_train(open_page())
    d = DEFAULTS["regression"].settings
    assert settings(at) == (d.step_size, d.epochs, d.restarts, d.init_scale)
    job = at.session_state[Keys.TRAINING]
    assert job.result().final_loss[job.result().best] < DEFAULTS["regression"].loss
    assert any("The best restart fits the data" in s.value for s in at.success)
    assert not any("still high" in w.value for w in at.warning)


def adapt(at: AppTest) -> AppTest:
    """Press the Training page's "Adapt the network to ..." button."""
    next(b for b in at.button if b.label.startswith("Adapt the network")).click().run()
    no_exception(at)
    return at


def test_settings_follow_the_data_kind_unless_typed():
    at = open_page()
    at.radio(key="train_source").set_value("boolean").run()
    adapt(at)
    b = DEFAULTS["boolean"].settings
    assert settings(at) == (b.step_size, b.epochs, b.restarts, b.init_scale)
    at.number_input(key="train_epochs").set_value(77)  # typed (and submitted with Train): it stays
    press_train(at)
    at.radio(key="train_source").set_value("classification").run()
    c = DEFAULTS["classification"].settings
    assert settings(at) == (c.step_size, 77, c.restarts, c.init_scale)
    at.number_input(key="train_epochs").set_value(c.epochs)
    press_train(at)  # the 2-D default data on the adapted paper network fits with the defaults
    assert any("The best restart fits the data" in s.value for s in at.success)


def test_a_high_loss_gets_a_reason_and_measured_changes_with_buttons():
    at = train(open_page(), restarts=100, epochs=100, step=0.1, scale=1.0)  # the old defaults
    warning = next(w.value for w in at.warning if "still high" in w.value)
    assert "0.1783" in warning and "still falling" in warning
    text = " ".join(m.value for m in at.markdown)
    assert "400 epochs instead of 100" in text and "fully connected layers 1,8,1" in text
    assert "measured:" in text
    at.button(key="train_advice_use_1").click().run()  # best first: the wider network, then more epochs
    no_exception(at)
    assert at.number_input(key="train_epochs").value == 400
    at.button(key="train_advice_build_0").click().run()
    no_exception(at)
    net = at.session_state[Keys.NETWORK]
    assert [len(layer) for layer in net.layers()] == [2, 9, 1]  # input + bias, 8 hidden + bias, output
    assert at.session_state[Keys.PRESET].sizes == (1, 8, 1)


def test_editing_the_layer_sizes_builds_fully_connected_layers():
    """Issue 13: with Start from on the paper's network, typing 3,5,2 builds those layers."""
    at = new_app()
    at.run()
    assert at.selectbox(key=W.PRESET).value == "paper"
    at.text_input(key=W.SIZES).set_value("3,5,2")
    submit(at, "Build network")
    net = at.session_state[Keys.NETWORK]
    assert (len(net.inputs), len(net.outputs), len(net.edges)) == (3, 2, 4 * 5 + 6 * 2)
    assert at.selectbox(key=W.PRESET).value == "layered"
    at.selectbox(key=W.PRESET).set_value("paper")
    submit(at, "Build network")
    assert at.session_state[Keys.NETWORK] == presets.paper_network()  # unchanged sizes: the paper's network


def test_a_refused_weight_names_the_allowed_range():
    at = new_app()
    at.run()
    at.selectbox(key=W.W_SRC).set_value("1")
    at.selectbox(key=W.W_DST).set_value("3")
    at.number_input(key=W.W_VALUE).set_value(1e9)
    submit(at, "Set weight")
    text = " ".join(e.value for e in at.error).replace("\\", "")  # the message is markdown-escaped
    assert "New value must be between -1,000,000 and 1,000,000; you typed 1,000,000,000." in text
    assert at.session_state[Keys.NETWORK] == presets.paper_network()


def test_a_refused_seed_or_scale_names_the_allowed_range():
    at = new_app()
    at.run()
    at.number_input(key=W.SCALE).set_value(500.0)
    submit(at, "Randomise weights")
    assert any("Std. dev. must be between 0 and 100; you typed 500." in e.value.replace("\\", "") for e in at.error)
    at.number_input(key=W.SCALE).set_value(0.0)
    submit(at, "Randomise weights")
    assert any("above 0 and at most 100" in e.value for e in at.error)  # in range, but the engine needs > 0


def test_an_input_left_without_edges_is_warned_about():
    net = edit.add_edge(presets.paper_network(), "2", "7", 0.5)  # so 4 -> 7 is not 7's only input
    at = open_on("pages/network.py", net)
    at.selectbox(key=W.EDGE_SRC).set_value("1")
    at.selectbox(key=W.EDGE_DST).set_value("3")
    submit(at, "Remove edge")
    assert not any("no outgoing" in w.value for w in at.warning)
    at.selectbox(key=W.EDGE_SRC).set_value("1")
    at.selectbox(key=W.EDGE_DST).set_value("4")
    submit(at, "Remove edge")
    assert any("Input neuron 1 has no outgoing edges" in w.value for w in at.warning)


def test_a_neurons_own_function_shows_on_the_graph():
    at = new_app()
    at.run()
    at.selectbox(key=W.NEURON).set_value("6")
    at.selectbox(key=W.NEURON_ACT).set_value("relu")
    submit(at, "Set function")
    for page in ("pages/network.py", "pages/forward.py"):
        at.switch_page(page).run()
        titles = {n["id"]: n["title"] for n in live_data(at)["graph"]["neurons"]}
        assert titles["6"] == "σ₆ relu" and titles["7"] == "σ₇"
    assert "<I>relu</I>" in figure_dot(at.session_state[Keys.NETWORK])  # the DOT export names it too


def test_the_training_preview_is_drawn_only_while_open():
    at = open_page()
    assert not [c for c in at.get("plotly_chart") if "train_preview" in c.proto.id]
    at.session_state["train_preview_open"] = True
    at.run()
    no_exception(at)
    assert [c for c in at.get("plotly_chart") if "train_preview" in c.proto.id]
