"""The Dataset type: a training set S and an optional test split, and the split helper."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.network import NetworkError

KINDS = ("regression", "boolean", "classification", "csv")
MAX_POINTS = 10_000  # rows of X (training plus test)
MAX_COLUMNS = 100  # inputs plus outputs


def _matrix(values: object, what: str) -> np.ndarray:
    try:
        arr = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise NetworkError(f"{what} must be numbers") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise NetworkError(f"{what} has shape {arr.shape}; expected (points, columns)")
    if not np.isfinite(arr).all():
        raise NetworkError(f"{what} contains NaN or infinite values")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Dataset:
    """A training set and an optional test split.

    ``X`` ``(S, n_in)`` and ``Y`` ``(S, n_out)``; ``X_test``/``Y_test`` the same
    for the test points, or None; ``kind`` one of :data:`KINDS`;
    ``input_names``/``output_names`` label the columns (x1.., y1.. by default).
    Arrays are copied and made read-only; invalid data raises ``NetworkError``.
    """

    name: str
    X: np.ndarray
    Y: np.ndarray
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None
    kind: str = "regression"
    input_names: tuple[str, ...] = field(default=())
    output_names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        put = object.__setattr__
        if self.kind not in KINDS:
            raise NetworkError(f"dataset kind {self.kind!r} is not one of {', '.join(KINDS)}")
        x, y = _matrix(self.X, "X"), _matrix(self.Y, "Y")
        if x.shape[0] != y.shape[0] or x.shape[0] == 0:
            raise NetworkError(f"X has {x.shape[0]} rows and Y has {y.shape[0]}; need the same, at least one")
        put(self, "X", x)
        put(self, "Y", y)
        if (self.X_test is None) != (self.Y_test is None):
            raise NetworkError("give both X_test and Y_test, or neither")
        if self.X_test is not None:
            xt, yt = _matrix(self.X_test, "X_test"), _matrix(self.Y_test, "Y_test")
            if xt.shape[1] != x.shape[1] or yt.shape[1] != y.shape[1] or xt.shape[0] != yt.shape[0]:
                raise NetworkError(
                    f"the test split has shapes {xt.shape}, {yt.shape}; expected (T, {x.shape[1]}), (T, {y.shape[1]})"
                )
            if xt.shape[0] == 0:
                put(self, "X_test", None)
                put(self, "Y_test", None)
            else:
                put(self, "X_test", xt)
                put(self, "Y_test", yt)
        if x.shape[0] + (0 if self.X_test is None else self.X_test.shape[0]) > MAX_POINTS:
            raise NetworkError(f"the dataset has more than {MAX_POINTS} points")
        if x.shape[1] + y.shape[1] > MAX_COLUMNS:
            raise NetworkError(f"the dataset has more than {MAX_COLUMNS} columns")
        put(self, "input_names", _names(self.input_names, x.shape[1], "x"))
        put(self, "output_names", _names(self.output_names, y.shape[1], "y"))

    @property
    def n_in(self) -> int:
        """Number of inputs per point."""
        return self.X.shape[1]

    @property
    def n_out(self) -> int:
        """Number of targets per point."""
        return self.Y.shape[1]

    @property
    def size(self) -> int:
        """Number of training points S."""
        return self.X.shape[0]

    @property
    def has_test(self) -> bool:
        """True when there is a test split."""
        return self.X_test is not None

    def same_as(self, other: object) -> bool:
        """True when ``other`` is a Dataset with the same name, kind, names and numbers."""
        if not isinstance(other, Dataset):
            return False

        def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
            return (a is None and b is None) or (a is not None and b is not None and np.array_equal(a, b))

        return (
            (self.name, self.kind, self.input_names, self.output_names)
            == (other.name, other.kind, other.input_names, other.output_names)
            and same(self.X, other.X)
            and same(self.Y, other.Y)
            and same(self.X_test, other.X_test)
            and same(self.Y_test, other.Y_test)
        )


def _names(names: tuple[str, ...], width: int, prefix: str) -> tuple[str, ...]:
    names = tuple(str(n) for n in names)
    if not names:
        return tuple(f"{prefix}{k + 1}" if width > 1 else prefix for k in range(width))
    if len(names) != width:
        raise NetworkError(f"{len(names)} column names for {width} columns")
    return names


def split(X: np.ndarray, Y: np.ndarray, test_fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Shuffle the points with ``rng`` and hold out ``test_fraction`` of them.

    Returns ``(X, Y, X_test, Y_test)``; the test arrays are None when no point
    is held out. At least one point always stays in training.
    """
    if not 0.0 <= test_fraction < 1.0:
        raise NetworkError(f"the test fraction {test_fraction} must be at least 0 and below 1")
    s = X.shape[0]
    n_test = min(round(test_fraction * s), s - 1)
    if n_test == 0:
        return X, Y, None, None
    order = rng.permutation(s)
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    return X[train], Y[train], X[test], Y[test]
