"""Exhibit 1 of "Why it works": the current network as the maps sigma o A, layer by layer, checked."""

from __future__ import annotations

import streamlit as st

from nnviz import Network, NetworkError, forward
from nnviz.figures import theory as figs
from nnviz.figures.style import plain
from nnviz.theory import layers
from nnviz.ui import widgets
from nnviz.ui.number_box import number_box
from nnviz.ui.presentation import room_figure


def render(net: Network) -> None:
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
                title = f"A<sub>{m.layer}</sub>, then σ<sub>{m.layer}</sub> = {plain(m.function)}"
                labels = [*m.cols, f"{'+'.join(m.bias_ids)} (bias)" if m.bias_ids else "bias"]
                st.plotly_chart(room_figure(figs.matrix_figure(m.matrix, m.rows, labels, title)), key=f"why_matrix_{k}")
        c1, c2 = st.columns([1, 2])
        with c1:
            samples = st.slider("Random inputs", 10, 1000, 200, step=10, key="why_fn_samples")
            seed = number_box("Seed", "why_fn_seed")
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
                room_figure(
                    figs.agreement_figure(
                        direct,
                        composed,
                        "network output (forward pass)",
                        "σₗ(Aₗ(…σ₂(A₂ x)))",
                        "Same function, two ways",
                    )
                ),
                key="why_fn_agree",
            )
