"""The Tours panel in the sidebar: start the shipped tour, and write tours of one's own.

:func:`render` draws **Start tour** for the shipped tour ("The paper in one
talk"), a start button per tour of this session, and, in an expander, the
editor: add the current view as a step (to a new or an existing tour),
retitle a step, edit its speaker notes, move it up or down, delete it; export
every tour of one's own as one ``nnviz.tours/1`` file and import one (a scenes
file imports as a tour). Every change goes through :mod:`nnviz.app.tours`,
which validates it; a refused change leaves the tours as they were and says
why. Running a tour is :mod:`nnviz.ui.tour_run`.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from nnviz.app import scenes, tours
from nnviz.app.scenes import SceneError
from nnviz.network import NetworkError
from nnviz.ui import scenes_panel, state, tour_run, widgets
from nnviz.ui.state import Keys
from nnviz.ui.state import WidgetKeys as W

NEW = "__new__"  # the "new tour" choice of the editor's tour picker
EDIT, NAME, TITLE, UPLOAD = W.TOUR_EDIT, W.TOUR_NAME, W.STEP_TITLE, W.TOUR_UPLOAD
MAX_UPLOAD_MB = max(1, tours.MAX_FILE_BYTES // 1_000_000)


def _own() -> list[tours.Tour]:
    state.init_session_state()
    return st.session_state[Keys.TOURS]


def _say(ok: bool, text: str) -> None:
    st.session_state[Keys.TOUR_MESSAGE] = (ok, text)


def _change(k: int, change: Callable[[tours.Tour], tours.Tour | None], done: str) -> None:
    """Replace own tour ``k`` by ``change(tour)`` (None deletes it); a refused change is reported, nothing lost."""
    items = list(_own())
    if not 0 <= k < len(items):
        return
    try:
        new = change(items[k])
    except SceneError as exc:
        _say(False, str(exc))
        return
    st.session_state[Keys.TOURS] = [*items[:k], *([new] if new is not None else []), *items[k + 1 :]]
    _say(True, done)


# ----- callbacks ---------------------------------------------------------------------
def _on_start(name: str) -> None:
    tour_run.start(tours.builtin(name), 0, name)


def start_paper() -> None:
    """Start the shipped tour at its first step (the presentation bar's Start tour)."""
    _on_start("paper")


def _on_start_own(k: int) -> None:
    items = _own()
    if 0 <= k < len(items):
        tour_run.start(items[k], 0, None)


def _on_add(page: str) -> None:
    ss = st.session_state
    items = _own()
    chosen = ss.get(EDIT, NEW)
    k = next((j for j, t in enumerate(items) if t.name == chosen), None)
    title = (ss.get(TITLE) or "").strip() or f"Step {len(items[k].steps) + 1 if k is not None else 1}"
    try:
        scene, note = scenes_panel.capture(tours.check_title(title, "the step"), page)
        step = tours.Step(scene, title)
        if k is None:
            name = (ss.get(NAME) or "").strip() or f"Tour {len(items) + 1}"
            new = tours.add_step(None, scenes.check_name(name, "the tour"), step)
            ss[Keys.TOURS] = tours.upsert(items, new)
            ss[EDIT] = new.name
        else:
            ss[Keys.TOURS] = [*items[:k], tours.add_step(items[k], items[k].name, step), *items[k + 1 :]]
    except (SceneError, NetworkError) as exc:
        _say(False, str(exc))
        return
    _say(True, f"Added step {title} to {ss[EDIT]}" + (f" ({note})" if note else ""))
    ss[TITLE] = ""


def _on_title(k: int, j: int) -> None:
    value = st.session_state.get(f"tr_t_{k}_{j}", "")
    _change(k, lambda t: tours.edit_step(t, j, title=value), f"Retitled step {j + 1}")


def _on_notes(k: int, j: int) -> None:
    value = st.session_state.get(f"tr_n_{k}_{j}", "")
    _change(k, lambda t: tours.edit_step(t, j, notes=value), f"Saved the notes of step {j + 1}")


def _on_move(k: int, j: int, delta: int) -> None:
    _change(k, lambda t: tours.move_step(t, j, delta), f"Moved step {j + 1}")


def _on_delete(k: int, j: int) -> None:
    _change(k, lambda t: tours.delete_step(t, j), f"Deleted step {j + 1}")


def load_upload(data: bytes, name: str) -> list[tours.Tour]:
    """The tours in an uploaded file's bytes (a scenes file is one tour called ``name``); ``SceneError`` if bad."""
    return tours.loads(data, name=name)


def _on_import() -> None:
    uploaded = st.session_state.get(UPLOAD)
    if uploaded is None:
        return
    name = str(uploaded.name)[:60]
    try:
        if uploaded.size > tours.MAX_FILE_BYTES:
            raise SceneError(f"the file is {uploaded.size:,} bytes; the limit is {tours.MAX_FILE_BYTES:,}")
        imported = load_upload(uploaded.getvalue(), name.removesuffix(".json") or "Imported scenes")
        items = _own()
        for tour in imported:
            items = tours.upsert(items, tour)
    except SceneError as exc:
        _say(False, f"{name}: {exc}")
        return
    st.session_state[Keys.TOURS] = items
    _say(True, f"Imported {len(imported)} tour(s) from {name}")


# ----- rendering -----------------------------------------------------------------------
def _message() -> None:
    message = st.session_state.get(Keys.TOUR_MESSAGE)
    if not message:
        return
    ok, text = message
    if ok:
        st.success(widgets.md_escape(text), icon=":material/check_circle:")
    else:
        widgets.error(text, prefix="**Tours: nothing changed.** ")


def _steps(k: int, tour: tours.Tour) -> None:
    """The step list of own tour ``k``: title, notes, up, down, delete."""
    for j, step in enumerate(tour.steps):
        ss = st.session_state
        ss[f"tr_t_{k}_{j}"], ss[f"tr_n_{k}_{j}"] = step.title, step.notes  # the tour is the truth
        with st.container(border=True):
            st.text_input(f"Step {j + 1} title", key=f"tr_t_{k}_{j}", max_chars=scenes.MAX_NAME_CHARS,
                          on_change=_on_title, args=(k, j))  # fmt: skip
            st.text_area("Speaker notes", key=f"tr_n_{k}_{j}", max_chars=tours.MAX_NOTES_CHARS, height=80,
                         on_change=_on_notes, args=(k, j))  # fmt: skip
            up, down, delete = st.columns(3)
            up.button("", key=f"tr_up_{k}_{j}", icon=":material/arrow_upward:", on_click=_on_move, args=(k, j, -1),
                      disabled=j == 0, help="Move up")  # fmt: skip
            down.button("", key=f"tr_dn_{k}_{j}", icon=":material/arrow_downward:", on_click=_on_move,
                        args=(k, j, 1), disabled=j + 1 == len(tour.steps), help="Move down")  # fmt: skip
            delete.button("", key=f"tr_del_{k}_{j}", icon=":material/delete:", on_click=_on_delete, args=(k, j),
                          help="Delete this step")  # fmt: skip


def _editor(page: str) -> None:
    items = _own()
    names = [NEW, *(t.name for t in items)]
    if st.session_state.get(EDIT) not in names:
        st.session_state[EDIT] = NEW
    chosen = st.selectbox("Tour", names, key=EDIT, format_func=lambda n: "A new tour" if n == NEW else n)
    with st.form("tour_add_form", border=False, enter_to_submit=True):
        if chosen == NEW:
            st.text_input("New tour's name", key=NAME, max_chars=scenes.MAX_NAME_CHARS,
                          placeholder=f"Tour {len(items) + 1}")  # fmt: skip
        st.text_input("Step title", key=TITLE, max_chars=scenes.MAX_NAME_CHARS, placeholder="What this shows")
        st.form_submit_button("Add this view as a step", on_click=_on_add, args=(page,),
                              icon=":material/add_to_queue:", width="stretch")  # fmt: skip
    if chosen != NEW:
        k = names.index(chosen) - 1
        _steps(k, items[k])
    st.download_button(
        "Export my tours (JSON)", data=lambda: tours.dumps(list(items)), file_name="nnviz-tours.json",
        mime="application/json", icon=":material/download:", on_click="ignore", width="stretch", disabled=not items,
    )  # fmt: skip
    st.file_uploader("Import tours (JSON)", type=["json"], key=UPLOAD, on_change=_on_import,
                     max_upload_size=MAX_UPLOAD_MB,
                     help=f"A tours file ({tours.FORMAT}) or a scenes file ({scenes.FORMAT}), which becomes "
                     "one tour; a tour with the same name is replaced.")  # fmt: skip


def render(page: str) -> None:
    """The Tours panel (call inside ``st.sidebar``); ``page`` is the id of the page on screen."""
    st.subheader("Tours", anchor=False)
    _message()
    paper = tours.builtin("paper")
    st.button(f"Start tour: {paper.name}", key="tour_start_paper", on_click=_on_start, args=("paper",),
              icon=":material/co_present:", type="primary", width="stretch",
              help=f"{len(paper.steps)} steps from the network to the counting argument. PageDown / PageUp or "
              "Space move on and back, N shows the speaker notes, Esc ends the tour.")  # fmt: skip
    for k, tour in enumerate(_own()):
        st.button(f"Start: {widgets.md_escape(tour.name)}", key=f"tour_start_own_{k}", on_click=_on_start_own,
                  args=(k,), icon=":material/slideshow:", width="stretch")  # fmt: skip
    with st.expander("Write your own tour"):
        _editor(page)
