"""Input features: TF Playground's fixed transforms of a 2-D point (x1, x2) in front of a network.

A network trained with features sees, for each point (x1, x2), the values of the
chosen features in the chosen order as its inputs, for example (x1, x2, x1²)
for a three-input network. The transform is fixed (nothing in it is trained),
so the data stay 2-D and every picture stays over the (x1, x2) plane: expand the
plane's grid with :func:`expand` before the forward pass (the ``features=``
argument of :func:`nnviz.neuron_pictures` does this; for the loss landscape,
pass ``expand(X, features)`` as its data).

Canonical names are :data:`FEATURES`; :func:`feature_name` also takes plain-ASCII
spellings such as ``"x1^2"``, ``"x1*x2"`` or ``"sin(x1)"``.

    >>> import numpy as np
    >>> expand(np.array([[2.0, 3.0]]), ["x1", "x1*x2", "x2^2"]).tolist()
    [[2.0, 6.0, 9.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from nnviz.checks import float_array
from nnviz.errors import NetworkError

#: TF Playground's feature toggles, in its order, with their canonical names.
FEATURES: tuple[str, ...] = ("x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2")

#: canonical name -> its column for points ``(n, 2)`` -> ``(n,)``.
_COLUMNS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x1": lambda p: p[:, 0],
    "x2": lambda p: p[:, 1],
    "x1²": lambda p: p[:, 0] * p[:, 0],
    "x2²": lambda p: p[:, 1] * p[:, 1],
    "x1·x2": lambda p: p[:, 0] * p[:, 1],
    "sin x1": lambda p: np.sin(p[:, 0]),
    "sin x2": lambda p: np.sin(p[:, 1]),
}

_ALIASES: dict[str, str] = {
    **{f.replace(" ", ""): f for f in FEATURES},
    **{f"x{k}^2": f"x{k}²" for k in (1, 2)},
    **{f"x{k}**2": f"x{k}²" for k in (1, 2)},
    **{f"x{k}x{k}": f"x{k}²" for k in (1, 2)},
    **{f"x{k}*x{k}": f"x{k}²" for k in (1, 2)},
    **{f"sin(x{k})": f"sin x{k}" for k in (1, 2)},
    **{a: "x1·x2" for a in ("x1*x2", "x1x2", "x1.x2", "x2*x1", "x2·x1")},
}


def feature_name(name: object) -> str:
    """The canonical name (one of :data:`FEATURES`) of ``name``; ``NetworkError`` naming it if unknown.

    Case, spaces and ASCII spellings (``x1^2``, ``x1*x2``, ``sin(x1)``) are accepted.
    """
    if not isinstance(name, str):
        raise NetworkError(f"feature {name!r:.40} is not a name; choose from {', '.join(FEATURES)}")
    key = "".join(name.split()).lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise NetworkError(f"unknown feature {name[:40]!r}; choose from {', '.join(FEATURES)}")


def check_features(names: object) -> tuple[str, ...]:
    """``names`` as canonical feature names, in order; ``NetworkError`` for unknown, duplicate or no features."""
    if isinstance(names, (str, bytes)) or not isinstance(names, (list, tuple, np.ndarray)):
        raise NetworkError(f"features must be a list of feature names such as {list(FEATURES[:3])}")
    out = tuple(feature_name(n) for n in names)
    if not out:
        raise NetworkError("choose at least one feature")
    for k, n in enumerate(out):
        if n in out[:k]:
            raise NetworkError(f"feature {n!r} is chosen twice")
    return out


def expand(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The features ``names`` of the points ``X`` ``(n, 2)`` (x1, x2): ``(n, k)``, columns in the order given."""
    names = check_features(names)
    pts = float_array(X, "the points X")
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise NetworkError(f"the points X have shape {pts.shape}; features need (n, 2) points (x1, x2)")
    return np.column_stack([_COLUMNS[n](pts) for n in names]) if len(pts) else np.empty((0, len(names)))
