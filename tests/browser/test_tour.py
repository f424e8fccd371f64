"""Browser: the shipped tour at 1280x720 driven by the keyboard, as a presentation clicker drives it.

Start from the presentation bar, PageDown through every step (walking the animations frame by frame), and on
each step check the page, the step's key element whole on screen (between the bar and the screen's bottom)
without scrolling by hand, a solid bar, and no exception;
then PageUp goes back and Esc ends the tour, leaving the view as it is. Prints the time each arrival
takes to settle (drawn, and its heading brought to the top).
"""

from __future__ import annotations

import contextlib
import re
import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from nnviz.app import tours

PAPER = tours.builtin("paper")
TITLES = {"network": "The network", "forward": "Forward pass", "backprop": "Backpropagation",
          "training": "Training", "why": "Why it works"}  # fmt: skip
SCROLLED_JS = "() => window.__nnvizScrollNonce !== undefined && window.__nnvizScrolled === window.__nnvizScrollNonce"
#: The step's key element ("graph" or a widget key, nnviz.app.tours.Step.key): its box and the bar's bottom.
BOX_JS = """(key) => {
  const sel = key === 'graph' ? 'svg.nnv-svg, [data-testid=stGraphVizChart] svg' : '.st-key-' + CSS.escape(key);
  const el = [...document.querySelectorAll('[data-testid=stMain] ' + sel)].find((e) => e.checkVisibility());
  if (!el) return null;
  const r = el.getBoundingClientRect();
  const bar = document.querySelector('.st-key-tbar').getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: innerHeight, width: innerWidth,
          bar: bar.bottom};
}"""
#: The tour bar's own background colour, as [r, g, b, alpha]: the page scrolled under the bar must not show through.
BAR_BACKGROUND_JS = """() => {
  const c = getComputedStyle(document.querySelector('.st-key-tbar')).backgroundColor;
  const v = c.match(/[\\d.]+/g).map(Number);
  return v.length === 3 ? [...v, 1] : v;
}"""
TOOLTIPS_JS = """() => [...document.querySelectorAll('[data-baseweb=tooltip], [role=tooltip]')]
    .filter((el) => el.checkVisibility()).length"""
#: Text of the charts and of the graph's layer names on screen, with its size on screen in px (an SVG's own scale
#: included), smallest first.
FONTS_JS = """() => {
  const out = [];
  const texts = document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart] svg text, '
    + '[data-testid=stMain] svg.nnv-svg text.nnv-box-label');
  for (const t of texts) {
    if (!t.textContent.trim() || !t.checkVisibility()) continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.bottom < 0 || r.top > innerHeight) continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    out.push([Math.round(px * 10) / 10, t.textContent.trim().slice(0, 30)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}"""
#: Presenting, no text of a chart or the graph's layer names is smaller than this (px on screen).
ROOM_PX = 18
ANIMATION_JS = """() => [...document.querySelectorAll('[data-testid=stMain] p, [data-testid=stMain] .nnv-counter')]
    .map((e) => e.innerText.trim()).find((t) => /^Step \\d+ of \\d+$/.test(t)) || null"""


ARRIVED_JS = """([step, title]) => {
  const bar = document.querySelector('.st-key-tbar'), h1 = document.querySelector('[data-testid=stMain] h1');
  return !!bar && bar.innerText.includes(step) && !!h1 && h1.textContent === title;
}"""


def _settle(page, wait_idle) -> None:
    wait_idle(page)
    page.wait_for_function(SCROLLED_JS)


def _arrive(page, k: int, wait_idle) -> None:
    """Wait until the bar shows step ``k`` (0-based) on its page, then until that run has drawn and scrolled.

    A link or a key can start more than one run (the tour moves to the step's page in a run of its own), and
    a slow machine can leave a moment of idle between them: the step's own bar and page are the condition.
    """
    step = PAPER.steps[k]
    page.wait_for_function(ARRIVED_JS, arg=[f"Step {k + 1} of", TITLES[step.scene.page]])
    _settle(page, wait_idle)


def _bar(page) -> str:
    return page.locator(".st-key-tbar").inner_text()


