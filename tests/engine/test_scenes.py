"""nnviz.app.scenes: round trips, and strict validation of hostile scenes files (no streamlit)."""

from __future__ import annotations

import copy
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import files
from nnviz.app import scenes
from nnviz.app.scenes import Scene, SceneError
from nnviz.data import Dataset
from nnviz.edit import Preset
from tests.hostile import cycle_doc

HOSTILE = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", r"$\def\x{}$"]


def _dataset() -> Dataset:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return Dataset("xor <b>", X, np.array([[0.0], [1.0], [1.0], [0.0]]), kind="csv", input_names=("a", "b"))


def _scene(**kw: object) -> Scene:
    base = dict(
        name="Intro",
        network=nnviz.presets.xor(),
        page="forward",
        step=3,
        present=True,
        palette="colorblind",
        seed=7,
        preset=Preset("layered", (2, 3, 1), "tanh", "sigmoid", 5),
        dataset=_dataset(),
        settings={
            "train_epochs": 50,
            "train_step": 0.25,
            "fwd_neuron": "x",
            "fwd_x": [0.0, 1.5],
            "net_show_weights": True,
        },
    )
    base.update(kw)
    return Scene(**base)  # type: ignore[arg-type]


def inline(doc: dict) -> dict:
    """A format-2 document as format 1 (every scene's network and dataset inline)."""
    out = copy.deepcopy(doc)
    for item in out["scenes"]:
        item["network"] = out["networks"][item["network"]]
        if item["dataset"] is not None:
            item["dataset"] = out["datasets"][item["dataset"]]
    return {"format": scenes.FORMAT_V1, "scenes": out["scenes"]}


def _doc() -> dict:
    """One scene in format 1 (inline), so tests can reach into its network and dataset."""
    return inline(json.loads(scenes.dumps([_scene()])))


def _doc2() -> dict:
    return json.loads(scenes.dumps([_scene()]))


def _load(doc: object) -> list[Scene]:
    return scenes.loads(json.dumps(doc))


# ----- round trips -------------------------------------------------------------
def test_round_trip_restores_every_field_exactly() -> None:
    original = _scene()
    (back,) = scenes.loads(scenes.dumps([original]))
    assert back.same_as(original)
    assert back.name == "Intro" and back.page == "forward" and back.step == 3
    assert back.present is True and back.palette == "colorblind" and back.seed == 7
    assert back.preset == Preset("layered", (2, 3, 1), "tanh", "sigmoid", 5)
    assert back.network == original.network
    assert np.array_equal(back.network.weights, original.network.weights)
    assert back.dataset is not None and back.dataset.same_as(original.dataset)
    assert back.dataset.input_names == ("a", "b") and back.dataset.kind == "csv"
    assert back.settings == original.settings


def test_weights_survive_bit_for_bit() -> None:
    rng = np.random.default_rng(3)
    net = nnviz.presets.paper_network()
    net = net.with_weights(rng.normal(0, 1e-3, len(net.edges)) * np.pi)
    (back,) = scenes.loads(scenes.dumps([_scene(network=net)]).encode())
    assert back.network.weights.tobytes() == net.weights.tobytes()


def test_many_scenes_keep_order_and_optional_fields_default() -> None:
    doc = {"format": scenes.FORMAT_V1, "scenes": []}
    for k in range(5):
        doc["scenes"].append({"name": f"s{k}", "network": files.to_dict(nnviz.presets.paper_network())})
    loaded = _load(doc)
    assert [s.name for s in loaded] == ["s0", "s1", "s2", "s3", "s4"]
    assert all(s.page == "network" and s.step == 0 and not s.present and s.dataset is None for s in loaded)
    assert loaded[0].preset == Preset() and loaded[0].settings == {}


def test_test_split_round_trips() -> None:
    ds = Dataset("split", [[0.0], [1.0], [2.0]], [[1.0], [2.0], [3.0]], [[4.0]], [[5.0]])
    (back,) = scenes.loads(scenes.dumps([_scene(dataset=ds)]))
    assert back.dataset.has_test and back.dataset.X_test.tolist() == [[4.0]]


@settings(max_examples=30, deadline=None)
@given(
    name=st.text(min_size=1, max_size=scenes.MAX_NAME_CHARS).filter(lambda s: s.strip() and s.strip().isprintable()),
    step=st.integers(0, scenes.MAX_STEP),
    value=st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        st.integers(-(10**6), 10**6),
    ),
    steps=st.floats(0.0, 10.0),
    label=st.text(max_size=40),
)
def test_any_valid_scene_round_trips(name: str, step: int, value: float, steps: float, label: str) -> None:
    values = {"fwd_x": [value, -value], "train_step": steps, "fwd_neuron": label, "train_log_y": False}
    scene = _scene(name=name, step=step, settings=values, dataset=None)
    (back,) = scenes.loads(scenes.dumps([scene]))
    assert back.same_as(scene)
    assert back.name == name.strip()


