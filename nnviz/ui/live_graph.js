// The live graph: draws the network as SVG from the data nnviz.app.live_graph computed, steps and plays
// the animation in the browser, shows values on hover, and reports clicks and finished steps to Python.
// Safety: every piece of user text (neuron ids) goes in with textContent or setAttribute, never innerHTML.
// Uses el, html, drawPicture and drawLegend from live_graph_draw.js (joined before this file).

const memory = new Map(); // component key -> {sig, step, seq, playing, root}: survives the reruns' redraws
const EDGE_LABELS_MAX = 12; // a step with more edges than this labels only those of the selected neuron (hover shows all)

// ----- the toolbar, caption and stage ------------------------------------------------------------------
function buildChrome(root, data) {
  const bar = html("div", "nnv-bar", root);
  const buttons = {};
  for (const [act, label, hint] of [["reset", "« Reset", "First step"], ["back", "◀ Back", "Previous step (←)"],
    ["play", "▶ Play", "Play the steps"], ["next", "Next ▶", "Next step (→)"], ["end", "End »", "Last step"]]) {
    const b = html("button", "nnv-btn nnv-" + act, bar, label);
    b.type = "button";
    b.title = hint;
    b.dataset.act = act;
    buttons[act] = b;
  }
  const speed = html("select", "nnv-speed", bar);
  speed.setAttribute("aria-label", "Speed");
  for (const s of data.graph.speeds) {
    const o = html("option", null, speed, `${s} s per step`);
    o.value = String(s);
  }
  speed.value = String(data.speed);
  const counter = html("span", "nnv-counter", bar);
  const output = html("span", "nnv-output", bar);
  const caption = html("p", "nnv-caption", root);
  const row = html("div", "nnv-row", root); // the graph, and beside it this step's equations
  const stage = html("div", "nnv-stage", row);
  const svg = el("svg", { class: "nnv-svg", role: "img" }, stage);
  const tip = html("div", "nnv-tip", stage);
  const eq = buildEquations(row, data); // live_graph_draw.js
  const legend = html("div", "nnv-legend", root);
  return { bar, buttons, speed, counter, output, caption, stage, svg, tip, eq, legend };
}

