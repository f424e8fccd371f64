"""The paper's SGD over restarts: per-sample steps, mean-loss history, restarts = separate runs, divergence."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import Network, Neuron, presets
from tests.engine.engine_reference import (
    KINKED,
    REF_ACTIVATIONS,
    SMOOTH,
    batches,
    networks,
    ref_forward,
    ref_loss,
    ref_order,
)

X8 = np.linspace(-2.0, 2.0, 8)[:, None]  # (S, 1)
Y8 = np.sin(2.0 * X8)  # (S, 1)


def own_sgd_epoch(net: Network, w: np.ndarray, X, Y, step: float, order=None) -> np.ndarray:
    """One epoch of the paper's SGD, point by point, with the public forward/backward."""
    w = np.array(w, dtype=float)
    for i in order if order is not None else range(len(X)):
        cur = net.with_weights(w)
        g = nnviz.backward(cur, nnviz.forward(cur, X[i]), Y[i])
        w = w - step * g.dl_dw
    return w


def ref_mean_loss(net: Network, w, X, Y) -> float:
    return math.fsum(ref_loss(net, x, y, w) for x, y in zip(X, Y, strict=True)) / len(X)


def ref_sgd_epoch(net: Network, w, X, Y, step: float) -> list[float]:
    """The same epoch with no engine at all: gradients by the plain-Python reference and the chain rule."""
    w = [float(v) for v in w]
    for x, y in zip(X, Y, strict=True):
        a, z = ref_forward(net, x, w)
        # backprop by hand, walking the reference order backwards
        dz = dict.fromkeys(net.ids, 0.0)
        outs = [n.id for n in net.neurons if n.role == "output"]
        for k, yk in zip(outs, y, strict=True):
            dz[k] += -2.0 * (yk - z[k])
        da = {}
        grads = [0.0] * len(w)
        by_id = {n.id: n for n in net.neurons}
        for k in reversed(ref_order(net)):
            n = by_id[k]
            if n.role not in ("hidden", "output"):
                continue
            da[k] = dz[k] * REF_ACTIVATIONS[n.activation][1](a[k])
            for e, (s, d) in enumerate(net.edges):
                if d == k:
                    grads[e] = da[k] * z[s]
                    dz[s] += da[k] * w[e]
        w = [wi - step * gi for wi, gi in zip(w, grads, strict=True)]
    return w


