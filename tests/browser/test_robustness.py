"""Hostile input in a real Chromium: nothing typed, uploaded, opened or linked runs as script or markup.

Each case feeds ``<img src=x onerror=alert(1)>``, ``[x](javascript:alert(1))`` and ``$\\def\\x{}$``
through one entry point (JSON upload, scenes file, CSV upload, sidebar form, URL) and then visits every
page. After each step: no JS dialog opened (the ``page`` fixture fails the test on any dialog), no
``img[src=x]`` and no element with an ``onerror`` attribute in the DOM, no ``javascript:`` link, no
Streamlit exception box, and the hostile text appears literally where the app shows it.
Presentation mode is screenshotted at 1280x720 (a projector) on the way.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from nnviz import files
from nnviz.app import scenes
from nnviz.app.scenes import Scene
from tests.browser.test_network import choose
from tests.hostile import IMG, LINK, TEX, hostile_network

PAGES = ("Network", "Forward pass", "Backpropagation", "Training", "Why it works")
SHOTS_ENV = "NNVIZ_SHOTS"  # set it to keep the presentation screenshots somewhere to look at

INJECTION_JS = """() => ({
  img: document.querySelectorAll('img[src="x"], img[src="X"]').length,
  onerror: document.querySelectorAll('[onerror]').length,
  js: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
        .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
                  || e.getAttribute('formaction') || '')
        .filter(v => v.replace(/\\s/g, '').toLowerCase().startsWith('javascript:')).length,
  alerted: window.__nnviz_alerted === true,
})"""


def assert_no_injection(page: object, where: str) -> None:
    """Nothing hostile became an element, attribute or link; no Streamlit exception."""
    found = page.evaluate(INJECTION_JS)  # type: ignore[attr-defined]
    assert found == {"img": 0, "onerror": 0, "js": 0, "alerted": False}, f"{where}: {found}"
    boxes = page.locator("[data-testid=stException]")  # type: ignore[attr-defined]
    assert boxes.count() == 0, f"{where}: " + " | ".join(boxes.all_inner_texts())[:1000]


#: The scenes panel's own uploader (the Tours panel above it has one too, which takes scenes files as a tour).
SCENES_IMPORT = '[data-testid=stSidebar] [data-testid=stExpander]:has-text("Export or import scenes")'


def arm(page: object) -> None:
    """Record any alert() call even if a dialog handler were missing (belt and braces)."""
    page.add_init_script("window.alert = () => { window.__nnviz_alerted = true; };")  # type: ignore[attr-defined]


def visit_every_page(page: object, wait_idle: Callable[..., None], what: str) -> str:
    """Click through all pages, checking each; return all visible text."""
    seen = []
    for title in PAGES:
        page.locator("[data-testid=stSidebarNav] a", has_text=title).first.click()  # type: ignore[attr-defined]
        wait_idle(page)  # waits for the charts too, which render after the script ends
        assert_no_injection(page, f"{what}, page {title}")
        seen.append(page.locator("body").inner_text())  # type: ignore[attr-defined]
    return "\n".join(seen)


def upload(page: object, where: str, path: Path, wait_idle: Callable[..., None]) -> None:
    box = page.locator(f"{where} [data-testid=stFileUploaderDropzoneInput]")  # type: ignore[attr-defined]
    box.first.set_input_files(str(path))
    wait_idle(page)


# ----- the cases ---------------------------------------------------------------------------
def test_hostile_network_file_on_every_page(page, open_app, wait_idle, tmp_path):
    arm(page)
    open_app(page)
    path = tmp_path / f"{IMG}.json".replace("/", "_")
    path.write_text(files.to_json(hostile_network()))
    upload(page, "[data-testid=stMain]", path, wait_idle)
    assert_no_injection(page, "after the upload")
    assert page.locator("[data-testid=stMain] .nnv-live .nnv-neuron").count() == 5
    text = visit_every_page(page, wait_idle, "hostile network")
    assert IMG in text and LINK in text  # shown as typed (vocabulary, pickers, tables)
    assert "\\def\\x{}" in text  # the LaTeX is text, not a macro


def test_hostile_scenes_file(page, open_app, wait_idle, tmp_path):
    arm(page)
    open_app(page)
    items = [Scene(name=text, network=hostile_network(), page="forward", step=2) for text in (IMG, LINK, TEX)]
    path = tmp_path / "scenes.json"
    path.write_text(scenes.dumps(items))
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("Export or import scenes").click()
    upload(page, SCENES_IMPORT, path, wait_idle)
    assert_no_injection(page, "after importing scenes")
    for text in (IMG, LINK, TEX):
        button = sidebar.get_by_role("button", name=text, exact=True)
        assert button.count() == 1, f"no scene button labelled {text!r}"
    sidebar.get_by_role("button", name=LINK, exact=True).click()
    wait_idle(page)
    assert_no_injection(page, "after opening a hostile scene")
    assert page.get_by_role("heading", name="Forward pass").count() == 1
    assert "Step 3 of" in page.locator("[data-testid=stMain]").inner_text()
    visit_every_page(page, wait_idle, "hostile scenes")


def test_bad_scenes_file_names_the_problem(page, open_app, wait_idle, tmp_path):
    arm(page)
    open_app(page)
    doc = json.loads(scenes.dumps([Scene(name=IMG, network=hostile_network())]))
    doc["scenes"][0]["page"] = LINK
    path = tmp_path / "bad-scenes.json"
    path.write_text(json.dumps(doc))
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("Export or import scenes").click()
    upload(page, SCENES_IMPORT, path, wait_idle)
    alert = sidebar.locator("[data-testid=stAlert]").first.inner_text()
    assert "'page' is" in alert and LINK in alert and IMG in alert
    assert_no_injection(page, "after a bad scenes file")


def test_hostile_csv_headers(page, open_app, wait_idle, tmp_path):
    arm(page)
    open_app(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Training").first.click()
    wait_idle(page)
    page.get_by_text("CSV file", exact=True).click()
    wait_idle(page)
    path = tmp_path / "hostile.csv"
    path.write_text(f'"{IMG}","{LINK}","{TEX}"\n1,2,3\n4,5,6\n7,8,9\n')
    upload(page, "[data-testid=stMain]", path, wait_idle)
    assert_no_injection(page, "after a hostile CSV")
    assert IMG in page.locator("[data-testid=stMain]").inner_text()
    path.write_text("x,y\n1,nan\n2,<img src=x onerror=alert(1)>\n")
    upload(page, "[data-testid=stMain]", path, wait_idle)
    assert_no_injection(page, "after a CSV with bad cells")
    visit_every_page(page, wait_idle, "hostile CSV")


@pytest.mark.parametrize("text", [IMG, LINK, TEX])
def test_hostile_layer_sizes_in_the_sidebar_form(page, open_app, wait_idle, text):
    arm(page)
    open_app(page)
    choose(page, "Start from", "Fully connected layers")
    sizes = page.locator("[data-testid=stSidebar]").get_by_role(
        "textbox", name="Layer sizes (editing them builds fully connected layers)"
    )
    sizes.fill(text)
    page.locator("[data-testid=stSidebar]").get_by_role("button", name="Build network").click()
    wait_idle(page)
    assert_no_injection(page, "after hostile layer sizes")
    alert = page.locator("[data-testid=stSidebar] [data-testid=stAlert]").first.inner_text()
    assert "is not a whole number" in alert
    assert page.locator("[data-testid=stMain] .nnv-live .nnv-neuron").count() == 9  # the paper's network stays


def test_hostile_url_parameters(page, open_app, wait_idle, app_url):
    arm(page)
    open_app(page)  # a first visit of "/" (see the report: a deep link as the server's first request skips app.py)
    from urllib.parse import urlencode

    query = urlencode({"preset": IMG, "seed": TEX, "present": IMG, "palette": LINK})
    page.goto(f"{app_url}/?{query}")
    wait_idle(page)
    assert_no_injection(page, "hostile URL")
    body = page.locator("body").inner_text()
    assert "The share link could not be used" in body and "Ignored in the link" in body
    assert IMG in body
    visit_every_page(page, wait_idle, "hostile URL")


def test_scenes_travel_to_another_machine(page, new_page, open_app, wait_idle, tmp_path):
    """Save a scene on the Forward page of XOR at step 3, export, import in a fresh context, open it."""
    arm(page)
    open_app(page)
    choose(page, "Start from", "XOR (2-2-1)")
    page.locator("[data-testid=stSidebar]").get_by_role("button", name="Build network").click()
    wait_idle(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Forward pass").first.click()
    wait_idle(page)
    for _ in range(2):
        page.get_by_role("button", name="Next").click()
        wait_idle(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_role("textbox", name="Scene name").fill(f"XOR {IMG}")
    sidebar.get_by_role("button", name="Save this view as a scene").click()
    wait_idle(page)
    sidebar.get_by_text("Export or import scenes").click()
    with page.expect_download() as info:
        sidebar.get_by_role("button", name="Export all scenes (JSON)").click()
    exported = tmp_path / "talk.json"
    info.value.save_as(exported)
    (scene,) = scenes.loads(exported.read_bytes())
    assert scene.name == f"XOR {IMG}" and scene.page == "forward" and scene.step == 2

    other = new_page()
    arm(other)
    open_app(other)
    other_sidebar = other.locator("[data-testid=stSidebar]")
    other_sidebar.get_by_text("Export or import scenes").click()
    upload(other, SCENES_IMPORT, exported, wait_idle)
    other_sidebar.get_by_role("button", name=f"XOR {IMG}", exact=True).click()
    wait_idle(other)
    assert_no_injection(other, "opened an imported scene")
    assert other.get_by_role("heading", name="Forward pass").count() == 1
    assert "Step 3 of" in other.locator("[data-testid=stMain]").inner_text()
    assert other.locator("[data-testid=stMain] .nnv-live .nnv-neuron").count() == 7  # XOR


# ----- presentation mode on a projector --------------------------------------------------------
#: Drawn size of the numbers inside neurons (font size times the SVG's scale) and where graph, caption, f(x) end.
PROJECTOR_JS = """() => {
  const live = document.querySelector('.nnv-live'), value = live.querySelector('.nnv-neuron .nnv-value');
  const svg = live.querySelector('svg').getBoundingClientRect();
  const fx = live.querySelector('.nnv-output');  // f(x) sits on the graph's bar
  const scale = svg.height / live.querySelector('svg').viewBox.baseVal.height;
  return {valuePx: parseFloat(value.getAttribute('font-size')) * scale,
          graphBottom: svg.bottom, fxBottom: fx.getBoundingClientRect().bottom,
          captionBottom: live.querySelector('.nnv-caption').getBoundingClientRect().bottom};
}"""


def test_presentation_mode_at_1280x720(new_page, open_app, wait_idle, app_url, tmp_path):
    shots = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    arm(page)
    open_app(page)
    page.goto(f"{app_url}/forward?present=1")
    wait_idle(page)
    assert_no_injection(page, "presentation")
    right = page.locator("[data-testid=stSidebar]").evaluate("e => e.getBoundingClientRect().right")
    main = page.locator("[data-testid=stMain]").evaluate("e => e.getBoundingClientRect().left")
    assert right <= 1 and main <= 1, (right, main)  # the link collapsed the sidebar: the page has the projector
    next_button = page.get_by_role("button", name="Next")
    box = next_button.bounding_box()
    assert box and box["height"] >= 50, box  # big enough to hit during a talk
    title = page.get_by_role("heading", name="Forward pass").first.evaluate("e => getComputedStyle(e).fontSize")
    assert float(title.rstrip("px")) >= 38
    fit = page.evaluate(PROJECTOR_JS)
    assert fit["valuePx"] >= 18, fit  # numbers inside neurons readable on a projector
    assert fit["graphBottom"] <= 720 and fit["fxBottom"] <= 720 and fit["captionBottom"] <= 720, fit  # no scrolling
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "presentation-forward-1280x720.png"))
    next_button.click()
    wait_idle(page)
    assert "Step 2 of" in page.locator("[data-testid=stMain]").inner_text()
    page.keyboard.press("ArrowRight")  # the stepper's keyboard shortcut still works with the hints hidden
    wait_idle(page)
    assert "Step 3 of" in page.locator("[data-testid=stMain]").inner_text()
    page.goto(f"{app_url}/?present=1&palette=colorblind")
    wait_idle(page)
    assert_no_injection(page, "presentation, colour-blind palette")
    assert page.locator("[data-testid=stMain] .nnv-live .nnv-body[fill='#009e73']").count() == 1
    page.screenshot(path=str(shots / "presentation-network-1280x720.png"))


def test_a_bad_link_opened_on_another_page_says_so_there(page, open_app, wait_idle, app_url):
    """`/training?seed=abc` showed its message only once the user opened the Network page."""
    open_app(page)  # a first visit of "/" (a deep link as the server's very first request skips app.py)
    page.goto(f"{app_url}/training?seed=abc")
    wait_idle(page)
    main = page.locator("[data-testid=stMain]")
    assert page.get_by_role("heading", name="Training", exact=True).count() == 1
    assert "The share link could not be used" in main.inner_text()
    assert "'abc' is not a whole number" in main.inner_text()


def test_a_page_load_asks_no_other_host(page, wait_idle, app_url):
    """The README promises no network requests of the app's own: no font host for the favicon, no CDN."""
    from urllib.parse import urlparse

    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(app_url + "/")
    wait_idle(page)
    for title in ("Forward pass", "Training"):
        page.locator("[data-testid=stSidebarNav] a", has_text=title).first.click()
        wait_idle(page)
    favicon = page.evaluate("() => document.querySelector('link[rel*=icon]')?.href || ''")
    assert urlparse(favicon).hostname in ("127.0.0.1", "localhost"), favicon
    hosts = {urlparse(url).hostname for url in asked if urlparse(url).scheme in ("http", "https", "ws", "wss")}
    assert asked and hosts <= {"127.0.0.1", "localhost"}, sorted(u for u in asked if "127.0.0.1" not in u)[:10]
