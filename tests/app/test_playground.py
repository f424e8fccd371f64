"""AppTest of the Training page's playground: it renders, chips switch the data, Step trains, bad input is refused."""

from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest

from nnviz.ui.state import Keys
from tests.app.conftest import live_data, new_app, no_exception

PAGE = "pages/training.py"


def open_page() -> AppTest:
    at = new_app()
    at.run()
    at.switch_page(PAGE).run()
    no_exception(at)
    return at


def playground(at: AppTest):
    return at.session_state[Keys.PLAYGROUND]


def display(at: AppTest, kind: str) -> dict:
    """The data of the playground's display component ``kind`` ("numbers" or "output")."""
    found = [json.loads(c.proto.json) for c in at.get("bidi_component") if f'"kind": "{kind}"' in c.proto.json]
    assert len(found) == 1, f"one {kind} display on the page"
    return found[0]


def numbers(at: AppTest) -> dict[str, str]:
    """The playground's headline numbers shown: label -> value."""
    return {label: value for label, value, _ in display(at, "numbers")["numbers"]}


def test_the_page_opens_on_the_playground() -> None:
    at = open_page()
    pg = playground(at)
    assert pg.cfg.data == "circle" and pg.epoch == 0 and pg.cfg.test_fraction == 0.5
    assert pg.data.X.shape == (250, 2) and pg.data.X_test.shape == (250, 2)  # TF Playground's 500 points, half test
    labels = [b.label for b in at.button]
    assert {"Play", "Step", "Reset", "Circle", "Spiral"} <= set(labels)
    metrics = numbers(at)
    assert metrics["Epoch"] == "0" and "Test loss" in metrics and "Test accuracy" in metrics
    graph = live_data(at)["graph"]
    assert [graph["neurons"][i]["title"] for i in (0, 1)] == ["x1", "x2"]  # inputs named after their features
    assert graph["pictures"]["kind"] == "heatmap" and graph["pictures"]["names"] == ["x1", "x2"]
    assert len(at.get("image")) == 6, "six chips"
    out = display(at, "output")
    assert out["n"] == 48 and len(out["grid"]) == 4 * 48 * 48 // 3, "f over a 48 x 48 grid, one byte a cell"
    assert len(out["train"]) == 250 and out["test"] is None and out["curve"].startswith("data:image/svg+xml")


def test_a_chip_switches_the_data() -> None:
    at = open_page()
    at.button(key="train_pg_chip_spiral").click().run()
    no_exception(at)
    pg = playground(at)
    assert pg.cfg.data == "spiral" and pg.epoch == 0
    assert set(np.unique(pg.data.Y)) == {-1.0, 1.0}
    at.button(key="train_pg_chip_plane").click().run()
    assert playground(at).cfg.data == "plane"
    assert numbers(at)["Test accuracy"] == "–"  # regression: no accuracy


def test_step_trains_one_epoch_and_changes_the_weights() -> None:
    at = open_page()
    before = playground(at).weights.copy()
    at.button(key="train_pg_step_one").click().run()
    no_exception(at)
    pg = playground(at)
    assert pg.epoch == 1 and not np.array_equal(pg.weights, before)
    assert numbers(at)["Epoch"] == "1"
    at.button(key="train_pg_reset").click().run()
    assert playground(at).epoch == 0
    assert not np.array_equal(playground(at).weights, before)  # Reset draws new starting weights


def test_features_change_the_inputs_and_name_the_input_neurons() -> None:
    at = open_page()
    at.session_state["train_pg_features"] = ["x1", "x2", "x1²", "x2²"]
    at.run()
    no_exception(at)
    pg = playground(at)
    assert len(pg.net.inputs) == 4
    titles = [n["title"] for n in live_data(at)["graph"]["neurons"][:4]]
    assert titles == ["x1", "x2", "x1²", "x2²"]


def test_bad_hidden_layers_are_refused_with_a_message() -> None:
    at = open_page()
    at.text_input(key="train_pg_hidden").set_value("4, banana").run()
    no_exception(at)
    assert any("not a whole number" in e.value for e in at.error)
    assert playground(at).cfg.hidden == (4, 2)  # the last good settings stay
    at.text_input(key="train_pg_hidden").set_value("8, 8").run()
    assert not at.error and playground(at).cfg.hidden == (8, 8)


def test_no_features_is_refused_with_a_message() -> None:
    at = open_page()
    at.session_state["train_pg_features"] = []
    at.run()
    no_exception(at)
    assert any("at least one feature" in e.value for e in at.error)


