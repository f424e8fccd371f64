"""AppTest of the "Why it works" page: every exhibit and its controls, in-process (no browser)."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnviz import presets
from nnviz.theory import boolean, layers
from nnviz.ui.state import Keys
from tests.app.conftest import live_data, new_app, no_exception

PAGE = "pages/why.py"


@pytest.fixture
def why() -> AppTest:
    """The Why page after its first run (the paper's network in the sidebar)."""
    at = new_app()
    at.run()
    no_exception(at)
    at.switch_page(PAGE).run()
    no_exception(at)
    return at


TAB_KEY = "why_tab"
TABS = [
    "1 · Networks as functions",
    "2 · Linear collapse",
    "3 · Boolean functions",
    "4 · Approximation by width",
    "5 · Counting",
]


def open_tab(at: AppTest, number: int) -> AppTest:
    """Select exhibit ``number`` (1-5) as a click on its tab would, and rerun."""
    at.session_state[TAB_KEY] = TABS[number - 1]
    at.run()
    no_exception(at)
    return at


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; metrics: {[m.label for m in at.metric]}"
    return found[0]


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return found[0]


def errors(at: AppTest) -> str:
    """Every st.error on the page, with the markdown escaping of user text undone."""
    return re.sub(r"\\(.)", r"\1", " | ".join(e.value for e in at.error))


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    return [c["layout"].get("title", {}).get("text", "") for c in charts(at)]


def values(data: object) -> np.ndarray:
    """A plotly array from figure JSON: plain lists, or plotly's typed-array form {"dtype", "bdata", "shape"}."""
    if isinstance(data, dict) and "bdata" in data:
        arr = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        shape = [int(k) for k in str(data.get("shape", arr.size)).split(",")]
        return arr.reshape(shape)
    return np.asarray(data)


def network(at: AppTest):
    return at.session_state[Keys.NETWORK]


# ----- 1. networks as functions --------------------------------------------------


def test_page_renders_all_five_exhibits_one_at_a_time(why: AppTest) -> None:
    assert [t.label for t in why.tabs] == TABS
    assert not why.error
    titles = chart_titles(why)
    assert any("A<sub>2</sub>, then σ<sub>2</sub> = sigmoid" in t for t in titles)
    assert any("A<sub>4</sub>, then σ<sub>4</sub> = identity" in t for t in titles)
    assert "Error against width" not in titles  # only the open tab runs
    expected = {2: "The single matrix Aₗ ⋯ A₂", 3: "How wide the hidden layer gets", 4: "Error against width",
                5: "How big the counts are"}  # fmt: skip
    for number, title in expected.items():
        open_tab(why, number)
        assert not why.error
        assert title in chart_titles(why)
        assert "Same function, two ways" not in chart_titles(why)


def test_matrices_show_the_paper_weights_and_agree(why: AppTest) -> None:
    a3 = next(c for c in charts(why) if "A<sub>3</sub>" in c["layout"]["title"]["text"])
    z = values(a3["data"][0]["z"])
    np.testing.assert_array_equal(z, [[1.5, -1.0, 0.2], [0.0, 0.9, -0.3]])
    assert a3["layout"]["xaxis"]["ticktext"] == ["from 3", "from 4", "from 5 (bias)"]
    assert float(metric(why, "Largest |difference|")) < 1e-12
    assert any("σ ∘ A applied layer by layer gives the network's output" in s.value for s in why.success)


def test_more_random_inputs_and_another_seed(why: AppTest) -> None:
    why.slider(key="why_fn_samples").set_value(1000).run()
    why.number_input(key="why_fn_seed").set_value(7).run()
    no_exception(why)
    assert any("On 1000 random inputs" in s.value for s in why.success)
    agree = next(c for c in charts(why) if c["layout"]["title"]["text"] == "Same function, two ways")
    assert len(values(agree["data"][1]["x"])) == 1000


def test_non_layered_network_gets_a_clear_message(why: AppTest) -> None:
    why.session_state[Keys.NETWORK] = presets.non_layered()
    why.run()
    no_exception(why)
    text = errors(why)
    assert "This network has no matrix form" in text and "not layered" in text
    open_tab(why, 2)
    assert "No single matrix for this network" in errors(why)


# ----- 2. linear collapse ---------------------------------------------------------


def test_every_sigma_the_identity_stays_in_its_tab(why: AppTest) -> None:
    """Issue 13: the toggle changes what the tab shows, never the network of the other pages."""
    open_tab(why, 2)
    before = network(why)
    curves = next(c for c in charts(why) if c["layout"]["title"]["text"] == "With its functions, and without them")
    assert [t["name"] for t in curves["data"]] == ["with its functions", "one matrix Aₗ ⋯ A₂"]
    why.toggle(key="why_identity").set_value(True).run()
    no_exception(why)
    assert network(why) is before and not layers.is_linear(network(why))  # the app's network is untouched
    assert any("in this tab only" in c.value for c in why.caption)
    assert float(metric(why, "Largest |identity network − matrix| on 200 random inputs")) < 1e-12
    product = next(c for c in charts(why) if c["layout"]["title"]["text"] == "The single matrix Aₗ ⋯ A₂")
    np.testing.assert_allclose(values(product["data"][0]["z"]), layers.collapse(before).matrix)
    curves = next(c for c in charts(why) if c["layout"]["title"]["text"] == "With its functions, and without them")
    assert [t["name"] for t in curves["data"]] == ["with its functions", "every σ the identity", "one matrix Aₗ ⋯ A₂"]
    every = max(1, 121 // 25)  # the matrix is drawn as markers on every 4th grid point
    np.testing.assert_allclose(values(curves["data"][1]["y"])[::every], values(curves["data"][2]["y"]), atol=1e-12)
    why.switch_page("pages/forward.py").run()
    no_exception(why)
    assert network(why) is before  # the Forward pass page computes with the sigmoid network
    titles = {n["id"]: n["title"] for n in live_data(why)["graph"]["neurons"]}
    assert titles["3"] == "σ₃" and titles["9"] == "σ₉"  # no neuron's function changed, so none is named


def test_the_toggle_is_off_for_a_network_already_linear(why: AppTest) -> None:
    why.session_state[Keys.NETWORK] = layers.identity_network(presets.paper_network())
    open_tab(why, 2)
    assert why.toggle(key="why_identity").disabled
    assert any("all the identity already" in c.value for c in why.caption)


# ----- 3. boolean functions -------------------------------------------------------


def test_xor_is_the_default_table_and_is_verified(why: AppTest) -> None:
    open_tab(why, 3)
    assert metric(why, "Hidden neurons") == "2"
    assert metric(why, "Rows right") == "4 / 4"
    assert any("Checked on all 4 inputs" in s.value and "exactly" in s.value for s in why.success)
    dots = [c.proto.spec for c in why.get("graphviz_chart")]
    assert any("fires on 01" in d and "fires on 10" in d for d in dots)


def test_parity_on_five_bits_needs_sixteen_hidden_neurons(why: AppTest) -> None:
    open_tab(why, 3)
    why.number_input(key="why_bits").set_value(5).run()
    why.selectbox(key="why_preset").set_value("parity").run()
    no_exception(why)
    assert metric(why, "Hidden neurons") == "16"
    assert metric(why, "Rows right") == "32 / 32"
    width = next(c for c in charts(why) if c["layout"]["title"]["text"] == "How wide the hidden layer gets")
    star = next(t for t in width["data"] if t["name"] == "your table")
    assert values(star["x"]).tolist() == [5] and values(star["y"]).tolist() == [16]


def test_sigmoid_and_fewer_rows(why: AppTest) -> None:
    open_tab(why, 3)
    why.number_input(key="why_bits").set_value(3).run()
    why.selectbox(key="why_preset").set_value("or").run()
    assert metric(why, "Hidden neurons") == "7"
    why.radio(key="why_rows").set_value("fewer").run()
    assert metric(why, "Hidden neurons") == "1"
    why.radio(key="why_sigma").set_value("sigmoid").run()
    no_exception(why)
    assert metric(why, "Rows right") == "8 / 8"
    assert any("after rounding its output at 0.5" in s.value for s in why.success)


def test_random_table_with_seed(why: AppTest) -> None:
    open_tab(why, 3)
    why.number_input(key="why_bits").set_value(4).run()
    why.selectbox(key="why_preset").set_value("random").run()
    why.number_input(key="why_rseed").set_value(3).run()
    no_exception(why)
    table = boolean.random_table(4, 3)
    assert metric(why, "Hidden neurons") == str(max(int(table.sum()), 1))
    assert metric(why, "Rows right") == "16 / 16"


def test_typed_column_sets_the_table(why: AppTest) -> None:
    open_tab(why, 3)
    why.text_input(key="why_typed").set_value("0001 0111").run()  # majority of 3
    no_exception(why)
    assert metric(why, "Hidden neurons") == "4"
    assert metric(why, "Rows right") == "8 / 8"
    assert any("n = 3" in c.value for c in why.caption)


def test_seven_bit_table_is_refused_clearly(why: AppTest) -> None:
    open_tab(why, 3)
    why.text_input(key="why_typed").set_value("01" * 64).run()
    no_exception(why)
    text = errors(why)
    assert "The typed column was not used" in text and "7 input bits" in text and "1 to 6 bits" in text
    assert metric(why, "Rows right") == "4 / 4"  # the preset table is still shown
    why.text_input(key="why_typed").set_value("01x").run()
    assert "only 0 and 1" in errors(why)


def test_load_boolean_network_into_the_editor(why: AppTest) -> None:
    open_tab(why, 3)
    why.selectbox(key="why_preset").set_value("and").run()
    button(why, "Load this network into the editor").click().run()
    no_exception(why)
    net = network(why)
    expected = boolean.boolean_network(boolean.preset_table("and", 2), 2).net
    assert net == expected
    assert at_note(why) == "boolean network with 1 hidden neurons on 2 bits"
    assert any("now the network of every page" in s.value for s in why.success)
    why.switch_page("pages/network.py").run()
    no_exception(why)
    assert network(why) == expected


def at_note(at: AppTest) -> str:
    return at.session_state[Keys.NOTE]


# ----- 4. approximation by width ------------------------------------------------


def test_default_fit_shows_every_width(why: AppTest) -> None:
    open_tab(why, 4)
    fits = next(c for c in charts(why) if c["layout"]["title"]["text"] == "sine: sin(πx)")
    names = [t["name"] for t in fits["data"]]
    assert names == ["target", *(f"width {w}" for w in (1, 2, 4, 8, 16, 32)), "training points"]
    err = next(c for c in charts(why) if c["layout"]["title"]["text"] == "Error against width")
    largest = values(err["data"][0]["y"])
    assert largest[-1] < largest[0] / 5  # width 32 is far better than width 1


def test_other_function_and_widths(why: AppTest) -> None:
    open_tab(why, 4)
    why.selectbox(key="why_target").set_value("abs")
    why.text_input(key="why_widths").set_value("1, 3")
    why.slider(key="why_epochs").set_value(40)
    why.slider(key="why_restarts").set_value(2)
    button(why, "Fit").click().run()
    no_exception(why)
    fits = next(c for c in charts(why) if c["layout"]["title"]["text"] == "absolute value: |x|")
    assert [t["name"] for t in fits["data"]][1:3] == ["width 1", "width 3"]
    assert any("2 restarts × 40 epochs" in c.value for c in why.caption)


BAD_WIDTHS = [
    ("1, 0", "width 0: a hidden layer needs at least one neuron"),
    ("-2", "width -2"),
    ("two", "'two' is not a whole number"),
]


@pytest.mark.parametrize(("typed", "message"), BAD_WIDTHS)
def test_bad_widths_get_a_clear_message(why: AppTest, typed: str, message: str) -> None:
    open_tab(why, 4)
    why.text_input(key="why_widths").set_value(typed)
    button(why, "Fit").click().run()
    no_exception(why)
    assert "Cannot fit" in errors(why) and message in errors(why)


# ----- 5. counting ----------------------------------------------------------------


def test_counting_defaults_reproduce_the_papers_example(why: AppTest) -> None:
    open_tab(why, 5)
    latex = [x.value for x in why.latex]
    assert any("2^{320{,}000}" in x and r"3.97 \times 10^{96{,}329}" in x for x in latex)
    assert any(r"100^{1{,}000}" in x and r"1.00 \times 10^{2{,}000}" in x for x in latex)
    assert any("48,165 parameters" in m.value for m in why.markdown)
    table = why.dataframe[-1].value
    assert list(table["verdict"]) == ["differs", "differs", "differs", "no round figure given"]
    assert table["exactly"][0] == "3.968 × 10^96,329"


def test_counting_controls(why: AppTest) -> None:
    open_tab(why, 5)
    why.number_input(key="why_w").set_value(4).run()
    why.number_input(key="why_h").set_value(4).run()
    why.number_input(key="why_b").set_value(1).run()
    why.number_input(key="why_v").set_value(2).run()
    why.number_input(key="why_p").set_value(16).run()
    no_exception(why)
    latex = [x.value for x in why.latex]
    assert any("2^{16}" in x and r"6.55 \times 10^{4}" in x for x in latex)
    assert any("at least as many configurations" in m.value for m in why.markdown)
    count = next(c for c in charts(why) if c["layout"]["title"]["text"] == "How big the counts are")
    assert values(count["data"][0]["x"])[:2].tolist() == [5, 5]  # 65536 has 5 digits, so does 2^16
