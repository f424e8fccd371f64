"""Network files: round trips, and every malformed document gives NetworkError (never KeyError/TypeError)."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import Network, NetworkError, Neuron, files, presets
from tests.engine.engine_reference import KINKED, SMOOTH, networks

FORMAT = "nnviz.network/1"


def good_doc() -> dict:
    return {
        "format": FORMAT,
        "neurons": [
            {"id": "x", "role": "input", "activation": None, "value": 1.0},
            {"id": "b", "role": "bias", "activation": None, "value": -0.5},
            {"id": "h", "role": "hidden", "activation": "tanh", "value": 1.0},
            {"id": "o", "role": "output", "activation": "identity", "value": 1.0},
        ],
        "edges": [
            {"from": "x", "to": "h", "weight": 0.25},
            {"from": "b", "to": "h", "weight": -1.5},
            {"from": "h", "to": "o", "weight": 2.0},
        ],
    }


def test_good_document_loads_exactly():
    net = nnviz.from_json(json.dumps(good_doc()))
    assert net.ids == ("x", "b", "h", "o")
    assert net.edges == (("x", "h"), ("b", "h"), ("h", "o"))
    np.testing.assert_array_equal(net.weights, [0.25, -1.5, 2.0])
    assert net.neuron("b").value == -0.5
    assert net.neuron("h").activation == "tanh"
    assert nnviz.from_json(json.dumps(good_doc()).encode("utf-8")) == net


def test_value_may_be_omitted_and_defaults_to_one():
    doc = good_doc()
    del doc["neurons"][1]["value"]
    assert nnviz.from_json(json.dumps(doc)).neuron("b").value == 1.0


@pytest.mark.parametrize(
    "net",
    [presets.paper_network(), presets.paper_network("tanh", "sigmoid"), presets.non_layered(), presets.xor(),
     presets.layered([3, 4, 2], seed=3), presets.layered([2, 3, 3, 1], bias=[True, False, True], seed=1)],
    ids=["paper", "paper-tanh", "non_layered", "xor", "layered", "layered-flags"],
)  # fmt: skip
def test_presets_round_trip(net):
    text = nnviz.to_json(net)
    doc = json.loads(text)
    assert doc["format"] == FORMAT
    assert [n["id"] for n in doc["neurons"]] == list(net.ids)
    assert all(set(n) == {"id", "role", "activation", "value"} for n in doc["neurons"])
    assert [(e["from"], e["to"]) for e in doc["edges"]] == list(net.edges)
    assert [e["weight"] for e in doc["edges"]] == list(net.weights)
    back = nnviz.from_json(text)
    assert back == net
    assert back.neurons == net.neurons
    assert files.from_dict(files.to_dict(net)) == net
    assert nnviz.from_json(nnviz.to_json(back)) == net


@settings(max_examples=60, deadline=None)
@given(net=networks(SMOOTH + KINKED + ("step",)))
def test_random_networks_round_trip(net):
    back = nnviz.from_json(nnviz.to_json(net))
    assert back == net
    assert back.neurons == net.neurons
    np.testing.assert_array_equal(back.weights, net.weights)  # bit for bit


def test_awkward_floats_round_trip_bit_for_bit():
    w = [0.1, 1 / 3, -2.5e-308, 5e-324, 123456789.123456789, -0.0, 1e12]
    neurons = [Neuron("x", "input"), Neuron("b", "bias", None, 1 / 7), Neuron("o", "output", "identity")]
    neurons += [Neuron(f"h{k}", "hidden", "sin") for k in range(5)]
    edges = [("x", "o"), ("b", "o")] + [("x", f"h{k}") for k in range(5)]
    net = Network(neurons, edges, w)
    back = nnviz.from_json(nnviz.to_json(net))
    assert back.weights.tobytes() == net.weights.tobytes()
    assert back.neuron("b").value == 1 / 7


@pytest.mark.parametrize("value", [np.float32(0.5), np.int64(2), np.float64(0.25), 3])
def test_to_json_accepts_every_bias_value_network_accepts(value):
    neurons = [Neuron("x", "input"), Neuron("b", "bias", None, value), Neuron("o", "output", "identity")]
    net = Network(neurons, [("x", "o"), ("b", "o")], [1.0, 1.0])
    back = nnviz.from_json(nnviz.to_json(net))
    assert back.neuron("b").value == float(value)


# ----- malformed documents --------------------------------------------------------------------


def mutate(path: tuple, value):
    doc = copy.deepcopy(good_doc())
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(doc)


DELETE = object()
WRONG = [None, True, False, 0, 1.5, "text", [], {}, [1, 2], {"a": 1}]
FIELDS = {
    ("format",): {"nnviz.network/1"},
    ("neurons",): set(),
    ("edges",): set(),
    ("neurons", 0): set(),
    ("edges", 0): set(),
    ("neurons", 1, "id"): {"text"},  # a string id that then leaves edge b->h dangling: still an error
    ("neurons", 2, "role"): set(),
    ("neurons", 2, "activation"): set(),
    ("neurons", 1, "value"): {0, 1.5},
    ("edges", 1, "from"): set(),
    ("edges", 1, "to"): set(),
    ("edges", 1, "weight"): {0, 1.5},
}
WRONG_CASES = [
    (path, v) for path, ok in FIELDS.items() for v in WRONG if not any(type(v) is type(o) and v == o for o in ok)
]


@pytest.mark.parametrize(("path", "value"), WRONG_CASES, ids=[f"{'.'.join(map(str, p))}={v!r}" for p, v in WRONG_CASES])
def test_wrong_type_in_every_field_is_a_network_error(path, value):
    with pytest.raises(NetworkError):
        nnviz.from_json(mutate(path, value))


MISSING = [("format",), ("neurons",), ("edges",), ("neurons", 0, "id"), ("neurons", 2, "role"),
           ("edges", 0, "from"), ("edges", 0, "to"), ("edges", 0, "weight")]  # fmt: skip


@pytest.mark.parametrize("path", MISSING, ids=[".".join(map(str, p)) for p in MISSING])
def test_missing_key_is_a_network_error_naming_it(path):
    with pytest.raises(NetworkError) as info:
        nnviz.from_json(mutate(path, DELETE))
    if path[-1] not in ("format",):
        assert str(path[-1]) in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "{", "nope", "[1, 2", "{'format': 1}", "{\"format\": \"nnviz.network/1\",}", "\ufeff{}", "null",
     "[]", "1", "\"text\"", "true", "{}", "[{\"format\": \"nnviz.network/1\"}]"],
)  # fmt: skip
def test_not_a_network_document(text):
    with pytest.raises(NetworkError):
        nnviz.from_json(text)


@pytest.mark.parametrize("tag", ["nnviz.network/2", "nnviz.network", "NNVIZ.NETWORK/1", " nnviz.network/1", 1, None])
def test_wrong_format_tag(tag):
    with pytest.raises(NetworkError) as info:
        nnviz.from_json(mutate(("format",), tag))
    assert "format" in str(info.value)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("where", ["weight", "value"])
def test_nan_and_infinity_literals_are_rejected(constant, where):
    text = json.dumps(good_doc())
    if where == "weight":
        text = text.replace('"weight": -1.5', f'"weight": {constant}')
    else:
        text = text.replace('"value": -0.5', f'"value": {constant}')
    assert constant in text
    with pytest.raises(NetworkError):
        nnviz.from_json(text)


@pytest.mark.parametrize("literal", ["1e400", "-1e400", "1" + "0" * 400, "-" + "9" * 400, "1" + "0" * 5000, "1e13"])
@pytest.mark.parametrize("where", ["weight", "value"])
def test_huge_numbers_are_rejected(literal, where):
    text = json.dumps(good_doc())
    text = (
        text.replace('"weight": -1.5', f'"weight": {literal}')
        if where == "weight"
        else text.replace('"value": -0.5', f'"value": {literal}')
    )
    with pytest.raises(NetworkError):
        nnviz.from_json(text)


def test_bool_where_number_is_rejected():
    for path in [("edges", 0, "weight"), ("neurons", 1, "value")]:
        for b in (True, False):
            with pytest.raises(NetworkError):
                nnviz.from_json(mutate(path, b))


def test_nested_garbage():
    with pytest.raises(NetworkError):
        nnviz.from_json("[" * 100_000 + "]" * 100_000)
    with pytest.raises(NetworkError):
        nnviz.from_json('{"format": "nnviz.network/1", "neurons": ' + "[" * 50_000 + "]" * 50_000 + ', "edges": []}')
    deep = {"a": None}
    for _ in range(200):
        deep = {"a": deep}
    with pytest.raises(NetworkError):
        nnviz.from_json(mutate(("neurons", 0), deep))
    with pytest.raises(NetworkError):
        nnviz.from_json(mutate(("edges", 0, "weight"), [[[[1.0]]]]))


def test_oversize_documents():
    big = files.MAX_JSON_BYTES + 1
    padded = json.dumps(good_doc()) + " " * big
    with pytest.raises(NetworkError):
        nnviz.from_json(padded)
    with pytest.raises(NetworkError):
        nnviz.from_json(padded.encode())
    doc = good_doc()
    doc["neurons"] += [{"id": f"h{k}", "role": "hidden", "activation": "tanh"} for k in range(nnviz.MAX_NEURONS)]
    with pytest.raises(NetworkError):
        nnviz.from_json(json.dumps(doc))


def test_bytes_that_are_not_utf8_and_non_text_input():
    with pytest.raises(NetworkError):
        nnviz.from_json(b"\xff\xfe\x00{")
    for thing in (None, 5, {"format": FORMAT}, ["x"]):
        with pytest.raises(NetworkError):
            nnviz.from_json(thing)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["edges"].append({"from": "o", "to": "h", "weight": 1.0}),  # cycle
        lambda d: d["edges"].append({"from": "h", "to": "x", "weight": 1.0}),  # into input
        lambda d: d["edges"].append({"from": "x", "to": "h", "weight": 1.0}),  # duplicate edge
        lambda d: d["neurons"].append({"id": "h", "role": "hidden", "activation": "tanh"}),  # duplicate id
        lambda d: d["neurons"][2].update(activation="gelu"),
        lambda d: d["neurons"][2].update(role="visible"),
        lambda d: d["neurons"].append({"id": "", "role": "input", "activation": None}),
        lambda d: d["neurons"].append({"id": "a\nb", "role": "input", "activation": None}),
        lambda d: d["edges"][0].update(to="nowhere"),
        lambda d: d.update(neurons=[n for n in d["neurons"] if n["role"] != "output"]),
    ],
)
def test_invalid_network_inside_a_valid_document(change):
    doc = good_doc()
    change(doc)
    with pytest.raises(NetworkError):
        nnviz.from_json(json.dumps(doc))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_fuzz_replacing_any_part_of_a_document_gives_network_or_network_error(data):
    doc = good_doc()
    paths = [p for p in _paths(doc) if p]
    path = data.draw(st.sampled_from(paths))
    value = data.draw(json_values)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    try:
        text = json.dumps(doc, allow_nan=True)
    except (TypeError, ValueError):
        return
    try:
        net = nnviz.from_json(text)
    except NetworkError:
        return
    assert isinstance(net, Network)


@settings(max_examples=100, deadline=None)
@given(doc=json_values)
def test_fuzz_arbitrary_json_is_never_anything_but_network_error(doc):
    with pytest.raises(NetworkError):
        nnviz.from_json(json.dumps(doc, allow_nan=True))
    with pytest.raises(NetworkError):
        files.from_dict(doc)
