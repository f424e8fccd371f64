"""Forward pass page (the paper's Part I): watch an input flow through the network, layer by layer."""

import streamlit as st

import nnviz
from nnviz.app import equations, tables
from nnviz.app.live_graph import Point
from nnviz.figures.values import function_figure
from nnviz.network import NetworkError
from nnviz.ui import live_graph, passes, presentation, state, widgets
from nnviz.ui.presentation import room_figure

net = state.current_network()
keys = state.PageKeys("fwd")

st.title("Forward pass", anchor=False)


@st.fragment
def follows_the_weights() -> None:
    """The input, the graph, the equations and f(x): a weight slider or a new x reruns only this part of the page."""
    net = state.current_network()
    beside = live_graph.tall(net)
    above = st.container()
    graph_col, side_col = passes.graph_columns(presentation.presentation_mode(), beside)
    with side_col if beside else above:  # a tall graph gets the height: the input goes beside it
        x, _ = passes.choose_point(net, keys, with_target=False)
    try:
        trace = nnviz.forward(net, x)
    except NetworkError as exc:
        widgets.error(exc, prefix="**This input cannot be evaluated:** ")
        return
    ds = state.current_dataset()
    fits = state.dataset_fits(ds, net)
    with side_col:
        pictures, all_weights = live_graph.options(net, keys.prefix)
        live_graph.selection_panel(net, keys.prefix)
    with graph_col:
        point = Point(x, data_x=ds.X if fits else None)
        vary = int(st.session_state.get(keys.vary, 0) or 0)
        live_graph.draw(net, keys.stepper, trace, point, pictures=pictures, all_weights=all_weights, vary=vary)
    widgets.role_legend()
    st.caption(
        "Grey: not reached yet. Dashed halo: the neurons and edges of this step. Black ring: selected. "
        "Edges show w and the product w·z."
    )

    panel_col, plot_col = st.columns([1, 1], gap="large")
    with panel_col:
        st.subheader("One neuron, as the paper writes it", anchor=False)
        nid = passes.choose_neuron(net, keys.neuron, passes.forward_default(net), "Explain neuron")
        with st.container(key="tourkey_fwd_equation"):  # a tour step's key element (nnviz.app.paper_tour)
            passes.latex_lines(equations.forward_equations(net, trace, nid))
        st.caption("The paper's Figure 4: the weighted sum a_k of the incoming values, then σ_k applied to it.")

    with plot_col:
        n_in, n_out = len(net.inputs), len(net.outputs)
        vary, output = 0, 0
        for key, count in ((keys.vary, n_in), (keys.output, n_out)):
            if st.session_state.get(key) not in range(count):
                st.session_state[key] = 0
        if n_in > 2:
            vary = st.selectbox(
                "Slice along input", list(range(n_in)), key=keys.vary, format_func=lambda i: f"neuron {net.inputs[i]}"
            )
        if n_in == 2 and n_out > 1:
            output = st.selectbox(
                "Output shown", list(range(n_out)), key=keys.output, format_func=lambda i: f"neuron {net.outputs[i]}"
            )
        figure = function_figure(
            net,
            x,
            input_index=vary,
            output_index=output,
            data_x=ds.X if fits else None,
            data_y=ds.Y if fits else None,
        )
        st.plotly_chart(room_figure(figure), width="stretch")

    table_box = st.expander("Every neuron's a_k and z_k in full", key=keys.table_open, on_change="rerun")
    if table_box.open:  # drawn only while open: typing a new x does not rebuild a hidden table
        table_box.dataframe(tables.value_rows(net, trace), hide_index=True, width="stretch")
    live_graph.after_edit()


follows_the_weights()
