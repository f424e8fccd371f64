"""The animation step of the Forward pass and Backpropagation pages, kept in session state.

The live graph (:mod:`nnviz.ui.live_graph`) steps and plays its frames in the
browser and reports each finished step back; the frame index lives under a
plain key per page (``fwd_step``, ``bwd_step``), so a rerun, another page or a
scene (:mod:`nnviz.ui.scenes_panel`) finds the same frame again.
"""

from __future__ import annotations

import streamlit as st

from nnviz.ui.state import StepperKeys


def init(keys: StepperKeys) -> None:
    """Give the animation's keys their defaults (idempotent)."""
    ss = st.session_state
    ss.setdefault(keys.step, 0)
    ss.setdefault(keys.playing, False)


def current_step(keys: StepperKeys) -> int:
    """The frame the animation shows."""
    init(keys)
    return int(st.session_state[keys.step])


def set_step(keys: StepperKeys, step: int) -> None:
    """Jump to frame ``step`` (e.g. from a test or a scene); the graph shows it on the next run."""
    init(keys)
    st.session_state[keys.step] = max(0, int(step))
    st.session_state[keys.playing] = False