def _check_step(page, k: int, assert_healthy) -> None:
    step = PAPER.steps[k]
    assert_healthy(page)
    assert re.search(rf"Step {k + 1} of {len(PAPER.steps)}\s*·\s*{re.escape(step.title)}", _bar(page)), _bar(page)
    title = page.locator("[data-testid=stMain] h1").first.text_content()
    assert title == TITLES[step.scene.page], (k, title)
    assert step.key, f"step {k + 1} names no key element"
    fits = f"(k) => {{ const b = ({BOX_JS})(k); return !!b && b.bar <= b.top && b.bottom <= b.height; }}"
    with contextlib.suppress(PlaywrightTimeout):  # a part drawn after the scroll may still move it: wait, then say
        page.wait_for_function(fits, arg=step.key, timeout=10_000)
    box = page.evaluate(BOX_JS, step.key)
    assert box is not None, f"step {k + 1}: no key element {step.key!r} on the page"
    inside = box["bar"] <= box["top"] and box["bottom"] <= box["height"] and 0 <= box["left"] <= box["right"]
    assert inside and box["right"] <= box["width"], f"step {k + 1}: {step.key} is not whole on screen: {box}"
    assert page.evaluate(BAR_BACKGROUND_JS)[3] == 1, f"step {k + 1}: the bar is see-through"
    fonts = page.evaluate(FONTS_JS)
    assert not fonts or fonts[0][0] >= ROOM_PX - 0.05, f"step {k + 1}: text smaller than {ROOM_PX} px: {fonts[:5]}"


def test_the_paper_tour_by_keyboard(page, open_app, wait_idle, assert_healthy):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, "?present=1")
    start = page.locator(".st-key-pbar_tour_start button")  # one visible button in the presentation bar
    assert start.is_visible()
    start.click()
    _arrive(page, 0, wait_idle)
    assert "present=1" in page.url and "tour=paper" in page.url
    page.wait_for_selector(
        "[data-testid=stSidebar][data-collapsed=true]", state="attached"
    )  # folded: the page has the projector
    assert page.evaluate(TOOLTIPS_JS) == 0
    settle: list[float] = []
    for k, step in enumerate(PAPER.steps):
        _check_step(page, k, assert_healthy)
        if step.frame is not None:  # the clicker walks the animation first
            for frame in range(step.scene.step + 1, step.frame + 1):
                page.keyboard.press("PageDown")
                wait_idle(page)
                assert page.evaluate(ANIMATION_JS).startswith(f"Step {frame + 1} of")
                assert f"Step {k + 1} of" in _bar(page)
        if k + 1 < len(PAPER.steps):
            start = time.perf_counter()
            page.keyboard.press("PageDown")
            _arrive(page, k + 1, wait_idle)
            settle.append(time.perf_counter() - start)
    print("arrival settles in: " + ", ".join(f"{s:.2f}" for s in settle) + " s")
    page.keyboard.press("PageDown")  # the last step stays
    wait_idle(page)
    assert f"Step {len(PAPER.steps)} of" in _bar(page)
    page.keyboard.press("n")
    wait_idle(page)
    assert PAPER.steps[-1].notes[:20] in page.locator(".st-key-tour_notes_panel").inner_text()
    page.keyboard.press("PageUp")
    _arrive(page, len(PAPER.steps) - 2, wait_idle)
    _check_step(page, len(PAPER.steps) - 2, assert_healthy)
    page.keyboard.press("Escape")
    wait_idle(page)
    assert page.locator(".st-key-tbar").count() == 0
    assert "tour=" not in page.url
    assert page.locator("[data-testid=stMain] h1").first.inner_text() == TITLES[PAPER.steps[-2].scene.page]
    assert_healthy(page)


def test_a_link_opens_the_tour_at_a_step(page, open_app, wait_idle, assert_healthy):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, "?tour=paper&step=5")
    _arrive(page, 4, wait_idle)
    _check_step(page, 4, assert_healthy)
    page.reload()  # a reload comes back to the same step
    _arrive(page, 4, wait_idle)
    _check_step(page, 4, assert_healthy)


def test_a_reload_during_a_tour_comes_back_at_its_step(page, open_app, wait_idle, assert_healthy):
    """Started from the presentation bar and moved on by the clicker, a reload keeps the step."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, "?present=1")
    page.locator(".st-key-pbar_tour_start button").click()
    _arrive(page, 0, wait_idle)
    k = next(i for i, s in enumerate(PAPER.steps) if s.show is not None)  # a step scrolled to its heading
    for _ in range(40):  # the clicker walks the animations' frames on the way
        if f"Step {k + 1} of" in _bar(page):
            break
        page.keyboard.press("PageDown")
        _settle(page, wait_idle)
    _arrive(page, k, wait_idle)
    _check_step(page, k, assert_healthy)
    assert f"step={k + 1}" in page.url and "tour=paper" in page.url
    page.reload()
    _arrive(page, k, wait_idle)
    _check_step(page, k, assert_healthy)
