"""A layered network as matrices: f = sigma_l o A_l o ... o sigma_2 o A_2, and its linear collapse.

Part II of the paper writes a layered network as alternating steps: an affine
map A_i from the outputs of layer i-1 to the weighted sums of layer i, then the
layer's functions sigma_i coordinate by coordinate. :func:`layer_maps` reads
those matrices off a :class:`~nnviz.network.Network`: row k of ``A_i`` holds the
weights w_{j,k} of computing neuron k of layer i, one column per non-bias neuron
j of layer i-1, and a last *bias column* holding sum_b w_{b,k} * value_b over the
bias neurons b of layer i-1 (the "1" of homogeneous coordinates).

With every function the identity the steps collapse into one matrix:
:func:`collapse` multiplies the homogeneous matrices [[A_i, b_i], [0, 1]] into
``A_l ... A_2`` and :func:`identity_network` builds the network that computes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.activations import ACTIVATIONS
from nnviz.engine import forward
from nnviz.network import Network, NetworkError, Neuron

BIAS_COLUMN = "1"


@dataclass(frozen=True)
class LayerMap:
    """One step of the composition: z_i = sigma_i(A_i [z_{i-1}; 1]).

    ``layer`` is the paper's index i (2 for the first hidden layer); ``rows`` the
    computing neurons of layer i; ``cols`` the non-bias neurons of layer i-1;
    ``bias_ids`` the bias neurons of layer i-1 folded into the last column;
    ``matrix`` ``(len(rows), len(cols) + 1)``; ``activations`` sigma per row.
    """

    layer: int
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    bias_ids: tuple[str, ...]
    matrix: np.ndarray  # (n_i, n_{i-1} + 1)
    activations: tuple[str, ...]

    @property
    def linear(self) -> np.ndarray:
        """The weights from the previous layer's neurons, ``(n_i, n_{i-1})``."""
        return self.matrix[:, :-1]

    @property
    def bias(self) -> np.ndarray:
        """The bias column, ``(n_i,)``."""
        return self.matrix[:, -1]

    @property
    def homogeneous(self) -> np.ndarray:
        """[[A_i, b_i], [0, 1]], ``(n_i + 1, n_{i-1} + 1)``: the affine map as one matrix."""
        n_i, n_prev = self.linear.shape
        out = np.zeros((n_i + 1, n_prev + 1))
        out[:n_i] = self.matrix
        out[n_i, n_prev] = 1.0
        return out

    @property
    def function(self) -> str:
        """The layer's sigma_i: one name when all rows share it, else the names joined by commas."""
        names = list(dict.fromkeys(self.activations))
        return ", ".join(names)

    def apply(self, z_prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(a_i, z_i), each ``(B, n_i)``, from the previous layer's outputs ``(B, n_{i-1})``."""
        a = z_prev @ self.linear.T + self.bias  # (B, n_i)
        z = np.empty_like(a)
        with np.errstate(all="ignore"):
            for name in dict.fromkeys(self.activations):
                cols = [k for k, act in enumerate(self.activations) if act == name]
                z[:, cols] = ACTIVATIONS[name].f(a[:, cols])
        return a, z


def _check_layers(net: Network) -> list[list[str]]:
    layers = net.layers()
    if layers is None:
        raise NetworkError(
            f"the network is not layered ({net.layering_problem()}); the matrix form A_l ... A_2 needs layers"
        )
    last = len(layers) - 1
    for pos, layer in enumerate(layers):
        for nid in layer:
            role = net.neuron(nid).role
            if role == "input" and pos != 0:
                raise NetworkError(
                    f"input neuron {nid!r} sits in layer {pos + 1}; the matrix form needs every input in layer 1"
                )
            if role == "output" and pos != last:
                raise NetworkError(
                    f"output neuron {nid!r} sits in layer {pos + 1} of {last + 1}; "
                    "the matrix form needs every output in the last layer"
                )
    return layers


def layer_maps(net: Network) -> list[LayerMap]:
    """The matrices A_2 ... A_l of a layered network (see the module docstring).

    Raises :class:`NetworkError` naming the edge or neuron when the network is not
    layered, or when an input is not in the first layer or an output not in the last.
    """
    layers = _check_layers(net)
    maps: list[LayerMap] = []
    for i in range(1, len(layers)):
        prev, cur = layers[i - 1], layers[i]
        cols = tuple(k for k in prev if net.neuron(k).role != "bias")
        biases = tuple(k for k in prev if net.neuron(k).role == "bias")
        rows = tuple(k for k in cur if net.neuron(k).computes)
        col_of = {k: c for c, k in enumerate(cols)}
        row_of = {k: r for r, k in enumerate(rows)}
        mat = np.zeros((len(rows), len(cols) + 1))  # (n_i, n_{i-1} + 1)
        for (s, d), w in zip(net.edges, net.weights, strict=True):
            if d not in row_of:
                continue
            src = net.neuron(s)
            if src.role == "bias":
                mat[row_of[d], -1] += w * float(src.value)
            else:
                mat[row_of[d], col_of[s]] += w
        acts = tuple(str(net.neuron(k).activation) for k in rows)
        mat.setflags(write=False)
        used = tuple(b for b in biases if any(net.neuron(d).computes for _, d in net.outgoing(b)))
        maps.append(LayerMap(i + 1, rows, cols, used, mat, acts))
    return maps


def _input_batch(net: Network, x: object) -> np.ndarray:
    arr = np.array(x, dtype=float)
    if arr.ndim == 1:
        arr = arr[None, :]
    n_in = len(net.inputs)
    if arr.ndim != 2 or arr.shape[1] != n_in:
        raise NetworkError(f"x has shape {np.shape(x)}; expected (B, {n_in})")
    return arr  # (B, n_in)


def apply_layers(net: Network, x: object) -> list[np.ndarray]:
    """Apply sigma_i o A_i in turn: the outputs z of every layer, ``[(B, n_1), (B, n_2), ...]``.

    The first entry is x itself (in the order of ``net.inputs``); the last is the
    last layer, whose output neurons are the network's output.
    """
    maps = layer_maps(net)
    xb = _input_batch(net, x)
    first = maps[0].cols
    col = [net.inputs.index(k) for k in first]
    zs = [xb[:, col]]
    for m in maps:
        zs.append(m.apply(zs[-1])[1])
    return zs


def output_columns(net: Network, maps: list[LayerMap]) -> list[int]:
    """Positions of ``net.outputs`` among the rows of the last matrix."""
    rows = maps[-1].rows
    return [rows.index(k) for k in net.outputs]


def composition_check(net: Network, samples: int = 200, seed: int = 0, scale: float = 2.0) -> tuple[np.ndarray, float]:
    """Random inputs ``(samples, n_in)`` and the largest |f(x) - network(x)| over them.

    f applies the layer maps in turn; network(x) is :func:`nnviz.forward`.
    """
    x = np.random.default_rng(seed).normal(0.0, scale, (samples, len(net.inputs)))  # (B, n_in)
    maps = layer_maps(net)
    composed = apply_layers(net, x)[-1][:, output_columns(net, maps)]  # (B, n_out)
    direct = forward(net, x).output  # (B, n_out)
    with np.errstate(invalid="ignore"):
        diff = np.abs(composed - direct)
    return x, float(np.nanmax(diff, initial=0.0))


def identity_network(net: Network) -> Network:
    """The same graph and weights with every hidden and output function switched to the identity."""
    neurons = [Neuron(n.id, n.role, "identity", n.value) if n.computes else n for n in net.neurons]
    return Network(neurons, net.edges, net.weights)


def functions_of(net: Network) -> dict[str, str]:
    """Each hidden and output neuron's function: id -> activation name."""
    return {n.id: str(n.activation) for n in net.neurons if n.computes}


def restore_functions(net: Network, functions: dict[str, str]) -> Network:
    """``net`` with the functions in ``functions`` (id -> name) put back on the neurons that still exist.

    Weights and structure are those of ``net``, so edits made in between are kept.
    """
    neurons = [
        Neuron(n.id, n.role, functions[n.id], n.value) if n.computes and n.id in functions else n for n in net.neurons
    ]
    return Network(neurons, net.edges, net.weights)


def is_linear(net: Network) -> bool:
    """True when every hidden and output neuron applies the identity."""
    return all(n.activation == "identity" for n in net.neurons if n.computes)


@dataclass(frozen=True)
class Collapse:
    """The single matrix A_l ... A_2 of a network whose functions are all the identity.

    ``matrix`` is ``(n_out, n_in + 1)``: rows ``outputs``, columns ``inputs`` then the
    bias column; output = x @ linear.T + bias.
    """

    outputs: tuple[str, ...]
    inputs: tuple[str, ...]
    matrix: np.ndarray  # (n_out, n_in + 1)

    @property
    def linear(self) -> np.ndarray:
        """``(n_out, n_in)``."""
        return self.matrix[:, :-1]

    @property
    def bias(self) -> np.ndarray:
        """``(n_out,)``."""
        return self.matrix[:, -1]

    def apply(self, x: np.ndarray) -> np.ndarray:
        """The collapsed map on ``x`` ``(B, n_in)``: ``(B, n_out)``."""
        return np.asarray(x, dtype=float) @ self.linear.T + self.bias


def collapse(net: Network) -> Collapse:
    """Multiply the homogeneous layer matrices: what the network computes once every sigma is the identity.

    The functions of ``net`` are ignored (the result is the matrix of
    ``identity_network(net)``); the columns follow ``net.inputs``.
    """
    maps = layer_maps(net)
    prod = maps[0].homogeneous  # (n_2 + 1, n_1 + 1)
    for m in maps[1:]:
        prod = m.homogeneous @ prod
    rows = output_columns(net, maps)
    first = list(maps[0].cols)
    cols = [*(first.index(k) for k in net.inputs), prod.shape[1] - 1]
    mat = prod[np.ix_(rows, cols)]  # (n_out, n_in + 1)
    mat.setflags(write=False)
    return Collapse(tuple(net.outputs), tuple(net.inputs), mat)


def collapse_check(net: Network, samples: int = 200, seed: int = 0, scale: float = 2.0) -> tuple[np.ndarray, float]:
    """Random inputs ``(samples, n_in)`` and the largest |collapse(x) - identity network(x)|."""
    x = np.random.default_rng(seed).normal(0.0, scale, (samples, len(net.inputs)))  # (B, n_in)
    single = collapse(net).apply(x)  # (B, n_out)
    direct = forward(identity_network(net), x).output  # (B, n_out)
    return x, float(np.max(np.abs(single - direct), initial=0.0))
