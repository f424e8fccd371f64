"""One SGD step on the Backpropagation page: the controls beside the graph they change, and the longer story.

- :func:`step_controls`: step size η, *Take one SGD step*, *Undo the last step*, a refused step's
  message and a one-line result ("Loss on this point fell: a → b"). The page puts them in the
  column beside the live graph, so a click and the graph it changes are on one screen.
- :func:`step_story`: the update rule, the table of weight changes and the loss along the step
  (the page's "One SGD step" tab).

A step replaces the session's network (every page then uses the new weights); the undo stack
holds the last :data:`MAX_UNDO` steps and is offered only while nothing else changed the network.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from nnviz.app import equations, tables
from nnviz.figures.values import step_loss_figure
from nnviz.network import Network, NetworkError
from nnviz.ui import passes, state, widgets
from nnviz.ui.number_box import checked_value, number_box
from nnviz.ui.presentation import room_figure
from nnviz.ui.state import Keys, PageKeys

MAX_UNDO = 20
DEFAULT_STEP_SIZE = 0.1


def _take_step(keys: PageKeys, net: Network, x: np.ndarray, y: np.ndarray, dl_dw: np.ndarray) -> None:
    """on_click of *Take one SGD step*: one step on the point (x, y) (a callback: one script run, not two)."""
    ss = st.session_state
    eta = checked_value(keys.step_size)  # a refused typed value: the last good one
    try:
        record = tables.sgd_step(net, x, y, dl_dw, eta)
    except NetworkError as exc:
        ss[keys.step_error] = str(exc)
        return
    state.set_network(record.after, note=f"one SGD step on one point, step size {eta:g}")
    history = ss.setdefault(keys.history, [])
    history.append(record)
    del history[:-MAX_UNDO]


def take_cued_step(net: Network, x: np.ndarray, y: np.ndarray, dl_dw: np.ndarray, keys: PageKeys) -> bool:
    """A tour step's ``sgd`` cue (``Keys.SGD_CUE``, set on arrival): take that one step now, with the cue's
    step size, on the page's point; True when it was taken (the page then reruns to show the new weights)."""
    eta = st.session_state.pop(Keys.SGD_CUE, None)
    if eta is None:
        return False
    st.session_state[keys.step_size] = float(eta)
    _take_step(keys, net, x, y, dl_dw)
    return True


def _undo_step(keys: PageKeys) -> None:
    """on_click of *Undo the last step*: the weights before the last step."""
    history = st.session_state.get(keys.history) or []
    if history:
        state.set_network(history.pop().before, note="undid an SGD step")


def last_step(keys: PageKeys, net: Network) -> tables.StepRecord | None:
    """The last step taken, while the network is still the one it gave (else None: nothing to undo)."""
    history = st.session_state.get(keys.history) or []
    return history[-1] if history and history[-1].after == net else None


def step_controls(net: Network, x: np.ndarray, y: np.ndarray, dl_dw: np.ndarray, keys: PageKeys) -> None:
    """Step size, *Take one SGD step*, *Undo the last step* and the step's outcome in one line.

    Parameters
    ----------
    net : Network
        The session's network (the one the graph shows).
    x, y : np.ndarray
        The point, ``(n_in,)`` and ``(n_out,)``.
    dl_dw : np.ndarray
        Backprop's ∂l/∂w at the current weights, ``(E,)`` (kept in the step's record).
    keys : PageKeys
        The page's session keys (``step_size``, ``history``, ``step_error``).
    """
    ss = st.session_state
    ss.setdefault(keys.step_size, DEFAULT_STEP_SIZE)
    number_box("Step size η", keys.step_size, step=0.05, fmt="%.4g")  # range: settings "bwd_step_size"
    st.button(
        "Take one SGD step",
        type="primary",
        key=f"{keys.prefix}_take_step",
        on_click=_take_step,
        args=(keys, net, x, y, dl_dw),
        width="stretch",
    )
    problem = ss.pop(keys.step_error, None)
    if problem:
        widgets.error(problem, prefix="**The step was not taken:** ")
    record = last_step(keys, net)
    st.button(
        "Undo the last step",
        disabled=record is None,
        key=f"{keys.prefix}_undo",
        on_click=_undo_step,
        args=(keys,),
        width="stretch",
    )
    if record is not None:
        change = "fell" if record.loss_after < record.loss_before else "rose"
        st.markdown(f"**Loss on this point {change}: {record.loss_before:.6g} → {record.loss_after:.6g}**")
        if change == "rose":
            st.warning("The step overshot: the loss went up. Try a smaller step size.", icon=":material/warning:")


def step_story(net: Network, x: np.ndarray, y: np.ndarray, keys: PageKeys) -> None:
    """The update rule, the last step's weight changes, and the loss along the step direction."""
    eta = checked_value(keys.step_size) if keys.step_size in st.session_state else DEFAULT_STEP_SIZE
    rule, story = st.columns([1, 2], gap="large")
    with rule:
        st.latex(equations.sgd_update_equation())
        st.markdown(
            "A step moves every weight against its gradient. The graph and every other page then use the "
            "new weights; **Undo the last step** brings the old ones back."
        )
    with story:
        record = last_step(keys, net)
        if record is not None:
            st.markdown(
                f"The last step: step size {record.step_size:g}, at x = {passes.vector(record.x)}, "
                f"y = {passes.vector(record.y)}. Every weight's change:"
            )
            with st.container(key="tourkey_sgd_table"):  # a tour step's key element (nnviz.app.paper_tour)
                st.dataframe(tables.step_rows(record), hide_index=True, width="stretch")
        else:
            st.markdown("Take a step (beside the graph) to see every weight's change here.")
        st.plotly_chart(room_figure(step_loss_figure(net, x, y, eta)), width="stretch")
