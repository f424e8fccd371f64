"""AppTest of the Training page: data sources (including bad CSV files), settings, training, results, brute force."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnviz
from nnviz import data
from nnviz.app.trainjob import TrainingJob, TrainSettings
from nnviz.ui.state import Keys
from tests.app.conftest import new_app, no_exception, with_state

PAGE = "pages/training.py"


def open_page(form: dict | None = None) -> AppTest:
    """The app on the Training page, optionally with remembered Training-page values."""
    at = new_app()
    at.run()
    if form is not None:
        at.session_state[Keys.TRAINING_FORM] = form
    at.switch_page(PAGE).run()
    no_exception(at)
    return at


def train(at: AppTest, restarts: int = 5, epochs: int = 4, **more: float) -> AppTest:
    """Fill the settings form and press Train."""
    at.number_input(key="train_restarts").set_value(restarts)
    at.number_input(key="train_epochs").set_value(epochs)
    for name, value in more.items():
        at.number_input(key=f"train_{name}").set_value(value)
    at.button(key="FormSubmitter:train_settings_form-Train").click().run()
    no_exception(at)
    return at


def open_section(at: AppTest, name: str) -> AppTest:
    """Open the Training page's expander ``name`` (``replay_open``, ``landscape_open``: built only while open)."""
    return with_state(at, f"train_{name}", True)


def chart_ids(at: AppTest) -> str:
    return " ".join(str(c.proto.id) for c in at.get("plotly_chart"))


def figure(at: AppTest, key: str) -> dict:
    charts = [c for c in at.get("plotly_chart") if c.proto.id and key in c.proto.id]
    assert charts, f"no plotly chart {key!r}"
    return json.loads(charts[0].proto.spec)


def numbers(values: object) -> np.ndarray:
    """A plotly array from the figure JSON: a list, or plotly's base64 typed array."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def table_of(at: AppTest, column: str):
    """The first dataframe on the page with a column named ``column``."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no dataframe with a column {column!r}"
    return frames[0]


def traces(fig: dict) -> dict[str, dict]:
    return {t.get("meta") or t.get("name"): t for t in fig["data"]}


def texts(at: AppTest, kind: str, raw: bool = False) -> str:
    """All elements of ``kind`` joined; markdown escapes removed unless ``raw``."""
    joined = " | ".join(str(e.value) for e in at.get(kind))
    return joined if raw else joined.replace("\\", "")


def test_the_page_opens_on_the_paper_network_and_a_sine() -> None:
    at = open_page()
    assert at.radio(key="train_source").value == "curve"
    assert "sin(2x), 32 points" in texts(at, "caption")
    assert not at.warning and not at.error
    ds = at.session_state[Keys.DATASET]
    assert ds.size == 32 and ds.n_in == 1
    assert "Train" in [b.label for b in at.button]
    assert "10^{231}" in texts(at, "latex")  # (2^64)^12 for the paper's 12 weights


def test_training_shows_curves_histogram_table_and_fit() -> None:
    at = train(open_page(), restarts=6, epochs=5, step=0.1, seed=3)
    job = at.session_state[Keys.TRAINING]
    result = job.result()
    assert job.settings == TrainSettings(0.1, 5, 6, 3, 2.0, False) and result.epochs_run == 5  # 1-D default scale 2
    curves = traces(figure(at, "train_curves"))
    assert curves["restarts"]["name"] == "restarts (6)"
    assert np.isnan(numbers(curves["restarts"]["x"])).sum() == 6  # six lines, separated by gaps
    assert curves["best"]["name"] == f"best: restart {result.best}"
    assert figure(at, "train_curves")["layout"]["yaxis"]["type"] == "log"
    assert figure(at, "train_hist")["data"][0]["type"] == "bar"
    fit = traces(figure(at, "train_fit"))
    assert {"network f(x)", "training points", "before training"} <= {t["name"] for t in fit.values()}
    table = table_of(at, "final loss")
    assert table["restart"].iloc[0] == result.best and len(table) == 6
    assert list(table["final loss"]) == sorted(table["final loss"])
    assert at.number_input(key="train_chosen_1").value == result.best
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Diverged"] == "0 of 6"
    assert metrics["Best final loss"] == f"{result.final_loss[result.best]:.4g}"


