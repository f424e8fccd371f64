"""Input features (nnviz.features): hand values, names, refusals, and pictures over the (x1, x2) plane."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nnviz
from nnviz.features import FEATURES, check_features, expand, feature_name
from nnviz.network import NetworkError


def test_expand_hand_values_in_the_order_given() -> None:
    X = np.array([[2.0, 3.0], [0.5, -1.0], [0.0, math.pi / 2]])
    got = expand(X, ["sin x2", "x1", "x1·x2", "x2²", "x1²", "x2", "sin x1"])
    want = [
        [math.sin(3.0), 2.0, 6.0, 9.0, 4.0, 3.0, math.sin(2.0)],
        [math.sin(-1.0), 0.5, -0.5, 1.0, 0.25, -1.0, math.sin(0.5)],
        [1.0, 0.0, 0.0, math.pi**2 / 4, 0.0, math.pi / 2, 0.0],
    ]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-15)
    assert expand(X, ["x2"]).shape == (3, 1)


@pytest.mark.parametrize(
    ("alias", "name"),
    [("x1^2", "x1²"), ("X2**2", "x2²"), ("x1*x2", "x1·x2"), ("x1 x2", "x1·x2"), ("sin(x1)", "sin x1"),
     ("SIN X2", "sin x2"), ("x1", "x1"), ("x1²", "x1²")],
)  # fmt: skip
def test_ascii_aliases(alias: str, name: str) -> None:
    assert feature_name(alias) == name
    assert name in FEATURES


def test_canonical_names_are_tf_playgrounds_seven() -> None:
    assert FEATURES == ("x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2")
    assert check_features(list(FEATURES)) == FEATURES


@pytest.mark.parametrize(
    ("names", "message"),
    [(["x3"], "x3"), (["x1", "x1^2", "x1²"], "x1²"), ([], "at least one"), ("x1", "list"), ([1], "1"),
     (["x1", "X1"], "x1")],
)  # fmt: skip
def test_refusals_name_the_feature(names: object, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        check_features(names)


def test_expand_refuses_points_that_are_not_2d() -> None:
    with pytest.raises(NetworkError, match=r"\(n, 2\)"):
        expand(np.zeros((4, 3)), ["x1"])
    with pytest.raises(NetworkError, match="X"):
        expand([["a", "b"]], ["x1"])


def test_pictures_with_features_are_forward_on_the_expanded_grid() -> None:
    names = ["x1", "x2", "x1²", "x1·x2", "sin x2"]
    net = nnviz.presets.layered([len(names), 4, 1], activation="tanh", seed=2)
    a1, a2 = np.linspace(-6, 6, 7), np.linspace(-5, 5, 5)
    pics = nnviz.neuron_pictures(net, [a1, a2], features=names)  # (5, 7, N)
    m1, m2 = np.meshgrid(a1, a2)
    want = nnviz.forward(net, expand(np.column_stack([m1.ravel(), m2.ravel()]), names)).z
    np.testing.assert_array_equal(pics, want.reshape(5, 7, -1))
    inputs = [net.ids.index(i) for i in net.inputs]
    np.testing.assert_allclose(pics[..., inputs[2]], m1 * m1)  # the input neuron "x1²" shows x1² over the plane


def test_pictures_with_features_along_one_axis_keep_the_other_coordinate() -> None:
    names = ["x2²", "x1"]
    net = nnviz.presets.layered([2, 3, 1], activation="sigmoid", seed=1)
    axis = np.linspace(-2, 2, 9)
    pics = nnviz.neuron_pictures(net, [axis], x=[0.5, 1.5], vary=[1], features=names)  # (9, N)
    points = np.column_stack([np.full(9, 0.5), axis])  # x1 fixed at 0.5, x2 varied
    np.testing.assert_array_equal(pics, nnviz.forward(net, expand(points, names)).z)


def test_pictures_refuse_features_that_do_not_fit_the_inputs() -> None:
    net = nnviz.presets.layered([3, 2, 1], seed=0)
    with pytest.raises(NetworkError, match="2 features"):
        nnviz.neuron_pictures(net, [np.linspace(-1, 1, 3)], features=["x1", "x2"])
    with pytest.raises(NetworkError, match="x9"):
        nnviz.neuron_pictures(net, [np.linspace(-1, 1, 3)], features=["x1", "x2", "x9"])
