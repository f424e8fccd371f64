"""Hostile input through every entry point, in AppTest: a clear message, no traceback, the last good state kept.

Entry points: the sidebar forms, the Network page's JSON upload, the Training page's CSV upload and
settings, scenes files, and URL query parameters. Cases: cycles, empty layers, 10,000 neurons, NaN and
infinite weights, huge numbers, huge step sizes, malformed and oversized files, wrong types in every
JSON field, and neuron ids / names carrying HTML, markdown and LaTeX. The browser twin of this file
(tests/browser/test_robustness.py) checks that nothing of it runs as script in Chromium.
"""

from __future__ import annotations

import base64
import json
import re
import zlib

import pytest
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz import edit, files
from nnviz.app import scenes
from nnviz.app.scenes import Scene
from nnviz.ui.files_panel import figure_dot
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W
from tests.app.conftest import live_data, new_app, no_exception
from tests.hostile import HOSTILE, IMG, LINK, TEX, cycle_doc, hostile_network

PAGES = ("pages/network.py", "pages/forward.py", "pages/backprop.py", "pages/training.py", "pages/why.py")
PAPER = nnviz.presets.paper_network()


# ----- helpers -------------------------------------------------------------------------
def _started(query: dict[str, str] | None = None) -> AppTest:
    at = new_app(query)
    at.run()
    no_exception(at)
    return at


def _errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error).replace("\\", "")


def _markdown_texts(at: AppTest) -> list[str]:
    """Every string Streamlit renders as markdown: text elements and widget labels/help."""
    out = [
        str(e.value) for kind in ("markdown", "caption", "error", "warning", "info", "success") for e in at.get(kind)
    ]
    for kind in ("button", "selectbox", "slider", "number_input", "text_input", "toggle", "radio", "multiselect"):
        for w in at.get(kind):
            out.append(str(getattr(w, "label", "")))
            out.append(str(getattr(w.proto, "help", "")))
    return out


def assert_nothing_interpreted(at: AppTest) -> None:
    """No hostile string reaches markdown, LaTeX or the graph unescaped."""
    for text in _markdown_texts(at):
        for bad in (*HOSTILE, "<b>x</b>", ":red[r]", "$$x$$", "**b**"):
            assert bad not in text, f"unescaped {bad!r} in {text[:200]!r}"
    for latex in at.get("latex"):
        assert r"\def" not in str(latex.value), latex.value
    for chart in at.get("graphviz_chart"):
        dot = chart.proto.spec
        assert "URL" not in dot and "href" not in dot
        for label in re.findall(r"label=<(.*?)>\s*(?:color|fillcolor|tooltip|\])", dot):
            assert "<img" not in label and "<b>x" not in label, label  # HTML-like labels are XML-escaped
        # tooltips are DOT strings (the browser shows them as SVG <title> text, never as HTML)


def _upload_network(at: AppTest, data: bytes, name: str = "net.json") -> AppTest:
    at.file_uploader(key=W.UPLOAD).upload(name, data, "application/json").run()
    no_exception(at)
    return at


# ----- hostile ids on every page -------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_hostile_ids_are_shown_literally_on_every_page(page: str) -> None:
    at = _started()
    at.session_state[Keys.NETWORK] = hostile_network()
    at.switch_page(page).run()
    no_exception(at)
    assert_nothing_interpreted(at)
    stepper = {"pages/forward.py": "fwd", "pages/backprop.py": "bwd"}.get(page)
    if stepper:  # the last frame shows every value and label
        at.session_state[f"{stepper}_step"] = 99
        at.run()
        no_exception(at)
        assert_nothing_interpreted(at)


@pytest.mark.parametrize("page", PAGES)
def test_a_big_network_on_every_page(page: str) -> None:
    """10,401 weights: past the block drawing (1,500 edges) and past 4,300-digit grid sizes k^E."""
    at = _started()
    at.session_state[Keys.NETWORK] = edit.layered("1,100,100,1", seed=0)
    at.switch_page(page).run(timeout=120)
    no_exception(at)


def test_a_big_network_offers_the_chosen_neurons_weights_not_all_of_them() -> None:
    """A 10,401-choice list cost megabytes per run and per session (49,000 at the limit network)."""
    at = _started()
    net = edit.layered("1,100,100,1", seed=0)
    at.session_state[Keys.NETWORK] = net
    at.session_state["bwd_tab"] = "Loss as a function of one weight"
    at.switch_page("pages/backprop.py").run(timeout=120)
    no_exception(at)
    nid = at.session_state["bwd_neuron"]
    choices = at.selectbox(key="bwd_edge").options
    assert len(choices) == len(net.incoming(nid)) + len(net.outgoing(nid)) < 300


