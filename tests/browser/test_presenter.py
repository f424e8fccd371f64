"""Browser: the presenter's controls at 1280x720 (clicker keys with a widget focused, page bar, metrics,
the SGD step on one screen with the graph it changes)."""

from __future__ import annotations

import re

import pytest

import nnviz
from nnviz import presets
from nnviz.app import tables
from nnviz.app.animation import short
from tests.browser.test_forward_backprop import edge_texts, neuron_texts, number


def shown(value: float | None, expected: float) -> bool:
    """``value`` is ``expected`` as the graph writes it when presenting: 3 significant digits."""
    return value is not None and value == float(short(expected, 3))


STEP_JS = """() => [...document.querySelectorAll('[data-testid=stMain] p, [data-testid=stMain] .nnv-counter')]
    .map((e) => e.innerText.trim()).find((t) => /^Step \\d+ of \\d+$/.test(t))"""
SLIDER = "[data-testid=stMain] [data-testid=stSlider] input[type=range]"
NUMBER = "[data-testid=stMain] [data-testid=stNumberInput] input"
GRAPH = "[data-testid=stMain] .nnv-live svg.nnv-svg"
SCROLL_JS = "document.querySelector('[data-testid=stMain]').scrollTop"
METRIC_JS = """() => { const v = document.querySelector('[data-testid=stMetricValue]');
    const leaf = v && (v.querySelector('p') || v);
    return leaf ? parseFloat(getComputedStyle(leaf).fontSize) : null; }"""


def press(page, key: str, wait_idle) -> None:
    page.keyboard.press(key)
    wait_idle(page)


def test_clicker_keys_step_the_animation_even_with_a_widget_focused(page, open_app, wait_idle):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, "?present=1", path="forward")
    assert page.evaluate(STEP_JS) == "Step 1 of 7"
    page.locator(NUMBER).first.focus()  # the x box: PageDown would belong to it
    press(page, "PageDown", wait_idle)
    assert page.evaluate(STEP_JS) == "Step 2 of 7"
    page.locator(SLIDER).first.focus()
    press(page, "PageDown", wait_idle)
    assert page.evaluate(STEP_JS) == "Step 3 of 7"
    page.locator(SLIDER).first.focus()
    press(page, "ArrowLeft", wait_idle)  # on a focused slider the arrow steps the animation, not x
    assert page.evaluate(STEP_JS) == "Step 2 of 7"
    press(page, "PageUp", wait_idle)
    assert page.evaluate(STEP_JS) == "Step 1 of 7"
    page.locator("[data-testid=stMain] h1").click()
    press(page, "Space", wait_idle)
    assert page.evaluate(STEP_JS) == "Step 2 of 7"
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") == 0  # no page scroll
    assert page.locator(NUMBER).first.input_value() == "0.5"  # x untouched


def test_the_bar_moves_between_pages(page, open_app, wait_idle, assert_healthy):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, "?present=1", path="forward")
    bar = page.locator(".st-key-pbar")
    assert re.search(r"Forward pass · page 2 of 5", bar.inner_text())
    assert bar.bounding_box()["y"] < 90  # right under the header
    bar.get_by_text("Backpropagation").click()
    wait_idle(page)
    assert_healthy(page)
    assert page.locator("[data-testid=stMain] h1").first.inner_text() == "Backpropagation"
    assert "present=1" in page.url


def test_metric_values_are_not_smaller_when_presenting(page, open_app, wait_idle):
    open_app(page, path="why")
    plain = page.evaluate(METRIC_JS)
    open_app(page, "?present=1", path="why")
    presenting = page.evaluate(METRIC_JS)
    assert plain and presenting and presenting >= plain, (plain, presenting)


def _inside(box: dict | None, viewport: dict) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and (box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"])
    )


