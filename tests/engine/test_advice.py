"""nnviz.app.advice: every data kind's defaults fit (issue 13), and advice is measured, not guessed."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import data, presets
from nnviz.app import advice
from nnviz.app.advice import DEFAULTS, advise, constant_loss, defaults_for, is_high
from nnviz.app.trainjob import TrainingJob, TrainSettings
from nnviz.data import adapt_network


def default_case(kind: str) -> tuple[nnviz.Network, data.Dataset]:
    """The default data of ``kind`` (the Training page's panel defaults) on the app's default network, fitted."""
    paper = presets.paper_network()
    ds = {
        "regression": data.regression("sine", 32, 0.0, -2.0, 2.0, 0),
        "boolean": data.boolean("xor"),
        "classification": data.classification("gauss", 200, 0.1, 0.5, 0),
    }[kind]
    return adapt_network(paper, ds.n_in, ds.n_out), ds


@pytest.mark.parametrize("kind", ["regression", "boolean", "classification"])
def test_every_data_kind_trains_to_its_documented_loss_with_its_defaults(kind):
    net, ds = default_case(kind)
    s = defaults_for(kind)
    run = nnviz.restarts(net, ds.X, ds.Y, s.restarts, s.seed, s.init_scale, s.step_size, s.epochs)
    best = run.final_loss[run.best]
    assert best < DEFAULTS[kind].loss, (kind, best)
    assert not is_high(best, ds.Y)
    job = TrainingJob(net, ds, s)  # what the page runs gives the same
    assert job.run().final_loss[job.result().best] == pytest.approx(best)
    assert advise(job) is None


def test_the_old_defaults_failed_and_the_advice_names_what_helped():
    """The issue's case: sin(2x) on the paper's network, step 0.1, 100 epochs, scale 1: best loss 0.178."""
    net, ds = default_case("regression")
    job = TrainingJob(net, ds, TrainSettings(0.1, 100, 100, 0, 1.0))
    job.run()
    found = advise(job)
    assert found is not None and found.best == pytest.approx(0.178, abs=1e-3)
    assert "still falling" in found.reason
    kinds = {t.kind for t in found.helpful}
    assert {"epochs", "wider"} <= kinds
    for t in found.trials:  # every trial is a real run: its numbers are what the engine gives
        assert np.isfinite(t.before) and t.before == pytest.approx(found.best)
    wider = next(t for t in found.helpful if t.kind == "wider")
    assert wider.sizes == (1, 8, 1) and wider.after < 0.05
    more = next(t for t in found.helpful if t.kind == "epochs")
    assert more.settings == TrainSettings(0.1, 400, 100, 0, 1.0)
    # the "more epochs" trial continued the best restarts: training them from scratch for 400 epochs agrees
    again = nnviz.restarts(net, ds.X, ds.Y, 100, 0, 1.0, 0.1, 400)
    assert again.final_loss[again.best] == pytest.approx(more.after, rel=1e-6)


def test_the_circle_on_the_paper_network_is_high_and_only_a_wider_network_helps():
    net = adapt_network(presets.paper_network(), 2, 1)
    ds = data.classification("circle", 200, 0.1, 0.5, 0)
    job = TrainingJob(net, ds, defaults_for("classification"))
    job.run()
    found = advise(job)
    assert found is not None and "settled" in found.reason
    assert [t.kind for t in found.helpful] == ["wider"]


def test_the_rule_for_high():
    Y = np.array([[0.0], [1.0], [0.0], [1.0]])
    assert constant_loss(Y) == pytest.approx(0.25)
    assert is_high(0.026, Y) and not is_high(0.024, Y)
    assert is_high(1e-5, np.ones((3, 1))) and not is_high(0.0, np.ones((3, 1)))


def test_trials_keep_to_their_budget():
    net, ds = default_case("regression")
    job = TrainingJob(net, ds, TrainSettings(0.1, 100, 100, 0, 1.0))
    job.run()
    found = advise(job, budget=32 * 100 * 10)  # ten restarts' worth
    by_kind = {t.kind: t for t in found.trials}
    assert "restarts" not in by_kind  # 300 more restarts do not fit
    assert "10 restarts" in by_kind["step"].how and "best 3 restarts" in by_kind["epochs"].how
    assert advise(job, budget=10) is not None and not advise(job, budget=10).trials
    assert advice.HIGH == 0.1
