"""The drawing of one animation frame: a frame's values turned into the graph's colours.

:mod:`nnviz.app.animation` decides what a frame shows (labels, highlights, which
neurons are not reached yet, the gradients of what is reached); this module
picks the colours, so colour choices stay in the figures layer:

- a neuron not reached yet is greyed (:data:`~nnviz.figures.style.UNREACHED_FILL`);
- a reached neuron is filled by the sign and size of dl/da_k, a reached edge
  coloured by dl/dw_ij (:func:`~nnviz.figures.style.gradient_color`: purple
  negative, orange positive, paler when smaller).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import graphviz

from nnviz.figures.graph import network_graph
from nnviz.figures.style import UNREACHED_FILL, gradient_color
from nnviz.network import Network

Edge = tuple[str, str]
#: Strongest fill of a neuron (black text stays readable) and the edge colours' strength range.
NEURON_STRENGTH = 0.6
EDGE_STRENGTH = (0.4, 1.0)


class FrameValues(Protocol):
    """What a frame hands the drawing (:class:`nnviz.app.animation.GraphView` is one)."""

    neuron_labels: Mapping[str, str]
    edge_labels: Mapping[Edge, str]
    highlight_neurons: tuple[str, ...]
    highlight_edges: tuple[Edge, ...]
    large: bool
    unreached: tuple[str, ...]
    dl_da: Mapping[str, float]
    dl_dw: Mapping[Edge, float]
    da_scale: float
    dw_scale: float


def frame_kwargs(view: FrameValues) -> dict[str, Any]:
    """Keyword arguments of :func:`~nnviz.figures.graph.network_graph` for ``view``, colours included."""
    fill = dict.fromkeys(view.unreached, UNREACHED_FILL)
    fill.update({nid: gradient_color(v, view.da_scale, max_strength=NEURON_STRENGTH) for nid, v in view.dl_da.items()})
    lo, hi = EDGE_STRENGTH
    colors = {e: gradient_color(v, view.dw_scale, max_strength=hi, min_strength=lo) for e, v in view.dl_dw.items()}
    return {
        "neuron_labels": view.neuron_labels,
        "edge_labels": view.edge_labels,
        "highlight_neurons": view.highlight_neurons,
        "highlight_edges": view.highlight_edges,
        "neuron_fill": fill,
        "edge_colors": colors,
        "large": view.large,
    }


def frame_graph(
    net: Network, view: FrameValues, palette: str = "paper", functions: dict[str, str] | None = None
) -> graphviz.Digraph:
    """The paper-style drawing of ``net`` as ``view`` shows it (see :func:`frame_kwargs`).

    ``functions``: each role's default function (see ``network_graph``).
    """
    return network_graph(net, **frame_kwargs(view), palette=palette, functions=functions)
