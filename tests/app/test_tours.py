"""AppTest of tours: the shipped tour step by step (each scene restored exactly), cues, the link, Esc/End."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnviz.app import tours
from nnviz.app.scenes import Scene
from nnviz.ui import presenter, tour_run
from nnviz.ui.state import Keys
from tests.app.conftest import new_app, no_exception

PAPER = tours.builtin("paper")
TITLES = {"network": "The network", "forward": "Forward pass", "backprop": "Backpropagation",
          "training": "Training", "why": "Why it works"}  # fmt: skip


def _press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    no_exception(at)
    return at


def _bar(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown if m.value.startswith("**Step "))


def assert_restored(at: AppTest, scene: Scene) -> None:
    """The session shows ``scene``: page, network and weights, seed, preset, dataset, frame, settings."""
    ss = at.session_state
    assert [t.value for t in at.title] == [TITLES[scene.page]]
    net = ss[Keys.NETWORK]
    assert net == scene.network and np.array_equal(net.weights, scene.network.weights)
    assert ss[Keys.SEED] == scene.seed and ss[Keys.PRESET] == scene.preset
    assert ss[Keys.PALETTE] == scene.palette
    if scene.dataset is not None:
        assert ss[Keys.DATASET].same_as(scene.dataset)
    if scene.page in ("forward", "backprop"):
        assert ss[f"{'fwd' if scene.page == 'forward' else 'bwd'}_step"] == scene.step
    for key, value in scene.settings.items():
        assert ss[key] == value, key


def assert_stepped(at: AppTest, step: tours.Step) -> None:
    """Issue 25.4: arriving at a step with an ``sgd`` cue took one SGD step of that size from the scene's weights:
    the graph has the new weights, the loss on the point fell, and the table of every weight before and after
    is on the page."""
    (record,) = at.session_state["bwd_history"]
    assert record.before == step.scene.network and np.array_equal(record.before.weights, step.scene.network.weights)
    assert record.step_size == step.sgd and record.loss_after < record.loss_before
    net = at.session_state[Keys.NETWORK]
    assert np.array_equal(net.weights, record.after.weights)
    assert not np.array_equal(net.weights, record.before.weights)
    table = at.dataframe[0].value
    assert list(table["old w"]) == list(record.before.weights) and list(table["new w"]) == list(record.after.weights)


def test_the_paper_tour_from_start_to_end_restores_every_step() -> None:
    at = new_app()
    at.run()
    _press(at, "tour_start_paper")
    assert at.session_state[Keys.PRESENT] is True
    for k, step in enumerate(PAPER.steps):
        assert _bar(at).startswith(f"**Step {k + 1} of {len(PAPER.steps)}**"), _bar(at)
        if step.sgd is not None:
            assert_stepped(at, step)
        else:
            assert_restored(at, step.scene)
        if step.select is not None and step.scene.page == "forward":
            assert at.session_state["fwd_neuron"] == step.select
        if step.frame is not None:  # Next walks the animation to the frame cue first
            prefix = "fwd" if step.scene.page == "forward" else "bwd"
            for frame in range(step.scene.step + 1, step.frame + 1):
                _press(at, presenter.TOUR_NEXT)
                assert at.session_state[f"{prefix}_step"] == frame
                assert _bar(at).startswith(f"**Step {k + 1} of")
        if step.train is not None:
            job = at.session_state[Keys.TRAINING]
            assert job is not None and job.finished and job.settings.seed == step.train["seed"]
            assert job.settings.restarts == step.train["restarts"]
        if k + 1 < len(PAPER.steps):
            _press(at, presenter.TOUR_NEXT)
    assert at.button(key=presenter.TOUR_NEXT).disabled  # the last step
    _press(at, presenter.TOUR_PREV)
    assert _bar(at).startswith(f"**Step {len(PAPER.steps) - 1} of")
    assert_restored(at, PAPER.steps[-2].scene)
    _press(at, presenter.TOUR_END)
    assert at.session_state[Keys.TOUR] is None and _bar(at) == ""
    assert_restored(at, PAPER.steps[-2].scene)  # the view stays


def test_notes_are_hidden_until_asked() -> None:
    at = new_app()
    at.run()
    _press(at, "tour_start_paper")
    notes = PAPER.steps[0].notes[:30]
    assert not any(notes in m.value.replace("\\", "") for m in at.markdown)
    _press(at, presenter.TOUR_NOTES)
    assert any(notes in m.value.replace("\\", "") for m in at.markdown)
    _press(at, presenter.TOUR_NOTES)
    assert not any(notes in m.value.replace("\\", "") for m in at.markdown)


def test_presentation_stays_off_when_the_presenter_switches_it_off() -> None:
    at = new_app()
    at.run()
    _press(at, "tour_start_paper")
    at.toggle(key="pm_present").set_value(False).run()
    _press(at, presenter.TOUR_NEXT)
    assert at.session_state[Keys.PRESENT] is False and _bar(at).startswith("**Step 2 of")


def test_a_link_opens_a_tour_at_a_step() -> None:
    at = new_app({"tour": "paper", "step": "5"})
    at.run()
    no_exception(at)
    assert _bar(at).startswith("**Step 5 of")
    assert_restored(at, PAPER.steps[4].scene)
    assert at.session_state["bwd_neuron"] == "4"
    assert at.session_state[Keys.PRESENT] is True


def test_the_next_step_on_the_same_run_shows_it_without_training_again() -> None:
    """Steps 7 and 8 cue the same seeded run: arriving at 8 (or back at 7) keeps the finished job; a step
    without the cue clears it; a changed data setting or a stopped run trains anew on arrival."""
    k = next(i for i, s in enumerate(PAPER.steps) if s.train is not None)
    assert PAPER.steps[k + 1].train == PAPER.steps[k].train
    at = new_app({"tour": "paper", "step": str(k + 1)})
    at.run()
    no_exception(at)
    job = at.session_state[Keys.TRAINING]
    assert job.finished and job.settings.epochs == PAPER.steps[k].train["epochs"]
    _press(at, presenter.TOUR_NEXT)
    assert at.session_state[Keys.TRAINING] is job and _bar(at).startswith(f"**Step {k + 2} of")
    _press(at, presenter.TOUR_PREV)
    assert at.session_state[Keys.TRAINING] is job
    at.slider(key="train_points").set_value(20).run()  # the presenter changes the data on the page
    no_exception(at)
    _press(at, presenter.TOUR_NEXT)
    again = at.session_state[Keys.TRAINING]
    assert again is not job and again.finished and again.data.size == 32  # the cue's data, trained anew
    again.stopped = True  # a run the presenter stopped is not the cued run
    _press(at, presenter.TOUR_PREV)
    assert at.session_state[Keys.TRAINING] is not again and not at.session_state[Keys.TRAINING].stopped


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"tour": "<img src=x onerror=alert(1)>"}, "is not a tour of this app"),
        ({"tour": "paper", "step": "0"}, "not a step number from 1 to 14"),
        ({"tour": "paper", "step": "99"}, "not a step number"),
        ({"tour": "paper", "step": "-1"}, "not a step number"),
        ({"tour": "paper", "step": "2.5"}, "not a step number"),
    ],
)
def test_bad_tour_links_are_named_and_ignored(query: dict[str, str], message: str) -> None:
    at = new_app(query)
    at.run()
    no_exception(at)
    assert at.session_state[Keys.TOUR] is None
    (err,) = at.error
    assert message in err.value.replace("\\", "")


# ----- tours of one's own ----------------------------------------------------------
def _add(at: AppTest, title: str, name: str | None = None) -> AppTest:
    if name is not None:
        at.text_input(key="tr_name").set_value(name)
    at.text_input(key="tr_title").set_value(title)
    at.button(key="FormSubmitter:tour_add_form-Add this view as a step").click().run()
    no_exception(at)
    return at


def test_write_a_tour_add_retitle_notes_reorder_delete_and_run_it() -> None:
    at = new_app()
    at.run()
    _add(at, "Intro", name="My talk")
    at.switch_page("pages/forward.py").run()
    at.session_state["fwd_step"] = 1  # the live graph's Next (a browser click) keeps its step here
    at.run()
    _add(at, "Forward")
    at.switch_page("pages/why.py").run()
    _add(at, "<img src=x onerror=alert(1)>")
    (tour,) = at.session_state[Keys.TOURS]
    assert tour.name == "My talk" and [s.title for s in tour.steps] == [
        "Intro",
        "Forward",
        "<img src=x onerror=alert(1)>",
    ]
    assert tour.steps[1].scene.page == "forward" and tour.steps[1].scene.step == 1
    at.text_input(key="tr_t_0_0").set_value("Opening").run()
    at.text_area(key="tr_n_0_0").set_value("Say hello. $x$ [link](javascript:alert(1))").run()
    at.button(key="tr_up_0_2").click().run()
    no_exception(at)
    (tour,) = at.session_state[Keys.TOURS]
    assert [s.title for s in tour.steps] == ["Opening", "<img src=x onerror=alert(1)>", "Forward"]
    assert tour.steps[0].notes == "Say hello. $x$ [link](javascript:alert(1))"
    at.text_input(key="tr_t_0_1").set_value("   ").run()  # refused: nothing lost
    assert "'title' is empty" in at.error[0].value.replace("\\", "") and at.session_state[Keys.TOURS][0].steps[
        1
    ].title.startswith("<img")
    at.button(key="tr_del_0_1").click().run()
    assert [s.title for s in at.session_state[Keys.TOURS][0].steps] == ["Opening", "Forward"]
    _press(at, "tour_start_own_0")
    assert _bar(at).startswith("**Step 1 of 2**") and at.session_state[Keys.PRESENT] is True
    _press(at, presenter.TOUR_NOTES)
    notes = [m.value for m in at.markdown if m.value.startswith("**Notes**")]
    assert notes and "\\[link\\]\\(javascript" in notes[0] and "\\$x\\$" in notes[0]  # escaped, never interpreted
    _press(at, presenter.TOUR_NEXT)
    assert_restored(at, at.session_state[Keys.TOURS][0].steps[1].scene)
    assert "tour" not in at.query_params  # a tour of one's own has no link


def test_export_and_import_tours_and_old_scenes_files() -> None:
    at = new_app()
    at.run()
    _add(at, "Intro", name="Mine")
    text = tours.dumps(at.session_state[Keys.TOURS])
    fresh = new_app()
    fresh.run()
    fresh.file_uploader(key="tr_upload").upload("talk.json", text.encode(), "application/json").run()
    no_exception(fresh)
    (tour,) = fresh.session_state[Keys.TOURS]
    assert tour.same_as(at.session_state[Keys.TOURS][0])
    old = scenes_dumps_of(PAPER.steps[0].scene, PAPER.steps[3].scene)
    fresh.file_uploader(key="tr_upload").upload("old talk.json", old, "application/json").run()
    assert [t.name for t in fresh.session_state[Keys.TOURS]] == ["Mine", "old talk"]
    assert len(fresh.session_state[Keys.TOURS][1].steps) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": "nnviz.tours/1", "tours": [{"name": "t", "steps": [{"title": "x"}]}]}', "has no 'scene'"),
        (
            b'{"format": "nnviz.tours/1", "tours": [{"name": "<img src=x onerror=alert(1)>", "steps": 3}]}',
            "'steps' must be a list",
        ),
    ],
)
def test_a_hostile_tours_file_names_the_problem_and_keeps_the_tours(data: bytes, message: str) -> None:
    at = new_app()
    at.run()
    _add(at, "Keep", name="Keep me")
    at.file_uploader(key="tr_upload").upload("bad <b>.json", data, "application/json").run()
    no_exception(at)
    assert [t.name for t in at.session_state[Keys.TOURS]] == ["Keep me"]
    (err,) = at.error
    assert message in err.value.replace("\\", "") and "<b>" not in err.value


def scenes_dumps_of(*items: Scene) -> bytes:
    from nnviz.app import scenes

    return scenes.dumps(list(items)).encode()


def _warm_parts(at: AppTest) -> tuple[list[str], list[str]]:
    charts = [str(c.proto.id) for c in at.get("plotly_chart") if tour_run.WARM_KEY in str(c.proto.id)]
    tables = [str(d.value.columns[0]) for d in at.dataframe if list(d.value.columns) == [tour_run.WARM_KEY]]
    return charts, tables


def test_a_tours_first_run_has_the_browser_load_plotly_and_the_grid_hidden_once() -> None:
    """Streamlit's browser code loads plotly.js and the data grid on their first use (about 2 s on 2 cores
    together): a tour's first step draws one tiny chart and table, hidden, so no later step pays for them."""
    at = new_app()
    at.run()
    assert _warm_parts(at) == ([], [])  # not outside a tour
    _press(at, "tour_start_paper")
    charts, tables = _warm_parts(at)
    assert len(charts) == 1 and len(tables) == 1
    assert f".st-key-{tour_run.WARM_KEY} {{ display: none !important; }}" in tour_run.TOUR_CSS
    _press(at, presenter.TOUR_NEXT)
    assert _warm_parts(at) == ([], [])  # once per session: what the browser loaded stays loaded


