"""Plotly pictures for the "Why it works" exhibits (the paper's Part II).

- :func:`matrix_figure`: one matrix A_i as an annotated heatmap, rows and columns
  named by neuron (the bias column "1" last).
- :func:`agreement_figure`: two ways of computing the same outputs, one against the
  other; every point on the diagonal means they agree.
- :func:`collapse_figure`: for one input, the network with its functions, the
  all-identity network and the single matrix as curves over x.
- :func:`width_figure`: hidden width of the boolean construction against n.
- :func:`approximation_figure` and :func:`error_figure`: fits of a 1-D function
  by one hidden layer of each width, and their errors against width.
- :func:`counting_figure`: how many decimal digits each count has (log axis).

Every builder returns a ``plotly.graph_objects.Figure`` and never imports
streamlit. Neuron ids are user text: they are HTML-escaped before plotly sees them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnviz.figures.style import THEORY, figure, plain, styled
from nnviz.theory.approximation import Approximation
from nnviz.theory.counting import Power

DIVERGING = [[0.0, "#5e3c99"], [0.5, "#f7f7f7"], [1.0, "#e66101"]]  # PuOr: purple negative, orange positive
MAX_ANNOTATED = 400  # cells; larger matrices are drawn without numbers
WIDTH_COLORS = ["#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000", "#67000d", "#3f0008"]
SERIES_COLORS = {
    "and": "#1b9e77",
    "or": "#d95f02",
    "xor": "#7570b3",
    "parity": "#e7298a",
    "majority": "#66a61e",
    "2^(n-1)": "#999999",
    "2^n": "#cccccc",
}


def number(x: float) -> str:
    """A matrix entry as it appears in the figures: up to 3 decimals, trailing zeros dropped."""
    if x == 0:
        return "0"
    if abs(x) >= 1e4 or abs(x) < 1e-3:
        return f"{x:.2e}"
    return f"{x:.3f}".rstrip("0").rstrip(".")


def bmatrix(matrix: np.ndarray) -> str:
    """LaTeX ``bmatrix`` of the numbers in ``matrix`` ``(R, C)`` (numbers only: no user text)."""
    m = np.asarray(matrix, dtype=float)
    rows = [" & ".join(number(v) for v in row) for row in m]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def composition_latex(layer_numbers: Sequence[int], identity: bool = False) -> str:
    """``f = sigma_l o A_l o ... o sigma_2 o A_2`` for the given layer numbers (2..l), in LaTeX.

    With ``identity`` the sigmas are left out and the product of matrices is shown.
    """
    ks = sorted((int(k) for k in layer_numbers), reverse=True)
    if identity:
        return "f = " + r" \circ ".join(f"A_{{{k}}}" for k in ks) + " = " + " ".join(f"A_{{{k}}}" for k in ks)
    return "f = " + r" \circ ".join(rf"\sigma_{{{k}}} \circ A_{{{k}}}" for k in ks)


def matrix_figure(matrix: np.ndarray, rows: Sequence[str], cols: Sequence[str], title: str) -> go.Figure:
    """``matrix`` ``(R, C)`` as a heatmap: row r is neuron ``rows[r]``, column c is ``cols[c]``.

    Colours are centred on 0 (purple negative, orange positive); each cell shows
    its number when the matrix has at most :data:`MAX_ANNOTATED` cells.
    """
    m = np.asarray(matrix, dtype=float)  # (R, C)
    if m.shape != (len(rows), len(cols)):
        raise ValueError(f"matrix of shape {m.shape} for {len(rows)} row and {len(cols)} column names")
    ylabels = [plain(r) for r in rows]
    xlabels = [plain(c) for c in cols]
    big = float(np.max(np.abs(m), initial=0.0)) or 1.0
    text = [[number(v) for v in row] for row in m]
    show = m.size <= MAX_ANNOTATED
    # Numeric axes with tick labels: two neurons may share a label after escaping, and categories would merge.
    xs, ys = list(range(len(cols))), list(range(len(rows)))
    hover = [[f"to {ylabels[r]}, from {xlabels[c]}: {text[r][c]}" for c in xs] for r in ys]
    fig = figure(
        go.Heatmap(
            z=m,
            x=xs,
            y=ys,
            zmin=-big,
            zmax=big,
            colorscale=DIVERGING,
            text=text,
            customdata=hover,
            texttemplate="%{text}" if show else None,
            textfont={"size": 15},
            hovertemplate="%{customdata}<extra></extra>",
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", tickvals=ys, ticktext=[f"to {r}" for r in ylabels], showgrid=False)
    fig.update_xaxes(side="top", tickvals=xs, ticktext=[f"from {c}" for c in xlabels], showgrid=False, tickangle=0)
    height = int(min(120 + 44 * len(rows), 700))
    styled(fig, title, THEORY, height)
    fig.update_layout(margin={"l": 70, "r": 10, "t": 90, "b": 10})
    return fig


def agreement_figure(direct: np.ndarray, other: np.ndarray, direct_name: str, other_name: str, title: str) -> go.Figure:
    """``other`` ``(B, n_out)`` against ``direct`` ``(B, n_out)``, with the diagonal y = x."""
    d = np.asarray(direct, dtype=float).reshape(len(direct), -1)  # (B, n_out)
    o = np.asarray(other, dtype=float).reshape(len(other), -1)  # (B, n_out)
    fig = figure()
    lo = float(np.nanmin(np.concatenate([d.ravel(), o.ravel(), [0.0]])))
    hi = float(np.nanmax(np.concatenate([d.ravel(), o.ravel(), [1.0]])))
    fig.add_trace(
        go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", line={"color": "#bbbbbb", "dash": "dash"}, name="y = x")
    )
    for k in range(d.shape[1]):
        fig.add_trace(
            go.Scatter(
                x=d[:, k],
                y=o[:, k],
                mode="markers",
                marker={"size": 7, "opacity": 0.75},
                name=f"output {k + 1}" if d.shape[1] > 1 else "random inputs",
            )
        )
    fig.update_xaxes(title=plain(direct_name))
    fig.update_yaxes(title=plain(other_name))
    return styled(fig, title, THEORY, 420)


def collapse_figure(
    x: np.ndarray,
    with_functions: np.ndarray | None,
    identity: np.ndarray | None,
    matrix: np.ndarray,
    title: str,
) -> go.Figure:
    """For a one-input network: curves over ``x`` ``(G,)`` of the network with its functions
    (``(G,)``, optional), the all-identity network ``(G,)``, optional, and the single matrix (markers, ``(G,)``)."""
    fig = figure()
    if with_functions is not None:
        fig.add_trace(
            go.Scatter(x=x, y=with_functions, mode="lines", name="with its functions", line={"color": "#7570b3"})
        )
    if identity is not None:
        fig.add_trace(
            go.Scatter(
                x=x, y=identity, mode="lines", name="every σ the identity", line={"color": "#e66101", "width": 4}
            )
        )
    step = max(1, len(x) // 25)
    fig.add_trace(
        go.Scatter(
            x=x[::step],
            y=matrix[::step],
            mode="markers",
            name="one matrix Aₗ ⋯ A₂",
            marker={"color": "#111111", "size": 8, "symbol": "x"},
        )
    )
    fig.update_xaxes(title="input x")
    fig.update_yaxes(title="output")
    return styled(fig, title, THEORY, 430)


def width_figure(widths: dict[str, list[int]], labels: dict[str, str], current: tuple[int, int] | None) -> go.Figure:
    """Hidden width against n (log-2 axis) for each series of :func:`nnviz.theory.boolean.widths_by_bits`.

    ``labels`` names the series; ``current`` (n, width) marks the table being edited.
    """
    ns = widths["n"]
    fig = figure()
    for name, ys in widths.items():
        if name == "n":
            continue
        ref = name.startswith("2^")
        fig.add_trace(
            go.Scatter(
                x=ns,
                y=ys,
                mode="lines" if ref else "lines+markers",
                name=plain(labels.get(name, name)),
                line={
                    "color": SERIES_COLORS.get(name, "#444444"),
                    "dash": "dot" if ref else "solid",
                    "width": 2 if ref else 3,
                },
            )
        )
    if current is not None:
        fig.add_trace(
            go.Scatter(
                x=[current[0]],
                y=[current[1]],
                mode="markers",
                name="your table",
                marker={"size": 16, "color": "#111111", "symbol": "star"},
            )
        )
    fig.update_xaxes(title="input bits n", dtick=1)
    fig.update_yaxes(title="hidden neurons", type="log", tickvals=[1, 2, 4, 8, 16, 32, 64])
    return styled(fig, "How wide the hidden layer gets", THEORY, 440)


def approximation_figure(approx: Approximation, title: str) -> go.Figure:
    """The target on the grid, the training points and the best fit of every width."""
    fig = figure()
    fig.add_trace(
        go.Scatter(
            x=approx.x_grid,
            y=approx.y_grid,
            mode="lines",
            name="target",
            line={"color": "#111111", "width": 5, "dash": "dot"},
        )
    )
    for k, fit in enumerate(approx.fits):
        color = WIDTH_COLORS[min(k + max(0, len(WIDTH_COLORS) - len(approx.fits)), len(WIDTH_COLORS) - 1)]
        fig.add_trace(
            go.Scatter(x=approx.x_grid, y=fit.curve, mode="lines", name=f"width {fit.width}", line={"color": color})
        )
    fig.add_trace(
        go.Scatter(
            x=approx.x_train,
            y=approx.y_train,
            mode="markers",
            name="training points",
            marker={"color": "#111111", "size": 7},
        )
    )
    fig.update_xaxes(title="x")
    fig.update_yaxes(title="f(x)")
    return styled(fig, title, THEORY, 460)


def error_figure(approx: Approximation) -> go.Figure:
    """Largest error on the fine grid and RMS error on the training points, against width (log axes)."""
    ws = approx.widths
    fig = figure()
    fig.add_trace(
        go.Scatter(
            x=ws,
            y=[f.max_error for f in approx.fits],
            mode="lines+markers",
            name="largest error on [-1, 1]",
            line={"color": "#d7301f", "width": 3},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=ws,
            y=[float(np.sqrt(f.train_mse)) for f in approx.fits],
            mode="lines+markers",
            name="RMS error on training points",
            line={"color": "#5e3c99", "width": 3},
        )
    )
    fig.update_xaxes(title="hidden neurons (width)", type="log", tickvals=ws)
    fig.update_yaxes(title="error", type="log", dtick=1, exponentformat="power")
    return styled(fig, "Error against width", THEORY, 460)


def counting_figure(items: Sequence[tuple[str, Power, bool, int | None]]) -> go.Figure:
    """One horizontal bar per (label, count, is_images, paper_k): the count's decimal digits, log axis.

    Counts of images are orange, counts of network configurations purple; when
    ``paper_k`` is given, a grey bar beside it shows the paper's round figure 10^paper_k.
    """
    labels = [plain(label) for label, _, _, _ in items]
    digits = [p.digits for _, p, _, _ in items]
    text = [f"≈ {p.mantissa:.2f}×10^{p.k:,}" for _, p, _, _ in items]
    colors = ["#e66101" if is_images else "#5e3c99" for _, _, is_images, _ in items]
    fig = figure(
        go.Bar(
            x=digits,
            y=labels,
            orientation="h",
            text=text,
            textposition="outside",
            cliponaxis=False,
            marker={"color": colors},
            hovertemplate="%{y}: %{x:,} digits<extra></extra>",
            name="exact",
        )
    )
    if any(k for _, _, _, k in items):
        fig.add_trace(
            go.Bar(
                x=[k + 1 if k else None for _, _, _, k in items],
                y=labels,
                orientation="h",
                text=[f"paper: 10^{k:,}" if k else "" for _, _, _, k in items],
                textposition="outside",
                cliponaxis=False,
                marker={"color": "#bdbdbd"},
                hovertemplate="the paper says about 10^%{customdata:,}<extra></extra>",
                customdata=[k or 0 for _, _, _, k in items],
                name="the paper's round figure",
            )
        )
    fig.update_xaxes(title="decimal digits of the count (log scale)", type="log")
    fig.update_yaxes(autorange="reversed")
    fig = styled(fig, "How big the counts are", THEORY, 190 + 70 * len(items))
    fig.update_layout(margin={"l": 20, "r": 170, "t": 50, "b": 120}, barmode="group", bargap=0.25)
    return fig
