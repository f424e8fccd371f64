"""Browser-test harness: a real ``streamlit run app.py`` server and Debian's chromium via Playwright.

Fixtures (every test in tests/browser/ gets the ``browser`` marker):

- ``app_url`` (session): base URL of a server started on a free port; killed at the end.
- ``fresh_app_url``: a server of its own for one test (e.g. to test the very first request).
- ``browser`` (session): headless /usr/bin/chromium.
- ``page``: a new browser context and page (1400x900) per test; any JS dialog fails the test.
- ``new_page``: factory for more pages, each in its own new context (e.g. to open a share link fresh).
- ``wait_idle``: ``wait_idle(page)`` waits until the script has finished and nothing is loading.
- ``open_app``: ``open_app(page, query="")`` goes to the app (plus a query string) and waits.
- ``assert_healthy``: ``assert_healthy(page)`` fails if the page shows a Streamlit exception.

When a browser test fails, its report gains a "page state" section: each open page's URL, script
state, alerts and undrawn charts, and the tail of the server log (CI prints only text).

Without /usr/bin/chromium the tests are skipped, except when CI is set:
then they fail, so CI can never pass without having run them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from nnviz.ui.training_widgets import HOLD_ENV

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
START_TIMEOUT = 90.0  # seconds for the server to print its URL (it then answers /_stcore/health)
IDLE_TIMEOUT = 45_000  # ms for a script run to finish
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const runs = window.__nnvizRuns;
  let idle = !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid=stSkeleton]')
    && !(runs && runs.asked > runs.done);  // every requested run has finished (see RUNS_JS)
  if (idle) {
    // Charts and grids draw after the run ends (Graphviz-WASM, plotly, glide): wait for the visible ones.
    const drawn = (selector, part) => [...document.querySelectorAll(selector)]
      .filter((el) => el.checkVisibility()).every((el) => el.querySelector(part));
    idle = drawn('[data-testid=stGraphVizChart]', 'svg')
      && drawn('[data-testid=stPlotlyChart]', '.main-svg')
      && drawn('[data-testid=stDataFrame]', '[role=columnheader]');
  }
  // Idle must hold for a few frames in a row: a slider sends its value after a short debounce.
  const now = performance.now();
  if (!idle) { window.__nnvizIdleSince = null; return false; }
  if (window.__nnvizIdleSince == null) window.__nnvizIdleSince = now;
  return now - window.__nnvizIdleSince >= 250;
}"""
# Installed in every page before the app loads: counts the script runs the page asked for (BackMsg
# rerun_script, field 11) and the runs the server finished (ForwardMsg script_finished, field 6, except
# "finished early for a rerun"), so waiting for idle never mistakes "not started yet" for "done",
# however slow the server is.
RUNS_JS = """(() => {
  if (window.__nnvizRuns) return;
  const runs = window.__nnvizRuns = {seq: 0, asked: 0, done: 0};
  const bytes = (d) => d instanceof ArrayBuffer ? new Uint8Array(d)
    : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : null;
  const fields = (b) => {  // top-level protobuf fields: [[number, varint value or null], ...]
    const out = [];
    let i = 0;
    const varint = () => { let v = 0, m = 1, c; do { c = b[i++]; v += (c & 127) * m; m *= 128; }
                           while ((c & 128) && i < b.length); return v; };
    while (i < b.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key % 8;
      if (wire === 0) out.push([field, varint()]);
      else if (wire === 2) { const n = varint(); out.push([field, null]); i += n; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else break;
    }
    return out;
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const b = bytes(data);
    if (b && fields(b).some(([f]) => f === 11)) runs.asked = ++runs.seq;
    return send.call(this, data);
  };
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (ev) => {
      const b = bytes(ev.data);
      const done = b && fields(b).find(([f, v]) => f === 6 && v !== null);
      if (done && done[1] !== 2) runs.done = ++runs.seq;
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})()"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_chromium() -> None:
    """Skip (or, in CI, fail) when Debian's chromium is missing."""
    if os.path.exists(CHROMIUM):
        return
    message = f"{CHROMIUM} is missing (install Debian's chromium: apt-get install chromium)"
    if _in_ci():
        pytest.fail(message + "; browser tests may not be skipped in CI", pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


_SERVER_LOGS: dict[str, Path] = {}  # base URL -> that server's log file
STATE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const shown = (sel) => [...document.querySelectorAll(sel)].filter((el) => el.checkVisibility());
  const undrawn = (sel, part) => shown(sel).filter((el) => !el.querySelector(part)).length;
  return {
    script: app ? app.getAttribute('data-test-script-state') : 'no app',
    skeletons: document.querySelectorAll('[data-testid=stSkeleton]').length,
    undrawn: {graphviz: undrawn('[data-testid=stGraphVizChart]', 'svg'),
              plotly: undrawn('[data-testid=stPlotlyChart]', '.main-svg'),
              grid: undrawn('[data-testid=stDataFrame]', '[role=columnheader]')},
    alerts: shown('[data-testid=stAlert]').map((el) => el.innerText.slice(0, 300)),
  };
}"""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Add the open pages' state and the server log's tail to a failed browser test's report."""
    report = yield
    if report.when == "call" and report.failed:
        lines = []
        for page in getattr(item, "nnviz_pages", []):
            try:
                lines.append(f"{page.url}: {page.evaluate(STATE_JS)}")
            except Exception as exc:  # a closed or crashed page is itself the news
                lines.append(f"page unreadable: {exc!r}")
        log = _SERVER_LOGS.get(getattr(item, "funcargs", {}).get("app_url", ""))
        if log is not None and log.exists():
            lines.append("server log tail:\n" + "\n".join(log.read_text().splitlines()[-40:]))
        if lines:
            report.sections.append(("page state", "\n".join(lines)))
    return report


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


