"""AppTest of the Training page's replay: one restart, two side by side, loading, sampling notes, hostile ids."""

from __future__ import annotations

import base64
import json

import numpy as np

from nnviz import presets
from nnviz.app.trainjob import TrainingJob, TrainSettings
from nnviz.network import Network, Neuron
from nnviz.ui import live
from nnviz.ui.state import Keys
from tests.app.conftest import no_exception, open_on
from tests.app.test_training import figure, numbers, open_page, open_section, texts
from tests.app.test_training import train as trained


def train(at, restarts: int = 5, epochs: int = 4, **more: float):
    """Train, then open the replay (it is built only while open)."""
    return open_section(trained(at, restarts, epochs, **more), "replay_open")


def frames_of(at, key: str) -> list[dict]:
    return figure(at, key)["frames"]


def pair_tab(at):
    """Choose the *Two restarts side by side* tab (only the chosen tab is built) and rerun."""
    at.session_state["replay_tab"] = "Two restarts side by side"
    at.run()
    no_exception(at)
    return at


def replay_graphs(at) -> list[dict]:
    """The data of every replay live graph on the page (one per replayed restart)."""
    return [json.loads(c.proto.json)["graph"] for c in at.get("bidi_component") if '"replay"' in c.proto.json]


def weights_of(graph: dict) -> np.ndarray:
    """The weights a replay graph sends, ``(F, E)``."""
    raw = np.frombuffer(base64.b64decode(graph["replay"]["weights"]), dtype=np.float32)
    return raw.reshape(len(graph["replay"]["epochs"]), len(graph["edges"]))


def titles(at, key: str) -> list[str]:
    return [a["text"] for a in figure(at, key)["layout"]["annotations"]]


def test_after_a_run_the_best_restart_replays_every_epoch() -> None:
    at = train(open_page(), restarts=6, epochs=12)
    job = at.session_state[Keys.TRAINING]
    best = job.result().best
    assert [f["name"] for f in frames_of(at, "replay_one")] == [str(t) for t in range(13)]
    assert titles(at, "replay_one")[0] == f"restart {best} (best): the fit"
    assert at.number_input(key=f"train_replay_one_{at.session_state[Keys.TRAINING_FORM]['run']}").value == best
    assert "Drag the slider under the fit or press Play" in texts(at, "caption")
    assert "evenly spaced" not in texts(at, "caption")


def test_choosing_another_restart_replays_it() -> None:
    at = train(open_page(), restarts=6, epochs=5)
    run = at.session_state[Keys.TRAINING_FORM]["run"]
    best = at.session_state[Keys.TRAINING].result().best
    other = (best + 1) % 6
    at.number_input(key=f"train_replay_one_{run}").set_value(other).run()
    no_exception(at)
    assert titles(at, "replay_one")[0] == f"restart {other}: the fit"
    marker = next(t for t in figure(at, "replay_one")["data"] if t.get("meta") == "loss")
    np.testing.assert_allclose(numbers(marker["y"]), at.session_state[Keys.TRAINING].history[other], rtol=1e-12)


def test_a_long_run_is_sampled_evenly_and_the_page_says_so() -> None:
    at = train(open_page(), restarts=2, epochs=450)
    names = [int(f["name"]) for f in frames_of(at, "replay_one")]
    assert len(names) == 201 and names[0] == 0 and names[-1] == 450
    assert "This run has 450 epochs: the replay shows 201 of them, evenly spaced" in texts(at, "caption")


