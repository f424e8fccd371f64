"""Everything the live graph component draws, computed once per network and point (no Streamlit).

:func:`graph_data` returns one JSON-ready dict: the layout
(:mod:`nnviz.app.graph_layout`), every neuron and edge with its colours,
names and numbers, the frames of the forward or backward animation
(:mod:`nnviz.animation`) with when each number appears, and each hidden and
output neuron's picture of z_k over the input (:func:`nnviz.neuron_pictures`).
The browser steps through the frames, hovers and highlights by itself; only a
click (a selection) or a finished step goes back to Python.

All numbers are formatted here (the browser shows these strings as text);
non-finite floats become ``None`` so the dict is valid JSON. Neuron ids
travel as data and are drawn with ``textContent`` by the component, never as
HTML.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.app.animation import Animation, backward_frames, forward_frames, label_digits, short
from nnviz.app.graph_layout import LABEL, Layout, layout
from nnviz.app.spoken import spoken
from nnviz.app.step_equations import frame_equations
from nnviz.engine import Gradients, Trace
from nnviz.figures.graph import default_functions, edge_title, format_number, neuron_title
from nnviz.figures.style import PALETTES, gradient_color
from nnviz.network import Network, NetworkError, Neuron, is_large
from nnviz.pictures import PICTURES_DEFAULT_MAX, neuron_pictures, picture_range

#: Every edge shows its numbers up to this many edges (the paper's network has 12).
ALL_LABELS_MAX = 12
CURVE_POINTS = 48
HEATMAP_POINTS = 32
#: Weight sign colours (positive, negative) and the current-step halo, per palette.
SIGN_COLOURS = {"paper": ("#2b6cb0", "#c0392b"), "print": ("#000000", "#777777"), "colorblind": ("#0072b2", "#d55e00")}
HALO = {"paper": "#555555", "print": "#999999", "colorblind": "#555555"}  # neutral: no value colour marks the step
SPEEDS = (3.0, 2.0, 1.0, 0.5, 0.25)
BACKWARD_LABEL = (10.0, 2.0)  # "w=-0.12" over "w·∂a=-0.128" or "∂w=-0.0742": wider than the forward pass's
MAX_INPUT_NAME = 16  # characters of an input neuron's name (a feature such as "sin x1")
NAMES_SCALE = 1.3  # the edge font when edges show only the weights' names (w₁,₃), as on the Network page


@dataclass(frozen=True)
class Point:
    """The input the graph shows: x ``(n_in,)``, the target y ``(n_out,)`` on the backward page, the data's x."""

    x: np.ndarray
    y: np.ndarray | None = None
    data_x: np.ndarray | None = None  # (S, n_in) training inputs, for the pictures' range


def pictures_default(net: Network) -> bool:
    """Pictures are on by default up to :data:`PICTURES_DEFAULT_MAX` neurons."""
    return len(net.neurons) <= PICTURES_DEFAULT_MAX


def _num(v: float) -> float | None:
    v = float(v)
    return round(v, 12) if math.isfinite(v) else None


def _full(v: float) -> str:
    return f"{float(v):.6g}"


def signature(net: Network, direction: str) -> str:
    """A short hash of the network's structure and the pass: the browser keeps its frame while it is unchanged."""
    text = repr((direction, net.ids, net.edges, [n.role for n in net.neurons]))
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _title(n: Neuron, usual: dict[str, str], names: dict[str, str] | None = None) -> str:
    """sigma_k, followed by the neuron's function where it differs from its role's usual one (e.g. "σ₆ relu");
    an input neuron named in ``names`` (its feature, e.g. "x1²") by that name."""
    if names and n.id in names:
        return names[n.id]
    own = n.computes and n.activation != usual.get(n.role, n.activation)
    return f"{neuron_title(n.id)} {n.activation}" if own else neuron_title(n.id)


