"""Approximation by width: fit a 1-D function with one hidden layer of growing width.

The universal approximation theorem (Part II of the paper) says one hidden
layer suffices for any continuous function on a bounded interval, if it is
wide enough. :func:`approximate_by_width` makes that concrete: for each width
w it trains the network 1 -> w -> 1 (``nnviz.presets.layered``; hidden tanh by
default, identity output) with the paper's SGD from several random restarts
(``nnviz.restarts``), keeps the best restart and measures its error on the
training points and on a fine grid. SGD with a small budget does not always find
the best weights a width allows, so the error need not fall at every step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.engine import forward
from nnviz.network import MAX_ABS_VALUE, Network, NetworkError
from nnviz.presets import MAX_LAYER_WIDTH, layered
from nnviz.training import restarts as run_restarts

WIDTHS: tuple[int, ...] = (1, 2, 4, 8, 16, 32)
DOMAIN = (-1.0, 1.0)
GRID_POINTS = 201
MAX_WIDTH = 64
MAX_WORK = 2_000_000  # points * epochs * widths: keeps one call to a few seconds


def _pulse(x: np.ndarray) -> np.ndarray:
    return (np.tanh(6 * (x + 0.5)) - np.tanh(6 * (x - 0.5))) / 2


#: name -> (label, function on [-1, 1])
TARGETS: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "sine": ("sine: sin(πx)", lambda x: np.sin(np.pi * x)),
    "abs": ("absolute value: |x|", np.abs),
    "bump": ("bump: exp(-(x/0.3)²)", lambda x: np.exp(-((x / 0.3) ** 2))),
    "step": ("step-ish: up at -0.5, down at 0.5", _pulse),
    "polynomial": ("polynomial: 2x³ - x", lambda x: 2 * x**3 - x),
}


@dataclass(frozen=True)
class WidthFit:
    """The best of the restarts for one width.

    ``curve`` the fitted function on the grid ``(G,)``; ``train_mse`` the mean
    squared error on the training points; ``max_error`` max |f - target| on the grid.
    """

    width: int
    network: Network
    curve: np.ndarray  # (G,)
    train_mse: float
    max_error: float
    diverged: int  # restarts that diverged


@dataclass(frozen=True)
class Approximation:
    """Every width's fit of one target."""

    target: str
    x_train: np.ndarray  # (S,)
    y_train: np.ndarray  # (S,)
    x_grid: np.ndarray  # (G,)
    y_grid: np.ndarray  # (G,)
    fits: tuple[WidthFit, ...]
    restarts: int
    epochs: int
    seconds: float

    @property
    def widths(self) -> list[int]:
        """The widths fitted, in order."""
        return [f.width for f in self.fits]


def check_widths(widths: Sequence[object]) -> list[int]:
    """Validate hidden-layer widths: whole numbers from 1 to :data:`MAX_WIDTH`."""
    out = []
    if len(widths) == 0:
        raise NetworkError("choose at least one hidden-layer width")
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, (int, np.integer)):
            raise NetworkError(f"a hidden-layer width must be a whole number, not {w!r}")
        if w < 1:
            raise NetworkError(f"width {w}: a hidden layer needs at least one neuron")
        if w > min(MAX_WIDTH, MAX_LAYER_WIDTH):
            raise NetworkError(f"width {w} is more than this exhibit's limit of {MAX_WIDTH}")
        out.append(int(w))
    return out


def parse_widths(text: str) -> tuple[int, ...]:
    """Widths typed as "1, 2, 4": whole numbers separated by commas or spaces, validated."""
    parts = [p for p in str(text).replace(",", " ").split() if p]
    out = []
    for p in parts:
        try:
            out.append(int(p))
        except ValueError:
            raise NetworkError(f"{p[:20]!r} is not a whole number; type widths like 1, 2, 4, 8") from None
    return tuple(check_widths(out))


def approximate_by_width(
    target: str = "sine",
    widths: Sequence[int] = WIDTHS,
    restarts: int = 8,
    epochs: int = 150,
    points: int = 21,
    step_size: float = 0.05,
    activation: str = "tanh",
    seed: int = 0,
) -> Approximation:
    """Fit ``TARGETS[target]`` on ``points`` evenly spaced x in [-1, 1] for every width.

    Each width trains ``restarts`` initial weight vectors (normal, scale 1, from
    ``seed``) for ``epochs`` epochs of per-point SGD, shuffled with ``seed``.
    """
    if target not in TARGETS:
        raise NetworkError(f"unknown target function {target!r} (use one of {', '.join(TARGETS)})")
    ws = check_widths(widths)
    if not 2 <= points <= 200:
        raise NetworkError(f"{points} training points: use between 2 and 200")
    if points * epochs * len(ws) > MAX_WORK:
        raise NetworkError(
            f"{points} points x {epochs} epochs x {len(ws)} widths is too much work for one click; "
            f"keep the product under {MAX_WORK:,}"
        )
    fn = TARGETS[target][1]
    x = np.linspace(*DOMAIN, points)  # (S,)
    y = fn(x)  # (S,)
    grid = np.linspace(*DOMAIN, GRID_POINTS)  # (G,)
    y_grid = fn(grid)  # (G,)
    start = time.perf_counter()
    fits = []
    for w in ws:
        net = layered([1, w, 1], activation=activation, output_activation="identity", seed=None)
        res = run_restarts(
            net, x[:, None], y[:, None], restarts=restarts, seed=seed + w,
            init_scale=1.0, step_size=step_size, epochs=epochs, shuffle_seed=seed,
        )  # fmt: skip
        # A restart can blow its weights past what a Network accepts while tanh keeps the loss
        # finite; count it as diverged too.
        bad = res.diverged | ~(np.abs(res.weights) <= MAX_ABS_VALUE).all(axis=1)  # (R,)
        if bad.all():
            raise NetworkError(f"every restart diverged at width {w}; try a smaller step size")
        r = int(np.argmin(np.where(bad, np.inf, res.final_loss)))
        best = res.network(r)
        curve = forward(best, grid[:, None]).output[:, 0]  # (G,)
        best = Network(best.neurons, best.edges, best.weights)  # without the compiled plan: picklable
        mse = float(res.final_loss[r])
        fits.append(WidthFit(w, best, curve, mse, float(np.max(np.abs(curve - y_grid))), int(bad.sum())))
    return Approximation(target, x, y, grid, y_grid, tuple(fits), restarts, epochs, time.perf_counter() - start)
