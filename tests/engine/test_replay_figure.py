"""The replay figure: one frame per epoch shown, each holding forward() of that epoch's weights; edges by weight."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

import nnviz
from nnviz import data, presets
from nnviz.figures import replay_pictures
from nnviz.figures.replay import MAX_DRAWN_EDGES, replay_figure
from nnviz.figures.replay_fit import fit_grid, fit_kind, output_range
from nnviz.figures.weights_plot import MAX_WIDTH, MIN_WIDTH, edge_updates, positions
from nnviz.network import Network, Neuron
from nnviz.pictures import neuron_pictures, picture_range


def values(v: object) -> np.ndarray:
    """A plotly array from figure JSON: a list or a base64 typed array (with its shape)."""
    if isinstance(v, dict) and "bdata" in v:
        out = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).astype(float)
        return out.reshape([int(n) for n in v["shape"].split(",")]) if "shape" in v else out
    return np.array([np.nan if u is None else u for u in v], dtype=float)


def run(net: Network, ds: data.Dataset, k: int = 2, epochs: int = 6) -> tuple[nnviz.TrainResult, dict]:
    res = nnviz.restarts(net, ds.X, ds.Y, restarts=k, seed=1, step_size=0.2, epochs=epochs, record="all")
    every = np.arange(epochs + 1)
    fig = replay_figure(net, ds, res.weight_history, every, res.loss_history, [f"restart {r}" for r in range(k)])
    return res, json.loads(fig.to_json())


def by_meta(doc: dict, meta: str) -> list[int]:
    return [i for i, t in enumerate(doc["data"]) if t.get("meta") == meta]


@pytest.mark.parametrize(
    "ds",
    [data.regression("sine", 12), data.classification("xor", 40), data.boolean("xor"), data.boolean("and", bits=3)],
    ids=["curve", "plane", "table", "table3"],
)
def test_every_frame_draws_forward_of_its_epochs_weights(ds: data.Dataset) -> None:
    net = presets.layered([ds.n_in, 3, 1])
    res, doc = run(net, ds)
    fits, markers = by_meta(doc, "fit"), by_meta(doc, "loss_marker")
    assert len(fits) == len(markers) == 2
    assert [f["name"] for f in doc["frames"]] == [str(t) for t in range(7)]
    grid = fit_grid(ds)
    for frame in doc["frames"]:
        t = int(frame["name"])
        update = dict(zip(frame["traces"], frame["data"], strict=True))
        for i in range(2):
            expect = nnviz.forward(net.with_weights(res.weight_history[i, t]), grid).output[:, 0]
            got = update[fits[i]]
            if fit_kind(ds) == "plane":
                np.testing.assert_allclose(values(got["marker"]["color"]), expect, rtol=1e-5, atol=1e-6)
            elif fit_kind(ds) == "table":
                assert got["text"] == [f"{v:.3f}" for v in expect]
                right = (expect >= 0.5) == (ds.Y[:, 0] >= 0.5)
                assert [c == "#a6dba0" for c in got["marker"]["color"]] == list(right)
            else:
                np.testing.assert_allclose(values(got["y"]), expect, rtol=1e-5, atol=1e-6)
            assert update[markers[i]]["x"] == [t]
            assert update[markers[i]]["y"] == [pytest.approx(res.loss_history[i, t])]


def test_the_slider_has_one_step_per_frame_and_play_pause() -> None:
    _, doc = run(presets.paper_network(), data.regression("sine", 8), epochs=4)
    steps = doc["layout"]["sliders"][0]["steps"]
    assert [s["args"][0] for s in steps] == [["0"], ["1"], ["2"], ["3"], ["4"]]
    assert all(s["method"] == "animate" for s in steps)
    labels = [b["label"] for b in doc["layout"]["updatemenus"][0]["buttons"]]
    assert labels == ["▶ Play", "❚❚ Pause"]


def test_edges_are_drawn_by_weight_width_and_sign() -> None:
    net = presets.paper_network()
    w = np.linspace(-2.0, 2.0, 12)  # (E,)
    pos, neg, hover = edge_updates(net, positions(net), w, largest=2.0)
    px, nx = values(pos["x"]), values(neg["x"])
    assert px.size == 6 * int((w > 0).sum()) and nx.size == 6 * int((w <= 0).sum())
    np.testing.assert_allclose(values(hover["customdata"]), w, rtol=1e-6)
    py = values(pos["y"]).reshape(-1, 6)
    pxs = px.reshape(-1, 6)
    widths = np.hypot(pxs[:, 0] - pxs[:, 3], py[:, 0] - py[:, 3])  # corner p + n to p - n
    expect = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.abs(w[w > 0]) / 2.0
    np.testing.assert_allclose(widths, expect, rtol=1e-5)


def test_a_diverged_restart_is_blank_after_it_diverged() -> None:
    net = presets.layered([1, 1, 1], activation="identity", bias=[False, True])
    ds = data.Dataset("two", np.array([[1.0], [2.0]]), np.array([[0.5], [1.0]]))
    res = nnviz.restarts(net, ds.X, ds.Y, restarts=12, seed=0, init_scale=2.0, step_size=0.2, epochs=40, record="all")
    bad = int(np.flatnonzero(res.diverged)[0])
    fig = replay_figure(net, ds, res.weight_history[[bad]], np.arange(41), res.loss_history[[bad]], ["bad"])
    doc = json.loads(fig.to_json())
    fit = by_meta(doc, "fit")[0]
    last = dict(zip(doc["frames"][-1]["traces"], doc["frames"][-1]["data"], strict=True))
    assert np.isnan(values(last[fit]["y"])).all()
    assert last[by_meta(doc, "loss_marker")[0]]["y"] == [None]


def test_big_networks_are_replayed_without_the_network_picture() -> None:
    net = presets.layered([1, 20, 20, 1])
    assert len(net.edges) > MAX_DRAWN_EDGES
    _, doc = run(net, data.regression("sine", 8), k=1, epochs=2)
    assert not by_meta(doc, "edges_positive") and len(doc["layout"]["annotations"]) == 2


def test_user_text_is_escaped() -> None:
    evil = "<img src=x onerror=alert(1)>"
    net = Network(
        [Neuron("x", "input"), Neuron(evil, "hidden", "tanh"), Neuron("o", "output", "identity")],
        [("x", evil), (evil, "o")],
        [0.5, -0.5],
    )
    ds = data.Dataset("d", np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]]), input_names=("$x$<b>",))
    _, doc = run(net, ds, k=1, epochs=1)
    text = json.dumps(doc)
    assert evil not in text and "$x$<b>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "&#36;x&#36;&lt;b&gt;" in text


def test_output_range_covers_wild_early_frames_but_not_without_bound() -> None:
    ds = data.regression("sine", 8)  # targets in [-1, 1]
    lo, hi = output_range(ds, np.array([[0.0, 3.0], [0.5, 0.2]]))
    assert lo < -1 and hi > 3
    lo, hi = output_range(ds, np.array([[0.0, 1e6]]))
    assert hi < 6


@pytest.mark.parametrize(
    "ds",
    [data.regression("sine", 12), data.classification("xor", 40), data.boolean("and", bits=3)],
    ids=["curve", "plane", "slice"],
)
def test_every_frame_pictures_each_neuron_from_its_epochs_weights(ds: data.Dataset) -> None:
    """The picture trace at epoch t is z_k of every computing neuron, from neuron_pictures of epoch t's
    weights (an independent evaluation), scaled by the neuron's range over all frames."""
    net = presets.layered([ds.n_in, 3, 1])
    res, doc = run(net, ds, k=1, epochs=5)
    (pic,) = by_meta(doc, "pictures")
    X = ds.X
    base = X.mean(axis=0)
    n = replay_pictures.heatmap_points(net) if ds.n_in == 2 else replay_pictures.CURVE_POINTS
    axes = [np.linspace(*picture_range(base[i], X[:, i]), n) for i in range(2 if ds.n_in == 2 else 1)]
    computes = [nb.computes for nb in net.neurons]
    z = np.stack([neuron_pictures(net.with_weights(w), axes, x=base) for w in res.weight_history[0]])  # (F, ..., N)
    z = z.reshape(z.shape[0], -1, len(net.ids))[:, :, computes]  # (F, P, C)
    lo, hi = z.min(axis=(0, 1)), z.max(axis=(0, 1))
    scaled = (z - lo) / np.where(hi > lo, hi - lo, 1.0)  # (F, P, C) in [0, 1]
    xy = positions(net)
    _, _, h = replay_pictures.box(xy)
    corner_y = xy[computes][:, 1] - h / 2  # (C,)
    for frame in doc["frames"]:
        t = int(frame["name"])
        got = dict(zip(frame["traces"], frame["data"], strict=True))[pic]
        if ds.n_in == 2:
            shades = values(got["marker"]["color"]) / replay_pictures.SHADES  # one byte a cell
            np.testing.assert_allclose(shades, scaled[t].T.ravel(), atol=0.5 / replay_pictures.SHADES + 1e-9)
        else:
            y = values(got["y"]).reshape(len(corner_y), -1)[:, :-1]  # drop each curve's NaN gap
            expect = corner_y[:, None] + h * (0.08 + 0.84 * scaled[t].T)
            np.testing.assert_allclose(y, expect, atol=1e-5)


def test_pictures_follow_the_live_graphs_default_and_leave_room_on_the_right() -> None:
    net = presets.paper_network()
    _, doc = run(net, data.regression("sine", 8), k=1, epochs=2)
    assert len(by_meta(doc, "pictures")) == 1
    wide = presets.layered([1, 60, 1], bias=[False, False])  # 62 neurons, 120 edges: drawn, without pictures
    assert len(wide.neurons) > 60 and len(wide.edges) <= MAX_DRAWN_EDGES
    _, wide_doc = run(wide, data.regression("sine", 8), k=1, epochs=1)
    assert by_meta(wide_doc, "edges_positive") and not by_meta(wide_doc, "pictures")
    xaxis = next(v for k, v in doc["layout"].items() if k.startswith("xaxis") and v.get("visible") is False)
    xy = positions(net)
    assert xaxis["range"][1] >= xy[:, 0].max() + sum(replay_pictures.box(xy)[:2])
