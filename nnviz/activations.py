"""The functions sigma_k a neuron may apply, each derivative beside its function.

An :class:`Activation` maps a weighted sum ``a`` to an output ``z = f(a)`` and
knows its derivative ``dz/da = df(a, z)``. The derivative receives ``z`` as well
as ``a`` so that sigmoid and tanh can reuse the output they already computed.
Every function works elementwise on arrays of any shape, stays finite for
``|a|`` up to 1e4 and raises no numpy warning there.

The registry :data:`ACTIVATIONS` is the single list of names the rest of the
app offers (sidebar choices, JSON files, validation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """A neuron function sigma with its derivative.

    ``f(a)`` gives z; ``df(a, z)`` gives dz/da at the same point. ``latex`` is
    how the equation panels write sigma applied to a placeholder ``{}``.
    """

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array, Array], Array]
    latex: str
    description: str


def _sigmoid(a: Array) -> Array:
    # e^-a overflows to inf for a < -709, and 1 / (1 + inf) = 0 is the right limit.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-a))


def _sigmoid_d(a: Array, z: Array) -> Array:
    return z * (1.0 - z)


def _tanh_d(a: Array, z: Array) -> Array:
    return 1.0 - z * z


def _relu(a: Array) -> Array:
    return np.maximum(a, 0.0)


def _relu_d(a: Array, z: Array) -> Array:
    return (a > 0.0).astype(float)


LEAKY_SLOPE = 0.01


def _leaky(a: Array) -> Array:
    return np.where(a > 0.0, a, LEAKY_SLOPE * a)


def _leaky_d(a: Array, z: Array) -> Array:
    return np.where(a > 0.0, 1.0, LEAKY_SLOPE)


def _softplus(a: Array) -> Array:
    # log(1 + e^a) without overflow.
    return np.logaddexp(0.0, a)


def _step(a: Array) -> Array:
    return (a > 0.0).astype(float)


def _zero_d(a: Array, z: Array) -> Array:
    return np.zeros_like(a, dtype=float)


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (
        Activation(
            "identity",
            lambda a: np.asarray(a, dtype=float) * 1.0,
            lambda a, z: np.ones_like(a, dtype=float),
            "{}",
            "passes the sum through: z = a",
        ),
        Activation(
            "sigmoid",
            _sigmoid,
            _sigmoid_d,
            r"\mathrm{sigmoid}({})",
            "squashes to (0, 1): z = 1 / (1 + e^-a)",
        ),
        Activation(
            "tanh",
            np.tanh,
            _tanh_d,
            r"\tanh({})",
            "squashes to (-1, 1)",
        ),
        Activation(
            "relu",
            _relu,
            _relu_d,
            r"\max(0, {})",
            "keeps positive sums, zeroes negative ones",
        ),
        Activation(
            "leaky_relu",
            _leaky,
            _leaky_d,
            r"\mathrm{leaky}({})",
            f"like relu, but slope {LEAKY_SLOPE} below zero",
        ),
        Activation(
            "softplus",
            _softplus,
            lambda a, z: _sigmoid(a),
            r"\log(1 + e^{{{}}})",
            "a smooth relu: z = log(1 + e^a)",
        ),
        Activation(
            "step",
            _step,
            _zero_d,
            r"\mathrm{step}({})",
            "1 if a > 0 else 0; its derivative is 0, so it cannot learn",
        ),
        Activation(
            "sin",
            np.sin,
            lambda a, z: np.cos(a),
            r"\sin({})",
            "z = sin(a)",
        ),
    )
}

NAMES: tuple[str, ...] = tuple(ACTIVATIONS)


def get(name: str) -> Activation:
    """Return the activation called ``name``; raise ``KeyError`` if unknown."""
    return ACTIVATIONS[name]
