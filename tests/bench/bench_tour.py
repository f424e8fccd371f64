"""Benchmark: how long each step of the shipped tour takes to arrive, in headless chromium at 1280x720.

Run ``.venv/bin/python -m tests.bench.bench_tour`` from the repository root. It starts ``streamlit run
app.py`` on a free port, opens ``?tour=paper&step=1`` and presses PageDown (what a presentation clicker
sends) through every step of "The paper in one talk", then times step 1 too (PageUp from step 2); on
steps that walk an animation, the presses that step a frame are timed too but reported apart. Each
press is timed from the key press to the page settled: every script run the page asked for has
finished (``window.__nnvizRuns`` from RUNS_JS in tests/browser/conftest.py), the app is
``notRunning``, no skeleton is left and every visible chart and grid is drawn (no 250 ms hold, unlike
the tests' ``wait_idle``). It prints the time per step, their median and maximum, and the load
average (the machine is shared: note it beside the figures).

Target (issue 16): each arrival within 2 s on a 2-core machine. Not a test: no assertions.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from nnviz.app import tours
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, RUNS_JS, start_server, wait_idle

TARGET_S = 2.0
IDLE_MS = 180_000  # a cold server on a busy machine can take long for the first page
SETTLE_LIMIT_MS = 120_000

#: In-page, before the key press: remember the run counter and the time.
MARK_JS = "() => { window.__benchSeq = window.__nnvizRuns.seq; window.__benchT0 = performance.now(); }"
#: In-page, after it: resolve ms from the mark until the runs it asked for are done and the page is drawn.
SETTLED_JS = """async (limit) => {
  const app = document.querySelector('[data-testid=stApp]');
  const runs = window.__nnvizRuns, seq0 = window.__benchSeq, t0 = window.__benchT0;
  const drawn = (selector, part) => [...document.querySelectorAll(selector)]
    .filter((el) => el.checkVisibility()).every((el) => el.querySelector(part));
  const settled = () => runs.done > seq0 && runs.done > runs.asked
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid=stSkeleton]')
    && drawn('[data-testid=stGraphVizChart]', 'svg') && drawn('[data-testid=stPlotlyChart]', '.main-svg')
    && drawn('[data-testid=stDataFrame]', '[role=columnheader]');
  while (!settled()) {
    if (performance.now() - t0 > limit) return null;
    await new Promise((ok) => requestAnimationFrame(ok));
  }
  return performance.now() - t0;
}"""


def _bar(page: Page) -> str:
    return page.locator(".st-key-tbar").inner_text()


def _press(page: Page, key: str = "PageDown") -> float | None:
    """``key`` (PageDown or PageUp), timed to settled (None if it never settled within the limit)."""
    page.evaluate(MARK_JS)
    page.keyboard.press(key)  # a real key press, as a clicker sends it
    ms = page.evaluate(SETTLED_JS, SETTLE_LIMIT_MS)
    wait_idle(page, IDLE_MS)  # and hold quiet before the next press
    return None if ms is None else ms / 1000


def walk(page: Page, url: str) -> tuple[list[tuple[int, str, float | None]], list[float]]:
    """Arrival times (step number, title, seconds) and the animation frames' times."""
    paper = tours.builtin("paper")
    page.goto(url + "/?tour=paper&step=1")
    page.wait_for_selector(".st-key-tbar")
    wait_idle(page, IDLE_MS)
    arrivals, frames = [], []
    for k, step in enumerate(paper.steps[:-1]):
        if step.frame is not None:
            for _ in range(step.scene.step, step.frame):
                frames.append(_press(page) or float("nan"))
        arrivals.append((k + 2, paper.steps[k + 1].title, _press(page)))
        if f"Step {k + 2} of" not in _bar(page):
            raise RuntimeError(f"PageDown did not reach step {k + 2}: {_bar(page)!r}")
    return arrivals, frames


def back_to_first(page: Page, url: str) -> float | None:
    """Step 1's arrival (the Network page): PageUp from step 2, opened by its link."""
    page.goto(url + "/?tour=paper&step=2")
    page.wait_for_selector(".st-key-tbar")
    wait_idle(page, IDLE_MS)
    s = _press(page, "PageUp")
    if "Step 1 of" not in _bar(page):
        raise RuntimeError(f"PageUp did not reach step 1: {_bar(page)!r}")
    return s


def main() -> None:
    """Print the per-step arrival times, their median and maximum, and the load average."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp, start_server(Path(tmp) / "server.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.add_init_script(RUNS_JS)
        page = context.new_page()
        arrivals, frames = walk(page, url)
        arrivals.insert(0, (1, tours.builtin("paper").steps[0].title + " (PageUp from 2)", back_to_first(page, url)))
        browser.close()
    load_after = os.getloadavg()
    for number, title, s in arrivals:
        shown = "did not settle" if s is None else f"{s:5.2f} s" + ("  OVER" if s > TARGET_S else "")
        print(f"step {number:2d} {title[:48]:48s} {shown}")
    times = [s for _, _, s in arrivals if s is not None]
    print(
        f"arrivals: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
        f"({sum(s > TARGET_S for s in times)} over the {TARGET_S:g} s target; {len(arrivals) - len(times)} unsettled)"
    )
    if frames:
        median, worst = statistics.median(frames), max(frames)
        print(f"animation frames ({len(frames)} presses): median {median:.2f} s, max {worst:.2f} s")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min); {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
