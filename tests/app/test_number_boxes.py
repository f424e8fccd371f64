"""Typed numbers out of range: every kind of number box refuses them with a message naming the range.

Issue 13: a box with ``min_value``/``max_value`` let the browser clamp or drop what was typed, and an
integer box read "1e5" as 1. Each box is now drawn by :func:`nnviz.ui.number_box.number_box`: it takes
what is typed, checks it against the declared range, and for a refused value says which setting, the
allowed range and what was typed, and keeps (and uses) the last good value. One test per kind of box:
the Training form, the data panel, the restart picker, the pass pages' x, y and training point, the
step size eta, the Why page's boxes (in and out of a form); and the scenes still restore them.
"""

from __future__ import annotations

import math

import pytest
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz.app import settings
from nnviz.data.dataset import Dataset
from nnviz.theory import boolean
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W
from tests.app.conftest import new_app, no_exception, open_on, submit

TRAIN = "FormSubmitter:train_settings_form-Train"
SMALL = {"epochs": 3, "restarts": 2}  # a quick run for each Train click


def errors(at: AppTest) -> list[str]:
    """The error messages on the page, with markdown escapes removed."""
    return [e.value.replace("\\", "") for e in at.error]


def refused(at: AppTest, *parts: str) -> str:
    """The one error message holding every one of ``parts``."""
    found = [m for m in errors(at) if all(p in m for p in parts)]
    assert len(found) == 1, f"no single message with {parts}: {errors(at)}"
    return found[0]


# ----- the message itself (no Streamlit) -------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (50_000, "Epochs must be between 1 and 20,000; you typed 50,000."),
        (0, "Epochs must be between 1 and 20,000; you typed 0."),
        (2.5, "Epochs must be a whole number between 1 and 20,000; you typed 2.5."),
        (None, "Epochs must be a whole number between 1 and 20,000; the box held no number."),
        (math.nan, "Epochs must be a whole number between 1 and 20,000; you typed nan."),
        (-math.inf, "Epochs must be a whole number between 1 and 20,000; you typed -inf."),
        (10**400, "Epochs must be a whole number between 1 and 20,000; you typed a number with 401 digits."),
        ("12", "Epochs must be a whole number between 1 and 20,000; it held '12'."),
    ],
)
def test_the_refusal_names_the_setting_the_range_and_the_value(value: object, expected: str) -> None:
    assert settings.refusal("Epochs", value, 1, 20_000, integer=True) == expected


@pytest.mark.parametrize("value", [1, 20_000, 300, 300.0])
def test_values_in_range_are_accepted(value: float) -> None:
    assert settings.refusal("Epochs", value, 1, 20_000, integer=True) is None


def test_float_ranges_show_their_ends() -> None:
    text = settings.refusal("x", 1e9, -1e6, 1e6, integer=False)
    assert text == "x must be between -1,000,000 and 1,000,000; you typed 1,000,000,000."
    assert settings.refusal("x", 0.25, -1e6, 1e6, integer=False) is None


# ----- the Training page ------------------------------------------------------------------------
def training(form: dict | None = None) -> AppTest:
    at = new_app()
    at.run()
    at.session_state[Keys.TRAINING_FORM] = dict(SMALL if form is None else form)
    at.switch_page("pages/training.py").run()
    no_exception(at)
    return at


FORM_CASES = [  # (name, label in the message, typed, range in the message)
    ("epochs", "Epochs", 50_000, "between 1 and 20,000"),
    ("restarts", "Restarts", 1e6, "between 1 and 1,000"),
    ("step", "Step size", 11.0, "between 0 and 10"),
    ("scale", "Initial weight scale", -1.0, "between 0 and 100"),
    ("seed", "Seed", -1, f"between 0 and {settings.MAX_DATA_SEED:,}"),
    ("epochs", "Epochs", math.inf, "between 1 and 20,000"),
    ("step", "Step size", math.nan, "between 0 and 10"),
    ("restarts", "Restarts", 2.5, "whole number between 1 and 1,000"),
    ("scale", "Initial weight scale", 1e300, "between 0 and 100"),
]


