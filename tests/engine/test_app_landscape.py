"""nnviz.app.landscape: which restarts to draw, the window, the cost limits, the slice with its paths."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import NetworkError, data, landscape, presets
from nnviz.app import landscape as model
from nnviz.app.trainjob import TrainingJob, TrainSettings

FINAL = np.array([0.5, 0.1, np.nan, 0.3, 0.2, 0.9, 0.05])  # (7,) restart 2 diverged
DIVERGED = np.array([False, False, True, False, False, False, False])


def test_best_worst_and_random_restarts_skip_the_diverged_and_sort_by_loss() -> None:
    np.testing.assert_array_equal(model.choose_restarts(FINAL, DIVERGED, "best", 3), [6, 1, 4])
    np.testing.assert_array_equal(model.choose_restarts(FINAL, DIVERGED, "worst", 2), [0, 5])
    np.testing.assert_array_equal(model.choose_restarts(FINAL, DIVERGED, "best", 100), [6, 1, 4, 3, 0, 5])
    sample = model.choose_restarts(FINAL, DIVERGED, "random", 3, seed=4)
    assert len(set(sample.tolist())) == 3 and 2 not in sample
    assert list(FINAL[sample]) == sorted(FINAL[sample])
    np.testing.assert_array_equal(sample, model.choose_restarts(FINAL, DIVERGED, "random", 3, seed=4))
    with pytest.raises(NetworkError, match="which restarts"):
        model.choose_restarts(FINAL, DIVERGED, "median", 3)


def test_the_window_fits_every_path_point_or_takes_the_half_width() -> None:
    coords = np.random.default_rng(0).normal(0.0, 3.0, (4, 9, 2))  # (P, K, 2)
    anchors = np.array([[10.0, -1.0]])
    alphas, betas = model.window(coords, anchors, None, 31)
    assert alphas.size == betas.size == 31
    assert alphas[0] < min(coords[..., 0].min(), 10.0) and alphas[-1] > max(coords[..., 0].max(), 10.0)
    assert betas[0] < coords[..., 1].min() and betas[-1] > coords[..., 1].max()
    alphas, betas = model.window(coords, anchors, 2.0, 5)
    np.testing.assert_allclose(alphas, [8.0, 9.0, 10.0, 11.0, 12.0])
    np.testing.assert_allclose(betas, [-3.0, -2.0, -1.0, 0.0, 1.0])


def test_resolution_and_replay_limits_follow_the_size_of_the_work() -> None:
    paper, big = presets.paper_network(), presets.layered([2, 30, 30, 1], seed=0)
    assert model.max_resolution(paper, 32) == model.MAX_RESOLUTION
    assert model.MIN_RESOLUTION <= model.max_resolution(big, 1000) < model.max_resolution(big, 100)
    assert model.slice_seconds(big, 1000, model.max_resolution(big, 1000)) <= model.SLICE_SECONDS
    assert model.max_resolution(big, 100_000) == model.MIN_RESOLUTION  # never below: the page asks first
    job = TrainingJob(paper, data.regression("sine", 16), TrainSettings(0.1, 10, 60, 0))
    job.run()
    assert model.replay_budget(job, 50) == 50
    assert model.replay_budget(job, 60) == 50  # at most 50 paths
    assert model.replay_units(job) == 16 * 10 * (12 + 9)


def test_build_projects_the_paths_and_evaluates_the_slice() -> None:
    job = TrainingJob(presets.paper_network(), data.regression("sine", 16), TrainSettings(0.1, 12, 20, 3))
    job.run()
    ids = model.choose_restarts(job.history[:, -1], job.diverged, "best", 5)
    paths = model.replay(job, ids)
    spec = model.Spec("restarts", int(ids[0]), trio=model.default_trio(job), resolution=21)
    land = model.build(job, paths, ids, spec)
    assert land.surface.shape == (21, 21) and land.coords.shape == (5, paths.epochs.size, 2)
    plane = land.plane
    args = (plane.center, plane.d1, plane.d2, land.alphas, land.betas)
    expected = landscape.loss_surface(job.net, job.data.X, job.data.Y, *args)
    np.testing.assert_array_equal(land.surface, expected)
    np.testing.assert_allclose(land.path_loss[:, -1], job.history[ids, -1], rtol=1e-12)
    np.testing.assert_allclose(land.final_loss, job.history[ids, -1])
    for r, xy in zip(spec.trio, plane.anchors, strict=True):  # the three restarts' final weights lie on the plane
        np.testing.assert_allclose(plane.center + xy[0] * plane.d1 + xy[1] * plane.d2, job.weights[r], atol=1e-10)


def test_planes_that_cannot_be_built_are_named() -> None:
    job = TrainingJob(presets.paper_network(), data.regression("sine", 8), TrainSettings(0.1, 2, 2, 0))
    job.run()
    with pytest.raises(NetworkError, match="fewer than three restarts"):
        model.default_trio(job)
    with pytest.raises(NetworkError, match="three different restarts"):
        model.make_plane(job, model.Spec("restarts", 0, trio=(0, 1, 1)))
    with pytest.raises(NetworkError, match="not one of"):
        model.make_plane(job, model.Spec("diagonal", 0))
    with pytest.raises(NetworkError, match="1 to 50 restarts"):
        model.replay(job, np.arange(0))
