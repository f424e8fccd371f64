"""Tours: a talk as an ordered list of steps, each a scene plus a title, speaker notes and cues.

A :class:`Step` is a :class:`~nnviz.scenes.Scene` (what to show: network,
data, page, animation frame, settings) with:

- ``title``: a short title, shown in the tour's bar ("step 3 of 14: ...");
- ``notes``: the speaker's notes (plain text, never shown unless asked);
- cues, all optional: ``frame``, an animation frame that Next walks to one
  frame at a time before the tour moves on (so one clicker button steps a
  forward pass and then goes to the next topic); ``select``, a neuron id or
  an edge ``"i->j"`` to select on arrival; ``train``, a training run to start
  on arrival, with every setting and its seed, so it always gives the same
  result; ``show``, the heading or tab label of the page to bring to the top
  of the screen (the demo moment), instead of the page's top; ``key``, the
  step's key element, what must be fully on screen once it arrived: ``"graph"``
  (the network's picture) or the widget key of an element of the page (a chart,
  an equation panel, a table), which arrival scrolls into view under the bar;
  ``sgd``, a step size: on the Backpropagation page, arrival takes one SGD step
  of that size on the page's point (the weights before and after are shown).

Tours export as one JSON file in the format ``nnviz.tours/1``::

    {"format": "nnviz.tours/1",
     "tours": [{"name": "The paper in one talk",
                "steps": [{"title": "...", "notes": "...",
                           "cues": {"frame": 6, "select": "4", "train": null, "show": null,
                                    "key": "graph"},
                           "scene": {... one scene, as in nnviz.scenes ...}}]}]}

:func:`loads` treats a file as hostile, exactly as :func:`nnviz.scenes.loads`
does (and reuses it: every step's scene goes through
:func:`nnviz.scenes.scene_from_dict`); a scenes file (``nnviz.scenes/1``)
imports as one tour with a step per scene. Errors are
:class:`~nnviz.scene_parts.SceneError` naming the tour, the step and the
field. No streamlit here.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnviz import files
from nnviz.app import scenes
from nnviz.app.scene_parts import SceneError, get_field, short, whole_number
from nnviz.app.scenes import Scene

FORMAT = "nnviz.tours/1"
MAX_FILE_BYTES = scenes.MAX_FILE_BYTES
MAX_TOURS = 20
MAX_STEPS = 60  # steps of one tour
MAX_NOTES_CHARS = 4000
MAX_FRAME = scenes.MAX_STEP
#: A training cue's settings: name -> (kind, low, high); the Training page's own limits.
TRAIN_FIELDS: dict[str, tuple[type, float, float]] = {
    "step": (float, 0.0, 10.0),
    "epochs": (int, 1, 20_000),
    "restarts": (int, 1, 1000),
    "seed": (int, 0, 2**31 - 1),
    "scale": (float, 0.0, 100.0),
}
TRAIN_ORDERS = ("listed", "shuffled")
#: Tours shipped with the app: the name a link uses (``?tour=paper``) -> its file next to this module.
BUILTIN = {"paper": "paper_tour.json"}
_STEP_FIELDS = ("title", "notes", "cues", "scene")
_CUE_FIELDS = ("frame", "select", "train", "show", "key", "sgd")
#: The largest step size an ``sgd`` cue may take (the Backpropagation page's own limit).
MAX_SGD_STEP = 1000.0
#: A key cue: "graph" or a widget key (letters, digits, "_" and "-"; it names a CSS class, never markup).
KEY_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,59}")


def check_key(key: object, where: str) -> str | None:
    """A step's key-element cue (None: no key element); ``SceneError`` naming the step otherwise."""
    if key is None:
        return None
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise SceneError(f"{where}: 'key' must be \"graph\" or a widget key (letters, digits, _ and -), "
                         f"not {short(key)}")  # fmt: skip
    return key


