"""The Tours panel in the sidebar: start the shipped tour, and the tours of one's own.

:func:`render` draws **Start tour** for the shipped tour ("The paper in one
talk") and one start button per tour of this session. Running a tour is
:mod:`nnviz.ui.tour_run`.
"""

from __future__ import annotations

import streamlit as st

from nnviz.app import tours
from nnviz.ui import state, tour_run, widgets
from nnviz.ui.state import Keys


def _own() -> list[tours.Tour]:
    state.init_session_state()
    return st.session_state[Keys.TOURS]


def _on_start(name: str) -> None:
    tour_run.start(tours.builtin(name), 0, name)


def _on_start_own(k: int) -> None:
    items = _own()
    if 0 <= k < len(items):
        tour_run.start(items[k], 0, None)


def render() -> None:
    """The Tours panel (call inside ``st.sidebar``)."""
    st.subheader("Tours", anchor=False)
    message = st.session_state.get(Keys.TOUR_MESSAGE)
    if message:
        ok, text = message
        if ok:
            st.success(widgets.md_escape(text), icon=":material/check_circle:")
        else:
            widgets.error(text, prefix="**Tours:** ")
    paper = tours.builtin("paper")
    st.button(f"Start tour: {paper.name}", key="tour_start_paper", on_click=_on_start, args=("paper",),
              icon=":material/co_present:", type="primary", width="stretch",
              help=f"{len(paper.steps)} steps from the network to the counting argument. PageDown / PageUp or "
              "Space move on and back, N shows the speaker notes, Esc ends the tour.")  # fmt: skip
    for k, tour in enumerate(_own()):
        st.button(f"Start: {widgets.md_escape(tour.name)}", key=f"tour_start_own_{k}", on_click=_on_start_own,
                  args=(k,), icon=":material/slideshow:", width="stretch")  # fmt: skip
