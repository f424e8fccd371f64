"""The per-sample SGD inner loop, compiled with numba.

Per-sample SGD is sequential over training points, so its speed is the cost of
one step for all R restarts. Mini-batches (with L2) sum a batch's gradients in an
``(E, r)`` array and move the weights once at its end (:func:`_epoch`). Here a step is one compiled loop over the
network's neurons in topological order (the rows of :mod:`nnviz.plan`), and
inside it a loop over restarts that the compiler turns into SIMD code:

    forward   a_k = sum_i w_ik z_i          z_k = sigma_k(a_k)
    backward  dl/da_k = dl/dz_k * sigma_k'(a_k)
              dl/dz_i += dl/da_k * w_ik     (before w_ik moves)
              w_ik -= step_size * dl/da_k * z_i

Weights are held as ``(T, E, r)``: T chunks of r restarts, each chunk a
contiguous ``(E, r)`` block in the plan's edge order that one thread trains
while the others train theirs (the compiled functions release the GIL). The
last chunk is padded with all-zero restarts, which are computed and dropped.

Each sigma of :mod:`nnviz.activations` has a scalar twin here, in :func:`_sigma`
and :func:`_slope`, chosen by the registry's code for it; the tests check that
both give the same numbers, so a registry entry without a twin fails them (an
unknown code gives NaN). numba freezes the codes into the machine code it caches;
:func:`_check_cached_codes` throws the cache away when the registry changed since.
"""

from __future__ import annotations

import math
import os
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numba import njit

from nnviz.activations import CODES, LEAKY_SLOPE
from nnviz.network import Network
from nnviz.plan import plan_for
from nnviz.presets import paper_network

#: The registry's codes of the activations the twins below compute (module constants: numba compiles them in).
IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU = (CODES[n] for n in ("identity", "sigmoid", "tanh", "relu", "leaky_relu"))
SOFTPLUS, STEP, SIN = CODES["softplus"], CODES["step"], CODES["sin"]
#: What the compiled code was built with: numba's cache must be rebuilt when this changes.
REGISTRY_STAMP = zlib.crc32(repr((sorted(CODES.items()), LEAKY_SLOPE)).encode())
#: Threads get MIN_CHUNK restarts each, or one restart each once R x E reaches MIN_WORK (worth the hand-off).
MIN_CHUNK, MIN_WORK = 128, 4096
THREADS = max(1, min(os.cpu_count() or 1, 8))
_pool: ThreadPoolExecutor | None = None


def _jit(fn: Callable) -> Callable:
    """numba's njit, cached on disk when numba finds a writable place for the cache, else per process."""
    try:
        return njit(cache=True, nogil=True)(fn)
    except RuntimeError:  # "cannot cache function ...: no locator available" (read-only install and home)
        return njit(nogil=True)(fn)


@_jit
def _sigma(code: int, a: float) -> float:
    if code == IDENTITY:
        return a * 1.0
    if code == SIGMOID:
        return 1.0 / (1.0 + math.exp(-a))
    if code == TANH:
        return math.tanh(a)
    if code == RELU:
        return a if (a > 0.0 or a != a) else 0.0  # max(a, 0), NaN stays NaN
    if code == LEAKY_RELU:
        return a if a > 0.0 else LEAKY_SLOPE * a
    if code == SOFTPLUS:  # log(1 + e^a) = logaddexp(0, a), without overflow
        if a == 0.0:
            return math.log(2.0)
        if a < 0.0:
            return math.log1p(math.exp(a))
        return a + math.log1p(math.exp(-a))
    if code == STEP:
        return 1.0 if a > 0.0 else 0.0
    if code == SIN:
        return math.sin(a)
    return math.nan  # no twin for this code


@_jit
def _slope(code: int, a: float, z: float) -> float:
    """sigma'(a), given z = sigma(a)."""
    if code == IDENTITY:
        return 1.0
    if code == SIGMOID:
        return z * (1.0 - z)
    if code == TANH:
        return 1.0 - z * z
    if code == RELU:
        return 1.0 if a > 0.0 else 0.0
    if code == LEAKY_RELU:
        return 1.0 if a > 0.0 else LEAKY_SLOPE
    if code == SOFTPLUS:
        return 1.0 / (1.0 + math.exp(-a))
    if code == STEP:
        return 0.0
    if code == SIN:
        return math.cos(a)
    return math.nan  # no twin for this code


