"""Save, load and share the network: JSON and DOT downloads, JSON upload, the share link.

Uploads are parsed as JSON and validated by :func:`nnviz.files.from_json`
(never unpickled), capped at :data:`nnviz.files.MAX_JSON_BYTES`; a bad file
shows an error naming the problem and the current network stays.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from nnviz import files
from nnviz.figures.graph import dot_source, layer_summary_graph, too_big_to_draw
from nnviz.network import Network, NetworkError, is_large
from nnviz.ui import presentation, share_link, state, widgets
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W

MAX_UPLOAD_MB = max(1, files.MAX_JSON_BYTES // 1_000_000)


def load_upload(data: bytes) -> Network:
    """The network in an uploaded file's bytes; ``NetworkError`` naming what is wrong."""
    if len(data) > files.MAX_JSON_BYTES:
        raise NetworkError(f"the file is {len(data):,} bytes; the limit is {files.MAX_JSON_BYTES:,}")
    if not data.strip():
        raise NetworkError("the file is empty")
    return files.from_json(data)


def _on_upload() -> None:
    uploaded = st.session_state.get(W.UPLOAD)
    if uploaded is None:
        return
    name = uploaded.name
    try:
        if uploaded.size > files.MAX_JSON_BYTES:
            raise NetworkError(f"the file is {uploaded.size:,} bytes; the limit is {files.MAX_JSON_BYTES:,}")
        net = load_upload(uploaded.getvalue())
    except NetworkError as exc:
        st.session_state[Keys.UPLOAD_MESSAGE] = (False, f"{name}: {exc}")
        return
    state.set_network(net, note=f"loaded from {name}")
    st.session_state[Keys.UPLOAD_MESSAGE] = (True, f"Loaded {name}: {widgets.summary(net)}")


def figure_dot(net: Network, show_weights: bool = False) -> str:
    """The DOT text of the network's figure, as the paper draws it (the block view when too big to draw)."""
    palette = presentation.current_palette()
    if too_big_to_draw(net):
        return layer_summary_graph(net, palette=palette).source
    return dot_source(
        net, show_weights=show_weights, large=is_large(net), palette=palette, functions=widgets.preset_functions()
    )


def downloads(net: Network, show_weights: bool = False) -> None:
    """Buttons to download the network as JSON and its figure as DOT (both built only when clicked)."""
    st.download_button(
        "Network as JSON", lambda: files.to_json(net), file_name="network.json", mime="application/json",
        icon=":material/download:", on_click="ignore", width="stretch",
    )  # fmt: skip
    st.download_button(
        "Figure as DOT", lambda: figure_dot(net, show_weights), file_name="network.dot", mime="text/vnd.graphviz",
        icon=":material/download:", on_click="ignore", width="stretch",
    )  # fmt: skip


def upload() -> None:
    """A JSON upload that replaces the network when the file is valid."""
    st.file_uploader(
        "Load a network (JSON)",
        type=["json"],
        key=W.UPLOAD,
        on_change=_on_upload,
        max_upload_size=MAX_UPLOAD_MB,
        help="A file saved with 'Network as JSON' (format nnviz.network/1).",
    )
    widgets.flash(st.session_state.get(Keys.UPLOAD_MESSAGE), "**Not loaded; the network is unchanged.** ")


def link() -> None:
    """The share link of the current network (also kept in the address bar)."""
    params, exact = share_link.link_params()
    base = st.context.url or "http://localhost:8501/"
    st.code(base + "?" + urlencode(params), language=None, wrap_lines=True)
    if exact:
        st.caption("The address bar always holds this link: opening it restores this network exactly.")
    else:
        st.warning("This network is too large for a link: the link rebuilds its preset only. Save it as JSON instead.")
