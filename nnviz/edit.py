"""The architecture editor's actions as pure functions: old Network in, new Network out.

Each function returns a *new* :class:`~nnviz.network.Network` (networks are
immutable) or raises :class:`~nnviz.network.NetworkError` with a message that
names the problem (the edge that would close a cycle, the bias neuron an edge
would point into, the empty layer). The sidebar shows that message and keeps
the last valid network. No streamlit here: a notebook can call these too.

:class:`Preset` describes a starting network ("the paper's", "layers 2,4,1 with
tanh", ...) compactly enough for a share link.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from nnviz import presets
from nnviz.activations import ACTIVATIONS
from nnviz.network import MAX_NEURONS, Network, NetworkError, Neuron

MAX_LAYERS = 12  # layered presets: input, up to 10 hidden layers, output
MAX_WEIGHT = 1e6  # |w| a user may type; larger is almost surely a typo
MAX_SEED = 2**32 - 1
MAX_RANDOM_SCALE = 100.0  # the largest standard deviation of randomised weights
DEFAULT_SIZES: tuple[int, ...] = (2, 4, 1)


@dataclass(frozen=True)
class Preset:
    """A starting network: one of :data:`nnviz.presets.PRESETS` plus its options.

    ``sizes``, ``activation`` and ``output_activation`` matter for ``"layered"``
    (and the two activations for ``"paper"``); ``seed`` draws a layered
    preset's weights.
    """

    name: str = "paper"
    sizes: tuple[int, ...] = DEFAULT_SIZES
    activation: str = "sigmoid"
    output_activation: str = "identity"
    seed: int = 0

    def build(self) -> Network:
        """The network this preset describes; ``NetworkError`` if the options are invalid."""
        for act in (self.activation, self.output_activation):
            if act not in ACTIVATIONS:
                raise NetworkError(f"unknown activation {act!r} (use one of {', '.join(ACTIVATIONS)})")
        if self.name == "paper":
            return presets.paper_network(self.activation, self.output_activation)
        if self.name == "non_layered":
            return presets.non_layered()
        if self.name == "xor":
            return presets.xor()
        if self.name == "layered":
            check_sizes(self.sizes)
            return presets.layered(self.sizes, self.activation, self.output_activation, seed=self.seed)
        raise NetworkError(f"unknown preset {self.name!r} (use one of {', '.join(presets.PRESETS)})")

    def label(self) -> str:
        """A short human description, e.g. "Fully connected layers 2,4,1"."""
        text = presets.PRESETS.get(self.name, self.name)
        if self.name == "layered":
            text += " " + ",".join(map(str, self.sizes))
        return text

    def with_seed(self, seed: int) -> Preset:
        """The same preset with another seed."""
        return replace(self, seed=int(seed))


def check_sizes(sizes: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    """Validate layer sizes (input first, output last); ``NetworkError`` naming the bad layer."""
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2:
        raise NetworkError("give at least two layer sizes: the input layer and the output layer")
    if len(sizes) > MAX_LAYERS:
        raise NetworkError(f"{len(sizes)} layers is more than the limit of {MAX_LAYERS}")
    for k, s in enumerate(sizes):
        if s < 1:
            raise NetworkError(f"layer {k + 1} is empty; every layer needs at least one neuron")
        if s > presets.MAX_LAYER_WIDTH:
            raise NetworkError(f"layer {k + 1} has {s} neurons; the limit is {presets.MAX_LAYER_WIDTH}")
    total = sum(sizes) + len(sizes) - 1  # plus one bias neuron per layer but the last
    if total > MAX_NEURONS:
        raise NetworkError(f"these layers need {total} neurons; the limit is {MAX_NEURONS}")
    return sizes


def parse_sizes(text: str) -> tuple[int, ...]:
    """Parse layer sizes such as ``"2, 4, 1"``; ``NetworkError`` naming the bad entry."""
    if not isinstance(text, str) or not text.strip():
        raise NetworkError('type the layer sizes separated by commas, e.g. "2,4,1"')
    if len(text) > 200:
        raise NetworkError("the layer sizes are too long to be sensible")
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    sizes = []
    for k, part in enumerate(parts):
        if not part:
            raise NetworkError(f"layer {k + 1} is empty; every layer needs at least one neuron")
        if not part.isdecimal() or not part.isascii():
            raise NetworkError(f"layer {k + 1}: {part[:20]!r} is not a whole number of neurons")
        sizes.append(int(part))
    return check_sizes(sizes)


def layered(
    sizes: tuple[int, ...] | list[int] | str,
    activation: str = "sigmoid",
    output_activation: str = "identity",
    seed: int = 0,
) -> Network:
    """Fully connected layers from sizes (or a text like ``"2,4,1"``), weights drawn from ``seed``."""
    sizes = parse_sizes(sizes) if isinstance(sizes, str) else check_sizes(sizes)
    return Preset("layered", sizes, activation, output_activation, int(seed)).build()


def set_activation(net: Network, nid: str, activation: str) -> Network:
    """Give hidden or output neuron ``nid`` the function ``activation``."""
    n = net.neuron(nid)
    if not n.computes:
        raise NetworkError(f"{n.role} neuron {nid!r} applies no function; only hidden and output neurons do")
    if activation not in ACTIVATIONS:
        raise NetworkError(f"unknown activation {activation!r} (use one of {', '.join(ACTIVATIONS)})")
    neurons = [replace(m, activation=activation) if m.id == nid else m for m in net.neurons]
    return Network(neurons, net.edges, net.weights)


def set_all_activations(net: Network, activation: str, roles: tuple[str, ...] = ("hidden",)) -> Network:
    """Give every neuron whose role is in ``roles`` the function ``activation``."""
    if activation not in ACTIVATIONS:
        raise NetworkError(f"unknown activation {activation!r} (use one of {', '.join(ACTIVATIONS)})")
    neurons = [replace(m, activation=activation) if m.role in roles and m.computes else m for m in net.neurons]
    return Network(neurons, net.edges, net.weights)


def _check_weight(value: float, src: str, dst: str) -> float:
    try:
        w = float(value)
    except (TypeError, ValueError):
        raise NetworkError(f"weight w_{{{src},{dst}}} must be a number, not {value!r}") from None
    if not math.isfinite(w) or abs(w) > MAX_WEIGHT:
        raise NetworkError(
            f"weight w_{{{src},{dst}}} must be a finite number in the allowed range "
            f"{-MAX_WEIGHT:,.0f} to {MAX_WEIGHT:,.0f}, not {w:g}"
        )
    return w


def add_edge(net: Network, src: str, dst: str, weight: float = 0.0) -> Network:
    """Add the edge ``src -> dst`` with ``weight``; errors name a cycle, a bias target or a duplicate."""
    net.neuron(src)  # raises for an unknown source
    d = net.neuron(dst)
    if src == dst:
        raise NetworkError(f"edge {src}->{dst} would connect neuron {src!r} to itself")
    if (src, dst) in net.edge_index:
        raise NetworkError(f"edge {src}->{dst} already exists")
    if not d.computes:
        raise NetworkError(f"edge {src}->{dst} would point into {d.role} neuron {dst!r}, which takes no inputs")
    w = _check_weight(weight, src, dst)
    if _reaches(net, dst, src):
        raise NetworkError(f"edge {src}->{dst} would close a cycle: {dst} already leads to {src}")
    return Network(net.neurons, [*net.edges, (src, dst)], np.append(net.weights, w))


def _reaches(net: Network, start: str, goal: str) -> bool:
    """True when a directed path leads from ``start`` to ``goal``."""
    succ: dict[str, list[str]] = {}
    for s, d in net.edges:
        succ.setdefault(s, []).append(d)
    seen, stack = {start}, [start]
    while stack:
        u = stack.pop()
        if u == goal:
            return True
        for v in succ.get(u, ()):
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return False


def remove_edge(net: Network, src: str, dst: str) -> Network:
    """Remove the edge ``src -> dst``; an error if it is missing or was ``dst``'s only input."""
    k = net.edge_index.get((src, dst))
    if k is None:
        raise NetworkError(f"there is no edge {src}->{dst} to remove")
    if len(net.incoming(dst)) == 1:
        raise NetworkError(f"edge {src}->{dst} is the only input of neuron {dst!r}; it would have nothing to compute")
    keep = [j for j in range(len(net.edges)) if j != k]
    return Network(net.neurons, [net.edges[j] for j in keep], net.weights[keep])


