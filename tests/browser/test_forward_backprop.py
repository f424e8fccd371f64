"""Browser: the live graph of the Forward pass and Backpropagation pages in Debian's chromium.

The numbers are read back from the drawn SVG (what a learner sees), frame by
frame, and compared with nnviz.forward / nnviz.backward at the same input;
clicks on neurons and edges, the weight slider, the arrow keys and Play are
driven as a user would.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

import nnviz
from nnviz import presets
from nnviz.app.animation import backward_frames, forward_frames

LIVE = ".nnv-live"
COUNTER = LIVE + " .nnv-counter"


def go_to(page, title: str, wait_idle) -> None:
    """Open a page from the sidebar navigation and wait for the live graph."""
    page.locator("[data-testid=stSidebarNav]").get_by_text(title, exact=True).click()
    wait_idle(page)
    page.wait_for_selector(LIVE + " .nnv-neuron")


def step_label(page) -> str:
    return page.locator(COUNTER).inner_text()


def press(page, name: str, wait_idle) -> None:
    """Click a toolbar button of the live graph; wait for the counter to move and the page to settle."""
    before = step_label(page)
    page.locator(f"{LIVE} .nnv-{name}").click()
    page.wait_for_function("([sel, old]) => document.querySelector(sel).textContent !== old", arg=[COUNTER, before])
    wait_idle(page)


NEURONS_JS = """() => Object.fromEntries([...document.querySelectorAll('.nnv-live .nnv-neuron')].map(g =>
    [g.dataset.id, [...g.querySelectorAll('.nnv-value')].map(t => t.textContent).filter(Boolean).join('\\n')]))"""
EDGES_JS = """() => Object.fromEntries([...document.querySelectorAll('.nnv-live .nnv-elabel')].filter(g =>
    g.style.display !== 'none').map(g => [g.dataset.edge, [...g.querySelectorAll('text')].map(t =>
    t.textContent).filter(Boolean).join('\\n')]))"""


def neuron_texts(page) -> dict[str, str]:
    """Neuron id -> the numbers drawn inside it, one per line."""
    return page.evaluate(NEURONS_JS)


def edge_texts(page) -> dict[int, str]:
    """Edge index (net.edges order) -> its visible label's lines."""
    return {int(k): v for k, v in page.evaluate(EDGES_JS).items()}


def number(text: str, key: str) -> float | None:
    m = re.search(rf"(?:^|\n){re.escape(key)}=([-\d.e]+)", text)
    return float(m.group(1)) if m else None


def close(value: float | None, expected: float) -> bool:
    return value is not None and value == pytest.approx(expected, rel=1e-3, abs=1e-4)


def check_forward_frame(page, net, trace, anim, k: int) -> None:
    """Every number on forward frame ``k`` is the engine's, and exactly the revealed ones are shown."""
    texts, edges = neuron_texts(page), edge_texts(page)
    for i, n in enumerate(net.neurons):
        z_key = "x" if n.role == "input" else "z"
        shown_z = anim.reveal["z"].get(n.id, 99) <= k
        assert close(number(texts[n.id], z_key), float(trace.z[0, i])) if shown_z else z_key + "=" not in texts[n.id]
        if n.computes and anim.reveal["a"].get(n.id, 99) <= k:
            assert close(number(texts[n.id], "a"), float(trace.a[0, i])), (k, n.id)
    for j, (s, d) in enumerate(net.edges):
        w = float(net.weights[j])
        assert close(number(edges[j], "w"), w), (k, s, d)
        if anim.reveal["product"].get((s, d), 99) <= k:
            assert close(number(edges[j], "w·z"), w * float(trace.z_of(s)[0])), (k, s, d)
        else:
            assert "w·z=" not in edges[j]


def test_every_forward_frame_shows_the_engines_numbers(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    net = presets.paper_network()
    trace, anim = nnviz.forward(net, [0.5]), forward_frames(net)
    assert step_label(page) == "Step 1 of 7"
    for k in range(len(anim)):
        assert step_label(page) == f"Step {k + 1} of 7"
        assert page.locator(LIVE + " .nnv-caption").inner_text() == anim.frames[k].title  # caption agrees
        check_forward_frame(page, net, trace, anim, k)
        active = page.evaluate("() => [...document.querySelectorAll('.nnv-neuron.nnv-active')].map(g => g.dataset.id)")
        assert sorted(active) == sorted(anim.frames[k].active_neurons)
        if k < len(anim) - 1:
            press(page, "next", wait_idle)
    assert page.locator(LIVE + " .nnv-next").is_disabled()
    assert page.locator(".katex-error").count() == 0
    assert_healthy(page)


def test_every_backward_frame_shows_the_engines_gradients(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Backpropagation", wait_idle)
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads, anim = nnviz.backward(net, trace, [1.0]), backward_frames(net)
    for k in range(len(anim)):
        texts, edges = neuron_texts(page), edge_texts(page)
        for i, n in enumerate(net.neurons):
            if n.computes and anim.reveal["dl_da"].get(n.id, 99) <= k:
                assert close(number(texts[n.id], "∂a"), float(grads.dl_da[0, i])), (k, n.id)
                assert close(number(texts[n.id], "∂z"), float(grads.dl_dz[0, i])), (k, n.id)
            else:
                assert "∂a=" not in texts[n.id]
        for j, e in enumerate(net.edges):
            if anim.reveal["dl_dw"].get(e, 99) <= k:
                assert close(number(edges[j], "∂w"), float(grads.dl_dw[j])), (k, e)
        if k < len(anim) - 1:
            press(page, "next", wait_idle)
    press(page, "reset", wait_idle)
    assert step_label(page) == "Step 1 of 7"
    assert_healthy(page)


def test_arrow_keys_step_but_not_while_typing(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    page.locator("[data-testid=stMain] h1").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(sel) => document.querySelector(sel).textContent === 'Step 2 of 7'", arg=COUNTER)
    wait_idle(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(sel) => document.querySelector(sel).textContent === 'Step 3 of 7'", arg=COUNTER)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("(sel) => document.querySelector(sel).textContent === 'Step 2 of 7'", arg=COUNTER)
    wait_idle(page)
    slider = page.locator(".st-key-fwd_xs_0 input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")  # moves the input slider, not the animation
    wait_idle(page)
    assert slider.get_attribute("value") == "0.51"
    assert step_label(page) == "Step 2 of 7"  # a rerun (new x) keeps the frame
    assert_healthy(page)


def test_play_runs_in_the_browser_and_stops_at_the_end(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    page.locator(LIVE + " .nnv-speed").select_option("0.25")
    page.locator(LIVE + " .nnv-play").click()
    page.wait_for_function("(sel) => document.querySelector(sel).textContent === 'Step 7 of 7'", arg=COUNTER)
    page.wait_for_function("() => document.querySelector('.nnv-live .nnv-play').textContent.includes('Play')")
    wait_idle(page)
    assert step_label(page) == "Step 7 of 7"  # the reported step survives the rerun
    assert_healthy(page)


def test_a_click_on_a_neuron_selects_it_on_both_pages(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    trace = nnviz.forward(presets.paper_network(), [0.5])
    page.locator(LIVE + ' .nnv-neuron[data-id="3"] .nnv-body').hover()  # hover: the values in full
    tip = page.locator(LIVE + " .nnv-tip")
    expect(tip).to_be_visible()
    assert f"a = {float(trace.a_of('3')[0]):.6g}" in tip.inner_text()
    assert f"z = {float(trace.z_of('3')[0]):.6g}" in tip.inner_text()
    page.locator(LIVE + ' .nnv-neuron[data-id="3"] .nnv-body').click()
    expect(page.locator(".st-key-fwd_neuron input")).to_have_value("neuron 3 (hidden)")
    wait_idle(page)
    assert page.locator(LIVE + ' .nnv-neuron[data-id="3"]').get_attribute("class").count("nnv-selected") == 1
    assert page.locator(".katex").filter(has_text="z3").count() >= 1
    go_to(page, "Backpropagation", wait_idle)
    expect(page.locator(".st-key-bwd_neuron input")).to_have_value("neuron 3 (hidden)")
    assert "nnv-selected" in page.locator(LIVE + ' .nnv-neuron[data-id="3"]').get_attribute("class")
    assert_healthy(page)


def test_a_click_on_an_edge_gives_a_slider_that_changes_f_exactly(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    net = presets.paper_network()
    j = net.edge_index[("6", "9")]
    press(page, "end", wait_idle)  # f(x) shows on the bar once the pass reaches the output
    page.locator(f'{LIVE} .nnv-edge[data-edge="{j}"] .nnv-hit').click(force=True)
    slider = page.locator(".st-key-live_fwd_weight input[type=range]")
    expect(slider).to_have_attribute("value", "1.3")
    wait_idle(page)
    link = page.url
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("value", "1.31")
    wait_idle(page)
    # The edit reruns only the part of the page that follows the weights; the share link follows too.
    page.wait_for_function("(old) => location.href !== old && location.search.includes('net=')", arg=link)
    changed = net.with_weights([*net.weights[:j], 1.31, *net.weights[j + 1 :]])
    f = float(nnviz.forward(changed, [0.5]).output[0, 0])
    assert close(number(edge_texts(page)[j], "w"), 1.31)
    end = page.locator(f"{LIVE} .nnv-end")
    if end.is_enabled():  # f(x) shows once the pass reaches the output (the last frame)
        end.click()
    expect(page.locator(f"{LIVE} .nnv-output")).to_have_text(f"f(x) = {f:.6g}")
    assert_healthy(page)


def test_one_picture_per_hidden_and_output_neuron_and_the_toggle(page, open_app, wait_idle, assert_healthy):
    open_app(page)
    go_to(page, "Forward pass", wait_idle)
    net = presets.paper_network()
    computing = sum(n.computes for n in net.neurons)
    assert page.locator(LIVE + " .nnv-pic").count() == computing == 5
    assert page.locator(LIVE + " .nnv-pic polyline").count() == computing  # one input: curves
    page.locator(".st-key-fwd_pictures label").click()
    wait_idle(page)
    assert page.locator(LIVE + " .nnv-pic").count() == 0
    go_to(page, "Backpropagation", wait_idle)  # the choice is kept on the other page
    assert page.locator(LIVE + " .nnv-pic").count() == 0
    assert_healthy(page)


def test_two_inputs_draw_heatmaps_and_a_legend(page, open_app, wait_idle, assert_healthy, tmp_path):
    net = presets.layered([2, 3, 1], seed=2)
    path = tmp_path / "two.json"
    path.write_text(nnviz.to_json(net))
    open_app(page)
    page.locator("[data-testid=stMain] [data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    wait_idle(page)
    go_to(page, "Forward pass", wait_idle)
    assert page.locator(LIVE + " .nnv-pic image").count() == sum(n.computes for n in net.neurons) == 4
    assert page.locator(LIVE + " .nnv-colourbar").count() == 1
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
    press(page, "end", wait_idle)
    trace = nnviz.forward(net, [0.5])
    texts = neuron_texts(page)
    for nid in net.ids:
        assert close(number(texts[nid], "x" if nid == "A" else "z"), float(trace.z_of(nid)[0]))
    assert page.locator(LIVE + " .nnv-edge path.nnv-line[d*='Q']").count() == 1  # the skip edge A->C curves
    go_to(page, "Backpropagation", wait_idle)
    press(page, "end", wait_idle)
    grads = nnviz.backward(net, trace, [1.0])
    assert close(number(neuron_texts(page)["B"], "∂a"), float(grads.dl_da_of("B")[0]))
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
        press(page, "end", wait_idle)
        for k, nid in enumerate(ids):
            page.locator(f'{LIVE} .nnv-neuron[data-index="{k}"] .nnv-body').click()
            expect(page.locator(f".st-key-{prefix}_neuron input")).to_have_value(re.compile(re.escape(nid)))
            wait_idle(page)
            assert page.locator(".katex-error").count() == 0, nid
        main = page.locator("[data-testid=stMain]")
        assert main.locator("img[src=x]").count() == 0
        assert main.locator("a[href^=javascript]").count() == 0
        assert page.locator(LIVE + " .nnv-title").filter(has_text="<img").count() == 1  # drawn as text
        assert_healthy(page)


def test_an_sgd_step_keeps_the_link_and_an_open_weight_editor_current(page, open_app, wait_idle, assert_healthy):
    """The step reruns only the page's fragment; the share link and the sidebar's open editor still follow."""
    open_app(page)
    go_to(page, "Backpropagation", wait_idle)
    side = page.locator("[data-testid=stSidebar]")
    side.get_by_text("Edit weights").click()
    wait_idle(page)
    link = page.url
    page.get_by_role("button", name="Take one SGD step").click()
    wait_idle(page)
    page.wait_for_function("(old) => location.href !== old && location.search.includes('net=')", arg=link)
    assert "Last change: one SGD step" in side.inner_text()  # the sidebar ran again
    assert_healthy(page)


#: Every pair of edge labels on the live graph that cover one another: [label, label, overlap w, overlap h] in px.
LABEL_OVERLAPS_JS = """() => {
  const boxes = [...document.querySelectorAll('[data-testid=stMain] svg.nnv-svg .nnv-elabel')]
    .filter((g) => g.checkVisibility() && g.textContent.trim())
    .map((g) => [g.textContent.trim(), g.getBoundingClientRect()]);
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i][1], b = boxes[j][1];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 0.5 && h > 0.5) out.push([boxes[i][0], boxes[j][0], Math.round(w), Math.round(h)]);
    }
  }
  return [boxes.length, out];
}"""


def test_edge_labels_never_cover_one_another_at_any_frame(page, open_app, wait_idle, assert_healthy):
    """Issue 25.7: on the paper's network, presenting at 1280x720 and not at 1440x900, on both passes, at every
    frame of the animation, no edge label covers another ("w=0.9" piled on "w=0.2" where 4->7 crosses 5->6)."""
    for query, size in (("?present=1", (1280, 720)), ("", (1440, 900))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        for path in ("forward", "backprop"):
            open_app(page, query, path=path)
            counter = page.locator("[data-testid=stMain] .nnv-counter").first
            reset = page.locator("[data-testid=stMain] button.nnv-btn.nnv-reset").first
            if not reset.is_disabled():
                reset.click()
            expect(counter).to_have_text(re.compile(r"^Step 1 of \d+$"))
            frames = int(counter.inner_text().rsplit(" ", 1)[1])
            for k in range(frames):
                if k:
                    page.locator("[data-testid=stMain] button.nnv-btn.nnv-next").first.click()
                    expect(counter).to_have_text(f"Step {k + 1} of {frames}")
                shown, overlaps = page.evaluate(LABEL_OVERLAPS_JS)
                assert shown >= 12, (query, path, k, shown)  # every weight of the paper's network is labelled
                assert not overlaps, f"{path}{query}, frame {k + 1}: labels cover one another: {overlaps}"
            assert_healthy(page)


STEP_PANEL = "[data-testid=stMain] .nnv-live .nnv-eq"


def test_the_current_steps_equation_sits_beside_the_graph_and_follows_it(page, open_app, wait_idle, assert_healthy):
    """Issue 25.8: at 1440x900 (and presenting at 1280x720), the panel beside the graph shows the equations of
    the step being drawn, with the engine's numbers, on screen without scrolling; it changes with the step.
    Presenting, it follows the step below the graph when beside it would shrink the graph's type (issue 25.6)."""
    net = presets.paper_network()
    trace = nnviz.forward(net, [0.5])
    grads = nnviz.backward(net, trace, [1.0])
    a6, dz6, da6 = (f"{v:.4g}".replace("-", "−") for v in (trace.a[0, 5], grads.dl_dz[0, 5], grads.dl_da[0, 5]))
    expected = {  # path -> frame index -> what the panel must say (the engine's numbers, 4 digits)
        "forward": {0: ["z_1 = x_1 = 0.5"], 3: ["a_6 = Σ w_i6·z_i = 1.5·", f"= {a6}"], 6: ["z_9 = σ(a_9)"]},
        "backprop": {2: ["∂l/∂z_6 = ∂l/∂a_9·w_6,9 = ", f"= {dz6}", "·σ'(a_6) = ", f"= {da6}"]},
    }
    for query, size in (("", (1440, 900)), ("?present=1", (1280, 720))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        for path, steps in expected.items():
            open_app(page, query, path=path)
            counter = page.locator("[data-testid=stMain] .nnv-counter").first
            expect(counter).to_have_text(re.compile(r"^Step \d+ of 7$"))
            reset = page.locator("[data-testid=stMain] button.nnv-btn.nnv-reset").first
            if not reset.is_disabled():
                reset.click()
            expect(counter).to_have_text("Step 1 of 7")
            for k in range(7):
                if k:
                    page.locator("[data-testid=stMain] button.nnv-btn.nnv-next").first.click()
                    expect(counter).to_have_text(f"Step {k + 1} of 7")
                if k not in steps:
                    continue
                text = page.locator(STEP_PANEL).inner_text()
                for part in steps[k]:
                    assert part in text, (query, path, k, part, text)
                if query:
                    continue
                box = page.locator(STEP_PANEL).bounding_box()
                assert box and box["y"] >= 0 and box["y"] + box["height"] <= size[1] + 1, (query, path, k, box)
                assert box["x"] >= 0 and box["x"] + box["width"] <= size[0], (query, path, k, box)
            assert_healthy(page)
