"""Backpropagation page (the paper's Part III): the loss on one point, its gradient, one SGD step."""

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import nnviz
from nnviz.app import equations, settings, tables
from nnviz.app.live_graph import Point
from nnviz.engine import Gradients, Trace
from nnviz.figures.values import weight_loss_figure
from nnviz.network import Network, NetworkError
from nnviz.ui import live_graph, passes, presentation, sgd_step, state, widgets
from nnviz.ui.presentation import room_figure

MAX_WEIGHT_CHOICES = 2_000  # above this, the loss-of-one-weight plot offers the weights of the chosen neuron
EPS_CHOICES = settings.EPS_CHOICES
TABS = ("One SGD step", "Gradient check", "Loss as a function of one weight")

keys = state.PageKeys("bwd")
ss = st.session_state

st.title("Backpropagation", anchor=False)


def point_and_loss(net: Network, side: DeltaGenerator | None) -> tuple[np.ndarray, np.ndarray, Trace, Gradients]:
    """The point (x, y), its forward pass, gradients and loss; beside the graph when ``side`` is given."""
    if side is None:
        point_col, target_col, result_col = st.columns([3, 1.3, 2], gap="large", vertical_alignment="bottom")
        with point_col:
            x, y = passes.choose_point(net, keys, with_target=True, target_area=target_col)
    else:
        with side:
            x, y = passes.choose_point(net, keys, with_target=True)
        result_col = side
    trace = nnviz.forward(net, x)
    grads = nnviz.backward(net, trace, y)
    with result_col:
        st.latex(equations.loss_equation(net, trace, y, grads))
    return x, y, trace, grads


def reading(net: Network, x: np.ndarray, y: np.ndarray, trace: Trace, grads: Gradients) -> str:
    """The chain rule at the chosen neuron and what it says; returns the neuron's id."""
    panel_col, note_col = st.columns([1, 1], gap="large")
    with panel_col:
        st.subheader("The chain rule at one neuron", anchor=False)
        nid = passes.choose_neuron(net, keys.neuron, passes.backward_default(net), "Chain rule at neuron")
        with st.container(key="tourkey_bwd_equation"):  # a tour step's key element (nnviz.app.paper_tour)
            passes.latex_lines(equations.chain_rule_equations(net, trace, grads, y, nid))
    with note_col:
        st.subheader("Reading it", anchor=False)
        st.markdown(
            f"At x = {passes.vector(x)} the network gives **f(x) = {passes.vector(trace.output[0])}**; "
            f"the target is y = {passes.vector(y)}, so the loss is {float(grads.loss[0]):.6g}."
        )
        if net.neuron(nid).role == "output":
            st.info(equations.OUTPUT_NOTE, icon=":material/info:")
        elif not net.neuron(nid).computes:
            st.markdown("Input and bias neurons have no weights coming in: only the weights out of them learn.")
        else:
            st.markdown(
                "The paper's Figure 7: a neuron that feeds several others affects the loss along every one of "
                "those paths, so ∂l/∂z_k **sums** ∂l/∂a_j · w_kj over its outgoing edges. Then one factor "
                "σ_k'(a_k) turns it into ∂l/∂a_k, and every weight into the neuron gets ∂l/∂w_ik = ∂l/∂a_k · z_i."
            )
        st.markdown(
            "A positive ∂l/∂w means a larger weight gives a larger loss, a negative one the opposite: "
            "the SGD step beside the graph moves each weight the other way."
        )
    return nid


def every_value(net: Network, trace: Trace, grads: Gradients) -> None:
    """Every neuron's numbers in a table, built only while open."""
    table_box = st.expander("Every neuron's z_k, ∂l/∂a_k and ∂l/∂z_k in full", key=keys.table_open, on_change="rerun")
    if table_box.open:
        table_box.dataframe(tables.value_rows(net, trace, grads), hide_index=True, width="stretch")


