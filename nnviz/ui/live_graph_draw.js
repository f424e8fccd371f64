// Shared drawing helpers and the neurons' pictures of the live graph (nnviz/ui/live_graph.py joins this file
// before live_graph.js into one ES module). User text only ever goes in through textContent / setAttribute.

const SVG = "http://www.w3.org/2000/svg";
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

function el(tag, attrs = {}, parent = null, ns = SVG) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function html(tag, cls, parent, text = null) {
  const node = el(tag, cls ? { class: cls } : {}, parent, null);
  if (text !== null) node.textContent = text;
  return node;
}

function viridis(t) { // t in [0, 1] -> [r, g, b]
  const x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2), f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

// ----- the neurons' pictures -------------------------------------------------------------------------------
const HEAT = { canvas: null, ctx: null, lut: null }; // the playground redraws every picture several times a second

function heatColours() { // byte q -> [r, g, b, 255]: 0..254 along viridis, 255 (not finite) grey
  return Array.from({ length: 256 }, (_, q) => [...(q === 255 ? [200, 200, 200] : viridis(q / 254)), 255]);
}

function drawPicture(parent, n, i, data) {
  const { graph } = data, P = graph.pictures, side = graph.picture, r = graph.radius;
  const ok = P.kind === "heatmap" ? P.cells[i] : P.curves[i];
  if (!ok || !side) return null;
  const x0 = n.x + r + 0.15 * r, y0 = n.y - side / 2;
  const g = el("g", { class: "nnv-pic", "data-index": i }, parent);
  el("rect", { x: x0, y: y0, width: side, height: side, class: "nnv-pic-frame" }, g);
  const xr = P.kind === "heatmap" ? P.range[0] : P.range; // the horizontal axis: the (first) varied input
  const sx = (v) => x0 + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * side;
  if (P.kind === "heatmap") return drawHeatmap(g, P, i, x0, y0, side, sx);
  const ys = P.curves[i].filter((v) => v !== null);
  let lo = Math.min(...ys), hi = Math.max(...ys);
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const pad = side * 0.1, sy = (v) => y0 + side - pad - ((v - lo) / (hi - lo)) * (side - 2 * pad);
  if (lo < 0 && hi > 0) el("line", { x1: x0, x2: x0 + side, y1: sy(0), y2: sy(0), class: "nnv-pic-zero" }, g);
  const step = side / (P.curves[i].length - 1);
  const pts = P.curves[i].map((v, k) => (v === null ? null : `${(x0 + k * step).toFixed(1)},${sy(v).toFixed(1)}`));
  el("polyline", { points: pts.filter(Boolean).join(" "), class: "nnv-pic-curve" }, g);
  if (P.x0 !== null) {
    const cx = sx(P.x0), k = Math.round((cx - x0) / step);
    el("line", { x1: cx, x2: cx, y1: y0, y2: y0 + side, class: "nnv-pic-x" }, g);
    const v = P.curves[i][Math.min(Math.max(k, 0), P.curves[i].length - 1)];
    if (v !== null) el("circle", { cx, cy: sy(v), r: Math.max(side * 0.05, 2), class: "nnv-pic-dot" }, g);
  }
  return g;
}

function heatmapURL(P, i) { // the picture of neuron i as a PNG data URL
  const n = P.n, bytes = atob(P.cells[i]);
  const canvas = HEAT.canvas || (HEAT.canvas = document.createElement("canvas")); // one canvas for every picture
  if (canvas.width !== n) canvas.width = canvas.height = n;
  const ctx = HEAT.ctx && HEAT.ctx.canvas === canvas ? HEAT.ctx : (HEAT.ctx = canvas.getContext("2d"));
  const img = ctx.createImageData(n, n), lut = HEAT.lut || (HEAT.lut = heatColours());
  for (let k = 0; k < n * n; k++) img.data.set(lut[bytes.charCodeAt(k)], k * 4);
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL();
}

