"""What the playground shows while it trains: numbers, the live graph, the output over the plane, the loss curve.

:func:`display` draws one frame of the playground for the restart being watched
(the best so far by training loss, or the one picked with :func:`watch_picker`).
It is called by the playground's fragments (:mod:`nnviz.ui.playground`) after
every few epochs, so it computes only what a frame needs: the live graph's data
(:func:`nnviz.app.live_graph.graph_data` with the input features), f over a 48 x 48
grid (one byte a cell), the points and the loss curves.

The numbers and the output (the grid drawn on a canvas with the points, and the loss
curve) are two instances of one small components-v2 component (``pg_display.js``):
from frame to frame it changes text, pixels and an image source in place, so
Streamlit's element tree and the page's layout stay the same while it plays.
"""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import streamlit as st

from nnviz.app import playground as model
from nnviz.app.live_graph import Point, graph_data
from nnviz.figures.playground import loss_svg
from nnviz.ui import live_graph, presentation, widgets
from nnviz.ui import training_data as td
from nnviz.ui.state import Keys

BEST = "best so far"
_HERE = Path(__file__).parent
_DISPLAY = st.components.v2.component(
    "nnviz_pg_display",
    js=(_HERE / "pg_display.js").read_text(encoding="utf-8"),
    css=(_HERE / "pg_display.css").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def watched_restart(pg: model.Playground) -> int:
    """The restart shown: the one picked, else the best so far by training loss."""
    r = st.session_state.get(Keys.PG_WATCH)
    return r if isinstance(r, int) and 0 <= r < pg.weights.shape[0] else model.best(pg)


def _on_watch() -> None:
    value = st.session_state.get("train_pg_watch_pick")
    st.session_state[Keys.PG_WATCH] = None if value in (None, BEST) else int(value) - 1


def watch_picker(pg: model.Playground) -> None:
    """With several restarts: which one to watch (the best so far, or any by number)."""
    count = pg.weights.shape[0]
    if count == 1:
        return
    r = st.session_state.get(Keys.PG_WATCH)
    choice = BEST if not isinstance(r, int) or r >= count else r + 1
    st.session_state["train_pg_watch_pick"] = choice
    st.selectbox("Watch restart", [BEST, *range(1, count + 1)], key="train_pg_watch_pick", on_change=_on_watch,
                 help="The best restart can change while it trains; pick a number to follow one restart.")  # fmt: skip


def _fmt(v: float | None, pct: bool = False) -> str:
    if v is None:
        return "–"
    if not np.isfinite(v):
        return "diverged"
    return f"{v:.1%}" if pct else f"{v:.3f}"


def _numbers(pg: model.Playground, r: int) -> None:
    m = model.metrics(pg, r)
    acc_help = ("Share of test points whose label ±1 has the sign of f(x)." if pg.classification
                else "Only for data labelled ±1.")  # fmt: skip
    numbers = [
        ["Epoch", f"{m.epoch:,}", ""],
        ["Training loss", _fmt(m.train_loss), ""],
        ["Test loss", _fmt(m.test_loss), ""],
        ["Test accuracy", _fmt(m.accuracy, pct=True) if pg.classification else "–", acc_help],
    ]
    note = ""
    count = pg.weights.shape[0]
    if count > 1:
        b = model.best(pg)
        test = pg.test_loss[-1]
        note = (
            f"Watching restart {r + 1} of {count}. Best so far by training loss: restart {b + 1}, training loss "
            f"{_fmt(float(pg.train_loss[-1][b]))}, test loss {_fmt(float(test[b]) if test.size else None)} "
            f"(the lowest test loss is restart {int(np.nanargmin(test)) + 1 if test.size else b + 1})."
        )
    present = presentation.presentation_mode()
    _DISPLAY(key="train_pg_numbers", data={"kind": "numbers", "numbers": numbers, "note": note, "present": present},
             width="stretch")  # fmt: skip


def _graph(pg: model.Playground, r: int) -> None:
    net = model.watched(pg, r)
    data = graph_data(
        net, None, Point(x=np.zeros(2), data_x=pg.data.X), palette=presentation.current_palette(), pictures=True,
        present=presentation.presentation_mode(), features=pg.cfg.features,
    )  # fmt: skip
    live_graph.show(data, key="train_pg_graph")


def grid_bytes(grid: np.ndarray) -> str:
    """``grid`` ``(n, n)`` as base64 bytes: 0 where not finite, else 1..255 for f clipped to [-1, 1]."""
    q = np.rint(np.clip(np.nan_to_num(grid, nan=0.0), -1.0, 1.0) * 127.0) + 128.0  # (n, n)
    q[~np.isfinite(grid)] = 0.0
    return base64.b64encode(q.astype(np.uint8).tobytes()).decode()


def _points(X: np.ndarray, Y: np.ndarray) -> list[list[float]]:
    """``[[x1, x2, label], ...]`` rounded: the points drawn over the output."""
    return np.round(np.column_stack([X[:, :2], np.asarray(Y, dtype=float)[:, :1]]), 3).tolist()


def output_toggles() -> None:
    """Show test data and Discretize output, above the display on its right (over the picture they change).

    They are drawn by the playground's fragment, not by the display's: a frame while it plays then redraws
    fewer of Streamlit's elements (each one costs the browser React work), and :func:`display` reads them."""
    with st.container(horizontal=True, gap="small", horizontal_alignment="right"):
        td.setting(st.toggle, "pg_show_test", "Show test data")
        td.setting(st.toggle, "pg_discrete", "Discretize output")


def _output(pg: model.Playground, r: int) -> None:
    show_test, discrete = bool(td.form().get("pg_show_test")), bool(td.form().get("pg_discrete"))  # output_toggles
    grid = model.output_grid(pg, r)  # (48, 48)
    test = _points(pg.data.X_test, pg.data.Y_test) if show_test and pg.data.X_test is not None else None
    caption = (
        "The output f over x1 (→) and x2 (↑), both from −6 to 6: blue above 0, orange below. Points: their "
        "label's colour; training points ringed white" + (", test points black." if test is not None else ".")
    )
    curve = "data:image/svg+xml;base64," + base64.b64encode(loss_svg(model.curves(pg, r, points=240)).encode()).decode()
    data = {
        "kind": "output", "n": int(grid.shape[0]), "grid": grid_bytes(grid), "discrete": bool(discrete),
        "train": _points(pg.data.X, pg.data.Y), "test": test, "caption": caption, "curve": curve,
        "alt": "The network's output over the plane with the data points", "present": presentation.presentation_mode(),
    }  # fmt: skip
    _DISPLAY(key="train_pg_output", data=data, width="stretch")


def display(pg: model.Playground) -> None:
    """One frame of the playground: numbers, the live graph beside the output and the loss curve."""
    r = watched_restart(pg)
    graph_col, out_col = st.columns([3, 2], gap="small")
    with graph_col:
        _numbers(pg, r)
        _graph(pg, r)
    with out_col:
        _output(pg, r)
    if pg.diverged[r]:
        widgets.error(f"Restart {r + 1} diverged: its loss is no longer finite. Lower the step size and Reset.")
