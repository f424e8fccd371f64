"""The live graph of the Network, Forward pass and Backpropagation pages: a Streamlit components-v2 component.

Python computes everything once per network and point
(:func:`nnviz.app.live_graph.graph_data`) and hands it to the component;
``live_graph.js`` draws the SVG, steps and plays the frames in the browser,
shows values on hover, and sends back two things: a finished step (state
``step``: ``{step, seq}``) and a click (trigger ``select``: ``{kind, index,
step, seq}``). ``seq`` counts what the browser sent, and Python hands back the
last one it saw (``ack``), so a rerun never drags the browser back to an older
frame (see ``restore`` in the JS).

On the Network page it is a still drawing (:func:`draw_structure`: names, no values, no stepper);
clicks select there too. The component sits in an ``st.fragment``: a step reruns only the fragment;
a click reruns the whole page so the equation panel and the weight slider
follow. The selection (a neuron or a weight) lives under plain keys shared by
both pages, so it is kept across pages. The weight slider edits through
:func:`nnviz.edit.set_weight`, the call the sidebar form makes.

The JS (``live_graph_draw.js``, ``live_graph_keys.js``: the keyboard and screen reader, ``live_graph_narrow.js``,
``live_graph_replay.js``, ``live_graph_inplace.js``: the playground's in-place refresh, then ``live_graph.js``,
joined into one module) and the CSS are read from files next to this module (no CDN, no network).
"""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path

import numpy as np
import streamlit as st

from nnviz import edit
from nnviz.app.graph_layout import columns_of
from nnviz.app.live_graph import Point, graph_data, pictures_default
from nnviz.engine import Gradients, Trace
from nnviz.figures.graph import edge_title, layer_summary_graph, too_big_to_draw
from nnviz.network import Network, NetworkError
from nnviz.ui import presentation, share_link, state, widgets
from nnviz.ui.state import Keys, StepperKeys, WidgetKeys

_HERE = Path(__file__).parent
# Joined into one module, in this order (keys: keyboard and screen reader; narrow: phones and tablets;
# replay: the Training page's replay; inplace: the playground's in-place refresh).
_JS = (
    "live_graph_draw.js",
    "live_graph_keys.js",
    "live_graph_narrow.js",
    "live_graph_replay.js",
    "live_graph_inplace.js",
    "live_graph.js",
)
_COMPONENT = st.components.v2.component(
    "nnviz_live_graph",
    js="\n".join((_HERE / name).read_text(encoding="utf-8") for name in _JS),
    css="\n".join((_HERE / name).read_text(encoding="utf-8") for name in ("live_graph.css", "live_graph_keys.css")),
    isolate_styles=False,
)

SELECTED_NEURON = Keys.GRAPH_NEURON
SELECTED_EDGE = Keys.GRAPH_EDGE
PICTURES = Keys.GRAPH_PICTURES
ALL_WEIGHTS = Keys.GRAPH_ALL_WEIGHTS
RUN_VERSION = "nnviz_full_run_version"  # int: the network version the last full run of the app started with
NEURON_KEYS = ("fwd_neuron", "bwd_neuron")  # the pages' "explain neuron" boxes follow a click
STRUCTURE = StepperKeys("net")  # the Network page's still drawing (one frame)
DEFAULT_SPEED = 1.0
TALL = 6  # neurons in the tallest column above which the graph is height-bound (see tall)


def _ack_key(keys: StepperKeys) -> str:
    return f"nnviz_live_ack_{keys.prefix}"


def _component_key(keys: StepperKeys) -> str:
    return f"{keys.prefix}_graph"


def select_neuron(nid: str | None) -> None:
    """Make ``nid`` the selected neuron (the equation panels of both pages explain it)."""
    ss = st.session_state
    ss[SELECTED_NEURON], ss[SELECTED_EDGE] = nid, None
    if nid is not None:
        for key in NEURON_KEYS:
            ss[key] = nid


def select_edge(edge: tuple[str, str] | None) -> None:
    """Make ``edge`` the selected weight (its slider shows beside the graph)."""
    ss = st.session_state
    ss[SELECTED_EDGE], ss[SELECTED_NEURON] = (None if edge is None else tuple(edge)), None


def _on_step(keys: StepperKeys) -> None:
    """A finished step in the browser: remember it (a scene, a rerun, another page keep it)."""
    value = (st.session_state.get(_component_key(keys)) or {}).get("step")
    if isinstance(value, dict) and isinstance(value.get("step"), int) and isinstance(value.get("seq"), int):
        st.session_state[keys.step] = max(0, value["step"])
        st.session_state[_ack_key(keys)] = value["seq"]