def _copy_log(proc: subprocess.Popen, log_path: Path, marker: str, ready: threading.Event) -> None:
    """Copy the server's output to ``log_path`` line by line; set ``ready`` at the line holding ``marker``."""
    with open(log_path, "w") as log:
        for line in proc.stdout:
            log.write(line)
            log.flush()
            if marker in line:
                ready.set()
    ready.set()  # the output ended: the server exited (the caller reports it)


@contextmanager
def start_server(log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port (with extra ``env``); yield its base URL once healthy;
    stop it afterwards."""
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    ready = threading.Event()  # set when the server prints its URL (it is listening), or when its output ends
    threading.Thread(target=_copy_log, args=(proc, log_path, f"URL: {url}", ready), daemon=True).start()
    try:
        if not ready.wait(START_TIMEOUT):
            pytest.fail(f"streamlit did not start within {START_TIMEOUT}s:\n{log_path.read_text()[-3000:]}")
        if proc.poll() is not None or not _healthy(url):
            pytest.fail(f"streamlit is not healthy ({proc.poll()=}):\n{log_path.read_text()[-3000:]}", pytrace=False)
        _SERVER_LOGS[url] = log_path
        yield url
    finally:
        _SERVER_LOGS.pop(url, None)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a ``streamlit run app.py`` server shared by the whole test session."""
    require_chromium()
    with start_server(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture
def fresh_app_url(tmp_path: Path) -> Iterator[str]:
    """Base URL of a server started for this test alone (nothing has been requested from it yet)."""
    require_chromium()
    with start_server(tmp_path / "server.log") as url:
        yield url


@pytest.fixture
def held_app_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, hold file) of a server of its own whose training runs pause between chunks while the
    file exists (``NNVIZ_HOLD_TRAINING_WHILE``, see nnviz.ui.training_widgets)."""
    require_chromium()
    gate = tmp_path / "hold-training"
    gate.touch()
    try:
        with start_server(tmp_path / "server.log", env={HOLD_ENV: str(gate)}) as url:
            yield url, gate
    finally:
        gate.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian chromium driven by Playwright (one per test session)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def new_page(browser: object, request: pytest.FixtureRequest) -> Iterator[Callable[[], object]]:
    """Factory: each call opens a page in a brand-new context (own cookies, storage and session)."""
    contexts, dialogs, pages = [], [], []
    request.node.nnviz_pages = pages  # read by pytest_runtest_makereport when the test fails

    def make() -> object:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)  # type: ignore[attr-defined]
        context.add_init_script(RUNS_JS)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(IDLE_TIMEOUT)

        def on_dialog(dialog: object) -> None:
            dialogs.append(dialog.message)  # type: ignore[attr-defined]
            dialog.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", on_dialog)
        pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not dialogs, f"unexpected JS dialogs: {dialogs}"


@pytest.fixture
def page(new_page: Callable[[], object]) -> object:
    """A fresh page in its own browser context."""
    return new_page()


def wait_idle(page: object, timeout: int = IDLE_TIMEOUT) -> None:
    """Wait until every run the page asked for has finished, nothing loads, and every visible chart and
    grid is drawn, holding for 250 ms (see IDLE_JS and RUNS_JS)."""
    page.evaluate("window.__nnvizIdleSince = null")  # type: ignore[attr-defined]
    page.wait_for_function(IDLE_JS, timeout=timeout)  # type: ignore[attr-defined]


def assert_healthy(page: object) -> None:
    """Fail if the page shows a Streamlit exception box."""
    boxes = page.locator("[data-testid=stException]")  # type: ignore[attr-defined]
    assert boxes.count() == 0, "stException on the page: " + " | ".join(boxes.all_inner_texts())[:2000]


@pytest.fixture(name="wait_idle")
def wait_idle_fixture() -> Callable[..., None]:
    """``wait_idle(page)``: see :func:`wait_idle`."""
    return wait_idle


@pytest.fixture(name="assert_healthy")
def assert_healthy_fixture() -> Callable[[object], None]:
    """``assert_healthy(page)``: see :func:`assert_healthy`."""
    return assert_healthy


@pytest.fixture
def open_app(app_url: str) -> Callable[..., object]:
    """``open_app(page, query="")``: load the app (with an optional "?..." query), wait, check health."""

    def go(page: object, query: str = "", path: str = "") -> object:
        page.goto(app_url + "/" + path.lstrip("/") + query)  # type: ignore[attr-defined]
        page.wait_for_selector("[data-testid=stApp]")  # type: ignore[attr-defined]
        wait_idle(page)
        assert_healthy(page)
        return page

    return go
