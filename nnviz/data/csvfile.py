"""Training data from an uploaded CSV file, read with Python's csv module.

:func:`read_csv` turns the uploaded bytes into a :class:`CsvTable` (column
names and text cells), checking size, encoding and shape; the user then picks
input and output columns and :meth:`CsvTable.dataset` converts just those to
numbers. Every problem raises ``NetworkError`` with a message naming the row
and column, never a traceback.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.data.dataset import MAX_COLUMNS, MAX_POINTS, Dataset, split
from nnviz.network import NetworkError

MAX_CSV_BYTES = 2_000_000
MAX_NAME_LENGTH = 60


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _show(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:30] + "...")


@dataclass(frozen=True, eq=False)
class CsvTable:
    """The cells of a CSV file: ``columns`` (names) and ``rows`` of text cells, all the same length.

    Blank lines are skipped; ``lines`` keeps the file line number of every row.
    """

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]  # the file line of each row, for messages

    def dataset(
        self, inputs: Sequence[str], outputs: Sequence[str], test_fraction: float = 0.0, seed: int = 0
    ) -> Dataset:
        """The chosen columns as numbers: ``inputs`` -> X ``(S, n_in)``, ``outputs`` -> Y ``(S, n_out)``."""
        inputs, outputs = list(inputs), list(outputs)
        if not inputs:
            raise NetworkError("choose at least one input column")
        if not outputs:
            raise NetworkError("choose at least one output column")
        both = sorted(set(inputs) & set(outputs))
        if both:
            raise NetworkError(f"column {both[0]!r} is chosen as both an input and an output")
        for c in inputs + outputs:
            if c not in self.columns:
                raise NetworkError(f"there is no column named {c!r}; the columns are {', '.join(self.columns)}")
        cols = [self.columns.index(c) for c in inputs + outputs]
        values = np.empty((len(self.rows), len(cols)))  # (S, n_in + n_out)
        for i, row in enumerate(self.rows):
            for j, c in enumerate(cols):
                cell = row[c].strip()
                where = f"line {self.lines[i]}, column {self.columns[c]!r}"
                if not cell:
                    raise NetworkError(f"{where} is empty")
                v = _number(cell)
                if v is None:
                    raise NetworkError(f"{where}: {_show(cell)} is not a number")
                if not math.isfinite(v):
                    raise NetworkError(f"{where} is {_show(cell)}; values must be finite numbers")
                values[i, j] = v
        X, Y = values[:, : len(inputs)], values[:, len(inputs) :]
        X, Y, Xt, Yt = split(X, Y, test_fraction, np.random.default_rng(seed))
        name = f"{self.name}: {', '.join(inputs)} -> {', '.join(outputs)}"
        return Dataset(name, X, Y, Xt, Yt, kind="csv", input_names=tuple(inputs), output_names=tuple(outputs))


def read_csv(data: bytes, name: str = "upload.csv") -> CsvTable:
    """Parse CSV bytes (UTF-8, comma/semicolon/tab separated, optional header row).

    The first row is a header when any of its cells is not a number; otherwise
    the columns are called c1, c2, ... Limits: :data:`MAX_CSV_BYTES`,
    :data:`~nnviz.data.dataset.MAX_POINTS` rows, :data:`~nnviz.data.dataset.MAX_COLUMNS` columns.
    """
    name = (name or "upload.csv")[:MAX_NAME_LENGTH]
    if len(data) > MAX_CSV_BYTES:
        raise NetworkError(f"the file is {len(data):,} bytes; the limit is {MAX_CSV_BYTES:,}")
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NetworkError(f"the file is not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    if "\x00" in text:
        raise NetworkError("the file contains NUL bytes; it looks binary, not CSV")
    if not text.strip():
        raise NetworkError("the file is empty")
    first_line = text.lstrip().splitlines()[0]
    delimiter = max(",;\t", key=first_line.count) if any(d in first_line for d in ",;\t") else ","
    raw: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for r in reader:
            if any(c.strip() for c in r):
                raw.append(r)
                lines.append(reader.line_num)
            if len(raw) > MAX_POINTS + 1:
                raise NetworkError(f"the file has more than {MAX_POINTS:,} data rows; that is the limit")
    except csv.Error as exc:
        raise NetworkError(f"the file is not valid CSV (line {reader.line_num}): {exc}") from None
    if not raw:
        raise NetworkError("the file is empty")
    has_header = any(_number(c.strip()) is None for c in raw[0])
    if has_header:
        columns = tuple(c.strip()[:MAX_NAME_LENGTH] for c in raw[0])
        rows, lines = raw[1:], lines[1:]
    else:
        columns = tuple(f"c{k + 1}" for k in range(len(raw[0])))
        rows = raw
    if len(columns) > MAX_COLUMNS:
        raise NetworkError(f"the file has {len(columns)} columns; the limit is {MAX_COLUMNS}")
    for k, c in enumerate(columns):
        if not c:
            raise NetworkError(f"column {k + 1} of the header has no name")
    dup = next((c for k, c in enumerate(columns) if c in columns[:k]), None)
    if dup is not None:
        raise NetworkError(f"the header names column {dup!r} twice")
    if not rows:
        raise NetworkError("the file has a header but no data rows")
    if len(rows) > MAX_POINTS:
        raise NetworkError(f"the file has {len(rows):,} data rows; the limit is {MAX_POINTS:,}")
    for line, r in zip(lines, rows, strict=True):
        if len(r) != len(columns):
            raise NetworkError(f"line {line} has {len(r)} cells; expected {len(columns)}")
    return CsvTable(name, columns, tuple(tuple(r) for r in rows), tuple(lines))