def test_the_sidebar_network_is_used_when_it_fits() -> None:
    at = open_page()
    at.toggle(key="train_pg_sidebar").set_value(True).run()
    no_exception(at)
    assert any("does not fit" in i.value for i in at.info)  # the paper's network has one input
    assert len(playground(at).net.inputs) == 2
    at.session_state["train_pg_features"] = ["x1"]
    at.run()
    net = at.session_state[Keys.NETWORK]
    assert playground(at).net == net


def test_a_share_link_restores_the_playground_knobs() -> None:
    knobs = '{"data":"spiral","hidden":"8, 8","features":["x1","x2","sin x1"],"noise":0.1,"l2":0.001,"batch":5}'
    at = new_app({"pg": knobs})
    at.run()
    at.switch_page(PAGE).run()
    no_exception(at)
    cfg = playground(at).cfg
    assert (cfg.data, cfg.hidden, cfg.features, cfg.noise, cfg.l2, cfg.batch_size) == (
        "spiral",
        (8, 8),
        ("x1", "x2", "sin x1"),
        0.1,
        0.001,
        5,
    )
    assert at.query_params["pg"] == [knobs] or "spiral" in str(at.query_params["pg"])  # the URL keeps them


def test_a_bad_share_link_is_refused_with_a_message() -> None:
    at = new_app({"pg": '{"data":"moon"}'})
    at.run()  # the message shows on the page the link opened
    assert any("moon" in e.value and "could not be used" in e.value for e in at.error)
    at.switch_page(PAGE).run()
    no_exception(at)
    assert playground(at).cfg.data == "circle"


def test_a_scene_restores_the_playground_knobs() -> None:
    # Opening a scene writes its Training-page settings into the form dict (nnviz.ui.scenes_panel.apply).
    at = new_app()
    at.run()
    at.session_state[Keys.TRAINING_FORM] = {"pg_data": "xor", "pg_hidden": "3", "pg_restarts": 4, "pg_test": 30}
    at.switch_page(PAGE).run()
    no_exception(at)
    pg = playground(at)
    assert (pg.cfg.data, pg.cfg.hidden, pg.weights.shape[0], pg.cfg.test_fraction) == ("xor", (3,), 4, 0.3)
    assert at.selectbox(key="train_pg_watch_pick").value == "best so far"
    from nnviz.app import settings

    stored = settings.check_settings({"train_" + k: v for k, v in at.session_state[Keys.TRAINING_FORM].items()
                                      if k.startswith("pg_")})  # fmt: skip
    assert stored["train_pg_data"] == "xor" and stored["train_pg_features"] == ["x1", "x2"]


def test_many_restarts_show_the_best_and_any_can_be_watched() -> None:
    at = open_page()
    at.slider(key="train_pg_restarts").set_value(5).run()
    no_exception(at)
    at.button(key="train_pg_step_one").click().run()
    pg = playground(at)
    assert pg.weights.shape[0] == 5 and pg.epoch == 1
    best = int(np.argmin(pg.train_loss[-1]))
    assert f"Best so far by training loss: restart {best + 1}" in display(at, "numbers")["note"]
    other = (best + 1) % 5
    at.selectbox(key="train_pg_watch_pick").set_value(other + 1).run()
    no_exception(at)
    assert at.session_state[Keys.PG_WATCH] == other
    assert f"Watching restart {other + 1} of 5" in display(at, "numbers")["note"]
    shown = numbers(at)["Training loss"]
    assert shown == f"{playground(at).train_loss[-1][other]:.3f}"


def test_the_output_shows_test_points_and_its_sign_on_request() -> None:
    at = open_page()
    out = display(at, "output")
    assert out["test"] is None and not out["discrete"]
    grid = np.frombuffer(base64.b64decode(out["grid"]), dtype=np.uint8)  # (48 * 48,)
    assert grid.shape == (48 * 48,) and grid.min() >= 1, "every cell finite: 1..255"
    at.toggle(key="train_pg_show_test").set_value(True).run()
    at.toggle(key="train_pg_discrete").set_value(True).run()
    no_exception(at)
    out = display(at, "output")
    pg = playground(at)
    assert len(out["test"]) == len(pg.data.X_test) and out["discrete"] and "test points black" in out["caption"]
    assert out["test"][0] == [round(float(v), 3) for v in (*pg.data.X_test[0], pg.data.Y_test[0, 0])]
