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

// A heatmap picture with no marker: its new image when its cells changed (an input neuron's never do).
function repaintPictureInPlace(pic, P, i) {
  if (pic && P.kind === "heatmap" && LAST_CELLS.get(pic) === P.cells[i] && P.x0[0] === null) return true;
  if (!repaintPicture(pic, P, i)) return false;
  LAST_CELLS.set(pic, P.cells[i]);
  return true;
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
