"""The Training page while it trains: the loss curves and the best restart's fit, growing chunk by chunk.

:func:`live_view` puts two placeholders on the page (inside the run's progress
box) and returns ``update()``; the page calls it after every chunk of epochs
the :class:`~nnviz.app.trainjob.TrainingJob` finishes. It redraws at most every
:data:`LIVE_SECONDS` (and whenever ``force`` is set), so a run of many small
chunks does not spend its time drawing, and never once the run has finished:
a run of one chunk (a tour step's seeded run) goes straight to its results. Stop interrupts the run between
chunks; the job keeps every epoch done, and the results below show them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import streamlit as st

from nnviz.app.trainjob import TrainingJob
from nnviz.figures.fit import fit_figure
from nnviz.figures.training import loss_curves
from nnviz.ui.presentation import room_figure

LIVE_SECONDS = 0.5  # at most one redraw per this many seconds
LIVE_POINTS = 40_000  # faint-line points of the live loss curves (the results draw more)


def best_so_far(job: TrainingJob) -> int | None:
    """The restart with the lowest loss after the last epoch done, among those not diverged (None if none)."""
    last = job.history[:, job.epochs_done]  # (R,)
    ok = ~job.diverged & np.isfinite(last)
    return int(np.argmin(np.where(ok, last, np.inf))) if ok.any() else None


def live_title(job: TrainingJob) -> str:
    """The live chart's title, naming the epochs done (the browser tests read it)."""
    return f"Live: loss after epoch {job.epochs_done:,} of {job.settings.epochs:,}"


def live_view(job: TrainingJob) -> Callable[..., None]:
    """Placeholders for the live loss curves and best fit; returns ``update(force=False)`` that redraws them."""
    left, right = st.columns([3, 2], gap="medium")
    curves, fit = left.empty(), right.empty()
    last = {"time": -np.inf, "epochs": -1}

    def update(force: bool = False) -> None:
        now = time.monotonic()
        if job.finished:  # the results replace the live view at once: drawing it would only cost the browser time
            return
        if job.epochs_done == last["epochs"] or (not force and now - last["time"] < LIVE_SECONDS):
            return
        last["time"], last["epochs"] = now, job.epochs_done
        best = best_so_far(job)
        if best is None:
            curves.warning("Every restart has diverged so far.")
            return
        hist = job.history[:, : job.epochs_done + 1]  # (R, epochs done + 1)
        fig = loss_curves(hist, best, log_y=True, title=live_title(job), max_points=LIVE_POINTS)
        fig.update_xaxes(range=[0, job.settings.epochs])  # the axis of the whole run: the curves grow into it
        curves.plotly_chart(room_figure(fig), theme=None)
        if job.data.n_in == len(job.net.inputs):
            picture = fit_figure(job.net.with_weights(job.weights[best]), job.data)
            picture.update_layout(title=f"Best restart so far ({best}) against the data", height=420)
            fit.plotly_chart(room_figure(picture), theme=None)

    return update
