"""Tests of nnviz.theory: layer matrices, linear collapse, boolean construction, approximation, counting."""

from __future__ import annotations

import decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import Network, NetworkError, Neuron, presets
from nnviz.theory import approximation, boolean, counting, layers

# ----- layer matrices -------------------------------------------------------


def test_paper_network_matrices_hold_its_weights() -> None:
    net = presets.paper_network()
    maps = layers.layer_maps(net)
    assert [m.layer for m in maps] == [2, 3, 4]
    a2, a3, a4 = maps
    assert a2.rows == ("3", "4") and a2.cols == ("1",) and a2.bias_ids == ("2",)
    np.testing.assert_array_equal(a2.matrix, [[0.8, -0.2], [-1.2, 0.5]])
    assert a3.rows == ("6", "7") and a3.cols == ("3", "4") and a3.bias_ids == ("5",)
    np.testing.assert_array_equal(a3.matrix, [[1.5, -1.0, 0.2], [0.0, 0.9, -0.3]])  # 3 does not feed 7
    assert a4.rows == ("9",) and a4.cols == ("6", "7")
    np.testing.assert_array_equal(a4.matrix, [[1.3, -0.7, 0.1]])
    assert a3.function == "sigmoid" and a4.function == "identity"


def test_homogeneous_matrix_has_the_affine_map_and_a_one() -> None:
    m = layers.layer_maps(presets.paper_network())[1]
    h = m.homogeneous
    assert h.shape == (3, 3)
    np.testing.assert_array_equal(h[:2], m.matrix)
    np.testing.assert_array_equal(h[2], [0.0, 0.0, 1.0])


def _mixed_network(seed: int, sizes: list[int]) -> Network:
    """A layered net whose neurons use different functions and whose biases are not 1."""
    net = presets.layered(sizes, activation="tanh", output_activation="identity", seed=seed)
    names = ["sigmoid", "tanh", "relu", "softplus", "sin", "leaky_relu", "identity"]
    rng = np.random.default_rng(seed)
    neurons = []
    for n in net.neurons:
        if n.role == "hidden":
            n = Neuron(n.id, n.role, names[int(rng.integers(len(names)))])
        elif n.role == "bias":
            n = Neuron(n.id, n.role, None, float(rng.uniform(-2, 2)))
        neurons.append(n)
    return Network(neurons, net.edges, net.weights)


@pytest.mark.parametrize(
    "net",
    [
        presets.paper_network(),
        presets.paper_network("tanh", "sigmoid"),
        presets.xor(),
        _mixed_network(1, [3, 5, 4, 2]),
        _mixed_network(2, [1, 7, 1]),
        _mixed_network(3, [4, 3, 3, 3, 5]),
    ],
)
def test_applying_layer_maps_in_turn_equals_forward(net: Network) -> None:
    x, err = layers.composition_check(net, samples=300, seed=4)
    assert x.shape == (300, len(net.inputs))
    assert err < 1e-12
    zs = layers.apply_layers(net, x)
    assert len(zs) == len(net.layers())
    direct = nnviz.forward(net, x)
    for m, z in zip(layers.layer_maps(net), zs[1:], strict=True):
        for c, nid in enumerate(m.rows):
            np.testing.assert_allclose(z[:, c], direct.z_of(nid), rtol=0, atol=1e-12)


def test_bias_value_and_several_bias_neurons_fold_into_one_column() -> None:
    neurons = [
        Neuron("x", "input"), Neuron("b1", "bias", None, 2.0), Neuron("b2", "bias", None, -1.0),
        Neuron("y", "output", "identity"),
    ]  # fmt: skip
    net = Network(neurons, [("x", "y"), ("b1", "y"), ("b2", "y")], [3.0, 0.5, 4.0])
    (m,) = layers.layer_maps(net)
    np.testing.assert_array_equal(m.matrix, [[3.0, 0.5 * 2.0 + 4.0 * -1.0]])
    assert m.bias_ids == ("b1", "b2")
    assert layers.composition_check(net)[1] == 0.0


def test_non_layered_network_is_refused_naming_the_edge() -> None:
    with pytest.raises(NetworkError, match=r"not layered.*A->C|not layered.*B->C|not layered.*A->B"):
        layers.layer_maps(presets.non_layered())


def test_output_outside_last_layer_is_refused() -> None:
    neurons = [
        Neuron("x", "input"), Neuron("h", "hidden", "tanh"), Neuron("y", "output", "identity"),
        Neuron("b", "bias"), Neuron("o2", "output", "identity"),
    ]  # fmt: skip
    net = Network(neurons, [("x", "h"), ("h", "y"), ("b", "o2")])
    assert net.layers() is not None
    with pytest.raises(NetworkError, match="output neuron 'o2' sits in layer 2 of 3"):
        layers.layer_maps(net)


