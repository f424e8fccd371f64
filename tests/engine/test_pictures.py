"""nnviz.neuron_pictures against nnviz.forward point by point, and picture_range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import presets
from nnviz.network import NetworkError
from nnviz.pictures import neuron_pictures, picture_range


def test_one_input_curve_is_forward_at_every_grid_point():
    net = presets.paper_network()
    grid = np.linspace(-2.0, 2.0, 7)
    z = neuron_pictures(net, [grid])
    assert z.shape == (7, len(net.ids))
    for p, x in enumerate(grid):
        trace = nnviz.forward(net, [x])  # one point at a time: an independent path through the engine
        for k, nid in enumerate(net.ids):
            assert z[p, k] == pytest.approx(float(trace.z_of(nid)[0]), rel=1e-12, abs=1e-12), (x, nid)


def test_two_inputs_heatmap_rows_follow_the_second_axis():
    net = presets.layered([2, 3, 2], seed=4)
    g0, g1 = np.array([-1.0, 0.0, 2.0]), np.array([0.5, -0.5])
    z = neuron_pictures(net, [g0, g1])
    assert z.shape == (2, 3, len(net.ids))
    for q, b in enumerate(g1):
        for p, a in enumerate(g0):
            expected = nnviz.forward(net, [a, b]).z[0]  # (N,)
            np.testing.assert_allclose(z[q, p], expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(vary=st.integers(0, 2), base=st.lists(st.floats(-3, 3), min_size=3, max_size=3))
def test_a_slice_keeps_the_other_inputs_at_x(vary: int, base: list[float]):
    net = presets.layered([3, 4, 1], seed=1)
    grid = np.linspace(-1.0, 1.0, 5)
    z = neuron_pictures(net, [grid], x=base, vary=[vary])
    for p, v in enumerate(grid):
        point = list(base)
        point[vary] = v
        np.testing.assert_allclose(z[p], nnviz.forward(net, point).z[0], rtol=1e-12, atol=1e-12)


def test_non_layered_network_and_its_input_column_is_the_axis():
    net = presets.non_layered()
    grid = np.linspace(-3, 3, 11)
    z = neuron_pictures(net, [grid])
    np.testing.assert_allclose(z[:, net.index["A"]], grid)
    np.testing.assert_allclose(z[:, net.index["C"]], nnviz.forward(net, grid[:, None]).z[:, net.index["C"]])


@pytest.mark.parametrize(
    ("axes", "kwargs", "message"),
    [
        ([np.zeros(3)] * 3, {}, "one or two 1-D arrays"),
        ([np.zeros(3), np.zeros(3)], {}, "an index in vary must be from 0 to 0"),
        ([np.zeros(3)], {"vary": [1]}, "an index in vary must be from 0 to 0"),
        ([np.zeros(3)], {"x": [1.0, 2.0]}, "x has 2 values"),
    ],
)
def test_bad_arguments_name_the_problem(axes, kwargs, message):
    with pytest.raises(NetworkError, match=message):
        neuron_pictures(presets.paper_network(), axes, **kwargs)


def test_picture_range_holds_the_data_and_x():
    assert picture_range(0.5) == pytest.approx((-3.3, 3.3))
    lo, hi = picture_range(5.0, np.array([0.0, 1.0]))
    assert lo < 0.0 and hi > 5.0
    lo, hi = picture_range(1.0, np.array([1.0, 1.0]))
    assert lo < 1.0 < hi
    assert all(np.isfinite(picture_range(float("nan"))))