def test_hostile_ids_reach_the_graph_as_data_and_the_dot_export_escaped() -> None:
    at = _started()
    at.session_state[Keys.NETWORK] = hostile_network()
    at.run()
    no_exception(at)
    ids = [n["id"] for n in live_data(at)["graph"]["neurons"]]  # drawn with textContent by the component
    assert ids == list(hostile_network().ids)
    dot = figure_dot(hostile_network())
    assert "&lt;img s" in dot and "<img" not in dot.split("tooltip")[0]


# ----- sidebar forms ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ("2,0,1", "layer 2 is empty"),
        ("2,,1", "layer 2 is empty"),
        ("10000", "at least two layer sizes"),
        ("2,10000,1", "the limit is"),
        ("100,100,100,100,100,100,100,100,100,100,100", "edges is more than the limit of 50000"),
        ("200,200,200,200,200,200,200,200,200,200,200", "the limit is 2000"),
        ("-1,2", "is not a whole number"),
        ("1e3,1", "is not a whole number"),
        (IMG, "is not a whole number"),
        (LINK, "is not a whole number"),
        (TEX, "is not a whole number"),
        ("", "type the layer sizes"),
    ],
)
def test_bad_layer_sizes_keep_the_network(sizes: str, message: str) -> None:
    at = _started()
    at.selectbox(key=W.PRESET).set_value("layered")
    at.text_input(key=W.SIZES).set_value(sizes)
    at.button(key="FormSubmitter:preset_form-Build network").click().run()
    no_exception(at)
    assert message in _errors(at)
    assert at.session_state[Keys.NETWORK] == PAPER
    assert_nothing_interpreted(at)


def test_an_edge_closing_a_cycle_is_refused() -> None:
    at = _started()
    at.selectbox(key=W.EDGE_SRC).set_value("9")
    at.selectbox(key=W.EDGE_DST).set_value("3")
    at.button(key="FormSubmitter:edge_form-Add edge").click().run()
    no_exception(at)
    assert "would close a cycle" in _errors(at)
    assert at.session_state[Keys.NETWORK] == PAPER


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e300])
def test_non_finite_or_huge_weights_cannot_enter_through_the_form(value: float) -> None:
    """The number input refuses them (it falls back to its default 0); the engine refuses them too."""
    at = _started()
    at.selectbox(key=W.W_SRC).set_value("1")
    at.selectbox(key=W.W_DST).set_value("3")
    at.number_input(key=W.W_VALUE).set_value(value)
    at.button(key="FormSubmitter:weight_form-Set weight").click().run()
    no_exception(at)
    weights = at.session_state[Keys.NETWORK].weights
    assert all(abs(w) <= 1e6 for w in weights)  # finite, within the form's bounds
    with pytest.raises(nnviz.NetworkError, match="finite number"):
        edit.set_weight(PAPER, "1", "3", value)


# ----- the Network page's JSON upload ---------------------------------------------------
def _doc(**change: object) -> dict:
    doc = files.to_dict(nnviz.presets.xor())
    doc.update(change)
    return doc


def _big_doc(n: int = 10_000) -> dict:
    neurons = [{"id": f"i{k}", "role": "input"} for k in range(n - 1)] + [
        {"id": "out", "role": "output", "activation": "identity"}
    ]
    return {"format": files.FORMAT, "neurons": neurons, "edges": [{"from": "i0", "to": "out", "weight": 1}]}


def _first_weight(literal: bytes) -> bytes:
    """The XOR network's file with its first weight written as ``literal`` (raw JSON text)."""
    return re.sub(rb'"weight": [-0-9.e]+', b'"weight": ' + literal, json.dumps(_doc()).encode(), count=1)


