"""Browser: the Network page in Debian's chromium against a real server."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from nnviz import edit, presets
from nnviz.figures.graph import edge_title
from nnviz.files import from_json
from nnviz.ui.state import WidgetKeys as W

GRAPH = "[data-testid=stMain] .nnv-live svg"  # the live graph, a still drawing on this page


def counts(page) -> tuple[int, int]:
    page.wait_for_selector(GRAPH + " .nnv-neuron")
    return page.locator(GRAPH + " .nnv-neuron").count(), page.locator(GRAPH + " .nnv-edge").count()


def wait_counts(page, expected: tuple[int, int]) -> None:
    page.wait_for_function(
        """([sel, n, e]) => document.querySelectorAll(sel + ' .nnv-neuron').length === n
                          && document.querySelectorAll(sel + ' .nnv-edge').length === e""",
        arg=[GRAPH, *expected],
    )


def sidebar(page):
    return page.locator("[data-testid=stSidebar]")


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar selectbox labelled ``label`` (retrying while an expander animates)."""
    box = sidebar(page).locator("[data-testid=stSelectbox]").filter(has_text=label).first
    field = box.locator("input")
    for attempt in range(4):
        field.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=4000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
            page.get_by_role("listbox").wait_for(state="hidden")
    assert field.input_value() == option


def press(page, label: str, wait_idle) -> None:
    sidebar(page).get_by_role("button", name=label, exact=True).click()
    wait_idle(page)


def download_json(page, tmp_path: Path, name: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("button", name="Network as JSON").click()
    target = tmp_path / name
    info.value.save_as(target)
    return target.read_text()


def test_loads_the_papers_network(page, open_app, assert_healthy):
    open_app(page)
    assert counts(page) == (9, 12)
    texts = page.locator(GRAPH + " .nnv-title").all_text_contents()
    assert {"σ₁", "σ₉"} <= set(texts)
    assert "layer 4" in page.locator(GRAPH).text_content()
    assert "preset=paper" in page.url
    assert_healthy(page)


def columns(page) -> list[list[str]]:
    """Neuron names of the drawn graph, column by column (left to right), each top to bottom."""
    return page.evaluate(
        """(sel) => { const cols = {};
          for (const g of document.querySelectorAll(sel + ' .nnv-neuron')) {
            const e = g.querySelector('.nnv-body'), x = Math.round(+e.getAttribute('cx'));
            (cols[x] = cols[x] || []).push([+e.getAttribute('cy'), g.querySelector('.nnv-title').textContent]); }
          return Object.keys(cols).sort((a, b) => a - b)
            .map(x => cols[x].sort((a, b) => a[0] - b[0]).map(v => v[1])); }""",
        GRAPH,
    )


def test_layers_read_top_to_bottom_with_the_bias_last(page, open_app):
    open_app(page)
    assert columns(page) == [["σ₁", "σ₂"], ["σ₃", "σ₄", "σ₅"], ["σ₆", "σ₇", "σ₈"], ["σ₉"]]
    open_app(page, "?preset=layered&sizes=3,4,2")
    assert columns(page) == [["σ₁", "σ₂", "σ₃", "σ₄"], ["σ₅", "σ₆", "σ₇", "σ₈", "σ₉"], ["σ₁₀", "σ₁₁"]]


def test_a_sidebar_edit_redraws_the_graph(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    choose(page, "Start from", "XOR (2-2-1)")
    press(page, "Build network", wait_idle)
    wait_counts(page, (7, 9))
    sidebar(page).get_by_text("Edit neurons and edges").click()
    wait_idle(page)  # an open section builds its editors in a rerun
    choose(page, "From i", "1")
    choose(page, "To j", "7")
    press(page, "Add edge", wait_idle)
    wait_counts(page, (7, 10))
    assert page.get_by_text("Not layered:").count() == 1
    assert_healthy(page)


def test_invalid_edit_shows_the_error_and_keeps_the_graph(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    sidebar(page).get_by_text("Edit neurons and edges").click()
    wait_idle(page)  # an open section builds its editors in a rerun
    choose(page, "From i", "9")
    choose(page, "To j", "3")
    press(page, "Add edge", wait_idle)
    error = sidebar(page).locator("[data-testid=stAlert]")
    assert "edge 9->3 would close a cycle" in error.inner_text().replace("\\", "")
    assert counts(page) == (9, 12)
    assert_healthy(page)


def test_json_download_and_upload_round_trip(page, open_app, wait_idle, assert_healthy, tmp_path):
    open_app(page)
    saved = download_json(page, tmp_path, "paper.json")
    assert from_json(saved) == presets.paper_network()
    choose(page, "Start from", "XOR (2-2-1)")
    press(page, "Build network", wait_idle)
    wait_counts(page, (7, 9))
    upload = page.locator("[data-testid=stMain] [data-testid=stFileUploaderDropzoneInput]")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "nnviz.network/1", "neurons": [], "edges": []}))
    upload.set_input_files(str(bad))
    wait_idle(page)
    assert "no input neuron" in page.locator("[data-testid=stAlert]").filter(has_text="Not loaded").inner_text()
    assert counts(page) == (7, 9)  # nothing lost
    upload.set_input_files(str(tmp_path / "paper.json"))
    wait_idle(page)
    wait_counts(page, (9, 12))
    assert download_json(page, tmp_path, "again.json") == saved
    assert_healthy(page)


