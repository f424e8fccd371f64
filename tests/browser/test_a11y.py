"""Browser: axe-core (npm, pinned in tests/browser/axe/package-lock.json; ``make axe`` installs it) on every page.

Each of the five pages is checked in both palettes (paper, colour-blind) and in presentation mode at
1440x900: no critical and no serious violation (WCAG 2.x A/AA rules and axe's best practices). On a
failure the message lists each rule with the elements it found. The app has one theme (light, set in
.streamlit/config.toml): there is no dark theme to check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = (("Network", ""), ("Forward pass", "forward"), ("Backpropagation", "backprop"), ("Training", "training"),
         ("Why it works", "why"))  # fmt: skip
MODES = {"paper": "", "colorblind": "?palette=colorblind", "present": "?present=1"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => ({
    id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 8), n: v.nodes.length}));
}"""


def axe_source() -> str:
    """axe.min.js, or a failure saying how to install it."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make axe` (npm ci --prefix tests/browser/axe)", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: object) -> list[dict]:
    """axe-core's critical and serious violations on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):  # type: ignore[attr-defined]
        page.add_script_tag(content=axe_source())  # type: ignore[attr-defined]
    return page.evaluate(RUN_AXE)  # type: ignore[attr-defined]


def describe(found: dict[str, list[dict]]) -> str:
    return "\n".join(
        f"{where}: {v['impact']} {v['id']} on {v['n']} element(s): {'; '.join(v['targets'])}"
        for where, violations in found.items()
        for v in violations
    )


@pytest.mark.parametrize("mode", list(MODES))
def test_every_page_has_no_serious_axe_violation(mode, page, app_url, open_app, wait_idle, assert_healthy) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    query = MODES[mode]
    open_app(page, query)
    found = {}
    for title, path in PAGES:
        page.goto(f"{app_url}/{path}{query}")
        page.wait_for_selector("[data-testid=stApp]")
        wait_idle(page)
        assert_healthy(page)
        if path in ("", "forward", "backprop"):  # the graph is there to be checked
            page.wait_for_selector(".nnv-live .nnv-neuron")
            wait_idle(page)
            assert page.locator(".nnv-live .nnv-neuron").count() == 9, title
        found[f"{mode} | {title}"] = serious_violations(page)
    assert not any(found.values()), "axe-core found critical or serious violations:\n" + describe(found)


def test_axe_finds_what_it_should(page, open_app) -> None:
    """The check can fail: a low-contrast paragraph and an unnamed image added to the page are reported."""
    open_app(page)
    page.evaluate("""() => {
      const p = document.createElement('p');
      p.textContent = 'This sentence is too pale to read.';
      p.style.color = '#cccccc'; p.style.background = '#ffffff'; p.id = 'nnv-axe-probe';
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('role', 'img'); svg.id = 'nnv-axe-probe-svg';
      document.querySelector('[data-testid=stMainBlockContainer]').prepend(p, svg);
    }""")
    ids = {v["id"] for v in serious_violations(page)}
    assert {"color-contrast", "svg-img-alt"} <= ids


def test_the_loss_chart_has_a_text_alternative(page, app_url, open_app, wait_idle) -> None:
    open_app(page)
    page.goto(app_url + "/backprop")
    wait_idle(page)
    page.get_by_role("tab", name=re.compile("^Loss as a function")).click()  # the tab is built when opened
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg")
    wait_idle(page)
    texts = page.locator("p.nnv-sr").all_text_contents()
    said = [t for t in texts if t.startswith("Chart of the loss as this one weight varies")]
    assert said, texts
    assert "points, x from" in said[0] and "lowest" in said[0]
