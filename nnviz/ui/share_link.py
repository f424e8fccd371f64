"""Glue between the session's network and the URL's query parameters.

:func:`restore_from_url` reads a share link once per browser session;
:func:`sync_url` writes the current network back into the URL after every
change, so the address bar is always a link that restores it. The encoding and
all validation live in :mod:`nnviz.app.share` (pure, tested without streamlit).
"""

from __future__ import annotations

import streamlit as st

from nnviz.app import share
from nnviz.ui import state, widgets
from nnviz.ui.state import Keys

_CACHE = Keys.SHARE_CACHE


def restore_from_url() -> None:
    """Once per session: if the URL holds a share link, load its network (or note why not)."""
    state.init_session_state()
    ss = st.session_state
    if ss[Keys.URL_READ]:
        return
    ss[Keys.URL_READ] = True
    params = st.query_params.to_dict()
    try:
        knobs = share.decode_playground(params)
    except share.ShareError as exc:
        ss[Keys.URL_ERROR] = str(exc)
        knobs = {}
    if knobs:
        ss.setdefault(Keys.TRAINING_FORM, {}).update(knobs)  # the playground's widgets start from them
    if not share.has_link(params):
        return
    try:
        shared = share.decode(params)
    except share.ShareError as exc:
        ss[Keys.URL_ERROR] = str(exc)
        return
    ss[Keys.URL_NOTE] = "; ".join(shared.notes) or None
    state.set_preset(shared.preset)
    state.set_seed(shared.seed)
    state.set_network(shared.network, note="restored from a share link")


def link_params() -> tuple[dict[str, str], bool]:
    """The query parameters of the current network's link (and the playground's knobs, ``pg``), and whether
    they restore the network exactly."""
    key = (state.network_version(), state.current_preset(), state.current_seed(), id(state.current_network()))
    cached = st.session_state.get(_CACHE)
    if cached is None or cached[0] != key:
        cached = (key, share.encode(state.current_network(), state.current_preset(), state.current_seed()))
        st.session_state[_CACHE] = cached
    params, exact = cached[1]
    knobs = share.encode_playground(st.session_state.get(Keys.TRAINING_FORM) or {})  # the playground's knobs
    return (params if knobs is None else {**params, "pg": knobs}), exact


def sync_url() -> None:
    """Write the current network's link into the URL (only our keys; others are left alone)."""
    params, _ = link_params()
    current = st.query_params.to_dict()
    if all(current.get(k) == v for k, v in params.items()) and not any(
        k in current for k in share.FIELDS if k not in params
    ):
        return
    for k in share.FIELDS:
        if k not in params and k in st.query_params:
            del st.query_params[k]
    st.query_params.update(params)


def show_messages(page: str) -> None:
    """Say why the share link was not used, or what of it was changed, on the page the link opened.

    Call before the page runs. The messages stay on that page (``page`` is its id) until the user moves
    to another page.
    """
    ss = st.session_state
    error, note = ss.get(Keys.URL_ERROR), ss.get(Keys.URL_NOTE)
    if not error and not note:
        return
    landed = ss.setdefault(Keys.URL_PAGE, page)
    if landed != page:
        ss[Keys.URL_ERROR] = ss[Keys.URL_NOTE] = None
        return
    if error:
        widgets.error(error, prefix="**The share link could not be used,** so the default is shown: ")
    if note:
        st.warning("**Share link:** " + widgets.md_escape(note), icon=":material/warning:")


def url_error() -> str | None:
    """Why the share link this session was opened with was not used (None if it was, or there was none)."""
    state.init_session_state()
    return st.session_state[Keys.URL_ERROR]


def clear_url_error() -> None:
    """Forget the share-link error once the user has seen it."""
    st.session_state[Keys.URL_ERROR] = None
