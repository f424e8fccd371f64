"""A presenter's controls: the slim page bar of presentation mode and the clicker keys.

:func:`bar` draws, at the top of the main area while the app presents, the
previous and next page with the current page's name between them (during a
tour, :mod:`nnviz.ui.tour_run` draws the tour's bar instead).

:func:`keys` mounts a tiny components-v2 element (inline JavaScript, no
iframe, no network) that listens to the keyboard on the whole page, in the
capture phase, so a focused slider or number box cannot swallow the keys. It
sends nothing to Python: it clicks the app's own buttons, found by their
widget keys, so every action is the same callback a mouse click runs.

==================  =============================================================
key                 action
==================  =============================================================
PageDown, Space     the tour's Next (during a tour), else the animation's Next
PageUp              the tour's Previous (during a tour), else the animation's Back
Right / Left        the animation's Next / Back, when a widget has the focus and
                    the app presents (with nothing focused, the buttons' own
                    shortcuts answer; outside presentation mode a focused
                    slider keeps its arrows)
Esc                 ends the tour, leaving the view as it is
N                   shows or hides the speaker notes (during a tour)
==================  =============================================================

Space and the arrows are left alone while the focus is in a text field.
The same element brings a tour step's heading to the top of the screen (:func:`keys`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

#: Widget keys the JavaScript clicks (CSS class ``st-key-<key>`` of the button's container).
TOUR_NEXT, TOUR_PREV, TOUR_END, TOUR_NOTES = "tour_next", "tour_prev", "tour_end", "tour_notes"
#: Widget key of the presentation bar's Start tour button.
TOUR_START = "pbar_tour_start"
#: Widget-key prefixes of the animations' step buttons (nnviz.ui.stepper: ``<prefix>_btn_<name>``).
ANIMATIONS = ("fwd", "bwd")

_KEYS_JS = """
const SCROLL_MS = 15000;  // give up bringing a heading to the top after this long
const POLL_MS = 30;  // how often to look whether the page is ready to scroll
const FOLLOW_MS = 4000;  // how long a late resize may still move the step's place back
const COMMIT_MS = 400, HOLD_MS = 3000;  // a click this soon after a box committed waits for the box's run
const STREAMLIT_BUTTONS = '[data-testid=stMain] [data-testid=stButton] button, '
  + '[data-testid=stMain] [data-testid=stFormSubmitButton] button';
