"""Browser: every page on a phone (390x844) and a tablet held upright (820x1180).

No horizontal overflow: the page does not scroll sideways and nothing runs past its right edge except
inside a box of its own that scrolls (equations, the Why page's tab bar). The live graph is drawn top to
bottom across the width with text of at least 12 px. The sidebar starts folded away (Streamlit folds it up
to 768 px; nnviz.ui.narrow_screen on a tablet).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import RUNS_JS

PAGES = (("Network", ""), ("Forward pass", "forward"), ("Backpropagation", "backprop"), ("Training", "training"),
         ("Why it works", "why"))  # fmt: skip
SIZES = {"phone": (390, 844), "tablet": (820, 1180)}
OVERFLOW_JS = """() => {
  const W = window.innerWidth, main = document.querySelector('[data-testid=stMainBlockContainer]');
  const boxed = (e) => {  // inside a box of its own that scrolls, within the page (or read by screen readers only)
    if (e.closest('.katex-mathml')) return true;
    if (e.matches('[data-testid=stSlider] input[type=range]')) return true;  // a slider's thumb: a hidden input
    for (let p = e.parentElement; p && p !== main; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= W + 1) return true;
    }
    return false;
  };
  const out = [...main.querySelectorAll('*')].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > W + 1 && e.checkVisibility() && !boxed(e);
  });
  return {scroll: document.scrollingElement.scrollWidth, width: W,
          out: out.slice(0, 6).map((e) => (e.dataset.testid || e.className.toString() || e.tagName).slice(0, 60))};
}"""
TEXT_JS = """() => [...document.querySelectorAll('.nnv-live .nnv-svg text')]
  .filter((t) => t.textContent.trim() && t.checkVisibility())
  .map((t) => t.getBoundingClientRect().height)"""


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_the_screen(size, browser, app_url, wait_idle, assert_healthy) -> None:
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, is_mobile=size == "phone"
    )
    context.add_init_script(RUNS_JS)
    try:
        page = context.new_page()
        problems = []
        for title, path in PAGES:
            page.goto(f"{app_url}/{path}")
            page.wait_for_selector("[data-testid=stApp]")
            wait_idle(page)
            assert_healthy(page)
            if path in ("", "forward", "backprop"):
                page.wait_for_selector(".nnv-live .nnv-neuron")
                live = page.locator(".nnv-live")
                assert (
                    live.locator(".nnv-svg").bounding_box()["height"] > live.locator(".nnv-svg").bounding_box()["width"]
                )
                smallest = min(page.evaluate(TEXT_JS))
                if smallest < 12:
                    problems.append(f"{title}: graph text {smallest:.1f} px")
            found = page.evaluate(OVERFLOW_JS)
            if found["scroll"] > found["width"] or found["out"]:
                problems.append(f"{title}: {found}")
            sidebar = page.locator("[data-testid=stSidebar]")
            if (
                sidebar.count()
                and sidebar.bounding_box()
                and sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] > 1
            ):
                problems.append(f"{title}: the sidebar is open")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_a_wide_screen_keeps_the_graph_left_to_right(page, open_app) -> None:
    """At 1400x900 with the sidebar open the graph is drawn as in the paper's figures, every weight labelled."""
    open_app(page)
    page.wait_for_selector(".nnv-live .nnv-neuron")
    box = page.locator(".nnv-live .nnv-svg").bounding_box()
    assert box["width"] > box["height"]
    assert page.locator(".nnv-live .nnv-elabel:visible").count() == 12
