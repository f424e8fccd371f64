"""Benchmark of mini-batch SGD: steps per sample at batch_size 1 vs 10 (part of ``python -m nnviz.bench``).

For the paper's network (32 points of sin(2x)) and a 2,8,8,1 tanh network (32
points of TF Playground's circle), with R = 100 and 1,000 restarts, it trains
20 epochs at batch size 1 and at batch size 10 (with L2 0.001) and prints
restart-sample steps per second, best of 5 alternating runs each. Target: at batch size
10 a step per sample is no slower than at batch size 1 (ratio >= 1).
"""

from __future__ import annotations

import os
import time

import numpy as np

from nnviz import data, presets
from nnviz.network import Network
from nnviz.training import initial_weights, train

EPOCHS = 20


def steps_per_second(net: Network, x: np.ndarray, y: np.ndarray, r: int, repeats: int = 5) -> tuple[float, float]:
    """Best restart-sample steps per second of ``r`` restarts at batch size 1 and at 10 (L2 0.001).

    The two runs alternate, ``repeats`` times each, so a change in the machine's
    load (it may be shared) falls on both alike.
    """
    w0 = initial_weights(net, r, 0, 0.5)  # (R, E)
    settings = ({"batch_size": 1, "l2": 0.0}, {"batch_size": 10, "l2": 0.001})
    for kw in settings:
        train(net, x, y, w0, 0.05, 1, 0, **kw)  # compile or load the loops
    best = [np.inf, np.inf]
    for _ in range(repeats):
        for k, kw in enumerate(settings):
            start = time.perf_counter()
            train(net, x, y, w0, 0.05, EPOCHS, 0, **kw)
            best[k] = min(best[k], time.perf_counter() - start)
    steps = r * len(x) * EPOCHS
    return steps / best[0], steps / best[1]


def report() -> None:
    """Print the batch-size table (and the load average: the machine may be shared)."""
    xs = np.linspace(-2.0, 2.0, 32)[:, None]  # (32, 1)
    circle = data.playground("circle", points=32, seed=0)
    cases = (
        ("paper network", presets.paper_network(), xs, np.sin(2.0 * xs)),
        ("2,8,8,1 tanh", presets.layered([2, 8, 8, 1], activation="tanh", seed=0), circle.X, circle.Y),
    )
    print(f"mini-batch SGD, {EPOCHS} epochs of 32 points, M steps/s (load average {os.getloadavg()[0]:.2f}):")
    print(f"{'network':>14} {'restarts':>8} {'batch 1':>8} {'batch 10':>9} {'ratio':>6} (target >= 1)")
    for name, net, x, y in cases:
        for r in (100, 1000):
            one, ten = steps_per_second(net, x, y, r)
            print(f"{name:>14} {r:>8} {one / 1e6:8.2f} {ten / 1e6:9.2f} {ten / one:6.2f}")


if __name__ == "__main__":
    report()
