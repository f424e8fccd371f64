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
import os
import resource
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import numpy as np

from nnviz import bench_batch, kernel, landscape, loss_surface, neuron_pictures, presets, restarts, sgd_paths, training
from nnviz.bench_forms import TORCH_ACTIVATIONS as TORCH_ACTIVATIONS  # listed here for the tests
from nnviz.network import Network

EPOCHS = 100
POINTS = 32
STEP_SIZE = 0.05


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


#: The cases of issue 24: (name, network factory, restarts, initial scale, step size).
CASES: tuple[tuple[str, Callable[[], Network], int, float, float], ...] = (
    ("paper network", presets.paper_network, 1, 1.0, STEP_SIZE),
    ("paper network", presets.paper_network, 100, 1.0, STEP_SIZE),
    ("paper network", presets.paper_network, 1000, 1.0, STEP_SIZE),
    ("2,8,8,1", partial(presets.layered, [2, 8, 8, 1]), 100, 0.5, 0.02),
    ("2,32,32,1", partial(presets.layered, [2, 32, 32, 1]), 100, 0.2, 0.01),
    ("2,128,128,1", partial(presets.layered, [2, 128, 128, 1]), 100, 0.1, 0.005),
    ("2,221,221,1", partial(presets.layered, [2, 221, 221, 1]), 100, 0.07, 0.002),
)
CASE_SECONDS = 0.4  # each timed run, about
REPEATS = 3  # best of


def dataset_2d() -> tuple[np.ndarray, np.ndarray]:
    """32 points of sin(x1) cos(x2) on [-2, 2]^2 (seeded): ``(32, 2)`` inputs, ``(32, 1)`` targets."""
    x = np.random.default_rng(0).uniform(-2.0, 2.0, (POINTS, 2))
    return x, np.sin(x[:, :1]) * np.cos(x[:, 1:])


def load() -> str:
    """The 1-minute load average, for every figure printed (the machine may be shared)."""
    return f"load {os.getloadavg()[0]:.1f}"


CACHED = 50_000  # doubles per array of the bandwidth test


def machine_peak() -> tuple[float, float]:
    """(float64 FLOP/s of a 2000^3 numpy matrix product, in-cache bytes/s of numpy adds on all cores), best of 3."""
    a = np.random.default_rng(0).normal(size=(2000, 2000))
    best = min(_seconds(lambda: a @ a) for _ in range(3))
    flops = 2 * 2000**3 / best

    def adds(_: int) -> None:
        u, v, w = np.ones(CACHED), np.ones(CACHED), np.empty(CACHED)  # 3 x 400 KB: in L2
        for _ in range(500):
            np.add(u, v, out=w)

    threads = kernel.THREADS
    with ThreadPoolExecutor(threads) as pool:
        best = min(_seconds(lambda: list(pool.map(adds, range(threads)))) for _ in range(3))
    return flops, threads * 500 * 3 * CACHED * 8 / best


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(net: Network, r: int, scale: float, step: float) -> dict[str, Any]:
    """nnviz's per-sample SGD against :mod:`nnviz.bench_torch` on one case, from the same initial weights.

    Epochs are chosen so a run takes about :data:`CASE_SECONDS`; each side is timed best of
    :data:`REPEATS`: nnviz through :func:`nnviz.train`, which also evaluates the mean loss after
    every epoch and checks for divergence; PyTorch in both its forms, the faster kept, taking
    the steps only. Both run the points in order.
    """
    from nnviz import bench_torch

    x, y = dataset() if len(net.inputs) == 1 else dataset_2d()
    w0 = training.initial_weights(net, r, 0, scale)  # (R, E)
    training.train(net, x, y, w0, step, 1)  # compiled, caches warm
    per_epoch = _seconds(lambda: training.train(net, x, y, w0, step, 1))
    hows = {how: bench_torch.train(net, w0, x, y, step, 1, how)[0] for how in bench_torch.STEPS}
    epochs = max(1, min(2_000, round(CASE_SECONDS / max(per_epoch, min(hows.values())))))
    runs = [training.train(net, x, y, w0, step, epochs) for _ in range(REPEATS)]
    ours = min(res.seconds for res in runs)
    torch_runs = {how: [bench_torch.train(net, w0, x, y, step, epochs, how) for _ in range(REPEATS)] for how in hows}
    how = min(torch_runs, key=lambda h: min(t for t, _ in torch_runs[h]))  # the faster form, each best of REPEATS
    theirs = min(t for t, _ in torch_runs[how])
    diff = float(np.abs(torch_runs[how][0][1] - runs[0].weights).max())
    steps = r * POINTS * epochs
    return {"epochs": epochs, "ours": steps / ours, "torch": steps / theirs, "how": how, "diff": diff}


