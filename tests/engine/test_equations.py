"""nnviz.app.equations: the paper's equations with numbers, against the engine; LaTeX-safe neuron ids."""

from __future__ import annotations

import re
import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import presets
from nnviz.app import equations
from nnviz.app.equations import chain_rule_equations, forward_equations, loss_equation, num, paren, tex_id
from nnviz.network import Network, Neuron

HOSTILE_IDS = ["$\\def\\x{}$", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "a_b^c", "{", "}", "\\"]


def _paper(x: float = 0.5, y: float = 1.0):
    net = presets.paper_network()
    trace = nnviz.forward(net, [x])
    return net, trace, nnviz.backward(net, trace, [y])


def _last_number(latex: str) -> float:
    """The value after the last '=' of an equation (plain decimal or a x 10^{e})."""
    tail = latex.rsplit("=", 1)[1]
    tail = re.sub(r"\\end\{aligned\}|\\quad.*", "", tail).strip()
    m = re.fullmatch(r"(-?[\d.]+)(?: \\times 10\^\{(-?\d+)\})?", tail)
    assert m, tail
    return float(m.group(1)) * 10 ** int(m.group(2) or 0)


def test_neuron_six_reads_like_figure_4():
    net, trace, _ = _paper()
    sym, sums, out = forward_equations(net, trace, "6")
    assert r"\sigma_{6}(a_{6})" in sym
    assert r"\sigma_{6}\left(w_{3,6} \cdot z_{3} + w_{4,6} \cdot z_{4} + w_{5,6}\right)" in sym  # no z_5: bias 1
    a6 = 1.5 * float(trace.z_of("3")[0]) - 1.0 * float(trace.z_of("4")[0]) + 0.2
    assert r"1.5 \cdot " in sums and r"(-1) \cdot " in sums and sums.count("+") == 2
    assert _last_number(sums) == pytest.approx(a6, rel=1e-5)
    assert r"\mathrm{sigmoid}" in out
    assert _last_number(out) == pytest.approx(float(trace.z_of("6")[0]), rel=1e-5)


def test_inputs_biases_and_identity_outputs():
    net, trace, _ = _paper(x=-1.25)
    assert forward_equations(net, trace, "1") == [r"z_{1} = x_{1} = -1.25"]
    assert forward_equations(net, trace, "2")[0].startswith(r"z_{2} = 1 ")
    lines = forward_equations(net, trace, "9")
    assert "identity" in lines[-1]
    assert _last_number(lines[1]) == pytest.approx(float(trace.a_of("9")[0]), rel=1e-5)


def test_negative_bias_weights_are_parenthesised():
    net, trace, _ = _paper()
    assert r"+ (-0.2)" in forward_equations(net, trace, "3")[1]


def test_bias_with_another_value_keeps_its_z():
    neurons = [Neuron("x", "input"), Neuron("b", "bias", value=2.0), Neuron("o", "output", "identity")]
    net = Network(neurons, [("x", "o"), ("b", "o")], [1.0, 0.5])
    trace = nnviz.forward(net, [3.0])
    sym, sums, _ = forward_equations(net, trace, "o")
    assert r"w_{b,o} \cdot z_{b}" in sym and r"0.5 \cdot 2" in sums
    assert _last_number(sums) == pytest.approx(4.0)


def test_chain_rule_at_neuron_four_sums_over_six_and_seven():
    """Figure 7: neuron 4 feeds 6 and 7, so dl/dz_4 has two terms."""
    net, trace, grads = _paper()
    dz, deriv, da, *dws = chain_rule_equations(net, trace, grads, [1.0], "4")
    assert r"\frac{\partial l}{\partial a_{6}} \cdot w_{4,6}" in dz
    assert r"\frac{\partial l}{\partial a_{7}} \cdot w_{4,7}" in dz
    assert _last_number(dz) == pytest.approx(float(grads.dl_dz_of("4")[0]), rel=1e-5)
    assert "z_{4}" in deriv and "(1 - z_{4})" in deriv
    z4 = float(trace.z_of("4")[0])
    assert _last_number(deriv) == pytest.approx(z4 * (1 - z4), rel=1e-5)
    assert _last_number(da) == pytest.approx(float(grads.dl_da_of("4")[0]), rel=1e-5)
    assert len(dws) == 2  # w_{1,4} and w_{2,4}
    assert r"\partial w_{1,4}" in dws[0] and _last_number(dws[0]) == pytest.approx(float(grads.dl_dw_of("1", "4")))


def test_output_neuron_uses_minus_two_y_minus_z():
    net, trace, grads = _paper(y=1.0)
    dz = chain_rule_equations(net, trace, grads, [1.0], "9")[0]
    assert r"-2\,(y_{9} - z_{9})" in dz and r"-2\,(1 - 0.552" in dz
    assert "2 z_{9}" not in dz
    assert _last_number(dz) == pytest.approx(-2 * (1 - float(trace.z_of("9")[0])), rel=1e-5)
    assert "2 z₉" in equations.OUTPUT_NOTE and "−2 (y − z₉)" in equations.OUTPUT_NOTE


