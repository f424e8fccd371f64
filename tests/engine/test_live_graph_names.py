"""The live graph's input neurons named after their input features (graph_data's ``input_names``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnviz import presets
from nnviz.app.live_graph import MAX_INPUT_NAME, Point, graph_data
from nnviz.engine import forward
from nnviz.network import NetworkError


def _titles(data: dict) -> dict[str, str]:
    return {n["id"]: n["title"] for n in data["neurons"]}


def test_input_neurons_take_the_features_names_and_the_others_keep_sigma_k() -> None:
    net = presets.layered([2, 3, 1])
    plain = graph_data(net, None, Point(x=np.zeros(2)))
    named = graph_data(net, forward(net, np.zeros(2)), Point(x=np.zeros(2)), input_names=["x1²", "sin x1"])
    a, b = net.inputs
    assert _titles(named)[a] == "x1²" and _titles(named)[b] == "sin x1"
    assert _titles(plain)[a] != "x1²"
    others = [i for i in net.ids if i not in net.inputs]
    assert [_titles(named)[i] for i in others] == [_titles(plain)[i] for i in others]
    tip = next(n["tip"] for n in named["neurons"] if n["id"] == a)
    assert tip[0].startswith(f"neuron {a}: input x1²")


def test_hostile_names_travel_as_data_cut_and_without_control_characters() -> None:
    net = presets.layered([1, 2, 1])
    evil = "<img src=x onerror=alert(1)>\n\x00" + "y" * 40
    data = graph_data(net, None, Point(x=np.zeros(1)), input_names=[evil])
    title = _titles(data)[net.inputs[0]]
    assert title == "<img src=x onerror=alert(1)>"[:MAX_INPUT_NAME]  # drawn with textContent, never as markup
    assert "\n" not in json.loads(json.dumps(data))["neurons"][0]["title"]


@pytest.mark.parametrize("names", [["x1"], ["x1", "x2", "x3"], "x1x2", [1, 2]])
def test_input_names_must_be_one_string_per_input(names: object) -> None:
    net = presets.layered([2, 2, 1])
    with pytest.raises(NetworkError, match="input_names"):
        graph_data(net, None, Point(x=np.zeros(2)), input_names=names)