def test_the_landscape_step_opens_the_landscape_and_the_step_before_does_not_build_it() -> None:
    k = next(i for i, s in enumerate(PAPER.steps) if s.show == "3. The loss landscape")
    assert PAPER.steps[k].scene.settings == {"train_landscape_open": True}
    at = new_app({"tour": "paper", "step": str(k)})  # the step before: training from many restarts
    at.run()
    no_exception(at)
    ids = " ".join(str(c.proto.id) for c in at.get("plotly_chart"))
    assert "train_curves" in ids and "landscape_chart" not in ids and "replay_one" not in ids
    job = at.session_state[Keys.TRAINING]
    _press(at, presenter.TOUR_NEXT)
    assert at.session_state[Keys.TRAINING] is job  # the same run, not trained again
    assert "landscape_chart" in " ".join(str(c.proto.id) for c in at.get("plotly_chart"))


def test_a_step_on_the_same_data_and_network_keeps_the_run() -> None:
    """Issue 25.5: the brute-force step after the two training steps arrives with their run, not "Press Train";
    a step on other data does not keep it."""
    k = next(i for i, s in enumerate(PAPER.steps) if s.train is not None)
    after = next(i for i in range(k, len(PAPER.steps)) if PAPER.steps[i].train is None)
    assert PAPER.steps[after].scene.page == "training"
    at = new_app({"tour": "paper", "step": str(k + 1)})
    at.run()
    job = at.session_state[Keys.TRAINING]
    assert job is not None and job.finished
    for _ in range(k, after):
        _press(at, presenter.TOUR_NEXT)
    assert _bar(at).startswith(f"**Step {after + 1} of")
    assert at.session_state[Keys.TRAINING] is job
    shown = " ".join(str(e.value) for e in (*at.info, *at.warning))
    assert "Press Train" not in shown and "Train first" not in shown, shown
    _press(at, presenter.TOUR_PREV)  # back on the run's own step: still the same run
    assert at.session_state[Keys.TRAINING] is job
    at.slider(key="train_points").set_value(20).run()  # other data on the page
    _press(at, presenter.TOUR_NEXT)
    assert Keys.TRAINING not in at.session_state or at.session_state[Keys.TRAINING] is not job


def test_a_link_or_reload_to_a_step_after_the_training_steps_trains_their_run() -> None:
    """Issue 25.11: a reload on the brute-force step (a new session, no run) shows the run of the training steps
    before it: their seeded cue is trained on arrival."""
    k = next(i for i, s in enumerate(PAPER.steps) if s.train is not None)
    after = next(i for i in range(k, len(PAPER.steps)) if PAPER.steps[i].train is None)
    at = new_app({"tour": "paper", "step": str(after + 1)})
    at.run()
    no_exception(at)
    job = at.session_state[Keys.TRAINING]
    cue = PAPER.steps[k].train
    assert job.finished and (job.settings.epochs, job.settings.restarts) == (cue["epochs"], cue["restarts"])
    shown = " ".join(str(e.value) for e in (*at.info, *at.warning))
    assert "Press Train" not in shown and "Train first" not in shown, shown
