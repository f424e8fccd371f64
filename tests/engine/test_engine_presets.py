"""Presets: XOR really is XOR; layered() builds the sizes, ids, bias neurons and edges it promises."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import nnviz
from nnviz import NetworkError, presets
from tests.engine.engine_reference import ref_forward


def test_xor_truth_table():
    net = presets.xor()
    assert net.inputs == ("1", "2") and len(net.outputs) == 1
    points = list(itertools.product([0.0, 1.0], repeat=2))
    out = nnviz.forward(net, points).output[:, 0]
    for (a, b), o in zip(points, out, strict=True):
        assert abs(o - float(int(a) ^ int(b))) < 0.05, (a, b, o)
        _, z = ref_forward(net, [a, b])
        assert abs(z[net.outputs[0]] - float(int(a) ^ int(b))) < 0.05
    assert net.layers() is not None and len(net.layers()) == 3


def expected_layered(sizes, flags):
    """Ids "1", "2", ... layer by layer, a layer's bias neuron numbered after its other neurons."""
    layers, k = [], 0
    for i, s in enumerate(sizes):
        ids = [str(k + j + 1) for j in range(s)]
        k += s
        bias = None
        if i < len(sizes) - 1 and flags[i]:
            k += 1
            bias = str(k)
        layers.append((ids, bias))
    return layers


@pytest.mark.parametrize(
    ("sizes", "bias"),
    [([1, 1], True), ([2, 2, 1], True), ([3, 5, 4, 2], True), ([2, 3, 1], False), ([2, 3, 3, 1], [True, False, True]),
     ([4, 1], [False])],
)  # fmt: skip
def test_layered_sizes_ids_and_bias(sizes, bias):
    flags = [bias] * (len(sizes) - 1) if isinstance(bias, bool) else bias
    net = presets.layered(sizes, activation="tanh", output_activation="sigmoid", seed=4, bias=bias)
    layers = expected_layered(sizes, flags)
    all_ids = [k for ids, b in layers for k in [*ids, *([b] if b else [])]]
    assert sorted(net.ids, key=int) == sorted(all_ids, key=int)
    assert net.inputs == tuple(layers[0][0])
    assert net.outputs == tuple(layers[-1][0])
    roles = {n.id: n.role for n in net.neurons}
    acts = {n.id: n.activation for n in net.neurons}
    for i, (ids, b) in enumerate(layers):
        for k in ids:
            assert roles[k] == ("input" if i == 0 else "output" if i == len(sizes) - 1 else "hidden")
            if 0 < i < len(sizes) - 1:
                assert acts[k] == "tanh"
            if i == len(sizes) - 1:
                assert acts[k] == "sigmoid"
        if b is not None:
            assert roles[b] == "bias" and net.neuron(b).value == 1.0
    bias_ids = {k for k, r in roles.items() if r == "bias"}
    assert len(bias_ids) == sum(flags)
    expect_edges = set()
    for (src, b), (dst, _) in itertools.pairwise(layers):
        expect_edges |= {(s, d) for s in [*src, *([b] if b else [])] for d in dst}
    assert set(net.edges) == expect_edges
    assert len(net.edges) == len(expect_edges)
    got_layers = [sorted(layer, key=int) for layer in net.layers()]
    assert got_layers == [sorted([*ids, *([b] if b else [])], key=int) for ids, b in layers]


def test_layered_weights_are_seeded_and_scaled():
    a = presets.layered([3, 40, 30, 2], seed=1, scale=0.5)
    b = presets.layered([3, 40, 30, 2], seed=1, scale=0.5)
    c = presets.layered([3, 40, 30, 2], seed=2, scale=0.5)
    assert a == b and a != c
    assert abs(np.std(a.weights) - 0.5) < 0.03  # ~1,500 draws
    assert np.all(presets.layered([2, 3, 1], seed=None).weights == 0.0)


@pytest.mark.parametrize(
    ("sizes", "kwargs"),
    [([], {}), ([3], {}), ([0, 2], {}), ([2, 0, 1], {}), ([-1, 1], {}), ([2, 501, 1], {}),
     ([2, 3, 1], {"bias": [True]}), ([2, 3, 1], {"bias": [True, True, True]}), ([2, 2, 1], {"activation": "nope"}),
     ([2, 1], {"output_activation": "nope"})],
)  # fmt: skip
def test_layered_rejects_bad_arguments(sizes, kwargs):
    with pytest.raises(NetworkError):
        presets.layered(sizes, **kwargs)


def test_every_preset_is_named_and_evaluates():
    assert {"paper", "non_layered", "xor", "layered"} <= set(presets.PRESETS)
    for name in ("paper_network", "non_layered", "xor"):
        net = getattr(presets, name)()
        x = np.zeros((2, len(net.inputs)))
        assert np.isfinite(nnviz.forward(net, x).z).all()
