"""Browser: write a tour of one's own in the sidebar's Tours panel, export it as JSON and import it back.

Driven as a presenter would: add the current view as a step of a new tour, add steps from other pages,
retitle one, write its notes, move one up, delete one, download the export file, then upload it in a
fresh browser (its own storage) and find the same tour: names, titles, order and notes, with hostile
text shown as text, never as an element.
"""

from __future__ import annotations

import json

from nnviz.app import tours

SIDEBAR = "[data-testid=stSidebar]"
TOUR_NAME = "My <b>talk</b>"
HOSTILE = "<img src=x onerror=alert(1)>"
NOTES = "Say hello. $x$ [link](javascript:alert(1)) <script>alert(2)</script>"


def _editor(page):
    """The "Write your own tour" expander, opened if it is closed."""
    box = page.locator(f"{SIDEBAR} [data-testid=stExpander]").filter(has_text="Write your own tour")
    if box.locator("details").get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_label("Step title", exact=True).wait_for()
    # Opening animates the section's height: a click on a box inside it lands only once that is over.
    box.evaluate(
        "(el) => new Promise((ok) => { const done = () => el.getAnimations({subtree: true}).length === 0"
        " && !el.querySelector('details[open]')?.style.height; const tick = () => done() ? ok()"
        " : requestAnimationFrame(tick); tick(); })"
    )
    return box


def _go(page, title: str, wait_idle) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_text(title, exact=True).click()
    page.wait_for_function("(t) => document.querySelector('[data-testid=stMain] h1')?.innerText === t", arg=title)
    wait_idle(page)


def _add(page, title: str, wait_idle, name: str | None = None) -> None:
    """Type a step title (and a new tour's name) and press *Add this view as a step*."""
    box = _editor(page)
    if name is not None:
        box.get_by_label("New tour's name", exact=True).fill(name)
    box.get_by_label("Step title", exact=True).fill(title)
    box.get_by_role("button", name="Add this view as a step").click()
    wait_idle(page)
    page.locator(SIDEBAR).get_by_text(f"Added step {title}", exact=False).wait_for()


def _titles(box) -> list[str]:
    """The step titles the editor shows, in order."""
    out, j = [], 1
    while box.get_by_label(f"Step {j} title", exact=True).count():
        out.append(box.get_by_label(f"Step {j} title", exact=True).input_value())
        j += 1
    return out


def _no_elements_from_user_text(page) -> None:
    assert page.locator("img[src=x]").count() == 0
    assert page.locator(f"{SIDEBAR} b").filter(has_text="talk").count() == 0
    assert page.locator("script").filter(has_text="alert(2)").count() == 0


def test_write_export_and_import_a_tour(page, new_page, open_app, wait_idle, assert_healthy, tmp_path):
    open_app(page)
    _add(page, "Intro", wait_idle, name=TOUR_NAME)
    _go(page, "Forward pass", wait_idle)
    _add(page, HOSTILE, wait_idle)
    _go(page, "Why it works", wait_idle)
    _add(page, "Counting", wait_idle)
    box = _editor(page)
    assert _titles(box) == ["Intro", HOSTILE, "Counting"]
    # retitle step 1 (Enter commits a text input), write step 2's notes (Ctrl+Enter commits a text area)
    box.get_by_label("Step 1 title", exact=True).fill("Opening")
    box.get_by_label("Step 1 title", exact=True).press("Enter")
    wait_idle(page)
    notes = box.locator("[data-testid=stTextArea] textarea").nth(1)
    notes.fill(NOTES)
    notes.press("Control+Enter")
    wait_idle(page)
    page.locator(SIDEBAR).get_by_text("Saved the notes of step 2").wait_for()
    # step 2 up, then delete the last
    box.locator("[class*='st-key-tr_up_0_1'] button:visible").click()
    wait_idle(page)
    assert _titles(_editor(page)) == [HOSTILE, "Opening", "Counting"]
    _editor(page).locator("[class*='st-key-tr_del_0_2'] button:visible").click()
    wait_idle(page)
    box = _editor(page)
    assert _titles(box) == [HOSTILE, "Opening"]
    assert box.locator("[data-testid=stTextArea] textarea").nth(0).input_value() == NOTES
    start = page.locator(f"{SIDEBAR} [class*='st-key-tour_start_own_0'] button")
    assert start.inner_text().strip().endswith(f"Start: {TOUR_NAME}")
    _no_elements_from_user_text(page)
    assert_healthy(page)

    with page.expect_download() as info:
        box.get_by_role("button", name="Export my tours (JSON)").click()
    path = tmp_path / "tours.json"
    info.value.save_as(path)
    doc = json.loads(path.read_text())
    assert doc["format"] == tours.FORMAT
    (saved,) = tours.loads(path.read_bytes())
    assert saved.name == TOUR_NAME
    assert [s.title for s in saved.steps] == [HOSTILE, "Opening"]
    assert [s.notes for s in saved.steps] == [NOTES, ""]
    assert [s.scene.page for s in saved.steps] == ["forward", "network"]

    other = new_page()  # a fresh browser context: nothing stored, the file is all it has
    open_app(other)
    box = _editor(other)
    box.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_idle(other)
    other.locator(SIDEBAR).get_by_text("Imported 1 tour(s) from tours.json").wait_for()
    wait_idle(other)  # the import is also written to the browser's storage: let that run end first
    box = _editor(other)
    box.locator("[data-testid=stSelectbox]").filter(has_text="Tour").click()
    other.get_by_role("option", name=TOUR_NAME, exact=True).click()
    wait_idle(other)
    box = _editor(other)
    assert _titles(box) == [HOSTILE, "Opening"]
    assert box.locator("[data-testid=stTextArea] textarea").nth(0).input_value() == NOTES
    assert box.locator("[data-testid=stTextArea] textarea").nth(1).input_value() == ""
    _no_elements_from_user_text(other)
    assert_healthy(other)
    # and it runs: its first step is the Forward pass view it was taken from
    other.locator(f"{SIDEBAR} [class*='st-key-tour_start_own_0'] button").click()
    wait_idle(other)
    assert "Step 1 of 2" in other.locator(".st-key-tbar").inner_text()
    assert HOSTILE in other.locator(".st-key-tbar").inner_text()
    assert other.locator("[data-testid=stMain] h1").first.inner_text() == "Forward pass"
    _no_elements_from_user_text(other)
