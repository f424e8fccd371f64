"""The Training page in a real browser: train 20 restarts, see 20 curves and the best, load it, stop a long run."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from nnviz.figures.graph import format_number

SLOW = 120_000  # ms: the machine may be shared; training and its rerun can take a while


def set_number(page: object, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Tab")


def start_training(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None], restarts: int, epochs: int
) -> None:
    """Open the Training page, set the restarts and epochs, and click Train."""
    page.set_default_timeout(SLOW)
    open_app(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Training").click()
    wait_idle(page, timeout=SLOW)
    page.get_by_role("heading", name="Training").first.wait_for()
    set_number(page, "Restarts (random initial weights)", restarts)
    set_number(page, "Epochs (passes over S)", epochs)
    page.get_by_role("button", name="Train").click()


REPLAY = "Replay: watch a restart learn"
LANDSCAPE = "The slice of the loss surface"


def open_section(page: object, label: str, wait_idle: Callable[..., None]) -> None:
    """Open the Training page's expander whose label starts with ``label`` (the replay and the landscape are
    built only once opened) and wait for the page to settle."""
    page.locator("[data-testid=stExpander] summary", has_text=label).click()
    wait_idle(page, timeout=SLOW)


def test_twenty_restarts_twenty_curves_and_loading_the_best(
    page: object,
    open_app: Callable[..., object],
    wait_idle: Callable[..., None],
    assert_healthy: Callable[[object], None],
) -> None:
    start_training(page, open_app, wait_idle, restarts=20, epochs=40)
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)

    chart = page.locator("[data-testid=stPlotlyChart]", has_text="Loss during training")
    chart.wait_for()
    traces = chart.locator("g.scatterlayer g.trace")
    assert traces.count() == 2  # all restarts as one trace, and the best
    faint = traces.nth(0).locator("path.js-line")
    assert faint.count() == 20  # plotly draws one path per restart (the gaps split the trace)
    assert "restarts (20)" in chart.inner_text()
    legend = re.search(r"best: restart (\d+)", chart.inner_text())
    assert legend, chart.inner_text()
    best = int(legend.group(1))
    best_line = traces.nth(1).locator("path.js-line")
    assert best_line.count() == 1
    style = best_line.get_attribute("style")
    assert "stroke-width: 4px" in style and "230, 85, 13" in style, style  # thick and orange
    assert "stroke-width: 1px" in faint.first.get_attribute("style")

    with page.expect_download() as info:
        page.get_by_role("button", name="Network (JSON)").click()
    doc = json.loads(Path(info.value.path()).read_text())
    trained = [e["weight"] for e in doc["edges"]]
    assert len(trained) == 12

    page.get_by_role("button", name=f"Load restart {best} into the network").click()
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)
    assert page.get_by_text(f"The network now has restart {best}'s weights").count() == 1

    page.locator("[data-testid=stSidebarNav] a", has_text="Network").first.click()
    wait_idle(page, timeout=SLOW)
    page.get_by_text("Show weight values on the edges").click()
    wait_idle(page, timeout=SLOW)
    graph = page.locator("[data-testid=stMain] .nnv-live svg").first
    graph.wait_for()
    shown = graph.locator(".nnv-elabel text").all_text_contents()
    missing = [format_number(w) for w in trained if not any(t.endswith(format_number(w)) for t in shown)]
    assert not missing, f"weights of restart {best} not on the Network page: {missing}"
    defaults = ["0.80", "-0.20", "-1.20", "0.50", "1.50", "-1.00", "0.20", "0.90", "-0.30", "1.30", "-0.70", "0.10"]
    assert [format_number(w) for w in trained] != defaults


def test_a_long_run_can_be_stopped(
    page: object,
    held_app_url: tuple[str, Path],
    wait_idle: Callable[..., None],
    assert_healthy: Callable[[object], None],
) -> None:
    """A real run, held after its first chunk of epochs (so it provably cannot finish first), stops on
    Stop and keeps the epochs it had done."""
    url, _gate = held_app_url

    def open_held(page: object, query: str = "") -> object:
        page.goto(url + "/" + query)
        wait_idle(page, timeout=SLOW)
        return page

    start_training(page, open_held, wait_idle, restarts=200, epochs=4000)
    held = page.get_by_text(re.compile(r"Training: epoch ([\d,]+) of 4,000 \(held\)"))
    held.wait_for(timeout=SLOW)
    done = re.search(r"epoch ([\d,]+) of", held.inner_text()).group(1)
    assert 0 < int(done.replace(",", "")) < 4000
    page.get_by_role("button", name="Stop training").click()
    stopped = page.get_by_text(f"Stopped after {done} of 4,000 epochs.")
    stopped.wait_for(timeout=SLOW)  # the click interrupts the run; the next run stops the job
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)
    assert stopped.count() == 1
    assert page.locator("[data-testid=stPlotlyChart]", has_text="Loss during training").count() == 1


#: What the page says when its results belong to data other than the chosen data (nnviz.ui.training_widgets).
STALE = "trained on other data than the data chosen above"


def test_a_train_click_straight_after_typing_a_data_seed_trains(page, open_app, wait_idle, assert_healthy):
    """Issue 25.9: type a new Data seed, then click Train at once (the box commits its value as it loses the
    focus to the click): the click trains on the new data, every time (it was lost about one time in two)."""
    page.set_default_timeout(SLOW)
    open_app(page, path="training")
    train = page.locator("[data-testid=stFormSubmitButton] button").filter(has_text="Train").first
    train.click()
    wait_idle(page, timeout=SLOW)
    box = page.locator(".st-key-train_data_seed input")
    for seed in ("5", "7", "9", "11"):
        box.click()
        box.fill(seed)
        train.click()  # no Tab, no wait: the click itself takes the focus from the box
        wait_idle(page, timeout=SLOW)
        assert_healthy(page)
        assert box.input_value() == seed
        assert STALE not in page.locator("[data-testid=stMain]").inner_text(), f"the click after seed {seed} was lost"
