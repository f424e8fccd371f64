"""The notebook example in nnviz/__init__.py runs and prints what it says (doctest)."""

from __future__ import annotations

import doctest

import nnviz


def test_the_package_docstring_example_runs() -> None:
    result = doctest.testmod(nnviz, verbose=False, report=True)
    assert result.attempted >= 10  # the example is there
    assert result.failed == 0
