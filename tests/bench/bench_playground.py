"""Benchmark: the Training page's playground in a real browser: redraws a second, Play to first frame, Pause.

Run ``.venv/bin/python -m tests.bench.bench_playground`` from the repository root. It starts the app,
opens the Training page in headless Chromium and, for two networks (the paper's network, trained
from the sidebar on the feature x1 alone, and the playground's own 2,8,8,1 network on x1, x2),
picks the spiral, presses Play and measures in the page:

- Play to first frame: from the click on Play to the first change of the Epoch number;
- redraws a second: frames shown (each changes the Epoch number, the graph, the output and the curve) over
  4 seconds of play; and how many times the live graph was built anew meanwhile (0: updated in place);
- epochs a second, from the Epoch number;
- the browser's main-thread work per frame shown while it plays (Chromium's Performance metrics: all tasks,
  script, layout, style), the part of a frame a faster server cannot remove;
- Pause latency: from the click on Pause to the last change of the Epoch number after it
  (watched for 1.5 s after the click).

Targets (issue 23): at least 10 redraws a second, Pause within 200 ms. It is not a test (no
assertion); the numbers go into the closing report. ``watch(page)`` and ``epoch(page)`` are shared
with tests/browser/test_playground.py.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, RUNS_JS, start_server

WATCH_JS = (Path(__file__).parent / "playground_watch.js").read_text(encoding="utf-8")


def watch(page: object) -> None:
    """Start recording the Epoch number's changes, the live graph's redraws and button clicks in ``page``."""
    page.evaluate(WATCH_JS)


def epoch(page: object) -> int:
    """The Epoch number shown now."""
    return int(number(page, "Epoch").replace(",", ""))


def number(page: object, label: str) -> str:
    """The playground's number ``label`` (Epoch, Training loss, Test loss, Test accuracy) shown now."""
    return page.locator(f"[data-testid=nnvPgNumber][data-label='{label}'] .nnv-pg-value").first.inner_text()


def _idle(page: object) -> None:
    page.evaluate("window.__nnvizIdleSince = null")
    page.wait_for_function(IDLE_JS, timeout=60_000)


def _setup(page: object, url: str, paper: bool) -> None:
    page.goto(url + "/training")
    _idle(page)
    page.get_by_role("button", name="Spiral", exact=True).click()
    _idle(page)
    if paper:  # the sidebar's network (the paper's, one input) on the feature x1 alone
        page.locator(".st-key-train_pg_features").get_by_role("button", name="x2", exact=True).click()
        _idle(page)
        page.locator(".st-key-train_pg_sidebar").get_by_text("Use the sidebar's network").click()
    else:
        box = page.locator(".st-key-train_pg_hidden input")
        box.fill("8, 8")
        box.press("Enter")
    _idle(page)


_CDP = {"task": "TaskDuration", "script": "ScriptDuration", "layout": "LayoutDuration", "style": "RecalcStyleDuration"}


def _metrics(cdp: object) -> dict[str, float]:
    """Chromium's running totals (seconds of main-thread work) from the DevTools protocol."""
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def measure(page: object, url: str, paper: bool, seconds: float = 4.0) -> dict[str, float]:
    """Play, watch for ``seconds``, Pause; the numbers of the module docstring."""
    _setup(page, url, paper)
    watch(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => window.__pg.epochs.length > 0", timeout=30_000)
    before = _metrics(cdp)
    time.sleep(seconds)  # a benchmark's measuring window, not a test's wait
    after_metrics = _metrics(cdp)
    page.get_by_role("button", name="Pause", exact=True).click()
    _idle(page)  # the frames a Pause still lets through have been drawn
    w = page.evaluate("window.__pg")
    t_play, t_pause = w["clicks"]["Play"], w["clicks"]["Pause"]
    first = w["epochs"][0][0] - t_play
    frames = [t for t, _ in w["epochs"] if t <= t_pause]  # every frame trains at least one epoch
    span = (t_pause - w["epochs"][0][0]) / 1000
    after = [t for t, _ in w["epochs"] if t > t_pause]
    during = [e for t, e in w["epochs"] if t <= t_pause]
    shown = max(1, len([t for t, _ in w["epochs"] if w["epochs"][0][0] < t <= t_pause]))
    browser = {f"browser_{k}_ms_per_frame": 1e3 * (after_metrics[m] - before[m]) / shown for k, m in _CDP.items()}
    return {
        "play_to_first_frame_ms": first,
        "redraws_per_s": (len(frames) - 1) / span,
        "graph_rebuilds": len([t for t in w["graphs"] if w["epochs"][0][0] <= t <= t_pause]),
        "epochs_per_s": (during[-1] - during[0]) / span if len(during) > 1 else 0.0,
        "pause_latency_ms": (after[-1] - t_pause) if after else 0.0,
        "epochs_after_pause": len(after),
        "browser_long_tasks_share": w["busy"] / (t_pause - w["epochs"][0][0] + 1500),
        **browser,
    }


def main() -> None:
    log = Path("/tmp/nnviz_bench_playground.log")
    with start_server(log, env={"NNVIZ_PG_TIMING": "1"}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        seen = 0
        for name, paper in (("paper's network, x1", True), ("2,8,8,1, x1 x2", False)):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.add_init_script(RUNS_JS)
            page = context.new_page()
            result = measure(page, url, paper)
            frames = [line.split() for line in log.read_text().splitlines() if line.startswith("nnviz-pg-frame")]
            server = [float(f[1].split("=")[1]) + float(f[2].split("=")[1]) for f in frames[seen:]]
            seen = len(frames)
            result["server_ms_per_frame_median"] = statistics.median(server) if server else float("nan")
            print(name, {k: round(v, 1) for k, v in result.items()}, f"load average {os.getloadavg()[0]:.1f}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
