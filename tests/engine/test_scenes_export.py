"""Scenes exports that import again: compact numbers, one copy of shared data, a size cap said before saving.

The largest case the app lets a user build (50 scenes, training sets of 10,000 rows, the limit network)
is exported and imported back; a scene that would push the export past the file cap is refused by
:func:`nnviz.app.scenes.check_export` (the Scenes panel calls it before saving or importing).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import nnviz
from nnviz import files
from nnviz.app import scenes
from nnviz.app.scene_parts import compact
from nnviz.app.scenes import Scene, SceneError
from nnviz.data import Dataset
from nnviz.edit import Preset

#: About the limit network: 1,996 neurons and 48,969 edges in 8 layers.
LIMIT_SIZES = (500, 16, 500, 16, 500, 16, 440, 1)


def limit_network() -> nnviz.Network:
    """A network at the size limit (2,000 neurons, 50,000 edges), with random full-precision weights."""
    return Preset("layered", LIMIT_SIZES, "sigmoid", "identity", 0).build()


def csv_like(rows: int, seed: int) -> Dataset:
    """A 2-column data set of ``rows`` rows with full-precision numbers, as a CSV upload gives."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, (rows, 1))  # (rows, 1)
    return Dataset(f"upload {seed}.csv", x, np.sin(2 * x) + rng.normal(0, 0.1, x.shape), kind="csv")


def test_numbers_are_written_compactly() -> None:
    assert compact({"a": [1.0, 0.0, -3.0, 0.1, 1e-7, 2.0**60], "b": np.float64(2.0), "c": np.int64(4)}) == {
        "a": [1, 0, -3, 0.1, 1e-7, 2.0**60],
        "b": 2,
        "c": 4,
    }
    ds = Dataset("grid", [[float(k)] for k in range(100)], [[0.0]] * 100)
    text = scenes.dumps([Scene(name="g", network=nnviz.presets.xor(), dataset=ds)])
    assert ".0," not in text and ".0]" not in text, "whole numbers are written without .0"
    (back,) = scenes.loads(text)
    assert back.dataset.X.tolist() == ds.X.tolist() and back.dataset.X.dtype == np.float64


def test_a_shared_data_set_and_network_are_stored_once() -> None:
    ds, net = csv_like(10_000, 0), limit_network()
    items = [Scene(name=f"s{k}", network=net, dataset=ds, page="training", step=0) for k in range(10)]
    one = scenes.export_bytes(items[:1])
    ten = scenes.export_bytes(items)
    assert ten < one * 1.01, (one, ten)
    doc = json.loads(scenes.dumps(items))
    assert doc["format"] == "nnviz.scenes/2" and len(doc["datasets"]) == 1 and len(doc["networks"]) == 1
    back = scenes.loads(scenes.dumps(items))
    assert all(b.same_as(s) for b, s in zip(back, items, strict=True))
    assert back[0].dataset is back[9].dataset and back[0].network is back[9].network  # one object in memory too


def test_a_format_1_file_still_imports_and_exports_no_larger() -> None:
    """The issue's case: a 4.8 MB, 50-scene file of format 1 with whole numbers exported back as 8.8 MB
    (every whole number written as 0.0). Now the export is no larger than the file."""
    net = nnviz.presets.paper_network()
    rng = np.random.default_rng(5)
    old = {"format": scenes.FORMAT_V1, "scenes": []}
    for k in range(50):
        item = scenes.scene_to_dict(Scene(name=f"s{k}", network=net))
        x = rng.integers(0, 10, (6_500, 4)).tolist()  # a different data set per scene, so nothing is shared
        y = rng.integers(0, 2, (6_500, 1)).tolist()
        item["dataset"] = {"name": f"ints {k}", "kind": "csv", "X": x, "Y": y}
        item["settings"] = {"fwd_xs_0": 0.5, "train_run": 3, "train_step": 0.25}  # derived keys of the old format
        old["scenes"].append(item)
    text = json.dumps(old, separators=(",", ":"))
    assert 4_000_000 < len(text) < scenes.MAX_FILE_BYTES
    loaded = scenes.loads(text)
    assert len(loaded) == 50 and loaded[0].settings == {"train_step": 0.25}
    again = scenes.dumps(loaded)
    assert len(again) <= len(text), (len(text), len(again))
    scenes.check_export(loaded)
    assert all(a.same_as(b) for a, b in zip(scenes.loads(again), loaded, strict=True))


def test_the_largest_allowed_export_imports_again() -> None:
    """20 scenes of their own 10,000-row data sets (the issue's 5.27 MB export): the scene that would pass the
    cap is refused before it is saved, with the reason; every export that was allowed imports again, and
    50 scenes sharing the limit network and a data set fit."""
    net = limit_network()
    kept: list[Scene] = []
    refused = None
    for k in range(20):
        candidate = scenes.upsert(kept, Scene(name=f"upload {k}", network=net, dataset=csv_like(10_000, k)))
        try:
            scenes.check_export(candidate, f"saving scene upload {k}")
        except SceneError as exc:
            refused = (k, str(exc))
            break
        kept = candidate
    assert refused is not None, "20 distinct 10,000-row data sets cannot fit in one scenes file"
    k, message = refused
    assert f"saving scene upload {k} would make the scenes export" in message
    assert "above the 5 MB a scenes file may have (it could not be imported again)" in message
    text = scenes.dumps(kept)
    assert len(text.encode()) <= scenes.MAX_FILE_BYTES
    back = scenes.loads(text.encode())
    assert [s.name for s in back] == [s.name for s in kept]
    assert all(b.same_as(s) for b, s in zip(back, kept, strict=True))
    assert back[-1].network.weights.tobytes() == net.weights.tobytes()

    shared = csv_like(10_000, 99)
    full = [Scene(name=f"scene {k}", network=net, dataset=shared, page="training") for k in range(scenes.MAX_SCENES)]
    scenes.check_export(full)
    assert [s.name for s in scenes.loads(scenes.dumps(full))] == [s.name for s in full]


def test_references_are_checked() -> None:
    doc = json.loads(scenes.dumps([Scene(name="a", network=nnviz.presets.xor(), dataset=csv_like(4, 1))]))
    bad = dict(doc, scenes=[dict(doc["scenes"][0], dataset="d-missing")])
    with pytest.raises(SceneError, match=r"scene #1 \(\"a\"\): 'dataset' must name an entry of the file's datasets"):
        scenes.loads(json.dumps(bad))
    bad = dict(doc, scenes=[dict(doc["scenes"][0], network=files.to_dict(nnviz.presets.xor()))])
    with pytest.raises(SceneError, match="'network' must be a network"):
        scenes.loads(json.dumps(bad))
    net_ref = doc["scenes"][0]["network"]
    bad = dict(doc, networks={net_ref: {"format": "nnviz.network/1", "neurons": "x", "edges": []}})
    with pytest.raises(SceneError, match=r"scene #1 .*'network': the file: 'neurons' must be a list"):
        scenes.loads(json.dumps(bad))


def test_network_json_with_a_byte_order_mark_loads() -> None:
    """Editors on Windows save UTF-8 with a BOM; network, scenes and CSV files all accept it."""
    net = nnviz.presets.paper_network()
    assert files.from_json(b"\xef\xbb\xbf" + files.to_json(net).encode()) == net
    assert files.from_json("\ufeff" + files.to_json(net)) == net
    (scene,) = scenes.loads(b"\xef\xbb\xbf" + scenes.dumps([Scene(name="a", network=net)]).encode())
    assert scene.network == net
