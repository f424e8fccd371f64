"""The equations of each animation step, in plain text with the numbers filled in (no Streamlit).

The live graph shows them in a panel beside the graph and changes them with
the frame, so the learner reads the step being drawn without scrolling to the
LaTeX panels below. One list of lines per frame of :func:`nnviz.app.animation.forward_frames`
or :func:`~nnviz.app.animation.backward_frames`:

- forward, inputs: ``z_k = x_k = 0.5``; sums: ``a_k = Σ w_ik·z_i = 1.5·0.55 + … = 0.55``;
  outputs: ``z_k = σ(a_k) = sigmoid(0.55) = 0.634``;
- backward, rules 1-2: ``∂l/∂z_k`` (−2(y − z) at an output, Σ ∂l/∂a_j·w_kj otherwise) and
  ``∂l/∂a_k = ∂l/∂z_k · σ'(a_k)``; rule 3: ``∂l/∂w_ik = ∂l/∂a_k · z_i``.

Values come from the engine's :class:`~nnviz.engine.Trace` and :class:`~nnviz.engine.Gradients`
(σ'(a_k) from the activation's own ``df``). Neuron ids are user text: they are cut to printable
characters here and the browser draws every line with ``textContent``, never as HTML.
"""

from __future__ import annotations

import numpy as np

from nnviz.activations import ACTIVATIONS
from nnviz.app.animation import Animation, Frame
from nnviz.engine import Gradients, Trace
from nnviz.network import Network

#: Neurons written out per step, and terms per sum, before "… and n more".
MAX_NEURONS = 2
MAX_TERMS = 3
DIGITS = 4
MAX_ID = 12


def _n(v: float) -> str:
    """``v`` with :data:`DIGITS` significant digits, a true minus sign, in parentheses when negative."""
    v = float(v)
    text = f"{v:.{DIGITS}g}" if np.isfinite(v) else ("nan" if np.isnan(v) else "inf" if v > 0 else "-inf")
    return f"({text.replace('-', '−')})" if text.startswith("-") else text


def _v(v: float) -> str:
    """A result: :func:`_n` without the parentheses."""
    return _n(v).strip("()")


def _id(nid: str) -> str:
    """A neuron id as a subscript: printable characters only, at most :data:`MAX_ID` of them."""
    return "".join(c for c in nid if c.isprintable())[:MAX_ID]


def _terms(terms: list[str]) -> str:
    """``terms`` joined by " + ", at most :data:`MAX_TERMS` written out."""
    if len(terms) > MAX_TERMS:
        return " + ".join(terms[: MAX_TERMS - 1]) + f" + … ({len(terms) - MAX_TERMS + 1} more)"
    return " + ".join(terms) or "0"


def _forward(net: Network, trace: Trace, frame: Frame, nid: str) -> list[str]:
    """One neuron's line(s) at a forward frame."""
    a, z = trace.a[0], trace.z[0]  # (N,)
    i, k, n = net.index[nid], _id(nid), net.neuron(nid)
    if frame.kind == "inputs":
        return [f"z_{k} = x_{k} = {_v(z[i])}" if n.role == "input" else f"z_{k} = {_v(z[i])} (bias)"]
    if frame.kind == "sums":
        nums = [f"{_n(net.weight(s, nid))}·{_n(z[net.index[s]])}" for s, _ in net.incoming(nid)]
        return [f"a_{k} = Σ w_i{k}·z_i = {_terms(nums)} = {_v(a[i])}"]
    return [f"z_{k} = σ(a_{k}) = {n.activation}({_v(a[i])}) = {_v(z[i])}"]


def _backward(net: Network, trace: Trace, grads: Gradients, y: np.ndarray, frame: Frame, nid: str) -> list[str]:
    """One neuron's lines at a backward frame (rules 1 and 2: ∂l/∂z_k and ∂l/∂a_k; rule 3: its weights)."""
    a, z = trace.a[0], trace.z[0]  # (N,)
    da, dz = grads.dl_da[0], grads.dl_dz[0]  # (N,)
    dw = grads.dl_dw_points[0]  # (E,)
    i, k, n = net.index[nid], _id(nid), net.neuron(nid)
    if frame.kind == "loss":
        m = net.outputs.index(nid)
        return [f"z_{k} = {_v(z[i])}, y_{k} = {_v(y[m])}"]
    if frame.kind == "weight_grad":
        return [
            f"∂l/∂w_{_id(s)},{k} = ∂l/∂a_{k}·z_{_id(s)} = {_n(da[i])}·{_n(z[net.index[s]])} = "
            f"{_v(dw[net.edge_index[(s, nid)]])}"
            for s, _ in net.incoming(nid)[:MAX_TERMS]
        ]
    terms, nums = [], []
    if n.role == "output":
        m = net.outputs.index(nid)
        terms.append(f"−2(y_{k} − z_{k})")
        nums.append(f"−2({_v(y[m])} − {_n(z[i])})")
    for _, d in net.outgoing(nid):
        terms.append(f"∂l/∂a_{_id(d)}·w_{k},{_id(d)}")
        nums.append(f"{_n(da[net.index[d]])}·{_n(net.weight(nid, d))}")
    deriv = float(ACTIVATIONS[n.activation].df(np.array(a[i]), np.array(z[i])))
    return [
        f"∂l/∂z_{k} = {_terms(terms)} = {_terms(nums)} = {_v(dz[i])}",
        f"∂l/∂a_{k} = ∂l/∂z_{k}·σ'(a_{k}) = {_n(dz[i])}·{_n(deriv)} = {_v(da[i])}",
    ]


def frame_equations(
    net: Network, anim: Animation, trace: Trace, grads: Gradients | None = None, y: np.ndarray | None = None
) -> list[list[str]]:
    """Per frame of ``anim``, the plain-text equations of its neurons (at most :data:`MAX_NEURONS`).

    ``grads`` and the target ``y`` ``(n_out,)`` are needed for a backward animation.
    """
    target = np.asarray(y if y is not None else np.zeros(len(net.outputs)), dtype=float).reshape(-1)  # (n_out,)
    out = []
    for frame in anim.frames:
        lines: list[str] = []
        for nid in frame.active_neurons[:MAX_NEURONS]:
            if anim.direction == "forward":
                lines += _forward(net, trace, frame, nid)
            else:
                lines += _backward(net, trace, grads, target, frame, nid)
        if frame.kind == "loss":
            lines.append(f"l = Σ (y_k − z_k)² = {_v(np.asarray(grads.loss).reshape(-1)[0])}")
        extra = len(frame.active_neurons) - MAX_NEURONS
        if extra > 0:
            lines.append(f"… and {extra} more neuron{'s' if extra > 1 else ''} (hover one for its numbers)")
        out.append(lines)
    return out
