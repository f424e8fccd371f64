"""The live graph's layout: where edge labels go (on their edge, clear of neurons, pictures and each other)."""

from __future__ import annotations

import math

import pytest

from nnviz import presets
from nnviz.app.graph_layout import BESIDE, LABEL, LABEL_PAD, PICTURE_GAP, Layout, layout
from nnviz.app.live_graph import NAMES_SCALE
from nnviz.network import Network

NAMES = (4 * NAMES_SCALE, NAMES_SCALE)  # the Network page's labels: a weight's name


def boxes(net: Network, lay: Layout, label: tuple[float, float], pictures: bool) -> tuple[list, list]:
    """(label boxes, neuron and picture boxes) as (centre x, centre y, width, height), computed independently."""
    f, (chars, lines) = lay.edge_font, label
    w, h = chars * 0.58 * f + 8, lines * 1.15 * f + 4
    r, side = lay.radius, lay.picture_side
    things = [(x, y, 2 * r, 2 * r) for x, y in lay.xy.values()]
    things += [(lay.xy[n.id][0] + r * (1 + PICTURE_GAP) + side / 2, lay.xy[n.id][1], side, side)
               for n in net.neurons if pictures and n.computes]  # fmt: skip
    return [(x, y, w, h) for x, y in lay.label_at], things


def overlaps(a: tuple, b: tuple) -> bool:
    return abs(a[0] - b[0]) < (a[2] + b[2]) / 2 and abs(a[1] - b[1]) < (a[3] + b[3]) / 2


VALUES = (11.0, 1.0)  # the Network page with "Show weight values": "w₁,₃ = 0.80"

NETS = {"paper": presets.paper_network(), "xor": presets.xor(), "non_layered": presets.non_layered()}


@pytest.mark.parametrize("name", NETS)
@pytest.mark.parametrize("pictures", [True, False])
@pytest.mark.parametrize("present", [True, False])
@pytest.mark.parametrize("label", [LABEL, NAMES, VALUES])
def test_no_label_covers_a_neuron_or_a_picture_on_small_networks(name, pictures, present, label):
    net = NETS[name]
    lay = layout(net, pictures, False, True, present, label=label)
    labels, things = boxes(net, lay, label, pictures)
    assert not [(j, k) for j, a in enumerate(labels) for k, b in enumerate(things) if overlaps(a, b)]


@pytest.mark.parametrize("present", [True, False])
@pytest.mark.parametrize("label", [NAMES, VALUES])
def test_the_network_pages_labels_on_the_papers_network_do_not_touch(present, label):
    net = presets.paper_network()
    lay = layout(net, True, False, True, present, label=label)
    labels, _ = boxes(net, lay, label, True)
    assert not [(j, k) for j, a in enumerate(labels) for k, b in enumerate(labels[j + 1 :]) if overlaps(a, b)]


@pytest.mark.parametrize("name", NETS)
def test_every_label_sits_on_its_edge_between_the_neurons(name):
    net = NETS[name]
    lay = layout(net, True, False, True)
    for (s, d), (lx, ly), path in zip(net.edges, lay.label_at, lay.paths, strict=True):
        if "Q" in path:  # a curved skip edge: between its ends
            assert lay.xy[s][0] < lx < lay.xy[d][0]
            continue
        (x1, y1), (x2, y2) = (tuple(map(float, p.split(","))) for p in path[1:].split(" L"))
        along = ((lx - x1) * (x2 - x1) + (ly - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2)
        assert 0.12 < along < 0.88
        off = abs((lx - x1) * (y2 - y1) - (ly - y1) * (x2 - x1)) / math.hypot(x2 - x1, y2 - y1)
        height = LABEL[1] * 1.15 * lay.edge_font + 4 + LABEL_PAD
        assert off <= BESIDE * height + 1e-6  # on the straight line, or just beside it (the line along its border)
