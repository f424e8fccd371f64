"""The declared table of scene settings (nnviz.app.settings) against the widgets on screen.

Scenes are checked against the table when a file is imported, so a widget whose range or choices drift
from its entry would let a scene hold a value the widget cannot show (or refuse one it can). Most
widgets read their entry; this test renders every page in the states that draw its widgets and compares
each widget that has an entry: the range of number inputs and sliders, the number of choices of select
boxes and radios (and that the value shown is one of the entry's), the length of text inputs. Every
entry must be met, except those named in :data:`NOT_A_WIDGET` with the reason.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz.app import settings
from nnviz.data import Dataset
from nnviz.ui import sidebar
from nnviz.ui.state import Keys
from tests.app.conftest import new_app, no_exception

NOT_A_WIDGET = {
    "fwd_x": "a list under a plain key; each input's slider and number box are seeded from it",
    "bwd_x": "as fwd_x",
    "bwd_y": "as fwd_x, for the targets",
    "train_csv_in": "a multiselect of a CSV upload's columns (its choices are the file's)",
    "train_csv_out": "as train_csv_in",
    "train_csv_test": "drawn only with a CSV upload",
    "nnviz_graph_pictures": "a plain key both pass pages' *Pictures in neurons* toggles are seeded from",
    "nnviz_graph_all_weights": "as nnviz_graph_pictures, for *Numbers on every edge*",
    "train_replay_open": "an expander's open state (true or false); tests/app/test_training_sections.py opens it",
    "train_landscape_open": "as train_replay_open, for the loss landscape's expander",
    "train_pg_data": "the playground's data set, chosen with its chip buttons; tests/app/test_playground.py",
    "train_pg_features": "st.pills (multi) of the playground's features; tests/app/test_playground.py",
    "train_pg_seed": "the playground's data seed, stepped by its New points button",
}
#: Widgets whose range or choices follow the network or the data (a neuron, a weight, a training point):
#: the entry is the outer bound, so the widget's range must lie inside it and its value pass the entry.
FOLLOWS_THE_NETWORK = {"fwd_point", "bwd_point", "fwd_vary", "fwd_output", "bwd_edge", "fwd_neuron", "bwd_neuron"}
SEEN: dict[str, str] = {}  # setting key -> the page state it was checked in


def _ranges(at: AppTest) -> dict:
    """What each number box drawn so far checks: {key: (low, high, integer)} (nnviz.ui.number_box)."""
    try:
        return at.session_state[Keys.NUMBER_RANGES]
    except KeyError:
        return {}


def _check_number_boxes(at: AppTest, where: str) -> None:
    """Every number box takes what is typed (no min/max for the browser to clamp to) and checks a range."""
    ranges = _ranges(at)
    for widget in at.get("number_input"):
        key = str(widget.key)
        if key in sidebar.BOXES:  # the sidebar editor's boxes: not scene settings, declared in nnviz.ui.sidebar
            assert ranges.get(key) == sidebar.BOXES[key], f"{where}: {key} does not check its declared range"
        assert not (widget.proto.has_min or widget.proto.has_max), f"{where}: {key} has a browser range"
        assert key in ranges, f"{where}: {key} is not drawn by nnviz.ui.number_box"


def _check(at: AppTest, where: str) -> None:
    no_exception(at)
    _check_number_boxes(at, where)
    ranges = _ranges(at)
    for kind in ("number_input", "slider", "selectbox", "radio", "toggle", "text_input", "multiselect"):
        for widget in at.get(kind):
            s = settings.SETTINGS.get(str(widget.key))
            if s is None:
                continue
            what = f"{where}: {s.key}"
            if kind in ("number_input", "slider"):
                low, high = ranges[s.key][:2] if kind == "number_input" else (widget.min, widget.max)
            if s.key in FOLLOWS_THE_NETWORK:
                if kind == "number_input":
                    assert s.low <= low <= high <= s.high, what
            elif kind in ("number_input", "slider"):
                assert (low, high) == (s.low, s.high), what
                if kind == "number_input":  # a float box (so "1e5" is read whole); whole numbers for an int
                    assert ranges[s.key][2] == (s.kind == "int"), what
                else:
                    assert type(widget.value) is {"int": int, "float": float}[s.kind], what
            elif kind in ("selectbox", "radio"):
                assert s.kind == "select" and len(widget.options) == len(s.options), what
                assert widget.value in s.options, what
            elif kind == "toggle":
                assert s.kind == "bool", what
            elif kind == "text_input":
                assert s.kind == "text" and widget.proto.max_chars in (0, s.max_chars), what  # 0: no limit
            else:
                assert s.kind == "texts", what
            s.check(widget.value)  # the value shown is one a scene may store
            SEEN.setdefault(s.key, where)
    if at.tabs and "why_tab" in at.session_state:  # the Why page's stateful tabs
        assert tuple(t.label for t in at.tabs) == settings.WHY_TABS, where
        settings.get("why_tab").check(at.session_state["why_tab"])
        SEEN.setdefault("why_tab", where)


def _started(page: str, **state: object) -> AppTest:
    at = new_app()
    at.run()
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page).run(timeout=120)
    return at


FORM = Keys.TRAINING_FORM
ONE_IN_ONE_OUT = Dataset("line", [[0.0], [1.0]], [[0.0], [1.0]])
STATES = [
    ("pages/network.py", {}),
    ("pages/forward.py", {Keys.DATASET: ONE_IN_ONE_OUT, "fwd_source": "A training point"}),
    ("pages/forward.py", {Keys.NETWORK: nnviz.edit.layered("3,2,1", seed=0)}),
    ("pages/forward.py", {Keys.NETWORK: nnviz.edit.layered("2,2,2", seed=0)}),
    ("pages/backprop.py", {Keys.DATASET: ONE_IN_ONE_OUT, "bwd_source": "A training point"}),
    *[("pages/backprop.py", {"bwd_tab": tab}) for tab in ("Gradient check", "Loss as a function of one weight")],
    ("pages/training.py", {FORM: {"fn": "polynomial", "epochs": 2, "restarts": 2}}),
    ("pages/training.py", {FORM: {"source": "boolean", "bool_fn": "table"}}),
    ("pages/training.py", {FORM: {"source": "classification"}}),
    *[("pages/why.py", {"why_tab": tab}) for tab in settings.WHY_TABS],
    ("pages/why.py", {"why_tab": settings.WHY_TABS[2], "why_preset": "random"}),
]


@pytest.mark.parametrize(("page", "state"), STATES, ids=[f"{p[6:-3]}-{k}" for k, (p, _) in enumerate(STATES)])
def test_widgets_match_their_entries(page: str, state: dict) -> None:
    at = _started(page, **state)
    _check(at, f"{page} {sorted(state)}")
    if page == "pages/training.py" and state[FORM].get("fn") == "polynomial":  # the results: log scale
        at.button(key="FormSubmitter:train_settings_form-Train").click().run(timeout=120)
        _check(at, "training results")


def test_every_entry_is_a_widget_that_was_checked() -> None:
    """Runs after the parametrised test above (same module, in order)."""
    missing = sorted(set(settings.SETTINGS) - set(SEEN) - set(NOT_A_WIDGET))
    assert not missing, f"entries of the settings table no widget was checked against: {missing}"
