"""The house style every figure shares: safe labels, the gradient colours, the plotly layouts.

- :data:`PALETTES`: the colours of the network drawings, per colour scheme.
- :func:`plain`: user text (neuron ids, CSV column names) made inert for plotly.
- :data:`SUBSCRIPT`: digits as unicode subscripts, for the paper's names (σ₃, w₃,₆).
- :func:`gradient_color`: a colour-blind-safe diverging colour for a gradient
  (purple negative, orange positive, pale when small); :data:`UNREACHED_FILL`
  greys a neuron an animation has not reached yet.
- :class:`PlotStyle` and :func:`styled`: title, font, margins, legend and template
  of a plotly figure. One style per family of figures: :data:`VALUES` (the pass
  pages), :data:`TRAINING` (loss curves and fits), :data:`THEORY` (the Why page).

Importing this module loads neither plotly nor graphviz: the UI layer reads
its colours without building a figure.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Diverging end points (ColorBrewer PuOr, colour-blind safe) and the neutral middle.
NEGATIVE_RGB = (94, 60, 153)  # purple
POSITIVE_RGB = (230, 97, 1)  # orange
NEUTRAL_RGB = (247, 247, 247)
NON_FINITE_COLOR = "#ff0000"
#: Fill of a neuron the pass has not reached yet.
UNREACHED_FILL = "#eeeeee"
#: Digits as unicode subscripts: "36".translate(SUBSCRIPT) == "₃₆".
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

#: Fill and border colour per role, and colours for edges and highlights. The highlight (the neurons and
#: edges of the current animation step) is drawn dashed and thick in a neutral ink, never in a colour that
#: also means a value (the gradient colours below, the role fills).
PALETTES: dict[str, dict[str, str]] = {
    "paper": {
        "input": "#b6e3a8",
        "input_border": "#3b8a32",
        "output": "#ffe27a",
        "output_border": "#b08d00",
        "bias": "#a8ccf4",
        "bias_border": "#2d6bb3",
        "hidden": "#ffffff",
        "hidden_border": "#5a5a5a",
        "edge": "#555555",
        "label_bg": "#ffffffd9",
        "highlight": "#111111",
        "cluster": "#9a9a9a",
        "text": "#111111",
    },
    "print": {
        "input": "#dddddd",
        "input_border": "#000000",
        "output": "#bbbbbb",
        "output_border": "#000000",
        "bias": "#f2f2f2",
        "bias_border": "#000000",
        "hidden": "#ffffff",
        "hidden_border": "#000000",
        "edge": "#000000",
        "label_bg": "#ffffffd9",
        "highlight": "#000000",
        "cluster": "#777777",
        "text": "#000000",
    },
    "colorblind": {  # Okabe-Ito colours: told apart with any common colour-vision deficiency
        "input": "#009e73",
        "input_border": "#00513b",
        "output": "#f0e442",
        "output_border": "#7a7000",
        "bias": "#56b4e9",
        "bias_border": "#0072b2",
        "hidden": "#ffffff",
        "hidden_border": "#000000",
        "edge": "#555555",
        "label_bg": "#ffffffd9",
        "highlight": "#000000",
        "cluster": "#777777",
        "text": "#000000",
    },
}

LEGEND_ON_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0}
LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0.0}


def plain(text: object) -> str:
    """``text`` made inert for plotly labels: HTML escaped, ``$`` kept from starting LaTeX."""
    return html.escape(str(text)).replace("$", "&#36;")


def gradient_color(value: float, scale: float, max_strength: float = 0.75, min_strength: float = 0.0) -> str:
    """Hex colour for ``value`` relative to ``scale`` (the largest |value| on screen).

    Negative -> purple, positive -> orange, 0 -> neutral grey-white; strength
    grows with sqrt(|value| / scale) from ``min_strength`` (keep thin edges
    visible) up to ``max_strength`` (so black text stays readable on a filled
    neuron). A non-finite ``value`` is red.
    """
    v = float(value)
    if not math.isfinite(v):
        return NON_FINITE_COLOR
    if scale <= 0 or not math.isfinite(scale) or v == 0.0:
        t = 0.0
    else:
        t = min_strength + (max_strength - min_strength) * math.sqrt(min(abs(v) / scale, 1.0))
    end = POSITIVE_RGB if v > 0 else NEGATIVE_RGB
    rgb = [round(n + t * (e - n)) for n, e in zip(NEUTRAL_RGB, end, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


@dataclass(frozen=True)
class PlotStyle:
    """How a family of plotly figures looks: font, title size (None: plotly's), margins, legend, height."""

    font: dict[str, Any]
    margin: dict[str, int]
    legend: dict[str, Any] = field(default_factory=lambda: dict(LEGEND_ON_TOP))
    title_size: int | None = None
    height: int = 380


#: The Forward and Backpropagation pages' plots (:mod:`nnviz.figures.values`).
VALUES = PlotStyle(font={"size": 16}, margin={"l": 60, "r": 20, "t": 60, "b": 50}, title_size=18)
#: Loss curves, histograms and fits (:mod:`nnviz.figures.training`, :mod:`nnviz.figures.fit`).
TRAINING = PlotStyle(
    font={"size": 16, "family": "Arial, Helvetica, sans-serif"},
    margin={"l": 70, "r": 20, "t": 60, "b": 60},
    height=420,
)
#: The "Why it works" exhibits (:mod:`nnviz.figures.theory`): legend below the plot.
THEORY = PlotStyle(
    font={"size": 15}, margin={"l": 60, "r": 20, "t": 50, "b": 120}, legend=dict(LEGEND_BELOW), title_size=17
)


TEMPLATE = "plotly_white"


def figure(*args: Any, **kwargs: Any) -> go.Figure:
    """A new ``go.Figure(*args, **kwargs)`` in the :data:`TEMPLATE` look.

    Plotly validates a template set with ``update_layout`` (about 15 ms a
    figure). Like plotly's own code for its default template
    (``BaseFigure._initialize_layout_template``), this sets the registered,
    already valid template with validation off (about 1 ms).
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    fig = go.Figure(*args, **kwargs)
    fig.layout._validate = False
    try:
        fig.layout.template = pio.templates[TEMPLATE]
    finally:
        fig.layout._validate = True
    return fig


def styled(
    fig: go.Figure, title: str, style: PlotStyle, height: int | None = None, x: str | None = None, y: str | None = None
) -> go.Figure:
    """``fig`` with ``style``'s look, ``title`` and, when given, the axis titles ``x`` and ``y``; returns ``fig``."""
    fig.update_layout(
        title={"text": title, "font": {"size": style.title_size}} if style.title_size else title,
        font=style.font,
        height=style.height if height is None else height,
        margin=style.margin,
        legend=style.legend,
    )
    if fig.layout.template.layout.paper_bgcolor is None:  # not made by figure()
        fig.update_layout(template=TEMPLATE)
    if x is not None or y is not None:
        fig.update_layout(xaxis_title=x, yaxis_title=y)
    return fig
