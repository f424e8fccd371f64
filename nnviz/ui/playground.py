"""The playground at the top of the Training page: pick a 2-D data set, press Play, watch the network learn.

The whole section is one ``st.fragment`` (:func:`section`): its chips, knobs and
buttons rerun only the playground, never the rest of the page. While it plays, the
display (headline numbers, the live graph, the output over the plane, the loss curve)
is a nested fragment with ``run_every`` (:func:`_ticking`): each tick trains as many
epochs as fit in :data:`BUDGET` seconds and redraws the display only. Pause reruns
the outer fragment, which draws the display without a timer (:func:`_still`):
Streamlit drops the ticking fragment and tells the browser to stop its timer.

The knobs are declared settings (``train_pg_*`` in :mod:`nnviz.app.settings`), kept
in the Training page's form dict, so scenes store and restore them. The state is a
:class:`nnviz.app.playground.Playground` under ``Keys.PLAYGROUND``; it is built anew
when a knob that changes the data or the network changes (data set, noise, test
split, seed, features, hidden layers, activation, restarts, network source).
"""

from __future__ import annotations

import base64
import os
import time
from dataclasses import replace
from functools import cache

import streamlit as st

from nnviz.app import playground as model
from nnviz.data import PLAYGROUND_SETS, playground
from nnviz.features import FEATURES
from nnviz.figures.playground import data_png
from nnviz.network import Network, NetworkError
from nnviz.ui import playground_view as view
from nnviz.ui import share_link, widgets
from nnviz.ui import training_data as td
from nnviz.ui.state import Keys

TICK = 0.05  # seconds between redraw requests while playing (queued while a frame runs: no idle gap after one)
BUDGET = 0.025  # seconds of training per redraw (at least one epoch)
MAX_EPOCH = 100_000  # Play stops here
TIMING = bool(os.environ.get("NNVIZ_PG_TIMING"))  # tests/bench/bench_playground.py: log each frame's server time
LABELS = {"circle": "Circle", "xor": "XOR", "gauss": "Gauss", "spiral": "Spiral", "plane": "Plane",
          "multigauss": "Multi-Gauss"}  # fmt: skip


@cache
def chip_picture(name: str) -> str:
    """A data URI of a small picture of the data set ``name`` (TF Playground's default points, no noise)."""
    ds = playground(name)
    return "data:image/png;base64," + base64.b64encode(data_png(ds.X, ds.Y)).decode()


def _pick(name: str) -> None:
    td.form()["pg_data"] = name


def _chips() -> str:
    """The six data sets as small pictures, each with its button, in a row that wraps; returns the chosen one."""
    chosen = td.form().get("pg_data", "circle")
    chosen = chosen if chosen in PLAYGROUND_SETS else "circle"
    with st.container(horizontal=True, gap="medium"):
        for name in PLAYGROUND_SETS:
            with st.container(horizontal=True, gap="small", width="content", vertical_alignment="center"):
                st.image(chip_picture(name), width=36, alt=f"{LABELS[name]}: a picture of the data")
                st.button(LABELS[name], key=f"train_pg_chip_{name}", on_click=_pick, args=(name,),
                          type="primary" if name == chosen else "secondary")  # fmt: skip
    return chosen


def _knobs(data: str) -> tuple[model.Config | None, bool]:
    """The knobs (left column); the config they give (None with a message when refused) and the sidebar toggle."""
    s = td.setting
    feats = s(st.pills, "pg_features", "Features", options=list(FEATURES), selection_mode="multi",
              help="Fixed functions of (x1, x2) fed to the input neurons: one input neuron per feature.")  # fmt: skip
    hidden = s(st.text_input, "pg_hidden", "Hidden layers", help='Neurons per hidden layer, e.g. "4, 2"; empty: none.')
    a, b = st.columns(2)
    with a:
        act = s(st.selectbox, "pg_act", "Activation")
        step = s(st.selectbox, "pg_step", "Step size", format_func=lambda v: f"{v:g}")
        l2 = s(st.selectbox, "pg_l2", "L2", format_func=lambda v: f"{v:g}",
               help="Adds λ·w to each weight's gradient (not the bias weights): smoother boundaries.")  # fmt: skip
    with b:
        batch = s(st.slider, "pg_batch", "Batch size", help="Points averaged per step; 1 is the paper's SGD.")
        noise = s(st.slider, "pg_noise", "Noise", step=0.05)
        test = s(st.slider, "pg_test", "Test split (%)", step=10)
    restarts = s(st.slider, "pg_restarts", "Restarts", help="Trained side by side; the best by training loss shows.")
    own = "Its inputs must match the features (one input neuron per feature) and it must have one output."
    sidebar = s(st.toggle, "pg_sidebar", "Use the sidebar's network", help=own)
    st.caption(
        "The playground trains its own network: one input neuron per feature, the hidden layers above, one output "
        "(tanh for ±1 labels, else the identity). Switch on the toggle to train the sidebar's network instead; "
        "the sidebar keeps its own weights either way."
    )
    try:
        sizes = model.parse_hidden(hidden or "")
        seed = int(td.form().get("pg_seed", 0))
        cfg = model.Config(data=data, noise=float(noise), test_fraction=int(test) / 100, seed=seed,
                           features=tuple(feats or ()), hidden=sizes, activation=act, step_size=float(step),
                           batch_size=int(batch), l2=float(l2), restarts=int(restarts))  # fmt: skip
        return model.check(cfg), bool(sidebar)
    except NetworkError as exc:
        widgets.error(exc, prefix="**The playground keeps its last settings:** ")
        return None, bool(sidebar)