def test_hostile_text_is_kept_literally_not_interpreted() -> None:
    for text in HOSTILE:
        (back,) = scenes.loads(scenes.dumps([_scene(name=text, settings={"fwd_neuron": text})]))
        assert back.name == text and back.settings["fwd_neuron"] == text


def test_upsert_replaces_by_name_and_merge_adds() -> None:
    a, b = _scene(name="a"), _scene(name="b")
    a2 = _scene(name="a", step=9)
    assert [s.step for s in scenes.upsert([a, b], a2)] == [9, 3]
    assert [s.name for s in scenes.merge([a], [b, a2])] == ["a", "b"]
    many = [_scene(name=f"n{k}", dataset=None) for k in range(scenes.MAX_SCENES)]
    with pytest.raises(SceneError, match="already 50 scenes"):
        scenes.upsert(many, _scene(name="one more"))


# ----- the file as a whole ---------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'"scenes"', "not a JSON object"),
        (b"null", "not a JSON object"),
        (b'{"scenes": []}', "format is null"),
        (b'{"format": "nnviz.scenes/3", "scenes": []}', "format is"),
        (b'{"format": "nnviz.scenes/2", "scenes": [], "networks": []}', "'networks' must be an object"),
        (b'{"format": "nnviz.network/1", "neurons": [], "edges": []}', "network file"),
        (b'{"format": "nnviz.scenes/1"}', "has no 'scenes'"),
        (b'{"format": "nnviz.scenes/1", "scenes": {}}', "'scenes' must be a list"),
        (b'{"format": "nnviz.scenes/1", "scenes": [NaN]}', "NaN"),
        (b'{"format": "nnviz.scenes/1", "scenes": [Infinity]}', "Infinity"),
        (b'{"format": "nnviz.scenes/1", "scenes": [1' + b"0" * 5000 + b"]}", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format": "nnviz.scenes/1", "scenes": [42]}', "scene #1 is not an object"),
    ],
)
def test_malformed_files_give_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(SceneError, match=message):
        scenes.loads(data)


def test_oversized_file_is_rejected_before_parsing() -> None:
    blob = b" " * (scenes.MAX_FILE_BYTES + 1)
    with pytest.raises(SceneError, match="the limit is 5,000,000"):
        scenes.loads(blob)
    with pytest.raises(SceneError, match="the limit is"):
        scenes.loads(blob.decode())


def test_too_many_scenes_and_duplicates() -> None:
    one = _doc()["scenes"][0]
    doc = {"format": scenes.FORMAT_V1, "scenes": [dict(one, name=f"n{k}") for k in range(scenes.MAX_SCENES + 1)]}
    with pytest.raises(SceneError, match="51 scenes; the limit is 50"):
        _load(doc)
    doc["scenes"] = [one, copy.deepcopy(one)]
    with pytest.raises(SceneError, match=r"scene #2 \(\"Intro\"\): the name is used by an earlier scene"):
        _load(doc)


def test_non_bytes_input() -> None:
    with pytest.raises(SceneError, match="expected JSON text"):
        scenes.loads(12)  # type: ignore[arg-type]


# ----- every field, wrong types and values ---------------------------------------------
WRONG = [1, 1.5, True, None, "text", [], {}, [1, 2]]
VALID = {  # field -> the values among WRONG that are valid there (compared with their types)
    "name": ["text"],
    "page": [],
    "step": [1],
    "present": [True],
    "palette": [],
    "seed": [1],
    "preset": [],
    "network": [],
    "dataset": [None],
    "settings": [{}],
}


