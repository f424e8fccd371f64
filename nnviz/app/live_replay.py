"""The live graph of a training replay: one drawing of the network, one frame per epoch shown (no Streamlit).

The replay on the Training page draws its network with the live graph of the Network, Forward pass
and Backpropagation pages (:func:`nnviz.app.live_graph.graph_data`: the same layout, colours and
neuron pictures). :func:`replay_graph` adds, per epoch shown, what changes with the weights:

- every weight, as float32 bytes: the browser colours each edge by its sign, sets its width by its
  size (relative to the largest |w| of that epoch, as on the other pages) and writes its label
  ``w₁,₃ = 0.80`` (the Network page's, two decimals);
- each hidden and output neuron's picture of z_k over the input: one byte a grid cell (a heatmap over
  two inputs, on one colour scale for the whole run) or a sample (a curve, with its own range per
  epoch), packed per neuron. When that would exceed :data:`PICTURE_BYTES`, fewer epochs get their
  own pictures and the others show the nearest earlier one.

The graph keeps the mode "structure" (no stepper of its own, no values in the neurons). The browser
switches frames by itself (the component's ``frames`` are the epochs); the replay's fit and loss
figure drives them through its slider and Play button (``follow``: the key of that chart).
"""

from __future__ import annotations

import base64

import numpy as np

from nnviz.app.live_graph import ALL_LABELS_MAX, SIGN_COLOURS, Point, graph_data
from nnviz.engine import forward
from nnviz.network import Network
from nnviz.pictures import picture_range

CURVE_POINTS = 40
HEATMAP_POINTS = 14
PICTURE_BYTES = 120_000  # the pictures of all epochs, in bytes, before fewer epochs get their own
SHADES = 254  # a byte is 0 (lowest) .. 254 (highest); 255 marks a value that is not finite
SPEEDS = (0.4, 0.2, 0.1, 0.05)  # seconds per epoch when the graph plays by itself


