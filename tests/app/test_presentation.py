"""AppTest of presentation mode, the palette and the Scenes panel (save, open, delete, export, import)."""

from __future__ import annotations

import json
import re

import numpy as np
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz.app import scenes
from nnviz.app.scenes import Scene
from nnviz.data import Dataset
from nnviz.edit import Preset
from nnviz.ui import presentation
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W
from tests.app.conftest import live_data, new_app, no_exception

SAVE = "FormSubmitter:scene_save_form-Save this view as a scene"
OKABE_INPUT = "#009e73"
PAPER_INPUT = "#b6e3a8"


def _started(query: dict[str, str] | None = None) -> AppTest:
    at = new_app(query)
    at.run()
    no_exception(at)
    return at


def _css(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.html)


def _subheaders(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


def _save(at: AppTest, name: str) -> AppTest:
    at.text_input(key=W.SCENE_NAME).set_value(name)
    at.button(key=SAVE).click().run()
    no_exception(at)
    return at


def _texts(at: AppTest, kind: str) -> str:
    return " | ".join(str(e.value) for e in at.get(kind)).replace("\\", "")


def _fills(at: AppTest) -> set[str]:
    """The neurons' fill colours on the Network page's live graph."""
    return {n["fill"] for n in live_data(at)["graph"]["neurons"]}


# ----- presentation mode ----------------------------------------------------------
def test_default_is_not_presenting_with_the_paper_palette() -> None:
    at = _started()
    assert at.toggle(key=W.PRESENT).value is False
    assert at.selectbox(key=W.PALETTE).value == "paper"
    assert "Architecture" in _subheaders(at)
    assert "stBaseButton" not in _css(at)
    assert PAPER_INPUT in _fills(at)
    assert "present" not in at.query_params


def test_url_flag_presents_hides_the_editor_and_enlarges() -> None:
    at = _started({"present": "1"})
    assert at.session_state[Keys.PRESENT] is True
    assert at.toggle(key=W.PRESENT).value is True
    assert "Architecture" not in _subheaders(at)
    assert not [b for b in at.button if b.key and "preset_form" in b.key]
    assert "Save, load, share" not in _subheaders(at)  # the Network page's file controls are hidden too
    assert "font-size: 2.5rem" in _css(at) and "min-height: 3.4rem" in _css(at)
    assert "Scenes" in _subheaders(at)  # the scene list stays, for the talk
    assert at.query_params["present"] == ["1"] or at.query_params["present"] == "1"


def test_the_toggle_switches_off_and_the_url_follows() -> None:
    at = _started({"present": "yes"})
    at.toggle(key=W.PRESENT).set_value(False).run()
    no_exception(at)
    assert at.session_state[Keys.PRESENT] is False
    assert "Architecture" in _subheaders(at)
    assert "present" not in at.query_params
    at.toggle(key=W.PRESENT).set_value(True).run()
    assert at.session_state[Keys.PRESENT] is True and "Architecture" not in _subheaders(at)
    at.run()  # a later run does not re-read an unchanged link against the toggle
    assert at.session_state[Keys.PRESENT] is True


def test_present_zero_switches_it_off_and_the_css_contains_no_user_text() -> None:
    at = _started({"present": "0"})
    assert at.session_state[Keys.PRESENT] is False
    assert presentation.CSS.count("<") == 0 and "{" in presentation.CSS


def test_palette_from_the_sidebar_recolours_graph_and_legend() -> None:
    at = _started()
    at.selectbox(key=W.PALETTE).set_value("colorblind").run()
    no_exception(at)
    assert at.session_state[Keys.PALETTE] == "colorblind"
    fills = _fills(at)
    assert OKABE_INPUT in fills and PAPER_INPUT not in fills
    legend = [m.value for m in at.markdown if "border-radius" in str(m.value)]
    assert legend and OKABE_INPUT in legend[0]
    assert at.query_params["palette"] in ("colorblind", ["colorblind"])


def test_palette_from_the_url() -> None:
    at = _started({"palette": "colorblind"})
    assert OKABE_INPUT in _fills(at)


def test_bad_url_flags_are_named_and_ignored() -> None:
    for query in ({"present": "<img src=x onerror=alert(1)>"}, {"palette": "[x](javascript:alert(1))"}):
        at = _started(query)
        assert at.session_state[Keys.PRESENT] is False and at.session_state[Keys.PALETTE] == "paper"
        (err,) = at.error
        assert "Ignored in the link" in err.value
        assert not re.search(r"(?<!\\)[<\[(]", err.value.split("**", 2)[2])  # every bracket escaped


def test_presenting_forward_page_tells_the_live_graph() -> None:
    at = _started({"present": "1"})
    at.switch_page("pages/forward.py").run()
    no_exception(at)
    assert live_data(at)["present"] is True  # large buttons, and the graph fits the screen's height
    at.session_state["fwd_step"] = 1  # what the graph reports after Next
    at.run()
    assert live_data(at)["step"] == 1


# ----- scenes: save and open ---------------------------------------------------------
def test_save_and_open_restores_network_step_settings_and_page() -> None:
    at = _started()
    at.switch_page("pages/forward.py").run()
    at.session_state["fwd_step"] = 2  # two steps in the live graph
    at.run()
    at.number_input(key="fwd_xn_0").set_value(1.25).run()
    no_exception(at)
    net = at.session_state[Keys.NETWORK]
    _save(at, "Forward demo")
    (scene,) = at.session_state[Keys.SCENES]
    assert scene.page == "forward" and scene.step == 2 and scene.settings["fwd_x"] == [1.25]
    assert "Saved scene Forward demo" in _texts(at, "success")

    # change everything: another network, another page, presentation on, another palette
    at.session_state[Keys.NETWORK] = nnviz.presets.xor()
    at.switch_page("pages/network.py").run()
    at.selectbox(key=W.PALETTE).set_value("colorblind").run()
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    assert [t.value for t in at.title] == ["Forward pass"]
    assert at.session_state[Keys.NETWORK] == net
    assert np.array_equal(at.session_state[Keys.NETWORK].weights, net.weights)
    assert at.session_state["fwd_step"] == 2
    assert at.session_state["fwd_x"] == [1.25]
    assert at.number_input(key="fwd_xn_0").value == 1.25
    assert at.session_state[Keys.PALETTE] == "paper"
    assert live_data(at)["step"] == 2  # the graph opens on the saved frame
    assert "Opened scene Forward demo" in _texts(at, "success")


def test_scene_restores_dataset_preset_seed_and_flags() -> None:
    at = _started()
    ds = Dataset("mine", [[0.0], [1.0]], [[1.0], [0.0]], kind="regression")
    at.session_state[Keys.DATASET] = ds
    at.session_state[Keys.PRESET] = Preset("layered", (1, 3, 1), "tanh", "identity", 4)
    at.session_state[Keys.SEED] = 11
    at.toggle(key=W.PRESENT).set_value(True).run()
    _save(at, "Talk")
    at.session_state[Keys.DATASET] = None
    at.session_state[Keys.SEED] = 0
    at.toggle(key=W.PRESENT).set_value(False).run()
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    assert at.session_state[Keys.DATASET].same_as(ds)
    assert at.session_state[Keys.PRESET] == Preset("layered", (1, 3, 1), "tanh", "identity", 4)
    assert at.session_state[Keys.SEED] == 11
    assert at.session_state[Keys.PRESENT] is True and "Architecture" not in _subheaders(at)


def test_training_settings_are_kept_across_pages() -> None:
    at = _started()
    at.session_state[Keys.TRAINING_FORM] = {"step": 0.5, "epochs": 7, "restarts": 3}
    at.switch_page("pages/training.py").run()
    no_exception(at)
    _save(at, "Training")
    (scene,) = at.session_state[Keys.SCENES]
    assert scene.page == "training"
    assert scene.settings["train_step"] == 0.5 and scene.settings["train_epochs"] == 7
    at.session_state[Keys.TRAINING_FORM] = {"step": 0.01}
    at.switch_page("pages/network.py").run()
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    assert [t.value for t in at.title] == ["Training"]
    assert at.number_input(key="train_step").value == 0.5
    assert at.number_input(key="train_epochs").value == 7


def test_same_name_replaces_empty_name_numbers_and_delete() -> None:
    at = _started()
    _save(at, "")
    _save(at, "")
    assert [s.name for s in at.session_state[Keys.SCENES]] == ["Scene 1", "Scene 2"]
    at.session_state[Keys.NETWORK] = nnviz.presets.xor()
    _save(at, "Scene 1")
    names = [s.name for s in at.session_state[Keys.SCENES]]
    assert names == ["Scene 1", "Scene 2"]
    assert at.session_state[Keys.SCENES][0].network == nnviz.presets.xor()
    at.button(key="sc_del_0").click().run()
    assert [s.name for s in at.session_state[Keys.SCENES]] == ["Scene 2"]
    assert "Deleted scene Scene 1" in _texts(at, "success")


def test_hostile_scene_names_are_shown_literally() -> None:
    at = _started()
    for name in ("<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", r"$\def\x{}$"):
        _save(at, name)
    labels = [b.label for b in at.button if b.key and b.key.startswith("sc_open_")]
    assert labels == [
        r"\<img src\=x onerror\=alert\(1\)\>",
        r"\[x\]\(javascript\:alert\(1\)\)",
        r"\$\\def\\x\{\}\$",
    ]


# ----- export and import -----------------------------------------------------------
def _scene_file(*items: Scene) -> bytes:
    return scenes.dumps(list(items)).encode()


def test_import_adds_scenes_and_export_holds_them_all() -> None:
    at = _started()
    _save(at, "Here")
    imported = Scene(name="From file", network=nnviz.presets.non_layered(), page="backprop", step=1, seed=3)
    at.file_uploader(key=W.SCENE_UPLOAD).upload("talk.json", _scene_file(imported), "application/json").run()
    no_exception(at)
    assert [s.name for s in at.session_state[Keys.SCENES]] == ["Here", "From file"]
    assert "Imported 1 scene(s) from talk.json" in _texts(at, "success")
    (download,) = [b for b in at.download_button if b.label == "Export all scenes (JSON)"]
    assert not download.proto.disabled
    exported = scenes.loads(scenes.dumps(at.session_state[Keys.SCENES]))
    assert exported[1].same_as(imported)
    at.button(key="sc_open_1").click().run()
    no_exception(at)
    assert [t.value for t in at.title] == ["Backpropagation"]
    assert at.session_state[Keys.NETWORK] == nnviz.presets.non_layered()
    assert at.session_state["bwd_step"] == 1


def test_a_bad_scenes_file_names_the_field_and_keeps_the_scenes() -> None:
    at = _started()
    _save(at, "Keep me")
    doc = json.loads(_scene_file(Scene(name="Bad", network=nnviz.presets.xor())))
    doc["scenes"][0]["step"] = "three"
    at.file_uploader(key=W.SCENE_UPLOAD).upload("bad.json", json.dumps(doc).encode(), "application/json").run()
    no_exception(at)
    assert [s.name for s in at.session_state[Keys.SCENES]] == ["Keep me"]
    (err,) = at.error
    assert "bad.json: scene #1 (\"Bad\"): 'step' must be a whole number" in err.value.replace("\\", "")


def test_buttons_are_not_settings_and_a_backprop_scene_reopens() -> None:
    at = _started()
    at.switch_page("pages/backprop.py").run()
    at.session_state["bwd_step"] = 1
    at.run()
    no_exception(at)
    _save(at, "Backprop")
    (scene,) = at.session_state[Keys.SCENES]
    assert scene.page == "backprop" and scene.step == 1
    assert "bwd_take_step" not in scene.settings and "bwd_undo" not in scene.settings  # buttons cannot be set
    assert not [k for k in scene.settings if "upload" in k or k.startswith(("pm_", "sc_", "ed_"))]
    at.switch_page("pages/network.py").run()
    at.button(key="sc_open_0").click().run()
    no_exception(at)
    assert [t.value for t in at.title] == ["Backpropagation"] and at.session_state["bwd_step"] == 1
