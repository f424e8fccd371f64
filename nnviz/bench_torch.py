"""The fastest PyTorch formulation of nnviz's per-sample SGD we could write, for :mod:`nnviz.bench`.

Imported only when ``torch`` is installed (``requirements-bench.txt``). It is
what a PyTorch user would write for a layered network trained from R restarts
at once, in float64: one dense weight block ``(R, n_dst, n_src)`` per layer
(the sources are the previous level's neurons, then the bias neurons feeding
the layer), a 0/1 mask for edges the network lacks, and manual backprop with
no autograd:

    forward   a = W z_src                       z = sigma(a)
    backward  d = dl/dz * sigma'(a)             dl/dz_src = W^T d   (before W moves)
              W -= step * d z_src^T             (then W *= mask when edges are missing)

Two formulations, timed per case, the faster one kept: ``bmm`` (``torch.bmm``
and ``baddbmm_``) and ``broadcast`` (elementwise products and sums, ``addcmul_``).
The network's own ids and edges give the blocks: nothing of nnviz's plan or
kernel is used, so the final weights are an independent check of the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import torch

from nnviz.bench_forms import TORCH_ACTIVATIONS, TORCH_SLOPES
from nnviz.network import Network

Tensor = torch.Tensor


@dataclass
class Layer:
    """One layer's dense block: ``w`` ``(R, n_dst, n_src)``, ``mask`` ``(n_dst, n_src)`` or None when full."""

    dst: list[str]
    src: list[str]  # the previous level's neurons, then the bias neurons feeding this layer
    n_prev: int  # how many of src are the previous level's neurons
    edge: np.ndarray  # (n_dst, n_src) index into net.edges, -1 where there is no edge
    w: Tensor
    mask: Tensor | None
    bias: Tensor  # (n_src - n_prev,) the bias neurons' values
    sigma: Callable[[Tensor], Tensor]
    slope: Callable[[Tensor, Tensor], Tensor]


def layers_of(net: Network, weights: np.ndarray) -> list[Layer]:
    """Dense blocks of a layered ``net`` holding ``weights`` ``(R, E)`` (net.edges order); ValueError otherwise."""
    levels = net.levels
    biases = {n.id for n in net.neurons if n.role == "bias"}
    if any(len({net.neuron(k).activation for k in lv}) > 1 for lv in levels[1:]):
        raise ValueError("a level mixes activations")
    r = weights.shape[0]
    layers = []
    for li in range(1, len(levels)):
        dst = levels[li]
        prev = [k for k in levels[li - 1] if k not in biases]
        feeding = [k for k in net.ids if k in biases and any(d in dst for _, d in net.outgoing(k))]
        src = prev + feeding
        col, row = {k: i for i, k in enumerate(src)}, {k: j for j, k in enumerate(dst)}
        edge = np.full((len(dst), len(src)), -1)
        for e, (s, d) in enumerate(net.edges):
            if d in row:
                if s not in col:
                    raise ValueError(f"edge {s}->{d} skips a level")
                edge[row[d], col[s]] = e
        w = np.where(edge >= 0, weights[:, np.maximum(edge, 0)], 0.0)  # (R, n_dst, n_src)
        present = edge >= 0
        name = net.neuron(dst[0]).activation
        sigma, slope = partial(TORCH_ACTIVATIONS[name], torch), partial(TORCH_SLOPES[name], torch)
        layers.append(
            Layer(dst, src, len(prev), edge, torch.tensor(w).contiguous(),
                  None if present.all() else torch.tensor(present.astype(float)),
                  torch.tensor([net.neuron(k).value for k in feeding], dtype=torch.float64).expand(r, -1),
                  sigma, slope)
        )  # fmt: skip
    if [k for k in levels[-1]] != list(net.outputs):
        raise ValueError("the outputs are not the last level, in order")
    return layers


def weights_of(layers: list[Layer], e: int) -> np.ndarray:
    """The layers' weights back in net.edges order: ``(R, E)``."""
    r = layers[0].w.shape[0]
    out = np.full((r, e), np.nan)
    for lay in layers:
        present = lay.edge >= 0
        out[:, lay.edge[present]] = lay.w.numpy()[:, present]
    return out


def _sources(layers: list[Layer], z_prev: Tensor, li: int) -> Tensor:
    """z of layer ``li``'s sources ``(R, n_src)``: the previous level's z and the biases."""
    lay = layers[li]
    return torch.cat([z_prev, lay.bias], dim=1) if lay.bias.shape[1] else z_prev


