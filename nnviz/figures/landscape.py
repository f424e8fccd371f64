"""Plotly picture of a loss landscape slice with restarts' SGD paths drawn on it.

:func:`landscape_figure` draws the mean loss over S on a grid of a plane
(:func:`nnviz.loss_surface`) as a heatmap, contours or a 3-D surface, on a log
colour scale, and over it the shadows of restarts' SGD paths
(:func:`nnviz.landscape.project`), each from an open start marker to a filled
end marker and coloured by its final loss. Every path point is a marker that
carries its restart number (``customdata[0]``), so a click on a path tells the
app which restart it belongs to; path traces have ``meta`` ``"path"``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from nnviz.figures.style import TRAINING, figure, plain
from nnviz.figures.training import BEST, CHOSEN, LOSS_FLOOR, log_ticks

VIEWS = ("heatmap", "contours", "surface")
#: The slice: low loss dark blue, high loss near white, so the paths' warm colours stand out on both.
SURFACE_SCALE = [[0.0, "#08306b"], [0.25, "#2171b5"], [0.5, "#6baed6"], [0.75, "#c6dbef"], [1.0, "#f7fbff"]]
#: The paths' final loss: yellow (low) through orange to magenta (high), bright on dark blue and on white.
PATH_SCALE = [[0.0, "#ffe13d"], [0.5, "#ff8a1f"], [1.0, "#e8007d"]]
HOVER = "restart %{customdata[0]:d}<br>epoch %{customdata[1]:d}<br>loss on the path %{customdata[2]:.4g}<extra></extra>"


def _log(values: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.log10(np.maximum(np.asarray(values, dtype=float), LOSS_FLOOR))  # NaN stays NaN


def _range(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    return (lo, hi) if hi - lo > 1e-9 else (lo - 0.5, hi + 0.5)


def _colorbar(lo: float, hi: float, title: str, x: float, size: int) -> dict:
    ticks = log_ticks(lo, hi, most=6)
    return {
        "title": {"text": title, "side": "right", "font": {"size": size}},
        "tickvals": np.log10(ticks),
        "ticktext": [f"{v:.3g}" for v in ticks],
        "tickfont": {"size": size},
        "x": x,
        "len": 0.85,
        "thickness": 16,
    }


def _surface_trace(view: str, alphas: np.ndarray, betas: np.ndarray, z: np.ndarray, bar: dict) -> go.BaseTraceType:
    """The slice ``z`` ``(B, A)`` (log10 of the loss) as a heatmap, contours or a surface."""
    hover = "(%{x:.3g}, %{y:.3g})<br>slice loss %{customdata:.4g}<extra></extra>"
    common = {"x": alphas, "y": betas, "z": z, "customdata": 10.0**z, "hovertemplate": hover, "name": "slice"}
    common |= {"colorscale": SURFACE_SCALE, "colorbar": bar}
    if view == "surface":
        return go.Surface(**common, opacity=0.92)
    if view == "contours":
        return go.Contour(**common, ncontours=24, line={"width": 0.6, "color": "rgba(255,255,255,0.5)"})
    return go.Heatmap(**common, zsmooth="best")


def _path(view: str, xy: np.ndarray, z: np.ndarray, custom: np.ndarray, color: str, width: float) -> go.BaseTraceType:
    """One path ``xy`` ``(K, 2)``: a line with a marker at each recorded epoch (3-D: at height ``z``)."""
    style = {"name": f"restart {int(custom[0, 0])}", "meta": "path", "showlegend": False, "hovertemplate": HOVER}
    if view == "surface":
        line = {"color": color, "width": 2 * width}
        return go.Scatter3d(x=xy[:, 0], y=xy[:, 1], z=z, mode="lines", line=line, customdata=custom, **style)
    line, marker = {"color": color, "width": width}, {"color": color, "size": 4 + width}
    return go.Scatter(
        x=xy[:, 0], y=xy[:, 1], mode="lines+markers", line=line, marker=marker, customdata=custom, **style
    )


def _marks(view: str, xy: np.ndarray, z: np.ndarray, ids: np.ndarray, meta: str, marker: dict) -> go.BaseTraceType:
    """Start or end markers of every path, carrying the restart numbers."""
    style = {"mode": "markers", "name": meta, "meta": meta, "customdata": np.column_stack([ids, ids])}
    style |= {
        "marker": marker,
        "showlegend": False,
        "hovertemplate": f"restart %{{customdata[0]:d}}: {meta}<extra></extra>",
    }
    if view == "surface":
        return go.Scatter3d(x=xy[:, 0], y=xy[:, 1], z=z, **style)
    return go.Scatter(x=xy[:, 0], y=xy[:, 1], **style)


def landscape_figure(
    alphas: np.ndarray,
    betas: np.ndarray,
    surface: np.ndarray,
    coords: np.ndarray,
    path_loss: np.ndarray,
    final_loss: np.ndarray,
    ids: np.ndarray,
    epochs: np.ndarray,
    *,
    x_label: str,
    y_label: str,
    anchors: np.ndarray | None = None,
    anchor_names: list[str] | None = None,
    chosen: int | None = None,
    view: str = "heatmap",
    height: int = 640,
    font_size: int = 16,
) -> go.Figure:
    """The slice ``surface`` ``(B, A)`` at ``alphas`` ``(A,)`` x ``betas`` ``(B,)`` with paths over it.

    ``coords`` ``(P, K, 2)`` are the paths' plane coordinates at ``epochs`` ``(K,)``,
    ``path_loss`` ``(P, K)`` the loss each path really had there, ``final_loss`` ``(P,)``
    the colour of each path, ``ids`` ``(P,)`` their restart numbers. ``anchors``
    ``(k, 2)`` with ``anchor_names`` mark the points the plane was built through;
    ``chosen`` (a restart in ``ids``) is drawn bold in green. ``view`` is one of
    :data:`VIEWS`; in 3-D each path is drawn at its own loss, not on the slice.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
    z = _log(surface)  # (B, A)
    z_lo, z_hi = _range(z)
    ids = np.asarray(ids, dtype=np.int64)
    path_log, final_log = _log(path_loss), _log(final_loss)  # (P, K), (P,)
    f_lo, f_hi = _range(final_log)
    fig = figure([_surface_trace(view, alphas, betas, z, _colorbar(z_lo, z_hi, "loss on the slice", 1.0, font_size))])
    colors = sample_colorscale(PATH_SCALE, list(np.clip((final_log - f_lo) / (f_hi - f_lo), 0.0, 1.0)))
    epochs = np.asarray(epochs, dtype=float)
    for p, rid in enumerate(ids.tolist()):
        custom = np.column_stack([np.full(epochs.size, rid), epochs, 10.0 ** path_log[p]])  # (K, 3)
        fig.add_trace(_path(view, coords[p], path_log[p], custom, colors[p], 2.0))
    if chosen is not None and chosen in ids:
        p = int(np.flatnonzero(ids == chosen)[0])
        custom = np.column_stack([np.full(epochs.size, chosen), epochs, 10.0 ** path_log[p]])
        fig.add_trace(_path(view, coords[p], path_log[p], custom, CHOSEN, 5.0))
    if ids.size:
        ring = {"symbol": "circle-open", "size": 11, "color": "#111111", "line": {"width": 2.5}}
        fig.add_trace(_marks(view, coords[:, 0], path_log[:, 0], ids, "start", ring))
        bar = _colorbar(f_lo, f_hi, "final loss of the path", 1.13, font_size)
        dot = {"size": 14, "color": final_log, "colorscale": PATH_SCALE, "cmin": f_lo, "cmax": f_hi, "colorbar": bar}
        dot |= {"showscale": True, "line": {"color": "#111111", "width": 1.5}}
        fig.add_trace(_marks(view, coords[:, -1], path_log[:, -1], ids, "end", dot))
    if anchors is not None and view != "surface":
        _anchor_marks(fig, anchors, anchor_names, font_size)
    return _style(fig, view, x_label, y_label, (alphas, betas), height, font_size)


