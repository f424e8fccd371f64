"""Scenes: named snapshots of the app's state, replayed during a talk, saved as one JSON file.

A :class:`Scene` holds everything needed to show the same picture again: the
network with its weights (in the ``nnviz.network/1`` format of
:mod:`nnviz.files`), the preset "reset" rebuilds, the seed, the training set
(its numbers, so an uploaded CSV comes back too), the page, the animation
step, the page's settings (widget values such as step size or epochs) and the
presentation flags (presentation mode, palette).

All scenes of a session export as one file in the format ``nnviz.scenes/1``::

    {"format": "nnviz.scenes/1",
     "scenes": [{"name": "Intro", "page": "forward", "step": 3,
                 "present": true, "palette": "paper", "seed": 0,
                 "preset": {"name": "paper", "sizes": [2, 4, 1], "activation": "sigmoid",
                            "output_activation": "identity", "seed": 0},
                 "network": {"format": "nnviz.network/1", ...},
                 "dataset": null or {"name": ..., "kind": ..., "X": [[...]], "Y": [[...]],
                                     "X_test": null, "Y_test": null,
                                     "input_names": [...], "output_names": [...]},
                 "settings": {"tr_epochs": 50, ...}}]}

:func:`loads` treats the file as hostile: it checks the size before parsing,
parses JSON only (nothing is ever unpickled or evaluated), rejects NaN and
infinities, caps every count, and raises :class:`SceneError` whose message
names the scene and the field at fault. No streamlit here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnviz import files
from nnviz.app.scene_parts import (
    MAX_DATASET_VALUES as MAX_DATASET_VALUES,  # re-exported: a scene's size limit
)
from nnviz.app.scene_parts import (
    MAX_TEXT_CHARS,
    SceneError,
    check_dataset_size,
    dataset_from_dict,
    dataset_to_dict,
    get_field,
    preset_from_dict,
    preset_to_dict,
    short,
    text_field,
    whole_number,
)
from nnviz.data.dataset import Dataset
from nnviz.edit import MAX_SEED, Preset
from nnviz.network import Network, NetworkError

FORMAT = "nnviz.scenes/1"
MAX_FILE_BYTES = 5_000_000  # a whole scenes file (also the server's upload cap, .streamlit/config.toml)
MAX_SCENES = 50
MAX_NAME_CHARS = 80
MAX_SETTINGS = 100  # settings per scene
MAX_LIST_ITEMS = 100  # a list-valued setting (e.g. a slider range or a multiselect)
MAX_STEP = 100_000  # animation step (pages clamp it to their animation's length)
MAX_INT = 2**53  # integers beyond this do not survive a trip through a browser
#: Page ids a scene may name (the file stem in pages/).
PAGES = ("network", "forward", "backprop", "training", "why")
#: The colour schemes a scene may name: the keys of nnviz.figures.style.PALETTES (a test checks they agree).
PALETTE_NAMES = ("paper", "print", "colorblind")
SETTING_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
RESERVED_PREFIX = "nnviz_"  # plain session keys are restored by the fields above, never as settings

Setting = None | bool | int | float | str | list
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


def check_setting(key: object, value: object, where: str = "the scene") -> Setting:
    """One validated setting value (numpy scalars become Python numbers); ``SceneError`` naming the key."""
    if not isinstance(key, str) or not SETTING_KEY.match(key) or key.startswith(RESERVED_PREFIX):
        raise SceneError(f"{where}: setting {short(key)} is not a setting name (lowercase letters, digits, _)")
    what = f"{where}: setting {key!r}"
    if isinstance(value, list):
        if len(value) > MAX_LIST_ITEMS:
            raise SceneError(f"{what} has {len(value)} items; the limit is {MAX_LIST_ITEMS}")
        return [_check_scalar(v, f"{what}, item {j + 1}") for j, v in enumerate(value)]
    return _check_scalar(value, what)


def _check_scalar(value: object, what: str) -> Setting:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, np.integer)):
        if abs(int(value)) > MAX_INT:
            raise SceneError(f"{what} is {short(value)}; whole numbers must lie within ±2**53")
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(float(value)):
            raise SceneError(f"{what} is {float(value)}; numbers must be finite")
        return float(value)
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise SceneError(f"{what} has {len(value)} characters; the limit is {MAX_TEXT_CHARS}")
        return value
    raise SceneError(f"{what} must be a number, text, true/false or null, not {short(value)}")


def check_settings(settings: object, where: str = "the scene") -> dict[str, Setting]:
    """Validated settings: a mapping of setting names to numbers, text, booleans, null or short lists."""
    if not isinstance(settings, Mapping):
        raise SceneError(f"{where}: 'settings' must be an object, not {short(settings)}")
    if len(settings) > MAX_SETTINGS:
        raise SceneError(f"{where}: 'settings' has {len(settings)} entries; the limit is {MAX_SETTINGS}")
    return {k: check_setting(k, v, where) for k, v in settings.items()}


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
    settings: Mapping[str, Setting] = field(default_factory=dict)

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
    """One scene as a plain dict (see the module docstring)."""
    return {
        "name": scene.name,
        "page": scene.page,
        "step": scene.step,
        "present": scene.present,
        "palette": scene.palette,
        "seed": scene.seed,
        "preset": preset_to_dict(scene.preset),
        "network": files.to_dict(scene.network),
        "dataset": None if scene.dataset is None else dataset_to_dict(scene.dataset),
        "settings": dict(scene.settings),
    }


def dumps(scenes: Sequence[Scene], indent: int | None = 1) -> str:
    """All ``scenes`` as one ``nnviz.scenes/1`` JSON text (the export file)."""
    if len(scenes) > MAX_SCENES:
        raise SceneError(f"{len(scenes)} scenes is more than the limit of {MAX_SCENES}")
    doc = {"format": FORMAT, "scenes": [scene_to_dict(s) for s in scenes]}
    text = json.dumps(doc, indent=indent)
    if len(text) > MAX_FILE_BYTES // 2:  # large networks: drop the indentation to stay importable
        text = json.dumps(doc, separators=(",", ":"))
    return text


# ----- from JSON ---------------------------------------------------------------


def scene_from_dict(doc: object, k: int = 0) -> Scene:
    """The ``k``-th scene of a file from its dict; ``SceneError`` naming the scene and field."""
    where = _where(k)
    if not isinstance(doc, dict):
        raise SceneError(f"{where} is not an object, but {short(doc)}")
    unknown = sorted(set(doc) - set(_SCENE_FIELDS))
    if unknown:
        raise SceneError(f"{where} has an unknown field {short(unknown[0])}")
    name = check_name(get_field(doc, "name", where, (str,), "text"), where)
    where = _where(k, name)
    try:
        network = files.from_dict(get_field(doc, "network", where, (dict,), "an object (a network file)"))
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
            dataset=dataset_from_dict(doc.get("dataset"), where),
            settings=doc.get("settings", {}),
        )
    except SceneError as exc:  # Scene() names the scene by name; a file's reader wants its number too
        prefix = f"scene {name!r}: "
        if str(exc).startswith(prefix):
            raise SceneError(f"{where}: {str(exc)[len(prefix) :]}") from None
        raise


def loads(data: str | bytes) -> list[Scene]:
    """Parse and validate a scenes file; ``SceneError`` naming the scene and field for anything wrong."""
    doc = files.parse_json(data, MAX_FILE_BYTES, SceneError, "a scenes file", encoding="utf-8-sig", allow_empty=False)
    if not isinstance(doc, dict):
        raise SceneError("the file is not a JSON object with 'format' and 'scenes'")
    fmt = doc.get("format")
    if fmt != FORMAT:
        hint = " (this is a network file: load it on the Network page)" if fmt == files.FORMAT else ""
        raise SceneError(f"the file's format is {short(fmt)}; expected {json.dumps(FORMAT)}{hint}")
    items = get_field(doc, "scenes", "the file", (list,), "a list")
    if len(items) > MAX_SCENES:
        raise SceneError(f"the file has {len(items)} scenes; the limit is {MAX_SCENES}")
    scenes = [scene_from_dict(item, k) for k, item in enumerate(items)]
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
