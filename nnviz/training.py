"""Stochastic gradient descent as in the paper, over many random restarts at once.

After each training point every weight moves by ``-step_size * dl/dw``; an epoch
is one pass over the training set S (in order, or shuffled per epoch with a
seed). Beyond the paper, ``batch_size`` B and ``l2`` turn this into mini-batch
SGD with L2 regularisation: each run of B consecutive points of the epoch's
order (the last run may be shorter) moves every weight once, by
``-step_size * (mean over the batch of dl/dw + l2 * w)``, where ``l2`` is 0 for
the weights leaving bias neurons. ``batch_size=1, l2=0`` (the defaults) is the
paper's per-sample SGD, bit for bit. :func:`restarts` draws R initial weight vectors and trains all R
together: the loop over samples is sequential, but each step runs over all R
restarts at once in the compiled loops of :mod:`nnviz.kernel`, split across
the machine's cores. Restart r gives the same
history and weights as :func:`sgd` started from ``initial_weights[r]``.

A restart whose loss becomes non-finite (or whose weights pass the network's
limit of +-1e12) is marked diverged and stops: its
weights stay those it had before the epoch that diverged, its later losses are
NaN, and the other restarts are untouched.

Weight history: with ``record="all"`` or a sequence of restart indices, the
run also keeps the weights of those restarts before training and after every
epoch, ``weight_history`` ``(len(recorded), epochs_run + 1, E)``. Entry
``[i, k]`` is what :func:`sgd` from ``initial_weights[recorded[i]]`` gives after
k epochs, and its mean loss over S is ``loss_history[recorded[i], k]``. A
diverged restart's history stops where it stopped: it is NaN exactly where
its loss is NaN (from the epoch that diverged on; entry 0 is always the
initial weights). Each epoch copies only the recorded restarts' rows, so
recording a few restarts costs next to nothing; a request whose history would
pass :data:`nnviz.weight_history.MAX_HISTORY_BYTES` is refused before anything is allocated.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nnviz import kernel
from nnviz.checks import batch_settings as check_batch
from nnviz.checks import callback, float_array, order_rng, real, training_data, whole
from nnviz.kernel import Layout
from nnviz.network import MAX_ABS_VALUE, Network, NetworkError, as_network
from nnviz.weight_history import Record, Recorder, check_history_size
from nnviz.weight_history import recorded as recorded_restarts

MAX_RESTARTS = 5_000
MAX_EPOCHS = 100_000
#: A progress callback gets (epochs done, loss history so far (R, epochs done + 1))
#: and may return False to stop training early.
Progress = Callable[[int, np.ndarray], "bool | None"]


def _no_history() -> np.ndarray:
    return np.empty((0, 1, 0))


@dataclass(frozen=True)
class TrainResult:
    """What a training run returns (see the module docstring).

    ``initial_weights`` and ``weights`` are ``(R, E)`` in ``net.edges`` order;
    ``loss_history`` is ``(R, epochs_run + 1)``: the mean loss over S before
    training and after each epoch; ``diverged`` ``(R,)``; ``best`` the restart
    with the lowest final loss among those that did not diverge, or None when
    every restart diverged (see :attr:`all_diverged`).
    """

    net: Network
    initial_weights: np.ndarray
    weights: np.ndarray
    loss_history: np.ndarray
    diverged: np.ndarray
    best: int | None
    epochs_run: int
    seconds: float
    steps: int  # restart-sample steps taken
    recorded: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # (K,) restart indices
    weight_history: np.ndarray = field(default_factory=_no_history)  # (K, epochs_run + 1, E), NaN after divergence

    @property
    def final_loss(self) -> np.ndarray:
        """The last recorded mean loss of each restart, ``(R,)`` (NaN if diverged)."""
        return self.loss_history[:, -1]

    @property
    def all_diverged(self) -> bool:
        """True when every restart diverged: there is no best restart and no trained network."""
        return bool(self.diverged.all())

    @property
    def best_network(self) -> Network | None:
        """The network with the best restart's weights, or None when every restart diverged."""
        return None if self.best is None else self.network(self.best)

    def network(self, r: int) -> Network:
        """The network with restart ``r``'s final weights."""
        return self.net.with_weights(self.weights[r])


