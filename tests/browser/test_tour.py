"""Browser: the shipped tour at 1280x720 driven by the keyboard, as a presentation clicker drives it.

Start from the sidebar, PageDown through every step (walking the animations frame by frame), and on
each step check the page, the step's key element on screen without scrolling by hand, and no exception;
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
BOX_JS = """(text) => {
  const all = [...document.querySelectorAll('[data-testid=stMain] h2, [data-testid=stMain] h3, '
    + '[data-testid=stMain] [role=tab]')];
  const el = text ? all.find((e) => e.innerText.trim() === text)
    : document.querySelector('[data-testid=stMain] svg.nnv-svg, '
      + '[data-testid=stMain] [data-testid=stGraphVizChart] svg');
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, height: innerHeight};
}"""
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
    with contextlib.suppress(PlaywrightTimeout):  # a chart drawn after the scroll may still move it: wait
        page.wait_for_function(
            f"(t) => {{ const b = ({BOX_JS})(t); return !!b && b.top >= 0 && b.bottom <= b.height; }}",
            arg=step.show or "",
            timeout=10_000,
        )
    box = page.evaluate(BOX_JS, step.show or "")
    assert box is not None, f"step {k + 1}: no key element ({step.show or 'the graph'})"
    assert box["top"] >= 0 and box["bottom"] <= box["height"], f"step {k + 1} does not fit: {box}"
    if step.show is None:
        assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") == 0


def test_the_paper_tour_by_keyboard(page, open_app, wait_idle, assert_healthy):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page)
    page.locator(".st-key-tour_start_paper button").first.click()
    _arrive(page, 0, wait_idle)
    assert "present=1" in page.url and "tour=paper" in page.url
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
