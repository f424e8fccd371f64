"""Brute force over a weight grid, against a naive loop; the exact (2^bits)^E calculator."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import nnviz
from nnviz import bruteforce
from nnviz.bruteforce import brute_force, exhaustive_cost, grid_values, grid_weights
from nnviz.network import NetworkError


def tiny() -> nnviz.Network:
    """1 input, 1 tanh hidden neuron, 1 identity output, biases: 4 weights."""
    return nnviz.presets.layered([1, 1, 1], activation="tanh", seed=0)


def data() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-1.5, 1.5, 9)[:, None]
    return x, np.tanh(2 * x) - 0.3


def naive(net: nnviz.Network, x: np.ndarray, y: np.ndarray, grid: np.ndarray, limit: int | None = None):
    """The obvious loop: every combination, one network at a time."""
    best, best_w, count = math.inf, None, 0
    for w in itertools.islice(itertools.product(grid, repeat=len(net.edges)), limit):
        count += 1
        value = float(np.mean(nnviz.loss(net.with_weights(w), x, y)))
        if value < best:
            best, best_w = value, np.array(w)
    return best, best_w, count


def test_grid_weights_count_like_itertools_product() -> None:
    grid = np.array([-1.0, 0.0, 2.0])
    rows = grid_weights(grid, 3, 0, 27)
    np.testing.assert_array_equal(rows, np.array(list(itertools.product(grid, repeat=3))))
    np.testing.assert_array_equal(grid_weights(grid, 3, 5, 9), rows[5:9])


def test_grid_values() -> None:
    np.testing.assert_allclose(grid_values(5, -2, 2), [-2, -1, 0, 1, 2])
    np.testing.assert_allclose(grid_values(1, -2, 4), [1.0])
    for bad in ({"k": 0}, {"k": 2.5}, {"k": bruteforce.MAX_K + 1}, {"k": 3, "low": 1.0, "high": 0.0}):
        with pytest.raises(NetworkError):
            grid_values(**bad)


def test_brute_force_matches_the_naive_loop() -> None:
    net, (x, y) = tiny(), data()
    assert len(net.edges) == 4
    found = brute_force(net, x, y, k=4, low=-2.0, high=2.0)
    best, best_w, count = naive(net, x, y, grid_values(4, -2.0, 2.0))
    assert found.evaluations == found.grid_size == count == 4**4
    assert found.complete and found.points == 9 and found.point_evaluations == 9 * 4**4
    assert found.best_loss == pytest.approx(best, rel=1e-12)
    np.testing.assert_array_equal(found.best_weights, best_w)
    assert found.seconds > 0


def test_small_chunks_give_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    net, (x, y) = tiny(), data()
    whole = brute_force(net, x, y, k=3)
    monkeypatch.setattr(bruteforce, "CHUNK_CELLS", 50)  # a handful of vectors per chunk
    calls: list[tuple[int, int]] = []
    chunked = brute_force(net, x, y, k=3, progress=lambda d, t: calls.append((d, t)))
    assert chunked.best_loss == whole.best_loss
    np.testing.assert_array_equal(chunked.best_weights, whole.best_weights)
    assert len(calls) > 10 and calls[-1] == (3**4, 3**4)
    assert all(a[0] < b[0] for a, b in itertools.pairwise(calls))


def test_the_cap_searches_the_first_vectors_only() -> None:
    net, (x, y) = tiny(), data()
    found = brute_force(net, x, y, k=4, max_evaluations=100)
    best, best_w, _ = naive(net, x, y, grid_values(4, -2.0, 2.0), limit=100)
    assert found.evaluations == 100 and not found.complete and found.grid_size == 256
    assert found.best_loss == pytest.approx(best, rel=1e-12)
    np.testing.assert_array_equal(found.best_weights, best_w)


def test_progress_returning_false_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bruteforce, "CHUNK_CELLS", 100)
    net, (x, y) = tiny(), data()
    found = brute_force(net, x, y, k=4, progress=lambda done, total: False)
    assert 0 < found.evaluations < 256 and not found.complete


def test_the_paper_network_finds_a_finite_best() -> None:
    net = nnviz.presets.paper_network()
    x = np.linspace(-2, 2, 8)[:, None]
    found = brute_force(net, x, np.sin(2 * x), k=2, low=-1.0, high=1.0)
    assert found.evaluations == 2**12
    assert math.isfinite(found.best_loss)
    assert found.best_loss == pytest.approx(np.mean(nnviz.loss(net.with_weights(found.best_weights), x, np.sin(2 * x))))


def test_bad_inputs() -> None:
    net, (x, y) = tiny(), data()
    with pytest.raises(NetworkError, match="cap"):
        brute_force(net, x, y, max_evaluations=0)
    with pytest.raises(NetworkError, match="shapes"):
        brute_force(net, np.ones((3, 2)), y[:3])
    with pytest.raises(NetworkError, match="finite"):
        brute_force(net, x * np.nan, y)


@pytest.mark.parametrize(("e", "bits"), [(0, 64), (1, 64), (12, 64), (3, 8), (100, 64), (7, 1), (60, 33)])
def test_exhaustive_cost_is_exact(e: int, bits: int) -> None:
    n = 2 ** (bits * e)
    cost = exhaustive_cost(e, bits)
    digits = str(n)
    assert cost.exponent == len(digits) - 1
    assert cost.mantissa.replace(".", "") == digits[: len(cost.mantissa.replace(".", ""))]
    assert cost.log2 == bits * e


def test_the_papers_number() -> None:
    cost = exhaustive_cost(12)
    assert (cost.mantissa, cost.exponent) == ("1.552", 231)  # 2^768 = 1.5525... x 10^231
    mant, exp = cost.years(1e9)
    assert exp == 214 and 1 <= float(mant) < 10
    big = exhaustive_cost(nnviz.MAX_EDGES)
    assert big.exponent == math.floor(64 * nnviz.MAX_EDGES * math.log10(2))
    with pytest.raises(NetworkError):
        exhaustive_cost(nnviz.MAX_EDGES + 1)
