"""The "Why it works" page: the paper's Part II as five exhibits you can change and check."""

import numpy as np
import pandas as pd
import streamlit as st

from nnviz import Network, NetworkError, forward
from nnviz.figures import theory as figs
from nnviz.figures.graph import is_large, network_graph
from nnviz.theory import approximation, boolean, counting, layers
from nnviz.ui import state as app_state
from nnviz.ui import why, widgets
from nnviz.ui.presentation import current_palette

net = app_state.current_network()

st.title("Why it works", anchor=False)
st.markdown(
    "Part II of the paper asks what a network is good for and why it works. Each tab turns one of its "
    "arguments into something you can change and check. The first two use the network you are editing "
    "in the sidebar; the others build their own."
)
message = why.take_message()
if message is not None:
    ok, text = message
    if ok:
        st.success(widgets.md_escape(text), icon=":material/check_circle:")
    else:
        widgets.error(text)


# ----- 1. networks as functions -------------------------------------------------
def networks_as_functions(net: Network) -> None:
    """Exhibit 1: the current network's matrices A_i and the check that sigma o A in turn is the network."""
    st.markdown(
        "A network with real inputs and outputs *implements a function* f : ℝⁿ → ℝᵐ. When it is layered, "
        "that function has a tidy shape: first an affine map A₂ made of the weights into layer 2, then the "
        "layer's functions σ₂ one coordinate at a time, then A₃, σ₃, and so on. Below are the current "
        "network's matrices, each with its **bias column** (the weights of the previous layer's bias neuron, "
        "which always sends 1). The check applies them in turn to random inputs and compares the result with "
        "the network's own forward pass."
    )
    try:
        maps = layers.layer_maps(net)
    except NetworkError as exc:
        widgets.error(exc, prefix="**This network has no matrix form:** ")
        st.info("Pick a layered preset in the sidebar (the paper's network is one) to see its matrices.")
        maps = None
    if maps is not None:
        st.latex(figs.composition_latex([m.layer for m in maps]))
        cols = st.columns(min(len(maps), 3))
        for k, m in enumerate(maps):
            with cols[k % len(cols)]:
                title = f"A<sub>{m.layer}</sub>, then σ<sub>{m.layer}</sub> = {figs.plain(m.function)}"
                labels = [*m.cols, f"{'+'.join(m.bias_ids)} (bias)" if m.bias_ids else "bias"]
                st.plotly_chart(figs.matrix_figure(m.matrix, m.rows, labels, title), key=f"why_matrix_{k}")
        c1, c2 = st.columns([1, 2])
        with c1:
            samples = st.slider("Random inputs", 10, 1000, 200, step=10, key="why_fn_samples")
            seed = st.number_input("Seed", 0, 10_000, 0, key="why_fn_seed")
            x, err = layers.composition_check(net, samples=samples, seed=int(seed))
            st.metric("Largest |difference|", f"{err:.1e}")
            if err <= 1e-9:
                st.success(
                    f"On {samples} random inputs, σ ∘ A applied layer by layer gives the network's output "
                    "(the difference is floating-point rounding).",
                    icon=":material/check_circle:",
                )
            else:
                st.warning(f"The two differ by {err:.3g}: large values overflow somewhere in this network.")
        with c2:
            composed = layers.apply_layers(net, x)[-1][:, layers.output_columns(net, maps)]
            direct = forward(net, x).output
            st.plotly_chart(
                figs.agreement_figure(
                    direct, composed, "network output (forward pass)", "σₗ(Aₗ(…σ₂(A₂ x)))", "Same function, two ways"
                ),
                key="why_fn_agree",
            )


