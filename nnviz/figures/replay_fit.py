"""The fit panel of a training replay: the network against its data, one picture per epoch.

- one input: f(x) on a grid, against the training points;
- two inputs: the output over the plane (square markers on a coarse grid, coloured like a
  heatmap: plotly redraws scatter traces alone when a frame changes, a heatmap only with
  the whole figure), points on top;
- boolean data (up to :data:`MAX_TABLE_ROWS` rows): the truth table, the
  network's output in a last column coloured right (green) or wrong (red);
- more inputs: the output against the target.

:func:`add_fit` draws the panel at the first epoch shown and returns the index
of its one changing trace; :func:`fit_update` is what a plotly frame changes in
it (a plain dict: the y values, the grid's colours, or the table's last column).
Ranges and colour scales are fixed over the epochs. Column names are escaped.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnviz.data import Dataset
from nnviz.engine import forward
from nnviz.figures.style import TRAINING, plain
from nnviz.network import Network

GRID_1D = 121
GRID_2D = 25
CELL_PX = 15  # marker size of a grid cell on the plane (the panel is about 25 x 14 px across)
MAX_TABLE_ROWS = 64  # boolean data with more rows is drawn as output against target
SHADES = 254  # a plane cell's byte: 0 (low) .. SHADES (high)
RIGHT, WRONG = "#a6dba0", "#f4a6a6"
POINT = "#333333"


def fit_kind(data: Dataset) -> str:
    """How the fit is drawn: ``"table"``, ``"curve"``, ``"plane"`` or ``"scatter"``."""
    if data.kind == "boolean" and data.size <= MAX_TABLE_ROWS and data.n_out == 1:
        return "table"
    return {1: "curve", 2: "plane"}.get(data.n_in, "scatter")


def fit_grid(data: Dataset) -> np.ndarray:
    """The inputs the fit is evaluated at ``(G, n_in)``: a grid (x fastest on the plane), else the points."""
    kind = fit_kind(data)
    pts = np.vstack([data.X] + ([data.X_test] if data.has_test else []))  # (S + T, n_in)
    if kind == "curve":
        lo, hi = float(pts.min()), float(pts.max())
        pad = 0.05 * (hi - lo) if hi > lo else 1.0
        return np.linspace(lo - pad, hi + pad, GRID_1D)[:, None]
    if kind == "plane":
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = 0.08 * np.maximum(hi - lo, 1e-9)
        gx, gy = (np.linspace(lo[j] - pad[j], hi[j] + pad[j], GRID_2D) for j in (0, 1))
        return np.column_stack([np.tile(gx, gy.size), np.repeat(gy, gx.size)])  # (Gy * Gx, 2)
    return data.X


def fit_outputs(net: Network, data: Dataset, weights: np.ndarray, batch: int = 64) -> np.ndarray:
    """The first output on the fit's grid for weights ``(F, E)``: ``(F, G)`` (NaN for NaN weights).

    Evaluates ``batch`` weight sets per :func:`nnviz.forward` call (memory ``N x G x batch``).
    """
    grid = fit_grid(data)
    out = np.empty((weights.shape[0], grid.shape[0]))  # (F, G)
    for lo in range(0, weights.shape[0], batch):
        w = np.nan_to_num(weights[lo : lo + batch], nan=0.0)  # (b, E); NaN rows are blanked below
        out[lo : lo + batch] = forward(net, grid, weights=w).output[:, :, 0]
    out[~np.isfinite(weights).all(axis=1)] = np.nan
    return out


def _cell_px(data: Dataset) -> int:
    """About one table row's height in pixels (the panel is about 300 px tall)."""
    return int(np.clip(300 / (data.size + 1.5), 12, 50))


