"""Any boolean function {0,1}^n -> {0,1} as a network with one hidden layer.

The construction behind the paper's claim (Part II): list the truth table's
rows; give the network one hidden neuron per *true* row u, which fires exactly
when the input equals u; the output neuron fires when any hidden neuron fires
(an OR). Every hidden and output neuron applies the same function.

With sigma = step (z = 1 if a > 0 else 0) the weights are
w_{i,h} = +1 if u_i = 1 else -1 and bias 0.5 - |u| (|u| = number of ones in u),
so a_h = 0.5 - (number of bits where x differs from u): positive only at x = u.
The output has weight 1 from each hidden neuron and bias -0.5. Every sum is a
multiple of 0.5, so the network is exact on all 2^n inputs.

With sigma = sigmoid the same weights are multiplied by :data:`SIGMOID_SCALE`;
outputs then lie within about 1e-4 of 0 or 1 and are exact after thresholding
at 0.5. ``rows="fewer"`` uses the false rows instead when there are fewer of
them (the output then fires when *no* hidden neuron fires): the hidden layer
is then at most 2^(n-1) wide, which parity needs either way.

A table with no row to use (constant false, or constant true with
``rows="fewer"``) still gets one hidden neuron that never fires, because
every output needs an incoming edge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.engine import forward
from nnviz.network import Network, NetworkError
from nnviz.presets import layered

MAX_BITS = 6
SIGMOID_SCALE = 20.0
FUNCTIONS = ("step", "sigmoid")
ROW_MODES = {"true": "one hidden neuron per true row", "fewer": "one per true or per false row, whichever is fewer"}

#: Preset truth tables: name -> description.
PRESETS: dict[str, str] = {
    "and": "AND: every bit is 1",
    "or": "OR: at least one bit is 1",
    "xor": "XOR: exactly one bit is 1 (the usual XOR for n = 2)",
    "parity": "parity: an odd number of bits are 1",
    "majority": "majority: more 1s than 0s",
    "false": "constant false",
    "true": "constant true",
}


def check_bits(n: object) -> int:
    """``n`` as an int in 1..MAX_BITS; :class:`NetworkError` otherwise."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise NetworkError(f"the number of input bits must be a whole number, not {n!r}")
    if not 1 <= int(n) <= MAX_BITS:
        raise NetworkError(
            f"{n} input bits: the truth-table editor handles 1 to {MAX_BITS} bits "
            f"({2**MAX_BITS} rows); {int(n)} bits would need {2 ** int(n) if 0 <= int(n) < 64 else 'too many'} rows"
        )
    return int(n)