def print_comparison(peak: tuple[float, float]) -> None:
    """The table of issue 24: steps/s of nnviz and PyTorch, their ratio, nnviz's share of the machine's peak."""
    flops, bandwidth = peak
    print(f"{'case':>14} {'R':>5} {'epochs':>6} {'nnviz M/s':>10} {'torch M/s':>10} {'ratio':>6} "
          f"{'%FLOP':>6} {'%BW':>5} {'max |dw|':>9}  torch form, load")  # fmt: skip
    for name, make, r, scale, step in CASES:
        net = make()
        row = compare(net, r, scale, step)
        e = len(net.edges)  # 6 flops and 24 bytes of weight traffic per weight per step
        print(
            f"{name:>14} {r:>5} {row['epochs']:>6} {row['ours'] / 1e6:10.3f} {row['torch'] / 1e6:10.3f} "
            f"{row['ours'] / row['torch']:6.1f} {100 * 6 * e * row['ours'] / flops:6.1f} "
            f"{100 * 24 * e * row['ours'] / bandwidth:5.1f} {row['diff']:9.1e}  {row['how']}, {load()}"
        )


def compare_surface(resolution: int = 201) -> tuple[float, float, float]:
    """(nnviz s, PyTorch s, max |difference|) of a 201 x 201 loss slice of 2,8,8,1 on 32 points, best of 3."""
    from nnviz import bench_torch

    net = presets.layered([2, 8, 8, 1])
    x, y = dataset_2d()
    plane = landscape.random_plane(net, net.weights, seed=0)
    grid = np.linspace(-1.0, 1.0, resolution)
    surface = loss_surface(net, x, y, plane.center, plane.d1, plane.d2, grid, grid)  # (B, A)
    ours = min(
        _seconds(lambda: loss_surface(net, x, y, plane.center, plane.d1, plane.d2, grid, grid)) for _ in range(3)
    )
    alpha, beta = np.meshgrid(grid, grid)  # (B, A)
    weights = plane.center + alpha.reshape(-1, 1) * plane.d1 + beta.reshape(-1, 1) * plane.d2  # (B * A, E)
    theirs = bench_torch.loss_surface(net, x, y, weights)
    best = min(_seconds(lambda: bench_torch.loss_surface(net, x, y, weights)) for _ in range(3))
    return ours, best, float(np.nanmax(np.abs(theirs.reshape(surface.shape) - surface)))


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


def torch_present() -> bool:
    """True when PyTorch imports (``pip install -r requirements-bench.txt``)."""
    try:
        import torch  # noqa: F401
    except (ImportError, OSError):  # not installed, or a broken install
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restarts", type=int, nargs="*", default=[1, 100, 1000])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--torch-only", action="store_true", help="only the comparison with PyTorch")
    args = parser.parse_args(argv)
    net = presets.paper_network()
    print(f"compiling or loading the SGD loops: {kernel.warm_up():.2f} s (once per process); {load()}")
    peak = machine_peak()
    print(f"machine: {os.cpu_count()} cores; float64 matrix product {peak[0] / 1e9:.0f} GFLOP/s, "
          f"in-cache adds {peak[1] / 1e9:.0f} GB/s (the peaks below); {load()}")  # fmt: skip
    if torch_present():
        from nnviz import bench_torch

        print(f"per-sample SGD steps/s against PyTorch {bench_torch.describe()}, float64, best of {REPEATS}:")
        print_comparison(peak)
        ours, theirs, diff = compare_surface()
        print(f"loss slice 201 x 201 of 2,8,8,1 on {POINTS} points: nnviz {ours * 1e3:.0f} ms, PyTorch (bmm) "
              f"{theirs * 1e3:.0f} ms, ratio {theirs / ours:.1f}, max |difference| {diff:.1e}; {load()}")  # fmt: skip
    else:
        print("PyTorch is not installed (pip install -r requirements-bench.txt): no comparison")
    if args.torch_only:
        return
    print(f"paper network: {len(net.ids)} neurons, {len(net.edges)} weights; {POINTS} points, {args.epochs} epochs")
    print(f"{'restarts':>8} {'seconds':>8} {'M steps/s':>10} {'peak MB':>8}")
    for r in args.restarts:
        seconds, rate, peak_mb = run_numpy(net, r, args.epochs)
        print(f"{r:>8} {seconds:8.3f} {rate / 1e6:10.2f} {peak_mb:8.1f}  {load()}")
    plain, kept = recording_overhead(net)
    print(
        f"recording 10 of 1,000 restarts: {plain:.3f} s without, {kept:.3f} s with "
        f"({100 * (kept / plain - 1):+.1f}%; target < +10%)"
    )
    best, median = run_landscape(net)
    print(
        f"loss slice 201 x 201 ({201 * 201:,} weight vectors x {POINTS} points): "
        f"best {best * 1e3:.0f} ms, median {median * 1e3:.0f} ms (target <= 100 ms); {load()}"
    )
    print(f"SGD paths of 50 restarts, {args.epochs} epochs shuffled, replayed: {run_paths(net, 50, args.epochs):.3f} s")
    for name, pnet in (("paper network", net), ("2,8,8,1", presets.layered([2, 8, 8, 1], seed=0))):
        print(f"neuron pictures, {name}, 50x50 grid: {time_pictures(pnet):.2f} ms (target for the paper's: <= 5 ms)")
    bench_batch.report()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MB (includes the interpreter, numpy and torch if loaded)")


if __name__ == "__main__":
    main()
