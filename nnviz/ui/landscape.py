"""The Training page's section "The loss landscape": restarts' SGD paths on a slice of the loss surface.

:func:`section` draws, for the last training run and once its expander is opened (the
setting ``train_landscape_open``, which a scene or a tour step may hold), a slice of the mean loss
over S through a plane of weight space (a: two chosen weights, b: through three
restarts' final weights, c: two random filter-normalised directions) and over
it the SGD paths of up to 50 restarts. A click on a path chooses that restart
for the rest of the page (curves, histogram, table, its fit and the Load
button); the section has its own Load button too. The replayed paths and the
last slice are kept under ``Keys.LANDSCAPE`` so a rerun that changes nothing
costs nothing. Both computations are estimated first and kept to a couple of
seconds (fewer paths, a coarser slice), and the section says when it did so.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import streamlit as st

from nnviz.app import landscape as model
from nnviz.app.trainjob import TrainingJob
from nnviz.figures.landscape import landscape_figure
from nnviz.landscape import weight_label
from nnviz.network import Network, NetworkError
from nnviz.sgd_paths import MAX_PATHS, SGDPaths
from nnviz.ui import memo, state, widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.presentation import presentation_mode, room_figure
from nnviz.ui.state import Keys
from nnviz.ui.training_data import remembered, widget_key
from nnviz.ui.training_data import section as opened

CHART_KEY = "landscape_chart"
RESOLUTIONS = [21, 51, 101, 151, 201]
RANGES = ["fit the paths", 0.5, 1, 2, 5, 10, 20, 50]
VIEW_LABELS = {"heatmap": "Heatmap", "contours": "Contours", "surface": "3-D"}
OPEN_NAME = "landscape_open"  # the Training-page setting train_landscape_open: the section's expander is open


def _cache() -> dict:
    if Keys.LANDSCAPE not in st.session_state:
        st.session_state[Keys.LANDSCAPE] = {}
    return st.session_state[Keys.LANDSCAPE]


def _paths(job: TrainingJob, ids: np.ndarray) -> SGDPaths:
    """The replayed paths of ``ids`` ``(P,)``, kept until the run or the restarts change."""
    cache, key = _cache(), (job.epochs_done, tuple(ids.tolist()))
    held = cache.get("paths")
    if held is None or held[0] is not job or held[1] != key:
        if ids.size:
            with st.spinner(f"Replaying the SGD paths of {ids.size} restarts..."):
                paths = model.replay(job, ids)
        else:
            paths = SGDPaths(np.array([0]), np.empty((0, 1, len(job.net.edges))), np.zeros(0, dtype=bool))
        held = cache["paths"] = (job, key, paths)
    return held[2]


def _landscape(job: TrainingJob, paths: SGDPaths, ids: np.ndarray, spec: model.Spec) -> model.Landscape:
    """The slice of ``spec`` with the paths on it, kept until anything it depends on changes."""
    cache, key = _cache(), (job.epochs_done, tuple(ids.tolist()), spec)
    held = cache.get("slice")
    if held is None or held[0] is not job or held[1] != key:
        with st.spinner(f"Evaluating the loss on {spec.resolution:,} x {spec.resolution:,} points of the plane..."):
            held = cache["slice"] = (job, key, model.build(job, paths, ids, spec))
    return held[2]


def _on_click(chosen_key: str, restarts: int) -> None:
    """on_select: the clicked path's restart becomes the page's chosen restart."""
    event = st.session_state.get(CHART_KEY) or {}
    for point in event.get("selection", {}).get("points", []):
        custom = point.get("customdata")  # [restart, ...]; a typed array arrives as {"0": restart, ...}
        first = (
            custom.get("0") if isinstance(custom, dict) else custom[0] if isinstance(custom, list) and custom else None
        )
        if isinstance(first, (int, float)) and not isinstance(first, bool) and np.isfinite(first):
            rid = int(first)
            if 0 <= rid < restarts:
                st.session_state[chosen_key] = rid
                st.session_state[Keys.SECTION_RERUN] = True
                return


def _plane_choices(job: TrainingJob, kind: str, center: int) -> model.Spec:
    """The plane's own choices: two weights (a), three restarts (b) or a seed (c)."""
    if kind == "weights":
        e = len(job.net.edges)
        first, second = model.default_edges(job)
        c1, c2 = st.columns(2)
        labels = {k: weight_label(job.net, k) for k in range(e)}
        with c1:
            i = remembered(st.selectbox, "ls_w1", first, "Weight on the x axis", options=list(labels),
                           format_func=labels.get)  # fmt: skip
        with c2:
            k = remembered(st.selectbox, "ls_w2", second, "Weight on the y axis", options=list(labels),
                           format_func=labels.get)  # fmt: skip
        return model.Spec("weights", center, edges=(int(i), int(k)))
    if kind == "restarts":
        trio = list(model.default_trio(job))
        picked = remembered(
            st.multiselect, "ls_trio", trio, "Three restarts the plane passes through (their final weights)",
            options=list(range(job.settings.restarts)), max_selections=3,
        )  # fmt: skip
        if len(picked) != 3:
            raise NetworkError("choose exactly three restarts for the plane (b)")
        return model.Spec("restarts", center, trio=(int(picked[0]), int(picked[1]), int(picked[2])))
    box = partial(number_box, low=0, high=2**31 - 1, integer=True, default=0)
    seed = remembered(box, "ls_seed", 0, "Seed of the random directions")
    return model.Spec("random", center, seed=int(seed))