def check_sgd(value: object, where: str) -> float:
    """An ``sgd`` cue's step size: a number above 0 and at most :data:`MAX_SGD_STEP`; ``SceneError`` otherwise."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not 0 < value <= MAX_SGD_STEP:
        raise SceneError(f"{where}: 'sgd' must be a step size above 0 and at most {MAX_SGD_STEP:g}, not {short(value)}")
    return float(value)


def check_title(title: object, where: str) -> str:
    """A step's title: the rules of a scene's name (1 to 80 printable characters)."""
    try:
        return scenes.check_name(title, where)
    except SceneError as exc:
        raise SceneError(
            str(exc).replace("'name'", "'title'").replace("the scene a name", "the step a title")
        ) from None


def check_train(doc: object, where: str) -> dict[str, Any]:
    """A training cue: every field of :data:`TRAIN_FIELDS` plus ``order``; ``SceneError`` naming the field."""
    where = f"{where}: 'train'"
    if not isinstance(doc, Mapping):
        raise SceneError(f"{where} must be an object, not {short(doc)}")
    unknown = sorted(set(doc) - {*TRAIN_FIELDS, "order"})
    if unknown:
        raise SceneError(f"{where} has an unknown field {short(unknown[0])}")
    out: dict[str, Any] = {}
    for name, (kind, low, high) in TRAIN_FIELDS.items():
        value = doc.get(name)
        if kind is int:
            out[name] = whole_number(value, f"{where}: {name!r}", int(low), int(high))
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise SceneError(f"{where}: {name!r} must be a finite number, not {short(value)}")
        if not low <= value <= high:
            raise SceneError(f"{where}: {name!r} is {value}; it must lie between {low:g} and {high:g}")
        out[name] = float(value) + 0.0  # -0.0 is 0
    order = doc.get("order", "listed")
    if order not in TRAIN_ORDERS:
        raise SceneError(f"{where}: 'order' is {short(order)}; use one of {', '.join(TRAIN_ORDERS)}")
    out["order"] = order
    return out


def check_select(select: object, scene: Scene, where: str) -> str | None:
    """``select``: None, a neuron id of the scene's network, or an edge ``"i->j"`` of it."""
    if select is None:
        return None
    net = scene.network
    if not isinstance(select, str):
        raise SceneError(f"{where}: 'select' must be a neuron id or an edge 'i->j', not {short(select)}")
    if select in net.index:
        return select
    src, arrow, dst = select.partition("->")
    if arrow and (src, dst) in net.edge_index:
        return select
    raise SceneError(f"{where}: 'select' is {short(select)}, which is neither a neuron nor an edge of the network")


@dataclass(frozen=True, eq=False)
class Step:
    """One step of a tour: a scene, a title, speaker notes and cues (validated on construction)."""

    scene: Scene
    title: str
    notes: str = ""
    frame: int | None = None
    select: str | None = None
    train: Mapping[str, Any] | None = None
    show: str | None = None
    key: str | None = None
    sgd: float | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        if not isinstance(self.scene, Scene):
            raise SceneError("a tour step needs a Scene")
        put(self, "title", check_title(self.title, "the step"))
        where = f"step {self.title!r}"
        if not isinstance(self.notes, str):
            raise SceneError(f"{where}: 'notes' must be text, not {short(self.notes)}")
        if len(self.notes) > MAX_NOTES_CHARS:
            raise SceneError(f"{where}: 'notes' has {len(self.notes)} characters; the limit is {MAX_NOTES_CHARS}")
        if self.frame is not None:
            put(self, "frame", whole_number(self.frame, f"{where}: 'frame'", 0, MAX_FRAME))
        put(self, "select", check_select(self.select, self.scene, where))
        if self.train is not None:
            put(self, "train", check_train(self.train, where))
        if self.show is not None:
            try:
                put(self, "show", scenes.check_name(self.show, where))
            except SceneError as exc:
                raise SceneError(str(exc).replace("'name'", "'show'").replace("give the scene a name", "")) from None
        put(self, "key", check_key(self.key, where))
        if self.sgd is not None:
            put(self, "sgd", check_sgd(self.sgd, where))
            if self.scene.page != "backprop":
                raise SceneError(f"{where}: 'sgd' takes a step on the backprop page, not on {self.scene.page!r}")

    def cues(self) -> dict[str, Any]:
        """The cues as a plain dict (None for a cue not given)."""
        train = None if self.train is None else dict(self.train)
        return {
            "frame": self.frame,
            "select": self.select,
            "train": train,
            "show": self.show,
            "key": self.key,
            "sgd": self.sgd,
        }


