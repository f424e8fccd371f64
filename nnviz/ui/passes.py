"""Widgets shared by the Forward pass and Backpropagation pages.

- :func:`choose_point`: the input x (a slider and an exact number per input
  neuron) and, for backprop, the target y; or a point of the current training
  set when one fits the network.
- :func:`forward_point`: the Forward pass page's x, for pictures elsewhere.
- :func:`choose_neuron`: which neuron the equation panel explains.
- :func:`graph_columns`: where the live graph and its side panel go.
- :func:`latex_lines`: equation lines through ``st.latex``.

The typed values live under plain keys (widget state is dropped when another
page runs), so a page shows the same point when the learner comes back.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from nnviz.app import settings
from nnviz.app.live_graph import Point
from nnviz.figures.style import gradient_color
from nnviz.network import Network
from nnviz.ui import live_graph, state, widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.state import PageKeys

MANUAL, DATASET = settings.POINT_SOURCES  # "Type a point", "A training point"
SLIDER_RANGE = settings.SLIDER_RANGE
MAX_ABS_VALUE = settings.MAX_ABS_INPUT
DEFAULT_X = 0.5
DEFAULT_Y = 1.0
INPUTS_OPEN = 3  # with more inputs than this, the input widgets sit in an expander


def _values(key: str, n: int, default: float) -> list[float]:
    """The canonical list under ``key``, reset to ``default`` when its length is not ``n``."""
    ss = st.session_state
    vals = ss.get(key)
    if not isinstance(vals, list) or len(vals) != n:
        vals = [default] * n
        ss[key] = vals
    return vals


def _from_slider(keys: PageKeys, i: int) -> None:
    ss = st.session_state
    v = float(ss[keys.widget("xs", i)])
    ss[keys.x][i] = v
    ss[keys.widget("xn", i)] = v


def _from_number(keys: PageKeys, i: int) -> None:
    ss = st.session_state
    v = float(ss[keys.widget("xn", i)])
    ss[keys.x][i] = v
    ss[keys.widget("xs", i)] = float(np.clip(v, *SLIDER_RANGE))


def _from_target(keys: PageKeys, i: int) -> None:
    ss = st.session_state
    ss[keys.y][i] = float(ss[keys.widget("yn", i)])


def _manual_x(net: Network, keys: PageKeys) -> np.ndarray:
    ss = st.session_state
    vals = _values(keys.x, len(net.inputs), DEFAULT_X)
    for i, nid in enumerate(net.inputs):
        s_key, n_key = keys.widget("xs", i), keys.widget("xn", i)
        if s_key not in ss:
            ss[s_key] = float(np.clip(vals[i], *SLIDER_RANGE))
        if n_key not in ss:
            ss[n_key] = float(vals[i])
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        below = st.container()  # a refused typed x is explained here, across the row
        with left:
            st.slider(
                f"x at input neuron {widgets.md_escape(nid)}",
                *SLIDER_RANGE,
                step=0.01,
                key=s_key,
                on_change=_from_slider,
                args=(keys, i),
            )
        with right:
            number_box(
                "exact value",
                n_key,
                low=-MAX_ABS_VALUE,
                high=MAX_ABS_VALUE,
                kept=vals[i],
                name=f"x at input neuron {nid}",
                step=0.1,
                fmt="%.6g",
                on_change=_from_number,
                args=(keys, i),
                where=below,
            )
    return np.array(vals, dtype=float)  # (n_in,)


def _manual_y(net: Network, keys: PageKeys) -> np.ndarray:
    ss = st.session_state
    vals = _values(keys.y, len(net.outputs), DEFAULT_Y)
    cols = st.columns(min(len(net.outputs), 3))
    for i, nid in enumerate(net.outputs):
        key = keys.widget("yn", i)
        if key not in ss:
            ss[key] = float(vals[i])
        with cols[i % len(cols)]:
            number_box(
                f"target y (neuron {widgets.md_escape(nid)})",
                key,
                low=-MAX_ABS_VALUE,
                high=MAX_ABS_VALUE,
                kept=vals[i],
                name=f"The target y at neuron {nid}",
                step=0.1,
                fmt="%.6g",
                on_change=_from_target,
                args=(keys, i),
            )
    return np.array(vals, dtype=float)  # (n_out,)


def vector(values: np.ndarray) -> str:
    """``v`` or ``(v1, v2, ...)`` with 6 significant digits: numbers only, safe in markdown."""
    vals = [f"{v:.6g}" for v in np.asarray(values, dtype=float).ravel()]
    return vals[0] if len(vals) == 1 else "(" + ", ".join(vals) + ")"


def choose_point(
    net: Network, keys: PageKeys, with_target: bool, target_area: DeltaGenerator | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Widgets for the input x ``(n_in,)`` and, when ``with_target``, the target y ``(n_out,)``.

    Offers a point of the current training set when one fits the network. The
    target widgets go into ``target_area`` (e.g. a column beside the inputs)
    when given.
    """
    ss = st.session_state
    ds = state.current_dataset()
    fits = state.dataset_fits(ds, net) and len(ds.X) > 0
    if not fits and ss.get(keys.source) == DATASET:
        ss[keys.source] = MANUAL
    source = MANUAL
    if fits:
        source = st.radio("Where the point comes from", (MANUAL, DATASET), key=keys.source, horizontal=True)
    if source == DATASET:
        count = len(ds.X)
        idx = number_box(f"Training point (1 to {count})", keys.point, low=1, high=count, integer=True, default=1)
        x, y = np.asarray(ds.X[idx - 1], dtype=float), np.asarray(ds.Y[idx - 1], dtype=float)
        st.markdown(f"x = {vector(x)}" + (f", y = {vector(y)}" if with_target else ""))
        return x, (y if with_target else None)
    if len(net.inputs) > INPUTS_OPEN:
        with st.expander(f"The {len(net.inputs)} inputs x", expanded=False):
            x = _manual_x(net, keys)
    else:
        x = _manual_x(net, keys)
    if not with_target:
        return x, None
    with target_area if target_area is not None else st.container():
        y = _manual_y(net, keys)
    return x, y