@pytest.mark.parametrize("field", list(VALID))
@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_wrong_type_in_every_scene_field_names_the_field(field: str, value: object) -> None:
    doc = _doc()
    doc["scenes"][0][field] = value
    if any(type(v) is type(value) and v == value for v in VALID[field]):
        (scene,) = _load(doc)
        assert scene.name
        return
    with pytest.raises(SceneError) as info:
        _load(doc)
    text = str(info.value)
    assert text.startswith("scene #1"), text
    assert f"'{field}'" in text, text


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("preset", "name"), "deep", "use one of paper"),
        (("preset", "name"), 3, "'name' must be text"),
        (("preset", "sizes"), "2,4,1", "'sizes' must be a list"),
        (("preset", "sizes"), [2, "4", 1], "short list of whole numbers"),
        (("preset", "sizes"), [2, 0, 1], "layer 2 is empty"),
        (("preset", "sizes"), [2, 10_000, 1], "the limit is"),
        (("preset", "activation"), "evil", "unknown activation"),
        (("preset", "activation"), None, "'activation' must be text"),
        (("preset", "seed"), -1, "'seed' is -1"),
        (("preset", "seed"), 1.5, "'seed' must be a whole number"),
        (("dataset", "kind"), "pickle", "'kind' is \"pickle\""),
        (("dataset", "name"), ["x"], "'name' must be text"),
        (("dataset", "X"), "1,2", "'X' must be a non-empty list of rows"),
        (("dataset", "X"), [], "'X' must be a non-empty list of rows"),
        (("dataset", "X"), [[0.0, "1"]] * 4, 'holds "1", which is not a number'),
        (("dataset", "X"), [[0.0, True]] * 4, "holds true"),
        (("dataset", "X"), [[0.0, 1.0], [1.0]] * 2, "'dataset'"),
        (("dataset", "X"), [[10**400, 0.0]] * 4, "'dataset'"),
        (("dataset", "Y"), [[0.0]], "X has 4 rows and Y has 1"),
        (("dataset", "X_test"), [[0.0, 0.0]], "both X_test and Y_test"),
        (("dataset", "input_names"), "ab", "'input_names' must be a list"),
        (("dataset", "input_names"), ["a"], "1 column names for 2 columns"),
        (("network", "format"), "x", "'network': the file's format"),
        (("network", "neurons"), None, "'network'"),
        (("settings", "train_epochs"), float("nan"), "NaN"),
        (("settings", "train_epochs"), 2**60, "'train_epochs' is 1152921504606846976; it must lie between 1 and 20000"),
        (("settings", "train_epochs"), {"a": 1}, "setting 'train_epochs' must be a number"),
        (("settings", "train_epochs"), 2.5, "setting 'train_epochs' must be a whole number"),
        (("settings", "train_step"), 1e308, "setting 'train_step' is 1e\\+308; it must lie between 0 and 10"),
        (("settings", "train_restarts"), -5, "setting 'train_restarts' is -5; it must lie between 1 and 1000"),
        (("settings", "train_log_y"), "yes please", "setting 'train_log_y' must be true or false"),
        (("settings", "train_order"), "<img>", "setting 'train_order' is '<img>'; use one of 'listed'"),
        (("settings", "fwd_neuron"), "x" * 41, "41 characters"),
        (("settings", "fwd_x"), [1] * 2001, "2001 items"),
        (("settings", "fwd_x"), [[1]], "item 1 must be a number"),
        (("settings", "fwd_x"), [1e7], "item 1 is 1e\\+07; it must lie between -1e\\+06 and 1e\\+06"),
        (("settings", "train_ones"), ["01", "abcdef"], "item 2 has 6 characters"),
    ],
)
def test_wrong_values_inside_nested_fields(path: tuple[str, str], value: object, message: str) -> None:
    doc = _doc()
    doc["scenes"][0][path[0]][path[1]] = value
    text = json.dumps(doc)
    with pytest.raises(SceneError, match=message) as info:
        scenes.loads(text)
    assert str(info.value).startswith(("scene #1", "the file contains NaN")), str(info.value)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "'name' is empty"),
        ("name", "   ", "'name' is empty"),
        ("name", "x" * 81, "81 characters"),
        ("name", "a\nb", "control character"),
        ("page", "../../etc/passwd", "use one of network"),
        ("page", "https://evil.example", "use one of network"),
        ("step", -1, "'step' is -1"),
        ("step", 10**400, "'step' is"),
        ("seed", 2**40, "'seed' is"),
        ("palette", "<script>", "use one of paper"),
        ("extra", 1, 'unknown field "extra"'),
    ],
)
def test_bad_values_in_scene_fields(field: str, value: object, message: str) -> None:
    doc = _doc()
    doc["scenes"][0][field] = value
    with pytest.raises(SceneError, match=message):
        _load(doc)


@pytest.mark.parametrize("key", ["Bad-Key", "nnviz_network", "$$WIDGET_ID-x", "fwd_xs_0", "train_run"])
def test_settings_the_table_does_not_declare(key: str) -> None:
    """Format 2 refuses them, naming the key; format 1 (which stored every widget of a page) drops them."""
    doc = _doc2()
    doc["scenes"][0]["settings"][key] = 1
    with pytest.raises(SceneError, match=r"scene #1 \(\"Intro\"\): .* is not a setting this app stores"):
        _load(doc)
    (scene,) = _load(inline(doc))
    assert key not in scene.settings and scene.settings == _scene().settings