def _check_settings(step_size: object, epochs: object, r: object) -> tuple[float, int, int]:
    """(step size, epochs, restarts) checked; ``NetworkError`` naming the first bad one."""
    return (
        real(step_size, "the step size", lo=0.0),
        whole(epochs, "epochs", 0, MAX_EPOCHS),
        whole(r, "restarts", 1, MAX_RESTARTS),
    )


class _Chunk:
    """The restarts still training: ids ``(r,)`` and their chunked weights ``(T, E, r / T)``."""

    def __init__(self, layout: Layout, ids: np.ndarray, weights: np.ndarray) -> None:
        self.layout, self.ids = layout, ids
        self.w = kernel.to_chunks(layout, weights)
        self.bad = np.zeros(ids.size, dtype=bool)

    def weights(self) -> np.ndarray:
        """Network-order weights ``(r, E)`` of the restarts still training."""
        return kernel.from_chunks(self.layout, self.w, self.ids.size)

    def drop_bad(self) -> tuple[np.ndarray, np.ndarray]:
        """Stop the restarts marked bad; return their ids ``(k,)`` and their weights ``(k, E)``."""
        if not self.bad.any():
            return self.ids[:0], np.empty((0, self.w.shape[1]))
        weights, keep = self.weights(), ~self.bad
        gone = self.ids[self.bad], weights[self.bad]
        self.ids, self.w = self.ids[keep], kernel.to_chunks(self.layout, weights[keep])
        self.bad = np.zeros(self.ids.size, dtype=bool)
        return gone

    def epoch(
        self, x: np.ndarray, y: np.ndarray, order: np.ndarray, step_size: float, batch: int = 1, l2: float = 0.0
    ) -> np.ndarray:
        """One pass over the points in ``order`` in batches of ``batch``; the mean losses after it ``(r,)``."""
        before = self.w.copy()
        n = self.ids.size
        losses = kernel.epoch(self.layout, self.w, x, y, order, step_size, batch, l2)[:n]  # (r,) without padding
        with np.errstate(invalid="ignore"):
            largest = np.abs(self.w).max(axis=1).reshape(-1)[:n]  # (r,) NaN-safe: NaN <= x is False
        self.bad = ~(np.isfinite(losses) & (largest <= MAX_ABS_VALUE))
        if self.bad.any():  # a diverged restart keeps its last finite weights
            bad = np.zeros(self.w.shape[0] * self.w.shape[2], dtype=bool)
            bad[:n] = self.bad
            self.w = np.where(bad.reshape(self.w.shape[0], 1, -1), before, self.w)  # (T, E, r)
        return np.where(self.bad, np.nan, losses)


