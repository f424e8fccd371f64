"""Benchmark: how long the Training page's replay takes to settle after a scrub, in a real browser.

Run ``.venv/bin/python -m tests.bench.bench_replay`` from the repository root. It starts the app,
trains 20 restarts for 300 epochs (the replay shows 201 of them) on the paper's network with
the sine curve, and on a 2,8,8,1 network with the 2-D circle classification, and presses the
replay sliders at random places. Settling = from the mouse press on the slider to the end of
the first animation frame painted after plotly's ``plotly_animated`` event. Target: 150 ms.
It also prints the time the page took to train and build the replays (Train, then opening the replay:
it is built only once opened).

With ``--open`` it measures instead how long the replay and the loss landscape sections take to open:
from the press on the expander to the settled page (the script idle and every chart drawn), on the
page's default training (100 restarts, 100 epochs), first opening and cached re-openings. Goal: 500 ms.

It is not a test (no assertion); the numbers go into the closing report.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, RUNS_JS, start_server

SCRUBS = 15
ARM_JS = """(el) => {
  const gd = el.querySelector('.js-plotly-plot');
  window.__settle = [];
  el.addEventListener('mousedown', () => { window.__t0 = performance.now(); }, {capture: true});
  gd.on('plotly_animated', () => requestAnimationFrame(() => requestAnimationFrame(() => {
    window.__settle.push(performance.now() - window.__t0);
  })));
}"""

OPEN_REPEATS = 3
ARM_CLICK_JS = """() => {
  window.__t0 = null;
  window.__asked0 = window.__nnvizRuns.asked;
  window.__nnvizIdleSince = null;
  document.addEventListener('mousedown', () => { window.__t0 = performance.now(); },
                            {capture: true, once: true});
}"""
SECTIONS = (
    ("replay", "Replay: watch a restart learn"),
    ("landscape", "The slice of the loss surface"),
)


def _toggle(page: object, title: str) -> float:
    """Click the expander titled ``title``; ms from the press to the settled page (idle, charts drawn)."""
    page.evaluate(ARM_CLICK_JS)
    page.locator("[data-testid=stExpander] summary", has_text=title).click()
    page.wait_for_function("() => window.__nnvizRuns.asked > window.__asked0", timeout=180_000)
    page.wait_for_function(IDLE_JS, timeout=180_000)
    return float(page.evaluate("() => window.__nnvizIdleSince - window.__t0"))


def open_times(page: object) -> dict[str, list[float]]:
    """Open (and close again) the replay and the landscape sections ``OPEN_REPEATS`` times each: ms to settle.

    The first opening re-trains the replayed restarts (or replays the paths); later ones hit the session's
    cache, as a learner who opens a section a second time would.
    """
    out: dict[str, list[float]] = {}
    for name, title in SECTIONS:
        times = []
        for _ in range(OPEN_REPEATS):
            times.append(_toggle(page, title))
            _toggle(page, title)  # close it again
        out[name] = times
    return out


def _set_number(page: object, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Tab")


def _scrubs(page: object, key: str, rng: np.random.Generator) -> list[float]:
    chart = page.locator(f".st-key-{key} [data-testid=stPlotlyChart]")
    chart.scroll_into_view_if_needed()
    chart.evaluate(ARM_JS)
    rail = chart.locator(".slider-rail-touch-rect")
    rail.scroll_into_view_if_needed()  # a tall figure's slider can be below the window
    box = rail.bounding_box()
    last = 0.0  # the slider starts at the first frame; a press on the current frame animates nothing
    for i in range(SCRUBS):
        frac = last
        while abs(frac - last) < 0.03:
            frac = float(rng.uniform(0.02, 0.98))
        last = frac
        x = box["x"] + box["width"] * frac
        page.mouse.click(x, box["y"] + box["height"] / 2)  # a real press, on the rail or the grip
        page.wait_for_function(f"() => window.__settle.length > {i}", timeout=60_000)
    return page.evaluate("() => window.__settle")


CASES = [  # (label, query, data source to click or None)
    ("paper network, sine", "", None),
    ("2,8,8,1, circle", "?preset=layered&sizes=2,8,8,1", "2-D classification"),
]


def _training_page(page: object, url: str, query: str, source: str | None) -> None:
    """Open the Training page of ``query``'s network and choose the data ``source``, waiting for each run."""
    page.set_default_timeout(180_000)
    page.goto(url + "/training" + query)
    page.wait_for_function(IDLE_JS, timeout=180_000)
    if source:
        page.get_by_text(source, exact=True).click()
        page.wait_for_function(IDLE_JS, timeout=180_000)


def main_open() -> None:
    """Print the time to open the replay and the landscape after a default training, per case."""
    with start_server(Path("/tmp/nnviz_bench_open.log")) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, query, source in CASES:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.add_init_script(RUNS_JS)
            page = context.new_page()
            _training_page(page, url, query, source)
            page.get_by_role("button", name="Train").click()
            page.wait_for_function(IDLE_JS, timeout=180_000)
            for name, ms in open_times(page).items():
                print(f"{label}: open {name}: first {ms[0]:.0f} ms, then " + ", ".join(f"{v:.0f}" for v in ms[1:])
                      + " ms; goal 500 ms")  # fmt: skip
            context.close()
        browser.close()


def main() -> None:
    """Print the median and worst settling time of each replay figure."""
    rng = np.random.default_rng(0)
    with start_server(Path("/tmp/nnviz_bench_replay.log")) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, query, source in CASES:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            _training_page(page, url, query, source)
            _set_number(page, "Restarts (random initial weights)", 20)
            _set_number(page, "Epochs (passes over S)", 300)
            start = time.perf_counter()
            page.get_by_role("button", name="Train").click()
            page.wait_for_function(IDLE_JS, timeout=180_000)
            page.locator("[data-testid=stExpander] summary", has_text="Replay: watch a restart learn").click()
            page.locator(".st-key-replay_one .slider-rail-touch-rect").wait_for(timeout=180_000)
            page.wait_for_function(IDLE_JS, timeout=180_000)
            built = time.perf_counter() - start
            print(f"{label}: train + build the replay {built:.1f} s")
            for key in ("replay_one", "replay_pair"):
                if key == "replay_pair":  # only the chosen tab is built
                    page.get_by_role("tab", name="Two restarts side by side").click()
                    page.locator(".st-key-replay_pair .slider-rail-touch-rect").wait_for(timeout=180_000)
                    page.wait_for_function(IDLE_JS, timeout=180_000)
                ms = _scrubs(page, key, rng)
                print(f"  {key}: settle median {statistics.median(ms):.0f} ms, worst {max(ms):.0f} ms "
                      f"over {len(ms)} scrubs (201 frames); target 150 ms")  # fmt: skip
            page.close()
        browser.close()


if __name__ == "__main__":
    main_open() if "--open" in sys.argv else main()
