"""The Training page's settings, run and results panels.

:func:`settings_form` collects the SGD settings and starts a
:class:`~nnviz.app.trainjob.TrainingJob`; :func:`run` trains it chunk by chunk
under a progress bar with a Stop button (a click interrupts the script between
chunks and the job keeps what it has done); :func:`results` shows the loss
curves, the histogram of final losses, the table of restarts, the chosen
restart against the data, and the downloads. The job lives under
``Keys.TRAINING``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import streamlit as st

from nnviz.app import settings
from nnviz.app.advice import defaults_for
from nnviz.app.trainjob import MAX_HISTORY, TrainingJob, TrainSettings, history_csv
from nnviz.data import Dataset
from nnviz.figures.fit import fit_figure
from nnviz.figures.training import final_loss_histogram, loss_curves
from nnviz.files import to_json
from nnviz.network import Network, NetworkError
from nnviz.training import TrainResult
from nnviz.ui import live, memo, state, widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.presentation import room_figure
from nnviz.ui.state import Keys
from nnviz.ui.training_data import form, setting, widget_key

#: TrainSettings field -> the remembered Training-form value that holds it
FORM_NAMES = {"step_size": "step", "epochs": "epochs", "restarts": "restarts", "init_scale": "scale"}
MAX_PAGE_RESTARTS = settings.MAX_PAGE_RESTARTS
MAX_PAGE_EPOCHS = settings.MAX_PAGE_EPOCHS
TABLE_ROWS = 1000
CHOSEN_SHADE = "rgba(44, 162, 95, 0.3)"  # the chosen restart's row: CHOSEN green, light


def current_job() -> TrainingJob | None:
    """The last training run of this session, or None."""
    return st.session_state.get(Keys.TRAINING)


def chosen_key() -> str:
    """Widget key of the restart chosen on the page (a click on a landscape path sets it too)."""
    return widget_key(f"chosen_{form().get('run', 0)}")


def same_structure(a: Network, b: Network) -> bool:
    """True when ``a`` and ``b`` have the same neurons and edges (weights may differ)."""
    return a.neurons == b.neurons and a.edges == b.edges


def follow_kind(kind: str) -> None:
    """Start the settings from the defaults of data ``kind`` (:data:`nnviz.app.advice.DEFAULTS`).

    When the kind changes, each setting still at the old kind's default moves to
    the new kind's; a value the user typed (or a scene set) stays.
    """
    store = form()
    old = store.get("settings_kind")
    if old == kind:
        return
    before, after = (defaults_for(old) if old else None), defaults_for(kind)
    for field, name in FORM_NAMES.items():
        current = st.session_state.get(widget_key(name), store.get(name))
        if current is None or (before is not None and current == getattr(before, field)):
            store[name] = st.session_state[widget_key(name)] = getattr(after, field)
    store["settings_kind"] = kind


def _ask_to_train() -> None:
    """on_click of Train. A callback runs as its run starts, before any of the page: when a number box's value,
    committed as the box lost the focus to this click, reaches the server just after the click, it interrupts the
    click's run and reruns without the click; the flag the callback left still trains (issue 25.9)."""
    st.session_state[Keys.TRAIN_ASKED] = True