const KEY_MS = 4000;  // a key element not drawn by then (a run still training): bring its heading alone
function ready() {  // the run is over and every visible chart and table is drawn: the layout will not move
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const drawn = (sel, part) => [...document.querySelectorAll(sel)]
    .filter((el) => el.checkVisibility()).every((el) => el.querySelector(part));
  return drawn('[data-testid=stGraphVizChart]', 'svg') && drawn('[data-testid=stPlotlyChart]', '.main-svg')
    && drawn('[data-testid=stDataFrame]', '[role=columnheader]');
}
function target(text) {  // the heading or tab whose text is exactly ``text``
  const all = document.querySelectorAll('[data-testid=stMain] h1, [data-testid=stMain] h2, '
    + '[data-testid=stMain] h3, [data-testid=stMain] [role=tab]');
  return [...all].find((el) => el.innerText.trim() === text) || null;
}
function keyElement(key) {  // a tour step's key element: the network's picture, or the element of that widget key
  const sel = key === 'graph' ? 'svg.nnv-svg, [data-testid=stGraphVizChart] svg' : '.st-key-' + CSS.escape(key);
  return [...document.querySelectorAll('[data-testid=stMain] ' + sel)].find((el) => el.checkVisibility()) || null;
}
function fitKey(el) {  // scroll the least that brings ``el`` whole between the bar and the screen's bottom
  const main = document.querySelector('[data-testid=stMain]');
  const bar = document.querySelector('.st-key-tbar, .st-key-pbar');
  const top = (bar ? bar.getBoundingClientRect().bottom : 0) + 6;
  const r = el.getBoundingClientRect();
  if (r.bottom > innerHeight - 4) main.scrollTop += Math.min(r.bottom - innerHeight + 8, r.top - top);
  else if (r.top < top) main.scrollTop -= top - r.top;
  const now = el.getBoundingClientRect();
  return now.top >= top - 7 && now.bottom <= innerHeight;
}
function bringToTop(text, key, nonce) {
  const start = performance.now();
  let placed = 0;  // when the heading was brought to the top (0: not yet)
  let fitted = 0;  // checks in a row that found the key element whole on screen (a late table or chart moves it)
  const tick = () => {
    const late = performance.now() - start;
    if (window.__nnvizScrollNonce !== nonce || late > SCROLL_MS) return;
    // ready() first: while the page still runs or draws, no heading is looked for (innerText forces a
    // layout, which every frame would slow the charts being drawn); then poll every POLL_MS, not every frame.
    const ok = ready();
    if (ok && !placed) {
      const el = text ? target(text) : null;
      const main = document.querySelector('[data-testid=stMain]');
      if (el) {
        el.scrollIntoView({block: 'start'});
        placed = performance.now();
      } else if (!text && main) {
        main.scrollTop = 0;
        placed = performance.now();
      }
    }
    const keyEl = ok && placed && key ? keyElement(key) : null;
    fitted = keyEl && fitKey(keyEl) ? fitted + 1 : 0;
    if (placed && (!key || fitted >= 3 || performance.now() - placed > KEY_MS)) {
      window.__nnvizScrolled = nonce;
      keepPlace(text, key, nonce);
      return;
    }
    setTimeout(tick, POLL_MS);
  };
  requestAnimationFrame(tick);
}
function keepPlace(text, key, nonce) {
  // A part drawn after the scroll (the live graph fits itself to the room left below it) can move the
  // step's place again: for a few seconds, put it back after each resize, until the user scrolls.
  const main = document.querySelector('[data-testid=stMain]');
  if (!main || !window.ResizeObserver) return;
  const place = () => {
    const el = text ? target(text) : null;
    if (el) el.scrollIntoView({block: 'start'});
    else if (!text) main.scrollTop = 0;
    const keyEl = key ? keyElement(key) : null;
    if (keyEl) fitKey(keyEl);
  };
  const start = performance.now(), user = new AbortController();
  const watch = new ResizeObserver(() => {
    if (user.signal.aborted || window.__nnvizScrollNonce !== nonce || performance.now() - start > FOLLOW_MS) {
      watch.disconnect();
      user.abort();
      return;
    }
    place();
  });
  ['wheel', 'touchmove', 'keydown', 'mousedown'].forEach((t) => window.addEventListener(t, () => user.abort(),
    {capture: true, signal: user.signal}));
  [...main.children].forEach((c) => watch.observe(c));
}
function foldSidebar(nonce) {  // a tour started: the projector shows the page alone (its arrow brings the sidebar back)
  if (!nonce || window.__nnvizFolded === nonce) return;
  window.__nnvizFolded = nonce;
  const side = document.querySelector('[data-testid=stSidebar]');
  if (!side || side.getAttribute('data-collapsed') !== 'false') return;
  const fold = document.querySelector('[data-testid=stSidebarCollapseButton] button');
  if (fold) fold.click();
}
function followSidebar() {  // the bar sits right of the sidebar, however wide the presenter dragged it
  const bar = document.querySelector('[data-testid=stSidebar]');
  if (!bar || bar.__nnvizWatched) return;
  bar.__nnvizWatched = true;
  const set = () => document.documentElement.style.setProperty('--nnviz-sidebar-width', bar.offsetWidth + 'px');
  new ResizeObserver(set).observe(bar);
  set();
}
function holdClicksAfterCommit() {
  // A number box commits its value when it loses the focus, and the click that took the focus is sent in the
  // same instant: the value's rerun could reach the server after the click's and cancel it (issue 25.9, "type
  // a new Data seed, click Train: nothing trains"). A click on a button within COMMIT_MS of a text or number
  // box losing the focus is held until the value's run is over (at most HOLD_MS), then clicked again.
  let committed = -1;
  document.addEventListener('focusout', (ev) => {
    const el = ev.target;
    // a number or text box of Streamlit's (not a select box's search field, not a data grid's editor)
    if (el && el.closest && el.closest('[data-testid=stNumberInput], [data-testid=stTextInput]')) {
      committed = performance.now();
    }
  }, true);
  document.addEventListener('click', (ev) => {
    // Streamlit's own buttons only: the live graph's buttons step in the browser and start no run
    const b = ev.target && ev.target.closest ? ev.target.closest(STREAMLIT_BUTTONS) : null;
    if (!b || b.__nnvizReplay || performance.now() - committed > COMMIT_MS) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    committed = -1;
    const app = document.querySelector('[data-testid=stApp]');
    const start = performance.now();
    let seen = false;  // the value's run started
    const later = () => {
      const running = !!app && app.getAttribute('data-test-script-state') === 'running';
      const late = performance.now() - start;
      seen = seen || running;
      if ((seen && !running) || (!seen && late > 300) || late > HOLD_MS) {
        b.__nnvizReplay = true;
        b.click();
        b.__nnvizReplay = false;
        return;
      }
      setTimeout(later, 20);
    };
    setTimeout(later, 20);
  }, true);
}
export default function ({data}) {
  followSidebar();
  foldSidebar(data && data.fold);
  const nonce = data && data.nonce;
  if (nonce && window.__nnvizScrollNonce !== nonce) {
    window.__nnvizScrollNonce = nonce;
    bringToTop(String(data.show || ''), String(data.key || ''), nonce);
  }
  if (window.__nnvizKeys) return;
  window.__nnvizKeys = true;
  holdClicksAfterCommit();
  const button = (key) => document.querySelector('.st-key-' + key + ' button');
  const press = (key) => {
    const b = button(key);
    if (!b || b.disabled) return false;
    b.click();
    return true;
  };
  const live = (name) => {  // the live graph's own buttons (nnviz.ui.live_graph), when it is on the page
    const b = [...document.querySelectorAll('[data-testid=stMain] button.nnv-btn.nnv-' + name)]
      .find((el) => el.checkVisibility());
    if (!b || b.disabled) return false;
    b.click();
    return true;
  };
  const animation = (name) => ANIMATIONS.some((p) => press(p + '_btn_' + name)) || live(name);
  const typing = (el) => !!el && (el.isContentEditable || el.tagName === 'TEXTAREA'
    || (el.tagName === 'INPUT' && !['range', 'checkbox', 'radio', 'button', 'submit'].includes(el.type))
    || !!(el.closest && el.closest('.nnv-live svg')));  // the graph's own keys (live_graph_keys.js) there
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.isComposing) return;
    const el = document.activeElement;
    const focused = !!el && el !== document.body;
    const touring = !!button(TOUR_NEXT);
    let done = false;
    if (ev.key === 'PageDown' || (ev.key === ' ' && !typing(el))) {
      done = touring ? press(TOUR_NEXT) || true : animation('next') || true;
    } else if (ev.key === 'PageUp') {
      done = touring ? press(TOUR_PREV) || true : animation('back') || true;
    } else if ((ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') && focused && !typing(el)
               && document.querySelector('.st-key-pbar, .st-key-tbar')) {  // presenting: the clicker's arrows
      done = animation(ev.key === 'ArrowRight' ? 'next' : 'back');
    } else if (ev.key === 'Escape' && touring && !typing(el)) {
      done = press(TOUR_END);
    } else if ((ev.key === 'n' || ev.key === 'N') && touring && !typing(el)) {
      done = press(TOUR_NOTES);
    }
    if (done) { ev.preventDefault(); ev.stopPropagation(); }
  }, true);
}
"""
KEYS_JS = (
    _KEYS_JS.replace("ANIMATIONS", repr(list(ANIMATIONS)))
    .replace("TOUR_NEXT", repr(TOUR_NEXT))
    .replace("TOUR_PREV", repr(TOUR_PREV))
    .replace("TOUR_END", repr(TOUR_END))
    .replace("TOUR_NOTES", repr(TOUR_NOTES))
)
_keys_component = st.components.v2.component("nnviz_keys", js=KEYS_JS)

#: Fixed style of the bar (no user text): it sits in the header strip, which is otherwise empty, so it takes no
#: height from the page and stays in view while the page scrolls; slim buttons; a solid background, so the page
#: scrolled under it never shows through the step's title.
BAR_CSS = """
.st-key-pbar, .st-key-tbar { position: fixed; top: 0.3rem; left: 3.6rem; z-index: 999991; width: auto;
  background-color: rgb(255, 255, 255); padding: 0.25rem 0.6rem; border-radius: 0.5rem;
  box-shadow: 0 1px 6px rgba(0, 0, 0, 0.18); }
