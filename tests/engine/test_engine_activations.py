"""The activation registry: each f against a math reference, each df against central differences of f."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nnviz import activations
from nnviz.activations import ACTIVATIONS, NAMES
from tests.engine.engine_reference import REF_ACTIVATIONS

REQUIRED = ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "step", "sin")
KINKS = {"relu": 0.0, "leaky_relu": 0.0, "step": 0.0}
POINTS = np.array([-7.5, -3.0, -1.2, -0.4, -1e-3, 2e-3, 0.3, 0.9, 1.7, 4.0, 9.0])


def test_registry_has_the_required_functions():
    assert set(REQUIRED) <= set(ACTIVATIONS)
    assert tuple(ACTIVATIONS) == NAMES
    for name, act in ACTIVATIONS.items():
        assert act.name == name
        assert callable(act.f) and callable(act.df)
        assert isinstance(act.latex, str) and "{}" in act.latex, name
        assert isinstance(act.description, str) and act.description
    assert activations.get("tanh") is ACTIVATIONS["tanh"]
    with pytest.raises(KeyError):
        activations.get("nope")


def test_each_entry_carries_its_code_and_derivative_latex():
    """One source per activation: the code is the entry's position; sigma'(a) has a LaTeX form."""
    assert [act.code for act in ACTIVATIONS.values()] == list(range(len(ACTIVATIONS)))
    assert {name: k for k, name in enumerate(NAMES)} == activations.CODES
    for name, act in ACTIVATIONS.items():
        form = act.dlatex
        assert isinstance(form, str) and form.strip(), name
        assert form.count("{") == form.count("}"), name
        if "{a}" not in form and "{z}" not in form:  # a constant derivative: the same at every a
            values = act.df(POINTS, act.f(POINTS))
            assert np.all(values == values[0]), name


def test_every_activation_has_a_torch_twin_for_the_benchmark():
    from nnviz.bench import TORCH_ACTIVATIONS

    assert set(TORCH_ACTIVATIONS) == set(NAMES)


@pytest.mark.parametrize("name", REQUIRED)
def test_function_matches_math_reference(name):
    f = ACTIVATIONS[name].f
    ref = REF_ACTIVATIONS[name][0]
    got = f(POINTS.copy())
    assert got.shape == POINTS.shape
    for a, z in zip(POINTS, got, strict=True):
        assert math.isclose(z, ref(float(a)), rel_tol=1e-14, abs_tol=1e-15), (name, a, z)


@pytest.mark.parametrize("name", REQUIRED)
def test_derivative_matches_central_differences(name):
    act = ACTIVATIONS[name]
    h = 1e-6
    a = POINTS.copy()
    d = act.df(a, act.f(a))
    assert d.shape == a.shape
    for ak, dk in zip(a, d, strict=True):
        if name in KINKS:
            assert abs(ak - KINKS[name]) > 10 * h
        fd = (float(act.f(np.array(ak + h))) - float(act.f(np.array(ak - h)))) / (2 * h)
        assert math.isclose(dk, fd, rel_tol=1e-7, abs_tol=1e-8), (name, ak, dk, fd)
        assert math.isclose(dk, REF_ACTIVATIONS[name][1](float(ak)), rel_tol=1e-12, abs_tol=1e-15), (name, ak)


def test_step_derivative_is_zero_and_relu_family_at_the_kink():
    a = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(ACTIVATIONS["step"].df(a, ACTIVATIONS["step"].f(a)), 0.0)
    np.testing.assert_array_equal(ACTIVATIONS["step"].f(a), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(ACTIVATIONS["relu"].f(a), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(ACTIVATIONS["leaky_relu"].f(a), [-0.02, 0.0, 3.0], rtol=1e-15)
    np.testing.assert_allclose(ACTIVATIONS["leaky_relu"].df(a, ACTIVATIONS["leaky_relu"].f(a))[[0, 2]], [0.01, 1.0])


@pytest.mark.parametrize("name", REQUIRED)
def test_every_function_is_finite_and_silent_up_to_1e4(name):
    act = ACTIVATIONS[name]
    a = np.concatenate([np.linspace(-1e4, 1e4, 2001), [-1e4, -745.2, -710.0, 0.0, 709.8, 710.0, 1e4]])
    with warnings.catch_warnings(), np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("error")
        z = act.f(a)
        d = act.df(a, z)
    assert np.isfinite(z).all(), name
    assert np.isfinite(d).all(), name


def test_sigmoid_and_softplus_at_the_extremes():
    a = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    with warnings.catch_warnings(), np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("error")
        s = ACTIVATIONS["sigmoid"].f(a)
        sp = ACTIVATIONS["softplus"].f(a)
        ds = ACTIVATIONS["sigmoid"].df(a, s)
        dsp = ACTIVATIONS["softplus"].df(a, sp)
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(s[[0, -1]], [0.0, 1.0], atol=1e-300)
    assert s[3] == 0.5
    np.testing.assert_allclose(sp[-2:], [800.0, 1e4], rtol=1e-15)
    assert (sp >= 0).all() and sp[0] < 1e-300
    np.testing.assert_allclose(sp[3], math.log(2.0), rtol=1e-15)
    np.testing.assert_allclose(ds[[0, -1]], 0.0, atol=1e-300)
    np.testing.assert_allclose(dsp[[0, -1]], [0.0, 1.0], atol=1e-300)


@pytest.mark.parametrize("name", REQUIRED)
@pytest.mark.parametrize("shape", [(), (4,), (2, 3, 2)])
def test_elementwise_on_any_shape(name, shape):
    act = ACTIVATIONS[name]
    rng = np.random.default_rng(1)
    a = rng.uniform(-3, 3, shape)
    z = act.f(a)
    d = act.df(a, z)
    assert np.shape(z) == shape and np.shape(d) == shape
    flat_z = act.f(np.ravel(a))
    np.testing.assert_array_equal(np.ravel(z), flat_z)
