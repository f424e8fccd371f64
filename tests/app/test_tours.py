"""AppTest of tours: the shipped tour step by step (each scene restored exactly), cues, the link, Esc/End."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnviz.app import tours
from nnviz.scenes import Scene
from nnviz.ui import presenter
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


def test_the_paper_tour_from_start_to_end_restores_every_step() -> None:
    at = new_app()
    at.run()
    _press(at, "tour_start_paper")
    assert at.session_state[Keys.PRESENT] is True
    for k, step in enumerate(PAPER.steps):
        assert _bar(at).startswith(f"**Step {k + 1} of {len(PAPER.steps)}**"), _bar(at)
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


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"tour": "<img src=x onerror=alert(1)>"}, "is not a tour of this app"),
        ({"tour": "paper", "step": "0"}, "not a step number from 1 to 13"),
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
