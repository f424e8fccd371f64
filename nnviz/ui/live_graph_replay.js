// The live graph replaying a training run (nnviz/app/live_replay.py): one frame per epoch shown. Each frame
// recolours, rewidths and relabels the edges from that epoch's weights and redraws the neurons' pictures.
// The frames follow the slider and Play button of the replay's fit-and-loss chart (graph.replay.follow).
// Joined after live_graph_draw.js and before live_graph.js; uses el, html and drawPicture.

function b64bytes(s) {
  const bin = atob(s), out = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) out[k] = bin.charCodeAt(k);
  return out;
}

function replayPictures(data, k) { // graph.pictures takes epoch k's pictures; false when they are already shown
  const R = data.graph.replay, P = R.pictures, G = data.graph.pictures;
  if (!P || !G) return false;
  const f = P.frame_of[k];
  if (f === R.picFrame) return false;
  R.picFrame = f;
  G.n = P.n;
  G.range = P.kind === "heatmap" ? P.range : P.range[0];
  if (P.kind === "heatmap") {
    const n = P.n * P.n;
    G.cells = R.pics.map((b) => (b ? btoa(String.fromCharCode(...b.subarray(f * n, (f + 1) * n))) : null));
  } else {
    const n = P.n;
    G.curves = R.pics.map((b, i) => (b ? Array.from(b.subarray(f * n, (f + 1) * n),
      (q) => (q === 255 ? null : P.lo[i][f] + (q / 254) * (P.hi[i][f] - P.lo[i][f]))) : null));
  }
  return true;
}

function replayPrepare(data) { // decode the weights and pictures once, and show the first epoch's pictures
  const R = data.graph.replay;
  if (R.w) return;
  R.w = new Float32Array(b64bytes(R.weights).buffer);
  R.index = new Map(R.epochs.map((t, k) => [String(t), k]));
  const P = R.pictures;
  R.pics = P ? (P.kind === "heatmap" ? P.cells : P.curves).map((s) => (s ? b64bytes(s) : null)) : [];
  R.picFrame = null;
  replayPictures(data, 0);
}

function weightText(x) { // as nnviz.figures.graph.format_number: two decimals, 3 significant digits when large
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  return Math.abs(x) >= 1000 ? Number(x.toPrecision(3)).toString() : x.toFixed(2);
}

function replayChrome(view, data) { // the epoch shown, above the drawing; the legend says what moves
  view.root.classList.add("nnv-replay");
  view.epoch = html("p", "nnv-epoch", null);
  view.root.insertBefore(view.epoch, view.stage.closest(".nnv-row") || view.stage); // above the row: graph and equations
  const P = data.graph.pictures;
  const keys = view.legend.querySelectorAll(".nnv-key");
  if (keys[0]) keys[0].textContent = "Edge colour: sign of the weight; width: its size at this epoch. Hover for values.";
  if (P && P.kind === "curve" && keys[1]) {
    keys[1].textContent = `Pictures: z_k as input ${P.names[0]} goes from ${P.range[0].toPrecision(3)} to ` +
      `${P.range[1].toPrecision(3)}, with this epoch's weights.`;
  }
}

function replayFrame(view, data, st) { // epoch st.step: edges from its weights, pictures, the epoch's number
  const { graph } = data, R = graph.replay, E = graph.edges.length, k = st.step;
  const w = R.w.subarray(k * E, (k + 1) * E);
  let wmax = 0;
  for (const x of w) if (Number.isFinite(x)) wmax = Math.max(wmax, Math.abs(x));
  wmax = wmax || 1;
  const [base, extra] = graph.radius < 15 ? [0.8, 2.2] : [1.2, 5.0];
  graph.edges.forEach((e, j) => {
    const x = w[j], ok = Number.isFinite(x);
    e.color = !ok ? "#9a9a9a" : x >= 0 ? R.colours[0] : R.colours[1];
    e.width = +(base + extra * (ok ? Math.min(Math.abs(x) / wmax, 1) : 1)).toFixed(2);
    e.lines = { w: `${e.title} = ${weightText(x)}` };
    e.tip[1] = `w = ${ok ? Number(x.toPrecision(6)) : weightText(x)}`;
    const v = view.edges && view.edges[j];
    if (!v) return;
    v.line.setAttribute("stroke-width", e.width);
    v.halo.setAttribute("stroke-width", e.width + 10);
    v.g.dataset.weight = ok ? String(x) : "";
  });
  if (view.neurons && replayPictures(data, k)) {
    view.neurons.forEach((v, i) => {
      if (!v.pic) return;
      v.pic.remove();
      v.pic = drawPicture(v.g, v.n, i, data);
    });
  }
  if (view.epoch) view.epoch.textContent = `Epoch ${R.epochs[k]} of ${R.epochs[R.epochs.length - 1]}`;
  view.root.dataset.epoch = String(R.epochs[k]);
}

function replayLink(view, data, st, redraw) { // follow the fit-and-loss chart's frames (named by epoch)
  const R = data.graph.replay;
  if (!R.follow) return null;
  let gd = null;
  const go = (name) => {
    const k = R.index.get(String(name));
    if (k === undefined || k === st.step) return;
    st.step = k;
    redraw();
  };
  const onFrame = (e) => go(e && e.name);
  const onSlider = (e) => go(e && e.step && e.step.label);
  const attach = () => {
    const found = document.querySelector(`.st-key-${R.follow} .js-plotly-plot`);
    if (found === gd || !found || typeof found.on !== "function") return;
    gd = found; // a new chart (or the first one): listen to it, and start where its slider is
    gd.on("plotly_animatingframe", onFrame);
    gd.on("plotly_sliderchange", onSlider);
    const s = gd._fullLayout && gd._fullLayout.sliders && gd._fullLayout.sliders[0];
    if (s && s.steps && s.steps[s.active]) go(s.steps[s.active].label);
  };
  attach();
  const timer = setInterval(attach, 250);
  return () => {
    clearInterval(timer);
    if (gd && gd.removeListener) {
      gd.removeListener("plotly_animatingframe", onFrame);
      gd.removeListener("plotly_sliderchange", onSlider);
    }
  };
}