def _table_font(data: Dataset) -> dict:
    return TRAINING.font | {"size": min(16, max(9, _cell_px(data) // 2))}


def fit_update(data: Dataset, out: np.ndarray) -> dict:
    """The changing part of the fit panel for the outputs ``out`` ``(G,)`` on the grid (one frame's data)."""
    kind = fit_kind(data)
    if kind == "plane":
        return {"type": "scatter", "marker": {"color": plane_shades(data, out)}}
    if kind == "table":
        right = (out >= 0.5) == (data.Y[:, 0] >= 0.5)
        text = [f"{v:.3f}" if np.isfinite(v) else "NaN" for v in out]
        return {"type": "scatter", "text": text, "marker": {"color": [RIGHT if ok else WRONG for ok in right]}}
    return {"type": "scatter", "y": out.astype(np.float32)}


def plane_shades(data: Dataset, out: np.ndarray) -> np.ndarray:
    """The plane's cells as one byte each ``(G,)`` uint8: 0 (the colour range's low end) .. :data:`SHADES` (its high
    end), clipped; a diverged frame's NaN is the middle (white). A quarter of float32's bytes in every frame."""
    lo, hi = _colour_range(data)
    q = np.round((np.clip(out, lo, hi) - lo) / (hi - lo) * SHADES)
    return np.where(np.isfinite(out), q, SHADES // 2).astype(np.uint8)


def _colour_range(data: Dataset) -> tuple[float, float]:
    if data.kind in ("classification", "boolean"):
        return 0.0, 1.0
    lo, hi = float(data.Y[:, 0].min()), float(data.Y[:, 0].max())
    return (lo, hi) if hi > lo else (lo - 1.0, hi + 1.0)


def _changing(data: Dataset, out: np.ndarray, colour: str, first_row: bool) -> dict:
    """The changing trace of the panel in full, at the first epoch shown."""
    kind, grid = fit_kind(data), fit_grid(data)
    trace = fit_update(data, out) | {"meta": "fit", "showlegend": False}
    if kind == "curve":
        trace |= {"x": grid[:, 0], "mode": "lines", "line": {"color": colour, "width": 4}, "name": "network f(x)"}
        trace["showlegend"] = first_row
    elif kind == "plane":  # square markers, not a heatmap: plotly redraws only scatter traces per frame
        trace |= {"x": grid[:, 0], "y": grid[:, 1], "mode": "markers", "hoverinfo": "skip"}
        trace["marker"] |= {
            "symbol": "square",
            "size": CELL_PX,
            "cmin": 0,
            "cmax": SHADES,  # the bytes of plane_shades
            "colorscale": "RdBu_r",
            "showscale": False,
            "line": {"width": 0},
        }
    elif kind == "table":
        trace |= {
            "x": np.full(data.size, data.n_in + 1.3),
            "y": np.arange(data.size, dtype=float),
            "mode": "markers+text",
            "textfont": TRAINING.font,
            "hoverinfo": "skip",
        }
        trace["marker"] |= {"symbol": "square", "size": _cell_px(data), "line": {"width": 0}}
        trace["textfont"] = _table_font(data)
    else:
        trace |= {"x": data.Y[:, 0], "mode": "markers", "marker": {"size": 8, "color": colour}}
    return trace


def _points(fig: go.Figure, data: Dataset, row: int, first_row: bool) -> None:
    """The fixed part of the panel: the points, the table's fixed columns and headers, or the diagonal."""
    kind = fit_kind(data)
    if kind == "curve":
        fig.add_trace(
            go.Scatter(
                x=data.X[:, 0],
                y=data.Y[:, 0],
                mode="markers",
                name="training points",
                marker={"size": 8, "color": POINT},
                showlegend=first_row,
            ),
            row=row,
            col=1,
        )
    elif kind == "plane":
        labelled = data.kind != "regression"
        colours = np.where(data.Y[:, 0] >= 0.5, "#b2182b", "#2166ac") if labelled else POINT
        fig.add_trace(
            go.Scatter(
                x=data.X[:, 0],
                y=data.X[:, 1],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker={"size": 8, "color": colours, "line": {"color": "black", "width": 1}},
            ),
            row=row,
            col=1,
        )
    elif kind == "table":
        s, n = data.size, data.n_in
        cells = [f"{v:g}" for v in np.column_stack([data.X, data.Y[:, :1]]).ravel()]
        xs = np.tile(np.arange(n + 1, dtype=float), s)
        ys = np.repeat(np.arange(s, dtype=float), n + 1)
        heads = [plain(c) for c in data.input_names] + [f"target {plain(data.output_names[0])}", "network"]
        hx = [*range(n + 1), n + 1.3]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="text", text=cells, textfont=_table_font(data), showlegend=False, hoverinfo="skip"
            ),
            row=row,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=hx,
                y=[-1.0] * len(hx),
                mode="text",
                text=[f"<b>{h}</b>" for h in heads],
                textfont=TRAINING.font,
                showlegend=False,
                hoverinfo="skip",
            ),
            row=row,
            col=1,
        )
    else:
        lo, hi = float(data.Y[:, 0].min()), float(data.Y[:, 0].max())
        fig.add_trace(
            go.Scatter(
                x=[lo, hi],
                y=[lo, hi],
                mode="lines",
                name="perfect fit",
                showlegend=first_row,
                line={"color": "#999999", "dash": "dash"},
            ),
            row=row,
            col=1,
        )


def output_range(data: Dataset, outs: np.ndarray) -> tuple[float, float]:
    """A fixed range for the outputs ``outs`` ``(F, G)`` of every frame: the targets' and the outputs', capped.

    It spans the targets and the outputs, but at most twice the targets' span beyond
    the targets, so one wild early epoch does not flatten the rest.
    """
    lo, hi = float(data.Y[:, 0].min()), float(data.Y[:, 0].max())
    span = max(hi - lo, 1e-9)
    seen = outs[np.isfinite(outs)]
    if seen.size:
        lo = max(min(lo, float(seen.min())), lo - 2 * span)
        hi = min(max(hi, float(seen.max())), hi + 2 * span)
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


def _axes(fig: go.Figure, data: Dataset, row: int, outs: np.ndarray) -> None:
    """Fixed axis ranges and titles of the panel in ``row`` for the outputs ``outs`` ``(F, G)`` of every frame."""
    kind, grid = fit_kind(data), fit_grid(data)
    names = [plain(c) for c in data.input_names]
    if kind == "curve":
        fig.update_yaxes(range=list(output_range(data, outs)), title_text=plain(data.output_names[0]), row=row, col=1)
        fig.update_xaxes(title_text=names[0], range=[grid[0, 0], grid[-1, 0]], row=row, col=1)
    elif kind == "plane":
        fig.update_xaxes(range=[grid[0, 0], grid[-1, 0]], title_text=names[0], row=row, col=1)
        fig.update_yaxes(range=[grid[0, 1], grid[-1, 1]], title_text=names[1], row=row, col=1)
    elif kind == "table":
        fig.update_xaxes(range=[-0.6, data.n_in + 2.0], visible=False, row=row, col=1)
        fig.update_yaxes(range=[data.size - 0.5, -1.6], visible=False, row=row, col=1)
    else:
        fig.update_xaxes(title_text="target", row=row, col=1)
        fig.update_yaxes(title_text="network output", range=list(output_range(data, outs)), row=row, col=1)


def add_fit(fig: go.Figure, data: Dataset, outs: np.ndarray, row: int, rows: int, colour: str) -> int:
    """Draw the fit panel of ``row`` (column 1) at the first of the outputs ``outs`` ``(F, G)``.

    Returns the index of the trace the frames change.
    """
    _axes(fig, data, row, outs)
    below = fit_kind(data) == "plane"  # the coloured grid goes under its points
    if not below:
        _points(fig, data, row, row == 1)
    index = len(fig.data)
    fig.add_trace(_changing(data, outs[0], colour, row == 1), row=row, col=1)
    if below:
        _points(fig, data, row, row == 1)
    return index
