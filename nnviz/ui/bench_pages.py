"""Benchmark: how long the Network page's script run takes, measured with AppTest.

    python -m nnviz.ui.bench_pages          # make bench runs it after python -m nnviz.bench

Targets (issue 3): under 100 ms for the paper's network, under 500 ms for a
200-neuron layered network. Each figure is the median of several reruns after
a warm-up run (the first run imports modules and is not what a user waits for
on each click).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from nnviz import edit, presets
from nnviz.network import Network
from nnviz.ui.state import Keys

APP = str(Path(__file__).resolve().parents[2] / "app.py")
RUNS = 7
#: A 200-neuron layered network (plus one bias neuron per layer but the last): 8,590 edges.
LARGE_SIZES = (10, 60, 60, 60, 10)


def _route_through_app() -> None:
    """Keep AppTest reruns going through app.py (see tests/app/conftest.py for why)."""
    init = PagesManager.__init__
    if getattr(init, "_nnviz_patched", False):
        return

    def patched(self: PagesManager, *args: object, **kwargs: object) -> None:
        PagesManager.uses_pages_directory = False
        init(self, *args, **kwargs)

    patched._nnviz_patched = True  # type: ignore[attr-defined]
    PagesManager.__init__ = patched  # type: ignore[method-assign]


def time_network_page(net: Network, runs: int = RUNS) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per script run of the Network page showing ``net`` (after a warm-up run).

    CPU time (of the whole process: the script thread does the work while
    AppTest's thread waits) is what the page costs; wall time also counts
    waiting for a busy machine.
    """
    _route_through_app()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.session_state[Keys.NETWORK] = net
    at.session_state[Keys.VERSION] = at.session_state[Keys.VERSION] + 1
    at.run()  # warm-up with this network (fills the share-link cache)
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        at.run()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    if at.exception:
        raise RuntimeError(f"the page raised: {[e.message for e in at.exception]}")
    return wall, cpu


def main() -> None:
    """Print the median and worst run time for the paper's and a 200-neuron network."""
    large = edit.randomise(presets.layered(LARGE_SIZES), 1)
    cases = [("paper's network (9 neurons, 12 edges)", presets.paper_network(), 0.100),
             (f"layered {','.join(map(str, LARGE_SIZES))} ({len(large.neurons)} neurons, {len(large.edges)} edges)",
              large, 0.500)]  # fmt: skip
    for label, net, target in cases:
        wall, cpu = time_network_page(net)
        median = statistics.median(cpu)
        verdict = "ok" if median < target else "SLOWER THAN TARGET"
        print(f"Network page, {label}: median {median * 1000:.0f} ms CPU, {statistics.median(wall) * 1000:.0f} ms "
              f"wall (worst {max(wall) * 1000:.0f} ms); target {target * 1000:.0f} ms: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
