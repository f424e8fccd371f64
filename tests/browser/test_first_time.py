"""Browser: issue 13's first-time experience in Debian's chromium (the AppTest half is tests/app/test_first_time.py).

The sidebar editor's sections stay open after an edit, its labels fit the default sidebar width,
sizes typed over the paper's network build those layers, a refused weight says why; the Forward
pass page keeps f(x) back until the pass reaches the output (written from inside the animation's
fragment); the current step is a dashed outline in both palettes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.browser.test_network import GRAPH, choose, counts, sidebar, wait_counts


def expander(page: object, label: str) -> object:
    return sidebar(page).locator("[data-testid=stExpander]").filter(has_text=label).first


def is_open(page: object, label: str) -> bool:
    return expander(page, label).locator("details").first.get_attribute("open") is not None


def test_sidebar_sections_stay_open_and_say_what_they_refuse(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None]
) -> None:
    open_app(page)
    expander(page, "Edit neurons and edges").locator("summary").click()
    assert is_open(page, "Edit neurons and edges")
    choose(page, "Neuron", "6 (hidden)")
    choose(page, "Function σ", "relu")
    sidebar(page).get_by_role("button", name="Set function", exact=True).click()
    wait_idle(page)
    assert "neuron 6 now applies relu" in sidebar(page).inner_text()  # the edit went through ...
    assert is_open(page, "Edit neurons and edges")  # ... and the section is still open
    assert "relu" in page.locator(GRAPH).first.text_content()  # sigma_6 names its function

    remove = sidebar(page).get_by_role("button", name="Remove edge", exact=True)
    label = remove.locator("p").first
    assert label.evaluate("(e) => e.scrollWidth <= e.clientWidth"), "the Remove edge label is cut off"
    assert "Remove edge" in remove.inner_text()

    expander(page, "Edit weights").locator("summary").click()
    box = sidebar(page).get_by_role("spinbutton", name="New value")
    box.fill("1e9")
    box.press("Tab")
    sidebar(page).get_by_role("button", name="Set weight", exact=True).click()
    wait_idle(page)
    text = sidebar(page).inner_text()
    assert "Not applied" in text and "allowed range -1,000,000 to 1,000,000" in text
    assert is_open(page, "Edit weights") and is_open(page, "Edit neurons and edges")


def test_typed_layer_sizes_build_fully_connected_layers(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None]
) -> None:
    open_app(page)
    sizes = sidebar(page).get_by_role("textbox", name="Layer sizes (editing them builds fully connected layers)")
    assert sizes.input_value() == "1,2,2,1"  # the paper's network, as sizes
    sizes.fill("3,5,2")
    sidebar(page).get_by_role("button", name="Build network", exact=True).click()
    wait_idle(page)
    wait_counts(page, (3 + 5 + 2 + 2, 3 * 5 + 5 + 5 * 2 + 2))
    assert "Fully connected layers" in sidebar(page).inner_text()


def test_f_of_x_waits_for_the_output_and_the_step_is_a_dashed_outline(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None]
) -> None:
    for query, ink in (("", "#111111"), ("?palette=colorblind", "#000000")):
        open_app(page, query)
        page.locator("[data-testid=stSidebarNav] a", has_text="Forward pass").click()
        wait_idle(page)
        main = page.get_by_test_id("stMain")
        assert "f(x) = ?" in main.inner_text()
        page.locator(".st-key-fwd_btn_next button").click()  # a fragment run: only the animation reruns
        wait_idle(page)
        assert "f(x) = ?" in main.inner_text()
        dashed = page.locator(GRAPH + " g.node ellipse[stroke-dasharray]")
        assert dashed.count() == 2  # neurons 3 and 4, this step's
        assert {dashed.nth(k).get_attribute("stroke") for k in range(2)} == {ink}
        svg = page.locator(GRAPH).first.inner_html()
        assert "#d62728" not in svg and "#d55e00" not in svg  # no value colour marks the step
        page.locator(".st-key-fwd_btn_end button").click()
        wait_idle(page)
        assert re.search(r"f\(x\) = -?\d", main.inner_text()) and "f(x) = ?" not in main.inner_text()


def test_backprop_captions_agree_with_the_counter(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None]
) -> None:
    open_app(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Backpropagation").click()
    wait_idle(page)
    page.locator(".st-key-bwd_btn_end button").click()
    wait_idle(page)
    main = page.get_by_test_id("stMain").inner_text()
    assert "Step 7 of 7" in main and "Rule 3, weights into layer 2" in main
    assert not re.search(r"Step [1-3],", main)
    assert counts(page) == (9, 12)
