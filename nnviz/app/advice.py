"""Training that succeeds by default, and measured advice when it does not.

Two things the Training page needs beyond the engine:

- :data:`DEFAULTS`: per data kind, the SGD settings a first run starts from, the
  data and network they were chosen for, and the best final loss that run
  reaches (``tests/engine/test_advice.py`` trains each and holds it to that).
  They were chosen by running :func:`nnviz.restarts` over a grid of step sizes
  (0.05-0.5), epochs (100-1000) and initial scales (0.5-2) on five seeds each.
- :func:`advise`: when the best restart's loss stays *high*, a reason and the
  changes that helped **when tried**. Nothing is suggested on a hunch: every
  candidate (more epochs, a smaller or larger step size, more restarts, a wider
  network) is run with the engine within :data:`TRIAL_STEPS` restart-sample
  steps, and only those that cut the best loss to at most :data:`HELPS` times
  what it was are offered, each with the numbers measured.

The rule for *high*: the best final loss is above :data:`HIGH` times the loss
of the best constant guess (predicting the mean of the targets everywhere), that
is, the network explains less than 90 % of the targets' variance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from nnviz import presets
from nnviz.app.trainjob import TrainingJob, TrainSettings
from nnviz.network import Network
from nnviz.training import initial_weights, train

HIGH = 0.1  # best loss above this share of the constant guess's loss is "high"
HELPS = 0.7  # a change helps when the best loss it reaches is at most this share of the current one
TRIAL_STEPS = 1_500_000  # restart-sample steps one trial may take (about 0.1-0.2 s on 2 cores)
STEP_FACTORS = (0.3, 3.0)  # step sizes tried, relative to the current one
MORE_EPOCHS = 3  # "more epochs" continues training for this many times the epochs run
MORE_RESTARTS = 4  # "more restarts" tries this many times the restarts in all
WIDE = 8  # the wider network's hidden layer has at least this many neurons


@dataclass(frozen=True)
class KindDefaults:
    """The defaults of one data kind: what was measured, on what, and what it reaches."""

    data: str  # the default data set of this kind
    network: str  # the network it was measured on (the app's default network, fitted to the data)
    settings: TrainSettings
    loss: float  # the best final loss of a default run is below this (seed 0 reaches far less)


DEFAULTS: dict[str, KindDefaults] = {
    # seeds 0-4 reach 0.0018, 0.0029, 0.0009, 0.0056, 0.0010 (step 0.1 / 100 epochs / scale 1 reached 0.178)
    "regression": KindDefaults(
        "sin(2x), 32 points in [-2, 2]", "the paper's network", TrainSettings(0.05, 500, 100, 0, 2.0), 0.01
    ),
    # every seed 0-4 reaches < 1e-4 (step 0.1 / 100 epochs / scale 1 reached 0.198)
    "boolean": KindDefaults(
        "XOR", "the paper's network adapted to 2 inputs", TrainSettings(0.5, 200, 100, 0, 1.0), 0.01
    ),
    # seeds 0-4 reach 0.0002-0.0004; the circle needs a wider first layer (best 0.05 here, 0.012 on 2,8,1)
    "classification": KindDefaults(
        "two gaussians, 200 points, noise 0.1, half held out",
        "the paper's network adapted to 2 inputs",
        TrainSettings(0.1, 100, 100, 0, 1.0),
        0.01,
    ),
    "csv": KindDefaults("an uploaded CSV file", "the current network", TrainSettings(0.05, 500, 100, 0, 2.0), np.inf),
}


def defaults_for(kind: str) -> TrainSettings:
    """The first-run settings for data of ``kind`` (a :data:`nnviz.data.KINDS` entry)."""
    return DEFAULTS.get(kind, DEFAULTS["regression"]).settings


def constant_loss(Y: np.ndarray) -> float:
    """The mean loss of the best constant guess, the targets' mean: sum over outputs of their variance."""
    Y = np.asarray(Y, dtype=float)  # (S, n_out)
    return float(((Y - Y.mean(axis=0)) ** 2).sum(axis=1).mean())