def _b64(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii")


def _grid(net: Network, data_x: np.ndarray) -> tuple[np.ndarray, list[tuple[float, float]], int]:
    """The inputs the pictures are evaluated at ``(G, n_in)``, the varied inputs' ranges, points per axis."""
    n_in = len(net.inputs)
    x0 = np.nanmean(data_x, axis=0) if data_x.size else np.zeros(n_in)  # (n_in,) inputs not varied: their mean
    x0 = np.nan_to_num(x0)
    varied = 2 if n_in == 2 else 1
    ranges = [picture_range(x0[j], data_x[:, j] if data_x.size else None) for j in range(varied)]
    p = HEATMAP_POINTS if varied == 2 else CURVE_POINTS
    axes = [np.linspace(lo, hi, p) for lo, hi in ranges]
    if varied == 2:
        m0, m1 = np.meshgrid(axes[0], axes[1][::-1])  # (P, P): the top row is the largest x2
        points = np.column_stack([m0.ravel(), m1.ravel()])  # (P*P, 2)
    else:
        points = np.repeat(x0[None, :], p, axis=0)  # (P, n_in)
        points[:, 0] = axes[0]
    return points, ranges, p


def picture_frames(f: int, cells: int, computing: int) -> np.ndarray:
    """Indices of the epochs ``(F',)`` that get their own pictures: all when they fit :data:`PICTURE_BYTES`."""
    most = max(2, PICTURE_BYTES // max(cells * computing, 1))
    if f <= most:
        return np.arange(f)
    return np.unique(np.round(np.linspace(0, f - 1, most)).astype(np.int64))


def _pictures(net: Network, weights: np.ndarray, data_x: np.ndarray) -> tuple[dict, np.ndarray]:
    """The pictures of every kept epoch, packed per neuron, and ``z`` ``(F', G, N)`` (for tests)."""
    points, ranges, p = _grid(net, data_x)
    computes = np.array([n.computes for n in net.neurons])
    own = picture_frames(weights.shape[0], points.shape[0], int(computes.sum()))
    w = weights[own]  # (F', E)
    ok = np.isfinite(w).all(axis=1)  # (F',)
    z = forward(net, points, weights=np.nan_to_num(w, nan=0.0, posinf=0.0, neginf=0.0)).z  # (F', G, N)
    z = np.where(ok[:, None, None], z, np.nan)
    frame_of = np.searchsorted(own, np.arange(weights.shape[0]), side="right") - 1  # (F,) nearest earlier
    out: dict = {"frame_of": frame_of.tolist(), "n": p, "range": [list(r) for r in ranges]}
    if len(ranges) == 2:
        shown = z[:, :, computes]
        finite = shown[np.isfinite(shown)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        hi = hi if hi > lo else lo + 1.0
        q = np.clip(np.round((z - lo) / (hi - lo) * SHADES), 0, SHADES)  # (F', G, N)
        q[~np.isfinite(z)] = 255
        out |= {"kind": "heatmap", "scale": [lo, hi]}
        out["cells"] = [_b64(q[:, :, k].astype(np.uint8)) if computes[k] else None for k in range(len(net.ids))]
        return out, z
    finite = np.where(np.isfinite(z), z, np.nan)
    lo = np.nanmin(finite, axis=1, initial=np.inf)  # (F', N)
    hi = np.nanmax(finite, axis=1, initial=-np.inf)
    lo, hi = np.where(np.isfinite(lo), lo, 0.0), np.where(np.isfinite(hi), hi, 0.0)
    span = np.where(hi > lo, hi - lo, 1.0)
    q = np.clip(np.round((z - lo[:, None, :]) / span[:, None, :] * SHADES), 0, SHADES)  # (F', G, N)
    q[~np.isfinite(z)] = 255
    out |= {"kind": "curve", "lo": np.round(lo.T, 9).tolist(), "hi": np.round(hi.T, 9).tolist()}  # (N, F') each
    out["curves"] = [_b64(q[:, :, k].astype(np.uint8)) if computes[k] else None for k in range(len(net.ids))]
    return out, z


def replay_graph(
    net: Network,
    weights: np.ndarray,
    epochs: np.ndarray,
    data_x: np.ndarray,
    *,
    follow: str | None = None,
    palette: str = "paper",
    pictures: bool = True,
    present: bool = False,
) -> dict:
    """The live graph's data for a replay of ``net`` with ``weights`` ``(F, E)`` at ``epochs`` ``(F,)``.

    ``data_x`` ``(S, n_in)`` are the training inputs (the pictures span their range); ``follow`` the
    key of the chart whose slider drives the frames. NaN weights (after a divergence) are sent as NaN:
    the browser draws those edges in grey and the pictures blank.
    """
    weights = np.asarray(weights, dtype=float)  # (F, E)
    data_x = np.asarray(data_x, dtype=float).reshape(-1, len(net.inputs))  # (S, n_in)
    ok = np.flatnonzero(np.isfinite(weights).all(axis=1))
    first = net.with_weights(weights[ok[0]]) if ok.size else net
    x0 = np.nan_to_num(np.nanmean(data_x, axis=0)) if data_x.size else np.zeros(len(net.inputs))
    data = graph_data(
        first, None, Point(x=x0, data_x=data_x if data_x.size else None), palette=palette, pictures=pictures,
        all_weights=len(net.edges) <= ALL_LABELS_MAX, present=present,
    )  # fmt: skip
    data["sig"] = data["sig"] + "-replay"
    data["speeds"] = list(SPEEDS)
    data["frames"] = [{"caption": "", "kind": "epoch", "neurons": [], "edges": []} for _ in epochs]
    data["replay"] = {
        "epochs": [int(t) for t in epochs],
        "weights": _b64(weights.astype(np.float32)),
        "follow": follow,
        "colours": list(SIGN_COLOURS.get(palette, SIGN_COLOURS["paper"])),
        "pictures": _pictures(net, weights, data_x)[0] if data["pictures"] is not None else None,
    }
    if data["pictures"] is not None:  # no "current x" in a replay: no marker; the legend's scale is the run's
        data["pictures"]["x0"] = None if data["pictures"]["kind"] == "curve" else [None, None]
        drawn = "cells" if data["pictures"]["kind"] == "heatmap" else "curves"  # the browser puts epoch 0's in
        data["pictures"][drawn] = [None if v is None else 0 for v in data["pictures"][drawn]]
        if data["replay"]["pictures"]["kind"] == "heatmap":
            data["pictures"]["scale"] = data["replay"]["pictures"]["scale"]
    return data
