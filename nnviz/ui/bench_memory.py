"""Measurement: how much memory one session keeps at the size limit (2,000 neurons, about 50,000 edges).

    python -m nnviz.ui.bench_memory

A warm-up session first visits every page with the limit network, so that
modules are imported and the caches shared by all sessions are filled. Then a
second session (an AppTest of app.py) does the same under ``tracemalloc``;
what it still holds afterwards, with the session alive, is the figure: its
session state (network, plans, animation frames, undo stacks), the widgets'
state, and whatever else the run left referenced. The target (issue 17) is at
most 50 MB per session; the real server's resident memory per session is
measured by ``tests/browser/test_concurrency.py``.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from nnviz.edit import Preset
from nnviz.network import Network
from nnviz.ui.bench_pages import APP, _route_through_app
from nnviz.ui.state import Keys

#: 1,996 neurons, 48,969 edges in 8 fully connected layers (the limits are 2,000 and 50,000).
LIMIT_SIZES = (500, 16, 500, 16, 500, 16, 440, 1)
PAGES = ("pages/network.py", "pages/forward.py", "pages/backprop.py", "pages/training.py", "pages/why.py")
TARGET_MB = 50.0


def limit_network() -> Network:
    """The network at the size limit that the measurement uses."""
    return Preset("layered", LIMIT_SIZES, "sigmoid", "identity", 0).build()


def visit_every_page(net: Network, pages: tuple[str, ...] = PAGES) -> AppTest:
    """A new session showing ``net`` on each of ``pages`` in turn; returns it (still alive)."""
    _route_through_app()
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    at.session_state[Keys.NETWORK] = net
    at.session_state[Keys.VERSION] = at.session_state[Keys.VERSION] + 1
    for page in pages:
        at.switch_page(page).run()
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].message}")
    return at


def session_mb(make_net: Callable[[], Network] = limit_network, pages: tuple[str, ...] = PAGES) -> float:
    """MB that one session showing the network of ``make_net`` on ``pages`` keeps (tracemalloc, after a warm-up)."""
    visit_every_page(make_net(), pages)  # imports, shared caches
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        at = visit_every_page(make_net(), pages)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
        del at
    finally:
        tracemalloc.stop()
    return held / 1e6


def main() -> None:
    """Print the measurement."""
    mb = session_mb()
    net = limit_network()
    print(
        f"one session at the limit network ({len(net.neurons):,} neurons, {len(net.edges):,} edges), every page "
        f"visited: {mb:.1f} MB held (target: at most {TARGET_MB:g} MB)"
    )


if __name__ == "__main__":
    main()