def test_input_outside_first_layer_is_refused() -> None:
    neurons = [
        Neuron("x", "input"), Neuron("h", "hidden", "tanh"), Neuron("x2", "input"),
        Neuron("y", "output", "identity"),
    ]  # fmt: skip
    net = Network(neurons, [("x", "h"), ("h", "y"), ("x2", "y")])
    with pytest.raises(NetworkError, match="input neuron 'x2' sits in layer 2"):
        layers.layer_maps(net)


# ----- linear collapse ------------------------------------------------------


def test_identity_network_keeps_graph_and_weights() -> None:
    net = presets.paper_network()
    lin = layers.identity_network(net)
    assert lin is not net and lin.edges == net.edges
    np.testing.assert_array_equal(lin.weights, net.weights)
    assert layers.is_linear(lin) and not layers.is_linear(net)
    assert [n.activation for n in lin.neurons if n.computes] == ["identity"] * 5
    assert [n.role for n in lin.neurons] == [n.role for n in net.neurons]


def test_paper_network_collapses_to_the_hand_computed_line() -> None:
    net = presets.paper_network()
    c = layers.collapse(net)
    # By hand: z3 = .8x - .2, z4 = -1.2x + .5, z6 = 1.5 z3 - z4 + .2, z7 = .9 z4 - .3, z9 = 1.3 z6 - .7 z7 + .1
    slope = 1.3 * (1.5 * 0.8 - 1.0 * -1.2) - 0.7 * (0.9 * -1.2)
    icpt = 1.3 * (1.5 * -0.2 - 1.0 * 0.5 + 0.2) - 0.7 * (0.9 * 0.5 - 0.3) + 0.1
    np.testing.assert_allclose(c.matrix, [[slope, icpt]], atol=1e-12)
    assert c.outputs == ("9",) and c.inputs == ("1",)


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    seed=st.integers(0, 10_000),
)
def test_collapsed_matrix_equals_the_identity_network(sizes: list[int], seed: int) -> None:
    net = _mixed_network(seed, sizes)
    c = layers.collapse(net)
    assert c.matrix.shape == (sizes[-1], sizes[0] + 1)
    x, err = layers.collapse_check(net, samples=50, seed=seed)
    scale = 1.0 + float(np.abs(nnviz.forward(layers.identity_network(net), x).output).max())
    assert err <= 1e-10 * scale
    # The matrix read off by probing the network at 0 and at the unit vectors is the same matrix.
    lin = layers.identity_network(net)
    at0 = nnviz.forward(lin, np.zeros(sizes[0])).output[0]
    cols = nnviz.forward(lin, np.eye(sizes[0])).output - at0  # (n_in, n_out)
    np.testing.assert_allclose(c.bias, at0, atol=1e-9 * scale)
    np.testing.assert_allclose(c.linear, cols.T, atol=1e-9 * scale)


def test_collapse_of_an_already_linear_network_matches_its_own_output() -> None:
    lin = layers.identity_network(presets.layered([3, 4, 2], seed=5))
    x = np.random.default_rng(0).normal(size=(20, 3))
    np.testing.assert_allclose(layers.collapse(lin).apply(x), nnviz.forward(lin, x).output, atol=1e-12)


# ----- boolean functions ----------------------------------------------------


