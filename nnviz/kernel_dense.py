"""Per-sample SGD for networks of fully connected layers: one restart at a time, its weights in the cache.

:mod:`nnviz.kernel` runs every restart side by side, the restarts innermost: right for small
networks, whose rows of R restarts make SIMD loops. A wide network's restarts do not fit in the
cache side by side (2,128,128,1 and 100 restarts: 13 MB), so every point streams them all from
memory. Here each restart trains alone, its weight vector ``(E,)`` (130 kB at 2,128,128,1) in the
cache for the whole epoch, and the loops run along a layer's sources instead.

In the plan's order (:mod:`nnviz.plan`) the edges into one neuron are contiguous. In a *dense*
level every neuron has the same sources in the same order, so the level's edges are a row-major
block ``W (n_dst, n_src)`` of the weight vector:

    forward   a_k = sum_q W[k, q] zs[q]                      (zs: the level's sources' z, gathered)
    backward  gs[q] += dl/da_k W[k, q];  W[k, q] -= step dl/da_k zs[q]     (k descending, fused)

Every sum runs in the order the general loops use (sources in plan order; dl/dz of a source
over its targets from the last row down), with the same scalar twins, so both give the same
bits; the tests check it on random networks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.kernel_rows import _decay, _jit, _sigma, _slope

#: Networks with fewer edges than this train faster with the restarts side by side (python -m nnviz.bench).
MIN_EDGES = 2048


@dataclass(frozen=True)
class Levels:
    """A network's computing levels as dense blocks (see the module docstring)."""

    lo: np.ndarray  # (L,) first row of each level
    hi: np.ndarray  # (L,) one past its last row
    elo: np.ndarray  # (L,) its first edge: W[k, q] is edge elo + (k - lo) * width + q
    sptr: np.ndarray  # (L + 1,) the level's sources are src[sptr[l]:sptr[l + 1]]
    src: np.ndarray  # (sum of widths,) source rows, in each neuron's edge order
    width: int  # the widest level's number of sources (scratch size)

    def args(self) -> tuple[np.ndarray, ...]:
        return self.lo, self.hi, self.elo, self.sptr, self.src


def levels_for(levels: list[tuple[int, int, int, np.ndarray, np.ndarray]], n_edges: int) -> Levels | None:
    """Dense blocks of the plan's levels ``(lo, hi, elo, counts (nL,), src_rows (Ek,))``, or None.

    None when some level is not dense (neurons with other sources) or the network is small enough
    for the restarts-side-by-side loops.
    """
    if n_edges < MIN_EDGES:
        return None
    lo, hi, elo, sptr, src = [], [], [], [0], []
    for first, last, e0, counts, src_rows in levels:
        width = int(counts[0]) if counts.size else 0
        if width == 0 or (counts != width).any():
            return None
        block = src_rows.reshape(last - first, width)  # (nL, width)
        if (block != block[0]).any():
            return None
        lo.append(first), hi.append(last), elo.append(e0), src.extend(block[0]), sptr.append(len(src))
    ints = [np.asarray(v, dtype=np.int64) for v in (lo, hi, elo, sptr, src)]
    return Levels(*ints, width=int(np.diff(ints[3]).max()))


@_jit
def _forward(w, x, z, a, zs, lo, hi, elo, sptr, src, codes):
    """One point x ``(n_in,)`` through one restart: fills a, z ``(N,)`` from w ``(E,)``."""
    for i in range(x.size):
        z[i] = x[i]
    for lv in range(lo.size):
        s0, c = sptr[lv], sptr[lv + 1] - sptr[lv]
        for q in range(c):
            zs[q] = z[src[s0 + q]]
        k = lo[lv]
        while k + 4 <= hi[lv]:  # four rows at once: four independent sums, each in the general loops' order
            b0 = elo[lv] + (k - lo[lv]) * c
            b1, b2, b3 = b0 + c, b0 + 2 * c, b0 + 3 * c
            s0 = s1 = s2 = s3 = 0.0
            for q in range(c):
                zq = zs[q]
                s0 += w[b0 + q] * zq
                s1 += w[b1 + q] * zq
                s2 += w[b2 + q] * zq
                s3 += w[b3 + q] * zq
            a[k], a[k + 1], a[k + 2], a[k + 3] = s0, s1, s2, s3
            k += 4
        for j in range(k, hi[lv]):
            base = elo[lv] + (j - lo[lv]) * c
            acc = 0.0
            for q in range(c):
                acc += w[base + q] * zs[q]
            a[j] = acc
        for j in range(lo[lv], hi[lv]):
            z[j] = _sigma(codes[j], a[j])