def details(net: Network, x: np.ndarray, y: np.ndarray, nid: str) -> None:
    """The tabs under the graph: the SGD step's story, the gradient check, the loss along one weight."""
    # Only the chosen tab runs (on_change="rerun"): the gradient check's finite differences and the
    # loss-vs-weight curve are not recomputed and redrawn on every click elsewhere on the page.
    step_tab, check_tab, weight_tab = st.tabs(list(TABS), key=keys.tab, on_change="rerun")
    if step_tab.open:
        with step_tab:
            sgd_step.step_story(net, x, y, keys)

    if check_tab.open:
        with check_tab:
            if ss.get(keys.eps) not in EPS_CHOICES:
                ss[keys.eps] = 1e-6
            eps = st.selectbox("Finite-difference step ε", EPS_CHOICES, key=keys.eps, format_func=lambda e: f"{e:g}")
            rows, worst = tables.gradient_rows(net, x, y, eps)
            verdict = "agree" if worst < tables.GRADCHECK_OK else "disagree somewhere"
            every = "every weight" if len(rows) == len(net.edges) else f"{len(rows)} of the {len(net.edges)} weights"
            st.markdown(
                f"Backprop's ∂l/∂w beside the central difference (l(w + ε) − l(w − ε)) / 2ε for {every}: "
                f"**they {verdict}** (largest relative error {worst:.2e})."
            )
            st.dataframe(rows, hide_index=True, width="stretch")

    if weight_tab.open:
        with weight_tab:
            incoming = [net.edge_index[e] for e in net.incoming(nid)] if net.neuron(nid).computes else []
            edges = list(range(len(net.edges)))
            if len(edges) > MAX_WEIGHT_CHOICES:  # 50,000 choices would be megabytes per run and per session
                edges = sorted({*incoming, *(net.edge_index[e] for e in net.outgoing(nid))}) or [0]
                st.caption(f"The weights into and out of neuron {widgets.md_escape(nid)} (choose the neuron above).")
            if ss.get(keys.edge) not in edges:
                ss[keys.edge] = incoming[0] if incoming else edges[0]
            j = st.selectbox(
                "Weight",
                edges,
                key=keys.edge,
                format_func=lambda k: f"w from neuron {net.edges[k][0]} to neuron {net.edges[k][1]}",
            )
            st.caption("The paper's loss function l(w): one weight varies, all others stay fixed; the slope is ∂l/∂w.")
            fig = weight_loss_figure(net, x, y, net.edges[j])
            st.plotly_chart(room_figure(fig), width="stretch")
            widgets.text_alternative(fig, "Chart of the loss as this one weight varies")


@st.fragment
def follows_the_weights() -> None:
    """Everything below the title: an SGD step, a weight slider or a new point reruns only this part."""
    net = state.current_network()
    above = st.container()
    graph_col, side_col = passes.graph_columns(presentation.presentation_mode(), beside=True)
    try:
        with above:
            x, y, trace, grads = point_and_loss(net, side_col if live_graph.tall(net) else None)
    except NetworkError as exc:
        widgets.error(exc, prefix="**This point cannot be evaluated:** ")
        return
    if sgd_step.take_cued_step(net, x, y, grads.dl_dw, keys):  # a tour step's SGD step: show its new weights
        st.rerun()
    ds = state.current_dataset()
    with side_col:
        sgd_step.step_controls(net, x, y, grads.dl_dw, keys)
        pictures, all_weights = live_graph.options(net, keys.prefix)
        live_graph.selection_panel(net, keys.prefix)
    with graph_col:
        point = Point(x, y, data_x=ds.X if state.dataset_fits(ds, net) else None)
        live_graph.draw(net, keys.stepper, trace, point, grads, pictures=pictures, all_weights=all_weights)
    passes.gradient_legend()
    nid = reading(net, x, y, trace, grads)
    every_value(net, trace, grads)
    details(net, x, y, nid)
    live_graph.after_edit()


follows_the_weights()