def test_two_restarts_side_by_side_default_to_the_best_and_the_median() -> None:
    at = train(open_page(), restarts=7, epochs=8)
    assert not [c for c in at.get("plotly_chart") if "replay_pair" in c.proto.id]  # not built until chosen
    at = pair_tab(at)
    res = at.session_state[Keys.TRAINING].result()
    others = [r for r in np.argsort(res.final_loss, kind="stable") if r != res.best]
    median = int(others[len(others) // 2])
    t = titles(at, "replay_pair")
    assert t[0].startswith(f"restart {res.best} (best)") and t[3].startswith(f"restart {median}:")
    info = texts(at, "info")
    assert "Same data, same network, same step size and epochs; only the start differs" in info
    assert f"restart {median} ends at mean loss {res.final_loss[median]:.4g}" in info
    frames = frames_of(at, "replay_pair")
    # both rows change in every frame: the fit and the loss marker (the network is the live graphs')
    assert len(frames) == 9 and len(frames[0]["traces"]) == 2 * 2


def test_the_same_restart_twice_is_refused_and_loading_either_is_one_click() -> None:
    at = pair_tab(train(open_page(), restarts=5, epochs=4))
    run = at.session_state[Keys.TRAINING_FORM]["run"]
    res = at.session_state[Keys.TRAINING].result()
    at.number_input(key=f"train_pair_b_{run}").set_value(res.best).run()
    assert "Choose two different restarts." in texts(at, "warning")
    other = (res.best + 2) % 5
    at.number_input(key=f"train_pair_b_{run}").set_value(other).run()
    at.button(key=f"train_replay_load_{other}").click().run()
    no_exception(at)
    np.testing.assert_array_equal(at.session_state[Keys.NETWORK].weights, res.weights[other])
    assert at.session_state[Keys.NOTE].startswith(f"trained: restart {other} of 5")
    assert f"Restart {other} is loaded: the network has its final weights" in texts(at, "success")


def test_a_stopped_run_replays_the_epochs_it_did() -> None:
    at = open_page()
    job = TrainingJob(
        at.session_state[Keys.NETWORK], at.session_state[Keys.DATASET], TrainSettings(epochs=9, restarts=3)
    )
    job.chunk = 3
    job.advance()
    job.stop()
    at.session_state[Keys.TRAINING] = job
    open_section(at, "replay_open")
    assert [f["name"] for f in frames_of(at, "replay_one")] == ["0", "1", "2", "3"]
    assert "Live: loss" not in str([c.proto.spec[:300] for c in at.get("plotly_chart")])


def test_the_replay_draws_the_network_with_the_live_graph_following_the_fit_chart() -> None:
    at = train(open_page(), restarts=3, epochs=5)
    job = at.session_state[Keys.TRAINING]
    (graph,) = replay_graphs(at)
    assert graph["replay"]["follow"] == "replay_one" and graph["replay"]["epochs"] == [0, 1, 2, 3, 4, 5]
    assert [f["name"] for f in frames_of(at, "replay_one")] == [str(t) for t in graph["replay"]["epochs"]]
    assert len(graph["frames"]) == 6 and [n["id"] for n in graph["neurons"]] == list(job.net.ids)
    best = job.result().best
    from nnviz.app.replay import replay

    want = replay(job, (best,)).weights[0]  # (F, E) the engine's weight history
    np.testing.assert_allclose(weights_of(graph), want, rtol=1e-6, atol=1e-6)
    assert not any(t.get("meta") in ("edges_positive", "pictures") for t in figure(at, "replay_one")["data"])
    pair_tab(at)
    assert len(replay_graphs(at)) == 2  # one graph per restart, both following the pair's chart
    assert {g["replay"]["follow"] for g in replay_graphs(at)} == {"replay_pair"}


def test_a_big_network_replays_without_the_network_picture() -> None:
    at = open_on("pages/training.py", net=presets.layered([1, 40, 40, 1]))
    train(at, restarts=2, epochs=3)
    assert "too many to draw one by one" in texts(at, "caption")
    assert not replay_graphs(at)


def test_hostile_neuron_ids_are_shown_literally() -> None:
    evil = "<img src=x onerror=alert(1)>"
    net = Network(
        [Neuron("x", "input"), Neuron("b", "bias"), Neuron(evil, "hidden", "tanh"), Neuron("o", "output", "identity")],
        [("x", evil), ("b", evil), (evil, "o"), ("b", "o")],
        [0.5, 0.1, -0.5, 0.2],
    )
    at = open_on("pages/training.py", net=net)
    train(at, restarts=3, epochs=3)
    for key in ("replay_one", "replay_pair"):
        if key == "replay_pair":
            pair_tab(at)
        spec = next(c.proto.spec for c in at.get("plotly_chart") if key in c.proto.id)
        assert evil not in spec  # the chart names no neuron now; the live graph draws the ids as text
        assert evil in [n["id"] for n in replay_graphs(at)[0]["neurons"]]  # drawn with textContent
    weights = next(d.value for d in at.dataframe if "weight" in d.value.columns)
    assert f"w_x,{evil}" in list(weights["weight"])  # a dataframe shows text literally


def test_live_helpers_name_the_best_restart_so_far() -> None:
    at = open_page()
    job = TrainingJob(
        at.session_state[Keys.NETWORK], at.session_state[Keys.DATASET], TrainSettings(epochs=9, restarts=4)
    )
    job.chunk = 3
    job.advance()
    assert live.live_title(job) == "Live: loss after epoch 3 of 9"
    last = job.history[:, 3]
    assert live.best_so_far(job) == int(np.nanargmin(last))
    job.diverged[:] = True
    assert live.best_so_far(job) is None


def test_the_pictures_toggle_switches_the_replays_pictures_and_is_shared_with_the_graphs() -> None:
    at = train(open_page(), restarts=2, epochs=3)
    assert replay_graphs(at)[0]["replay"]["pictures"] is not None
    at.toggle(key="replay_pictures").set_value(False).run()
    no_exception(at)
    assert replay_graphs(at)[0]["replay"]["pictures"] is None and replay_graphs(at)[0]["pictures"] is None
    assert "what it computes" not in texts(at, "caption")
    at.switch_page("pages/network.py").run()  # the same choice on every page that draws the network
    assert at.toggle(key="net_pictures").value is False