def input_rows(n: int) -> np.ndarray:
    """All 2^n inputs as rows of bits ``(2^n, n)``, x_1 the most significant (000, 001, 010, ...)."""
    n = check_bits(n)
    r = np.arange(2**n)
    return ((r[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(np.int64)  # (2^n, n)


def preset_table(name: str, n: int) -> np.ndarray:
    """The preset ``name`` (a key of :data:`PRESETS`) on n bits: a bool ``(2^n,)``."""
    ones = input_rows(n).sum(axis=1)  # (2^n,)
    tables = {
        "and": ones == n,
        "or": ones >= 1,
        "xor": ones == 1,
        "parity": ones % 2 == 1,
        "majority": 2 * ones > n,
        "false": np.zeros_like(ones, dtype=bool),
        "true": np.ones_like(ones, dtype=bool),
    }
    if name not in tables:
        raise NetworkError(f"unknown truth-table preset {name!r} (use one of {', '.join(PRESETS)})")
    return tables[name]


def random_table(n: int, seed: int = 0, p: float = 0.5) -> np.ndarray:
    """A random truth table on n bits, each row true with probability p: bool ``(2^n,)``."""
    return np.random.default_rng(seed).random(2 ** check_bits(n)) < p


def as_table(values: object, n: int) -> np.ndarray:
    """Validate a truth table for n bits: a bool ``(2^n,)`` from 0/1 or bool values."""
    n = check_bits(n)
    try:
        arr = np.array(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise NetworkError("the truth table must contain only 0 and 1") from None
    if arr.size != 2**n:
        raise NetworkError(f"a truth table on {n} bits has {2**n} rows, not {arr.size}")
    if not np.isin(arr, (0.0, 1.0)).all():
        raise NetworkError("the truth table must contain only 0 and 1")
    return arr.astype(bool)


def parse_table(text: str) -> tuple[np.ndarray, int]:
    """A truth table typed as its output column ("0110"; spaces, commas and newlines ignored).

    Returns (table bool ``(2^n,)``, n). The length must be a power of two from 2 to 2^MAX_BITS.
    """
    bits = [ch for ch in str(text) if ch not in " ,;\t\r\n"]
    bad = sorted({ch for ch in bits if ch not in "01"})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad[:5])
        raise NetworkError(f"the output column may contain only 0 and 1, not {shown}")
    rows = len(bits)
    if rows == 0:
        raise NetworkError("the output column is empty")
    n = rows.bit_length() - 1
    if rows != 2**n or n == 0:
        raise NetworkError(f"{rows} rows: a truth table has 2, 4, 8, 16, 32 or 64 rows (2^n for n = 1 to {MAX_BITS})")
    if n > MAX_BITS:
        raise NetworkError(
            f"{rows} rows would be {n} input bits; "
            f"this editor handles 1 to {MAX_BITS} bits (at most {2**MAX_BITS} rows)"
        )
    return np.array([ch == "1" for ch in bits]), n


def hidden_width(table: object, n: int, rows: str = "true") -> int:
    """The hidden width of the construction: the rows used, or 1 when there are none."""
    t = as_table(table, n)
    used = int(t.sum()) if rows == "true" else int(min(t.sum(), (~t).sum()))
    return max(used, 1)


@dataclass(frozen=True)
class BooleanNetwork:
    """A constructed network and what it was built from.

    ``table`` bool ``(2^n,)``; ``rows_used`` the row indices with a hidden neuron
    each; ``negated`` True when those are the false rows; ``hidden`` the hidden
    neuron ids (one per used row, or one that never fires).
    """

    net: Network
    n: int
    table: np.ndarray  # (2^n,)
    rows_used: tuple[int, ...]
    negated: bool
    hidden: tuple[str, ...]
    function: str

    @property
    def width(self) -> int:
        """Number of hidden neurons."""
        return len(self.hidden)


def boolean_network(table: object, n: int, function: str = "step", rows: str = "true") -> BooleanNetwork:
    """Build the one-hidden-layer network for ``table`` (see the module docstring).

    ``function`` is the sigma of every hidden and output neuron ("step" or
    "sigmoid"); ``rows`` is "true" or "fewer". Ids follow the editor's numbering:
    inputs "1".."n", bias "n+1", hidden neurons, the hidden layer's bias, output.
    """
    t = as_table(table, n)
    n = check_bits(n)
    if function not in FUNCTIONS:
        raise NetworkError(f"unknown function {function!r} for the construction (use step or sigmoid)")
    if rows not in ROW_MODES:
        raise NetworkError(f"unknown row mode {rows!r} (use one of {', '.join(ROW_MODES)})")
    negated = rows == "fewer" and int((~t).sum()) < int(t.sum())
    used = np.flatnonzero(~t if negated else t)
    width = max(len(used), 1)
    net = layered([n, width, 1], activation=function, output_activation=function, seed=None)
    bits = input_rows(n)  # (2^n, n)
    ins, bias0 = net.inputs, str(n + 1)
    hidden = tuple(str(n + 2 + h) for h in range(width))
    bias1, out = str(n + 2 + width), net.outputs[0]
    w: dict[tuple[str, str], float] = {}
    for h, hid in enumerate(hidden):
        if h < len(used):
            u = bits[used[h]]
            for i, src in enumerate(ins):
                w[(src, hid)] = 1.0 if u[i] else -1.0
            w[(bias0, hid)] = 0.5 - float(u.sum())
        else:  # no row to use: a neuron that never fires
            w[(bias0, hid)] = -0.5
        w[(hid, out)] = -1.0 if negated else 1.0
    w[(bias1, out)] = 0.5 if negated else -0.5
    scale = SIGMOID_SCALE if function == "sigmoid" else 1.0
    weights = np.array([w.get(e, 0.0) for e in net.edges]) * scale  # (E,)
    return BooleanNetwork(net.with_weights(weights), n, t, tuple(int(r) for r in used), negated, hidden, function)


@dataclass(frozen=True)
class Verification:
    """The network on all 2^n inputs: ``outputs`` raw ``(2^n,)``, ``predicted`` bool after
    thresholding at 0.5, ``correct`` bool per row; ``margin`` the largest distance of a raw
    output from the 0 or 1 it should be."""

    inputs: np.ndarray  # (2^n, n)
    outputs: np.ndarray  # (2^n,)
    predicted: np.ndarray  # (2^n,)
    correct: np.ndarray  # (2^n,)
    margin: float

    @property
    def all_correct(self) -> bool:
        """True when every row matches the table."""
        return bool(self.correct.all())

    @property
    def wrong_rows(self) -> list[int]:
        """Indices of rows the network gets wrong."""
        return [int(r) for r in np.flatnonzero(~self.correct)]


def verify(net: Network, table: object, n: int) -> Verification:
    """Evaluate ``net`` (n inputs, one output) on every row of the truth table."""
    t = as_table(table, n)
    if len(net.inputs) != n or len(net.outputs) != 1:
        raise NetworkError(
            f"the network has {len(net.inputs)} inputs and {len(net.outputs)} outputs; "
            f"the table needs {n} inputs and 1 output"
        )
    x = input_rows(n).astype(float)  # (2^n, n)
    out = forward(net, x).output[:, 0]  # (2^n,)
    predicted = out > 0.5
    margin = float(np.max(np.abs(out - t.astype(float)), initial=0.0))
    return Verification(x.astype(np.int64), out, predicted, predicted == t, margin)


def widths_by_bits(rows: str = "true", names: tuple[str, ...] = ("and", "or", "xor", "parity", "majority")) -> dict:
    """Hidden width of the construction for each preset and n = 1..MAX_BITS.

    Returns ``{"n": [1..6], name: [width per n], "2^(n-1)": [...], "2^n": [...]}``.
    """
    ns = list(range(1, MAX_BITS + 1))
    out: dict[str, list[int]] = {"n": ns}
    for name in names:
        out[name] = [hidden_width(preset_table(name, n), n, rows) for n in ns]
    out["2^(n-1)"] = [2 ** (n - 1) for n in ns]
    out["2^n"] = [2**n for n in ns]
    return out
