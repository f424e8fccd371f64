"""The network drawn in plotly with its edges by weight, for pictures that change over epochs.

The graphviz drawing of :mod:`nnviz.figures.graph` lays the network out in the
browser on every change; a replay needs hundreds of pictures that plotly swaps
in place. Here neurons sit in columns (the layers when the network is layered,
else its topological levels) and each edge is a thin quadrilateral whose
width grows with |w_i,j|: orange for a positive weight, purple for a negative
one (ColorBrewer PuOr, told apart with any common colour-vision deficiency).
All edges of one sign are one plotly trace (polygons separated by gaps, each
filled), so a picture is always the same few traces whatever the weights.

User text (neuron ids) is escaped before it reaches plotly.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnviz.figures.graph import PALETTES
from nnviz.figures.style import plain
from nnviz.network import Network

POSITIVE = "rgba(230,97,1,0.85)"  # orange
NEGATIVE = "rgba(94,60,153,0.85)"  # purple
MIN_WIDTH = 0.012  # edge width (data units; neighbouring neurons are 1 apart) of a zero weight
MAX_WIDTH = 0.16  # ... of the largest |weight| shown
MAX_ID_CHARS = 6


def positions(net: Network) -> np.ndarray:
    """x, y of every neuron ``(N, 2)`` in ``net.ids`` order: column = stage, rows centred on 0, 1 apart.

    Columns are 1 apart, or more for tall stages (0.45 x the tallest), so the picture stays wider than tall.
    """
    xy = np.zeros((len(net.ids), 2))  # (N, 2)
    index = net.index
    stages = net.stages()
    gap = max(1.0, 0.45 * max(len(s) for s in stages))  # columns wider apart for tall layers
    for col, stage in enumerate(stages):
        for row, nid in enumerate(stage):
            xy[index[nid]] = (gap * col, (len(stage) - 1) / 2.0 - row)
    return xy


def _quads(p: np.ndarray, q: np.ndarray, width: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Closed quadrilaterals from p ``(M, 2)`` to q ``(M, 2)`` of ``width`` ``(M,)``, NaN-separated: x, y ``(6M,)``."""
    d = q - p
    length = np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)
    n = np.column_stack([-d[:, 1], d[:, 0]]) / length * (width[:, None] / 2.0)  # (M, 2) half-width normals
    corners = np.stack([p + n, q + n, q - n, p - n, p + n, np.full_like(p, np.nan)], axis=1)  # (M, 6, 2)
    flat = corners.reshape(-1, 2)
    return flat[:, 0], flat[:, 1]


def edge_widths(weights: np.ndarray, largest: float) -> np.ndarray:
    """Width of each edge ``(E,)`` for ``weights`` ``(E,)``, scaled so |w| = ``largest`` gets :data:`MAX_WIDTH`."""
    scale = largest if np.isfinite(largest) and largest > 0 else 1.0
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.minimum(np.abs(np.nan_to_num(weights)) / scale, 1.0)


def edge_updates(net: Network, xy: np.ndarray, weights: np.ndarray, largest: float) -> list[dict]:
    """What changes in a picture when the weights do: positive edges, negative edges, the weights' hover values.

    ``weights`` ``(E,)`` in ``net.edges`` order (NaN: a diverged restart, drawn as nothing); ``xy`` from
    :func:`positions`. Plain dicts, to update the traces :func:`add_network` made (a plotly frame's data).
    """
    index = net.index
    src = np.array([index[s] for s, _ in net.edges], dtype=np.int64)  # (E,)
    dst = np.array([index[d] for _, d in net.edges], dtype=np.int64)
    width = edge_widths(weights, largest)
    out: list[dict] = []
    for sign in (weights > 0, weights <= 0):
        sel = sign & np.isfinite(weights)
        x, y = _quads(xy[src[sel]], xy[dst[sel]], width[sel])
        out.append({"type": "scatter", "x": x.astype(np.float32), "y": y.astype(np.float32)})
    out.append({"type": "scatter", "customdata": np.asarray(weights, dtype=np.float32)})
    return out


def add_network(
    fig: go.Figure,
    net: Network,
    weights: np.ndarray,
    largest: float,
    row: int,
    col: int,
    palette: str = "paper",
    legend: bool = True,
) -> list[int]:
    """Draw ``net`` with ``weights`` ``(E,)`` into subplot (row, col); return the indices of the changing traces."""
    xy = positions(net)
    pal = PALETTES.get(palette, PALETTES["paper"])
    pos, neg, values = edge_updates(net, xy, weights, largest)
    first = len(fig.data)
    for (name, colour), part in zip(
        (("positive weight", POSITIVE), ("negative weight", NEGATIVE)), (pos, neg), strict=True
    ):
        style = {"mode": "lines", "fill": "toself", "fillcolor": colour, "line": {"width": 0, "color": colour}}
        info = {"name": name, "legendgroup": name, "showlegend": legend, "hoverinfo": "skip"}
        fig.add_trace(part | style | info | {"meta": f"edges_{name.split()[0]}"}, row=row, col=col)
    index = net.index
    mid = np.array([(xy[index[s]] + xy[index[d]]) / 2.0 for s, d in net.edges]).reshape(-1, 2)  # (E, 2)
    names = [f"w<sub>{plain(s)},{plain(d)}</sub>" for s, d in net.edges]
    hover = {"hovertemplate": "%{text} = %{customdata:.4g}<extra></extra>", "showlegend": False}
    fig.add_trace(
        values
        | hover
        | {
            "x": mid[:, 0],
            "y": mid[:, 1],
            "mode": "markers",
            "marker": {"size": 12, "opacity": 0},
            "text": names,
            "meta": "edge_weights",
        },
        row=row,
        col=col,
    )
    roles = [net.neuron(nid).role for nid in net.ids]
    labels = [plain(nid if len(nid) <= MAX_ID_CHARS else nid[: MAX_ID_CHARS - 1] + "…") for nid in net.ids]
    tips = [
        f"neuron {plain(nid)} ({role}{', ' + net.neuron(nid).activation if net.neuron(nid).activation else ''})"
        for nid, role in zip(net.ids, roles, strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=xy[:, 0],
            y=xy[:, 1],
            mode="markers+text",
            text=labels,
            textfont={"size": 13, "color": pal["text"]},
            marker={
                "size": 30,
                "color": [pal[r] for r in roles],
                "line": {"color": [pal[r + "_border"] for r in roles], "width": 2},
            },
            hovertext=tips,
            hoverinfo="text",
            showlegend=False,
            meta="neurons",
        ),
        row=row,
        col=col,
    )
    return [first, first + 1, first + 2]
