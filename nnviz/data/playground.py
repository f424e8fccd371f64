"""TensorFlow Playground's six data sets, re-expressed in numpy.

The definitions follow TF Playground's ``src/dataset.ts`` (tensorflow/playground):
every set lives in about [-6, 6]^2, the four classification sets are labelled
-1/+1 and the two regression sets take values in about [-1, 1]. ``noise`` is the number
TF Playground's generators receive, its "Noise" slider's percent divided by 100
(0 to 0.5). Its meaning differs by set, as in TF Playground:

- circle: 250 points inside radius 2.5 and 250 in the ring 3.5..5; the label is
  +1 when the point, moved by a uniform offset of up to ``5 * noise`` per
  coordinate, falls inside radius 2.5 (the point itself is not moved);
- xor: uniform in [-5, 5]^2 pushed 0.3 away from both axes; the label is +1 when
  x1 * x2 >= 0 for the point moved by up to ``5 * noise`` per coordinate;
- gauss: two normal clouds around (2, 2) (+1) and (-2, -2) (-1), variance
  0.5 + 7 * noise (0.5 at noise 0, 4 at noise 0.5);
- spiral: two arms r = 5 i / n, angle 3.5 pi i / n (+ pi for the -1 arm),
  x1 = r sin(angle), x2 = r cos(angle), each coordinate moved by up to ``noise``;
- plane: uniform in [-6, 6]^2, value (x1 + x2) / 10 of the point moved by up to
  ``6 * noise`` per coordinate;
- multigauss: uniform in [-6, 6]^2; six bumps at (-4|0|4, +-2.5) with signs
  + - + / - + -, each worth max(0, 1 - d / 2) at distance d; the value is the
  signed bump largest in size, taken at the point moved by up to ``6 * noise``.

The points are shuffled (as TF Playground does before splitting) with the same
seeded ``numpy.random.Generator`` that drew them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Integral, Real

import numpy as np

from nnviz.data.dataset import MAX_POINTS, Dataset, split
from nnviz.network import NetworkError

PLAYGROUND_SETS = ("circle", "xor", "gauss", "spiral", "plane", "multigauss")
PLAYGROUND_CLASSIFICATION = ("circle", "xor", "gauss", "spiral")
PLAYGROUND_POINTS = {"classification": 500, "regression": 1200}  # TF Playground's NUM_SAMPLES_*
PLAYGROUND_MAX_NOISE = 0.5  # TF Playground's noise slider goes to 50 (%)
PLAYGROUND_RANGE = 6.0  # TF Playground's heat map spans [-6, 6] on both axes

_Gen = Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]


def _jitter(rng: np.random.Generator, n: int, half_width: float, noise: float) -> np.ndarray:
    """Uniform offsets in [-half_width, half_width) times ``noise``: ``(n, 2)``."""
    return rng.uniform(-half_width, half_width, (n, 2)) * noise


def _halves(n: int) -> tuple[int, int]:
    return n - n // 2, n // 2


def _circle(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    radius = 5.0
    n_in, n_out = _halves(n)
    r = np.concatenate([rng.uniform(0.0, 0.5 * radius, n_in), rng.uniform(0.7 * radius, radius, n_out)])  # (n,)
    angle = rng.uniform(0.0, 2.0 * np.pi, n)  # (n,)
    pts = np.column_stack([r * np.sin(angle), r * np.cos(angle)])  # (n, 2)
    moved = pts + _jitter(rng, n, radius, noise)  # (n, 2)
    return pts, np.where(np.hypot(moved[:, 0], moved[:, 1]) < 0.5 * radius, 1.0, -1.0)


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    pts = rng.uniform(-5.0, 5.0, (n, 2))  # (n, 2)
    pts = pts + np.where(pts > 0, 0.3, -0.3)  # padding away from the axes
    moved = pts + _jitter(rng, n, 5.0, noise)  # (n, 2)
    return pts, np.where(moved[:, 0] * moved[:, 1] >= 0, 1.0, -1.0)


def _gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    std = math.sqrt(0.5 + noise * (4.0 - 0.5) / 0.5)
    n_pos, n_neg = _halves(n)
    label = np.concatenate([np.ones(n_pos), -np.ones(n_neg)])  # (n,)
    return 2.0 * label[:, None] + rng.normal(0.0, std, (n, 2)), label


def _spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    arms = []
    for count, turn, label in zip(_halves(n), (0.0, np.pi), (1.0, -1.0), strict=True):
        s = np.arange(count) / max(count, 1)  # (count,) position along the arm, 0 <= s < 1
        r, t = 5.0 * s, 1.75 * 2.0 * np.pi * s + turn
        arm = np.column_stack([r * np.sin(t), r * np.cos(t)]) + _jitter(rng, count, 1.0, noise)
        arms.append((arm, np.full(count, label)))
    return np.concatenate([a for a, _ in arms]), np.concatenate([y for _, y in arms])


def plane_value(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """TF Playground's "plane" regression target (x1 + x2) / 10, elementwise."""
    return (x1 + x2) / 10.0


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], float)


