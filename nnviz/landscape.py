"""Loss landscapes: the mean loss over S on a plane through weight space.

A network with E weights has a loss surface in E + 1 dimensions. A *slice*
fixes a plane in weight space, ``w(alpha, beta) = center + alpha * d1 + beta * d2``,
and evaluates the mean loss over S at every point of a grid on it
(:func:`loss_surface`). Three ways to choose the plane, each a plain function
returning a :class:`Plane`:

- :func:`weight_plane` (a): the axes are two weights w_i,j and w_k,l; every other
  weight stays at the centre's value;
- :func:`restarts_plane` (b): the plane through three weight vectors, such as
  three restarts' final weights, so that three minima show at once;
- :func:`random_plane` (c): two random directions, filter-normalised as in Li et
  al., "Visualizing the Loss Landscape of Neural Nets" (2018)
  (:func:`filter_normalise`).

:func:`project` gives a weight path's coordinates on a plane (its shadow).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz import kernel
from nnviz.checks import float_array, training_data, whole
from nnviz.network import Network, NetworkError, as_network

MAX_GRID = 1001  # alphas or betas per slice
BLOCK_VALUES = 4_000_000  # weight values evaluated at once (32 MB): bounds memory on big networks
CACHE_COLUMNS = 512  # weight vectors per compiled call: their a, z and w rows stay in the CPU cache


@dataclass(frozen=True)
class Plane:
    """A plane ``center + alpha * d1 + beta * d2`` in weight space, all ``(E,)`` in ``net.edges`` order.

    ``x_label``/``y_label`` name what alpha and beta measure; ``kind`` is
    ``"weights"``, ``"restarts"`` or ``"random"``; ``anchors`` ``(k, 2)`` are the
    plane coordinates of the points it was built through (for (b): the three
    weight vectors; otherwise the centre).
    """

    center: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    x_label: str
    y_label: str
    kind: str
    anchors: np.ndarray


def _vector(net: Network, value: object, name: str) -> np.ndarray:
    """``value`` as a finite float vector ``(E,)`` (a copy), or NetworkError naming ``name``."""
    v = np.array(float_array(value, name, finite=True))
    if v.shape != (len(net.edges),):
        raise NetworkError(f"{name} has shape {v.shape}; the network has {len(net.edges)} weights")
    return v


def _grid(value: object, name: str) -> np.ndarray:
    g = float_array(value, name, finite=True)
    if g.ndim != 1 or not 1 <= g.size <= MAX_GRID:
        raise NetworkError(f"{name} must be a list of 1 to {MAX_GRID} numbers, not shape {g.shape}")
    return g


def loss_surface(
    net: Network,
    X: object,
    Y: object,
    center: object,
    d1: object,
    d2: object,
    alphas: object,
    betas: object,
) -> np.ndarray:
    """The mean loss over S on a grid of the plane ``center + alpha * d1 + beta * d2``.

    Parameters
    ----------
    net : Network
        Its structure and activations are used; its own weights are not.
    X, Y : array-like
        The training set S: ``(S, n_in)`` and ``(S, n_out)`` (1-D for one column).
    center, d1, d2 : array-like
        ``(E,)`` each, in ``net.edges`` order.
    alphas, betas : array-like
        ``(A,)`` and ``(B,)`` grid coordinates along d1 and d2 (at most 1,001 each).

    Returns
    -------
    numpy.ndarray
        ``(B, A)``: entry ``[j, i]`` is the mean over S of ``l = sum_k (y_k - z_k)^2`` at
        the weights ``center + alphas[i] * d1 + betas[j] * d2`` (the same mean as
        ``TrainResult.loss_history``); NaN where it is not finite.

    Raises
    ------
    NetworkError
        Naming the argument that is malformed or not finite.
    """
    x, y = training_data(as_network(net), X, Y)  # (S, n_in), (S, n_out)
    c, u, v = (_vector(net, a, n) for a, n in ((center, "center"), (d1, "d1"), (d2, "d2")))
    al, be = _grid(alphas, "alphas"), _grid(betas, "betas")
    e = len(net.edges)
    rows = max(1, BLOCK_VALUES // max(1, al.size * e))  # betas per compiled call
    out = np.empty((be.size, al.size))  # (B, A)
    with np.errstate(all="ignore"):
        line = c[None, :] + al[:, None] * u[None, :]  # (A, E)
        for lo in range(0, be.size, rows):
            block = line[None, :, :] + be[lo : lo + rows, None, None] * v[None, None, :]  # (b, A, E)
            out[lo : lo + rows] = _mean_losses(net, block.reshape(-1, e), x, y).reshape(-1, al.size)
    out[~np.isfinite(out)] = np.nan
    return out


def _mean_losses(net: Network, weights: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``kernel.mean_losses`` of ``weights`` ``(n, E)`` in cache-sized chunks ``(T, E, 512)``: ``(n,)``.

    The compiled loop sweeps its chunk's rows once per training point; in chunks
    of 512 weight vectors those rows stay in the cache (about 1.5x faster on the
    paper's network than two chunks of 20,000). The threads take chunks in turn.
    """
    layout = kernel.layout_for(net)
    n, e = weights.shape
    r = min(CACHE_COLUMNS, n)
    t = -(-n // r)
    padded = np.zeros((t * r, e))
    padded[:n] = weights[:, layout.edge_perm]
    w = np.ascontiguousarray(padded.reshape(t, r, e).transpose(0, 2, 1))  # (T, E, r) plan edge order
    return kernel.mean_loss(layout, w, x, y)[:n]


def _edge(net: Network, edge: object, name: str) -> int:
    """Index of ``edge`` (an ``(src, dst)`` pair or an index into ``net.edges``)."""
    if isinstance(edge, (int, np.integer)) and not isinstance(edge, bool):
        if not 0 <= edge < len(net.edges):
            raise NetworkError(f"{name}: there is no edge number {edge} (the network has {len(net.edges)})")
        return int(edge)
    if isinstance(edge, (tuple, list)) and len(edge) == 2 and all(isinstance(k, str) for k in edge):
        k = net.edge_index.get((edge[0], edge[1]))
        if k is not None:
            return k
    raise NetworkError(f"{name}: {edge!r:.60} is not an edge of the network (an (i, j) pair of ids or an index)")


def weight_label(net: Network, k: int) -> str:
    """The paper's name of weight ``k``: ``w_i,j`` for the edge i -> j."""
    src, dst = net.edges[k]
    return f"w_{src},{dst}"


def weight_plane(net: Network, center: object, edge1: object, edge2: object) -> Plane:
    """Plane (a): the axes are the weights of ``edge1`` and ``edge2``; the others stay at ``center``'s.

    The plane coordinates are the two weights themselves (alpha = w_i,j, beta = w_k,l):
    ``d1`` and ``d2`` are unit vectors and the centre has zeros in those two places.
    ``edge1``/``edge2`` are ``(src, dst)`` pairs or indices into ``net.edges``.
    """
    c = _vector(as_network(net), center, "center")
    i, k = _edge(net, edge1, "edge1"), _edge(net, edge2, "edge2")
    if i == k:
        raise NetworkError(f"edge1 and edge2 are both {net.edges[i][0]}->{net.edges[i][1]}; choose two weights")
    anchor = np.array([[c[i], c[k]]])
    c[[i, k]] = 0.0
    d1, d2 = np.zeros_like(c), np.zeros_like(c)
    d1[i], d2[k] = 1.0, 1.0
    return Plane(c, d1, d2, weight_label(net, i), weight_label(net, k), "weights", anchor)


def restarts_plane(net: Network, w_a: object, w_b: object, w_c: object) -> Plane:
    """Plane (b): the plane through three weight vectors, e.g. three restarts' final weights.

    ``center`` is ``w_a``; ``d1 = w_b - w_a``; ``d2`` is the part of ``w_c - w_a``
    orthogonal to ``d1``, scaled to the length of ``d1``. So the picture is not
    sheared: ``w_a`` sits at (0, 0), ``w_b`` at (1, 0), ``w_c`` at (p, q), and one unit
    on either axis is the distance from ``w_a`` to ``w_b``.
    """
    as_network(net)
    a, b, c = (_vector(net, w, n) for w, n in ((w_a, "w_a"), (w_b, "w_b"), (w_c, "w_c")))
    d1, rest = b - a, c - a
    n1 = float(np.linalg.norm(d1))
    if n1 == 0.0:
        raise NetworkError("w_a and w_b are the same point; choose three different weight vectors")
    orth = rest - (rest @ d1) / (n1 * n1) * d1
    n2 = float(np.linalg.norm(orth))
    if n2 <= 1e-9 * max(n1, float(np.linalg.norm(rest))):
        raise NetworkError("the three weight vectors lie on one line; they span no plane")
    d2 = orth * (n1 / n2)
    anchors = np.array([[0.0, 0.0], [1.0, 0.0], [(rest @ d1) / (n1 * n1), n2 / n1]])
    return Plane(a, d1, d2, "along w_a -> w_b", "towards w_c", "restarts", anchors)


def neuron_blocks(net: Network) -> list[np.ndarray]:
    """For each neuron with incoming edges, the indices ``(n_k,)`` of its incoming weights (the set I_k)."""
    by_dst: dict[str, list[int]] = {}
    for k, (_, dst) in enumerate(net.edges):
        by_dst.setdefault(dst, []).append(k)
    return [np.array(ks, dtype=np.int64) for ks in by_dst.values()]


def filter_normalise(net: Network, direction: object, center: object) -> np.ndarray:
    """``direction`` ``(E,)`` rescaled block by block to the norms of ``center``'s blocks.

    Li et al. (2018) normalise per filter; in a network of single neurons a filter is
    one neuron's incoming weights (bias weight included). Each block of the result has
    the Euclidean norm of the same block of ``center``; a block of ``direction`` that
    is all zero stays zero.
    """
    d, c = _vector(as_network(net), direction, "direction"), _vector(net, center, "center")
    out = np.zeros_like(d)
    for ks in neuron_blocks(net):
        norm_d = float(np.linalg.norm(d[ks]))
        if norm_d > 0.0:
            out[ks] = d[ks] * (float(np.linalg.norm(c[ks])) / norm_d)
    return out


def random_plane(net: Network, center: object, seed: int) -> Plane:
    """Plane (c): two random Gaussian directions (from ``seed``), each filter-normalised to ``center``."""
    rng = np.random.default_rng(whole(seed, "the seed", 0))
    c = _vector(as_network(net), center, "center")
    d1 = filter_normalise(net, rng.standard_normal(c.size), c)
    d2 = filter_normalise(net, rng.standard_normal(c.size), c)
    if np.linalg.matrix_rank(np.stack([d1, d2])) < 2:
        raise NetworkError("the centre's weights are zero (or nearly): filter-normalised directions span no plane")
    return Plane(c, d1, d2, "random direction 1", "random direction 2", "random", np.zeros((1, 2)))


def project(path: object, center: object, d1: object, d2: object) -> np.ndarray:
    """Plane coordinates ``(..., 2)`` of weight vectors ``path`` ``(..., E)``: their shadow on the plane.

    The coordinates (alpha, beta) minimise ``|w - (center + alpha d1 + beta d2)|``
    (least squares, so d1 and d2 need not be orthogonal or of unit length). A point
    on the plane is recovered exactly (up to rounding).

    What the shadow is not: in (b) and (c) a path's weights leave the plane in the
    other E - 2 dimensions, so the loss drawn under its shadow (the slice) is not the
    loss the path had; the path is where SGD went, the slice is one cut through the
    surface. In (a) the shadow's coordinates are exactly the two chosen weights, and
    the other weights still move along the path.
    """
    c, u, v = (float_array(a, n, finite=True) for a, n in ((center, "center"), (d1, "d1"), (d2, "d2")))
    p = float_array(path, "path")
    if c.ndim != 1 or u.shape != c.shape or v.shape != c.shape or p.shape[-1:] != c.shape:
        raise NetworkError(f"path {p.shape}, center {c.shape}, d1 {u.shape} and d2 {v.shape} must share the last size")
    basis = np.stack([u, v])  # (2, E)
    with np.errstate(all="ignore"):
        gram = basis @ basis.T  # (2, 2)
        det, scale = np.linalg.det(gram), float(np.trace(gram)) ** 2
    if not (np.isfinite(det) and np.isfinite(scale)):
        raise NetworkError("d1 and d2 are too large to project onto")
    if abs(det) <= 1e-12 * max(scale, 1e-300):
        raise NetworkError("d1 and d2 are parallel (or zero); they span no plane")
    with np.errstate(all="ignore"):
        return ((p - c) @ basis.T) @ np.linalg.inv(gram)  # (..., 2); gram is symmetric
