// Installed by tests/bench/bench_playground.py (watch): records, in window.__pg, each change of the
// playground's Epoch number [time, epoch], each new drawing of the live graph, and each button click.
() => {
  const GRAPH = '[data-testid=nnvLiveGraph]';
  const w = window.__pg = {epochs: [], graphs: [], clicks: {}, busy: 0};
  if (typeof PerformanceObserver !== 'undefined') {  // the browser's main thread: time in tasks over 50 ms
    try { new PerformanceObserver((list) => { for (const e of list.getEntries()) w.busy += e.duration; })
      .observe({type: 'longtask'}); } catch (e) { /* not supported */ }
  }
  const epochNow = () => {
    const m = document.querySelector('[data-testid=nnvPgNumber][data-label=Epoch] .nnv-pg-value');
    return m ? m.textContent : null;
  };
  let last = epochNow();
  new MutationObserver((records) => {
    const now = performance.now();
    const e = epochNow();
    if (e !== null && e !== last) { last = e; w.epochs.push([now, parseInt(e.replace(/,/g, ''), 10)]); }
    for (const r of records) for (const n of r.addedNodes)
      if (n.nodeType === 1 && (n.matches(GRAPH) || n.querySelector?.(GRAPH))) w.graphs.push(now);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
  document.addEventListener('click', (ev) => {
    const b = ev.target.closest('button');
    if (b) w.clicks[b.innerText.trim().split('\n').pop().trim()] = performance.now();
  }, {capture: true});
}
