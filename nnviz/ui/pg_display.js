// The playground's numbers and its output over the plane (nnviz/ui/playground_view.py), drawn in place.
// Streamlit calls the default export on every frame while the playground plays; the first call builds the
// DOM, later calls only change text, the canvas's pixels and the loss curve's image source, so the page's
// layout stays the same from frame to frame. Text goes in with textContent only (no innerHTML).

const NEG = [213, 94, 0], POS = [0, 114, 178]; // -1 orange, +1 blue (nnviz/figures/playground.py)

function node(tag, cls, parent, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

function shade(v, strength) { // [r, g, b] of v in [-1, 1]: orange below 0, white at 0, blue above; NaN grey
  if (v === null || !Number.isFinite(v)) return [180, 180, 180];
  const t = Math.max(-1, Math.min(1, v)) * strength, end = t >= 0 ? POS : NEG, a = Math.abs(t);
  return end.map((c) => Math.round(255 + (c - 255) * a));
}

const LUTS = new Map(); // discrete -> Uint8Array(256 * 4): the colour of each byte of the grid

function colours(discrete) { // byte q -> [r, g, b, _]: 0 not finite, else 1..255 for f from -1 to 1
  if (!LUTS.has(discrete)) {
    const lut = new Uint8Array(256 * 4), light = discrete ? 0.35 : 0.6;
    for (let q = 0; q < 256; q++) {
      let f = q === 0 ? null : (q - 128) / 127;
      if (discrete && f !== null) f = Math.sign(f);
      lut.set(shade(f, light), 4 * q);
    }
    LUTS.set(discrete, lut);
  }
  return LUTS.get(discrete);
}

function buildNumbers(root) {
  const row = node("div", "nnv-pg-numbers", root);
  row.dataset.testid = "nnvPgNumbers";
  const note = node("p", "nnv-pg-note", root);
  return { row, note, items: [] };
}

function updateNumbers(v, data) {
  while (v.items.length < data.numbers.length) {
    const box = node("div", "nnv-pg-number", v.row);
    box.dataset.testid = "nnvPgNumber";
    v.items.push({ box, label: node("div", "nnv-pg-label", box), value: node("div", "nnv-pg-value", box) });
  }
  data.numbers.forEach(([label, value, help], k) => {
    const it = v.items[k];
    if (it.box.dataset.label !== label) it.box.dataset.label = label;
    if (it.label.textContent !== label) it.label.textContent = label;
    if (it.value.textContent !== value) it.value.textContent = value;
    if (it.box.title !== (help || "")) it.box.title = help || "";
  });
  if (v.note.textContent !== (data.note || "")) v.note.textContent = data.note || "";
  v.note.style.display = data.note ? "" : "none";
}

function buildOutput(root) {
  const canvas = node("canvas", "nnv-pg-heat", root);
  canvas.dataset.testid = "nnvPgHeatmap";
  canvas.width = canvas.height = 240;
  canvas.setAttribute("role", "img");
  const caption = node("p", "nnv-pg-caption", root);
  const curve = node("img", "nnv-pg-curve", root);
  curve.dataset.testid = "nnvPgCurve";
  return { canvas, caption, curve, cell: document.createElement("canvas") };
}

function dots(ctx, pts, ring, scale) {
  const r = Math.max(1.5, ctx.canvas.width / 110);
  for (const [x, y, label] of pts) {
    const px = (x + 6) / 12 * (ctx.canvas.width - 1), py = (6 - y) / 12 * (ctx.canvas.height - 1);
    ctx.beginPath();
    ctx.arc(px, py, r + 1, 0, 2 * Math.PI);
    ctx.fillStyle = ring;
    ctx.fill();
    ctx.beginPath();
    ctx.arc(px, py, r, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${shade(label, 1).join(",")})`;
    ctx.fill();
  }
}

function updateOutput(v, data) {
  const n = data.n, raw = atob(data.grid), cell = v.cell;
  if (cell.width !== n) cell.width = cell.height = n;
  const cctx = v.cctx || (v.cctx = cell.getContext("2d")), img = cctx.createImageData(n, n);
  const lut = colours(!!data.discrete), px = img.data;
  for (let k = 0; k < n * n; k++) { // a byte's colour from the table: no allocation per cell
    const c = 4 * raw.charCodeAt(k);
    px[4 * k] = lut[c];
    px[4 * k + 1] = lut[c + 1];
    px[4 * k + 2] = lut[c + 2];
    px[4 * k + 3] = 255;
  }
  cctx.putImageData(img, 0, 0);
  const ctx = v.ctx || (v.ctx = v.canvas.getContext("2d"));
  ctx.imageSmoothingEnabled = true; // the 48 x 48 cells blend: a smooth picture, as TF Playground
  ctx.drawImage(cell, 0, 0, v.canvas.width, v.canvas.height);
  dots(ctx, data.train, "#fff");
  if (data.test) dots(ctx, data.test, "#000");
  if (v.canvas.getAttribute("aria-label") !== data.alt) v.canvas.setAttribute("aria-label", data.alt);
  if (v.caption.textContent !== data.caption) v.caption.textContent = data.caption; // unchanged: no layout
  if (v.curve.getAttribute("src") !== data.curve) v.curve.setAttribute("src", data.curve);
  if (!v.curve.alt) v.curve.alt = "The loss curves: training solid, test dashed";
}

const views = new WeakMap(); // parent element -> {root, kind, view}

export default function (component) {
  const { data, parentElement } = component;
  let m = views.get(parentElement);
  if (!m || m.kind !== data.kind || !m.root.isConnected) {
    for (const old of parentElement.querySelectorAll(":scope > .nnv-pg")) old.remove(); // keep Streamlit's <style>
    const root = node("div", `nnv-pg nnv-pg-${data.kind}`, parentElement);
    m = { root, kind: data.kind, view: data.kind === "numbers" ? buildNumbers(root) : buildOutput(root) };
    views.set(parentElement, m);
  }
  m.root.classList.toggle("nnv-pg-present", !!data.present);
  if (data.kind === "numbers") updateNumbers(m.view, data);
  else updateOutput(m.view, data);
}
