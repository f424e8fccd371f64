"""Backprop against central finite differences on random acyclic networks (hypothesis).

Each finite difference is our own loop in float64: perturb one weight (with
``net.with_weights``), one a_k or z_k (with the plain-Python reference), one
input coordinate or one bias value, and difference the loss.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import Network, Neuron
from tests.engine.engine_reference import KINKED, SMOOTH, batches, kink_margin, networks, ref_forward, ref_loss

EPS = 1e-6
FD_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def close(bp: float, fd: float, scale: float) -> bool:
    """Backprop vs a central difference: relative 1e-5, plus round-off of a loss of size ``scale``."""
    return abs(bp - fd) <= 1e-5 * (abs(bp) + abs(fd)) + 1e-9 * (1.0 + scale)


def smooth_or_kinked() -> st.SearchStrategy[Network]:
    return st.one_of(networks(SMOOTH), networks(SMOOTH + KINKED))


@FD_SETTINGS
@given(net=smooth_or_kinked(), data=st.data())
def test_forward_matches_plain_python_reference(net, data):
    xs, ys = data.draw(batches(net))
    trace = nnviz.forward(net, xs)
    assert trace.a.shape == trace.z.shape == (len(xs), len(net.neurons))
    for b, x in enumerate(xs):
        a, z = ref_forward(net, x)
        for col, n in enumerate(net.neurons):
            assert math.isclose(trace.z[b, col], z[n.id], rel_tol=1e-12, abs_tol=1e-12), n.id
            if n.role in ("hidden", "output"):
                assert math.isclose(trace.a[b, col], a[n.id], rel_tol=1e-12, abs_tol=1e-12), n.id
        outs = [n.id for n in net.neurons if n.role == "output"]
        np.testing.assert_allclose(trace.output[b], [z[k] for k in outs], rtol=1e-12, atol=1e-12)
        assert math.isclose(nnviz.loss(net, [x], [ys[b]])[0], ref_loss(net, x, ys[b]), rel_tol=1e-11, abs_tol=1e-12)


@FD_SETTINGS
@given(net=smooth_or_kinked(), data=st.data())
def test_dl_dw_matches_central_differences(net, data):
    xs, ys = data.draw(batches(net))
    assume(kink_margin(net, xs) > 1e-3)
    g = nnviz.backward(net, nnviz.forward(net, xs), ys)
    total = float(nnviz.loss(net, xs, ys).sum())
    assert g.dl_dw.shape == (len(net.edges),)
    assert g.dl_dw_points.shape == (len(xs), len(net.edges))
    w0 = np.array(net.weights, dtype=np.float64)
    for k, (s, d) in enumerate(net.edges):
        plus, minus = w0.copy(), w0.copy()
        plus[k] += EPS
        minus[k] -= EPS
        lp = float(nnviz.loss(net.with_weights(plus), xs, ys).sum())
        lm = float(nnviz.loss(net.with_weights(minus), xs, ys).sum())
        fd = (lp - lm) / (2 * EPS)
        assert close(float(g.dl_dw[k]), fd, total), (s, d, g.dl_dw[k], fd)
        assert g.dl_dw_of(s, d) == g.dl_dw[k]
        # the same with the plain-Python reference as the loss
        rp = sum(ref_loss(net, x, y, plus) for x, y in zip(xs, ys, strict=True))
        rm = sum(ref_loss(net, x, y, minus) for x, y in zip(xs, ys, strict=True))
        assert close(float(g.dl_dw[k]), (rp - rm) / (2 * EPS), total), (s, d)
    np.testing.assert_allclose(g.dl_dw_points.sum(axis=0), g.dl_dw, rtol=1e-12, atol=1e-12)


@FD_SETTINGS
@given(net=smooth_or_kinked(), data=st.data())
def test_dl_da_and_dl_dz_match_central_differences(net, data):
    xs, ys = data.draw(batches(net, max_points=2))
    assume(kink_margin(net, xs) > 1e-3)
    g = nnviz.backward(net, nnviz.forward(net, xs), ys)
    for b, (x, y) in enumerate(zip(xs, ys, strict=True)):
        scale = ref_loss(net, x, y)
        assert math.isclose(g.loss[b], scale, rel_tol=1e-11, abs_tol=1e-12)
        for col, n in enumerate(net.neurons):
            fd_z = (ref_loss(net, x, y, nudge=("z", n.id, EPS)) - ref_loss(net, x, y, nudge=("z", n.id, -EPS))) / (
                2 * EPS
            )
            assert close(float(g.dl_dz[b, col]), fd_z, scale), ("dl/dz", n.id, g.dl_dz[b, col], fd_z)
            assert g.dl_dz_of(n.id)[b] == g.dl_dz[b, col]
            if n.role in ("hidden", "output"):
                fd_a = (ref_loss(net, x, y, nudge=("a", n.id, EPS)) - ref_loss(net, x, y, nudge=("a", n.id, -EPS))) / (
                    2 * EPS
                )
                assert close(float(g.dl_da[b, col]), fd_a, scale), ("dl/da", n.id, g.dl_da[b, col], fd_a)


@FD_SETTINGS
@given(net=networks(SMOOTH), data=st.data())
def test_dl_dz_of_inputs_and_biases_match_differences_in_x_and_bias_value(net, data):
    """Perturb through the public API only: the input x, and a bias neuron's value."""
    xs, ys = data.draw(batches(net, max_points=1))
    x, y = np.array(xs[0]), ys[0]
    g = nnviz.backward(net, nnviz.forward(net, x), y)
    scale = float(g.loss[0])
    for j, k in enumerate(n.id for n in net.neurons if n.role == "input"):
        xp, xm = x.copy(), x.copy()
        xp[j] += EPS
        xm[j] -= EPS
        fd = (nnviz.loss(net, xp, y)[0] - nnviz.loss(net, xm, y)[0]) / (2 * EPS)
        assert close(float(g.dl_dz_of(k)[0]), float(fd), scale), k
    for n in net.neurons:
        if n.role != "bias":
            continue

        def moved(delta: float, n: Neuron = n) -> Network:
            neurons = [Neuron(m.id, m.role, m.activation, m.value + delta) if m.id == n.id else m for m in net.neurons]
            return Network(neurons, net.edges, net.weights)

        fd = (nnviz.loss(moved(EPS), x, y)[0] - nnviz.loss(moved(-EPS), x, y)[0]) / (2 * EPS)
        assert close(float(g.dl_dz_of(n.id)[0]), float(fd), scale), n.id


