"""nnviz.kernel_dense: fully connected networks trained one restart at a time give the same bits as the
restarts-side-by-side loops of nnviz.kernel, and the layouts that cannot take it are left to those."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import edit, engine, kernel, kernel_dense, presets, training
from nnviz.activations import NAMES


@pytest.fixture(autouse=True)
def _every_size_dense(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small networks here take the dense loops too (their layouts are built afresh in each test)."""
    monkeypatch.setattr(kernel_dense, "MIN_EDGES", 200)


CASES = [
    ((2, 16, 16, 1), "tanh", "identity", 1, 0.0),
    ((3, 20, 9, 2), "sigmoid", "sigmoid", 1, 0.0),
    ((2, 12, 12, 12, 1), "relu", "identity", 4, 0.01),
    ((1, 30, 8, 1), "leaky_relu", "tanh", 7, 0.1),
    ((2, 40, 6, 1), "softplus", "identity", 1, 0.003),
]


def _both(net, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same restarts ``(R, E)`` as one side-by-side chunk ``(1, E, R)`` and as R dense chunks ``(R, E, 1)``."""
    layout = kernel.layout_for(net)
    assert layout.dense is not None
    plan_order = weights[:, layout.edge_perm]  # (R, E)
    side = np.ascontiguousarray(plan_order.T[None])  # (1, E, R)
    alone = kernel.to_chunks(layout, weights)  # (R, E, 1)
    assert alone.shape == (len(weights), weights.shape[1], 1)
    return side, alone


@pytest.mark.parametrize(("sizes", "act", "out", "batch", "l2"), CASES)
def test_dense_epochs_equal_the_general_loops_bit_for_bit(sizes, act, out, batch, l2) -> None:
    net = presets.layered(sizes, act, out, seed=3)
    rng = np.random.default_rng(sum(sizes))
    weights = rng.normal(0.0, 0.7, (5, len(net.edges)))  # (R, E)
    x, y = rng.normal(size=(23, sizes[0])), rng.normal(size=(23, sizes[-1]))
    layout = kernel.layout_for(net)
    side, alone = _both(net, weights)
    for e in range(3):
        order = rng.permutation(len(x))
        general = kernel.epoch(layout, side, x, y, order, 0.05, batch, l2)  # (R,)
        dense = kernel.epoch(layout, alone, x, y, order, 0.05, batch, l2)  # (R,)
        np.testing.assert_array_equal(dense, general, err_msg=f"losses after epoch {e}")
        np.testing.assert_array_equal(kernel.from_chunks(layout, alone, 5), kernel.from_chunks(layout, side, 5))
    np.testing.assert_array_equal(kernel.mean_loss(layout, alone, x, y), kernel.mean_loss(layout, side, x, y))


def test_dense_training_matches_an_independent_numpy_step() -> None:
    """One per-sample step by hand (numpy matrices, the paper's three steps) against the dense loop."""
    net = presets.layered((2, 16, 16, 1), "tanh", "identity", seed=1)
    layout = kernel.layout_for(net)
    w = kernel.to_chunks(layout, net.weights[None, :])  # (1, E, 1)
    x, y = np.array([[0.3, -0.8]]), np.array([[0.25]])
    kernel.epoch(layout, w, x, y, np.array([0]), 0.1)
    got = kernel.from_chunks(layout, w, 1)[0]  # (E,) network order
    want = _numpy_step(net, x[0], y[0, 0], 0.1)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


def _numpy_step(net, x: np.ndarray, y: float, step: float) -> np.ndarray:
    """w - step * dl/dw for a layered net with a bias "1" per layer, from the engine's own gradient."""
    grads = engine.backward(net, engine.forward(net, x[None, :]), np.array([[y]]))
    return net.weights - step * grads.dl_dw  # (E,)


def test_small_and_irregular_networks_keep_the_side_by_side_loops() -> None:
    assert kernel.layout_for(presets.paper_network()).dense is None  # 12 edges: too small to pay
    assert kernel.layout_for(presets.layered((2, 4, 1))).dense is None
    wide = presets.layered((2, 16, 16, 1))
    assert kernel.layout_for(wide).dense is not None
    cut = edit.remove_edge(wide, wide.edges[40][0], wide.edges[40][1])  # one neuron with fewer sources
    assert kernel.layout_for(cut).dense is None
    assert len(wide.edges) >= kernel_dense.MIN_EDGES


@pytest.mark.parametrize("act", NAMES)
def test_every_activation_trains_alike_in_both_loops(act: str) -> None:
    net = presets.layered((2, 16, 16, 1), act, "identity", seed=0)
    rng = np.random.default_rng(7)
    weights = rng.normal(0.0, 0.5, (3, len(net.edges)))
    x, y = rng.normal(size=(9, 2)), rng.normal(size=(9, 1))
    layout = kernel.layout_for(net)
    side, alone = _both(net, weights)
    np.testing.assert_array_equal(
        kernel.epoch(layout, alone, x, y, np.arange(9), 0.02), kernel.epoch(layout, side, x, y, np.arange(9), 0.02)
    )


def test_public_training_takes_the_dense_loops_and_splits_them_over_threads(monkeypatch) -> None:
    net = presets.layered((2, 16, 16, 1), "tanh", "identity", seed=2)
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(30, 2)), rng.normal(size=(30, 1))
    calls = []
    real = kernel_dense.epoch
    monkeypatch.setattr(kernel_dense, "epoch", lambda w, *a: calls.append(w.shape[0]) or real(w, *a))
    many = training.restarts(net, x, y, restarts=6, epochs=4, step_size=0.05, seed=0)
    monkeypatch.setattr(kernel, "THREADS", 1)
    one = training.restarts(net, x, y, restarts=6, epochs=4, step_size=0.05, seed=0)
    assert (calls and max(calls) < 6) or kernel.THREADS == 1  # the six restarts were split over the threads
    np.testing.assert_array_equal(many.weights, one.weights)
    np.testing.assert_array_equal(many.loss_history, one.loss_history)
