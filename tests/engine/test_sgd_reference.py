"""Vectorised SGD (compiled, all restarts at once) against a plain reference loop.

The reference takes one point at a time, calls the public forward/backward
(the sparse edge-list kernel) and moves the weights by -step * dl/dw: the
paper's algorithm written the slow way. Random acyclic networks cover skip
edges, partial connections (non-contiguous sources), several inputs and
outputs, bias neurons with other values and shuffled neuron and edge order.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import Network, Neuron
from nnviz.activations import NAMES

ACTS = list(NAMES)  # every sigma, kinks and flat steps included
SMOOTH = ["sigmoid", "tanh", "identity", "softplus", "sin"]  # for the deeper layered nets, which relu may blow up


def random_net(rng: np.random.Generator) -> Network:
    n_in, n_hid, n_out, n_bias = (
        int(v) for v in (rng.integers(1, 4), rng.integers(1, 7), rng.integers(1, 3), rng.integers(0, 3))
    )
    sources = [f"i{k}" for k in range(n_in)] + [f"b{k}" for k in range(n_bias)]
    neurons = [Neuron(i, "input") for i in sources[:n_in]]
    neurons += [Neuron(b, "bias", value=float(rng.normal())) for b in sources[n_in:]]
    computing = [f"h{k}" for k in range(n_hid)] + [f"o{k}" for k in range(n_out)]
    rng.shuffle(computing)
    edges = []
    for c in computing:
        neurons.append(Neuron(c, "output" if c.startswith("o") else "hidden", str(rng.choice(ACTS))))
        for s in rng.choice(sources, size=int(rng.integers(1, len(sources) + 1)), replace=False):
            edges.append((str(s), c))
        sources.append(c)
    neurons = [neurons[i] for i in rng.permutation(len(neurons))]
    edges = [edges[i] for i in rng.permutation(len(edges))]
    return Network(neurons, edges, rng.normal(0.0, 0.7, len(edges)))


def reference_sgd(net: Network, w: np.ndarray, X, Y, step: float, epochs: int, order_seed=None):
    rng = np.random.default_rng(order_seed) if order_seed is not None else None
    history = [nnviz.loss(net.with_weights(w), X, Y).mean()]
    for _ in range(epochs):
        for i in rng.permutation(len(X)) if rng is not None else range(len(X)):
            current = net.with_weights(w)
            w = w - step * nnviz.backward(current, nnviz.forward(current, X[i]), Y[i]).dl_dw
        history.append(nnviz.loss(net.with_weights(w), X, Y).mean())
    return w, np.array(history)


@pytest.mark.parametrize("case", range(40))
def test_restarts_match_reference_loop(case: int) -> None:
    rng = np.random.default_rng(case)
    net = random_net(rng)
    X = rng.normal(size=(5, len(net.inputs)))
    Y = rng.normal(size=(5, len(net.outputs)))
    shuffle = case if case % 2 else None
    result = nnviz.restarts(
        net, X, Y, restarts=4, seed=case, init_scale=0.5, step_size=0.02, epochs=3, shuffle_seed=shuffle
    )
    for r in range(4):
        w, history = reference_sgd(net, result.initial_weights[r], X, Y, 0.02, 3, shuffle)
        np.testing.assert_allclose(result.weights[r], w, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(result.loss_history[r], history, rtol=1e-9, atol=1e-12)


def test_paper_network_many_restarts_match_reference() -> None:
    net = nnviz.presets.paper_network()
    X = np.linspace(-2, 2, 8)[:, None]
    Y = np.sin(2 * X)
    result = nnviz.restarts(net, X, Y, restarts=300, seed=1, step_size=0.1, epochs=4)
    for r in (0, 123, 299):
        w, history = reference_sgd(net, result.initial_weights[r], X, Y, 0.1, 4)
        np.testing.assert_allclose(result.weights[r], w, rtol=1e-9)
        np.testing.assert_allclose(result.loss_history[r], history, rtol=1e-9)
    assert result.best == int(np.argmin(result.final_loss))


@pytest.mark.parametrize("case", range(12))
def test_layered_with_missing_edges_matches_reference(case: int) -> None:
    # Layered networks with edges removed: a level's sources are then a scattered
    # subset of the previous layer.
    rng = np.random.default_rng(100 + case)
    full = nnviz.presets.layered([2, 4, 3, 1], activation=str(rng.choice(SMOOTH)), seed=case, scale=0.7)
    keep = [e for e in full.edges if rng.random() > 0.3 or not full.neuron(e[0]).computes]
    kept_targets = {d for _, d in keep}
    for e in full.edges:  # every computing neuron keeps at least one incoming edge
        if e[1] not in kept_targets:
            keep.append(e)
            kept_targets.add(e[1])
    net = Network(full.neurons, keep, [full.weight(*e) for e in keep])
    assert net.layers() is not None
    X = rng.normal(size=(6, 2))
    Y = rng.normal(size=(6, 1))
    result = nnviz.restarts(net, X, Y, restarts=3, seed=case, init_scale=0.7, step_size=0.05, epochs=3)
    for r in range(3):
        w, history = reference_sgd(net, result.initial_weights[r], X, Y, 0.05, 3)
        np.testing.assert_allclose(result.weights[r], w, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(result.loss_history[r], history, rtol=1e-9, atol=1e-12)
