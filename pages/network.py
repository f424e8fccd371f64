"""The Network page (the paper's Part I): what a feed-forward network is, drawn as in its figures."""

import streamlit as st

from nnviz.figures.graph import layer_summary_graph, network_graph, too_big_to_draw
from nnviz.network import is_large
from nnviz.ui import files_panel, vocabulary, widgets
from nnviz.ui import state as app_state
from nnviz.ui.presentation import current_palette, presentation_mode
from nnviz.ui.state import WidgetKeys as W

net = app_state.current_network()

st.title("The network", anchor=False)

graph_col, words_col = st.columns([5, 2], gap="large")
with graph_col:
    show_weights = st.toggle("Show weight values on the edges", key=W.SHOW_WEIGHTS)
    if too_big_to_draw(net):
        st.info(
            f"This network has {len(net.edges):,} edges, too many to draw one by one in the browser: "
            "each box is a layer, each arrow all the weights between two layers.",
            icon=":material/info:",
        )
        figure = layer_summary_graph(net, palette=current_palette())
    else:
        figure = network_graph(
            net,
            show_weights=show_weights,
            large=is_large(net),
            palette=current_palette(),
            functions=widgets.preset_functions(),
        )
    st.graphviz_chart(figure, width="stretch")
    widgets.role_legend()
    if net.layering_problem():
        st.info("**Not layered:** " + widgets.md_escape(net.layering_problem()), icon=":material/info:")
    st.caption(widgets.summary(net))
with words_col:
    vocabulary.walk(net)

if presentation_mode():  # presenting: no editing or file controls
    st.stop()
st.subheader("Save, load, share", anchor=False)
save_col, load_col, link_col = st.columns(3, gap="large")
with save_col:
    files_panel.downloads(net, figure)
with load_col:
    files_panel.upload()
with link_col:
    files_panel.link()
