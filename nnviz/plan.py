"""A network compiled into index arrays, and the two kernels that run on them.

This is the fast inner part of :mod:`nnviz.engine` and :mod:`nnviz.training`.
Once per network (cached) the neurons are renumbered so that inputs come
first, then bias neurons, then each topological level as one contiguous block
sorted by activation; edges are renumbered so that the edges into one neuron,
and so into one level, are contiguous. Each level's work is then a handful of
numpy calls on slices:

    forward   a[level] = add.reduceat(w[edges] * z[sources])   z[group] = f(a[group])
    backward  dl_da[group] = dl_dz[group] * f'(a, z)
              dl_dw[edges] = repeat(dl_da[level]) * z[sources]
              dl_dz[sources] += add.reduceat((repeat(dl_da[level]) * w[edges]) sorted by source)

Internal arrays are laid out neuron-major: ``z``, ``a`` are ``(N, B, R)`` and
weights ``(E, 1, R)``, so that every row is a contiguous run over samples and
restarts. The public functions transpose to the ``(R, B, N)`` the API promises.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.activations import Activation, get
from nnviz.network import Network


@dataclass(frozen=True)
class Level:
    """One topological level: its neuron rows, incoming edges and groups."""

    lo: int  # first internal neuron row of the level
    hi: int  # one past the last
    elo: int  # first internal edge row into the level
    ehi: int
    src_rows: np.ndarray  # (Ek,) internal row of each edge's source
    starts: np.ndarray  # (nL,) offset of each neuron's first edge within the level
    counts: np.ndarray  # (nL,) incoming edges per neuron
    groups: tuple[tuple[Activation, int, int], ...]  # (sigma, lo, hi) row blocks
    src_order: np.ndarray  # (Ek,) the level's edges sorted by source row (stable)
    src_starts: np.ndarray  # (V,) where each source's run of edges starts in src_order
    all_rows: np.ndarray  # (V,) every neuron that feeds this level, ascending
    computing: np.ndarray  # (V,) bool: all_rows[v] is a hidden or output neuron (not an input or bias)


@dataclass(frozen=True)
class Plan:
    """Index arrays for one network (see the module docstring)."""

    n: int  # neurons
    e: int  # edges
    n_in: int  # inputs occupy rows [0, n_in)
    n_src: int  # inputs and biases occupy rows [0, n_src)
    bias_values: np.ndarray  # (n_src - n_in,) constant outputs of the bias rows
    out_rows: np.ndarray  # (n_out,) internal rows of the outputs, in net.outputs order
    levels: tuple[Level, ...]
    neuron_perm: np.ndarray  # (N,) internal row -> index in net.neurons
    edge_perm: np.ndarray  # (E,) internal edge row -> index in net.edges


def _by_source(src_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges of a level grouped by source: (order (Ek,), run starts (V,), source rows (V,)).

    Summing a per-edge array over each source's edges is then one ``add.reduceat`` in O(Ek) memory
    (a dense (V, Ek) 0/1 matrix would take V * Ek * 8 bytes: 160 MB at the 50,000-edge limit).
    """
    order = np.argsort(src_rows, kind="stable").astype(np.intp)
    sorted_rows = src_rows[order]
    starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]]).astype(np.intp)
    return order, starts, sorted_rows[starts]


def activation_groups(net: Network, order: list[str], lo: int, hi: int) -> tuple[tuple[Activation, int, int], ...]:
    """Rows [lo, hi) of ``order`` (sorted by activation) as runs ``(sigma, first row, one past the last)``."""
    groups, g = [], lo
    while g < hi:
        name = net.neuron(order[g]).activation
        h = g
        while h < hi and net.neuron(order[h]).activation == name:
            h += 1
        groups.append((get(name), g, h))
        g = h
    return tuple(groups)


def plan_for(net: Network) -> Plan:
    """The compiled plan of ``net``, built once and kept on the (immutable) network."""
    plan = net.__dict__.get("_plan")
    if plan is None:
        plan = net.__dict__["_plan"] = _compile(net)
    return plan


