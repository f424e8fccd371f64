"""The paper's feed-forward network: neurons, weighted edges, validation, layers.

A :class:`Network` is immutable. It holds neurons (each with a string id, a
role and, for hidden and output neurons, its own function sigma_k) and an
ordered list of directed edges ``(i, j)``, each with its weight w_{i,j}. The
weights form one float64 vector aligned with the edge list: that vector is the
whole set of parameters, as in the paper ("the weight belongs to the edge's
target").

Building a network validates it; any problem raises :class:`NetworkError`
whose message names the neuron or edge at fault. Every valid network is
acyclic and so can be evaluated in topological levels; :meth:`Network.layers`
says whether it is also *layered* in the paper's sense.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from nnviz.activations import ACTIVATIONS
from nnviz.checks import float_array
from nnviz.errors import NetworkError

ROLES = ("input", "bias", "hidden", "output")
MAX_NEURONS = 2_000
MAX_EDGES = 50_000
MAX_ID_LENGTH = 40
MAX_ABS_VALUE = 1e12  # bias values and weights beyond this are rejected as typos
LARGE_NEURONS = 40  # from here on, is_large() asks for the compact display
LARGE_EDGES = 120


def is_large(net: Network) -> bool:
    """True when ``net`` is too big for edge labels and roomy nodes: drawings and labels go compact."""
    return len(net.neurons) > LARGE_NEURONS or len(net.edges) > LARGE_EDGES


@dataclass(frozen=True)
class Neuron:
    """One neuron: its id, role, function sigma (hidden/output) and bias value."""

    id: str
    role: str
    activation: str | None = None
    value: float = 1.0

    @property
    def computes(self) -> bool:
        """True for hidden and output neurons, which apply a function."""
        return self.role in ("hidden", "output")


def _check_id(nid: object) -> str:
    if not isinstance(nid, str):
        raise NetworkError(f"neuron id {nid!r} is not a string")
    if not nid.strip():
        raise NetworkError("a neuron id is empty")
    if len(nid) > MAX_ID_LENGTH:
        raise NetworkError(f"neuron id {nid[:20]!r}... is longer than {MAX_ID_LENGTH} characters")
    if any(not ch.isprintable() for ch in nid):
        raise NetworkError(f"neuron id {nid!r} contains a control character")
    return nid


def _check_neuron(n: Neuron) -> Neuron:
    _check_id(n.id)
    if n.role not in ROLES:
        raise NetworkError(f"neuron {n.id!r} has unknown role {n.role!r} (use one of {', '.join(ROLES)})")
    if n.computes and (not isinstance(n.activation, str) or n.activation not in ACTIVATIONS):
        raise NetworkError(
            f"neuron {n.id!r} has unknown activation {n.activation!r} (use one of {', '.join(ACTIVATIONS)})"
        )
    value = n.value
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise NetworkError(f"neuron {n.id!r} has a value that is not a number: {value!r}")
    if not math.isfinite(float(value)) or abs(float(value)) > MAX_ABS_VALUE:
        raise NetworkError(
            f"neuron {n.id!r} has value {float(value):g}; it must be a finite number within ±{MAX_ABS_VALUE:g}"
        )
    activation = n.activation if n.computes else None  # inputs and biases apply no function
    if activation != n.activation or type(value) is not float:
        return Neuron(n.id, n.role, activation, float(value))
    return n


class Network:
    """An immutable feed-forward network: neurons, ordered edges and their weights.

    Parameters
    ----------
    neurons : iterable of Neuron
        Every neuron, in the order of the arrays the engine returns (N of them).
    edges : iterable of (str, str)
        The directed edges ``(i, j)`` as neuron ids, E of them.
    weights : array_like, shape (E,), optional
        w_{i,j} of each edge, in the order of ``edges``; zeros when omitted.

    Raises
    ------
    NetworkError
        If the network is invalid; the message names the neuron or edge: a
        duplicate or malformed id, an unknown role or activation, an edge into
        an input or bias neuron, a self-loop or cycle, a computing neuron
        without inputs, no input or output neuron, a non-finite weight, or
        more than :data:`MAX_NEURONS` neurons or :data:`MAX_EDGES` edges.
    """

    __slots__ = ("__dict__", "_by_id", "_edges", "_neurons", "_weights")

    def __init__(
        self,
        neurons: Iterable[Neuron],
        edges: Iterable[tuple[str, str]],
        weights: Sequence[float] | np.ndarray | None = None,
    ) -> None:
        neurons = tuple(neurons)
        edges = tuple((e[0], e[1]) for e in edges)
        if len(neurons) > MAX_NEURONS:
            raise NetworkError(f"{len(neurons)} neurons is more than the limit of {MAX_NEURONS}")
        if len(edges) > MAX_EDGES:
            raise NetworkError(f"{len(edges)} edges is more than the limit of {MAX_EDGES}")
        neurons = tuple(_check_neuron(n) for n in neurons)
        by_id: dict[str, Neuron] = {}
        for n in neurons:
            if n.id in by_id:
                raise NetworkError(f"neuron id {n.id!r} is used twice")
            by_id[n.id] = n
        w = np.zeros(len(edges)) if weights is None else float_array(weights, "weights").reshape(-1)
        if w.shape != (len(edges),):
            raise NetworkError(f"{w.size} weights given for {len(edges)} edges")
        seen: set[tuple[str, str]] = set()
        for k, (s, d) in enumerate(edges):
            for end in (s, d):
                _check_id(end)
                if end not in by_id:
                    raise NetworkError(f"edge {s}->{d} names unknown neuron {end!r}")
            if s == d:
                raise NetworkError(f"edge {s}->{d} is a self-loop")
            if (s, d) in seen:
                raise NetworkError(f"edge {s}->{d} appears twice")
            seen.add((s, d))
            if not by_id[d].computes:
                raise NetworkError(f"edge {s}->{d} points into {by_id[d].role} neuron {d!r}, which takes no inputs")
            if not math.isfinite(w[k]) or abs(w[k]) > MAX_ABS_VALUE:
                raise NetworkError(
                    f"weight w_{{{s},{d}}} is {float(w[k]):g}; weights must be finite numbers within ±{MAX_ABS_VALUE:g}"
                )
        if not any(n.role == "input" for n in neurons):
            raise NetworkError("the network has no input neuron")
        if not any(n.role == "output" for n in neurons):
            raise NetworkError("the network has no output neuron")
        has_in = {d for _, d in edges}
        for n in neurons:
            if n.computes and n.id not in has_in:
                raise NetworkError(f"{n.role} neuron {n.id!r} has no incoming edge")
        w.setflags(write=False)
        self._neurons = neurons
        self._edges = edges
        self._weights = w
        self._by_id = by_id
        self.topological_order  # noqa: B018 - computing it raises on a cycle

    # ----- public surface -------------------------------------------------
    @property
    def neurons(self) -> tuple[Neuron, ...]:
        """All neurons, in the network's order."""
        return self._neurons

    @property
    def edges(self) -> tuple[tuple[str, str], ...]:
        """All edges as ``(src, dst)`` ids; the order of :attr:`weights`."""
        return self._edges

    @property
    def weights(self) -> np.ndarray:
        """The weights w_{i,j}, float64 ``(E,)``, read-only, aligned with :attr:`edges`."""
        return self._weights

    @cached_property
    def ids(self) -> tuple[str, ...]:
        """Neuron ids in network order."""
        return tuple(n.id for n in self._neurons)

    @cached_property
    def index(self) -> dict[str, int]:
        """Neuron id -> position in :attr:`neurons`."""
        return {n.id: k for k, n in enumerate(self._neurons)}

    @cached_property
    def edge_index(self) -> dict[tuple[str, str], int]:
        """Edge ``(src, dst)`` -> position in :attr:`edges` and :attr:`weights`."""
        return {e: k for k, e in enumerate(self._edges)}

    @cached_property
    def inputs(self) -> tuple[str, ...]:
        """Ids of the input neurons, in order (the columns of x)."""
        return tuple(n.id for n in self._neurons if n.role == "input")

    @cached_property
    def outputs(self) -> tuple[str, ...]:
        """Ids of the output neurons, in order (the columns of y)."""
        return tuple(n.id for n in self._neurons if n.role == "output")

    def neuron(self, nid: str) -> Neuron:
        """The neuron with id ``nid``; ``NetworkError`` if there is none."""
        try:
            return self._by_id[nid]
        except KeyError:
            raise NetworkError(f"there is no neuron {nid!r}") from None

    def weight(self, src: str, dst: str) -> float:
        """The weight w_{src,dst}; ``NetworkError`` if there is no such edge."""
        k = self.edge_index.get((src, dst))
        if k is None:
            raise NetworkError(f"there is no edge {src}->{dst}")
        return float(self._weights[k])

    def with_weights(self, weights: Sequence[float] | np.ndarray) -> Network:
        """A copy of this network with another weight vector ``(E,)``.

        Raises ``NetworkError`` when ``weights`` are not ``E`` real numbers within
        ±:data:`MAX_ABS_VALUE` (strings, None, NaN and infinities included).
        """
        new = Network(self._neurons, self._edges, weights)
        if "_plan" in self.__dict__:  # same structure: share the compiled plan
            new.__dict__["_plan"] = self.__dict__["_plan"]
        return new

    def incoming(self, nid: str) -> list[tuple[str, str]]:
        """Edges into ``nid``, in edge order (the set I_k of the paper)."""
        return [e for e in self._edges if e[1] == nid]

    def outgoing(self, nid: str) -> list[tuple[str, str]]:
        """Edges out of ``nid``, in edge order."""
        return [e for e in self._edges if e[0] == nid]

    # ----- structure ------------------------------------------------------
    @cached_property
    def topological_order(self) -> list[str]:
        """Neuron ids so that every edge goes forward; raises on a cycle."""
        indeg = {n.id: 0 for n in self._neurons}
        succ: dict[str, list[str]] = {n.id: [] for n in self._neurons}
        for s, d in self._edges:
            indeg[d] += 1
            succ[s].append(d)
        ready = [n.id for n in self._neurons if indeg[n.id] == 0]
        order: list[str] = []
        while ready:
            nid = ready.pop(0) if len(ready) < 64 else ready.pop()
            order.append(nid)
            for d in succ[nid]:
                indeg[d] -= 1
                if indeg[d] == 0:
                    ready.append(d)
        if len(order) < len(self._neurons):
            raise NetworkError("the network has a cycle: " + " -> ".join(self._find_cycle(indeg)))
        return order

    def _find_cycle(self, indeg: dict[str, int]) -> list[str]:
        # Every neuron Kahn's algorithm left over has a predecessor that was left
        # over too, so walking predecessors must return to a neuron already seen.
        left = {nid for nid, k in indeg.items() if k > 0}
        preds: dict[str, list[str]] = {nid: [] for nid in left}
        for s, d in self._edges:
            if s in left and d in left:
                preds[d].append(s)
        start = min(left)
        path, pos = [start], {start: 0}
        while True:
            prev = preds[path[-1]][0]
            if prev in pos:
                cycle = path[pos[prev] :]
                return [*reversed(cycle), cycle[-1]]
            pos[prev] = len(path)
            path.append(prev)

    @cached_property
    def levels(self) -> list[list[str]]:
        """Topological levels: level 0 has no incoming edges; a neuron sits one
        level after its deepest predecessor. Every network has them."""
        depth: dict[str, int] = {}
        preds: dict[str, list[str]] = {n.id: [] for n in self._neurons}
        for s, d in self._edges:
            preds[d].append(s)
        for nid in self.topological_order:
            depth[nid] = 1 + max((depth[p] for p in preds[nid]), default=-1)
        out: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
        for nid in self.ids:
            out[depth[nid]].append(nid)
        return out

    @cached_property
    def _layering(self) -> tuple[list[list[str]] | None, str | None]:
        # Weighted union-find over the edges in order: every edge s->d asks for
        # layer(d) = layer(s) + 1. The first edge that contradicts the earlier
        # ones is the one named, so a newly added (last) edge is blamed first.
        parent = {nid: nid for nid in self.ids}
        offset = dict.fromkeys(self.ids, 0)  # layer relative to the parent

        def find(v: str) -> tuple[str, int]:
            path = []
            while parent[v] != v:
                path.append(v)
                v = parent[v]
            total = 0
            for u in reversed(path):  # compress: point straight at the root
                total += offset[u]
                offset[u], parent[u] = total, v
            return v, offset[path[0]] if path else 0

        for s, d in self._edges:
            (rs, ps), (rd, pd) = find(s), find(d)
            if rs == rd:
                if pd - ps != 1:
                    return None, self._skip_message(s, d, pd - ps)
            else:
                parent[rd], offset[rd] = rs, ps + 1 - pd
        pos = {nid: find(nid) for nid in self.ids}  # (root, layer relative to root)
        low: dict[str, int] = {}
        for root, p in pos.values():
            low[root] = min(low.get(root, p), p)
        layer = {nid: p - low[root] for nid, (root, p) in pos.items()}
        out: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
        for nid in self.ids:
            out[layer[nid]].append(nid)
        return out, None

    @staticmethod
    def _skip_message(s: str, d: str, gap: int) -> str:
        if gap == 0:
            where = f"in the same layer as {s}"
        elif gap > 0:
            where = f"{gap} layers after {s}"
        else:
            where = f"{-gap} layer{'s' if gap < -1 else ''} before {s}"
        return f"edge {s}->{d} does not go to the next layer: the other edges put {d} {where}"

    def layers(self) -> list[list[str]] | None:
        """The paper's layers (every edge from one subset to the next), or ``None``.

        The paper's network gives ``[["1","2"],["3","4","5"],["6","7","8"],["9"]]``;
        A->B, A->C, B->C gives ``None`` (see :meth:`layering_problem`).
        """
        layers, _ = self._layering
        return None if layers is None else [list(layer) for layer in layers]

    def layering_problem(self) -> str | None:
        """Why the network is not layered (naming an edge), or ``None`` if it is."""
        return self._layering[1]

    def stages(self) -> list[list[str]]:
        """The order to evaluate and draw in: layers when layered, else levels."""
        layers = self.layers()
        return layers if layers is not None else [list(level) for level in self.levels]

    # ----- value semantics -----------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Network):
            return NotImplemented
        return (
            self._neurons == other._neurons
            and self._edges == other._edges
            and np.array_equal(self._weights, other._weights)
        )

    def __reduce__(self) -> tuple:
        # Pickle the definition only; caches (compiled plans holding functions) are rebuilt on demand.
        return (Network, (self._neurons, self._edges, np.array(self._weights)))

    def __hash__(self) -> int:
        return hash((self._neurons, self._edges, self._weights.tobytes()))

    def __repr__(self) -> str:
        return f"Network({len(self._neurons)} neurons, {len(self._edges)} edges, layered={self.layers() is not None})"


def as_network(net: object, what: str = "net") -> Network:
    """``net`` itself when it is a :class:`Network`; else ``NetworkError`` naming ``what``."""
    if not isinstance(net, Network):
        raise NetworkError(f"{what} must be an nnviz Network, not {type(net).__name__}")
    return net
