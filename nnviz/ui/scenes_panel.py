"""The Scenes panel: save the app's state under a name, click through scenes during a talk, export/import them.

A scene (:class:`nnviz.app.scenes.Scene`) records the network with its weights,
the preset, seed, training set, the page, the animation step of the Forward
and Backpropagation pages, the pages' settings and the presentation flags.
Opening one restores all of it and switches to its page.

The settings are exactly those of the declared table
:data:`nnviz.app.settings.SETTINGS` (the typed input x, the step size, the
Training page's form, ...). A scenes file is untrusted: :func:`nnviz.app.scenes.loads`
checks every setting against that table when it is imported, a scene is
checked again when it is saved and opened, and a scene that would push the
export past the size a scenes file may have is refused before it is saved.
Should a page still fail on its first run after a scene was opened,
:func:`guard` drops the scene's settings, says so, and runs the page again
with its defaults.

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
from nnviz.app import settings as settings_table
from nnviz.app.scenes import Scene, SceneError
from nnviz.network import NetworkError
from nnviz.ui import presentation, state, widgets
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W
from nnviz.ui.stepper import StepperKeys

#: Page id -> the prefix of its animation's stepper keys.
STEPPERS = {"forward": "fwd", "backprop": "bwd"}
MAX_UPLOAD_MB = max(1, scenes.MAX_FILE_BYTES // 1_000_000)


# ----- what a scene records ------------------------------------------------------
def _current(setting: settings_table.Setting) -> object:
    """The session's value of ``setting`` (the Training page's live in its form dict), or None.

    A number box holding a refused value gives its last good value, the one the page uses."""
    ss = st.session_state
    if setting.page == "training":
        value = (ss.get(Keys.TRAINING_FORM) or {}).get(setting.name)
        if value is not None:
            return value
    value = ss.get(setting.key)
    if setting.kind in ("int", "float") and setting.key in (ss.get(Keys.LAST_GOOD) or {}):
        try:
            setting.check(value)
        except settings_table.SettingError:  # a refused typed value (nnviz.ui.number_box): the one in use
            return ss[Keys.LAST_GOOD][setting.key]
    return value


def capture_settings() -> dict[str, object]:
    """The current value of every declared setting (:mod:`nnviz.app.settings`) that has one, sorted by key.

    A value its widget could not show again (it should not happen) is left out rather than saved.
    """
    found: dict[str, object] = {}
    for key, setting in settings_table.SETTINGS.items():
        value = _current(setting)
        if value is None:
            continue
        try:
            found[key] = setting.check(value.tolist() if hasattr(value, "tolist") else value)
        except settings_table.SettingError:
            continue
    return dict(sorted(found.items()))


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
    """Restore ``scene`` into the session (from a callback); :func:`follow` then switches to its page.

    The scene's settings are checked against the declared table first: a scene that does not pass
    changes nothing and says which setting is wrong.
    """
    ss = st.session_state
    try:
        values = scenes.check_settings(scene.settings, f"scene {scene.name!r}")
    except SceneError as exc:
        ss[Keys.SCENE_MESSAGE] = (False, str(exc))
        return
    for key in settings_table.SETTINGS:  # settings the scene does not hold: their defaults
        ss.pop(key, None)
        for derived in _derived_keys(key):
            ss.pop(derived, None)
    for key in (Keys.TRAINING, Keys.BRUTE_FORCE):  # results of an earlier network: not part of a scene
        ss.pop(key, None)
    training_form: dict[str, Any] = {}
    for key, value in values.items():
        setting = settings_table.SETTINGS[key]
        if setting.page == "training":
            training_form[setting.name] = value
        else:
            ss[key] = value
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
    ss[Keys.SCENE_APPLIED] = (scene.name, sorted(values))
    ss[Keys.SCENE_MESSAGE] = (True, f"Opened scene {scene.name}")


def _derived_keys(key: str) -> list[str]:
    """Widget keys seeded from setting ``key`` (the pass pages' x and y widgets), so they start from it."""
    ss = st.session_state
    stem = {"fwd_x": "fwd_x", "bwd_x": "bwd_x", "bwd_y": "bwd_y"}.get(key)
    if stem is None:
        return []
    kinds = ("s_", "n_") if stem.endswith("_x") else ("n_",)
    return [k for k in list(ss) if isinstance(k, str) and any(k.startswith(stem + kind) for kind in kinds)]


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
        updated = scenes.upsert(_scenes(), scene)
        scenes.check_export(updated, f"saving scene {scene.name}")
        st.session_state[Keys.SCENES] = updated
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
        merged = scenes.merge(_scenes(), imported)
        scenes.check_export(merged, f"adding its {len(imported)} scene(s) to the {len(_scenes())} here")
        st.session_state[Keys.SCENES] = merged
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
