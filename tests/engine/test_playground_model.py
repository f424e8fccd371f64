"""The playground's model (nnviz.app.playground): its metrics against hand-computed references, and its link knobs."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import presets
from nnviz.app import playground as model
from nnviz.app import share
from nnviz.errors import NetworkError
from nnviz.figures.playground import loss_svg, output_png


def test_accuracy_counts_signs_by_hand() -> None:
    net = presets.layered([1, 1], "identity", "identity", seed=None)  # f(x) = w_{1,3}·x + w_{2,3}
    X = np.array([[-2.0], [-0.5], [0.5], [3.0]])
    Y = np.array([[-1.0], [1.0], [1.0], [-1.0]])
    # weights in net.edges order: (1 -> 3) then bias (2 -> 3)
    assert list(net.edges) == [("1", "3"), ("2", "3")]
    w = np.array([[1.0, 0.0], [-1.0, 0.0], [1.0, 0.5]])  # (3, E)
    # f = x: signs -,-,+,+ vs labels -,+,+,- -> 2 of 4; f = -x: +,+,-,- -> 2 of 4; f = x + 0.5: -,0(+),+,+ -> 3 of 4
    assert model.accuracy(net, X, Y, w).tolist() == [0.5, 0.5, 0.75]


def test_test_loss_and_metrics_by_hand() -> None:
    pg = model.build(model.Config(data="circle", features=("x1",), hidden=(), activation="identity"))
    assert pg.net.outputs and len(pg.net.edges) == 2
    w = np.array([0.5, -0.25])  # f = tanh(0.5·x1 - 0.25): the output is tanh for ±1 labels
    pg.weights[0] = w
    pg.train_loss.clear()
    pg.test_loss.clear()
    model._record(pg)
    xt, yt = pg.data.X_test[:, 0], pg.data.Y_test[:, 0]
    f = np.tanh(0.5 * xt - 0.25)
    m = model.metrics(pg, 0)
    assert m.test_loss == pytest.approx(np.mean((yt - f) ** 2), rel=1e-12)
    assert m.accuracy == pytest.approx(np.mean(np.where(f >= 0, 1.0, -1.0) == yt))
    x, y = pg.data.X[:, 0], pg.data.Y[:, 0]
    assert m.train_loss == pytest.approx(np.mean((y - np.tanh(0.5 * x - 0.25)) ** 2), rel=1e-12)
    assert m.epoch == 0


def test_advance_trains_every_restart_and_keeps_the_curves() -> None:
    pg = model.build(model.Config(data="gauss", restarts=3, hidden=(2,), step_size=0.03))
    start = pg.weights.copy()
    model.advance(pg, 5)
    assert pg.epoch == 5 and len(pg.train_loss) == 6 and pg.weights.shape == start.shape
    assert not np.allclose(pg.weights, start)
    assert pg.train_loss[-1].mean() < pg.train_loss[0].mean()  # gauss is easy: the loss falls
    assert set(model.curves(pg, model.best(pg))) == {"training loss", "test loss"}
    full, thin = model.curves(pg, 0), model.curves(pg, 0, points=2)
    assert [v[0] for v in thin.values()] == [v[0] for v in full.values()]  # the first and last epochs kept
    assert [v[-1] for v in thin.values()] == [v[-1] for v in full.values()] and len(thin["training loss"]) == 2
    assert model.best(pg) == int(np.argmin(pg.train_loss[-1]))


def test_features_feed_the_network_and_regression_has_no_accuracy() -> None:
    pg = model.build(model.Config(data="plane", features=("x1", "x2", "x1·x2"), hidden=(3,)))
    assert len(pg.net.inputs) == 3 and pg.net.neuron(pg.net.outputs[0]).activation == "identity"
    assert model.metrics(pg, 0).accuracy is None
    assert model.output_grid(pg, 0).shape == (48, 48)


@pytest.mark.parametrize(
    ("text", "message"),
    [("4, x", "not a whole number"), ("9", "from 1 to 8"), ("1,1,1,1,1,1,1", "more than"), (5, "type the hidden")],
)
def test_bad_hidden_layers_are_refused(text: object, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        model.parse_hidden(text)


def test_the_sidebar_network_must_fit_the_features() -> None:
    cfg = model.Config(features=("x1", "x2"))
    assert "1 input" in model.fits(presets.paper_network(), cfg)
    with pytest.raises(NetworkError, match="does not fit"):
        model.build(cfg, presets.paper_network())
    assert model.fits(presets.layered([2, 3, 1]), cfg) is None


def test_pictures_are_pngs_and_svgs() -> None:
    pg = model.build(model.Config(data="spiral"))
    png = output_png(model.output_grid(pg, 0), (pg.data.X, pg.data.Y), (pg.data.X_test, pg.data.Y_test))
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    svg = loss_svg(model.curves(pg, 0))
    assert svg.startswith("<svg") and svg.count("<polyline") == 2


def test_a_link_carries_the_playground_knobs() -> None:
    form = {"pg_data": "spiral", "pg_features": ["x1", "x2", "x1²"], "pg_hidden": "8, 8", "pg_test": 50}
    text = share.encode_playground(form)
    assert share.decode_playground({"pg": text}) == {k: v for k, v in form.items() if k != "pg_test"}  # default
    assert share.encode_playground({"pg_data": "circle"}) is None  # all defaults: no pg in the link
    for bad, message in [
        ("{", "not valid JSON"),
        ("[1]", "JSON object"),
        ('{"data": "moon"}', "train_pg_data"),
        ('{"batch": 500}', "train_pg_batch"),
        ('{"evil": 1}', "not a playground knob"),
        ("x" * 700, "at most"),
    ]:
        with pytest.raises(share.ShareError, match=message):
            share.decode_playground({"pg": bad})