def test_too_many_settings_and_oversized_dataset() -> None:
    doc = _doc2()
    doc["scenes"][0]["settings"] = {f"k{j}": j for j in range(1000)}
    with pytest.raises(SceneError, match="1000 entries"):
        _load(doc)
    doc = _doc()
    rows = scenes.MAX_DATASET_VALUES // 2 + 1
    doc["scenes"][0]["dataset"]["X"] = [[0.0, 1.0]] * rows
    doc["scenes"][0]["dataset"]["Y"] = [[0.0]] * rows
    with pytest.raises(SceneError, match="more than 250,000 numbers"):
        _load(doc)


def test_bad_networks_inside_a_scene_name_the_problem() -> None:
    cycle = cycle_doc()
    doc = _doc()
    doc["scenes"][0]["network"] = cycle
    with pytest.raises(SceneError, match=r"scene #1 \(\"Intro\"\): 'network': .*cycle"):
        _load(doc)
    big = {"format": files.FORMAT, "neurons": [{"id": str(k), "role": "input"} for k in range(10_000)], "edges": []}
    doc["scenes"][0]["network"] = big
    with pytest.raises(SceneError, match="10000 neurons; the limit is 2000"):
        _load(doc)
    doc["scenes"][0]["network"] = files.to_dict(nnviz.presets.xor())
    doc["scenes"][0]["network"]["edges"][0]["weight"] = 1e400  # json.dumps writes Infinity
    with pytest.raises(SceneError, match="Infinity"):
        _load(doc)


def test_scene_constructor_validates_too() -> None:
    with pytest.raises(SceneError, match="'network' must be a Network"):
        Scene(name="x", network="net")  # type: ignore[arg-type]
    with pytest.raises(SceneError, match="'present' must be true or false"):
        Scene(name="x", network=nnviz.presets.xor(), present=1)  # type: ignore[arg-type]
    with pytest.raises(SceneError, match="'dataset' must be a Dataset"):
        Scene(name="x", network=nnviz.presets.xor(), dataset=[[1]])  # type: ignore[arg-type]
    with pytest.raises(SceneError, match="'settings' must be an object"):
        Scene(name="x", network=nnviz.presets.xor(), settings=[("a", 1)])  # type: ignore[arg-type]
    values = {"train_epochs": np.int64(3), "train_step": np.float64(0.5), "train_scale": 2}
    scene = Scene(name="  padded  ", network=nnviz.presets.xor(), settings=values)
    assert scene.name == "padded" and scene.settings == {"train_epochs": 3, "train_scale": 2.0, "train_step": 0.5}
    assert type(scene.settings["train_epochs"]) is int and type(scene.settings["train_scale"]) is float


def test_scene_palettes_are_the_figures_palettes():
    from nnviz.figures.style import PALETTES

    assert tuple(PALETTES) == scenes.PALETTE_NAMES


@pytest.mark.parametrize("value", [-0.0, -5e-324])
def test_minus_zero_in_a_setting_is_zero(value: float) -> None:
    """Issue 22: -0.0 passed the ">= 0" check and reached numpy's sampler as a scale of -0.0.

    -0.0 is stored as 0; a negative subnormal is below the range and refused.
    """
    doc = _doc2()
    doc["scenes"][0]["settings"]["train_scale"] = value
    if value == 0:
        (scene,) = _load(doc)
        assert math.copysign(1.0, scene.settings["train_scale"]) == 1.0
    else:
        with pytest.raises(SceneError, match=r"'train_scale' is -4\.94066e-324; it must lie between 0 and 100"):
            _load(doc)


@pytest.mark.parametrize("key", ["extra", "Scenes", "networks ", "<img src=x onerror=alert(1)>"])
@pytest.mark.parametrize("v1", [False, True], ids=["format 2", "format 1"])
def test_an_unknown_top_level_field_is_refused_by_name(key: str, v1: bool) -> None:
    """Issue 22: unknown fields inside a scene were refused, but not at the file's top level."""
    doc = _doc() if v1 else _doc2()
    doc[key] = 1
    with pytest.raises(SceneError, match=f"the file has an unknown field {re.escape(json.dumps(key))}"):
        _load(doc)
    doc = _doc()
    doc["networks"] = {}  # a format-2 table in a format-1 file: not read, so refused
    with pytest.raises(SceneError, match=r'unknown field "networks"; a nnviz\.scenes/1 file holds format, scenes'):
        _load(doc)
