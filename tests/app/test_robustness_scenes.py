"""Hostile scenes files in AppTest: every setting checked when the file is imported, nothing applied from a bad one.

The first half of this suite is tests/app/test_robustness.py (networks, CSV files, links); this half
takes scenes files: malformed files, settings a widget could not show (text for a toggle, a step size of
1e308, -5 restarts), exports that would pass the file cap, and settings that do not fit the page.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz.app import scenes
from nnviz.app.scenes import Scene
from nnviz.data import Dataset
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W
from tests.app.conftest import no_exception
from tests.app.test_robustness import PAPER, _big_doc, _errors, _started, assert_nothing_interpreted
from tests.hostile import IMG, cycle_doc

SAVE = "FormSubmitter:scene_save_form-Save this view as a scene"


# ----- scenes files ------------------------------------------------------------------------
def _import_scenes(at: AppTest, data: bytes) -> AppTest:
    at.file_uploader(key=W.SCENE_UPLOAD).upload("scenes.json", data, "application/json").run()
    no_exception(at)
    return at


def _scene_doc(**change: object) -> dict:
    """A one-scene file (format 1: network inline) with ``change`` applied to its scene."""
    doc = json.loads(scenes.dumps([Scene(name="s", network=nnviz.presets.xor(), page="forward")]))
    (item,) = doc["scenes"]
    item["network"] = doc["networks"][item["network"]]
    item.update(change)
    return {"format": scenes.FORMAT_V1, "scenes": [item]}


BAD_SCENE_FILES = [
    ("not json", b"nope", "not valid JSON"),
    ("oversized", b" " * (scenes.MAX_FILE_BYTES + 1), "the limit is 5,000,000"),
    ("cycle", json.dumps(_scene_doc(network=cycle_doc())).encode(), "'network': the network has a cycle"),
    ("10,000 neurons", json.dumps(_scene_doc(network=_big_doc())).encode(), "10000 neurons"),
    ("page", json.dumps(_scene_doc(page=IMG)).encode(), "'page'"),
    ("step", json.dumps(_scene_doc(step=[1])).encode(), "'step' must be a whole number"),
    ("settings", json.dumps(_scene_doc(settings={"fwd_x": {"__class__": "os.system"}})).encode(), "fwd_x"),
    ("NaN", json.dumps(_scene_doc()).replace('"step": 0', '"step": NaN').encode(), "NaN"),
    ("pickle", b"\x80\x04\x95" + b"cos\nsystem\n", "not UTF-8"),
]


@pytest.mark.parametrize(("case", "data", "message"), BAD_SCENE_FILES, ids=[c[0] for c in BAD_SCENE_FILES])
def test_bad_scene_files_keep_everything(case: str, data: bytes, message: str) -> None:
    at = _started()
    at.text_input(key=W.SCENE_NAME).set_value("mine")
    at.button(key="FormSubmitter:scene_save_form-Save this view as a scene").click().run()
    at = _import_scenes(at, data)
    assert message in _errors(at), _errors(at)
    assert [s.name for s in at.session_state[Keys.SCENES]] == ["mine"]
    assert at.session_state[Keys.NETWORK] == PAPER
    assert_nothing_interpreted(at)


def _scene_file_v2(page: str, settings: dict, name: str = "bad step", net: nnviz.Network = PAPER) -> bytes:
    """A one-scene file as the app writes it today (format 2), with ``settings`` put into its scene."""
    doc = json.loads(scenes.dumps([Scene(name=name, network=net, page=page)]))
    doc["scenes"][0]["settings"] = settings
    return json.dumps(doc).encode()


REFUSED_SETTINGS = [  # (settings, what the message says), each a value its widget cannot show
    ({"train_log_y": "yes please"}, "setting 'train_log_y' must be true or false, not 'yes please'"),
    ({"train_step": 1e308}, "setting 'train_step' is 1e+308; it must lie between 0 and 10"),
    ({"train_restarts": -5}, "setting 'train_restarts' is -5; it must lie between 1 and 1000"),
    ({"train_seed": 2**40}, "setting 'train_seed' is 1099511627776; it must lie between 0 and 4294967295"),
    ({"train_order": IMG}, "setting 'train_order' is '<img src=x onerror=alert(1)>'; use one of 'listed'"),
    ({"fwd_x": ["a"]}, "setting 'fwd_x', item 1 must be a number"),
    ({"bwd_step_size": 0}, "setting 'bwd_step_size' is 0; it must lie between 1e-06 and 1000"),
    ({"why_bits": 99}, "setting 'why_bits' is 99; it must lie between 1 and 6"),
    ({"net_show_weights": 1}, "setting 'net_show_weights' must be true or false"),
    ({"fwd_source": "x"}, "setting 'fwd_source' is 'x'; use one of 'Type a point'"),
]


@pytest.mark.parametrize(("settings", "message"), REFUSED_SETTINGS, ids=lambda v: repr(v)[:30])
def test_a_setting_its_widget_cannot_show_is_refused_when_imported(settings: dict, message: str) -> None:
    """The issue's cases: a toggle given text put a TypeError on the Training page once trained; a step size
    of 1e308 and -5 restarts opened silently as 0.0 and 1. Now the file is refused, naming scene and field."""
    at = _started()
    at.text_input(key=W.SCENE_NAME).set_value("mine")
    at.button(key=SAVE).click().run()
    at = _import_scenes(at, _scene_file_v2("training", settings))
    assert f'scenes.json: scene #1 ("bad step"): {message}' in _errors(at), _errors(at)
    assert [s.name for s in at.session_state[Keys.SCENES]] == ["mine"]  # nothing of that scene
    assert at.session_state[Keys.NETWORK] == PAPER and at.session_state[Keys.SCENE_MESSAGE][0] is False
    assert_nothing_interpreted(at)


def test_the_issue_scene_cannot_break_the_training_page() -> None:
    """Before: import, open, Train, and a traceback came back on every run. Now a valid neighbour of that
    scene opens, trains, and shows its log-scale toggle as saved."""
    at = _import_scenes(_started(), _scene_file_v2("training", {"train_log_y": False, "train_epochs": 3}))
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    at.button(key="FormSubmitter:train_settings_form-Train").click().run(timeout=120)
    no_exception(at)
    assert at.toggle(key="train_log_y").value is False
    assert at.number_input(key="train_epochs").value == 3


def _big_scenes() -> tuple[list[Scene], Dataset]:
    """Scenes of distinct 10,000-row data sets (as CSV uploads give) whose export is just under the cap."""
    rng = np.random.default_rng(0)
    items: list[Scene] = []
    while True:
        x = rng.uniform(-2, 2, (10_000, 1))  # (rows, 1)
        ds = Dataset(f"upload {len(items)}.csv", x, np.sin(x) + rng.normal(0, 0.1, x.shape), kind="csv")
        more = [*items, Scene(name=f"upload {len(items)}", network=PAPER, dataset=ds, page="training")]
        if scenes.export_bytes(more) > scenes.MAX_FILE_BYTES:
            return items, ds
        items = more


def test_a_scene_that_would_push_the_export_past_the_cap_is_refused_before_saving() -> None:
    """The issue's case: 20 scenes of 10,000-row CSVs exported to 5.27 MB, which the uploader then refused."""
    items, ds = _big_scenes()
    at = _started()
    at.session_state[Keys.SCENES] = items
    at.session_state[Keys.DATASET] = ds
    at.text_input(key=W.SCENE_NAME).set_value("one more")
    at.button(key=SAVE).click().run()
    no_exception(at)
    assert "saving scene one more would make the scenes export" in _errors(at), _errors(at)
    assert "above the 5 MB a scenes file may have (it could not be imported again)" in _errors(at)
    assert [s.name for s in at.session_state[Keys.SCENES]] == [s.name for s in items]
    exported = scenes.dumps(at.session_state[Keys.SCENES]).encode()
    assert len(exported) <= scenes.MAX_FILE_BYTES
    assert len(scenes.loads(exported)) == len(items)  # what is kept exports and imports again


