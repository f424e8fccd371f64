"""nnviz: the app's entry point and router.

Sets up the page, the session state and the share link, draws the sidebar
architecture editor (before the page runs, so it lives on every page), then
runs the page chosen in the navigation. Each page is a file in pages/.
"""

from pathlib import Path

import pandas  # noqa: F401  # imported whole before any page: concurrent first imports raced ("partially initialized")
import streamlit as st

from nnviz.ui import malloc, presentation, scenes_panel, share_link, sidebar, state, widgets

malloc.bound_heap()  # one C heap for all sessions, not one arena each (glibc)

FAVICON = Path(__file__).parent / "nnviz" / "ui" / "assets" / "favicon.png"  # shipped: no request to a font host
st.set_page_config(page_title="nnviz: feed-forward networks", page_icon=str(FAVICON), layout="wide")
widgets.graph_font_css()
state.init_session_state()
share_link.restore_from_url()
presentation.setup()

pages = [
    st.Page("pages/network.py", title="Network", icon=":material/hub:", default=True),
    st.Page("pages/forward.py", title="Forward pass", icon=":material/arrow_forward:"),
    st.Page("pages/backprop.py", title="Backpropagation", icon=":material/arrow_back:"),
    st.Page("pages/training.py", title="Training", icon=":material/model_training:"),
    st.Page("pages/why.py", title="Why it works", icon=":material/lightbulb:"),
]
pg = st.navigation(pages)
scenes_panel.follow(pages, pg)
if not presentation.presentation_mode():
    sidebar.render()
with st.sidebar:
    presentation.controls()
    scenes_panel.render(scenes_panel.page_id(pg))
presentation.sync_url()
share_link.sync_url()
share_link.show_messages(scenes_panel.page_id(pg))
with scenes_panel.guard():
    pg.run()
share_link.sync_url()
