"""The Scenes panel: save the app's state under a name, click through scenes during a talk, export/import them.

A scene (:class:`nnviz.app.scenes.Scene`) records the network with its weights,
the preset, seed, training set, the page, the animation step of the Forward
and Backpropagation pages, the pages' settings and the presentation flags.
Opening one restores all of it and switches to its page.

Settings are the session's values under the page prefixes in
:data:`SETTING_PREFIXES` (the typed input x, the step size, the Training
page's form, ...), as long as they are plain numbers, text, booleans or short
lists, and are not buttons or uploads (those cannot be set). A scenes file is
untrusted: :func:`nnviz.app.scenes.loads` validates it, and the first run of a
page after opening a scene is guarded (:func:`guard`): should a setting not fit
the page (a value out of a slider's range, say), the settings are dropped, the
message says so, and the page runs again with its defaults.

``app.py`` calls :func:`follow` after ``st.navigation`` (to switch to an opened
scene's page), :func:`render` in the sidebar, and runs the page inside
:func:`guard`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st

from nnviz.app import scenes
from nnviz.app.scenes import Scene, SceneError
from nnviz.network import NetworkError
from nnviz.ui import presentation, state, widgets
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W
from nnviz.ui.stepper import StepperKeys

#: Session keys with these prefixes are page settings a scene records.
SETTING_PREFIXES = ("net_", "fwd_", "bwd_", "train_", "why_")
#: ...except these: transient animation flags, undo stacks, buttons, uploads and downloads.
_SKIP_SUFFIXES = ("_playing", "_fresh", "_clicked", "_history", "_upload", "_stop", "_load", "_go")
_SKIP_PARTS = ("_btn_", "_dl_", "upload")
#: Widget kinds whose value Streamlit does not let a script set.
_UNSETTABLE = ("trigger_value", "string_trigger_value", "file_uploader_state_value", "chat_input_value",
               "json_value", "unknown")  # fmt: skip
#: Page id -> the prefix of its animation's stepper keys.
STEPPERS = {"forward": "fwd", "backprop": "bwd"}
#: The Training page keeps its form values in one dict (Keys.TRAINING_FORM) under these widget-key prefixes.
TRAINING_PREFIX = "train_"
MAX_UPLOAD_MB = max(1, scenes.MAX_FILE_BYTES // 1_000_000)


# ----- what a scene records ------------------------------------------------------
def _widget_kind(key: str) -> str | None:
    """The widget kind (Streamlit's value type) behind session key ``key``; None for a plain key."""
    try:
        from streamlit.runtime.state import get_session_state

        inner = get_session_state()._state
        widget_id = inner._key_id_mapper.get_id_from_key(key)
        if widget_id is None:
            return None
        meta = inner._new_widget_state.widget_metadata.get(widget_id)
        return None if meta is None else str(meta.value_type)
    except Exception:  # Streamlit internals moved: treat every key as unsettable rather than guess
        return "unknown"


def _is_setting_key(key: object) -> bool:
    return (
        isinstance(key, str)
        and key.startswith(SETTING_PREFIXES)
        and not key.endswith(_SKIP_SUFFIXES)
        and not any(part in key for part in _SKIP_PARTS)
        and bool(scenes.SETTING_KEY.match(key))
    )


_SKIP = object()


def _plain(value: object) -> object:
    """``value`` if it can be stored in a scene, else a sentinel (numpy scalars become Python numbers)."""
    try:
        return scenes.check_setting("x", value)
    except SceneError:
        return _SKIP


def capture_settings() -> dict[str, scenes.Setting]:
    """The current page settings (see the module docstring), sorted by key."""
    ss = st.session_state
    found: dict[str, Any] = {}
    for name, value in (ss.get(Keys.TRAINING_FORM) or {}).items():
        key = TRAINING_PREFIX + str(name)
        if _is_setting_key(key) and _plain(value) is not _SKIP:
            found[key] = _plain(value)
    for key in list(ss):
        if not _is_setting_key(key) or _widget_kind(key) in _UNSETTABLE:
            continue
        value = _plain(ss[key])
        if value is not _SKIP:
            found[key] = value
    keys = sorted(found)[: scenes.MAX_SETTINGS]
    return {k: found[k] for k in keys}


def capture(name: str, page: str) -> tuple[Scene, str | None]:
    """A scene of the current state on page ``page``; and a note when the dataset was too large to keep."""
    ss = st.session_state
    prefix = STEPPERS.get(page)
    step = int(ss.get(StepperKeys(prefix).step, 0) or 0) if prefix else 0
    fields: dict[str, Any] = dict(
        name=name,
        network=state.current_network(),
        page=page if page in scenes.PAGES else "network",
        step=max(0, min(step, scenes.MAX_STEP)),
        present=presentation.presentation_mode(),
        palette=presentation.current_palette(),
        seed=state.current_seed(),
        preset=state.current_preset(),
        settings=capture_settings(),
    )
    try:
        return Scene(dataset=state.current_dataset(), **fields), None
    except SceneError as exc:
        if state.current_dataset() is None or "dataset" not in str(exc):
            raise
        return Scene(dataset=None, **fields), f"the training set was not kept: {exc}"


# ----- opening a scene -----------------------------------------------------------
def apply(scene: Scene) -> None:
    """Restore ``scene`` into the session (from a callback); :func:`follow` then switches to its page."""
    ss = st.session_state
    for key in [k for k in ss if isinstance(k, str) and k.startswith(SETTING_PREFIXES)]:
        if _widget_kind(key) not in _UNSETTABLE:
            del ss[key]
    for key in (Keys.TRAINING, Keys.BRUTE_FORCE):  # results of an earlier network: not part of a scene
        ss.pop(key, None)
    training_form: dict[str, Any] = {}
    for key, value in scene.settings.items():
        if not _is_setting_key(key):
            continue
        ss[key] = value
        if key.startswith(TRAINING_PREFIX):
            training_form[key[len(TRAINING_PREFIX) :]] = value
    ss[Keys.TRAINING_FORM] = training_form
    prefix = STEPPERS.get(scene.page)
    if prefix:
        keys = StepperKeys(prefix)
        ss[keys.step], ss[keys.playing] = scene.step, False
    state.set_preset(scene.preset)
    state.set_seed(scene.seed)
    state.set_dataset(scene.dataset)
    state.set_network(scene.network, note=f"opened scene {scene.name}")
    state.set_edit_error(None)
    presentation.set_presentation(scene.present)
    presentation.set_palette(scene.palette)
    ss[Keys.SCENE_GOTO] = scene.page
    ss[Keys.SCENE_APPLIED] = (scene.name, sorted(scene.settings))
    ss[Keys.SCENE_MESSAGE] = (True, f"Opened scene {scene.name}")


def page_id(page: Any) -> str:
    """The id of an ``st.Page`` (its file stem, e.g. "forward"), as scenes name pages."""
    return str(getattr(page, "_url_path", "") or getattr(page, "url_path", "") or "network")


def follow(pages: Sequence[Any], current: Any) -> None:
    """Switch to the page of a scene opened in the last callback (call after ``st.navigation``)."""
    target = st.session_state.pop(Keys.SCENE_GOTO, None)
    if target is None or target == page_id(current):
        return
    match = next((p for p in pages if page_id(p) == target), None)
    if match is None:
        st.session_state[Keys.SCENE_MESSAGE] = (False, f"this app has no page {target!r}; the scene opened here")
        return
    st.switch_page(match)


@contextmanager
def guard() -> Iterator[None]:
    """Run the page; if it fails on its first run after a scene was opened, drop the scene's settings and rerun."""
    ss = st.session_state
    applied = ss.get(Keys.SCENE_APPLIED)
    if not applied:
        yield
        return
    try:
        yield
    except Exception as exc:  # StopException / RerunException are BaseExceptions and pass through
        name, keys = applied
        ss[Keys.SCENE_APPLIED] = None
        for key in keys:
            ss.pop(key, None)
        ss[Keys.TRAINING_FORM] = {}
        ss[Keys.SCENE_MESSAGE] = (
            False,
            f"scene {name}: its page settings do not fit this page ({type(exc).__name__}: {str(exc)[:160]}); "
            "the page's defaults are used",
        )
        st.rerun()
    else:
        ss[Keys.SCENE_APPLIED] = None


# ----- callbacks ---------------------------------------------------------------------
def _scenes() -> list[Scene]:
    state.init_session_state()
    return st.session_state[Keys.SCENES]


def _say(ok: bool, text: str) -> None:
    st.session_state[Keys.SCENE_MESSAGE] = (ok, text)


def _on_save(page: str) -> None:
    raw = st.session_state.get(W.SCENE_NAME) or ""
    name = raw.strip() or f"Scene {len(_scenes()) + 1}"
    try:
        scene, note = capture(scenes.check_name(name, "the scene"), page)
        st.session_state[Keys.SCENES] = scenes.upsert(_scenes(), scene)
    except (SceneError, NetworkError) as exc:
        _say(False, str(exc))
        return
    _say(True, f"Saved scene {scene.name}" + (f" ({note})" if note else ""))
    st.session_state[W.SCENE_NAME] = ""


def _on_open(k: int) -> None:
    items = _scenes()
    if 0 <= k < len(items):
        apply(items[k])


def _on_delete(k: int) -> None:
    items = _scenes()
    if 0 <= k < len(items):
        gone = items[k]
        st.session_state[Keys.SCENES] = items[:k] + items[k + 1 :]
        _say(True, f"Deleted scene {gone.name}")


def load_upload(data: bytes) -> list[Scene]:
    """The scenes in an uploaded file's bytes; ``SceneError`` naming what is wrong."""
    return scenes.loads(data)


def _on_import() -> None:
    uploaded = st.session_state.get(W.SCENE_UPLOAD)
    if uploaded is None:
        return
    name = str(uploaded.name)[:60]
    try:
        if uploaded.size > scenes.MAX_FILE_BYTES:
            raise SceneError(f"the file is {uploaded.size:,} bytes; the limit is {scenes.MAX_FILE_BYTES:,}")
        imported = load_upload(uploaded.getvalue())
        st.session_state[Keys.SCENES] = scenes.merge(_scenes(), imported)
    except SceneError as exc:
        _say(False, f"{name}: {exc}")
        return
    _say(True, f"Imported {len(imported)} scene(s) from {name}")


# ----- rendering -----------------------------------------------------------------------
def _message() -> None:
    message = st.session_state.get(Keys.SCENE_MESSAGE)
    partly = bool(message) and "page settings" in message[1]  # the scene opened, some settings did not
    widgets.flash(message, "**Scenes:** " if partly else "**Scenes: nothing changed.** ")


def render(page: str) -> None:
    """The Scenes panel (call inside ``st.sidebar``); ``page`` is the id of the page on screen."""
    items = _scenes()
    st.subheader("Scenes", anchor=False)
    _message()
    if items:
        st.caption("Click a scene to open it: network, data, settings, page and step, as saved.")
    for k, scene in enumerate(items):
        c1, c2 = st.columns([6, 1], vertical_alignment="center")
        c1.button(widgets.md_escape(scene.name), key=f"sc_open_{k}", on_click=_on_open, args=(k,),
                  icon=":material/slideshow:", width="stretch")  # fmt: skip
        c2.button("", key=f"sc_del_{k}", on_click=_on_delete, args=(k,), icon=":material/delete:",
                  help="Delete this scene")  # fmt: skip
    with st.form("scene_save_form", border=False, enter_to_submit=True):
        st.text_input("Scene name", key=W.SCENE_NAME, max_chars=scenes.MAX_NAME_CHARS,
                      placeholder=f"Scene {len(items) + 1}")  # fmt: skip
        st.form_submit_button("Save this view as a scene", on_click=_on_save, args=(page,),
                              icon=":material/add_photo_alternate:", width="stretch")  # fmt: skip
    with st.expander("Export or import scenes"):
        st.download_button(
            "Export all scenes (JSON)", data=lambda: scenes.dumps(list(items)), file_name="nnviz-scenes.json",
            mime="application/json", icon=":material/download:", on_click="ignore", width="stretch",
            disabled=not items,
        )  # fmt: skip
        st.file_uploader("Import scenes (JSON)", type=["json"], key=W.SCENE_UPLOAD, on_change=_on_import,
                         max_upload_size=MAX_UPLOAD_MB,
                         help=f"A file exported here (format {scenes.FORMAT}); scenes with the same name are "
                         "replaced.")  # fmt: skip