@_jit
def _sigma_row(code: int, a: np.ndarray, z: np.ndarray) -> None:
    """z = sigma(a) along a row ``(r,)``; the switch is outside the loop so the loop compiles to SIMD."""
    if code == IDENTITY:
        for j in range(a.size):
            z[j] = _sigma(IDENTITY, a[j])
    elif code == SIGMOID:
        for j in range(a.size):
            z[j] = _sigma(SIGMOID, a[j])
    elif code == TANH:
        for j in range(a.size):
            z[j] = _sigma(TANH, a[j])
    else:
        for j in range(a.size):
            z[j] = _sigma(code, a[j])


@_jit
def _delta_row(code: int, a: np.ndarray, z: np.ndarray, g: np.ndarray, d: np.ndarray) -> None:
    """d = g * sigma'(a) along a row ``(r,)``, the switch outside the loop."""
    if code == IDENTITY:
        for j in range(a.size):
            d[j] = g[j] * _slope(IDENTITY, a[j], z[j])
    elif code == SIGMOID:
        for j in range(a.size):
            d[j] = g[j] * _slope(SIGMOID, a[j], z[j])
    elif code == TANH:
        for j in range(a.size):
            d[j] = g[j] * _slope(TANH, a[j], z[j])
    else:
        for j in range(a.size):
            d[j] = g[j] * _slope(code, a[j], z[j])


