"""Training sets S = ((x_1, y_1), ..., (x_m, y_m)) for the Training page and notebooks.

A :class:`Dataset` holds the inputs ``X`` ``(S, n_in)`` and targets ``Y``
``(S, n_out)`` a network is trained on, and optionally a held-out test split.
The generators take explicit seeds, so the same arguments give the same points:

- :func:`regression`: 1-D curves (sine, step, bump, abs, polynomial) for
  one-input networks such as the paper's;
- :func:`boolean` and :func:`truth_table`: AND, OR, XOR, parity, or any table;
- :func:`classification`: 2-D sets like TensorFlow Playground's (circle, XOR
  quadrants, two gaussians, spiral) in about [-2, 2] with 0/1 labels;
- :func:`playground`: TensorFlow Playground's own six sets
  (:data:`PLAYGROUND_SETS`: circle, xor, gauss, spiral, labelled -1/+1, see
  :data:`PLAYGROUND_CLASSIFICATION`; plane and multigauss, regression) in
  [-6, 6]^2 with its point counts and noise;
- :func:`read_csv`: an uploaded CSV file, validated and size-capped.

:func:`mismatch` says when a network's input/output counts do not fit a dataset,
and :func:`adapt_network` adds or removes input and output neurons so they do.
"""

from __future__ import annotations

from nnviz.data.adapt import adapt_network, mismatch
from nnviz.data.csvfile import CsvTable, read_csv
from nnviz.data.dataset import KINDS, MAX_COLUMNS, MAX_POINTS, Dataset, split
from nnviz.data.playground import PLAYGROUND_CLASSIFICATION, PLAYGROUND_SETS, playground
from nnviz.data.synthetic import (
    BOOLEAN_FUNCTIONS,
    CLASSIFICATION_SETS,
    REGRESSION_FUNCTIONS,
    boolean,
    classification,
    regression,
    truth_table,
)

__all__ = [
    "BOOLEAN_FUNCTIONS",
    "CLASSIFICATION_SETS",
    "KINDS",
    "MAX_COLUMNS",
    "MAX_POINTS",
    "PLAYGROUND_CLASSIFICATION",
    "PLAYGROUND_SETS",
    "REGRESSION_FUNCTIONS",
    "CsvTable",
    "Dataset",
    "adapt_network",
    "boolean",
    "classification",
    "mismatch",
    "playground",
    "read_csv",
    "regression",
    "split",
    "truth_table",
]
