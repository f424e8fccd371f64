"""The Training page's replay in a real browser: scrub, play, two restarts in step, live curves while training.

Every wait is for a condition (a slider label, a chart's data, a title), never for a time; the live test
paces a real run with the server's hold file (``NNVIZ_HOLD_TRAINING_WHILE``), so no machine is too fast for it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

import nnviz
from nnviz import presets
from nnviz.app.trainjob import CHUNK_STEPS
from nnviz.figures.replay_fit import GRID_1D
from tests.browser.test_training import REPLAY, SLOW, open_section, start_training

#: The figure's data as the browser draws it now (after any frame): each trace's meta and (decoded) arrays.
TRACES_JS = """(el) => {
  const gd = el.querySelector('.js-plotly-plot');
  const arr = (v) => (v == null ? null : Array.from(v, (u) => (u == null ? NaN : Number(u))));
  return gd._fullData.map((t) => ({meta: t.meta || null, x: arr(t.x), y: arr(t.y), name: t.name || null}));
}"""
EPOCH_JS = "(el) => (el.querySelector('.slider-group > text.slider-label') || {}).textContent || ''"


def replay_chart(page: object, key: str) -> object:
    chart = page.locator(f".st-key-{key} [data-testid=stPlotlyChart]")
    chart.locator(".slider-rail-touch-rect").wait_for()
    return chart


def shown_epoch(chart: object) -> int:
    text = chart.evaluate(EPOCH_JS)
    match = re.fullmatch(r"epoch (\d+)", text.strip())
    assert match, text
    return int(match.group(1))


def wait_epoch_change(chart: object, before: int) -> int:
    chart.page.wait_for_function(
        "([el, before]) => { const t = (el.querySelector('.slider-group > text.slider-label') || {}).textContent || '';"
        " return /^epoch \\d+$/.test(t.trim()) && t.trim() !== 'epoch ' + before; }",
        arg=[chart.element_handle(), before],
        timeout=SLOW,
    )
    return shown_epoch(chart)


def scrub(chart: object, fraction: float) -> None:
    """Press the slider's rail at ``fraction`` of its length (what a learner's click or drag does)."""
    rail = chart.locator(".slider-rail-touch-rect")
    box = rail.bounding_box()
    rail.click(position={"x": box["width"] * fraction, "y": box["height"] / 2}, timeout=20_000)


def download_history(page: object, tag: str) -> list[list[str]]:
    with page.expect_download() as info:
        page.locator(f".st-key-train_dl_wh_csv_{tag} button").first.click()
    return list(csv.reader(io.StringIO(Path(info.value.path()).read_text())))


def weights_at(rows: list[list[str]], restart: int, epoch: int) -> np.ndarray:
    for row in rows[1:]:
        if int(row[0]) == restart and int(row[1]) == epoch:
            return np.array(row[2:], dtype=float)
    raise AssertionError(f"no row for restart {restart}, epoch {epoch}")


#: What the replay's live graph shows now: its epoch, edge 0's label and colour, and neuron 3's picture.
GRAPH_JS = """(root) => ({
  epoch: root.dataset.epoch,
  label: root.querySelector('.nnv-elabel[data-edge="0"] text').textContent,
  stroke: root.querySelector('.nnv-edge[data-edge="0"] .nnv-line').getAttribute('stroke'),
  width: Number(root.querySelector('.nnv-edge[data-edge="0"] .nnv-line').getAttribute('stroke-width')),
  picture: root.querySelector('.nnv-neuron[data-id="3"] .nnv-pic polyline').getAttribute('points'),
  shown: root.textContent.includes('Epoch'),
})"""
SIGN = {True: "#2b6cb0", False: "#c0392b"}  # the live graph's positive and negative weights (paper palette)


def graph_at(page: object, epoch: int) -> dict:
    """The replay's live graph once it shows ``epoch`` (it follows the chart's slider)."""
    root = page.locator(".st-key-replay_graph_one [data-testid=nnvLiveGraph]")
    page.wait_for_function(f"(el) => el.dataset.epoch === '{epoch}'", arg=root.element_handle(), timeout=SLOW)
    return root.evaluate(GRAPH_JS)


def fit_trace(chart: object) -> dict:
    fit = next(t for t in chart.evaluate(TRACES_JS) if t["meta"] == "fit")
    assert len(fit["x"]) == len(fit["y"]) == GRID_1D, fit
    return fit


def test_scrubbing_draws_that_epochs_fit_and_play_runs_to_the_end(
    page: object,
    open_app: Callable[..., object],
    wait_idle: Callable[..., None],
    assert_healthy: Callable[[object], None],
) -> None:
    start_training(page, open_app, wait_idle, restarts=20, epochs=40)
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)
    open_section(page, REPLAY, wait_idle)
    chart = replay_chart(page, "replay_one")
    assert shown_epoch(chart) == 0
    best = int(re.search(r"the best is (\d+)", page.get_by_text("Restart to replay").inner_text()).group(1))
    assert f"restart {best} (best): the fit" in chart.inner_text()
    rows = download_history(page, "one")
    assert rows[0][:4] == ["restart", "epoch", "w_1,3", "w_2,3"] and len(rows) == 1 + 41

    net = presets.paper_network()
    pictures = [graph_at(page, 0)["picture"]]
    for fraction in (0.37, 0.81):
        before = shown_epoch(chart)
        scrub(chart, fraction)
        epoch = wait_epoch_change(chart, before)
        assert abs(epoch - round(40 * fraction)) <= 1, epoch
        fit = fit_trace(chart)
        grid = np.array(fit["x"])
        expect = nnviz.forward(net.with_weights(weights_at(rows, best, epoch)), grid[:, None]).output[:, 0]
        np.testing.assert_allclose(fit["y"], expect, rtol=1e-5, atol=1e-5)
        marker = next(t for t in chart.evaluate(TRACES_JS) if t["meta"] == "loss_marker")
        assert marker["x"] == [epoch]
        graph = graph_at(page, epoch)  # the network beside the fit is the live graph, at the same epoch
        w13 = weights_at(rows, best, epoch)[0]  # the engine's weight history (w_1,3 is edge 0)
        name, value = graph["label"].split(" = ")
        assert name == "w₁,₃" and abs(float(value) - w13) <= 0.0051, (graph["label"], w13)
        assert graph["stroke"] == SIGN[w13 >= 0]
        pictures.append(graph["picture"])
    assert len(set(pictures)) == 3, "neuron 3's picture changes with the weights"

    before = shown_epoch(chart)
    scrub(chart, 0.0)
    assert wait_epoch_change(chart, before) == 0
    chart.locator("g.updatemenu-button text", has_text="Play").click(timeout=20_000)
    page.wait_for_function(f"(el) => ({EPOCH_JS})(el).trim() === 'epoch 40'", arg=chart.element_handle(), timeout=SLOW)
    final = nnviz.forward(net.with_weights(weights_at(rows, best, 40)), np.array(fit_trace(chart)["x"])[:, None])
    np.testing.assert_allclose(fit_trace(chart)["y"], final.output[:, 0], rtol=1e-5, atol=1e-5)
    assert_healthy(page)


def test_two_restarts_side_by_side_move_in_step(
    page: object,
    open_app: Callable[..., object],
    wait_idle: Callable[..., None],
    assert_healthy: Callable[[object], None],
) -> None:
    start_training(page, open_app, wait_idle, restarts=20, epochs=30)
    wait_idle(page, timeout=SLOW)
    open_section(page, REPLAY, wait_idle)
    page.get_by_role("tab", name="Two restarts side by side").click()  # only the chosen tab is built
    wait_idle(page, timeout=SLOW)
    chart = replay_chart(page, "replay_pair")
    titles = re.findall(r"restart (\d+)(?: \(best\))?: the fit", chart.inner_text())
    assert len(titles) == 2 and titles[0] != titles[1], titles
    a, b = map(int, titles)
    sentence = page.get_by_text("Same data, same network, same step size and epochs; only the start differs")
    assert sentence.count() == 1
    assert f"Restart {a} ends at" in sentence.inner_text() and f"restart {b} ends at" in sentence.inner_text()
    rows = download_history(page, "pair")
    assert {int(r[0]) for r in rows[1:]} == {a, b}

    scrub(chart, 0.5)
    epoch = wait_epoch_change(chart, 0)
    fits = [t for t in chart.evaluate(TRACES_JS) if t["meta"] == "fit"]
    assert [len(f["y"]) for f in fits] == [GRID_1D, GRID_1D]
    markers = [t for t in chart.evaluate(TRACES_JS) if t["meta"] == "loss_marker"]
    assert [m["x"] for m in markers] == [[epoch], [epoch]]  # one scrubber, both rows at the same epoch
    net = presets.paper_network()
    for fit, r in zip(fits, (a, b), strict=True):
        expect = nnviz.forward(net.with_weights(weights_at(rows, r, epoch)), np.array(fit["x"])[:, None])
        np.testing.assert_allclose(fit["y"], expect.output[:, 0], rtol=1e-5, atol=1e-5)
    assert not np.allclose(fits[0]["y"], fits[1]["y"])

    page.get_by_role("button", name=f"Load restart {b}", exact=True).click()
    page.get_by_text(f"Restart {b} is loaded: the network has its final weights").wait_for(timeout=SLOW)
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)
    assert page.get_by_text(f"Restart {b} is loaded: the network has its final weights").count() == 1


def live_state(page: object, epochs: int | None = None) -> tuple[int, int, int]:
    """(epochs in the progress bar's "held" text, epochs in the live chart's title, points of its best curve),
    once the run is held (at ``epochs``, when given: an earlier hold's text may still be on screen)."""
    number = r"[\d,]+" if epochs is None else f"{epochs:,}"
    held = page.get_by_text(re.compile(rf"Training: epoch ({number}) of 4,000 \(held\)"))
    held.wait_for(timeout=SLOW)
    bar = int(re.search(r"epoch ([\d,]+) of", held.inner_text()).group(1).replace(",", ""))
    live = page.locator("[data-testid=stPlotlyChart]", has_text="Live: loss after epoch")
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].some((el) =>"
        " el.textContent.replace(/\\s+/g, ' ').includes('Live: loss after epoch ' + n + ' of 4,000'))",
        arg=f"{bar:,}",
        timeout=SLOW,
    )
    title = re.search(r"Live: loss after epoch ([\d,]+)", live.inner_text().replace("\xa0", " "))
    best = next(t for t in live.evaluate(TRACES_JS) if t["meta"] == "best")
    return bar, int(title.group(1).replace(",", "")), len(best["x"])