def _controls(job: TrainingJob, center: int) -> tuple[str, int, str, model.Spec]:
    """Which restarts and how many, the view, and the :class:`Spec` of the plane, range and resolution."""
    c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
    with c1:
        kind = remembered(st.radio, "ls_plane", "weights", "The plane", options=list(model.PLANES),
                          format_func=model.PLANES.get)  # fmt: skip
    with c2:
        which = remembered(st.selectbox, "ls_which", "best", "Restarts to draw", options=list(model.WHICH),
                           format_func=model.WHICH.get)  # fmt: skip
        n = remembered(st.slider, "ls_count", 20, "How many", 1, MAX_PATHS)
    with c3:
        res = remembered(st.select_slider, "ls_res", 101, "Resolution (points per axis)", options=RESOLUTIONS)
        span = remembered(st.select_slider, "ls_range", RANGES[0], "Range (half-width)", options=RANGES,
                          help="'fit the paths': the window holds every path; a number: that far either way from "
                               "the plane's centre, in the units of the axes")  # fmt: skip
    with c4:
        view = remembered(st.segmented_control, "ls_view", "heatmap", "View", options=list(VIEW_LABELS),
                          format_func=VIEW_LABELS.get, required=True)  # fmt: skip
    spec = _plane_choices(job, kind, center)
    half = None if span == RANGES[0] else float(span)
    return which, int(n), view or "heatmap", replace(spec, half_width=half, resolution=int(res))