def settings_form(net: Network, ds: Dataset, start: bool = False) -> None:
    """The SGD settings and the Train button; a click (or ``start``, a tour's cue) starts a new job."""
    follow_kind(ds.kind)
    d = defaults_for(ds.kind)
    with st.form("train_settings_form", border=True):
        c1, c2, c3 = st.columns(3)
        notes = st.container()  # a refused typed value is explained here, below the row of boxes
        with c1:
            step = setting(
                st.number_input, "step", "Step size", default=d.step_size, step=0.01, format="%.4f", where=notes
            )
            epochs = setting(
                st.number_input, "epochs", "Epochs (passes over S)", default=d.epochs, step=10, where=notes
            )
        with c2:
            restarts = setting(
                st.number_input,
                "restarts",
                "Restarts (random initial weights)",
                default=d.restarts,
                step=10,
                where=notes,
            )
            seed = setting(st.number_input, "seed", "Seed", step=1, where=notes)
        with c3:
            scale = setting(
                st.number_input,
                "scale",
                "Initial weight scale (standard deviation)",
                default=d.init_scale,
                step=0.1,
                where=notes,
            )
            order = setting(
                st.radio,
                "order",
                "Order of the points in each epoch",
                format_func={"listed": "as listed", "shuffled": "shuffled each epoch"}.get,
            )
        go = st.form_submit_button("Train", type="primary", icon=":material/model_training:", on_click=_ask_to_train)
    settings = TrainSettings(float(step), int(epochs), int(restarts), int(seed), float(scale), order == "shuffled")
    st.caption(
        f"{settings.restarts:,} restarts x {ds.size:,} points x {settings.epochs:,} epochs = "
        f"{settings.steps(ds.size):,} SGD steps (each: one forward and one backward pass)."
    )
    asked = bool(st.session_state.pop(Keys.TRAIN_ASKED, False))
    if go or start or asked:
        try:
            job = TrainingJob(net, ds, settings)
        except NetworkError as exc:
            widgets.error(exc, prefix="**Cannot train:** ")
            return
        st.session_state[Keys.TRAINING] = job
        form()["run"] = form().get("run", 0) + 1  # a new run: its widgets start afresh


def run(job: TrainingJob | None) -> None:
    """Train ``job`` to the end under a progress bar, with a Stop button and live curves (nothing when finished)."""
    if job is None or job.finished:
        return
    slot = st.empty()
    with slot.container(border=True):
        bar = st.progress(job.fraction, text=f"Training: epoch {job.epochs_done:,} of {job.settings.epochs:,}")
        st.button("Stop training", on_click=job.stop, icon=":material/stop_circle:", key=widget_key("stop"))
        update = live.live_view(job)
    tick = widgets.progress_ticker(bar, lambda done, total: f"Training: epoch {done:,} of {total:,}")

    while not job.finished:
        job.advance(tick)
        update(force=_gate_holds(job))  # a held run shows the epochs it has done
        _hold_while_gated(bar, job)
    slot.empty()


#: An environment variable naming a file: while that file exists, a run pauses after each chunk of
#: epochs (its progress bar says so) and a click on Stop still stops it. Tests use it to hold a real
#: run at a known epoch, so that Stop is tested on a running job whatever the machine's speed. When
#: the file holds a number, the run goes on until it has done that many epochs, then pauses again.
HOLD_ENV = "NNVIZ_HOLD_TRAINING_WHILE"


def _gate_holds(job: TrainingJob) -> bool:
    """True while the :data:`HOLD_ENV` file exists and ``job`` has done the epochs it names (empty: any)."""
    gate = os.environ.get(HOLD_ENV)
    if not gate or job.finished:
        return False
    try:
        text = Path(gate).read_text().strip()
    except OSError:  # no file: no hold
        return False
    return not text.isdigit() or job.epochs_done >= int(text)


def _hold_while_gated(bar: object, job: TrainingJob) -> None:
    """Pause while :func:`_gate_holds`; each redraw of ``bar`` lets a Stop click interrupt."""
    while _gate_holds(job):
        bar.progress(job.fraction, text=f"Training: epoch {job.epochs_done:,} of {job.settings.epochs:,} (held)")  # type: ignore[attr-defined]
        time.sleep(0.05)


def _load(net: Network, note: str) -> None:
    """on_click: put ``net`` into the app (every page shows it)."""
    state.set_network(net, note=note)


def _table(job: TrainingJob, order: np.ndarray) -> dict[str, object]:
    res = job.result()
    rows = order[:TABLE_ROWS]
    table: dict[str, object] = {
        "restart": rows,
        "initial loss": res.loss_history[rows, 0],
        "final loss": res.final_loss[rows],
        "diverged": res.diverged[rows],
    }
    test = job.test_losses()
    if test is not None:
        table["final test loss"] = test[rows, -1]
    return table