def test_one_epoch_is_per_sample_steps_with_own_loop():
    net = presets.paper_network()
    X, Y = X8[:5], Y8[:5]
    res = nnviz.sgd(net, X, Y, step_size=0.3, epochs=1)
    ours = own_sgd_epoch(net, net.weights, X, Y, 0.3)
    np.testing.assert_allclose(res.weights[0], ours, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(res.weights[0], ref_sgd_epoch(net, net.weights, X, Y, 0.3), rtol=1e-11, atol=1e-13)
    # not full-batch gradient descent: that would give different weights
    full = nnviz.backward(net, nnviz.forward(net, X), Y).dl_dw
    assert not np.allclose(res.weights[0], net.weights - 0.3 * full, rtol=1e-6)
    assert not np.allclose(res.weights[0], net.weights - 0.3 * full / len(X), rtol=1e-6)
    assert res.initial_weights.shape == (1, 12)
    np.testing.assert_array_equal(res.initial_weights[0], net.weights)


@pytest.mark.parametrize("net", [presets.paper_network(), presets.non_layered(), presets.xor()], ids=str)
def test_history_and_weights_over_epochs_match_own_loop(net):
    rng = np.random.default_rng(11)
    n_in, n_out = len(net.inputs), len(net.outputs)
    X = rng.uniform(-1, 1, (6, n_in))
    Y = rng.uniform(-1, 1, (6, n_out))
    w0 = rng.normal(0, 0.8, len(net.edges))
    start = net.with_weights(w0)
    res = nnviz.sgd(start, X, Y, step_size=0.05, epochs=4)
    assert res.loss_history.shape == (1, 5)
    assert res.epochs_run == 4
    assert res.steps == 4 * 6
    w = w0
    expect = [ref_mean_loss(net, w, X, Y)]
    for _ in range(4):
        w = own_sgd_epoch(net, w, X, Y, 0.05)
        expect.append(ref_mean_loss(net, w, X, Y))
    np.testing.assert_allclose(res.loss_history[0], expect, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(res.weights[0], w, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(res.final_loss, [expect[-1]], rtol=1e-11)
    assert not res.diverged[0]
    assert res.network(0).edges == net.edges
    np.testing.assert_allclose(res.best_network.weights, w, rtol=1e-11, atol=1e-14)


def test_step_size_zero_changes_nothing_and_history_is_flat():
    net = presets.paper_network()
    res = nnviz.sgd(net, X8, Y8, step_size=0.0, epochs=3)
    np.testing.assert_array_equal(res.weights[0], net.weights)
    mean = float(np.mean(nnviz.loss(net, X8, Y8)))
    np.testing.assert_allclose(res.loss_history[0], [mean] * 4, rtol=1e-13)


def test_epochs_zero_records_only_the_initial_loss():
    net = presets.paper_network()
    res = nnviz.sgd(net, X8, Y8, step_size=0.1, epochs=0)
    assert res.loss_history.shape == (1, 1)
    assert res.loss_history[0, 0] == pytest.approx(ref_mean_loss(net, net.weights, X8, Y8), rel=1e-12)
    np.testing.assert_array_equal(res.weights[0], net.weights)


@pytest.mark.parametrize("shuffle_seed", [None, 7])
def test_restart_r_equals_sgd_from_its_initial_weights(shuffle_seed):
    net = presets.paper_network()
    res = nnviz.restarts(
        net, X8, Y8, restarts=6, seed=3, init_scale=1.5, step_size=0.2, epochs=15, shuffle_seed=shuffle_seed
    )
    assert res.initial_weights.shape == res.weights.shape == (6, 12)
    assert res.loss_history.shape == (6, 16)
    assert res.diverged.shape == (6,)
    assert not res.diverged.any()
    for r in range(6):
        one = nnviz.sgd(
            net.with_weights(res.initial_weights[r]), X8, Y8, step_size=0.2, epochs=15, shuffle_seed=shuffle_seed
        )
        np.testing.assert_allclose(res.loss_history[r], one.loss_history[0], rtol=1e-10)
        np.testing.assert_allclose(res.weights[r], one.weights[0], rtol=1e-10, atol=1e-13)
    assert res.best == int(np.argmin(res.final_loss))
    np.testing.assert_array_equal(res.best_network.weights, res.weights[res.best])


def test_restarts_on_a_random_multi_output_network_equal_separate_runs():
    neurons = [
        Neuron("u", "input"),
        Neuron("v", "input"),
        Neuron("c", "bias", None, 0.5),
        Neuron("h1", "hidden", "tanh"),
        Neuron("h2", "hidden", "softplus"),
        Neuron("p", "output", "identity"),
        Neuron("q", "output", "sigmoid"),
    ]
    edges = [("u", "h1"), ("v", "h1"), ("c", "h1"), ("h1", "h2"), ("u", "h2"), ("h2", "p"), ("h1", "p"), ("c", "q")]
    edges += [("h2", "q"), ("v", "q")]
    net = Network(neurons, edges)
    rng = np.random.default_rng(0)
    X, Y = rng.uniform(-1, 1, (7, 2)), rng.uniform(0, 1, (7, 2))
    res = nnviz.restarts(net, X, Y, restarts=5, seed=9, step_size=0.1, epochs=6, shuffle_seed=1)
    for r in range(5):
        one = nnviz.sgd(net.with_weights(res.initial_weights[r]), X, Y, step_size=0.1, epochs=6, shuffle_seed=1)
        np.testing.assert_allclose(res.loss_history[r], one.loss_history[0], rtol=1e-10)
        np.testing.assert_allclose(res.weights[r], one.weights[0], rtol=1e-10, atol=1e-13)


def test_initial_weights_are_seeded_and_scaled():
    net = presets.paper_network()
    a = nnviz.restarts(net, X8, Y8, restarts=400, seed=5, init_scale=2.0, step_size=0.1, epochs=0)
    b = nnviz.restarts(net, X8, Y8, restarts=400, seed=5, init_scale=2.0, step_size=0.1, epochs=0)
    c = nnviz.restarts(net, X8, Y8, restarts=400, seed=6, init_scale=2.0, step_size=0.1, epochs=0)
    np.testing.assert_array_equal(a.initial_weights, b.initial_weights)
    assert not np.allclose(a.initial_weights, c.initial_weights)
    assert a.initial_weights.shape == (400, 12)
    assert abs(a.initial_weights.std() - 2.0) < 0.1  # 4800 normal draws
    assert abs(a.initial_weights.mean()) < 0.15
    assert len({tuple(row) for row in a.initial_weights}) == 400  # restarts differ
    z = nnviz.restarts(net, X8, Y8, restarts=3, seed=5, init_scale=0.0, step_size=0.1, epochs=0)
    np.testing.assert_array_equal(z.initial_weights, 0.0)


def test_shuffle_visits_every_point_once_per_epoch_in_some_order():
    """With a shuffle seed each epoch is some permutation of S (checked by brute force over all 24),
    the order changes between epochs, and the same seed repeats the run."""
    net = presets.paper_network()
    X, Y = X8[[0, 2, 5, 7]], Y8[[0, 2, 5, 7]]
    step = 0.4
    w = np.array(net.weights)
    orders = []
    for epochs in (1, 2, 3):
        res = nnviz.sgd(net, X, Y, step_size=step, epochs=epochs, shuffle_seed=123)
        matches = [
            p
            for p in itertools.permutations(range(4))
            if np.allclose(own_sgd_epoch(net, w, X, Y, step, p), res.weights[0], rtol=1e-11, atol=1e-14)
        ]
        assert len(matches) == 1, f"epoch {epochs}: {len(matches)} orders reproduce the weights"
        orders.append(matches[0])
        w = res.weights[0]
    assert any(o != (0, 1, 2, 3) for o in orders), orders
    again = nnviz.sgd(net, X, Y, step_size=step, epochs=3, shuffle_seed=123)
    np.testing.assert_array_equal(again.weights, res.weights)
    in_order = nnviz.sgd(net, X, Y, step_size=step, epochs=3)
    assert not np.allclose(in_order.weights, res.weights)


def test_progress_is_called_each_epoch_and_can_stop_early():
    net = presets.paper_network()
    seen = []

    def progress(epoch, history):
        seen.append((epoch, history.shape, history.copy()))
        return epoch < 3

    res = nnviz.restarts(net, X8, Y8, restarts=4, seed=0, step_size=0.1, epochs=10, progress=progress)
    assert [s[0] for s in seen] == [1, 2, 3]
    assert [s[1] for s in seen] == [(4, 2), (4, 3), (4, 4)]
    assert res.epochs_run == 3
    assert res.loss_history.shape == (4, 4)
    np.testing.assert_array_equal(seen[-1][2], res.loss_history)
    full = nnviz.restarts(net, X8, Y8, restarts=4, seed=0, step_size=0.1, epochs=3)
    np.testing.assert_allclose(res.weights, full.weights, rtol=1e-13)


# ----- divergence ------------------------------------------------------------------------------


LINEAR = presets.layered([1, 1, 1], activation="identity", bias=[False, True])
"""o = w_ho (w_xh x) + w_bo: a product of weights, so whether SGD with a large step blows up depends on the
size of the initial weights (with seed 0 and step 0.2, about half of 12 restarts do)."""


def test_huge_step_diverges_some_restarts_and_leaves_the_others_untouched():
    net, X, Y = LINEAR, [[1.0], [2.0]], [[0.5], [1.0]]
    settings = {"step_size": 0.2, "epochs": 40}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warning may escape
        res = nnviz.restarts(net, X, Y, restarts=12, seed=0, init_scale=2.0, **settings)
    assert 0 < res.diverged.sum() < 12, "this seed should give both kinds"
    assert res.loss_history.shape == (12, 41)
    assert res.epochs_run == 40
    for r in range(12):
        hist = res.loss_history[r]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            alone = nnviz.sgd(net.with_weights(res.initial_weights[r]), X, Y, **settings)
        assert alone.diverged[0] == res.diverged[r]
        if res.diverged[r]:
            bad = np.flatnonzero(~np.isfinite(hist))
            first = int(bad[0])
            assert 1 <= first <= 40
            assert np.isnan(hist[first:]).all(), "history from the diverging epoch on must be NaN"
            assert np.isfinite(hist[:first]).all()
            np.testing.assert_allclose(alone.loss_history[0, :first], hist[:first], rtol=1e-10)
            assert np.isnan(alone.loss_history[0, first:]).all()
            # its weights are those it had before the epoch that diverged
            assert np.isfinite(res.weights[r]).all()
            before = nnviz.sgd(net.with_weights(res.initial_weights[r]), X, Y, step_size=0.2, epochs=first - 1)
            np.testing.assert_allclose(res.weights[r], before.weights[0], rtol=1e-10)
        else:
            assert np.isfinite(hist).all()
            assert hist[-1] < 0.1  # these converge
            np.testing.assert_allclose(hist, alone.loss_history[0], rtol=1e-10)
            np.testing.assert_allclose(res.weights[r], alone.weights[0], rtol=1e-10)
    assert not res.diverged[res.best]
    assert res.best == int(np.nanargmin(np.where(res.diverged, np.nan, res.final_loss)))
    assert np.isnan(res.final_loss[res.diverged]).all()


def test_everything_diverges_without_a_warning():
    net = Network([Neuron("x", "input"), Neuron("o", "output", "identity")], [("x", "o")], [0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = nnviz.sgd(net, [[1.0], [2.0]], [[0.5], [0.5]], step_size=1e3, epochs=500)
        many = nnviz.restarts(net, [[1.0], [2.0]], [[0.5], [0.5]], restarts=5, seed=0, step_size=1e3, epochs=500)
    assert res.diverged.all() and many.diverged.all()
    assert np.isnan(res.final_loss).all()
    assert res.epochs_run < 500
    assert np.isfinite(res.weights).all()


STEP_NET = Network(
    [Neuron("x", "input"), Neuron("h", "hidden", "step"), Neuron("o", "output", "identity")],
    [("x", "h"), ("h", "o")],
    [1.0, 0.0],
)


def test_a_restart_with_non_finite_weights_is_marked_diverged():
    """o = w_ho * step(w_xh x) with a huge step: w_ho overflows, dl/dz_h = inf, dl/da_h = inf * 0 = NaN,
    so w_xh becomes NaN; step(NaN) = 0 makes the loss finite again (0.25). The run must not end
    'not diverged' with NaN weights."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = nnviz.sgd(STEP_NET, [[1.0], [2.0]], [[0.5], [0.5]], step_size=1e3, epochs=60)
    assert res.diverged[0] or np.isfinite(res.weights[0]).all(), (res.diverged, res.weights, res.loss_history[0, -3:])
    if not res.diverged[0]:
        assert isinstance(res.network(0), Network)


def test_non_finite_initial_weights_are_rejected_or_marked_diverged():
    """train() from a NaN initial weight: with step(NaN * x) = 0 the loss is finite (0.25), but the
    restart's weights are NaN; it must not come back as a healthy, non-diverged restart."""
    w0 = np.array([[np.nan, 0.0], [1.0, 0.0]])
    try:
        res = nnviz.train(STEP_NET, [[1.0], [2.0]], [[0.5], [0.5]], w0, step_size=0.1, epochs=3)
    except nnviz.NetworkError:
        return
    assert res.diverged[0], (res.diverged, res.weights)
    assert not res.diverged[1]
    alone = nnviz.sgd(STEP_NET.with_weights(w0[1]), [[1.0], [2.0]], [[0.5], [0.5]], step_size=0.1, epochs=3)
    np.testing.assert_allclose(res.loss_history[1], alone.loss_history[0], rtol=1e-12)


def test_paper_network_with_a_huge_step_diverges_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = nnviz.restarts(presets.paper_network(), X8, Y8, restarts=20, seed=1, step_size=5.0, epochs=40)
    assert res.diverged.all()
    for r in range(20):
        hist = res.loss_history[r]
        first = np.flatnonzero(np.isnan(hist))[0]
        assert np.isnan(hist[first:]).all() and np.isfinite(hist[:first]).all()
        assert np.isfinite(res.weights[r]).all()


def test_non_diverged_restart_can_always_be_turned_into_a_network():
    """A restart that is not marked diverged must give a usable Network (result.network / best_network).

    With step size 1.2 the paper network's weights grow past 1e12 while the loss stays finite,
    so the restart is not 'diverged', yet Network refuses its weights."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = nnviz.restarts(presets.paper_network(), X8, Y8, restarts=4, seed=1, step_size=1.2, epochs=60)
    for r in range(4):
        if not res.diverged[r]:
            assert isinstance(res.network(r), Network)
    if res.all_diverged:  # every restart here blows up: a clear state, not an exception
        assert res.best is None and res.best_network is None
    else:
        assert isinstance(res.best_network, Network)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"restarts": 0}, "restarts"),
        ({"restarts": nnviz.training.MAX_RESTARTS + 1}, "restarts"),
        ({"epochs": -1}, "epochs"),
        ({"epochs": nnviz.training.MAX_EPOCHS + 1}, "epochs"),
        ({"step_size": float("nan")}, "step"),
        ({"step_size": -0.1}, "step"),
        ({"init_scale": float("inf")}, "scale"),
        ({"epochs": 2.5}, "epochs"),
        ({"epochs": "3"}, "epochs"),
        ({"restarts": 2.5}, "restarts"),
    ],
)
def test_bad_training_settings_raise_network_error(kwargs, word):
    args = {"restarts": 2, "seed": 0, "step_size": 0.1, "epochs": 1} | kwargs
    with pytest.raises(nnviz.NetworkError, match=word):
        nnviz.restarts(presets.paper_network(), X8, Y8, **args)


@pytest.mark.parametrize(
    ("X", "Y"),
    [
        (np.zeros((4, 2)), np.zeros((4, 1))),
        (np.zeros((4, 1)), np.zeros((3, 1))),
        (np.zeros((0, 1)), np.zeros((0, 1))),
        ([[np.nan]], [[0.0]]),
        ([[0.0]], [[np.inf]]),
    ],
)
def test_bad_training_data_raises_network_error(X, Y):
    with pytest.raises(nnviz.NetworkError):
        nnviz.sgd(presets.paper_network(), X, Y, step_size=0.1, epochs=1)


@settings(max_examples=40, deadline=None)
@given(net=networks(SMOOTH + KINKED), data=st.data())
def test_sgd_on_random_networks_equals_own_per_sample_loop(net, data):
    """Skip edges, outputs feeding other neurons, non-layered graphs, shuffled neuron and edge order."""
    xs, ys = data.draw(batches(net, max_points=3))
    step = data.draw(st.sampled_from([0.01, 0.05, 0.2]))
    res = nnviz.sgd(net, xs, ys, step_size=step, epochs=2)
    X, Y = np.array(xs), np.array(ys)
    w = np.array(net.weights)
    expect = [ref_mean_loss(net, w, X, Y)]
    try:
        for _ in range(2):
            w = own_sgd_epoch(net, w, X, Y, step)
            expect.append(ref_mean_loss(net, w, X, Y))
    except nnviz.NetworkError:  # the reference's weights left the network's range mid-epoch
        return  # a blow-up is tested elsewhere
    if not np.isfinite(expect).all() or np.abs(w).max() > 1e6:
        return  # a blow-up is tested elsewhere
    assert not res.diverged[0]
    np.testing.assert_allclose(res.weights[0], w, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(res.loss_history[0], expect, rtol=1e-9, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(net=networks(SMOOTH), data=st.data())
def test_restarts_on_random_networks_equal_separate_runs(net, data):
    xs, ys = data.draw(batches(net, max_points=4))
    shuffle = data.draw(st.sampled_from([None, 3]))
    kw = {"step_size": 0.05, "epochs": 3, "shuffle_seed": shuffle}
    res = nnviz.restarts(net, xs, ys, restarts=3, seed=data.draw(st.integers(0, 2**16)), init_scale=0.7, **kw)
    for r in range(3):
        one = nnviz.sgd(net.with_weights(res.initial_weights[r]), xs, ys, **kw)
        assert one.diverged[0] == res.diverged[r]
        if not res.diverged[r]:
            np.testing.assert_allclose(res.loss_history[r], one.loss_history[0], rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose(res.weights[r], one.weights[0], rtol=1e-10, atol=1e-13)


def test_every_restart_diverging_is_a_clear_state_not_an_exception():
    """init_scale=1e13 puts every start past the weight limit: nothing raises, and the result says so."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = nnviz.restarts(presets.paper_network(), X8, Y8, restarts=5, seed=0, init_scale=1e13, epochs=3)
    assert res.all_diverged and res.diverged.all()
    assert res.best is None and res.best_network is None
    assert np.isnan(res.final_loss).all()
    ok = nnviz.restarts(presets.paper_network(), X8, Y8, restarts=5, seed=0, epochs=3)
    assert not ok.all_diverged and isinstance(ok.best_network, Network)
