"""Datasets: generators, the Dataset type, CSV parsing, and adapting a network to the data."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import data
from nnviz.data.csvfile import MAX_CSV_BYTES
from nnviz.network import NetworkError

# ----- Dataset ------------------------------------------------------------------


def test_dataset_copies_makes_read_only_and_names_columns() -> None:
    x = np.array([[0.0, 1.0], [2.0, 3.0]])
    ds = data.Dataset("d", x, [1.0, 2.0])
    x[0, 0] = 9.0
    assert ds.X[0, 0] == 0.0
    assert ds.Y.shape == (2, 1)
    assert not ds.X.flags.writeable
    assert (ds.n_in, ds.n_out, ds.size, ds.has_test) == (2, 1, 2, False)
    assert ds.input_names == ("x1", "x2") and ds.output_names == ("y",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"X": [[1.0], [np.nan]], "Y": [1.0, 2.0]}, "NaN"),
        ({"X": [[1.0]], "Y": [1.0, 2.0]}, "same"),
        ({"X": [[1.0]], "Y": [1.0], "kind": "images"}, "kind"),
        ({"X": [[1.0]], "Y": [1.0], "X_test": [[1.0]]}, "both"),
        ({"X": [[1.0]], "Y": [1.0], "X_test": [[1.0, 2.0]], "Y_test": [1.0]}, "test split"),
        ({"X": [["a"]], "Y": [1.0]}, "numbers"),
        ({"X": [[1.0]], "Y": [1.0], "input_names": ("a", "b")}, "column names"),
    ],
)
def test_dataset_rejects_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        data.Dataset("bad", **kwargs)


def test_same_as_compares_numbers_and_names() -> None:
    a, b = data.regression("sine", 10), data.regression("sine", 10)
    assert a.same_as(b) and not a.same_as(data.regression("sine", 11)) and not a.same_as(None)


def test_split_keeps_every_point_once() -> None:
    x = np.arange(10.0)[:, None]
    X, _, Xt, Yt = data.split(x, x * 2, 0.3, np.random.default_rng(0))
    assert X.shape == (7, 1) and Xt.shape == (3, 1)
    assert sorted(np.concatenate([X, Xt]).ravel()) == list(range(10))
    np.testing.assert_array_equal(Yt, Xt * 2)
    assert data.split(x, x, 0.0, np.random.default_rng(0))[2] is None
    with pytest.raises(NetworkError, match="below 1"):
        data.split(x, x, 1.0, np.random.default_rng(0))


# ----- generators ----------------------------------------------------------------


@pytest.mark.parametrize("fn", list(data.REGRESSION_FUNCTIONS))
def test_regression_samples_the_function_on_the_range(fn: str) -> None:
    ds = data.regression(fn, 32, 0.0, -2.0, 2.0)
    f = data.REGRESSION_FUNCTIONS[fn][1]
    np.testing.assert_allclose(ds.X[:, 0], np.linspace(-2, 2, 32))
    np.testing.assert_allclose(ds.Y[:, 0], f(ds.X[:, 0]))
    assert ds.kind == "regression" and ds.size == 32


def test_regression_values() -> None:
    x = data.regression("step", 5).X[:, 0]
    assert list(data.regression("step", 5).Y[:, 0]) == [0, 0, 1, 1, 1] and list(x) == [-2, -1, 0, 1, 2]
    assert list(data.regression("abs", 5).Y[:, 0]) == [2, 1, 0, 1, 2]
    poly = data.regression("polynomial", 3, low=0.0, high=2.0, coefficients=[1.0, 0.0, 2.0])
    assert list(poly.Y[:, 0]) == [1.0, 3.0, 9.0]
    assert "1 + 2x^2" in poly.name


def test_regression_noise_random_x_and_split_are_seeded() -> None:
    a = data.regression("sine", 50, 0.3, seed=4, random_x=True, test_fraction=0.2)
    b = data.regression("sine", 50, 0.3, seed=4, random_x=True, test_fraction=0.2)
    c = data.regression("sine", 50, 0.3, seed=5, random_x=True, test_fraction=0.2)
    assert a.same_as(b) and not a.same_as(c)
    assert a.size == 40 and a.X_test.shape == (10, 1)
    assert np.all(np.diff(a.X[:, 0]) >= 0)  # sorted
    residual = np.concatenate([a.Y - np.sin(2 * a.X), a.Y_test - np.sin(2 * a.X_test)])
    assert 0.15 < residual.std() < 0.45


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"function": "cosh"}, "unknown function"),
        ({"n": 0}, "number of points"),
        ({"n": 10**6}, "number of points"),
        ({"noise": -1.0}, "noise"),
        ({"low": 2.0, "high": 2.0}, "range"),
        ({"function": "polynomial", "coefficients": []}, "coefficients"),
    ],
)
def test_regression_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        data.regression(**kwargs)


def test_boolean_functions() -> None:
    assert list(data.boolean("and", 2).Y[:, 0]) == [0, 0, 0, 1]
    assert list(data.boolean("or", 2).Y[:, 0]) == [0, 1, 1, 1]
    xor = data.boolean("xor", 5)  # XOR is always 2 bits
    assert xor.n_in == 2 and list(xor.Y[:, 0]) == [0, 1, 1, 0]
    par = data.boolean("parity", 4)
    assert par.size == 16 and np.array_equal(par.Y[:, 0], par.X.sum(axis=1) % 2)
    assert par.kind == "boolean" and par.input_names == ("x1", "x2", "x3", "x4")
    assert list(data.boolean("and", 3).X[1]) == [0, 0, 1]  # counting order


def test_truth_table() -> None:
    ds = data.truth_table(2, [1, 0, 0, 1])
    assert list(ds.Y[:, 0]) == [1, 0, 0, 1] and ds.name == "truth table 1001"
    with pytest.raises(NetworkError, match="needs 4 outputs"):
        data.truth_table(2, [1, 0])
    with pytest.raises(NetworkError, match="input 10"):
        data.truth_table(2, [0, 1, 2, 0])
    with pytest.raises(NetworkError, match="bits"):
        data.truth_table(9, [0] * 512)


@pytest.mark.parametrize("name", list(data.CLASSIFICATION_SETS))
def test_classification_shapes_labels_and_seed(name: str) -> None:
    ds = data.classification(name, 200, 0.1, test_fraction=0.25, seed=1)
    assert ds.X.shape == (150, 2) and ds.X_test.shape == (50, 2)
    assert set(np.unique(np.concatenate([ds.Y, ds.Y_test]))) <= {0.0, 1.0}
    assert 0.3 < np.concatenate([ds.Y, ds.Y_test]).mean() < 0.7  # both classes
    assert ds.kind == "classification"
    assert ds.same_as(data.classification(name, 200, 0.1, test_fraction=0.25, seed=1))
    assert not ds.same_as(data.classification(name, 200, 0.1, test_fraction=0.25, seed=2))


def test_classification_labels_follow_the_geometry_without_noise() -> None:
    circle = data.classification("circle", 300, 0.0, test_fraction=0.0)
    r = np.hypot(circle.X[:, 0], circle.X[:, 1])
    assert np.array_equal(circle.Y[:, 0] == 1, r < 1.0)
    xor = data.classification("xor", 300, 0.0, test_fraction=0.0)
    assert np.array_equal(xor.Y[:, 0] == 1, (xor.X[:, 0] > 0) != (xor.X[:, 1] > 0))
    gauss = data.classification("gauss", 400, 0.0, test_fraction=0.0)
    assert gauss.X[gauss.Y[:, 0] == 1].mean() > 0.7 and gauss.X[gauss.Y[:, 0] == 0].mean() < -0.7
    with pytest.raises(NetworkError, match="unknown classification"):
        data.classification("moons")


# ----- CSV -----------------------------------------------------------------------


def test_csv_with_header_choose_columns_and_split() -> None:
    table = data.read_csv(b"a,b,c\n1,2,3\n4,5,6\n\n7,8,9\n10,11,12\n", "f.csv")
    assert table.columns == ("a", "b", "c") and len(table.rows) == 4 and table.lines == (2, 3, 5, 6)
    ds = table.dataset(["c", "a"], ["b"])
    assert ds.kind == "csv" and ds.input_names == ("c", "a") and ds.output_names == ("b",)
    np.testing.assert_array_equal(ds.X[0], [3, 1])
    np.testing.assert_array_equal(ds.Y[:, 0], [2, 5, 8, 11])
    split = table.dataset(["a"], ["b", "c"], test_fraction=0.5)
    assert split.size == 2 and split.X_test.shape == (2, 1) and split.n_out == 2


def test_csv_without_header_semicolons_bom_and_crlf() -> None:
    table = data.read_csv("\ufeff1;2\r\n3;4\r\n".encode())
    assert table.columns == ("c1", "c2")
    assert table.dataset(["c1"], ["c2"]).Y[:, 0].tolist() == [2, 4]
    assert data.read_csv(b"x\ty\n1\t2\n").columns == ("x", "y")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"a,b\n", "no data rows"),
        (b"a,b\n1,2\n3\n", "line 3 has 1 cells; expected 2"),
        (b"a,b\n\xff\xfe,1\n", "not UTF-8"),
        (b"a,b\n1,\x00\n", "binary"),
        (b"a,a\n1,2\n", "twice"),
        (b"a,,b\n1,2,3\n", "no name"),
        (b"x,y\n" + b"1,2\n" * 10_001, "limit"),
        (b"a\n" + b"1" * (MAX_CSV_BYTES + 1), "limit"),
    ],
)
def test_csv_file_problems(raw: bytes, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        data.read_csv(raw)


@pytest.mark.parametrize(
    ("raw", "inputs", "outputs", "message"),
    [
        (b"x,y\n1,2\n3,abc\n", ["x"], ["y"], "line 3, column 'y': 'abc' is not a number"),
        (b"x,y\n1,2\n,4\n", ["x"], ["y"], "line 3, column 'x' is empty"),
        (b"x,y\n1,nan\n", ["x"], ["y"], "finite"),
        (b"x,y\n1,inf\n", ["x"], ["y"], "finite"),
        (b"x,y\n1,2\n", ["z"], ["y"], "no column named 'z'; the columns are x, y"),
        (b"x,y\n1,2\n", ["x"], ["x"], "both an input and an output"),
        (b"x,y\n1,2\n", [], ["y"], "at least one input"),
        (b"x,y\n1,2\n", ["x"], [], "at least one output"),
    ],
)
def test_csv_column_problems(raw: bytes, inputs: list, outputs: list, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        data.read_csv(raw).dataset(inputs, outputs)


def test_csv_unused_text_columns_are_fine() -> None:
    ds = data.read_csv(b"name,x,y\nfirst,1,2\nsecond,3,4\n").dataset(["x"], ["y"])
    assert ds.size == 2


# ----- fitting the network ----------------------------------------------------------


def test_mismatch_messages() -> None:
    net = nnviz.presets.paper_network()
    assert data.mismatch(net, data.regression()) is None
    msg = data.mismatch(net, data.classification())
    assert msg == "the data has 2 inputs but the network has 1 input neuron"
    two_out = data.Dataset("d", [[1.0]], [[1.0, 2.0]])
    assert "2 outputs but the network has 1 output neuron" in data.mismatch(net, two_out)


def test_adapt_adds_inputs_with_zero_weights_keeping_the_function() -> None:
    net = nnviz.presets.paper_network()
    wide = data.adapt_network(net, 3, 1)
    assert wide.inputs == ("1", "10", "11") and wide.outputs == ("9",)
    assert wide.layers() is not None
    assert set(wide.outgoing("10")) == {("10", "3"), ("10", "4")}
    assert wide.weight("10", "3") == 0.0
    assert all(wide.weight(s, d) == net.weight(s, d) for s, d in net.edges)
    x = np.linspace(-2, 2, 7)
    old = nnviz.forward(net, x[:, None]).output
    new = nnviz.forward(wide, np.column_stack([x, np.full(7, 5.0), -x])).output
    np.testing.assert_allclose(new, old)


def test_adapt_adds_and_removes_outputs_and_inputs() -> None:
    net = nnviz.presets.paper_network()
    two = data.adapt_network(net, 1, 2)
    assert two.outputs == ("9", "10") and two.neuron("10").activation == "identity"
    assert {s for s, _ in two.incoming("10")} == {"6", "7", "8"}
    back = data.adapt_network(two, 1, 1)
    assert back.outputs == ("9",) and back.edges == net.edges
    xor = nnviz.presets.xor()
    one = data.adapt_network(xor, 1, 1)
    assert one.inputs == ("1",) and all("2" not in e for e in one.edges)
    assert data.mismatch(one, data.regression()) is None


def test_adapt_reports_an_impossible_removal() -> None:
    from nnviz.network import Network, Neuron

    net = Network(
        [Neuron("a", "input"), Neuron("b", "input"), Neuron("h", "hidden", "tanh"), Neuron("o", "output", "identity")],
        [("a", "o"), ("b", "h"), ("h", "o")],
    )
    with pytest.raises(NetworkError, match=r"cannot adapt.*'h' has no incoming edge"):
        data.adapt_network(net, 1, 1)
    with pytest.raises(NetworkError, match="at least one"):
        data.adapt_network(net, 0, 1)