def train(
    net: Network,
    X: object,
    Y: object,
    initial_weights: np.ndarray,
    step_size: float,
    epochs: int,
    shuffle_seed: int | np.random.Generator | None = None,
    progress: Progress | None = None,
    record: Record = None,
    *,
    batch_size: int = 1,
    l2: float = 0.0,
) -> TrainResult:
    """Per-sample (or mini-batch) SGD from each row of ``initial_weights``, all restarts at once.

    After each training point every weight moves by ``-step_size * dl/dw`` (after each batch of
    ``batch_size`` points, by the batch's mean plus ``l2 * w``); an epoch is one pass over the S
    points. A restart whose loss becomes non-finite stops; the others go on (see the module docstring).

    Parameters
    ----------
    net : Network
        The network to train.
    X : array_like, shape (S, n_in)
        The training inputs (shape (S,) for a one-input network).
    Y : array_like, shape (S, n_out)
        The targets (shape (S,) for a one-output network).
    initial_weights : ndarray, shape (R, E)
        One starting weight vector per restart, in ``net.edges`` order.
    step_size : float
        The paper's step size eta, >= 0.
    epochs : int
        Passes over the training set, 0 to :data:`MAX_EPOCHS`.
    shuffle_seed : int or numpy.random.Generator, optional
        Visit the points in a new random order each epoch, from this seed (or drawn
        from this generator: a run split in two with one generator shuffles as one
        run would); in order when None.
    progress : callable, optional
        Called after each epoch with (epochs done, loss history so far); returning
        False stops training early.
    record : "all" or sequence of int, optional
        Restarts whose weights are kept before training and after every epoch
        (see the module docstring).
    batch_size, l2 : int >= 1 and float >= 0, keyword-only
        Points per update (1: the paper's per-sample SGD) and the L2 rate (see the module docstring).

    Returns
    -------
    TrainResult
        ``initial_weights`` and final ``weights`` (R, E); ``loss_history``
        (R, epochs_run + 1), the mean loss over S before training and after each
        epoch; ``diverged`` (R,); ``best``, the restart with the lowest final loss
        (None when every restart diverged); ``weight_history``
        (K, epochs_run + 1, E) of the ``recorded`` (K,) restarts.

    Raises
    ------
    NetworkError
        If the data do not fit the network, contain NaN or infinities, or a
        setting is out of range (epochs, restarts, step size, seed, scale, record,
        batch_size, l2), or the weight history would pass :data:`nnviz.weight_history.MAX_HISTORY_BYTES`.
    """
    w0 = _initial(net, initial_weights)  # (R, E)
    step_size, epochs, _ = _check_settings(step_size, epochs, w0.shape[0])
    batch_size, l2 = check_batch(batch_size, l2)
    orders = order_rng(shuffle_seed)
    callback(progress, "progress")
    x, y = training_data(net, X, Y)
    recorded = recorded_restarts(record, w0.shape[0])
    check_history_size(recorded.size, epochs, w0.shape[1])
    recorder = Recorder(recorded, w0, epochs)
    start = time.perf_counter()
    rule = (step_size, batch_size, l2)
    final, history, diverged, steps = _run(net, w0, x, y, rule, epochs, orders, progress, recorder)
    seconds, done = time.perf_counter() - start, history.shape[1] - 1
    weight_history = recorder.history[:, : done + 1]  # (K, done + 1, E)
    best = best_restart(history, diverged)
    return TrainResult(net, w0, final, history, diverged, best, done, seconds, steps, recorded, weight_history)


def _initial(net: Network, initial_weights: object) -> np.ndarray:
    """``initial_weights`` checked as ``(R, E)`` floats for ``net``."""
    w0 = float_array(initial_weights, "initial_weights")
    if w0.ndim != 2 or w0.shape[1] != len(as_network(net).edges):
        raise NetworkError(f"initial weights have shape {w0.shape}; expected (R, {len(net.edges)})")
    return w0