def best_fit(job: TrainingJob | None, net: Network) -> None:
    """The best restart of a finished run against its data (drawn beside the Train button)."""
    if job is None or not job.finished or not same_structure(job.net, net):
        st.caption("After **Train**, the best restart's fit to the data appears here.")
        return
    best = job.result().best_network
    if best is None:
        return
    fig = memo.chart(job, "best_fit", (), lambda: fit_figure(best, job.data))
    st.plotly_chart(room_figure(fig), key="train_best_fit", theme=None)
    widgets.text_alternative(fig, "Chart of the best restart's fit to the data")


def highlight_row(table: dict[str, object], chosen: int) -> object:
    """The table as a styled frame with the chosen restart's row shaded green."""
    import pandas as pd  # the UI layer may use pandas; the engine never does

    frame = pd.DataFrame(table)
    shade = f"background-color: {CHOSEN_SHADE}"
    styled = frame.style.apply(lambda row: [shade if row["restart"] == chosen else ""] * len(row), axis=1)
    return styled.format({c: "{:.4g}" for c in frame.columns if frame[c].dtype.kind == "f"}, na_rep="NaN")


def results(job: TrainingJob | None, net: Network, ds: Dataset | None) -> None:
    """Curves, histogram, table, the chosen restart against the data, and downloads."""
    if job is None or (job.epochs_done == 0 and not job.diverged.all()):
        st.info("Press **Train** to run stochastic gradient descent from many random initial weights.")
        return
    res = job.result()
    fits = same_structure(job.net, net)
    if not _notes(job, res, fits, ds):
        return
    _metrics(job, res)
    chosen = _curves_and_table(job, res)
    st.subheader(f"Restart {chosen} against the data", anchor=False)
    if res.diverged[chosen]:
        st.error(f"Restart {chosen} diverged; choose another one.")
        return
    try:
        chosen_net = res.network(chosen)
    except NetworkError as exc:
        widgets.error(exc, prefix=f"**Restart {chosen} cannot be used:** ")
        return
    _restart_actions(job, res, chosen, chosen_net, fits)
    if net == chosen_net:
        st.success(f"The network now has restart {chosen}'s weights; the other pages show them.")
    if job.data.n_in == len(chosen_net.inputs):
        before = job.net.with_weights(res.initial_weights[chosen])
        fig = memo.chart(job, "fit", chosen, lambda: fit_figure(chosen_net, job.data, before=before))
        st.plotly_chart(room_figure(fig), key="train_fit", theme=None)


def _notes(job: TrainingJob, res: TrainResult, fits: bool, ds: Dataset | None) -> bool:
    """Warnings about what the results belong to; False when every restart diverged (nothing else to show)."""
    notes = st.container()  # one block whatever it holds: the charts below keep their place (updated, not redrawn)
    if not fits:
        notes.warning(
            "These results belong to a different network (its neurons or edges have changed since). "
            "Train again to train the current one."
        )
    elif ds is not None and not job.data.same_as(ds):
        notes.info("These results were trained on other data than the data chosen above. Train again to use it.")
    if job.stopped:
        notes.warning(f"Stopped after {job.epochs_done:,} of {job.settings.epochs:,} epochs.")
    if res.diverged.all():
        st.error(
            f"All {job.settings.restarts:,} restarts diverged (their loss became infinite or NaN). Try a smaller "
            "step size or a smaller initial weight scale."
        )
        return False
    return True


def _metrics(job: TrainingJob, res: TrainResult) -> None:
    r = job.settings.restarts
    ok = ~res.diverged
    m = st.columns(5)
    m[0].metric("Best final loss", f"{res.final_loss[res.best]:.4g}", help="mean loss over S of the best restart")
    m[1].metric("Median final loss", f"{np.nanmedian(res.final_loss[ok]):.4g}")
    m[2].metric("Diverged", f"{int(res.diverged.sum()):,} of {r:,}")
    m[3].metric("Engine time", f"{job.seconds:.2f} s", help="seconds spent in nnviz.training.train")
    m[4].metric("SGD steps", f"{job.steps:,}", help=f"{job.steps / max(job.seconds, 1e-9):,.0f} steps per second")


