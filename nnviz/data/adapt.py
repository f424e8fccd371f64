"""Fit a network to a dataset's shape: say what does not match, and adapt it in one step.

A dataset with n inputs and m targets needs a network with n input neurons
and m output neurons (f : R^n -> R^m, in the paper's words). :func:`mismatch`
explains a difference; :func:`adapt_network` keeps the network's hidden part
and changes only its input and output neurons:

- a new input neuron gets edges to every neuron the existing inputs feed, with
  weight 0, so the network still computes the same function of the old inputs;
- a new output neuron gets edges from every neuron that feeds the first output,
  with its activation, and weight 0;
- surplus inputs and outputs (the last ones) are removed with their edges.
"""

from __future__ import annotations

from nnviz.data.dataset import Dataset
from nnviz.network import Network, NetworkError, Neuron


def mismatch(net: Network, data: Dataset) -> str | None:
    """A sentence saying how ``net`` and ``data`` differ in inputs/outputs, or None when they fit."""
    n_in, n_out = len(net.inputs), len(net.outputs)
    problems = []
    if n_in != data.n_in:
        problems.append(f"the data has {_count(data.n_in, 'input')} but the network has {_count(n_in, 'input neuron')}")
    if n_out != data.n_out:
        problems.append(
            f"the data has {_count(data.n_out, 'output')} but the network has {_count(n_out, 'output neuron')}"
        )
    return "; ".join(problems) if problems else None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _fresh_ids(net: Network, how_many: int) -> list[str]:
    """New ids continuing the paper's numbering ("10", "11", ...) after the largest numeric id."""
    numbers = [int(k) for k in net.ids if k.isdigit()]
    start = max(numbers, default=0) + 1
    out: list[str] = []
    k = start
    while len(out) < how_many:
        if str(k) not in net.index:
            out.append(str(k))
        k += 1
    return out


def adapt_network(net: Network, n_in: int, n_out: int) -> Network:
    """``net`` with exactly ``n_in`` input and ``n_out`` output neurons (see the module docstring)."""
    if n_in < 1 or n_out < 1:
        raise NetworkError("a network needs at least one input and one output neuron")
    neurons = list(net.neurons)
    edges = list(net.edges)
    weights = [float(w) for w in net.weights]
    inputs, outputs = list(net.inputs), list(net.outputs)

    drop = set(inputs[n_in:]) | set(outputs[n_out:])
    if drop:
        keep = [k for k, (s, d) in enumerate(edges) if s not in drop and d not in drop]
        edges = [edges[k] for k in keep]
        weights = [weights[k] for k in keep]
        neurons = [n for n in neurons if n.id not in drop]

    new_in = _fresh_ids(net, max(0, n_in - len(inputs)) + max(0, n_out - len(outputs)))
    new_out = new_in[max(0, n_in - len(inputs)) :]
    new_in = new_in[: max(0, n_in - len(inputs))]
    if new_in:
        fed = [d for s, d in edges if s in inputs[:n_in]]
        targets = list(dict.fromkeys(fed)) or list(outputs[:n_out])
        pos = max(k for k, n in enumerate(neurons) if n.role == "input") + 1
        neurons[pos:pos] = [Neuron(k, "input") for k in new_in]
        for k in new_in:
            edges += [(k, d) for d in targets]
            weights += [0.0] * len(targets)
    if new_out:
        first = net.neuron(outputs[0])
        sources = [s for s, d in net.edges if d == first.id and s not in drop]
        for k in new_out:
            neurons.append(Neuron(k, "output", first.activation))
            edges += [(s, k) for s in sources]
            weights += [0.0] * len(sources)
    try:
        return Network(neurons, edges, weights)
    except NetworkError as exc:
        raise NetworkError(f"cannot adapt the network to {n_in} inputs and {n_out} outputs: {exc}") from None