def test_log_scale_toggle_and_choosing_a_restart() -> None:
    at = train(open_page(), restarts=4, epochs=3)
    best = at.session_state[Keys.TRAINING].result().best
    other = (best + 1) % 4
    at.toggle(key="train_log_y").set_value(False).run()
    assert "type" not in figure(at, "train_curves")["layout"]["yaxis"] or (
        figure(at, "train_curves")["layout"]["yaxis"]["type"] != "log"
    )
    at.number_input(key="train_chosen_1").set_value(other).run()
    no_exception(at)
    assert traces(figure(at, "train_curves"))["chosen"]["name"] == f"chosen: restart {other}"
    assert f"Load restart {other} into the network" in [b.label for b in at.button]


def test_loading_a_restart_replaces_the_network_weights() -> None:
    at = train(open_page(), restarts=5, epochs=3)
    result = at.session_state[Keys.TRAINING].result()
    before = at.session_state[Keys.NETWORK]
    at.button(key="train_load").click().run()
    no_exception(at)
    after = at.session_state[Keys.NETWORK]
    assert after == result.best_network and after != before
    assert at.session_state[Keys.NOTE].startswith(f"trained: restart {result.best} of 5")
    assert "now has restart" in texts(at, "success")


def test_settings_that_keep_too_much_history_are_refused() -> None:
    at = train(open_page(), restarts=1000, epochs=5000)
    assert "keeps too many losses" in texts(at, "error")
    assert Keys.TRAINING not in at.session_state


def test_shuffled_order_is_used() -> None:
    at = open_page()
    at.radio(key="train_order").set_value("shuffled")
    train(at, restarts=2, epochs=2)
    assert at.session_state[Keys.TRAINING].settings.shuffle is True


def test_an_unfinished_job_is_resumed_on_the_next_run() -> None:
    at = open_page()
    net, ds = at.session_state[Keys.NETWORK], at.session_state[Keys.DATASET]
    job = TrainingJob(net, ds, TrainSettings(epochs=6, restarts=3))
    job.chunk = 1
    job.advance()
    at.session_state[Keys.TRAINING] = job
    at.run()
    no_exception(at)
    assert job.finished and job.epochs_done == 6 and not job.stopped


def test_a_stopped_job_says_so() -> None:
    at = open_page()
    job = TrainingJob(at.session_state[Keys.NETWORK], at.session_state[Keys.DATASET], TrainSettings(epochs=6))
    job.chunk = 2
    job.advance()
    job.stop()
    at.session_state[Keys.TRAINING] = job
    at.run()
    assert "Stopped after 2 of 6 epochs" in texts(at, "warning")


# ----- data sources --------------------------------------------------------------------


def test_curve_parameters_change_the_dataset_and_survive_a_page_visit() -> None:
    at = open_page()
    at.selectbox(key="train_fn").set_value("bump")
    at.slider(key="train_points").set_value(20)
    at.slider(key="train_test").set_value(25).run()
    ds = at.session_state[Keys.DATASET]
    assert (ds.size, ds.X_test.shape[0]) == (15, 5) and "exp(-2x^2)" in ds.name
    at.switch_page("pages/network.py").run()
    at.switch_page(PAGE).run()
    assert at.slider(key="train_points").value == 20 and at.selectbox(key="train_fn").value == "bump"
    assert at.session_state[Keys.DATASET].same_as(ds)


