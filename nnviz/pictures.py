"""What every neuron computes, as a function of the input: the pictures drawn in the graph.

A hidden or output neuron k computes z_k(x), a function of the network's
input x. :func:`neuron_pictures` evaluates it for every neuron at once over a
grid of inputs: one varied input gives a curve per neuron, two give a
heatmap per neuron (TensorFlow Playground's neuron pictures, for any network
the paper allows: layered or not, with skip edges). Inputs that are not
varied stay at the current point ``x``. With input features
(:mod:`nnviz.features`) the grid is over the (x1, x2) plane and is expanded
into the features before the forward pass.

:func:`picture_range` picks the plotted interval of one input: the training
data's range when there is data, else [-3, 3], always holding the current x.

    >>> import numpy as np, nnviz
    >>> net = nnviz.presets.paper_network()
    >>> z = neuron_pictures(net, [np.linspace(-3, 3, 50)])  # (50, 9): z_k of every neuron
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnviz import checks
from nnviz.engine import forward
from nnviz.features import check_features, expand
from nnviz.network import Network, NetworkError, as_network

DEFAULT_RANGE = (-3.0, 3.0)
#: Up to this many neurons the app draws every neuron's picture by default (more crowd the graph).
PICTURES_DEFAULT_MAX = 60


def neuron_pictures(
    net: Network,
    axes: Sequence[np.ndarray],
    *,
    x: np.ndarray | Sequence[float] | None = None,
    vary: Sequence[int] | None = None,
    features: Sequence[str] | None = None,
) -> np.ndarray:
    """z_k of every neuron of ``net`` over a grid of inputs.

    Parameters
    ----------
    net : Network
        The network.
    axes : sequence of one or two 1-D arrays
        The values of the varied inputs: ``(P,)`` for a curve, or ``(P,)`` and
        ``(Q,)`` for a ``Q x P`` heatmap.
    x : array ``(n_in,)``, optional
        The current input; inputs not varied keep their value from it
        (default: all zeros).
    vary : sequence of int, optional
        Which inputs (indices into ``net.inputs``) the axes vary; default
        ``(0,)`` for one axis and ``(0, 1)`` for two.
    features : sequence of str, optional
        Input features (:mod:`nnviz.features`), one per input neuron: then the
        axes, ``x`` and ``vary`` are over the (x1, x2) plane, and each grid point
        is expanded into the features before the forward pass.

    Returns
    -------
    numpy.ndarray
        ``(P, N)`` for one axis; ``(Q, P, N)`` for two (rows follow the second
        axis, as ``numpy.meshgrid``). Column k is neuron ``net.ids[k]``; input
        and bias neurons are included (an input's "picture" is its own axis).

    Raises
    ------
    NetworkError
        If the axes, ``vary`` or ``x`` do not fit the network's inputs.
    """
    net = as_network(net)
    n_in = len(net.inputs)
    if features is not None:
        features = check_features(features)
        if len(features) != n_in:
            raise NetworkError(f"{len(features)} features for a network with {n_in} input(s)")
        n_in = 2  # the axes, x and vary are over the (x1, x2) plane
    if (
        isinstance(axes, (str, bytes, dict))
        or not isinstance(axes, (list, tuple, np.ndarray))
        or len(axes) not in (1, 2)
    ):
        raise NetworkError("axes must be a list of one or two 1-D arrays of input values")
    grids = [checks.float_array(a, f"axis {k + 1} of the neuron pictures").reshape(-1) for k, a in enumerate(axes)]
    if vary is None:
        vary = tuple(range(len(grids)))
    elif isinstance(vary, (str, bytes, dict)) or not isinstance(vary, (list, tuple, np.ndarray)):
        raise NetworkError("vary must be a list of input indices")
    vary = tuple(checks.whole(i, "an index in vary", 0, max(n_in - 1, 0)) for i in vary)
    if len(vary) != len(grids) or len(set(vary)) != len(vary) or any(not 0 <= i < n_in for i in vary):
        raise NetworkError(f"cannot vary inputs {list(vary)} of a network with {n_in} input(s)")
    base = np.zeros(n_in) if x is None else checks.float_array(x, "x").reshape(-1)  # (n_in,)
    if base.shape != (n_in,):
        raise NetworkError(f"x has {base.size} values for {n_in} inputs")
    if len(grids) == 1:
        points = np.repeat(base[None, :], grids[0].size, axis=0)  # (P, n_in)
        points[:, vary[0]] = grids[0]
        return forward(net, points if features is None else expand(points, features)).z  # (P, N)
    m0, m1 = np.meshgrid(grids[0], grids[1])  # (Q, P)
    points = np.repeat(base[None, :], m0.size, axis=0)  # (Q*P, n_in)
    points[:, vary[0]], points[:, vary[1]] = m0.ravel(), m1.ravel()
    points = points if features is None else expand(points, features)  # (Q*P, k)
    return forward(net, points).z.reshape(*m0.shape, len(net.ids))  # (Q, P, N)


def picture_range(current: float, data: np.ndarray | None = None) -> tuple[float, float]:
    """The interval a picture spans for one input: the data's range (else [-3, 3]), holding ``current``.

    ``data`` ``(S,)`` holds that input's training values, when there are any.
    """
    values = [float(current)]
    if data is not None and np.size(data):
        values += [float(np.min(data)), float(np.max(data))]
    else:
        values += list(DEFAULT_RANGE)
    finite = [v for v in values if np.isfinite(v)] or list(DEFAULT_RANGE)
    lo, hi = min(finite), max(finite)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad
