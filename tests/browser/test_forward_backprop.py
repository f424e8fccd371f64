"""Browser: the Forward pass and Backpropagation pages in Debian's chromium against a real server.

The numbers are read back from the drawn SVG (what a learner sees) and compared
with nnviz.forward / nnviz.backward at the same input.
"""

from __future__ import annotations

import json
import re
import time

import pytest

import nnviz
from nnviz import presets

GRAPH = "[data-testid=stGraphVizChart] svg"


def go_to(page, title: str, wait_idle) -> None:
    """Open a page from the sidebar navigation."""
    page.locator("[data-testid=stSidebarNav]").get_by_text(title, exact=True).click()
    wait_idle(page)
    page.wait_for_selector(GRAPH + " g.node")


def step_label(page) -> str:
    return page.locator("[data-testid=stMain] p").filter(has_text=re.compile(r"^Step \d+ of \d+$")).first.inner_text()


def click_step(page, prefix: str, name: str, wait_idle) -> float:
    """Click a stepper button; return the seconds until the new step label and graph are drawn."""
    before = step_label(page)
    svg_before = page.locator(GRAPH).first.inner_html()
    start = time.perf_counter()
    page.locator(f".st-key-{prefix}_btn_{name} button").click()
    page.wait_for_function(
        """([sel, old, svg]) => {
            const p = [...document.querySelectorAll('[data-testid=stMain] p')]
                .find(e => /^Step \\d+ of \\d+$/.test(e.innerText));
            const g = document.querySelector(sel);
            return p && p.innerText !== old && g && g.innerHTML !== svg;
        }""",
        arg=[GRAPH, before, svg_before],
    )
    seconds = time.perf_counter() - start
    wait_idle(page)
    return seconds


TEXTS_JS = """([sel, kind]) => Object.fromEntries([...document.querySelectorAll(sel + ' g.' + kind)].map(g =>
    [g.querySelector('title').textContent,
     [...g.querySelectorAll('text')].map(t => t.textContent).join('\\n')]))"""


def node_texts(page) -> dict[str, str]:
    """DOT node name ("n0", ...) -> the node's drawn text lines joined by newlines."""
    return page.evaluate(TEXTS_JS, [GRAPH, "node"])


def edge_texts(page) -> dict[str, str]:
    """DOT edge name ("n0->n2") -> the label text lines joined by newlines."""
    return page.evaluate(TEXTS_JS, [GRAPH, "edge"])


def number(text: str, key: str) -> float:
    m = re.search(rf"(?:^|\n){re.escape(key)}=([-\d.e]+)", text)
    assert m, (key, text)
    return float(m.group(1))


def test_forward_to_the_end_shows_every_a_and_z(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    assert step_label(page) == "Step 1 of 7"
    times = [click_step(page, "fwd", "next", wait_idle) for _ in range(6)]
    assert step_label(page) == "Step 7 of 7"
    print(f"forward step, click to redrawn graph: {', '.join(f'{t:.2f}' for t in times)} s")
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    texts = node_texts(page)
    assert len(texts) == 9
    for k, n in enumerate(net.neurons):
        text = texts[f"n{k}"]
        z = float(trace.z_of(n.id)[0])
        assert number(text, "x" if n.role == "input" else "z") == pytest.approx(z, rel=1e-3, abs=1e-4), n.id
        if n.computes:
            assert number(text, "a") == pytest.approx(float(trace.a_of(n.id)[0]), rel=1e-3, abs=1e-4), n.id
    edges = edge_texts(page)
    w69 = edges["n5->n8"]
    assert number(w69, "w") == pytest.approx(1.3) and number(w69, "w·z") == pytest.approx(
        1.3 * float(trace.z_of("6")[0]), rel=1e-3
    )
    assert page.locator(".katex-error").count() == 0
    assert_healthy(page)


def test_play_advances_by_itself_and_stops_at_the_end(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    box = page.locator(".st-key-fwd_speed")
    box.locator("input").click()
    page.get_by_role("option", name="0.25 s per step", exact=True).click()
    wait_idle(page)
    page.locator(".st-key-fwd_btn_play button").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stMain] p')].some(e => e.innerText === 'Step 7 of 7')""",
        timeout=60_000,
    )
    page.wait_for_function(
        """() => { const b = document.querySelector('.st-key-fwd_btn_play button');
                   return b && b.innerText.includes('Play'); }""",
        timeout=30_000,
    )
    assert_healthy(page)


def test_arrow_keys_step_but_not_while_typing(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    page.locator("[data-testid=stMain] h1").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stMain] p')].some(e => e.innerText === 'Step 2 of 7')"""
    )
    wait_idle(page)
    slider = page.locator(".st-key-fwd_xs_0 input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")  # moves the slider, not the animation
    wait_idle(page)
    assert slider.get_attribute("value") == "0.51"
    assert step_label(page) == "Step 2 of 7"
    assert_healthy(page)


def test_backward_to_the_end_shows_every_gradient(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Backpropagation", wait_idle)
    times = [click_step(page, "bwd", "next", wait_idle) for _ in range(3)]  # loss, step 1, step 2 twice
    print(f"backward step, click to redrawn graph: {', '.join(f'{t:.2f}' for t in times)} s")
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    texts = node_texts(page)
    for k, n in enumerate(net.neurons):
        if n.computes:
            assert number(texts[f"n{k}"], "∂a") == pytest.approx(float(grads.dl_da_of(n.id)[0]), rel=1e-3), n.id
            assert number(texts[f"n{k}"], "∂z") == pytest.approx(float(grads.dl_dz_of(n.id)[0]), rel=1e-3), n.id
    click_step(page, "bwd", "end", wait_idle)
    edges = edge_texts(page)
    names = {nid: f"n{k}" for k, nid in enumerate(net.ids)}
    for s, d in net.edges:
        text = edges[f"{names[s]}->{names[d]}"]
        assert number(text, "∂w") == pytest.approx(float(grads.dl_dw_of(s, d)), rel=1e-3), (s, d)
    assert page.locator(".katex-error").count() == 0
    assert_healthy(page)


def test_one_sgd_step_lowers_the_loss_on_the_point(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Backpropagation", wait_idle)
    page.locator(".st-key-bwd_take_step button").click()
    wait_idle(page)
    message = page.locator("[data-testid=stMain] p").filter(has_text="Loss on this point").first.inner_text()
    m = re.search(r"(fell|rose): ([-\d.e]+) → ([-\d.e]+)", message)
    assert m and m.group(1) == "fell", message
    before, after = float(m.group(2)), float(m.group(3))
    net = presets.paper_network()
    grads = nnviz.backward(net, nnviz.forward(net, [0.5]), [1.0])
    stepped = net.with_weights(net.weights - 0.1 * grads.dl_dw)
    assert before == pytest.approx(float(grads.loss[0]), rel=1e-5)
    assert after == pytest.approx(float(nnviz.loss(stepped, [0.5], [1.0])[0]), rel=1e-5)
    assert after < before
    page.locator(".st-key-bwd_undo button").click()
    wait_idle(page)
    assert page.locator(".st-key-bwd_undo button").is_disabled()
    assert_healthy(page)


def test_non_layered_network_animates(page, open_app, wait_idle, assert_healthy, tmp_path):
    open_app(page)
    net = presets.non_layered()
    path = tmp_path / "nl.json"
    path.write_text(nnviz.to_json(net))
    page.locator("[data-testid=stMain] [data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_idle(page)
    go_to(page, "Forward pass", wait_idle)
    assert step_label(page) == "Step 1 of 5"
    click_step(page, "fwd", "end", wait_idle)
    trace = nnviz.forward(net, [0.5])
    texts = node_texts(page)
    for k, nid in enumerate(net.ids):
        key = "x" if nid == "A" else "z"
        assert number(texts[f"n{k}"], key) == pytest.approx(float(trace.z_of(nid)[0]), rel=1e-3)
    go_to(page, "Backpropagation", wait_idle)
    click_step(page, "bwd", "end", wait_idle)
    grads = nnviz.backward(net, trace, [1.0])
    assert number(node_texts(page)["n1"], "∂a") == pytest.approx(float(grads.dl_da_of("B")[0]), rel=1e-3)
    assert_healthy(page)


def test_hostile_ids_stay_text_in_graphs_equations_and_menus(page, open_app, wait_idle, assert_healthy, tmp_path):
    ids = ["$\\def\\x{1}$", "<img src=x onerror=alert(1)>", "[y](javascript:alert(1))"]
    doc = {
        "format": "nnviz.network/1",
        "neurons": [
            {"id": ids[0], "role": "input"},
            {"id": ids[1], "role": "hidden", "activation": "tanh"},
            {"id": ids[2], "role": "output", "activation": "identity"},
        ],
        "edges": [{"from": ids[0], "to": ids[1], "weight": 0.5}, {"from": ids[1], "to": ids[2], "weight": 2.0}],
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc))
    open_app(page)
    page.locator("[data-testid=stMain] [data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_idle(page)
    for title, prefix in (("Forward pass", "fwd"), ("Backpropagation", "bwd")):
        go_to(page, title, wait_idle)
        click_step(page, prefix, "end", wait_idle)
        for nid in ids:
            page.locator(f".st-key-{prefix}_neuron input").click()
            page.get_by_role("option", name=re.compile(re.escape(nid))).first.click()
            wait_idle(page)
            assert page.locator(".katex-error").count() == 0, nid
        main = page.locator("[data-testid=stMain]")
        assert main.locator("img[src=x]").count() == 0
        assert main.locator("a[href^=javascript]").count() == 0
        assert page.locator(GRAPH + " g.node text").filter(has_text="<img").count() >= 1  # drawn as text
        assert_healthy(page)
