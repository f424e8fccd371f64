"""Speed and memory benchmark of the engine: ``python -m nnviz.bench``.

Trains the paper's network (Figures 1-5) by per-sample SGD on 32 points of a
1-D function for 100 epochs, with 1, 100 and 1,000 restarts, and prints
restart-sample steps per second and peak memory (after one untimed run that
compiles the loops of :mod:`nnviz.kernel`, or loads them from numba's cache,
whose time is printed apart). When ``torch`` is importable
the same per-sample SGD is run in PyTorch (batched over restarts, autograd) in
the same process and the ratio is printed. Targets at 1,000 restarts:
>= 10 million steps/s, >= 3x PyTorch, < 200 MB. Last, the cost of recording
the weight history of 10 of the 1,000 restarts (``record=``): target < 10%
slower than the same run without it (best of several runs each).

It also times a 201 x 201 loss slice of the same network on the same 32 points
(:func:`nnviz.loss_surface`, 40,401 weight vectors; target <= 100 ms), the
replay of 50 restarts' SGD paths (:func:`nnviz.sgd_paths`), and
:func:`nnviz.neuron_pictures` (every neuron's z_k over a 50x50
grid of inputs, the pictures in the graph) on the paper's network and on
2,8,8,1. Target on the paper's network: <= 5 ms. Last, mini-batch SGD at
batch size 1 vs 10 (:mod:`nnviz.bench_batch`).
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from nnviz import bench_batch, kernel, landscape, loss_surface, neuron_pictures, presets, restarts, sgd_paths
from nnviz.activations import LEAKY_SLOPE
from nnviz.network import Network

EPOCHS = 100
POINTS = 32
STEP_SIZE = 0.05

#: Each registry activation in PyTorch (given the torch module and a tensor), keyed by its registry name.
TORCH_ACTIVATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "identity": lambda torch, t: t,
    "sigmoid": lambda torch, t: torch.sigmoid(t),
    "tanh": lambda torch, t: torch.tanh(t),
    "relu": lambda torch, t: torch.relu(t),
    "leaky_relu": lambda torch, t: torch.nn.functional.leaky_relu(t, LEAKY_SLOPE),
    "softplus": lambda torch, t: torch.nn.functional.softplus(t),
    "step": lambda torch, t: (t > 0).to(t.dtype),
    "sin": lambda torch, t: torch.sin(t),
}


def dataset() -> tuple[np.ndarray, np.ndarray]:
    """32 points of sin(2x) on [-2, 2]: ``(32, 1)`` inputs and targets."""
    x = np.linspace(-2.0, 2.0, POINTS)[:, None]
    return x, np.sin(2.0 * x)


def run_numpy(net: Network, r: int, epochs: int = EPOCHS) -> tuple[float, float, float]:
    """(seconds, restart-sample steps per second, peak MB allocated) of one nnviz run.

    The peak is traced in a separate two-epoch run: tracing slows every allocation,
    and the arrays do not grow with the number of epochs beyond the (R, epochs) history.
    """
    x, y = dataset()
    start = time.perf_counter()
    result = restarts(net, x, y, restarts=r, seed=0, step_size=STEP_SIZE, epochs=epochs)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    restarts(net, x, y, restarts=r, seed=0, step_size=STEP_SIZE, epochs=2)
    peak = tracemalloc.get_traced_memory()[1] / 1e6 + r * (epochs + 1) * 8 / 1e6
    tracemalloc.stop()
    return seconds, result.steps / seconds, peak


def run_torch(net: Network, r: int, epochs: int = EPOCHS) -> float | None:
    """Seconds of the same per-sample SGD in PyTorch (autograd, batched over restarts), or None."""
    try:
        import torch
    except (ImportError, OSError):  # not installed, or a broken install
        return None
    x_np, y_np = dataset()
    x, y = torch.tensor(x_np), torch.tensor(y_np)
    ids = {k: i for i, k in enumerate(net.ids)}
    w = torch.tensor(np.random.default_rng(0).normal(0.0, 1.0, (r, len(net.edges))), requires_grad=True)
    acts = {name: partial(f, torch) for name, f in TORCH_ACTIVATIONS.items()}
    levels = []
    for level in net.levels[1:]:
        rows = []
        for k in level:
            edges = [(ids[s], e) for e, (s, d) in enumerate(net.edges) if d == k]
            src = torch.tensor([s for s, _ in edges])
            eid = torch.tensor([e for _, e in edges])
            rows.append((ids[k], src, eid, acts[net.neuron(k).activation]))
        levels.append(rows)
    n, out = len(net.ids), [ids[k] for k in net.outputs]
    bias = {ids[nb.id]: nb.value for nb in net.neurons if nb.role == "bias"}
    inputs = [ids[k] for k in net.inputs]
    start = time.perf_counter()
    for _ in range(epochs):
        for i in range(x.shape[0]):
            z: list = [None] * n
            for j, k in enumerate(inputs):
                z[k] = x[i, j].expand(r)
            for k, v in bias.items():
                z[k] = torch.full((r,), v, dtype=torch.float64)
            for rows in levels:
                for k, src, eid, f in rows:
                    zs = torch.stack([z[s] for s in src.tolist()], dim=1)  # (R, k)
                    z[k] = f((w[:, eid] * zs).sum(dim=1))
            loss = sum(((y[i, j] - z[k]) ** 2).sum() for j, k in enumerate(out))
            loss.backward()
            with torch.no_grad():
                w -= STEP_SIZE * w.grad
                w.grad.zero_()
    return time.perf_counter() - start


def recording_overhead(net: Network, r: int = 1000, recorded: int = 10, repeats: int = 5) -> tuple[float, float]:
    """Best-of-``repeats`` seconds of a run of ``r`` restarts without and with ``recorded`` restarts recorded."""
    x, y = dataset()
    kw = {"restarts": r, "seed": 0, "step_size": STEP_SIZE, "epochs": EPOCHS}
    keep = np.linspace(0, r - 1, recorded).astype(int)
    plain, kept = [], []
    for _ in range(repeats):  # interleaved, so a busy moment of the machine hits both alike
        start = time.perf_counter()
        restarts(net, x, y, **kw)
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        restarts(net, x, y, record=keep, **kw)
        kept.append(time.perf_counter() - start)
    return min(plain), min(kept)


def run_landscape(net: Network, resolution: int = 201, repeats: int = 7) -> tuple[float, float]:
    """(best, median) seconds of a ``resolution`` x ``resolution`` slice through a trained restart (plane c)."""
    x, y = dataset()
    center = restarts(net, x, y, restarts=1, seed=0, step_size=STEP_SIZE, epochs=EPOCHS).weights[0]
    plane = landscape.random_plane(net, center, seed=0)
    grid = np.linspace(-1.0, 1.0, resolution)
    loss_surface(net, x, y, plane.center, plane.d1, plane.d2, grid[:3], grid[:3])  # compiled or loaded already
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        loss_surface(net, x, y, plane.center, plane.d1, plane.d2, grid, grid)
        times.append(time.perf_counter() - start)
    return min(times), float(np.median(times))


def run_paths(net: Network, r: int = 50, epochs: int = EPOCHS) -> float:
    """Seconds to replay ``r`` restarts' SGD paths (101 recorded epochs), shuffled each epoch."""
    x, y = dataset()
    w0 = np.random.default_rng(0).normal(0.0, 1.0, (r, len(net.edges)))
    start = time.perf_counter()
    sgd_paths(net, x, y, w0, STEP_SIZE, epochs, shuffle_seed=0, points=101)
    return time.perf_counter() - start


