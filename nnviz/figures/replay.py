"""A training replay's fit and loss as ONE plotly figure that the browser animates: one scrubber drives every view.

For each of K restarts (one row each) the figure shows, at epoch t:

- the fit (:mod:`nnviz.figures.replay_fit`): the curve against the points, the
  heatmap with the points, the truth table right and wrong, or output against target;
- the restart's loss curve with a marker at t.

The network itself is drawn beside it by the live graph (:mod:`nnviz.app.live_replay`), which follows
this figure's slider and Play button (its frames are named by epoch, as the graph's).

Every epoch shown is a plotly frame holding only what changes (the fit's
values, the marker); one slider and Play / Pause (plotly
``updatemenus``) switch frames in the browser without a server round trip,
so all rows move in step. Every changing trace is a scatter trace, so a frame
redraws those traces alone (``redraw: false``), not the whole figure. Frames are plain dicts and the figure is not
validated again (plotly's validation of hundreds of frames takes seconds).
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnviz.data import Dataset
from nnviz.figures.replay_fit import add_fit, fit_kind, fit_outputs, fit_update
from nnviz.figures.style import TRAINING, plain
from nnviz.figures.training import BEST, log_ticks
from nnviz.network import Network

LINE_COLOURS = (BEST, "#1f78b4", "#33a02c", "#6a3d9a")
PLAY_SECONDS = 8.0  # Play runs through all frames in about this long


def _loss_panel(fig: go.Figure, losses: np.ndarray, row: int, colour: str, log_y: bool, col: int = 2) -> None:
    """The restart's loss after every epoch ``(T,)``, drawn once in (``row``, ``col``)."""
    line = {"color": colour, "width": 3}
    hover = "epoch %{x}<br>loss %{y:.4g}<extra></extra>"
    fig.add_trace(
        go.Scatter(
            x=np.arange(losses.size),
            y=losses,
            mode="lines",
            line=line,
            showlegend=False,
            hovertemplate=hover,
            meta="loss",
        ),
        row=row,
        col=col,
    )
    last = max(losses.size - 1, 1)
    fig.update_xaxes(title_text="epoch", range=[-0.02 * last, 1.02 * last], row=row, col=col)
    finite = losses[np.isfinite(losses)]
    if log_y and finite.size:
        lo, hi = np.log10(finite.min()), np.log10(finite.max())
        ticks = log_ticks(lo, hi) if hi > lo else np.array([finite.min()])
        fig.update_yaxes(
            type="log",
            range=[lo - 0.1, hi + 0.1],
            tickvals=ticks,
            ticktext=[f"{v:.3g}" for v in ticks],
            row=row,
            col=col,
        )
    elif finite.size:
        span = max(float(np.ptp(finite)), 1e-9)
        fig.update_yaxes(range=[finite.min() - 0.05 * span, finite.max() + 0.05 * span], row=row, col=col)
    fig.update_yaxes(title_text="mean loss" + (" (log)" if log_y else ""), row=row, col=col)


def _marker(losses: np.ndarray, epoch: int) -> dict:
    """The loss marker at ``epoch`` (what a frame changes)."""
    value = losses[epoch]
    return {"type": "scatter", "x": [epoch], "y": [float(value) if np.isfinite(value) else None]}


def _marker_style(colour: str) -> dict:
    """How the loss marker looks (set once; frames move it)."""
    return {
        "mode": "markers",
        "marker": {"size": 14, "color": colour, "line": {"color": "black", "width": 1.5}},
        "showlegend": False,
        "meta": "loss_marker",
        "hovertemplate": "epoch %{x}<br>loss %{y:.4g}<extra></extra>",
    }


def _controls(fig: go.Figure, epochs: np.ndarray, play_ms: int) -> None:
    """One slider over the frames (labelled by epoch) and Play / Pause, all run by plotly in the browser."""
    still = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}
    steps = [{"label": str(int(t)), "method": "animate", "args": [[str(int(t))], still]} for t in epochs]
    play = {
        "mode": "immediate",
        "fromcurrent": True,
        "transition": {"duration": 0},
        "frame": {"duration": play_ms, "redraw": False},
    }
    pause = {"mode": "immediate", "transition": {"duration": 0}, "frame": {"duration": 0, "redraw": False}}
    fig.update_layout(
        sliders=[
            {
                "active": 0,
                "steps": steps,
                "x": 0.0,  # the whole width, below Play / Pause (a half-width column has no room beside them)
                "len": 1.0,
                "y": 0.0,
                "yanchor": "top",
                "pad": {"t": 125},
                "currentvalue": {"prefix": "epoch ", "font": {"size": 18, "color": "#222222"}, "xanchor": "left"},
                "font": {"color": "rgba(0,0,0,0)", "size": 1},
                "ticklen": 0,
                "minorticklen": 0,
            }
        ],
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": 0.0,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 70},
                "showactive": False,
                "buttons": [
                    {"label": "▶ Play", "method": "animate", "args": [None, play]},
                    {"label": "❚❚ Pause", "method": "animate", "args": [[None], pause]},
                ],
            }
        ],
    )


