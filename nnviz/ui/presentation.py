"""Presentation mode and the colour palette: the app on a projector.

Presentation mode hides the sidebar's architecture editor, and a fixed style
sheet (no user text in it) enlarges the graph, text, numbers, equations and
buttons, so the stepper's Back / Next controls become large enough to hit
during a talk. It is switched by a sidebar toggle or by the URL flag
``?present=1`` (``?present=0`` switches it off); ``?palette=colorblind``
chooses the colour-blind-safe palette (Okabe-Ito colours). While on, the flags
are kept in the address bar, so a reload or a copied link presents again.

Pages ask :func:`presentation_mode` and :func:`current_palette`::

    network_graph(net, palette=current_palette())

Everything read from the URL is validated; an unknown value is ignored with a
message naming it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import streamlit as st

from nnviz.figures.style import PALETTES
from nnviz.ui import state, widgets
from nnviz.ui.presenter import BAR_CSS
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W

URL_PRESENT = "present"
URL_PALETTE = "palette"
_ON = ("1", "true", "yes", "on")
_OFF = ("0", "false", "no", "off")
#: The palettes offered in the sidebar (any key of PALETTES is accepted from a scene or URL).
PALETTE_LABELS = {"paper": "The paper's colours", "colorblind": "Colour-blind safe (Okabe-Ito)"}

#: Fixed style sheet of presentation mode (never contains user text).
CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 3rem; padding-left: 2rem; padding-right: 2rem; }
[data-testid="stMain"] h1 { font-size: 2.5rem; }
[data-testid="stMain"] h2 { font-size: 2.1rem; }
[data-testid="stMain"] h3 { font-size: 1.7rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.35rem; line-height: 1.5; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
[data-testid="stMain"] .katex { font-size: 1.5em; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p
  { font-size: 2.8rem; line-height: 1.2; }
[data-testid="stMain"] [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.2rem; }
[data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
[data-testid="stMain"] input, [data-testid="stMain"] [data-baseweb="select"] { font-size: 1.2rem; }
[data-testid="stMain"] [data-testid="stCode"] code { font-size: 1.15rem; }
[data-testid="stMain"] [data-testid="stGraphVizChart"] svg { max-height: 54vh; }
[data-testid="stMain"] button[data-testid^="stBaseButton"] { min-height: 3.4rem; padding: 0.3rem 0.5rem; }
[data-testid="stMain"] button[data-testid^="stBaseButton"] p { font-size: 1.2rem; font-weight: 600; }
[data-testid="stMain"] button[data-testid^="stBaseButton"] [data-testid="stIconMaterial"] { font-size: 1.9rem; }
[data-testid="stMain"] button[data-testid^="stBaseButton"] kbd { display: none; }
"""


#: The smallest text on screen while presenting, in CSS pixels (issue 25.6: text for a room).
ROOM_FONT_PX = 18
#: Layout keys of axes (``xaxis``, ``yaxis2``, a 3-D scene's ``zaxis``).
AXIS = re.compile(r"[xyz]axis\d*")
#: Trace types drawn on x and y axes.
CARTESIAN = ("scatter", "scattergl", "bar", "heatmap", "contour", "histogram", "box", "violin")
#: Figure keys whose value is a font (``{"size": ...}``); every one is raised to :data:`ROOM_FONT_PX` while presenting.
_FONT_KEYS = ("font", "tickfont", "textfont", "insidetextfont", "outsidetextfont", "titlefont")


