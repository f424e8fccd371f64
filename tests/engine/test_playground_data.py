"""TF Playground's six data sets (nnviz.data.playground): hand-checked properties of each generator.

The expected values come from TF Playground's definitions (src/dataset.ts), written
out here by hand: radii and labels of the circle, quadrant signs of xor, the two
gaussian clouds and their variance, the spiral arms' radius/angle relation, and the
two regression formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz import data
from nnviz.data.playground import multigauss_value
from nnviz.network import NetworkError


def everything(name: str, **kwargs: object) -> tuple[np.ndarray, np.ndarray]:
    """All points of a set without a test split: X (n, 2), Y (n,)."""
    ds = data.playground(name, test_fraction=0.0, **kwargs)
    assert not ds.has_test
    return np.asarray(ds.X), np.asarray(ds.Y)[:, 0]


def test_names_and_kinds() -> None:
    assert data.PLAYGROUND_SETS == ("circle", "xor", "gauss", "spiral", "plane", "multigauss")
    assert data.PLAYGROUND_CLASSIFICATION == ("circle", "xor", "gauss", "spiral")
    for name in data.PLAYGROUND_SETS:
        ds = data.playground(name, points=40)
        want = "classification" if name in data.PLAYGROUND_CLASSIFICATION else "regression"
        assert ds.kind == want
        assert ds.X.shape == (40, 2) and ds.Y.shape == (40, 1)
        assert ds.input_names == ("x1", "x2")


@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "spiral"])
def test_classification_defaults_500_points_labelled_minus_one_plus_one(name: str) -> None:
    ds = data.playground(name, noise=0.3, test_fraction=0.5)
    assert ds.size == 250 and ds.X_test.shape == (250, 2) and ds.Y_test.shape == (250, 1)
    assert set(np.unique(np.concatenate([ds.Y, ds.Y_test]))) == {-1.0, 1.0}


@pytest.mark.parametrize("name", ["plane", "multigauss"])
def test_regression_defaults_1200_points(name: str) -> None:
    assert data.playground(name).size == 1200
    ds = data.playground(name, test_fraction=0.25)
    assert (ds.size, ds.X_test.shape[0]) == (900, 300)


def test_circle_inside_radius_is_plus_one() -> None:
    X, y = everything("circle", points=501, seed=3)
    r = np.hypot(X[:, 0], X[:, 1])
    assert (y == np.where(r < 2.5, 1.0, -1.0)).all()
    assert (r[y > 0] <= 2.5).all() and ((r[y < 0] >= 3.5) & (r[y < 0] <= 5.0)).all()
    assert (y > 0).sum() == 251 and (y < 0).sum() == 250  # the odd point goes inside


def test_circle_noise_moves_labels_not_points() -> None:
    X0, _ = everything("circle", seed=5)
    X1, y1 = everything("circle", seed=5, noise=0.5)
    assert np.array_equal(X0, X1)  # TF Playground keeps the point and labels a moved copy
    r = np.hypot(X1[:, 0], X1[:, 1])
    wrong = y1 != np.where(r < 2.5, 1.0, -1.0)
    assert 0 < wrong.sum() < len(y1) / 2


def test_xor_label_is_the_sign_of_the_quadrant_product() -> None:
    X, y = everything("xor", seed=1)
    assert (y == np.where(X[:, 0] * X[:, 1] >= 0, 1.0, -1.0)).all()
    a = np.abs(X)
    assert (a >= 0.3).all() and (a <= 5.3).all()  # 0.3 padding from both axes, |x| <= 5 + 0.3
    X1, y1 = everything("xor", seed=1, noise=0.5)
    assert np.array_equal(X, X1) and (y1 != y).any()


def test_gauss_two_clouds_with_the_noise_variance() -> None:
    for noise, variance in [(0.0, 0.5), (0.5, 4.0), (0.2, 0.5 + 0.2 * 7.0)]:
        X, y = everything("gauss", points=10_000, seed=2, noise=noise)
        assert (y > 0).sum() == 5000
        for label, centre in [(1.0, 2.0), (-1.0, -2.0)]:
            cloud = X[y == label]  # (5000, 2)
            assert np.allclose(cloud.mean(axis=0), centre, atol=0.1)
            assert np.allclose(cloud.var(axis=0), variance, rtol=0.06)


def test_spiral_points_lie_on_their_arm() -> None:
    X, y = everything("spiral", seed=4)  # 250 per arm
    r = np.hypot(X[:, 0], X[:, 1])
    steps = r / 5.0 * 250  # i, the point's index along its arm
    assert np.allclose(steps, np.round(steps), atol=1e-9) and (r < 5.0).all()
    for label, turn in [(1.0, 0.0), (-1.0, math.pi)]:
        on = (y == label) & (r > 1e-9)
        angle = 1.75 * 2 * math.pi * r[on] / 5.0 + turn
        # x1 = r sin(angle), x2 = r cos(angle)
        assert np.allclose(X[on, 0], r[on] * np.sin(angle), atol=1e-9)
        assert np.allclose(X[on, 1], r[on] * np.cos(angle), atol=1e-9)
    assert sorted(np.round(steps[y > 0]).astype(int)) == list(range(250))


def test_spiral_noise_moves_each_coordinate_by_at_most_noise() -> None:
    X0, y0 = everything("spiral", seed=4)
    X1, y1 = everything("spiral", seed=4, noise=0.3)
    assert np.array_equal(y0, y1)
    shift = np.abs(X1 - X0)
    assert (shift <= 0.3).all() and shift.max() > 0.25


def test_plane_value_is_the_sum_over_ten() -> None:
    X, y = everything("plane", seed=6)
    assert np.allclose(y, (X[:, 0] + X[:, 1]) / 10.0, rtol=0, atol=1e-15)
    assert (np.abs(X) <= 6.0).all() and np.abs(X).max() > 5.9
    _, y1 = everything("plane", seed=6, noise=0.5)
    assert 0.05 < np.abs(y1 - y).max() <= 0.6  # each coordinate moved by up to 6 * 0.5


def multigauss_by_hand(x1: float, x2: float) -> float:
    """TF Playground's rule, one point at a time: the signed bump of largest size, first of equals."""
    bumps = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    best = 0.0
    for cx, cy, sign in bumps:
        value = sign * min(1.0, max(0.0, 1.0 - math.hypot(x1 - cx, x2 - cy) / 2.0))
        if abs(value) > abs(best):
            best = value
    return best


