"""The Training page's data panel: choose a training set S and its parameters.

Four sources: a 1-D curve, a boolean function, a 2-D classification set, or
an uploaded CSV file. Widget values are remembered in one dict under
``Keys.TRAINING_FORM`` (:func:`remembered`), so they survive a visit to
another page, where Streamlit forgets widget state. Building the dataset is
left to :mod:`nnviz.data`; any problem is shown with ``st.error``, and the
caller keeps the last good dataset.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

from nnviz import data
from nnviz.app import settings
from nnviz.data.csvfile import MAX_CSV_BYTES
from nnviz.data.synthetic import DEFAULT_POLYNOMIAL
from nnviz.network import NetworkError
from nnviz.ui import state, widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.state import TRAINING_PREFIX, Keys

SOURCES = {
    "curve": "1-D curve",
    "boolean": "Boolean function",
    "classification": "2-D classification",
    "playground": "The playground's data",
    "csv": "CSV file",
}
BOOLEAN_CHOICES = {"and": "AND", "or": "OR", "xor": "XOR", "parity": "parity", "table": "your own truth table"}
MAX_TABLE_BITS = settings.MAX_TABLE_BITS


def form() -> dict[str, Any]:
    """The dict of remembered Training-page values (created on first use)."""
    if Keys.TRAINING_FORM not in st.session_state:
        st.session_state[Keys.TRAINING_FORM] = {}
    return st.session_state[Keys.TRAINING_FORM]


def widget_key(name: str) -> str:
    """The widget key of the remembered value ``name``."""
    return TRAINING_PREFIX + name


def remembered(widget: Callable[..., Any], name: str, default: Any, *args: Any, **kwargs: Any) -> Any:
    """Draw ``widget(*args, key=..., **kwargs)`` starting from the value remembered under ``name``.

    The value is seeded into the widget's key before it is drawn (so no
    ``value=``/``index=`` is passed) and stored back after. A remembered value
    that is no longer among ``options`` (pass it by keyword) falls back to ``default``.
    """
    store, key = form(), widget_key(name)
    if key not in st.session_state:
        value = store.get(name, default)
        declared = settings.SETTINGS.get(key)
        if declared is not None and value is not None:
            try:
                value = declared.check(value)
            except settings.SettingError:
                value = default
        options = kwargs.get("options")
        if options is not None:
            opts = list(options)
            if isinstance(value, list):
                value = [v for v in value if v in opts]
            elif value not in opts:
                value = default
        st.session_state[key] = value
    value = widget(*args, key=key, **kwargs)
    store[name] = value
    return value


def section(name: str, label: str) -> Any:
    """An expander whose open state is the declared setting ``train_<name>`` (so a scene stores it, and a tour
    step can open it); it reruns when opened or closed, and the caller builds what it holds only while
    ``.open`` is True. The heavy parts of the Training page (the replay, the loss landscape) live in these:
    a page that draws them only when asked arrives quickly (a tour step within 2 s)."""
    store, key = form(), widget_key(name)
    if key not in st.session_state:
        value = store.get(name, settings.training(name).default)
        st.session_state[key] = value if isinstance(value, bool) else settings.training(name).default
    box = st.expander(label, key=key, on_change="rerun")
    store[name] = bool(box.open)
    return box


def setting(widget: Callable[..., Any], name: str, label: str, default: Any = None, **kwargs: Any) -> Any:
    """:func:`remembered` for the declared setting ``train_<name>``: its range and options (and default,
    unless ``default`` is given) come from :mod:`nnviz.app.settings`, the one table scenes are checked against.

    A number box (``st.number_input``) is drawn by :func:`nnviz.ui.number_box.number_box`: a typed value out
    of range is refused with a message and the last good value stays."""
    s = settings.training(name)
    default = s.default if default is None else default
    if widget is st.number_input:  # typed: checked against the declared range, refused with a message
        kept = form().get(name, default)
        fmt = kwargs.pop("format", None)
        box = functools.partial(number_box, default=default, kept=kept, fmt=fmt)
        return remembered(box, name, default, label, **kwargs)
    if s.kind in ("int", "float"):
        return remembered(widget, name, default, label, s.low, s.high, **kwargs)
    if s.kind == "select":
        kwargs.setdefault("options", list(s.options))
    return remembered(widget, name, default, label, **kwargs)


def _parse_coefficients(text: str) -> list[float]:
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        return [float(p) for p in parts]
    except ValueError:
        raise NetworkError(f"the coefficients {text[:40]!r} must be numbers separated by commas") from None


def _curve() -> data.Dataset:
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        fn = setting(st.selectbox, "fn", "Function", format_func=lambda k: data.REGRESSION_FUNCTIONS[k][0])
        coeffs = DEFAULT_POLYNOMIAL
        if fn == "polynomial":
            text = setting(
                st.text_input,
                "coeffs",
                "Coefficients c0, c1, c2, ...",
                help="c0 + c1 x + c2 x^2 + ..., separated by commas",
                max_chars=settings.training("coeffs").max_chars,
            )
            coeffs = _parse_coefficients(text)
    with c2:
        n = setting(st.slider, "points", "Points")
        noise = setting(st.slider, "noise", "Noise (standard deviation)", step=0.01)
    with c3:
        low = setting(st.number_input, "low", "x from", step=0.5)
        high = setting(st.number_input, "high", "x to", step=0.5)
        random_x = setting(st.toggle, "random_x", "Random x", help="x uniform at random instead of evenly spaced")
    with c4:
        test = setting(st.slider, "test", "Test split (%)", step=5)
        seed = setting(st.number_input, "data_seed", "Data seed", step=1)
    return data.regression(fn, n, noise, low, high, int(seed), random_x, test / 100, coeffs)


def _boolean() -> data.Dataset:
    c1, c2 = st.columns([1, 2])
    with c1:
        fn = setting(st.selectbox, "bool_fn", "Function", format_func=BOOLEAN_CHOICES.get)
        bits = 2
        if fn != "xor":
            bits = setting(st.slider, "bits", "Bits (inputs)")
    if fn != "table":
        return data.boolean(fn, bits)
    rows = ["".join(str(int(b)) for b in x) for x in data.synthetic.all_inputs(bits)]
    with c2:
        ones = remembered(
            st.multiselect, "ones", settings.training("ones").default, "Inputs whose output is 1 (the rest give 0)",
            options=rows,
        )  # fmt: skip
    return data.truth_table(bits, [1 if r in ones else 0 for r in rows])


def _classification() -> data.Dataset:
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        name = setting(st.selectbox, "cls", "Data set", format_func=lambda k: data.CLASSIFICATION_SETS[k][0])
    with c2:
        n = setting(st.slider, "cls_points", "Points", step=10)
        noise = setting(st.slider, "cls_noise", "Noise (standard deviation)", step=0.05)
    with c3:
        test = setting(st.slider, "cls_test", "Test split (%)", step=5)
    with c4:
        seed = setting(st.number_input, "cls_seed", "Data seed", step=1)
    return data.classification(name, n, noise, test / 100, int(seed))


def _playground() -> data.Dataset:
    """The playground's data set above, with its noise, test split and seed (its points x1, x2, not its features)."""
    store = form()
    name, noise, test, seed = (
        store.get(k, settings.training(k).default) for k in ("pg_data", "pg_noise", "pg_test", "pg_seed")
    )
    st.caption(
        f"TensorFlow Playground's {widgets.md_escape(str(name))} set as the playground above draws it "
        f"(noise {noise:g}, {test}% test): change it there. "
        "Trained here on (x1, x2) with the sidebar's network, from many restarts, with the replay and the landscape."
    )
    return data.playground(str(name), noise=float(noise), seed=int(seed), test_fraction=int(test) / 100)