def _neurons(
    net: Network,
    lay: Layout,
    trace: Trace | None,
    grads: Gradients | None,
    palette: str,
    usual: dict[str, str],
    d: int,
    names: dict[str, str] | None = None,
) -> list[dict]:
    """Every neuron's place, colours, title and numbers (none without a ``trace``: the network's structure only)."""
    pal = PALETTES[palette]
    da_scale = float(np.nanmax(np.abs(grads.dl_da[0]), initial=0.0)) if grads is not None else 0.0
    out = []
    for k, n in enumerate(net.neurons):
        detail = n.activation if n.computes else ("constant " + f"{n.value:g}" if n.role == "bias" else "no function")
        role = f"input {names[n.id]}" if names and n.id in names else n.role
        tip, lines = [f"neuron {n.id}: {role}, {detail}"], {}
        if trace is not None:
            a, z = trace.a[0], trace.z[0]  # (N,)
            if n.computes:
                tip.append(f"a = {_full(a[k])}")
            tip.append(f"{'x' if n.role == 'input' else 'z'} = {_full(z[k])}")
            lines = {"a": f"a={short(a[k], d)}", "z": f"{'x' if n.role == 'input' else 'z'}={short(z[k], d)}"}
        gfill = None
        if grads is not None:
            da, dz = grads.dl_da[0][k], grads.dl_dz[0][k]
            tip += [f"∂l/∂a = {_full(da)}", f"∂l/∂z = {_full(dz)}"]
            lines |= {"da": f"∂a={short(da, d)}", "dz": f"∂z={short(dz, d)}"}
            gfill = gradient_color(da, da_scale, max_strength=0.6)
        x, y = lay.xy[n.id]
        out.append(
            {
                "id": n.id,
                "title": _title(n, usual, names),
                "role": n.role,
                "x": x,
                "y": y,
                "fill": pal[n.role],
                "border": pal[n.role + "_border"],
                "gfill": gfill,
                "lines": lines,
                "tip": tip,
            }
        )
    return out


def _edge_text(s: str, t: str, w: float, zs: float | None, d: int, values: bool) -> tuple[dict, list[str]]:
    """An edge's label lines and tooltip; ``zs`` is its source's z, None on the structure drawing."""
    title = edge_title(s, t)
    tip = [f"{title} (neuron {s} → neuron {t})", f"w = {_full(w)}"]
    if zs is None:
        return {"w": f"{title} = {format_number(w)}" if values else title}, tip
    return {"w": f"w={short(w, d)}", "p": f"w·z={short(w * zs, d)}"}, [*tip, f"w·z = {_full(w * zs)}"]


def _edges(
    net: Network, lay: Layout, trace: Trace | None, grads: Gradients | None, palette: str, d: int, values: bool
) -> list[dict]:
    """Every edge's path, width, colour and label lines.

    Without a ``trace`` (the network's structure only) the label is the weight's name, followed by its
    value when ``values``: "w₁,₃ = 0.80", as in the paper's figures and the DOT export.
    """
    pos, neg = SIGN_COLOURS.get(palette, SIGN_COLOURS["paper"])
    z = trace.z[0] if trace is not None else None  # (N,)
    wmax = float(np.nanmax(np.abs(net.weights), initial=0.0)) or 1.0
    dw = grads.dl_dw_points[0] if grads is not None else None  # (E,)
    dw_scale = float(np.nanmax(np.abs(dw), initial=0.0)) if dw is not None else 0.0
    base, extra = (0.8, 2.2) if lay.radius < 15 else (1.2, 5.0)
    out = []
    for j, ((s, t), w) in enumerate(zip(net.edges, net.weights.tolist(), strict=True)):
        strength = min(abs(w) / wmax, 1.0) if math.isfinite(w) else 1.0
        lines, tip = _edge_text(s, t, w, None if z is None else float(z[net.index[s]]), d, values)
        gcolor = None
        if dw is not None:
            da_t = grads.dl_da[0][net.index[t]]
            lines |= {"wda": f"w·∂a={short(w * da_t, d)}", "dw": f"∂w={short(dw[j], d)}"}
            tip.append(f"∂l/∂w = {_full(dw[j])}")
            gcolor = gradient_color(dw[j], dw_scale, max_strength=1.0, min_strength=0.4)
        out.append(
            {
                "s": net.index[s],
                "d": net.index[t],
                "path": lay.paths[j],
                "lx": lay.label_at[j][0],
                "ly": lay.label_at[j][1],
                "width": round(base + extra * strength, 2),
                "color": pos if w >= 0 else neg,
                "gcolor": gcolor,
                "title": edge_title(s, t),
                "lines": lines,
                "tip": tip,
            }
        )
    return out


