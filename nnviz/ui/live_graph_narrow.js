// The live graph on a narrow screen (a phone, a tablet's column): joined into the live graph's module by
// nnviz/ui/live_graph.py; live_graph.js calls narrowData before drawing and fit() asks graph.narrow.
// In a window below NARROW_MAX px the drawing is transposed (the layers run top to bottom, so the graph uses the full
// width and its text stays at least 12 px), the neurons' pictures are left out and only the current step's
// or the selected edge's numbers are drawn (a tap shows an item's values; the accessible names carry them all).

const NARROW_MAX = 900; // px of the window below which the graph is drawn top to bottom (phones, tablets upright)
const NARROW_BOX = 400; // px of the graph's own box below which it is, whatever the window
const NARROW_PAD = 16; // room above the first layer's box for its label

function swapPairs(path) { // "x,y" -> "y+pad,x+pad" in an SVG path
  const t = (v) => (Number(v) + NARROW_PAD).toFixed(1);
  return path.replace(/(-?[\d.]+),(-?[\d.]+)/g, (m, x, y) => `${t(y)},${t(x)}`);
}

function narrowData(data, parent) {
  const box = parent.clientWidth || window.innerWidth;
  if (window.innerWidth >= NARROW_MAX && box >= NARROW_BOX) return data;
  const g = data.graph, [W, H] = g.size, P = NARROW_PAD; // (x, y) -> (y + P, x + P): the layers run downwards
  const graph = {
    ...g,
    narrow: true,
    size: [H + P, W + P],
    pictures: null,
    all_labels: false,
    neurons: g.neurons.map((n) => ({ ...n, x: n.y + P, y: n.x + P })),
    edges: g.edges.map((e) => ({ ...e, path: swapPairs(e.path), lx: e.ly + P, ly: e.lx + P })),
    fonts: { ...g.fonts },
    boxes: g.boxes.map((b) => ({ ...b, x: b.y + P, y: b.x + P, w: b.h, h: b.w })),
  };
  if (g.picture) graph.edges.forEach((e) => fromRim(e, graph.neurons[e.s], g.radius)); // no room kept for pictures
  return { ...data, graph };
}

function fromRim(e, src, r) { // a straight edge starts on its source's rim (the layout left room for a picture)
  const m = e.path.match(/^M\s*(-?[\d.]+),(-?[\d.]+)\s*L\s*(-?[\d.]+),(-?[\d.]+)$/);
  if (!m) return;
  const [x1, y1] = [Number(m[3]), Number(m[4])], dx = x1 - src.x, dy = y1 - src.y, len = Math.hypot(dx, dy) || 1;
  const x0 = src.x + (r * dx) / len, y0 = src.y + (r * dy) / len;
  e.path = `M${x0.toFixed(1)},${y0.toFixed(1)} L${x1.toFixed(1)},${y1.toFixed(1)}`;
  const t = Math.min(Math.max(((e.lx - x0) * (x1 - x0) + (e.ly - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2 || 1), 0.2), 0.8);
  e.lx = x0 + t * (x1 - x0); // the label back on the line, as far along it as it was
  e.ly = y0 + t * (y1 - y0);
}

function narrowScale(data, availW) { // the full width, but the whole graph on screen when its text stays >= 12 px
  const { size: [W, H], fonts } = data.graph, smallest = Math.min(fonts.title, fonts.value || 99, fonts.edge);
  return Math.min(availW / W, 1, Math.max(12 / smallest, (0.9 * window.innerHeight) / H));
}
