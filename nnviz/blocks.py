"""The per-sample SGD inner loop, on dense per-level weight blocks.

Per-sample SGD is sequential over training points, so its speed is the cost of
one step for all R restarts. A step on the sparse edge lists of
:mod:`nnviz.plan` needs gathers and scatters; here each level's incoming
weights are laid out instead as one dense block ``(nL, U, R)``: its nL
neurons by the U neurons that feed it (structural zeros where there is no
edge, held at zero by a 0/1 mask in the update). A level is then

    forward   a = sum_u W[:, u] * z[U][u]           z = sigma(a)
    backward  dl_da = dl_dz * sigma'(a)
              dl_dW = dl_da[:, None] * z[U]         (masked in the update)
              dl_dz[U] += sum_k dl_da[k] * W[k, :]

a few numpy calls on contiguous ``(., R)`` arrays. Neurons are numbered
stage by stage (each layer's computing neurons, then its inputs and biases),
so for a layered network z[U] is a slice, not a gather. All blocks share one
buffer ``(P, R)``, so the weight update is two calls for the whole network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.activations import Activation
from nnviz.network import Network
from nnviz.plan import activation_groups


@dataclass(frozen=True)
class Block:
    """One level: rows [lo, hi) fed by rows ``src`` through the block at [off, off + nL*U)."""

    lo: int
    hi: int
    src: slice | np.ndarray  # rows feeding the level: a slice when contiguous
    u: int  # len(src)
    off: int  # first row of the block in the weight buffer
    groups: tuple[tuple[Activation, int, int], ...]  # (sigma, lo, hi) rows
    back: bool  # some source rows compute (so dl/dz must flow to them)
    mask: np.ndarray | None  # (nL, U, 1) 1.0 where an edge exists; None when the block is full


@dataclass(frozen=True)
class Blocks:
    """The block layout of one network."""

    n: int
    rows: dict[str, int]  # neuron id -> row
    input_rows: np.ndarray  # (n_in,) in net.inputs order
    bias_rows: np.ndarray  # (n_bias,)
    bias_values: np.ndarray  # (n_bias,)
    out_rows: np.ndarray  # (n_out,) in net.outputs order
    levels: tuple[Block, ...]
    size: int  # P, rows of the weight buffer
    edge_pos: np.ndarray  # (E,) buffer row of each edge, in net.edges order
    accumulate: bool  # some neuron feeds more than one level: dl/dz must be summed


def _as_slice(rows: list[int]) -> slice | np.ndarray:
    if rows == list(range(rows[0], rows[0] + len(rows))):
        return slice(rows[0], rows[0] + len(rows))
    return np.array(rows, dtype=np.intp)


def blocks_for(net: Network) -> Blocks:
    """The block layout of ``net``, built once and kept on the network."""
    layout = net.__dict__.get("_blocks")
    if layout is None:
        layout = net.__dict__["_blocks"] = _build(net)
    return layout


def _build(net: Network) -> Blocks:
    stages = net.stages()
    order: list[str] = []
    computing: list[tuple[int, int]] = []
    for stage in stages:
        calc = sorted((k for k in stage if net.neuron(k).computes), key=lambda k: (net.neuron(k).activation, k))
        lo = len(order)
        order += calc
        computing.append((lo, len(order)))
        order += [k for k in stage if not net.neuron(k).computes]
    rows = {k: r for r, k in enumerate(order)}
    feeds: dict[int, set[int]] = {}
    levels, edge_pos, off = [], np.zeros(len(net.edges), dtype=np.intp), 0
    for lo, hi in computing:
        if lo == hi:
            continue
        src_rows = sorted({rows[s] for s, d in net.edges if lo <= rows[d] < hi})
        u = len(src_rows)
        col = {r: c for c, r in enumerate(src_rows)}
        mask = np.zeros((hi - lo, u))
        for k, (s, d) in enumerate(net.edges):
            if lo <= rows[d] < hi:
                i, j = rows[d] - lo, col[rows[s]]
                mask[i, j] = 1.0
                edge_pos[k] = off + i * u + j
                feeds.setdefault(rows[s], set()).add(lo)
        groups = activation_groups(net, order, lo, hi)
        back = any(net.neuron(order[r]).computes for r in src_rows)
        full = bool(mask.all())
        sparse = None if full else mask[:, :, None]
        levels.append(Block(lo, hi, _as_slice(src_rows), u, off, groups, back, sparse))
        off += (hi - lo) * u
    bias = [k for k in order if net.neuron(k).role == "bias"]
    return Blocks(
        n=len(order),
        rows=rows,
        input_rows=np.array([rows[k] for k in net.inputs], dtype=np.intp),
        bias_rows=np.array([rows[k] for k in bias], dtype=np.intp),
        bias_values=np.array([net.neuron(k).value for k in bias], dtype=float),
        out_rows=np.array([rows[k] for k in net.outputs], dtype=np.intp),
        levels=tuple(levels),
        size=off,
        edge_pos=edge_pos,
        accumulate=any(len(v) > 1 for v in feeds.values()) or any(net.outgoing(k) for k in net.outputs),
    )


def to_buffer(layout: Blocks, weights: np.ndarray) -> np.ndarray:
    """Network-order weights ``(R, E)`` -> block buffer ``(P, R)``."""
    buf = np.zeros((layout.size, weights.shape[0]))
    buf[layout.edge_pos] = weights.T
    return buf


def from_buffer(layout: Blocks, buf: np.ndarray) -> np.ndarray:
    """Block buffer ``(P, R)`` -> network-order weights ``(R, E)``."""
    return buf[layout.edge_pos].T.copy()


def _apply(act: Activation, a: np.ndarray, out: np.ndarray) -> None:
    """out = sigma(a), without temporaries for the common functions."""
    if act.name == "sigmoid":
        np.negative(a, out=out)
        np.exp(out, out=out)
        out += 1.0
        np.divide(1.0, out, out=out)
    elif act.name == "identity":
        out[...] = a
    else:
        out[...] = act.f(a)


def _apply_d(act: Activation, a: np.ndarray, z: np.ndarray, dl_dz: np.ndarray, out: np.ndarray) -> None:
    """out = dl_dz * sigma'(a), without temporaries for the common functions."""
    if act.name == "sigmoid":
        np.subtract(1.0, z, out=out)
        out *= z
        out *= dl_dz
    elif act.name == "identity":
        out[...] = dl_dz
    else:
        np.multiply(dl_dz, act.df(a, z), out=out)