function drawHeatmap(g, P, i, x0, y0, side, sx) {
  el("image", { x: x0, y: y0, width: side, height: side, href: heatmapURL(P, i), preserveAspectRatio: "none",
    class: "nnv-pic-img" }, g);
  const [r1lo, r1hi] = P.range[1];
  if (P.x0[0] !== null && P.x0[1] !== null) {
    const cx = sx(P.x0[0]), cy = y0 + side - ((P.x0[1] - r1lo) / (r1hi - r1lo || 1)) * side;
    el("circle", { cx, cy, r: Math.max(side * 0.07, 2.5), class: "nnv-pic-mark" }, g);
  }
  return g;
}

function drawLegend(view, data) {
  const { graph } = data, P = graph.pictures;
  view.legend.replaceChildren();
  const weights = html("span", "nnv-key", view.legend);
  weights.textContent = "Edge colour: sign of the weight; width: its size. Hover for values; click a neuron or an edge to select it.";
  if (!P) return;
  const key = html("span", "nnv-key", view.legend);
  if (P.kind === "curve") {
    const where = graph.mode === "structure" ? "the Forward pass page's x" : "the current x";
    key.textContent = `Pictures: z_k as input ${P.names[0]} goes from ${P.range[0].toPrecision(3)} to ` +
      `${P.range[1].toPrecision(3)}; the red line marks ${where}.`;
    return;
  }
  key.textContent = `Pictures: z_k over inputs ${P.names[0]} (→) and ${P.names[1]} (↑), one colour scale: `;
  const bar = html("canvas", "nnv-colourbar", view.legend);
  bar.width = 120;
  bar.height = 12;
  const ctx = bar.getContext("2d");
  for (let k = 0; k < 120; k++) { ctx.fillStyle = `rgb(${viridis(k / 119).join(",")})`; ctx.fillRect(k, 0, 1, 12); }
  html("span", "nnv-key nnv-scale-lo", view.legend, ` ${P.scale[0].toPrecision(3)} … ${P.scale[1].toPrecision(3)}`);
}


// ----- this step's equations, beside the graph (nnviz.app.step_equations) ---------------------------------
function buildEquations(row, data) {
  if (!data.graph.equations) return null; // the Network page and training replays: no steps to write out
  const box = html("section", "nnv-eq", row);
  box.setAttribute("aria-label", "The equations of this step");
  html("h4", "nnv-eq-head", box, "This step, with the numbers");
  return html("div", "nnv-eq-lines", box);
}

function showEquations(lines, text) {
  if (!lines) return;
  lines.replaceChildren(); // plain text only: neuron ids go in with textContent
  for (const line of text || []) html("p", "nnv-eq-line", lines, line);
}

function tallestEquations(view, data) { // the height of the panel at its tallest step, at the current width
  const keep = [...view.eq.childNodes];
  let h = 0;
  for (const text of data.graph.equations) {
    showEquations(view.eq, text);
    h = Math.max(h, view.eq.parentElement.offsetHeight);
  }
  view.eq.replaceChildren(...keep);
  return h;
}

// [width, height] left for the graph: the panel goes beside it or below it, whichever leaves the larger graph
function placeEquations(view, data, W, H, room) {
  const rowW = Math.max(view.stage.parentElement.clientWidth, 200), root = view.root;
  if (!view.eq) return [Math.max(view.stage.clientWidth, 200), room];
  root.classList.remove("nnv-eq-below");
  const side = view.eq.parentElement.offsetWidth + 12;
  root.classList.add("nnv-eq-below");
  const below = tallestEquations(view, data) + 12;
  const besideScale = Math.min((rowW - side) / W, Math.max(room, 260) / H, 1.3);
  const belowScale = room - below < 200 ? 0 : Math.min(rowW / W, (room - below) / H, 1.3); // below the fold: beside
  const alone = Math.min(rowW / W, Math.max(room, 260) / H, 1.3);
  if (besideScale < 0.9 * alone && belowScale < 0.9 * alone) {
    root.classList.add("nnv-eq-below"); // the graph's type stays as large as without the panel; the panel follows it
    return [rowW, room];
  }
  if (!data.graph.narrow && besideScale >= belowScale) {
    root.classList.remove("nnv-eq-below");
    return [Math.max(rowW - side, 200), room];
  }
  return [rowW, Math.max(room - below, 200)];
}
