"""The Training page's "brute force against backprop" panel and the paper's cost calculator.

The paper argues for backpropagation by counting: testing every combination
of 64-bit weights means 2^(64*12) networks for its twelve weights. The panel
runs a real exhaustive search on a coarse grid (:func:`nnviz.bruteforce.brute_force`)
beside the last backprop run, and computes (2^bits)^E exactly
(:func:`nnviz.bruteforce.exhaustive_cost`). The search result lives under
``Keys.BRUTE_FORCE`` with the network and data it was made for.
"""

from __future__ import annotations

import math

import streamlit as st

from nnviz.app import settings
from nnviz.app.trainjob import TrainingJob
from nnviz.bruteforce import brute_force, exhaustive_cost
from nnviz.data import Dataset
from nnviz.network import MAX_EDGES, Network, NetworkError
from nnviz.ui import state, widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.state import Keys
from nnviz.ui.training_data import setting, widget_key
from nnviz.ui.training_widgets import same_structure

RATE = 1e9  # networks per second for the calculator's "how long" line
MAX_PAGE_EVALUATIONS = settings.MAX_PAGE_EVALUATIONS  # about a minute on a laptop for the paper's network


@st.cache_data(max_entries=64, show_spinner=False)
def _cost(weights: int, bits: int) -> tuple[str, int, str, int]:
    c = exhaustive_cost(weights, bits)
    years = c.years(RATE)
    return c.mantissa, c.exponent, years[0], years[1]


def _search(net: Network, ds: Dataset, k: int, bound: float, cap: int) -> None:
    slot = st.empty()
    bar = slot.progress(0.0, text="Searching the grid...")
    tick = widgets.progress_ticker(bar, lambda done, total: f"Searching the grid: {done:,} of {total:,} weight vectors")

    try:
        found = brute_force(net, ds.X, ds.Y, k=k, low=-bound, high=bound, max_evaluations=cap, progress=tick)
    except NetworkError as exc:
        slot.empty()
        widgets.error(exc, prefix="**The search could not run:** ")
        return
    slot.empty()
    st.session_state[Keys.BRUTE_FORCE] = (found, net, ds.name)


def panel(net: Network, ds: Dataset, job: TrainingJob | None) -> None:
    """Grid search controls, the comparison with backprop, and the (2^bits)^E calculator."""
    e = len(net.edges)
    st.markdown(
        "The paper's first idea for training is to *try every combination of weights and keep the best*. "
        f"On a grid of k values per weight that is k^E networks, here E = {e} weights, each tested on all "
        f"{ds.size:,} training points. Backprop instead takes one small step per point."
    )
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        k = setting(st.number_input, "bf_k", "Values per weight (k)", step=1)
    with c2:
        bound = setting(st.number_input, "bf_a", "Weights from -a to a; a =", step=0.5)
    with c3:
        cap = setting(st.number_input, "bf_cap", "Stop after this many networks", step=100_000)
    size = int(k) ** e
    exponent = int(e * math.log10(int(k)))  # str(size) fails beyond 4300 digits (big networks)
    c4.metric("Grid size k^E", f"{size:,}" if size < 10**15 else f"about 10^{exponent}")
    if st.button(f"Search {min(size, int(cap)):,} networks", icon=":material/grid_on:", key=widget_key("bf_go")):
        _search(net, ds, int(k), float(bound), int(cap))
    _comparison(net, ds, job)
    _calculator(e)


def _comparison(net: Network, ds: Dataset, job: TrainingJob | None) -> None:
    saved = st.session_state.get(Keys.BRUTE_FORCE)
    if saved is None:
        return
    found, searched, data_name = saved
    if not same_structure(searched, net) or data_name != ds.name:
        st.info("The last search was for another network or other data; search again.")
        return
    grid = "complete grid" if found.complete else f"stopped after {found.evaluations:,} of {found.grid_size:,}"
    rows = {
        "method": [f"brute force ({found.grid.size} values per weight, {grid})"],
        "networks tried": [f"{found.evaluations:,}"],
        "forward passes of one point": [f"{found.point_evaluations:,}"],
        "seconds": [f"{found.seconds:.2f}"],
        "best mean loss": [f"{found.best_loss:.4g}"],
    }
    if job is not None and job.epochs_done and same_structure(job.net, net) and job.data.name == ds.name:
        res = job.result()
        rows["method"].append(f"backprop: {job.settings.restarts:,} restarts x {job.epochs_done:,} epochs")
        rows["networks tried"].append(f"{job.settings.restarts:,} (each improved step by step)")
        rows["forward passes of one point"].append(f"{job.steps:,} (each with a backward pass)")
        rows["seconds"].append(f"{job.seconds:.2f}")
        rows["best mean loss"].append(
            "every restart diverged" if res.best is None else f"{res.final_loss[res.best]:.4g}"
        )
    else:
        st.caption("Train above (on this network and data) to compare with backprop.")
    st.dataframe(rows, hide_index=True, key="bf_table")
    try:
        best = net.with_weights(found.best_weights)
    except NetworkError:
        return
    st.button(
        "Load the brute-force best into the network",
        key=widget_key("bf_load"),
        on_click=state.set_network,
        args=(best,),
        kwargs={"note": f"brute force: best of {found.evaluations:,} grid networks"},
    )


def _calculator(e_default: int) -> None:
    st.markdown(
        "**What exhaustive search really costs.** With b-bit weights each weight has 2^b values, "
        "so E weights give (2^b)^E combinations, the paper's 2^(64·12) for its network."
    )
    c1, c2 = st.columns(2)
    with c1:
        e = number_box(
            "Weights E", widget_key(f"calc_e_{e_default}"), low=0, high=MAX_EDGES, integer=True, default=e_default
        )
    with c2:
        bits = setting(st.number_input, "calc_bits", "Bits per weight b", step=1)
    mant, exp, ymant, yexp = _cost(int(e), int(bits))
    total = f"= 10^{{{exp}}}" if mant == "1" else rf"\approx {mant} \times 10^{{{exp}}}"
    st.latex(rf"\left(2^{{{int(bits)}}}\right)^{{{int(e)}}} = 2^{{{int(bits) * int(e)}}} {total}")
    st.caption(
        f"That number has {exp + 1:,} digits. Testing 10^9 networks per second would take about "
        f"{ymant} x 10^{yexp} years (the universe is about 1.4 x 10^10 years old)."
    )
