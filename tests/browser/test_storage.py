"""Browser: scenes and tours kept in local storage survive a reload and a closed tab; bad stored text is named."""

from __future__ import annotations

import json

from nnviz.app import scenes
from nnviz.app.scenes import Scene
from nnviz.presets import xor

SCENE_BUTTONS = "[class*='st-key-sc_open_'] button"


def _save_scene(page, name: str, wait_idle) -> None:
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_label("Scene name").fill(name)
    sidebar.get_by_text("Save this view as a scene").click()
    wait_idle(page)


def test_a_saved_scene_survives_a_reload_and_a_new_tab(page, new_page, open_app, wait_idle, assert_healthy):
    open_app(page)
    _save_scene(page, "Kept <b>", wait_idle)
    page.wait_for_function("() => (window.localStorage.getItem('nnviz.saved/1') || '').includes('Kept <b>')")
    page.reload()
    page.wait_for_selector(SCENE_BUTTONS)
    wait_idle(page)
    assert "Kept <b>" in " ".join(page.locator(SCENE_BUTTONS).all_inner_texts())
    assert_healthy(page)
    # the same browser profile, a tab opened later: still there
    other = page.context.new_page()
    open_app(other)
    other.wait_for_selector(SCENE_BUTTONS)
    assert "Kept <b>" in " ".join(other.locator(SCENE_BUTTONS).all_inner_texts())


def test_bad_stored_text_is_named_and_the_app_runs(new_page, open_app, wait_idle, assert_healthy):
    good = scenes.dumps([Scene(name="fine", network=xor())])
    bad = json.loads(good)
    bad["scenes"][0]["step"] = "<img src=x onerror=alert(1)>"
    for stored, message in (
        ("{not json", "not a saved scenes-and-tours entry"),
        (json.dumps({"scenes": json.dumps(bad), "tours": None}), "the saved scenes were left out"),
        # issue 22: 100,000 nested brackets were a RecursionError traceback and a blank page
        ("[" * 100_000 + "]" * 100_000, "(200,000 characters) is not a saved scenes-and-tours entry and was discarded"),
    ):
        page = new_page()
        page.add_init_script(f"window.localStorage.setItem('nnviz.saved/1', {json.dumps(stored)})")
        open_app(page)
        alert = page.locator("[data-testid=stSidebar] [data-testid=stAlert]").filter(has_text="Saved in this browser")
        alert.wait_for()
        assert message in alert.inner_text()
        assert page.locator("img[src=x]").count() == 0
        assert_healthy(page)
        assert page.locator("[data-testid=stMain] h1").count() > 0  # the page is drawn, not lost