PICTURE_GRID = 50


def time_pictures(net: Network, repeats: int = 50) -> float:
    """Milliseconds (best of ``repeats``) to compute every neuron's picture on a 50x50 grid of inputs.

    A one-input network is evaluated at the 2,500 grid points along its input,
    a network with two or more inputs on the 50x50 plane of its first two.
    """
    axis = np.linspace(-3.0, 3.0, PICTURE_GRID)  # (50,)
    one = [np.linspace(-3.0, 3.0, PICTURE_GRID * PICTURE_GRID)]  # (2500,)
    axes = one if len(net.inputs) == 1 else [axis, axis]
    neuron_pictures(net, axes)  # warm the plan cache
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        neuron_pictures(net, axes)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restarts", type=int, nargs="*", default=[1, 100, 1000])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)
    net = presets.paper_network()
    print(f"paper network: {len(net.ids)} neurons, {len(net.edges)} weights; {POINTS} points, {args.epochs} epochs")
    start = time.perf_counter()
    run_numpy(net, 1, 1)
    print(f"compiling or loading the SGD loops: {time.perf_counter() - start:.2f} s (once per process)")
    print(f"threads: up to {kernel.THREADS} (one per {kernel.MIN_CHUNK}+ restarts)")
    print(f"{'restarts':>8} {'seconds':>8} {'M steps/s':>10} {'peak MB':>8} {'torch s':>8} {'x torch':>8}")
    for r in args.restarts:
        seconds, rate, peak = run_numpy(net, r, args.epochs)
        torch_s = run_torch(net, r, args.epochs) if r >= 100 else None
        ratio = f"{torch_s / seconds:8.1f}" if torch_s else f"{'-':>8}"
        ts = f"{torch_s:8.2f}" if torch_s else f"{'-':>8}"
        print(f"{r:>8} {seconds:8.3f} {rate / 1e6:10.2f} {peak:8.1f} {ts} {ratio}")
    plain, kept = recording_overhead(net)
    print(
        f"recording 10 of 1,000 restarts: {plain:.3f} s without, {kept:.3f} s with "
        f"({100 * (kept / plain - 1):+.1f}%; target < +10%)"
    )

    best, median = run_landscape(net)
    print(
        f"loss slice 201 x 201 ({201 * 201:,} weight vectors x {POINTS} points): "
        f"best {best * 1e3:.0f} ms, median {median * 1e3:.0f} ms (target <= 100 ms)"
    )
    print(f"SGD paths of 50 restarts, {args.epochs} epochs shuffled, replayed: {run_paths(net, 50, args.epochs):.3f} s")
    for name, pnet in (("paper network", net), ("2,8,8,1", presets.layered([2, 8, 8, 1], seed=0))):
        print(f"neuron pictures, {name}, 50x50 grid: {time_pictures(pnet):.2f} ms (target for the paper's: <= 5 ms)")
    bench_batch.report()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MB (includes the interpreter, numpy and torch if loaded)")


if __name__ == "__main__":
    main()
