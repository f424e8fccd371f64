"""The page settings a scene stores: one declared table of every setting, its widget kind, range and page.

A scene (:mod:`nnviz.scenes`) records the values of these settings and
nothing else; a scenes file is checked against this table when it is
imported, when a scene is saved and when it is opened, so a value that its
widget could not show (text for a toggle, a step size of 1e308, -5 restarts)
is refused with a message naming the scene and the setting, and nothing of
that scene is applied. The widgets read their ranges, options and defaults
from here where they can (:mod:`nnviz.ui.training_data`,
:mod:`nnviz.ui.training_widgets`, :mod:`nnviz.ui.passes`,
:mod:`nnviz.ui.stepper`); a test compares the rest with the widgets on screen.

Keys are the session-state keys of the widgets, except on the Training page,
whose values live in one dict under the names after ``train_``
(:data:`TRAINING_PREFIX`). Compare TensorFlow Playground's ``src/state.ts``: one
declarative list of what is saved. No Streamlit here.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nnviz.app.tables import MAX_STEP_SIZE
from nnviz.data import CLASSIFICATION_SETS, PLAYGROUND_SETS, REGRESSION_FUNCTIONS
from nnviz.data.dataset import MAX_COLUMNS, MAX_POINTS
from nnviz.edit import MAX_SEED
from nnviz.features import FEATURES
from nnviz.network import MAX_EDGES, MAX_ID_LENGTH, MAX_NEURONS
from nnviz.theory import approximation, boolean

#: Kinds of widget a setting belongs to; "floats"/"texts" are lists (typed inputs, multiselects).
KINDS = ("bool", "int", "float", "select", "text", "floats", "texts")
#: Page ids (the file stems in pages/).
PAGES = ("network", "forward", "backprop", "training", "why")
TRAINING_PREFIX = "train_"  # the Training page keeps train_<name> in one dict under <name>
MAX_TEXT_CHARS = 500
MAX_ABS_INPUT = 1e6  # a typed input x or target y
SLIDER_RANGE = (-5.0, 5.0)  # the input sliders of the pass pages (the typed number may go further)
POINT_SOURCES = ("Type a point", "A training point")  # the pass pages' "where the point comes from"
EPS_CHOICES = (1e-3, 1e-4, 1e-5, 1e-6, 1e-7)  # the gradient check's finite-difference steps
DATA_SOURCES = ("curve", "boolean", "classification", "playground", "csv")
BOOLEAN_FUNCTIONS = ("and", "or", "xor", "parity", "table")
MAX_TABLE_BITS = 5  # the Training page's boolean data
MAX_DATA_SEED = MAX_SEED  # every seed widget takes 0..edit.MAX_SEED
MAX_PAGE_RESTARTS = 1000
MAX_PAGE_EPOCHS = 20_000
MAX_PAGE_EVALUATIONS = 5_000_000  # brute-force networks per search
PG_ACTIVATIONS = ("tanh", "sigmoid", "relu", "identity")  # TF Playground's four (linear = identity)
PG_STEPS = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # TF Playground's learning rates
PG_L2 = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # TF Playground's regularization rates
WHY_TABS = (
    "1 · Networks as functions",
    "2 · Linear collapse",
    "3 · Boolean functions",
    "4 · Approximation by width",
    "5 · Counting",
)


class SettingError(ValueError):
    """A setting's value does not fit its widget; the message names the setting."""


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Setting:
    """One stored setting: its key, page, widget kind, default and the values its widget accepts."""

    key: str
    page: str
    kind: str
    default: Any
    low: float | None = None  # int/float: the widget's min_value; floats: the bound on |x|
    high: float | None = None
    options: tuple[Any, ...] = ()  # select: the choices; texts: allowed items (empty: any short text)
    max_items: int = 0  # floats/texts
    max_chars: int = MAX_TEXT_CHARS  # text, texts

    @property
    def name(self) -> str:
        """The key without the Training page's prefix (its name in the Training form)."""
        return self.key[len(TRAINING_PREFIX) :] if self.page == "training" else self.key

    def check(self, value: object) -> Any:
        """``value`` as the widget wants it (ints as int, floats as float); ``SettingError`` naming the key."""
        what = f"setting {self.key!r}"
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise SettingError(f"{what} must be true or false, not {_short(value)}")
            return value
        if self.kind in ("int", "float"):
            return self._number(value, what)
        if self.kind == "select":
            if isinstance(value, bool) or not any(_same(value, o) for o in self.options):
                shown = ", ".join(_short(o, 30) for o in self.options[:8])
                raise SettingError(f"{what} is {_short(value)}; use one of {shown}")
            return next(o for o in self.options if _same(value, o))
        if self.kind == "text":
            return self._text(value, what)
        if not isinstance(value, list):
            raise SettingError(f"{what} must be a list, not {_short(value)}")
        if len(value) > self.max_items:
            raise SettingError(f"{what} has {len(value)} items; the limit is {self.max_items}")
        if self.kind == "floats":
            return [self._number(v, f"{what}, item {j + 1}") for j, v in enumerate(value)]
        items = [self._text(v, f"{what}, item {j + 1}") for j, v in enumerate(value)]
        bad = [v for v in items if self.options and v not in self.options]
        if bad:
            raise SettingError(f"{what} holds {_short(bad[0])}, which is not one of its choices")
        return items

    def _number(self, value: object, what: str) -> int | float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise SettingError(f"{what} must be a number, not {_short(value)}")
        if not isinstance(value, numbers.Integral) and not math.isfinite(float(value)):
            raise SettingError(f"{what} is {float(value)}; numbers must be finite")
        if self.kind == "int":
            if not isinstance(value, numbers.Integral) and not float(value).is_integer():
                raise SettingError(f"{what} must be a whole number, not {value!r}")
            value = int(value)
        else:
            try:
                value = float(value) + 0.0  # -0.0 is 0
            except OverflowError:  # an integer beyond any float
                raise SettingError(f"{what} is too large") from None
        low, high = (-self.high, self.high) if self.kind == "floats" else (self.low, self.high)  # type: ignore[operator]
        if low is not None and high is not None and not low <= value <= high:
            show = (lambda v: str(v)) if self.kind == "int" else (lambda v: f"{v:g}")
            raise SettingError(f"{what} is {show(value)}; it must lie between {show(low)} and {show(high)}")
        return value

    def _text(self, value: object, what: str) -> str:
        if not isinstance(value, str):
            raise SettingError(f"{what} must be text, not {_short(value)}")
        if len(value) > self.max_chars:
            raise SettingError(f"{what} has {len(value)} characters; the limit is {self.max_chars}")
        return value


