"""Benchmark: how long after its tab closes the server gives back a session's memory.

Run ``.venv/bin/python -m tests.bench.bench_session_memory`` from the repository root. It starts the
app, warms it with one session on the limit network (1,996 neurons, 48,969 edges), opens three more
such sessions, closes their tabs, and samples the server's resident memory every 10 s for up to
five minutes, then opens three new sessions and measures what they add. Streamlit keeps a closed tab's
session for ``server.disconnectedSessionTTL`` (120 s) so a reconnecting tab finds it, and drops it at a
clean-up after that; glibc keeps the freed pages for the process, so the resident memory need not shrink,
but new sessions reuse them. The README's figures come from this script. It is not a test (no assertion).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, start_server, wait_idle
from tests.browser.test_concurrency import LIMIT_SESSIONS, rss_mb, server_pid, visit_limit_network

SAMPLE_S = 10
LONGEST_S = 300


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, start_server(Path(tmp) / "server.log") as url:
        pid = server_pid(url)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            warm = browser.new_context(viewport=VIEWPORT).new_page()
            visit_limit_network(warm, url, wait_idle)
            base = rss_mb(pid)
            contexts = []
            for _ in range(LIMIT_SESSIONS):
                context = browser.new_context(viewport=VIEWPORT)
                visit_limit_network(context.new_page(), url, wait_idle)
                contexts.append(context)
            peak = rss_mb(pid)
            for context in contexts:
                context.close()
            closed = time.monotonic()
            print(f"RSS {base:.0f} MB with one session, {peak:.0f} MB with {LIMIT_SESSIONS} more; tabs closed")
            back = None
            while time.monotonic() - closed < LONGEST_S:
                time.sleep(SAMPLE_S)
                now, since = rss_mb(pid), time.monotonic() - closed
                print(f"  {since:5.0f} s after closing: {now:.0f} MB")
                if back is None and now <= base + 0.2 * (peak - base):
                    back = since
            _reopen(browser, url, pid, peak)
            browser.close()
        verdict = f"{back:.0f} s" if back is not None else f"not within {LONGEST_S} s"
        print(f"resident memory back to within 20% of the one-session level: {verdict}")


def _reopen(browser: object, url: str, pid: int, peak: float) -> None:
    """Open as many sessions again: if the closed ones were freed, they reuse that memory."""
    for _ in range(LIMIT_SESSIONS):
        context = browser.new_context(viewport=VIEWPORT)  # type: ignore[attr-defined]
        visit_limit_network(context.new_page(), url, wait_idle)
    print(f"{LIMIT_SESSIONS} new sessions after that: RSS {rss_mb(pid):.0f} MB (peak before: {peak:.0f} MB)")


if __name__ == "__main__":
    main()
