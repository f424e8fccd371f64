"""The frames of the forward and backward animations, and what each frame shows.

A learner steps through a pass one frame at a time. :func:`forward_frames`
follows the paper's Part I: first the inputs (z_k = x_k) and the bias neurons
(their constant), then for every stage of ``net.stages()`` (the layers, or the
topological levels when the network is not layered) the weighted sums
a_k = sum_i w_{i,k} z_i, then the outputs z_k = sigma_k(a_k).
:func:`backward_frames` follows Part III's three steps: (1) dl/da of the last
stage, the output layer; (2) dl/da of each earlier stage from the next one's;
(3) dl/dw_{i,j} = dl/da_j * z_i for every weight, stage by stage. Captions call
these the paper's *rules* 1-3, so they never read like the frame counter
("Step 7 of 7") beside them.

An :class:`Animation` records, for every quantity ("a", "z", "product",
"dl_da", "dl_dz", "dl_dw"), the frame at which each neuron's or edge's value
appears; the reached values stay on screen. The live graph
(:mod:`nnviz.app.live_graph`) sends the frames and every value to the browser
once. Numbers on the graph are abbreviated (:func:`short`); the panels show
them in full.

Nothing here computes maths: the values come from :func:`nnviz.forward` and
:func:`nnviz.backward`. Captions never contain neuron ids, so they are safe to
show as markdown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from nnviz.network import Network, is_large

Edge = tuple[str, str]


@dataclass(frozen=True)
class Frame:
    """One step of an animation.

    ``kind``: "inputs", "sums", "outputs" (forward) or "output_grad",
    "grad", "weight_grad" (backward). ``stage`` indexes ``net.stages()``
    (-1 for the inputs frame). ``title`` is a plain caption without neuron ids.
    ``active_neurons``/``active_edges`` are what the frame works on.
    """

    kind: str
    stage: int
    title: str
    active_neurons: tuple[str, ...]
    active_edges: tuple[Edge, ...]


@dataclass(frozen=True)
class Animation:
    """The frames of one pass and when each value first appears.

    ``reveal[q][item]`` is the index of the frame at which quantity ``q`` of
    ``item`` (a neuron id, or an edge for "product" and "dl_dw") is shown;
    it stays shown in every later frame.
    """

    net: Network
    direction: str  # "forward" or "backward"
    frames: tuple[Frame, ...]
    reveal: dict[str, dict] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frames)

    def clamp(self, step: int) -> int:
        """``step`` limited to a valid frame index."""
        return max(0, min(int(step), len(self.frames) - 1))

    def output_step(self) -> int:
        """The first frame at which every output neuron's z_k (the network's f(x)) is shown.

        For a backward animation that is frame 0 (the forward pass is done);
        the last frame when no output is ever revealed.
        """
        if self.direction == "backward":
            return 0
        reached = self.reveal.get("z", {})
        return max((reached.get(nid, len(self.frames) - 1) for nid in self.net.outputs), default=0)

    def shown(self, quantity: str, step: int) -> set:
        """Neurons (or edges) whose ``quantity`` is visible at frame ``step``."""
        step = self.clamp(step)
        return {item for item, k in self.reveal.get(quantity, {}).items() if k <= step}


def _stage_name(net: Network, stage: int) -> str:
    return f"layer {stage + 1}" if net.layers() is not None else f"level {stage + 1}"


def _computing(net: Network, stage: list[str]) -> tuple[str, ...]:
    return tuple(nid for nid in stage if net.neuron(nid).computes)


def _incoming(net: Network, targets: Iterable[str]) -> tuple[Edge, ...]:
    wanted = set(targets)
    return tuple(e for e in net.edges if e[1] in wanted)


def _outgoing(net: Network, sources: Iterable[str]) -> tuple[Edge, ...]:
    wanted = set(sources)
    return tuple(e for e in net.edges if e[0] in wanted)


def forward_frames(net: Network) -> Animation:
    """The forward animation of ``net``: inputs and biases, then sums and outputs per stage."""
    starts = tuple(n.id for n in net.neurons if not n.computes)
    frames = [
        Frame(
            "inputs",
            -1,
            "Inputs and bias neurons: every input neuron passes its x on (z_k = x_k); "
            "every bias neuron outputs its constant.",
            starts,
            (),
        )
    ]
    reveal: dict[str, dict] = {"a": {}, "z": dict.fromkeys(starts, 0), "product": {}}
    stages = net.stages()
    last = max((s for s, stage in enumerate(stages) if _computing(net, stage)), default=-1)
    for s, stage in enumerate(stages):
        active = _computing(net, stage)
        if not active:
            continue
        edges = _incoming(net, active)
        name = _stage_name(net, s)
        frames.append(Frame("sums", s, f"{name.capitalize()}: weighted sums a_k = Σ w_ik·z_i", active, edges))
        k = len(frames) - 1
        reveal["a"].update(dict.fromkeys(active, k))
        reveal["product"].update(dict.fromkeys(edges, k))
        tail = ": the network's output f(x)" if s == last else ""
        frames.append(Frame("outputs", s, f"{name.capitalize()}: outputs z_k = σ_k(a_k){tail}", active, edges))
        reveal["z"].update(dict.fromkeys(active, len(frames) - 1))
    return Animation(net, "forward", tuple(frames), reveal)


def backward_frames(net: Network) -> Animation:
    """The backward animation of ``net`` in the paper's three steps.

    Frame 0 shows the finished forward pass and the loss; then (1) the last
    stage's dl/dz and dl/da; (2) each earlier stage's, from the next stage's
    dl/da along every outgoing edge; (3) dl/dw_{i,j} = dl/da_j * z_i, one
    frame per stage of target neurons.
    """
    stages = net.stages()
    frames = [
        Frame(
            "loss",
            -1,
            "Start: the forward pass is done; compare f(x) with y: l = Σ_k (y_k − z_k)²",
            tuple(net.outputs),
            (),
        )
    ]
    reveal: dict[str, dict] = {"dl_da": {}, "dl_dz": {}, "dl_dw": {}}
    order = [s for s in range(len(stages) - 1, -1, -1) if _computing(net, stages[s])]
    for rank, s in enumerate(order):
        active = _computing(net, stages[s])
        name = _stage_name(net, s)
        if rank == 0:
            kind = "output_grad"
            title = f"Rule 1, {name}: ∂l/∂z_k = −2(y_k − z_k) at the outputs, then ∂l/∂a_k = ∂l/∂z_k · σ_k'(a_k)"
            edges: tuple[Edge, ...] = _outgoing(net, active)
        else:
            kind = "grad"
            title = f"Rule 2, {name}: ∂l/∂z_k = Σ_j ∂l/∂a_j · w_kj over outgoing edges, ∂l/∂a_k = ∂l/∂z_k · σ_k'(a_k)"
            edges = _outgoing(net, active)
        frames.append(Frame(kind, s, title, active, edges))
        k = len(frames) - 1
        reveal["dl_da"].update(dict.fromkeys(active, k))
        reveal["dl_dz"].update(dict.fromkeys(active, k))
    for s in order:
        active = _computing(net, stages[s])
        edges = _incoming(net, active)
        name = _stage_name(net, s)
        frames.append(Frame("weight_grad", s, f"Rule 3, weights into {name}: ∂l/∂w_ij = ∂l/∂a_j · z_i", active, edges))
        reveal["dl_dw"].update(dict.fromkeys(edges, len(frames) - 1))
    return Animation(net, "backward", tuple(frames), reveal)


def short(value: float, digits: int = 3) -> str:
    """``value`` in at most ``digits`` significant digits, compactly ("0.55", "-1.2e5")."""
    v = float(value)
    if not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if v == 0.0:
        return "0"
    if abs(v) >= 10**digits * 10 or abs(v) < 1e-3:
        mant, exp = f"{v:.{max(digits - 2, 0)}e}".split("e")
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        return f"{mant}e{int(exp)}"
    text = f"{v:.{digits}g}"
    if "e" in text:  # e.g. 12345 with 3 digits -> "1.23e+04": write it out
        text = f"{v:.0f}"
    return text


def label_digits(net: Network) -> int:
    """Significant digits for graph labels: 4 on small drawings, 2 on the compact one."""
    return 2 if is_large(net) else 4 if len(net.neurons) <= 20 else 3