def _same(a: object, b: object) -> bool:
    return (type(a) is type(b) and a == b) or (isinstance(a, (int, float)) and isinstance(b, float) and a == b)


def _b(key: str, page: str, default: bool) -> Setting:
    return Setting(key, page, "bool", default)


def _i(key: str, page: str, default: int, low: int, high: int) -> Setting:
    return Setting(key, page, "int", default, low, high)


def _f(key: str, page: str, default: float, low: float, high: float) -> Setting:
    return Setting(key, page, "float", default, low, high)


def _s(key: str, page: str, default: object, options: tuple[Any, ...]) -> Setting:
    return Setting(key, page, "select", default, options=options)


def _pass_page(p: str, page: str) -> list[Setting]:
    """The Forward / Backpropagation pages' shared settings (prefix ``p``)."""
    return [
        Setting(f"{p}_x", page, "floats", None, high=MAX_ABS_INPUT, max_items=MAX_NEURONS),
        _s(f"{p}_source", page, POINT_SOURCES[0], POINT_SOURCES),
        _i(f"{p}_point", page, 1, 1, MAX_POINTS),
        Setting(f"{p}_neuron", page, "text", None, max_chars=MAX_ID_LENGTH),
    ]


def _playground(t: str) -> list[Setting]:
    """The Training page's playground (:mod:`nnviz.ui.playground`); share links carry them too (``pg``)."""
    return [
        _s("train_pg_data", t, "circle", PLAYGROUND_SETS),
        _f("train_pg_noise", t, 0.0, 0.0, 0.5),
        _i("train_pg_test", t, 50, 0, 90),
        _i("train_pg_seed", t, 0, 0, MAX_DATA_SEED),
        Setting("train_pg_features", t, "texts", ["x1", "x2"], options=FEATURES, max_items=len(FEATURES)),
        Setting("train_pg_hidden", t, "text", "4, 2", max_chars=60),
        _s("train_pg_act", t, "tanh", PG_ACTIVATIONS),
        _s("train_pg_step", t, 0.03, PG_STEPS),
        _i("train_pg_batch", t, 10, 1, 30),
        _s("train_pg_l2", t, 0.0, PG_L2),
        _i("train_pg_restarts", t, 1, 1, 100),
        _b("train_pg_sidebar", t, False),
        _b("train_pg_show_test", t, False),
        _b("train_pg_discrete", t, False),
    ]


