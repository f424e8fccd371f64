"""Function plots (nnviz.figures.values), gradient colours (figures.style), nnviz.app.tables (gradcheck, SGD step)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

import nnviz
from nnviz import presets
from nnviz.app import tables
from nnviz.figures.style import gradient_color, plain
from nnviz.figures.values import (
    function_figure as ff,
)
from nnviz.figures.values import step_loss_figure, weight_loss_figure
from nnviz.network import Network, NetworkError, Neuron


def test_one_input_draws_f_with_the_current_x_marked():
    net = presets.paper_network()
    fig = ff(net, np.array([0.5]))
    assert isinstance(fig, go.Figure)
    curve, marker = fig.data[0], fig.data[1]
    xs, ys = np.asarray(curve.x), np.asarray(curve.y)
    assert xs[0] <= -3 and xs[-1] >= 3
    assert np.allclose(ys, nnviz.forward(net, xs[:, None]).output[:, 0])
    assert marker.x[0] == 0.5 and marker.y[0] == pytest.approx(float(nnviz.forward(net, [0.5]).output[0, 0]))


def test_range_grows_to_cover_x_and_the_data():
    net = presets.paper_network()
    fig = ff(net, np.array([7.0]), data_x=np.array([[-9.0], [1.0]]), data_y=np.array([[0.0], [1.0]]))
    xs = np.asarray(fig.data[0].x)
    assert xs[0] <= -9 and xs[-1] >= 8
    assert fig.data[-1].name == "training points" and len(fig.data[-1].x) == 2


def test_two_inputs_give_a_heatmap_of_the_chosen_output():
    net = presets.xor()
    fig = ff(net, np.array([1.0, 0.0]))
    heat = fig.data[0]
    assert isinstance(heat, go.Heatmap)
    z = np.asarray(heat.z)
    gx, gy = np.asarray(heat.x), np.asarray(heat.y)
    i, j = 5, 40
    assert z[j, i] == pytest.approx(float(nnviz.forward(net, [gx[i], gy[j]]).output[0, 0]))
    assert fig.data[-1].x[0] == 1.0 and fig.data[-1].y[0] == 0.0


def test_more_inputs_give_a_slice_along_the_chosen_input():
    net = presets.layered([3, 4, 2], seed=2)
    x = np.array([0.1, -0.2, 0.3])
    fig = ff(net, x, input_index=2)
    xs, ys = np.asarray(fig.data[0].x), np.asarray(fig.data[0].y)
    pts = np.repeat(x[None], len(xs), axis=0)
    pts[:, 2] = xs
    assert np.allclose(ys, nnviz.forward(net, pts).output[:, 0])
    assert len([d for d in fig.data if d.mode == "lines"]) == 2  # both outputs
    assert "other inputs fixed" in fig.layout.title.text


def test_wrong_x_or_empty_range_is_a_network_error():
    net = presets.paper_network()
    with pytest.raises(NetworkError, match="1 inputs"):
        ff(net, np.array([1.0, 2.0]))
    with pytest.raises(NetworkError, match="range"):
        ff(net, np.array([0.0]), lo=2.0, hi=1.0)


def test_user_ids_are_escaped_in_plotly_text():
    assert plain("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert "$" not in plain("$\\def\\x{}$")
    neurons = [Neuron("<b>x</b>", "input"), Neuron("$y$", "output", "identity")]
    net = Network(neurons, [("<b>x</b>", "$y$")], [2.0])
    fig = ff(net, np.array([0.0]))
    text = fig.to_json()
    assert "<b>x</b>" not in text and "$y$" not in text


def test_weight_loss_curve_and_its_tangent():
    net = presets.paper_network()
    fig = weight_loss_figure(net, [0.5], [1.0], ("6", "9"))
    ws, ls = np.asarray(fig.data[0].x), np.asarray(fig.data[0].y)
    k = len(ws) // 3
    moved = net.with_weights(np.where(np.arange(12) == net.edge_index[("6", "9")], ws[k], net.weights))
    assert ls[k] == pytest.approx(float(nnviz.loss(moved, [0.5], [1.0])[0]))
    tx, ty = np.asarray(fig.data[1].x), np.asarray(fig.data[1].y)
    slope = (ty[1] - ty[0]) / (tx[1] - tx[0])
    assert slope == pytest.approx(float(nnviz.backward(net, nnviz.forward(net, [0.5]), [1.0]).dl_dw_of("6", "9")))
    with pytest.raises(NetworkError):
        weight_loss_figure(net, [0.5], [1.0], ("1", "9"))


def test_step_loss_marks_the_loss_after_the_chosen_step():
    net = presets.paper_network()
    fig = step_loss_figure(net, [0.5], [1.0], 0.1)
    g = nnviz.backward(net, nnviz.forward(net, [0.5]), [1.0]).dl_dw
    after = float(nnviz.loss(net.with_weights(net.weights - 0.1 * g), [0.5], [1.0])[0])
    assert fig.data[1].y[0] == pytest.approx(after)
    assert fig.data[0].y[0] == pytest.approx(float(nnviz.loss(net, [0.5], [1.0])[0]))


def test_gradient_colours_encode_sign_and_size():
    neg, pos, zero = gradient_color(-1, 1), gradient_color(1, 1), gradient_color(0, 1)
    assert zero == "#f7f7f7"
    assert int(neg[5:7], 16) > int(neg[1:3], 16)  # purple: more blue than red
    assert int(pos[1:3], 16) > int(pos[5:7], 16)  # orange: more red than blue
    small, big = gradient_color(0.01, 1), gradient_color(0.9, 1)
    assert sum(int(small[i : i + 2], 16) for i in (1, 3, 5)) > sum(int(big[i : i + 2], 16) for i in (1, 3, 5))
    assert gradient_color(5, 1) == gradient_color(1, 1)  # clipped
    assert gradient_color(0.5, 0) == "#f7f7f7" and gradient_color(float("nan"), 1) == "#ff0000"
    edge = gradient_color(1e-9, 1, min_strength=0.4)
    assert edge != "#f7f7f7"


def test_gradient_table_agrees_with_backprop():
    net = presets.paper_network()
    rows, worst = tables.gradient_rows(net, [0.5], [1.0])
    assert len(rows) == 12 and worst < 1e-6
    grads = nnviz.backward(net, nnviz.forward(net, [0.5]), [1.0])
    for row in rows:
        assert row["backprop ∂l/∂w"] == pytest.approx(float(grads.dl_dw_of(row["from"], row["to"])))
        assert row["central difference"] == pytest.approx(row["backprop ∂l/∂w"], rel=1e-5, abs=1e-9)
        assert row["agree"]
    with pytest.raises(NetworkError):
        tables.gradient_rows(net, [0.5], [1.0], eps=0.0)


def test_gradient_table_flags_a_kink():
    """relu at a = 0 exactly: backprop takes one side, the central difference averages both."""
    neurons = [
        Neuron("x", "input"),
        Neuron("b", "bias"),
        Neuron("h", "hidden", "relu"),
        Neuron("o", "output", "identity"),
    ]
    net = Network(neurons, [("x", "h"), ("b", "h"), ("h", "o")], [1.0, -1.0, 1.0])
    rows, worst = tables.gradient_rows(net, [1.0], [1.0], eps=1e-3)  # a_h = 1 - 1 = 0
    assert worst > 1e-2 and not all(r["agree"] for r in rows)


def test_one_sgd_step_moves_every_weight_against_its_gradient():
    net = presets.paper_network()
    grads = nnviz.backward(net, nnviz.forward(net, [0.5]), [1.0])
    rec = tables.sgd_step(net, [0.5], [1.0], grads.dl_dw, 0.1)
    assert np.allclose(rec.after.weights, net.weights - 0.1 * grads.dl_dw)
    assert rec.loss_after < rec.loss_before
    assert rec.loss_before == pytest.approx(float(grads.loss[0]))
    rows = tables.step_rows(rec)
    assert len(rows) == 12
    for row in rows:
        assert row["new w"] == pytest.approx(row["old w"] - 0.1 * row["∂l/∂w"])
        assert row["change −η·∂l/∂w"] == pytest.approx(row["new w"] - row["old w"])


@pytest.mark.parametrize("eta", [0.0, -1.0, float("nan"), 1e9])
def test_bad_step_sizes_are_refused(eta):
    net = presets.paper_network()
    with pytest.raises(NetworkError, match="step size"):
        tables.sgd_step(net, [0.5], [1.0], np.zeros(12), eta)


def test_value_rows_hold_every_number():
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    rows = tables.value_rows(net, trace, grads)
    by_id = {r["neuron"]: r for r in rows}
    assert by_id["1"]["a (weighted sum)"] is None and by_id["1"]["z (output)"] == 0.5
    assert by_id["6"]["z (output)"] == pytest.approx(float(trace.z_of("6")[0]))
    assert by_id["4"]["∂l/∂a"] == pytest.approx(float(grads.dl_da_of("4")[0]))
    assert "∂l/∂a" not in tables.value_rows(net, trace)[0]