def _forward(
    layers: list[Layer], x: Tensor, y: Tensor, product: Callable[[Tensor, Tensor], Tensor]
) -> tuple[list[Tensor], list[tuple[Tensor, Tensor]], Tensor]:
    """The forward pass, ``product(w, src)`` giving a ``(R, n_dst)``: the sources, (a, z) per layer, and dl/dz."""
    zs, acts = [], []
    z = x
    for li, lay in enumerate(layers):
        src = _sources(layers, z, li)  # (R, n_src)
        a = product(lay.w, src)  # (R, n_dst)
        z = lay.sigma(a)
        zs.append(src)
        acts.append((a, z))
    return zs, acts, 2.0 * (z - y)


def step_bmm(layers: list[Layer], x: Tensor, y: Tensor, step: float) -> None:
    """One per-sample SGD step for every restart, with ``bmm`` and ``baddbmm_``; x ``(R, n_in)``, y ``(n_out,)``."""
    zs, acts, g = _forward(layers, x, y, lambda w, src: torch.bmm(w, src.unsqueeze(2)).squeeze(2))
    for li in range(len(layers) - 1, -1, -1):
        lay, (a, z) = layers[li], acts[li]
        d = (g * lay.slope(a, z)).unsqueeze(2)  # (R, n_dst, 1)
        if li:
            g = torch.bmm(d.transpose(1, 2), lay.w).squeeze(1)[:, : lay.n_prev]  # (R, n_prev)
        lay.w.baddbmm_(d, zs[li].unsqueeze(1), alpha=-step)
        if lay.mask is not None:
            lay.w.mul_(lay.mask)


def step_broadcast(layers: list[Layer], x: Tensor, y: Tensor, step: float) -> None:
    """The same step with elementwise products and sums (``addcmul_``)."""
    zs, acts, g = _forward(layers, x, y, lambda w, src: (w * src.unsqueeze(1)).sum(2))
    for li in range(len(layers) - 1, -1, -1):
        lay, (a, z) = layers[li], acts[li]
        d = (g * lay.slope(a, z)).unsqueeze(2)
        if li:
            g = (lay.w * d).sum(1)[:, : lay.n_prev]
        lay.w.addcmul_(d, zs[li].unsqueeze(1), value=-step)
        if lay.mask is not None:
            lay.w.mul_(lay.mask)


STEPS: dict[str, Callable[[list[Layer], Tensor, Tensor, float], None]] = {
    "bmm": step_bmm,
    "broadcast": step_broadcast,
}


def train(
    net: Network, w0: np.ndarray, x: np.ndarray, y: np.ndarray, step: float, epochs: int, how: str
) -> tuple[float, np.ndarray]:
    """(seconds, final weights ``(R, E)``) of per-sample SGD over x ``(S, n_in)`` in order, ``epochs`` times."""
    layers = layers_of(net, w0)
    r = w0.shape[0]
    xs = [torch.tensor(xi).expand(r, -1) for xi in x]  # (R, n_in) per point
    ys = [torch.tensor(yi) for yi in y]
    fn = STEPS[how]
    with torch.no_grad():
        start = time.perf_counter()
        for _ in range(epochs):
            for xi, yi in zip(xs, ys, strict=True):
                fn(layers, xi, yi, step)
        seconds = time.perf_counter() - start
    return seconds, weights_of(layers, len(net.edges))


def loss_surface(net: Network, x: np.ndarray, y: np.ndarray, weights: np.ndarray, block: int = 4096) -> np.ndarray:
    """Mean loss over the points x ``(S, n_in)`` of each weight vector ``(n, E)``, batched in PyTorch: ``(n,)``."""
    out = np.empty(weights.shape[0])
    xt, yt = torch.tensor(x), torch.tensor(y)  # (S, n_in), (S, n_out)
    with torch.no_grad():
        for lo in range(0, weights.shape[0], block):
            layers = layers_of(net, weights[lo : lo + block])
            z = xt.expand(layers[0].w.shape[0], -1, -1)  # (b, S, n_in)
            for lay in layers:
                if lay.bias.shape[1]:
                    bias = lay.bias[:, None, :].expand(-1, z.shape[1], -1)
                    z = torch.cat([z, bias], dim=2)  # (b, S, n_src)
                z = lay.sigma(torch.bmm(z, lay.w.transpose(1, 2)))  # (b, S, n_dst)
            out[lo : lo + block] = ((yt - z) ** 2).sum(2).mean(1).numpy()
    return out


def describe() -> dict[str, Any]:
    """The PyTorch build: version and threads."""
    return {"version": torch.__version__, "threads": torch.get_num_threads()}