@pytest.mark.parametrize(("name", "label", "typed", "span"), FORM_CASES)
def test_the_training_form_refuses_a_typed_value_and_trains_with_the_last_good(
    name: str, label: str, typed: float, span: str
) -> None:
    at = training()
    before = at.session_state[Keys.TRAINING_FORM][name]
    at.number_input(key=f"train_{name}").set_value(typed)
    at.button(key=TRAIN).click().run(timeout=120)
    no_exception(at)
    message = refused(at, f"{label} must be", span, f"The last good value, {settings.show_number(before)}, is kept.")
    assert message.startswith(f"{label} must be")
    assert at.session_state[Keys.TRAINING_FORM][name] == before  # the value in use, and a scene's
    job = at.session_state[Keys.TRAINING]
    field = {"step": "step_size", "scale": "init_scale"}.get(name, name)
    assert getattr(job.settings, field) == before  # the run used it
    at.run()  # while the box holds the refused value, the message stays
    refused(at, f"{label} must be", span)
    at.number_input(key=f"train_{name}").set_value(before)
    at.button(key=TRAIN).click().run(timeout=120)
    assert not errors(at)


def test_the_training_form_accepts_whole_numbers_typed_with_an_exponent() -> None:
    """The boxes are float boxes: "1e3" typed into Epochs is 1,000, not 1 (as an integer box reads it)."""
    at = training()
    at.number_input(key="train_epochs").set_value(1e1)
    at.button(key=TRAIN).click().run(timeout=120)
    assert not errors(at)
    assert at.session_state[Keys.TRAINING].settings.epochs == 10
    assert at.session_state[Keys.TRAINING_FORM]["epochs"] == 10


@pytest.mark.parametrize(("key", "label", "typed", "span"), [
    ("train_low", "x from", 1000.0, "between -100 and 100"),
    ("train_data_seed", "Data seed", 1e12, f"between 0 and {settings.MAX_DATA_SEED:,}"),
])  # fmt: skip
def test_the_data_panel_refuses_a_typed_value(key: str, label: str, typed: float, span: str) -> None:
    at = training()
    before, data = at.number_input(key=key).value, at.session_state[Keys.DATASET]
    at.number_input(key=key).set_value(typed).run()
    no_exception(at)
    refused(at, f"{label} must be", span, f"The last good value, {settings.show_number(before)}, is kept")
    assert at.session_state[Keys.TRAINING_FORM][key.removeprefix("train_")] == before
    assert at.session_state[Keys.DATASET].same_as(data)


def test_the_restart_picker_names_the_restarts_there_are() -> None:
    at = training()
    at.button(key=TRAIN).click().run(timeout=120)
    key = f"train_chosen_{at.session_state[Keys.TRAINING_FORM]['run']}"
    best = at.number_input(key=key).value
    at.number_input(key=key).set_value(7).run()
    no_exception(at)
    refused(at, f"Restart to look at must be between 0 and 1; you typed 7. The last good value, {best}, is kept.")
    assert f"Final loss of restart {best}" in [m.label for m in at.metric]


# ----- Forward pass and Backpropagation ---------------------------------------------------------
@pytest.mark.parametrize("typed", [1e9, -math.inf, None])
def test_the_forward_x_box_refuses_a_typed_value(typed: float | None) -> None:
    at = open_on("pages/forward.py")
    at.number_input(key="fwd_xn_0").set_value(1.25).run()
    at.number_input(key="fwd_xn_0").set_value(typed).run()
    no_exception(at)
    refused(at, "x at input neuron 1 must be", "between -1,000,000 and 1,000,000", "1.25, is kept")
    assert at.session_state["fwd_x"] == [1.25]  # the x the pass uses
    assert at.slider(key="fwd_xs_0").value == 1.25
    at.slider(key="fwd_xs_0").set_value(2.0).run()  # the slider puts a good value into the box
    assert not errors(at) and at.number_input(key="fwd_xn_0").value == 2.0 and at.session_state["fwd_x"] == [2.0]


