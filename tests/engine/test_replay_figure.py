"""The replay: its fit-and-loss figure (a frame per epoch: forward() of its weights) and its live graph."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

import nnviz
from nnviz import data, presets
from nnviz.app.live_replay import SHADES, replay_graph
from nnviz.figures import replay_fit
from nnviz.figures.replay import replay_figure
from nnviz.figures.replay_fit import fit_grid, fit_kind, output_range
from nnviz.network import Network, Neuron
from nnviz.pictures import picture_range


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
            if fit_kind(ds) == "plane":  # one byte a cell over the colour range [0, 1] of ±0/1 labels
                shade = values(got["marker"]["color"]) / replay_fit.SHADES
                np.testing.assert_allclose(shade, np.clip(expect, 0, 1), atol=0.5 / replay_fit.SHADES + 1e-9)
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
    assert evil not in text and "$x$<b>" not in text  # the figure names no neuron (the live graph draws them)
    assert "&#36;x&#36;&lt;b&gt;" in text


def test_output_range_covers_wild_early_frames_but_not_without_bound() -> None:
    ds = data.regression("sine", 8)  # targets in [-1, 1]
    lo, hi = output_range(ds, np.array([[0.0, 3.0], [0.5, 0.2]]))
    assert lo < -1 and hi > 3
    lo, hi = output_range(ds, np.array([[0.0, 1e6]]))
    assert hi < 6


def _bytes(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.uint8).astype(float)


@pytest.mark.parametrize("ds", [data.regression("sine", 12), data.classification("xor", 40)], ids=["curve", "plane"])
def test_the_live_graph_of_a_replay_holds_each_epochs_weights_and_pictures(ds: data.Dataset) -> None:
    net = presets.layered([ds.n_in, 3, 1])
    res = nnviz.restarts(net, ds.X, ds.Y, restarts=1, seed=1, step_size=0.2, epochs=6, record="all")
    hist = res.weight_history[0]  # (F, E)
    g = replay_graph(net, hist, np.arange(7), ds.X, follow="replay_one")
    assert g["mode"] == "structure" and len(g["frames"]) == 7 and g["replay"]["follow"] == "replay_one"
    sent = np.frombuffer(base64.b64decode(g["replay"]["weights"]), dtype=np.float32).reshape(7, len(net.edges))
    np.testing.assert_allclose(sent, hist, rtol=1e-6, atol=1e-7)
    pics = g["replay"]["pictures"]
    assert pics["frame_of"] == list(range(7))
    k = net.index[net.ids[-1]]  # the output neuron
    for t in (0, 6):
        if pics["kind"] == "curve":
            grid = np.linspace(*picture_range(float(ds.X.mean()), ds.X[:, 0]), pics["n"])
            z = nnviz.forward(net.with_weights(hist[t]), grid[:, None]).output[:, 0]
            q = _bytes(pics["curves"][k]).reshape(7, -1)[t]
            lo, hi = pics["lo"][k][t], pics["hi"][k][t]
            np.testing.assert_allclose(lo + q / SHADES * (hi - lo), z, atol=(hi - lo) / SHADES)
        else:
            (a0, a1), (b0, b1) = pics["range"]
            m0, m1 = np.meshgrid(np.linspace(a0, a1, pics["n"]), np.linspace(b0, b1, pics["n"])[::-1])
            z = nnviz.forward(net.with_weights(hist[t]), np.column_stack([m0.ravel(), m1.ravel()])).output[:, 0]
            lo, hi = pics["scale"]
            q = _bytes(pics["cells"][k]).reshape(7, -1)[t]
            np.testing.assert_allclose(lo + q / SHADES * (hi - lo), z, atol=(hi - lo) / SHADES)
    assert pics[{"curve": "curves", "heatmap": "cells"}[pics["kind"]]][net.index[net.ids[0]]] is None  # an input


def test_a_long_replay_gives_fewer_epochs_their_own_pictures() -> None:
    net = presets.layered([2, 8, 8, 1])
    w = np.random.default_rng(0).normal(size=(201, len(net.edges)))  # (F, E)
    w[150:] = np.nan  # diverged: sent as NaN, pictures blank
    g = replay_graph(net, w, np.arange(201), np.random.default_rng(1).normal(size=(50, 2)))
    own = sorted(set(g["replay"]["pictures"]["frame_of"]))
    assert 2 <= len(own) < 201 and own[0] == 0 and g["replay"]["pictures"]["frame_of"][-1] == own[-1]
    last = _bytes(g["replay"]["pictures"]["cells"][net.index[net.ids[-1]]]).reshape(len(own), -1)[-1]
    assert (last == 255).all()


def test_one_restart_beside_its_graph_stacks_its_fit_above_its_loss() -> None:
    net, ds = presets.paper_network(), data.regression("sine", 8)
    res = nnviz.restarts(net, ds.X, ds.Y, restarts=1, seed=1, step_size=0.2, epochs=3, record="all")
    fig = replay_figure(net, ds, res.weight_history, np.arange(4), res.loss_history, ["r"], stacked=True)
    doc = json.loads(fig.to_json())
    fit, marker = by_meta(doc, "fit")[0], by_meta(doc, "loss_marker")[0]
    assert doc["data"][fit].get("xaxis", "x") == "x" and doc["data"][marker]["xaxis"] == "x2"
    assert doc["layout"]["xaxis2"]["domain"] == doc["layout"]["xaxis"]["domain"]  # one column
    assert doc["layout"]["yaxis2"]["domain"][1] < doc["layout"]["yaxis"]["domain"][0]  # the loss below the fit


def test_the_fit_charts_title_is_short_lines_and_its_legend_sits_below_the_plot() -> None:
    from nnviz.figures.fit import fit_curve

    net, ds = presets.paper_network(), data.regression("sine", 8)
    doc = json.loads(fit_curve(net, ds, before=net).to_json())["layout"]
    lines = doc["title"]["text"].split("<br>")
    assert max(len(v) for v in lines) <= 24, lines  # fits a 300 px column (issue 25.10: it was clipped)
    assert doc["legend"]["y"] < 0 and doc["legend"]["yanchor"] == "top"  # below, not on the title's line
