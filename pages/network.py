"""The Network page (the paper's Part I): what a feed-forward network is, drawn as in its figures."""

import streamlit as st

from nnviz.figures.graph import layer_summary_graph, too_big_to_draw
from nnviz.ui import files_panel, live_graph, passes, vocabulary, widgets
from nnviz.ui import state as app_state
from nnviz.ui.presentation import current_palette, presentation_mode
from nnviz.ui.state import WidgetKeys as W

net = app_state.current_network()
drawn = not too_big_to_draw(net)

st.title("The network", anchor=False)

graph_col, words_col = st.columns([3, 1], gap="medium")
with graph_col:
    show_weights = False
    if drawn:
        weights_col, pictures_col = st.columns(2)
        with weights_col:
            show_weights = st.toggle("Show weight values on the edges", key=W.SHOW_WEIGHTS)
        with pictures_col:
            pictures, _ = live_graph.options(net, "net", every_edge=False)
        live_graph.draw_structure(net, passes.forward_point(net), pictures=pictures, show_weights=show_weights)
    else:
        st.info(
            f"This network has {len(net.edges):,} edges, too many to draw one by one in the browser: "
            "each box is a layer, each arrow all the weights between two layers.",
            icon=":material/info:",
        )
        st.graphviz_chart(layer_summary_graph(net, palette=current_palette()), width="stretch")
    widgets.role_legend()
    if net.layering_problem():
        st.info("**Not layered:** " + widgets.md_escape(net.layering_problem()), icon=":material/info:")
    st.caption(widgets.summary(net))
with words_col:
    if drawn:
        live_graph.selection_panel(
            net,
            "net",
            neuron_note="The Forward pass and Backpropagation pages explain this neuron.",
            hint="Click a neuron to select it (the Forward pass and Backpropagation pages explain it); "
            "click an edge to change its weight with a slider.",
        )
    vocabulary.walk(net)

if presentation_mode():  # presenting: no editing or file controls
    st.stop()
st.subheader("Save, load, share", anchor=False)
save_col, load_col, link_col = st.columns(3, gap="large")
with save_col:
    files_panel.downloads(net, show_weights)
with load_col:
    files_panel.upload()
with link_col:
    files_panel.link()