def test_share_link_restores_the_network_in_a_new_context(page, new_page, open_app, wait_idle, assert_healthy,
                                                         tmp_path):  # fmt: skip
    open_app(page)
    sidebar(page).get_by_text("Edit weights").click()
    wait_idle(page)
    seed = sidebar(page).get_by_role("spinbutton", name="Seed")
    seed.fill("5")
    press(page, "Randomise weights", wait_idle)
    page.wait_for_function("() => location.search.includes('net=')")
    original = download_json(page, tmp_path, "a.json")
    assert from_json(original) == edit.randomise(presets.paper_network(), 5)
    link = page.url
    fresh = new_page()
    fresh.goto(link)
    wait_idle(fresh)
    assert_healthy(fresh)
    assert counts(fresh) == (9, 12)
    assert download_json(fresh, tmp_path, "b.json") == original
    sidebar(fresh).get_by_text("Edit weights").click()  # its editors are built once the section opens
    wait_idle(fresh)
    assert sidebar(fresh).get_by_role("spinbutton", name="Seed").input_value() == "5"


def test_bad_share_link_shows_an_error_and_the_default(page, open_app):
    open_app(page, "?preset=paper&net=not-a-network")
    assert "The share link could not be used" in page.locator("[data-testid=stAlert]").first.inner_text()
    assert counts(page) == (9, 12)