@_jit
def sigma_rows(codes: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z = sigma(a) and sigma'(a) for rows ``a`` ``(K, M)`` with codes ``(K,)`` (for the tests)."""
    z, s = np.empty_like(a), np.empty_like(a)
    for k in range(a.shape[0]):
        for m in range(a.shape[1]):
            z[k, m] = _sigma(codes[k], a[k, m])
            s[k, m] = _slope(codes[k], a[k, m], z[k, m])
    return z, s


@_jit
def _forward(w, x, z, a, ptr, src, codes):
    """One point x ``(n_in,)`` through all restarts: fills a, z ``(N, r)`` from w ``(E, r)``."""
    r = w.shape[1]
    for i in range(x.size):
        z[i, :] = x[i]
    for k in range(codes.size):
        code = codes[k]
        if code < 0:
            continue
        ak, zk = a[k], z[k]
        ak[:] = 0.0
        for e in range(ptr[k], ptr[k + 1]):
            we, zs = w[e], z[src[e]]
            for j in range(r):
                ak[j] += we[j] * zs[j]
        _sigma_row(code, ak, zk)


@_jit
def _state(w, bias_rows, bias_values, n):
    """Zeroed a, z, dl/dz ``(N, r)`` with the bias rows' z set, and dl/da ``(r,)``."""
    r = w.shape[1]
    z, a, g = np.zeros((n, r)), np.zeros((n, r)), np.zeros((n, r))
    for b in range(bias_rows.size):
        z[bias_rows[b], :] = bias_values[b]
    return z, a, g, np.empty(r)


@_jit
def _mean_loss(w, x, y, ptr, src, codes, outs, bias_rows, bias_values):
    """Mean loss over the points x ``(S, n_in)``, y ``(S, n_out)`` of each restart: ``(r,)``."""
    z, a, _, _ = _state(w, bias_rows, bias_values, codes.size)
    total = np.zeros(w.shape[1])
    for i in range(x.shape[0]):
        _forward(w, x[i], z, a, ptr, src, codes)
        for o in range(outs.size):
            zo = z[outs[o]]
            for j in range(total.size):
                diff = y[i, o] - zo[j]
                total[j] += diff * diff
    return total / x.shape[0]


@_jit
def _decay(src, bias_rows, l2):
    """L2 rate of each edge ``(E,)``: ``l2``, or 0 for the edges leaving a bias neuron."""
    out = np.full(src.size, l2)
    for e in range(src.size):
        for b in range(bias_rows.size):
            if src[e] == bias_rows[b]:
                out[e] = 0.0
    return out


@_jit
def _epoch(w, x, y, order, step, batch, l2, ptr, src, codes, outs, bias_rows, bias_values):
    """One epoch over the points in ``order``, updating w ``(E, r)`` in place; the mean losses after it ``(r,)``.

    Batches of ``batch`` consecutive points of ``order`` (the last may be shorter): their dl/dw are
    summed in ``grad``, then w -= step * (grad / batch size + l2 * w), no L2 on edges leaving biases.
    ``batch == 1, l2 == 0`` is the paper's per-sample SGD, each weight moving as soon as its gradient
    is known, as it always did (the same bits).
    """
    z, a, g, d = _state(w, bias_rows, bias_values, codes.size)
    r, n = w.shape[1], order.size
    direct = batch == 1 and l2 == 0.0
    grad = np.zeros((0 if direct else w.shape[0], r))  # (E, r) sum of dl/dw over the batch so far
    decay = _decay(src, bias_rows, l2)  # (E,)
    for lo in range(0, n, batch):
        hi = min(lo + batch, n)
        for p in range(lo, hi):
            i = order[p]
            _forward(w, x[i], z, a, ptr, src, codes)
            g[:] = 0.0
            for o in range(outs.size):
                go, zo = g[outs[o]], z[outs[o]]
                for j in range(r):
                    go[j] += 2.0 * (zo[j] - y[i, o])  # step 1: dl/dz = -2 (y - z)
            for k in range(codes.size - 1, -1, -1):
                code = codes[k]
                if code < 0:
                    continue
                _delta_row(code, a[k], z[k], g[k], d)
                for e in range(ptr[k], ptr[k + 1]):
                    we, zs, gs = w[e], z[src[e]], g[src[e]]
                    if direct:
                        for j in range(r):
                            gs[j] += d[j] * we[j]  # step 2, with the weight before it moves
                            we[j] -= step * d[j] * zs[j]  # step 3
                    elif codes[src[e]] < 0:  # from an input or bias: its dl/dz is never read
                        ge = grad[e]
                        for j in range(r):
                            ge[j] += d[j] * zs[j]  # step 3, kept until the batch ends
                    else:
                        ge = grad[e]
                        for j in range(r):
                            gs[j] += d[j] * we[j]  # step 2
                            ge[j] += d[j] * zs[j]
        if not direct:
            inv = 1.0 / (hi - lo)
            for e in range(w.shape[0]):
                we, ge, lam = w[e], grad[e], decay[e]
                for j in range(r):
                    we[j] -= step * (ge[j] * inv + lam * we[j])
                    ge[j] = 0.0
    return _mean_loss(w, x, y, ptr, src, codes, outs, bias_rows, bias_values)


@_jit
def _compiled_stamp() -> int:
    return REGISTRY_STAMP


def _check_cached_codes() -> None:
    """Throw numba's on-disk cache of this module away when it was compiled for another registry.

    numba rebuilds its cache when this file changes, not when :mod:`nnviz.activations`
    does: reordering the registry (new codes) or a new leaky slope would
    otherwise run stale machine code.
    """
    if _compiled_stamp() == REGISTRY_STAMP:
        return
    for fn in (_sigma, _slope, _sigma_row, _delta_row, sigma_rows, _forward, _state, _mean_loss, _decay, _epoch):
        fn._cache.flush()  # the next call compiles afresh
    _compiled_stamp._cache.flush()
    _compiled_stamp.recompile()


_check_cached_codes()


@dataclass(frozen=True)
class Layout:
    """A network's rows and edges as the compiled loops read them."""

    ptr: np.ndarray  # (N + 1,) edges into row k are ptr[k]:ptr[k + 1] (plan edge order)
    src: np.ndarray  # (E,) source row of each edge
    codes: np.ndarray  # (N,) activation code of each row, -1 for inputs and biases
    outs: np.ndarray  # (n_out,) rows of the outputs, in net.outputs order
    bias_rows: np.ndarray  # (n_bias,)
    bias_values: np.ndarray  # (n_bias,)
    edge_perm: np.ndarray  # (E,) plan edge -> index in net.edges

    def args(self) -> tuple[np.ndarray, ...]:
        return self.ptr, self.src, self.codes, self.outs, self.bias_rows, self.bias_values


def layout_for(net: Network) -> Layout:
    """The compiled loops' view of ``net``, built once and kept on the network."""
    layout = net.__dict__.get("_kernel_layout")
    if layout is None:
        plan = plan_for(net)
        codes = np.full(plan.n, -1, dtype=np.int64)
        src = np.zeros(plan.e, dtype=np.int64)
        ptr = np.zeros(plan.n + 1, dtype=np.int64)
        for lv in plan.levels:
            for act, lo, hi in lv.groups:
                codes[lo:hi] = CODES[act.name]
            src[lv.elo : lv.ehi] = lv.src_rows
            ptr[lv.lo + 1 : lv.hi + 1] = lv.elo + np.cumsum(lv.counts)
        layout = net.__dict__["_kernel_layout"] = Layout(
            ptr=ptr,
            src=src,
            codes=codes,
            outs=plan.out_rows.astype(np.int64),
            bias_rows=np.arange(plan.n_in, plan.n_src, dtype=np.int64),
            bias_values=plan.bias_values.astype(float),
            edge_perm=plan.edge_perm,
        )
    return layout


def to_chunks(layout: Layout, weights: np.ndarray) -> np.ndarray:
    """Network-order weights ``(R, E)`` -> chunked ``(T, E, r)``, padded with zero restarts."""
    n, e = weights.shape
    # see MIN_CHUNK; a restart computes alike in any chunk, so the split never changes a number
    t = max(1, min(THREADS, n // MIN_CHUNK), min(THREADS, n) if n * e >= MIN_WORK else 1)
    r = -(-n // t)
    padded = np.zeros((t * r, e))
    padded[:n] = weights[:, layout.edge_perm]
    return np.ascontiguousarray(padded.reshape(t, r, e).transpose(0, 2, 1))


def from_chunks(layout: Layout, w: np.ndarray, n: int) -> np.ndarray:
    """Chunked ``(T, E, r)`` -> network-order weights ``(n, E)``."""
    flat = w.transpose(0, 2, 1).reshape(-1, w.shape[1])[:n]  # (n, E) plan order
    out = np.empty_like(flat)
    out[:, layout.edge_perm] = flat
    return out


def _each_chunk(job: object, count: int) -> list:
    global _pool
    if count == 1:
        return [job(0)]  # type: ignore[operator]
    if _pool is None:
        _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="nnviz-sgd")
    return list(_pool.map(job, range(count)))


def epoch(layout: Layout, w: np.ndarray, x: np.ndarray, y: np.ndarray, order: np.ndarray, step: float,
          batch: int = 1, l2: float = 0.0) -> np.ndarray:  # fmt: skip
    """SGD over ``x[order]`` for every restart of ``w`` ``(T, E, r)``, in place, in batches of ``batch`` points.

    After each batch every weight moves by ``-step * (mean dl/dw over the batch + l2 * w)``
    (no L2 on the edges leaving bias neurons); ``batch=1, l2=0`` is per-sample SGD.
    Returns the mean loss over all of ``x`` after the epoch: ``(T * r,)``.
    """
    order = np.ascontiguousarray(order, dtype=np.int64)
    batch, l2 = int(batch), float(l2)
    parts = _each_chunk(lambda t: _epoch(w[t], x, y, order, float(step), batch, l2, *layout.args()), w.shape[0])
    return np.concatenate(parts)


def mean_loss(layout: Layout, w: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean loss over the points ``x`` ``(S, n_in)`` for every restart of ``w`` ``(T, E, r)``: ``(T * r,)``."""
    parts = _each_chunk(lambda t: _mean_loss(w[t], x, y, *layout.args()), w.shape[0])
    return np.concatenate(parts)


def mean_losses(net: Network, weights: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean loss over the points x ``(S, n_in)``, y ``(S, n_out)`` of each weight vector ``(R, E)``: ``(R,)``.

    Memory stays ``O(N x R)`` whatever S is: the points are taken one at a time.
    """
    layout = layout_for(net)
    x, y = np.ascontiguousarray(x, dtype=float), np.ascontiguousarray(y, dtype=float)
    return mean_loss(layout, to_chunks(layout, np.asarray(weights, dtype=float)), x, y)[: len(weights)]


def warm_up() -> float:
    """Compile the loops (or load them from numba's on-disk cache); return the seconds it took.

    Runs one epoch of the paper's network on two points, with the argument types
    that :mod:`nnviz.training` passes, so every later call finds its machine code.
    """
    start = time.perf_counter()
    net = paper_network()
    layout = layout_for(net)
    w = to_chunks(layout, net.weights[None, :])  # (1, E, 1)
    x = np.array([[0.0], [1.0]])  # (S, n_in)
    mean_loss(layout, w, x, x)
    epoch(layout, w, x, x, np.arange(len(x)), 0.1)
    epoch(layout, w, x, x, np.arange(len(x)), 0.1, 2, 0.01)
    return time.perf_counter() - start
