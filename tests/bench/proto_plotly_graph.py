"""Prototype: the Forward pass animation drawn in plotly instead of the live graph component (issue 12).

Run ``.venv/bin/python -m tests.bench.proto_plotly_graph`` from the repository root. It draws the
paper's network with :func:`nnviz.figures.weights_plot.add_network` (edges by weight, neurons by
role) and adds one plotly frame per step of :func:`nnviz.app.animation.forward_frames`: the
neurons not reached yet greyed, the reached ones labelled with their a and z, the current step's
edges labelled with w. The figure is written as a self-contained HTML page (plotly.js inline, no
network) and opened in headless chromium, which times each step from the call to
``Plotly.animate`` to the next painted frame, as ``tests/bench/bench_passes.py`` times the
component ("drawn"). A screenshot goes to ``/tmp/nnviz_proto_plotly.png`` for the looks.

It is a measurement for the README's choice, not a test: there are no assertions.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from playwright.sync_api import sync_playwright
from plotly.subplots import make_subplots

import nnviz
from nnviz import presets
from nnviz.app.animation import forward_frames, short
from nnviz.figures.weights_plot import add_network, positions
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

STEPS_JS = """async () => {
  const gd = document.querySelector('.js-plotly-plot');
  const names = gd._transitionData._frames.map((f) => f.name);
  const out = [];
  for (const name of [...names.slice(1), ...names.slice(0, 1)]) {
    const t0 = performance.now();
    await Plotly.animate(gd, [name], {mode: 'immediate', frame: {duration: 0, redraw: true},
                                      transition: {duration: 0}});
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    out.push(performance.now() - t0);
  }
  return out;
}"""


def figure() -> go.Figure:
    """The paper's network at x = 0.5, one frame per forward step."""
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    anim = forward_frames(net)
    xy = positions(net)
    fig = make_subplots(rows=1, cols=1)
    add_network(fig, net, net.weights, float(np.abs(net.weights).max()), 1, 1)
    fig.update_layout(height=520, width=900, xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"})
    neurons = len(fig.data) - 1
    fig.add_trace(go.Scatter(x=[], y=[], mode="text", textfont={"size": 12}, showlegend=False))
    frames = []
    for k, frame in enumerate(anim.frames):
        seen = anim.shown("z", k)
        reached = [nid in seen for nid in net.ids]
        colours = [fig.data[neurons].marker.color[i] if r else "#eeeeee" for i, r in enumerate(reached)]
        text = [f"z={short(float(trace.z_of(nid)[0]))}" if r else "" for nid, r in zip(net.ids, reached, strict=True)]
        mids = [(xy[net.index[s]] + xy[net.index[d]]) / 2 for s, d in frame.active_edges] or [np.full(2, np.nan)]
        labels = [f"w={short(net.weight(s, d))}" for s, d in frame.active_edges] or [""]
        frames.append(
            go.Frame(
                name=str(k),
                data=[{"marker": {"color": colours}, "text": text, "textposition": "bottom center"},
                      {"x": [m[0] for m in mids], "y": [m[1] for m in mids], "text": labels}],
                traces=[neurons, neurons + 1],
            )
        )  # fmt: skip
    fig.frames = frames
    fig.data[neurons].mode = "markers+text"
    return fig


def main() -> None:
    """Print the median and worst step time; save a screenshot."""
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = Path(tmp) / "proto.html"
        figure().write_html(page_file, include_plotlyjs=True, auto_play=False)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(page_file.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        times = page.evaluate(STEPS_JS) + page.evaluate(STEPS_JS)
        page.screenshot(path="/tmp/nnviz_proto_plotly.png")
        browser.close()
    print(
        f"plotly prototype, paper's network: step drawn median {statistics.median(times):.0f} ms, "
        f"worst {max(times):.0f} ms over {len(times)} steps (the component: see tests/bench/bench_passes.py)"
    )


if __name__ == "__main__":
    main()