def set_weight(net: Network, src: str, dst: str, value: float) -> Network:
    """Set w_{src,dst} to ``value``."""
    k = net.edge_index.get((src, dst))
    if k is None:
        raise NetworkError(f"there is no edge {src}->{dst}, so no weight w_{{{src},{dst}}}")
    w = net.weights.copy()  # (E,)
    w[k] = _check_weight(value, src, dst)
    return net.with_weights(w)


def randomise(net: Network, seed: int, scale: float = 1.0) -> Network:
    """Every weight drawn afresh from a normal(0, ``scale``) with ``numpy.random.default_rng(seed)``."""
    if not 0 <= int(seed) <= MAX_SEED:
        raise NetworkError(f"the seed must be a whole number from 0 to {MAX_SEED}")
    if not math.isfinite(scale) or not 0 < scale <= MAX_RANDOM_SCALE:
        raise NetworkError(f"the scale of random weights must be above 0 and at most {MAX_RANDOM_SCALE:g}")
    rng = np.random.default_rng(int(seed))
    return net.with_weights(rng.normal(0.0, scale, len(net.edges)))  # (E,)


def layer_bias(net: Network, layer: int) -> str | None:
    """The id of the bias neuron in layer ``layer`` (1-based), or None; ``NetworkError`` if not layered."""
    layers = _layers(net, layer)
    return next((nid for nid in layers[layer - 1] if net.neuron(nid).role == "bias"), None)


