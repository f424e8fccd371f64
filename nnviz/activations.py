"""The functions sigma_k a neuron may apply, each derivative beside its function.

An :class:`Activation` maps a weighted sum ``a`` to an output ``z = f(a)`` and
knows its derivative ``dz/da = df(a, z)``. The derivative receives ``z`` as well
as ``a`` so that sigmoid and tanh can reuse the output they already computed.
Every function works elementwise on arrays of any shape, stays finite for
``|a|`` up to 1e4 and raises no numpy warning there.

The registry :data:`ACTIVATIONS` is the one place that names an activation;
every other module reads it: the sidebar's choices, JSON files and validation
(the names), :mod:`nnviz.plan` and :mod:`nnviz.engine` (``f`` and ``df``),
:mod:`nnviz.kernel` (the integer ``code`` its compiled loops switch on, the
entry's position in the registry), :mod:`nnviz.app.equations` (``latex`` and
``dlatex``) and :mod:`nnviz.bench` (the names). Adding an activation is one
entry here plus its compiled scalar twin in :mod:`nnviz.kernel`; the tests
fail while the twin is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """A neuron function sigma with its derivative, its LaTeX forms and its compiled code.

    ``f(a)`` gives z; ``df(a, z)`` gives dz/da at the same point. ``latex`` is
    how the equation panels write sigma applied to a placeholder ``{}``;
    ``dlatex`` writes sigma'(a) in terms of the placeholders ``{a}`` and ``{z}``
    (the equation panels put in a_k and z_k, then the numbers). A ``dlatex``
    without placeholders is a constant; one that is a ``cases`` block is
    piecewise, and the panels show its value and the a that picks the piece.
    ``code`` is the number :mod:`nnviz.kernel` switches on: the entry's
    position in :data:`ACTIVATIONS`, set there (never written by hand).
    """

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array, Array], Array]
    latex: str
    dlatex: str
    description: str
    code: int = -1


def _cases(below: str) -> str:
    """sigma'(a) = 1 for a > 0, ``below`` otherwise, as a LaTeX cases block in ``{a}``."""
    return r"\begin{cases} 1 & \text{if } {a} > 0 \\ " + below + r" & \text{otherwise} \end{cases}"


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


_ENTRIES = (
    Activation(
        "identity",
        lambda a: np.asarray(a, dtype=float) * 1.0,
        lambda a, z: np.ones_like(a, dtype=float),
        "{}",
        "1",
        "passes the sum through: z = a",
    ),
    Activation(
        "sigmoid",
        _sigmoid,
        _sigmoid_d,
        r"\mathrm{sigmoid}({})",
        r"{z}\,(1 - {z})",
        "squashes to (0, 1): z = 1 / (1 + e^-a)",
    ),
    Activation("tanh", np.tanh, _tanh_d, r"\tanh({})", r"1 - {z}^2", "squashes to (-1, 1)"),
    Activation("relu", _relu, _relu_d, r"\max(0, {})", _cases("0"), "keeps positive sums, zeroes negative ones"),
    Activation(
        "leaky_relu",
        _leaky,
        _leaky_d,
        r"\mathrm{leaky}({})",
        _cases(f"{LEAKY_SLOPE:g}"),
        f"like relu, but slope {LEAKY_SLOPE} below zero",
    ),
    Activation(
        "softplus",
        _softplus,
        lambda a, z: _sigmoid(a),
        r"\log(1 + e^{{{}}})",
        r"\mathrm{sigmoid}({a})",
        "a smooth relu: z = log(1 + e^a)",
    ),
    Activation(
        "step",
        _step,
        _zero_d,
        r"\mathrm{step}({})",
        r"0 \quad \text{(flat on both sides: a step neuron cannot learn)}",
        "1 if a > 0 else 0; its derivative is 0, so it cannot learn",
    ),
    Activation("sin", np.sin, lambda a, z: np.cos(a), r"\sin({})", r"\cos({a})", "z = sin(a)"),
)

#: Name -> activation, in the order the sidebar offers them; each entry's code is its position.
ACTIVATIONS: dict[str, Activation] = {act.name: replace(act, code=k) for k, act in enumerate(_ENTRIES)}
#: Name -> the code the compiled loops switch on (-1 is reserved for inputs and biases).
CODES: dict[str, int] = {name: act.code for name, act in ACTIVATIONS.items()}
NAMES: tuple[str, ...] = tuple(ACTIVATIONS)


def get(name: str) -> Activation:
    """Return the activation called ``name``; raise ``KeyError`` if unknown."""
    return ACTIVATIONS[name]