@settings(max_examples=30, deadline=None)
@given(net=networks(SMOOTH), data=st.data())
def test_engine_finite_differences_and_gradient_check(net, data):
    xs, ys = data.draw(batches(net))
    fd, bp = nnviz.finite_differences(net, xs, ys, 1e-6)
    g = nnviz.backward(net, nnviz.forward(net, xs), ys)
    np.testing.assert_array_equal(bp, g.dl_dw)
    total = float(nnviz.loss(net, xs, ys).sum())
    for k in range(len(net.edges)):
        w = np.array(net.weights)
        w[k] += 1e-6
        lp = float(nnviz.loss(net.with_weights(w), xs, ys).sum())
        w[k] -= 2e-6
        lm = float(nnviz.loss(net.with_weights(w), xs, ys).sum())
        assert close(float(fd[k]), (lp - lm) / 2e-6, total)
    err = nnviz.gradient_check(net, xs, ys)
    assert err >= 0.0
    ours = max(
        (abs(b - f) / max(abs(b) + abs(f), 1e-8) for b, f in zip(bp, fd, strict=True)),
        default=0.0,
    )
    assert math.isclose(err, ours, rel_tol=1e-9, abs_tol=1e-15)


def test_gradient_check_of_the_paper_network_is_tiny():
    net = nnviz.presets.paper_network()
    assert nnviz.gradient_check(net, [[-1.0], [0.5], [2.0]], [[0.3], [0.1], [-0.4]]) < 1e-6


def test_output_that_feeds_another_output():
    """l sums over both outputs, so dl/dz of o1 = -2 (y1 - z1) + w * dl/da_{o2}."""
    neurons = [Neuron("x", "input"), Neuron("o1", "output", "tanh"), Neuron("o2", "output", "sin")]
    net = Network(neurons, [("x", "o1"), ("o1", "o2"), ("x", "o2")], [0.7, -1.1, 0.4])
    x, y1, y2 = 0.9, 0.2, -0.5
    z1 = math.tanh(0.7 * x)
    a2 = -1.1 * z1 + 0.4 * x
    z2 = math.sin(a2)
    da2 = -2 * (y2 - z2) * math.cos(a2)
    dz1 = -2 * (y1 - z1) + da2 * -1.1
    da1 = dz1 * (1 - z1 * z1)
    g = nnviz.backward(net, nnviz.forward(net, [x]), [y1, y2])
    assert math.isclose(g.loss[0], (y1 - z1) ** 2 + (y2 - z2) ** 2, rel_tol=1e-13)
    assert math.isclose(g.dl_dz_of("o1")[0], dz1, rel_tol=1e-12)
    assert math.isclose(g.dl_dw_of("x", "o1"), da1 * x, rel_tol=1e-12)
    assert math.isclose(g.dl_dw_of("o1", "o2"), da2 * z1, rel_tol=1e-12)
    assert math.isclose(g.dl_dz_of("x")[0], da1 * 0.7 + da2 * 0.4, rel_tol=1e-12)
