"""The live graph for a screen reader: every neuron's and edge's accessible name, built from the engine's values.

A screen reader reads a neuron as "neuron 6, hidden, sigmoid, a = 0.412, z = 0.602" and an edge as
"weight w 1,3 from neuron 1 to neuron 3, w = 0.8, w times z = 0.4". The browser shows a value only
once the animation has reached it, so each name comes in parts: the ``name`` (always read) and one
part per quantity (``a``, ``z``, ``da``, ``dz`` on neurons; ``p``, ``dw`` on edges), which
``live_graph_keys.js`` joins by the same reveal steps as the numbers drawn in the graph. Numbers have
:data:`DIGITS` significant digits. No Streamlit here: ``tests/engine/test_spoken_names.py`` checks
the names against ``nnviz.forward`` and ``nnviz.backward``.
"""

from __future__ import annotations

from nnviz.app.animation import short
from nnviz.engine import Gradients, Trace
from nnviz.network import Network, Neuron

DIGITS = 3
MAX_ID = 24  # characters of a neuron id read aloud (ids may have 40: longer ones are cut)


def _id(nid: str) -> str:
    return nid if len(nid) <= MAX_ID else nid[: MAX_ID - 1] + "…"


def _num(v: float) -> str:
    return short(float(v), DIGITS)


def _function(n: Neuron) -> str:
    if n.computes:
        return n.activation
    return f"constant {n.value:g}" if n.role == "bias" else "no function"


def graph_summary(net: Network) -> str:
    """The network's size in words: "9 neurons (1 input, 3 bias, 4 hidden, 1 output), 12 weights"."""
    counts = {r: sum(n.role == r for n in net.neurons) for r in ("input", "bias", "hidden", "output")}
    parts = ", ".join(f"{c} {r}" for r, c in counts.items() if c)
    return f"{len(net.neurons)} neurons ({parts}), {len(net.edges)} weight{'s' if len(net.edges) != 1 else ''}"


def neuron_names(net: Network, trace: Trace | None, grads: Gradients | None = None) -> list[dict[str, str]]:
    """Per neuron (``net.neurons`` order): ``name`` and, with a ``trace``, the parts ``a``, ``z`` (and, with
    ``grads``, ``da``, ``dz``); an input's z is read as x, and neurons without a function have no ``a``."""
    out = []
    for k, n in enumerate(net.neurons):
        say = {"name": f"neuron {_id(n.id)}, {n.role}, {_function(n)}"}
        if trace is not None:
            if n.computes:
                say["a"] = f"a = {_num(trace.a[0][k])}"
            say["z"] = f"{'x' if n.role == 'input' else 'z'} = {_num(trace.z[0][k])}"
        if grads is not None:
            say["da"] = f"dl/da = {_num(grads.dl_da[0][k])}"
            say["dz"] = f"dl/dz = {_num(grads.dl_dz[0][k])}"
        out.append(say)
    return out


def edge_names(net: Network, trace: Trace | None, grads: Gradients | None = None) -> list[dict[str, str]]:
    """Per edge (``net.edges`` order): ``name`` (with the weight's value) and, with a ``trace``, ``p`` (w times
    its source's z) and, with ``grads``, ``dw`` (the gradient of this point's loss)."""
    z = trace.z[0] if trace is not None else None  # (N,)
    dw = grads.dl_dw_points[0] if grads is not None else None  # (E,)
    out = []
    for j, ((s, t), w) in enumerate(zip(net.edges, net.weights.tolist(), strict=True)):
        say = {"name": f"weight w {_id(s)},{_id(t)} from neuron {_id(s)} to neuron {_id(t)}, w = {_num(w)}"}
        if z is not None:
            say["p"] = f"w times z = {_num(w * float(z[net.index[s]]))}"
        if dw is not None:
            say["dw"] = f"dl/dw = {_num(dw[j])}"
        out.append(say)
    return out


def spoken(net: Network, trace: Trace | None, grads: Gradients | None = None) -> dict:
    """What the live graph's data carries for a screen reader: ``size``, ``neurons``, ``edges`` (see above)."""
    return {
        "size": graph_summary(net),
        "neurons": neuron_names(net, trace, grads),
        "edges": edge_names(net, trace, grads),
    }
