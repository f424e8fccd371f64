"""Plotly pictures of training from many random restarts (the paper's Part III).

- :func:`loss_curves`: the mean loss over S after each epoch, every restart a
  faint line, the best one highlighted (and the chosen one, and the test
  split's loss when there is one), on a linear or log scale;
- :func:`final_loss_histogram`: the final losses of all restarts on a log
  axis, where distinct local minima show as separate clusters;
- :func:`fit_figure`: the trained network against its data: f(x) over the
  training points (one input), the output as a heatmap under the points (two
  inputs), the truth table with the network's answers (boolean data), or
  predicted against target (anything else).

Column names may come from an uploaded CSV file: they are escaped before they
reach plotly.
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from nnviz.data import Dataset
from nnviz.engine import forward
from nnviz.network import Network

FONT = {"size": 16, "family": "Arial, Helvetica, sans-serif"}
RESTART_RGB = (70, 110, 160)  # the faint restart lines
BEST = "#e6550d"  # orange: the best restart
CHOSEN = "#2ca25f"  # green: the restart chosen to load
TEST_RGB = (150, 80, 160)
MAX_CURVE_POINTS = 250_000  # faint-line points drawn before epochs are thinned
LOSS_FLOOR = 1e-30  # the histogram shows smaller final losses (and exact zeros) here
GRID_1D = 301
GRID_2D = 71


def _plain(text: object) -> str:
    return html.escape(str(text)).replace("$", "&#36;")


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=title,
        font=FONT,
        height=height,
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
        xaxis_title=x,
        yaxis_title=y,
        template="plotly_white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
    )
    return fig


def _faint_alpha(r: int) -> float:
    return float(np.clip(2.5 / np.sqrt(max(r, 1)), 0.06, 0.45))


def _bundle(history: np.ndarray, epochs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All restarts' curves as one line with gaps: x, y, restart index per point."""
    r, t = history.shape
    x = np.tile(np.append(epochs, np.nan), r)  # (R * (T + 1),)
    y = np.concatenate([history, np.full((r, 1), np.nan)], axis=1).ravel()
    idx = np.repeat(np.arange(r), t + 1)
    return x, y, idx


def loss_curves(
    history: np.ndarray,
    best: int,
    *,
    chosen: int | None = None,
    log_y: bool = True,
    test_history: np.ndarray | None = None,
    title: str = "Loss during training, every restart",
) -> go.Figure:
    """Curves of ``history`` ``(R, T)`` (mean loss before training and after each epoch).

    All R restarts are drawn as one faint trace named ``"restarts"`` (one line
    per restart, separated by gaps), the best as ``"best"``; ``chosen`` (if it
    is not the best) as ``"chosen"``; with ``test_history`` ``(R, T)`` the test
    loss of all restarts and of the best, dashed.
    """
    history = np.asarray(history, dtype=float)
    r, t = history.shape
    step = max(1, int(np.ceil(r * t / MAX_CURVE_POINTS)))
    cols = np.unique(np.append(np.arange(0, t, step), t - 1))  # thinned epochs, always the last
    fig = go.Figure()
    faint = f"rgba({RESTART_RGB[0]},{RESTART_RGB[1]},{RESTART_RGB[2]},{_faint_alpha(r)})"
    x, y, idx = _bundle(history[:, cols], cols.astype(float))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            customdata=idx,
            mode="lines",
            line={"color": faint, "width": 1},
            name=f"restarts ({r})",
            meta="restarts",
            connectgaps=False,
            hovertemplate="restart %{customdata}<br>epoch %{x}<br>loss %{y:.4g}<extra></extra>",
        )
    )
    if test_history is not None:
        test = np.asarray(test_history, dtype=float)
        tf = f"rgba({TEST_RGB[0]},{TEST_RGB[1]},{TEST_RGB[2]},{_faint_alpha(r) * 0.8})"
        x, y, idx = _bundle(test[:, cols], cols.astype(float))
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                customdata=idx,
                mode="lines",
                name="test: restarts",
                meta="test",
                line={"color": tf, "width": 1, "dash": "dot"},
                connectgaps=False,
                hovertemplate="restart %{customdata}<br>epoch %{x}<br>test loss %{y:.4g}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=np.arange(t),
                y=test[best],
                mode="lines",
                name=f"test: best ({best})",
                meta="best_test",
                line={"color": BEST, "width": 3, "dash": "dash"},
            )
        )
    if chosen is not None and chosen != best:
        fig.add_trace(
            go.Scatter(
                x=np.arange(t),
                y=history[chosen],
                mode="lines",
                name=f"chosen: restart {chosen}",
                meta="chosen",
                line={"color": CHOSEN, "width": 3},
            )
        )
    fig.add_trace(
        go.Scatter(
            x=np.arange(t),
            y=history[best],
            mode="lines",
            name=f"best: restart {best}",
            meta="best",
            line={"color": BEST, "width": 4},
        )
    )
    _layout(fig, title, "epoch", "mean loss over S" + (" (log scale)" if log_y else ""), height=460)
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0.99,
            "y": 0.99,
            "xanchor": "right",
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.85)",
            "bordercolor": "#cccccc",
            "borderwidth": 1,
        }
    )
    if log_y:
        fig.update_yaxes(type="log")
        shown = history[np.isfinite(history) & (history > 0)]
        if test_history is not None:
            t_all = np.asarray(test_history, dtype=float)
            shown = np.concatenate([shown, t_all[np.isfinite(t_all) & (t_all > 0)]])
        if shown.size:
            lo, hi = np.log10(shown.min()), np.log10(shown.max())
            ticks = log_ticks(lo, hi) if hi > lo else np.array([shown.min()])
            fig.update_yaxes(tickvals=ticks, ticktext=[f"{v:.3g}" for v in ticks])
    return fig


