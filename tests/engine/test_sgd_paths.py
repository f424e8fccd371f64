"""nnviz.sgd_paths: replayed SGD paths end where the real runs ended, epoch by epoch."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import NetworkError, data, presets, sgd_paths
from nnviz.app import landscape as app_landscape
from nnviz.app.trainjob import TrainingJob, TrainSettings
from nnviz.sgd_paths import follow, recorded_epochs
from tests.engine.test_sgd_reference import random_net

X = np.linspace(-2.0, 2.0, 12)[:, None]  # (12, 1)
Y = np.sin(2.0 * X)


@pytest.mark.parametrize("shuffle_seed", [None, 3])
def test_path_ends_at_the_runs_final_weights_and_passes_its_epochs(shuffle_seed: int | None) -> None:
    net = presets.paper_network()
    run = nnviz.restarts(net, X, Y, restarts=6, seed=2, step_size=0.1, epochs=40, shuffle_seed=shuffle_seed)
    paths = sgd_paths(net, X, Y, run.initial_weights, 0.1, 40, shuffle_seed, points=9)
    np.testing.assert_array_equal(paths.epochs, [0, 5, 10, 15, 20, 25, 30, 35, 40])
    assert paths.weights.shape == (6, 9, len(net.edges))
    np.testing.assert_array_equal(paths.weights[:, 0], run.initial_weights)
    np.testing.assert_array_equal(paths.final, run.weights)  # bit for bit: the same SGD
    for k, epoch in enumerate(paths.epochs):  # each recorded point: the loss the run had after that epoch
        got = [nnviz.loss(net.with_weights(w), X, Y).mean() for w in paths.weights[:, k]]
        np.testing.assert_allclose(got, run.loss_history[:, epoch], rtol=1e-10)


def test_path_matches_one_sgd_call_per_epoch() -> None:
    """The brief's reference: nnviz.sgd from the restart's weights, one epoch at a time."""
    net = presets.paper_network()
    w0 = np.random.default_rng(4).normal(size=len(net.edges))
    rng = np.random.default_rng(9)
    orders = [rng.permutation(len(X)) for _ in range(7)]
    paths = follow(net, X, Y, w0[None, :], 0.2, iter(orders), np.arange(8))
    w = w0
    for epoch, order in enumerate(orders, start=1):
        w = nnviz.sgd(net.with_weights(w), X[order], Y[order], step_size=0.2, epochs=1).weights[0]
        np.testing.assert_array_equal(paths.weights[0, epoch], w)


@pytest.mark.parametrize("case", [0, 1, 8, 10, 13, 15, 17, 29])  # 8..29: restarts diverge at epochs 2 to 23
@pytest.mark.parametrize("shuffled", [False, True])
def test_random_networks_diverged_restarts_stop_where_the_run_stopped(case: int, shuffled: bool) -> None:
    rng = np.random.default_rng(case)
    net = random_net(rng)
    x = rng.normal(size=(5, len(net.inputs)))
    y = rng.normal(size=(5, len(net.outputs)))
    w0 = rng.normal(0.0, 2.0, (5, len(net.edges)))
    shuffle = case if shuffled else None
    run = nnviz.train(net, x, y, w0, 1.0, 30, shuffle)
    paths = sgd_paths(net, x, y, w0, 1.0, 30, shuffle, points=4)  # epochs 0, 10, 20, 30
    np.testing.assert_array_equal(paths.diverged, run.diverged)
    np.testing.assert_array_equal(paths.final, run.weights)


def test_recorded_epochs_always_hold_the_first_and_last() -> None:
    np.testing.assert_array_equal(recorded_epochs(0, 101), [0])
    np.testing.assert_array_equal(recorded_epochs(3, 101), [0, 1, 2, 3])
    got = recorded_epochs(20_000, 101)
    assert got.size == 101 and got[0] == 0 and got[-1] == 20_000 and (np.diff(got) > 0).all()


def test_bad_arguments_are_named() -> None:
    net = presets.paper_network()
    w0 = np.zeros((2, 12))
    with pytest.raises(NetworkError, match="initial_weights"):
        sgd_paths(net, X, Y, np.zeros((51, 12)), 0.1, 5)
    with pytest.raises(NetworkError, match="epochs"):
        sgd_paths(net, X, Y, w0, 0.1, -1)
    with pytest.raises(NetworkError, match="points"):
        sgd_paths(net, X, Y, w0, 0.1, 5, points=1)
    with pytest.raises(NetworkError, match="record"):
        follow(net, X, Y, w0, 0.1, iter([None] * 3), [0, 5])
    with pytest.raises(NetworkError, match="order of epoch 1"):
        follow(net, X, Y, w0, 0.1, iter([np.arange(3)]), [0, 1])


@pytest.mark.parametrize(("shuffle", "test"), [(False, 0.0), (True, 0.0), (True, 0.25)])
def test_replay_of_a_chunked_job_ends_at_its_final_weights(shuffle: bool, test: float) -> None:
    ds = data.regression("sine", 16, 0.0, -2.0, 2.0, 0, False, test)
    job = TrainingJob(presets.paper_network(), ds, TrainSettings(0.1, 30, 60, 1, 1.0, shuffle))
    job.run()
    ids = app_landscape.choose_restarts(job.history[:, -1], job.diverged, "random", 10, seed=2)
    paths = app_landscape.replay(job, ids)
    np.testing.assert_array_equal(paths.final, job.weights[ids])
    np.testing.assert_array_equal(paths.weights[:, 0], job.initial[ids])
