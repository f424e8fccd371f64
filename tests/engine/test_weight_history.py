"""The weight history of ``restarts(..., record=...)`` and ``sgd(..., record=...)``: its whole contract.

``weight_history[i, 0]`` is the initial weights of restart ``recorded[i]``; ``[i, k]`` is what a run of
that restart alone gives after k epochs; the mean loss over S of ``[i, k]`` is ``loss_history[recorded[i], k]``;
a diverged restart's history is NaN exactly where its loss is; a too-large request is refused first.
"""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import kernel, presets, weight_history
from tests.engine.engine_reference import SMOOTH, batches, networks, ref_loss

LINEAR = presets.layered([1, 1, 1], activation="identity", bias=[False, True])
X8 = np.linspace(-2.0, 2.0, 8)[:, None]  # (S, 1)
Y8 = np.sin(2.0 * X8)  # (S, 1)


def ref_mean_loss(net: nnviz.Network, w: np.ndarray, X: np.ndarray, Y: np.ndarray) -> float:
    """The mean loss over S by the plain-Python reference (no engine)."""
    return float(np.mean([ref_loss(net, x, y, list(w)) for x, y in zip(X, Y, strict=True)]))


def check_contract(net: nnviz.Network, X, Y, res: nnviz.TrainResult, kw: dict) -> None:
    """Every clause of the contract, for every recorded restart and epoch."""
    k_rec, t, e = res.weight_history.shape
    assert (k_rec, t, e) == (res.recorded.size, res.epochs_run + 1, len(net.edges))
    for i, r in enumerate(res.recorded):
        hist = res.weight_history[i]  # (T, E)
        np.testing.assert_array_equal(hist[0], res.initial_weights[r])
        finite_loss = np.isfinite(res.loss_history[r])
        # NaN exactly where the loss is NaN (after the start)
        assert (np.isfinite(hist[1:]).all(axis=1) == finite_loss[1:]).all(), (hist, res.loss_history[r])
        for k in range(t):
            if k and not finite_loss[k]:
                continue
            alone = nnviz.sgd(net.with_weights(res.initial_weights[r]), X, Y, epochs=k, **kw)
            np.testing.assert_allclose(hist[k], alone.weights[0], rtol=1e-12, atol=1e-14)
            if finite_loss[k]:
                x, y = np.asarray(X, float), np.asarray(Y, float)
                own = kernel.mean_losses(net, hist[k][None, :], x, y)[0]  # the engine's own mean loss: exact
                np.testing.assert_allclose(own, res.loss_history[r, k], rtol=1e-12, atol=1e-15)
                # and an independent one, where the weights are moderate: with step 4 they can grow to
                # where exp/sin of huge arguments differ between math and the compiled loops by percents
                if np.abs(hist[k]).max() < 100:
                    np.testing.assert_allclose(ref_mean_loss(net, hist[k], x, y), own, rtol=1e-6, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(net=networks(SMOOTH), data=st.data())
def test_recorded_history_on_random_networks(net, data):
    """Random networks, one or several thread chunks (260 restarts), any subset and order, a step that may diverge."""
    xs, ys = data.draw(batches(net, max_points=3))
    r = data.draw(st.sampled_from([1, 3, 260]))
    record = data.draw(st.one_of(st.just("all"), st.lists(st.integers(0, r - 1), max_size=4, unique=True)))
    if record == "all" and r > 3:
        record = [r - 1, 0, 200]
    kw = {
        "step_size": data.draw(st.sampled_from([0.05, 0.3, 4.0])),
        "shuffle_seed": data.draw(st.sampled_from([None, 7])),
    }
    epochs = data.draw(st.integers(0, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = nnviz.restarts(
            net, xs, ys, restarts=r, seed=data.draw(st.integers(0, 99)), epochs=epochs, record=record, **kw
        )
    expect = list(range(r)) if record == "all" else list(record)
    assert res.recorded.tolist() == expect
    check_contract(net, xs, ys, res, kw)


def test_a_diverged_restart_history_stops_where_it_stopped():
    kw = {"step_size": 0.2}
    res = nnviz.restarts(LINEAR, [[1.0], [2.0]], [[0.5], [1.0]], restarts=12, seed=0, init_scale=2.0, epochs=40,
                         record="all", **kw)  # fmt: skip
    assert 0 < res.diverged.sum() < 12, "this seed gives both kinds"
    check_contract(LINEAR, [[1.0], [2.0]], [[0.5], [1.0]], res, kw)
    for r in np.flatnonzero(res.diverged):
        first = int(np.flatnonzero(np.isnan(res.loss_history[r]))[0])
        assert np.isnan(res.weight_history[r, first:]).all()
        assert np.isfinite(res.weight_history[r, :first]).all()
        np.testing.assert_array_equal(res.weight_history[r, first - 1], res.weights[r])  # its last weights


def test_a_start_that_cannot_be_evaluated_keeps_only_its_start():
    w0 = np.array([[1e300, 1e300, 0.0], [1.0, 0.5, 0.0]])
    res = nnviz.train(LINEAR, [[1.0]], [[1.0]], w0, step_size=0.1, epochs=3, record="all")
    np.testing.assert_array_equal(res.weight_history[:, 0], w0)
    assert np.isnan(res.weight_history[0, 1:]).all() and np.isfinite(res.weight_history[1]).all()


def test_sgd_records_too_and_every_epoch_equals_a_shorter_run():
    net = presets.paper_network()
    res = nnviz.sgd(net, X8, Y8, step_size=0.1, epochs=30, record="all")
    assert res.recorded.tolist() == [0] and res.weight_history.shape == (1, 31, 12)
    same = nnviz.sgd(net, X8, Y8, step_size=0.1, epochs=30, record=[0])
    np.testing.assert_array_equal(res.weight_history, same.weight_history)
    check_contract(net, X8, Y8, res, {"step_size": 0.1})
    np.testing.assert_array_equal(res.weight_history[0, -1], res.weights[0])


def test_without_record_the_history_is_empty_and_the_run_unchanged():
    net = presets.paper_network()
    plain = nnviz.restarts(net, X8, Y8, restarts=20, epochs=10)
    rec = nnviz.restarts(net, X8, Y8, restarts=20, epochs=10, record=[3])
    assert plain.recorded.size == 0 and plain.weight_history.shape[0] == 0
    np.testing.assert_array_equal(plain.loss_history, rec.loss_history)
    np.testing.assert_array_equal(plain.weights, rec.weights)


def test_a_run_stopped_early_keeps_the_history_it_ran():
    net = presets.paper_network()
    res = nnviz.restarts(net, X8, Y8, restarts=4, epochs=50, record=[1, 2], progress=lambda done, _h: done < 7)
    assert res.epochs_run == 7 and res.weight_history.shape == (2, 8, 12)
    check_contract(net, X8, Y8, res, {"step_size": 0.1})


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ("best", ["record", "'best'"]),
        (3, ["record", "3"]),
        (True, ["record"]),
        ([0, 3, 0], ["record", "restart 0 more than once"]),
        ([0, 5], ["record", "restart 5", "0 to 4"]),
        ([-1], ["record", "restart -1"]),
        ([1.0], ["record", "1.0"]),
        ([True], ["record", "True"]),
        ({1, 2}, ["record"]),
        (["0"], ["record", "'0'"]),
    ],
)
def test_a_bad_record_names_the_argument(record, words):
    with pytest.raises(nnviz.NetworkError) as err:
        nnviz.restarts(presets.paper_network(), X8, Y8, restarts=5, epochs=2, record=record)
    for word in words:
        assert word in str(err.value), str(err.value)


def test_numpy_indices_and_ranges_are_accepted():
    res = nnviz.restarts(presets.paper_network(), X8, Y8, restarts=5, epochs=2, record=np.array([4, 2]))
    assert res.recorded.tolist() == [4, 2]
    assert nnviz.restarts(presets.paper_network(), X8, Y8, restarts=5, epochs=2, record=range(2)).recorded.tolist() == [
        0,
        1,
    ]


def test_a_history_past_the_cap_is_refused_before_anything_is_allocated():
    net = presets.paper_network()  # 5,000 x 100,001 x 12 weights would be 48 GB
    tracemalloc.start()
    try:
        with pytest.raises(nnviz.NetworkError) as err:
            nnviz.restarts(net, X8, Y8, restarts=5000, epochs=100_000, record="all")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10e6, f"{peak / 1e6:.0f} MB allocated before refusing"
    text = str(err.value)
    assert "200 MB" in text and "48,000 MB" in text
    assert "at most 20 restart(s) for 100,000 epochs" in text  # 20 x 100,001 x 96 B = 192 MB
    assert "5,000 restart(s) for at most 415 epochs" in text  # 5,000 x 416 x 96 B = 199.7 MB


def test_the_cap_is_the_documented_number_exactly(monkeypatch):
    net = presets.paper_network()
    monkeypatch.setattr(weight_history, "MAX_HISTORY_BYTES", 2 * 11 * 12 * 8)  # 2 restarts, 10 epochs
    assert nnviz.restarts(net, X8, Y8, restarts=3, epochs=10, record=[0, 2]).weight_history.nbytes == 2 * 11 * 96
    with pytest.raises(nnviz.NetworkError, match="at most 2 restart"):
        nnviz.restarts(net, X8, Y8, restarts=3, epochs=10, record="all")
    with pytest.raises(nnviz.NetworkError, match="at most 10 epochs"):
        nnviz.restarts(net, X8, Y8, restarts=3, epochs=11, record=[0, 1])


def test_a_run_split_in_two_with_one_shuffling_generator_equals_one_run():
    """How a replay re-trains a long run piece by piece: the pieces' histories join into the whole one's."""
    net = presets.paper_network()
    whole = nnviz.sgd(net, X8, Y8, step_size=0.1, epochs=9, shuffle_seed=5, record="all")
    rng = np.random.default_rng(5)
    first = nnviz.sgd(net, X8, Y8, step_size=0.1, epochs=4, shuffle_seed=rng, record="all")
    second = nnviz.sgd(
        net.with_weights(first.weights[0]), X8, Y8, step_size=0.1, epochs=5, shuffle_seed=rng, record="all"
    )
    joined = np.concatenate([first.weight_history[0], second.weight_history[0, 1:]])
    np.testing.assert_array_equal(joined, whole.weight_history[0])
