"""Forward and backward passes: arrays in, arrays out.

``forward(net, x)`` evaluates the network level by level, as in the paper:
input neurons pass x unchanged (z_k = x_k), bias neurons output their constant,
and every other neuron computes a_k = sum_{i in I_k} w_{i,k} z_i and
z_k = sigma_k(a_k). ``backward(net, trace, y)`` computes the loss
l = sum over outputs (y_k - z_k)^2 and its derivatives in the paper's three
steps. Both accept R weight sets at once (``weights`` of shape ``(R, E)``).

Shapes: one weight set gives ``(B, N)`` per-neuron arrays; R weight sets give
``(R, B, N)``. A single input ``x`` of shape ``(n_in,)`` is a batch of one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.checks import float_array, real
from nnviz.network import Network, NetworkError, as_network
from nnviz.plan import Plan, plan_for, run_backward, run_forward


def _as_batch(values: object, width: int, what: str, finite: bool = False) -> np.ndarray:
    arr = float_array(values, what, finite=finite)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != width:
        raise NetworkError(f"{what} has shape {np.shape(values)}; expected ({width},) or (B, {width})")
    return arr  # (B, width)


def _weight_sets(net: Network, weights: np.ndarray | None) -> tuple[np.ndarray, bool]:
    if weights is None:
        return net.weights[None, :], False
    w = float_array(weights, "weights", finite=True)
    if w.ndim == 1:
        w = w[None, :]
        many = False
    else:
        many = True
    if w.ndim != 2 or w.shape[1] != len(net.edges):
        raise NetworkError(f"weights have shape {np.shape(weights)}; expected ({len(net.edges)},) or (R, E)")
    return w, many  # (R, E)


def _internal(plan: Plan, w: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(w[:, plan.edge_perm].T)[:, None, :]  # (E, 1, R)


def _public(plan: Plan, arr: np.ndarray, many: bool) -> np.ndarray:
    out = np.empty((arr.shape[2], arr.shape[1], arr.shape[0]))  # (R, B, N) in network order
    out[:, :, plan.neuron_perm] = arr.transpose(2, 1, 0)
    return out if many else out[0]


@dataclass(frozen=True)
class Trace:
    """The result of a forward pass.

    ``a`` weighted sums and ``z`` outputs of every neuron, ``(B, N)`` or
    ``(R, B, N)`` in ``net.neurons`` order (for inputs and biases a = z);
    ``output`` the output neurons' z, ``(B, n_out)`` or ``(R, B, n_out)``.
    """

    net: Network
    x: np.ndarray  # (B, n_in)
    weights: np.ndarray  # (R, E)
    many: bool  # True when weights were given as (R, E)
    a: np.ndarray
    z: np.ndarray
    output: np.ndarray

    def a_of(self, nid: str) -> np.ndarray:
        """a_k of neuron ``nid``: ``(B,)`` or ``(R, B)``."""
        return self.a[..., self.net.index[self.net.neuron(nid).id]]

    def z_of(self, nid: str) -> np.ndarray:
        """z_k of neuron ``nid``: ``(B,)`` or ``(R, B)``."""
        return self.z[..., self.net.index[self.net.neuron(nid).id]]

    def __getitem__(self, nid: str) -> tuple[np.ndarray, np.ndarray]:
        return self.a_of(nid), self.z_of(nid)


@dataclass(frozen=True)
class Gradients:
    """The result of a backward pass.

    ``loss`` per point, ``(B,)`` or ``(R, B)``; ``dl_da`` and ``dl_dz`` per
    point and neuron, like ``Trace.a`` (inputs and biases have no weighted sum
    to adjust, so their dl/da is 0; their dl/dz is the sensitivity to their value); ``dl_dw`` per edge, summed over the
    batch, ``(E,)`` or ``(R, E)``; ``dl_dw_points`` the same per point,
    ``(B, E)`` or ``(R, B, E)``.
    """

    net: Network
    loss: np.ndarray
    dl_da: np.ndarray
    dl_dz: np.ndarray
    dl_dw: np.ndarray
    dl_dw_points: np.ndarray

    def dl_da_of(self, nid: str) -> np.ndarray:
        """dl/da_k of neuron ``nid``: ``(B,)`` or ``(R, B)``."""
        return self.dl_da[..., self.net.index[self.net.neuron(nid).id]]

    def dl_dz_of(self, nid: str) -> np.ndarray:
        """dl/dz_k of neuron ``nid``: ``(B,)`` or ``(R, B)``."""
        return self.dl_dz[..., self.net.index[self.net.neuron(nid).id]]

    def dl_dw_of(self, src: str, dst: str) -> np.ndarray:
        """dl/dw_{src,dst} summed over the batch: scalar array or ``(R,)``."""
        k = self.net.edge_index.get((src, dst))
        if k is None:
            raise NetworkError(f"there is no edge {src}->{dst}")
        return self.dl_dw[..., k]


def forward(net: Network, x: object, weights: np.ndarray | None = None) -> Trace:
    """Evaluate ``net`` on the points ``x``, level by level: z_k = sigma_k(sum_i w_{i,k} z_i).

    Parameters
    ----------
    net : Network
        The network to evaluate.
    x : array_like, shape (n_in,) or (B, n_in)
        One input point, or B of them, in ``net.inputs`` order. NaN and
        infinities are allowed: they flow through to NaN or infinite outputs.
    weights : ndarray, shape (E,) or (R, E), optional
        Finite weights in ``net.edges`` order to use instead of ``net.weights``;
        R weight sets are evaluated at once.

    Returns
    -------
    Trace
        ``a`` and ``z`` of every neuron, shape (B, N) (or (R, B, N) for R weight
        sets), in ``net.neurons`` order; ``output`` the outputs' z, (B, n_out)
        or (R, B, n_out).

    Raises
    ------
    NetworkError
        If ``net`` is not a Network, or ``x`` or ``weights`` are not numbers
        (or weights not finite) or have the wrong shape; the message names which.
    """
    plan = plan_for(as_network(net))
    xb = _as_batch(x, plan.n_in, "x")  # (B, n_in)
    w, many = _weight_sets(net, weights)  # (R, E)
    r, b = w.shape[0], xb.shape[0]
    a = np.empty((plan.n, b, r))
    z = np.empty((plan.n, b, r))
    with np.errstate(all="ignore"):
        run_forward(plan, _internal(plan, w), xb.T[:, :, None], a, z)
    a_pub, z_pub = _public(plan, a, many), _public(plan, z, many)
    out_cols = [net.index[k] for k in net.outputs]
    return Trace(net, xb, w, many, a_pub, z_pub, z_pub[..., out_cols])


def backward(net: Network, trace: Trace, y: object) -> Gradients:
    """Loss and gradients of ``l = sum_k (y_k - z_k)^2`` for each point of ``trace``.

    Steps, as in the paper: (1) dl/da of the output layer, from
    dl/dz_k = -2 (y_k - z_k); (2) dl/da of each earlier level from the later
    ones, summing over every outgoing edge; (3) dl/dw_{i,j} = dl/da_j * z_i.

    Parameters
    ----------
    net : Network
        The network ``trace`` was computed on.
    trace : Trace
        The forward pass, from :func:`forward`.
    y : array_like, shape (n_out,) or (B, n_out)
        Finite targets, in ``net.outputs`` order; one row is used for every point.

    Returns
    -------
    Gradients
        ``loss`` per point, shape (B,); ``dl_da`` and ``dl_dz`` per point and
        neuron, (B, N); ``dl_dw`` per edge summed over the points, (E,);
        ``dl_dw_points`` per point, (B, E). With R weight sets each gains a
        leading R axis.

    Raises
    ------
    NetworkError
        If ``trace`` is not a Trace of this network, its inputs are not finite,
        or ``y`` is not finite numbers of the right shape.
    """
    as_network(net)
    if not isinstance(trace, Trace):
        raise NetworkError(f"trace must be the Trace that forward() returns, not {type(trace).__name__}")
    if not np.isfinite(trace.x).all():
        raise NetworkError("the trace's inputs x contain NaN or infinite values; backward needs finite inputs")
    if trace.net is not net and (trace.net.edges != net.edges or trace.net.ids != net.ids):
        raise NetworkError("the trace belongs to a different network")
    plan = plan_for(net)
    yb = _as_batch(y, len(net.outputs), "y", finite=True)  # (B, n_out)
    b = trace.x.shape[0]
    if yb.shape[0] == 1 and b > 1:
        yb = np.repeat(yb, b, axis=0)
    if yb.shape[0] != b:
        raise NetworkError(f"y has {yb.shape[0]} rows for {b} input points")
    r = trace.weights.shape[0]
    a = np.empty((plan.n, b, r))
    z = np.empty((plan.n, b, r))
    w = _internal(plan, trace.weights)
    dl_da, dl_dz = np.empty_like(a), np.empty_like(a)
    grad = np.empty((plan.e, b, r))
    with np.errstate(all="ignore"):
        run_forward(plan, w, trace.x.T[:, :, None], a, z)
        run_backward(plan, w, a, z, yb.T[:, :, None], grad, dl_da, dl_dz)
        loss = ((yb.T[:, :, None] - z[plan.out_rows]) ** 2).sum(axis=0).T  # (R, B)
    points = np.empty((r, b, plan.e))  # (R, B, E) in network edge order
    points[:, :, plan.edge_perm] = grad.transpose(2, 1, 0)
    many = trace.many
    return Gradients(
        net,
        loss if many else loss[0],
        _public(plan, dl_da, many),
        _public(plan, dl_dz, many),
        points.sum(axis=1) if many else points[0].sum(axis=0),
        points if many else points[0],
    )


def loss(net: Network, x: object, y: object, weights: np.ndarray | None = None) -> np.ndarray:
    """The paper's loss l = sum over outputs (y_k - z_k)^2 of each point.

    Parameters
    ----------
    net : Network
        The network to evaluate.
    x : array_like, shape (n_in,) or (B, n_in)
        The input points.
    y : array_like, shape (n_out,) or (B, n_out)
        The targets; one row is used for every point.
    weights : ndarray, shape (E,) or (R, E), optional
        Weights to use instead of ``net.weights`` (R weight sets at once).

    Returns
    -------
    ndarray, shape (B,) or (R, B)
        The loss of each point (for each weight set).

    Raises
    ------
    NetworkError
        If ``x``, ``y`` or ``weights`` have the wrong shape or are not numbers.
    """
    trace = forward(net, x, weights)
    yb = _as_batch(y, len(net.outputs), "y", finite=True)  # (B or 1, n_out)
    if yb.shape[0] not in (1, trace.x.shape[0]):
        raise NetworkError(f"y has {yb.shape[0]} rows for {trace.x.shape[0]} input points")
    with np.errstate(all="ignore"):
        return ((yb - trace.output) ** 2).sum(axis=-1)


def gradient_check(net: Network, x: object, y: object, eps: float = 1e-6) -> float:
    """Largest relative error between backprop's dl/dw and central differences.

    The loss is summed over the points of ``x``. Relative error of each weight
    is |g - g_fd| / max(|g| + |g_fd|, 1e-8).
    """
    fd, bp = finite_differences(net, x, y, eps)
    return float(np.max(np.abs(bp - fd) / np.maximum(np.abs(bp) + np.abs(fd), 1e-8), initial=0.0))


def _positions(indices: object) -> np.ndarray:
    """Weight positions as ``(K,)`` ints; ``NetworkError`` for anything but whole numbers."""
    raw = float_array(indices, "indices", finite=True).reshape(-1)  # (K,)
    if not np.array_equal(raw, np.round(raw)) or (raw.size and np.abs(raw).max() > 2**53):
        raise NetworkError("indices must be whole numbers (weight positions)")
    return raw.astype(np.intp)


#: Numbers in one block of perturbed weight vectors (32 MB): bounds the memory of finite_differences.
FD_BLOCK_VALUES = 4_000_000


def finite_differences(
    net: Network, x: object, y: object, eps: float = 1e-6, indices: object = None
) -> tuple[np.ndarray, np.ndarray]:
    """(central differences, backprop) of the summed loss, each ``(E,)``, or ``(K,)`` for the
    weights at positions ``indices`` only (a check of a sample of a big network's weights).

    The perturbed weight vectors are evaluated as weight sets of one vectorised
    forward pass, in blocks of at most :data:`FD_BLOCK_VALUES` numbers.
    """
    e = len(as_network(net).edges)
    eps = real(eps, "eps", positive=True)
    if eps > 1:
        raise NetworkError(f"eps must be at most 1 (a small step for central differences), not {eps:g}")
    which = np.arange(e) if indices is None else _positions(indices)  # (K,)
    if which.size and (which.min() < 0 or which.max() >= e):
        raise NetworkError(f"weight positions must be between 0 and {e - 1}")
    points = _as_batch(x, len(net.inputs), "x").shape[0]
    block = max(1, min(max(which.size, 1), FD_BLOCK_VALUES // (2 * (e + points * len(net.neurons)))))
    fd = np.empty(which.size)  # (K,)
    for start in range(0, which.size, block):
        part = np.arange(start, min(start + block, which.size))  # (b,) positions in `which`
        k = which[part]
        w = np.tile(net.weights, (2 * k.size, 1))  # (2b, E)
        w[np.arange(k.size), k] += eps
        w[k.size + np.arange(k.size), k] -= eps
        losses = loss(net, x, y, w).sum(axis=1)  # (2b,)
        fd[part] = (losses[: k.size] - losses[k.size :]) / (2 * eps)
    bp = backward(net, forward(net, x), y).dl_dw[which]  # (K,)
    return fd, bp
