"""AppTest helpers: the app as a headless script, run in-process (no browser).

Fixtures:

- ``app``: ``app.py`` after its first run (fails if that run raised).
- ``make_app(query_params=None)``: a fresh, not yet run AppTest of ``app.py``,
  optionally opened with share-link query parameters.

Functions (import with ``from tests.app.conftest import ...`` is not needed:
they are also fixtures): ``submit(at, label)`` clicks the form submit button
whose label is ``label`` and reruns; ``graph_dot(at)`` is the DOT text of the
first graphviz chart; ``no_exception(at)`` asserts the run raised nothing;
``live_data(at)`` is what the live graph component of a page was given;
``with_state(at, key, value)`` sets a session-state value and reruns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from nnviz.ui.state import Keys, WidgetKeys

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 30


# AppTest resets PagesManager.uses_pages_directory before every run, so with a pages/ folder next to
# app.py each rerun after the first would execute the page file alone (Streamlit's old pages-folder
# mode), skipping app.py and its sidebar. The real server routes through st.navigation in app.py,
# which turns that mode off; do the same before AppTest builds its PagesManager.
_pages_manager_init = PagesManager.__init__


def _init_without_pages_folder(self: PagesManager, *args: object, **kwargs: object) -> None:
    PagesManager.uses_pages_directory = False
    _pages_manager_init(self, *args, **kwargs)


PagesManager.__init__ = _init_without_pages_folder  # type: ignore[method-assign]


#: The sidebar sections the AppTests find open (a browser user opens them with a click).
SIDEBAR_SECTIONS = (WidgetKeys.OPEN_EDIT, WidgetKeys.OPEN_WEIGHTS)


def new_app(query_params: dict[str, str] | None = None) -> AppTest:
    """A fresh AppTest of app.py (not run yet)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (query_params or {}).items():
        at.query_params[k] = v
    for key in SIDEBAR_SECTIONS:  # the sidebar's editors are built only while their section is open
        at.session_state[key] = True
    return at


def no_exception(at: AppTest) -> None:
    """Fail with the exception messages if the last run raised."""
    assert not at.exception, [e.message for e in at.exception]


def live_data(at: AppTest) -> dict:
    """The data of the page's live graph: ``{"graph": ..., "step": k, "ack": n, "selected": ..., ...}``."""
    found = [c for c in at.get("bidi_component") if '"graph"' in c.proto.json]  # not the app's key/storage elements
    assert found, "no live graph on the page"
    return json.loads(found[0].proto.json)


def open_on(page: str, net: object = None, dataset: object = None) -> AppTest:
    """The app on ``page`` (e.g. "pages/forward.py"), optionally with another network or a training set."""
    at = new_app()
    at.run()
    if net is not None:
        at.session_state[Keys.NETWORK] = net
    if dataset is not None:
        at.session_state[Keys.DATASET] = dataset
    at.switch_page(page).run()
    no_exception(at)
    return at


def with_state(at: AppTest, key: str, value: object) -> AppTest:
    """Set ``st.session_state[key]`` to ``value``, rerun, and check the run raised nothing."""
    at.session_state[key] = value
    at.run()
    no_exception(at)
    return at


def submit(at: AppTest, label: str) -> AppTest:
    """Click the (form submit) button labelled ``label``, rerun, and check the run raised nothing."""
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    matches[0].click().run()
    no_exception(at)
    return at


def graph_dot(at: AppTest, index: int = 0) -> str:
    """The DOT source of the ``index``-th graphviz chart on the page."""
    charts = at.get("graphviz_chart")
    assert len(charts) > index, "no graphviz chart on the page"
    return charts[index].proto.spec


@pytest.fixture
def make_app() -> Callable[..., AppTest]:
    """Factory: ``make_app(query_params=None)`` -> a fresh AppTest of app.py (not run yet)."""
    return new_app


@pytest.fixture
def app() -> AppTest:
    """app.py after one run, on the default page (Network), with no exception."""
    at = new_app()
    at.run()
    no_exception(at)
    return at