body:has([data-testid="stSidebar"][data-collapsed="false"]) :is(.st-key-pbar, .st-key-tbar)
  { left: calc(var(--nnviz-sidebar-width, 300px) + 1rem); }
.st-key-pbar button[data-testid^="stBaseButton"], .st-key-tbar button[data-testid^="stBaseButton"]
  { min-height: 2.2rem !important; padding: 0.1rem 0.6rem !important; }
.st-key-pbar button p, .st-key-tbar button p { font-size: 1.15rem !important; }
.st-key-pbar button [data-testid="stIconMaterial"], .st-key-tbar button [data-testid="stIconMaterial"]
  { font-size: 1.3rem !important; }
"""


def keys(scroll: dict[str, object] | None = None) -> None:
    """Mount the keyboard listener (call once per run, from ``app.py``).

    ``scroll`` is ``{"show": text, "nonce": n, "key": k, "fold": m}``: each new ``n`` brings the
    heading or tab labelled ``text`` to the top of the screen once the page
    is drawn (the main area's top for an empty text), then scrolls the least
    that brings the key element ``k`` (``"graph"`` or a widget key) whole on
    screen; a new ``m`` folds the sidebar away. The texts are data, never markup.
    """
    _keys_component(key="nnviz_keys", data=scroll or {}, width="content", height=0)


def _title(page: Any) -> str:
    return str(getattr(page, "title", "") or "")


def bar(pages: Sequence[Any], current: Any, start: tuple[str, Callable[[], None]] | None = None) -> None:
    """The slim bar of presentation mode: previous page, this page's name, next page, and ``start``
    (a label and its callback) as a Start tour button, so a presenter starts the talk without the sidebar."""
    titles = [_title(p) for p in pages]
    here = titles.index(_title(current)) if _title(current) in titles else 0
    with st.container(key="pbar", horizontal=True, vertical_alignment="center", gap="small"):
        if here > 0:
            st.page_link(pages[here - 1], label=titles[here - 1], icon=":material/chevron_left:")
        st.markdown(f"**{titles[here]}** · page {here + 1} of {len(pages)}", width="content")
        if here + 1 < len(pages):
            st.page_link(pages[here + 1], label=titles[here + 1], icon=":material/chevron_right:")
        if start is not None:  # no tooltip: after the click it would cover the graph
            st.button(start[0], key=TOUR_START, on_click=start[1], icon=":material/co_present:", type="primary")
