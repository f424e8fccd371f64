"""Forward pass page (the paper's Part I): watch an input flow through the network, layer by layer."""

import streamlit as st

import nnviz
from nnviz.app import animation, equations, tables
from nnviz.figures.values import function_figure
from nnviz.network import NetworkError
from nnviz.ui import passes, state, stepper, widgets

net = state.current_network()
keys = state.PageKeys("fwd")

st.title("Forward pass", anchor=False)
point_col, result_col = st.columns([3, 2], gap="large", vertical_alignment="bottom")
with point_col:
    x, _ = passes.choose_point(net, keys, with_target=False)
try:
    trace = nnviz.forward(net, x)
except NetworkError as exc:
    widgets.error(exc, prefix="**This input cannot be evaluated:** ")
    st.stop()
with result_col:
    st.markdown(f"### f(x) = {passes.vector(trace.output[0])}")

anim = animation.forward_frames(net)


def render(step: int) -> None:
    """One frame: its caption and the graph with the values reached so far."""
    passes.draw_frame(net, anim.frames[step].title, animation.forward_view(anim, trace, step))


stepper.animate(keys.stepper, len(anim), render)
widgets.role_legend()
st.caption("Grey: not reached yet. Red: the neurons and edges of this step. Edges show w and the product w·z.")

panel_col, plot_col = st.columns([1, 1], gap="large")
with panel_col:
    st.subheader("One neuron, as the paper writes it", anchor=False)
    nid = passes.choose_neuron(net, keys.neuron, passes.forward_default(net), "Explain neuron")
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
    ds = state.current_dataset()
    fits = state.dataset_fits(ds, net)
    figure = function_figure(
        net,
        x,
        input_index=vary,
        output_index=output,
        data_x=ds.X if fits else None,
        data_y=ds.Y if fits else None,
    )
    st.plotly_chart(figure, width="stretch")

with st.expander("Every neuron's a_k and z_k in full"):
    st.dataframe(tables.value_rows(net, trace), hide_index=True, width="stretch")
