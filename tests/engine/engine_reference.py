"""An independent reference for the engine tests: plain-Python maths and random networks.

Nothing here calls the engine's maths. :func:`ref_forward` evaluates a network
neuron by neuron with :mod:`math` in its own topological order (the paper's
z_k = sigma_k(sum_{i in I_k} w_{i,k} z_i)), and can nudge one a_k or z_k so the
tests can take finite differences with respect to any intermediate value.
:func:`networks` is a hypothesis strategy of random acyclic networks: several
inputs and outputs, bias neurons with values other than 1, skip edges, outputs
that feed other neurons, mixed activations, shuffled neuron and edge order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from hypothesis import strategies as st

from nnviz import Network, Neuron


def _sigmoid(a: float) -> float:
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _softplus(a: float) -> float:
    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))


#: name -> (f, f') written independently of nnviz.activations.
REF_ACTIVATIONS = {
    "identity": (lambda a: a, lambda a: 1.0),
    "sigmoid": (_sigmoid, lambda a: _sigmoid(a) * (1.0 - _sigmoid(a))),
    "tanh": (math.tanh, lambda a: 1.0 - math.tanh(a) ** 2),
    "relu": (lambda a: a if a > 0 else 0.0, lambda a: 1.0 if a > 0 else 0.0),
    "leaky_relu": (lambda a: a if a > 0 else 0.01 * a, lambda a: 1.0 if a > 0 else 0.01),
    "softplus": (_softplus, _sigmoid),
    "step": (lambda a: 1.0 if a > 0 else 0.0, lambda a: 0.0),
    "sin": (math.sin, math.cos),
}
SMOOTH = ("identity", "sigmoid", "tanh", "softplus", "sin")
KINKED = ("relu", "leaky_relu")


def ref_order(net: Network) -> list[str]:
    """A topological order by repeated scanning (deliberately not Kahn's queue)."""
    done: list[str] = []
    placed: set[str] = set()
    preds = {n.id: {s for s, d in net.edges if d == n.id} for n in net.neurons}
    while len(done) < len(net.neurons):
        ready = [n.id for n in net.neurons if n.id not in placed and preds[n.id] <= placed]
        assert ready, "reference found a cycle"
        done += ready
        placed |= set(ready)
    return done


def ref_forward(
    net: Network,
    x: Sequence[float],
    weights: Sequence[float] | None = None,
    nudge: tuple[str, str, float] | None = None,
) -> tuple[dict[str, float], dict[str, float]]:
    """(a, z) of every neuron for one input point, as dicts by id.

    ``nudge=("a", k, d)`` adds d to a_k before sigma_k; ``("z", k, d)`` adds d to z_k.
    """
    w = [float(v) for v in (net.weights if weights is None else weights)]
    inputs = [n.id for n in net.neurons if n.role == "input"]
    xin = dict(zip(inputs, [float(v) for v in x], strict=True))
    by_id = {n.id: n for n in net.neurons}
    a: dict[str, float] = {}
    z: dict[str, float] = {}
    for k in ref_order(net):
        n = by_id[k]
        if n.role == "input":
            a[k] = xin[k]
        elif n.role == "bias":
            a[k] = float(n.value)
        else:
            a[k] = math.fsum(wk * z[s] for (s, d), wk in zip(net.edges, w, strict=True) if d == k)
        if nudge is not None and nudge[0] == "a" and nudge[1] == k:
            a[k] += nudge[2]
        z[k] = REF_ACTIVATIONS[n.activation][0](a[k]) if n.role in ("hidden", "output") else a[k]
        if nudge is not None and nudge[0] == "z" and nudge[1] == k:
            z[k] += nudge[2]
    return a, z


def ref_loss(
    net: Network,
    x: Sequence[float],
    y: Sequence[float],
    weights: Sequence[float] | None = None,
    nudge: tuple[str, str, float] | None = None,
) -> float:
    """l = sum over outputs (y_k - z_k)^2 for one point."""
    _, z = ref_forward(net, x, weights, nudge)
    outputs = [n.id for n in net.neurons if n.role == "output"]
    return sum((float(yk) - z[k]) ** 2 for k, yk in zip(outputs, y, strict=True))


POOL = (
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C",
    "x", "h", "out", "σ₃", "b 2", "n10", "n11", "n12", "n13", "n14", "n15", "w_{1,3}",
)  # fmt: skip

_coord = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)


@st.composite
def networks(
    draw: st.DrawFn,
    activations: Sequence[str] = SMOOTH,
    max_inputs: int = 3,
    max_bias: int = 2,
    max_hidden: int = 5,
    max_outputs: int = 3,
) -> Network:
    """A random valid acyclic network (see the module docstring)."""
    n_in = draw(st.integers(1, max_inputs))
    n_b = draw(st.integers(0, max_bias))
    n_h = draw(st.integers(0, max_hidden))
    n_out = draw(st.integers(1, max_outputs))
    ids = list(draw(st.permutations(POOL)))[: n_in + n_b + n_h + n_out]
    inputs, biases = ids[:n_in], ids[n_in : n_in + n_b]
    hidden, outputs = ids[n_in + n_b : n_in + n_b + n_h], ids[n_in + n_b + n_h :]
    evaluation = draw(st.permutations(hidden + outputs))  # outputs may feed later neurons
    edges = []
    for p, k in enumerate(evaluation):
        candidates = inputs + biases + list(evaluation[:p])
        chosen = [c for c in candidates if draw(st.booleans())]
        if not chosen:
            chosen = [draw(st.sampled_from(candidates))]
        edges += [(c, k) for c in chosen]
    neurons = [Neuron(k, "input") for k in inputs]
    neurons += [Neuron(k, "bias", None, draw(st.floats(-3.0, 3.0, allow_nan=False))) for k in biases]
    neurons += [Neuron(k, "hidden", draw(st.sampled_from(activations))) for k in hidden]
    neurons += [Neuron(k, "output", draw(st.sampled_from(activations))) for k in outputs]
    neurons = draw(st.permutations(neurons))
    edges = draw(st.permutations(edges))
    weights = draw(st.lists(_coord, min_size=len(edges), max_size=len(edges)))
    return Network(neurons, edges, weights)


@st.composite
def batches(draw: st.DrawFn, net: Network, max_points: int = 3) -> tuple[list[list[float]], list[list[float]]]:
    """(X, Y) for ``net``: 1..max_points points with coordinates in [-2, 2]."""
    b = draw(st.integers(1, max_points))
    n_in = sum(n.role == "input" for n in net.neurons)
    n_out = sum(n.role == "output" for n in net.neurons)
    xs = [[draw(_coord) for _ in range(n_in)] for _ in range(b)]
    ys = [[draw(_coord) for _ in range(n_out)] for _ in range(b)]
    return xs, ys


def kink_margin(net: Network, xs: Sequence[Sequence[float]]) -> float:
    """Smallest |a_k| over neurons with a kinked activation (inf if there are none)."""
    kinked = [n.id for n in net.neurons if n.activation in KINKED]
    margin = math.inf
    for x in xs:
        a, _ = ref_forward(net, x)
        margin = min([margin, *(abs(a[k]) for k in kinked)])
    return margin