_ORPHAN = [*_doc()["neurons"], {"id": "h", "role": "hidden", "activation": "tanh"}]  # an empty layer of inputs
BAD_NETWORK_FILES: list[tuple[str, bytes, str]] = [
    ("cycle", json.dumps(cycle_doc()).encode(), "cycle"),
    ("10,000 neurons", json.dumps(_big_doc()).encode(), "10000 neurons; the limit is 2000"),
    ("NaN weight", _first_weight(b"NaN"), "NaN"),
    ("Infinity weight", _first_weight(b"-Infinity"), "Infinity"),
    ("1e999 weight", _first_weight(b"1e999"), "must be finite"),
    ("huge int weight", _first_weight(b"1" + b"0" * 400), "too large"),
    ("5000-digit weight", _first_weight(b"1" + b"0" * 5000), "not valid JSON"),
    ("not json", b"{this is not json", "not valid JSON"),
    ("binary", bytes(range(256)) * 4, "not UTF-8"),
    ("empty", b"", "empty"),
    ("deep", b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    ("a list", b"[1, 2, 3]", "not a JSON object"),
    ("scenes file", scenes.dumps([Scene(name="x", network=PAPER)]).encode(), "format"),
    ("oversized", b" " * (files.MAX_JSON_BYTES + 1), "the limit is 5,000,000"),
    ("empty layer", json.dumps(_doc(neurons=_ORPHAN)).encode(), "has no incoming edge"),
]


@pytest.mark.parametrize(("case", "data", "message"), BAD_NETWORK_FILES, ids=[c[0] for c in BAD_NETWORK_FILES])
def test_bad_network_files_keep_the_network(case: str, data: bytes, message: str) -> None:
    at = _upload_network(_started(), data, f"{case}.json")
    assert message in _errors(at), _errors(at)
    assert "Not loaded; the network is unchanged" in _errors(at)
    assert at.session_state[Keys.NETWORK] == PAPER


WRONG_TYPES = [1, 1.5, True, None, "text", [], {}]


def _typed_cases() -> list[tuple[str, object]]:
    cases = []
    fields = ("format", "neurons", "edges", "neurons.0", "neurons.0.id", "neurons.0.role", "neurons.2.activation")
    fields += ("neurons.1.value", "edges.0", "edges.0.from", "edges.0.to", "edges.0.weight")
    for path in fields:
        cases += [(path, v) for v in WRONG_TYPES]
    return cases


def _set(doc: dict, path: str, value: object) -> dict:
    parts = path.split(".")
    target: object = doc
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]  # type: ignore[index]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value  # type: ignore[index]
    return doc


@pytest.mark.parametrize(("path", "value"), _typed_cases(), ids=lambda v: repr(v)[:20])
def test_wrong_types_in_every_network_field(path: str, value: object) -> None:
    """Each field of nnviz.network/1 with each wrong JSON type: a message naming it, or (if valid) a load."""
    doc = _set(files.to_dict(PAPER), path, value)
    text = json.dumps(doc).encode()
    try:
        expected = files.from_json(text)
    except nnviz.NetworkError as exc:
        expected = None
        reason = str(exc)
    else:
        reason = ""
    at = _upload_network(_started(), text)
    if expected is None:
        assert reason and reason in _errors(at)
        assert at.session_state[Keys.NETWORK] == PAPER
    else:  # e.g. an activation of null on an input-like neuron, or value 1 for a bias value
        assert at.session_state[Keys.NETWORK] == expected


def test_a_network_file_with_a_byte_order_mark_loads() -> None:
    """Editors on Windows save UTF-8 with a BOM; it was refused ("Unexpected UTF-8 BOM")."""
    at = _upload_network(_started(), b"\xef\xbb\xbf" + files.to_json(nnviz.presets.xor()).encode(), "bom.json")
    assert not at.error, _errors(at)
    assert at.session_state[Keys.NETWORK] == nnviz.presets.xor()


def test_a_hostile_network_file_loads_and_is_shown_literally() -> None:
    at = _upload_network(_started(), files.to_json(hostile_network()).encode(), IMG + ".json")
    assert at.session_state[Keys.NETWORK] == hostile_network()
    assert_nothing_interpreted(at)