def _layers(net: Network, layer: int) -> list[list[str]]:
    layers = net.layers()
    if layers is None:
        raise NetworkError(f"the network is not layered ({net.layering_problem()}), so it has no layer {layer}")
    if not 1 <= layer <= len(layers):
        raise NetworkError(f"there is no layer {layer}; the network has layers 1 to {len(layers)}")
    return layers


def toggle_bias(net: Network, layer: int, weight: float = 0.0) -> Network:
    """Turn layer ``layer``'s (1-based) bias neuron off (remove it and its edges) or on.

    A new bias neuron gets the next free number as its id and an edge of
    ``weight`` into every hidden or output neuron of the next layer.
    """
    layers = _layers(net, layer)
    if layer == len(layers):
        raise NetworkError(f"layer {layer} is the last layer; a bias neuron there would feed nothing")
    bias = layer_bias(net, layer)
    if bias is not None:
        keep = [k for k, (s, _) in enumerate(net.edges) if s != bias]
        for _, d in net.outgoing(bias):
            if len(net.incoming(d)) == 1:
                raise NetworkError(f"neuron {d!r} gets its only input from bias neuron {bias!r}; add an edge first")
        neurons = [n for n in net.neurons if n.id != bias]
        return Network(neurons, [net.edges[k] for k in keep], net.weights[keep])
    targets = [nid for nid in layers[layer] if net.neuron(nid).computes]
    if not targets:
        raise NetworkError(f"layer {layer + 1} has no hidden or output neuron for a bias neuron to feed")
    new_id = next_id(net)
    w = _check_weight(weight, new_id, targets[0])
    last = max(net.index[nid] for nid in layers[layer - 1])
    neurons = list(net.neurons)
    neurons.insert(last + 1, Neuron(new_id, "bias"))
    edges = [*net.edges, *((new_id, d) for d in targets)]
    return Network(neurons, edges, np.append(net.weights, np.full(len(targets), w)))


def next_id(net: Network) -> str:
    """A fresh neuron id: one more than the largest numeric id (the paper numbers neurons)."""
    numbers = [int(nid) for nid in net.ids if nid.isdecimal() and nid.isascii() and len(nid) < 10]
    k = max(numbers, default=0) + 1
    while str(k) in net.index:
        k += 1
    return str(k)
