"""Browser: the paper's network driven by the keyboard alone, its accessible names checked against the engine.

Tab reaches the live graph of the Forward pass page; the arrow keys walk to neuron 4 and Enter selects it;
Escape leaves to the toolbar, whose End button steps the pass to its end; back on the graph every neuron's
and edge's accessible name carries nnviz.forward's values; w₁,₃ is changed through its slider (Enter on the
edge gives the slider the focus, the arrow key moves it) and the names follow. Also: the graph's name and
description, the caption's live region, a visible focus ring, and prefers-reduced-motion.
"""

from __future__ import annotations

import re

import nnviz
from nnviz import presets
from nnviz.app.spoken import DIGITS

LIVE = "[data-testid=nnvLiveGraph]"
FOCUSED = """() => { const e = document.activeElement;
  return e ? (e.getAttribute('aria-label') || e.getAttribute('role') || e.textContent || e.tagName).trim() : ''; }"""
NAMES = f"""(kind) => [...document.querySelectorAll('{LIVE} ' + kind)].map((e) => e.getAttribute('aria-label'))"""
X = 0.5  # the Forward pass page's default input


def focused(page) -> str:
    return page.evaluate(FOCUSED)


def key(page, name: str) -> str:
    page.keyboard.press(name)
    return focused(page)


def tab_to_graph(page, limit: int = 200) -> str:
    """Press Tab until a neuron or an edge of the graph has the focus; its name."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.nnv-svg')"):
            return focused(page)
    raise AssertionError(f"Tab never reached the graph in {limit} presses")


def number(name: str, quantity: str) -> float:
    m = re.search(re.escape(quantity) + r" = (-?[0-9.]+(?:e-?[0-9]+)?)", name)
    assert m, (quantity, name)
    return float(m.group(1))


def close(said: float, exact: float) -> bool:
    return abs(said - exact) <= 10 ** (1 - DIGITS) * max(abs(exact), 1e-12)


def check_names(page, net) -> None:
    """Every neuron's and edge's accessible name against nnviz.forward at the page's x (all values shown)."""
    trace = nnviz.forward(net, [X])
    neurons, edges = page.evaluate(NAMES, ".nnv-key-target"), page.evaluate(NAMES, ".nnv-edge")
    assert len(neurons) == len(net.neurons) and len(edges) == len(net.edges)
    for k, n in enumerate(net.neurons):
        assert neurons[k].startswith(f"neuron {n.id}, {n.role}"), neurons[k]
        if n.computes:
            assert close(number(neurons[k], "a"), float(trace.a[0, k])), neurons[k]
        assert close(number(neurons[k], "x" if n.role == "input" else "z"), float(trace.z[0, k])), neurons[k]
    for j, (s, d) in enumerate(net.edges):
        assert edges[j].startswith(f"weight w {s},{d} from neuron {s} to neuron {d}"), edges[j]
        w = float(net.weights[j])
        assert close(number(edges[j], "w"), w), edges[j]
        assert close(number(edges[j], "w times z"), w * float(trace.z_of(s)[0])), edges[j]


