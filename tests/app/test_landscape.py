"""AppTest of the Training page's section "The loss landscape": slice, paths, planes, views, limits, hostile ids."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import Network, Neuron
from nnviz.app import landscape as model
from nnviz.ui.state import Keys
from tests.app.conftest import no_exception
from tests.app.test_training import figure, numbers, open_page, open_section, texts
from tests.app.test_training import train as trained

CHART = "landscape_chart"


def train(at, restarts: int = 5, epochs: int = 4, **more: float):
    """Train, then open the section (it is built only while open)."""
    return open_section(trained(at, restarts, epochs, **more), "landscape_open")


def paths_of(fig: dict) -> list[dict]:
    return [t for t in fig["data"] if t.get("meta") == "path"]


def restart_of(trace: dict) -> int:
    return int(numbers(trace["customdata"]).reshape(-1, 3)[0, 0])


def test_before_training_the_section_asks_for_a_run() -> None:
    at = open_page()
    assert "Train first: the landscape shows the paths" in texts(at, "info")


def test_after_training_the_slice_and_every_path_are_drawn() -> None:
    at = train(open_page(), restarts=6, epochs=8)
    job = at.session_state[Keys.TRAINING]
    fig = figure(at, CHART)
    assert fig["data"][0]["type"] == "heatmap"
    best = job.result().best
    drawn = paths_of(fig)
    assert sorted(restart_of(t) for t in drawn[:6]) == list(range(6))  # "the best" 20: all six
    assert restart_of(drawn[-1]) == best and drawn[-1]["line"]["width"] == 5  # the chosen one, bold, on top
    starts = next(t for t in fig["data"] if t.get("meta") == "start")
    np.testing.assert_array_equal(np.sort(numbers(starts["customdata"]).reshape(-1, 2)[:, 0]), np.arange(6))
    z = numbers(fig["data"][0]["z"])
    assert z.size == 101 * 101 and np.isfinite(z).all()  # log10 of the loss: the colour scale is logarithmic
    text = texts(at, "markdown")
    assert "all 12 weights: a surface in 13 dimensions" in text and "one slice" in text
    assert "the other 10 weights are held at restart" in text and "exact in w_" in text
    assert f"Load the chosen restart ({best}) into the network" in [b.label for b in at.button]


def test_the_slice_is_the_engines_loss_at_the_plane() -> None:
    at = train(open_page(), restarts=4, epochs=5)
    at.select_slider(key="train_ls_res").set_value(21).run()
    job = at.session_state[Keys.TRAINING]
    fig = figure(at, CHART)
    i, k = model.default_edges(job)
    center = job.weights[job.result().best]
    alphas, betas = numbers(fig["data"][0]["x"]), numbers(fig["data"][0]["y"])
    got = 10 ** numbers(fig["data"][0]["z"]).reshape(21, 21)
    for j, n in ((0, 0), (7, 13), (20, 20)):
        w = center.copy()
        w[i], w[k] = alphas[n], betas[j]
        expected = nnviz.loss(job.net.with_weights(w), job.data.X, job.data.Y).mean()
        assert got[j, n] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("plane", ["restarts", "random"])
@pytest.mark.parametrize("view", ["contours", "surface"])
def test_other_planes_and_views(plane: str, view: str) -> None:
    at = train(open_page(), restarts=8, epochs=5)
    at.radio(key="train_ls_plane").set_value(plane).run()
    at.segmented_control(key="train_ls_view").set_value(view).run()
    no_exception(at)
    assert not at.error
    fig = figure(at, CHART + ("_3d" if view == "surface" else ""))
    assert fig["data"][0]["type"] == {"contours": "contour", "surface": "surface"}[view]
    assert {t["type"] for t in paths_of(fig)} == {"scatter3d" if view == "surface" else "scatter"}
    if plane == "restarts" and view == "contours":  # the three restarts the plane passes through, labelled
        trio = at.multiselect(key="train_ls_trio").value
        assert [a["text"] for a in fig["layout"]["annotations"]] == [f"restart {r}" for r in trio]
    text = texts(at, "markdown")
    assert "The paths are shadows" in text
    assert ("filter normalisation" in text) == (plane == "random")
    assert ("floats above or below" in text) == (view == "surface")


def test_choosing_a_restart_highlights_it_in_the_landscape_histogram_and_table() -> None:
    at = train(open_page(), restarts=6, epochs=5)
    best = at.session_state[Keys.TRAINING].result().best
    other = (best + 1) % 6
    at.number_input(key="train_chosen_1").set_value(other).run()
    no_exception(at)
    assert restart_of(paths_of(figure(at, CHART))[-1]) == other
    hist = figure(at, "train_hist")
    assert any(a.get("text") == f"restart {other}" for a in hist["layout"]["annotations"])
    table = next(d for d in at.dataframe if "final loss" in d.value.columns)
    row = list(table.value["restart"]).index(other)
    styles = table.proto.arrow_data.styler.styles  # CSS of the shaded cells: the chosen row's only
    assert f"row{row}_col0" in styles and "background-color" in styles and styles.count("_col0") == 1
    assert f"Load the chosen restart ({other}) into the network" in [b.label for b in at.button]


def test_worst_and_random_restarts_and_a_plane_of_fewer_than_three() -> None:
    at = train(open_page(), restarts=10, epochs=4)
    job = at.session_state[Keys.TRAINING]
    at.selectbox(key="train_ls_which").set_value("worst").run()
    at.slider(key="train_ls_count").set_value(3).run()
    worst = set(np.argsort(job.result().final_loss)[-3:].tolist())
    assert {restart_of(t) for t in paths_of(figure(at, CHART))[:3]} == worst
    at.radio(key="train_ls_plane").set_value("restarts").run()
    at.multiselect(key="train_ls_trio").set_value([0, 1]).run()
    no_exception(at)
    assert "choose exactly three restarts" in texts(at, "error")


def test_big_slices_lower_the_resolution_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "SECONDS_PER_UNIT", 2e-6)  # as if each weight vector cost 1,000 times more
    at = train(open_page(), restarts=3, epochs=3)
    assert "The resolution is lowered from 101 to" in texts(at, "info")
    z = numbers(figure(at, CHART)["data"][0]["z"])
    assert z.size < 101 * 101


def test_a_slice_too_slow_even_when_coarse_waits_for_a_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "SECONDS_PER_UNIT", 1e-3)
    at = train(open_page(), restarts=3, epochs=3)
    assert "Even a 5 x 5 slice of this network" in texts(at, "warning")
    assert not [c for c in at.get("plotly_chart") if c.proto.id and CHART in c.proto.id]
    next(b for b in at.button if b.label.startswith("Draw it anyway")).click().run()
    no_exception(at)
    assert numbers(figure(at, CHART)["data"][0]["z"]).size == 25


def test_long_runs_draw_fewer_paths_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "REPLAY_UNITS", 32 * 4 * 21 * 3)  # three paths: 32 points x 4 epochs x (12 + 9)
    at = train(open_page(), restarts=8, epochs=4)
    assert "Drawing 3 of the 8 paths asked for" in texts(at, "info")
    assert len(paths_of(figure(at, CHART))) <= 4  # three, and the chosen one


def test_boolean_and_classification_data_draw_a_landscape() -> None:
    for source in ("boolean", "classification"):
        at = open_page({"source": source})
        next(b for b in at.button if b.label.startswith("Adapt the network")).click().run()
        train(at, restarts=4, epochs=3)
        assert figure(at, CHART)["data"][0]["type"] == "heatmap"
        assert not at.error


def test_hostile_neuron_ids_are_shown_literally() -> None:
    evil = "<img src=x onerror=alert(1)>"
    net = Network(
        [
            Neuron("x", "input"),
            Neuron("b", "bias"),
            Neuron(evil, "hidden", "tanh"),
            Neuron("$y$", "output", "identity"),
        ],
        [("x", evil), ("b", evil), (evil, "$y$"), ("b", "$y$")],
        [0.5, -0.2, 1.0, 0.1],
    )
    at = open_page()
    at.session_state[Keys.NETWORK] = net
    at.run()
    train(at, restarts=4, epochs=3)
    at.selectbox(key="train_ls_w1").set_value(0).run()
    at.selectbox(key="train_ls_w2").set_value(2).run()
    fig = figure(at, CHART)
    assert (
        "&lt;img" in fig["layout"]["xaxis"]["title"]["text"] and "<img" not in fig["layout"]["xaxis"]["title"]["text"]
    )
    assert "&#36;y&#36;" in fig["layout"]["yaxis"]["title"]["text"]
    raw = texts(at, "markdown", raw=True)
    assert "\\<img" in raw and "\\$y\\$" in raw
