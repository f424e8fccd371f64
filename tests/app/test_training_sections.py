"""AppTest: what the Training page builds on arrival, and what it leaves until asked (issue 16: a tour step settles
within 2 s). The replay and the loss landscape are built only once their expander is opened; the open state is
a remembered setting a scene stores; a run that finishes in its first chunk never draws the live view."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from nnviz.app import settings
from nnviz.ui.state import Keys
from tests.app.conftest import no_exception
from tests.app.test_training import PAGE, chart_ids, open_page, open_section, train


def expander_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def test_the_replay_and_the_landscape_are_built_only_once_opened() -> None:
    at = train(open_page(), restarts=4, epochs=3)
    ids = chart_ids(at)
    assert "train_curves" in ids and "train_fit" in ids  # the results are drawn at once
    assert "replay_one" not in ids and "landscape_chart" not in ids  # the heavy sections are not
    labels = expander_labels(at)
    assert "Replay: watch a restart learn, epoch by epoch" in labels
    assert "The slice of the loss surface and the restarts' SGD paths on it" in labels
    assert Keys.REPLAYS not in at.session_state or not at.session_state[Keys.REPLAYS]  # nothing re-trained
    assert Keys.LANDSCAPE not in at.session_state or not at.session_state[Keys.LANDSCAPE]  # nor replayed

    open_section(at, "replay_open")
    ids = chart_ids(at)
    assert "replay_one" in ids and "landscape_chart" not in ids
    open_section(at, "landscape_open")
    assert "landscape_chart" in chart_ids(at)
    form = at.session_state[Keys.TRAINING_FORM]
    assert form["replay_open"] is True and form["landscape_open"] is True  # what a scene stores

    at.switch_page("pages/network.py").run()  # Streamlit forgets the expanders' state off the page...
    at.switch_page(PAGE).run()
    no_exception(at)
    ids = chart_ids(at)
    assert "replay_one" in ids and "landscape_chart" in ids  # ...the remembered values open them again


def test_the_open_states_are_scene_settings_closed_by_default() -> None:
    for name in ("train_replay_open", "train_landscape_open"):
        s = settings.get(name)
        assert s.page == "training" and s.kind == "bool" and s.default is False
    at = open_page({"landscape_open": True})  # as a scene (or a tour step) restores it
    train(at, restarts=3, epochs=3)
    ids = chart_ids(at)
    assert "landscape_chart" in ids and "replay_one" not in ids


def _live_script() -> None:
    """A run of 2 chunks: the live view after the first (still running) draws; after the last (finished) not."""
    import streamlit as st

    from nnviz import presets
    from nnviz.app.trainjob import TrainingJob, TrainSettings
    from nnviz.data import Dataset
    from nnviz.ui import live

    data = Dataset("line", [[0.0], [1.0]], [[0.0], [1.0]])
    job = TrainingJob(presets.paper_network(), data, TrainSettings(epochs=4, restarts=2))
    job.chunk = int(st.session_state.get("chunk", 2))
    update = live.live_view(job)
    job.advance()
    update()
    st.session_state["finished_after_first"] = job.finished


def test_the_live_view_is_drawn_while_a_run_goes_on_and_never_once_it_has_finished() -> None:
    at = AppTest.from_function(_live_script)
    at.run()
    no_exception(at)
    assert at.session_state["finished_after_first"] is False
    assert len(at.get("plotly_chart")) == 2  # the live curves and the best fit so far
    at.session_state["chunk"] = 4  # the whole run in one chunk: its results replace the live view at once
    at.run()
    no_exception(at)
    assert at.session_state["finished_after_first"] is True
    assert not at.get("plotly_chart")


def _in_order(at: AppTest) -> list[object]:
    """Every element of the main area, in the order the page shows them."""

    def walk(node: object, out: list[object]) -> list[object]:
        for child in getattr(node, "children", {}).values():
            out.append(child)
            walk(child, out)
        return out

    return walk(at.main, [])


def test_the_verdict_stays_under_the_settings_above_the_results() -> None:
    """The advice is measured after the results are sent (the browser draws them meanwhile), in its own place:
    under the settings and the best fit, above the metrics and curves, as before."""
    at = train(open_page(), restarts=30, epochs=150, step=0.1, seed=0, scale=1.0)  # the tour's run: loss high
    kinds = [type(e).__name__ for e in _in_order(at)]
    texts = [str(getattr(e, "value", "")) for e in _in_order(at)]
    verdict = next(i for i, t in enumerate(texts) if "is still high" in t)
    assert kinds[verdict] == "Warning"
    section = texts.index("2. Stochastic gradient descent from many restarts")
    assert section < verdict
    assert verdict < kinds.index("Metric", section)  # the run's metrics (not the playground's), then the curves
    assert verdict < next(i for i, e in enumerate(_in_order(at)) if "train_curves" in str(getattr(e, "proto", "")))
