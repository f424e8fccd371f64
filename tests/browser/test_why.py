"""Browser tests of the "Why it works" page against a real server (Debian's chromium)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_healthy, wait_idle

HEADER_PX = 35  # Streamlit's data editor: header and row height in pixels
ROW_PX = 35


def _open_why(page: object, open_app: object) -> None:
    """Open the app at its root, then the Why page through the navigation.

    (Through the root on purpose: a first request straight to /why on a fresh
    server runs pages/why.py without app.py; see the report.)
    """
    open_app(page)  # type: ignore[operator]
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Why it works").click()  # type: ignore[attr-defined]
    wait_idle(page)
    assert_healthy(page)
    assert "/why" in page.url  # type: ignore[attr-defined]


def _metric(panel: object, label: str) -> str:
    box = panel.get_by_test_id("stMetric").filter(has_text=label)  # type: ignore[attr-defined]
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def test_build_xor_from_its_truth_table_and_load_it(page: object, open_app: object) -> None:
    _open_why(page, open_app)
    page.get_by_role("tab", name="3 · Boolean functions").click()  # type: ignore[attr-defined]
    wait_idle(page)
    panel = page.get_by_role("tabpanel", name="3 · Boolean functions")  # type: ignore[attr-defined]

    # Start from the all-false table, then tick rows 01 and 10 of the f(x) column.
    panel.get_by_test_id("stSelectbox").filter(has_text="Start from").click()
    page.get_by_role("option", name="constant false").click()  # type: ignore[attr-defined]
    wait_idle(page)
    assert _metric(panel, "Hidden neurons") == "1"
    grid = panel.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    expect(grid.locator("[role=columnheader]")).to_have_text(["x1", "x2", "f(x)"])
    for row in (1, 2):
        box = grid.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 5 / 6, box["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2)  # type: ignore[attr-defined]
        wait_idle(page)
    assert_healthy(page)
    assert _metric(panel, "Hidden neurons") == "2"
    assert _metric(panel, "Rows right") == "4 / 4"
    assert "Checked on all 4 inputs" in panel.get_by_test_id("stAlert").first.inner_text()
    svg = panel.get_by_test_id("stGraphVizChart").locator("svg")
    assert svg.locator("g.node").count() == 7
    drawing = svg.text_content()
    assert "fires on 01" in drawing and "fires on 10" in drawing

    panel.get_by_role("button", name="Load this network into the editor").click()
    wait_idle(page)
    assert_healthy(page)
    assert page.get_by_text(re.compile("now the network of every page")).count() == 1  # type: ignore[attr-defined]

    # The Network page (and its sidebar editor) now shows the boolean network.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Network").click()  # type: ignore[attr-defined]
    wait_idle(page)
    assert_healthy(page)
    assert "/why" not in page.url  # type: ignore[attr-defined]
    main = page.get_by_test_id("stMain")  # type: ignore[attr-defined]
    assert "7 neurons (2 input, 2 bias, 2 hidden, 1 output)" in main.inner_text()
    graph = main.locator(".nnv-live svg")
    assert graph.locator(".nnv-neuron").count() == 7
    assert graph.locator(".nnv-edge").count() == 9
    assert graph.locator(".nnv-pic image").count() == 3  # two inputs: a heatmap per hidden and output neuron


def test_every_exhibit_renders_and_the_identity_toggle_stays_in_its_tab(page: object, open_app: object) -> None:
    _open_why(page, open_app)
    for name in ("1 · Networks as functions", "4 · Approximation by width", "5 · Counting"):
        page.get_by_role("tab", name=name).click()  # type: ignore[attr-defined]
        wait_idle(page)
        panel = page.get_by_role("tabpanel", name=name)  # type: ignore[attr-defined]
        assert panel.get_by_test_id("stPlotlyChart").count() >= 1
        assert_healthy(page)
    page.get_by_role("tab", name="2 · Linear collapse").click()  # type: ignore[attr-defined]
    wait_idle(page)
    panel = page.get_by_role("tabpanel", name="2 · Linear collapse")  # type: ignore[attr-defined]
    toggle = panel.get_by_text("Make every σ the identity", exact=True)
    assert "non-linear functions" in panel.inner_text()
    toggle.click()
    wait_idle(page)
    assert "in this tab only" in panel.inner_text()
    assert panel.get_by_text("every σ the identity", exact=True).count() >= 1  # the curve's legend entry
    assert_healthy(page)
    assert "Last change" not in page.get_by_test_id("stSidebar").inner_text()  # type: ignore[attr-defined]
    toggle.click()
    wait_idle(page)
    assert_healthy(page)
    assert "non-linear functions" in panel.inner_text()
