"""Charts in words: a short text alternative for a plotly figure, read by screen readers (no Streamlit).

:func:`describe` names the chart and its axes and, for each line or marker trace with numbers, where it
starts and ends and where it is lowest ("loss after the step: 50 points, x from 0 to 0.2, lowest 0.012 at
x = 0.2"). Pages put it under the chart as screen-reader-only text (``nnviz.ui.widgets.text_alternative``).
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from nnviz.app.animation import short

MAX_TRACES = 4  # traces described one by one; the others are counted


def _array(values: Any) -> np.ndarray | None:
    """A trace's x or y as floats ``(P,)``, from a list, an array or plotly's typed-array dict; None if not numeric."""
    if isinstance(values, dict) and "bdata" in values:
        values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values.get("dtype", "f8"))
    try:
        out = np.asarray(values, dtype=float).reshape(-1)  # (P,)
    except (TypeError, ValueError):
        return None
    return out if out.size else None


def _title(obj: Any) -> str:
    if isinstance(obj, dict):
        obj = obj.get("text")
    return str(obj).strip() if obj else ""


def _trace(t: dict, k: int) -> str | None:
    y = _array(t.get("y"))
    if y is None or t.get("type", "scatter") not in ("scatter", "scattergl", "bar"):
        return None
    x = _array(t.get("x"))
    x = np.arange(y.size, dtype=float) if x is None or x.size != y.size else x  # (P,)
    ok = np.isfinite(x) & np.isfinite(y)
    name = str(t.get("name") or f"series {k + 1}")[:60]
    if not ok.any():
        return f"{name}: no finite values"
    x, y = x[ok], y[ok]
    if t.get("type") == "bar":  # a histogram's bars: where the tallest one stands
        top = int(np.argmax(y))
        tallest = f"tallest {short(y[top])} at x = {short(x[top])}"
        return f"{name}: {y.size} bars from x = {short(x[0])} to {short(x[-1])}, {tallest}"
    low = int(np.argmin(y))
    if y.size == 1:
        return f"{name}: one point, x = {short(x[0])}, y = {short(y[0])}"
    return (
        f"{name}: {y.size} points, x from {short(x[0])} to {short(x[-1])}, y from {short(y[0])} to {short(y[-1])}, "
        f"lowest {short(y[low])} at x = {short(x[low])}"
    )


def describe(fig: Any, what: str = "Chart") -> str:
    """One paragraph describing ``fig`` (a plotly Figure, anything with ``to_dict()``, or its dict)."""
    d = fig if isinstance(fig, dict) else fig.to_dict()
    layout = d.get("layout", {}) or {}
    head = [what + (f": {_title(layout.get('title'))}" if _title(layout.get("title")) else "")]
    xt, yt = _title((layout.get("xaxis") or {}).get("title")), _title((layout.get("yaxis") or {}).get("title"))
    if xt or yt:
        head.append(f"x axis {xt or 'unnamed'}, y axis {yt or 'unnamed'}")
    parts = [p for k, t in enumerate(d.get("data", []) or []) if (p := _trace(t, k))]
    more = len(parts) - MAX_TRACES
    text = "; ".join(head + parts[:MAX_TRACES])
    return text + (f"; and {more} more series." if more > 0 else ".")
