"""Replaying restarts of a training job: the re-trained weights are the ones the job passed through."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

import nnviz
from nnviz import data, kernel, presets
from nnviz.app import replay as rp
from nnviz.app import trainjob
from nnviz.app.trainjob import TrainingJob, TrainSettings
from nnviz.network import Network, Neuron


def job_of(settings: TrainSettings, ds: data.Dataset | None = None, net: Network | None = None) -> TrainingJob:
    job = TrainingJob(net or presets.paper_network(), ds or data.regression("sine", 16), settings)
    job.run()
    return job


def check_against_job(job: TrainingJob, rep: rp.Replay) -> None:
    """The replayed weights give the job's loss at every kept epoch and end at the job's weights."""
    x, y = job.data.X, job.data.Y
    for i, r in enumerate(rep.restarts):
        np.testing.assert_array_equal(rep.weights[i, 0], job.initial[r])
        ok = np.isfinite(rep.weights[i]).all(axis=1)  # (F,)
        losses = job.history[r, rep.epochs]
        assert (ok[1:] == np.isfinite(losses[1:])).all()
        got = kernel.mean_losses(job.net, rep.weights[i, ok], x, y)
        np.testing.assert_allclose(got, losses[ok], rtol=1e-12, atol=1e-15)
        last = np.flatnonzero(ok)[-1]
        np.testing.assert_allclose(rep.weights[i, last], job.weights[r], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("chunk_steps", [16 * 5 * 3, 10**9])
@pytest.mark.parametrize("shuffle", [False, True])
def test_replay_follows_the_jobs_chunks_and_seeds(monkeypatch: pytest.MonkeyPatch, chunk_steps: int, shuffle: bool):
    monkeypatch.setattr(trainjob, "CHUNK_STEPS", chunk_steps)
    job = job_of(TrainSettings(step_size=0.1, epochs=20, restarts=5, seed=3, shuffle=shuffle))
    rep = rp.replay(job, [job.result().best, 4])
    assert rep.every_epoch and rep.epochs.tolist() == list(range(21)) and rep.weights.shape == (2, 21, 12)
    check_against_job(job, rep)


def test_replay_with_a_test_split_one_epoch_per_chunk():
    ds = data.regression("sine", 20, test_fraction=0.25)
    job = job_of(TrainSettings(step_size=0.1, epochs=12, restarts=3, seed=0, shuffle=True), ds)
    assert job.chunk == 1
    check_against_job(job, rp.replay(job, [0, 1, 2]))


def test_long_chunks_are_recorded_in_pieces(monkeypatch: pytest.MonkeyPatch):
    job = job_of(TrainSettings(step_size=0.1, epochs=30, restarts=4, seed=2, shuffle=True))
    whole = rp.replay(job, [1, 3])
    monkeypatch.setattr(rp, "MAX_HISTORY_BYTES", 2 * 12 * 8 * 5)  # 4 epochs per recorded call
    pieces = rp.replay(job, [1, 3])
    np.testing.assert_array_equal(whole.weights, pieces.weights)


def test_a_long_run_keeps_evenly_spaced_epochs(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(rp, "MAX_KEPT_VALUES", 100)
    monkeypatch.setattr(rp, "MAX_FRAMES", 11)
    job = job_of(TrainSettings(step_size=0.1, epochs=50, restarts=2, seed=0))
    rep = rp.replay(job, [0, 1])
    assert not rep.every_epoch and rep.epochs.tolist() == list(range(0, 51, 5))
    check_against_job(job, rep)


def test_sample_epochs():
    assert rp.sample_epochs(5).tolist() == [0, 1, 2, 3, 4, 5]
    many = rp.sample_epochs(20_000)
    assert many.size == rp.MAX_FRAMES and many[0] == 0 and many[-1] == 20_000
    assert np.ptp(np.diff(many)) <= 1  # evenly spaced


def test_a_diverged_restart_replays_until_it_diverged():
    net = presets.layered([1, 1, 1], activation="identity", bias=[False, True])
    ds = data.Dataset("two points", np.array([[1.0], [2.0]]), np.array([[0.5], [1.0]]))
    job = job_of(TrainSettings(step_size=0.2, epochs=40, restarts=12, seed=0, init_scale=2.0), ds, net)
    bad, good = np.flatnonzero(job.diverged)[:1], np.flatnonzero(~job.diverged)[:1]
    assert bad.size and good.size
    rep = rp.replay(job, [int(bad[0]), int(good[0])])
    check_against_job(job, rep)
    assert np.isnan(rep.weights[0, -1]).all() and np.isfinite(rep.weights[1]).all()


def test_a_stopped_job_replays_what_it_did(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(trainjob, "CHUNK_STEPS", 16 * 3 * 4)  # 4 epochs per chunk
    job = TrainingJob(
        presets.paper_network(), data.regression("sine", 16), TrainSettings(epochs=40, restarts=3, shuffle=True)
    )
    job.advance()
    job.advance()
    job.stop()
    rep = rp.replay(job, [2])
    assert rep.epochs[-1] == job.epochs_done == 8
    check_against_job(job, rep)


@pytest.mark.parametrize("restarts", [[], [0, 9], [0, 1, 2, 3, 4]])
def test_bad_restarts_are_refused(restarts):
    job = job_of(TrainSettings(epochs=2, restarts=5))
    with pytest.raises(nnviz.NetworkError):
        rp.replay(job, restarts)


HOSTILE = '<img src=x onerror=alert(1)>,"'


def test_csv_and_json_exports_name_each_edge_w_i_j():
    net = Network(
        [Neuron("x", "input"), Neuron(HOSTILE, "hidden", "tanh"), Neuron("o", "output", "identity")],
        [("x", HOSTILE), (HOSTILE, "o")],
        [0.5, -0.5],
    )
    job = job_of(TrainSettings(epochs=3, restarts=2), net=net)
    rep = rp.replay(job, [1, 0])
    rows = list(csv.reader(io.StringIO(rp.history_csv(rep))))
    assert rows[0] == ["restart", "epoch", f"w_x,{HOSTILE}", f"w_{HOSTILE},o"]
    assert len(rows) == 1 + 2 * 4
    assert [r[:2] for r in rows[1:3]] == [["1", "0"], ["1", "1"]]
    np.testing.assert_array_equal(np.array(rows[4][2:], dtype=float), rep.weights[0, 3])
    doc = json.loads(rp.history_json(rep))
    assert doc["format"] == "nnviz.weight_history/1" and doc["edge_names"] == rows[0][2:]
    assert doc["epochs"] == [0, 1, 2, 3] and [d["restart"] for d in doc["restarts"]] == [1, 0]
    np.testing.assert_array_equal(doc["restarts"][1]["weights"], rep.weights[1])
    np.testing.assert_allclose(doc["restarts"][0]["loss"], job.history[1, :4])


def test_default_pair_is_the_best_and_the_median_of_the_others():
    final = np.array([0.5, 0.1, np.nan, 0.3, 0.9, 0.2])
    diverged = np.array([False, False, True, False, False, False])
    assert rp.default_pair(final, diverged, 1) == (1, 0)  # others by loss: 5, 3, 0, 4 -> the upper middle, 0
    assert rp.default_pair(np.array([0.1, np.nan]), np.array([False, True]), 0) == (0, 1)
    assert rp.default_pair(np.array([0.1]), np.array([False]), 0) == (0, 0)


def test_the_difference_sentence():
    job = job_of(TrainSettings(step_size=0.1, epochs=60, restarts=20, seed=0))
    res = job.result()
    a, b = rp.default_pair(res.final_loss, res.diverged, res.best)
    text = rp.difference(rp.replay(job, [a, b]))
    assert text.startswith("Same data, same network, same step size and epochs; only the start differs")
    assert f"Restart {a} ends at mean loss {res.final_loss[a]:.4g}" in text
    assert f"restart {b} ends at mean loss {res.final_loss[b]:.4g}" in text
    assert "a different minimum" in text