def test_bad_polynomial_coefficients_keep_the_last_good_data() -> None:
    at = open_page()
    at.selectbox(key="train_fn").set_value("polynomial").run()
    good = at.session_state[Keys.DATASET]
    assert "0.5x^3" in good.name
    at.text_input(key="train_coeffs").set_value("1, two").run()
    no_exception(at)
    assert "must be numbers" in texts(at, "error")
    assert at.session_state[Keys.DATASET] is good
    assert "Using the last good data" in texts(at, "caption")


def test_boolean_data_adapt_the_network_then_train_shows_a_truth_table() -> None:
    at = open_page()
    at.radio(key="train_source").set_value("boolean").run()
    assert at.session_state[Keys.DATASET].name == "XOR (2 bits)"
    assert "2 inputs but the network has 1 input neuron" in texts(at, "warning")
    assert "Train" not in [b.label for b in at.button]
    next(b for b in at.button if b.label.startswith("Adapt the network")).click().run()
    no_exception(at)
    net = at.session_state[Keys.NETWORK]
    assert len(net.inputs) == 2 and not at.warning
    train(at, restarts=3, epochs=2)
    fit = figure(at, "train_fit")
    assert fit["data"][0]["type"] == "table"
    assert fit["data"][0]["cells"]["values"][2] == ["0", "1", "1", "0"]  # the XOR targets


def test_parity_and_own_truth_table() -> None:
    at = open_page({"source": "boolean"})
    at.selectbox(key="train_bool_fn").set_value("parity").run()
    at.slider(key="train_bits").set_value(3).run()
    ds = at.session_state[Keys.DATASET]
    assert ds.size == 8 and list(ds.Y[:, 0]) == [0, 1, 1, 0, 1, 0, 0, 1]
    at.selectbox(key="train_bool_fn").set_value("table").run()
    at.multiselect(key="train_ones").set_value(["000", "111"]).run()
    ds = at.session_state[Keys.DATASET]
    assert ds.name == "truth table 10000001"


def test_classification_with_a_test_split_shows_test_curves_and_a_heatmap() -> None:
    at = open_page({"source": "classification"})
    at.selectbox(key="train_cls").set_value("xor")
    at.slider(key="train_cls_points").set_value(60).run()
    ds = at.session_state[Keys.DATASET]
    assert ds.kind == "classification" and ds.size == 30 and ds.X_test.shape == (30, 2)
    next(b for b in at.button if b.label.startswith("Adapt the network")).click().run()
    train(at, restarts=3, epochs=3)
    curves = traces(figure(at, "train_curves"))
    assert {"restarts", "test", "best", "best_test"} <= set(curves)
    assert figure(at, "train_fit")["data"][0]["type"] == "heatmap"
    assert "final test loss" in table_of(at, "final loss").columns


def test_the_paper_training_on_the_playground_data_set() -> None:
    """Many restarts, their spread and the fit on the playground's spiral (its noise, split and seed)."""
    at = open_page({"source": "playground", "pg_data": "spiral", "pg_noise": 0.1, "pg_test": 30, "pg_seed": 4})
    ds = at.session_state[Keys.DATASET]
    want = data.playground("spiral", noise=0.1, seed=4, test_fraction=0.3)
    assert ds.same_as(want) and ds.X.shape[1] == 2
    next(b for b in at.button if b.label.startswith("Adapt the network")).click().run()
    train(at, restarts=20, epochs=3)
    assert "restarts (20)" in str(figure(at, "train_curves"))
    assert figure(at, "train_fit")["data"][0]["type"] == "heatmap"
    assert "final test loss" in table_of(at, "final loss").columns


CSV_OK = b"x,noise,y\n0,1,0\n0.5,2,0.25\n1,3,1\n1.5,4,2.25\n2,5,4\n"


def test_csv_columns_choose_inputs_and_outputs() -> None:
    at = open_page({"source": "csv", "csv": ("squares.csv", CSV_OK)})
    assert at.multiselect(key="train_csv_in").value == ["x", "noise"]
    at.multiselect(key="train_csv_in").set_value(["x"]).run()
    ds = at.session_state[Keys.DATASET]
    assert ds.kind == "csv" and ds.input_names == ("x",) and list(ds.Y[:, 0]) == [0, 0.25, 1, 2.25, 4]
    assert not at.warning  # one input, one output: the paper's network fits
    train(at, restarts=2, epochs=2)
    assert figure(at, "train_fit")["layout"]["xaxis"]["title"]["text"] == "x"


