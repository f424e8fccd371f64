"""The compiled SGD loops of nnviz.kernel: activation twins, layout, and training split over threads."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import kernel, presets
from nnviz.activations import ACTIVATIONS, NAMES
from tests.engine.test_sgd_reference import random_net

GRID = np.concatenate(
    [
        [-1e4, -750.0, -709.0, -40.0, -1.0, -1e-9, 0.0, 1e-9, 0.5, 1.0, 40.0, 709.0, 750.0, 1e4],
        np.random.default_rng(0).normal(0.0, 5.0, 200),
    ]
)


def test_every_activation_has_a_compiled_twin() -> None:
    assert {name: ACTIVATIONS[name].code for name in NAMES} == kernel.CODES  # the registry's codes
    z, slope = kernel.sigma_rows(np.array([act.code for act in ACTIVATIONS.values()]), np.zeros((len(NAMES), 3)))
    assert np.isfinite(z).all() and np.isfinite(slope).all()  # a code without a twin gives NaN
    z, _ = kernel.sigma_rows(np.array([len(NAMES)]), np.zeros((1, 1)))
    assert np.isnan(z).all()


def test_machine_code_built_for_another_registry_is_thrown_away(monkeypatch: pytest.MonkeyPatch) -> None:
    assert kernel._compiled_stamp() == kernel.REGISTRY_STAMP  # what is loaded matches the registry
    flushed = []
    compiled = [kernel._sigma, kernel._slope, kernel._sigma_row, kernel._delta_row, kernel.sigma_rows]
    compiled += [kernel._forward, kernel._state, kernel._mean_loss, kernel._epoch, kernel._compiled_stamp]
    for fn in compiled:
        monkeypatch.setattr(fn._cache, "flush", lambda fn=fn: flushed.append(fn))
    monkeypatch.setattr(kernel._compiled_stamp, "recompile", lambda: None)
    kernel._check_cached_codes()
    assert flushed == []
    monkeypatch.setattr(kernel, "REGISTRY_STAMP", kernel.REGISTRY_STAMP + 1)
    kernel._check_cached_codes()
    assert set(flushed) == set(compiled)


@pytest.mark.parametrize("name", NAMES)
def test_compiled_sigma_and_slope_give_the_registry_numbers(name: str) -> None:
    act = ACTIVATIONS[name]
    z, slope = kernel.sigma_rows(np.array([kernel.CODES[name]]), GRID[None, :])
    # the same formulas; the libm behind numba and numpy's own loops may differ by an ulp (1 - z*z shows it)
    np.testing.assert_allclose(z[0], act.f(GRID), rtol=2e-15, atol=0.0)
    np.testing.assert_allclose(slope[0], act.df(GRID, act.f(GRID)), rtol=2e-15, atol=5e-16)
    assert np.isfinite(z).all() and np.isfinite(slope).all()


@pytest.mark.parametrize("name", [n for n in NAMES if n != "step"])
def test_compiled_sigma_keeps_nan(name: str) -> None:
    z, _ = kernel.sigma_rows(np.array([kernel.CODES[name]]), np.array([[np.nan]]))
    with np.errstate(invalid="ignore"):
        assert np.isnan(z[0, 0]) == np.isnan(ACTIVATIONS[name].f(np.array([np.nan]))[0])


@pytest.mark.parametrize("case", range(10))
def test_layout_lists_each_neurons_incoming_edges(case: int) -> None:
    net = random_net(np.random.default_rng(case))
    plan, layout = nnviz.plan.plan_for(net), kernel.layout_for(net)
    row_of = {net.neurons[i].id: r for r, i in enumerate(plan.neuron_perm)}
    for k in net.ids:
        r = row_of[k]
        mine = layout.edge_perm[layout.ptr[r] : layout.ptr[r + 1]]
        assert sorted(mine) == [e for e, (_, d) in enumerate(net.edges) if d == k]
        assert [row_of[net.edges[e][0]] for e in mine] == list(layout.src[layout.ptr[r] : layout.ptr[r + 1]])
        expected = kernel.CODES[net.neuron(k).activation] if net.neuron(k).computes else -1
        assert layout.codes[r] == expected


def test_chunks_round_trip_and_pad_with_zero_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel, "THREADS", 3)
    monkeypatch.setattr(kernel, "MIN_CHUNK", 1)
    net = presets.paper_network()
    layout = kernel.layout_for(net)
    w = np.random.default_rng(1).normal(size=(7, len(net.edges)))
    chunks = kernel.to_chunks(layout, w)
    assert chunks.shape == (3, len(net.edges), 3) and chunks.flags.c_contiguous
    assert (chunks[2, :, 1:] == 0.0).all()  # restarts 7 and 8 are padding
    np.testing.assert_array_equal(kernel.from_chunks(layout, chunks, 7), w)


@pytest.mark.parametrize("case", range(6))
def test_training_split_over_threads_equals_one_thread(case: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(100 + case)
    net = random_net(rng)
    X = rng.normal(size=(6, len(net.inputs)))
    Y = rng.normal(size=(6, len(net.outputs)))
    settings = {"restarts": 11, "seed": case, "init_scale": 1.5, "step_size": 0.05 + case, "epochs": 8}
    monkeypatch.setattr(kernel, "THREADS", 1)
    alone = nnviz.restarts(net, X, Y, **settings)
    monkeypatch.setattr(kernel, "THREADS", 4)
    monkeypatch.setattr(kernel, "MIN_CHUNK", 2)
    split = nnviz.restarts(net, X, Y, **settings)
    np.testing.assert_array_equal(split.diverged, alone.diverged)
    np.testing.assert_array_equal(split.loss_history, alone.loss_history)
    np.testing.assert_array_equal(split.weights, alone.weights)


def test_a_restart_diverging_in_a_later_chunk_stops_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel, "THREADS", 2)
    monkeypatch.setattr(kernel, "MIN_CHUNK", 1)
    net = presets.layered([1, 1, 1], activation="identity", bias=[False, True])
    w0 = np.full((5, len(net.edges)), 0.5)
    w0[3] = 3.0  # restart 3 (second chunk) has large weights and blows up with this step
    res = nnviz.training.train(net, [[1.0], [2.0]], [[0.5], [1.0]], w0, step_size=0.2, epochs=30)
    assert res.diverged.tolist() == [False, False, False, True, False]
    for r in (0, 1, 2, 4):
        np.testing.assert_array_equal(res.loss_history[r], res.loss_history[0])
        np.testing.assert_array_equal(res.weights[r], res.weights[0])
    assert np.isfinite(res.weights[3]).all() and np.isnan(res.loss_history[3, -1])


def test_without_a_writable_cache_the_loops_compile_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_njit(**options: bool) -> object:
        calls.append(options)
        if options.get("cache"):
            raise RuntimeError("cannot cache function 'f': no locator available for file 'kernel.py'")
        return lambda fn: fn

    monkeypatch.setattr(kernel, "njit", fake_njit)
    assert kernel._jit(lambda: 42)() == 42
    assert calls == [{"cache": True, "nogil": True}, {"nogil": True}]


def test_two_restarts_of_a_wide_network_use_every_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel, "THREADS", 2)
    wide, paper = presets.layered([2, 64, 64, 1]), presets.paper_network()  # 4,417 and 12 weights

    def chunks(net: nnviz.Network, r: int) -> int:
        return kernel.to_chunks(kernel.layout_for(net), np.zeros((r, len(net.edges)))).shape[0]

    assert (chunks(wide, 2), chunks(wide, 1), chunks(paper, 2)) == (2, 1, 1)  # the paper's: too little work


def test_a_wide_network_split_over_threads_equals_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    net = presets.layered([2, 40, 40, 1], activation="tanh")
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    settings = {"restarts": 3, "seed": 1, "init_scale": 0.3, "step_size": 0.05, "epochs": 4}
    monkeypatch.setattr(kernel, "THREADS", 1)
    alone = nnviz.restarts(net, X, Y, **settings)
    monkeypatch.setattr(kernel, "THREADS", 2)
    assert kernel.to_chunks(kernel.layout_for(net), np.zeros((3, len(net.edges)))).shape[0] == 2
    split = nnviz.restarts(net, X, Y, **settings)
    np.testing.assert_array_equal(split.loss_history, alone.loss_history)
    np.testing.assert_array_equal(split.weights, alone.weights)
