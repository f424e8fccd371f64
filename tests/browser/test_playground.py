"""The Training page's playground in Chromium: pick the spiral, Play, watch the epoch and the pictures change, Pause."""

from __future__ import annotations

from collections.abc import Callable

from tests.bench.bench_playground import epoch, number, watch


def _pictures(page: object) -> str:
    """The neuron pictures of the live graph now (their images' data), to see them change."""
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=nnvLiveGraph] image')].map((i) => i.getAttribute('href'))"
        ".join('|')"
    )


def test_play_spiral_then_pause(
    page: object, app_url: str, wait_idle: Callable[..., None], assert_healthy: Callable[[object], None]
) -> None:
    page.goto(app_url + "/training")
    wait_idle(page)
    page.get_by_role("button", name="Spiral", exact=True).click()  # click 2 (after Training in the navigation)
    wait_idle(page)
    assert_healthy(page)
    graph = page.locator("[data-testid=nnvLiveGraph]")
    assert graph.locator("image").count() >= 7, "every hidden and output neuron shows its picture"
    before = _pictures(page)
    assert epoch(page) == 0
    # The feature pills wrap in their column: every one lies inside it (Streamlit scrolls them sideways).
    boxes = page.evaluate(
        "() => { const g = document.querySelector('.st-key-train_pg_features [data-testid=stButtonGroup]');"
        " const r = g.getBoundingClientRect(); return [r.right,"
        " ...[...g.querySelectorAll('button')].filter((b) => b.innerText.trim())"
        ".map((b) => b.getBoundingClientRect().right)]; }"
    )
    assert len(boxes) == 8 and max(boxes[1:]) <= boxes[0] + 1, boxes
    # The output is drawn on the canvas: its centre pixel is coloured (not blank).
    centre = page.evaluate(
        "() => { const c = document.querySelector('[data-testid=nnvPgHeatmap]');"
        " return [...c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data]; }"
    )
    assert centre[3] == 255 and centre[:3] != [255, 255, 255], centre
    watch(page)
    page.get_by_role("button", name="Play", exact=True).click()  # click 3
    page.wait_for_function("() => window.__pg.epochs.length >= 3", timeout=30_000)  # three redraws, epochs rising
    shown = page.evaluate("window.__pg.epochs.map((e) => e[1])")
    assert shown == sorted(shown) and len(set(shown)) == len(shown)  # every redraw a later epoch
    assert _pictures(page) != before, "the neuron pictures change with the weights"
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for()  # the pause has run: the button reads Play
    wait_idle(page)  # no tick is pending: the page is idle, which it never is while playing
    held = epoch(page)
    assert held > 0
    page.evaluate("window.__pg.epochs = []")
    # Pause holds: another whole run of the page (a click on Show test data) changes no epoch.
    page.locator(".st-key-train_pg_show_test").get_by_text("Show test data").click()
    wait_idle(page)
    assert epoch(page) == held and page.evaluate("window.__pg.epochs.length") == 0
    test_loss, accuracy = number(page, "Test loss"), number(page, "Test accuracy")
    assert float(test_loss) >= 0 and accuracy.endswith("%") and 0 <= float(accuracy[:-1]) <= 100
    assert_healthy(page)