# ----- 2. linear collapse -------------------------------------------------------
def linear_collapse(net: Network) -> None:
    """Exhibit 2: every function the identity (in this tab only); the single matrix A_l ... A_2."""
    st.markdown(
        "Now make every σ the identity. The σ's vanish and f = Aₗ ∘ ⋯ ∘ A₂; a chain of affine maps is one "
        "affine map, so the whole network is the single matrix **Aₗ ⋯ A₂** (the bias column rides along as "
        "one extra coordinate that is always 1). Hidden layers then add nothing that a network without "
        "them could not do. That is the paper's point, after Lin et al.: the functions are what make "
        "several layers worth having."
    )
    linear = layers.is_linear(net)
    identity = st.toggle(
        "Make every σ the identity",
        key="why_identity",
        disabled=linear,
        help="Only in this tab: the network you edit, and every other page, keep their functions.",
    )
    if linear:
        st.caption("The network's functions are all the identity already.")
    elif identity:
        st.caption("Every σ is the identity **in this tab only**: the network on the other pages keeps its functions.")
    else:
        st.caption("The network has non-linear functions: the matrix below is what it would compute without them.")
    try:
        col = layers.collapse(net)
    except NetworkError as exc:
        widgets.error(exc, prefix="**No single matrix for this network:** ")
        col = None
    if col is not None:
        maps = layers.layer_maps(net)
        c1, c2 = st.columns([2, 3])
        with c1:
            st.latex(figs.composition_latex([m.layer for m in maps], identity=True))
            if col.matrix.size <= 24:
                st.latex(r"A_\ell \cdots A_2 = " + figs.bmatrix(col.matrix))
            st.plotly_chart(
                figs.matrix_figure(col.matrix, col.outputs, [*col.inputs, "bias"], "The single matrix Aₗ ⋯ A₂"),
                key="why_product",
            )
            if identity or linear:
                _, err = layers.collapse_check(net, samples=200, seed=0)
                st.metric("Largest |identity network − matrix| on 200 random inputs", f"{err:.1e}")
        with c2:
            # This tab's own all-identity copy: it never goes to set_network, so no other page changes.
            lin_net = net if linear else layers.identity_network(net) if identity else None
            if len(net.inputs) == 1:
                grid = np.linspace(-3, 3, 121)[:, None]  # (G, 1)
                curved = None if linear else forward(net, grid).output[:, 0]
                straight = None if lin_net is None else forward(lin_net, grid).output[:, 0]
                fig = figs.collapse_figure(
                    grid[:, 0], curved, straight, col.apply(grid)[:, 0], "With its functions, and without them"
                )
            elif lin_net is not None:
                x = np.random.default_rng(0).normal(0, 2, (200, len(net.inputs)))
                fig = figs.agreement_figure(
                    forward(lin_net, x).output, col.apply(x), "all-identity network", "one matrix",
                    "The all-identity network is one matrix",
                )  # fmt: skip
            else:
                x = np.random.default_rng(0).normal(0, 2, (200, len(net.inputs)))
                fig = figs.agreement_figure(
                    forward(net, x).output, col.apply(x), "network with its functions", "one matrix",
                    "With its functions, the network is not the matrix",
                )  # fmt: skip
            st.plotly_chart(fig, key="why_collapse_fig")


# ----- 3. boolean functions -----------------------------------------------------
def boolean_functions(net: Network) -> None:
    """Exhibit 3: truth-table editor, the one-hidden-layer construction, its check and its width."""
    st.markdown(
        "The paper quotes a result simpler than universal approximation: **one hidden layer can implement "
        "any boolean function** {0,1}ⁿ → {0,1}, with every neuron applying the same function σ. The "
        "construction is short: one hidden neuron per true row of the truth table, which fires exactly on "
        "that row (weights +1 for the row's 1-bits, −1 for its 0-bits, bias 0.5 − number of 1-bits), and an "
        "output that fires when any of them does. The catch, as the paper says, is size: parity has half of "
        "all rows true, so it needs 2ⁿ⁻¹ hidden neurons."
    )
    left, right = st.columns([2, 3], gap="large")
    with left:
        n = int(st.number_input("Input bits n", 1, boolean.MAX_BITS, 2, key="why_bits"))
        names = [*boolean.PRESETS, "random"]
        preset = st.selectbox(
            "Start from",
            names,
            index=names.index("xor"),
            format_func=lambda k: boolean.PRESETS.get(k, "random table"),
            key="why_preset",
        )
        rseed = int(st.number_input("Random seed", 0, 10_000, 0, key="why_rseed")) if preset == "random" else 0
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
        bits = boolean.input_rows(n)
        frame = pd.DataFrame(bits, columns=[f"x{i + 1}" for i in range(n)])
        frame["f"] = table
        edited = st.data_editor(
            frame,
            key=f"why_table_{n}_{preset}_{rseed}_{typed.strip() if not table_error else ''}",
            disabled=[f"x{i + 1}" for i in range(n)],
            column_config={"f": st.column_config.CheckboxColumn("f(x)", help="tick the rows where f is 1")},
            hide_index=True,
            height=min(38 + 35 * len(frame), 420),
        )
        table = edited["f"].to_numpy(dtype=bool)
        function = st.radio(
            "σ for every neuron", boolean.FUNCTIONS, horizontal=True, key="why_sigma",
            format_func=lambda f: {"step": "step (exact)", "sigmoid": "sigmoid, weights ×20"}[f],
        )  # fmt: skip
        rows = st.radio("Hidden neurons", list(boolean.ROW_MODES), format_func=boolean.ROW_MODES.get, key="why_rows")
    bn = boolean.boolean_network(table, n, function, rows)
    check = boolean.verify(bn.net, table, n)
    with right:
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
            on_click=why.load_network,
            args=(bn.net, f"boolean network with {bn.width} hidden neurons on {n} bits"),
            key="why_load_bool",
            icon=":material/input:",
            type="primary",
        )
        st.page_link("pages/network.py", label="Open the Network page", icon=":material/hub:")
    with st.expander("Every input, what the table wants and what the network gives"):
        out = pd.DataFrame(bits, columns=[f"x{i + 1}" for i in range(n)])
        out["wanted"] = table.astype(int)
        out["network output"] = check.outputs
        out["right"] = np.where(check.correct, "✓", "✗")
        st.dataframe(out, hide_index=True)
    series = boolean.widths_by_bits(rows)
    series_labels = {k: v.split(":")[0] for k, v in boolean.PRESETS.items()} | {"2^(n-1)": "2ⁿ⁻¹", "2^n": "2ⁿ"}
    st.plotly_chart(figs.width_figure(series, series_labels, (n, bn.width)), key="why_width_plot")