def _compile(net: Network) -> Plan:
    idx = net.index
    order: list[str] = list(net.inputs)
    order += [n.id for n in net.neurons if n.role == "bias"]
    n_in, n_src = len(net.inputs), len(order)
    stage_bounds: list[tuple[int, int]] = []
    for level in net.levels[1:]:
        lo = len(order)
        order += sorted(level, key=lambda k: (net.neuron(k).activation, idx[k]))
        stage_bounds.append((lo, len(order)))
    row = {k: r for r, k in enumerate(order)}
    edge_order = sorted(range(len(net.edges)), key=lambda k: (row[net.edges[k][1]], k))
    dst_rows = np.array([row[net.edges[k][1]] for k in edge_order], dtype=np.intp)
    src_all = np.array([row[net.edges[k][0]] for k in edge_order], dtype=np.intp)
    levels = []
    for lo, hi in stage_bounds:
        elo, ehi = np.searchsorted(dst_rows, [lo, hi])
        d = dst_rows[elo:ehi]
        counts = np.bincount(d - lo, minlength=hi - lo)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        groups = activation_groups(net, order, lo, hi)
        src = src_all[elo:ehi]
        src_order, src_starts, all_rows = _by_source(src)
        levels.append(
            Level(lo, hi, int(elo), int(ehi), src, starts, counts, groups,
                  src_order, src_starts, all_rows, all_rows >= n_src)
        )  # fmt: skip
    bias = np.array([net.neuron(k).value for k in order[n_in:n_src]], dtype=float)
    return Plan(
        n=len(order),
        e=len(net.edges),
        n_in=n_in,
        n_src=n_src,
        bias_values=bias,
        out_rows=np.array([row[k] for k in net.outputs], dtype=np.intp),
        levels=tuple(levels),
        neuron_perm=np.array([idx[k] for k in order], dtype=np.intp),
        edge_perm=np.array(edge_order, dtype=np.intp),
    )


def run_forward(plan: Plan, w: np.ndarray, x: np.ndarray, a: np.ndarray, z: np.ndarray) -> None:
    """Fill ``a`` and ``z`` ``(N, B, R)`` for inputs ``x`` ``(n_in, B, 1 or R)``.

    ``w`` is ``(E, 1, R)`` in internal edge order. Rows of sources keep a = z.
    """
    z[: plan.n_in] = x
    z[plan.n_in : plan.n_src] = plan.bias_values[:, None, None]
    a[: plan.n_src] = z[: plan.n_src]
    for lv in plan.levels:
        prod = w[lv.elo : lv.ehi] * z[lv.src_rows]  # (Ek, B, R)
        np.add.reduceat(prod, lv.starts, axis=0, out=a[lv.lo : lv.hi])
        for act, g, h in lv.groups:
            z[g:h] = act.f(a[g:h])


def run_backward(
    plan: Plan,
    w: np.ndarray,
    a: np.ndarray,
    z: np.ndarray,
    y: np.ndarray,
    grad: np.ndarray,
    dl_da: np.ndarray,
    dl_dz: np.ndarray,
    sources_too: bool = True,
) -> None:
    """Backpropagate l = sum_k (y_k - z_k)^2 in the paper's three steps.

    ``y`` is ``(n_out, B, R or 1)``. Fills ``dl_dz``, ``dl_da`` ``(N, B, R)``
    and ``grad`` ``(E, B, R)`` (dl/dw per point, internal edge order). With
    ``sources_too=False`` the inputs' and biases' dl/dz are left at zero,
    which training does not need.
    """
    dl_dz[...] = 0.0
    dl_da[: plan.n_src] = 0.0
    # Step 1: the output neurons, dl/dz_k = -2 (y_k - z_k).
    dl_dz[plan.out_rows] = -2.0 * (y - z[plan.out_rows])
    for lv in reversed(plan.levels):
        for act, g, h in lv.groups:
            dl_da[g:h] = dl_dz[g:h] * act.df(a[g:h], z[g:h])
        per_edge = np.repeat(dl_da[lv.lo : lv.hi], lv.counts, axis=0)  # (Ek, B, R) dl/da_j
        # Step 3: dl/dw_{i,j} = dl/da_j * z_i.
        np.multiply(per_edge, z[lv.src_rows], out=grad[lv.elo : lv.ehi])
        # Step 2: dl/dz_i = sum_j dl/da_j * w_{i,j}, over every edge leaving i.
        if lv.all_rows.size:
            contrib = per_edge * w[lv.elo : lv.ehi]  # (Ek, B, R)
            sums = np.add.reduceat(contrib[lv.src_order], lv.src_starts, axis=0)  # (V, B, R)
            if sources_too:
                dl_dz[lv.all_rows] += sums
            elif lv.computing.any():
                dl_dz[lv.all_rows[lv.computing]] += sums[lv.computing]
