"""The weight history of a few restarts of a finished training job, for replaying and export.

A :class:`~nnviz.app.trainjob.TrainingJob` keeps every restart's losses but only
its current weights. :func:`replay` trains the chosen restarts again from
their initial weights with :func:`nnviz.training.train` and ``record="all"``,
following the job's chunks (and, when the job shuffles, each chunk's seed),
so the weights it keeps are exactly the ones the job passed through: restart
r's losses in the replay equal ``job.history[r]``. That costs the chosen
restarts' share of the run (K / R of it).

Every epoch is kept when the K weight vectors of all epochs fit in
:data:`MAX_KEPT_VALUES`; otherwise :data:`MAX_FRAMES` evenly spaced epochs are
kept (always the first and the last). A replay shows at most
:data:`MAX_FRAMES` of the kept epochs (:func:`sample_epochs`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import numpy as np

from nnviz.app.trainjob import TrainingJob, chunk_seed
from nnviz.network import Network, NetworkError
from nnviz.training import train
from nnviz.weight_history import MAX_HISTORY_BYTES

MAX_FRAMES = 201  # epochs a replay shows: the start and 200 more
MAX_KEPT_VALUES = 4_000_000  # weights kept per replay (32 MB) before only the shown epochs are kept
MAX_REPLAYED = 4  # restarts one replay may re-train


@dataclass(frozen=True)
class Replay:
    """The weights of ``restarts`` at the kept ``epochs``, and their whole loss histories.

    ``weights`` is ``(K, F, E)`` in ``net.edges`` order, NaN from the epoch a
    restart diverged on; ``epochs`` ``(F,)``; ``losses`` ``(K, epochs_done + 1)``
    the job's mean training loss of each restart after every epoch.
    """

    net: Network
    restarts: tuple[int, ...]
    epochs: np.ndarray
    weights: np.ndarray
    losses: np.ndarray

    @property
    def every_epoch(self) -> bool:
        """True when every epoch of the run is kept."""
        return self.epochs.size == self.losses.shape[1]

    def shown(self, most: int | None = None) -> np.ndarray:
        """Indices into :attr:`epochs` of the epochs a replay shows: at most ``most``, evenly spaced ``(F',)``."""
        return sample_epochs(self.epochs.size - 1, most)

    def network(self, i: int, f: int) -> Network:
        """The network with restart ``restarts[i]``'s weights at kept epoch ``epochs[f]``."""
        return self.net.with_weights(self.weights[i, f])


def sample_epochs(last: int, most: int | None = None) -> np.ndarray:
    """Epochs 0..``last``: all when at most ``most`` (:data:`MAX_FRAMES`), else ``most`` evenly spaced ``(F,)``."""
    most = MAX_FRAMES if most is None else most
    if last + 1 <= most:
        return np.arange(last + 1)
    return np.unique(np.round(np.linspace(0, last, most)).astype(np.int64))


def _check_restarts(job: TrainingJob, restarts: tuple[int, ...]) -> None:
    r = job.settings.restarts
    if not 1 <= len(restarts) <= MAX_REPLAYED:
        raise NetworkError(f"replay 1 to {MAX_REPLAYED} restarts, not {len(restarts)}")
    for v in restarts:
        if not 0 <= v < r:
            raise NetworkError(f"restart {v} is not one of this run's {r:,} restarts (0 to {r - 1})")


def replay(job: TrainingJob, restarts: tuple[int, ...] | list[int]) -> Replay:
    """Re-train ``restarts`` of ``job`` (its first ``job.epochs_done`` epochs) and keep their weights.

    Raises
    ------
    NetworkError
        An index out of range, or more than :data:`MAX_REPLAYED` restarts.
    """
    ids = tuple(int(v) for v in restarts)
    _check_restarts(job, ids)
    s, done, e = job.settings, job.epochs_done, len(job.net.edges)
    k = len(ids)
    kept = np.arange(done + 1) if k * (done + 1) * e <= MAX_KEPT_VALUES else sample_epochs(done, MAX_FRAMES)
    out = np.full((k, kept.size, e), np.nan)  # (K, F, E)
    out[:, 0] = job.initial[list(ids)]
    where = np.full(done + 1, -1)
    where[kept] = np.arange(kept.size)  # epoch -> its row in out, -1 when not kept
    piece = max(1, MAX_HISTORY_BYTES // (k * e * 8) - 1)  # epochs one recorded call may hold
    w = job.initial[list(ids)].copy()  # (K, E)
    alive = np.ones(k, dtype=bool)  # (K,) still training (train() itself stops a start it cannot evaluate)
    epoch, chunk = 0, 0
    while epoch < done and alive.any():
        n = min(job.chunk, done - epoch)
        rng = np.random.default_rng(chunk_seed(s.seed, chunk)) if s.shuffle else None
        end = epoch + n
        while epoch < end and alive.any():
            m = min(piece, end - epoch)
            rows = np.flatnonzero(alive)
            res = train(job.net, job.data.X, job.data.Y, w[rows], s.step_size, m, rng, record="all")
            hist = res.weight_history  # (k_alive, ran + 1, E)
            ran = res.epochs_run
            for t in range(1, ran + 1):
                if where[epoch + t] >= 0:
                    out[rows, where[epoch + t]] = hist[:, t]
            w[rows] = res.weights
            alive[rows[res.diverged]] = False
            epoch += ran
            if ran < m:  # every replayed restart diverged
                break
        chunk += 1
    losses = job.history[list(ids), : done + 1]  # (K, done + 1)
    return Replay(job.net, ids, kept, out, losses.copy())


def default_pair(final_loss: np.ndarray, diverged: np.ndarray, best: int) -> tuple[int, int]:
    """The best restart and a typical bad one: the median final loss of the others (the worst when only two)."""
    ok = np.flatnonzero(~np.asarray(diverged, dtype=bool) & np.isfinite(final_loss))
    others = ok[ok != best]
    if others.size == 0:
        rest = [r for r in range(len(final_loss)) if r != best]
        return best, (rest[0] if rest else best)
    order = others[np.argsort(final_loss[others], kind="stable")]
    return best, int(order[order.size // 2])


def difference(rep: Replay) -> str:
    """One sentence on how two replayed restarts differ: same data and network, different start and end."""
    a, b = rep.restarts[:2]
    w0, w1 = rep.weights[0], rep.weights[1]
    start = float(np.linalg.norm(w0[0] - w1[0]))
    la, lb = rep.losses[0, -1], rep.losses[1, -1]
    ends = [
        f"restart {r} ends at mean loss {v:.4g}" if np.isfinite(v) else f"restart {r} diverged"
        for r, v in ((a, la), (b, lb))
    ]
    sentence = (
        f"Same data, same network, same step size and epochs; only the start differs (the initial weights are "
        f"{start:.3g} apart). {ends[0][0].upper() + ends[0][1:]}, {ends[1]}"
    )
    last0, last1 = _last_finite(w0), _last_finite(w1)
    if np.isfinite(la) and np.isfinite(lb):
        gap = float(np.linalg.norm(last0 - last1))
        ratio = max(la, lb) / max(min(la, lb), 1e-300)
        same = ratio < 1.01 and gap < 1e-3 * max(1.0, float(np.linalg.norm(last0)))
        if same:
            where = "the same minimum"
        elif ratio >= 1.01:
            where = f"a different minimum ({ratio:.3g} times the loss)"
        else:
            where = "a different point of equal loss"
        sentence += f": their final weights are {gap:.3g} apart, {where}."
    else:
        sentence += "."
    return sentence


def _last_finite(history: np.ndarray) -> np.ndarray:
    """The last row of ``history`` ``(F, E)`` without NaN: a restart's final weights."""
    ok = np.flatnonzero(np.isfinite(history).all(axis=1))
    return history[ok[-1]]


def edge_names(net: Network) -> list[str]:
    """``w_i,j`` for every edge, in ``net.edges`` order."""
    return [f"w_{s},{d}" for s, d in net.edges]


def history_csv(rep: Replay) -> str:
    """The kept weights as CSV: restart, epoch, then one column per edge named ``w_i,j`` (empty after divergence)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["restart", "epoch", *edge_names(rep.net)])
    for i, r in enumerate(rep.restarts):
        for f, epoch in enumerate(rep.epochs):
            row = rep.weights[i, f]
            writer.writerow([r, int(epoch), *("" if not np.isfinite(v) else repr(float(v)) for v in row)])
    return out.getvalue()


def history_json(rep: Replay) -> str:
    """The kept weights as JSON (``nnviz.weight_history/1``): edges, epochs, and per restart its weights and losses."""
    doc = {
        "format": "nnviz.weight_history/1",
        "edges": [list(edge) for edge in rep.net.edges],
        "edge_names": edge_names(rep.net),
        "epochs": rep.epochs.tolist(),
        "every_epoch": rep.every_epoch,
        "restarts": [
            {
                "restart": r,
                "weights": [[float(v) if np.isfinite(v) else None for v in row] for row in rep.weights[i]],
                "loss": [float(v) if np.isfinite(v) else None for v in rep.losses[i, rep.epochs]],
            }
            for i, r in enumerate(rep.restarts)
        ],
    }
    return json.dumps(doc)
