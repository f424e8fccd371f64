"""Training in resumable chunks: the same numbers as one engine call, test losses, stopping, CSV."""

from __future__ import annotations

import io

import numpy as np
import pytest

import nnviz
from nnviz import data
from nnviz.app import trainjob
from nnviz.app.trainjob import TrainingJob, TrainSettings, chunk_epochs, history_csv
from nnviz.network import NetworkError


def paper_job(settings: TrainSettings, ds: data.Dataset | None = None) -> TrainingJob:
    return TrainingJob(nnviz.presets.paper_network(), ds or data.regression("sine", 16), settings)


@pytest.mark.parametrize("chunk_steps", [1, 16 * 7 * 3, 10**9])
def test_chunks_in_listed_order_equal_one_restarts_call(monkeypatch: pytest.MonkeyPatch, chunk_steps: int) -> None:
    monkeypatch.setattr(trainjob, "CHUNK_STEPS", chunk_steps)
    settings = TrainSettings(step_size=0.1, epochs=12, restarts=7, seed=5, init_scale=1.5)
    job = paper_job(settings)
    result = job.run()
    ds = job.data
    ref = nnviz.restarts(
        nnviz.presets.paper_network(), ds.X, ds.Y, restarts=7, seed=5, init_scale=1.5, step_size=0.1, epochs=12
    )
    np.testing.assert_allclose(result.loss_history, ref.loss_history, rtol=1e-12)
    np.testing.assert_allclose(result.weights, ref.weights, rtol=1e-12)
    np.testing.assert_array_equal(result.initial_weights, ref.initial_weights)
    assert result.best == ref.best and result.epochs_run == 12 and job.finished and not job.stopped
    assert job.chunks_done == -(-12 // job.chunk)
    assert result.steps == 7 * 16 * 12


def test_chunk_sizes() -> None:
    s = TrainSettings(epochs=100, restarts=1000)
    assert chunk_epochs(s, 32, has_test=True) == 1
    assert chunk_epochs(s, 32, has_test=False) == trainjob.CHUNK_STEPS // 32_000
    assert chunk_epochs(TrainSettings(epochs=5, restarts=1), 4, has_test=False) == 5


def test_shuffled_order_is_seeded_and_differs_from_listed() -> None:
    shuffled = TrainSettings(step_size=0.1, epochs=6, restarts=3, seed=2, shuffle=True)
    a, b = paper_job(shuffled).run(), paper_job(shuffled).run()
    np.testing.assert_array_equal(a.loss_history, b.loss_history)
    listed = paper_job(TrainSettings(step_size=0.1, epochs=6, restarts=3, seed=2)).run()
    np.testing.assert_array_equal(a.loss_history[:, 0], listed.loss_history[:, 0])
    assert not np.allclose(a.loss_history[:, 1:], listed.loss_history[:, 1:])


def test_test_history_is_the_test_loss_after_every_epoch() -> None:
    ds = data.regression("bump", 20, test_fraction=0.25, seed=3)
    job = paper_job(TrainSettings(step_size=0.2, epochs=4, restarts=5, seed=1), ds)
    result = job.run()
    test = job.test_losses()
    assert test.shape == (5, 5) and job.chunk == 1
    net = nnviz.presets.paper_network()
    first = nnviz.loss(net, ds.X_test, ds.Y_test, result.initial_weights).mean(axis=1)
    last = nnviz.loss(net, ds.X_test, ds.Y_test, result.weights).mean(axis=1)
    np.testing.assert_allclose(test[:, 0], first)
    np.testing.assert_allclose(test[:, -1], last)
    train_last = nnviz.loss(net, ds.X, ds.Y, result.weights).mean(axis=1)
    np.testing.assert_allclose(result.final_loss, train_last)


def test_progress_can_stop_and_stop_keeps_what_was_done() -> None:
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 3

    job = paper_job(TrainSettings(epochs=10, restarts=4))
    result = job.run(progress)
    assert job.stopped and job.finished and job.epochs_done == 3 and result.epochs_run == 3
    assert result.loss_history.shape == (4, 4) and np.isfinite(result.loss_history).all()
    assert seen == [(1, 10), (2, 10), (3, 10)]
    job2 = paper_job(TrainSettings(epochs=10, restarts=4))
    job2.advance()
    job2.stop()
    assert job2.finished and job2.fraction == job2.epochs_done / 10
    job2.advance()  # nothing more happens
    assert job2.result().epochs_run == job2.epochs_done


def test_diverged_restarts_stop_and_are_never_best() -> None:
    settings = TrainSettings(step_size=0.4, epochs=30, restarts=40, seed=0, init_scale=1.0)
    job = TrainingJob(nnviz.presets.paper_network("tanh"), data.regression("sine", 16), settings)
    result = job.run()
    assert result.diverged.any() and not result.diverged.all()
    assert not result.diverged[result.best]
    assert np.isnan(result.final_loss[result.diverged]).all()
    assert np.isfinite(result.weights).all()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (TrainSettings(restarts=0), "restarts"),
        (TrainSettings(restarts=10**6), "restarts"),
        (TrainSettings(epochs=0), "epochs"),
        (TrainSettings(step_size=float("nan")), "step size"),
        (TrainSettings(init_scale=-1.0), "scale"),
        (TrainSettings(restarts=1000, epochs=5000), "too many losses"),
        (TrainSettings(restarts=1000, epochs=1000), "steps; the limit"),
    ],
)
def test_settings_out_of_range(settings: TrainSettings, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        paper_job(settings, data.regression("sine", 1000))


def test_a_network_that_does_not_fit_the_data_is_refused() -> None:
    with pytest.raises(NetworkError, match="1 inputs and 1 outputs; the data has 2 and 1"):
        paper_job(TrainSettings(), data.classification())


def test_history_csv_has_a_row_per_restart_and_epoch() -> None:
    ds = data.regression("sine", 12, test_fraction=0.25)
    job = paper_job(TrainSettings(epochs=3, restarts=2), ds)
    job.run()
    text = history_csv(job)
    assert text.splitlines()[0] == "restart,epoch,train_loss,test_loss,diverged"
    table = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1)
    assert table.shape == (2 * 4, 5)
    np.testing.assert_array_equal(table[:, 0], [0, 0, 0, 0, 1, 1, 1, 1])
    np.testing.assert_array_equal(table[:, 1], [0, 1, 2, 3] * 2)
    np.testing.assert_allclose(table[:, 2], job.history.ravel(), rtol=1e-9)
    no_test = paper_job(TrainSettings(epochs=1, restarts=1))
    no_test.run()
    assert history_csv(no_test).splitlines()[0] == "restart,epoch,train_loss,diverged"
