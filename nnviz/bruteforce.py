"""Brute force against backprop: the paper's argument for gradient descent, runnable.

The paper (Part III) first trains by "selecting some finite encoding for real
numbers and performing an exhaustive search over all possible combinations for
the weight values": with 64-bit weights and 12 weights that is 2^(64*12)
networks to test. :func:`brute_force` does exactly that on a coarse grid of
``k`` values per weight, k^E weight vectors, evaluated many at a time by the
compiled loss of :mod:`nnviz.kernel`, in chunks, with a cap on evaluations and a
progress callback. :func:`exhaustive_cost` counts (2^bits)^E exactly, as a
power of ten, for the calculator beside it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnviz import kernel
from nnviz.network import MAX_EDGES, Network, NetworkError
from nnviz.plan import plan_for

MAX_EVALUATIONS = 50_000_000
MAX_K = 1000
CHUNK_CELLS = 200000  # neurons x points x weight sets per chunk (one progress tick each)
#: A progress callback gets (evaluations done, evaluations planned); returning False stops the search.
SearchProgress = Callable[[int, int], "bool | None"]


def _arrays(net: Network, X: object, Y: object) -> tuple[np.ndarray, np.ndarray]:
    try:
        x, y = np.array(X, dtype=float), np.array(Y, dtype=float)
    except (TypeError, ValueError):
        raise NetworkError("the training data must be numbers") from None
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    y = y.reshape(-1, 1) if y.ndim == 1 else y
    n_in, n_out = len(net.inputs), len(net.outputs)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != n_in or y.shape[1] != n_out or x.shape[0] != y.shape[0]:
        raise NetworkError(
            f"the data has shapes {x.shape} and {y.shape}; the network needs (S, {n_in}) and (S, {n_out})"
        )
    if x.shape[0] == 0 or not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise NetworkError("the training data must be at least one point of finite numbers")
    return x, y  # (S, n_in), (S, n_out)


@dataclass(frozen=True)
class BruteForceResult:
    """What :func:`brute_force` found.

    ``grid`` ``(k,)`` the values tried for every weight; ``evaluations`` weight
    vectors evaluated (each on all S points), out of ``grid_size`` = k^E;
    ``best_weights`` ``(E,)`` and ``best_loss`` (mean loss over S) of the best
    one; ``complete`` is True when the whole grid was searched.
    """

    grid: np.ndarray
    evaluations: int
    grid_size: int
    points: int
    seconds: float
    best_loss: float
    best_weights: np.ndarray
    complete: bool

    @property
    def point_evaluations(self) -> int:
        """Forward passes of one training point: evaluations x S."""
        return self.evaluations * self.points


def grid_values(k: int, low: float = -2.0, high: float = 2.0) -> np.ndarray:
    """``k`` evenly spaced weight values from ``low`` to ``high`` ``(k,)`` (just the midpoint when k = 1)."""
    if isinstance(k, bool) or int(k) != k or not 1 <= k <= MAX_K:
        raise NetworkError(f"values per weight must be a whole number from 1 to {MAX_K}, not {k}")
    if not (math.isfinite(low) and math.isfinite(high) and low <= high):
        raise NetworkError(f"the weight range [{low}, {high}] needs finite ends with low <= high")
    return np.array([(low + high) / 2]) if k == 1 else np.linspace(low, high, int(k))


def grid_weights(grid: np.ndarray, e: int, start: int, stop: int) -> np.ndarray:
    """Weight vectors number ``start`` .. ``stop - 1`` of the grid, ``(stop - start, E)``.

    Vector i has weight j equal to ``grid[digit j of i in base k]``; the last
    weight varies fastest, like counting.
    """
    k = grid.size
    idx = np.arange(start, stop, dtype=np.int64)  # (C,)
    powers = k ** np.arange(e - 1, -1, -1, dtype=np.int64)  # (E,) most significant first
    return grid[(idx[:, None] // powers[None, :]) % k]  # (C, E)


def brute_force(
    net: Network,
    X: object,
    Y: object,
    k: int = 3,
    low: float = -2.0,
    high: float = 2.0,
    max_evaluations: int = 1_000_000,
    progress: SearchProgress | None = None,
) -> BruteForceResult:
    """Try every weight vector on a grid of ``k`` values per weight; keep the lowest mean loss over S.

    Stops after ``max_evaluations`` vectors (in counting order, see
    :func:`grid_weights`) or when ``progress`` returns False.
    """
    x, y = _arrays(net, X, Y)  # (S, n_in), (S, n_out)
    grid = grid_values(k, low, high)
    if isinstance(max_evaluations, bool) or not 1 <= max_evaluations <= MAX_EVALUATIONS:
        raise NetworkError(f"the cap on evaluations must be from 1 to {MAX_EVALUATIONS:,}, not {max_evaluations}")
    plan = plan_for(net)
    e, s = len(net.edges), x.shape[0]
    size = grid.size**e  # exact Python int; may be astronomically large
    planned = int(min(size, max_evaluations))
    chunk = max(1, CHUNK_CELLS // (plan.n * s))
    best_loss, best_w = math.inf, np.full(e, np.nan)
    done = 0
    start = time.perf_counter()
    while done < planned:
        stop = min(planned, done + chunk)
        w = grid_weights(grid, e, done, stop)  # (C, E) network edge order
        losses = kernel.mean_losses(net, w, x, y)  # (C,)
        losses[~np.isfinite(losses)] = np.inf
        j = int(np.argmin(losses))
        if losses[j] < best_loss:
            best_loss, best_w = float(losses[j]), w[j].copy()
        done = stop
        if progress is not None and progress(done, planned) is False:
            break
    return BruteForceResult(grid, done, size, s, time.perf_counter() - start, best_loss, best_w, done == size)


@dataclass(frozen=True)
class Cost:
    """(2^bits)^E written exactly as ``mantissa x 10^exponent`` (mantissa in [1, 10), truncated)."""

    bits: int
    weights: int
    exponent: int
    mantissa: str

    @property
    def log2(self) -> int:
        """The count as a power of two: bits x E."""
        return self.bits * self.weights

    def years(self, per_second: float) -> tuple[str, int]:
        """Years to test them all at ``per_second`` networks per second, as (mantissa, exponent)."""
        log10_years = self.exponent + math.log10(float(self.mantissa)) - math.log10(per_second * 3.15576e7)
        exp = math.floor(log10_years)
        return f"{10 ** (log10_years - exp):.2f}", exp


def exhaustive_cost(weights: int, bits: int = 64, digits: int = 4) -> Cost:
    """The number of weight vectors with ``bits``-bit weights, (2^bits)^weights, exactly.

    The exponent is exact (checked with integer arithmetic, no rounding); the
    mantissa keeps ``digits`` significant digits, truncated.
    """
    if not 0 <= weights <= MAX_EDGES or not 1 <= bits <= 128:
        raise NetworkError(f"the calculator takes 0 to {MAX_EDGES:,} weights of 1 to 128 bits")
    n = 2 ** (bits * weights)
    exp = math.floor(bits * weights * math.log10(2))  # may be off by one for huge n: fix exactly below
    while exp > 0 and 10**exp > n:
        exp -= 1
    while 10 ** (exp + 1) <= n:
        exp += 1
    lead = n // 10 ** max(0, exp - digits + 1)  # the first `digits` digits (fewer when n is small)
    text = str(lead)
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return Cost(bits, weights, exp, mantissa)