def test_an_import_that_would_push_the_export_past_the_cap_is_refused() -> None:
    items, ds = _big_scenes()
    at = _started()
    at.session_state[Keys.SCENES] = items[:-1]
    extra = Scene(name="extra", network=PAPER, dataset=ds)
    at = _import_scenes(at, scenes.dumps([items[-1], extra]).encode())
    assert "adding its 2 scene(s) to the" in _errors(at) and "would make the scenes export" in _errors(at)
    assert len(at.session_state[Keys.SCENES]) == len(items) - 1


@pytest.mark.parametrize(
    "settings",
    [
        {"fwd_xs_0": 100.0, "fwd_xn_0": "text", "fwd_step": "x"},  # widgets format 1 stored; the table has none
        {"fwd_neuron": IMG},  # not a neuron of this network: the page uses its default neuron
        {"fwd_vary": 7, "fwd_point": 10_000, "fwd_source": "A training point"},  # no training set: defaults
        {"fwd_x": [1.0, 2.0, 3.0]},  # three inputs for a network of two: the page starts afresh
    ],
    ids=repr,
)
def test_scene_settings_that_do_not_fit_the_page_fall_back_to_defaults(settings: dict) -> None:
    doc = _scene_doc(page="forward", settings=settings, name=IMG)
    at = _import_scenes(_started(), json.dumps(doc).encode())
    assert not at.error, _errors(at)
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    assert at.session_state[Keys.NETWORK] == nnviz.presets.xor()  # the scene's network is in
    assert [t.value for t in at.title] == ["Forward pass"]
    at.run()  # and the page keeps working afterwards
    no_exception(at)
    assert_nothing_interpreted(at)


def test_a_step_past_the_animation_is_clamped_and_said() -> None:
    at = _import_scenes(_started(), json.dumps(_scene_doc(page="forward", step=99)).encode())
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    infos = " ".join(i.value for i in at.info)
    assert "Step 100 is past the end of this animation" in infos and "it shows the last step" in infos, infos
    assert 0 < at.session_state["fwd_step"] < 99