def multigauss_value(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """TF Playground's "multigauss" regression target, elementwise.

    Six signed bumps max(0, 1 - d / 2) (d the distance to the bump's centre);
    the value is the one largest in size, the first of equals.
    """
    x1, x2 = np.asarray(x1, float), np.asarray(x2, float)
    d = np.hypot(x1[..., None] - _BUMPS[:, 0], x2[..., None] - _BUMPS[:, 1])  # (..., 6)
    size = np.clip(1.0 - d / 2.0, 0.0, 1.0)  # (..., 6)
    pick = np.argmax(size, axis=-1)  # (...,) first of the largest
    return np.take_along_axis(size, pick[..., None], axis=-1)[..., 0] * _BUMPS[pick, 2] + 0.0


def _regress(value: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> _Gen:
    def make(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
        pts = rng.uniform(-PLAYGROUND_RANGE, PLAYGROUND_RANGE, (n, 2))  # (n, 2)
        moved = pts + _jitter(rng, n, PLAYGROUND_RANGE, noise)  # (n, 2)
        return pts, value(moved[:, 0], moved[:, 1])

    return make


_MAKERS: dict[str, _Gen] = {
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
    "spiral": _spiral,
    "plane": _regress(plane_value),
    "multigauss": _regress(multigauss_value),
}


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise NetworkError(f"{what} must be a finite number, not {value!r}")
    return float(value)


def _whole(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not low <= int(value) <= high:
        raise NetworkError(f"{what} must be a whole number from {low} to {high}, not {value!r}")
    return int(value)


def playground(
    name: str,
    points: int | None = None,
    noise: float = 0.0,
    seed: int = 0,
    test_fraction: float = 0.0,
) -> Dataset:
    """TF Playground's data set ``name`` (one of :data:`PLAYGROUND_SETS`) as a :class:`Dataset`.

    ``points``: how many points in all (training plus test); None gives TF
    Playground's 500 for classification and 1200 for regression. ``noise``: TF
    Playground's noise, its slider's percent / 100, from 0 to 0.5 (see the module
    docstring for what it does to each set). ``seed``: seeds the
    ``numpy.random.Generator`` that draws, shuffles and splits the points, so the
    same arguments give the same points. ``test_fraction`` in [0, 1): the share of
    the points held out as ``X_test``/``Y_test`` (TF Playground holds out 0.5).

    X is ``(n, 2)`` in about [-6, 6]^2 with inputs named x1, x2; Y is ``(n, 1)``:
    labels -1/+1 for :data:`PLAYGROUND_CLASSIFICATION` (kind "classification"),
    values in about [-1, 1] for "plane" and "multigauss" (kind "regression"). Bad
    arguments raise ``NetworkError`` naming the argument.
    """
    if not isinstance(name, str) or name not in PLAYGROUND_SETS:
        raise NetworkError(f"name {name!r} is not a playground data set; choose one of {', '.join(PLAYGROUND_SETS)}")
    kind = "classification" if name in PLAYGROUND_CLASSIFICATION else "regression"
    n = PLAYGROUND_POINTS[kind] if points is None else _whole(points, "points", 1, MAX_POINTS)
    noise = _number(noise, "noise")
    if not 0.0 <= noise <= PLAYGROUND_MAX_NOISE:
        raise NetworkError(f"noise must be from 0 to {PLAYGROUND_MAX_NOISE}, not {noise!r}")
    seed = _whole(seed, "seed", 0, 2**63 - 1)
    test_fraction = _number(test_fraction, "test_fraction")
    if not 0.0 <= test_fraction < 1.0:
        raise NetworkError(f"test_fraction must be at least 0 and below 1, not {test_fraction!r}")
    rng = np.random.default_rng(seed)
    pts, y = _MAKERS[name](rng, n, noise)  # (n, 2), (n,)
    order = rng.permutation(n)  # TF Playground shuffles before it splits
    X, Y, Xt, Yt = split(pts[order], y[order, None], test_fraction, rng)
    title = f"{name} (TF Playground), {n} points, noise {noise:g}, test {test_fraction:.0%}, seed {seed}"
    out = ("label",) if kind == "classification" else ("y",)
    return Dataset(title, X, Y, Xt, Yt, kind=kind, input_names=("x1", "x2"), output_names=out)