class Stepper:
    """Runs per-sample SGD steps for the R restarts of one weight buffer ``(P, R)``."""

    def __init__(self, layout: Blocks, w: np.ndarray) -> None:
        r = w.shape[1]
        self.layout, self.w = layout, w
        self.z = np.zeros((layout.n, r))  # (N, R) outputs
        self.a = np.zeros((layout.n, r))  # (N, R) weighted sums
        self.dl_dz = np.zeros((layout.n, r))  # (N, R)
        self.dl_da = np.zeros((layout.n, r))  # (N, R)
        self.z[layout.bias_rows] = layout.bias_values[:, None]
        self.levels = []
        for lv in layout.levels:
            shape = (lv.hi - lv.lo, lv.u, r)
            contiguous = isinstance(lv.src, slice)
            self.levels.append(
                (
                    lv,
                    w[lv.off : lv.off + shape[0] * lv.u].reshape(shape),  # (nL, U, R) weights, a view into w
                    np.empty(shape),  # (nL, U, R) products
                    np.empty((lv.u, r)),  # (U, R) dl/dz contributions
                    self.z[lv.src] if contiguous else None,  # (U, R) view of the sources' z
                    self.dl_da[lv.lo : lv.hi, None, :],  # (nL, 1, R) view of dl/da
                )
            )

    def step(self, x: np.ndarray, y: np.ndarray, step_size: float) -> None:
        """One SGD step on the point (x ``(n_in,)``, y ``(n_out,)``); updates ``self.w`` in place."""
        lay, z, a, dl_dz, dl_da = self.layout, self.z, self.a, self.dl_dz, self.dl_da
        z[lay.input_rows] = x[:, None]
        for lv, wb, prod, _, zs, _ in self.levels:
            np.multiply(wb, z[lv.src] if zs is None else zs, out=prod)
            np.add.reduce(prod, axis=1, out=a[lv.lo : lv.hi])
            for act, lo, hi in lv.groups:
                _apply(act, a[lo:hi], z[lo:hi])
        if lay.accumulate:
            dl_dz.fill(0.0)
        out = lay.out_rows
        dl_dz[out] = 2.0 * (z[out] - y[:, None])  # step 1: dl/dz = -2 (y - z)
        for lv, wb, prod, contrib, zs, da in reversed(self.levels):
            for act, lo, hi in lv.groups:
                _apply_d(act, a[lo:hi], z[lo:hi], dl_dz[lo:hi], dl_da[lo:hi])
            if lv.back:  # step 2, with this level's weights before they move
                np.multiply(da, wb, out=prod)
                if zs is not None and not lay.accumulate:
                    np.add.reduce(prod, axis=0, out=dl_dz[lv.src])
                else:
                    np.add.reduce(prod, axis=0, out=contrib)
                    if lay.accumulate:
                        dl_dz[lv.src] += contrib
                    else:
                        dl_dz[lv.src] = contrib
            da *= step_size
            np.multiply(da, z[lv.src] if zs is None else zs, out=prod)  # step 3, times the step size
            if lv.mask is not None:
                prod *= lv.mask
            wb -= prod


def batch_outputs(layout: Blocks, w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Outputs for every point of ``x`` ``(S, n_in)`` and every restart of ``w`` ``(P, R)``: ``(n_out, S, R)``."""
    s, r = x.shape[0], w.shape[1]
    z = np.zeros((layout.n, s, r))  # (N, S, R)
    z[layout.input_rows] = x.T[:, :, None]
    z[layout.bias_rows] = layout.bias_values[:, None, None]
    for lv in layout.levels:
        wb = w[lv.off : lv.off + (lv.hi - lv.lo) * lv.u].reshape(lv.hi - lv.lo, lv.u, 1, r)  # (nL, U, 1, R)
        zs = z[lv.src]  # (U, S, R)
        a = wb[:, 0] * zs[0]  # (nL, S, R)
        for u in range(1, lv.u):
            a += wb[:, u] * zs[u]
        for act, lo, hi in lv.groups:
            z[lo:hi] = act.f(a[lo - lv.lo : hi - lv.lo])
    return z[layout.out_rows]