@dataclass(frozen=True, eq=False)
class Tour:
    """A named, ordered list of steps (1 to :data:`MAX_STEPS`)."""

    name: str
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", scenes.check_name(self.name, "the tour"))
        steps = tuple(self.steps)
        if not steps:
            raise SceneError(f"tour {self.name!r} has no steps")
        if len(steps) > MAX_STEPS:
            raise SceneError(f"tour {self.name!r} has {len(steps)} steps; the limit is {MAX_STEPS}")
        if not all(isinstance(s, Step) for s in steps):
            raise SceneError(f"tour {self.name!r}: every step must be a Step")
        object.__setattr__(self, "steps", steps)

    def same_as(self, other: object) -> bool:
        """True when ``other`` is a tour that exports to the same JSON."""
        return isinstance(other, Tour) and tour_to_dict(self) == tour_to_dict(other)


# ----- to JSON -----------------------------------------------------------------
def step_to_dict(step: Step) -> dict[str, Any]:
    """One step as a plain dict (see the module docstring)."""
    return {"title": step.title, "notes": step.notes, "cues": step.cues(), "scene": scenes.scene_to_dict(step.scene)}


def tour_to_dict(tour: Tour) -> dict[str, Any]:
    """One tour as a plain dict."""
    return {"name": tour.name, "steps": [step_to_dict(s) for s in tour.steps]}


def dumps(tours: Sequence[Tour], indent: int | None = 1) -> str:
    """All ``tours`` as one ``nnviz.tours/1`` JSON text (the export file)."""
    if len(tours) > MAX_TOURS:
        raise SceneError(f"{len(tours)} tours is more than the limit of {MAX_TOURS}")
    doc = {"format": FORMAT, "tours": [tour_to_dict(t) for t in tours]}
    text = json.dumps(doc, indent=indent)
    if len(text) > MAX_FILE_BYTES // 2:
        text = json.dumps(doc, separators=(",", ":"))
    return text


# ----- from JSON ---------------------------------------------------------------
def step_from_dict(doc: object, j: int, where: str) -> Step:
    """The ``j``-th step of a tour from its dict; ``SceneError`` naming the step and field."""
    where = f"{where}, step {j + 1}"
    if not isinstance(doc, dict):
        raise SceneError(f"{where} is not an object, but {short(doc)}")
    unknown = sorted(set(doc) - set(_STEP_FIELDS))
    if unknown:
        raise SceneError(f"{where} has an unknown field {short(unknown[0])}")
    title = check_title(get_field(doc, "title", where, (str,), "text"), where)
    where = f"{where} ({short(title)})"
    notes = get_field(doc, "notes", where, (str,), "text") if "notes" in doc else ""
    cues = doc.get("cues") or {}
    if not isinstance(cues, dict):
        raise SceneError(f"{where}: 'cues' must be an object, not {short(cues)}")
    unknown = sorted(set(cues) - set(_CUE_FIELDS))
    if unknown:
        raise SceneError(f"{where}: 'cues' has an unknown field {short(unknown[0])}")
    try:
        scene = scenes.scene_from_dict(get_field(doc, "scene", where, (dict,), "an object (a scene)"), j)
    except SceneError as exc:
        raise SceneError(f"{where}: {exc}") from None
    try:
        return Step(scene, title, notes, cues.get("frame"), cues.get("select"), cues.get("train"), cues.get("show"),
                    cues.get("key"), cues.get("sgd"))  # fmt: skip
    except SceneError as exc:
        prefix = f"step {title!r}: "
        text = str(exc)
        raise SceneError(f"{where}: {text[len(prefix) :] if text.startswith(prefix) else text}") from None


def tour_from_dict(doc: object, k: int) -> Tour:
    """The ``k``-th tour of a file from its dict."""
    where = f"tour #{k + 1}"
    if not isinstance(doc, dict):
        raise SceneError(f"{where} is not an object, but {short(doc)}")
    unknown = sorted(set(doc) - {"name", "steps"})
    if unknown:
        raise SceneError(f"{where} has an unknown field {short(unknown[0])}")
    name = scenes.check_name(get_field(doc, "name", where, (str,), "text"), where)
    where = f"{where} ({short(name)})"
    items = get_field(doc, "steps", where, (list,), "a list")
    if not 1 <= len(items) <= MAX_STEPS:
        raise SceneError(f"{where} has {len(items)} steps; a tour has 1 to {MAX_STEPS}")
    return Tour(name, tuple(step_from_dict(item, j, where) for j, item in enumerate(items)))


def from_scenes(items: Sequence[Scene], name: str = "Imported scenes") -> Tour:
    """A tour with one step per scene, titled by the scene's name (how a scenes file imports)."""
    return Tour(name, tuple(Step(s, s.name) for s in items[:MAX_STEPS]))