def log_ticks(lo: float, hi: float, most: int = 7) -> np.ndarray:
    """Round tick values between 10^lo and 10^hi for a log axis.

    Decades 10^k (every 1, 2, 3, 5, 10, ... decades, at most ``most`` ticks)
    when the range holds at least 4 of them, else 1, 2, 5 x 10^k, else
    1..9 x 10^k; rounder values win, and a tick closer than 1/``most`` of the
    range to one already chosen is dropped so labels do not collide.
    """
    span = max(hi - lo, 1e-12)
    first, last = int(np.ceil(lo - 1e-9)), int(np.floor(hi + 1e-9))
    if last - first + 1 >= 4:
        step = next(s for s in (1, 2, 3, 5, 10, 20, 50, 100, 200, 500) if (last - first) // s + 1 <= most)
        start = int(np.ceil(first / step) * step)
        return 10.0 ** np.arange(start, last + 1, step, dtype=float)
    decades = range(int(np.floor(lo)), int(np.ceil(hi)) + 1)
    for mults in ((1, 2, 5), (1, 2, 5, 3, 4, 6, 7, 8, 9)):
        kept: list[float] = []
        for m in mults:  # roundest first
            for k in decades:
                t = np.log10(m * 10.0**k)
                if lo - 1e-9 <= t <= hi + 1e-9 and all(abs(t - u) >= span / most for u in kept):
                    kept.append(float(t))
        if len(kept) >= 3:
            return np.sort(10.0 ** np.array(kept))
    return np.array([10**lo, 10 ** ((lo + hi) / 2), 10**hi])


def final_loss_histogram(final_loss: np.ndarray, diverged: np.ndarray, best: int, bins: int = 40) -> go.Figure:
    """Histogram of the restarts' final losses on a log axis; the best marked; diverged ones counted."""
    final = np.asarray(final_loss, dtype=float)
    ok = ~np.asarray(diverged, dtype=bool) & np.isfinite(final)
    n_div = int((~ok).sum())
    fig = go.Figure()
    title = "Final loss of each restart" + (f" ({n_div} diverged, not shown)" if n_div else "")
    if ok.any():
        logs = np.log10(np.maximum(final[ok], LOSS_FLOOR))  # (R_ok,)
        lo, hi = float(logs.min()), float(logs.max())
        if hi - lo < 1e-9:
            lo, hi = lo - 0.5, hi + 0.5
        counts, edges = np.histogram(logs, bins=bins, range=(lo, hi))
        centres, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
        fig.add_trace(
            go.Bar(
                x=centres,
                y=counts,
                width=width,
                marker={"color": f"rgb{RESTART_RGB}"},
                name="restarts",
                customdata=np.column_stack([10 ** edges[:-1], 10 ** edges[1:]]),
                hovertemplate="loss %{customdata[0]:.3g} .. %{customdata[1]:.3g}<br>%{y} restarts<extra></extra>",
            )
        )
        if ok[best]:
            b = float(np.log10(max(final[best], LOSS_FLOOR)))
            fig.add_vline(
                x=b,
                line={"color": BEST, "width": 3},
                annotation={"text": f"best {final[best]:.3g}", "font": {"color": BEST, "size": 14}},
                annotation_position="top right",
            )
        ticks = log_ticks(lo, hi, most=5)
        fig.update_xaxes(tickvals=np.log10(ticks), ticktext=[f"{v:.3g}" for v in ticks], range=[lo - width, hi + width])
    _layout(fig, title, "final mean loss (log scale)", "restarts", height=360)
    fig.update_layout(bargap=0.05, showlegend=False)
    return fig


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
    fig = go.Figure()
    for k, name in enumerate(data.output_names):
        label = f" ({_plain(name)})" if data.n_out > 1 else ""
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
    return _layout(
        fig,
        "The network's function against the data",
        _plain(data.input_names[0]),
        _plain(", ".join(data.output_names)),
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
    fig = go.Figure(
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
    _layout(
        fig,
        f"Output {_plain(data.output_names[output])} over the plane, points on top",
        _plain(data.input_names[0]),
        _plain(data.input_names[1]),
        height=520,
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_xaxes(constrain="domain", range=[gx[0], gx[-1]])
    return fig


def truth_table(net: Network, data: Dataset) -> go.Figure:
    """The boolean data as a table: inputs, target, the network's output, rounded, right or wrong."""
    out = _outputs(net, data.X)  # (S, n_out)
    cols: list[list[str]] = [[f"{v:g}" for v in data.X[:, j]] for j in range(data.n_in)]
    head = [_plain(n) for n in data.input_names]
    colours: list[list[str]] = [["white"] * data.size for _ in range(data.n_in)]
    for k, name in enumerate(data.output_names):
        right = (out[:, k] >= 0.5) == (data.Y[:, k] >= 0.5)
        cols += [
            [f"{v:g}" for v in data.Y[:, k]],
            [f"{v:.3f}" for v in out[:, k]],
            ["right" if ok else "wrong" for ok in right],
        ]
        head += [f"target {_plain(name)}", "network output", "rounded at 0.5"]
        tint = ["#d9f0d3" if ok else "#f4cccc" for ok in right]
        colours += [["white"] * data.size, tint, tint]
    fig = go.Figure(
        go.Table(
            header={"values": [f"<b>{h}</b>" for h in head], "font": FONT, "height": 34},
            cells={"values": cols, "fill": {"color": colours}, "font": FONT, "height": 32},
        )
    )
    return _layout(
        fig, "Truth table: the data and the network's answers", "", "", height=min(1000, 180 + 34 * data.size)
    )


def predicted_vs_target(net: Network, data: Dataset) -> go.Figure:
    """Each output of the network against its target, one point per training (and test) point."""
    fig = go.Figure()
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
                    name=f"{name}: {_plain(col)}",
                    marker={"size": 8, "symbol": "circle" if name == "training" else "circle-open"},
                )
            )
            finite = out[:, k][np.isfinite(out[:, k])]
            lo = min(lo, ys[:, k].min(), finite.min(initial=np.inf))
            hi = max(hi, ys[:, k].max(), finite.max(initial=-np.inf))
    fig.add_trace(
        go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="perfect fit", line={"color": "#999999", "dash": "dash"})
    )
    return _layout(fig, "The network's output against the target", "target", "network output")


def fit_figure(net: Network, data: Dataset, before: Network | None = None) -> go.Figure:
    """The right picture of ``net`` against ``data`` (see the module docstring)."""
    if data.kind == "boolean" and data.size <= 64:
        return truth_table(net, data)
    if data.n_in == 1:
        return fit_curve(net, data, before)
    if data.n_in == 2:
        return fit_heatmap(net, data)
    return predicted_vs_target(net, data)