def _explain(job: TrainingJob, spec: model.Spec, view: str) -> None:
    """What the picture is and is not, for this plane (fixed text; weight names escaped)."""
    e, res = len(job.net.edges), spec.resolution
    text = (
        f"The loss is a function of all {e} weights: a surface in {e + 1} dimensions. This picture is **one slice** "
        f"through it, the mean loss over S at {res} x {res} points of a plane of weight space; every other direction "
        "is held still. It is not the surface itself: a valley here can be a slope or a saddle in a direction the "
        "slice does not show. "
    )
    if spec.kind == "weights":
        x, y = (widgets.md_escape(weight_label(job.net, k)) for k in spec.edges)
        text += (
            f"The axes are the weights {x} and {y}; the other {e - 2} weights are held at restart {spec.center}'s "
            f"final values. A path's points are exact in {x} and {y}, but along the path the other weights move too, "
            "so the colour under a path point is not the loss the path had there (hover a point for that loss)."
        )
    else:
        how = (
            f"through the final weights of restarts {', '.join(str(r) for r in spec.trio)} (the crosses; one unit is "
            f"the distance from restart {spec.trio[0]} to restart {spec.trio[1]})"
            if spec.kind == "restarts"
            else f"through restart {spec.center}'s final weights along two random directions (seed {spec.seed}), "
            "each scaled neuron by neuron to the size of that neuron's incoming weights (filter normalisation, "
            "Li et al. 2018)"
        )
        text += (
            f"The plane goes {how}. The paths are shadows: SGD's weights leave the plane in the other {e - 2} "
            "directions, so a path is drawn where its shadow falls, and the slice under it is not the loss it had."
        )
    if view == "surface":
        text += " In 3-D each path is drawn at its own loss, so it floats above or below the slice where it leaves it."
    st.markdown(text)


def _messages(job: TrainingJob, wanted: int, drawn: int, asked_res: int, res: int) -> None:
    if drawn < wanted:
        steps = f"{job.data.size * job.epochs_done:,} SGD steps ({job.data.size:,} points x {job.epochs_done:,} epochs)"
        st.info(
            f"Drawing {drawn} of the {wanted} paths asked for: each path is replayed from its initial weights, "
            f"{steps}, and the replay is kept to about two seconds."
            if drawn
            else f"No paths: replaying even one path ({steps}) would take more than about two seconds. "
            "The slice is drawn alone.",
            icon=":material/info:",
        )
    if res < asked_res:
        st.info(
            f"The resolution is lowered from {asked_res} to {res} points per axis: on {job.data.size:,} points and "
            f"{len(job.net.edges):,} weights a finer slice would take more than about {model.SLICE_SECONDS:.0f} s.",
            icon=":material/info:",
        )


def _confirmed(job: TrainingJob, res: int) -> bool:
    """True when the slice is quick, or the user asked for a slow one (once per run)."""
    seconds = model.slice_seconds(job.net, job.data.size, res)
    cache = _cache()
    if seconds <= model.SLICE_SECONDS or cache.get("slow_ok") is job:
        return True
    st.warning(
        f"Even a {res} x {res} slice of this network on {job.data.size:,} points takes about {seconds:.0f} s.",
        icon=":material/hourglass:",
    )
    if st.button(f"Draw it anyway (about {seconds:.0f} s)", key=widget_key("ls_slow")):
        cache["slow_ok"] = job
        return True
    return False


@st.fragment
def section(job: TrainingJob | None, chosen_key: str | None) -> None:
    """The section for the training run ``job``; ``chosen_key`` is the page's chosen-restart widget key.

    A fragment: opening it or changing its controls reruns this section alone, not the whole page
    (issue 25.10: it opens within 0.5 s); a click on a path or the Load button reruns the page.
    """
    if job is None or job.epochs_done == 0 or chosen_key is None:
        st.info("Train first: the landscape shows the paths of the last run's restarts.")
        return
    final = job.history[:, job.epochs_done]  # (R,)
    ok = ~job.diverged & np.isfinite(final)
    if not ok.any():
        st.info("Every restart diverged: there is no landscape to draw.")
        return
    box = opened(OPEN_NAME, "The slice of the loss surface and the restarts' SGD paths on it")
    if box.open:  # built only when opened: the paths are replayed and the slice evaluated
        with box:
            _draw(job, chosen_key, final, ok)
    if st.session_state.pop(Keys.SECTION_RERUN, False):
        st.rerun(scope="app")  # the chosen restart or the network changed: the rest of the page follows