def test_hostile_markdown_in_an_uploaded_id_is_shown_literally(page, open_app, wait_idle, assert_healthy, tmp_path):
    open_app(page)
    doc = json.loads(json.dumps({"format": "nnviz.network/1", "neurons": [
        {"id": ":red[x]", "role": "input"}, {"id": "<b>$y$</b>", "role": "output", "activation": "identity"}],
        "edges": [{"from": ":red[x]", "to": "<b>$y$</b>", "weight": 1.0}]}))  # fmt: skip
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc))
    page.locator("[data-testid=stMain] [data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_idle(page)
    wait_counts(page, (2, 1))
    body = page.locator("[data-testid=stMain]").inner_text()
    assert ":red[x]" in body  # shown as typed, not turned into red text
    assert page.locator("[data-testid=stMain] b").filter(has_text="$y$").count() == 0
    assert page.locator(GRAPH + " .nnv-title").filter(has_text=":red[x]").count() == 1
    assert_healthy(page)


def test_a_deep_link_as_a_fresh_servers_first_request_goes_through_app_py(page, fresh_app_url, wait_idle):
    """Streamlit's old pages-folder mode would run pages/network.py alone: no sidebar editor, no link."""
    page.goto(fresh_app_url + "/network?preset=xor")
    page.wait_for_selector("[data-testid=stApp]")
    wait_idle(page)
    wait_counts(page, (7, 9))  # the share link was read
    assert sidebar(page).get_by_text("Architecture", exact=True).count() == 1
    links = " ".join(page.locator("[data-testid=stSidebarNav] a").all_text_contents())
    assert "Network" in links and "Forward pass" in links  # page titles from app.py, not file names


# ----- the live graph: names, pictures, clicks ------------------------------------------------------------
LABELS_JS = """(sel) => [...document.querySelectorAll(sel + ' .nnv-elabel')].filter((g) => g.style.display !== 'none')
    .map((g) => g.querySelector('text').textContent)"""


def test_every_weight_is_named_and_the_toggle_adds_its_value(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    net = presets.paper_network()
    assert page.evaluate(LABELS_JS, GRAPH) == [edge_title(s, d) for s, d in net.edges]
    assert not page.locator("[data-testid=stMain] .nnv-bar").is_visible()  # a still drawing: no stepper
    page.locator(".st-key-" + W.SHOW_WEIGHTS + " label").click()
    wait_idle(page)
    expected = [f"{edge_title(s, d)} = {w:.2f}" for (s, d), w in zip(net.edges, net.weights, strict=True)]
    assert page.evaluate(LABELS_JS, GRAPH) == expected
    assert_healthy(page)


def test_one_picture_per_hidden_and_output_neuron_and_the_toggle(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    computing = sum(n.computes for n in presets.paper_network().neurons)
    assert page.locator(GRAPH + " .nnv-pic polyline").count() == computing == 5
    page.locator(".st-key-net_pictures label").click()
    wait_idle(page)
    assert page.locator(GRAPH + " .nnv-pic").count() == 0
    assert_healthy(page)


def test_a_click_on_an_edge_gives_a_slider_that_edits_the_weight(page, open_app, wait_idle, assert_healthy, tmp_path):
    open_app(page)
    net = presets.paper_network()
    j = net.edge_index[("6", "9")]
    picture = page.locator(GRAPH + f' .nnv-pic[data-index="{net.index["9"]}"] polyline')
    before = picture.get_attribute("points")
    page.locator(f'{GRAPH} .nnv-edge[data-edge="{j}"] .nnv-hit').click(force=True)
    slider = page.locator(".st-key-live_net_weight input[type=range]")
    expect(slider).to_have_attribute("value", "1.3")
    wait_idle(page)
    assert "nnv-selected" in page.locator(f'{GRAPH} .nnv-edge[data-edge="{j}"]').get_attribute("class")
    slider.focus()
    page.keyboard.press("Home")  # the slider's lowest value: -5
    expect(slider).to_have_attribute("value", "-5")
    wait_idle(page)
    assert from_json(download_json(page, tmp_path, "edited.json")) == edit.set_weight(net, "6", "9", -5.0)
    expect(picture).not_to_have_attribute("points", before)  # the output's picture follows the weight
    page.locator(f'{GRAPH} .nnv-edge[data-edge="{j}"] .nnv-hit').hover(force=True)
    expect(page.locator("[data-testid=stMain] .nnv-tip")).to_contain_text("w = -5")
    assert_healthy(page)


def test_a_click_on_a_neuron_selects_it_for_the_pass_pages(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    page.locator(GRAPH + ' .nnv-neuron[data-id="4"] .nnv-body').click()
    expect(page.locator("[data-testid=stMain]").get_by_text("Selected: neuron 4")).to_be_visible()
    wait_idle(page)
    assert "nnv-selected" in page.locator(GRAPH + ' .nnv-neuron[data-id="4"]').get_attribute("class")
    page.locator("[data-testid=stSidebarNav] a").filter(has_text="Forward pass").click()
    wait_idle(page)
    expect(page.locator(".st-key-fwd_neuron input")).to_have_value("neuron 4 (hidden)")
    assert_healthy(page)
