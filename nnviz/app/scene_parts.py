"""Checked JSON pieces of a scene: the error type, field readers, and the preset and dataset as dicts.

:mod:`nnviz.app.scenes` builds whole scenes and scenes files from these. Every
reader treats its input as hostile and raises :class:`SceneError` naming the
field. No streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from nnviz import files, presets
from nnviz.data.dataset import KINDS, Dataset
from nnviz.edit import MAX_SEED, Preset, check_sizes
from nnviz.network import Network, NetworkError

MAX_TEXT_CHARS = 500  # a text setting, a dataset name or column name
MAX_DATASET_VALUES = 250_000  # numbers in X, Y, X_test and Y_test together


class SceneError(ValueError):
    """An invalid scene or scenes file; the message names the scene and the field."""


def short(value: object, limit: int = 40) -> str:
    """``value`` as JSON, cut to ``limit`` characters, for messages."""
    try:
        text = json.dumps(value, allow_nan=True)
    except (TypeError, ValueError):
        text = type(value).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def number(v: float) -> int | float:
    """``v`` as JSON should write it: a whole number as an int (``2``, not ``2.0``), any other float as is
    (Python writes floats in their shortest round-tripping form)."""
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def compact(value: Any) -> Any:
    """``value`` (nested dicts and lists) with every float through :func:`number`; numpy numbers as Python's."""
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [compact(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return number(float(value))
    if isinstance(value, np.integer):
        return int(value)
    return value


def network_to_dict(net: Network) -> dict[str, Any]:
    """``files.to_dict(net)`` with its numbers written compactly (the same network when read back)."""
    doc = files.to_dict(net)
    for item, w in zip(doc["edges"], net.weights.tolist(), strict=True):
        item["weight"] = number(w)
    for item in doc["neurons"]:
        item["value"] = number(float(item["value"]))
    return doc


def whole_number(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise SceneError(f"{what} must be a whole number, not {short(value)}")
    if not low <= int(value) <= high:
        raise SceneError(f"{what} is {int(value)}; it must lie between {low} and {high}")
    return int(value)


def check_dataset_size(ds: Dataset, where: str) -> None:
    values = sum(a.size for a in (ds.X, ds.Y, ds.X_test, ds.Y_test) if a is not None)
    if values > MAX_DATASET_VALUES:
        raise SceneError(f"{where}: the dataset has {values:,} numbers; a scene holds at most {MAX_DATASET_VALUES:,}")


def _matrix(arr: np.ndarray | None) -> list[list[int | float]] | None:
    return None if arr is None else [[number(v) for v in row] for row in arr.tolist()]


def dataset_to_dict(ds: Dataset) -> dict[str, Any]:
    """A dataset as a plain dict: its name, kind, column names and numbers."""
    return {
        "name": ds.name,
        "kind": ds.kind,
        "X": _matrix(ds.X),
        "Y": _matrix(ds.Y),
        "X_test": _matrix(ds.X_test),
        "Y_test": _matrix(ds.Y_test),
        "input_names": list(ds.input_names),
        "output_names": list(ds.output_names),
    }


def preset_to_dict(preset: Preset) -> dict[str, Any]:
    """A preset as a plain dict."""
    return {
        "name": preset.name,
        "sizes": list(preset.sizes),
        "activation": preset.activation,
        "output_activation": preset.output_activation,
        "seed": preset.seed,
    }


def get_field(doc: Mapping[str, Any], key: str, where: str, types: tuple[type, ...], what: str) -> Any:
    if key not in doc:
        raise SceneError(f"{where} has no {key!r} field")
    value = doc[key]
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        raise SceneError(f"{where}: {key!r} must be {what}, not {short(value)}")
    return value


def text_field(doc: Mapping[str, Any], key: str, where: str) -> str:
    value = get_field(doc, key, where, (str,), "text")
    if len(value) > MAX_TEXT_CHARS:
        raise SceneError(f"{where}: {key!r} has {len(value)} characters; the limit is {MAX_TEXT_CHARS}")
    return value


def preset_from_dict(doc: object, where: str) -> Preset:
    """A preset from its dict; ``SceneError`` naming the field."""
    where = f"{where}: 'preset'"
    if not isinstance(doc, dict):
        raise SceneError(f"{where} must be an object, not {short(doc)}")
    name = text_field(doc, "name", where)
    if name not in presets.PRESETS:
        raise SceneError(f"{where}: 'name' is {short(name)}; use one of {', '.join(presets.PRESETS)}")
    sizes = get_field(doc, "sizes", where, (list,), "a list of whole numbers")
    if len(sizes) > 100 or not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes):
        raise SceneError(f"{where}: 'sizes' must be a short list of whole numbers, not {short(sizes)}")
    try:
        sizes = check_sizes(sizes)
    except NetworkError as exc:
        raise SceneError(f"{where}: 'sizes': {exc}") from None
    acts = [text_field(doc, key, where) for key in ("activation", "output_activation")]
    seed = whole_number(get_field(doc, "seed", where, (int,), "a whole number"), f"{where}: 'seed'", 0, MAX_SEED)
    preset = Preset(name, sizes, acts[0], acts[1], seed)
    try:
        preset.build()
    except NetworkError as exc:
        raise SceneError(f"{where}: {exc}") from None
    return preset


def _numbers(value: object, what: str) -> list[list[float]]:
    if not isinstance(value, list) or not value:
        raise SceneError(f"{what} must be a non-empty list of rows, not {short(value)}")
    for j, row in enumerate(value):
        if not isinstance(row, list) or not row:
            raise SceneError(f"{what}: row {j + 1} must be a non-empty list of numbers, not {short(row)}")
        for v in row:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise SceneError(f"{what}: row {j + 1} holds {short(v)}, which is not a number")
    return value


def dataset_from_dict(doc: object, where: str) -> Dataset | None:
    """A dataset from its dict (None for JSON null); ``SceneError`` naming the field."""
    if doc is None:
        return None
    where = f"{where}: 'dataset'"
    if not isinstance(doc, dict):
        raise SceneError(f"{where} must be an object or null, not {short(doc)}")
    name, kind = text_field(doc, "name", where), text_field(doc, "kind", where)
    if kind not in KINDS:
        raise SceneError(f"{where}: 'kind' is {short(kind)}; use one of {', '.join(KINDS)}")
    arrays: dict[str, list[list[float]] | None] = {}
    total = 0
    for key in ("X", "Y", "X_test", "Y_test"):
        value = doc.get(key)
        if value is None and key in ("X_test", "Y_test"):
            arrays[key] = None
            continue
        arrays[key] = _numbers(value, f"{where}: {key!r}")
        total += sum(len(row) for row in arrays[key])
        if total > MAX_DATASET_VALUES:
            raise SceneError(f"{where} has more than {MAX_DATASET_VALUES:,} numbers; that is the limit")
    names = {}
    for key in ("input_names", "output_names"):
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(n, str) and len(n) <= MAX_TEXT_CHARS for n in value):
            raise SceneError(f"{where}: {key!r} must be a list of short texts, not {short(value)}")
        names[key] = tuple(value)
    try:
        with np.errstate(all="ignore"):
            return Dataset(name, arrays["X"], arrays["Y"], arrays["X_test"], arrays["Y_test"], kind=kind, **names)
    except (NetworkError, OverflowError) as exc:
        raise SceneError(f"{where}: {exc}") from None