# ----- 4. approximation by width ------------------------------------------------
def approximation_by_width(net: Network) -> None:
    """Exhibit 4: fits of a 1-D function by one hidden layer of each width."""
    st.markdown(
        "The universal approximation theorem says one hidden layer can get as close as you like to any "
        "continuous function on a bounded interval, if the layer is wide enough. Here a network "
        "1 → w → 1 learns a function on [−1, 1] by the paper's stochastic gradient descent, from several "
        "random restarts for each width w; the best restart is shown. Wider layers can bend the curve in "
        "more places. Training has a fixed budget, so the error need not fall at every step: the theorem "
        "promises that good weights exist, not that gradient descent finds them."
    )
    with st.form("why_fit_form"):
        f1, f2, f3 = st.columns(3)
        target = f1.selectbox(
            "Function", list(approximation.TARGETS), format_func=lambda k: approximation.TARGETS[k][0],
            key="why_target",
        )  # fmt: skip
        widths_text = f1.text_input("Widths", "1, 2, 4, 8, 16, 32", key="why_widths")
        restarts = f2.slider("Restarts per width", 1, 16, 8, key="why_restarts")
        epochs = f2.slider("Epochs", 20, 400, 150, step=10, key="why_epochs")
        act = f3.selectbox("Hidden σ", ["tanh", "sigmoid", "relu"], key="why_act")
        fseed = int(f3.number_input("Seed", 0, 10_000, 0, key="why_fit_seed"))
        st.form_submit_button("Fit", icon=":material/play_arrow:", type="primary")
    try:
        widths = approximation.parse_widths(widths_text)
        with st.spinner("Training every width…"):
            fit = why.fit_widths(target, widths, restarts, epochs, act, fseed)
    except NetworkError as exc:
        widgets.error(exc, prefix="**Cannot fit:** ")
        fit = None
    if fit is not None:
        g1, g2 = st.columns([3, 2])
        g1.plotly_chart(figs.approximation_figure(fit, approximation.TARGETS[target][0]), key="why_fits")
        g2.plotly_chart(figs.error_figure(fit), key="why_errors")
        rows_out = pd.DataFrame(
            {
                "width": fit.widths,
                "weights": [3 * w + 1 for w in fit.widths],
                "RMS error (training points)": [float(np.sqrt(f.train_mse)) for f in fit.fits],
                "largest error on [−1, 1]": [f.max_error for f in fit.fits],
                "restarts diverged": [f.diverged for f in fit.fits],
            }
        )
        st.dataframe(rows_out, hide_index=True)
        st.caption(
            f"{fit.restarts} restarts × {fit.epochs} epochs on {len(fit.x_train)} points per width; "
            f"trained in {fit.seconds:.1f} s (results are cached)."
        )


