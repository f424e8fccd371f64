"""Streamlit glue for the "Why it works" page: its one session key, its callbacks, its cached fits.

The linear-collapse exhibit makes every function the identity on a copy of its own,
never on the app's network; the buttons that do load a network into the app go
through :func:`nnviz.ui.state.set_network` (:func:`load_network`).
"""

from __future__ import annotations

import streamlit as st

from nnviz.network import Network
from nnviz.theory import approximation
from nnviz.ui import state
from nnviz.ui.state import Keys


def take_message() -> tuple[bool, str] | None:
    """The outcome of the last button on this page (once; then forgotten)."""
    return st.session_state.pop(Keys.WHY_MESSAGE, None)


def _say(ok: bool, text: str) -> None:
    st.session_state[Keys.WHY_MESSAGE] = (ok, text)


def load_network(net: Network, note: str) -> None:
    """Callback: make ``net`` the network of every page."""
    state.set_network(net, note=note)
    _say(True, note[0].upper() + note[1:] + ": it is now the network of every page.")


@st.cache_data(max_entries=32, show_spinner=False)
def fit_widths(
    target: str, widths: tuple[int, ...], restarts: int, epochs: int, activation: str, seed: int
) -> approximation.Approximation:
    """:func:`nnviz.theory.approximation.approximate_by_width`, cached (same arguments, same fits)."""
    return approximation.approximate_by_width(
        target, widths=widths, restarts=restarts, epochs=epochs, activation=activation, seed=seed
    )
