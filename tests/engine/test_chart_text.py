"""Charts in words (nnviz.app.chart_text): what a screen reader hears instead of a plotly chart."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnviz.app.chart_text import MAX_TRACES, describe


def test_a_line_is_described_by_its_ends_and_its_lowest_point() -> None:
    x = np.linspace(-1.0, 2.0, 31)  # (31,)
    fig = go.Figure(go.Scatter(x=x, y=(x - 0.5) ** 2 + 0.25, name="loss"))
    fig.update_layout(title="Loss along w", xaxis_title="w", yaxis_title="l")
    text = describe(fig)
    assert text.startswith("Chart: Loss along w; x axis w, y axis l; loss: 31 points, x from -1 to 2")
    assert "lowest 0.25 at x = 0.5" in text


def test_frozen_dicts_typed_arrays_and_many_traces() -> None:
    fig = go.Figure([go.Scatter(y=[3.0, 2.0, np.nan, 1.0], name=f"restart {k}") for k in range(MAX_TRACES + 2)])
    d = fig.to_dict()
    d["data"][0]["y"] = {"dtype": "f8", "bdata": "AAAAAAAAEEAAAAAAAAAAQA=="}  # [4, 2], as plotly's JSON sends it
    text = describe(d, "Loss curves")
    assert text.startswith("Loss curves; restart 0: 2 points, x from 0 to 1, y from 4 to 2, lowest 2 at x = 1")
    assert "restart 1: 3 points" in text and text.endswith("and 2 more series.")


def test_a_chart_without_numbers_says_so() -> None:
    assert describe(go.Figure(go.Scatter(y=[np.nan], name="empty"))) == "Chart; empty: no finite values."


def test_bars_are_described_by_their_tallest() -> None:
    text = describe(go.Figure(go.Bar(x=[1.0, 2.0, 3.0], y=[2, 5, 1], name="restarts")))
    assert text == "Chart; restarts: 3 bars from x = 1 to 3, tallest 5 at x = 2."