def is_high(best_loss: float, Y: np.ndarray) -> bool:
    """True when ``best_loss`` is above :data:`HIGH` times :func:`constant_loss` of ``Y``."""
    base = constant_loss(Y)
    return bool(best_loss > HIGH * base) if base > 0 else bool(best_loss > 1e-6)


@dataclass(frozen=True)
class Trial:
    """One change tried: what it was, how it was measured, the best loss before and after it.

    ``settings`` are the settings to train with to get it (for a setting change);
    ``sizes`` the layer sizes of the wider network (for a network change).
    """

    kind: str  # "epochs", "step", "restarts" or "wider"
    change: str  # what to change, e.g. "a step size of 0.015 (0.3x)"
    how: str  # how it was measured
    before: float
    after: float
    settings: TrainSettings | None = None
    sizes: tuple[int, ...] | None = None

    @property
    def helps(self) -> bool:
        """True when the change cut the best loss to at most :data:`HELPS` of what it was."""
        return bool(np.isfinite(self.after) and self.after <= HELPS * self.before)


@dataclass(frozen=True)
class Advice:
    """Why the best loss is high and the measured changes (``trials``; ``helpful`` ones first)."""

    best: float
    constant: float
    reason: str
    trials: tuple[Trial, ...]

    @property
    def helpful(self) -> list[Trial]:
        """The trials that helped, best first."""
        return sorted((t for t in self.trials if t.helps), key=lambda t: t.after)


def _best(losses: np.ndarray) -> float:
    finite = losses[np.isfinite(losses)]
    return float(finite.min()) if finite.size else float("inf")