def loads(data: str | bytes, name: str = "Imported scenes") -> list[Tour]:
    """Parse and validate a tours file, or a scenes file (one tour called ``name``); ``SceneError`` if bad."""
    doc = files.parse_json(data, MAX_FILE_BYTES, SceneError, "a tours file", encoding="utf-8-sig", allow_empty=False)
    if not isinstance(doc, dict):
        raise SceneError("the file is not a JSON object with 'format' and 'tours'")
    fmt = doc.get("format")
    if isinstance(fmt, str) and fmt.startswith("nnviz.scenes/"):
        items = scenes.loads(data)
        if not items:
            raise SceneError("the scenes file holds no scenes")
        return [from_scenes(items, scenes.check_name(name, "the tour"))]
    if fmt != FORMAT:
        raise SceneError(f"the file's format is {short(fmt)}; expected {json.dumps(FORMAT)} or a scenes file")
    unknown = sorted(set(doc) - {"format", "tours"}, key=str)
    if unknown:
        raise SceneError(f"the file has an unknown field {short(unknown[0])}; a {FORMAT} file holds format, tours")
    items = get_field(doc, "tours", "the file", (list,), "a list")
    if len(items) > MAX_TOURS:
        raise SceneError(f"the file has {len(items)} tours; the limit is {MAX_TOURS}")
    tours = [tour_from_dict(item, k) for k, item in enumerate(items)]
    seen: set[str] = set()
    for k, t in enumerate(tours):
        if t.name in seen:
            raise SceneError(f"tour #{k + 1} ({short(t.name)}): the name is used by an earlier tour; names must differ")
        seen.add(t.name)
    return tours


def upsert(tours: Sequence[Tour], tour: Tour) -> list[Tour]:
    """``tours`` with ``tour`` replacing the one of the same name, or appended; ``SceneError`` past the cap."""
    out = list(tours)
    for k, t in enumerate(out):
        if t.name == tour.name:
            out[k] = tour
            return out
    if len(out) >= MAX_TOURS:
        raise SceneError(f"there are already {MAX_TOURS} tours; delete one first")
    return [*out, tour]


@functools.cache
def builtin(name: str) -> Tour:
    """The shipped tour ``name`` (a key of :data:`BUILTIN`), read through :func:`loads` like any file.

    Raises ``KeyError`` for an unknown name. Tours are immutable, so one copy serves every session.
    """
    (tour,) = loads(Path(__file__).with_name(BUILTIN[name]).read_bytes())
    return tour


# ----- editing a tour of one's own (each returns a new, validated tour) ---------------
def add_step(tour: Tour | None, name: str, step: Step) -> Tour:
    """``tour`` with ``step`` appended (a new tour called ``name`` when ``tour`` is None)."""
    if tour is None:
        return Tour(name, (step,))
    return Tour(tour.name, (*tour.steps, step))


def move_step(tour: Tour, j: int, delta: int) -> Tour:
    """``tour`` with step ``j`` moved ``delta`` places (clamped to the ends)."""
    steps = list(tour.steps)
    if not 0 <= j < len(steps):
        raise SceneError(f"tour {tour.name!r} has no step {j + 1}")
    to = max(0, min(len(steps) - 1, j + delta))
    steps.insert(to, steps.pop(j))
    return Tour(tour.name, tuple(steps))


def edit_step(tour: Tour, j: int, title: str | None = None, notes: str | None = None) -> Tour:
    """``tour`` with step ``j`` retitled and/or given new notes (validated like a file's)."""
    if not 0 <= j < len(tour.steps):
        raise SceneError(f"tour {tour.name!r} has no step {j + 1}")
    old = tour.steps[j]
    new = dataclasses.replace(
        old, title=old.title if title is None else title, notes=old.notes if notes is None else notes
    )
    return Tour(tour.name, (*tour.steps[:j], new, *tour.steps[j + 1 :]))


def delete_step(tour: Tour, j: int) -> Tour | None:
    """``tour`` without step ``j``; None when it was the last step."""
    if not 0 <= j < len(tour.steps):
        raise SceneError(f"tour {tour.name!r} has no step {j + 1}")
    steps = tour.steps[:j] + tour.steps[j + 1 :]
    return Tour(tour.name, steps) if steps else None