def _table() -> tuple[Setting, ...]:
    t, w = "training", "why"
    return (
        _b("net_show_weights", "network", False),
        # The live graph's toggles (both pass pages; plain keys, see nnviz.ui.live_graph.options)
        _b("nnviz_graph_pictures", "forward", True),
        _b("nnviz_graph_all_weights", "forward", False),
        *_pass_page("fwd", "forward"),
        _i("fwd_vary", "forward", 0, 0, MAX_NEURONS - 1),
        _i("fwd_output", "forward", 0, 0, MAX_NEURONS - 1),
        *_pass_page("bwd", "backprop"),
        Setting("bwd_y", "backprop", "floats", None, high=MAX_ABS_INPUT, max_items=MAX_NEURONS),
        _f("bwd_step_size", "backprop", 0.1, 1e-6, MAX_STEP_SIZE),
        _s("bwd_eps", "backprop", 1e-6, EPS_CHOICES),
        _i("bwd_edge", "backprop", 0, 0, MAX_EDGES - 1),
        *_playground("training"),
        # Training page, 1. the data
        _s("train_source", t, "curve", DATA_SOURCES),
        _s("train_fn", t, "sine", tuple(REGRESSION_FUNCTIONS)),
        Setting("train_coeffs", t, "text", "0, -1, 0, 0.5", max_chars=200),
        _i("train_points", t, 32, 2, 500),
        _f("train_noise", t, 0.0, 0.0, 1.0),
        _f("train_low", t, -2.0, -100.0, 100.0),
        _f("train_high", t, 2.0, -100.0, 100.0),
        _b("train_random_x", t, False),
        _i("train_test", t, 0, 0, 50),
        _i("train_data_seed", t, 0, 0, MAX_DATA_SEED),
        _s("train_bool_fn", t, "xor", BOOLEAN_FUNCTIONS),
        _i("train_bits", t, 2, 1, MAX_TABLE_BITS),
        Setting("train_ones", t, "texts", ["01", "10"], max_items=2**MAX_TABLE_BITS, max_chars=MAX_TABLE_BITS),
        _s("train_cls", t, "gauss", tuple(CLASSIFICATION_SETS)),
        _i("train_cls_points", t, 200, 20, 1000),
        _f("train_cls_noise", t, 0.1, 0.0, 1.0),
        _i("train_cls_test", t, 50, 0, 80),
        _i("train_cls_seed", t, 0, 0, MAX_DATA_SEED),
        Setting("train_csv_in", t, "texts", None, max_items=MAX_COLUMNS),
        Setting("train_csv_out", t, "texts", None, max_items=MAX_COLUMNS),
        _i("train_csv_test", t, 0, 0, 80),
        # 2. SGD from many restarts
        _f("train_step", t, 0.1, 0.0, 10.0),
        _i("train_epochs", t, 100, 1, MAX_PAGE_EPOCHS),
        _i("train_restarts", t, 100, 1, MAX_PAGE_RESTARTS),
        _i("train_seed", t, 0, 0, MAX_DATA_SEED),
        _f("train_scale", t, 1.0, 0.0, 100.0),
        _s("train_order", t, "listed", ("listed", "shuffled")),
        _b("train_log_y", t, True),
        _b("train_replay_open", t, False),  # the replay's expander: built only while open
        _b("train_landscape_open", t, False),  # the loss landscape's expander: built only while open
        # 3. brute force against backprop
        _i("train_bf_k", t, 3, 2, 50),
        _f("train_bf_a", t, 3.0, 0.1, 100.0),
        _i("train_bf_cap", t, 1_000_000, 1, MAX_PAGE_EVALUATIONS),
        _i("train_calc_bits", t, 64, 1, 128),
        # Why it works
        _s("why_tab", w, WHY_TABS[0], WHY_TABS),
        _i("why_fn_samples", w, 200, 10, 1000),
        _i("why_fn_seed", w, 0, 0, MAX_SEED),
        _i("why_bits", w, 2, 1, boolean.MAX_BITS),
        _s("why_preset", w, "xor", (*boolean.PRESETS, "random")),
        _i("why_rseed", w, 0, 0, MAX_SEED),
        Setting("why_typed", w, "text", "", max_chars=200),
        _s("why_sigma", w, boolean.FUNCTIONS[0], tuple(boolean.FUNCTIONS)),
        _s("why_rows", w, next(iter(boolean.ROW_MODES)), tuple(boolean.ROW_MODES)),
        _s("why_target", w, next(iter(approximation.TARGETS)), tuple(approximation.TARGETS)),
        Setting("why_widths", w, "text", "1, 2, 4, 8, 16, 32", max_chars=200),
        _i("why_restarts", w, 8, 1, 16),
        _i("why_epochs", w, 150, 20, 400),
        _s("why_act", w, "tanh", ("tanh", "sigmoid", "relu")),
        _i("why_fit_seed", w, 0, 0, MAX_SEED),
        _i("why_w", w, 200, 1, 100_000),
        _i("why_h", w, 200, 1, 100_000),
        _i("why_b", w, 8, 1, 64),
        _i("why_p", w, 1000, 1, 10**12),
        _i("why_v", w, 100, 2, 10**9),
    )


