// The Training page playground's in-place refresh of the live graph (joined after live_graph_draw.js and before
// live_graph.js; see refresh there). Several times a second only the weights change: write only what differs,
// so the browser re-lays out and repaints as little as it can (a text node or an attribute written with the same
// value still costs a style and layout pass).

const LAST_CELLS = new WeakMap(); // a picture's <g> -> the base64 cells it shows now

function setText(node, text) { // textContent, written only when it changes
  if (node.textContent !== text) node.textContent = text;
}

function setAttr(node, name, value) { // setAttribute, written only when it changes
  const s = String(value);
  if (node.getAttribute(name) !== s) node.setAttribute(name, s);
}

// A heatmap picture with no marker gets its new image when its cells changed (an input neuron's never do);
// false: draw it anew.
function repaintPictureInPlace(pic, P, i) {
  const image = pic && P.kind === "heatmap" && P.cells[i] && P.x0[0] === null ? pic.querySelector("image") : null;
  if (!image || pic.querySelector(".nnv-pic-mark")) return false;
  if (LAST_CELLS.get(pic) !== P.cells[i]) image.setAttribute("href", heatmapBMP(P, i));
  LAST_CELLS.set(pic, P.cells[i]);
  return true;
}

// The picture of neuron i (the colours of heatmapURL) as an uncompressed 24-bit BMP data URL: the same pixels
// with no PNG encoding, which took most of a frame's picture work (18 pictures on 2,8,8,1).
function heatmapBMP(P, i) {
  const n = P.n, cells = atob(P.cells[i]), lut = HEAT.lut || (HEAT.lut = heatColours());
  const row = (3 * n + 3) & ~3, size = 54 + row * n; // rows padded to 4 bytes
  const b = new Uint8Array(size), dv = new DataView(b.buffer);
  b[0] = 66; // "BM"
  b[1] = 77;
  dv.setUint32(2, size, true);
  dv.setUint32(10, 54, true); // where the pixels start
  dv.setUint32(14, 40, true); // BITMAPINFOHEADER
  dv.setInt32(18, n, true);
  dv.setInt32(22, n, true); // positive: the last row first
  dv.setUint16(26, 1, true);
  dv.setUint16(28, 24, true);
  dv.setUint32(34, row * n, true);
  for (let y = 0; y < n; y++) {
    for (let x = 0, o = 54 + (n - 1 - y) * row; x < n; x++, o += 3) {
      const c = lut[cells.charCodeAt(y * n + x)]; // [r, g, b, 255]
      b[o] = c[2];
      b[o + 1] = c[1];
      b[o + 2] = c[0];
    }
  }
  let text = "";
  for (let k = 0; k < size; k += 8192) text += String.fromCharCode.apply(null, b.subarray(k, k + 8192));
  return "data:image/bmp;base64," + btoa(text);
}

// The legend: built anew only when its words change; else only the colour scale's numbers are written.
function refreshLegend(view, data) {
  const P = data.graph.pictures;
  const words = P ? `${P.kind}|${P.names.join("|")}|${P.kind === "curve" ? P.range.join() : ""}` : "";
  const scale = view.legend.querySelector(".nnv-scale-lo");
  if (view.legendWords !== words || (P && P.kind === "heatmap" && !scale)) {
    drawLegend(view, data);
    view.legendWords = words;
    return;
  }
  if (scale) setText(scale, ` ${P.scale[0].toPrecision(3)} … ${P.scale[1].toPrecision(3)}`);
}
