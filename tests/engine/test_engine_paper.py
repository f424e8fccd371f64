"""The paper's network (Figures 1-5) computed by hand, equation by equation, with math.exp.

Forward: z_3 = sigma_3(w_{1,3} x + w_{2,3}), ..., z_6 = sigma_6(w_{3,6} z_3 + w_{4,6} z_4 + w_{5,6}).
Backward in the paper's three steps, with the corrected dl/dz_9 = -2 (y - z_9) and the
"advanced chain rule" for neuron 4, which feeds both 6 and 7.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nnviz
from nnviz import presets
from tests.engine.engine_reference import REF_ACTIVATIONS

EDGES = [
    ("1", "3"), ("2", "3"), ("1", "4"), ("2", "4"),
    ("3", "6"), ("4", "6"), ("5", "6"), ("4", "7"), ("5", "7"),
    ("6", "9"), ("7", "9"), ("8", "9"),
]  # fmt: skip
POINTS = [(0.5, 0.3), (-1.3, 1.0), (2.0, -0.7)]


def sig(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


HIDDEN = {
    "sigmoid": (sig, lambda z: z * (1.0 - z)),
    "tanh": (math.tanh, lambda z: 1.0 - z * z),
}


def paper_weights() -> dict[tuple[str, str], float]:
    return dict(zip(presets.PAPER_EDGES, presets.PAPER_WEIGHTS, strict=True))


def by_hand(x: float, y: float, act: str = "sigmoid") -> dict[str, dict]:
    """Every a_k, z_k, dl/da_k, dl/dz_k, dl/dw_{i,j} and l for one point, by hand."""
    f, dfz = HIDDEN[act]
    w = paper_weights()
    a, z = {}, {}
    z["1"] = a["1"] = x
    z["2"] = z["5"] = z["8"] = 1.0
    a["3"] = w["1", "3"] * z["1"] + w["2", "3"] * z["2"]
    z["3"] = f(a["3"])
    a["4"] = w["1", "4"] * z["1"] + w["2", "4"] * z["2"]
    z["4"] = f(a["4"])
    a["6"] = w["3", "6"] * z["3"] + w["4", "6"] * z["4"] + w["5", "6"]
    z["6"] = f(a["6"])
    a["7"] = w["4", "7"] * z["4"] + w["5", "7"]
    z["7"] = f(a["7"])
    a["9"] = w["6", "9"] * z["6"] + w["7", "9"] * z["7"] + w["8", "9"]
    z["9"] = a["9"]  # identity output
    loss = (y - z["9"]) ** 2
    dz, da = {}, {}
    # Step 1: the last layer.
    dz["9"] = -2.0 * (y - z["9"])
    da["9"] = dz["9"] * 1.0
    # Step 2: layer by layer backwards.
    dz["6"] = da["9"] * w["6", "9"]
    dz["7"] = da["9"] * w["7", "9"]
    dz["8"] = da["9"] * w["8", "9"]
    da["6"] = dz["6"] * dfz(z["6"])
    da["7"] = dz["7"] * dfz(z["7"])
    dz["3"] = da["6"] * w["3", "6"]
    dz["4"] = da["6"] * w["4", "6"] + da["7"] * w["4", "7"]  # 4 feeds 6 and 7
    dz["5"] = da["6"] * w["5", "6"] + da["7"] * w["5", "7"]
    da["3"] = dz["3"] * dfz(z["3"])
    da["4"] = dz["4"] * dfz(z["4"])
    dz["1"] = da["3"] * w["1", "3"] + da["4"] * w["1", "4"]
    dz["2"] = da["3"] * w["2", "3"] + da["4"] * w["2", "4"]
    # Step 3: dl/dw_{i,j} = dl/da_j * z_i.
    dw = {(i, j): da[j] * z[i] for i, j in EDGES}
    return {"a": a, "z": z, "dz": dz, "da": da, "dw": dw, "loss": loss}


def test_paper_network_structure():
    net = presets.paper_network()
    assert net.ids == tuple("123456789")
    roles = {n.id: n.role for n in net.neurons}
    assert roles == {
        "1": "input", "2": "bias", "3": "hidden", "4": "hidden", "5": "bias",
        "6": "hidden", "7": "hidden", "8": "bias", "9": "output",
    }  # fmt: skip
    assert sorted(net.edges) == sorted(EDGES)
    assert len(net.weights) == 12
    assert ("3", "7") not in net.edges  # 3 feeds 6 only
    for n in net.neurons:
        if n.role in ("hidden",):
            assert n.activation == "sigmoid"
        if n.role == "output":
            assert n.activation == "identity"
        if n.role == "bias":
            assert n.value == 1.0
    for (s, d), w in paper_weights().items():
        assert net.weight(s, d) == w
    assert net.inputs == ("1",)
    assert net.outputs == ("9",)


@pytest.mark.parametrize("act", ["sigmoid", "tanh"])
@pytest.mark.parametrize(("x", "y"), POINTS)
def test_forward_by_hand(x, y, act):
    net = presets.paper_network(activation=act)
    hand = by_hand(x, y, act)
    trace = nnviz.forward(net, [x])
    assert trace.a.shape == (1, 9)
    for k in "134679":
        assert trace.a_of(k)[0] == pytest.approx(hand["a"][k], rel=1e-13, abs=1e-15), k
        assert trace.z_of(k)[0] == pytest.approx(hand["z"][k], rel=1e-13, abs=1e-15), k
    for k in "258":
        assert trace.z_of(k)[0] == 1.0
    assert trace.output.shape == (1, 1)
    assert trace.output[0, 0] == pytest.approx(hand["z"]["9"], rel=1e-13)
    assert nnviz.loss(net, [x], [y])[0] == pytest.approx(hand["loss"], rel=1e-12)


@pytest.mark.parametrize("act", ["sigmoid", "tanh"])
@pytest.mark.parametrize(("x", "y"), POINTS)
def test_backward_by_hand(x, y, act):
    net = presets.paper_network(activation=act)
    hand = by_hand(x, y, act)
    g = nnviz.backward(net, nnviz.forward(net, [x]), [y])
    assert g.loss[0] == pytest.approx(hand["loss"], rel=1e-12)
    for k in "34679":
        assert g.dl_da_of(k)[0] == pytest.approx(hand["da"][k], rel=1e-11, abs=1e-14), f"dl/da_{k}"
    for k in "123456789":
        assert g.dl_dz_of(k)[0] == pytest.approx(hand["dz"][k], rel=1e-11, abs=1e-14), f"dl/dz_{k}"
    for (i, j), v in hand["dw"].items():
        assert g.dl_dw_of(i, j) == pytest.approx(v, rel=1e-11, abs=1e-14), f"dl/dw_{i},{j}"
        assert g.dl_dw[net.edge_index[i, j]] == pytest.approx(v, rel=1e-11, abs=1e-14)


def test_dl_dz9_is_minus_two_residual_not_two_z9():
    """The paper prints dl/dz_9 = 2 z_9; the engine must use -2 (y - z_9)."""
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    z9 = float(trace.output[0, 0])
    y = z9 + 0.25
    g = nnviz.backward(net, trace, [y])
    assert g.dl_dz_of("9")[0] == pytest.approx(-0.5, rel=1e-12)
    assert g.dl_dz_of("9")[0] != pytest.approx(2 * z9)


def test_batch_of_the_three_points_by_hand():
    net = presets.paper_network()
    xs = [[x] for x, _ in POINTS]
    ys = [[y] for _, y in POINTS]
    g = nnviz.backward(net, nnviz.forward(net, xs), ys)
    hands = [by_hand(x, y) for x, y in POINTS]
    np.testing.assert_allclose(g.loss, [h["loss"] for h in hands], rtol=1e-12)
    for i, j in EDGES:
        total = math.fsum(h["dw"][i, j] for h in hands)
        assert g.dl_dw_of(i, j) == pytest.approx(total, rel=1e-11, abs=1e-14)
        col = net.edge_index[i, j]
        np.testing.assert_allclose(g.dl_dw_points[:, col], [h["dw"][i, j] for h in hands], rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(g.dl_dz_of("4"), [h["dz"]["4"] for h in hands], rtol=1e-11)


def test_paper_layers_and_levels():
    net = presets.paper_network()
    assert net.layers() == [["1", "2"], ["3", "4", "5"], ["6", "7", "8"], ["9"]]
    assert net.layering_problem() is None
    assert [sorted(level) for level in net.levels] == [["1", "2", "5", "8"], ["3", "4"], ["6", "7"], ["9"]]
    assert net.stages() == [["1", "2"], ["3", "4", "5"], ["6", "7", "8"], ["9"]]
    pos = {k: i for i, k in enumerate(net.topological_order)}
    assert sorted(pos) == list("123456789")
    assert all(pos[s] < pos[d] for s, d in net.edges)


def test_non_layered_example():
    net = presets.non_layered()
    assert set(net.ids) == {"A", "B", "C"}
    assert set(net.edges) == {("A", "B"), ("A", "C"), ("B", "C")}
    assert net.layers() is None
    problem = net.layering_problem()
    assert isinstance(problem, str)
    assert "B->C" in problem or "A->C" in problem, problem
    assert net.levels == [["A"], ["B"], ["C"]]
    assert net.stages() == [["A"], ["B"], ["C"]]
    # It is still evaluated, in topological order: C = sigma_C(w_AC x + w_BC sigma_B(w_AB x)).
    sigma = {n.id: n.activation for n in net.neurons}
    fb, fc = REF_ACTIVATIONS[sigma["B"]][0], REF_ACTIVATIONS[sigma["C"]][0]
    for x in (-1.5, 0.3, 2.0):
        zb = fb(net.weight("A", "B") * x)
        zc = fc(net.weight("A", "C") * x + net.weight("B", "C") * zb)
        trace = nnviz.forward(net, [x])
        assert trace.z_of("B")[0] == pytest.approx(zb, rel=1e-13)
        assert trace.output[0, 0] == pytest.approx(zc, rel=1e-13)


def test_permuted_paper_network_gives_the_same_numbers():
    """Neuron order and edge order are presentation only."""
    net = presets.paper_network()
    rng = np.random.default_rng(5)
    neurons = [net.neurons[i] for i in rng.permutation(9)]
    perm = rng.permutation(12)
    edges = [net.edges[i] for i in perm]
    shuffled = nnviz.Network(neurons, edges, net.weights[perm])
    assert [sorted(layer) for layer in shuffled.layers()] == [["1", "2"], ["3", "4", "5"], ["6", "7", "8"], ["9"]]
    xs, ys = [[-1.0], [0.4], [1.7]], [[0.2], [-0.3], [0.9]]
    g1 = nnviz.backward(net, nnviz.forward(net, xs), ys)
    g2 = nnviz.backward(shuffled, nnviz.forward(shuffled, xs), ys)
    np.testing.assert_array_equal(g1.loss, g2.loss)
    for k in net.ids:
        np.testing.assert_allclose(g1.dl_dz_of(k), g2.dl_dz_of(k), rtol=1e-14, atol=1e-15)
    for s, d in net.edges:
        np.testing.assert_allclose(g1.dl_dw_of(s, d), g2.dl_dw_of(s, d), rtol=1e-14, atol=1e-15)
