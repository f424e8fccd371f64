"""Running a tour: arrive at a step, Next / Previous / End, the tour's bar, speaker notes and the link.

A running tour lives under ``Keys.TOUR`` as ``(tour, index, link name)``.
Arriving at a step (:func:`arrive`) opens its scene exactly as the Scenes
panel does (:func:`nnviz.ui.scenes_panel.apply`), keeps presentation mode as
the presenter has it (on when the tour starts), then applies the cues:
select a neuron or edge, start the training run (unless the session's finished
run is that very run: the next step on it, or Previous, shows it without training
again), bring a heading to the top of the screen. :func:`go_next` first walks
the animation to the step's ``frame`` cue, one frame per press, then moves on:
so one clicker button steps a forward pass and then goes to the next topic.

The bar (:func:`bar`) has Previous, "Step 3 of 13 · title", Next, Notes and
End; the keyboard listener of :mod:`nnviz.ui.presenter` presses them for
PageUp / PageDown / Space, N and Esc. ``?tour=paper&step=3`` opens a shipped
tour at a step (:func:`read_url`), and the address bar follows a running
shipped tour, so a reload comes back to the same step.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from nnviz.app import animation, tours
from nnviz.app import settings as settings_table
from nnviz.app.tours import Step, Tour
from nnviz.app.trainjob import TrainingJob, TrainSettings
from nnviz.ui import presentation, presenter, scenes_panel, state, widgets
from nnviz.ui.state import Keys, StepperKeys

URL_TOUR, URL_STEP = "tour", "step"
#: The clicker's keys, said in the notes (the bar's buttons have no tooltips: one would cover the graph).
KEYS_HINT = "PageDown or Space: next · PageUp: previous · N: notes · Esc: end the tour"
#: Page id -> the prefix of its widget keys for a selected neuron / edge (nnviz.ui.passes.PageKeys).
SELECT_PREFIX = {"forward": "fwd", "backprop": "bwd"}
#: The Training page's form names a training cue fills (nnviz.ui.training_data.remembered).
TRAIN_PREFIX = state.TRAINING_PREFIX
#: The Training page's values (name without the prefix -> its declared setting), and those a cue sets.
TRAINING_SETTINGS = {
    key.removeprefix(TRAIN_PREFIX): s for key, s in settings_table.SETTINGS.items() if s.page == "training"
}
CUE_SETTINGS = ("step", "epochs", "restarts", "seed", "scale", "order")
#: Training-page values that only show or hide a part of the page: a run is the same run whatever they are.
VIEW_SETTINGS = ("replay_open", "landscape_open")


def running() -> tuple[Tour, int, str | None] | None:
    """The running tour, the index of its current step and its link name (None for a tour of one's own)."""
    value = st.session_state.get(Keys.TOUR)
    return value if value else None


def current_step() -> Step | None:
    """The step on screen, or None when no tour runs."""
    run = running()
    return None if run is None else run[0].steps[run[1]]


# ----- arriving ----------------------------------------------------------------
def _finished_run() -> tuple[TrainingJob, dict[str, Any]] | None:
    """The Training page's finished (not stopped) run and the form it ran from, before a scene clears them."""
    ss = st.session_state
    job = ss.get(Keys.TRAINING)
    if job is None or not job.finished or job.stopped:
        return None
    return job, dict(ss.get(Keys.TRAINING_FORM) or {})


def _same_run(before: tuple[TrainingJob, dict[str, Any]], step: Step, form: dict[str, Any]) -> bool:
    """True when ``before`` is the run ``step``'s training cue asks for: the same network, the same
    settings, and the same Training-page values (so the same data) as the ``form`` the step has set up.

    Arriving at the next step on the same run, or coming back with Previous, then shows the finished
    run instead of training it again (the result would be the same: the cue has a seed).
    """
    job, old = before
    if job.net != step.scene.network:
        return False
    for name, setting in TRAINING_SETTINGS.items():
        if name not in VIEW_SETTINGS and old.get(name, setting.default) != form.get(name, setting.default):
            return False
    cue = {name: form.get(name, TRAINING_SETTINGS[name].default) for name in CUE_SETTINGS}
    wanted = TrainSettings(float(cue["step"]), int(cue["epochs"]), int(cue["restarts"]), int(cue["seed"]),
                           float(cue["scale"]), cue["order"] == "shuffled")  # fmt: skip
    return job.settings == wanted


def _keep_run(before: tuple[TrainingJob, dict[str, Any]], step: Step) -> None:
    """A step without a training cue keeps the finished run of the steps before it while it shows the same network
    and the same data (issue 25.5: the brute-force step compares with the run of steps 7 and 8): the run, its
    settings in the form and the form's widgets come back as they were."""
    ss = st.session_state
    job, old = before
    if job.net != step.scene.network:
        return
    form = ss.setdefault(Keys.TRAINING_FORM, {})
    for name, setting in TRAINING_SETTINGS.items():
        data = name not in VIEW_SETTINGS and name not in CUE_SETTINGS
        if data and old.get(name, setting.default) != form.get(name, setting.default):
            return  # other data: this run is not the one for it
    for name in CUE_SETTINGS:
        if name in old:
            form[name] = old[name]
            ss[TRAIN_PREFIX + name] = old[name]
    ss[Keys.TRAINING] = job
    form["run"] = old.get("run", 0)


def _inherited(tour: Tour, k: int) -> Step:
    """Step ``k``, given the training cue of the steps before it when it is a Training-page step without one that
    arrives with no run (opened by a link or a reload): the nearest earlier step's cue on the same network and
    data, so it shows the run those steps showed (seeded: the same run)."""
    step = tour.steps[k]
    if step.train is not None or step.scene.page != "training" or st.session_state.get(Keys.TRAINING) is not None:
        return step
    for earlier in reversed(tour.steps[:k]):
        if earlier.scene.page != "training":
            return step
        if earlier.train is not None:
            a, b = earlier.scene.dataset, step.scene.dataset
            same_data = (a is None and b is None) or (a is not None and b is not None and a.same_as(b))
            same = same_data and earlier.scene.network == step.scene.network
            return dataclasses.replace(step, train=earlier.train) if same else step
    return step


def _apply_cues(step: Step, before: tuple[TrainingJob, dict[str, Any]] | None = None) -> None:
    """Select, train and scroll as ``step`` asks; ``before`` is the finished run the scene cleared, if any."""
    ss = st.session_state
    page = step.scene.page
    if step.select is not None and page in SELECT_PREFIX:
        prefix = SELECT_PREFIX[page]
        src, arrow, dst = step.select.partition("->")
        if arrow:
            ss[f"{prefix}_edge"] = step.scene.network.edge_index[(src, dst)]
        else:
            ss[f"{prefix}_neuron"] = step.select
    ss.pop(Keys.SGD_CUE, None)
    if step.sgd is not None and page == "backprop":
        ss[Keys.SGD_CUE] = step.sgd  # taken by the page once its point is known (nnviz.ui.sgd_step.take_cued_step)
    if step.train is not None:
        form = ss.setdefault(Keys.TRAINING_FORM, {})
        for name, value in step.train.items():
            form[name] = value
            ss[TRAIN_PREFIX + name] = value
        if before is not None and _same_run(before, step, form):
            ss[Keys.TRAINING] = before[0]  # this run is done already: show it, do not train it again
            form["run"] = before[1].get("run", 0)  # and keep its widgets
        else:
            ss[Keys.TRAIN_CUE] = True
    nonce = int((ss.get(Keys.TOUR_SCROLL) or ("", 0))[1]) + 1
    ss[Keys.TOUR_SCROLL] = (step.show or "", nonce)


def arrive(tour: Tour, k: int, link: str | None) -> None:
    """Show step ``k`` of ``tour``: its scene, then its cues (call from a callback or before the page runs)."""
    k = max(0, min(int(k), len(tour.steps) - 1))
    step = tour.steps[k]
    presenting = presentation.presentation_mode()
    before = _finished_run() if step.scene.page == "training" else None
    scenes_panel.apply(step.scene)
    presentation.set_presentation(presenting)  # the presenter's choice, not the scene's
    st.session_state[Keys.SCENE_MESSAGE] = None  # the bar says where we are
    st.session_state[Keys.TOUR] = (tour, k, link)
    if before is not None and step.train is None:
        _keep_run(before, step)
    _apply_cues(_inherited(tour, k), before if step.train is not None else None)


def start(tour: Tour, k: int = 0, link: str | None = None) -> None:
    """Start ``tour`` at step ``k`` with presentation mode on and the sidebar folded away."""
    presentation.set_presentation(True)
    st.session_state[Keys.TOUR_FOLD] = int(st.session_state.get(Keys.TOUR_FOLD) or 0) + 1
    st.session_state[Keys.TOUR_NOTES] = False
    st.session_state[Keys.TOUR_MESSAGE] = None
    arrive(tour, k, link)


def _frames(step: Step) -> int:
    net = state.current_network()
    frames = animation.forward_frames(net) if step.scene.page == "forward" else animation.backward_frames(net)
    return len(frames)


def go_next() -> None:
    """Next: walk the animation to the step's frame cue, else move to the next step (the last step stays)."""
    run = running()
    if run is None:
        return
    tour, k, link = run
    step = tour.steps[k]
    prefix = scenes_panel.STEPPERS.get(step.scene.page)
    if step.frame is not None and prefix:
        keys = StepperKeys(prefix)
        now, goal = int(st.session_state.get(keys.step, 0)), min(step.frame, _frames(step) - 1)
        if now < goal:
            st.session_state[keys.step], st.session_state[keys.playing] = now + 1, False
            return
    if k + 1 < len(tour.steps):
        arrive(tour, k + 1, link)


def go_prev() -> None:
    """Previous: the step before (the first step stays)."""
    run = running()
    if run is not None and run[1] > 0:
        arrive(run[0], run[1] - 1, run[2])


def end() -> None:
    """End the tour; the view stays as it is."""
    st.session_state[Keys.TOUR] = None
    st.session_state[Keys.TOUR_NOTES] = False


def toggle_notes() -> None:
    """Show or hide the speaker notes."""
    st.session_state[Keys.TOUR_NOTES] = not st.session_state.get(Keys.TOUR_NOTES, False)


def train_cue() -> bool:
    """True after arriving at a step with a training cue, until :func:`clear_train_cue` (the run has started)."""
    return bool(st.session_state.get(Keys.TRAIN_CUE, False))


def clear_train_cue() -> None:
    """The Training page started the cued run."""
    st.session_state.pop(Keys.TRAIN_CUE, None)


def scroll_request() -> dict[str, object]:
    """What the keyboard component should do: ``{"show": heading text, "nonce": n, "key": the step's key element,
    "fold": m}`` (a new ``n`` scrolls, a new ``m`` folds the sidebar away: a tour started)."""
    show, nonce = st.session_state.get(Keys.TOUR_SCROLL) or ("", 0)
    step = current_step()
    key = step.key if step is not None else None
    return {"show": show, "nonce": nonce, "key": key or "", "fold": int(st.session_state.get(Keys.TOUR_FOLD) or 0)}


# ----- the link --------------------------------------------------------------------
def _step_number(raw: str, n: int) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= n:
        raise ValueError(f"step={raw[:20]!r} is not a step number from 1 to {n}")
    return int(raw)


def read_url() -> bool:
    """Open ``?tour=<name>&step=<k>`` when the link's values changed since the last run (before navigation).

    True when the link started the tour; a bad value is ignored with a message naming it.
    """
    ss = st.session_state
    raw = (st.query_params.get(URL_TOUR), st.query_params.get(URL_STEP))
    if raw == ss.get(Keys.TOUR_URL):
        return False
    ss[Keys.TOUR_URL] = raw
    name, step = raw
    if name is None:
        return False
    run = running()
    try:
        if name not in tours.BUILTIN:
            raise ValueError(f"tour={name[:30]!r} is not a tour of this app (use {', '.join(tours.BUILTIN)})")
        tour = tours.builtin(name)
        k = _step_number(step, len(tour.steps)) - 1 if step is not None else 0
    except ValueError as exc:
        ss[Keys.TOUR_MESSAGE] = (False, f"Ignored in the link: {exc}")
        return False
    if run is not None and run[0] is tour and run[1] == k:
        return False
    start(tour, k, name)
    return True


def sync_url() -> None:
    """Keep ``tour=<name>&step=<k>`` in the address bar while a shipped tour runs."""
    run = running()
    wanted = (run[2], str(run[1] + 1)) if run is not None and run[2] else (None, None)
    for key, value in zip((URL_TOUR, URL_STEP), wanted, strict=True):
        if value is None and key in st.query_params:
            del st.query_params[key]
        elif value is not None and st.query_params.get(key) != value:
            st.query_params[key] = value
    st.session_state[Keys.TOUR_URL] = wanted


# ----- the bar and the notes -----------------------------------------------------------
#: Fixed style of a running tour (no user text): a heading brought to the top stops below the header (where
#: the bar is), and the page's own title gives way to the bar's step title, so each step's demo fits a
#: 1280x720 projector.
TOUR_CSS = (
    presenter.BAR_CSS
    + """
[data-testid="stMain"] h1 { display: none; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] [role=tab]
  { scroll-margin-top: 4.2rem !important; }
@media (max-height: 800px) { [data-testid="stMain"] [data-testid="stGraphVizChart"] svg { max-height: 50vh; } }
.st-key-tour_warm { display: none !important; }
.st-key-tourkey_bwd_equation .katex-display { margin: 0.25em 0 !important; }
.st-key-tourkey_bwd_equation .katex { font-size: 1.3em !important; }
"""
)
#: Key of the hidden container :func:`warm_up` draws in, and what it holds: a chart of one point, a table of one cell.
WARM_KEY = "tour_warm"
WARM_FIGURE = {"data": [{"type": "scatter", "x": [0], "y": [0]}], "layout": {"width": 40, "height": 40}}


def warm_up() -> None:
    """Once per session, when a tour runs: a hidden plotly chart and a hidden table.

    Streamlit's browser code loads plotly.js and its data grid only when a page first shows a chart or a
    table, which costs about 1.5 s and 0.5 s on a 2-core machine: the step that needed them first took over
    the 2 s a step may take. Drawn (hidden) on the tour's first step, they load while the presenter speaks,
    and the steps after arrive sooner. Later runs leave them out: what the browser loaded stays loaded.
    """
    ss = st.session_state
    if ss.get(Keys.TOUR_WARMED):
        return
    ss[Keys.TOUR_WARMED] = True
    with st.container(key=WARM_KEY):
        st.plotly_chart(WARM_FIGURE, key="tour_warm_chart", theme=None)
        st.dataframe({WARM_KEY: [0]}, key="tour_warm_table", hide_index=True)


def bar() -> None:
    """The tour's bar at the top of the main area, and the speaker notes when shown."""
    run = running()
    if run is None:
        return
    tour, k, _ = run
    step = tour.steps[k]
    last = k + 1 >= len(tour.steps)
    st.html(f"<style>{TOUR_CSS}</style>")
    with st.container(key="tbar", horizontal=True, vertical_alignment="center", gap="small"):
        st.button("Previous", key=presenter.TOUR_PREV, on_click=go_prev, icon=":material/chevron_left:",
                  disabled=k == 0)  # fmt: skip
        st.markdown(f"**Step {k + 1} of {len(tour.steps)}** · {widgets.md_escape(step.title)}", width="content")
        st.button("Next", key=presenter.TOUR_NEXT, on_click=go_next, icon=":material/chevron_right:",
                  type="primary", disabled=last and step.frame is None)  # fmt: skip
        st.button("Notes", key=presenter.TOUR_NOTES, on_click=toggle_notes, icon=":material/speaker_notes:")
        st.button("End tour", key=presenter.TOUR_END, on_click=end, icon=":material/close:")
    if st.session_state.get(Keys.TOUR_NOTES):
        with st.container(border=True, key="tour_notes_panel"):
            st.markdown(f"**Notes** · {widgets.md_escape(step.notes or 'No notes for this step.')}")
            st.caption(KEYS_HINT)
    warm_up()