def _same_build(a: model.Config, b: model.Config) -> bool:
    """Whether two configs give the same data and network (step size, batch size and L2 do not)."""
    keep = {"step_size": 0.0, "batch_size": 1, "l2": 0.0}
    return replace(a, **keep) == replace(b, **keep)


def current(cfg: model.Config | None, sidebar: bool, sidebar_net: Network) -> model.Playground | None:
    """The playground for ``cfg``: the stored one (its step size, batch and L2 updated) or a new one."""
    ss = st.session_state
    pg = ss.get(Keys.PLAYGROUND)
    if cfg is None:
        return pg
    use = sidebar_net if sidebar and model.fits(sidebar_net, cfg) is None else None
    source = ("sidebar", sidebar_net) if use is not None else ("own",)
    if pg is not None and _same_build(pg.cfg, cfg) and ss.get(Keys.PG_SOURCE) == source:
        pg.cfg = cfg
        return pg
    draw = int(ss.get(Keys.PG_DRAW, 0))
    ss[Keys.PLAYGROUND], ss[Keys.PG_SOURCE], ss[Keys.PG_WATCH] = model.build(cfg, use, draw), source, None
    return ss[Keys.PLAYGROUND]


def _play(on: bool) -> None:
    st.session_state[Keys.PG_PLAYING] = on  # a value, not a toggle: a click processed twice still pauses


def _step() -> None:
    st.session_state[Keys.PG_PLAYING] = False
    pg = st.session_state.get(Keys.PLAYGROUND)
    if pg is not None:
        model.advance(pg, 1)


def _reset() -> None:
    ss = st.session_state
    ss[Keys.PG_PLAYING], ss[Keys.PLAYGROUND] = False, None
    ss[Keys.PG_DRAW] = int(ss.get(Keys.PG_DRAW, 0)) + 1  # new starting weights


def _new_points() -> None:
    td.form()["pg_seed"] = (int(td.form().get("pg_seed", 0)) + 1) % 1000


def _buttons() -> bool:
    """Play / Pause, Step one epoch, Reset and New points; returns whether it plays."""
    playing = bool(st.session_state.get(Keys.PG_PLAYING, False))
    row = st.container(horizontal=True, gap="small")
    icon = ":material/pause:" if playing else ":material/play_arrow:"
    row.button("Pause" if playing else "Play", key="train_pg_play", on_click=_play, args=(not playing,),
               type="primary", width=110, icon=icon)  # fmt: skip
    row.button("Step", key="train_pg_step_one", on_click=_step, help="Step one epoch: train one epoch, then pause.")
    row.button("Reset", key="train_pg_reset", on_click=_reset, help="New starting weights: epoch 0.")
    row.button("New points", key="train_pg_new", on_click=_new_points, help="Draw the data anew.")
    return playing


def _train_tick(pg: model.Playground) -> None:
    """Train whole epochs for about :data:`BUDGET` seconds (at least one)."""
    start = time.perf_counter()
    while True:
        model.advance(pg, 1)
        if time.perf_counter() - start > BUDGET or pg.diverged.all():
            return


@st.fragment
def section(sidebar_net: Network) -> None:
    """The playground: chips, knobs, buttons and the display (see the module docstring)."""
    data = _chips()
    playing = _buttons()
    right, left = st.columns([3, 1], gap="medium")  # the display first: on a phone it comes before the knobs
    with left:
        pick_box = st.container()  # which restart to watch, above the knobs (drawn once the playground is known)
        cfg, sidebar = _knobs(data)
    pg = current(cfg, sidebar, sidebar_net)
    if sidebar and cfg is not None and model.fits(sidebar_net, cfg) is not None:
        left.info(f"The sidebar's network does not fit: {widgets.md_escape(model.fits(sidebar_net, cfg))}; the "
                  "playground trains its own.", icon=":material/info:")  # fmt: skip
    if pg is None:
        return
    share_link.sync_url()  # the address bar holds the playground's knobs (this fragment reran alone)
    with pick_box:
        view.watch_picker(pg)
    with right:
        view.output_toggles()
        if playing and pg.epoch < MAX_EPOCH and not pg.diverged.all():
            st.fragment(run_every=TICK)(_ticking)()
        else:
            st.fragment(_still)()


def _ticking() -> None:
    pg = st.session_state.get(Keys.PLAYGROUND)
    if pg is None:
        return
    start = time.perf_counter()
    if st.session_state.get(Keys.PG_PLAYING):
        _train_tick(pg)
    trained = time.perf_counter()
    view.display(pg)
    if TIMING:  # the benchmark reads the server's share of a frame from the log
        drawn = time.perf_counter() - trained
        print(f"nnviz-pg-frame train_ms={1e3 * (trained - start):.1f} draw_ms={1e3 * drawn:.1f} at={time.time():.3f}")
    if pg.epoch >= MAX_EPOCH or pg.diverged.all():
        st.session_state[Keys.PG_PLAYING] = False
        st.rerun(scope="app")  # the outer fragment stops the timer


def _still() -> None:
    pg = st.session_state.get(Keys.PLAYGROUND)
    if pg is not None:
        view.display(pg)
