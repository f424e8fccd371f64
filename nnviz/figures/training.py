"""Plotly pictures of training from many random restarts (the paper's Part III).

- :func:`loss_curves`: the mean loss over S after each epoch, every restart a
  faint line, the best one highlighted (and the chosen one, and the test
  split's loss when there is one), on a linear or log scale;
- :func:`final_loss_histogram`: the final losses of all restarts on a log
  axis, where distinct local minima show as separate clusters;
- the trained network against its data is drawn by :mod:`nnviz.figures.fit`,
  with the colours defined here.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnviz.figures.style import TRAINING, figure, styled

RESTART_RGB = (70, 110, 160)  # the faint restart lines
BEST = "#e6550d"  # orange: the best restart
CHOSEN = "#2ca25f"  # green: the restart chosen to load
TEST_RGB = (150, 80, 160)
MAX_CURVE_POINTS = 250_000  # faint-line points drawn before epochs are thinned
LOSS_FLOOR = 1e-30  # the histogram shows smaller final losses (and exact zeros) here


def _faint_alpha(r: int) -> float:
    return float(np.clip(2.5 / np.sqrt(max(r, 1)), 0.06, 0.45))


def _bundle(history: np.ndarray, epochs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All restarts' curves as one line with gaps: x, y, restart index per point."""
    r, t = history.shape
    x = np.tile(np.append(epochs, np.nan), r)  # (R * (T + 1),)
    y = np.concatenate([history, np.full((r, 1), np.nan)], axis=1).ravel()
    idx = np.repeat(np.arange(r), t + 1)
    return x, y, idx


def _restarts_trace(
    values: np.ndarray, cols: np.ndarray, rgb: tuple[int, int, int], alpha: float, name: str, meta: str,
    quantity: str = "loss", dash: str | None = None,
) -> go.Scatter:  # fmt: skip
    """All restarts' curves ``values`` ``(R, len(cols))`` as one faint trace with gaps, hover naming the restart."""
    x, y, idx = _bundle(values, cols.astype(float))
    line = {"color": f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha})", "width": 1} | ({"dash": dash} if dash else {})
    return go.Scatter(
        x=x,
        y=y,
        customdata=idx,
        mode="lines",
        line=line,
        name=name,
        meta=meta,
        connectgaps=False,
        hovertemplate=f"restart %{{customdata}}<br>epoch %{{x}}<br>{quantity} %{{y:.4g}}<extra></extra>",
    )


def _line(y: np.ndarray, name: str, meta: str, color: str, width: int, dash: str | None = None) -> go.Scatter:
    """One restart's curve ``y`` ``(T,)``, drawn bold."""
    line = {"color": color, "width": width} | ({"dash": dash} if dash else {})
    return go.Scatter(x=np.arange(y.size), y=y, mode="lines", name=name, meta=meta, line=line)


def loss_curves(
    history: np.ndarray,
    best: int,
    *,
    chosen: int | None = None,
    log_y: bool = True,
    test_history: np.ndarray | None = None,
    title: str = "Loss during training, every restart",
    max_points: int = MAX_CURVE_POINTS,
) -> go.Figure:
    """Curves of ``history`` ``(R, T)`` (mean loss before training and after each epoch).

    All R restarts are drawn as one faint trace named ``"restarts"`` (one line
    per restart, separated by gaps), the best as ``"best"``; ``chosen`` (if it
    is not the best) as ``"chosen"``; with ``test_history`` ``(R, T)`` the test
    loss of all restarts and of the best, dashed. The faint lines keep at most
    about ``max_points`` points (evenly thinned epochs, always the last).
    """
    history = np.asarray(history, dtype=float)
    r, t = history.shape
    step = max(1, int(np.ceil(r * t / max_points)))
    cols = np.unique(np.append(np.arange(0, t, step), t - 1))  # thinned epochs, always the last
    fig = figure()
    fig.add_trace(_restarts_trace(history[:, cols], cols, RESTART_RGB, _faint_alpha(r), f"restarts ({r})", "restarts"))
    if test_history is not None:
        test = np.asarray(test_history, dtype=float)
        alpha = _faint_alpha(r) * 0.8
        trace = _restarts_trace(test[:, cols], cols, TEST_RGB, alpha, "test: restarts", "test", "test loss", "dot")
        fig.add_trace(trace)
        fig.add_trace(_line(test[best], f"test: best ({best})", "best_test", BEST, 3, "dash"))
    if chosen is not None and chosen != best:
        fig.add_trace(_line(history[chosen], f"chosen: restart {chosen}", "chosen", CHOSEN, 3))
    fig.add_trace(_line(history[best], f"best: restart {best}", "best", BEST, 4))
    styled(fig, title, TRAINING, 460, "epoch", "mean loss over S" + (" (log scale)" if log_y else ""))
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


def final_loss_histogram(
    final_loss: np.ndarray, diverged: np.ndarray, best: int, bins: int = 40, chosen: int | None = None
) -> go.Figure:
    """Histogram of the restarts' final losses on a log axis; the best and ``chosen`` marked; diverged counted."""
    final = np.asarray(final_loss, dtype=float)
    ok = ~np.asarray(diverged, dtype=bool) & np.isfinite(final)
    n_div = int((~ok).sum())
    fig = figure()
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
        if chosen is not None and chosen != best and ok[chosen]:
            c = float(np.log10(max(final[chosen], LOSS_FLOOR)))
            fig.add_vline(
                x=c,
                line={"color": CHOSEN, "width": 3, "dash": "dash"},
                annotation={"text": f"restart {chosen}", "font": {"color": CHOSEN, "size": 14}, "yshift": -22},
                annotation_position="top right",
            )
        ticks = log_ticks(lo, hi, most=5)
        fig.update_xaxes(tickvals=np.log10(ticks), ticktext=[f"{v:.3g}" for v in ticks], range=[lo - width, hi + width])
    styled(fig, title, TRAINING, 360, "final mean loss (log scale)", "restarts")
    fig.update_layout(bargap=0.05, showlegend=False)
    return fig
