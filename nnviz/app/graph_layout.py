"""Where every neuron and edge of the live graph sits, computed once per network from the engine's layering.

Columns are the paper's layers (``net.layers()``), or, for a network that is
not layered, its longest-path levels (``net.levels``) with every bias neuron
moved to the column just before its first target. Neurons are evenly spaced
in their column, centred, bias neurons last (as in the paper's figures).
Edges between neighbouring columns are straight; an edge that skips columns
is a gentle quadratic curve bowing above the neurons it passes. Layered
networks get one box per layer.

Sizes are in SVG user units; the browser scales the whole drawing to fit.
The density (neuron radius, font sizes) follows the tallest column, so the
paper's network has 20-unit numbers and 2,8,8,1 still fits a laptop screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnviz.network import Network

#: (tallest column up to, radius, title font, value font, edge font, gap between neurons)
DENSITIES: tuple[tuple[int, float, float, float, float, float], ...] = (
    (4, 48.0, 26.0, 20.0, 16.0, 16.0),
    (6, 42.0, 22.0, 15.0, 14.0, 20.0),
    (10, 33.0, 17.0, 12.0, 12.0, 12.0),
    (20, 20.0, 12.0, 0.0, 11.0, 8.0),
)
#: The same when presenting on a 1280x720 screen: larger type (18 px or more on screen); tall columns,
#: where the height runs out first, keep their titles (sigma_k) and show values on hover and in the panels.
PRESENT_DENSITIES: tuple[tuple[int, float, float, float, float, float], ...] = (
    (4, 48.0, 30.0, 25.0, 18.0, 16.0),
    (6, 40.0, 24.0, 17.0, 14.0, 10.0),
    (10, 21.0, 23.0, 0.0, 13.0, 4.0),
    (20, 14.0, 16.0, 0.0, 11.0, 3.0),
)
COMPACT = (10_000, 7.0, 0.0, 0.0, 10.0, 5.0)  # tall columns or huge networks: no text inside neurons
PICTURE_SIDE = 1.4  # side of a neuron's picture, in radii
PRESENT_PICTURE_SIDE = 1.1  # ... when presenting (the width goes to larger type)
PICTURE_GAP = 0.15
BOX_PAD = 14.0
BOX_LABEL = 22.0  # room above a layer box for its name
MARGIN = 8.0
LABEL = (9.0, 2.0)  # an edge label's size, (characters, lines): the forward pass's "w=-0.12" over "w·z=0.428"
REFINE_SWEEPS, REFINE_MAX_EDGES = 4, 40  # label sweeps against all the others, on networks this small
LABEL_TS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)  # where along an edge its label may go (0 = source)
FINE_TS = tuple(round(0.14 + 0.02 * k, 2) for k in range(37))  # ... and, on networks this small, anywhere between
BESIDE = 0.55  # a label moved off its edge, in label heights (its edge then runs along its border)
LABEL_PAD = 4.0  # room kept between two labels (the JS draws the text slightly wider than its box)


@dataclass(frozen=True)
class Layout:
    """Positions and sizes of one drawing (SVG units; y grows downwards).

    ``columns``: neuron ids per column, top to bottom. ``xy``: id -> centre.
    ``paths``: one SVG path per edge (``net.edges`` order), ``label_at``: a point
    on each edge for its numbers. ``boxes``: (x, y, w, h, name) per layer box.
    """

    width: float
    height: float
    radius: float
    title_font: float
    value_font: float
    edge_font: float
    picture_side: float
    columns: list[list[str]]
    xy: dict[str, tuple[float, float]]
    paths: list[str]
    label_at: list[tuple[float, float]]
    boxes: list[tuple[float, float, float, float, str]]


def columns_of(net: Network) -> tuple[list[list[str]], bool]:
    """The drawing's columns (top to bottom, bias neurons last) and whether they are the paper's layers."""
    layers = net.layers()
    if layers is not None:
        cols = [list(layer) for layer in layers]
    else:
        level = {nid: k for k, lv in enumerate(net.levels) for nid in lv}
        for n in net.neurons:  # a bias neuron sits just before the first neuron it feeds
            targets = [level[d] for _, d in net.outgoing(n.id)]
            if n.role == "bias" and targets:
                level[n.id] = max(min(targets) - 1, 0)
        cols = [[] for _ in range(max(level.values()) + 1)]
        for nid in net.ids:
            cols[level[nid]].append(nid)
        cols = [c for c in cols if c]
    order = {nid: k for k, nid in enumerate(net.ids)}
    return [sorted(c, key=lambda nid: (net.neuron(nid).role == "bias", order[nid])) for c in cols], layers is not None


def density(tallest: int, compact: bool, present: bool = False) -> tuple[float, float, float, float, float]:
    """(radius, title font, value font, edge font, gap) for a tallest column of ``tallest`` neurons."""
    if not compact:
        for limit, *sizes in PRESENT_DENSITIES if present else DENSITIES:
            if tallest <= limit:
                return tuple(sizes)  # type: ignore[return-value]
    return COMPACT[1:]


def _edge_geometry(
    p1: tuple[float, float], p2: tuple[float, float], span: int, radius: float, slot: float, start_dx: float
) -> tuple[str, tuple[float, float, float]]:
    """SVG path from the source (its right side, ``start_dx`` from the centre) to the target's rim.

    Returns the path and the quadratic control point plus its curve flag, used to place labels.
    """
    (x1, y1), (x2, y2) = p1, p2
    sx = x1 + start_dx
    if span <= 1:
        cx, cy = (sx + x2) / 2, (y1 + y2) / 2
    else:  # bow above the neurons in between: the more columns skipped, the higher
        cx, cy = (sx + x2) / 2, min(y1, y2) - slot * min(0.45 * (span - 1) + 0.35, 1.6)
    dx, dy = cx - x2, cy - y2  # from the target's centre towards where the edge comes from
    norm = math.hypot(dx, dy) or 1.0
    ex, ey = x2 + dx / norm * (radius + 3), y2 + dy / norm * (radius + 3)
    if span <= 1:
        return f"M{sx:.1f},{y1:.1f} L{ex:.1f},{ey:.1f}", (cx, cy, 0.0)
    return f"M{sx:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}", (cx, cy, 1.0)


def _label_points(
    path_end: tuple[float, float], start: tuple[float, float], ctrl: tuple[float, float, float], t: np.ndarray
) -> np.ndarray:
    """The points at ``t`` ``(T,)`` along an edge (a line, or a quadratic curve through ``ctrl``): ``(T, 2)``."""
    (sx, sy), (ex, ey), (cx, cy, curved) = start, path_end, ctrl
    if not curved:
        return np.stack([sx + t * (ex - sx), sy + t * (ey - sy)], axis=1)
    u = 1 - t
    return np.stack([u * u * sx + 2 * u * t * cx + t * t * ex, u * u * sy + 2 * u * t * cy + t * t * ey], axis=1)


def _overlap(points: np.ndarray, box: tuple[float, float], others: np.ndarray) -> np.ndarray:
    """Area a label box centred at each of ``points`` ``(T, 2)`` shares with ``others`` ``(M, 4)``: ``(T,)``."""
    w, h = box
    dx = np.maximum(0.0, (w + others[:, 2]) / 2 - np.abs(points[:, :1] - others[:, 0]))  # (T, M)
    dy = np.maximum(0.0, (h + others[:, 3]) / 2 - np.abs(points[:, 1:] - others[:, 1]))  # (T, M)
    return (dx * dy).sum(axis=1)


def _beside(points: np.ndarray, height: float) -> np.ndarray:
    """``points`` ``(T, 2)`` along an edge, then the same points moved off the edge, above and below it, by
    :data:`BESIDE` label heights: ``(3 T, 2)`` (the points on the edge first: they are preferred)."""
    ahead = np.diff(points, axis=0, append=points[-1:] + (points[-1:] - points[-2:-1]))  # (T, 2): along the edge
    normal = np.stack([-ahead[:, 1], ahead[:, 0]], axis=1)
    normal /= np.maximum(np.hypot(normal[:, :1], normal[:, 1:]), 1e-9)
    return np.concatenate([points, points + BESIDE * height * normal, points - BESIDE * height * normal])


def _place_labels(
    curves: list[tuple], box: tuple[float, float], obstacles: list[tuple[float, float, float, float]]
) -> list[tuple[float, float]]:
    """A point on each edge for its label, slid along the edge so that labels cover no neuron and no other label.

    ``curves`` holds, per edge, (end, start, control point, preferred t); ``box`` is a label's (width, height);
    ``obstacles`` are what labels must not cover (neurons and pictures), as (centre x, centre y, width, height).
    Edges are placed in order; each takes the first position along it that overlaps nothing placed
    before it, else the one that overlaps least (covering a neuron or a picture counts ten times). On
    small networks (all labels at once) a few more sweeps then move each label against all the others.
    """
    blocked = np.array(obstacles, dtype=float).reshape(-1, 4)  # (O, 4)
    placed = np.tile(np.array([0.0, 0.0, *box]), (len(curves), 1))  # (E, 4): centre and size of each label
    ts = LABEL_TS if len(curves) > REFINE_MAX_EDGES else LABEL_TS + FINE_TS  # small networks: every place
    box = (box[0] + LABEL_PAD, box[1] + LABEL_PAD)  # labels keep a little apart, not merely untouched
    options = [_label_points(end, start, ctrl, np.array((first, *ts))) for end, start, ctrl, first in curves]
    if len(curves) <= REFINE_MAX_EDGES:  # small networks: a label may also sit just beside its edge
        options = [_beside(points, box[1]) for points in options]
    fixed = [10 * _overlap(points, box, blocked) for points in options]  # per edge (T,): covering neurons
    for j, points in enumerate(options):
        placed[j, :2] = points[int(np.argmin(fixed[j] + _overlap(points, box, placed[:j])))]  # first of the least
    for _ in range(REFINE_SWEEPS if len(curves) <= REFINE_MAX_EDGES else 0):
        moved = False
        for j, points in enumerate(options):
            others = np.delete(placed, j, axis=0)  # (E - 1, 4)
            best = points[int(np.argmin(fixed[j] + _overlap(points, box, others)))]
            moved |= bool((best != placed[j, :2]).any())
            placed[j, :2] = best
        if not moved:
            break
    return [(float(x), float(y)) for x, y in placed[:, :2]]


def layout(
    net: Network,
    pictures: bool,
    compact: bool,
    labelled: bool,
    present: bool = False,
    label: tuple[float, float] = LABEL,
) -> Layout:
    """Lay out ``net``: see the module docstring.

    ``pictures`` leaves room for a picture right of every hidden and output
    neuron; ``compact`` draws small neurons without text (large networks);
    ``labelled`` leaves room between columns for the weights' numbers;
    ``present`` uses :data:`PRESENT_DENSITIES`; ``label`` is the size of an
    edge's label, (characters, lines) at the edge font, which labels keep apart.
    """
    cols, layered = columns_of(net)
    tallest = max(len(c) for c in cols)
    radius, title_font, value_font, edge_font, gap = density(tallest, compact, present)
    side = (PRESENT_PICTURE_SIDE if present else PICTURE_SIDE) * radius if pictures else 0.0
    unit = 2 * radius + (side + PICTURE_GAP * radius if pictures else 0.0)
    slot = 2 * radius + gap
    chars, lines = label
    box = (chars * 0.58 * edge_font + 8, lines * 1.15 * edge_font + 4)  # a label's (width, height), as the JS draws it
    between = max(7.0 * edge_font + 12, 1.25 * box[0] + 12, 2.4 * radius) if labelled else max(2.6 * radius, 60.0)
    where = {nid: c for c, col in enumerate(cols) for nid in col}
    top = MARGIN + (BOX_LABEL if layered else 0.0) + BOX_PAD
    top += slot * 0.9 if any(where[d] - where[s] > 1 for s, d in net.edges) else 0.0  # room for curves
    inner = tallest * slot - gap
    xy: dict[str, tuple[float, float]] = {}
    for c, col in enumerate(cols):
        x = MARGIN + BOX_PAD + radius + c * (unit + between + 2 * BOX_PAD)
        y0 = top + (inner - (len(col) * slot - gap)) / 2 + radius
        for k, nid in enumerate(col):
            xy[nid] = (x, y0 + k * slot)
    has_pic = {n.id: pictures and n.computes for n in net.neurons}
    paths, curves = [], []
    fan_in = {n.id: sorted((s for s, _ in net.incoming(n.id)), key=lambda s: xy[s][1]) for n in net.neurons}
    for s, d in net.edges:
        start_dx = radius + (PICTURE_GAP * radius + side if has_pic[s] else 0.0)
        path, ctrl = _edge_geometry(xy[s], xy[d], where[d] - where[s], radius, slot, start_dx)
        paths.append(path)
        end = tuple(float(v) for v in path.rsplit(" ", 1)[1].lstrip("L").split(","))
        rank, count = fan_in[d].index(s), len(fan_in[d])
        t = 0.5 if count == 1 else 0.3 + 0.4 * rank / (count - 1)  # spread the labels of a fan-in
        curves.append((end, (xy[s][0] + start_dx, xy[s][1]), ctrl, t))
    obstacles = [(x, y, 2 * radius + 6, 2 * radius + 6) for x, y in xy.values()]
    obstacles += [
        (xy[n][0] + radius * (1 + PICTURE_GAP) + side / 2, xy[n][1], side, side) for n, p in has_pic.items() if p
    ]
    label_at = _place_labels(curves, box, obstacles)
    boxes = []
    if layered:
        for c, col in enumerate(cols):
            x = xy[col[0]][0] - radius - BOX_PAD
            y = top - BOX_PAD
            boxes.append((x, y, unit + 2 * BOX_PAD, inner + 2 * BOX_PAD, f"layer {c + 1}"))
    width = MARGIN * 2 + len(cols) * (unit + 2 * BOX_PAD) + (len(cols) - 1) * between
    height = top + inner + BOX_PAD + MARGIN
    return Layout(width, height, radius, title_font, value_font, edge_font, side, cols, xy, paths, label_at, boxes)