def _run(
    net: Network,
    w0: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    rule: tuple[float, int, float],
    epochs: int,
    order_rng: np.random.Generator | None,
    progress: Progress | None,
    recorder: Recorder,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The epochs of :func:`train` with ``rule`` (step size, batch size, l2): final weights ``(R, E)``,
    loss history ``(R, done + 1)``, diverged ``(R,)`` and the restart-sample steps taken."""
    r_total, s = w0.shape[0], x.shape[0]
    rule = (rule[0], min(rule[1], s), rule[2])  # a batch of more than S points is all S
    history = np.full((r_total, epochs + 1), np.nan)  # (R, epochs + 1)
    diverged = np.zeros(r_total, dtype=bool)
    final = np.empty_like(w0)  # (R, E) network edge order, filled as restarts stop and at the end
    steps, done = 0, 0
    chunk = _Chunk(kernel.layout_for(net), np.arange(r_total), w0)
    history[:, 0] = kernel.mean_loss(chunk.layout, chunk.w, x, y)[:r_total]
    chunk.bad = ~np.isfinite(history[:, 0])  # a restart that cannot even be evaluated never trains
    for epoch in range(1, epochs + 1):
        gone, gone_weights = chunk.drop_bad()
        diverged[gone], final[gone] = True, gone_weights
        if chunk.ids.size == 0:
            break
        order = order_rng.permutation(s) if order_rng is not None else np.arange(s)
        history[chunk.ids, epoch] = chunk.epoch(x, y, order, *rule)
        recorder.take(chunk, epoch)
        steps += chunk.ids.size * s
        done = epoch
        if progress is not None and progress(epoch, history[:, : epoch + 1]) is False:
            break
    diverged[chunk.ids[chunk.bad]] = True
    final[chunk.ids] = chunk.weights()
    return final, history[:, : done + 1], diverged, steps


def best_restart(history: np.ndarray, diverged: np.ndarray) -> int | None:
    """The restart with the lowest last loss in ``history`` ``(R, T)`` among those not ``diverged``; None if none."""
    if diverged.all():
        return None
    return int(np.argmin(np.where(diverged, np.inf, history[:, -1])))


def initial_weights(net: Network, restarts: int, seed: int, init_scale: float = 1.0) -> np.ndarray:
    """R initial weight vectors ``(R, E)``, normal with standard deviation ``init_scale``."""
    init_scale = real(init_scale, "the initial weight scale init_scale", lo=0.0)
    seed = whole(seed, "the seed", 0)
    _, _, restarts = _check_settings(0.0, 0, restarts)
    return np.random.default_rng(seed).normal(0.0, init_scale, (restarts, len(as_network(net).edges)))


def sgd(
    net: Network,
    X: object,
    Y: object,
    step_size: float,
    epochs: int,
    shuffle_seed: int | None = None,
    progress: Progress | None = None,
    record: Record = None,
    *,
    batch_size: int = 1,
    l2: float = 0.0,
) -> TrainResult:
    """The paper's SGD from the network's current weights: a run with one restart.

    Parameters
    ----------
    net : Network
        The network to train, from its own weights.
    X, Y, step_size, epochs, shuffle_seed, progress, record, batch_size, l2
        As for :func:`train`: inputs (S, n_in), targets (S, n_out), the step
        size eta, passes over S, the shuffling seed, the per-epoch callback,
        ``"all"`` (or ``[0]``) to keep the weights after every epoch, the
        points per update (1: per-sample SGD) and the L2 rate.

    Returns
    -------
    TrainResult
        As :func:`train` returns it, with R = 1: ``weights`` (1, E),
        ``loss_history`` (1, epochs_run + 1).

    Raises
    ------
    NetworkError
        As :func:`train` does.
    """
    w0 = as_network(net).weights[None, :]
    return train(net, X, Y, w0, step_size, epochs, shuffle_seed, progress, record, batch_size=batch_size, l2=l2)


def restarts(
    net: Network,
    X: object,
    Y: object,
    restarts: int = 100,
    seed: int = 0,
    init_scale: float = 1.0,
    step_size: float = 0.1,
    epochs: int = 100,
    shuffle_seed: int | None = None,
    progress: Progress | None = None,
    record: Record = None,
    *,
    batch_size: int = 1,
    l2: float = 0.0,
) -> TrainResult:
    """Train ``restarts`` random initial weight vectors at once; keep every run.

    The initial weights are normal with standard deviation ``init_scale``,
    drawn from ``seed`` (:func:`initial_weights`): the same seed gives the same run.

    Parameters
    ----------
    net : Network
        The network to train.
    X : array_like, shape (S, n_in)
        The training inputs (shape (S,) for a one-input network).
    Y : array_like, shape (S, n_out)
        The targets (shape (S,) for a one-output network).
    restarts : int
        R, the number of random starts, 1 to :data:`MAX_RESTARTS`.
    seed : int
        Seed of the initial weights, >= 0.
    init_scale : float
        Standard deviation of the initial weights.
    step_size : float
        The paper's step size eta, >= 0.
    epochs : int
        Passes over the training set.
    shuffle_seed, progress, record, batch_size, l2
        As for :func:`train` (``record``: restarts whose weights are kept after every epoch;
        ``batch_size``: points per update, 1 for the paper's per-sample SGD; ``l2``: the L2 rate).

    Returns
    -------
    TrainResult
        As :func:`train` returns it, with ``initial_weights`` and ``weights``
        (R, E) and ``loss_history`` (R, epochs_run + 1).

    Raises
    ------
    NetworkError
        As :func:`train` does, and for a seed or ``init_scale`` out of range.
    """
    w0 = initial_weights(net, restarts, seed, init_scale)
    return train(net, X, Y, w0, step_size, epochs, shuffle_seed, progress, record, batch_size=batch_size, l2=l2)