#: Every setting a scene stores, by key.
SETTINGS: dict[str, Setting] = {s.key: s for s in _table()}


def get(key: str) -> Setting:
    """The declared setting ``key`` (``KeyError`` for a key that is not a setting)."""
    return SETTINGS[key]


def training(name: str) -> Setting:
    """The Training page's setting ``name`` (its key without ``train_``)."""
    return SETTINGS[TRAINING_PREFIX + name]


def check_settings(values: object, legacy: bool = False) -> dict[str, Any]:
    """``values`` checked against the table, sorted by key; ``SettingError`` naming the first bad setting.

    An unknown key is an error, except with ``legacy`` (files of the format
    ``nnviz.scenes/1``, which stored every widget under a page prefix): there
    it is dropped, since those were derived or transient widgets.
    """
    if not isinstance(values, Mapping):
        raise SettingError(f"'settings' must be an object, not {_short(values)}")
    if len(values) > 2 * len(SETTINGS) + 100:
        raise SettingError(f"'settings' has {len(values)} entries; there are only {len(SETTINGS)} settings")
    out: dict[str, Any] = {}
    for key in sorted(values, key=str):
        setting = SETTINGS.get(key) if isinstance(key, str) else None
        if setting is None:
            if legacy:
                continue
            raise SettingError(f"{_short(key)} is not a setting this app stores")
        out[key] = setting.check(values[key])
    return out


def show_number(value: float, integer: bool = False) -> str:
    """``value`` as a message shows it: whole numbers with thousands separators, others to 6 digits."""
    if integer or (math.isfinite(value) and float(value).is_integer() and abs(value) < 1e15):
        return f"{int(value):,}"
    return f"{value:,.6g}"


def refusal(name: str, value: object, low: float, high: float, integer: bool) -> str | None:
    """Why the typed ``value`` of the number box ``name`` is refused, or None when it is accepted.

    Parameters
    ----------
    name : str
        What the box sets, as the message names it ("Epochs").
    value : object
        What the box holds: a number, or None when it is empty or held no number.
    low, high : float
        The allowed range, both ends included.
    integer : bool
        Only whole numbers are allowed.

    Returns
    -------
    str or None
        A sentence naming ``name``, the allowed range and the value typed; None for a value in range.
    """
    span = f"between {show_number(low, integer)} and {show_number(high, integer)}"
    must = f"{name} must be {'a whole number' if integer else 'a number'} {span}"
    if value is None:
        return f"{must}; the box held no number."
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"{must}; it held {_short(value)}."
    try:
        v = float(value)
    except OverflowError:  # an integer beyond any float
        return f"{must}; you typed a number with {len(str(value)):,} digits."
    if not math.isfinite(v):
        return f"{must}; you typed {v}."
    if integer and not v.is_integer():
        return f"{must}; you typed {show_number(v)}."
    if not low <= v <= high:
        return f"{name} must be {span}; you typed {show_number(v)}."
    return None
