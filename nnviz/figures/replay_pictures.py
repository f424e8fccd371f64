"""Each neuron's picture in the replay's network panel: what z_k computes, epoch by epoch.

The live graph of the Forward pass and Backpropagation pages draws a picture in
every hidden and output neuron (:mod:`nnviz.pictures`). The replay draws the
same pictures beside the neurons of :mod:`nnviz.figures.weights_plot`, so a
learner watches the hidden neurons' functions take shape while the network
trains:

- one input: a small curve of z_k over the data's range;
- two inputs: a small heatmap over the input plane (a grid of square markers);
- more inputs: a curve along the first input, the others at their data mean.

Each picture keeps one scale over the whole run (the neuron's smallest and
largest z_k in any frame), so a change of shape is a change of the function.
All pictures are ONE plotly trace (curves NaN-separated, or markers), so a
frame updates a single trace whatever the network's size.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnviz.data import Dataset
from nnviz.network import Network, NetworkError
from nnviz.pictures import neuron_pictures, picture_range

CURVE_POINTS = 32
HEATMAP_CELLS = 450  # heatmap cells of all pictures together: each is an SVG marker redrawn every frame
BOX = (0.22, 0.46, 0.62)  # a picture's left edge from its neuron and its width (in column gaps), its height (rows)
PANEL_PX = (440, 300)  # about how wide and tall the network panel is drawn, in pixels (sizes a heatmap's cells)
CURVE_COLOUR = "#1f4e79"
HEATMAP_SCALE = "RdBu_r"
SHADES = 254  # a heatmap cell's colour is one byte: 0 (lowest z_k of the run) .. SHADES (highest)


def heatmap_points(net: Network) -> int:
    """Grid points per axis of a heatmap picture: 4 to 10, so all pictures hold about :data:`HEATMAP_CELLS` cells."""
    computing = sum(n.computes for n in net.neurons)
    return int(np.clip(np.sqrt(HEATMAP_CELLS / max(computing, 1)), 4, 10))


def _axes(net: Network, data: Dataset) -> tuple[list[np.ndarray], np.ndarray]:
    """The grid axes (one or two ``(P,)``) and the point ``(n_in,)`` the other inputs stay at."""
    X = np.asarray(data.X, dtype=float)  # (S, n_in)
    base = X.mean(axis=0) if X.size else np.zeros(len(net.inputs))
    if len(net.inputs) == 2:
        n = heatmap_points(net)
        return [np.linspace(*picture_range(base[i], X[:, i]), n) for i in (0, 1)], base
    return [np.linspace(*picture_range(base[0], X[:, 0]), CURVE_POINTS)], base


def picture_values(net: Network, data: Dataset, weights: np.ndarray) -> np.ndarray:
    """z_k of every computing neuron over the picture grid, for each frame: ``(F, C, P)`` scaled to [0, 1].

    ``weights`` ``(F, E)`` are the frames' weights (a frame with a non-finite
    weight, a diverged restart, gives NaN). C counts the computing neurons in
    ``net.ids`` order; P the grid points (a heatmap's rows follow the second
    input, flattened). Each neuron is scaled by its range over all frames.
    """
    axes, base = _axes(net, data)
    computes = np.array([n.computes for n in net.neurons])  # (N,)
    size = int(np.prod([a.size for a in axes]))
    out = np.full((weights.shape[0], int(computes.sum()), size), np.nan)  # (F, C, P)
    for f, w in enumerate(weights):
        if not np.all(np.isfinite(w)):
            continue
        try:
            z = neuron_pictures(net.with_weights(w), axes, x=base)  # (P, N) or (Q, P, N)
        except NetworkError:  # weights past the engine's bound: drawn as nothing
            continue
        out[f] = z.reshape(size, -1)[:, computes].T
    with np.errstate(invalid="ignore"):
        lo, hi = np.nanmin(out, axis=(0, 2)), np.nanmax(out, axis=(0, 2))  # (C,) each
    lo, hi = np.nan_to_num(lo), np.nan_to_num(hi)
    span = np.where(hi - lo > 1e-12, hi - lo, 1.0)
    return np.clip((out - lo[None, :, None]) / span[None, :, None], 0.0, 1.0)  # NaN stays NaN


def box(xy: np.ndarray) -> tuple[float, float, float]:
    """A picture's offset from its neuron, width and height in data units, for neuron positions ``xy`` ``(N, 2)``.

    Rows are 1 apart; columns ``gap`` apart (wider for tall layers), so the width follows the gap.
    """
    xs = np.unique(np.round(xy[:, 0], 9))
    gap = float(np.min(np.diff(xs))) if xs.size > 1 else 1.0
    return BOX[0] * gap, BOX[1] * gap, BOX[2]


def _anchors(net: Network, xy: np.ndarray) -> np.ndarray:
    """Lower-left corner of each computing neuron's picture box ``(C, 2)``."""
    dx, _, h = box(xy)
    computes = np.array([n.computes for n in net.neurons])
    return xy[computes] + np.array([dx, -h / 2.0])


