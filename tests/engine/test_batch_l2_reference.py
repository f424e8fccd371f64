"""Mini-batch SGD with L2 (``batch_size``, ``l2``) against references that do not use the compiled kernel.

The reference loop takes each batch of B consecutive points of the epoch's order
(the last batch may be shorter), gets every point's dl/dw from the public
numpy ``forward``/``backward`` (the plan-based engine, not :mod:`nnviz.kernel`),
averages them, and moves w by ``-step * (mean + l2 * w)`` with no L2 on the
edges leaving bias neurons. A finite-difference check on the plain-Python
reference loss of :mod:`tests.engine.engine_reference` confirms that one
batch step is ``-step * (gradient of the batch's mean loss + l2 * w masked)``.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import Network, Neuron
from nnviz.training import initial_weights
from tests.engine.engine_reference import ref_loss
from tests.engine.test_sgd_reference import SMOOTH, random_net


def decay_mask(net: Network) -> np.ndarray:
    """1 for every edge ``(E,)`` except those leaving a bias neuron."""
    return np.array([net.neuron(s).role != "bias" for s, _ in net.edges], dtype=float)


def point_gradient(net: Network, w: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dl/dw ``(E,)`` of one point by the numpy engine."""
    current = net.with_weights(w)
    return np.asarray(nnviz.backward(current, nnviz.forward(current, x), y).dl_dw).reshape(-1)


