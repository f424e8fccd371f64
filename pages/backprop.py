"""Backpropagation page (the paper's Part III): the loss on one point, its gradient, one SGD step."""

import streamlit as st

import nnviz
from nnviz.app import equations, settings, tables
from nnviz.app.live_graph import Point
from nnviz.figures.values import weight_loss_figure
from nnviz.network import NetworkError
from nnviz.ui import live_graph, passes, presentation, sgd_step, state, widgets

MAX_WEIGHT_CHOICES = 2_000  # above this, the loss-of-one-weight plot offers the weights of the chosen neuron
EPS_CHOICES = settings.EPS_CHOICES
TABS = ("One SGD step", "Gradient check", "Loss as a function of one weight")

net = state.current_network()
keys = state.PageKeys("bwd")
ss = st.session_state

st.title("Backpropagation", anchor=False)
point_col, target_col, result_col = st.columns([3, 1.3, 2], gap="large", vertical_alignment="bottom")
with point_col:
    x, y = passes.choose_point(net, keys, with_target=True, target_area=target_col)
try:
    trace = nnviz.forward(net, x)
    grads = nnviz.backward(net, trace, y)
except NetworkError as exc:
    widgets.error(exc, prefix="**This point cannot be evaluated:** ")
    st.stop()
with result_col:
    st.latex(equations.loss_equation(net, trace, y, grads))

ds = state.current_dataset()
graph_col, side_col = passes.graph_columns(presentation.presentation_mode(), beside=True)
with side_col:
    sgd_step.step_controls(net, x, y, grads.dl_dw, keys)
    pictures, all_weights = live_graph.options(net, keys.prefix)
    live_graph.selection_panel(net, keys.prefix)
with graph_col:
    point = Point(x, y, data_x=ds.X if state.dataset_fits(ds, net) else None)
    live_graph.draw(net, keys.stepper, trace, point, grads, pictures=pictures, all_weights=all_weights)
passes.gradient_legend()

panel_col, note_col = st.columns([1, 1], gap="large")
with panel_col:
    st.subheader("The chain rule at one neuron", anchor=False)
    nid = passes.choose_neuron(net, keys.neuron, passes.backward_default(net), "Chain rule at neuron")
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

table_box = st.expander("Every neuron's z_k, ∂l/∂a_k and ∂l/∂z_k in full", key=keys.table_open, on_change="rerun")
if table_box.open:
    table_box.dataframe(tables.value_rows(net, trace, grads), hide_index=True, width="stretch")

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
        st.plotly_chart(weight_loss_figure(net, x, y, net.edges[j]), width="stretch")
