"""The Network page (the paper's Part I): what a feed-forward network is, drawn as in its figures."""

import streamlit as st

from nnviz.figures.graph import is_large, network_graph
from nnviz.ui import files_panel, share_link, vocabulary, widgets
from nnviz.ui import state as app_state
from nnviz.ui.presentation import current_palette, presentation_mode
from nnviz.ui.state import WidgetKeys as W

net = app_state.current_network()

st.title("The network", anchor=False)
if share_link.url_error():
    widgets.error(share_link.url_error(), prefix="**The share link could not be used,** so the default is shown: ")

graph_col, words_col = st.columns([5, 2], gap="large")
with graph_col:
    show_weights = st.toggle("Show weight values on the edges", key=W.SHOW_WEIGHTS)
    large = is_large(net)
    figure = network_graph(net, show_weights=show_weights, large=large, palette=current_palette())
    st.graphviz_chart(figure, width="content" if large else "stretch")
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