def test_csv_without_a_file_asks_for_one() -> None:
    at = open_page({"source": "csv"})
    assert "Upload a CSV file" in texts(at, "info")
    assert not at.error


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty"),
        (b"x,y\n1,2\n3,abc\n", "line 3, column 'y': 'abc' is not a number"),
        (b"x,y\n1,nan\n", "values must be finite numbers"),
        (b"x,y\n1,2\n3\n", "line 3 has 1 cells"),
        (b"\xff\xfex,y\n", "not UTF-8"),
        (b"x,y\n", "no data rows"),
    ],
)
def test_bad_csv_files_show_a_message_not_a_traceback(raw: bytes, message: str) -> None:
    at = open_page({"csv": ("bad.csv", raw)})
    good = at.session_state[Keys.DATASET]
    at.radio(key="train_source").set_value("csv").run()
    no_exception(at)
    assert message in texts(at, "error")
    assert at.session_state[Keys.DATASET] is good  # the last good data stays
    assert "Using the last good data" in texts(at, "caption")


def test_a_csv_file_over_the_limit() -> None:
    at = open_page({"source": "csv", "csv": ("big.csv", None)})
    assert "larger than the limit" in texts(at, "error")


def test_csv_with_a_markdown_column_name_is_shown_literally() -> None:
    raw = b"**bold** $x$,y\n1,2\n2,3\n"
    at = open_page({"source": "csv", "csv": ("m.csv", raw)})
    assert at.session_state[Keys.DATASET].input_names == ("**bold** $x$",)
    assert "\\*\\*bold\\*\\* \\$x\\$" in texts(at, "caption", raw=True)


# ----- brute force ------------------------------------------------------------------------


def test_brute_force_against_backprop() -> None:
    at = train(open_page(), restarts=3, epochs=2)
    at.number_input(key="train_bf_k").set_value(2).run()
    assert "Search 4,096 networks" in [b.label for b in at.button]
    at.button(key="train_bf_go").click().run()
    no_exception(at)
    found, _, _ = at.session_state[Keys.BRUTE_FORCE]
    assert found.evaluations == 2**12 and found.complete
    table = table_of(at, "networks tried")
    assert len(table) == 2 and table["networks tried"][0] == "4,096"
    at.button(key="train_bf_load").click().run()
    np.testing.assert_array_equal(at.session_state[Keys.NETWORK].weights, found.best_weights)


def test_the_calculator() -> None:
    at = open_page()
    e = len(nnviz.presets.paper_network().edges)
    at.number_input(key=f"train_calc_e_{e}").set_value(1)
    at.number_input(key="train_calc_bits").set_value(8).run()
    assert r"\left(2^{8}\right)^{1} = 2^{8} \approx 2.56 \times 10^{2}" in texts(at, "latex", raw=True)
    assert "3 digits" in texts(at, "caption")


def test_a_dataset_set_elsewhere_stays_until_the_panel_changes() -> None:
    at = open_page()
    scene_data = data.classification("gauss", 40)
    at.session_state[Keys.DATASET] = scene_data  # as a scene would
    at.run()
    no_exception(at)
    assert at.session_state[Keys.DATASET] is scene_data
    assert "set elsewhere" in texts(at, "info")
    at.button(key="train_use_panel").click().run()
    assert at.session_state[Keys.DATASET].name.startswith("sin(2x), 32 points")
    at.session_state[Keys.DATASET] = scene_data
    at.run()
    at.slider(key="train_points").set_value(12).run()  # changing the panel takes over again
    assert at.session_state[Keys.DATASET].size == 12
