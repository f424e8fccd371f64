"""The weights along SGD runs: where restarts went, epoch by epoch, for drawing their paths.

A training run keeps only each restart's initial and final weights.
:func:`sgd_paths` re-runs chosen restarts from their initial weights with the
public :func:`nnviz.train` (the same SGD, batch size and L2, so the same numbers) and
records their weights at sampled epochs, always the first and the last.
:func:`follow` is the general form: it takes the order of the points of every
epoch, so a run made of several calls (such as the app's chunked training
jobs, each chunk shuffled with its own seed) can be replayed exactly.

Cost: the replay does what the run did for the chosen restarts, so it is
bounded by the caller's choice of restarts (the app draws at most 50). Between
two recorded epochs the points of all those epochs are passed to one ``train``
call: an epoch is a pass over its points in order, and a pass over the
concatenated orders is those epochs one after another (with mini-batches only
when S is a multiple of the batch size, so that no batch straddles two epochs;
otherwise each epoch is its own call). When a restart diverges
inside such a stretch, the stretch is run again one epoch at a time for it, so
it stops where the run stopped it (the last finite weights before the epoch
that diverged).

This replaces nothing: a recorded weight history, when training keeps one,
gives the same arrays without re-running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from nnviz.checks import batch_settings as check_batch
from nnviz.checks import float_array, real, training_data, whole
from nnviz.checks import seed as seed_or_none
from nnviz.network import Network, NetworkError, as_network
from nnviz.training import MAX_EPOCHS, train

MAX_PATHS = 50
MAX_RECORDED = 201  # epochs recorded per path at most
MAX_ROWS = 200_000  # points passed to one train call at most
_END = object()  # the end of the orders


@dataclass(frozen=True)
class SGDPaths:
    """Weights of R restarts at recorded epochs.

    ``epochs`` ``(K,)`` the recorded epoch numbers (0 = the initial weights);
    ``weights`` ``(R, K, E)`` in ``net.edges`` order (a diverged restart keeps its
    last finite weights from where it stopped on); ``diverged`` ``(R,)``.
    """

    epochs: np.ndarray
    weights: np.ndarray
    diverged: np.ndarray

    @property
    def final(self) -> np.ndarray:
        """The weights after the last recorded epoch, ``(R, E)``."""
        return self.weights[:, -1]


def recorded_epochs(epochs: int, points: int) -> np.ndarray:
    """At most ``points`` epochs evenly spread over 0..``epochs``, always 0 and ``epochs``: ``(K,)``."""
    points = max(2, min(points, epochs + 1))
    return np.unique(np.round(np.linspace(0, epochs, points)).astype(np.int64))


def _stretch(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    rule: tuple[float, int, float],
    orders: list[np.ndarray | None],
) -> tuple[np.ndarray, np.ndarray]:
    """Weights ``(r, E)`` and diverged ``(r,)`` after the epochs ``orders`` (None: as listed) from ``w``.

    ``rule`` is (step size, batch size, l2) as :func:`nnviz.train` takes them.
    """
    step_size, batch, l2 = rule
    if all(o is None for o in orders):  # as listed: exactly train's own epochs
        res = train(net, x, y, w, step_size, len(orders), batch_size=batch, l2=l2)
        return res.weights, res.diverged
    w, diverged = w.copy(), np.zeros(len(w), dtype=bool)
    s = x.shape[0]
    batch = min(batch, s)  # a batch never spans two epochs, also when the epochs are joined
    # Epochs joined into one pass keep their batches only when every batch is full.
    per_call = max(1, MAX_ROWS // s) if s % batch == 0 else 1
    for lo in range(0, len(orders), per_call):
        part = [np.arange(s) if o is None else o for o in orders[lo : lo + per_call]]
        idx = np.concatenate(part)  # the points of these epochs, in order
        live = np.flatnonzero(~diverged)
        if live.size == 0:
            break
        res = train(net, x[idx], y[idx], w[live], step_size, 1, batch_size=batch, l2=l2)
        w[live[~res.diverged]] = res.weights[~res.diverged]
        for r in live[res.diverged]:  # again one epoch at a time, to stop where the run stopped
            for order in part:
                one = train(net, x[order], y[order], w[r : r + 1], step_size, 1, batch_size=batch, l2=l2)
                w[r] = one.weights[0]
                if one.diverged[0]:
                    diverged[r] = True
                    break
    return w, diverged


def _order(order: object, s: int, epoch: int) -> np.ndarray:
    """``order`` as point indices ``(S,)``; ``NetworkError`` naming the epoch otherwise."""
    bad = NetworkError(f"the order of epoch {epoch} is not a list of {s} point indices")
    try:
        values = float_array(order, f"the order of epoch {epoch}", finite=True)
    except NetworkError:
        raise bad from None
    if values.shape != (s,) or (values != np.round(values)).any() or values.min() < 0 or values.max() >= s:
        raise bad
    return values.astype(np.int64)


def follow(
    net: Network,
    X: object,
    Y: object,
    initial_weights: object,
    step_size: float,
    orders: Iterable[np.ndarray | None],
    record: object,
    *,
    batch_size: int = 1,
    l2: float = 0.0,
) -> SGDPaths:
    """SGD from ``initial_weights`` ``(R, E)`` over the epochs ``orders``, recording weights.

    Parameters
    ----------
    batch_size, l2 : keyword-only
        As for :func:`nnviz.train`: points per update (1: the paper's per-sample
        SGD) and the L2 rate.
    orders : iterable
        One entry per epoch: the indices of the points in the order that epoch takes
        them ``(S,)``, or None for the order as listed.
    record : array-like of int
        Epoch numbers to record (0 = before training); sorted, within 0..len(orders).

    Returns
    -------
    SGDPaths
        ``weights`` ``(R, len(record), E)``.
    """
    x, y = training_data(as_network(net), X, Y)  # (S, n_in), (S, n_out)
    w = np.array(float_array(initial_weights, "initial_weights"))
    if w.ndim != 2 or w.shape[1] != len(net.edges) or not 1 <= w.shape[0] <= MAX_PATHS:
        raise NetworkError(f"initial_weights has shape {w.shape}; expected (R, {len(net.edges)}), R <= {MAX_PATHS}")
    rec = float_array(record, "record", finite=True)
    if rec.ndim != 1 or rec.size == 0 or (rec != np.round(rec)).any() or (np.diff(rec) <= 0).any() or rec[0] < 0:
        raise NetworkError("record must list increasing whole epoch numbers >= 0")
    if rec[-1] > MAX_EPOCHS:
        raise NetworkError(f"record asks for epoch {rec[-1]:g}; at most {MAX_EPOCHS:,}")
    rec = rec.astype(np.int64)
    step_size = real(step_size, "the step size", lo=0.0)
    batch_size, l2 = check_batch(batch_size, l2)
    if rec.size > MAX_RECORDED:
        raise NetworkError(f"record lists {rec.size} epochs; at most {MAX_RECORDED}")
    out = np.empty((w.shape[0], rec.size, w.shape[1]))  # (R, K, E)
    diverged = np.zeros(w.shape[0], dtype=bool)
    try:
        epochs, epoch = iter(orders), 0  # type: ignore[call-overload]
    except TypeError:
        raise NetworkError("orders must be an iterable of point orders (or None), one per epoch") from None
    for k, target in enumerate(rec.tolist()):
        pending: list[np.ndarray | None] = []
        while epoch < target:
            order = next(epochs, _END)
            if order is _END:
                raise NetworkError(f"record asks for epoch {target}; there are only {epoch} epochs")
            if order is not None:
                order = _order(order, x.shape[0], epoch + 1)
            pending.append(order)
            epoch += 1
        live = np.flatnonzero(~diverged)
        if pending and live.size:
            w[live], gone = _stretch(net, x, y, w[live], (step_size, batch_size, l2), pending)
            diverged[live[gone]] = True
        out[:, k] = w
    return SGDPaths(rec, out, diverged)


def sgd_paths(
    net: Network,
    X: object,
    Y: object,
    initial_weights: object,
    step_size: float,
    epochs: int,
    shuffle_seed: int | None = None,
    points: int = 101,
    *,
    batch_size: int = 1,
    l2: float = 0.0,
) -> SGDPaths:
    """Paths of ``nnviz.train(net, X, Y, initial_weights, step_size, epochs, shuffle_seed, batch_size=, l2=)``.

    The weights of each restart (at most 50) at ``points`` epochs evenly spread over
    0..``epochs`` (at most 201, always the first and the last). The last recorded
    weights equal the run's final weights, diverged restarts included.
    """
    epochs = whole(epochs, "epochs", 0, MAX_EPOCHS)
    points = whole(points, "points", 2, MAX_RECORDED)
    shuffle_seed = seed_or_none(shuffle_seed, "shuffle_seed")
    s = training_data(as_network(net), X, Y)[0].shape[0]
    if shuffle_seed is None:
        orders: Iterable[np.ndarray | None] = (None for _ in range(epochs))
    else:
        rng = np.random.default_rng(shuffle_seed)
        orders = (rng.permutation(s) for _ in range(epochs))
    record = recorded_epochs(epochs, points)
    return follow(net, X, Y, initial_weights, step_size, orders, record, batch_size=batch_size, l2=l2)
