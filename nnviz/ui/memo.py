"""Charts of a training run built once per session: a rerun that does not change them reuses them.

Streamlit reruns the whole page on every click. On the Training page, most of a
rerun went into rebuilding the charts of the last run (every restart's loss
curve, the histogram, the fits, the landscape, the replays' frames) when the
click changed something else, such as the data source. :func:`chart` keeps each
chart, already serialised, under its run and its arguments, so an unchanged chart
costs a dictionary lookup. A run still training (its epoch count grows) makes
new keys; old entries are dropped beyond :data:`KEPT`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from nnviz.ui.state import Keys

KEPT = 24  # charts kept per session


class FrozenFigure(go.Figure):
    """A figure serialised once: :meth:`to_dict` (what ``st.plotly_chart`` sends) returns that dict.

    It holds no traces of its own; use it only to hand a finished figure to ``st.plotly_chart``.
    """

    def __init__(self, fig: go.Figure) -> None:
        super().__init__()
        self._frozen = fig.to_dict()

    def to_dict(self) -> dict:
        """The figure it was made from, as a dict (the same dict every time: do not change it)."""
        return self._frozen


def chart(owner: object, name: str, args: Hashable, build: Callable[[], Any]) -> FrozenFigure:
    """``build()`` frozen, once per ``owner`` (a training job), ``name`` and ``args``, per session.

    ``owner`` is held with its entry, so its ``id`` is not reused by another
    object while the entry lives; its ``epochs_done`` (when it has one) is part
    of the key, so a run that is still training is drawn anew as it grows.
    """
    store: dict = st.session_state.setdefault(Keys.CHARTS, {})
    key = (id(owner), getattr(owner, "epochs_done", None), name, args)
    entry = store.get(key)
    if entry is None or entry[0] is not owner:
        entry = (owner, FrozenFigure(build()))
        store.pop(key, None)
        for old in list(store)[: max(0, len(store) - KEPT + 1)]:
            del store[old]
        store[key] = entry
    return entry[1]