def _on_select(keys: StepperKeys, net: Network) -> None:
    """A click on a neuron or an edge: select it (indices are checked against the network)."""
    value = (st.session_state.get(_component_key(keys)) or {}).get("select")
    if not isinstance(value, dict) or not isinstance(value.get("index"), int):
        return
    i = value["index"]
    if value.get("kind") == "neuron" and 0 <= i < len(net.ids):
        select_neuron(net.ids[i])
    elif value.get("kind") == "edge" and 0 <= i < len(net.edges):
        select_edge(net.edges[i])
    if isinstance(value.get("step"), int) and isinstance(value.get("seq"), int):
        st.session_state[keys.step] = max(0, value["step"])
        st.session_state[_ack_key(keys)] = value["seq"]
    st.session_state[f"{keys.prefix}_graph_clicked"] = True


@st.fragment
def _graph(keys: StepperKeys, net: Network, data: dict) -> None:
    ss = st.session_state
    n_frames = len(data["frames"])
    stored = int(ss.get(keys.step, 0) or 0)
    if stored > n_frames - 1:  # a scene's step, or a smaller network since: said, then clamped
        st.info(
            f"Step {stored + 1} is past the end of this animation ({n_frames} steps); it shows the last step.",
            icon=":material/info:",
        )
    step = max(0, min(stored, n_frames - 1))
    ss[keys.step] = step
    neuron, edge = ss.get(SELECTED_NEURON), ss.get(SELECTED_EDGE)
    _COMPONENT(
        key=_component_key(keys),
        data={
            "graph": data,
            "step": step,
            "ack": int(ss.get(_ack_key(keys), 0) or 0),
            "selected": {
                "neuron": net.index.get(neuron) if isinstance(neuron, str) else None,
                "edge": net.edge_index.get(tuple(edge)) if edge is not None else None,
            },
            "speed": DEFAULT_SPEED,
            "present": presentation.presentation_mode(),
        },
        on_step_change=partial(_on_step, keys),
        on_select_change=partial(_on_select, keys, net),
        width="stretch",
    )
    if ss.pop(f"{keys.prefix}_graph_clicked", False):
        st.rerun(scope="app")  # the panels outside the fragment follow the click


def _unstepped(data: dict, speed: float, **more: object) -> dict:
    """The component's data for a drawing whose steps Python does not follow (no stepper state, no selection)."""
    selected = {"neuron": None, "edge": None}
    present = presentation.presentation_mode()
    return {"graph": data, "step": 0, "ack": 0, "selected": selected, "speed": speed, "present": present, **more}


def show(data: dict, key: str) -> None:
    """The live graph ``data`` (:func:`nnviz.app.live_graph.graph_data`) as a still drawing with no stepper state.

    The Training page's playground redraws it after every few epochs; clicks on it select nothing.
    """
    _COMPONENT(
        key=key,
        # same structure, new weights: the JS updates the drawing in place (see refresh)
        data=_unstepped(data, DEFAULT_SPEED, inPlace=True),
        on_step_change=lambda: None,
        on_select_change=lambda: None,
        width="stretch",
    )


def tall(net: Network) -> bool:
    """Whether the live graph of ``net`` runs out of height before width (more than 6 neurons in a column)."""
    return max(len(col) for col in columns_of(net)[0]) > TALL


def pictures_on(net: Network) -> bool:
    """Whether the graph shows the neurons' pictures (the user's choice, else on up to 60 neurons)."""
    choice = st.session_state.get(PICTURES)
    return pictures_default(net) if choice is None else bool(choice)


def _sync_toggle(widget_key: str, plain_key: str) -> None:
    st.session_state[plain_key] = bool(st.session_state[widget_key])


def options(net: Network, prefix: str, every_edge: bool = True) -> tuple[bool, bool]:
    """The graph's toggles (pictures and, when ``every_edge``, every weight's numbers); returns their values."""
    ss = st.session_state
    pics, every = f"{prefix}_pictures", f"{prefix}_all_weights"
    ss[pics], ss[every] = pictures_on(net), bool(ss.get(ALL_WEIGHTS, False))
    st.toggle("Pictures in neurons", key=pics, on_change=_sync_toggle, args=(pics, PICTURES),
              help="Each hidden and output neuron shows its z_k as a function of the input.")  # fmt: skip
    if ss.get(PICTURES) is None and not pictures_default(net):
        st.caption(
            f"Pictures are off by default: {len(net.neurons)} neurons is more than 60, and so many small "
            "pictures crowd the graph. Switch them on above."
        )
    if every_edge and len(net.edges) > 12:
        st.toggle("Numbers on every edge", key=every, on_change=_sync_toggle, args=(every, ALL_WEIGHTS))
    return ss[pics], bool(ss.get(ALL_WEIGHTS, False)) and len(net.edges) > 12


