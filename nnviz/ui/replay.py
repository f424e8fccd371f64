"""The Training page after a run: replay one restart epoch by epoch, and two restarts side by side.

- :func:`replays`: the two below as tabs in an expander, closed until opened (the setting
  ``train_replay_open``); only the chosen tab is built and sent (each replay is a figure
  of a few hundred KB with a slider step per epoch);
- :func:`replay_section`: the chosen restart (the best by default): its network as the live graph
  (the same drawing as the other pages, :mod:`nnviz.app.live_replay`) beside one plotly figure of
  the fit and the loss with a marker (:mod:`nnviz.figures.replay`); the figure's slider and Play
  button scrub both in the browser;
- :func:`side_by_side`: any two restarts (by default the best and the median
  of the others) on one scrubber, a sentence on how they differ, their final
  weights, a Load button for each, and their weight history as CSV and JSON.

Replays re-train the chosen restarts (:func:`nnviz.app.replay.replay`); each
replay and its figure are kept in the session for the job they belong to, so
moving a widget elsewhere on the page does not train again.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from nnviz.app.live_replay import replay_graph
from nnviz.app.replay import Replay, default_pair, difference, edge_names, history_csv, history_json
from nnviz.app.replay import replay as replay_restarts
from nnviz.app.trainjob import TrainingJob
from nnviz.figures.graph import too_big_to_draw
from nnviz.figures.replay import replay_figure
from nnviz.network import Network, NetworkError
from nnviz.ui import live_graph, memo, presentation, state
from nnviz.ui.number_box import number_box
from nnviz.ui.presentation import presentation_mode
from nnviz.ui.state import Keys
from nnviz.ui.training_data import form, section, widget_key

KEPT = 4  # replays (and their figures) kept per session
TABS = ("One restart", "Two restarts side by side")
TAB_KEY = "replay_tab"
OPEN_NAME = "replay_open"  # the Training-page setting train_replay_open: the replay's expander is open
PRESENT_ROW_PX = 240  # a restart's row in presentation mode: two rows and the slider fit 1280x720


def _cache() -> dict:
    if Keys.REPLAYS not in st.session_state:
        st.session_state[Keys.REPLAYS] = {}
    return st.session_state[Keys.REPLAYS]


def cached(job: TrainingJob, restarts: tuple[int, ...], palette: str, tag: str) -> tuple[Replay, go.Figure, list]:
    """The replay of ``restarts`` of ``job``, its fit-and-loss figure and each restart's live graph data
    (None when the network is too big to draw), re-trained and built once per session."""
    present = presentation_mode()  # a shorter figure and larger type
    pictures = live_graph.pictures_on(job.net)  # the graphs' toggle, shared with every page that draws the network
    key = (id(job), job.epochs_done, restarts, palette, present, pictures, tag)
    store = _cache()
    if key not in store or store[key][0] is not job:  # the entry holds its job, so its id is not reused
        with st.spinner(
            f"Re-training restart{'s' if len(restarts) > 1 else ''} "
            f"{' and '.join(map(str, restarts))} to record every epoch..."
        ):
            rep = replay_restarts(job, restarts)
            shown = rep.shown()
            best = job.result().best
            names = [f"restart {r}" + (" (best)" if r == best else "") for r in restarts]
            one = len(restarts) == 1 and not too_big_to_draw(job.net)  # beside its graph: fit above loss
            height = (PRESENT_ROW_PX if present else 380) if not one else (200 if present else 240)
            fig = replay_figure(job.net, job.data, rep.weights[:, shown], rep.epochs[shown], rep.losses, names,
                                row_height=height, stacked=one)  # fmt: skip
            fig = memo.FrozenFigure(fig)  # serialised once: the frames are most of a rerun's bytes
            graphs = [
                None if too_big_to_draw(job.net) else replay_graph(
                    job.net, rep.weights[i, shown], rep.epochs[shown], job.data.X, follow=f"replay_{tag}",
                    palette=palette, pictures=pictures, present=present,
                )
                for i in range(len(restarts))
            ]  # fmt: skip
        for old in list(store)[: max(0, len(store) - KEPT + 1)]:
            del store[old]
        store[key] = (job, rep, fig, graphs)
    return store[key][1:]


def _sampling_note(job: TrainingJob, rep: Replay) -> str:
    done = job.epochs_done
    shown = rep.shown().size
    note = (
        "Drag the slider under the fit or press Play: every frame is already in the browser, and the network follows."
    )
    if live_graph.pictures_on(job.net) and not too_big_to_draw(job.net):
        note += " In each hidden and output neuron: what it computes (z_k over the input) at that epoch."
    if shown < done + 1:
        note += (
            f" This run has {done:,} epochs: the replay shows {shown} of them, evenly spaced "
            f"(about every {done / (shown - 1):.3g} epochs)."
        )
    if too_big_to_draw(job.net):
        note += f" The network has {len(job.net.edges):,} weights, too many to draw one by one: not drawn."
    return note


def _restart_input(label: str, name: str, default: int, r: int) -> int:
    key = widget_key(f"{name}_{form().get('run', 0)}")  # a new run starts from the defaults
    if key not in st.session_state:
        st.session_state[key] = default
    return int(number_box(label, key, low=0, high=r - 1, integer=True))


def _downloads(rep: Replay, where: st.delta_generator.DeltaGenerator, tag: str) -> None:
    stem = "weight_history_restart" + ("s_" if len(rep.restarts) > 1 else "_") + "_".join(map(str, rep.restarts))
    kept = "every epoch" if rep.every_epoch else f"{rep.epochs.size} evenly spaced epochs"
    files = (
        ("CSV", "csv", "text/csv", lambda: history_csv(rep), "restart, epoch, then one column per weight w_i,j"),
        ("JSON", "json", "application/json", lambda: history_json(rep), "the edges, epochs and each restart's weights"),
    )
    for col, (name, ext, mime, data, what) in zip(where.columns(2), files, strict=True):
        col.download_button(
            f"Weight history ({name})", data, file_name=f"{stem}.{ext}", mime=mime, on_click="ignore",
            key=widget_key(f"dl_wh_{ext}_{tag}"), icon=":material/download:", help=f"{what}; {kept}",
        )  # fmt: skip


@st.fragment
def replays(job: TrainingJob | None, net: Network) -> None:
    """The replays of the finished (or stopped) ``job``: one restart, or two side by side, in tabs.

    A fragment: opening it, a tab or another restart reruns this section alone, not the whole page
    (issue 25.10: it opens within 0.5 s); a Load button reruns the page, since the network changed.
    """
    if job is None or not job.finished or job.epochs_done == 0 or job.diverged.all():
        return
    box = section(OPEN_NAME, "Replay: watch a restart learn, epoch by epoch")
    if not box.open:  # built only when opened: a replay re-trains its restarts and sends every frame
        return
    with box:
        if not too_big_to_draw(job.net):
            live_graph.options(job.net, "replay", every_edge=False)
        labels = TABS if job.settings.restarts >= 2 else TABS[:1]
        tabs = st.tabs(list(labels), key=TAB_KEY, on_change="rerun")  # only the chosen tab runs
        if tabs[0].open:
            with tabs[0]:
                replay_section(job)
        if len(tabs) > 1 and tabs[1].open:
            with tabs[1]:
                side_by_side(job, net)
    if st.session_state.pop(Keys.SECTION_RERUN, False):
        st.rerun(scope="app")  # the network changed: every page part that shows it follows


def replay_section(job: TrainingJob | None) -> None:
    """Replay one restart of the finished (or stopped) ``job`` epoch by epoch."""
    if job is None or not job.finished or job.epochs_done == 0 or job.diverged.all():
        return
    res = job.result()
    r = job.settings.restarts
    pick, _ = st.columns([1, 2])
    with pick:
        chosen = _restart_input(f"Restart to replay (the best is {res.best})", "replay_one", res.best, r)
    rep, fig, graphs = cached(job, (chosen,), presentation.current_palette(), "one")
    st.caption(_sampling_note(job, rep))
    if graphs[0] is None:
        st.plotly_chart(fig, key="replay_one", theme=None)
    else:
        left, right = st.columns([3, 2], gap="medium")
        with left:
            live_graph.draw_replay("replay_graph_one", graphs[0])
        with right:
            st.plotly_chart(fig, key="replay_one", theme=None)
    _downloads(rep, st, "one")


def _final_weights_table(rep: Replay) -> dict[str, object]:
    last = [np.flatnonzero(np.isfinite(rep.weights[i]).all(axis=1))[-1] for i in range(len(rep.restarts))]
    table: dict[str, object] = {"weight": edge_names(rep.net)}
    for i, r in enumerate(rep.restarts):
        table[f"restart {r}"] = rep.weights[i, last[i]]
    return table


def _load(net: Network, note: str) -> None:
    """A Load button's callback: the network takes the restart's weights; the whole page reruns after."""
    state.set_network(net, note=note)
    st.session_state[Keys.SECTION_RERUN] = True


def _load_buttons(job: TrainingJob, rep: Replay, net: Network) -> None:
    res, fits = job.result(), job.net.neurons == net.neurons and job.net.edges == net.edges
    for col, r in zip(st.columns(len(rep.restarts)), rep.restarts, strict=True):
        try:
            trained = res.network(r)
        except NetworkError:
            trained = None
        note = f"trained: restart {r} of {job.settings.restarts:,} (final loss {res.final_loss[r]:.4g})"
        col.button(
            f"Load restart {r}",
            disabled=not fits or trained is None or bool(res.diverged[r]),
            on_click=_load,
            args=(trained, note),
            key=widget_key(f"replay_load_{r}"),
            icon=":material/download_done:",
            help="Replace the network's weights with this restart's final weights, on every page",
        )


def side_by_side(job: TrainingJob | None, net: Network) -> None:
    """Two restarts of ``job`` replayed in step on one scrubber, their difference, Load buttons and downloads."""
    if job is None or not job.finished or job.epochs_done == 0 or job.diverged.all():
        return
    res, r = job.result(), job.settings.restarts
    if r < 2:
        return
    a0, b0 = default_pair(res.final_loss, res.diverged, res.best)
    c1, c2, _ = st.columns([1, 1, 1])
    with c1:
        a = _restart_input("First restart (default: the best)", "pair_a", a0, r)
    with c2:
        b = _restart_input("Second restart (default: the median of the others)", "pair_b", b0, r)
    if a == b:
        st.warning("Choose two different restarts.")
        return
    rep, fig, graphs = cached(job, (a, b), presentation.current_palette(), "pair")
    st.info(difference(rep), icon=":material/compare_arrows:")
    st.caption(_sampling_note(job, rep))
    st.plotly_chart(fig, key="replay_pair", theme=None)
    if graphs[0] is not None:
        for col, v, data in zip(st.columns(2, gap="large"), (a, b), graphs, strict=True):
            with col:
                st.markdown(f"**Restart {v}**")
                live_graph.draw_replay(f"replay_graph_pair_{v}", data)
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.caption(f"Final weights of restarts {a} and {b}")
        st.dataframe(
            _final_weights_table(rep),
            hide_index=True,
            height=min(400, 38 + 35 * len(job.net.edges)),
            key=widget_key("pair_weights"),
            column_config={f"restart {v}": st.column_config.NumberColumn(format="%.4f") for v in (a, b)},
        )
    with right:
        _load_buttons(job, rep, net)
        for v in (a, b):
            if not res.diverged[v] and net.edges == job.net.edges and np.array_equal(net.weights, res.weights[v]):
                st.success(f"Restart {v} is loaded: the network has its final weights on every page.")
        _downloads(rep, st, "pair")
