"""Scenes: named snapshots of the app's state, replayed during a talk, saved as one JSON file.

A :class:`Scene` holds everything needed to show the same picture again: the
network with its weights (in the ``nnviz.network/1`` format of
:mod:`nnviz.files`), the preset "reset" rebuilds, the seed, the training set
(its numbers, so an uploaded CSV comes back too), the page, the animation
step, the page's settings (widget values such as step size or epochs) and the
presentation flags (presentation mode, palette).

All scenes of a session export as one file in the format ``nnviz.scenes/2``,
each network and dataset stored once (by an id made from its content) however
many scenes use it, numbers written compactly::

    {"format": "nnviz.scenes/2",
     "networks": {"n-3f2a...": {"format": "nnviz.network/1", ...}},
     "datasets": {"d-91c0...": {"name": ..., "kind": ..., "X": [[...]], "Y": [[...]],
                                "X_test": null, "Y_test": null,
                                "input_names": [...], "output_names": [...]}},
     "scenes": [{"name": "Intro", "page": "forward", "step": 3,
                 "present": true, "palette": "paper", "seed": 0,
                 "preset": {"name": "paper", "sizes": [2, 4, 1], "activation": "sigmoid",
                            "output_activation": "identity", "seed": 0},
                 "network": "n-3f2a...", "dataset": null or "d-91c0...",
                 "settings": {"train_epochs": 50, ...}}]}

The settings are those of the declared table :mod:`nnviz.app.settings`, each
checked against its widget's kind and range. Files of the older format
``nnviz.scenes/1`` (network and dataset inline in each scene, settings of any
widget under a page prefix) still import; settings the table does not declare
are dropped from them.

:func:`loads` treats the file as hostile: it checks the size before parsing,
parses JSON only (nothing is ever unpickled or evaluated), rejects NaN and
infinities, caps every count, and raises :class:`SceneError` whose message
names the scene and the field at fault. No streamlit here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nnviz import files
from nnviz.app import settings as settings_table
from nnviz.app.scene_parts import (
    MAX_DATASET_VALUES as MAX_DATASET_VALUES,  # re-exported: a scene's size limit
)
from nnviz.app.scene_parts import (
    SceneError,
    check_dataset_size,
    compact,
    dataset_from_dict,
    dataset_to_dict,
    get_field,
    network_to_dict,
    preset_from_dict,
    preset_to_dict,
    short,
    text_field,
    whole_number,
)
from nnviz.data.dataset import Dataset
from nnviz.edit import MAX_SEED, Preset
from nnviz.network import Network, NetworkError

FORMAT = "nnviz.scenes/2"  # what :func:`dumps` writes
FORMAT_V1 = "nnviz.scenes/1"  # still read: every scene inline, settings picked by key prefix
FORMATS = (FORMAT, FORMAT_V1)
#: The fields of a file, by format; any other top-level field is refused (as any unknown field of a scene is).
TOP_LEVEL = {FORMAT: ("format", "networks", "datasets", "scenes"), FORMAT_V1: ("format", "scenes")}
MAX_FILE_BYTES = 5_000_000  # a whole scenes file (also the server's upload cap, .streamlit/config.toml)
MAX_SCENES = 50
MAX_NAME_CHARS = 80
MAX_STEP = 100_000  # animation step (pages clamp it to their animation's length)
#: Page ids a scene may name (the file stem in pages/).
PAGES = settings_table.PAGES
#: The colour schemes a scene may name: the keys of nnviz.figures.style.PALETTES (a test checks they agree).
PALETTE_NAMES = ("paper", "print", "colorblind")

_SCENE_FIELDS = ("name", "page", "step", "present", "palette", "seed", "preset", "network", "dataset", "settings")


def _where(k: int, name: object = None) -> str:
    return f"scene #{k + 1}" + (f" ({short(name)})" if isinstance(name, str) else "")


def check_name(name: object, where: str = "the scene") -> str:
    """A scene name: 1 to :data:`MAX_NAME_CHARS` printable characters (surrounding spaces removed)."""
    if not isinstance(name, str):
        raise SceneError(f"{where}: 'name' must be text, not {short(name)}")
    name = name.strip()
    if not name:
        raise SceneError(f"{where}: 'name' is empty; give the scene a name")
    if len(name) > MAX_NAME_CHARS:
        raise SceneError(f"{where}: 'name' has {len(name)} characters; the limit is {MAX_NAME_CHARS}")
    if not name.isprintable():
        raise SceneError(f"{where}: 'name' contains a control character")
    return name


def check_settings(values: object, where: str = "the scene", legacy: bool = False) -> dict[str, Any]:
    """``values`` checked against the declared table (:mod:`nnviz.app.settings`); ``SceneError`` naming the field.

    With ``legacy`` (an ``nnviz.scenes/1`` file) keys the table does not know are dropped.
    """
    try:
        return settings_table.check_settings(values, legacy=legacy)
    except settings_table.SettingError as exc:
        raise SceneError(f"{where}: {exc}") from None


@dataclass(frozen=True, eq=False)
class Scene:
    """One named snapshot: network (with weights), preset, seed, dataset, page, step, settings, flags.

    Construction validates every field (``SceneError`` naming it); ``settings``
    is copied. Compare scenes with :meth:`same_as`.
    """

    name: str
    network: Network
    page: str = "network"
    step: int = 0
    present: bool = False
    palette: str = "paper"
    seed: int = 0
    preset: Preset = field(default_factory=Preset)
    dataset: Dataset | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "name", check_name(self.name))
        where = f"scene {self.name!r}"
        if not isinstance(self.network, Network):
            raise SceneError(f"{where}: 'network' must be a Network")
        if self.page not in PAGES:
            raise SceneError(f"{where}: 'page' is {short(self.page)}; use one of {', '.join(PAGES)}")
        put(self, "step", whole_number(self.step, f"{where}: 'step'", 0, MAX_STEP))
        put(self, "seed", whole_number(self.seed, f"{where}: 'seed'", 0, MAX_SEED))
        if not isinstance(self.present, bool):
            raise SceneError(f"{where}: 'present' must be true or false, not {short(self.present)}")
        if self.palette not in PALETTE_NAMES:
            raise SceneError(f"{where}: 'palette' is {short(self.palette)}; use one of {', '.join(PALETTE_NAMES)}")
        if not isinstance(self.preset, Preset):
            raise SceneError(f"{where}: 'preset' must be a Preset")
        if self.dataset is not None:
            if not isinstance(self.dataset, Dataset):
                raise SceneError(f"{where}: 'dataset' must be a Dataset or None")
            check_dataset_size(self.dataset, where)
        put(self, "settings", check_settings(self.settings, where))

    def same_as(self, other: object) -> bool:
        """True when ``other`` is a scene that exports to the same JSON."""
        return isinstance(other, Scene) and scene_to_dict(self) == scene_to_dict(other)


# ----- to JSON -----------------------------------------------------------------


def scene_to_dict(scene: Scene) -> dict[str, Any]:
    """One scene as a plain dict, its network and dataset inline (the scene of an ``nnviz.scenes/1`` file)."""
    return {
        "name": scene.name,
        "page": scene.page,
        "step": scene.step,
        "present": scene.present,
        "palette": scene.palette,
        "seed": scene.seed,
        "preset": preset_to_dict(scene.preset),
        "network": network_to_dict(scene.network),
        "dataset": None if scene.dataset is None else dataset_to_dict(scene.dataset),
        "settings": compact(dict(scene.settings)),
    }


def _text(doc: object) -> str:
    return json.dumps(doc, separators=(",", ":"), allow_nan=False)


class _Pool:
    """Networks or datasets stored once each, under an id made from their content (the file's tables)."""

    def __init__(self, prefix: str, to_dict: Any) -> None:
        self.prefix, self.to_dict = prefix, to_dict
        self.texts: dict[str, str] = {}
        self._seen: dict[int, str] = {}  # id(object) -> ref: scenes sharing one object serialise it once

    def ref(self, obj: object) -> str:
        ref = self._seen.get(id(obj))
        if ref is None:
            text = _text(self.to_dict(obj))
            ref = self.prefix + hashlib.sha256(text.encode()).hexdigest()[:16]
            self.texts.setdefault(ref, text)
            self._seen[id(obj)] = ref
        return ref

    def table(self) -> str:
        return "{" + ",".join(f'"{ref}":{text}' for ref, text in self.texts.items()) + "}"


def dumps(scenes: Sequence[Scene]) -> str:
    """All ``scenes`` as one ``nnviz.scenes/2`` JSON text (the export file).

    Each network and dataset is stored once in the file's ``networks`` and ``datasets`` tables, however many
    scenes use it, and numbers are written compactly (whole numbers without ``.0``, other floats in
    Python's shortest form that reads back to the same float).
    """
    if len(scenes) > MAX_SCENES:
        raise SceneError(f"{len(scenes)} scenes is more than the limit of {MAX_SCENES}")
    networks, datasets = _Pool("n-", network_to_dict), _Pool("d-", dataset_to_dict)
    items = []
    for scene in scenes:
        item = {
            "name": scene.name,
            "page": scene.page,
            "step": scene.step,
            "present": scene.present,
            "palette": scene.palette,
            "seed": scene.seed,
            "preset": preset_to_dict(scene.preset),
            "network": networks.ref(scene.network),
            "dataset": None if scene.dataset is None else datasets.ref(scene.dataset),
            "settings": compact(dict(scene.settings)),
        }
        items.append(_text(item))
    head = f'{{"format":"{FORMAT}",\n"networks":{networks.table()},\n"datasets":{datasets.table()},\n'
    return head + '"scenes":[\n' + ",\n".join(items) + "\n]}\n"


def export_bytes(scenes: Sequence[Scene]) -> int:
    """The size in bytes of the export file of ``scenes``."""
    return len(dumps(scenes).encode())


def check_export(scenes: Sequence[Scene], what: str = "this") -> None:
    """``SceneError`` when the export of ``scenes`` would be larger than a scenes file may be (it could not be
    imported again); ``what`` names the change that would do it in the message."""
    size = export_bytes(scenes)
    if size > MAX_FILE_BYTES:
        raise SceneError(
            f"{what} would make the scenes export {size / 1e6:.2f} MB, above the {MAX_FILE_BYTES / 1e6:g} MB a "
            "scenes file may have (it could not be imported again). Networks and training sets shared by "
            "several scenes are stored once: delete a scene, or use a smaller training set"
        )


# ----- from JSON ---------------------------------------------------------------


def _resolve(doc: dict[str, Any], key: str, pools: Mapping[str, Any] | None, where: str, parse: Any) -> Any:
    """A scene's network or dataset: inline (format 1), or a reference into the file's table (format 2),
    parsed once per entry (scenes that share it share one object)."""
    value = doc.get(key)
    if pools is None or value is None:
        return parse(value)
    table, parsed = pools[key + "s"], pools["parsed"]
    if not isinstance(value, str) or value not in table:
        raise SceneError(f"{where}: {key!r} must name an entry of the file's {key}s table, not {short(value)}")
    if (key, value) not in parsed:
        parsed[key, value] = parse(table[value])
    return parsed[key, value]


def scene_from_dict(doc: object, k: int = 0, pools: dict[str, Any] | None = None) -> Scene:
    """The ``k``-th scene of a file from its dict; ``SceneError`` naming the scene and field.

    ``pools`` holds the ``networks`` and ``datasets`` tables of an ``nnviz.scenes/2`` file (None for format 1,
    whose scenes hold theirs inline and whose settings may name widgets the table does not know).
    """
    where = _where(k)
    if not isinstance(doc, dict):
        raise SceneError(f"{where} is not an object, but {short(doc)}")
    unknown = sorted(set(doc) - set(_SCENE_FIELDS))
    if unknown:
        raise SceneError(f"{where} has an unknown field {short(unknown[0])}")
    name = check_name(get_field(doc, "name", where, (str,), "text"), where)
    where = _where(k, name)
    get_field(doc, "network", where, (dict,) if pools is None else (str,), "a network")
    try:
        network = _resolve(doc, "network", pools, where, files.from_dict)
    except NetworkError as exc:
        raise SceneError(f"{where}: 'network': {exc}") from None
    present = get_field(doc, "present", where, (bool,), "true or false") if "present" in doc else False
    try:
        return Scene(
            name=name,
            network=network,
            page=text_field(doc, "page", where) if "page" in doc else "network",
            step=get_field(doc, "step", where, (int,), "a whole number") if "step" in doc else 0,
            present=present,
            palette=text_field(doc, "palette", where) if "palette" in doc else "paper",
            seed=get_field(doc, "seed", where, (int,), "a whole number") if "seed" in doc else 0,
            preset=preset_from_dict(doc["preset"], where) if "preset" in doc else Preset(),
            dataset=_resolve(doc, "dataset", pools, where, lambda d: dataset_from_dict(d, where)),
            settings=check_settings(doc.get("settings", {}), where, legacy=pools is None),
        )
    except SceneError as exc:  # Scene() names the scene by name; a file's reader wants its number too
        prefix = f"scene {name!r}: "
        if str(exc).startswith(prefix):
            raise SceneError(f"{where}: {str(exc)[len(prefix) :]}") from None
        raise


def _pools(doc: dict[str, Any]) -> dict[str, Any]:
    pools: dict[str, Any] = {"parsed": {}}
    for key in ("networks", "datasets"):
        table = get_field(doc, key, "the file", (dict,), "an object") if key in doc else {}
        if len(table) > MAX_SCENES:
            raise SceneError(f"the file's {key!r} table has {len(table)} entries; the limit is {MAX_SCENES}")
        pools[key] = table
    return pools


def loads(data: str | bytes) -> list[Scene]:
    """Parse and validate a scenes file (format 2 or 1); ``SceneError`` naming the scene and field."""
    doc = files.parse_json(data, MAX_FILE_BYTES, SceneError, "a scenes file", allow_empty=False)
    if not isinstance(doc, dict):
        raise SceneError("the file is not a JSON object with 'format' and 'scenes'")
    fmt = doc.get("format")
    if fmt not in FORMATS:
        hint = " (this is a network file: load it on the Network page)" if fmt == files.FORMAT else ""
        raise SceneError(f"the file's format is {short(fmt)}; expected {json.dumps(FORMAT)}{hint}")
    unknown = sorted(set(doc) - set(TOP_LEVEL[fmt]), key=str)
    if unknown:
        raise SceneError(
            f"the file has an unknown field {short(unknown[0])}; a {fmt} file holds {', '.join(TOP_LEVEL[fmt])}"
        )
    pools = _pools(doc) if fmt == FORMAT else None
    items = get_field(doc, "scenes", "the file", (list,), "a list")
    if len(items) > MAX_SCENES:
        raise SceneError(f"the file has {len(items)} scenes; the limit is {MAX_SCENES}")
    scenes = [scene_from_dict(item, k, pools) for k, item in enumerate(items)]
    seen: set[str] = set()
    for k, s in enumerate(scenes):
        if s.name in seen:
            raise SceneError(f"{_where(k, s.name)}: the name is used by an earlier scene; names must differ")
        seen.add(s.name)
    return scenes


def upsert(scenes: Sequence[Scene], scene: Scene) -> list[Scene]:
    """``scenes`` with ``scene`` replacing the one of the same name, or appended; ``SceneError`` past the cap."""
    out = list(scenes)
    for k, s in enumerate(out):
        if s.name == scene.name:
            out[k] = scene
            return out
    if len(out) >= MAX_SCENES:
        raise SceneError(f"there are already {MAX_SCENES} scenes; delete one first")
    return [*out, scene]


def merge(scenes: Sequence[Scene], imported: Sequence[Scene]) -> list[Scene]:
    """``scenes`` with every ``imported`` scene added (same name: replaced); ``SceneError`` past the cap."""
    out = list(scenes)
    for scene in imported:
        out = upsert(out, scene)
    return out
