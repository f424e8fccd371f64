"""A training run from many random restarts, in resumable chunks of epochs.

The engine's :func:`nnviz.training.train` trains R restarts at once. An app
needs a progress bar, a Stop button, and the loss on a test split after every
epoch; a :class:`TrainingJob` gives all three by calling ``train`` on chunks
of epochs and stitching the chunks together. The job keeps everything it has
done so far, so stopping between chunks loses nothing.

Chunks are fixed by the settings alone (one epoch at a time when there is a
test split, otherwise about :data:`CHUNK_STEPS` restart-sample steps), so a
job is reproducible: with the sample order as listed it equals one call to
:func:`nnviz.restarts`; shuffled, chunk c draws its orders from the seed
``(seed, c)``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnviz import kernel
from nnviz.data import Dataset
from nnviz.network import Network, NetworkError
from nnviz.training import MAX_RESTARTS, TrainResult, best_restart, initial_weights, train

CHUNK_STEPS = 1_000_000  # restart-sample steps per chunk (well under a second)
MAX_HISTORY = 2_000_000  # restarts x (epochs + 1) loss values kept (16 MB)
MAX_STEPS = 500_000_000  # restarts x points x epochs of one job
#: A job progress callback gets (epochs done, epochs planned); returning False stops the job.
JobProgress = Callable[[int, int], "bool | None"]


@dataclass(frozen=True)
class TrainSettings:
    """What the Training page lets the user choose (see :func:`nnviz.restarts`)."""

    step_size: float = 0.1
    epochs: int = 100
    restarts: int = 100
    seed: int = 0
    init_scale: float = 1.0
    shuffle: bool = False

    def check(self, points: int) -> None:
        """Raise ``NetworkError`` naming the first setting out of range for ``points`` training points."""
        if not (math.isfinite(self.step_size) and self.step_size >= 0):
            raise NetworkError(f"the step size {self.step_size} must be a finite number >= 0")
        if not 1 <= self.restarts <= MAX_RESTARTS:
            raise NetworkError(f"restarts must be from 1 to {MAX_RESTARTS:,}, not {self.restarts}")
        if self.epochs < 1:
            raise NetworkError(f"epochs must be at least 1, not {self.epochs}")
        if not (math.isfinite(self.init_scale) and self.init_scale >= 0):
            raise NetworkError(f"the initial weight scale {self.init_scale} must be a finite number >= 0")
        if self.restarts * (self.epochs + 1) > MAX_HISTORY:
            raise NetworkError(
                f"{self.restarts:,} restarts x {self.epochs:,} epochs keeps too many losses; "
                f"keep restarts x epochs under {MAX_HISTORY:,}"
            )
        if self.steps(points) > MAX_STEPS:
            raise NetworkError(
                f"{self.restarts:,} restarts x {points:,} points x {self.epochs:,} epochs is "
                f"{self.steps(points):,} steps; the limit is {MAX_STEPS:,}"
            )

    def steps(self, points: int) -> int:
        """Restart-sample SGD steps of a full run on ``points`` training points."""
        return self.restarts * points * self.epochs


def chunk_epochs(settings: TrainSettings, points: int, has_test: bool) -> int:
    """Epochs per engine call: 1 with a test split, else about :data:`CHUNK_STEPS` steps' worth."""
    if has_test:
        return 1
    return max(1, min(settings.epochs, CHUNK_STEPS // max(1, settings.restarts * points)))


def chunk_seed(seed: int, chunk: int) -> int:
    """The shuffle seed of chunk ``chunk`` of a run seeded ``seed`` (a replay re-runs a chunk with it)."""
    return int(np.random.SeedSequence((seed, chunk)).generate_state(1)[0])


def mean_losses(net: Network, weights: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Mean loss over the points of ``X`` for each weight vector ``(R, E)``: ``(R,)``, NaN where not finite."""
    out = kernel.mean_losses(net, weights, X, Y)  # (R,)
    return np.where(np.isfinite(out), out, np.nan)


class TrainingJob:
    """Per-sample SGD of ``net`` on ``data`` from ``settings.restarts`` random starts, chunk by chunk.

    ``history`` ``(R, epochs + 1)`` holds the mean training loss before
    training and after each epoch (NaN where not yet run or diverged);
    ``test_history`` the same on the test split, or None.
    """

    def __init__(self, net: Network, data: Dataset, settings: TrainSettings) -> None:
        settings.check(data.size)
        if len(net.inputs) != data.n_in or len(net.outputs) != data.n_out:
            raise NetworkError(
                f"the network has {len(net.inputs)} inputs and {len(net.outputs)} outputs; "
                f"the data has {data.n_in} and {data.n_out}"
            )
        self.net, self.data, self.settings = net, data, settings
        r = settings.restarts
        self.chunk = chunk_epochs(settings, data.size, data.has_test)
        self.initial = initial_weights(net, r, settings.seed, settings.init_scale)  # (R, E)
        self.weights = self.initial.copy()  # (R, E)
        self.history = np.full((r, settings.epochs + 1), np.nan)  # (R, epochs + 1)
        self.history[:, 0] = mean_losses(net, self.initial, data.X, data.Y)
        self.diverged = np.isnan(self.history[:, 0])  # (R,)
        self.test_history = None
        if data.has_test:
            self.test_history = np.full_like(self.history, np.nan)
            self.test_history[:, 0] = mean_losses(net, self.initial, data.X_test, data.Y_test)
        self.epochs_done = 0
        self.chunks_done = 0
        self.seconds = 0.0
        self.steps = 0
        self.stopped = False

    @property
    def finished(self) -> bool:
        """True when every epoch ran, the job was stopped, or every restart diverged."""
        return self.stopped or self.epochs_done >= self.settings.epochs or bool(self.diverged.all())

    @property
    def fraction(self) -> float:
        """Share of the planned epochs done, 0..1."""
        return self.epochs_done / self.settings.epochs

    def stop(self) -> None:
        """Finish now, keeping the epochs done so far."""
        self.stopped = True

    def advance(self, progress: JobProgress | None = None) -> None:
        """Train the next chunk of epochs (nothing when finished).

        ``progress(epochs done, epochs planned)`` is called after every epoch;
        returning False stops the job after that epoch.
        """
        if self.finished:
            return
        s, done = self.settings, self.epochs_done
        n = min(self.chunk, s.epochs - done)
        active = np.flatnonzero(~self.diverged)  # (Ra,)
        seed = chunk_seed(s.seed, self.chunks_done) if s.shuffle else None
        halted = False

        def relay(epoch: int, _history: np.ndarray) -> bool | None:
            nonlocal halted
            if progress is not None and progress(done + epoch, s.epochs) is False:
                halted = True
                return False
            return None

        res = train(self.net, self.data.X, self.data.Y, self.weights[active], s.step_size, n, seed, relay)
        ran = res.epochs_run
        self.history[active, done + 1 : done + 1 + ran] = res.loss_history[:, 1:]
        self.weights[active] = res.weights
        self.diverged[active] = res.diverged
        if self.test_history is not None and ran:
            test = mean_losses(self.net, self.weights, self.data.X_test, self.data.Y_test)  # (R,)
            self.test_history[:, done + ran] = np.where(self.diverged, np.nan, test)
        self.epochs_done += ran
        self.chunks_done += 1
        self.seconds += res.seconds
        self.steps += res.steps
        if halted or (ran < n and not self.diverged.all()):
            self.stopped = True

    def run(self, progress: JobProgress | None = None) -> TrainResult:
        """Train every remaining chunk and return :meth:`result`."""
        while not self.finished:
            self.advance(progress)
        return self.result()

    def result(self) -> TrainResult:
        """The run so far as a :class:`~nnviz.training.TrainResult` (history up to the last epoch done)."""
        hist = self.history[:, : self.epochs_done + 1]
        best = best_restart(hist, self.diverged)
        return TrainResult(
            self.net,
            self.initial,
            self.weights.copy(),
            hist,
            self.diverged.copy(),
            best,
            self.epochs_done,
            self.seconds,
            self.steps,
        )

    def test_losses(self) -> np.ndarray | None:
        """The test-loss history up to the last epoch done ``(R, epochs_done + 1)``, or None."""
        return None if self.test_history is None else self.test_history[:, : self.epochs_done + 1]


def history_csv(job: TrainingJob) -> str:
    """The loss history as CSV text, one row per restart and epoch.

    Columns: restart, epoch, train_loss, test_loss (when there is a test
    split), diverged (1 if that restart diverged at some point). Epoch 0 is
    before training; NaN marks epochs after a restart diverged.
    """
    hist = job.history[:, : job.epochs_done + 1]  # (R, T)
    r, t = hist.shape
    cols = [np.repeat(np.arange(r), t), np.tile(np.arange(t), r), hist.ravel()]
    header, fmt = ["restart", "epoch", "train_loss"], ["%d", "%d", "%.10g"]
    test = job.test_losses()
    if test is not None:
        cols.append(test.ravel())
        header.append("test_loss")
        fmt.append("%.10g")
    cols.append(np.repeat(job.diverged.astype(int), t))
    header.append("diverged")
    fmt.append("%d")
    out = io.StringIO()
    np.savetxt(out, np.column_stack(cols), fmt=fmt, delimiter=",", header=",".join(header), comments="")
    return out.getvalue()
