"""Argument checks shared by the public engine calls.

Every public call (``forward``, ``backward``, ``loss``, ``sgd``, ``restarts``,
``train``, ``gradient_check``, ``Network.with_weights``, ``from_json``) turns
what a caller passes into numbers through these helpers, so that anything
unusable (a string, ``None``, a ragged list, an integer too large for a float,
a negative count, a bool where a count is meant) raises
:class:`~nnviz.network.NetworkError` with a message naming the argument,
never a ``TypeError``, an ``OverflowError`` or a silent NaN.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from nnviz.errors import NetworkError

_NUMERIC_KINDS = "biuf"  # bool, signed and unsigned integers, floats


def float_array(values: object, what: str, finite: bool = False) -> np.ndarray:
    """``values`` as a float64 array; ``NetworkError`` naming ``what`` if they are not all real numbers.

    Refused: strings, ``None`` and other objects, ragged nesting, complex
    numbers, integers beyond the float range, and (with ``finite``) NaN or
    infinities.
    """
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError, OverflowError):
        raise NetworkError(f"{what} must be a rectangular array of numbers (rows of equal length)") from None
    if arr.dtype.kind not in _NUMERIC_KINDS:
        raise NetworkError(f"{what} must contain numbers only (found {_describe(arr)})")
    out = arr.astype(float)
    if finite and not np.isfinite(out).all():
        raise NetworkError(f"{what} contains NaN or infinite values")
    return out


def _describe(arr: np.ndarray) -> str:
    """A short name for what made ``arr`` non-numeric."""
    if arr.dtype.kind == "O":
        for item in arr.reshape(-1):
            if not isinstance(item, numbers.Real):
                return "None" if item is None else type(item).__name__
            if isinstance(item, numbers.Integral) and abs(int(item)) > 2**1023:
                return "an integer too large for a float"
        return "objects that are not numbers"
    return {"U": "text", "S": "bytes", "c": "complex numbers"}.get(arr.dtype.kind, f"values of type {arr.dtype}")


def whole(value: object, what: str, lo: int, hi: int | None = None) -> int:
    """``value`` as an int from ``lo`` to ``hi`` (inclusive); ``NetworkError`` naming ``what`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise NetworkError(f"{what} must be a whole number, not {value!r:.60}")
    n = int(value)
    if n < lo or (hi is not None and n > hi):
        bound = f"from {lo:,} to {hi:,}" if hi is not None else f"at least {lo:,}"
        raise NetworkError(f"{what} must be {bound}, not {n:,}" if abs(n) < 10**30 else f"{what} is out of range")
    return n


def real(value: object, what: str, lo: float | None = None, positive: bool = False) -> float:
    """``value`` as a finite float (>= ``lo``, or > 0 with ``positive``); ``NetworkError`` naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise NetworkError(f"{what} must be a number, not {value!r:.60}")
    try:
        x = float(value)
    except OverflowError:
        raise NetworkError(f"{what} is too large to be a float") from None
    if not math.isfinite(x):
        raise NetworkError(f"{what} must be a finite number, not {x}")
    x += 0.0  # -0.0 is 0: numpy's samplers refuse a scale of -0.0
    if positive and x <= 0:
        raise NetworkError(f"{what} must be greater than 0, not {x:g}")
    if lo is not None and x < lo:
        raise NetworkError(f"{what} must be a finite number >= {lo:g}, not {x:g}")
    return x


def seed(value: object, what: str = "the seed") -> int | None:
    """A seed for ``numpy.random.default_rng``: None, or a whole number >= 0."""
    if value is None:
        return None
    return whole(value, what, 0)


def callback(value: object, what: str) -> Callable[..., object] | None:
    """``value`` when it is None or callable; ``NetworkError`` naming ``what`` otherwise."""
    if value is not None and not callable(value):
        raise NetworkError(f"{what} must be a function or None, not {type(value).__name__}")
    return value


def batch_settings(batch_size: object, l2: object) -> tuple[int, float]:
    """(batch size, L2 rate) of mini-batch SGD: a whole number >= 1 and a finite number >= 0 (-0.0 is 0)."""
    return whole(batch_size, "batch_size", 1), real(l2, "l2", lo=0.0) + 0.0


def order_rng(shuffle_seed: object) -> np.random.Generator | None:
    """The generator of training's epoch orders from a seed, None (points in order) or a Generator (continued)."""
    if isinstance(shuffle_seed, np.random.Generator):  # a Generator continues another run's orders
        return shuffle_seed
    value = seed(shuffle_seed, "shuffle_seed")
    return np.random.default_rng(value) if value is not None else None


def training_data(net: object, X: object, Y: object) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``(S, n_in)`` and targets ``(S, n_out)`` for the Network ``net``, checked (finite, matching shapes)."""
    x = float_array(X, "the inputs X", finite=True)
    y = float_array(Y, "the targets Y", finite=True)
    n_in, n_out = len(net.inputs), len(net.outputs)  # type: ignore[attr-defined]
    x = x.reshape(-1, 1) if x.ndim == 1 and n_in == 1 else x
    y = y.reshape(-1, 1) if y.ndim == 1 and n_out == 1 else y
    if x.ndim != 2 or x.shape[1] != n_in:
        raise NetworkError(f"the inputs have shape {np.shape(X)}; the network has {n_in} input neuron(s)")
    if y.ndim != 2 or y.shape[1] != n_out:
        raise NetworkError(f"the targets have shape {np.shape(Y)}; the network has {n_out} output neuron(s)")
    if x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise NetworkError(f"{x.shape[0]} input rows and {y.shape[0]} target rows; need the same, at least one")
    return x, y  # (S, n_in), (S, n_out)
