"""Junk at every argument of the public engine calls: only ``NetworkError`` may escape, and no numpy warning.

Each example takes one public call with valid arguments and replaces one argument
with generated junk (huge integers, strings, None, nested and ragged lists, wrong
shapes, NaN and infinities, bools, numpy object arrays, negative and fractional
counts and seeds). The call may succeed or raise :class:`nnviz.NetworkError`;
anything else (``TypeError``, ``OverflowError``, a plain ``ValueError``, a numpy
``RuntimeWarning``) fails the test.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnviz
from nnviz import presets

NET = presets.paper_network()
X = [[0.1], [0.5]]
Y = [[0.3], [-0.2]]
TRACE = nnviz.forward(NET, X)

#: Issue 22: -0.0 passed every ">= 0" check and reached numpy's sampler, which refuses a scale of -0.0.
SIGNED_ZEROS_AND_SUBNORMALS = [-0.0, 5e-324, -5e-324, 1e-320, -1e-320]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([10**400, -(10**400), 2**63, -1, 0, 1, 3]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.5, -2.5, 1e308, 1e-320, *SIGNED_ZEROS_AND_SUBNORMALS]),
    st.text(max_size=5),
    st.sampled_from(["a", "1.5", "", "nan"]),
    st.binary(max_size=4),
    st.complex_numbers(max_magnitude=10),
)
nested = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=2), inner, max_size=2)
    ),
    max_leaves=12,
)
arrays = st.one_of(
    st.builds(lambda v: np.array(v, dtype=object), st.lists(scalars, min_size=1, max_size=3)),
    st.builds(lambda n: np.full(n, np.nan), st.integers(0, 13)),
    st.builds(lambda n: np.ones((n, 1, 2)), st.integers(0, 3)),
    st.builds(lambda n: np.zeros((2, n)), st.integers(0, 13)),
    st.sampled_from([np.array([]), np.array(["a"] * 12), np.array([1 + 2j] * 12), np.ones(12, dtype=bool)]),
)
junk = st.one_of(nested, arrays)

Call = Callable[[dict[str, object]], object]

CALLS: dict[str, tuple[Call, dict[str, object]]] = {
    "forward": (lambda a: nnviz.forward(**a), {"net": NET, "x": X, "weights": None}),
    "backward": (lambda a: nnviz.backward(**a), {"net": NET, "trace": TRACE, "y": Y}),
    "loss": (lambda a: nnviz.loss(**a), {"net": NET, "x": X, "y": Y, "weights": None}),
    "sgd": (
        lambda a: nnviz.sgd(**a),
        {
            "net": NET,
            "X": X,
            "Y": Y,
            "step_size": 0.1,
            "epochs": 2,
            "shuffle_seed": None,
            "progress": None,
            "record": None,
            "batch_size": 1,
            "l2": 0.0,
        },
    ),
    "restarts": (
        lambda a: nnviz.restarts(**a),
        {
            "net": NET,
            "X": X,
            "Y": Y,
            "restarts": 3,
            "seed": 0,
            "init_scale": 1.0,
            "step_size": 0.1,
            "epochs": 2,
            "shuffle_seed": 1,
            "progress": None,
            "record": None,
            "batch_size": 1,
            "l2": 0.0,
        },
    ),
    "train": (
        lambda a: nnviz.train(**a),
        {
            "net": NET,
            "X": X,
            "Y": Y,
            "initial_weights": np.zeros((2, 12)),
            "step_size": 0.1,
            "epochs": 2,
            "shuffle_seed": None,
            "progress": None,
            "record": None,
            "batch_size": 1,
            "l2": 0.0,
        },
    ),
    "with_weights": (lambda a: a["net"].with_weights(a["weights"]), {"net": NET, "weights": np.ones(12)}),
    "from_json": (lambda a: nnviz.from_json(a["text"]), {"text": nnviz.to_json(NET)}),
    "gradient_check": (lambda a: nnviz.gradient_check(**a), {"net": NET, "x": X, "y": Y, "eps": 1e-6}),
    "neuron_pictures": (
        lambda a: nnviz.neuron_pictures(**a),
        {"net": NET, "axes": [np.linspace(-1, 1, 5)], "x": [0.5], "vary": [0]},
    ),
}
ARGS = [
    (call, arg) for call, (_, base) in CALLS.items() for arg in base if not (call == "with_weights" and arg == "net")
]


def call_with(call: str, arg: str, value: object) -> None:
    """Run ``call`` with ``arg`` replaced by ``value``; fail on anything but success or NetworkError."""
    fn, base = CALLS[call]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning is a failure too
        try:
            fn({**base, arg: value})
        except nnviz.NetworkError as exc:
            assert str(exc), "a NetworkError must say what is wrong"


@pytest.mark.parametrize(("call", "arg"), ARGS, ids=[f"{c}-{a}" for c, a in ARGS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=junk)
def test_junk_argument_raises_only_network_error(call: str, arg: str, value: object) -> None:
    call_with(call, arg, value)


@pytest.mark.parametrize("value", SIGNED_ZEROS_AND_SUBNORMALS, ids=repr)
@pytest.mark.parametrize(("call", "arg"), ARGS, ids=[f"{c}-{a}" for c, a in ARGS])
def test_signed_zeros_and_subnormals_at_every_argument(call: str, arg: str, value: float) -> None:
    """Every argument, given -0.0 or a subnormal, runs or raises NetworkError (not numpy's "scale < 0")."""
    call_with(call, arg, value)


def test_a_scale_of_minus_zero_is_zero() -> None:
    """initial_weights treats -0.0 as 0: all weights 0, as with a scale of 0."""
    assert np.array_equal(nnviz.training.initial_weights(NET, 2, 0, -0.0), np.zeros((2, 12)))
    with pytest.raises(nnviz.NetworkError, match="init_scale"):
        nnviz.training.initial_weights(NET, 2, 0, -5e-324)


@pytest.mark.parametrize(
    ("call", "arg", "value", "named"),
    [
        ("forward", "x", [10**400], "x"),
        ("forward", "x", [None], "x"),
        ("forward", "weights", ["a"] * 12, "weights"),
        ("backward", "y", [math.nan], "y"),
        ("backward", "trace", nnviz.forward(NET, [math.nan]), "trace"),
        ("sgd", "X", [[10**400], [1]], "inputs X"),
        ("restarts", "shuffle_seed", "a", "shuffle_seed"),
        ("restarts", "shuffle_seed", -1, "shuffle_seed"),
        ("restarts", "X", [[0.1], [0.5, 1.0]], "inputs X"),
        ("restarts", "X", ["a", "b"], "inputs X"),
        ("restarts", "Y", [[math.inf], [0.0]], "targets Y"),
        ("restarts", "restarts", 2.0, "restarts"),
        ("restarts", "seed", True, "seed"),
        ("train", "progress", 3, "progress"),
        ("with_weights", "weights", [10**400] * 12, "weights"),
        ("gradient_check", "eps", "x", "eps"),
        ("sgd", "batch_size", 0, "batch_size"),
        ("sgd", "batch_size", 2.0, "batch_size"),
        ("restarts", "batch_size", True, "batch_size"),
        ("train", "batch_size", -3, "batch_size"),
        ("train", "batch_size", "10", "batch_size"),
        ("sgd", "l2", -0.1, "l2"),
        ("restarts", "l2", math.nan, "l2"),
        ("train", "l2", math.inf, "l2"),
        ("train", "l2", "0.1", "l2"),
    ],
)
def test_the_issue_cases_name_the_argument(call: str, arg: str, value: object, named: str) -> None:
    fn, base = CALLS[call]
    with pytest.raises(nnviz.NetworkError, match=named):
        fn({**base, arg: value})


def test_batch_size_past_the_points_and_minus_zero_l2_are_accepted() -> None:
    """batch_size > S is one batch of all S points; l2 = -0.0 is no L2 (the same bits as 0)."""
    _, base = CALLS["restarts"]
    whole = nnviz.restarts(**{**base, "batch_size": 10**400})
    assert np.array_equal(whole.weights, nnviz.restarts(**{**base, "batch_size": 2}).weights)
    zero = nnviz.restarts(**{**base, "l2": -0.0})
    assert np.array_equal(zero.weights, nnviz.restarts(**base).weights)


def test_forward_keeps_nan_inputs_as_documented() -> None:
    """forward evaluates a NaN input (the outputs become NaN); only backward and training refuse it."""
    assert np.isnan(nnviz.forward(NET, [math.nan]).output).all()
