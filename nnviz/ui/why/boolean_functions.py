"""Exhibit 3 of "Why it works": any boolean function by one hidden layer, built, drawn and checked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from nnviz import Network, NetworkError
from nnviz.figures import theory as figs
from nnviz.figures.graph import network_graph
from nnviz.network import is_large
from nnviz.theory import boolean
from nnviz.theory.boolean import BooleanNetwork, Verification
from nnviz.ui import widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.presentation import current_palette, room_figure
from nnviz.ui.why import actions

INTRO = (
    "The paper quotes a result simpler than universal approximation: **one hidden layer can implement "
    "any boolean function** {0,1}ⁿ → {0,1}, with every neuron applying the same function σ. The "
    "construction is short: one hidden neuron per true row of the truth table, which fires exactly on "
    "that row (weights +1 for the row's 1-bits, −1 for its 0-bits, bias 0.5 − number of 1-bits), and an "
    "output that fires when any of them does. The catch, as the paper says, is size: parity has half of "
    "all rows true, so it needs 2ⁿ⁻¹ hidden neurons."
)


def render(net: Network) -> None:
    """Exhibit 3: truth-table editor, the one-hidden-layer construction, its check and its width."""
    st.markdown(INTRO)
    left, right = st.columns([2, 3], gap="large")
    with left:
        table, n = _truth_table()
        function = st.radio(
            "σ for every neuron", boolean.FUNCTIONS, horizontal=True, key="why_sigma",
            format_func=lambda f: {"step": "step (exact)", "sigmoid": "sigmoid, weights ×20"}[f],
        )  # fmt: skip
        rows = st.radio("Hidden neurons", list(boolean.ROW_MODES), format_func=boolean.ROW_MODES.get, key="why_rows")
    bn = boolean.boolean_network(table, n, function, rows)
    check = boolean.verify(bn.net, table, n)
    with right:
        _construction(bn, check, n, function)
    with st.expander("Every input, what the table wants and what the network gives"):
        out = pd.DataFrame(boolean.input_rows(n), columns=[f"x{i + 1}" for i in range(n)])
        out["wanted"] = table.astype(int)
        out["network output"] = check.outputs
        out["right"] = np.where(check.correct, "✓", "✗")
        st.dataframe(out, hide_index=True)
    series = boolean.widths_by_bits(rows)
    series_labels = {k: v.split(":")[0] for k, v in boolean.PRESETS.items()} | {"2^(n-1)": "2ⁿ⁻¹", "2^n": "2ⁿ"}
    st.plotly_chart(room_figure(figs.width_figure(series, series_labels, (n, bn.width))), key="why_width_plot")


def _truth_table() -> tuple[np.ndarray, int]:
    """The truth table to build ``(2**n,)`` and its n: a preset, a random one or a typed column, then ticked."""
    n = number_box("Input bits n", "why_bits")
    names = [*boolean.PRESETS, "random"]
    preset = st.selectbox(
        "Start from",
        names,
        index=names.index("xor"),
        format_func=lambda k: boolean.PRESETS.get(k, "random table"),
        key="why_preset",
    )
    rseed = number_box("Random seed", "why_rseed") if preset == "random" else 0
    typed = st.text_input(
        "…or type the output column (rows 00…0 to 11…1)",
        key="why_typed",
        placeholder="e.g. 0110 for XOR",
        max_chars=200,
    )
    table, table_error = None, None
    if typed.strip():
        try:
            table, n = boolean.parse_table(typed)
        except NetworkError as exc:
            table_error = str(exc)
    if table is None:
        table = boolean.random_table(n, rseed) if preset == "random" else boolean.preset_table(preset, n)
    if table_error:
        widgets.error(table_error, prefix="**The typed column was not used:** ")
    elif typed.strip():
        st.caption(f"Using the typed column: {2**n} rows, so n = {n}.")
    frame = pd.DataFrame(boolean.input_rows(n), columns=[f"x{i + 1}" for i in range(n)])
    frame["f"] = table
    edited = st.data_editor(
        frame,
        key=f"why_table_{n}_{preset}_{rseed}_{typed.strip() if not table_error else ''}",
        disabled=[f"x{i + 1}" for i in range(n)],
        column_config={"f": st.column_config.CheckboxColumn("f(x)", help="tick the rows where f is 1")},
        hide_index=True,
        height=min(38 + 35 * len(frame), 420),
    )
    return edited["f"].to_numpy(dtype=bool), n


def _construction(bn: BooleanNetwork, check: Verification, n: int, function: str) -> None:
    """The constructed network drawn, its size and its check on every input, and a button to load it."""
    bits = boolean.input_rows(n)
    labels = {}
    for hid, r in zip(bn.hidden, bn.rows_used, strict=False):
        labels[hid] = "fires on " + "".join(str(b) for b in bits[r])
    if not bn.rows_used:
        labels[bn.hidden[0]] = "never fires"
    graph = network_graph(
        bn.net,
        neuron_labels=labels,
        show_weights=bn.width <= 4 and n <= 3,
        large=is_large(bn.net),
        palette=current_palette(),
    )
    st.graphviz_chart(graph, width="stretch")
    m1, m2, m3 = st.columns(3)
    m1.metric("Hidden neurons", bn.width)
    m2.metric("Rows right", f"{int(check.correct.sum())} / {2**n}")
    m3.metric("Worst |output − f|", f"{check.margin:.1e}")
    if check.all_correct:
        st.success(
            f"Checked on all {2**n} inputs: the network computes the table"
            + (" exactly." if function == "step" else " after rounding its output at 0.5."),
            icon=":material/check_circle:",
        )
    else:  # cannot happen for the construction; shown rather than hidden if it ever does
        widgets.error(f"wrong on rows {check.wrong_rows}")
    st.button(
        "Load this network into the editor",
        on_click=actions.load_network,
        args=(bn.net, f"boolean network with {bn.width} hidden neurons on {n} bits"),
        key="why_load_bool",
        icon=":material/input:",
        type="primary",
    )
    st.page_link("pages/network.py", label="Open the Network page", icon=":material/hub:")
