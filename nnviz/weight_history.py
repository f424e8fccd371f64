"""The weight history of chosen restarts during a training run (``record=`` of :mod:`nnviz.training`).

:func:`recorded` checks which restarts to record, :func:`check_history_size`
refuses a history past :data:`MAX_HISTORY_BYTES` before anything is allocated,
and a :class:`Recorder` copies the recorded restarts' weights out of the
training chunks after every epoch (only their rows: a cheap copy), NaN from the
epoch a restart diverged on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from nnviz.kernel import Layout
from nnviz.network import NetworkError

#: Which restarts keep their weights after every epoch: none, "all", or restart indices.
Record = str | Sequence[int] | np.ndarray | None
MAX_HISTORY_BYTES = 200_000_000  # 200 MB of recorded weights (float64) per run


class Chunk(Protocol):
    """What a :class:`Recorder` reads of the restarts still training (``nnviz.training._Chunk``)."""

    layout: Layout
    ids: np.ndarray  # (r,) sorted restart indices
    w: np.ndarray  # (T, E, r / T) weights in the plan's edge order
    bad: np.ndarray  # (r,) restarts that failed the last epoch


def recorded(record: object, r: int) -> np.ndarray:
    """The restart indices ``(K,)`` that ``record`` asks for, among ``r`` restarts; NetworkError if it is bad."""
    if record is None:
        return np.empty(0, dtype=np.int64)
    if isinstance(record, str):
        if record != "all":
            raise NetworkError(f'record must be None, "all" or a sequence of restart indices, not {record[:40]!r}')
        return np.arange(r, dtype=np.int64)
    if isinstance(record, (bool, int, float, np.number, bytes, dict, set)) or not hasattr(record, "__len__"):
        shown = repr(record)[:40]
        raise NetworkError(f'record must be None, "all" or a sequence of restart indices, not {shown}')
    items = list(record)  # type: ignore[call-overload]
    for v in items:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise NetworkError(f"record must hold whole restart indices; {repr(v)[:40]} is not one")
        if not 0 <= v < r:
            raise NetworkError(f"record asks for restart {v}; there are {r} restarts (0 to {r - 1})")
    out = np.array(items, dtype=np.int64)
    values, counts = np.unique(out, return_counts=True)
    if (counts > 1).any():
        raise NetworkError(f"record names restart {values[counts > 1][0]} more than once")
    return out


def check_history_size(k: int, epochs: int, e: int) -> None:
    """Refuse (before allocating) a weight history of ``k`` restarts past :data:`MAX_HISTORY_BYTES`."""
    need = k * (epochs + 1) * e * 8
    if need <= MAX_HISTORY_BYTES:
        return
    per_restart = (epochs + 1) * e * 8
    fit_r = MAX_HISTORY_BYTES // per_restart
    fit_epochs = MAX_HISTORY_BYTES // (k * e * 8) - 1
    raise NetworkError(
        f"recording {e:,} weights of {k:,} restart(s) at the start and after each of {epochs:,} epochs needs "
        f"{need / 1e6:,.0f} MB; the cap is {MAX_HISTORY_BYTES / 1e6:,.0f} MB: record at most {fit_r:,} "
        f"restart(s) for {epochs:,} epochs, or {k:,} restart(s) for at most {max(fit_epochs, 0):,} epochs"
    )


class Recorder:
    """Copies the weights of the recorded restarts out of a :class:`_Chunk` after each epoch."""

    def __init__(self, ids: np.ndarray, w0: np.ndarray, epochs: int) -> None:
        self.ids = ids  # (K,) restart indices
        self.history = np.full((ids.size, epochs + 1, w0.shape[1]), np.nan)  # (K, epochs + 1, E)
        self.history[:, 0] = w0[ids]
        self._key: np.ndarray | None = None  # the chunk's ids when the positions were found

    def _positions(self, chunk: Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows of history, chunk numbers t, columns j) of the recorded restarts still in ``chunk``."""
        if self._key is not chunk.ids:
            at = np.searchsorted(chunk.ids, self.ids)  # chunk.ids is sorted
            alive = (at < chunk.ids.size) & (chunk.ids[np.minimum(at, chunk.ids.size - 1)] == self.ids)
            rows, p = np.flatnonzero(alive), at[alive]
            self._pos = (rows, p // chunk.w.shape[2], p % chunk.w.shape[2], p)
            self._key = chunk.ids
        return self._pos[:3]

    def take(self, chunk: Chunk, epoch: int) -> None:
        """Keep the weights after ``epoch`` of the recorded restarts still training (NaN for those that failed it)."""
        if self.ids.size == 0:
            return
        rows, t, j = self._positions(chunk)
        if rows.size == 0:
            return
        w = chunk.w[t, :, j]  # (k, E) plan edge order
        w[chunk.bad[self._pos[3]]] = np.nan  # diverged in this epoch: its history stops
        out = np.empty_like(w)  # (k, E) network edge order
        out[:, chunk.layout.edge_perm] = w
        self.history[rows, epoch] = out