def reference_batched(
    net: Network,
    w: np.ndarray,
    X: np.ndarray,
    Y: np.ndarray,
    step: float,
    epochs: int,
    batch: int,
    l2: float,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Final weights ``(E,)``, mean loss before and after each epoch ``(epochs + 1,)``, weights per epoch."""
    rng = np.random.default_rng(seed) if seed is not None else None
    mask = decay_mask(net)
    s = len(X)
    history = [nnviz.loss(net.with_weights(w), X, Y).mean()]
    path = [w]
    for _ in range(epochs):
        order = rng.permutation(s) if rng is not None else np.arange(s)
        for lo in range(0, s, batch):
            grads = [point_gradient(net, w, X[i], Y[i]) for i in order[lo : lo + batch]]
            w = w - step * (np.mean(grads, axis=0) + l2 * mask * w)
        history.append(nnviz.loss(net.with_weights(w), X, Y).mean())
        path.append(w)
    return w, np.array(history), path


def smooth(net: Network) -> Network:
    """``net`` with every kinked or flat activation swapped for a smooth one (for finite differences)."""
    neurons = [
        Neuron(n.id, n.role, SMOOTH[k % len(SMOOTH)], n.value) if n.activation in ("relu", "leaky_relu", "step") else n
        for k, n in enumerate(net.neurons)
    ]
    return Network(neurons, net.edges, net.weights)


def layered_net(case: int) -> Network:
    rng = np.random.default_rng(500 + case)
    sizes = [2, int(rng.integers(2, 6)), int(rng.integers(1, 5)), 1]
    return nnviz.presets.layered(sizes, activation=str(rng.choice(SMOOTH)), seed=case, scale=0.7)


# (S, B): full batches, a last short batch, B = S, B > S, B = 1 with L2
SHAPES = [(6, 3), (7, 3), (7, 2), (5, 5), (5, 10), (4, 1), (9, 4)]


@pytest.mark.parametrize("case", range(28))
def test_random_networks_match_the_reference(case: int) -> None:
    rng = np.random.default_rng(case)
    net = random_net(rng) if case % 2 else layered_net(case)
    s, batch = SHAPES[case % len(SHAPES)]
    l2 = (0.0, 0.01, 0.3)[case % 3] if batch > 1 else 0.05
    X = rng.normal(size=(s, len(net.inputs)))
    Y = rng.normal(size=(s, len(net.outputs)))
    shuffle = case if case % 4 < 2 else None
    result = nnviz.restarts(
        net, X, Y, 4, case, 0.5, 0.03, 3, shuffle, record="all", batch_size=batch, l2=l2
    )  # fmt: skip
    assert not result.diverged.any()
    for r in range(4):
        w, history, path = reference_batched(net, result.initial_weights[r], X, Y, 0.03, 3, batch, l2, shuffle)
        np.testing.assert_allclose(result.weights[r], w, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(result.loss_history[r], history, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(result.weight_history[r], path, rtol=1e-10, atol=1e-12)


def test_paper_network_threaded_chunks_match_the_reference() -> None:
    """Enough restarts for several chunks (threads): each restart still matches its own reference."""
    net = nnviz.presets.paper_network()
    X = np.linspace(-2, 2, 11)[:, None]
    Y = np.sin(2 * X)
    result = nnviz.restarts(net, X, Y, 700, 2, 1.0, 0.1, 3, shuffle_seed=5, batch_size=4, l2=0.02)
    for r in (0, 350, 699):
        w, history, _ = reference_batched(net, result.initial_weights[r], X, Y, 0.1, 3, 4, 0.02, 5)
        np.testing.assert_allclose(result.weights[r], w, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(result.loss_history[r], history, rtol=1e-10, atol=1e-12)


def test_sgd_is_train_from_the_network_weights() -> None:
    net = layered_net(3)
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1))
    one = nnviz.sgd(net, X, Y, 0.05, 4, shuffle_seed=1, batch_size=3, l2=0.1)
    w, history, _ = reference_batched(net, net.weights, X, Y, 0.05, 4, 3, 0.1, 1)
    np.testing.assert_allclose(one.weights[0], w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(one.loss_history[0], history, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", range(6))
def test_one_batch_step_is_minus_step_times_the_regularised_gradient(case: int) -> None:
    """Central differences of the plain-Python mean batch loss, plus l2 * w on the non-bias weights."""
    rng = np.random.default_rng(40 + case)
    net = smooth(random_net(rng)) if case % 2 else layered_net(case)
    net = net.with_weights(rng.normal(0.0, 0.6, len(net.edges)))
    b = int(rng.integers(2, 6))
    X, Y = rng.normal(size=(b, len(net.inputs))), rng.normal(size=(b, len(net.outputs)))
    step, l2 = 0.1, 0.2
    after = nnviz.sgd(net, X, Y, step, 1, batch_size=b, l2=l2).weights[0]

    def batch_loss(w: np.ndarray) -> float:
        return sum(ref_loss(net, x, y, list(w)) for x, y in zip(X, Y, strict=True)) / b

    eps, w0 = 1e-6, net.weights
    grad = np.array([(batch_loss(w0 + eps * e) - batch_loss(w0 - eps * e)) / (2 * eps) for e in np.eye(w0.size)])
    expected = w0 - step * (grad + l2 * decay_mask(net) * w0)
    np.testing.assert_allclose(after, expected, rtol=0, atol=1e-7)
    moved = np.abs(after - w0)
    assert moved.max() > 1e-3  # the step is large enough for the check to mean something


def test_l2_spares_the_bias_weights_only() -> None:
    """With zero gradient (identity net fitting its own output) L2 alone shrinks the non-bias weights."""
    net = nnviz.presets.layered([2, 3, 1], activation="identity", seed=1, scale=0.8)
    X = np.random.default_rng(0).normal(size=(5, 2))
    Y = nnviz.forward(net, X).output.reshape(5, 1)  # the net already fits: every dl/dw is 0
    after = nnviz.sgd(net, X, Y, 0.1, 1, batch_size=5, l2=0.5).weights[0]
    mask = decay_mask(net).astype(bool)
    assert mask.any() and not mask.all()
    np.testing.assert_allclose(after[mask], net.weights[mask] * (1 - 0.1 * 0.5), rtol=1e-13)
    np.testing.assert_allclose(after[~mask], net.weights[~mask], rtol=1e-13)


@pytest.mark.parametrize(("s", "batch", "shuffle"), [(7, 3, 2), (6, 3, None), (6, 2, 4), (5, 8, 1), (5, 1, 3)])
def test_sgd_paths_follow_the_batched_run(s: int, batch: int, shuffle: int | None) -> None:
    rng = np.random.default_rng(s * 10 + batch)
    net = layered_net(batch)
    X, Y = rng.normal(size=(s, 2)), rng.normal(size=(s, 1))
    w0 = initial_weights(net, 3, 4, 0.6)
    run = nnviz.train(net, X, Y, w0, 0.05, 9, shuffle, record="all", batch_size=batch, l2=0.03)
    paths = nnviz.sgd_paths(net, X, Y, w0, 0.05, 9, shuffle, points=4, batch_size=batch, l2=0.03)
    np.testing.assert_array_equal(paths.epochs, [0, 3, 6, 9])
    np.testing.assert_allclose(paths.weights, run.weight_history[:, paths.epochs], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(paths.final, run.weights, rtol=1e-12, atol=1e-14)


def test_divergence_with_batches_keeps_the_last_finite_weights() -> None:
    net = nnviz.presets.layered([1, 4, 1], activation="identity", seed=0, scale=1.0)
    X = np.linspace(-1, 1, 9)[:, None]
    Y = 2 * X
    w0 = initial_weights(net, 40, 1, 2.0)
    run = nnviz.train(net, X, Y, w0, 0.1, 30, 1, record="all", batch_size=4, l2=0.01)
    assert run.diverged.any() and not run.diverged.all()
    for r in np.flatnonzero(run.diverged):
        last = np.flatnonzero(np.isfinite(run.loss_history[r]))[-1]
        np.testing.assert_array_equal(run.weights[r], run.weight_history[r, last])
        assert np.isnan(run.weight_history[r, last + 1 :]).all()
    alive = np.flatnonzero(~run.diverged)
    alone = nnviz.train(net, X, Y, w0[alive], 0.1, 30, 1, batch_size=4, l2=0.01)
    np.testing.assert_array_equal(alone.weights, run.weights[alive])
    pick = np.r_[np.flatnonzero(run.diverged)[:5], alive[:5]]  # (10,) five of each
    paths = nnviz.sgd_paths(net, X, Y, w0[pick], 0.1, 30, 1, points=7, batch_size=4, l2=0.01)
    np.testing.assert_array_equal(paths.diverged, run.diverged[pick])
    np.testing.assert_array_equal(paths.final, run.weights[pick])
