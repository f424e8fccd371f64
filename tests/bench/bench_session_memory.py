"""Benchmark: whether the server gives a closed tab's session memory back to later sessions, and when.

Run ``.venv/bin/python -m tests.bench.bench_session_memory`` from the repository root. It starts the
app, warms it with one session on the limit network (1,996 neurons, 48,969 edges), opens three more
such sessions and closes their tabs. Streamlit keeps a closed tab's session for
``server.disconnectedSessionTTL`` (120 s) so that a reconnecting tab finds it, and drops it the next
time its session store is used after that (a tab opening or closing). The script waits out the two
minutes, opens and closes one small session, and opens three limit sessions again: what they add,
against what the first three added, is the memory the closed ones gave back. glibc keeps freed pages
in the process, so the resident size itself does not shrink. The README's figures come from this
script. It is not a test (no assertion).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, RUNS_JS, VIEWPORT, start_server, wait_idle
from tests.browser.test_concurrency import LIMIT_SESSIONS, rss_mb, server_pid, visit_limit_network

TTL_S = 120  # Streamlit's server.disconnectedSessionTTL default
MARGIN_S = 20


def _open(browser: object, url: str, limit: bool) -> object:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[attr-defined]
    context.add_init_script(RUNS_JS)
    page = context.new_page()
    if limit:
        visit_limit_network(page, url, wait_idle)
    else:
        page.goto(url + "/")
        wait_idle(page)
    return context


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, start_server(Path(tmp) / "server.log") as url:
        pid = server_pid(url)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            _open(browser, url, limit=True)  # the warm-up session stays open
            base = rss_mb(pid)
            tabs = [_open(browser, url, limit=True) for _ in range(LIMIT_SESSIONS)]
            first = rss_mb(pid) - base
            for tab in tabs:
                tab.close()  # type: ignore[attr-defined]
            time.sleep(TTL_S + MARGIN_S)
            _open(browser, url, limit=False).close()  # type: ignore[attr-defined]
            time.sleep(MARGIN_S)
            before = rss_mb(pid)
            for _ in range(LIMIT_SESSIONS):
                _open(browser, url, limit=True)
            again = rss_mb(pid) - before
            browser.close()
    print(f"server RSS with one session at the limit network: {base:.0f} MB")
    print(f"{LIMIT_SESSIONS} more sessions added {first:.0f} MB; their tabs closed")
    print(f"after {TTL_S + MARGIN_S} s and one more tab: RSS {before:.0f} MB (glibc keeps the pages)")
    print(f"{LIMIT_SESSIONS} new sessions then added {again:.0f} MB: {first - again:.0f} MB came from the closed ones")


if __name__ == "__main__":
    main()
