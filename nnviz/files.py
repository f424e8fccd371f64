"""Networks as versioned JSON documents.

The format ``nnviz.network/1``::

    {"format": "nnviz.network/1",
     "neurons": [{"id": "1", "role": "input", "activation": null, "value": 1.0}, ...],
     "edges": [{"from": "1", "to": "3", "weight": 0.8}, ...]}

:func:`from_json` checks every field and raises :class:`NetworkError` with a
message a user can act on (which field of which neuron or edge is wrong),
never ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from nnviz.network import MAX_EDGES, MAX_NEURONS, Network, NetworkError, Neuron

FORMAT = "nnviz.network/1"
MAX_JSON_BYTES = 5_000_000


def to_dict(net: Network) -> dict[str, Any]:
    """The network as a plain dict in the ``nnviz.network/1`` format."""
    return {
        "format": FORMAT,
        "neurons": [{"id": n.id, "role": n.role, "activation": n.activation, "value": n.value} for n in net.neurons],
        "edges": [{"from": s, "to": d, "weight": float(w)} for (s, d), w in zip(net.edges, net.weights, strict=True)],
    }


def to_json(net: Network, indent: int | None = 1) -> str:
    """The network as JSON text in the ``nnviz.network/1`` format (see the module docstring).

    Parameters
    ----------
    net : Network
        The network to write: its neurons, edges and weights.
    indent : int, optional
        Indentation of the JSON text; None writes one line.

    Returns
    -------
    str
        JSON text that :func:`from_json` reads back to an equal network.
    """
    return json.dumps(to_dict(net), indent=indent)


def _field(obj: dict[str, Any], key: str, where: str, types: tuple[type, ...], what: str) -> Any:
    if key not in obj:
        raise NetworkError(f"{where} has no {key!r} field")
    value = obj[key]
    if isinstance(value, bool) and bool not in types:
        raise NetworkError(f"{where}: {key!r} must be {what}, not {json.dumps(value)}")
    if not isinstance(value, types):
        raise NetworkError(f"{where}: {key!r} must be {what}, not {json.dumps(value)[:40]}")
    return value


def _number(obj: dict[str, Any], key: str, where: str) -> float:
    try:
        value = float(_field(obj, key, where, (int, float), "a number"))
    except OverflowError:  # an integer literal too large for a float
        raise NetworkError(f"{where}: {key!r} must be a finite number; it is too large") from None
    if not math.isfinite(value):
        raise NetworkError(f"{where}: {key!r} must be finite, not {value}")
    return value


def from_dict(doc: object) -> Network:
    """Build a network from a parsed ``nnviz.network/1`` document."""
    if not isinstance(doc, dict):
        raise NetworkError("the file is not a JSON object with 'format', 'neurons' and 'edges'")
    fmt = doc.get("format")
    if fmt != FORMAT:
        raise NetworkError(f"the file's format is {json.dumps(fmt)[:40]}; expected {json.dumps(FORMAT)}")
    neurons_doc = _field(doc, "neurons", "the file", (list,), "a list")
    edges_doc = _field(doc, "edges", "the file", (list,), "a list")
    if len(neurons_doc) > MAX_NEURONS:
        raise NetworkError(f"the file has {len(neurons_doc)} neurons; the limit is {MAX_NEURONS}")
    if len(edges_doc) > MAX_EDGES:
        raise NetworkError(f"the file has {len(edges_doc)} edges; the limit is {MAX_EDGES}")
    neurons = []
    for k, item in enumerate(neurons_doc):
        where = f"neuron #{k + 1}"
        if not isinstance(item, dict):
            raise NetworkError(f"{where} is not an object")
        nid = _field(item, "id", where, (str,), "a string")
        where = f"neuron {nid!r}"
        role = _field(item, "role", where, (str,), "a string")
        act = item.get("activation")
        if act is not None and not isinstance(act, str):
            raise NetworkError(f"{where}: 'activation' must be a string or null")
        value = _number(item, "value", where) if "value" in item else 1.0
        neurons.append(Neuron(nid, role, act, value))
    edges, weights = [], []
    for k, item in enumerate(edges_doc):
        where = f"edge #{k + 1}"
        if not isinstance(item, dict):
            raise NetworkError(f"{where} is not an object")
        src = _field(item, "from", where, (str,), "a string")
        dst = _field(item, "to", where, (str,), "a string")
        edges.append((src, dst))
        weights.append(_number(item, "weight", f"edge {src}->{dst}"))
    return Network(neurons, edges, weights)  # a cycle raises NetworkError naming it (Network.topological_order)


def parse_json(
    data: str | bytes,
    limit: int,
    error: type[ValueError],
    kind: str,
    encoding: str = "utf-8-sig",
    allow_empty: bool = True,
) -> Any:
    """Parse an uploaded JSON document, treating it as hostile; ``error`` with a readable message.

    The size is checked before parsing; NaN and infinities, bad encodings, deep
    nesting and over-long integer literals are refused; a leading UTF-8 byte
    order mark (as some editors save) is skipped. ``kind`` names the document
    in messages ("a network").
    """
    if isinstance(data, (bytes, bytearray)):
        if len(data) > limit:
            raise error(f"the file is {len(data):,} bytes; the limit is {limit:,}")
        try:
            data = bytes(data).decode(encoding)
        except UnicodeDecodeError:
            raise error("the file is not UTF-8 text") from None
    if not isinstance(data, str):
        raise error("expected JSON text")
    data = data.removeprefix("\ufeff")
    if len(data) > limit:
        raise error(f"the file is {len(data):,} characters; the limit is {limit:,}")
    if not allow_empty and not data.strip():
        raise error("the file is empty")

    def reject_constant(name: str) -> float:
        raise error(f"the file contains {name}, which is not a number JSON allows")

    try:
        return json.loads(data, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise error(f"the file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise error(f"the file is nested too deeply to be {kind}") from None
    except error:
        raise
    except ValueError as exc:  # e.g. an integer literal longer than Python's 4300-digit limit
        raise error(f"the file is not valid JSON: {str(exc)[:80]}") from None


def from_json(text: str | bytes) -> Network:
    """Parse and validate a network file written by :func:`to_json` (or by hand).

    Parameters
    ----------
    text : str or bytes
        JSON text (bytes are decoded as UTF-8), at most 5 MB.

    Returns
    -------
    Network
        The network the file describes.

    Raises
    ------
    NetworkError
        For anything wrong, with a message naming it: not JSON, too big, a
        wrong format tag, a missing or mistyped field, NaN, an unknown
        activation, a cycle, or any other invalid network.
    """
    return from_dict(parse_json(text, MAX_JSON_BYTES, NetworkError, "a network"))