def test_input_rows_are_the_truth_table_order() -> None:
    np.testing.assert_array_equal(boolean.input_rows(2), [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert boolean.input_rows(6).shape == (64, 6)


def test_presets_on_three_bits() -> None:
    assert boolean.preset_table("and", 3).tolist() == [0] * 7 + [1]
    assert boolean.preset_table("or", 3).tolist() == [0] + [1] * 7
    assert boolean.preset_table("xor", 2).tolist() == [0, 1, 1, 0]
    assert boolean.preset_table("xor", 3).tolist() == [0, 1, 1, 0, 1, 0, 0, 0]
    assert boolean.preset_table("parity", 3).tolist() == [0, 1, 1, 0, 1, 0, 0, 1]
    assert boolean.preset_table("majority", 3).tolist() == [0, 0, 0, 1, 0, 1, 1, 1]


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    n=st.integers(1, 6),
    function=st.sampled_from(boolean.FUNCTIONS),
    rows=st.sampled_from(["true", "fewer"]),
)
def test_random_truth_tables_are_implemented_on_every_input(data, n: int, function: str, rows: str) -> None:
    table = data.draw(st.lists(st.booleans(), min_size=2**n, max_size=2**n))
    bn = boolean.boolean_network(table, n, function, rows)
    v = boolean.verify(bn.net, table, n)
    assert v.all_correct, v.wrong_rows
    assert v.predicted.tolist() == table
    if function == "step":
        assert v.outputs.tolist() == [float(t) for t in table]  # exact, no thresholding needed
        assert v.margin == 0.0
    else:
        assert v.margin < 1e-3
    assert {nn.activation for nn in bn.net.neurons if nn.computes} == {function}
    assert bn.net.layers() is not None and len(bn.net.layers()) == 3
    true_rows = sum(table)
    used = true_rows if rows == "true" else min(true_rows, 2**n - true_rows)
    assert bn.width == max(used, 1)


def test_parity_needs_half_of_all_rows() -> None:
    for n in range(1, 7):
        bn = boolean.boolean_network(boolean.preset_table("parity", n), n)
        assert bn.width == 2 ** (n - 1)
        assert boolean.hidden_width(boolean.preset_table("parity", n), n, "fewer") == 2 ** (n - 1)
    widths = boolean.widths_by_bits()
    assert widths["parity"] == [1, 2, 4, 8, 16, 32] == widths["2^(n-1)"]
    assert widths["and"] == [1] * 6


def test_constant_tables_still_give_valid_networks() -> None:
    for name, rows in (("false", "true"), ("false", "fewer"), ("true", "fewer")):
        table = boolean.preset_table(name, 3)
        bn = boolean.boolean_network(table, 3, rows=rows)
        assert bn.width == 1 and bn.rows_used == ()
        assert boolean.verify(bn.net, table, 3).all_correct
    assert boolean.boolean_network(boolean.preset_table("true", 3), 3).width == 8


def test_xor_network_uses_editor_ids_and_survives_json() -> None:
    bn = boolean.boolean_network(boolean.preset_table("xor", 2), 2)
    assert bn.net.ids == ("1", "2", "3", "4", "5", "6", "7")
    assert bn.net.inputs == ("1", "2") and bn.net.outputs == ("7",) and bn.hidden == ("4", "5")
    assert bn.rows_used == (1, 2)
    assert bn.net.weight("1", "4") == -1.0 and bn.net.weight("2", "4") == 1.0 and bn.net.weight("3", "4") == -0.5
    again = nnviz.from_json(nnviz.to_json(bn.net))
    assert again == bn.net


@pytest.mark.parametrize("n", [0, 7, -1, 100])
def test_bits_outside_one_to_six_are_refused(n: int) -> None:
    with pytest.raises(NetworkError, match=f"{n} input bits: the truth-table editor handles 1 to 6 bits"):
        boolean.preset_table("and", n)


def test_bad_tables_are_refused() -> None:
    with pytest.raises(NetworkError, match="has 8 rows, not 4"):
        boolean.boolean_network([0, 1, 1, 0], 3)
    with pytest.raises(NetworkError, match="only 0 and 1"):
        boolean.as_table([0, 2, 1, 0], 2)
    with pytest.raises(NetworkError, match="whole number"):
        boolean.check_bits(2.5)
    with pytest.raises(NetworkError, match="unknown truth-table preset"):
        boolean.preset_table("nand", 2)
    with pytest.raises(NetworkError, match="use step or sigmoid"):
        boolean.boolean_network([0, 1], 1, function="relu")


def test_verify_reports_wrong_rows() -> None:
    net = boolean.boolean_network(boolean.preset_table("and", 2), 2).net
    v = boolean.verify(net, boolean.preset_table("or", 2), 2)
    assert not v.all_correct and v.wrong_rows == [1, 2]


# ----- approximation by width -----------------------------------------------


def test_wider_hidden_layer_fits_sine_better() -> None:
    a = approximation.approximate_by_width("sine", widths=(1, 8), restarts=4, epochs=120, seed=0)
    assert a.widths == [1, 8]
    narrow, wide = a.fits
    assert narrow.curve.shape == a.x_grid.shape == (approximation.GRID_POINTS,)
    assert wide.train_mse < 0.2 * narrow.train_mse
    assert wide.max_error < narrow.max_error
    assert narrow.network.layers() is not None and len(narrow.network.layers()[1]) == 2  # 1 hidden + bias
    # The reported error is the network's own error on the training points.
    out = nnviz.forward(wide.network, a.x_train[:, None]).output[:, 0]
    assert wide.train_mse == pytest.approx(float(np.mean((out - a.y_train) ** 2)), rel=1e-9)


@pytest.mark.parametrize("bad", [0, -3])
def test_width_below_one_is_refused(bad: int) -> None:
    with pytest.raises(NetworkError, match=f"width {bad}: a hidden layer needs at least one neuron"):
        approximation.approximate_by_width("sine", widths=(1, bad), epochs=1)


def test_approximation_rejects_unknown_targets_and_too_much_work() -> None:
    with pytest.raises(NetworkError, match="unknown target"):
        approximation.approximate_by_width("cosh")
    with pytest.raises(NetworkError, match="too much work"):
        approximation.approximate_by_width("sine", epochs=100_000)


# ----- counting -------------------------------------------------------------


@pytest.mark.parametrize(("base", "exponent"), [(2, 0), (2, 10), (2, 1000), (3, 77), (10, 5), (100, 7), (7, 3001)])
def test_power_matches_exact_integers(base: int, exponent: int) -> None:
    p = counting.power(base, exponent)
    exact = base**exponent
    assert p.k == len(str(exact)) - 1
    lead = exact // 10 ** max(p.k - 11, 0) if p.k >= 11 else exact * 10 ** (11 - p.k)
    assert p.mantissa == pytest.approx(lead / 1e11, rel=1e-10)


def test_paper_image_count_exact() -> None:
    p = counting.images(200, 200, 8)
    assert p.exponent == 320_000 and p.k == 96_329
    exact = 2**320_000
    assert 10**96_329 <= exact < 10**96_330
    lead = exact // 10 ** (96_329 - 6)
    assert round(p.mantissa * 1e6) == lead or int(p.mantissa * 1e6) == lead


def test_paper_claims_and_where_they_differ() -> None:
    big_image, huge_image, network, brute = counting.PAPER_CLAIMS
    assert big_image.exact.k == 96_329 and not big_image.agrees  # the paper says about 10^10000
    assert huge_image.exact.k == 9_632_959 and not huge_image.agrees  # the paper says about 10^10000000
    assert network.exact.k == 2_000 and network.exact.mantissa == 1.0 and not network.agrees  # 100^1000 = 10^2000
    assert brute.exact.k == 231
    assert counting.configurations(100, 1000).log10 == decimal.Decimal(2000)


def test_parameters_needed_is_the_smallest_enough() -> None:
    img = counting.images(4, 4, 1)  # 2^16 = 65536
    assert counting.parameters_needed(img, 2) == 16
    assert counting.parameters_needed(img, 10) == 5  # 10^5 >= 65536 > 10^4
    assert counting.parameters_needed(counting.images(200, 200, 8), 100) == 48_165


def test_counting_refuses_nonsense() -> None:
    with pytest.raises(NetworkError, match="the width is 0"):
        counting.images(0, 10, 8)
    with pytest.raises(NetworkError, match="values per parameter is 1"):
        counting.configurations(1, 10)
    with pytest.raises(NetworkError, match="whole number"):
        counting.configurations(2.5, 10)
    assert counting.power(2, 10).text() == "1.02 × 10^3"
    assert counting.power(2, 320_000).latex() == r"3.97 \times 10^{96{,}329}"


def test_restore_functions_undoes_the_switch_and_keeps_weight_edits() -> None:
    net = presets.paper_network("tanh", "sigmoid")
    saved = layers.functions_of(net)
    assert saved == {"3": "tanh", "4": "tanh", "6": "tanh", "7": "tanh", "9": "sigmoid"}
    lin = layers.identity_network(net)
    assert layers.restore_functions(lin, saved) == net
    edited = lin.with_weights(np.arange(len(lin.edges), dtype=float))
    back = layers.restore_functions(edited, saved)
    assert layers.functions_of(back) == saved
    np.testing.assert_array_equal(back.weights, np.arange(12.0))
    assert layers.restore_functions(lin, {"9": "relu", "gone": "tanh"}).neuron("9").activation == "relu"


def test_parse_table_reads_an_output_column() -> None:
    table, n = boolean.parse_table("0 1\n1,0")
    assert n == 2 and table.tolist() == [False, True, True, False]
    assert boolean.parse_table("01" * 32)[1] == 6
    with pytest.raises(NetworkError, match="128 rows would be 7 input bits; this editor handles 1 to 6 bits"):
        boolean.parse_table("0" * 128)
    with pytest.raises(NetworkError, match="3 rows: a truth table has 2, 4, 8"):
        boolean.parse_table("011")
    with pytest.raises(NetworkError, match="only 0 and 1, not 'x'"):
        boolean.parse_table("01x0")
    with pytest.raises(NetworkError, match="empty"):
        boolean.parse_table(" ")
    with pytest.raises(NetworkError, match="1 rows"):
        boolean.parse_table("1")


def test_parse_widths() -> None:
    assert approximation.parse_widths("1, 2 4,8") == (1, 2, 4, 8)
    with pytest.raises(NetworkError, match="width 0: a hidden layer needs at least one neuron"):
        approximation.parse_widths("1, 0")
    with pytest.raises(NetworkError, match="'two' is not a whole number"):
        approximation.parse_widths("1, two")
    with pytest.raises(NetworkError, match="at least one"):
        approximation.parse_widths("")
    with pytest.raises(NetworkError, match="limit of 64"):
        approximation.parse_widths("65")
