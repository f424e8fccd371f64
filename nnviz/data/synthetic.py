"""Generated training sets: 1-D curves, boolean functions, 2-D classification.

Every generator takes an explicit ``seed`` (where randomness is involved) and
returns a :class:`~nnviz.data.dataset.Dataset` whose name records the
arguments, so the same name always means the same points.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

from nnviz.data.dataset import MAX_POINTS, Dataset, split
from nnviz.network import NetworkError

MAX_BITS = 8  # boolean functions of up to 8 inputs (256 rows)
MAX_POLY_DEGREE = 8


def _poly(coefficients: Sequence[float]) -> Callable[[np.ndarray], np.ndarray]:
    c = np.asarray(coefficients, dtype=float)
    return lambda x: np.polynomial.polynomial.polyval(x, c)


#: name -> (label, function of x); the polynomial's default is x^3/2 - x.
REGRESSION_FUNCTIONS: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "sine": ("sin(2x)", lambda x: np.sin(2.0 * x)),
    "step": ("step: 0 for x < 0, 1 for x >= 0", lambda x: (x >= 0).astype(float)),
    "bump": ("bump: exp(-2x^2)", lambda x: np.exp(-2.0 * x * x)),
    "abs": ("absolute value |x|", np.abs),
    "polynomial": ("polynomial", _poly((0.0, -1.0, 0.0, 0.5))),
}
DEFAULT_POLYNOMIAL = (0.0, -1.0, 0.0, 0.5)  # c0 + c1 x + c2 x^2 + c3 x^3


def _check_count(n: int, what: str = "points") -> int:
    if isinstance(n, bool) or int(n) != n or not 1 <= int(n) <= MAX_POINTS:
        raise NetworkError(f"the number of {what} must be a whole number from 1 to {MAX_POINTS}, not {n}")
    return int(n)


def _check_noise(noise: float) -> float:
    if not np.isfinite(noise) or noise < 0:
        raise NetworkError(f"noise {noise} must be a finite number >= 0")
    return float(noise)


def polynomial_label(coefficients: Sequence[float]) -> str:
    """A readable formula for c0 + c1 x + c2 x^2 + ..., e.g. ``0.5x^3 - x``."""
    terms = []
    for k, c in enumerate(coefficients):
        if c == 0:
            continue
        mag = abs(c)
        coef = "" if (mag == 1 and k > 0) else f"{mag:g}"
        var = "" if k == 0 else "x" if k == 1 else f"x^{k}"
        terms.append(("-" if c < 0 else "+", coef + var))
    if not terms:
        return "0"
    text = ("-" if terms[0][0] == "-" else "") + terms[0][1]
    return text + "".join(f" {sign} {t}" for sign, t in terms[1:])


def regression(
    function: str = "sine",
    n: int = 32,
    noise: float = 0.0,
    low: float = -2.0,
    high: float = 2.0,
    seed: int = 0,
    random_x: bool = False,
    test_fraction: float = 0.0,
    coefficients: Sequence[float] = DEFAULT_POLYNOMIAL,
) -> Dataset:
    """``n`` points (x, f(x) + noise) with x in [low, high], for one-input networks.

    x is evenly spaced, or uniform at random when ``random_x``; the noise is
    normal with standard deviation ``noise``; ``test_fraction`` of the points
    are held out at random. ``coefficients`` (c0, c1, ...) define the polynomial.
    """
    if function not in REGRESSION_FUNCTIONS:
        raise NetworkError(f"unknown function {function!r}; choose one of {', '.join(REGRESSION_FUNCTIONS)}")
    n, noise = _check_count(n), _check_noise(noise)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise NetworkError(f"the range [{low}, {high}] needs finite ends with low < high")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(low, high, n)) if random_x else np.linspace(low, high, n)  # (S,)
    label, f = REGRESSION_FUNCTIONS[function]
    if function == "polynomial":
        coefficients = [float(c) for c in coefficients]
        if not coefficients or len(coefficients) > MAX_POLY_DEGREE + 1 or not np.isfinite(coefficients).all():
            raise NetworkError(f"give 1 to {MAX_POLY_DEGREE + 1} finite polynomial coefficients")
        f, label = _poly(coefficients), polynomial_label(coefficients)
    y = f(x) + (rng.normal(0.0, noise, n) if noise > 0 else 0.0)  # (S,)
    X, Y, Xt, Yt = split(x[:, None], y[:, None], test_fraction, rng)
    name = f"{label}, {n} points in [{low:g}, {high:g}], noise {noise:g}, seed {seed}"
    return Dataset(name, X, Y, Xt, Yt, kind="regression", input_names=("x",), output_names=("y",))


#: name -> (label, function of the bits as an (S, n) 0/1 array -> (S,) 0/1)
BOOLEAN_FUNCTIONS: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "and": ("AND", lambda b: b.all(axis=1)),
    "or": ("OR", lambda b: b.any(axis=1)),
    "xor": ("XOR (2 bits)", lambda b: b.sum(axis=1) % 2),
    "parity": ("parity", lambda b: b.sum(axis=1) % 2),
}


def all_inputs(bits: int) -> np.ndarray:
    """Every input of ``bits`` bits in counting order 00..0, 00..1, ...: ``(2^bits, bits)``."""
    if isinstance(bits, bool) or int(bits) != bits or not 1 <= bits <= MAX_BITS:
        raise NetworkError(f"the number of bits must be from 1 to {MAX_BITS}, not {bits}")
    return np.array(list(itertools.product((0.0, 1.0), repeat=int(bits))))


def boolean(function: str = "xor", bits: int = 2) -> Dataset:
    """The full truth table of AND, OR, XOR (always 2 bits) or parity of ``bits`` bits."""
    if function not in BOOLEAN_FUNCTIONS:
        raise NetworkError(f"unknown boolean function {function!r}; choose one of {', '.join(BOOLEAN_FUNCTIONS)}")
    bits = 2 if function == "xor" else bits
    X = all_inputs(bits)  # (2^n, n)
    Y = BOOLEAN_FUNCTIONS[function][1](X).astype(float)[:, None]  # (2^n, 1)
    label = BOOLEAN_FUNCTIONS[function][0]
    name = label if function == "xor" else f"{label} of {bits} bits"
    return Dataset(name, X, Y, kind="boolean", input_names=tuple(f"x{k + 1}" for k in range(bits)))


def truth_table(bits: int, outputs: Sequence[object]) -> Dataset:
    """A boolean function given by its outputs on :func:`all_inputs` ``(bits)``, in that order."""
    X = all_inputs(bits)
    if len(outputs) != X.shape[0]:
        raise NetworkError(f"a truth table of {bits} bits needs {X.shape[0]} outputs, not {len(outputs)}")
    ys = []
    for k, v in enumerate(outputs):
        if isinstance(v, (bool, np.bool_)) or v in (0, 1):
            ys.append(float(v))
        else:
            row = "".join(str(int(b)) for b in X[k])
            raise NetworkError(f"the output for input {row} is {v!r}; use 0 or 1")
    code = "".join(str(int(y)) for y in ys)
    return Dataset(
        f"truth table {code}",
        X,
        np.array(ys)[:, None],
        kind="boolean",
        input_names=tuple(f"x{k + 1}" for k in range(bits)),
    )


def _circle(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    inner = rng.random(n) < 0.5
    r = np.where(inner, rng.uniform(0.0, 0.8, n), rng.uniform(1.2, 2.0, n))
    t = rng.uniform(0.0, 2 * np.pi, n)
    return np.column_stack([r * np.cos(t), r * np.sin(t)]), inner.astype(float)


def _xor(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    pts = rng.uniform(-2.0, 2.0, (n, 2))
    pts += np.where(pts > 0, 0.1, -0.1)  # keep a small margin from the axes, as the Playground does
    return np.clip(pts, -2.0, 2.0), ((pts[:, 0] > 0) != (pts[:, 1] > 0)).astype(float)


def _gauss(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    label = (rng.random(n) < 0.5).astype(float)
    centre = np.where(label[:, None] > 0, 1.0, -1.0)  # (S, 1): (1, 1) or (-1, -1)
    return centre + rng.normal(0.0, 0.4, (n, 2)), label


def _spiral(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    label = (np.arange(n) % 2).astype(float)
    s = rng.random(n)  # position along the arm
    r = 0.1 + 1.8 * s
    t = 1.75 * 2 * np.pi * s + np.pi * label
    return np.column_stack([r * np.sin(t), r * np.cos(t)]), label


#: name -> (label, generator(rng, n) -> (points (S, 2), labels (S,)))
CLASSIFICATION_SETS: dict[str, tuple[str, Callable[[np.random.Generator, int], tuple[np.ndarray, np.ndarray]]]] = {
    "circle": ("circle", _circle),
    "xor": ("XOR quadrants", _xor),
    "gauss": ("two gaussians", _gauss),
    "spiral": ("spiral", _spiral),
}


def classification(
    name: str = "circle",
    n: int = 200,
    noise: float = 0.0,
    test_fraction: float = 0.5,
    seed: int = 0,
) -> Dataset:
    """``n`` labelled points (x1, x2) -> 0 or 1 in about [-2, 2]^2, like TensorFlow Playground's sets.

    ``noise`` is the standard deviation of normal noise added to the points
    after they are labelled; ``test_fraction`` of them are held out.
    """
    if name not in CLASSIFICATION_SETS:
        raise NetworkError(f"unknown classification set {name!r}; choose one of {', '.join(CLASSIFICATION_SETS)}")
    n, noise = _check_count(n), _check_noise(noise)
    rng = np.random.default_rng(seed)
    label, make = CLASSIFICATION_SETS[name]
    pts, y = make(rng, n)  # (S, 2), (S,)
    if noise > 0:
        pts = pts + rng.normal(0.0, noise, pts.shape)
    X, Y, Xt, Yt = split(pts, y[:, None], test_fraction, rng)
    title = f"{label}, {n} points, noise {noise:g}, test {test_fraction:.0%}, seed {seed}"
    return Dataset(title, X, Y, Xt, Yt, kind="classification", input_names=("x1", "x2"), output_names=("class",))
