"""One training point up close, as table rows: every neuron's values, the gradient check, one SGD step.

The Forward and Backpropagation pages list these numbers in full (the graph
shows them abbreviated). Rows are plain dicts of strings and floats, ready for
``st.dataframe`` (which shows neuron ids as inert text) or a notebook's
``pandas.DataFrame``.

- :func:`value_rows`: a_k, z_k (and dl/da_k, dl/dz_k) of every neuron.
- :func:`gradient_rows`: for every weight, backprop's dl/dw beside a central
  finite difference (:func:`nnviz.finite_differences`) and their relative error.
- :func:`sgd_step`: the paper's update w <- w - eta * dl/dw on one point,
  done by :func:`nnviz.sgd` for one epoch over that single point, with the
  loss on the point before and after; :func:`step_rows` lists old -> new.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnviz.engine import Gradients, Trace, finite_differences, loss
from nnviz.network import Network, NetworkError
from nnviz.training import sgd

#: A gradient check passes when the relative error is below this.
GRADCHECK_OK = 1e-4
#: Networks with more weights get a gradient check of this many, evenly spread.
GRADCHECK_MAX_WEIGHTS = 500
MAX_STEP_SIZE = 1e3


def _row(arr: np.ndarray, point: int) -> np.ndarray:
    return arr[point] if arr.ndim == 2 else arr


def value_rows(net: Network, trace: Trace, grads: Gradients | None = None, point: int = 0) -> list[dict]:
    """One row per neuron: id, role, function, a_k, z_k (and dl/da_k, dl/dz_k with ``grads``).

    a_k is None for inputs and biases, which compute no sum.
    """
    a, z = _row(trace.a, point), _row(trace.z, point)  # (N,)
    rows = []
    for n in net.neurons:
        k = net.index[n.id]
        row = {
            "neuron": n.id,
            "role": n.role,
            "function": n.activation or "",
            "a (weighted sum)": float(a[k]) if n.computes else None,
            "z (output)": float(z[k]),
        }
        if grads is not None:
            row["∂l/∂a"] = float(_row(grads.dl_da, point)[k]) if n.computes else None
            row["∂l/∂z"] = float(_row(grads.dl_dz, point)[k])
        rows.append(row)
    return rows


def checked_weights(net: Network, limit: int = GRADCHECK_MAX_WEIGHTS) -> np.ndarray:
    """Positions of the weights the gradient check compares: all of them, or ``limit`` evenly spread.

    Each checked weight costs two forward passes, so a big network gets a sample.
    """
    e = len(net.edges)
    return np.arange(e) if e <= limit else np.unique(np.linspace(0, e - 1, limit).round().astype(np.intp))


def gradient_rows(net: Network, x: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> tuple[list[dict], float]:
    """Backprop vs central differences for the :func:`checked_weights`, and the largest relative error.

    Relative error = |bp - fd| / max(|bp| + |fd|, 1e-8), as in
    :func:`nnviz.gradient_check`.
    """
    if not (math.isfinite(eps) and 0 < eps <= 1):
        raise NetworkError(f"the finite-difference step must be in (0, 1], not {eps!r}")
    which = checked_weights(net)  # (K,)
    fd, bp = finite_differences(net, x, y, eps, indices=which)  # (K,), (K,)
    with np.errstate(all="ignore"):
        rel = np.abs(bp - fd) / np.maximum(np.abs(bp) + np.abs(fd), 1e-8)  # (E,)
    rows = [
        {
            "from": net.edges[j][0],
            "to": net.edges[j][1],
            "backprop ∂l/∂w": float(bp[k]),
            "central difference": float(fd[k]),
            "relative error": float(rel[k]),
            "agree": bool(rel[k] < GRADCHECK_OK),
        }
        for k, j in enumerate(which.tolist())
    ]
    worst = float(np.max(rel, initial=0.0)) if np.isfinite(rel).all() else math.inf
    return rows, worst


@dataclass(frozen=True)
class StepRecord:
    """One SGD step on one point: the networks before and after, and the loss on the point."""

    before: Network
    after: Network
    x: np.ndarray  # (n_in,)
    y: np.ndarray  # (n_out,)
    step_size: float
    gradient: np.ndarray  # (E,) dl/dw at the old weights
    loss_before: float
    loss_after: float


def sgd_step(net: Network, x: np.ndarray, y: np.ndarray, gradient: np.ndarray, step_size: float) -> StepRecord:
    """Take one step of the paper's SGD on the point (x, y) with ``step_size``.

    ``gradient`` ``(E,)`` is backprop's dl/dw at the current weights (shown in the
    record). Raises :class:`NetworkError` when the step size is not a positive
    number up to :data:`MAX_STEP_SIZE` or the step makes the loss non-finite.
    """
    eta = float(step_size)
    if not (math.isfinite(eta) and 0 < eta <= MAX_STEP_SIZE):
        raise NetworkError(f"the step size must be a positive number up to {MAX_STEP_SIZE:g}, not {step_size!r}")
    xb = np.asarray(x, dtype=float).reshape(1, -1)  # (1, n_in)
    yb = np.asarray(y, dtype=float).reshape(1, -1)  # (1, n_out)
    result = sgd(net, xb, yb, eta, 1)
    if bool(result.diverged[0]):
        raise NetworkError(f"a step of size {eta:g} makes the loss non-finite; try a smaller step size")
    after = result.network(0)
    return StepRecord(
        before=net,
        after=after,
        x=xb[0],
        y=yb[0],
        step_size=eta,
        gradient=np.asarray(gradient, dtype=float),
        loss_before=float(loss(net, xb, yb)[0]),
        loss_after=float(loss(after, xb, yb)[0]),
    )


def step_rows(record: StepRecord) -> list[dict]:
    """One row per weight: old value, dl/dw, -eta * dl/dw, new value."""
    old, new = record.before.weights, record.after.weights  # (E,)
    return [
        {
            "from": s,
            "to": d,
            "old w": float(old[k]),
            "∂l/∂w": float(record.gradient[k]),
            "change −η·∂l/∂w": float(new[k] - old[k]),
            "new w": float(new[k]),
        }
        for k, (s, d) in enumerate(record.before.edges)
    ]
