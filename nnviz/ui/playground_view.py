"""What the playground shows while it trains: numbers, the live graph, the output over the plane, the loss curve.

:func:`display` draws one frame of the playground for the restart being watched
(the best so far by training loss, or the one picked with :func:`watch_picker`).
It is called by the playground's fragments (:mod:`nnviz.ui.playground`) after
every few epochs, so it computes only what a frame needs: the live graph's data
(:func:`nnviz.app.live_graph.graph_data` with the input features), f over a 64 x 64
grid drawn as a PNG (:func:`nnviz.figures.playground.output_png`), and the loss
curves.
"""

from __future__ import annotations

import base64

import numpy as np
import streamlit as st

from nnviz.app import playground as model
from nnviz.app.live_graph import Point, graph_data
from nnviz.figures.playground import loss_svg, output_png
from nnviz.ui import live_graph, presentation, widgets
from nnviz.ui import training_data as td
from nnviz.ui.state import Keys

BEST = "best so far"


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
    row = st.container(horizontal=True, gap="small")
    row.metric("Epoch", f"{m.epoch:,}", width="content")
    row.metric("Training loss", _fmt(m.train_loss), width="content")
    row.metric("Test loss", _fmt(m.test_loss), width="content")
    row.metric("Test accuracy", _fmt(m.accuracy, pct=True) if pg.classification else "–",
                   help="Share of test points whose label ±1 has the sign of f(x)." if pg.classification
                   else "Only for data labelled ±1.", width="content")  # fmt: skip
    count = pg.weights.shape[0]
    if count > 1:
        b = model.best(pg)
        test = pg.test_loss[-1]
        st.caption(
            f"Watching restart {r + 1} of {count}. Best so far by training loss: restart {b + 1}, training loss "
            f"{_fmt(float(pg.train_loss[-1][b]))}, test loss {_fmt(float(test[b]) if test.size else None)} "
            f"(the lowest test loss is restart {int(np.nanargmin(test)) + 1 if test.size else b + 1})."
        )


def _graph(pg: model.Playground, r: int) -> None:
    net = model.watched(pg, r)
    data = graph_data(
        net, None, Point(x=np.zeros(2), data_x=pg.data.X), palette=presentation.current_palette(), pictures=True,
        present=presentation.presentation_mode(), features=pg.cfg.features,
    )  # fmt: skip
    live_graph.show(data, key="train_pg_graph")


def _output(pg: model.Playground, r: int) -> None:
    image = st.empty()  # the picture first: it shares the top of the screen with the numbers and the graph
    with st.container(horizontal=True, gap="small"):
        show_test = td.setting(st.toggle, "pg_show_test", "Show test data")
        discrete = td.setting(st.toggle, "pg_discrete", "Discretize output")
    grid = model.output_grid(pg, r)  # (48, 48)
    test = (pg.data.X_test, pg.data.Y_test) if show_test and pg.data.X_test is not None else None
    png = output_png(grid, (pg.data.X, pg.data.Y), test, discretize=discrete)
    image.image("data:image/png;base64," + base64.b64encode(png).decode(), width="stretch")
    st.caption(
        "The output f over x1 (→) and x2 (↑), both from −6 to 6: blue above 0, orange below. Points: their "
        "label's colour; training points ringed white" + (", test points black." if test is not None else ".")
    )


def display(pg: model.Playground) -> None:
    """One frame of the playground: numbers, the live graph beside the output and the loss curve."""
    r = watched_restart(pg)
    graph_col, out_col = st.columns([3, 2], gap="small")
    with graph_col:
        _numbers(pg, r)
        _graph(pg, r)
    with out_col:
        _output(pg, r)
        st.image(loss_svg(model.curves(pg, r)), width="stretch")
    if pg.diverged[r]:
        widgets.error(f"Restart {r + 1} diverged: its loss is no longer finite. Lower the step size and Reset.")
