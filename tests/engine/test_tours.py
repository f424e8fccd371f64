"""nnviz.app.tours: round trips, cues, old scenes files, and hostile tour files (the scenes suite, inside a tour)."""

from __future__ import annotations

import copy
import json
import math

import pytest

import nnviz
from nnviz.app import scenes, tours
from nnviz.app.scenes import SceneError
from nnviz.app.tours import Step, Tour
from tests.engine import test_scenes
from tests.hostile import HOSTILE

TRAIN = {"step": 0.5, "epochs": 200, "restarts": 20, "seed": 3, "scale": 1.0, "order": "shuffled"}


def _tour(**kw: object) -> Tour:
    scene = test_scenes._scene()
    steps = (
        Step(scene, "The network", "Say: twelve weights.", frame=5, select="3", show="One <b>neuron</b>"),
        Step(test_scenes._scene(name="Edge", page="backprop"), "An edge", select="1->4"),
        Step(test_scenes._scene(name="Train", page="training"), "Training", train=TRAIN),
    )
    base: dict[str, object] = {"name": "Talk", "steps": steps}
    base.update(kw)
    return Tour(**base)  # type: ignore[arg-type]


def _doc() -> dict:
    return json.loads(tours.dumps([_tour()]))


def _load(doc: object) -> list[Tour]:
    return tours.loads(json.dumps(doc))


def test_round_trip_keeps_scenes_titles_notes_and_cues_exactly() -> None:
    original = _tour()
    (back,) = tours.loads(tours.dumps([original]))
    assert back.same_as(original) and back.name == "Talk"
    assert [s.title for s in back.steps] == ["The network", "An edge", "Training"]
    assert back.steps[0].notes == "Say: twelve weights." and back.steps[0].frame == 5
    assert back.steps[0].select == "3" and back.steps[1].select == "1->4"
    assert back.steps[2].train == TRAIN and back.steps[0].train is None
    assert back.steps[0].show == "One <b>neuron</b>" and back.steps[1].show is None
    for a, b in zip(back.steps, original.steps, strict=True):
        assert a.scene.same_as(b.scene)


def test_hostile_text_is_kept_literally() -> None:
    steps = tuple(Step(test_scenes._scene(name=f"s{k}"), text, notes=text * 3) for k, text in enumerate(HOSTILE))
    (back,) = tours.loads(tours.dumps([Tour(HOSTILE[0], steps)]))
    assert back.name == HOSTILE[0] and [s.title for s in back.steps] == list(HOSTILE)
    assert back.steps[2].notes == HOSTILE[2] * 3


def test_an_old_scenes_file_imports_as_one_tour() -> None:
    items = [test_scenes._scene(name="a"), test_scenes._scene(name="b", page="why")]
    (tour,) = tours.loads(scenes.dumps(items), name="talk.json")
    assert tour.name == "talk.json" and [s.title for s in tour.steps] == ["a", "b"]
    assert tour.steps[1].scene.same_as(items[1]) and tour.steps[0].notes == ""
    with pytest.raises(SceneError, match="no scenes"):
        tours.loads(scenes.dumps([]))
    with pytest.raises(SceneError, match="'step' must be a whole number"):  # the scenes validation answers
        bad = json.loads(scenes.dumps(items))
        bad["scenes"][0]["step"] = "three"
        tours.loads(json.dumps(bad))


def test_upsert_replaces_by_name_and_caps() -> None:
    a, b = _tour(), _tour(name="Other")
    shorter = _tour(steps=_tour().steps[:1])
    assert [len(t.steps) for t in tours.upsert([a, b], shorter)] == [1, 3]
    many = [_tour(name=f"t{k}") for k in range(tours.MAX_TOURS)]
    with pytest.raises(SceneError, match="already 20 tours"):
        tours.upsert(many, _tour(name="one more"))