def _anchor_marks(fig: go.Figure, anchors: np.ndarray, names: list[str] | None, font_size: int) -> None:
    """Crosses at ``anchors`` ``(k, 2)``, the points the plane was built through, labelled on a pale box."""
    mark = {"symbol": "x", "size": 13, "color": BEST, "line": {"width": 1}}
    fig.add_trace(
        go.Scatter(x=anchors[:, 0], y=anchors[:, 1], mode="markers", marker=mark, name="anchors", meta="anchors",
                   showlegend=False, hoverinfo="skip")
    )  # fmt: skip
    for (x, y), name in zip(anchors, names or [""] * len(anchors), strict=True):
        fig.add_annotation(x=x, y=y, text=plain(name), showarrow=False, yshift=font_size + 4,
                           font={"size": font_size - 2, "color": "#111111"}, bgcolor="rgba(255,255,255,0.8)",
                           borderpad=2)  # fmt: skip


def _style(
    fig: go.Figure,
    view: str,
    x_label: str,
    y_label: str,
    grid: tuple[np.ndarray, np.ndarray],
    height: int,
    font_size: int,
) -> go.Figure:
    """Axes, fonts and layout; a click selects (the app reads the clicked path)."""
    alphas, betas = grid
    axis = {"title": {"font": {"size": font_size + 2}}, "tickfont": {"size": font_size}}
    fig.update_layout(
        font=TRAINING.font | {"size": font_size},
        height=height,
        showlegend=False,
        margin={"l": 80, "r": 40, "t": 30, "b": 70},
        clickmode="event+select",
        dragmode="zoom",
        uirevision="landscape",
        hoverlabel={"font": {"size": font_size}},
    )
    if view == "surface":
        bar = fig.data[0].colorbar
        small = {"tickfont": {"size": font_size - 4}, "title": {"font": {"size": font_size - 2}}, "nticks": 5}
        z_axis = small | {"title": {"text": "loss (log)"}, "tickvals": bar.tickvals, "ticktext": bar.ticktext}
        scene = {
            "xaxis": small | {"title": {"text": plain(x_label)}},
            "yaxis": small | {"title": {"text": plain(y_label)}},
        }
        scene |= {"zaxis": z_axis, "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6}}
        scene |= {"camera": {"eye": {"x": 1.45, "y": -1.45, "z": 0.95}}}
        fig.update_layout(scene=scene, margin={"l": 0, "r": 0, "t": 10, "b": 0})
    else:
        fig.update_xaxes(title_text=plain(x_label), range=[alphas[0], alphas[-1]], **axis)
        fig.update_yaxes(title_text=plain(y_label), range=[betas[0], betas[-1]], **axis)
    return fig
