"""Plotly pictures of a trained network against its data.

- :func:`fit_curve`: f(x) of a one-input network over the training (and test) points;
- :func:`fit_heatmap`: the output over the plane of a two-input dataset, points on top;
- :func:`truth_table`: boolean data with the network's answers, right or wrong;
- :func:`predicted_vs_target`: anything else, output against target;
- :func:`fit_figure`: the right one of these for the data.

Column names may come from an uploaded CSV file: they are escaped before they
reach plotly.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnviz.data import Dataset
from nnviz.engine import forward
from nnviz.figures.style import LEGEND_BELOW, TRAINING, figure, plain, styled
from nnviz.figures.training import BEST
from nnviz.network import Network

GRID_1D = 301
FIT_TITLE = "The network's function<br>against the data"
GRID_2D = 71


def _outputs(net: Network, x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return forward(net, x).output  # (B, n_out)


def fit_curve(net: Network, data: Dataset, before: Network | None = None) -> go.Figure:
    """f(x) of a one-input network over the range of the data, with the training (and test) points."""
    xs = [data.X[:, 0]] + ([data.X_test[:, 0]] if data.has_test else [])
    lo, hi = float(min(v.min() for v in xs)), float(max(v.max() for v in xs))
    pad = 0.05 * (hi - lo) if hi > lo else 1.0
    grid = np.linspace(lo - pad, hi + pad, GRID_1D)  # (G,)
    out = _outputs(net, grid[:, None])  # (G, n_out)
    fig = figure()
    for k, name in enumerate(data.output_names):
        label = f" ({plain(name)})" if data.n_out > 1 else ""
        fig.add_trace(
            go.Scatter(
                x=data.X[:, 0],
                y=data.Y[:, k],
                mode="markers",
                name=f"training points{label}",
                marker={"size": 9, "color": "#333333"},
            )
        )
        if data.has_test:
            fig.add_trace(
                go.Scatter(
                    x=data.X_test[:, 0],
                    y=data.Y_test[:, k],
                    mode="markers",
                    name=f"test points{label}",
                    marker={"size": 9, "color": "white", "line": {"color": "#333333", "width": 2}},
                )
            )
        if before is not None:
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=_outputs(before, grid[:, None])[:, k],
                    mode="lines",
                    name="before training",
                    line={"color": "#999999", "dash": "dash", "width": 2},
                )
            )
        fig.add_trace(
            go.Scatter(x=grid, y=out[:, k], mode="lines", name=f"network f(x){label}", line={"color": BEST, "width": 4})
        )
    styled(fig, FIT_TITLE, TRAINING, x=plain(data.input_names[0]), y=plain(", ".join(data.output_names)))
    # The legend goes below the axis title (on top it shared the title's line and covered it), and the title
    # takes two lines: beside the Train form at 1280-1440 px the chart is about 300 px wide.
    return fig.update_layout(
        legend=LEGEND_BELOW | {"y": -0.24}, margin=TRAINING.margin | {"t": 90, "b": 130}, height=TRAINING.height + 100
    )


def fit_heatmap(net: Network, data: Dataset, output: int = 0) -> go.Figure:
    """The network's output ``output`` over the plane of a two-input dataset, with the points on top."""
    pts = np.vstack([data.X] + ([data.X_test] if data.has_test else []))  # (S + T, 2)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = 0.08 * np.maximum(hi - lo, 1e-9)
    gx = np.linspace(lo[0] - pad[0], hi[0] + pad[0], GRID_2D)
    gy = np.linspace(lo[1] - pad[1], hi[1] + pad[1], GRID_2D)
    mesh = np.column_stack([np.repeat(gx[None, :], gy.size, 0).ravel(), np.repeat(gy[:, None], gx.size, 1).ravel()])
    z = _outputs(net, mesh)[:, output].reshape(gy.size, gx.size)  # (Gy, Gx)
    labelled = data.kind in ("classification", "boolean")
    fig = figure(
        go.Heatmap(
            x=gx,
            y=gy,
            z=z,
            colorscale="RdBu_r",
            zmid=0.5 if labelled else None,
            colorbar={"title": {"text": "output"}},
            name="network output",
            hovertemplate="x1 %{x:.2f}<br>x2 %{y:.2f}<br>output %{z:.3f}<extra></extra>",
        )
    )
    y = data.Y[:, output]
    sets = [("training", data.X, y, 10, 1)]
    if data.has_test:
        sets.append(("test", data.X_test, data.Y_test[:, output], 9, 2))
    for name, xs, ys, size, width in sets:
        fill = "white" if name == "test" else None
        if labelled:
            for cls, colour in ((0.0, "#2166ac"), (1.0, "#b2182b")):
                sel = ys == cls
                fig.add_trace(
                    go.Scatter(
                        x=xs[sel, 0],
                        y=xs[sel, 1],
                        mode="markers",
                        name=f"{name}: {cls:g}",
                        marker={
                            "size": size,
                            "color": fill or colour,
                            "line": {"color": "black" if fill is None else colour, "width": width},
                        },
                    )
                )
        else:
            fig.add_trace(
                go.Scatter(
                    x=xs[:, 0],
                    y=xs[:, 1],
                    mode="markers",
                    name=f"{name} points",
                    marker={"size": size, "color": ys, "colorscale": "RdBu_r", "line": {"color": "black", "width": 1}},
                )
            )
    styled(
        fig,
        f"Output {plain(data.output_names[output])} over the plane, points on top",
        TRAINING,
        x=plain(data.input_names[0]),
        y=plain(data.input_names[1]),
        height=520,
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_xaxes(constrain="domain", range=[gx[0], gx[-1]])
    return fig


def truth_table(net: Network, data: Dataset) -> go.Figure:
    """The boolean data as a table: inputs, target, the network's output, rounded, right or wrong."""
    out = _outputs(net, data.X)  # (S, n_out)
    cols: list[list[str]] = [[f"{v:g}" for v in data.X[:, j]] for j in range(data.n_in)]
    head = [plain(n) for n in data.input_names]
    colours: list[list[str]] = [["white"] * data.size for _ in range(data.n_in)]
    for k, name in enumerate(data.output_names):
        right = (out[:, k] >= 0.5) == (data.Y[:, k] >= 0.5)
        cols += [
            [f"{v:g}" for v in data.Y[:, k]],
            [f"{v:.3f}" for v in out[:, k]],
            ["right" if ok else "wrong" for ok in right],
        ]
        head += [f"target {plain(name)}", "network output", "rounded at 0.5"]
        tint = ["#d9f0d3" if ok else "#f4cccc" for ok in right]
        colours += [["white"] * data.size, tint, tint]
    fig = figure(
        go.Table(
            header={"values": [f"<b>{h}</b>" for h in head], "font": TRAINING.font, "height": 34},
            cells={"values": cols, "fill": {"color": colours}, "font": TRAINING.font, "height": 32},
        )
    )
    title = "Truth table: the data and the network's answers"
    return styled(fig, title, TRAINING, x="", y="", height=min(1000, 180 + 34 * data.size))


def predicted_vs_target(net: Network, data: Dataset) -> go.Figure:
    """Each output of the network against its target, one point per training (and test) point."""
    fig = figure()
    sets = [("training", data.X, data.Y)] + ([("test", data.X_test, data.Y_test)] if data.has_test else [])
    lo, hi = np.inf, -np.inf
    for name, xs, ys in sets:
        out = _outputs(net, xs)
        for k, col in enumerate(data.output_names):
            fig.add_trace(
                go.Scatter(
                    x=ys[:, k],
                    y=out[:, k],
                    mode="markers",
                    name=f"{name}: {plain(col)}",
                    marker={"size": 8, "symbol": "circle" if name == "training" else "circle-open"},
                )
            )
            finite = out[:, k][np.isfinite(out[:, k])]
            lo = min(lo, ys[:, k].min(), finite.min(initial=np.inf))
            hi = max(hi, ys[:, k].max(), finite.max(initial=-np.inf))
    fig.add_trace(
        go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="perfect fit", line={"color": "#999999", "dash": "dash"})
    )
    return styled(fig, "The network's output against the target", TRAINING, x="target", y="network output")


def fit_figure(net: Network, data: Dataset, before: Network | None = None) -> go.Figure:
    """The right picture of ``net`` against ``data`` (see the module docstring)."""
    if data.kind == "boolean" and data.size <= 64:
        return truth_table(net, data)
    if data.n_in == 1:
        return fit_curve(net, data, before)
    if data.n_in == 2:
        return fit_heatmap(net, data)
    return predicted_vs_target(net, data)