# ----- the file as a whole ---------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"tours": []}', "format is null"),
        (b'{"format": "nnviz.tours/9", "tours": []}', "format is"),
        (b'{"format": "nnviz.scenes/9", "scenes": []}', "format is"),
        (b'{"format": "nnviz.tours/1"}', "has no 'tours'"),
        (b'{"format": "nnviz.tours/1", "tours": {}}', "'tours' must be a list"),
        (b'{"format": "nnviz.tours/1", "tours": [NaN]}', "NaN"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format": "nnviz.tours/1", "tours": [42]}', "tour #1 is not an object"),
        (b'{"format": "nnviz.tours/1", "tours": [{"name": "t", "steps": []}]}', "0 steps; a tour has 1 to"),
        (b'{"format": "nnviz.tours/1", "tours": [{"name": "t", "steps": [7]}]}', "tour #1 .*step 1 is not an object"),
        (b'{"format": "nnviz.tours/1", "tours": [{"name": "", "steps": [7]}]}', "'name' is empty"),
    ],
)
def test_malformed_files_give_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(SceneError, match=message):
        tours.loads(data)


def test_oversized_file_too_many_tours_steps_and_duplicates() -> None:
    with pytest.raises(SceneError, match="the limit is 5,000,000"):
        tours.loads(b" " * (tours.MAX_FILE_BYTES + 1))
    one = _doc()["tours"][0]
    with pytest.raises(SceneError, match="21 tours; the limit is 20"):
        _load({"format": tours.FORMAT, "tours": [dict(one, name=f"t{k}") for k in range(21)]})
    with pytest.raises(SceneError, match="61 steps"):
        _load({"format": tours.FORMAT, "tours": [dict(one, steps=one["steps"][:1] * 61)]})
    with pytest.raises(SceneError, match=r"tour #2 \(\"Talk\"\): the name is used by an earlier tour"):
        _load({"format": tours.FORMAT, "tours": [one, copy.deepcopy(one)]})


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("title",), "", "'title' is empty"),
        (("title",), "x" * 81, "81 characters"),
        (("title",), 5, "'title' must be text"),
        (("notes",), ["x"], "'notes' must be text"),
        (("notes",), "x" * 4001, "4001 characters; the limit is 4000"),
        (("extra",), 1, 'unknown field "extra"'),
        (("cues",), [1], "'cues' must be an object"),
        (("cues", "later"), 1, "'cues' has an unknown field"),
        (("cues", "frame"), -1, "'frame' is -1"),
        (("cues", "frame"), "6", "'frame' must be a whole number"),
        (("cues", "select"), "1->7", "neither a neuron nor an edge"),
        (("cues", "select"), "<img src=x onerror=alert(1)>", "neither a neuron nor an edge"),
        (("cues", "select"), 3, "'select' must be a neuron id"),
        (("cues", "train"), 1, "'train' must be an object"),
        (("cues", "show"), 1, "'show' must be text"),
        (("cues", "show"), "a\nb", "'show' contains a control character"),
        (("cues", "train", "epochs"), 10**9, "'epochs' is 1000000000"),
        (("cues", "train", "restarts"), 0, "'restarts' is 0"),
        (("cues", "train", "step"), float("inf"), "Infinity"),
        (("cues", "train", "step"), "0.1", "'step' must be a finite number"),
        (("cues", "train", "seed"), True, "'seed' must be a whole number"),
        (("cues", "train", "order"), "random", "'order' is"),
        (("cues", "train", "evil"), 1, 'unknown field "evil"'),
        (("scene",), None, "'scene' must be an object"),
    ],
)
def test_bad_steps_and_cues_name_the_tour_step_and_field(where: tuple[str, ...], value: object, message: str) -> None:
    doc = _doc()
    target = doc["tours"][0]["steps"][2 if where[1:2] == ("train",) else 0]
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    with pytest.raises(SceneError, match=message) as info:
        _load(doc)
    assert str(info.value).startswith(("tour #1", "the file contains")), str(info.value)


# ----- the scenes suite, with the scene inside a tour's step -----------------------
def _cases(test: object) -> list:
    (mark,) = [m for m in test.pytestmark if m.name == "parametrize"]  # type: ignore[attr-defined]
    return list(mark.args[1])


