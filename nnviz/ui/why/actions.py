"""Streamlit glue for the "Why it works" page: its one session key, its callbacks, its cached fits.

The page switches the current network to all-identity functions and back, so it
must remember the functions it replaced: :data:`Keys.WHY_SAVED_FUNCTIONS` (a plain
key, like those of :class:`nnviz.ui.state.Keys`; only this page uses it). The
network itself always goes through :func:`nnviz.ui.state.set_network`.
"""

from __future__ import annotations

import streamlit as st

from nnviz.network import Network, NetworkError
from nnviz.theory import approximation, layers
from nnviz.ui import state
from nnviz.ui.state import Keys


def saved_functions(net: Network) -> dict[str, str] | None:
    """The functions ``net`` had before "switch to identity", or None.

    None too when the graph has changed since (another preset was loaded): the
    saved functions belong to a different network.
    """
    saved = st.session_state.get(Keys.WHY_SAVED_FUNCTIONS)
    if not saved or saved[0] != net.edges:
        return None
    return dict(saved[1])


def take_message() -> tuple[bool, str] | None:
    """The outcome of the last button on this page (once; then forgotten)."""
    return st.session_state.pop(Keys.WHY_MESSAGE, None)


def _say(ok: bool, text: str) -> None:
    st.session_state[Keys.WHY_MESSAGE] = (ok, text)


def switch_to_identity() -> None:
    """Callback: remember every neuron's function, then make each one the identity."""
    net = state.current_network()
    if layers.is_linear(net):
        _say(False, "Every function is already the identity; there is nothing to switch.")
        return
    st.session_state[Keys.WHY_SAVED_FUNCTIONS] = (net.edges, layers.functions_of(net))
    state.set_network(layers.identity_network(net), note="every function switched to the identity (Why it works)")
    _say(True, "Every hidden and output function is now the identity.")


def switch_back() -> None:
    """Callback: put the remembered functions back (weights edited since are kept)."""
    current = state.current_network()
    saved = saved_functions(current)
    if not saved:
        _say(False, "There are no saved functions to switch back to.")
        return
    try:
        net = layers.restore_functions(current, saved)
    except NetworkError as exc:
        _say(False, f"Could not switch back: {exc}")
        return
    st.session_state[Keys.WHY_SAVED_FUNCTIONS] = None
    state.set_network(net, note="functions restored (Why it works)")
    _say(True, "The functions are back.")


def load_network(net: Network, note: str) -> None:
    """Callback: make ``net`` the network of every page."""
    state.set_network(net, note=note)
    st.session_state[Keys.WHY_SAVED_FUNCTIONS] = None
    _say(True, note[0].upper() + note[1:] + ": it is now the network of every page.")


@st.cache_data(max_entries=32, show_spinner=False)
def fit_widths(
    target: str, widths: tuple[int, ...], restarts: int, epochs: int, activation: str, seed: int
) -> approximation.Approximation:
    """:func:`nnviz.theory.approximation.approximate_by_width`, cached (same arguments, same fits)."""
    return approximation.approximate_by_width(
        target, widths=widths, restarts=restarts, epochs=epochs, activation=activation, seed=seed
    )
