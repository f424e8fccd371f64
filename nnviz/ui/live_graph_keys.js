// The live graph for a keyboard and a screen reader (joined with live_graph_draw.js and live_graph.js into one
// module by nnviz/ui/live_graph.py). live_graph.js calls two hooks: a11yBuild once per drawing, a11yFrame after
// every frame it applies. setAttr comes from live_graph_inplace.js.
//
// Keys, with the focus on the graph (Tab reaches it: one stop, the last neuron or edge it was on):
//   on a neuron  Up / Down     the neuron above / below in its column
//                Right / Left  its first outgoing / incoming edge
//   on an edge   Up / Down     the next edge from the same neuron (the one it was reached from)
//                Right / Left  the edge's target / source neuron
//   Enter        select the neuron (its equations) or the edge (its weight slider opens and takes the focus)
//   Escape       leave the graph (to its Play button); in the weight slider, back to the edge
// Accessible names come from Python (nnviz.app.spoken, data.graph.spoken); a value is read once the frame
// shows it. The step caption is a polite live region. With prefers-reduced-motion: reduce the graph gets
// class nnv-reduce (no transitions; Play steps frame by frame).

const lastFocus = new Map(); // view.prefix -> {kind, index, pivot}: kept when an edit redraws the graph
const SLIDER = '[class*="st-key-live_"][class*="_weight"] input[type=range]'; // nnviz.ui.live_graph.selection_panel

function a11yBuild(view, data, st, ctl) {
  const { graph } = data, say = graph.spoken;
  if (!say) return;
  const reduce = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
  view.root.classList.toggle("nnv-reduce", reduce);
  view.root.dataset.motion = reduce ? "reduce" : "full";
  const desc = html("p", "nnv-sr", view.root);
  desc.id = `${view.prefix}-desc`;
  view.desc = desc;
  view.svg.setAttribute("role", "group"); // not "img": its neurons and edges are controls of their own
  view.svg.setAttribute("aria-roledescription", "network graph");
  view.svg.setAttribute("aria-label", `Network graph: ${say.size}`);
  view.svg.setAttribute("aria-describedby", desc.id);
  view.svg.setAttribute("tabindex", "-1"); // one tab stop, on a neuron or an edge, not the drawing too
  view.caption.setAttribute("aria-live", "polite");
  view.caption.setAttribute("aria-atomic", "true");
  // A neuron's button is a transparent circle over it (its drawn text is not part of the button: the name
  // carries the values); an edge's button is its group of paths.
  const r = graph.radius;
  for (const v of view.neurons) v.key = el("circle", { cx: v.n.x, cy: v.n.y, r, class: "nnv-key-target" }, v.g);
  for (const v of view.edges) v.key = v.g;
  const items = [...view.neurons, ...view.edges].map((v) => v.key);
  for (const g of items) {
    g.setAttribute("role", "button");
    g.setAttribute("tabindex", "-1");
  }
  for (const t of view.svg.querySelectorAll("text")) t.setAttribute("aria-hidden", "true"); // read in the names
  view.keys = { columns: columnsOf(graph), items };
  st.focus = st.focus || lastFocus.get(view.prefix);
  if (!st.focus || !focusTarget(view, st.focus)) st.focus = { kind: "neuron", index: 0, pivot: "s" };
  focusTarget(view, st.focus).setAttribute("tabindex", "0");
  view.svg.addEventListener("keydown", (evt) => graphKey(evt, view, data, st, ctl));
  view.svg.addEventListener("focusin", (evt) => {
    const hit = itemOf(view, evt.target);
    if (hit) rove(view, st, { ...hit, pivot: st.focus.pivot }, false);
  });
}

function columnsOf(graph) { // neuron indices by column (left to right), each top to bottom
  const byX = new Map();
  graph.neurons.forEach((n, i) => {
    const x = Math.round(n.x);
    if (!byX.has(x)) byX.set(x, []);
    byX.get(x).push(i);
  });
  return [...byX.keys()].sort((a, b) => a - b).map((x) => byX.get(x).sort((a, b) => graph.neurons[a].y - graph.neurons[b].y));
}

function focusTarget(view, f) {
  const list = f.kind === "neuron" ? view.neurons : view.edges;
  return list[f.index] ? list[f.index].key : null;
}

function itemOf(view, node) {
  const g = node && node.closest ? node.closest(".nnv-neuron, .nnv-edge") : null;
  if (!g) return null;
  if (g.classList.contains("nnv-neuron")) return { kind: "neuron", index: Number(g.dataset.index) };
  return { kind: "edge", index: Number(g.dataset.edge) };
}

function rove(view, st, f, move = true) { // one tab stop: the item with the focus
  const old = focusTarget(view, st.focus);
  if (old) old.setAttribute("tabindex", "-1");
  st.focus = f;
  lastFocus.set(view.prefix, f);
  const now = focusTarget(view, f);
  now.setAttribute("tabindex", "0");
  if (move) now.focus({ focusVisible: true });
}