# ----- the Training page: CSV upload and huge step sizes ------------------------------------
def _training(form: dict) -> AppTest:
    at = _started()
    at.session_state[Keys.TRAINING_FORM] = form
    at.switch_page("pages/training.py").run()
    no_exception(at)
    return at


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (f"{IMG},{LINK}\n1,2\n3,4\n".encode(), None),
        (f"x,{TEX}\n1,2\n3,4\n".encode(), None),
        (b"x,y\n1,nan\n2,3\n", "finite"),
        (b"x,y\n1,inf\n2,3\n", "finite"),
        (b"x,y\n1,1e999\n2,3\n", "finite"),
        (b"x,y\n1,<img src=x onerror=alert(1)>\n", "is not a number"),
        (b"\x00\x01\x02", "NUL"),
        (b"x,y\n" + b"1,2\n" * 10_001, "limit"),
        (b"x" * 2_000_001, "the limit is 2,000,000"),
    ],
)
def test_hostile_csv_files(raw: bytes, message: str | None) -> None:
    at = _training({"source": "csv", "csv": (IMG + ".csv", raw)})
    assert_nothing_interpreted(at)
    if message:
        assert message in _errors(at), _errors(at)


def test_a_huge_step_size_diverges_visibly_without_a_crash() -> None:
    at = _training({"step": 10.0, "epochs": 3, "restarts": 4})
    at.button(key="FormSubmitter:train_settings_form-Train").click().run()
    no_exception(at)
    job = at.session_state[Keys.TRAINING]
    assert job.result().diverged.all()
    assert "All 4 restarts diverged" in _errors(at)
    assert at.session_state[Keys.NETWORK] == PAPER  # a diverged run does not replace the network


@pytest.mark.parametrize("eta", [1e3, 1e9])
def test_a_huge_sgd_step_on_the_backprop_page(eta: float) -> None:
    """The largest step size the page allows (or beyond: clamped by the widget) never makes weights non-finite."""
    at = _started()
    at.switch_page("pages/backprop.py").run()
    for _ in range(3):
        at.number_input(key="bwd_step_size").set_value(eta)
        at.button(key="bwd_take_step").click().run()
        no_exception(at)
    net = at.session_state[Keys.NETWORK]
    assert all(abs(w) < 1e13 for w in net.weights)
    assert at.error or at.warning or net != PAPER  # a message (overshoot / refused) or a finite step


# ----- URL query parameters ------------------------------------------------------------------
def _net_param(doc: dict) -> str:
    raw = zlib.compress(json.dumps(doc).encode(), 9)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD_QUERIES = [
    {"preset": IMG},
    {"preset": "layered", "sizes": "2,0,1"},
    {"preset": "layered", "sizes": "10000,1"},
    {"preset": "layered", "sizes": LINK},
    {"seed": "1e999"},
    {"seed": TEX},
    {"act": IMG},
    {"net": "!!!not-base64!!!"},
    {"net": "A" * 70_000},
    {"net": _net_param(cycle_doc())},
    {"net": _net_param(_big_doc())},
    {"net": base64.urlsafe_b64encode(zlib.compress(b"0" * 20_000_000)).decode()},  # a zip bomb
    {"present": IMG},
    {"palette": LINK},
]


@pytest.mark.parametrize("query", BAD_QUERIES, ids=lambda q: repr(q)[:40])
def test_bad_url_parameters_give_a_message_and_the_default(query: dict[str, str]) -> None:
    at = _started(query)
    assert at.error, "no message for a bad link"
    assert at.session_state[Keys.NETWORK] == PAPER
    assert at.session_state[Keys.PRESENT] is False
    assert_nothing_interpreted(at)


@pytest.mark.parametrize(("seed", "used"), [("-5", 0), ("99999999999", edit.MAX_SEED)])
def test_a_seed_clamped_from_a_link_is_said(seed: str, used: int) -> None:
    at = _started({"seed": seed})
    assert at.session_state[Keys.SEED] == used
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert f"the link's seed {seed} is outside 0 to 4,294,967,295; {used:,} is used instead" in warnings, warnings


@pytest.mark.parametrize("page", ["pages/training.py", "pages/forward.py", "pages/why.py"])
def test_a_bad_link_opened_on_another_page_says_so_there(page: str) -> None:
    """`/training?seed=abc`: the message was shown only once the user opened the Network page."""
    at = new_app({"seed": "abc"})
    at.switch_page(page).run()
    no_exception(at)
    assert at.title[0].value != "The network"
    assert "The share link could not be used" in _errors(at) and "'abc' is not a whole number" in _errors(at)
    at.switch_page("pages/network.py").run()  # said once, where the link landed
    assert "share link" not in _errors(at)


def test_a_link_to_a_hostile_network_loads_it_literally() -> None:
    at = _started({"net": _net_param(files.to_dict(hostile_network()))})
    assert at.session_state[Keys.NETWORK] == hostile_network()
    assert_nothing_interpreted(at)
