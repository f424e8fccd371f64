"""The Training page's loss landscape in Chromium: the slice and paths are drawn, a click on a path chooses it."""

from __future__ import annotations

from collections.abc import Callable

from tests.browser.test_training import LANDSCAPE, SLOW, open_section, start_training

#: JS: the start marker of a restart other than ``skip`` farthest from every other restart's path, in page pixels.
FARTHEST_START_JS = """(chart, skip) => {
  const gd = chart.querySelector('.js-plotly-plot');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const px = (x, y) => [box.left + xa._offset + xa.l2p(x), box.top + ya._offset + ya.l2p(y)];
  const start = gd._fullData.find((t) => t.meta === 'start');
  const paths = gd._fullData.filter((t) => t.meta === 'path');
  const id0 = (t, i) => Number(Array.from(t.customdata[i])[0]);
  let best = null;
  Array.from(start.x).forEach((x, i) => {
    const id = id0(start, i);
    if (id === skip) return;
    const [sx, sy] = px(x, start.y[i]);
    let near = Infinity;
    for (const t of paths) {
      if (id0(t, 0) === id) continue;
      Array.from(t.x).forEach((tx, k) => {
        const [qx, qy] = px(tx, t.y[k]);
        near = Math.min(near, Math.hypot(qx - sx, qy - sy));
      });
    }
    const inside = sx > box.left + xa._offset && sx < box.left + xa._offset + xa._length
      && sy > box.top + ya._offset && sy < box.top + ya._offset + ya._length;
    if (inside && (best === null || near > best.near)) best = {id, x: sx, y: sy, near};
  });
  return best;
}"""


def test_the_landscape_draws_paths_and_a_click_chooses_a_restart(
    page: object,
    open_app: Callable[..., object],
    wait_idle: Callable[..., None],
    assert_healthy: Callable[[object], None],
) -> None:
    start_training(page, open_app, wait_idle, restarts=20, epochs=40)
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)
    open_section(page, LANDSCAPE, wait_idle)
    chart = page.locator("[data-testid=stPlotlyChart]", has_text="loss on the slice")
    chart.scroll_into_view_if_needed()
    chart.locator(".heatmaplayer image, .heatmaplayer path, g.hm").first.wait_for(state="attached")
    page.wait_for_function(
        "(el) => { const gd = el.querySelector('.js-plotly-plot');"
        " return gd && gd._fullData && gd._fullData.filter((t) => t.meta === 'path').length >= 20; }",
        arg=chart.element_handle(),
    )
    chosen_box = page.get_by_label("Restart to look at", exact=False)
    before = int(chosen_box.input_value())
    target = chart.evaluate(FARTHEST_START_JS, before)
    assert target is not None and target["near"] > 6, target  # a start marker no other path crowds
    page.mouse.click(target["x"], target["y"])
    page.wait_for_function(
        "([label, want]) => { const box = [...document.querySelectorAll('input')].find("
        " (i) => i.getAttribute('aria-label') && i.getAttribute('aria-label').startsWith(label));"
        " return box && box.value === String(want); }",
        arg=["Restart to look at", target["id"]],
    )
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)
    assert int(chosen_box.input_value()) == target["id"] != before
    histogram = page.locator("[data-testid=stPlotlyChart]", has_text="Final loss of each restart")
    assert f"restart {target['id']}" in histogram.inner_text()  # the chosen restart is marked there too
    page.get_by_role("button", name=f"Load restart {target['id']} into the network").wait_for()  # results panel
    page.get_by_role("button", name=f"Load the chosen restart ({target['id']}) into the network").click()
    page.get_by_text("Last change: trained: restart", exact=False).first.wait_for()
    wait_idle(page, timeout=SLOW)
    assert_healthy(page)
    assert f"restart {target['id']} of 20" in page.locator("[data-testid=stSidebar]").inner_text()