def test_the_backprop_target_box_refuses_a_typed_value() -> None:
    at = open_on("pages/backprop.py")
    at.number_input(key="bwd_yn_0").set_value(-2e7).run()
    no_exception(at)
    refused(at, "The target y at neuron 9 must be between -1,000,000 and 1,000,000; you typed -20,000,000.")
    assert at.session_state["bwd_y"] == [1.0]


def test_the_training_point_box_refuses_a_point_that_is_not_there() -> None:
    line = Dataset("line", [[0.0], [1.0], [2.0]], [[0.0], [1.0], [2.0]])
    at = open_on("pages/forward.py", dataset=line)
    at.radio(key="fwd_source").set_value("A training point").run()
    at.number_input(key="fwd_point").set_value(2).run()
    at.number_input(key="fwd_point").set_value(4).run()
    no_exception(at)
    refused(at, "Training point must be between 1 and 3; you typed 4. The last good value, 2, is kept.")
    assert any(m.value == "x = 1" for m in at.markdown)  # point 2 is still the one shown


@pytest.mark.parametrize("eta", [1e9, 0.0, math.nan])
def test_the_step_size_eta_is_refused_and_the_step_uses_the_last_good(eta: float) -> None:
    at = open_on("pages/backprop.py")
    at.number_input(key="bwd_step_size").set_value(0.5).run()
    at.number_input(key="bwd_step_size").set_value(eta)
    at.button(key="bwd_take_step").click().run()  # the click comes with the typed value, as in a browser
    no_exception(at)
    refused(at, "Step size η must be", "between 1e-06 and 1,000", "The last good value, 0.5, is kept")
    (record,) = at.session_state["bwd_history"]
    assert record.step_size == 0.5


# ----- Why it works -----------------------------------------------------------------------------
def why(tab: int) -> AppTest:
    at = new_app()
    at.run()
    at.switch_page("pages/why.py").run()
    at.session_state["why_tab"] = settings.WHY_TABS[tab - 1]
    at.run()
    no_exception(at)
    return at


@pytest.mark.parametrize(("tab", "key", "label", "typed", "span"), [
    (1, "why_fn_seed", "Seed", -5, f"between 0 and {settings.MAX_SEED:,}"),
    (3, "why_bits", "Input bits n", 99, f"between 1 and {boolean.MAX_BITS}"),
    (5, "why_p", "Parameters P", 1e13, "between 1 and 1,000,000,000,000"),
    (5, "why_b", "Bits per pixel b", 0.5, "whole number between 1 and 64"),
])  # fmt: skip
def test_the_why_boxes_refuse_a_typed_value(tab: int, key: str, label: str, typed: float, span: str) -> None:
    at = why(tab)
    before = at.number_input(key=key).value
    at.number_input(key=key).set_value(typed).run()
    no_exception(at)
    refused(at, f"{label} must be", span, f"The last good value, {settings.show_number(before)}, is kept")
    assert at.session_state[Keys.LAST_GOOD][key] == before  # the value the exhibit uses


def test_a_why_box_inside_a_form_refuses_on_submit() -> None:
    at = why(4)
    at.number_input(key="why_fit_seed").set_value(-1)
    (fit,) = [b for b in at.button if b.label == "Fit"]
    fit.click().run(timeout=120)
    no_exception(at)
    refused(at, "Seed must be between 0", "you typed -1. The last good value, 0, is kept.")
    assert at.session_state[Keys.LAST_GOOD]["why_fit_seed"] == 0


# ----- scenes -----------------------------------------------------------------------------------
def test_scenes_keep_and_restore_the_last_good_values() -> None:
    at = training({**SMALL, "epochs": 7})
    at.number_input(key="train_epochs").set_value(50_000)
    at.button(key=TRAIN).click().run(timeout=120)
    at.text_input(key="sc_name").set_value("kept")
    at.button(key="FormSubmitter:scene_save_form-Save this view as a scene").click().run()
    no_exception(at)
    (scene,) = at.session_state[Keys.SCENES]
    assert scene.settings["train_epochs"] == 7  # the refused 50,000 was never a setting
    at.session_state[Keys.TRAINING_FORM] = {"epochs": 9}
    at.switch_page("pages/network.py").run()
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    assert at.number_input(key="train_epochs").value == 7
    assert not errors(at)