function edgesAt(graph, i, side) { // edges leaving (side "s") or entering ("d") neuron i, by the other end's height
  const other = side === "s" ? "d" : "s";
  return graph.edges.map((e, j) => j).filter((j) => graph.edges[j][side] === i)
    .sort((a, b) => graph.neurons[graph.edges[a][other]].y - graph.neurons[graph.edges[b][other]].y);
}

function nextFocus(key, f, view, graph) {
  if (f.kind === "neuron") {
    const col = view.keys.columns.find((c) => c.includes(f.index)), at = col.indexOf(f.index);
    if (key === "ArrowUp" && at > 0) return { kind: "neuron", index: col[at - 1], pivot: f.pivot };
    if (key === "ArrowDown" && at < col.length - 1) return { kind: "neuron", index: col[at + 1], pivot: f.pivot };
    const side = key === "ArrowRight" ? "s" : key === "ArrowLeft" ? "d" : null;
    const out = side ? edgesAt(graph, f.index, side) : [];
    return out.length ? { kind: "edge", index: out[0], pivot: side } : null;
  }
  const e = graph.edges[f.index];
  if (key === "ArrowRight") return { kind: "neuron", index: e.d, pivot: "s" };
  if (key === "ArrowLeft") return { kind: "neuron", index: e.s, pivot: "s" };
  const siblings = edgesAt(graph, e[f.pivot], f.pivot), at = siblings.indexOf(f.index);
  const to = key === "ArrowUp" ? at - 1 : key === "ArrowDown" ? at + 1 : -1;
  return to >= 0 && to < siblings.length ? { kind: "edge", index: siblings[to], pivot: f.pivot } : null;
}

function graphKey(evt, view, data, st, ctl) {
  if (evt.altKey || evt.ctrlKey || evt.metaKey) return;
  const f = itemOf(view, evt.target);
  if (!f) return;
  f.pivot = st.focus.pivot;
  if (evt.key === "Enter" || evt.key === " ") {
    st.wantSlider = f.kind === "edge";
    ctl.select(f.kind, f.index);
  } else if (evt.key === "Escape") {
    const play = view.buttons.play;
    if (play.checkVisibility()) play.focus();
    else evt.target.blur();
  } else if (evt.key.startsWith("Arrow")) {
    const to = nextFocus(evt.key, f, view, data.graph);
    if (to) rove(view, st, to);
  } else return;
  evt.preventDefault();
  evt.stopPropagation(); // the page's arrow keys step the animation: not while moving on the graph
}

function spokenName(say, q, show) {
  return [say.name, ...q.filter(show).map((k) => say[k]).filter(Boolean)].join(", ");
}

function a11yFrame(view, data, st) {
  const { graph } = data, say = graph.spoken, k = st.step;
  if (!say || !view.keys) return;
  const rv = graph.reveal, mode = graph.mode;
  view.neurons.forEach((v, i) => {
    const q = mode === "forward" ? ["a", "z"] : mode === "backward" ? ["a", "z", "da", "dz"] : [];
    const shown = (name) => mode === "backward" && (name === "a" || name === "z") ? true // known from the forward pass
      : rv[name === "dz" ? "da" : name][i] <= k; // dl/dz_k is drawn with dl/da_k
    setAttr(v.key, "aria-label", spokenName(say.neurons[i], q, shown) + (st.selected.neuron === i ? ", selected" : ""));
  });
  view.edges.forEach((v, j) => {
    const q = mode === "forward" ? ["p"] : mode === "backward" ? ["dw"] : [];
    setAttr(v.key, "aria-label", spokenName(say.edges[j], q, (name) => rv[name][j] <= k) +
      (st.selected.edge === j ? ", selected" : ""));
  });
  const n = graph.frames.length, caption = graph.frames[k].caption;
  view.desc.textContent = mode === "structure" ? "Enter on a neuron or an edge selects it; arrow keys move." :
    `${mode === "forward" ? "Forward pass" : "Backpropagation"}, step ${k + 1} of ${n}: ${caption}`;
  if (st.wantSlider && st.selected.edge !== null) {
    st.wantSlider = false;
    focusSlider(view, st, Date.now() + 5000);
  }
}

function focusSlider(view, st, until) { // the slider appears after the selection's rerun
  const slider = document.querySelector(SLIDER);
  if (!slider) {
    if (Date.now() < until) setTimeout(() => focusSlider(view, st, until), 100);
    return;
  }
  slider.focus();
  if (slider.dataset.nnvBack) return;
  slider.dataset.nnvBack = "1";
  slider.addEventListener("keydown", (evt) => {
    if (evt.key !== "Escape") return;
    const back = document.querySelector(`[data-testid=nnvLiveGraph] .nnv-edge[tabindex="0"], [data-testid=nnvLiveGraph] .nnv-key-target[tabindex="0"]`);
    if (back) { evt.preventDefault(); back.focus({ focusVisible: true }); }
  });
}