function arrowMarker(defs, cache, colour, prefix, size) {
  if (cache.has(colour)) return cache.get(colour);
  const id = `${prefix}-arrow-${cache.size}`;
  const m = el("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: size, markerHeight: size,
    orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" }, defs);
  el("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }, m);
  cache.set(colour, `url(#${id})`);
  return cache.get(colour);
}

// ----- drawing the network once -------------------------------------------------------------------------
function drawBoxes(g, data) {
  const f = data.graph.fonts;
  for (const b of data.graph.boxes) {
    el("rect", { x: b.x, y: b.y, width: b.w, height: b.h, class: "nnv-box", stroke: data.graph.colours.box }, g);
    const t = el("text", { x: b.x + b.w / 2, y: b.y - 8, class: "nnv-box-label", fill: data.graph.colours.box,
      "font-size": Math.max(f.edge, 11) }, g);
    t.textContent = b.label;
  }
}

function drawEdges(gEdges, gLabels, data, view) {
  const { graph } = data;
  const defs = el("defs", {}, view.svg);
  const cache = new Map();
  view.edges = graph.edges.map((e, i) => {
    const g = el("g", { class: "nnv-edge", "data-edge": i, "data-src": graph.neurons[e.s].id,
      "data-dst": graph.neurons[e.d].id }, gEdges);
    const halo = el("path", { d: e.path, class: "nnv-halo", stroke: graph.colours.halo,
      "stroke-width": e.width + 10 }, g);
    const line = el("path", { d: e.path, class: "nnv-line", "stroke-width": e.width }, g);
    const hit = el("path", { d: e.path, class: "nnv-hit", "stroke-width": Math.max(e.width + 8, 12) }, g);
    const label = el("g", { class: "nnv-elabel", "data-edge": i }, gLabels);
    const bg = el("rect", { class: "nnv-elabel-bg", fill: graph.colours.label_bg }, label);
    const texts = [0, 1].map((k) => el("text", { x: e.lx, y: e.ly + (k - 0.5) * graph.fonts.edge * 1.15 + 4,
      "font-size": graph.fonts.edge, class: "nnv-etext", fill: graph.colours.text }, label));
    return { e, g, halo, line, hit, label, bg, texts, marker: (c) => arrowMarker(defs, cache, c, view.prefix, graph.radius < 15 ? 6 : 13) };
  });
}

function drawNeuron(g, n, i, data, view) {
  const { graph } = data;
  const r = graph.radius;
  const ng = el("g", { class: "nnv-neuron", "data-id": n.id, "data-index": i, "data-role": n.role }, g);
  const halo = el("circle", { cx: n.x, cy: n.y, r: r + 5, class: "nnv-nhalo", stroke: graph.colours.halo }, ng);
  const ring = el("circle", { cx: n.x, cy: n.y, r: r + 5, class: "nnv-ring" }, ng);
  const body = el("circle", { cx: n.x, cy: n.y, r, class: "nnv-body", stroke: n.border, fill: n.fill }, ng);
  const title = el("text", { x: n.x, class: "nnv-title", "font-size": graph.fonts.title, fill: graph.colours.text }, ng);
  title.textContent = graph.compact && r < 12 ? "" : n.title;
  const lines = [0, 1, 2].map(() => el("text", { x: n.x, class: "nnv-value", "font-size": graph.fonts.value,
    fill: graph.colours.text }, ng));
  const pic = graph.pictures ? drawPicture(ng, n, i, data) : null;
  return { n, g: ng, halo, ring, body, title, lines, pic };
}

// ----- one frame ----------------------------------------------------------------------------------------
function neuronLines(n, i, k, data) {
  const rv = data.graph.reveal, L = n.lines, out = [];
  if (data.graph.mode === "structure") return out; // the Network page: names only, no values
  if (data.graph.mode === "forward") {
    if (rv.a[i] <= k) out.push(L.a);
    if (rv.z[i] <= k) out.push(L.z);
    return out;
  }
  if (rv.da[i] <= k) return [L.da, L.dz]; // z stays in the tooltip and the panel: two lines keep the type large
  return [L.z];
}

function placeNeuronText(v, texts, data) {
  const { fonts, radius, compact } = data.graph;
  const shown = compact || !fonts.value ? [] : texts.slice(0, radius >= 30 ? 3 : radius >= 20 ? 2 : 0);
  const h = fonts.title + shown.length * fonts.value * 1.12;
  let y = v.n.y - h / 2 + fonts.title * 0.8;
  setAttr(v.title, "y", y);
  v.lines.forEach((t, k) => {
    setText(t, shown[k] || ""); // live_graph_inplace.js
    if (shown[k]) y += fonts.value * 1.12;
    setAttr(t, "y", y - 0.08 * fonts.value);
  });
}

function edgeSecond(e, j, k, frame, data) {
  const rv = data.graph.reveal;
  if (data.graph.mode === "structure") return "";
  if (data.graph.mode === "forward") return rv.p[j] <= k ? e.lines.p : "";
  if (rv.dw[j] <= k) return e.lines.dw;
  if ((frame.kind === "output_grad" || frame.kind === "grad") && frame.edges.includes(j)) return e.lines.wda;
  return "";
}

function applyFrame(view, data, st) {
  const { graph } = data, k = st.step, frame = graph.frames[k], n = graph.frames.length;
  if (graph.replay) replayFrame(view, data, st); // a training replay: this epoch's weights and pictures
  const activeN = new Set(frame.neurons), activeE = new Set(frame.edges);
  view.neurons.forEach((v, i) => {
    const texts = neuronLines(v.n, i, k, data);
    placeNeuronText(v, texts, data);
    let fill = v.n.fill;
    if (graph.mode === "forward" && texts.length === 0) fill = graph.colours.unreached;
    if (graph.mode === "backward" && graph.reveal.da[i] <= k && v.n.gfill) fill = v.n.gfill;
    setAttr(v.body, "fill", fill); // live_graph_inplace.js: written only when it changes
    v.g.classList.toggle("nnv-active", activeN.has(i));
    v.g.classList.toggle("nnv-selected", st.selected.neuron === i);
  });
  const sel = st.selected.neuron;
  const many = activeE.size > EDGE_LABELS_MAX;
  view.edges.forEach((v, j) => {
    const e = v.e, active = activeE.has(j);
    const colour = graph.mode === "backward" && graph.reveal.dw[j] <= k && e.gcolor ? e.gcolor : e.color;
    setAttr(v.line, "stroke", colour);
    setAttr(v.line, "marker-end", v.marker(colour));
    v.g.classList.toggle("nnv-active", active);
    v.g.classList.toggle("nnv-selected", st.selected.edge === j);
    const touchesSel = sel !== null && (e.s === sel || e.d === sel);
    const show = graph.all_labels || st.selected.edge === j || (active && (!many || touchesSel));
    setEdgeLabel(v, show ? [e.lines.w, edgeSecond(e, j, k, frame, data)] : null, data);
  });
  view.counter.textContent = `Step ${k + 1} of ${n}`;
  const reached = k >= graph.output.from; // f(x) is not given away before the pass reaches the output
  view.output.textContent = reached ? graph.output.text : "f(x) = ?";
  view.output.classList.toggle("nnv-pending", !reached);
  view.caption.textContent = frame.caption;
  showEquations(view.eq, graph.equations && graph.equations[k]); // live_graph_draw.js
  view.buttons.reset.disabled = k === 0 && !st.playing;
  view.buttons.back.disabled = k === 0;
  view.buttons.next.disabled = k >= n - 1;
  view.buttons.end.disabled = k >= n - 1;
  view.buttons.play.textContent = st.playing ? "⏸ Pause" : "▶ Play";
  view.root.dataset.step = String(k);
  a11yFrame(view, data, st); // live_graph_keys.js: the names follow the frame
}

function setEdgeLabel(v, lines, data) {
  v.label.style.display = lines ? "" : "none";
  if (!lines) return;
  const f = data.graph.fonts.edge, shown = lines.filter(Boolean);
  v.texts.forEach((t, k) => { t.textContent = lines[k] || ""; });
  const w = Math.max(...shown.map((s) => s.length)) * f * 0.58 + 8, h = shown.length * f * 1.15 + 4;
  const top = v.e.ly - 1.15 * f * 0.5 - f * 0.82 + 4;
  v.bg.setAttribute("x", v.e.lx - w / 2);
  v.bg.setAttribute("y", top - 2);
  v.bg.setAttribute("width", w);
  v.bg.setAttribute("height", h);
}

// ----- sizing -------------------------------------------------------------------------------------------
function scrollTopOf(node) {
  for (let p = node.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if ((o === "auto" || o === "scroll") && p.scrollHeight > p.clientHeight) return p.scrollTop;
  }
  return window.scrollY;
}

function fit(view, data) {
  const [W, H] = data.graph.size;
  const top = view.stage.getBoundingClientRect().top + scrollTopOf(view.stage);
  // The whole graph on screen, from where it starts (a replay, far down the Training page: one screen's height).
  const full = data.graph.replay ? window.innerHeight - 140 : window.innerHeight - top - 12;
  const [availW, room] = placeEquations(view, data, W, H, full); // live_graph_draw.js: beside the graph or below it
  const scale = data.graph.narrow ? narrowScale(data, availW) : Math.min(availW / W, Math.max(room, 260) / H, 1.3);
  view.svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  view.svg.setAttribute("width", (W * scale).toFixed(0));
  view.svg.setAttribute("height", (H * scale).toFixed(0));
  view.root.dataset.scale = scale.toFixed(3);
}

// ----- interaction --------------------------------------------------------------------------------------
function showTip(view, lines, evt) {
  view.tip.textContent = lines.join("\n");
  const box = view.stage.getBoundingClientRect();
  view.tip.style.left = `${evt.clientX - box.left + 14}px`;
  view.tip.style.top = `${evt.clientY - box.top + 14}px`;
  view.tip.style.display = "block";
}

function wire(view, data, st, ctl) {
  view.neurons.forEach((v, i) => {
    v.g.addEventListener("mousemove", (evt) => showTip(view, v.n.tip, evt));
    v.g.addEventListener("mouseleave", () => { view.tip.style.display = "none"; });
    v.g.addEventListener("click", () => ctl.select("neuron", i));
  });
  view.edges.forEach((v, j) => {
    v.hit.addEventListener("mousemove", (evt) => showTip(view, v.e.tip, evt));
    v.hit.addEventListener("mouseleave", () => { view.tip.style.display = "none"; });
    v.hit.addEventListener("click", () => ctl.select("edge", j));
  });
  for (const [act, b] of Object.entries(view.buttons)) b.addEventListener("click", () => ctl.act(act));
  view.speed.addEventListener("change", () => { st.speed = Number(view.speed.value); if (st.playing) ctl.restart(); });
}

function typing(target) {
  return !!(target && target.closest && target.closest("input, textarea, select, [role=slider], [contenteditable=true]"));
}

function controller(view, data, st, send) {
  const n = data.graph.frames.length;
  const ctl = {};
  const go = (k) => { st.step = Math.min(Math.max(k, 0), n - 1); applyFrame(view, data, st); };
  ctl.stop = (report) => {
    clearInterval(st.timer);
    st.timer = null;
    st.playing = false;
    applyFrame(view, data, st);
    if (report) send.step();
  };
  ctl.restart = () => {
    clearInterval(st.timer);
    st.timer = setInterval(() => {
      if (st.step >= n - 1) return ctl.stop(true);
      go(st.step + 1);
      if (st.step >= n - 1) ctl.stop(true);
    }, st.speed * 1000);
  };
  ctl.act = (act) => {
    if (act === "play") {
      if (st.playing) return ctl.stop(true);
      st.seq += 1; // keep the local frame while playing, whatever a rerun brings
      st.playing = true;
      if (st.step >= n - 1) st.step = 0;
      applyFrame(view, data, st);
      return ctl.restart();
    }
    if (st.playing) ctl.stop(false);
    const target = { reset: 0, back: st.step - 1, next: st.step + 1, end: n - 1 }[act];
    if (Math.min(Math.max(target, 0), n - 1) === st.step) return applyFrame(view, data, st);
    go(target);
    send.step();
  };
  ctl.select = (kind, index) => {
    st.selected = kind === "neuron" ? { neuron: index, edge: null } : { neuron: null, edge: index };
    applyFrame(view, data, st);
    send.select(kind, index);
  };
  ctl.key = (evt) => {
    if (data.graph.mode === "structure") return; // nothing to step: the keys keep scrolling the page
    if (evt.defaultPrevented || evt.altKey || evt.ctrlKey || evt.metaKey || typing(evt.target)) return;
    if (!view.root.isConnected || !view.root.checkVisibility()) return;
    if (evt.key === "ArrowRight") ctl.act("next");
    else if (evt.key === "ArrowLeft") ctl.act("back");
    else return;
    evt.preventDefault();
  };
  return ctl;
}

// ----- entry point --------------------------------------------------------------------------------------
// Streamlit calls the default export on every rerun that changes the data. A rerun that only acknowledges a
// step or a selection (same drawing) keeps the DOM and just syncs the state, so a step costs no redraw.
function restore(key, data, parent) {
  // Python's step wins unless this same drawing has a newer local one (sent but not yet acknowledged, or playing).
  const old = memory.get(key)?.st;
  const same = !!old && old.sig === data.graph.sig && old.root === parent;
  const playing = same && old.playing;
  const st = {
    sig: data.graph.sig,
    root: parent,
    step: same && (playing || data.ack < old.seq) ? old.step : data.step,
    seq: Math.max(old ? old.seq : 0, data.ack),
    playing,
    speed: same ? old.speed : data.speed,
    selected: { neuron: data.selected.neuron, edge: data.selected.edge },
    timer: null,
  };
  st.step = Math.min(Math.max(st.step, 0), data.graph.frames.length - 1);
  return st;
}

function build(key, data, parent, gkey) {
  data = narrowData(data, parent); // live_graph_narrow.js: top to bottom on a narrow screen
  const st = restore(key, data, parent);
  if (data.graph.replay) replayPrepare(data);
  const root = html("div", `nnv-live nnv-${data.graph.mode}` + (data.present ? " nnv-present" : ""), null);
  root.dataset.testid = "nnvLiveGraph";
  const view = { root, prefix: `nnv${String(key).replace(/[^A-Za-z0-9_-]/g, "")}`, ...buildChrome(root, data) };
  view.speed.value = String(st.speed);
  const gBoxes = el("g", { class: "nnv-boxes" }, view.svg), gEdges = el("g", { class: "nnv-edges" }, view.svg);
  const gNeurons = el("g", { class: "nnv-neurons" }, view.svg), gLabels = el("g", { class: "nnv-labels" }, view.svg);
  drawBoxes(gBoxes, data);
  drawEdges(gEdges, gLabels, data, view);
  view.neurons = data.graph.neurons.map((n, i) => drawNeuron(gNeurons, n, i, data, view));
  drawLegend(view, data);
  if (data.graph.replay) replayChrome(view, data);
  for (const old of parent.querySelectorAll(":scope > .nnv-live")) old.remove(); // keep Streamlit's <style>
  parent.appendChild(root);
  const m = { st, view, gkey, data, setters: null };
  const send = { // always through the newest setters Streamlit gave
    step: () => { st.seq += 1; m.setters.setStateValue("step", { step: st.step, seq: st.seq }); },
    select: (kind, index) => {
      st.seq += 1;
      m.setters.setTriggerValue("select", { kind, index, step: st.step, seq: st.seq });
    },
  };
  m.ctl = controller(view, data, st, send);
  wire(view, data, st, m.ctl);
  a11yBuild(view, data, st, m.ctl); // live_graph_keys.js: names, keys, live region, reduced motion
  memory.set(key, m);
  return m;
}

function sync(m, data) {
  const st = m.st;
  if (!st.playing && data.ack >= st.seq) {
    st.step = Math.min(Math.max(data.step, 0), data.graph.frames.length - 1);
    st.selected = { neuron: data.selected.neuron, edge: data.selected.edge };
  }
  st.seq = Math.max(st.seq, data.ack);
}

// The Training page's playground (data.inPlace) redraws the same still drawing with new weights several times
// a second: when only the weights changed, update the edges' widths and colours, the pictures and the legend in
// place instead of building the SVG anew.
function refresh(m, data) {
  const a = m.data.graph, b = data.graph;
  const same = a.sig === b.sig && b.mode === "structure" && a.size.join() === b.size.join()
    && !!a.pictures === !!b.pictures && a.picture === b.picture && m.data.present === data.present;
  if (!same) return false;
  m.view.edges.forEach((v, j) => { // live_graph_inplace.js: setAttr, repaintPictureInPlace, refreshLegend
    v.e = b.edges[j];
    setAttr(v.line, "stroke-width", v.e.width);
    setAttr(v.halo, "stroke-width", v.e.width + 10);
  });
  m.view.neurons.forEach((v, i) => {
    v.n = b.neurons[i];
    if (b.pictures && repaintPictureInPlace(v.pic, b.pictures, i)) return;
    if (v.pic) v.pic.remove();
    v.pic = b.pictures ? drawPicture(v.g, v.n, i, data) : null;
  });
  refreshLegend(m.view, data);
  m.data = data;
  return true;
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue, key } = component;
  const gkey = JSON.stringify(data.graph) + (data.present ? "|present" : "");
  let m = memory.get(key);
  const here = m && m.st.root === parentElement && m.view.root.isConnected;
  if (here && m.gkey === gkey) sync(m, data);
  else if (here && data.inPlace && refresh(m, data)) { m.gkey = gkey; m.inPlace = true; sync(m, data); }
  else m = build(key, data, parentElement, gkey);
  m.setters = { setStateValue, setTriggerValue };
  const { st, view, ctl } = m;
  applyFrame(view, m.data, st);
  if (!m.inPlace) fit(view, m.data); // in place: same size (a resize or the page's height still fit it below)
  m.inPlace = false;
  if (st.playing && !st.timer) ctl.restart();
  const onResize = () => fit(view, m.data);
  window.addEventListener("resize", onResize);
  // What is above the graph can finish drawing after it (equations, charts): fit again when the page's
  // height changes. fit() depends only on where the graph starts, so this settles after one more call.
  const page = document.querySelector("[data-testid=stMainBlockContainer]");
  const watch = page && typeof ResizeObserver !== "undefined" ? new ResizeObserver(onResize) : null;
  if (watch) watch.observe(page);
  document.addEventListener("keydown", ctl.key);
  const unlink = m.data.graph.replay ? replayLink(view, m.data, st, () => applyFrame(view, m.data, st)) : null;
  return () => {
    if (unlink) unlink();
    clearInterval(st.timer); // a rerun's call restarts it while playing; leaving the page stops it
    st.timer = null;
    window.removeEventListener("resize", onResize);
    if (watch) watch.disconnect();
    document.removeEventListener("keydown", ctl.key);
  };
}