@pytest.mark.parametrize(("path", "value", "message"), _cases(test_scenes.test_wrong_values_inside_nested_fields))
def test_scene_nested_field_cases_inside_a_tour(path: tuple[str, str], value: object, message: str) -> None:
    doc = _doc()
    doc["tours"][0]["steps"][0]["scene"][path[0]][path[1]] = value
    with pytest.raises(SceneError, match=message) as info:
        _load(doc)
    assert str(info.value).startswith(('tour #1 ("Talk"), step 1', "the file contains NaN")), str(info.value)


@pytest.mark.parametrize(("field", "value", "message"), _cases(test_scenes.test_bad_values_in_scene_fields))
def test_scene_field_cases_inside_a_tour(field: str, value: object, message: str) -> None:
    doc = _doc()
    doc["tours"][0]["steps"][0]["scene"][field] = value
    with pytest.raises(SceneError, match=message) as info:
        _load(doc)
    assert str(info.value).startswith('tour #1 ("Talk"), step 1'), str(info.value)


@pytest.mark.parametrize("field", list(test_scenes.VALID))
@pytest.mark.parametrize("value", test_scenes.WRONG, ids=repr)
def test_wrong_type_in_every_scene_field_of_a_step(field: str, value: object) -> None:
    doc = _doc()
    doc["tours"][0]["steps"][0]["scene"][field] = value
    if any(type(v) is type(value) and v == value for v in test_scenes.VALID[field]):
        assert _load(doc)
        return
    with pytest.raises(SceneError, match=f"'{field}'"):
        _load(doc)


def test_constructors_validate_too() -> None:
    scene = test_scenes._scene()
    with pytest.raises(SceneError, match="needs a Scene"):
        Step("scene", "t")  # type: ignore[arg-type]
    with pytest.raises(SceneError, match="has no steps"):
        Tour("t", ())
    with pytest.raises(SceneError, match="'select' is \"9\""):
        Step(scene.__class__(name="x", network=nnviz.presets.xor()), "t", select="9")
    assert Step(scene, "  padded  ").title == "padded"


# ----- the built-in tour -----------------------------------------------------------
def test_the_shipped_paper_tour_is_what_the_builder_makes_and_follows_the_paper() -> None:
    from nnviz.app import paper_tour

    assert paper_tour.PATH.read_text(encoding="utf-8") == paper_tour.text(), "run python -m nnviz.app.paper_tour"
    tour = tours.builtin("paper")
    assert tour.same_as(paper_tour.build()) and tour.name == "The paper in one talk"
    assert 12 <= len(tour.steps) <= 16
    pages = [s.scene.page for s in tour.steps]
    assert pages == sorted(pages, key=["network", "forward", "backprop", "training", "why"].index)
    titles = " | ".join(s.title for s in tour.steps)
    for words in ("Figure 4", "neuron 4", "One step of gradient descent", "restarts", "Brute force", "XOR",
                  "collapses", "width", "Counting"):  # fmt: skip
        assert words in titles, words
    assert all(s.notes and s.scene.present for s in tour.steps)
    walks = [s for s in tour.steps if s.frame is not None]
    assert [s.scene.page for s in walks] == ["forward", "backprop"] and all(s.scene.step == 0 for s in walks)
    trains = [s for s in tour.steps if s.train is not None]
    assert trains and all(s.scene.page == "training" and s.train["seed"] == 0 for s in trains)
    with pytest.raises(KeyError):
        tours.builtin("nope")


