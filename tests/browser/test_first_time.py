"""Browser: issue 13's first-time experience in Debian's chromium (the AppTest half is tests/app/test_first_time.py).

The sidebar editor's sections stay open after an edit, its labels fit the default sidebar width,
sizes typed over the paper's network build those layers, a refused weight says why; the Forward
pass page keeps f(x) back until the pass reaches the output (written from inside the animation's
fragment); the current step is a dashed outline in both palettes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.browser.test_network import GRAPH, choose, sidebar, wait_counts


def expander(page: object, label: str) -> object:
    return sidebar(page).locator("[data-testid=stExpander]").filter(has_text=label).first


def is_open(page: object, label: str) -> bool:
    return expander(page, label).locator("details").first.get_attribute("open") is not None


def test_sidebar_sections_stay_open_and_say_what_they_refuse(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None]
) -> None:
    open_app(page)
    expander(page, "Edit neurons and edges").locator("summary").click()
    wait_idle(page)  # an open section builds its editors in a rerun
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
    wait_idle(page)
    box = sidebar(page).get_by_role("spinbutton", name="New value")
    box.fill("1e9")
    box.press("Tab")
    sidebar(page).get_by_role("button", name="Set weight", exact=True).click()
    wait_idle(page)
    text = sidebar(page).inner_text()
    assert "New value must be between -1,000,000 and 1,000,000; you typed 1,000,000,000." in text
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
    value_colours = {"#d62728", "#d55e00", "#e69f00", "#2b6cb0", "#c0392b", "#0072b2"}
    for query in ("", "?palette=colorblind"):
        open_app(page, query)
        page.locator("[data-testid=stSidebarNav] a", has_text="Forward pass").click()
        wait_idle(page)
        output = page.locator(".nnv-live .nnv-output")
        expect(output).to_have_text("f(x) = ?")
        assert "f(x) = " not in page.get_by_test_id("stMain").inner_text().replace("f(x) = ?", "")
        page.locator(".nnv-live .nnv-next").click()  # steps in the browser: no script run
        expect(page.locator(".nnv-live .nnv-counter")).to_have_text("Step 2 of 7")
        expect(output).to_have_text("f(x) = ?")
        active = page.locator(".nnv-live .nnv-neuron.nnv-active")
        assert sorted(active.nth(k).get_attribute("data-id") for k in range(active.count())) == ["3", "4"]
        halo = active.first.locator(".nnv-nhalo")
        assert halo.evaluate("h => getComputedStyle(h).strokeDasharray") not in ("", "none")  # dashed
        assert halo.get_attribute("stroke").lower() not in value_colours  # no value colour marks the step
        page.locator(".nnv-live .nnv-end").click()
        expect(output).to_have_text(re.compile(r"^f\(x\) = -?\d"))


def test_backprop_captions_agree_with_the_counter(
    page: object, open_app: Callable[..., object], wait_idle: Callable[..., None]
) -> None:
    open_app(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Backpropagation").click()
    wait_idle(page)
    page.locator(".nnv-live .nnv-end").click()
    expect(page.locator(".nnv-live .nnv-counter")).to_have_text("Step 7 of 7")
    expect(page.locator(".nnv-live .nnv-caption")).to_contain_text("Rule 3, weights into layer 2")
    assert not re.search(r"Step [1-3],", page.get_by_test_id("stMain").inner_text())
    assert page.locator(".nnv-live .nnv-neuron").count() == 9 and page.locator(".nnv-live .nnv-edge").count() == 12