def test_a_scene_restores_the_pass_and_why_boxes() -> None:
    scene = nnviz.app.scenes.Scene(
        name="boxes", network=nnviz.presets.paper_network(), page="forward", settings={"fwd_x": [3.5]}
    )
    at = new_app()
    at.run()
    at.session_state[Keys.SCENES] = [scene]
    at.run()
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    assert at.number_input(key="fwd_xn_0").value == 3.5 and not errors(at)
    at.number_input(key="fwd_xn_0").set_value(2e6).run()
    refused(at, "x at input neuron 1 must be", "The last good value, 3.5, is kept")


@pytest.mark.parametrize("typed", [-0.0, 5e-324])
def test_minus_zero_or_a_subnormal_initial_weight_scale_trains(typed: float) -> None:
    """Issue 22: "-0" in Initial weight scale raised numpy's "scale < 0" at every later Train."""
    at = training()
    at.number_input(key="train_scale").set_value(typed)
    at.button(key=TRAIN).click().run(timeout=120)
    no_exception(at)
    assert not errors(at)
    job = at.session_state[Keys.TRAINING]
    assert job.settings.init_scale == typed and math.copysign(1.0, job.settings.init_scale) == 1.0
    at.button(key=TRAIN).click().run(timeout=120)
    no_exception(at)


# ----- the sidebar editor (issue 22: plain number inputs changed what was typed without a word) ----------
SIDEBAR_TYPED = [1e5, 1e308, 1e-320, math.nan, None, 99999999999999999999999, -1e308]
SIDEBAR_BOXES = [  # (key, label, button, the typed values the range accepts)
    (W.SEED, "Seed", "Randomise weights", {1e5}),
    (W.W_VALUE, "New value", "Set weight", {1e5, 1e-320}),
    (W.SCALE, "Std. dev.", "Randomise weights", {1e-320}),
]


def _applied(key: str, typed: float) -> nnviz.Network:
    """The network the sidebar should make from the paper's when ``typed`` is accepted in box ``key``."""
    paper = nnviz.presets.paper_network()
    if key == W.SEED:
        return nnviz.edit.randomise(paper, int(typed))
    if key == W.SCALE:
        return nnviz.edit.randomise(paper, 0, typed)
    return nnviz.edit.set_weight(paper, "1", "3", typed)


@pytest.mark.parametrize("typed", SIDEBAR_TYPED, ids=repr)
@pytest.mark.parametrize(("key", "label", "button", "accepted"), SIDEBAR_BOXES, ids=lambda v: str(v)[:12])
def test_the_sidebar_boxes_refuse_what_they_cannot_use_and_say_so(
    key: str, label: str, button: str, accepted: set, typed: float | None
) -> None:
    at = new_app()
    at.run()
    if key == W.W_VALUE:
        at.selectbox(key=W.W_SRC).set_value("1")
        at.selectbox(key=W.W_DST).set_value("3")
    at.number_input(key=key).set_value(typed)
    submit(at, button)
    net = at.session_state[Keys.NETWORK]
    if typed in accepted:
        assert not errors(at)
        assert net == _applied(key, typed)
        return
    assert net == nnviz.presets.paper_network()  # nothing applied
    span = {W.SEED: f"between 0 and {nnviz.edit.MAX_SEED:,}", W.W_VALUE: "between -1,000,000 and 1,000,000"}
    said = "the box held no number" if typed is None or math.isnan(typed) else f"you typed {typed:,.6g}"
    message = refused(at, f"{label} must be", span.get(key, "between 0 and 100"), said, "The last good value")
    assert "is kept." in message
    at.run()  # while the box holds the refused value, the message stays, and no other
    refused(at, f"{label} must be")