def _curves_and_table(job: TrainingJob, res: TrainResult) -> int:
    """The restart picker, the loss curves, the histogram and the sorted table; returns the chosen restart."""
    r = job.settings.restarts
    key = chosen_key()
    if key not in st.session_state:
        st.session_state[key] = res.best
    pick, scale = st.columns([1, 2], vertical_alignment="bottom")
    with pick:
        label = f"Restart to look at (0 to {r - 1}; the best is {res.best})"
        chosen = number_box(label, key, low=0, high=r - 1, integer=True, default=res.best)
    with scale:
        log_y = setting(st.toggle, "log_y", "Log scale")
    curves = memo.chart(
        job,
        "curves",
        (chosen, log_y),
        lambda: loss_curves(res.loss_history, res.best, chosen=chosen, log_y=log_y, test_history=job.test_losses()),
    )
    st.plotly_chart(room_figure(curves), key="train_curves", theme=None)
    widgets.text_alternative(curves, "Chart of the loss per epoch")
    left, right = st.columns([1, 1], gap="large")
    with left:
        hist = memo.chart(
            job, "hist", chosen, lambda: final_loss_histogram(res.final_loss, res.diverged, res.best, chosen=chosen)
        )
        st.plotly_chart(room_figure(hist), key="train_hist", theme=None)
        widgets.text_alternative(hist, "Histogram of the final losses")
    with right:
        order = np.argsort(np.where(res.diverged, np.inf, res.final_loss), kind="stable")
        st.caption(
            f"Restarts sorted by final loss (click a column to sort){'; the best 1,000' if r > TABLE_ROWS else ''}"
        )
        st.dataframe(
            highlight_row(_table(job, order), chosen),
            hide_index=True,
            height=300,
            key="train_table",
            column_config={
                "initial loss": st.column_config.NumberColumn(format="%.4g"),
                "final loss": st.column_config.NumberColumn(format="%.4g"),
                "final test loss": st.column_config.NumberColumn(format="%.4g"),
            },
        )
    return chosen


def _restart_actions(job: TrainingJob, res: TrainResult, chosen: int, chosen_net: Network, fits: bool) -> None:
    """The chosen restart's loss, and buttons to load it and to download it and the loss history."""
    r = job.settings.restarts
    a1, a2, a3, a4 = st.columns([1, 2, 1, 1], vertical_alignment="bottom")
    a1.metric(f"Final loss of restart {chosen}", f"{res.final_loss[chosen]:.4g}")
    note = f"trained: restart {chosen} of {r:,} (final loss {res.final_loss[chosen]:.4g})"
    a2.button(
        f"Load restart {chosen} into the network",
        type="primary",
        disabled=not fits,
        on_click=_load,
        args=(chosen_net, note),
        key=widget_key("load"),
        icon=":material/download_done:",
        help="Replace the network's weights with this restart's, on every page",
    )
    a3.download_button(
        "Network (JSON)",
        to_json(chosen_net),
        file_name=f"restart_{chosen}.json",
        mime="application/json",
        on_click="ignore",
        key=widget_key("dl_net"),
        icon=":material/download:",
        help=f"restart {chosen}'s network, to load on the Network page",
    )
    rows = r * (job.epochs_done + 1)
    a4.download_button(
        "Loss history (CSV)",
        lambda: history_csv(job),
        file_name="training_history.csv",
        mime="text/csv",
        on_click="ignore",
        key=widget_key("dl_hist"),
        disabled=rows > MAX_HISTORY,
        icon=":material/download:",
        help=f"one row per restart and epoch: {rows:,} rows",
    )