def _store_upload() -> None:
    """on_change of the uploader: remember the new file's bytes, or forget them when it was removed."""
    file = st.session_state.get(widget_key("upload"))
    store = form()
    for name in ("csv_in", "csv_out"):  # a new file: choose its columns afresh
        store.pop(name, None)
        st.session_state.pop(widget_key(name), None)
    if file is None:
        store.pop("csv", None)
    elif file.size > MAX_CSV_BYTES:
        store["csv"] = (file.name, None)
    else:
        store["csv"] = (file.name, file.getvalue())


def _csv() -> data.Dataset | None:
    st.file_uploader(
        "CSV file (UTF-8, a header row, numbers only in the columns you use)",
        type=["csv", "txt"],
        key=widget_key("upload"),
        on_change=_store_upload,
    )
    stored = form().get("csv")
    if stored is None:
        st.info("Upload a CSV file, then choose which columns are inputs and which are outputs.")
        return None
    name, raw = stored
    if raw is None:
        raise NetworkError(f"the file is larger than the limit of {MAX_CSV_BYTES:,} bytes")
    table = data.read_csv(raw, name)
    st.caption(f"{widgets.md_escape(table.name)}: {len(table.rows):,} rows, {len(table.columns)} columns")
    cols = list(table.columns)
    c1, c2, c3 = st.columns([2, 2, 1])
    with c1:
        ins = remembered(st.multiselect, "csv_in", cols[:-1], "Input columns", options=cols)
    with c2:
        outs = remembered(st.multiselect, "csv_out", cols[-1:], "Output columns", options=cols)
    with c3:
        test = setting(st.slider, "csv_test", "Test split (%)", step=5)
    st.dataframe({c: [r[k] for r in table.rows[:5]] for k, c in enumerate(cols)}, height=150)
    return table.dataset(ins, outs, test / 100)


def choose_dataset() -> data.Dataset | None:
    """Draw the data panel; return the dataset it describes, or None after showing what is wrong.

    Returns None with no message when the CSV source has no file yet.
    """
    source = setting(st.radio, "source", "Training data", format_func=SOURCES.get, horizontal=True)
    build = {"curve": _curve, "boolean": _boolean, "classification": _classification, "playground": _playground,
             "csv": _csv}[source]  # fmt: skip
    try:
        return build()
    except NetworkError as exc:
        widgets.error(exc, prefix="**These data cannot be used:** ")
        return None


def _use(ds: data.Dataset) -> None:
    """on_click: make ``ds`` (the data chosen in the panel) the app's training set."""
    state.set_dataset(ds)


def sync_dataset(chosen: data.Dataset | None) -> data.Dataset | None:
    """The training set to use, after reconciling the panel's ``chosen`` data with the app's.

    A change in the panel replaces the app's dataset. A dataset set elsewhere
    (a scene, another page) stays until the panel changes, with a note and a
    button to use the panel's data instead. After a problem (``chosen`` None)
    the last good dataset stays.
    """
    store = form()
    current = state.current_dataset()
    if chosen is not None and (current is None or not chosen.same_as(store.get("built"))):
        store["built"] = chosen
        if not chosen.same_as(current):
            state.set_dataset(chosen)
        return chosen
    if current is not None and chosen is None:
        st.caption("Using the last good data:")
    elif current is not None and chosen is not None and not chosen.same_as(current):
        st.info(
            f"The training set was set elsewhere (for example by a scene): {widgets.md_escape(current.name)}. "
            "Change a setting above, or use the data described there instead.",
            icon=":material/info:",
        )
        st.button("Use the data chosen above", on_click=_use, args=(chosen,), key=widget_key("use_panel"))
    return current