def forward_point(net: Network) -> Point:
    """The x typed on the Forward pass page (else its default) and the training inputs when they fit ``net``.

    The Network page's pictures mark this x, so they show what the Forward pass page will.
    """
    vals = st.session_state.get(PageKeys("fwd").x)
    x = vals if isinstance(vals, list) and len(vals) == len(net.inputs) else [DEFAULT_X] * len(net.inputs)
    ds = state.current_dataset()
    return Point(np.array(x, dtype=float), data_x=ds.X if state.dataset_fits(ds, net) else None)  # x: (n_in,)


def choose_neuron(net: Network, key: str, default: str, label: str) -> str:
    """A selectbox of every neuron (the one selected on the graph, else ``default``); returns the chosen id.

    Choosing here selects the neuron on the graph too (on both pages).
    """
    ss = st.session_state
    if ss.get(key) not in net.index:
        picked = ss.get(live_graph.SELECTED_NEURON)
        ss[key] = picked if picked in net.index else default
    return st.selectbox(
        label,
        net.ids,
        key=key,
        format_func=lambda nid: f"neuron {nid} ({net.neuron(nid).role})",
        on_change=lambda: live_graph.select_neuron(ss[key]),
    )


def forward_default(net: Network) -> str:
    """The neuron the forward panel opens on: the paper's neuron 6 (Figure 4) for its network.

    That is the computing neuron with the most inputs in the last stage before
    the outputs; otherwise the first output.
    """
    stages = net.stages()
    for stage in reversed(stages[:-1]):
        computing = [nid for nid in stage if net.neuron(nid).computes]
        if computing:
            return max(computing, key=lambda nid: len(net.incoming(nid)))
    return net.outputs[0]


def backward_default(net: Network) -> str:
    """The neuron the chain-rule panel opens on: the first output, where backpropagation starts, as the paper's
    Figure 6 does (neuron 9 of its network: dl/dz_9, then dl/da_9 and the weights into 9). The tour's step on
    Figure 7 picks neuron 4 itself."""
    return net.outputs[0]


def graph_columns(present: bool, beside: bool = False) -> tuple[DeltaGenerator, DeltaGenerator]:
    """(graph, side panel): side by side; presenting, stacked (the graph needs the width) unless ``beside``.

    Pass ``beside`` when the graph is tall (its height runs out first: the side panel, with the input, goes
    beside it) or when the side panel holds a control whose effect on the graph must be seen with it (the
    Backpropagation page's SGD step).
    """
    if present and not beside:
        return st.container(), st.container()
    graph_col, side_col = st.columns([3, 1] if present else [3.4, 1], gap="medium")
    return graph_col, side_col


def gradient_legend() -> None:
    """The colour key of the backward graph (fixed text and colours only)."""
    neg = gradient_color(-1.0, 1.0, max_strength=1.0)
    pos = gradient_color(1.0, 1.0, max_strength=1.0)
    chip = "background:{};color:{};border-radius:1em;padding:0.05em 0.7em;margin:0 0.4em 0.2em 0;display:inline-block"
    st.markdown(  # text colours for 4.5:1 contrast: white on the dark purple, black on the orange
        f"<span style='{chip.format(neg, '#fff')}'>negative: raising it lowers the loss</span>"
        f"<span style='{chip.format(pos, '#111')}'>positive: raising it raises the loss</span>",
        unsafe_allow_html=True,  # fixed text and colours only, no user input
    )
    st.caption("On neurons ∂a = ∂l/∂a_k and ∂z = ∂l/∂z_k, on edges ∂w = ∂l/∂w_ij; paler means smaller.")


def latex_lines(lines: list[str]) -> None:
    """Each line through ``st.latex`` (ids in them are already escaped by :mod:`nnviz.app.equations`)."""
    for line in lines:
        st.latex(line)