def test_multigauss_hand_values() -> None:
    cases = [((-4, 2.5), 1.0), ((0, 2.5), -1.0), ((0, 0), 0.0), ((4, -1.5), -0.5), ((-3, 2.5), 0.5), ((-2, 2.5), 0)]
    for (x1, x2), want in cases:
        assert multigauss_value(np.array(x1, float), np.array(x2, float)) == pytest.approx(want, abs=1e-15)
    X, y = everything("multigauss", seed=7)
    assert np.allclose(y, [multigauss_by_hand(a, b) for a, b in X], rtol=0, atol=1e-15)
    assert (np.abs(X) <= 6.0).all() and (np.abs(y) <= 1.0).all()


@pytest.mark.parametrize("name", data.PLAYGROUND_SETS)
def test_seeds_reproduce_and_differ(name: str) -> None:
    a = data.playground(name, points=100, noise=0.1, seed=9, test_fraction=0.3)
    assert a.same_as(data.playground(name, points=100, noise=0.1, seed=9, test_fraction=0.3))
    assert not a.same_as(data.playground(name, points=100, noise=0.1, seed=10, test_fraction=0.3))
    assert a.size == 70 and a.X_test.shape[0] == 30


@pytest.mark.parametrize("name", data.PLAYGROUND_CLASSIFICATION)
def test_points_are_shuffled(name: str) -> None:
    _, y = everything(name, points=200)
    assert 20 < (y[:100] > 0).sum() < 80  # not all of one class first, as generated


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"name": "moons"}, "name"),
        ({"name": 3}, "name"),
        ({"name": "circle", "points": 0}, "points"),
        ({"name": "circle", "points": 2.5}, "points"),
        ({"name": "circle", "points": True}, "points"),
        ({"name": "circle", "points": 10**6}, "points"),
        ({"name": "circle", "noise": -0.1}, "noise"),
        ({"name": "circle", "noise": 0.51}, "noise"),
        ({"name": "circle", "noise": math.nan}, "noise"),
        ({"name": "circle", "noise": "0.1"}, "noise"),
        ({"name": "circle", "seed": -1}, "seed"),
        ({"name": "circle", "seed": 1.5}, "seed"),
        ({"name": "circle", "test_fraction": 1.0}, "test_fraction"),
        ({"name": "circle", "test_fraction": -0.1}, "test_fraction"),
        ({"name": "circle", "test_fraction": math.inf}, "test_fraction"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs: dict[str, object], named: str) -> None:
    with pytest.raises(NetworkError, match=named):
        data.playground(**kwargs)
