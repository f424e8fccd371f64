"""Benchmark: how long one animation step takes on the Forward pass and Backpropagation pages.

Run ``.venv/bin/python -m tests.bench.bench_passes`` from the repository root.
For the paper's network and a 50-neuron layered network it reports, per page:

- ``script``: AppTest's run of the whole app script after a click on Next or
  Back (median and worst of the clicks). This is an upper bound: in the
  browser a step reruns only the animation's fragment.
- ``frame``: building one frame alone (labels, colours and the DOT text), what
  the fragment adds on top of the controls.

It is not a test (no assertion); the numbers go into the closing report.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz import presets
from nnviz.app import animation
from nnviz.figures.frames import frame_graph
from nnviz.network import Network
from nnviz.ui.state import Keys
from tests.app.conftest import new_app

CLICKS = 12
PAGES = {"forward": ("pages/forward.py", "fwd"), "backprop": ("pages/backprop.py", "bwd")}


def script_times(net: Network, page: str) -> list[float]:
    """Seconds of each AppTest run after a Next/Back click on ``page``."""
    path, prefix = PAGES[page]
    at: AppTest = new_app()
    at.run()
    at.session_state[Keys.NETWORK] = net
    at.switch_page(path).run()
    at.run()  # warm caches
    times = []
    for k in range(CLICKS):
        at.session_state[f"{prefix}_step"] = int(at.session_state[f"{prefix}_step"])
        name = "next" if k < CLICKS // 2 else "back"
        button = at.button(key=f"{prefix}_btn_{name}")
        if button.disabled:
            name = "back" if name == "next" else "next"
            button = at.button(key=f"{prefix}_btn_{name}")
        start = time.perf_counter()
        button.click().run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.message for e in at.exception]
    return times


def frame_times(net: Network, page: str) -> list[float]:
    """Seconds to build each frame's view and DOT text (what one fragment run draws)."""
    x = np.full(len(net.inputs), 0.5)
    y = np.ones(len(net.outputs))
    trace = nnviz.forward(net, x)
    grads = nnviz.backward(net, trace, y)
    anim = animation.forward_frames(net) if page == "forward" else animation.backward_frames(net)
    times = []
    for k in range(len(anim)):
        start = time.perf_counter()
        if page == "forward":
            view = animation.forward_view(anim, trace, k)
        else:
            view = animation.backward_view(anim, trace, grads, k)
        frame_graph(net, view).source  # noqa: B018
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    nets = {
        "paper (9 neurons)": presets.paper_network(),
        "layered 4-16-16-12-2 (53 neurons)": presets.layered([4, 16, 16, 12, 2], seed=0),
    }
    for label, net in nets.items():
        for page in PAGES:
            s = script_times(net, page)
            f = frame_times(net, page)
            print(
                f"{label:36s} {page:9s} script median {statistics.median(s) * 1e3:6.0f} ms, "
                f"worst {max(s) * 1e3:6.0f} ms | frame median {statistics.median(f) * 1e3:5.1f} ms"
            )


if __name__ == "__main__":
    main()
