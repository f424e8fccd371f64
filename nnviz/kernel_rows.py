"""The scalar twins of the activations and the row loops built on them, shared by the compiled SGD loops.

Each sigma of :mod:`nnviz.activations` has a scalar twin here, in :func:`_sigma`
and :func:`_slope`, chosen by the registry's code for it; the tests check that
both give the same numbers, so a registry entry without a twin fails them (an
unknown code gives NaN). :mod:`nnviz.kernel` (any network, restarts innermost) and
:mod:`nnviz.kernel_dense` (fully connected layers, one restart at a time) both call them.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable

import numpy as np
from numba import njit

from nnviz.activations import CODES, LEAKY_SLOPE

#: The registry's codes of the activations the twins below compute (module constants: numba compiles them in).
IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU = (CODES[n] for n in ("identity", "sigmoid", "tanh", "relu", "leaky_relu"))
SOFTPLUS, STEP, SIN = CODES["softplus"], CODES["step"], CODES["sin"]
#: What the compiled code was built with: numba's cache must be rebuilt when this changes.
REGISTRY_STAMP = zlib.crc32(repr((sorted(CODES.items()), LEAKY_SLOPE)).encode())


def jit_with(compiler: Callable, fn: Callable) -> Callable:
    """``compiler`` (numba's njit), cached on disk when numba finds a writable place for the cache, else per process."""
    try:
        return compiler(cache=True, nogil=True)(fn)
    except RuntimeError:  # "cannot cache function ...: no locator available" (read-only install and home)
        return compiler(nogil=True)(fn)


def _jit(fn: Callable) -> Callable:
    return jit_with(njit, fn)


@_jit
def _sigma(code: int, a: float) -> float:
    if code == IDENTITY:
        return a * 1.0
    if code == SIGMOID:
        return 1.0 / (1.0 + math.exp(-a))
    if code == TANH:
        return math.tanh(a)
    if code == RELU:
        return a if (a > 0.0 or a != a) else 0.0  # max(a, 0), NaN stays NaN
    if code == LEAKY_RELU:
        return a if a > 0.0 else LEAKY_SLOPE * a
    if code == SOFTPLUS:  # log(1 + e^a) = logaddexp(0, a), without overflow
        if a == 0.0:
            return math.log(2.0)
        if a < 0.0:
            return math.log1p(math.exp(a))
        return a + math.log1p(math.exp(-a))
    if code == STEP:
        return 1.0 if a > 0.0 else 0.0
    if code == SIN:
        return math.sin(a)
    return math.nan  # no twin for this code


@_jit
def _slope(code: int, a: float, z: float) -> float:
    """sigma'(a), given z = sigma(a)."""
    if code == IDENTITY:
        return 1.0
    if code == SIGMOID:
        return z * (1.0 - z)
    if code == TANH:
        return 1.0 - z * z
    if code == RELU:
        return 1.0 if a > 0.0 else 0.0
    if code == LEAKY_RELU:
        return 1.0 if a > 0.0 else LEAKY_SLOPE
    if code == SOFTPLUS:
        return 1.0 / (1.0 + math.exp(-a))
    if code == STEP:
        return 0.0
    if code == SIN:
        return math.cos(a)
    return math.nan  # no twin for this code


@_jit
def _sigma_row(code: int, a: np.ndarray, z: np.ndarray) -> None:
    """z = sigma(a) along a row ``(r,)``; the switch is outside the loop so the loop compiles to SIMD."""
    if code == IDENTITY:
        for j in range(a.size):
            z[j] = _sigma(IDENTITY, a[j])
    elif code == SIGMOID:
        for j in range(a.size):
            z[j] = _sigma(SIGMOID, a[j])
    elif code == TANH:
        for j in range(a.size):
            z[j] = _sigma(TANH, a[j])
    else:
        for j in range(a.size):
            z[j] = _sigma(code, a[j])


@_jit
def _delta_row(code: int, a: np.ndarray, z: np.ndarray, g: np.ndarray, d: np.ndarray) -> None:
    """d = g * sigma'(a) along a row ``(r,)``, the switch outside the loop."""
    if code == IDENTITY:
        for j in range(a.size):
            d[j] = g[j] * _slope(IDENTITY, a[j], z[j])
    elif code == SIGMOID:
        for j in range(a.size):
            d[j] = g[j] * _slope(SIGMOID, a[j], z[j])
    elif code == TANH:
        for j in range(a.size):
            d[j] = g[j] * _slope(TANH, a[j], z[j])
    else:
        for j in range(a.size):
            d[j] = g[j] * _slope(code, a[j], z[j])


@_jit
def sigma_rows(codes: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z = sigma(a) and sigma'(a) for rows ``a`` ``(K, M)`` with codes ``(K,)`` (for the tests)."""
    z, s = np.empty_like(a), np.empty_like(a)
    for k in range(a.shape[0]):
        for m in range(a.shape[1]):
            z[k, m] = _sigma(codes[k], a[k, m])
            s[k, m] = _slope(codes[k], a[k, m], z[k, m])
    return z, s


@_jit
def _decay(src, bias_rows, l2):
    """L2 rate of each edge ``(E,)``: ``l2``, or 0 for the edges leaving a bias neuron."""
    out = np.full(src.size, l2)
    for e in range(src.size):
        for b in range(bias_rows.size):
            if src[e] == bias_rows[b]:
                out[e] = 0.0
    return out