def test_live_curves_grow_while_a_run_trains_and_stop_keeps_them(
    page: object,
    held_app_url: tuple[str, Path],
    wait_idle: Callable[..., None],
    assert_healthy: Callable[[object], None],
) -> None:
    """A real run of 200 restarts x 32 points x 4,000 epochs in chunks of 156 epochs, paced by the test: held
    after its first chunk, then let on past two more chunks' worth of epochs (held again after the third).
    Each time the live chart shows exactly the epochs done, and the best restart's curve one point per epoch."""
    url, gate = held_app_url

    def open_held(page: object, query: str = "") -> object:
        page.goto(url + "/" + query)
        wait_idle(page, timeout=SLOW)
        return page

    start_training(page, open_held, wait_idle, restarts=200, epochs=4000)
    points = int(re.search(r"([\d,]+) training points", page.locator("[data-testid=stMain]").inner_text()).group(1))
    chunk = CHUNK_STEPS // (200 * points)  # 156 for the default 32 points
    first = live_state(page)
    assert first == (chunk, chunk, chunk + 1)
    assert page.locator("[data-testid=stPlotlyChart]", has_text="Best restart so far").count() == 1
    gate.write_text(str(2 * chunk + 1))  # go on past two chunks, then hold again
    later = live_state(page, 3 * chunk)
    assert later == (3 * chunk, 3 * chunk, 3 * chunk + 1)  # the curves grew by two chunks

    page.get_by_role("button", name="Stop training").click()
    page.get_by_text(f"Stopped after {3 * chunk:,} of 4,000 epochs.").wait_for(timeout=SLOW)
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)
    assert page.locator("[data-testid=stPlotlyChart]", has_text="Live: loss").count() == 0
    open_section(page, REPLAY, wait_idle)
    chart = replay_chart(page, "replay_one")
    names = chart.evaluate("(el) => el.querySelector('.js-plotly-plot').layout.sliders[0].steps.map((s) => s.label)")
    assert names[0] == "0" and names[-1] == str(3 * chunk) and len(names) == min(201, 3 * chunk + 1)