def picture_update(net: Network, xy: np.ndarray, values: np.ndarray) -> dict:
    """The pictures' trace at one frame, from ``values`` ``(C, P)`` of :func:`picture_values`."""
    _, _, h = box(xy)
    corner = _anchors(net, xy)  # (C, 2)
    if len(net.inputs) == 2:  # one byte a cell (0..254; a diverged frame's NaN is the middle): 4x less to send
        shade = np.where(np.isfinite(values), np.round(np.nan_to_num(values) * SHADES), SHADES // 2)
        return {"type": "scatter", "marker": {"color": shade.ravel().astype(np.uint8)}}
    y = corner[:, 1:2] + h * (0.08 + 0.84 * values)  # (C, P)
    gap = np.full((y.shape[0], 1), np.nan)
    return {"type": "scatter", "y": np.hstack([y, gap]).ravel().astype(np.float32)}


def add_pictures(fig: go.Figure, net: Network, xy: np.ndarray, values: np.ndarray, row: int, col: int) -> int:
    """Draw the pictures of the first frame ``values`` ``(C, P)`` into subplot (row, col); return the trace index.

    A white box behind each picture (drawn once) keeps the edges from running through it.
    """
    dx, w, h = box(xy)
    corner = _anchors(net, xy)  # (C, 2)
    bx = np.array([0, w, w, 0, 0, np.nan])
    by = np.array([0, 0, h, h, 0, np.nan])
    boxes = {"x": (corner[:, :1] + bx).ravel(), "y": (corner[:, 1:] + by).ravel()}
    frame = {"mode": "lines", "fill": "toself", "fillcolor": "white", "line": {"color": "#9a9a9a", "width": 1}}
    fig.add_trace(go.Scatter(**boxes, **frame, hoverinfo="skip", showlegend=False), row=row, col=col)
    first = picture_update(net, xy, values)
    if len(net.inputs) == 2:
        p = heatmap_points(net)
        u = (np.arange(p) + 0.5) / p  # cell centres, 0..1
        gx, gy = np.meshgrid(u * w, u * h)  # (P, P): rows follow the second input, upwards
        x = (corner[:, :1] + gx.ravel()).ravel()
        y = (corner[:, 1:] + gy.ravel()).ravel()
        x_span = float(np.ptp(xy[:, 0])) + 2 * (dx + w) + 1.0  # about the panel's ranges
        y_span = float(np.ptp(xy[:, 1])) + 1.4
        cell = max(PANEL_PX[0] / x_span * w, PANEL_PX[1] / y_span * h) / p + 1.0  # squares overlap: no gaps
        cell = float(np.clip(cell, 2.0, 14.0))
        marker = {"symbol": "square", "size": cell, "color": first["marker"]["color"], "colorscale": HEATMAP_SCALE,
                  "cmin": 0, "cmax": SHADES, "line": {"width": 0}}  # fmt: skip
        trace = go.Scatter(x=x, y=y, mode="markers", marker=marker, hoverinfo="skip", showlegend=False)
    else:
        u = np.append(np.linspace(0.04, 0.96, values.shape[1]) * w, np.nan)  # (P + 1,)
        x = (corner[:, :1] + u).ravel()
        line = {"color": CURVE_COLOUR, "width": 2}
        trace = go.Scatter(x=x, y=first["y"], mode="lines", line=line, hoverinfo="skip", showlegend=False)
    fig.add_trace(trace.update(meta="pictures"), row=row, col=col)
    return len(fig.data) - 1
