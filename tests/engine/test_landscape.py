"""nnviz.landscape: loss slices against nnviz.forward, the three planes, and projection."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import NetworkError, landscape, presets
from tests.engine.test_engine_junk import junk
from tests.engine.test_sgd_reference import random_net

X = np.linspace(-2.0, 2.0, 9)[:, None]  # (9, 1)
Y = np.sin(2.0 * X)


def reference_surface(net, X, Y, center, d1, d2, alphas, betas) -> np.ndarray:
    """An independent loop: every grid point through nnviz.forward, the loss summed by hand."""
    out = np.empty((len(betas), len(alphas)))
    for j, b in enumerate(betas):
        for i, a in enumerate(alphas):
            with np.errstate(all="ignore"):
                z = nnviz.forward(net, X, center + a * d1 + b * d2).output  # (S, n_out)
                out[j, i] = ((np.asarray(Y) - z) ** 2).sum(axis=1).mean()
    return np.where(np.isfinite(out), out, np.nan)


@pytest.mark.parametrize("case", range(12))
def test_loss_surface_matches_a_loop_over_forward(case: int) -> None:
    rng = np.random.default_rng(case)
    net = random_net(rng)
    x = rng.normal(size=(6, len(net.inputs)))
    y = rng.normal(size=(6, len(net.outputs)))
    e = len(net.edges)
    c, d1, d2 = rng.normal(size=e), rng.normal(size=e), rng.normal(size=e)
    alphas, betas = np.linspace(-1.5, 2.0, 7), np.linspace(-1.0, 1.0, 5)
    got = nnviz.loss_surface(net, x, y, c, d1, d2, alphas, betas)
    assert got.shape == (5, 7)
    np.testing.assert_allclose(got, reference_surface(net, x, y, c, d1, d2, alphas, betas), rtol=1e-12, atol=1e-14)


def test_loss_surface_is_the_training_mean_loss() -> None:
    net = presets.paper_network()
    res = nnviz.restarts(net, X, Y, restarts=3, seed=1, step_size=0.05, epochs=4)
    zero = np.zeros(len(net.edges))
    for r in range(3):
        got = nnviz.loss_surface(net, X, Y, res.weights[r], zero, zero, [0.0], [0.0])
        assert got[0, 0] == pytest.approx(res.final_loss[r], rel=1e-13)


def test_non_finite_losses_are_nan_without_warnings() -> None:
    net = presets.paper_network("identity")  # unbounded: huge weights overflow
    e = len(net.edges)
    d = np.full(e, 1e200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = nnviz.loss_surface(net, X, Y, np.zeros(e), d, d, [0.0, 1.0], [0.0, 1.0])
    assert np.isfinite(got[0, 0]) and np.isnan(got[1, 1])


def test_weight_plane_matches_with_weights_at_chosen_points() -> None:
    net = presets.paper_network()
    center = np.random.default_rng(3).normal(size=len(net.edges))
    plane = landscape.weight_plane(net, center, ("1", "3"), ("6", "9"))
    assert (plane.x_label, plane.y_label) == ("w_1,3", "w_6,9")
    alphas, betas = np.array([-2.0, 0.25, 1.5]), np.array([-1.0, 3.0])
    got = nnviz.loss_surface(net, X, Y, plane.center, plane.d1, plane.d2, alphas, betas)
    i, k = net.edge_index[("1", "3")], net.edge_index[("6", "9")]
    for j, b in enumerate(betas):
        for n, a in enumerate(alphas):
            w = center.copy()
            w[i], w[k] = a, b  # the two chosen weights set, every other one the centre's
            expected = nnviz.loss(net.with_weights(w), X, Y).mean()
            assert got[j, n] == pytest.approx(expected, rel=1e-12)
    np.testing.assert_array_equal(plane.anchors, [[center[i], center[k]]])


def test_filter_normalisation_gives_each_neuron_block_its_centre_norm() -> None:
    net = presets.layered([2, 4, 3, 1], seed=0)
    rng = np.random.default_rng(0)
    center = rng.normal(size=len(net.edges))
    d = landscape.filter_normalise(net, rng.normal(size=len(net.edges)), center)
    blocks = landscape.neuron_blocks(net)
    assert sorted(np.concatenate(blocks).tolist()) == list(range(len(net.edges)))  # a partition of the weights
    for ks in blocks:
        dst = {net.edges[k][1] for k in ks}
        assert len(dst) == 1 and set(ks.tolist()) == {net.edge_index[e] for e in net.incoming(dst.pop())}
        assert np.linalg.norm(d[ks]) == pytest.approx(np.linalg.norm(center[ks]), rel=1e-12)


def test_random_plane_is_seeded_and_filter_normalised() -> None:
    net = presets.paper_network()
    center = np.random.default_rng(5).normal(size=len(net.edges))
    a, b = landscape.random_plane(net, center, 7), landscape.random_plane(net, center, 7)
    np.testing.assert_array_equal(a.d1, b.d1)
    assert not np.allclose(a.d1, landscape.random_plane(net, center, 8).d1)
    for ks in landscape.neuron_blocks(net):
        for d in (a.d1, a.d2):
            assert np.linalg.norm(d[ks]) == pytest.approx(np.linalg.norm(center[ks]), rel=1e-12)


def test_restarts_plane_passes_through_its_three_points() -> None:
    net = presets.paper_network()
    w = np.random.default_rng(2).normal(size=(3, len(net.edges)))
    plane = landscape.restarts_plane(net, *w)
    coords = landscape.project(w, plane.center, plane.d1, plane.d2)  # (3, 2)
    np.testing.assert_allclose(coords, plane.anchors, atol=1e-12)
    np.testing.assert_allclose(plane.center + coords @ np.stack([plane.d1, plane.d2]), w, atol=1e-12)
    assert plane.d1 @ plane.d2 == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(NetworkError, match="one line"):
        landscape.restarts_plane(net, w[0], w[1], 2 * w[1] - w[0])


@settings(max_examples=60, deadline=None)
@given(
    e=st.integers(2, 20),
    seed=st.integers(0, 2**32 - 1),
    ab=st.lists(st.tuples(st.floats(-50, 50), st.floats(-50, 50)), min_size=1, max_size=6),
)
def test_projection_recovers_points_of_the_plane(e: int, seed: int, ab: list[tuple[float, float]]) -> None:
    rng = np.random.default_rng(seed)
    c, d1, d2 = rng.normal(size=e), rng.normal(size=e), rng.normal(size=e)  # not orthogonal, not unit
    coords = np.array(ab)  # (K, 2)
    points = c + coords[:, :1] * d1 + coords[:, 1:] * d2  # (K, E)
    got = landscape.project(points, c, d1, d2)
    np.testing.assert_allclose(got, coords, atol=1e-8 * (1 + np.abs(coords).max()))


def test_projection_of_a_point_off_the_plane_is_its_nearest_point() -> None:
    rng = np.random.default_rng(1)
    c, d1, d2, w = (rng.normal(size=6) for _ in range(4))
    a, b = landscape.project(w, c, d1, d2)
    residual = w - (c + a * d1 + b * d2)
    assert abs(residual @ d1) < 1e-12 and abs(residual @ d2) < 1e-12  # normal equations


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"center": np.zeros(3)}, "center"),
        ({"d1": [np.nan] * 12}, "d1"),
        ({"d2": "abc"}, "d2"),
        ({"alphas": []}, "alphas"),
        ({"betas": [[0.0, 1.0]]}, "betas"),
        ({"alphas": np.zeros(2000)}, "alphas"),
        ({"betas": [np.inf]}, "betas"),
        ({"X": [[0.0, 1.0]]}, "inputs"),
        ({"Y": [0.0, 1.0, 2.0]}, "rows"),
    ],
)
def test_loss_surface_names_the_bad_argument(kwargs: dict, name: str) -> None:
    net = presets.paper_network()
    args = {"X": [0.0, 1.0], "Y": [0.0, 1.0], "center": np.zeros(12), "d1": np.ones(12), "d2": np.ones(12)}
    args |= {"alphas": [0.0], "betas": [0.0]} | kwargs
    with pytest.raises(NetworkError, match=name):
        nnviz.loss_surface(net, **args)


def test_plane_choosers_name_the_bad_argument() -> None:
    net = presets.paper_network()
    c = np.ones(12)
    with pytest.raises(NetworkError, match="edge2"):
        landscape.weight_plane(net, c, ("1", "3"), ("1", "9"))
    with pytest.raises(NetworkError, match="edge1"):
        landscape.weight_plane(net, c, 12, 0)
    with pytest.raises(NetworkError, match="two weights"):
        landscape.weight_plane(net, c, 0, ("1", "3"))
    with pytest.raises(NetworkError, match="seed"):
        landscape.random_plane(net, c, -1)
    with pytest.raises(NetworkError, match="span no plane"):
        landscape.random_plane(net, np.zeros(12), 0)
    with pytest.raises(NetworkError, match="w_b"):
        landscape.restarts_plane(net, c, c, 2 * c)
    with pytest.raises(NetworkError, match="parallel"):
        landscape.project(c, c, c, 2 * c)


NET = presets.paper_network()
W12 = np.linspace(-1.0, 1.0, 12)
JUNK_CALLS = {
    "loss_surface": (
        lambda a: nnviz.loss_surface(**a),
        {"net": NET, "X": X, "Y": Y, "center": W12, "d1": np.ones(12), "d2": W12**2, "alphas": [0.0, 1.0],
         "betas": [0.5]},
    ),
    "weight_plane": (
        lambda a: landscape.weight_plane(**a), {"net": NET, "center": W12, "edge1": 0, "edge2": ("6", "9")}
    ),
    "restarts_plane": (
        lambda a: landscape.restarts_plane(**a), {"net": NET, "w_a": W12, "w_b": -W12, "w_c": W12**2}
    ),
    "random_plane": (lambda a: landscape.random_plane(**a), {"net": NET, "center": W12, "seed": 3}),
    "filter_normalise": (lambda a: landscape.filter_normalise(**a), {"net": NET, "direction": -W12, "center": W12}),
    "project": (lambda a: landscape.project(**a), {"path": [W12, -W12], "center": W12, "d1": np.ones(12), "d2": W12}),
    "sgd_paths": (
        lambda a: nnviz.sgd_paths(**a),
        {"net": NET, "X": X, "Y": Y, "initial_weights": [W12], "step_size": 0.1, "epochs": 3, "shuffle_seed": 1,
         "points": 3},
    ),
}  # fmt: skip
JUNK_ARGS = [(call, arg) for call, (_, base) in JUNK_CALLS.items() for arg in base]


@pytest.mark.parametrize(("call", "arg"), JUNK_ARGS, ids=[f"{c}-{a}" for c, a in JUNK_ARGS])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=junk)
def test_junk_arguments_raise_only_network_error(call: str, arg: str, value: object) -> None:
    fn, base = JUNK_CALLS[call]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning is a failure too
        try:
            fn({**base, arg: value})
        except NetworkError as exc:
            assert str(exc)
