"""Number boxes that accept what is typed and refuse an out-of-range value with a message.

``st.number_input(min_value=..., max_value=...)`` lets the browser refuse a
value out of range with a generic note that names neither the setting nor
what happens next, and an integer box reads "1e5" as 1. :func:`number_box`
draws the box with no bounds (a float box, so any number typed reaches
Python), checks the value against the allowed range before the box is drawn
(:func:`nnviz.app.settings.refusal`: the range of the declared setting of the
same key where there is one) and, for a refused value, uses the last good
value and says so under the box, for as long as the box holds the refused
value: "Epochs must be between 1 and 20,000; you typed 50,000. The last good
value, 300, is kept." Empty boxes, NaN, infinities and huge numbers are
refused the same way.

The typed value is left in the box rather than replaced: in a form submitted
with Enter, a value put back from Python came back as the refused one at the
form's next submit (seen in Chromium with Streamlit 1.67), so the message
would have repeated beside a box showing the good value.

The last accepted value of each box is kept under ``Keys.LAST_GOOD``; the
range of each box drawn is recorded under ``Keys.NUMBER_RANGES`` (a test
compares it with the declared settings).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from nnviz.app import settings
from nnviz.ui import widgets
from nnviz.ui.state import Keys

_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


def short_name(label: str) -> str:
    """The label without a trailing "(...)" explanation: "Epochs (passes over S)" -> "Epochs"."""
    return _PARENTHESIS.sub("", label) or label


def _clamped(value: object, low: float, high: float, integer: bool, default: float) -> int | float:
    """``value`` moved into ``[low, high]`` (``default`` when it is no finite number); an int for ``integer``."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        v = float(default)
    if not math.isfinite(v):
        v = float(default)
    v = min(max(v, low), high)
    return round(v) if integer else v


def _guarded(key: str, low: float, high: float, integer: bool, callback: Callable[..., Any], args: tuple) -> None:
    """on_change: run ``callback(*args)`` only for a value the box accepts (a refused one changes nothing)."""
    if settings.refusal("", st.session_state.get(key), low, high, integer) is None:
        callback(*args)


def _declared(
    key: str, low: float | None, high: float | None, integer: bool | None, default: float | None
) -> tuple[float, float, bool, float | None]:
    """The range, kind and default of box ``key``: those given, else its declared setting's."""
    declared = settings.SETTINGS.get(key)
    if declared is not None and declared.kind in ("int", "float"):
        low = declared.low if low is None else low
        high = declared.high if high is None else high
        integer = declared.kind == "int" if integer is None else integer
        default = declared.default if default is None else default
    if low is None or high is None:
        raise ValueError(f"number box {key!r} needs a range")
    return low, high, bool(integer), default


def _check_before_drawing(
    key: str, name: str, span: tuple[float, float], integer: bool, fallback: float, first: float
) -> str | None:
    """Seed box ``key`` with ``fallback`` when it has no value; else why its value is refused (None: accepted).

    A value the box accepted before that its range no longer holds (the range follows the data) was
    not typed: it is moved into the range without a word.
    """
    ss, (low, high) = st.session_state, span
    if key not in ss:
        ss[key] = fallback
        return None
    problem = settings.refusal(name, ss[key], low, high, integer)
    good = ss[Keys.LAST_GOOD]
    if problem is not None and key in good and _same(ss[key], good[key]):
        ss[key], problem = _clamped(ss[key], low, high, integer, first), None
    elif problem is None and integer and isinstance(ss[key], float):
        ss[key] = int(ss[key])  # whole numbers stay ints for whoever reads the key
    return problem


def number_box(
    label: str,
    key: str,
    *,
    low: float | None = None,
    high: float | None = None,
    integer: bool | None = None,
    default: float | None = None,
    kept: float | None = None,
    name: str | None = None,
    step: float | None = None,
    fmt: str | None = None,
    on_change: Callable[..., Any] | None = None,
    args: tuple = (),
    where: DeltaGenerator | None = None,
    **kwargs: Any,
) -> Any:
    """Draw a number box under ``key``; return its value, or the last good value when the typed one is refused.

    Parameters
    ----------
    label : str
        The box's label (shown as given; tests, tours and scenes find boxes by it or by ``key``).
    key : str
        The widget key. When it is a declared setting (:data:`nnviz.app.settings.SETTINGS`), ``low``,
        ``high``, ``integer`` and ``default`` default to that setting's range, kind and default.
    low, high : float, optional
        The allowed range, both ends included.
    integer : bool, optional
        Only whole numbers (returned as int).
    default : float, optional
        The first value, when the box has none and there is no ``kept``.
    kept : float, optional
        The value to keep when a typed one is refused (default: the box's last accepted value).
    name : str, optional
        What the message calls the box (default: ``label`` without a trailing "(...)").
    step, fmt : optional
        The +/- step and the display format (default: "%.0f" for whole numbers).
    on_change, args : optional
        A callback, run only when the new value is accepted.
    where : DeltaGenerator, optional
        Where the message goes (default: under the box), e.g. a container below a row of columns.
    **kwargs
        Passed to ``st.number_input`` (``help``, ``label_visibility``, ...).

    Returns
    -------
    int or float
        The value in use: the box's value, or the last good one after a refusal (shown with ``st.error``).
    """
    low, high, integer, default = _declared(key, low, high, integer, default)
    ss = st.session_state
    good: dict[str, Any] = ss.setdefault(Keys.LAST_GOOD, {})
    ss.setdefault(Keys.NUMBER_RANGES, {})[key] = (low, high, integer)
    first = low if default is None else default
    fallback = _clamped(good.get(key, first) if kept is None else kept, low, high, integer, first)
    problem = _check_before_drawing(key, name or short_name(label), (low, high), integer, fallback, first)
    if on_change is not None:
        on_change, args = _guarded, (key, low, high, integer, on_change, args)
    value = st.number_input(
        label,
        value=None,
        step=float(step if step is not None else 1),
        format=fmt or ("%.0f" if integer else None),
        key=key,
        on_change=on_change,
        args=args,
        **kwargs,
    )
    if problem is not None:  # the typed value stays in the box, with the reason under it
        with where if where is not None else st.container():
            widgets.error(f"{problem} The last good value, {settings.show_number(fallback, integer)}, is kept.")
        value = fallback
    good[key] = value
    return int(value) if integer else float(value) + 0.0  # -0.0 is 0


def checked_value(key: str) -> Any:
    """The value of the declared number setting ``key`` as a callback may use it: the box's value when its
    range accepts it, else the box's last good value (else the setting's default). The box itself says why
    when it is next drawn."""
    s = settings.SETTINGS[key]
    integer = s.kind == "int"
    value = st.session_state.get(key)
    if settings.refusal("", value, s.low, s.high, integer) is not None:
        value = st.session_state.get(Keys.LAST_GOOD, {}).get(key, s.default)
    return int(value) if integer else float(value)


def _same(a: object, b: object) -> bool:
    try:
        return a == b
    except Exception:  # arrays and other oddities are simply "not the same"
        return False
