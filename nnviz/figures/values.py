"""Plotly pictures of the numbers a network computes.

- :func:`function_figure`: the function f: R^n -> R^m the network implements
  (the paper's Part II): a curve for one input with the current x marked, a
  heatmap for two inputs, a slice along one input for more.
- :func:`weight_loss_figure`: the paper's loss l(w_ij) as a function of one
  weight with the others fixed, and its tangent of slope dl/dw_ij.
- :func:`step_loss_figure`: the loss on one point along an SGD step,
  l(w - eta * dl/dw) for eta from 0 to twice the step size.

The maths comes from :mod:`nnviz.engine`; user text (neuron ids) is escaped
before it reaches plotly.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from nnviz.engine import backward, forward, loss
from nnviz.figures.style import VALUES, figure, plain, styled
from nnviz.network import Network, NetworkError

GRID_POINTS_1D = 201
GRID_POINTS_2D = 61
MAX_CURVES = 6


def _range(center: np.ndarray, extra: np.ndarray | None, lo: float | None, hi: float | None) -> tuple[float, float]:
    vals = [-3.0, 3.0, *(np.asarray(center, float).ravel() + 1.0), *(np.asarray(center, float).ravel() - 1.0)]
    if extra is not None and np.size(extra):
        vals += [float(np.min(extra)) - 0.5, float(np.max(extra)) + 0.5]
    a = float(min(vals)) if lo is None else float(lo)
    b = float(max(vals)) if hi is None else float(hi)
    if not (math.isfinite(a) and math.isfinite(b)) or b <= a:
        raise NetworkError(f"the plotting range [{a}, {b}] is empty")
    return a, b


def function_figure(
    net: Network,
    x: np.ndarray,
    *,
    input_index: int = 0,
    output_index: int = 0,
    data_x: np.ndarray | None = None,
    data_y: np.ndarray | None = None,
    lo: float | None = None,
    hi: float | None = None,
) -> go.Figure:
    """The function f the network implements, around the current input ``x`` ``(n_in,)``.

    One input: f over a range (every output, up to :data:`MAX_CURVES`) with
    (x, f(x)) marked and the training points ``data_x`` ``(S, 1)`` /
    ``data_y`` ``(S, n_out)`` if given. Two inputs: a heatmap of output
    ``output_index`` with x marked. More: a slice along input ``input_index``
    with the other inputs fixed at x.
    """
    x = np.asarray(x, dtype=float).reshape(-1)  # (n_in,)
    n_in, n_out = len(net.inputs), len(net.outputs)
    if x.shape != (n_in,):
        raise NetworkError(f"x has {x.size} values for {n_in} inputs")
    f_x = forward(net, x).output[0]  # (n_out,)
    names_in = [plain(i) for i in net.inputs]
    names_out = [plain(o) for o in net.outputs]
    if n_in == 2:
        return _heatmap(net, x, f_x, output_index, data_x, lo, hi, names_in, names_out)
    col = 0 if n_in == 1 else int(np.clip(input_index, 0, n_in - 1))
    extra = None if data_x is None or n_in != 1 else np.asarray(data_x)[:, 0]
    a, b = _range(x[col], extra, lo, hi)
    grid = np.linspace(a, b, GRID_POINTS_1D)  # (G,)
    xs = np.repeat(x[None, :], grid.size, axis=0)  # (G, n_in)
    xs[:, col] = grid
    out = forward(net, xs).output  # (G, n_out)
    fig = figure()
    for k in range(min(n_out, MAX_CURVES)):
        fig.add_scatter(x=grid, y=out[:, k], mode="lines", name=f"f(x) at output {names_out[k]}", line={"width": 3})
        fig.add_scatter(
            x=[x[col]],
            y=[f_x[k]],
            mode="markers",
            name="current x" if k == 0 else None,
            showlegend=k == 0,
            marker={"size": 14, "color": "#d62728", "line": {"width": 2, "color": "white"}},
            hovertemplate="x=%{x:.4g}<br>f(x)=%{y:.4g}<extra></extra>",
        )
    if extra is not None and data_y is not None:
        fig.add_scatter(
            x=extra,
            y=np.asarray(data_y)[:, 0],
            mode="markers",
            name="training points",
            marker={"size": 8, "color": "#444", "symbol": "x"},
        )
    if n_in == 1:
        title = "The network's function f(x)"
        xlabel = f"x (input neuron {names_in[0]})"
    else:
        title = f"f along input {names_in[col]} (other inputs fixed)"
        xlabel = f"x at input neuron {names_in[col]}"
    fig.update_xaxes(title=xlabel)
    fig.update_yaxes(title="f(x)")
    return styled(fig, title, VALUES)


def _heatmap(
    net: Network,
    x: np.ndarray,
    f_x: np.ndarray,
    output_index: int,
    data_x: np.ndarray | None,
    lo: float | None,
    hi: float | None,
    names_in: list[str],
    names_out: list[str],
) -> go.Figure:
    k = int(np.clip(output_index, 0, len(net.outputs) - 1))
    extra = None if data_x is None else np.asarray(data_x)
    a0, b0 = _range(x[0], None if extra is None else extra[:, 0], lo, hi)
    a1, b1 = _range(x[1], None if extra is None else extra[:, 1], lo, hi)
    g0, g1 = np.linspace(a0, b0, GRID_POINTS_2D), np.linspace(a1, b1, GRID_POINTS_2D)  # (G,)
    m0, m1 = np.meshgrid(g0, g1)  # (G, G): rows follow input 2, columns input 1
    out = forward(net, np.column_stack([m0.ravel(), m1.ravel()])).output[:, k]  # (G*G,)
    fig = figure(
        go.Heatmap(
            x=g0,
            y=g1,
            z=out.reshape(m0.shape),
            colorscale="Viridis",
            colorbar={"title": "f(x)"},
            hovertemplate="x1=%{x:.3g}<br>x2=%{y:.3g}<br>f=%{z:.4g}<extra></extra>",
        )
    )
    if extra is not None:
        fig.add_scatter(
            x=extra[:, 0],
            y=extra[:, 1],
            mode="markers",
            name="training points",
            marker={"size": 8, "color": "white", "line": {"width": 1, "color": "black"}},
        )
    fig.add_scatter(
        x=[x[0]],
        y=[x[1]],
        mode="markers",
        name=f"current x: f = {f_x[k]:.4g}",
        marker={"size": 16, "color": "#d62728", "symbol": "x", "line": {"width": 2, "color": "white"}},
    )
    fig.update_xaxes(title=f"x at input neuron {names_in[0]}")
    fig.update_yaxes(title=f"x at input neuron {names_in[1]}")
    return styled(fig, f"f(x) at output {names_out[k]} over both inputs", VALUES, 440)


def weight_loss_figure(
    net: Network, x: np.ndarray, y: np.ndarray, edge: tuple[str, str], span: float = 2.0
) -> go.Figure:
    """The paper's l(w_ij): the loss on (x, y) as weight ``edge`` varies, the others fixed.

    The current weight is marked, with the tangent whose slope is backprop's
    dl/dw_ij: where it points down, increasing the weight lowers the loss.
    """
    j = net.edge_index.get(tuple(edge))
    if j is None:
        raise NetworkError(f"there is no edge {edge[0]}->{edge[1]}")
    w0 = float(net.weights[j])
    grid = np.linspace(w0 - span, w0 + span, GRID_POINTS_1D)  # (G,)
    ws = np.repeat(net.weights[None, :], grid.size, axis=0)  # (G, E)
    ws[:, j] = grid
    curve = loss(net, x, y, ws)[:, 0]  # (G,)
    l0 = float(loss(net, x, y)[0])
    slope = float(backward(net, forward(net, x), y).dl_dw[j])
    tx = np.array([w0 - span / 2, w0 + span / 2])
    fig = figure()
    fig.add_scatter(x=grid, y=curve, mode="lines", name="loss l(w)", line={"width": 3})
    fig.add_scatter(
        x=tx, y=l0 + slope * (tx - w0), mode="lines", name=f"slope ∂l/∂w = {slope:.4g}", line={"dash": "dash"}
    )
    fig.add_scatter(x=[w0], y=[l0], mode="markers", name="current weight", marker={"size": 14, "color": "#d62728"})
    label = f"w({plain(edge[0])} → {plain(edge[1])})"
    fig.update_xaxes(title=label)
    fig.update_yaxes(title="loss on this point")
    return styled(fig, f"Loss as a function of {label}", VALUES, 340)


def step_loss_figure(net: Network, x: np.ndarray, y: np.ndarray, step_size: float) -> go.Figure:
    """Loss on (x, y) after a gradient step of size eta, for eta in [0, 2 * step_size].

    The chosen step size is marked: too large a step can overshoot the minimum.
    """
    g = backward(net, forward(net, x), y).dl_dw  # (E,)
    top = 2 * float(step_size) if step_size > 0 else 1.0
    etas = np.linspace(0.0, top, GRID_POINTS_1D)  # (G,)
    ws = net.weights[None, :] - etas[:, None] * g[None, :]  # (G, E)
    curve = loss(net, x, y, ws)[:, 0]  # (G,)
    after = float(loss(net, x, y, net.weights - step_size * g)[0])
    fig = figure()
    fig.add_scatter(x=etas, y=curve, mode="lines", name="loss after the step", line={"width": 3})
    fig.add_scatter(
        x=[step_size], y=[after], mode="markers", name="chosen step size", marker={"size": 14, "color": "#d62728"}
    )
    fig.update_xaxes(title="step size η")
    fig.update_yaxes(title="loss on this point")
    return styled(fig, "Loss after one step w ← w − η·∂l/∂w", VALUES, 320)
