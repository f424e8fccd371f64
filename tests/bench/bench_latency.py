"""Benchmark: click-to-settled latency of common actions in headless Chromium (issue 13).

Run ``.venv/bin/python -m tests.bench.bench_latency`` from the repository root. It starts
``streamlit run app.py`` on a free port and, in Debian's chromium at 1400x900, times:

- ``sgd_step``: *Take one SGD step* on the Backpropagation page;
- ``train_2d``: switching the Training page's data to *2-D classification*;
- ``type_x``: typing a new x into the Forward pass page's exact-value box and pressing Enter.

"Settled" means: the script ran (a MutationObserver sees the app go to ``running`` after the
action) and is ``notRunning`` again, no skeleton is left, and every visible chart and table is
drawn, polled every animation frame. Wall-clock times depend on
what else the machine runs, so each action also reports the CPU it cost: CPU seconds of the
server and of all chromium processes (read from /proc; chromium's include its GPU/compositor
processes and the benchmark's own polling, so the sum overstates a little). On an idle 2-core
machine the wall-clock latency is roughly this sum (less where server and browser overlap).
Figures are medians over the repeats
(the first, cold, repeat included in "worst"). Not a test: there are no assertions; the numbers
go into the closing report.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, start_server, wait_idle

REPEATS = 5
BUSY: list[tuple[float, float]] = []  # per timed action: CPU seconds of the server and of chromium
WATCH_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__nnviz_ran = false;
  window.__nnviz_obs?.disconnect();
  window.__nnviz_obs = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__nnviz_ran = true;
  });
  window.__nnviz_obs.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
# Settled: the run the action caused is over and every visible chart and grid is drawn. (The browser
# tests' IDLE_JS also holds for 250 ms, which would be counted as latency here.)
SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!window.__nnviz_ran || !app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid=stSkeleton]')) return false;
  const drawn = (selector, part) => [...document.querySelectorAll(selector)]
    .filter((el) => el.checkVisibility()).every((el) => el.querySelector(part));
  return drawn('[data-testid=stGraphVizChart]', 'svg') && drawn('[data-testid=stPlotlyChart]', '.main-svg')
    && drawn('[data-testid=stDataFrame]', '[role=columnheader]');
}"""


def _processes() -> dict[int, tuple[int, float, bytes]]:
    """pid -> (parent pid, CPU seconds used (user + system), command line) of every process."""
    out = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            cmd = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        out[int(proc.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), cmd)
    return out


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this benchmark's streamlit server, and by its chromium (every process).

    Both are children of this process (the server via ``start_server``, the browser via
    Playwright's driver), so other people's servers and browsers on the machine are not counted.
    """
    procs = _processes()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    server = browser = 0.0
    stack = [(pid, None) for pid in children.get(os.getpid(), [])]
    while stack:
        pid, kind = stack.pop()
        _, cpu, cmd = procs[pid]
        kind = kind or ("server" if b"streamlit" in cmd else "browser")
        if kind == "server":
            server += cpu
        else:
            browser += cpu
        stack += [(c, kind) for c in children.get(pid, [])]
    return server, browser


def timed(page: object, action: object) -> float:
    """Seconds from ``action()`` until the rerun it caused has settled (CPU busy times go to BUSY)."""
    page.evaluate(WATCH_JS)
    server, browser = cpu_seconds()
    start = time.perf_counter()
    action()
    page.wait_for_function(SETTLED_JS, polling="raf", timeout=60_000)
    total = time.perf_counter() - start
    after = cpu_seconds()
    BUSY.append((after[0] - server, after[1] - browser))
    return total


def goto(page: object, url: str, title: str) -> None:
    """Open the page called ``title`` from the sidebar navigation and wait."""
    page.locator("[data-testid=stSidebarNav] a", has_text=title).click()
    wait_idle(page)


def sgd_step(page: object, url: str) -> list[float]:
    goto(page, url, "Backpropagation")
    button = page.get_by_role("button", name="Take one SGD step")
    return [timed(page, button.click) for _ in range(REPEATS + 1)]


def train_2d(page: object, url: str) -> list[float]:
    goto(page, url, "Training")
    page.get_by_role("button", name="Train").click()  # with a finished run on the page, as a learner has
    wait_idle(page)
    times = []
    for _ in range(REPEATS + 1):
        times.append(timed(page, page.get_by_text("2-D classification", exact=True).click))
        wait_idle(page)
        timed(page, page.get_by_text("1-D curve", exact=True).click)
    return times


def type_x(page: object, url: str) -> list[float]:
    goto(page, url, "Forward pass")
    box = page.get_by_label("exact value").first
    times = []
    for k in range(REPEATS + 1):
        box.fill(f"{0.25 + 0.1 * k:g}")
        times.append(timed(page, lambda: box.press("Enter")))
    return times


def main() -> None:
    """Print the median and worst seconds of each action."""
    with tempfile.TemporaryDirectory() as tmp, start_server(Path(tmp) / "server.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for name, measure in (("sgd_step", sgd_step), ("train_2d", train_2d), ("type_x", type_x)):
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            wait_idle(page)
            BUSY.clear()
            times = measure(page, url)
            each = " ".join(f"{t:.2f}" for t in times)
            busy = BUSY[-len(times) :]
            server = statistics.median(b[0] for b in busy)
            client = statistics.median(b[1] for b in busy)
            print(
                f"{name:10s} wall median {statistics.median(times):.2f} s, worst {max(times):.2f} s ({each}); "
                f"CPU median: server {server:.2f} s + chromium {client:.2f} s = {server + client:.2f} s",
                flush=True,
            )
            page.context.close()
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
