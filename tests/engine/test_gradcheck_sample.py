"""Gradient checks of big networks: a sample of weights, with bounded memory, same numbers as the full check."""

from __future__ import annotations

import numpy as np
import pytest

import nnviz
from nnviz import NetworkError
from nnviz.app import tables


def test_finite_differences_of_chosen_weights_equal_the_full_check() -> None:
    net = nnviz.presets.layered([3, 6, 2], activation="tanh", seed=4)
    x, y = np.array([[0.2, -0.4, 0.9]]), np.array([[0.1, -0.3]])
    fd_all, bp_all = nnviz.finite_differences(net, x, y)
    which = np.array([0, 5, 17, len(net.edges) - 1])
    fd, bp = nnviz.finite_differences(net, x, y, indices=which)
    np.testing.assert_allclose(fd, fd_all[which], rtol=1e-12)
    np.testing.assert_allclose(bp, bp_all[which], rtol=1e-12)
    np.testing.assert_allclose(fd, bp, rtol=1e-6, atol=1e-9)


def test_blocks_give_the_same_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    net = nnviz.presets.paper_network()
    x, y = np.array([[0.3], [1.1]]), np.array([[1.0], [-0.5]])
    whole = nnviz.finite_differences(net, x, y)[0]
    monkeypatch.setattr(nnviz.engine, "FD_BLOCK_VALUES", 1)  # one weight per block
    np.testing.assert_allclose(nnviz.finite_differences(net, x, y)[0], whole, rtol=1e-12)


def test_bad_positions_are_refused() -> None:
    net = nnviz.presets.paper_network()
    with pytest.raises(NetworkError, match="between 0 and 11"):
        nnviz.finite_differences(net, [0.1], [0.2], indices=[12])


def test_big_network_checks_an_even_sample() -> None:
    net = nnviz.presets.layered([20, 40, 20, 5], seed=0, scale=0.2)
    assert len(net.edges) > tables.GRADCHECK_MAX_WEIGHTS
    rows, worst = tables.gradient_rows(net, np.full((1, 20), 0.1), np.zeros((1, 5)))
    assert len(rows) == tables.GRADCHECK_MAX_WEIGHTS
    assert (rows[0]["from"], rows[0]["to"]) == net.edges[0]
    assert (rows[-1]["from"], rows[-1]["to"]) == net.edges[-1]
    assert worst < tables.GRADCHECK_OK