def _draw(job: TrainingJob, chosen_key: str, final: np.ndarray, ok: np.ndarray) -> None:
    """The controls, the slice with its paths, what it shows and the Load button (``final``, ``ok``: ``(R,)``)."""
    best = int(np.argmin(np.where(ok, final, np.inf)))
    value = st.session_state.get(chosen_key, best)
    chosen = int(value) if isinstance(value, (int, np.integer)) and 0 <= value < ok.size else best
    center = chosen if ok[chosen] else best
    try:
        which, n, view, spec = _controls(job, center)
        ids = model.choose_restarts(final, job.diverged, which, n, seed=job.settings.seed)
        drawn = model.replay_budget(job, ids.size)
        ids = ids[np.linspace(0, ids.size - 1, drawn).round().astype(int)] if 0 < drawn < ids.size else ids[:drawn]
        if drawn and center == chosen and chosen not in ids:  # the chosen restart is always drawn
            ids = np.append(ids[: MAX_PATHS - 1], chosen)
        res = min(spec.resolution, model.max_resolution(job.net, job.data.size))
        asked = spec.resolution
        spec = replace(spec, resolution=res)
        if not _confirmed(job, res):
            return
        land = _landscape(job, _paths(job, ids), ids, spec)
    except NetworkError as exc:
        widgets.error(exc, prefix="**Cannot draw this slice:** ")
        return
    _messages(job, min(n, int(ok.sum())), ids.size, asked, res)
    _figure(job, land, spec, view, chosen, chosen_key)
    _explain(job, spec, view)
    _load_button(job, chosen)


def _figure(job: TrainingJob, land: model.Landscape, spec: model.Spec, view: str, chosen: int, chosen_key: str) -> None:
    names = [f"restart {r}" for r in spec.trio] if spec.kind == "restarts" else [f"restart {spec.center}"]
    x_label, y_label = land.plane.x_label, land.plane.y_label
    if spec.kind == "restarts":
        a, b, c = spec.trio
        x_label, y_label = f"along restart {a} -> restart {b} (1 = their distance)", f"towards restart {c}"
    present = presentation_mode()
    shown = (tuple(land.ids.tolist()), spec, view, chosen, present)
    fig = memo.chart(job, "landscape", shown, lambda: landscape_figure(
        land.alphas, land.betas, land.surface, land.coords, land.path_loss, land.final_loss, land.ids, land.epochs,
        x_label=x_label, y_label=y_label, anchors=land.plane.anchors, anchor_names=names,
        chosen=chosen, view=view, height=600 if present else 620, font_size=20 if present else 15,
    ))  # fmt: skip
    if view == "surface":
        st.plotly_chart(room_figure(fig), key=CHART_KEY + "_3d", theme=None)
        st.caption("Clicking a path chooses its restart in the Heatmap and Contours views.")
        return
    on_click = partial(_on_click, chosen_key, job.settings.restarts)
    st.plotly_chart(room_figure(fig), key=CHART_KEY, theme=None, on_select=on_click, selection_mode="points")
    st.caption(
        "Each path runs from its start (open circle) to its end (filled dot, coloured by the run's final loss); "
        "the chosen restart is bold green. **Click a path** to choose its restart for this page."
    )


def _load(net: Network, note: str) -> None:
    """The Load button's callback: the network takes the restart's weights; the whole page reruns after."""
    state.set_network(net, note=note)
    st.session_state[Keys.SECTION_RERUN] = True


def _load_button(job: TrainingJob, chosen: int) -> None:
    """The chosen restart, loadable into the network with one click."""
    if job.diverged[chosen]:
        return
    res = job.result()
    try:
        net = res.network(chosen)
    except NetworkError:
        return  # the results panel above says why this restart cannot be used
    note = f"trained: restart {chosen} of {job.settings.restarts:,} (final loss {res.final_loss[chosen]:.4g})"
    st.button(
        f"Load the chosen restart ({chosen}) into the network",
        type="primary",
        on_click=_load,
        args=(net, note),
        key=widget_key("ls_load"),
        icon=":material/download_done:",
        help="Replace the network's weights with this restart's final weights, on every page",
    )
