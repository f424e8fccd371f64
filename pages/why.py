"""The "Why it works" page: the paper's Part II as five exhibits you can change and check."""

import streamlit as st

from nnviz.ui import state as app_state
from nnviz.ui import widgets
from nnviz.ui.why import actions, approximation_by_width, as_functions, boolean_functions, collapse, counting_argument

net = app_state.current_network()

st.title("Why it works", anchor=False)
st.markdown(
    "Part II of the paper asks what a network is good for and why it works. Each tab turns one of its "
    "arguments into something you can change and check. The first two use the network you are editing "
    "in the sidebar; the others build their own."
)
widgets.flash(actions.take_message())

TABS = {
    "1 · Networks as functions": as_functions.render,
    "2 · Linear collapse": collapse.render,
    "3 · Boolean functions": boolean_functions.render,
    "4 · Approximation by width": approximation_by_width.render,
    "5 · Counting": counting_argument.render,
}

# Stateful tabs (key + on_change="rerun"): only the open tab's exhibit runs, and the
# open tab survives the reruns caused by this page's buttons.
for tab, render in zip(st.tabs(list(TABS), key="why_tab", on_change="rerun"), TABS.values(), strict=True):
    with tab:
        if tab.open:
            render(net)