def test_input_neuron_has_only_dl_dz_and_dead_ends_say_so():
    net, trace, grads = _paper()
    lines = chain_rule_equations(net, trace, grads, [1.0], "1")
    assert len(lines) == 1 and _last_number(lines[0]) == pytest.approx(float(grads.dl_dz_of("1")[0]), rel=1e-5)
    neurons = [Neuron("x", "input"), Neuron("h", "hidden", "tanh"), Neuron("o", "output", "identity")]
    dead = Network(neurons, [("x", "h"), ("x", "o")], [1.0, 1.0])  # h reaches nothing
    tr = nnviz.forward(dead, [0.3])
    gr = nnviz.backward(dead, tr, [0.0])
    assert "no outgoing edge" in chain_rule_equations(dead, tr, gr, [0.0], "h")[0]


@pytest.mark.parametrize("act", nnviz.activations.NAMES)
def test_every_activation_derivative_line_matches_dl_da(act):
    net = presets.paper_network(activation=act)
    trace = nnviz.forward(net, [0.7])
    grads = nnviz.backward(net, trace, [-0.4])
    _, deriv, da, *_ = chain_rule_equations(net, trace, grads, [-0.4], "3")
    assert deriv.count(r"\begin") == deriv.count(r"\end")
    a3 = float(trace.a_of("3")[0])
    z3 = float(trace.z_of("3")[0])
    expected = float(nnviz.activations.ACTIVATIONS[act].df(np.array(a3), np.array(z3)))
    if act not in ("identity", "step", "relu", "leaky_relu"):
        assert _last_number(deriv) == pytest.approx(expected, rel=1e-5, abs=1e-12)
    assert _last_number(da) == pytest.approx(float(grads.dl_da_of("3")[0]), rel=1e-5, abs=1e-12)


def test_loss_equation():
    net, trace, grads = _paper()
    text = loss_equation(net, trace, [1.0], grads)
    assert r"(y_{9} - z_{9})^2" in text
    assert _last_number(text) == pytest.approx(float(grads.loss[0]), rel=1e-5)


def test_long_sums_wrap_and_cap():
    net = presets.layered([50, 1], seed=0)
    trace = nnviz.forward(net, np.full(50, 0.1))
    lines = forward_equations(net, trace, net.outputs[0])
    sums = lines[2]
    assert sums.startswith(r"\begin{aligned}") and r"\quad +" in sums
    assert "more terms" in sums  # 51 terms: 40 written out
    assert _last_number(sums) == pytest.approx(float(trace.a_of(net.outputs[0])[0]), rel=1e-5)
    assert r"\dots" in lines[0]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (0.5, "0.5"),
        (-1.0, "-1"),
        (0.1234567, "0.123457"),
        (2.5e7, r"2.5 \times 10^{7}"),
        (-3.25e-6, r"-3.25 \times 10^{-6}"),
    ],
)
def test_num(value, text):
    assert num(value) == text


def test_paren_and_non_finite():
    assert paren(-2.0) == "(-2)" and paren(2.0) == "2"
    assert num(float("nan")) == r"\mathrm{NaN}" and num(float("inf")) == r"\infty"


def test_plain_ids_stay_plain():
    assert tex_id("6") == "6" and tex_id("A") == "A" and tex_id("h12") == "h12"


def _unescaped(text: str) -> str:
    """``text`` with every escape this module writes removed (what TeX would read as commands)."""
    for esc in sorted(equations._TEXT_ESCAPES.values(), key=len, reverse=True):
        text = text.replace(esc, "")
    return text


@pytest.mark.parametrize("nid", HOSTILE_IDS)
def test_hostile_ids_are_inert_text(nid):
    out = tex_id(nid)
    assert out.startswith(r"\text{") and out.endswith("}")
    inner = _unescaped(out[len(r"\text{") : -1])
    assert not set(inner) & set("\\{}$&#_%~^<>")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable.strip() + "é∂σ😀", min_size=1, max_size=40))
def test_any_printable_id_is_escaped(nid):
    out = tex_id(nid)
    if out == nid:
        assert nid.isalnum() and nid.isascii()
        return
    inner = _unescaped(out[len(r"\text{") : -1])
    assert not set(inner) & set("\\{}$&#_%~^<>")


def test_hostile_ids_in_every_equation():
    ids = {"in": "$\\def\\x{}$", "h": "<img src=x onerror=alert(1)>", "out": "a_b^c"}
    neurons = [Neuron(ids["in"], "input"), Neuron(ids["h"], "hidden", "tanh"), Neuron(ids["out"], "output", "identity")]
    net = Network(neurons, [(ids["in"], ids["h"]), (ids["h"], ids["out"]), (ids["in"], ids["out"])], [0.5, -1.0, 2.0])
    trace = nnviz.forward(net, [0.25])
    grads = nnviz.backward(net, trace, [1.0])
    lines = [loss_equation(net, trace, [1.0], grads)]
    for nid in ids.values():
        lines += forward_equations(net, trace, nid) + chain_rule_equations(net, trace, grads, [1.0], nid)
    for line in lines:
        assert "\\def" not in line and "<img" not in line and "$" not in line.replace(r"\$", "")
        assert line.count("{") - line.count(r"\{") == line.count("}") - line.count(r"\}")
