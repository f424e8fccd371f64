"""Small widgets and helpers shared by pages: safe text, role legend, network summary.

``st.markdown``/``st.error`` interpret markdown (and ``:red[...]``, ``$...$``)
in any string: :func:`md_escape` makes user text literal before it goes into
one of them.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from nnviz.app.chart_text import describe
from nnviz.figures.graph import FONT_SIZES
from nnviz.figures.style import PALETTES
from nnviz.network import Network
from nnviz.ui.state import Keys

_PUNCT = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&\"'=^%@,;?/])")


def progress_ticker(bar: object, text: Callable[[int, int], str], every: float = 0.1) -> Callable[[int, int], None]:
    """``tick(done, total)``: moves ``bar`` (an ``st.progress``) at most every ``every`` seconds, and at the end."""
    last = [0.0]

    def tick(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= every or done == total:
            last[0] = now
            bar.progress(done / total, text=text(done, total))  # type: ignore[attr-defined]

    return tick


def md_escape(text: object) -> str:
    """``text`` with every markdown-active character backslash-escaped, newlines as spaces."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).splitlines()))


def error(message: object, prefix: str = "") -> None:
    """``st.error`` with ``message`` shown literally after an optional (trusted) ``prefix``."""
    st.error(prefix + md_escape(message), icon=":material/error:")


def flash(message: tuple[bool, str] | None, error_prefix: str = "") -> None:
    """Show the outcome ``(ok, text)`` of an action: a success note, or an error after ``error_prefix``.

    ``text`` is shown literally (it may hold user text such as a file name);
    ``error_prefix`` is trusted markdown. Nothing is shown for None.
    """
    if not message:
        return
    ok, text = message
    if ok:
        st.success(md_escape(text), icon=":material/check_circle:")
    else:
        error(text, prefix=error_prefix)


#: Captions in a grey dark enough for WCAG AA (4.5:1) on white and on the sidebar's grey (Streamlit's is 3.8:1).
CAPTION_CSS = '[data-testid="stCaptionContainer"]{color:#5c5b5a;opacity:1}'
#: A long equation scrolls inside its own box on a narrow screen instead of running past the page's edge.
EQUATION_CSS = ".katex-display{overflow-x:auto;overflow-y:hidden;max-width:100%;padding-bottom:2px}"
#: Text for screen readers only (a chart's text alternative).
SR_ONLY_CSS = ".nnv-sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);"
SR_ONLY_CSS += "white-space:nowrap;border:0}"


def graph_font_css() -> None:
    """Let st.graphviz_chart show the figure's own font sizes.

    Streamlit's chart CSS gives every SVG element one small font size; this
    fixed style sheet (no user text) restores each size graph.py uses, so
    sigma_k is larger than the numbers under it, as in a notebook.
    """
    rules = "".join(
        f'[data-testid="stGraphVizChart"] svg text[font-size="{pt:.2f}"]{{font-size:{pt}px}}' for pt in FONT_SIZES
    )
    rules += ".st-key-nnviz_keys,.st-key-nnviz_storage{display:none}"  # nnviz.ui.presenter and .storage: no room
    rules += CAPTION_CSS + EQUATION_CSS + SR_ONLY_CSS
    st.html(f"<style>{rules}</style>")


def role_legend(palette: str | None = None) -> None:
    """A one-line colour key: input green, output yellow, bias blue, hidden white (in the session's palette)."""
    pal = PALETTES.get(palette or st.session_state.get(Keys.PALETTE, "paper"), PALETTES["paper"])
    chips = " ".join(
        f"<span style='background:{pal[r]};color:#111;border:1.5px solid {pal[r + '_border']};border-radius:1em;"
        f"padding:0.05em 0.7em;margin-right:0.4em'>{label}</span>"
        for r, label in (("input", "input"), ("hidden", "hidden"), ("bias", "bias"), ("output", "output"))
    )
    st.markdown(chips, unsafe_allow_html=True)  # fixed text and colours only, no user input


def preset_functions() -> dict[str, str] | None:
    """The sidebar preset's hidden and output functions, for ``network_graph(functions=...)``.

    A neuron given another function (the sidebar's *Set function*) then shows its
    name under sigma_k. Only the paper's network and fully connected layers take
    their functions from the preset; for the others the drawing uses each role's
    most common function.
    """
    preset = st.session_state.get(Keys.PRESET)
    if preset is None or preset.name not in ("paper", "layered"):
        return None
    return {"hidden": preset.activation, "output": preset.output_activation}


def summary(net: Network) -> str:
    """A one-line, markdown-safe summary: counts of neurons by role, edges, layered or not."""
    roles = [n.role for n in net.neurons]
    counts = ", ".join(f"{roles.count(r)} {r}" for r in ("input", "bias", "hidden", "output") if r in roles)
    layers = net.layers()
    shape = f"{len(layers)} layers" if layers is not None else "not layered"
    return f"{len(net.neurons)} neurons ({counts}) · {len(net.edges)} edges · {shape}"


def text_alternative(fig: Any, what: str = "Chart") -> None:
    """The chart ``fig`` in words, for screen readers only (:func:`nnviz.app.chart_text.describe`); call after it."""
    st.html(f'<p class="nnv-sr">{html.escape(describe(fig, what))}</p>')