# ----- editing -----------------------------------------------------------------------
def test_add_move_edit_delete_steps() -> None:
    a, b, c = (Step(test_scenes._scene(name=n), n) for n in "abc")
    tour = tours.add_step(None, "Mine", a)
    tour = tours.add_step(tours.add_step(tour, "ignored", b), "ignored", c)
    assert tour.name == "Mine" and [s.title for s in tour.steps] == ["a", "b", "c"]
    assert [s.title for s in tours.move_step(tour, 2, -1).steps] == ["a", "c", "b"]
    assert [s.title for s in tours.move_step(tour, 0, -1).steps] == ["a", "b", "c"]  # clamped
    assert [s.title for s in tours.move_step(tour, 0, 5).steps] == ["b", "c", "a"]
    edited = tours.edit_step(tour, 1, title=HOSTILE[0], notes=HOSTILE[1])
    assert edited.steps[1].title == HOSTILE[0] and edited.steps[1].notes == HOSTILE[1]
    assert edited.steps[1].scene is tour.steps[1].scene
    with pytest.raises(SceneError, match="'title' is empty"):
        tours.edit_step(tour, 0, title=" ")
    with pytest.raises(SceneError, match="4001 characters"):
        tours.edit_step(tour, 0, notes="x" * 4001)
    with pytest.raises(SceneError, match="has no step 4"):
        tours.delete_step(tour, 3)
    one = tours.delete_step(tours.delete_step(tour, 0), 0)
    assert [s.title for s in one.steps] == ["c"] and tours.delete_step(one, 0) is None
    full = Tour("full", (a,) * tours.MAX_STEPS)
    with pytest.raises(SceneError, match="61 steps"):
        tours.add_step(full, "full", a)


@pytest.mark.parametrize("name", ["step", "scale"])
def test_minus_zero_in_a_train_cue_is_zero(name: str) -> None:
    """Issue 22: a train cue's -0.0 is stored as 0 (numpy's sampler refuses a scale of -0.0)."""
    doc = _doc()
    doc["tours"][0]["steps"][2]["cues"]["train"][name] = -0.0
    (tour,) = _load(doc)
    assert math.copysign(1.0, tour.steps[2].train[name]) == 1.0
    doc["tours"][0]["steps"][2]["cues"]["train"][name] = -5e-324
    with pytest.raises(SceneError, match=rf"'{name}' is -5e-324; it must lie between 0 and"):
        _load(doc)


@pytest.mark.parametrize("key", ["extra", "scenes", "Tours"])
def test_an_unknown_top_level_field_of_a_tours_file_is_refused_by_name(key: str) -> None:
    """Issue 22: a file's unknown top-level field was accepted silently."""
    doc = _doc()
    doc[key] = []
    with pytest.raises(SceneError, match=rf'the file has an unknown field "{key}"; a nnviz\.tours/1 file holds'):
        _load(doc)
    scenes_doc = test_scenes._doc2()
    scenes_doc["tours"] = []
    with pytest.raises(SceneError, match='unknown field "tours"'):  # a scenes file imported as a tour
        tours.loads(json.dumps(scenes_doc))


def test_every_training_step_of_the_shipped_tour_reaches_a_good_fit() -> None:
    """Issue 25.2: a shipped tour shows success. Each training cue, trained through the engine on the data the
    Training page has by default (the step's scene names none), ends with a best loss that is not "still high"."""
    from nnviz import data
    from nnviz.app import advice
    from nnviz.app.trainjob import TrainingJob, TrainSettings

    trains = [s for s in tours.builtin("paper").steps if s.train is not None]
    assert len(trains) >= 2
    ds = data.regression("sine", 32, 0.0, -2.0, 2.0, 0)  # the Training page's default data
    for step in trains:
        assert step.scene.dataset is None and step.scene.page == "training", step.title
        cue = step.train
        net = data.adapt_network(step.scene.network, ds.n_in, ds.n_out)
        settings = TrainSettings(float(cue["step"]), int(cue["epochs"]), int(cue["restarts"]), int(cue["seed"]),
                                 float(cue["scale"]), cue["order"] == "shuffled")  # fmt: skip
        job = TrainingJob(net, ds, settings)  # what the Training page runs
        best = float(job.run().final_loss[job.result().best])
        assert not advice.is_high(best, ds.Y), (step.title, best)
        assert best < advice.DEFAULTS["regression"].loss, (step.title, best)