# ----- 5. counting --------------------------------------------------------------
def counting_argument(net: Network) -> None:
    """Exhibit 5: images against network configurations, with exact powers of ten."""
    st.markdown(
        "The paper's counting argument (after Lin, Tegmark and Rolnick): an image of W × H pixels at b bits "
        "a pixel is one of **2^(b·W·H)** bit strings. A network with P parameters, each able to take v "
        "meaningfully different values, has **v^P** configurations, and it cannot tell apart more images "
        "than it has configurations. So no network can classify *every* possible image; it works because "
        "the images we care about are a tiny, simply generated corner of that space."
    )
    c1, c2 = st.columns(2)
    with c1:
        st.markdown("**Images**")
        w_px = st.number_input("Width W (pixels)", 1, 100_000, 200, key="why_w")
        h_px = st.number_input("Height H (pixels)", 1, 100_000, 200, key="why_h")
        b_px = st.number_input("Bits per pixel b", 1, 64, 8, key="why_b")
    with c2:
        st.markdown("**Network**")
        p_net = st.number_input("Parameters P", 1, 10**12, 1000, key="why_p")
        v_net = st.number_input("Values per parameter v", 2, 10**9, 100, key="why_v")
        st.caption(f"The network in the sidebar has P = {len(net.edges)} weights.")
    try:
        imgs = counting.images(w_px, h_px, b_px)
        confs = counting.configurations(v_net, p_net)
        need = counting.parameters_needed(imgs, v_net)
    except NetworkError as exc:
        widgets.error(exc, prefix="**Cannot count:** ")
        imgs = None
    if imgs is not None:
        bits_total = counting.image_bits(w_px, h_px, b_px)
        st.latex(rf"2^{{{counting.int_latex(bits_total)}}} \approx {imgs.latex()}")
        st.latex(rf"{counting.int_latex(v_net)}^{{{counting.int_latex(p_net)}}} \approx {confs.latex()}")
        gap = imgs.log10 - confs.log10
        if gap > 0:
            st.markdown(
                f"There are about 10^{float(gap):,.0f} times more images than configurations. To have as many "
                f"configurations as images, a network with {int(v_net):,} values per parameter would need "
                f"**{need:,} parameters**."
            )
        else:
            st.markdown("This network has at least as many configurations as there are images.")
        st.plotly_chart(
            figs.counting_figure(
                [
                    (f"images {int(w_px)}×{int(h_px)} at {int(b_px)} bits", imgs, True, None),
                    (f"{int(v_net):,}^{int(p_net):,} configurations", confs, False, None),
                    *((f"paper: {c.what}", c.exact, c.images, c.paper_k or None) for c in counting.PAPER_CLAIMS),
                ]
            ),
            key="why_count_fig",
        )
    st.markdown("**The paper's numbers, checked**")
    claims = pd.DataFrame(
        {
            "what": [c.what for c in counting.PAPER_CLAIMS],
            "the paper says": [c.paper_text for c in counting.PAPER_CLAIMS],
            "exactly": [c.exact.text(4) for c in counting.PAPER_CLAIMS],
            "verdict": [
                "agrees" if c.agrees else ("no round figure given" if c.paper_k == 0 else "differs")
                for c in counting.PAPER_CLAIMS
            ],
        }
    )
    st.dataframe(claims, hide_index=True)
    st.markdown(
        "Plainly: 2^320000 has 96,330 digits, so it is about 10^96330, not 10^10000 (the paper's exponent is "
        "almost ten times too small). 2^32000000 is about 10^9632960, a little below the paper's 10^10000000. "
        "And 1000 weights with 100 values each give 100^1000 = 10^2000 configurations, not 10^10000 (the "
        "paper also calls them neurons; it is the weights that count). The slips do not hurt the argument: "
        "the exact gap, 10^96330 images against 10^2000 configurations, is wider than the paper's."
    )


TABS = {
    "1 · Networks as functions": networks_as_functions,
    "2 · Linear collapse": linear_collapse,
    "3 · Boolean functions": boolean_functions,
    "4 · Approximation by width": approximation_by_width,
    "5 · Counting": counting_argument,
}

# Stateful tabs (key + on_change="rerun"): only the open tab's exhibit runs, and the
# open tab survives the reruns caused by this page's buttons.
for tab, render in zip(st.tabs(list(TABS), key="why_tab", on_change="rerun"), TABS.values(), strict=True):
    with tab:
        if tab.open:
            render(net)