def replay_figure(
    net: Network,
    data: Dataset,
    weights: np.ndarray,
    epochs: np.ndarray,
    losses: np.ndarray,
    names: list[str],
    row_height: int = 380,
    stacked: bool = False,
) -> go.Figure:
    """The fit and loss of K restarts, one row each, driven by one slider (see the module docstring).

    Parameters
    ----------
    net, data
        The network trained and its data.
    weights
        ``(K, F, E)``: each restart's weights at the ``epochs`` ``(F,)`` shown, NaN after divergence.
    losses
        ``(K, T)``: each restart's mean loss after every epoch (T = the last epoch + 1).
    names
        A short label per restart (e.g. ``"restart 12 (best)"``), escaped here.
    row_height
        Pixels per restart's row (the figure adds 270 for titles, legend and the slider).
    stacked
        One restart's fit above its loss (for a narrow column beside its live graph), not side by side.

    Returns
    -------
    go.Figure
        Frames named by epoch; the changing traces carry ``meta`` ``"fit"`` and ``"loss_marker"``.
    """
    k, f, _ = weights.shape
    fit = "the output, blue low to red high" if fit_kind(data) == "plane" else "the fit"
    titles = [f"{plain(name)}: {part}" for name in names for part in (fit, "loss")]
    stacked = stacked and k == 1
    if stacked:
        fig = make_subplots(rows=2, cols=1, row_heights=[0.6, 0.4], subplot_titles=titles, vertical_spacing=0.2)
    else:
        fig = make_subplots(rows=k, cols=2, column_widths=[0.55, 0.45], subplot_titles=titles,
                            horizontal_spacing=0.2, vertical_spacing=0.16 if k > 1 else 0.1)  # fmt: skip
    outs = [fit_outputs(net, data, weights[i]) for i in range(k)]  # K x (F, G)
    log_y = bool(np.all(losses[np.isfinite(losses)] > 0))
    changing: list[int] = []
    for i in range(k):
        row, colour = i + 1, LINE_COLOURS[i % len(LINE_COLOURS)]
        changing.append(add_fit(fig, data, outs[i], row, k, colour))
        at = {"row": 2, "col": 1} if stacked else {"row": row, "col": 2}
        _loss_panel(fig, losses[i], colour=colour, log_y=log_y, **at)
        changing.append(len(fig.data))
        fig.add_trace(_marker(losses[i], int(epochs[0])) | _marker_style(colour), **at)
    _controls(fig, epochs, play_ms=int(np.clip(1000 * PLAY_SECONDS / max(f, 1), 40, 400)))
    fig.update_layout(
        font=TRAINING.font,
        template="plotly_white",
        height=270 + row_height * (2 if stacked else k),
        margin={"l": 60, "r": 30, "t": 60, "b": 210},
        legend={"orientation": "h", "y": 1.0 + 0.1 / k, "x": 0.0, "yanchor": "bottom"},
    )
    frames = _frames(data, outs, epochs, losses, changing)
    fig.__class__ = FramedFigure  # no copy: FramedFigure(fig) would validate every trace again (~0.15 s)
    fig._raw_frames = frames
    return fig


def _frames(
    data: Dataset, outs: list[np.ndarray], epochs: np.ndarray, losses: np.ndarray, changing: list[int]
) -> list[dict]:
    """One frame per epoch shown: the changing traces' new values, in the order of ``changing``.

    ``outs`` holds each restart's fit outputs ``(F, G)``.
    """
    frames = []
    for j, t in enumerate(epochs):
        frame_data: list[dict] = []
        for i in range(len(outs)):
            frame_data += [fit_update(data, outs[i][j]), _marker(losses[i], int(t))]
        frames.append({"data": [_packed(d) for d in frame_data], "traces": changing, "name": str(int(t))})
    return frames


def value_is_bytes(value: object) -> bool:
    """Whether ``value`` is a numpy array of bytes (``uint8``)."""
    return isinstance(value, np.ndarray) and value.dtype == np.uint8


def _packed(trace: dict) -> dict:
    """``trace`` with its numpy float and byte arrays (also nested, as ``marker.color``) as plotly.js typed arrays."""
    out: dict = {}
    for key, value in trace.items():
        if isinstance(value, dict):
            out[key] = _packed(value)
        elif (isinstance(value, np.ndarray) and value.dtype.kind == "f") or value_is_bytes(value):
            v = np.ascontiguousarray(value, dtype=np.uint8 if value.dtype == np.uint8 else np.float32)
            kind = "u1" if v.dtype == np.uint8 else "f4"
            spec = {"dtype": kind, "bdata": base64.b64encode(v.tobytes()).decode("ascii")}
            out[key] = spec | ({"shape": ", ".join(map(str, v.shape))} if v.ndim > 1 else {})
        else:
            out[key] = value
    return out


class FramedFigure(go.Figure):
    """A plotly Figure whose frames are kept as plain dicts and joined in by :meth:`to_dict`.

    Building hundreds of plotly frame objects takes seconds (each trace is an
    object, validated or not); the frames here are built from checked numbers
    and only ever serialised. ``st.plotly_chart``, ``to_json`` and
    ``write_html`` all go through :meth:`to_dict`; :attr:`raw_frames` holds them.
    """

    def __init__(self, fig: go.Figure | None = None, frames: list[dict] | None = None, **kwargs: object) -> None:
        super().__init__(fig, **kwargs)
        self._raw_frames = frames or []

    @property
    def raw_frames(self) -> list[dict]:
        """The frames: ``{"data": [...], "traces": [...], "name": epoch}`` each."""
        return self._raw_frames

    def to_dict(self) -> dict:
        """The figure as a dict, frames included."""
        out = super().to_dict()
        out["frames"] = self._raw_frames
        return out