def _frames(net: Network, anim: Animation) -> tuple[list[dict], dict[str, list[int]]]:
    """Frames as (caption, kind, active neuron and edge indices) and, per quantity, when each item appears."""
    frames = [
        {
            "caption": f.title,
            "kind": f.kind,
            "neurons": [net.index[n] for n in f.active_neurons],
            "edges": [net.edge_index[e] for e in f.active_edges],
        }
        for f in anim.frames
    ]
    never = len(frames) + 1
    reveal = {}
    for q, items in (("a", net.ids), ("z", net.ids), ("da", net.ids), ("p", net.edges), ("dw", net.edges)):
        source = {"da": "dl_da", "p": "product", "dw": "dl_dw"}.get(q, q)
        seen = anim.reveal.get(source, {})
        reveal[q] = [int(seen.get(item, never)) for item in items]
    return frames, reveal


def _pictures(net: Network, point: Point, vary: int, features: tuple[str, ...] | None = None) -> dict:
    """Each neuron's z_k over the input: curves (one input, or a slice along ``vary``) or heatmaps (two inputs).

    With ``features`` the heatmaps are over the (x1, x2) plane, ``point.x`` being a point of it (see
    :func:`nnviz.neuron_pictures`)."""
    n_in = 2 if features else len(net.inputs)
    x = np.asarray(point.x, dtype=float).reshape(-1)  # (n_in,)
    data = None if point.data_x is None else np.asarray(point.data_x, dtype=float)  # (S, n_in)
    computes = [n.computes for n in net.neurons]
    if n_in == 2:
        r0 = picture_range(x[0], None if data is None else data[:, 0])
        r1 = picture_range(x[1], None if data is None else data[:, 1])
        g0, g1 = np.linspace(*r0, HEATMAP_POINTS), np.linspace(*r1, HEATMAP_POINTS)
        z = neuron_pictures(net, [g0, g1], x=x, features=features)  # (Q, P, N)
        shown = z[:, :, computes]
        finite = shown[np.isfinite(shown)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        hi = hi if hi > lo else lo + 1.0
        cells = []
        for k in range(len(net.ids)):
            q = np.clip(np.round((z[::-1, :, k] - lo) / (hi - lo) * 254), 0, 254)  # (Q, P), top row = largest x2
            q[~np.isfinite(z[::-1, :, k])] = 255
            cells.append(base64.b64encode(q.astype(np.uint8).tobytes()).decode() if computes[k] else None)
        return {
            "kind": "heatmap",
            "n": HEATMAP_POINTS,
            "x0": [None, None] if features else [_num(x[0]), _num(x[1])],  # features: no current point
            "range": [list(r0), list(r1)],
            "scale": [lo, hi],
            "names": ["x1", "x2"] if features else [net.inputs[0], net.inputs[1]],
            "cells": cells,
        }
    col = int(np.clip(vary, 0, n_in - 1))
    rng = picture_range(x[col], None if data is None else data[:, col])
    grid = np.linspace(*rng, CURVE_POINTS)
    z = neuron_pictures(net, [grid], x=x, vary=[col])  # (P, N)
    curves = [[_num(v) for v in z[:, k]] if computes[k] else None for k in range(len(net.ids))]
    return {"kind": "curve", "x0": _num(x[col]), "range": list(rng), "names": [net.inputs[col]], "curves": curves}


def graph_data(
    net: Network,
    trace: Trace | None,
    point: Point,
    grads: Gradients | None = None,
    *,
    palette: str = "paper",
    pictures: bool = True,
    all_weights: bool = False,
    vary: int = 0,
    functions: dict[str, str] | None = None,
    present: bool = False,
    features: tuple[str, ...] | None = None,
    input_names: Sequence[str] | None = None,
) -> dict:
    """The component's data for ``net`` at ``point`` (forward when ``grads`` is None, else backward).

    ``trace`` is ``nnviz.forward(net, point.x)``; ``grads`` the matching
    ``nnviz.backward``. Without a ``trace`` it draws the network's structure
    alone (the Network page): one still frame, no values, the weights' names
    on the edges. ``pictures`` adds each neuron's picture; ``all_weights``
    shows every edge's numbers (always on up to :data:`ALL_LABELS_MAX` edges);
    ``vary`` is the input a slice follows when there are more than two;
    ``functions`` (role -> function, e.g. the preset's) is what a neuron's
    function must differ from to be named beside sigma_k (default: each role's
    most common function); ``present`` lays it out for a projector (larger type); ``input_names``
    (one per input neuron, e.g. the input features "x1", "x1²") title the input neurons instead of
    σ_k; ``features`` (one per input neuron, :mod:`nnviz.features`) name them the same way unless
    ``input_names`` is given, and put the pictures over (x1, x2). Names are data (drawn as text), cut
    to :data:`MAX_INPUT_NAME` characters; not one string per input neuron raises ``NetworkError``.
    """
    titled = _input_names(net, input_names if input_names is not None else features)
    direction = "structure" if trace is None else "forward" if grads is None else "backward"
    compact = is_large(net)
    labelled = not compact and (all_weights or len(net.edges) <= ALL_LABELS_MAX)
    names = trace is None and not all_weights  # the Network page's names alone: short, in larger type
    label = (4 * NAMES_SCALE, NAMES_SCALE) if names else (11.0, 1.0) if trace is None else LABEL  # "w₁,₃ = 0.80"
    label = BACKWARD_LABEL if grads is not None else label
    lay = _layout(net, pictures, compact, labelled, present, label)
    digits = max(2, label_digits(net) - 1) if present else label_digits(net)  # presenting: shorter, larger
    if trace is None:
        still = {"caption": "", "kind": "structure", "neurons": [], "edges": []}  # one frame, nothing active
        frames, reveal, output, steps = [still], {}, {"text": "", "from": 1}, None  # no steps: no equations panel
    else:
        anim = forward_frames(net) if grads is None else backward_frames(net)
        frames, reveal = _frames(net, anim)
        output = {"text": f"f(x) = {_vector(trace.output[0])}", "from": anim.output_step()}
        steps = frame_equations(net, anim, trace, grads, point.y)  # per frame: its equations, as text
    pal = PALETTES[palette]
    edge_scale = NAMES_SCALE if names else 1.0
    return {
        "sig": signature(net, direction),
        "mode": direction,
        "size": [lay.width, lay.height],
        "radius": lay.radius,
        "fonts": {"title": lay.title_font, "value": lay.value_font, "edge": lay.edge_font * edge_scale},
        "picture": lay.picture_side,
        "compact": compact,
        "all_labels": labelled,
        "colours": {
            "text": pal["text"],
            "box": pal["cluster"],
            "unreached": "#eeeeee",
            "halo": HALO.get(palette, HALO["paper"]),
            "label_bg": pal["label_bg"],
        },
        "boxes": [{"x": x, "y": y, "w": w, "h": h, "label": name} for x, y, w, h, name in lay.boxes],
        "neurons": _neurons(
            net, lay, trace, grads, palette, {**default_functions(net), **(functions or {})}, digits, titled
        ),
        "edges": _edges(net, lay, trace, grads, palette, digits, all_weights),
        "frames": frames,
        "equations": steps,
        "reveal": reveal,
        "pictures": _pictures(net, point, vary, features) if pictures else None,
        "speeds": list(SPEEDS),
        "output": output,
        "spoken": spoken(net, trace, grads),  # accessible names (nnviz.app.spoken)
    }


_LAYOUTS: dict[tuple, Layout] = {}  # structure and options -> layout (the playground redraws every few epochs)


def _layout(net: Network, pictures: bool, compact: bool, labelled: bool, present: bool, label: tuple) -> Layout:
    """:func:`layout`, kept per structure: it depends on the neurons and edges, never on the weights."""
    key = (net.ids, net.edges, tuple(n.role for n in net.neurons), pictures, compact, labelled, present, label)
    lay = _LAYOUTS.get(key)
    if lay is None:
        if len(_LAYOUTS) >= 64:
            _LAYOUTS.clear()
        lay = _LAYOUTS[key] = layout(net, pictures, compact, labelled, present, label=label)
    return lay


def _input_names(net: Network, input_names: Sequence[str] | None) -> dict[str, str] | None:
    """Input neuron id -> its name (control characters dropped, cut to :data:`MAX_INPUT_NAME`), or None."""
    if input_names is None:
        return None
    if isinstance(input_names, (str, bytes)) or len(input_names) != len(net.inputs):
        raise NetworkError(f"input_names needs one name per input neuron ({len(net.inputs)})")
    if not all(isinstance(v, str) for v in input_names):
        raise NetworkError("input_names must be strings")
    clean = ["".join(c for c in v if c.isprintable())[:MAX_INPUT_NAME] for v in input_names]
    return dict(zip(net.inputs, clean, strict=True))


def _vector(values: np.ndarray) -> str:
    """``v`` or ``(v1, v2, ...)`` with 6 significant digits."""
    vals = [f"{v:.6g}" for v in np.asarray(values, dtype=float).ravel()]
    return vals[0] if len(vals) == 1 else "(" + ", ".join(vals) + ")"
