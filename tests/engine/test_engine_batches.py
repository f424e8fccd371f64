"""Vectorisation is invisible: a batch of B is B single points, R weight sets are R networks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import presets
from tests.engine.engine_reference import KINKED, SMOOTH, batches, networks

BATCH_SETTINGS = settings(max_examples=50, deadline=None)
_w = st.floats(-2.0, 2.0, allow_nan=False)


@BATCH_SETTINGS
@given(net=networks(SMOOTH + KINKED + ("step",)), data=st.data())
def test_batch_equals_single_points(net, data):
    xs, ys = data.draw(batches(net, max_points=5))
    trace = nnviz.forward(net, xs)
    g = nnviz.backward(net, trace, ys)
    n, e, b = len(net.neurons), len(net.edges), len(xs)
    assert trace.a.shape == trace.z.shape == (b, n)
    assert trace.output.shape == (b, len(net.outputs))
    assert g.loss.shape == (b,)
    assert g.dl_da.shape == g.dl_dz.shape == (b, n)
    assert g.dl_dw.shape == (e,)
    assert g.dl_dw_points.shape == (b, e)
    total = np.zeros(e)
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        t1 = nnviz.forward(net, x)  # a single point of shape (n_in,)
        g1 = nnviz.backward(net, t1, y)
        assert t1.a.shape == (1, n)
        np.testing.assert_allclose(trace.a[i], t1.a[0], rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(trace.z[i], t1.z[0], rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(g.loss[i], g1.loss[0], rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(g.dl_da[i], g1.dl_da[0], rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(g.dl_dz[i], g1.dl_dz[0], rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(g.dl_dw_points[i], g1.dl_dw, rtol=1e-12, atol=1e-13)
        total += g1.dl_dw
    np.testing.assert_allclose(g.dl_dw, total, rtol=1e-11, atol=1e-12)


@BATCH_SETTINGS
@given(net=networks(SMOOTH + KINKED), data=st.data())
def test_weight_sets_equal_separate_networks(net, data):
    xs, ys = data.draw(batches(net, max_points=3))
    r = data.draw(st.integers(1, 4))
    e, n, b = len(net.edges), len(net.neurons), len(xs)
    ws = np.array([[data.draw(_w) for _ in range(e)] for _ in range(r)])  # (R, E)
    trace = nnviz.forward(net, xs, ws)
    g = nnviz.backward(net, trace, ys)
    assert trace.a.shape == trace.z.shape == (r, b, n)
    assert trace.output.shape == (r, b, len(net.outputs))
    assert g.loss.shape == (r, b)
    assert g.dl_da.shape == g.dl_dz.shape == (r, b, n)
    assert g.dl_dw.shape == (r, e)
    assert g.dl_dw_points.shape == (r, b, e)
    np.testing.assert_allclose(nnviz.loss(net, xs, ys, ws), g.loss, rtol=1e-13, atol=1e-14)
    for k in range(r):
        one = net.with_weights(ws[k])
        t1 = nnviz.forward(one, xs)
        g1 = nnviz.backward(one, t1, ys)
        np.testing.assert_allclose(trace.a[k], t1.a, rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(trace.z[k], t1.z, rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(trace.output[k], t1.output, rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(g.loss[k], g1.loss, rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(g.dl_da[k], g1.dl_da, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(g.dl_dz[k], g1.dl_dz, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(g.dl_dw[k], g1.dl_dw, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(g.dl_dw_points[k], g1.dl_dw_points, rtol=1e-12, atol=1e-13)
        for s, d in net.edges:
            np.testing.assert_allclose(g.dl_dw_of(s, d)[k], g1.dl_dw_of(s, d), rtol=1e-12, atol=1e-13)
        for nid in net.ids:
            np.testing.assert_allclose(trace.z_of(nid)[k], t1.z_of(nid), rtol=1e-13, atol=1e-14)


def test_one_weight_vector_is_one_set_not_a_stack():
    net = presets.paper_network()
    w = np.array(net.weights) * 0.5
    t = nnviz.forward(net, [[0.1], [0.2]], w)
    assert t.z.shape == (2, 9)
    np.testing.assert_allclose(t.z, nnviz.forward(net.with_weights(w), [[0.1], [0.2]]).z, rtol=1e-15)


def test_inputs_pass_unchanged_and_biases_output_their_value():
    from nnviz import Network, Neuron

    neurons = [
        Neuron("x1", "input"),
        Neuron("b", "bias", None, -2.5),
        Neuron("x2", "input"),
        Neuron("o", "output", "identity"),
    ]
    net = Network(neurons, [("x2", "o"), ("b", "o"), ("x1", "o")], [3.0, 0.5, -1.0])
    t = nnviz.forward(net, [[0.25, -7.0], [1.5, 2.0]])
    np.testing.assert_array_equal(t.z_of("x1"), [0.25, 1.5])
    np.testing.assert_array_equal(t.z_of("x2"), [-7.0, 2.0])
    np.testing.assert_array_equal(t.a_of("x1"), t.z_of("x1"))
    np.testing.assert_array_equal(t.z_of("b"), [-2.5, -2.5])
    np.testing.assert_allclose(t.output[:, 0], [3 * -7.0 + 0.5 * -2.5 - 0.25, 3 * 2.0 - 1.25 - 1.5], rtol=1e-15)
    np.testing.assert_array_equal(t.x, [[0.25, -7.0], [1.5, 2.0]])
    assert net.inputs == ("x1", "x2")


def test_lookup_of_unknown_neuron_or_edge_raises_network_error():
    net = presets.paper_network()
    t = nnviz.forward(net, [0.0])
    g = nnviz.backward(net, t, [0.0])
    with pytest.raises(nnviz.NetworkError, match="42"):
        t.z_of("42")
    with pytest.raises(nnviz.NetworkError, match="42"):
        g.dl_da_of("42")
    with pytest.raises(nnviz.NetworkError):
        g.dl_dw_of("3", "7")  # 3 feeds 6 only
    with pytest.raises(nnviz.NetworkError):
        net.weight("3", "7")


@pytest.mark.parametrize("bad_x", [[0.1, 0.2], [[0.1, 0.2]], "abc", [[[0.1]]]])
def test_wrong_input_shape_raises_network_error(bad_x):
    with pytest.raises(nnviz.NetworkError):
        nnviz.forward(presets.paper_network(), bad_x)


def test_wrong_weight_shape_and_target_shape_raise_network_error():
    net = presets.paper_network()
    with pytest.raises(nnviz.NetworkError):
        nnviz.forward(net, [0.1], np.zeros(11))
    with pytest.raises(nnviz.NetworkError):
        nnviz.forward(net, [0.1], np.zeros((2, 13)))
    t = nnviz.forward(net, [[0.1], [0.2], [0.3]])
    with pytest.raises(nnviz.NetworkError):
        nnviz.backward(net, t, [[0.1], [0.2]])
    with pytest.raises(nnviz.NetworkError):
        nnviz.backward(net, t, [[0.1, 0.2]] * 3)


def test_loss_with_mismatched_rows_raises_network_error():
    """backward() says 'y has 3 rows for 2 input points'; loss() must not leak numpy's broadcast error."""
    net = presets.paper_network()
    with pytest.raises(nnviz.NetworkError):
        nnviz.loss(net, [[0.1], [0.2]], [[0.1], [0.2], [0.3]])