def test_on_the_plane_the_neurons_heatmaps_follow_the_slider(
    page: object,
    open_app: Callable[..., object],
    wait_idle: Callable[..., None],
    assert_healthy: Callable[[object], None],
) -> None:
    page.set_default_timeout(SLOW)
    open_app(page, "?preset=layered&sizes=2,3,1")
    page.locator("[data-testid=stSidebarNav] a", has_text="Training").click()
    wait_idle(page, timeout=SLOW)
    page.get_by_text("2-D classification", exact=True).click()
    wait_idle(page, timeout=SLOW)
    page.get_by_role("button", name="Train").click()
    wait_idle(page, timeout=SLOW)
    open_section(page, REPLAY, wait_idle)
    chart = replay_chart(page, "replay_one")
    root = page.locator(".st-key-replay_graph_one [data-testid=nnvLiveGraph]")
    picture = "(el) => el.querySelector('.nnv-neuron[data-id=\"4\"] .nnv-pic image').getAttribute('href')"
    page.wait_for_function("(el) => el.dataset.epoch === '0'", arg=root.element_handle(), timeout=SLOW)
    first = root.evaluate(picture)
    scrub(chart, 0.9)
    epoch = wait_epoch_change(chart, 0)
    page.wait_for_function(f"(el) => el.dataset.epoch === '{epoch}'", arg=root.element_handle(), timeout=SLOW)
    assert root.evaluate(picture) != first, "a hidden neuron's heatmap changes with the weights"
    assert_healthy(page)