def test_the_sgd_step_and_the_graph_it_changes_share_one_screen(page, open_app, wait_idle, assert_healthy):
    """At 1280x720 presenting, the whole graph and *Take one SGD step* are on screen unscrolled, and a
    click redraws the graph with the stepped weights (checked against the engine); Undo draws the old."""
    viewport = {"width": 1280, "height": 720}
    page.set_viewport_size(viewport)
    open_app(page, "?present=1", path="backprop")
    sidebar = page.locator("[data-testid=stSidebar]").bounding_box()
    assert sidebar is None or sidebar["x"] + sidebar["width"] <= 0  # collapsed
    take = page.get_by_role("button", name="Take one SGD step")
    assert take.count() == 1
    assert _inside(take.bounding_box(), viewport), take.bounding_box()
    assert _inside(page.locator(GRAPH).bounding_box(), viewport), page.locator(GRAPH).bounding_box()
    assert page.evaluate(SCROLL_JS) == 0
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    stepped = tables.sgd_step(net, [0.5], [1.0], nnviz.backward(net, trace, [1.0]).dl_dw, 0.1).after
    before = (neuron_texts(page), edge_texts(page))
    assert all(shown(number(before[1][j], "w"), w) for j, w in enumerate(net.weights))
    take.click()
    wait_idle(page)
    assert_healthy(page)
    after = (neuron_texts(page), edge_texts(page))
    assert after != before
    assert all(shown(number(after[1][j], "w"), w) for j, w in enumerate(stepped.weights)), after[1]
    assert re.search(r"Loss on this point fell: [\d.]+ → [\d.]+", page.locator("[data-testid=stMain]").inner_text())
    assert page.evaluate(SCROLL_JS) == 0 and _inside(take.bounding_box(), viewport)
    page.get_by_role("button", name="Undo the last step").click()
    wait_idle(page)
    assert (neuron_texts(page), edge_texts(page)) == before


#: Font sizes on screen (px) of the live graph's neuron titles and values, and where the graph starts and ends.
TYPE_JS = """() => {
  const px = (e) => parseFloat(e.getAttribute('font-size')) * e.getScreenCTM().a;
  const shown = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.textContent.trim()).map(px);
  const bar = document.querySelector('.nnv-live .nnv-bar').getBoundingClientRect();
  const svg = document.querySelector('.nnv-live svg').getBoundingClientRect();
  return {top: bar.top, bottom: svg.bottom, titles: shown('.nnv-live .nnv-title'),
          values: shown('.nnv-live .nnv-value')};
}"""


@pytest.mark.parametrize("network", ["", "&preset=layered&sizes=2,8,8,1"], ids=["paper", "2-8-8-1"])
@pytest.mark.parametrize("path", ["forward", "backprop"])
def test_presenting_shows_the_whole_graph_with_large_type(page, open_app, wait_idle, network, path):
    """At 1280x720 with ?present=1: the stepper and the whole graph on one screen, text in neurons >= 18 px."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, "?present=1" + network, path=path)
    page.locator(".nnv-live .nnv-end").click()  # every value shown
    wait_idle(page)
    seen = page.evaluate(TYPE_JS)
    assert seen["top"] >= 0 and seen["bottom"] <= 720, seen
    assert seen["titles"] and min(seen["titles"]) >= 18, seen["titles"]
    assert all(v >= 18 for v in seen["values"]), seen["values"]


@pytest.mark.parametrize("path", ["forward", "backprop"])
def test_a_2_8_8_1_graph_fits_a_laptop_screen(page, open_app, wait_idle, path):
    """At 1440x900 (not presenting) the whole 2,8,8,1 graph is on screen, with readable names."""
    page.set_viewport_size({"width": 1440, "height": 900})
    open_app(page, "?preset=layered&sizes=2,8,8,1", path=path)
    seen = page.evaluate(TYPE_JS)
    assert seen["top"] >= 0 and seen["bottom"] <= 900, seen
    assert min(seen["titles"]) >= 12, seen["titles"]
