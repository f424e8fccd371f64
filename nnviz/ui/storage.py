"""Scenes and tours kept in the browser's local storage, so a reload or a closed tab loses nothing.

A tiny components-v2 element (inline JavaScript, no iframe, no network)
holds one local-storage entry, ``nnviz.saved/1``: the session's scenes file
and tours file as text (the same JSON as the exports). Each browser session
starts by asking for it. When the browser holds something, the element
answers once (after the run in progress ends), :func:`restore` reads it
through the same validators as an upload (:func:`nnviz.app.scenes.loads`,
:func:`nnviz.app.tours.loads`) and adds what it finds to the session, with a
message naming any problem; only after that does the session's text replace
it, so a fresh tab never overwrites what an earlier one kept. When the
browser holds nothing, there is no answer and no extra run: the element
writes the session's text as soon as there is some.

``app.py`` calls :func:`sync` before the sidebar is drawn.
"""

from __future__ import annotations

import json
import secrets

import streamlit as st

from nnviz import files
from nnviz.app import scenes, tours
from nnviz.app.scenes import SceneError
from nnviz.ui import state
from nnviz.ui.state import Keys

STORAGE_KEY = "nnviz.saved/1"
MAX_STORED_CHARS = 2 * tours.MAX_FILE_BYTES  # a scenes file and a tours file
_JS = """
export default function ({data, setTriggerValue}) {
  if (!data) return;
  if (data.ask && window.__nnvizStorageAsked !== data.ask) {
    window.__nnvizStorageAsked = data.ask;
    let text = '';
    try { text = window.localStorage.getItem(STORAGE_KEY) || ''; } catch (e) { text = ''; }
    if (!text) {
      window.__nnvizStorageFree = data.ask;  // nothing kept: nothing to restore, nothing to lose, no rerun
    } else {
      // answer once the run is over: a rerun asked for mid-run would interrupt it (a tour's training run, say)
      const answer = () => {
        const app = document.querySelector('[data-testid=stApp]');
        if (app && app.getAttribute('data-test-script-state') === 'notRunning') {
          setTriggerValue('stored', {ask: data.ask, text: text});
        } else {
          setTimeout(answer, 50);
        }
      };
      answer();
    }
  }
  const mayWrite = data.ready || window.__nnvizStorageFree === data.ask;
  if (mayWrite && typeof data.save === 'string' && window.__nnvizStorageSaved !== data.save) {
    try {
      if (data.save) window.localStorage.setItem(STORAGE_KEY, data.save);
      else window.localStorage.removeItem(STORAGE_KEY);
      window.__nnvizStorageSaved = data.save;
    } catch (e) {
      console.warn('nnviz: the scenes and tours do not fit in local storage', e);
    }
  }
}
""".replace("STORAGE_KEY", json.dumps(STORAGE_KEY))
_component = st.components.v2.component("nnviz_storage", js=_JS)


def payload() -> str:
    """The text kept in local storage: this session's scenes and own tours, as their export files ("" for none).

    Remembered until either list is replaced (every change replaces the list), so an ordinary run
    does not serialise them again.
    """
    ss = st.session_state
    cached = ss.get(Keys.STORAGE_TEXT)
    if cached is not None and cached[0] is ss[Keys.SCENES] and cached[1] is ss[Keys.TOURS]:
        return cached[2]
    text = (
        ""
        if not ss[Keys.SCENES] and not ss[Keys.TOURS]
        else json.dumps(
            {
                "scenes": scenes.dumps(ss[Keys.SCENES]) if ss[Keys.SCENES] else None,
                "tours": tours.dumps(ss[Keys.TOURS], indent=None) if ss[Keys.TOURS] else None,
            },
            separators=(",", ":"),
        )
    )
    ss[Keys.STORAGE_TEXT] = (ss[Keys.SCENES], ss[Keys.TOURS], text)
    return text


def restore(text: str) -> str | None:
    """Add the scenes and tours of a stored ``text`` to the session; a message naming any problem, else None.

    Stored items come first; an item of the session with the same name wins. A
    part that does not pass validation is left out whole, and named. Text that is
    no entry at all (too long, nested too deeply, not JSON) is discarded, and the
    message says so: the session's own text replaces it in the browser.
    """
    ss = st.session_state
    if not text:
        return None
    discarded = f"what this browser kept ({len(text):,} characters) is not a saved scenes-and-tours entry"
    try:  # refused before parsing when too long; too deep a nesting is refused, not a RecursionError
        doc = files.parse_json(text, MAX_STORED_CHARS, SceneError, "a saved entry")
    except SceneError as exc:
        return f"{discarded} and was discarded ({str(exc).replace('the file', 'the text', 1)})"
    if not isinstance(doc, dict):
        return f"{discarded} and was discarded"
    problems = []
    for part, load, key in (("scenes", scenes.loads, Keys.SCENES), ("tours", tours.loads, Keys.TOURS)):
        raw = doc.get(part)
        if raw is None:
            continue
        try:
            if not isinstance(raw, str):
                raise SceneError(f"'{part}' is not a file's text")
            kept = load(raw)
            merged = list(kept)
            for item in ss[key]:
                merged = (scenes.upsert if part == "scenes" else tours.upsert)(merged, item)
            ss[key] = merged
        except SceneError as exc:
            problems.append(f"the saved {part} were left out: {exc}")
    return "; ".join(problems) or None


def sync() -> None:
    """Ask the browser for what it kept (once per session), restore it, then keep the session's items there."""
    state.init_session_state()
    ss = st.session_state
    ask = ss.setdefault(Keys.STORAGE_ASK, secrets.token_hex(8))
    ready = bool(ss.get(Keys.STORAGE_READY))
    data = {"ask": ask, "ready": ready, "save": payload()}
    result = _component(key="nnviz_storage", data=data, width="content", height=0, on_stored_change=lambda: None)
    answer = result.get("stored") if result is not None else None
    if ready or not isinstance(answer, dict) or answer.get("ask") != ask:
        return
    ss[Keys.STORAGE_READY] = True
    problem = restore(answer.get("text") if isinstance(answer.get("text"), str) else "")
    if problem:
        ss[Keys.SCENE_MESSAGE] = (False, f"Saved in this browser: {problem}")
    st.rerun()  # draw the restored items in the sidebar (already drawn this run), and start keeping them
