"""nnviz: the app's entry point and router.

Sets up the page, the session state and the share link, draws the sidebar
architecture editor (before the page runs, so it lives on every page), then
runs the page chosen in the navigation. Each page is a file in pages/.
"""

from pathlib import Path

import pandas  # imported whole before any page: concurrent first imports raced ("partially initialized")
import pandas.io.formats.style  # noqa: F401  # the Training page's styled table (jinja2): loaded with the app
import streamlit as st

# The Training page's modules (marked "loaded with the app") are imported here rather than on the page's first
# visit: a tour step that trains there then settles within 2 s (issue 16).
from nnviz.ui import (
    advice_panel,  # noqa: F401  # loaded with the app
    bruteforce_panel,  # noqa: F401  # loaded with the app
    landscape,  # noqa: F401  # loaded with the app
    live_graph,
    malloc,
    narrow_screen,
    presentation,
    presenter,
    replay,  # noqa: F401  # loaded with the app
    scenes_panel,
    share_link,
    sidebar,
    state,
    storage,
    tour_run,
    tours_panel,
    training_widgets,  # noqa: F401  # loaded with the app
    widgets,
)

malloc.bound_heap()  # one C heap for all sessions, not one arena each (glibc)

FAVICON = Path(__file__).parent / "nnviz" / "ui" / "assets" / "favicon.png"  # shipped: no request to a font host
st.set_page_config(page_title="nnviz: feed-forward networks", page_icon=str(FAVICON), layout="wide")
widgets.graph_font_css()
state.init_session_state()
live_graph.full_run()  # a page fragment's edit (weight slider, SGD step) is told apart from this run's
share_link.restore_from_url()
if tour_run.read_url():  # ?tour=paper&step=3: presentation on, the sidebar folded away
    st.set_page_config(initial_sidebar_state="collapsed")
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
storage.sync()  # scenes and tours kept in the browser: restored before the sidebar lists them
if not presentation.presentation_mode():
    sidebar.render()
with st.sidebar:
    narrow_screen.fold_sidebar_on_tablets()
    presentation.controls()
    tours_panel.render(scenes_panel.page_id(pg))
    scenes_panel.render(scenes_panel.page_id(pg))
presentation.sync_url()
share_link.sync_url()
share_link.show_messages(scenes_panel.page_id(pg))
tour_run.sync_url()
presenter.keys(tour_run.scroll_request())
if tour_run.running():
    tour_run.bar()
elif presentation.presentation_mode():
    presenter.bar(pages, pg, start=("Start tour", tours_panel.start_paper))
with scenes_panel.guard():
    pg.run()
share_link.sync_url()