def _count(budget: int, per_restart: int, most: int) -> int:
    """How many restarts of ``per_restart`` steps fit in ``budget`` (at most ``most``; 0 if not one)."""
    return min(most, budget // max(1, per_restart))


def reason(job: TrainingJob) -> str:
    """A sentence saying why the run ended where it did, read from its loss curves."""
    res = job.result()
    r = job.settings.restarts
    diverged = int(res.diverged.sum())
    curve = res.loss_history[res.best]  # (epochs + 1,)
    tenth = max(1, job.epochs_done // 10)
    falling = job.epochs_done > 1 and curve[-1 - tenth] > 1.05 * curve[-1]
    if diverged > r // 10:
        return f"{diverged:,} of {r:,} restarts diverged: the step size is too large for many starting points."
    if falling:
        return (
            f"The best restart's loss was still falling when training stopped "
            f"({curve[-1 - tenth]:.4g} → {curve[-1]:.4g} over the last {tenth:,} epochs)."
        )
    return (
        "The best restart has settled (its loss changed by less than 5 % over the last tenth of the epochs): "
        "a local minimum, or a network too small for these data."
    )


def _step_trials(job: TrainingJob, budget: int) -> list[Trial]:
    s, data = job.settings, job.data
    k = _count(budget, data.size * s.epochs, s.restarts)
    if k < 1:
        return []
    before = _best(job.result().final_loss[:k])
    out = []
    for factor in STEP_FACTORS:
        eta = s.step_size * factor
        run = train(job.net, data.X, data.Y, job.initial[:k], eta, s.epochs)
        out.append(
            Trial(
                "step",
                f"a step size of {eta:.4g} ({factor:g}× the {s.step_size:g} used)",
                f"the first {k:,} restarts trained again from the same starting weights",
                before,
                _best(np.where(run.diverged, np.inf, run.final_loss)),
                settings=replace(s, step_size=float(f"{eta:.4g}")),
            )
        )
    return out


def _epochs_trial(job: TrainingJob, budget: int) -> list[Trial]:
    s, data = job.settings, job.data
    res = job.result()
    extra = MORE_EPOCHS * s.epochs
    k = _count(budget, data.size * extra, s.restarts)
    if k < 1:
        return []
    order = np.argsort(np.where(res.diverged, np.inf, res.final_loss), kind="stable")[:k]  # (k,) best first
    run = train(job.net, data.X, data.Y, res.weights[order], s.step_size, extra)
    after = min(_best(np.where(run.diverged, np.inf, run.final_loss)), _best(res.final_loss))
    return [
        Trial(
            "epochs",
            f"{s.epochs * (1 + MORE_EPOCHS):,} epochs instead of {s.epochs:,}",
            f"the best {k:,} restarts trained for {extra:,} more epochs",
            _best(res.final_loss),
            after,
            settings=replace(s, epochs=s.epochs * (1 + MORE_EPOCHS)),
        )
    ]


def _restarts_trial(job: TrainingJob, budget: int) -> list[Trial]:
    s, data = job.settings, job.data
    k = _count(budget, data.size * s.epochs, (MORE_RESTARTS - 1) * s.restarts)
    if k < s.restarts:
        return []
    fresh = initial_weights(job.net, k, s.seed + 1, s.init_scale)  # (k, E): other draws than the run's
    run = train(job.net, data.X, data.Y, fresh, s.step_size, s.epochs)
    before = _best(job.result().final_loss)
    total = s.restarts + k
    return [
        Trial(
            "restarts",
            f"{total:,} restarts instead of {s.restarts:,}",
            f"{k:,} more restarts trained from other random starting weights",
            before,
            min(before, _best(np.where(run.diverged, np.inf, run.final_loss))),
            settings=replace(s, restarts=total),
        )
    ]


def wider_sizes(net: Network) -> tuple[int, ...]:
    """Layer sizes of a wider network for the same data: one hidden layer of at least :data:`WIDE` neurons."""
    layers = net.layers() or net.stages()
    widest = max((sum(net.neuron(n).role == "hidden" for n in layer) for layer in layers), default=0)
    return (len(net.inputs), max(WIDE, 2 * widest), len(net.outputs))


def wider_functions(net: Network) -> tuple[str, str]:
    """The hidden and output functions of the wider network: ``net``'s most common hidden one, its first output's."""
    hidden = [str(n.activation) for n in net.neurons if n.role == "hidden"]
    act = max(sorted(set(hidden)), key=hidden.count) if hidden else "sigmoid"
    return act, str(net.neuron(net.outputs[0]).activation or "identity")


def wider_network(net: Network, seed: int = 0) -> Network:
    """The network :func:`wider_sizes` describes, with :func:`wider_functions`."""
    return presets.layered(wider_sizes(net), *wider_functions(net), seed=seed)


def _wider_trial(job: TrainingJob, budget: int) -> list[Trial]:
    s, data = job.settings, job.data
    wide = wider_network(job.net)
    if len(wide.edges) <= len(job.net.edges):
        return []
    cost = len(wide.edges) / max(1, len(job.net.edges))  # a step costs about as much as the edges it updates
    k = _count(int(budget / cost), data.size * s.epochs, s.restarts)
    if k < 1:
        return []
    run = train(wide, data.X, data.Y, initial_weights(wide, k, s.seed, s.init_scale), s.step_size, s.epochs)
    sizes = wider_sizes(job.net)
    return [
        Trial(
            "wider",
            f"a wider network: fully connected layers {','.join(map(str, sizes))}",
            f"{k:,} restarts of it trained with the same settings",
            _best(job.result().final_loss),
            _best(np.where(run.diverged, np.inf, run.final_loss)),
            sizes=sizes,
        )
    ]


TRIALS: tuple[Callable[[TrainingJob, int], list[Trial]], ...] = (
    _epochs_trial,
    _step_trials,
    _restarts_trial,
    _wider_trial,
)


def advise(job: TrainingJob, budget: int = TRIAL_STEPS) -> Advice | None:
    """Why ``job``'s best loss is high and what helped when tried; None when it is not high.

    Each trial takes at most ``budget`` restart-sample steps (fewer restarts
    when the run is big; a trial that cannot fit one restart is left out).
    """
    res = job.result()
    best = _best(np.where(res.diverged, np.inf, res.final_loss))
    if np.isfinite(best) and not is_high(best, job.data.Y):
        return None
    trials = tuple(t for trial in TRIALS for t in trial(job, budget))
    return Advice(best, constant_loss(job.data.Y), reason(job), trials)
