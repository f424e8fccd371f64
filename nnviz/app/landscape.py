"""The Training page's loss landscape, computed: which restarts to draw, their paths, the plane, the slice.

A :class:`~nnviz.app.trainjob.TrainingJob` keeps every restart's initial and final
weights. :func:`replay` re-runs up to 50 chosen restarts of a job exactly as
the job trained them (its chunks and, when shuffled, each chunk's seed) and
records their weights at sampled epochs (:func:`nnviz.sgd_paths.follow`; a
job that records its weight history could hand the same arrays over instead).
:func:`build` chooses the plane (a, b or c of :mod:`nnviz.landscape`), fits
the window to the paths, evaluates the slice and projects the paths onto it.
The cost of both is estimated beforehand, so the page can keep each under a
couple of seconds: fewer paths, a coarser slice, and it says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from nnviz import landscape
from nnviz.app.trainjob import TrainingJob, chunk_seed, mean_losses
from nnviz.landscape import Plane
from nnviz.network import Network, NetworkError
from nnviz.sgd_paths import MAX_PATHS, SGDPaths, follow, recorded_epochs

#: The planes on offer, as the page names them.
PLANES = {
    "weights": "(a) two chosen weights",
    "restarts": "(b) through three restarts' final weights",
    "random": "(c) two random directions, filter-normalised",
}
#: Which restarts to draw.
WHICH = {"best": "the best", "worst": "the worst", "random": "a random sample"}
MAX_RESOLUTION = 201
MIN_RESOLUTION = 5
SLICE_SECONDS = 2.0  # the page lowers the resolution above this estimate
#: Seconds per (weight vector x point x (weights + neurons)) of a slice: measured about 1.5e-9 on
#: the paper's network on a busy 2-core machine (nnviz.bench), doubled for safety.
SECONDS_PER_UNIT = 3e-9
#: Restart-sample steps x (weights + neurons) a replay may take: about 2 s at the 2e-8 s per unit
#: measured on a busy 2-core machine (50 paths of the paper's network: 32 points x 3,000 epochs).
REPLAY_UNITS = 100_000_000
PATH_VALUES = 5_000_000  # recorded weights of all paths together (40 MB)
PATH_POINTS = 101  # recorded epochs per path at most


def choose_restarts(final_loss: np.ndarray, diverged: np.ndarray, how: str, n: int, seed: int = 0) -> np.ndarray:
    """Ids ``(k,)`` of ``n`` restarts that did not diverge: the best, the worst or a random sample.

    Sorted by final loss, best first; ``k < n`` when fewer restarts finished.
    """
    if how not in WHICH:
        raise NetworkError(f"which restarts: {how!r} is not one of {', '.join(WHICH)}")
    ok = np.flatnonzero(~np.asarray(diverged, dtype=bool) & np.isfinite(final_loss))  # (R_ok,)
    n = max(0, min(int(n), MAX_PATHS, ok.size))
    by_loss = ok[np.argsort(np.asarray(final_loss)[ok], kind="stable")]
    if how == "best":
        return by_loss[:n]
    if how == "worst":
        return by_loss[by_loss.size - n :]
    picked = np.sort(np.random.default_rng(seed).choice(ok.size, size=n, replace=False))  # ranks, best first
    return by_loss[picked]


def slice_seconds(net: Network, points: int, resolution: int) -> float:
    """Estimated seconds of a ``resolution`` x ``resolution`` slice on ``points`` training points."""
    return resolution * resolution * points * (len(net.edges) + len(net.ids)) * SECONDS_PER_UNIT


def max_resolution(net: Network, points: int) -> int:
    """The finest resolution (at most 201) whose slice is estimated under :data:`SLICE_SECONDS`."""
    per_vector = points * (len(net.edges) + len(net.ids)) * SECONDS_PER_UNIT
    fits = int(np.sqrt(SLICE_SECONDS / per_vector))
    return int(np.clip(fits, MIN_RESOLUTION, MAX_RESOLUTION))


def replay_units(job: TrainingJob) -> int:
    """The cost of replaying one path of ``job``: its SGD steps x (weights + neurons)."""
    return max(1, job.data.size * job.epochs_done * (len(job.net.edges) + len(job.net.ids)))


def replay_budget(job: TrainingJob, wanted: int) -> int:
    """How many of ``wanted`` paths a replay of ``job`` can afford (0 when not even one)."""
    return int(min(wanted, MAX_PATHS, REPLAY_UNITS // replay_units(job)))


def epoch_orders(job: TrainingJob) -> Iterator[np.ndarray | None]:
    """The order of the points in each epoch the job ran (None: as listed), as its chunks drew them."""
    s = job.settings
    if not s.shuffle:
        yield from (None for _ in range(job.epochs_done))
        return
    for chunk, first in enumerate(range(0, job.epochs_done, job.chunk)):
        rng = np.random.default_rng(chunk_seed(s.seed, chunk))
        for _ in range(min(job.chunk, job.epochs_done - first)):
            yield rng.permutation(job.data.size)


def replay(job: TrainingJob, ids: np.ndarray) -> SGDPaths:
    """The weights of the job's restarts ``ids`` ``(P,)`` at up to 101 epochs: ``weights`` ``(P, K, E)``."""
    ids = np.asarray(ids, dtype=np.int64)
    if ids.ndim != 1 or not 1 <= ids.size <= MAX_PATHS:
        raise NetworkError(f"choose 1 to {MAX_PATHS} restarts to replay, not {ids.size}")
    points = int(np.clip(PATH_VALUES // (ids.size * len(job.net.edges)), 2, PATH_POINTS))
    record = recorded_epochs(job.epochs_done, points)
    data = job.data
    return follow(job.net, data.X, data.Y, job.initial[ids], job.settings.step_size, epoch_orders(job), record)


@dataclass(frozen=True)
class Spec:
    """The page's choices: the plane ``kind``; for (a) two edge indices; for (b) three restart ids;
    for (c) a seed; ``center`` the restart the plane is centred on (a, c); ``half_width`` of the
    window (None: fit the paths); ``resolution`` grid points per axis."""

    kind: str
    center: int
    edges: tuple[int, int] = (0, 1)
    trio: tuple[int, int, int] = (0, 1, 2)
    seed: int = 0
    half_width: float | None = None
    resolution: int = 101


@dataclass(frozen=True)
class Landscape:
    """A slice with paths on it.

    ``surface`` ``(B, A)`` the mean loss over S at ``alphas`` ``(A,)`` x ``betas`` ``(B,)``
    (NaN where not finite); ``ids`` ``(P,)`` the restarts drawn; ``coords`` ``(P, K, 2)``
    their paths' shadows at ``epochs`` ``(K,)``; ``path_loss`` ``(P, K)`` the mean loss the
    path really had there; ``final_loss`` ``(P,)`` the run's final losses.
    """

    plane: Plane
    alphas: np.ndarray
    betas: np.ndarray
    surface: np.ndarray
    ids: np.ndarray
    coords: np.ndarray
    path_loss: np.ndarray
    final_loss: np.ndarray
    epochs: np.ndarray


def default_edges(job: TrainingJob) -> tuple[int, int]:
    """The two weights whose final values differ most between the restarts that did not diverge."""
    e = len(job.net.edges)
    if e < 2:
        raise NetworkError("the network has fewer than two weights: there is no plane of two weights")
    w = job.weights[~job.diverged]  # (R_ok, E)
    spread = w.std(axis=0) if len(w) > 1 else np.zeros(e)
    first, second = np.argsort(-spread, kind="stable")[:2]
    return (int(min(first, second)), int(max(first, second)))


def default_trio(job: TrainingJob) -> tuple[int, int, int]:
    """The best restart and two others: the median and the worst of those that did not diverge."""
    final = job.history[:, job.epochs_done]  # (R,)
    ok = np.flatnonzero(~job.diverged & np.isfinite(final))
    order = ok[np.argsort(final[ok], kind="stable")]
    if order.size < 3:
        raise NetworkError("fewer than three restarts finished: there is no plane through three of them")
    return (int(order[0]), int(order[order.size // 2]), int(order[-1]))


def make_plane(job: TrainingJob, spec: Spec) -> Plane:
    """The plane ``spec`` asks for, through the job's final weights."""
    w = job.weights  # (R, E)
    if spec.kind == "weights":
        return landscape.weight_plane(job.net, w[spec.center], *spec.edges)
    if spec.kind == "restarts":
        if len(set(spec.trio)) < 3:
            raise NetworkError("choose three different restarts for the plane (b)")
        return landscape.restarts_plane(job.net, *(w[r] for r in spec.trio))
    if spec.kind == "random":
        return landscape.random_plane(job.net, w[spec.center], spec.seed)
    raise NetworkError(f"the plane {spec.kind!r} is not one of {', '.join(PLANES)}")


def window(coords: np.ndarray, anchors: np.ndarray, half_width: float | None, n: int) -> tuple[np.ndarray, ...]:
    """Grid ``alphas``, ``betas`` ``(n,)``: ``half_width`` around the anchors' centre, or fitted to the paths."""
    centre = anchors.mean(axis=0)  # (2,)
    if half_width is not None:
        lo, hi = centre - half_width, centre + half_width
    else:
        pts = np.concatenate([coords.reshape(-1, 2), anchors])  # (P * K + k, 2)
        pts = pts[np.isfinite(pts).all(axis=1)]
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = np.maximum((hi - lo) * 0.08, 0.05 * np.maximum(1.0, np.abs(centre)))
        lo, hi = lo - pad, hi + pad
    return np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)


def build(job: TrainingJob, paths: SGDPaths, ids: np.ndarray, spec: Spec) -> Landscape:
    """The slice ``spec`` describes, with the replayed ``paths`` of restarts ``ids`` projected onto it."""
    plane = make_plane(job, spec)
    coords = landscape.project(paths.weights, plane.center, plane.d1, plane.d2)  # (P, K, 2)
    alphas, betas = window(coords, plane.anchors, spec.half_width, spec.resolution)
    data = job.data
    surface = landscape.loss_surface(job.net, data.X, data.Y, plane.center, plane.d1, plane.d2, alphas, betas)
    p, k, e = paths.weights.shape
    path_loss = np.empty((p, k))  # (P, K)
    if p:
        path_loss[:] = mean_losses(job.net, paths.weights.reshape(-1, e), data.X, data.Y).reshape(p, k)
    final = job.history[ids, job.epochs_done]  # (P,)
    return Landscape(plane, alphas, betas, surface, np.asarray(ids), coords, path_loss, final, paths.epochs)