def test_the_papers_network_by_keyboard_alone(page, app_url, open_app, wait_idle, assert_healthy) -> None:
    open_app(page)
    page.goto(app_url + "/forward")
    page.wait_for_selector(LIVE + " .nnv-neuron")
    wait_idle(page)
    net = presets.paper_network()
    svg = page.locator(LIVE + " .nnv-svg")
    assert (
        svg.get_attribute("aria-label") == "Network graph: 9 neurons (1 input, 3 bias, 4 hidden, 1 output), 12 weights"
    )
    desc = page.locator("#" + svg.get_attribute("aria-describedby"))
    assert desc.inner_text().startswith("Forward pass, step 1 of 7: ")
    assert page.locator(LIVE + " .nnv-caption").get_attribute("aria-live") == "polite"

    # Tab reaches the graph on neuron 1 (step 1 shows the input x); walk to neuron 4.
    assert tab_to_graph(page) == "neuron 1, input, no function, x = 0.5"
    assert key(page, "ArrowRight").startswith("weight w 1,3 from neuron 1 to neuron 3")
    assert key(page, "ArrowDown").startswith("weight w 1,4 from neuron 1 to neuron 4")
    assert key(page, "ArrowRight").startswith("neuron 4, hidden, sigmoid")
    ring = page.evaluate(
        "() => getComputedStyle(document.activeElement.closest('.nnv-neuron').querySelector('.nnv-nhalo')).opacity"
    )
    assert float(ring) == 1.0  # the focus is visible
    page.keyboard.press("Enter")
    wait_idle(page)
    assert page.get_by_text("Selected: neuron 4").is_visible()
    assert focused(page).startswith("neuron 4, hidden, sigmoid") and focused(page).endswith(", selected")

    # Escape leaves to the toolbar; Tab, Tab, Enter presses End: the forward pass at its last step.
    key(page, "Escape")
    assert page.evaluate("() => document.activeElement.classList.contains('nnv-play')")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('nnv-end')")
    page.keyboard.press("Enter")
    wait_idle(page)
    assert page.locator(LIVE + " .nnv-counter").inner_text() == "Step 7 of 7"
    assert desc.inner_text().startswith("Forward pass, step 7 of 7: ")
    check_names(page, net)

    # Back on the graph (the focus comes back to neuron 4), to edge 1->3, Enter: its slider has the focus.
    assert tab_to_graph(page).startswith("neuron 4, hidden")
    assert key(page, "ArrowLeft").startswith("weight w 1,4")
    assert key(page, "ArrowLeft").startswith("neuron 1, input")
    assert key(page, "ArrowRight").startswith("weight w 1,3")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('.st-key-live_fwd_weight') !== null")
    wait_idle(page)
    slider = page.locator(":focus")
    w13 = net.weight("1", "3")
    assert close(float(slider.input_value()), w13)
    page.keyboard.press("ArrowRight")  # one step of 0.01
    page.wait_for_function("(w) => Number(document.activeElement.value) > w", arg=w13 + 0.005)
    wait_idle(page)
    new = net.with_weights([w + 0.01 if e == ("1", "3") else w for e, w in zip(net.edges, net.weights, strict=True)])
    check_names(page, new)
    key(page, "Escape")  # back from the slider to the edge
    assert focused(page).startswith("weight w 1,3")
    assert_healthy(page)


def test_arrow_keys_on_the_graph_do_not_step_the_animation(page, app_url, open_app, wait_idle) -> None:
    open_app(page)
    page.goto(app_url + "/forward")
    page.wait_for_selector(LIVE + " .nnv-neuron")
    wait_idle(page)
    tab_to_graph(page)
    assert key(page, "ArrowDown").startswith("neuron 2, bias")
    assert key(page, "ArrowUp").startswith("neuron 1, input")
    assert key(page, "ArrowUp").startswith("neuron 1, input")  # the top of its column: it stays
    assert page.locator(LIVE + " .nnv-counter").inner_text() == "Step 1 of 7"


def test_reduced_motion_plays_step_by_step_without_transitions(browser, app_url, wait_idle) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(app_url + "/forward")
        page.wait_for_selector(LIVE + " .nnv-neuron")
        wait_idle(page)
        assert page.locator(LIVE).get_attribute("data-motion") == "reduce"
        moving = page.evaluate(f"""() => [...document.querySelectorAll('{LIVE} *')].filter((e) => {{
          const s = getComputedStyle(e);
          return parseFloat(s.transitionDuration) > 0
            || (s.animationName !== 'none' && parseFloat(s.animationDuration) > 0);
        }}).length""")
        assert moving == 0
        page.locator(LIVE + " .nnv-speed").select_option("0.25")
        page.locator(LIVE + " .nnv-play").click()
        page.wait_for_function(f"() => document.querySelector('{LIVE} .nnv-counter').textContent === 'Step 7 of 7'")
        assert page.locator(LIVE + " .nnv-play").inner_text() == "▶ Play"
    finally:
        context.close()


def test_full_motion_is_the_default(page, app_url, open_app) -> None:
    open_app(page, path="forward")
    page.wait_for_selector(LIVE + " .nnv-neuron")
    assert page.locator(LIVE).get_attribute("data-motion") == "full"