def draw(
    net: Network,
    keys: StepperKeys,
    trace: Trace,
    point: Point,
    grads: Gradients | None = None,
    *,
    pictures: bool = True,
    all_weights: bool = False,
    vary: int = 0,
) -> None:
    """The live graph of ``net`` at ``point`` (backward when ``grads`` is given), or the block view when too big."""
    palette = presentation.current_palette()
    if too_big_to_draw(net):
        st.info(
            f"This network has {len(net.edges)} weights: too many to draw one by one, so its layers are "
            "drawn as blocks. Every neuron's numbers are in the table further down.",
            icon=":material/info:",
        )
        st.graphviz_chart(layer_summary_graph(net, palette=palette), width="stretch")
        return
    data = graph_data(
        net, trace, point, grads, palette=palette, pictures=pictures, all_weights=all_weights, vary=vary,
        functions=widgets.preset_functions(), present=presentation.presentation_mode(),
    )  # fmt: skip
    _graph(keys, net, data)


def draw_structure(net: Network, point: Point, *, pictures: bool = True, show_weights: bool = False) -> None:
    """The live graph of ``net`` as a still drawing (the Network page): names, no values; clicks select.

    ``point`` places the pictures' marker (the Forward pass page's x); ``show_weights`` adds every weight's
    value to its name. The caller draws the block view when the network is too big to draw.
    """
    data = graph_data(
        net, None, point, palette=presentation.current_palette(), pictures=pictures, all_weights=show_weights,
        functions=widgets.preset_functions(), present=presentation.presentation_mode(),
    )  # fmt: skip
    _graph(STRUCTURE, net, data)


def draw_replay(key: str, data: dict) -> None:
    """A training replay's live graph (:func:`nnviz.app.live_replay.replay_graph`), under the element key ``key``.

    Its frames are the epochs; they follow the replay chart's slider in the browser, so nothing comes back
    to Python (a click selects in the browser only).
    """
    _COMPONENT(key=key, data=_unstepped(data, data["speeds"][0]), width="stretch")


def _on_weight(slider_key: str, src: str, dst: str) -> None:
    value = float(st.session_state[slider_key])
    try:
        new = edit.set_weight(state.current_network(), src, dst, value)
    except NetworkError as exc:
        st.session_state[slider_key + "_error"] = str(exc)
        return
    st.session_state[slider_key + "_error"] = None
    state.set_network(new, note=f"set w_{{{src},{dst}}} on the graph")


def full_run() -> None:
    """Call at the start of every full run of the app: the network it shows (see :func:`after_edit`)."""
    st.session_state[RUN_VERSION] = state.network_version()


def after_edit() -> None:
    """Call last in a page's fragment: keep what lies outside it current after an edit made inside it.

    A weight slider or an SGD step reruns only the page's fragment (about half the work of the
    whole page). When the network changed since the last full run, the share link follows here;
    the sidebar's editors, when open, show the weights: then the whole page runs again.
    """
    if st.session_state.get(RUN_VERSION) == state.network_version():
        return
    st.session_state[RUN_VERSION] = state.network_version()
    if st.session_state.get(WidgetKeys.OPEN_EDIT) or st.session_state.get(WidgetKeys.OPEN_WEIGHTS):
        st.rerun(scope="app")
    share_link.sync_url()


def slider_range(w: float) -> float:
    """Half-width of the weight slider: 5, or a round number above 1.5 |w| for larger weights."""
    return 5.0 if abs(w) <= 4.0 else float(10 ** math.ceil(math.log10(abs(w) * 1.5)))


NEURON_NOTE = "Its equations are below. Click an edge to change that weight."
HINT = "Click a neuron to explain it below; click an edge to change its weight with a slider."


def selection_panel(net: Network, prefix: str, neuron_note: str = NEURON_NOTE, hint: str = HINT) -> None:
    """What is selected on the graph: the clicked neuron (with ``neuron_note``), or a slider for the clicked weight.

    With nothing selected it shows ``hint``.
    """
    ss = st.session_state
    edge, neuron = ss.get(SELECTED_EDGE), ss.get(SELECTED_NEURON)
    if edge is not None and tuple(edge) in net.edge_index:
        s, d = tuple(edge)
        w = float(net.weight(s, d))
        key = f"live_{prefix}_weight"
        lim = slider_range(w) if np.isfinite(w) else 5.0
        if ss.get(key) != w:
            ss[key] = float(np.clip(w, -lim, lim)) if np.isfinite(w) else 0.0
        st.markdown(f"**Weight {widgets.md_escape(edge_title(s, d))}** from neuron {widgets.md_escape(s)} "
                    f"to neuron {widgets.md_escape(d)}")  # fmt: skip
        st.slider("Weight value", -lim, lim, step=0.01, key=key, on_change=_on_weight, args=(key, s, d))
        if ss.get(key + "_error"):
            widgets.error(ss[key + "_error"], prefix="**The weight was not changed:** ")
        st.caption("The same edit as the sidebar's weight form: f(x), the loss, the values and the pictures follow.")
    elif isinstance(neuron, str) and neuron in net.index:
        n = net.neuron(neuron)
        st.markdown(f"**Selected: neuron {widgets.md_escape(neuron)}** ({n.role})")
        st.caption(neuron_note)
    else:
        st.caption(hint)