@_jit
def _backward(w, grad, direct, step, z, a, g, zs, gs, lo, hi, elo, sptr, src, codes):
    """dl/dz already in g ``(N,)`` for the outputs: back through the levels, moving w or adding to grad."""
    for lv in range(lo.size - 1, -1, -1):
        s0, c = sptr[lv], sptr[lv + 1] - sptr[lv]
        for q in range(c):
            zs[q] = z[src[s0 + q]]
            gs[q] = g[src[s0 + q]]
        for k in range(hi[lv] - 1, lo[lv] - 1, -1):
            d = g[k] * _slope(codes[k], a[k], z[k])
            base = elo[lv] + (k - lo[lv]) * c
            if direct:
                for q in range(c):
                    gs[q] += d * w[base + q]  # with the weight before it moves
                    w[base + q] -= step * d * zs[q]
            else:
                for q in range(c):
                    gs[q] += d * w[base + q]
                    grad[base + q] += d * zs[q]
        for q in range(c):
            g[src[s0 + q]] = gs[q]


@_jit
def _state(n, width, bias_rows, bias_values):
    """z, a, dl/dz ``(N,)`` with the bias rows' z set, and the scratch rows zs, gs ``(width,)``."""
    z, a, g = np.zeros(n), np.zeros(n), np.zeros(n)
    for b in range(bias_rows.size):
        z[bias_rows[b]] = bias_values[b]
    return z, a, g, np.empty(width), np.empty(width)


@_jit
def _loss(w, x, y, z, a, zs, lo, hi, elo, sptr, src, codes, outs):
    """Mean loss of one restart w ``(E,)`` over x ``(S, n_in)``, y ``(S, n_out)``."""
    total = 0.0
    for i in range(x.shape[0]):
        _forward(w, x[i], z, a, zs, lo, hi, elo, sptr, src, codes)
        for o in range(outs.size):
            diff = y[i, o] - z[outs[o]]
            total += diff * diff
    return total / x.shape[0]


@_jit
def mean_loss(w, x, y, width, lo, hi, elo, sptr, src, codes, outs, bias_rows, bias_values):
    """Mean loss of each restart of w ``(T, E, 1)``: ``(T,)``."""
    z, a, _, zs, _ = _state(codes.size, width, bias_rows, bias_values)
    out = np.empty(w.shape[0])
    for t in range(w.shape[0]):
        out[t] = _loss(w[t].reshape(-1), x, y, z, a, zs, lo, hi, elo, sptr, src, codes, outs)
    return out


@_jit
def epoch(w, x, y, order, step, batch, l2, width, lo, hi, elo, sptr, src, codes, outs, bias_rows, bias_values):
    """One epoch of each restart of w ``(T, E, 1)`` in place, as :func:`nnviz.kernel._epoch`; losses ``(T,)``."""
    z, a, g, zs, gs = _state(codes.size, width, bias_rows, bias_values)
    direct, n, e = batch == 1 and l2 == 0.0, order.size, w.shape[1]
    grad = np.zeros(0 if direct else e)  # (E,) sum of dl/dw over the batch so far
    decay = _decay(_edge_sources(lo, hi, sptr, src, e), bias_rows, l2)  # (E,)
    out = np.empty(w.shape[0])
    for t in range(w.shape[0]):
        wt = w[t].reshape(-1)  # (E,) this restart, contiguous
        for b0 in range(0, n, batch):
            b1 = min(b0 + batch, n)
            for p in range(b0, b1):
                i = order[p]
                _forward(wt, x[i], z, a, zs, lo, hi, elo, sptr, src, codes)
                g[:] = 0.0
                for o in range(outs.size):
                    g[outs[o]] += 2.0 * (z[outs[o]] - y[i, o])  # step 1: dl/dz = -2 (y - z)
                _backward(wt, grad, direct, step, z, a, g, zs, gs, lo, hi, elo, sptr, src, codes)
            if not direct:
                inv = 1.0 / (b1 - b0)
                for j in range(e):
                    wt[j] -= step * (grad[j] * inv + decay[j] * wt[j])
                    grad[j] = 0.0
        out[t] = _loss(wt, x, y, z, a, zs, lo, hi, elo, sptr, src, codes, outs)
    return out


@_jit
def _edge_sources(lo, hi, sptr, src, e):
    """Source row of each edge ``(E,)`` (for the L2 rates: none on edges leaving a bias)."""
    out = np.empty(e, dtype=np.int64)
    j = 0
    for lv in range(lo.size):
        for _ in range(lo[lv], hi[lv]):
            for q in range(sptr[lv], sptr[lv + 1]):
                out[j] = src[q]
                j += 1
    return out


COMPILED = (_forward, _backward, _state, _loss, mean_loss, epoch, _edge_sources)
