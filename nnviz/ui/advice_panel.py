"""The Training page's verdict on a finished run: it fits, or why not and what helped when tried.

:func:`show` reads :func:`nnviz.app.advice.advise` (measured once per run and
kept under ``Keys.ADVICE``) and offers each change that helped with a button:
*Use these settings* fills the SGD settings form, *Build this network* builds
the wider network in the sidebar's place.
"""

from __future__ import annotations

import streamlit as st

from nnviz import edit
from nnviz.app.advice import HELPS, HIGH, Advice, Trial, advise, constant_loss, wider_functions
from nnviz.app.trainjob import TrainingJob, TrainSettings
from nnviz.ui import state
from nnviz.ui.state import Keys
from nnviz.ui.training_data import form, widget_key
from nnviz.ui.training_widgets import FORM_NAMES


def measured(job: TrainingJob) -> Advice | None:
    """:func:`~nnviz.app.advice.advise` for ``job``, computed once (the trials take a moment)."""
    kept = st.session_state.get(Keys.ADVICE)
    if kept is not None and kept[0] is job:
        return kept[1]
    with st.spinner("The best loss is high: trying what would help…"):
        advice = advise(job)
    st.session_state[Keys.ADVICE] = (job, advice)
    return advice


def use_settings(settings: TrainSettings) -> None:
    """on_click: put ``settings`` into the Training form (the user then presses Train)."""
    for field, name in FORM_NAMES.items():
        value = getattr(settings, field)
        form()[name] = value
        st.session_state[widget_key(name)] = value


def build_wider(sizes: tuple[int, ...], activation: str, output: str) -> None:
    """on_click: build fully connected layers ``sizes`` as the sidebar's network."""
    preset = edit.Preset("layered", sizes, activation, output, state.current_seed())
    state.set_preset(preset)
    state.set_edit_error(None)
    state.set_network(preset.build(), note=f"built: {preset.label()} (suggested by the Training page)")


def _offer(trial: Trial, job: TrainingJob, k: int) -> None:
    st.markdown(f"**{trial.change}**: best loss {trial.before:.4g} → **{trial.after:.4g}** (measured: {trial.how}).")
    if trial.settings is not None:
        st.button(
            "Use these settings", key=widget_key(f"advice_use_{k}"), on_click=use_settings, args=(trial.settings,)
        )
    elif trial.sizes is not None:
        st.button(
            f"Build fully connected {','.join(map(str, trial.sizes))}",
            key=widget_key(f"advice_build_{k}"),
            on_click=build_wider,
            args=(trial.sizes, *wider_functions(job.net)),
            help="Replaces the sidebar's network; train again afterwards.",
        )


def show(job: TrainingJob | None) -> None:
    """Under a finished run: a line saying it fits, or the reason and the measured suggestions."""
    if job is None or not job.finished or job.stopped or job.epochs_done == 0:
        return
    advice = measured(job)
    if advice is None:
        best, base = job.result().final_loss[job.result().best], constant_loss(job.data.Y)
        st.success(
            f"The best restart fits the data: its loss {best:.4g} is under {HIGH:.0%} of {base:.4g}, "
            "the loss of always guessing the targets' mean.",
            icon=":material/check_circle:",
        )
        return
    with st.container(border=True):
        st.warning(
            f"**The best final loss, {advice.best:.4g}, is still high**: more than {HIGH:.0%} of "
            f"{advice.constant:.4g}, the loss of always guessing the targets' mean. {advice.reason}",
            icon=":material/warning:",
        )
        helpful = advice.helpful
        if helpful:
            st.markdown("What helped when tried (each run with the engine, best first):")
            for k, trial in enumerate(helpful):
                _offer(trial, job, k)
        else:
            st.markdown(
                f"None of the changes tried cut the best loss below {HELPS:.0%} of what it is: "
                + "; ".join(f"{t.change} reached {t.after:.4g}" for t in advice.trials)
                + ". The data may be noisy, or the network may need another shape."
            )
