"""Ready-made networks: the paper's, its non-layered example, XOR, and layered nets.

Every function returns a valid :class:`~nnviz.network.Network` with fixed,
documented weights (or seeded random ones), so pages and tests start from
known numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from nnviz.network import Network, NetworkError, Neuron

#: The paper's twelve edges (Figures 1-5); note that 3 feeds 6 only.
PAPER_EDGES: tuple[tuple[str, str], ...] = (
    ("1", "3"), ("2", "3"), ("1", "4"), ("2", "4"),
    ("3", "6"), ("4", "6"), ("5", "6"), ("4", "7"), ("5", "7"),
    ("6", "9"), ("7", "9"), ("8", "9"),
)  # fmt: skip

#: Default weights of the paper's network, in the order of PAPER_EDGES.
#: The paper gives no numbers; these make every neuron do visible work on x in [-2, 2].
PAPER_WEIGHTS: tuple[float, ...] = (
    0.8, -0.2, -1.2, 0.5,
    1.5, -1.0, 0.2, 0.9, -0.3,
    1.3, -0.7, 0.1,
)  # fmt: skip

MAX_LAYER_WIDTH = 500


def paper_network(activation: str = "sigmoid", output_activation: str = "identity") -> Network:
    """The network of the paper's Figures 1-5.

    Input 1; bias neurons 2, 5, 8 (value 1); hidden 3, 4, 6, 7 with ``activation``;
    output 9 with ``output_activation``; weights :data:`PAPER_WEIGHTS`.

    Parameters
    ----------
    activation : str
        sigma of the hidden neurons, a name in :data:`nnviz.activations.ACTIVATIONS`.
    output_activation : str
        sigma of the output neuron 9.

    Returns
    -------
    Network
        9 neurons and 12 edges, the weights ``(12,)`` in :data:`PAPER_EDGES` order.

    Raises
    ------
    NetworkError
        If an activation name is unknown.
    """
    roles = {"1": "input", "2": "bias", "5": "bias", "8": "bias", "9": "output"}
    neurons = []
    for k in "123456789":
        role = roles.get(k, "hidden")
        act = {"hidden": activation, "output": output_activation}.get(role)
        neurons.append(Neuron(k, role, act))
    return Network(neurons, PAPER_EDGES, PAPER_WEIGHTS)


def non_layered() -> Network:
    """The paper's example that cannot be split into layers: A->B, A->C, B->C.

    Returns
    -------
    Network
        A is the input, B a tanh hidden neuron, C the (identity) output;
        weights ``(3,)`` = (1.0, 0.5, -0.8).
    """
    neurons = [Neuron("A", "input"), Neuron("B", "hidden", "tanh"), Neuron("C", "output", "identity")]
    return Network(neurons, [("A", "B"), ("A", "C"), ("B", "C")], [1.0, 0.5, -0.8])


def xor() -> Network:
    """Two inputs, two sigmoid hidden neurons (OR and NAND), a sigmoid output (AND).

    Returns
    -------
    Network
        The layered network 2-2-1 with bias neurons 3 and 6; its weights ``(9,)``
        implement XOR to within 0.01 on {0, 1}^2.
    """
    net = layered([2, 2, 1], activation="sigmoid", output_activation="sigmoid")
    w = {
        ("1", "4"): 20.0, ("2", "4"): 20.0, ("3", "4"): -10.0,  # 4 = OR
        ("1", "5"): -20.0, ("2", "5"): -20.0, ("3", "5"): 30.0,  # 5 = NAND
        ("4", "7"): 20.0, ("5", "7"): 20.0, ("6", "7"): -30.0,  # 7 = AND
    }  # fmt: skip
    return net.with_weights([w[e] for e in net.edges])


def layered(
    sizes: Sequence[int],
    activation: str = "sigmoid",
    output_activation: str = "identity",
    seed: int | None = 0,
    scale: float = 1.0,
    bias: bool | Sequence[bool] = True,
) -> Network:
    """Fully connected layers of the given sizes, numbered "1", "2", ... as in the paper.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input layer first, output layer last (at least two
        layers, each of 1 to :data:`MAX_LAYER_WIDTH` neurons, bias not counted).
    activation : str
        sigma of every hidden neuron.
    output_activation : str
        sigma of every output neuron.
    seed : int or None
        Seed of the weights, normal with standard deviation ``scale``; all
        weights are 0 when None.
    scale : float
        Standard deviation of the weights.
    bias : bool or sequence of bool
        Give every layer but the last one bias neuron (numbered after the
        layer's other neurons), or one flag per layer but the last.

    Returns
    -------
    Network
        The layered network; its weights ``(E,)`` in ``net.edges`` order.

    Raises
    ------
    NetworkError
        If there are fewer than two layers, a layer is empty or too wide, the
        bias flags do not match the layers, or an activation is unknown.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2:
        raise NetworkError("a layered network needs at least an input and an output layer")
    for k, s in enumerate(sizes):
        if s < 1:
            raise NetworkError(f"layer {k + 1} is empty; every layer needs at least one neuron")
        if s > MAX_LAYER_WIDTH:
            raise NetworkError(f"layer {k + 1} has {s} neurons; the limit is {MAX_LAYER_WIDTH}")
    flags = [bool(bias)] * (len(sizes) - 1) if isinstance(bias, bool) else [bool(b) for b in bias]
    if len(flags) != len(sizes) - 1:
        raise NetworkError(f"{len(flags)} bias flags for {len(sizes) - 1} layers that can have one")
    neurons: list[Neuron] = []
    layers: list[tuple[list[str], str | None]] = []
    last = len(sizes) - 1
    for k, s in enumerate(sizes):
        role = "input" if k == 0 else "output" if k == last else "hidden"
        act = None if k == 0 else output_activation if k == last else activation
        ids = [str(len(neurons) + j + 1) for j in range(s)]
        neurons += [Neuron(i, role, act) for i in ids]
        b = None
        if k < last and flags[k]:
            b = str(len(neurons) + 1)
            neurons.append(Neuron(b, "bias"))
        layers.append((ids, b))
    edges = []
    for (src, b), (dst, _) in itertools.pairwise(layers):
        for d in dst:
            edges += [(s, d) for s in src] + ([(b, d)] if b else [])
    rng = np.random.default_rng(seed)
    w = np.zeros(len(edges)) if seed is None else rng.normal(0.0, scale, len(edges))
    return Network(neurons, edges, w)


PRESETS = {
    "paper": "The paper's network (Figures 1-5)",
    "non_layered": "Non-layered: A->B, A->C, B->C",
    "xor": "XOR (2-2-1)",
    "layered": "Fully connected layers",
}