def _raise_fonts(node: Any, size: float) -> None:
    """Every font under ``node`` (a figure's dict) to at least ``size``; lists of numbers are not walked."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _FONT_KEYS and isinstance(value, dict):
                if not isinstance(value.get("size"), (int, float)) or value["size"] < size:
                    value["size"] = size
            elif isinstance(value, (dict, list, tuple)):
                _raise_fonts(value, size)
    elif isinstance(node, (list, tuple)) and node and isinstance(node[0], dict):
        for item in node:
            _raise_fonts(item, size)


def _name_fonts(layout: dict[str, Any]) -> None:
    """Give every axis, colour bar, legend and title of ``layout`` its own fonts, so that the theme's (the browser
    applies Streamlit's after the figure's own) cannot keep its 12 px; :func:`_raise_fonts` then raises them."""
    for key, value in list(layout.items()):
        if not isinstance(value, dict):
            continue
        if AXIS.fullmatch(key) or key == "colorbar":
            value.setdefault("tickfont", {})
            if value.get("type") == "log" and "dtick" not in value:
                value["dtick"] = 1  # decades only: the 2 and 5 between them are drawn at 3/4 of the tick font
        if AXIS.fullmatch(key) or key in ("colorbar", "legend", "title"):
            title = value.get("title")
            if key != "title":
                value["title"] = {"text": title} if isinstance(title, str) else (title or {})
                value["title"].setdefault("font", {})
            else:
                value.setdefault("font", {})
        if key in ("legend", "coloraxis", "scene") or key.startswith(("scene", "coloraxis")):
            value.setdefault("font", {}) if key == "legend" else _name_fonts(value)


def room_figure(fig: Any) -> Any:
    """``fig`` as ``st.plotly_chart`` should show it: while presenting, a copy (a dict) whose every font, ticks,
    axis titles, legend, annotations and colour bars included, is at least :data:`ROOM_FONT_PX`; else ``fig``."""
    if not presentation_mode():
        return fig
    doc = fig.to_dict() if hasattr(fig, "to_dict") else copy.deepcopy(dict(fig))
    layout = doc.setdefault("layout", {})
    font = layout.setdefault("font", {})
    font["size"] = max(float(font.get("size") or 0), ROOM_FONT_PX)
    for trace in doc.get("data") or []:  # the axes a trace draws on, though the layout may not name them
        if isinstance(trace, dict) and trace.get("type", "scatter") in CARTESIAN:
            for axis in ("x", "y"):
                layout.setdefault(axis + "axis" + str(trace.get(axis + "axis", axis))[1:], {})
    _name_fonts(layout)
    for trace in doc.get("data") or []:
        if isinstance(trace, dict) and isinstance(trace.get("colorbar"), dict):
            _name_fonts({"colorbar": trace["colorbar"]})
    _raise_fonts(doc, ROOM_FONT_PX)
    return doc


def presentation_mode() -> bool:
    """True while the app presents (large type, no editor)."""
    state.init_session_state()
    return bool(st.session_state[Keys.PRESENT])


def current_palette() -> str:
    """The palette pages pass to ``network_graph`` ("paper" or "colorblind")."""
    state.init_session_state()
    name = st.session_state[Keys.PALETTE]
    return name if name in PALETTES else "paper"


def set_presentation(on: bool) -> None:
    """Switch presentation mode on or off."""
    state.init_session_state()
    st.session_state[Keys.PRESENT] = bool(on)


def set_palette(name: str) -> None:
    """Choose the palette (a key of :data:`nnviz.figures.style.PALETTES`); ``ValueError`` otherwise."""
    if name not in PALETTES:
        raise ValueError(f"unknown palette {name!r} (use one of {', '.join(PALETTES)})")
    state.init_session_state()
    st.session_state[Keys.PALETTE] = name


def _flag(raw: str) -> bool | None:
    value = raw.strip().lower()
    return True if value in _ON else False if value in _OFF else None


def read_url() -> bool:
    """Apply ``?present=`` and ``?palette=`` when the URL's values changed since the last run.

    Only a changed value is applied, so a link opened once does not fight the
    sidebar toggle on later runs. Unknown values are ignored and remembered as
    a message (see :func:`url_error`). True when the link switched presentation on.
    """
    state.init_session_state()
    ss = st.session_state
    raw = (st.query_params.get(URL_PRESENT), st.query_params.get(URL_PALETTE))
    if raw == ss.get(Keys.PRESENT_URL):
        return False
    ss[Keys.PRESENT_URL] = raw
    present, palette = raw
    problems = []
    switched_on = False
    if present is not None:
        flag = _flag(present)
        if flag is None:
            problems.append(f"present={present[:30]!r} is not 1 or 0")
        else:
            switched_on = flag and not presentation_mode()
            set_presentation(flag)
    if palette is not None:
        if palette in PALETTES:
            set_palette(palette)
        else:
            problems.append(f"palette={palette[:30]!r} is not one of {', '.join(PALETTE_LABELS)}")
    ss[Keys.PRESENT_URL_ERROR] = "; ".join(problems) or None
    return switched_on


def sync_url() -> None:
    """Keep ``present=1`` / ``palette=...`` in the address bar while they differ from the defaults."""
    ss = st.session_state
    wanted = ("1" if presentation_mode() else None, None if current_palette() == "paper" else current_palette())
    for key, value in zip((URL_PRESENT, URL_PALETTE), wanted, strict=True):
        if value is None and key in st.query_params:
            del st.query_params[key]
        elif value is not None and st.query_params.get(key) != value:
            st.query_params[key] = value
    ss[Keys.PRESENT_URL] = wanted


def url_error() -> str | None:
    """A URL flag that was not understood (shown once by :func:`controls`)."""
    state.init_session_state()
    return st.session_state.get(Keys.PRESENT_URL_ERROR)


def _on_toggle() -> None:
    set_presentation(bool(st.session_state.get(W.PRESENT)))


def _on_palette() -> None:
    name = st.session_state.get(W.PALETTE)
    if name in PALETTES:
        set_palette(name)


def controls() -> None:
    """The presentation toggle and the palette choice (call inside ``st.sidebar``)."""
    ss = st.session_state
    ss[W.PRESENT] = presentation_mode()  # the plain key is the truth; the widget shows it
    ss[W.PALETTE] = current_palette()
    options = list(PALETTE_LABELS) + [p for p in (current_palette(),) if p not in PALETTE_LABELS]
    st.toggle(
        "Presentation mode",
        key=W.PRESENT,
        on_change=_on_toggle,
        help="Large type for a projector and no editor; big Back / Next buttons step the animations. "
        "The link ?present=1 opens the app this way.",
    )
    st.selectbox("Colours", options, key=W.PALETTE, format_func=lambda p: PALETTE_LABELS.get(p, p),
                 on_change=_on_palette)  # fmt: skip
    problem = url_error()
    if problem:
        widgets.error(problem, prefix="**Ignored in the link:** ")
        ss[Keys.PRESENT_URL_ERROR] = None


def apply_css() -> None:
    """Inject the presentation style sheet when presentation mode is on (fixed text only)."""
    if presentation_mode():
        st.html(f"<style>{CSS}{BAR_CSS}</style>")


def setup() -> None:
    """Read the URL flags and style the page (call early in ``app.py``, every run).

    A link that switches presentation on also collapses the sidebar, so the
    projector shows the page alone (the sidebar's arrow brings back the scenes).
    """
    if read_url():
        st.set_page_config(initial_sidebar_state="collapsed")
    apply_css()
